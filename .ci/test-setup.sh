#!/usr/bin/env bash
# The set-up's own test: runs .ci/setup.sh (and through it .ci/postgres.sh) on a copy of this
# repository's build files, against a scratch SM_HOME and a scratch system root, with fakes on
# PATH for everything it would install or call: apt-get, dpkg-query, rustup, rustc and cargo
# (rustup's and Debian's), npm, sudo, su, chown and PostgreSQL's programs. Nothing the machine
# already has can make a case pass: PATH holds only the fakes and a directory of links to basic
# utilities (bash, coreutils, grep, awk…). Each case starts from nothing unless it says so.
# Takes seconds; prints "N passed, M failed" and exits non-zero on any failure.
set -uo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
passed=0
failed=0

check() { # check DESCRIPTION COMMAND…: one assertion of the current case
  if "${@:2}"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    printf '  FAIL [%s] %s\n' "$case_name" "$1"
    printf '    --- stderr of the last run:\n'
    sed 's/^/    | /' "$case_dir/stderr" | tail -n 25
  fi
}
has() { grep -q -- "$2" "$1"; }          # has FILE PATTERN
lacks() { ! grep -q -- "$2" "$1" 2>/dev/null; }
exists() { [ -e "$1" ]; }
absent() { [ ! -e "$1" ]; }
equals() { [ "$1" = "$2" ]; }
differs() { [ "$1" != "$2" ]; }

# Basic utilities the scripts use, linked from the machine; none of them is something setup installs.
sysbin=$scratch/sysbin
mkdir -p "$sysbin"
for tool in bash sh env cat cp mv rm ln ls mkdir mktemp chmod touch tee head tail sort sed awk \
  grep find id dirname basename printf timeout tr cut wc date sleep true false uname readlink; do
  path=$(type -P "$tool") || { echo "test-setup: this machine has no $tool" >&2; exit 1; }
  ln -s "$path" "$sysbin/$tool"
done

# --- The fakes --------------------------------------------------------------------------------
# Each writes one line per call to $FAKE_LOG. Debian's "installed" packages are lines of
# $SYS/var/lib/fake-dpkg; installing one lays down the files the scripts look for.
write_fakes() {
  local bin=$1
  mkdir -p "$bin"

  cat >"$bin/dpkg-query" <<'EOF'
#!/bin/bash
pkg=${!#}
if grep -qx "$pkg" "$SYS/var/lib/fake-dpkg" 2>/dev/null; then printf 'install ok installed'; exit 0; fi
echo "dpkg-query: no packages found matching $pkg" >&2; exit 1
EOF

  cat >"$bin/apt-get" <<'EOF'
#!/bin/bash
echo "apt-get $*" >>"$FAKE_LOG"
# The real apt-get prints progress on standard output: so does this one, to catch it in a command.
echo "Reading package lists... Done"
if [ "$1" = update ]; then exit 0; fi
pkgs=()
for arg in "$@"; do case $arg in install|-*) ;; *) pkgs+=("$arg") ;; esac; done
for pkg in "${pkgs[@]}"; do
  if [ -n "${FAKE_APT_FAIL:-}" ] && [ "$pkg" = "$FAKE_APT_FAIL" ]; then
    echo "E: Unable to locate package $pkg" >&2; exit 100
  fi
done
mkdir -p "$SYS/usr/bin" "$SYS/var/lib"
for pkg in "${pkgs[@]}"; do
  echo "$pkg" >>"$SYS/var/lib/fake-dpkg"
  case $pkg in
    rustc-web) cp "$FAKES/debian-rustc" "$SYS/usr/bin/rustc"
               for t in rustdoc; do cp "$FAKES/debian-rustc" "$SYS/usr/bin/$t"; done ;;
    cargo-web) cp "$FAKES/debian-cargo" "$SYS/usr/bin/cargo" ;;
    rust-web-clippy) cp "$FAKES/debian-rustc" "$SYS/usr/bin/cargo-clippy"; cp "$FAKES/debian-rustc" "$SYS/usr/bin/clippy-driver" ;;
    rustfmt-web) cp "$FAKES/debian-rustc" "$SYS/usr/bin/rustfmt"; cp "$FAKES/debian-rustc" "$SYS/usr/bin/cargo-fmt" ;;
    npm) cp "$FAKES/npm" "$SYS/usr/bin/npm" ;;
    postgresql) mkdir -p "$SYS/usr/lib/postgresql/17/bin"
                for t in initdb pg_ctl; do cp "$FAKES/$t" "$SYS/usr/lib/postgresql/17/bin/$t"; done
                cp "$FAKES/pg_isready" "$SYS/usr/bin/pg_isready" ;;
  esac
done
EOF

  # Rustup's proxies, in the fake ~/.cargo/bin. FAKE_RUSTUP_RUSTC is the version it runs;
  # FAKE_RUSTUP_WASM=yes when it has wasm32, =addable when `rustup target add` can fetch it.
  cat >"$bin/rustup" <<'EOF'
#!/bin/bash
echo "rustup $*" >>"$FAKE_LOG"
case "$1 $2" in
  "target list") [ "${FAKE_RUSTUP_WASM:-}" = yes ] && echo wasm32-unknown-unknown; echo x86_64-unknown-linux-gnu ;;
  "target add") [ "${FAKE_RUSTUP_WASM:-}" = addable ] || { echo "error: no network" >&2; exit 1; } ;;
esac
EOF
  cat >"$bin/rustup-rustc" <<'EOF'
#!/bin/bash
echo "rustc $FAKE_RUSTUP_RUSTC (rustup)"
EOF
  # Both cargos: `cargo install NAME --version =V … --root R` leaves R/bin/<its binary> that
  # prints V; Debian's also builds the wasm32 standard library.
  cat >"$bin/cargo-common" <<'EOF'
if [ "$1" = install ]; then
  crate=$2; version=; root=
  while [ $# -gt 0 ]; do
    case $1 in --version) version=${2#=}; shift ;; --root) root=$2; shift ;; esac; shift
  done
  echo "cargo($flavour) install $crate $version RUSTC=${RUSTC:-} PATH=${PATH%%:*}" >>"$FAKE_LOG"
  case $crate in cargo-leptos) bin=cargo-leptos ;; wasm-bindgen-cli) bin=wasm-bindgen ;; esac
  mkdir -p "$root/bin"
  printf '#!/bin/sh\necho "%s %s"\n' "$bin" "$version" >"$root/bin/$bin"
  chmod +x "$root/bin/$bin"
  exit 0
fi
if [ "$1" = build ]; then
  echo "cargo($flavour) build $* RUSTC=${RUSTC:-} RUSTC_BOOTSTRAP=${RUSTC_BOOTSTRAP:-}" >>"$FAKE_LOG"
  [ "$flavour" = debian ] && [ "${RUSTC_BOOTSTRAP:-}" = 1 ] || { echo "error: -Zbuild-std needs nightly" >&2; exit 101; }
  deps=$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/deps
  mkdir -p "$deps"
  touch "$deps/libstd-0a.rlib" "$deps/libcore-0b.rlib" "$deps/libwasm_std_probe-0c.rlib"
  exit 0
fi
echo "cargo($flavour) $*" >>"$FAKE_LOG"
EOF
  { echo '#!/bin/bash'; echo 'flavour=rustup'; cat "$bin/cargo-common"; } >"$bin/rustup-cargo"
  { echo '#!/bin/bash'; echo 'flavour=debian'; cat "$bin/cargo-common"; } >"$bin/debian-cargo"
  cat >"$bin/debian-rustc" <<'EOF'
#!/bin/bash
case $1 in
  -vV) printf 'rustc 1.96.0 (Debian)\nhost: x86_64-unknown-linux-gnu\n' ;;
  *) echo "rustc 1.96.0 (Debian)" ;;
esac
EOF
  cat >"$bin/npm" <<'EOF'
#!/bin/bash
echo "npm $*" >>"$FAKE_LOG"
prefix=.
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do [ "${args[i]}" = --prefix ] && prefix=${args[i+1]}; done
case $1 in
  install)
    major=${!#}; major=${major#binaryen@}; major=${major%%.*}
    mkdir -p "$prefix/node_modules/binaryen/bin"
    printf '#!/bin/sh\necho "wasm-opt version %s (version_%s)"\n' "$major" "$major" >"$prefix/node_modules/binaryen/bin/wasm-opt"
    chmod +x "$prefix/node_modules/binaryen/bin/wasm-opt" ;;
  ci) [ "${PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD:-}" = 1 ] || { echo "npm ci would download a browser" >&2; exit 1; }
    mkdir -p node_modules/@playwright/test; touch node_modules/.package-lock.json ;;
esac
EOF
  cat >"$bin/sudo" <<'EOF'
#!/bin/bash
echo "sudo $*" >>"$FAKE_LOG"; exec "$@"
EOF
  cat >"$bin/chown" <<'EOF'
#!/bin/bash
echo "chown $*" >>"$FAKE_LOG"
EOF
  # su postgres -s /bin/sh -c CMD
  cat >"$bin/su" <<'EOF'
#!/bin/bash
echo "su $1" >>"$FAKE_LOG"
while [ $# -gt 0 ] && [ "$1" != -c ]; do shift; done
exec bash -c "$2"
EOF
  cat >"$bin/initdb" <<'EOF'
#!/bin/bash
echo "initdb $*" >>"$FAKE_LOG"
while [ $# -gt 0 ]; do [ "$1" = -D ] && data=$2; shift; done
mkdir -p "$data" && echo 17 >"$data/PG_VERSION"
EOF
  cat >"$bin/pg_ctl" <<'EOF'
#!/bin/bash
echo "pg_ctl $*" >>"$FAKE_LOG"
touch "$SYS/fake-postgres-running"
echo "server started"
EOF
  cat >"$bin/pg_isready" <<'EOF'
#!/bin/bash
[ -e "$SYS/fake-postgres-running" ]
EOF
  chmod +x "$bin"/*
}

# --- One case -----------------------------------------------------------------------------
# new_case NAME [rustup|no-rustup]: a fresh scratch home, system root and repository copy.
new_case() {
  case_name=$1
  case_dir=$scratch/$1
  mkdir -p "$case_dir"/{home,sys,repo/.ci,repo/end2end}
  export SM_HOME=$case_dir/home/.cache/service-market SYS=$case_dir/sys SM_SYSTEM_ROOT=$case_dir/sys
  export FAKES=$scratch/fakes FAKE_LOG=$case_dir/log SM_PGDATA=$case_dir/sys/pgdata
  export HOME=$case_dir/home
  : >"$FAKE_LOG"
  cp "$repo/toolchain.env" "$repo/Cargo.lock" "$case_dir/repo/"
  cp "$repo/.ci/setup.sh" "$repo/.ci/postgres.sh" "$repo/.ci/lib.sh" "$case_dir/repo/.ci/"
  cp "$repo/end2end/package.json" "$repo/end2end/package-lock.json" "$case_dir/repo/end2end/"
  local cargo_bin=$HOME/.cargo/bin
  if [ "${2:-rustup}" = rustup ]; then
    mkdir -p "$cargo_bin"
    cp "$FAKES/rustup" "$cargo_bin/rustup"
    cp "$FAKES/rustup-rustc" "$cargo_bin/rustc"
    cp "$FAKES/rustup-cargo" "$cargo_bin/cargo"
  fi
  # Node.js and npm come with a machine of this kind; a case can take them away.
  mkdir -p "$case_dir/node-bin"
  cp "$FAKES/npm" "$case_dir/node-bin/npm"
  unset FAKE_APT_FAIL SM_TOOLCHAIN TEST_DATABASE_URL
  export FAKE_RUSTUP_RUSTC=1.95.0 FAKE_RUSTUP_WASM=yes
  node_bin=$case_dir/node-bin
  tools_bin=$SM_HOME/tools/bin
}

# run_setup build|test: as the Makefile runs it (its PATH order), stdout and stderr apart.
run_setup() {
  local fake_sys_bin=$FAKES/sys # sudo, su, chown, dpkg-query, apt-get: always on a Debian machine
  : >"$FAKE_LOG"
  (cd "$case_dir/repo" && env PATH="$SM_HOME/route-bin:$SM_HOME/tools/bin:$HOME/.cargo/bin:$SYS/usr/bin:$node_bin:$fake_sys_bin:$sysbin" \
    bash .ci/setup.sh "$1" >"$case_dir/stdout" 2>"$case_dir/stderr")
  status=$?
}

write_fakes "$scratch/fakes"
mkdir -p "$scratch/fakes/sys"
for tool in dpkg-query apt-get sudo su chown; do mv "$scratch/fakes/$tool" "$scratch/fakes/sys/$tool"; done
# shellcheck source=../toolchain.env
source "$repo/toolchain.env"

tools_installed() { # the two cargo tools and wasm-opt, at the versions toolchain.env pins
  [ "$("$tools_bin/cargo-leptos" --version)" = "cargo-leptos $CARGO_LEPTOS_VERSION" ] \
    && [ "$("$tools_bin/wasm-bindgen" --version)" = "wasm-bindgen $WASM_BINDGEN_VERSION" ] \
    && [ "$("$tools_bin/wasm-opt" --version | awk '{print $3}')" = "${BINARYEN_NPM_VERSION%%.*}" ]
}
no_stdout() { [ ! -s "$case_dir/stdout" ]; }
installs_nothing() { lacks "$FAKE_LOG" 'apt-get install\|) install \|npm install\|npm ci'; }

# 1. rustup with wasm32, but a rustc older than cargo-leptos needs: the app builds with rustup's,
#    the tools with Debian's, installed on the way (the issue 11 path: apt's messages must not
#    become part of a command).
new_case rustup-old-rustc
run_setup build
check "exits 0" equals "$status" 0
check "chooses rustup" equals "$(cat "$SM_HOME/route")" rustup
check "installs Debian's Rust for the tools" has "$FAKE_LOG" "apt-get install .*rustc-web.*cargo-web"
check "builds cargo-leptos with Debian's rustc" has "$FAKE_LOG" "cargo(debian) install cargo-leptos $CARGO_LEPTOS_VERSION RUSTC=$SYS/usr/bin/rustc PATH=$SYS/usr/bin"
check "builds wasm-bindgen with Debian's rustc" has "$FAKE_LOG" "cargo(debian) install wasm-bindgen-cli $WASM_BINDGEN_VERSION RUSTC=$SYS/usr/bin/rustc"
check "installs wasm-opt from npm" has "$FAKE_LOG" "npm install .*binaryen@$BINARYEN_NPM_VERSION"
check "every tool at its pinned version" tools_installed
check "no wasm32 std built for Debian (rustup has one)" absent "$SYS/usr/lib/rustlib/wasm32-unknown-unknown"
check "route-bin stays empty" equals "$(ls -A "$SM_HOME/route-bin")" ""
check "says why it uses Debian's rustc" has "$case_dir/stderr" "rustc 1.95.0 is older than the $CARGO_LEPTOS_MIN_RUSTC"
check "progress goes to stderr, stdout stays empty" no_stdout
check "does not install test-only packages" lacks "$FAKE_LOG" chromium

# 2. The same home again: everything is there, nothing is installed.
run_setup build
check "a second run exits 0" equals "$status" 0
check "a second run installs nothing" installs_nothing
check "a second run builds nothing" lacks "$FAKE_LOG" "cargo("

# 3. A wrong version of one tool: that one is reinstalled, the others stay.
printf '#!/bin/sh\necho "cargo-leptos 0.2.0"\n' >"$tools_bin/cargo-leptos"
run_setup build
check "exits 0 after a wrong cargo-leptos" equals "$status" 0
check "reinstalls cargo-leptos" has "$FAKE_LOG" "install cargo-leptos $CARGO_LEPTOS_VERSION"
check "leaves wasm-bindgen alone" lacks "$FAKE_LOG" "wasm-bindgen-cli"
check "leaves wasm-opt alone" lacks "$FAKE_LOG" "npm"
check "apt-get not called (Debian's Rust is there)" lacks "$FAKE_LOG" "apt-get"
check "cargo-leptos at its pinned version again" tools_installed
printf '#!/bin/sh\necho "wasm-opt version 108"\n' >"$SM_HOME/binaryen/node_modules/binaryen/bin/wasm-opt"
run_setup build
check "reinstalls a wrong wasm-opt" has "$FAKE_LOG" "npm install .*binaryen@$BINARYEN_NPM_VERSION"
check "wasm-opt at its pinned version again" tools_installed

# 4. rustup whose rustc is new enough: no Debian package at all.
new_case rustup-new-rustc
export FAKE_RUSTUP_RUSTC=$CARGO_LEPTOS_MIN_RUSTC.0
run_setup build
check "exits 0" equals "$status" 0
check "chooses rustup" equals "$(cat "$SM_HOME/route")" rustup
check "builds the tools with rustup's cargo" has "$FAKE_LOG" "cargo(rustup) install cargo-leptos $CARGO_LEPTOS_VERSION RUSTC= PATH=$SM_HOME/route-bin"
check "installs no Debian package" lacks "$FAKE_LOG" "apt-get"
check "every tool at its pinned version" tools_installed

# 5. rustup without wasm32 that can add it: still rustup.
new_case rustup-adds-wasm32
export FAKE_RUSTUP_WASM=addable FAKE_RUSTUP_RUSTC=$CARGO_LEPTOS_MIN_RUSTC.0
run_setup build
check "exits 0" equals "$status" 0
check "adds the wasm32 target" has "$FAKE_LOG" "rustup target add wasm32-unknown-unknown"
check "chooses rustup" equals "$(cat "$SM_HOME/route")" rustup

# 6. rustup without wasm32 and no way to add it: Debian's 1.96 for everything, with the wasm32
#    std built from Debian's source, once.
new_case rustup-without-wasm32
export FAKE_RUSTUP_WASM=no
run_setup build
check "exits 0" equals "$status" 0
check "chooses debian" equals "$(cat "$SM_HOME/route")" debian
check "installs Debian's Rust" has "$FAKE_LOG" "apt-get install .*rustc-web"
check "builds the wasm32 std with RUSTC_BOOTSTRAP" has "$FAKE_LOG" "cargo(debian) build .*-Zbuild-std=std,panic_abort RUSTC=$SYS/usr/bin/rustc RUSTC_BOOTSTRAP=1"
check "installs libstd for wasm32" exists "$SYS/usr/lib/rustlib/wasm32-unknown-unknown/lib/libstd-0a.rlib"
check "leaves the probe crate out" absent "$SYS/usr/lib/rustlib/wasm32-unknown-unknown/lib/libwasm_std_probe-0c.rlib"
check "stamps the std with rustc -vV" equals "$(cat "$SYS/usr/lib/rustlib/wasm32-unknown-unknown/lib/.service-market-stamp")" "$("$SYS/usr/bin/rustc" -vV)"
check "links Debian's cargo ahead of rustup's" equals "$(readlink "$SM_HOME/route-bin/cargo")" "$SYS/usr/bin/cargo"
check "builds the tools with Debian's cargo through route-bin" has "$FAKE_LOG" "cargo(debian) install cargo-leptos $CARGO_LEPTOS_VERSION RUSTC= PATH=$SM_HOME/route-bin"
check "every tool at its pinned version" tools_installed
check "stdout stays empty" no_stdout
run_setup build
check "a second run exits 0" equals "$status" 0
check "a second run does not rebuild the std" lacks "$FAKE_LOG" "cargo(debian) build"
check "a second run installs nothing" installs_nothing
printf 'rustc 1.95.9 (Debian)\n' >"$SYS/usr/lib/rustlib/wasm32-unknown-unknown/lib/.service-market-stamp"
run_setup build
check "a stale stamp rebuilds the std" has "$FAKE_LOG" "cargo(debian) build"

# 7. SM_TOOLCHAIN=debian on a machine without rustup at all.
new_case debian-only no-rustup
export SM_TOOLCHAIN=debian
run_setup build
check "exits 0" equals "$status" 0
check "chooses debian" equals "$(cat "$SM_HOME/route")" debian
check "every tool at its pinned version" tools_installed

# 8. apt-get cannot install a package: a clear message naming it, a non-zero exit, no tools.
new_case apt-fails
export FAKE_APT_FAIL=rustc-web
run_setup build
check "exits non-zero" differs "$status" 0
check "names the package it could not install" has "$case_dir/stderr" "setup: apt-get could not install rustc-web"
check "installs no tool" absent "$tools_bin/cargo-leptos"

# 9. No npm on the machine: Debian's nodejs and npm first.
new_case no-npm
export FAKE_RUSTUP_RUSTC=$CARGO_LEPTOS_MIN_RUSTC.0
rm "$node_bin/npm"
run_setup build
check "exits 0" equals "$status" 0
check "installs Debian's nodejs and npm" has "$FAKE_LOG" "apt-get install .*nodejs npm"
check "every tool at its pinned version" tools_installed

# 10. Test mode on a fresh machine: Chromium, shellcheck, the Playwright packages, and a
#     PostgreSQL installed, initialised and started.
new_case test-mode
export FAKE_RUSTUP_RUSTC=$CARGO_LEPTOS_MIN_RUSTC.0
run_setup test
check "exits 0" equals "$status" 0
check "installs Chromium and its driver" has "$FAKE_LOG" "apt-get install .*chromium chromium-driver fonts-noto-cjk"
check "installs shellcheck" has "$FAKE_LOG" "apt-get install .*shellcheck"
check "installs the Playwright packages without a browser" has "$FAKE_LOG" "npm ci"
check "Playwright packages are there" exists "$case_dir/repo/end2end/node_modules/@playwright/test"
check "installs Debian's postgresql" has "$FAKE_LOG" "apt-get install .*postgresql"
check "creates the test cluster" has "$FAKE_LOG" "initdb -D $SM_PGDATA -U postgres -A trust"
check "starts it as postgres" has "$FAKE_LOG" "su postgres"
check "starts it on the test port" has "$FAKE_LOG" "pg_ctl -D $SM_PGDATA .*listen_addresses=127.0.0.1 -p 5432"
check "stdout carries nothing but pg_ctl's own" equals "$(grep -v 'server started' "$case_dir/stdout")" ""
run_setup test
check "a second test run exits 0" equals "$status" 0
check "a second test run installs nothing" installs_nothing
check "a second test run runs no npm ci" lacks "$FAKE_LOG" "npm ci"
check "a second test run finds the server answering" has "$case_dir/stderr" "a server answers at 127.0.0.1:5432"
rm "$SYS/fake-postgres-running"
run_setup test
check "a stopped server is started again, not re-created" has "$FAKE_LOG" "pg_ctl"
check "... without a new initdb" lacks "$FAKE_LOG" "initdb"

# 11. Test mode when apt-get cannot install postgresql.
new_case postgres-apt-fails
export FAKE_RUSTUP_RUSTC=$CARGO_LEPTOS_MIN_RUSTC.0 FAKE_APT_FAIL=postgresql
run_setup test
check "exits non-zero" differs "$status" 0
check "names postgresql" has "$case_dir/stderr" "postgres: apt-get could not install postgresql"

# 12. A database on another host that does not answer: say so, install nothing.
new_case remote-postgres
export FAKE_RUSTUP_RUSTC=$CARGO_LEPTOS_MIN_RUSTC.0
TEST_DATABASE_URL=postgres://ci@db.example:5432/ci run_setup test
check "exits non-zero" differs "$status" 0
check "says it is not this machine" has "$case_dir/stderr" "nothing answers at db.example:5432, and it is not this machine"
check "does not install postgresql" lacks "$FAKE_LOG" "postgresql"

# 13. toolchain.env and Cargo.lock disagree on wasm-bindgen: stop before building anything.
new_case wasm-bindgen-mismatch
sed -i 's/^WASM_BINDGEN_VERSION=.*/WASM_BINDGEN_VERSION=0.2.1/' "$case_dir/repo/toolchain.env"
run_setup build
check "exits non-zero" differs "$status" 0
check "says which versions differ" has "$case_dir/stderr" "says 0.2.1: make them equal"
check "builds no tool" lacks "$FAKE_LOG" "cargo("

printf 'test-setup: %d passed, %d failed\n' "$passed" "$failed"
[ "$failed" = 0 ]

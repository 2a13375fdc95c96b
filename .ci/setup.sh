#!/usr/bin/env bash
# Installs everything the build and the tests need, once; later runs only check and skip.
#   .ci/setup.sh build   the Rust toolchain for the server and the wasm32 client, cargo-leptos,
#                        wasm-bindgen, wasm-opt
#   .ci/setup.sh test    the above, plus Chromium, the Playwright packages and a PostgreSQL
#                        server answering at TEST_DATABASE_URL
# Tools go to SM_HOME (default ~/.cache/service-market), outside the work tree, so a fresh
# clone reuses them.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../toolchain.env
source "$here/toolchain.env"
what=${1:-build}
SM_HOME=${SM_HOME:-$HOME/.cache/service-market}
tools_bin=$SM_HOME/tools/bin
route_bin=$SM_HOME/route-bin
mkdir -p "$tools_bin" "$route_bin"

name=setup
# shellcheck source=lib.sh
source "$here/.ci/lib.sh"

version_ge() { # version_ge A B: A >= B
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]
}

# --- The Rust toolchain: rustup's when it has (or can add) wasm32, else Debian's 1.96 ----------
choose_route() {
  if [ "${SM_TOOLCHAIN:-}" = debian ]; then echo debian; return; fi
  if command -v rustup >/dev/null 2>&1; then
    if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
      echo rustup; return
    fi
    if timeout 300 rustup target add wasm32-unknown-unknown >/dev/null 2>&1; then
      echo rustup; return
    fi
  fi
  echo debian
}

debian_rust() {
  apt_install rustc-web cargo-web rust-web-src libstd-rust-web-dev rust-web-llvm lld-22 \
    rust-web-clippy rustfmt-web
}

# Debian ships no wasm32 std: build it once from Debian's own library source and install it
# into Debian's sysroot. A stamp of `rustc -vV` says when an upgrade made it stale.
debian_wasm_std() {
  local libdir=$sys/usr/lib/rustlib/wasm32-unknown-unknown/lib
  local stamp=$libdir/.service-market-stamp
  local want; want=$("$sys/usr/bin/rustc" -vV)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  say "building the wasm32 standard library for Debian's rustc (about a minute)"
  local scratch; scratch=$(mktemp -d)
  mkdir -p "$scratch/src"
  printf '[package]\nname = "wasm-std-probe"\nversion = "0.0.0"\nedition = "2021"\n[lib]\npath = "src/lib.rs"\n' >"$scratch/Cargo.toml"
  echo '#![no_std]' >"$scratch/src/lib.rs"
  (cd "$scratch" && PATH=$sys/usr/bin:$PATH RUSTC=$sys/usr/bin/rustc RUSTC_BOOTSTRAP=1 \
    CARGO_TARGET_DIR="$scratch/target" \
    CARGO_ENCODED_RUSTFLAGS=$(printf -- '-Cembed-bitcode=yes\x1f-Zforce-unstable-if-unmarked') \
    "$sys/usr/bin/cargo" build -q --release --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort)
  as_root mkdir -p "$libdir"
  find "$scratch/target/wasm32-unknown-unknown/release/deps" -name '*.rlib' ! -name 'libwasm_std_probe*' \
    -exec cp {} "$libdir/" \;
  echo "$want" | as_root tee "$stamp" >/dev/null
  rm -rf "$scratch"
}

route=$(choose_route)
rm -f "$route_bin"/*
if [ "$route" = debian ]; then
  debian_rust
  debian_wasm_std
  # Debian's tools first on PATH, ahead of rustup's proxies (see toolchain notes in README).
  for tool in cargo rustc rustdoc cargo-clippy clippy-driver rustfmt cargo-fmt; do
    ln -sf "$sys/usr/bin/$tool" "$route_bin/$tool"
  done
fi
echo "$route" >"$SM_HOME/route"
say "Rust toolchain: $route ($(PATH=$route_bin:$PATH rustc --version))"

# A cargo new enough to build cargo-leptos: the chosen one, else Debian's. Sets the global
# array tool_env (no command substitution: apt_install's state and messages stay in this shell).
tool_env=()
tool_cargo_ready=
prepare_tool_cargo() {
  [ -n "$tool_cargo_ready" ] && return 0
  local rustc_version
  rustc_version=$(PATH=$route_bin:$PATH rustc --version | awk '{print $2}')
  if version_ge "$rustc_version" "$CARGO_LEPTOS_MIN_RUSTC"; then
    tool_env=("PATH=$route_bin:$PATH")
  else
    say "rustc $rustc_version is older than the $CARGO_LEPTOS_MIN_RUSTC cargo-leptos needs: building the tools with Debian's"
    debian_rust
    tool_env=("PATH=$sys/usr/bin:$PATH" "RUSTC=$sys/usr/bin/rustc")
  fi
  tool_cargo_ready=1
}

lock_wb=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/[^0-9.]/, ""); print; exit}' "$here/Cargo.lock")
[ "$lock_wb" = "$WASM_BINDGEN_VERSION" ] \
  || die "Cargo.lock has wasm-bindgen $lock_wb but toolchain.env says $WASM_BINDGEN_VERSION: make them equal"

if [ "$("$tools_bin/cargo-leptos" --version 2>/dev/null | awk '{print $2}')" != "$CARGO_LEPTOS_VERSION" ]; then
  prepare_tool_cargo
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 30 minutes on 2 cores, once)"
  env "${tool_env[@]}" CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    CARGO_TARGET_DIR="$SM_HOME/tool-build" \
    cargo install cargo-leptos --version "=$CARGO_LEPTOS_VERSION" --locked --features no_downloads \
    --root "$SM_HOME/tools"
fi

if [ "$("$tools_bin/wasm-bindgen" --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 8 minutes, once)"
  prepare_tool_cargo
  # Not --locked: that lock pins a webpki-roots release the registry no longer serves.
  env "${tool_env[@]}" CARGO_TARGET_DIR="$SM_HOME/tool-build" \
    cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION" --root "$SM_HOME/tools"
fi

# wasm-opt: npm's binaryen (Debian's 108 emits a wasm that fails to hydrate in Chromium).
if [ "$("$tools_bin/wasm-opt" --version 2>/dev/null | awk '{print $3}')" != "${BINARYEN_NPM_VERSION%%.*}" ]; then
  command -v npm >/dev/null 2>&1 || apt_install nodejs npm
  say "installing wasm-opt (npm binaryen@$BINARYEN_NPM_VERSION)"
  mkdir -p "$SM_HOME/binaryen"
  npm install --silent --no-audit --no-fund --prefix "$SM_HOME/binaryen" "binaryen@$BINARYEN_NPM_VERSION"
  ln -sf "$SM_HOME/binaryen/node_modules/binaryen/bin/wasm-opt" "$tools_bin/wasm-opt"
fi

[ "$what" = test ] || exit 0

# --- Test-only: Chromium, Playwright, PostgreSQL ---------------------------------------------
# CJK fonts, so screenshots of 简体中文 pages are legible.
apt_install chromium chromium-driver fonts-noto-cjk
# make test lints the scripts in .ci/.
apt_install shellcheck
command -v npm >/dev/null 2>&1 || apt_install nodejs npm
if [ ! -d "$here/end2end/node_modules/@playwright/test" ] \
  || [ "$here/end2end/package-lock.json" -nt "$here/end2end/node_modules/.package-lock.json" ]; then
  say "installing the Playwright packages (no browser download: Debian's Chromium is used)"
  (cd "$here/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --silent --no-audit --no-fund)
fi

"$here/.ci/postgres.sh"

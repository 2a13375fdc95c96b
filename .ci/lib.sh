# Shared by the scripts in .ci/: messages, root, Debian packages. Source it after setting
# `name` (the word that starts each message).
# shellcheck shell=bash

# Where Debian's packages put their files. Only the set-up's self-test (.ci/test-setup.sh)
# moves it, into a scratch directory of fakes.
# shellcheck disable=SC2034 # used by the scripts that source this one
sys=${SM_SYSTEM_ROOT:-}
: "${name:?set name before sourcing lib.sh}"

# Progress goes to standard error: nothing a function prints may become part of a command.
say() { printf '\033[1m%s:\033[0m %s\n' "$name" "$*" >&2; }
die() { printf '%s: %s\n' "$name" "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# apt_install PACKAGE…: installs those not installed yet; silent when none is missing.
apt_updated=
apt_install() {
  local missing=() package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing Debian packages: ${missing[*]}"
  if [ -z "$apt_updated" ]; then
    as_root apt-get update -q >&2 \
      || die "apt-get update failed (see above), so ${missing[*]} cannot be installed: check the network and /etc/apt/sources.list"
    apt_updated=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 \
    || die "apt-get could not install ${missing[*]} (its message is above); install them by hand and run this again"
}

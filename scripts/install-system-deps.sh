#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages entra-tray needs (with sudo unless root). Without --test, what `npm ci` needs:
# keytar, msal-node-extensions' OS-keyring binding, compiles against libsecret (.prebuild-installrc: build from source).
# With --test, also what the tests use:
# - chromium: the real browser of the sign-in tests (playwright-core drives it and never downloads one);
# - gnome-keyring, dbus-daemon, dbus-bin, libsecret-tools: real, private keyrings for the token-cache tests;
# - openssl: tests make throwaway TLS certificates with it.
set -euo pipefail
packages=(libsecret-1-dev g++ make python3)
case "${1:-}" in
  --test) packages+=(chromium gnome-keyring dbus-daemon dbus-bin libsecret-tools openssl) ;;
  "") ;;
  *) echo "usage: $0 [--test]" >&2; exit 2 ;;
esac
if ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then
  echo "Not a Debian/Ubuntu system: install the equivalents of ${packages[*]} yourself (macOS and Windows need none of them to run entra-tray)."
  exit 0
fi
missing=()
for p in "${packages[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p"); done
if [ ${#missing[@]} -eq 0 ]; then echo "system packages: all present"; exit 0; fi
if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"

#!/usr/bin/env bash
# Debian packages that installing and testing entra-tray need:
# - chromium: the real browser of the sign-in tests (playwright-core drives it and never downloads one);
# - libsecret-1-dev, g++, make, python3: npm builds keytar (msal-node-extensions' keyring binding) from source;
# - gnome-keyring, dbus-daemon, dbus-x11, libsecret-tools: a real keyring for the token-cache tests;
# - openssl: tests make throwaway TLS certificates with it.
set -euo pipefail
packages=(chromium libsecret-1-dev g++ make python3 gnome-keyring dbus-daemon dbus-x11 libsecret-tools openssl)
missing=()
for p in "${packages[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p"); done
if [ ${#missing[@]} -eq 0 ]; then echo "system packages: all present"; exit 0; fi
if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"

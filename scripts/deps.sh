#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Install what teamwall needs to build, run and test, from Debian's packages
# (Debian 12 / Raspberry Pi OS). Only missing packages are installed; as root
# or through sudo. Usage: scripts/deps.sh [run|test]
set -euo pipefail
what=${1:-run}
pkgs=(build-essential cmake pkg-config
      libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev libfontconfig-dev libmosquitto-dev libsqlite3-dev
      libcjson-dev libinih-dev libsystemd-dev libmicrohttpd-dev libssl-dev libcurl4-openssl-dev
      mosquitto mosquitto-clients sqlite3 fontconfig
      fonts-noto-color-emoji fonts-noto-cjk fonts-noto-core)
if [ "$what" = test ]; then
    pkgs+=(clang clang-format openssl curl procps)
    # scripts/package.sh and tests/it_package.sh: lint, then install for real
    pkgs+=(lintian file adduser fonts-inter)
fi
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} = 0 ] && exit 0
SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"

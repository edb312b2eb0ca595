#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Install what teamwall needs to build, run and test, from Debian's packages
# (Debian 12 / Raspberry Pi OS). Only missing packages are installed; as root
# or through sudo. Usage: scripts/deps.sh [run|test|arm64]
# arm64: the cross build (scripts/cross.sh): adds the arm64 architecture to
# dpkg (multiarch) and installs Debian's cross compiler, the arm64 -dev
# packages (the same versions as amd64's, side by side) and qemu-user.
set -euo pipefail
what=${1:-run}
pkgs=(build-essential cmake pkg-config
      libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev libfontconfig-dev libmosquitto-dev libsqlite3-dev
      libcjson-dev libinih-dev libsystemd-dev libmicrohttpd-dev libssl-dev libcurl4-openssl-dev
      mosquitto mosquitto-clients sqlite3 fontconfig gettext
      fonts-noto-color-emoji fonts-noto-cjk fonts-noto-core)
SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
if [ "$what" = arm64 ]; then
    if ! dpkg --print-foreign-architectures | grep -qx arm64; then
        echo "adding the arm64 architecture to dpkg (multiarch)"
        $SUDO dpkg --add-architecture arm64
    fi
    pkgs+=(gcc-aarch64-linux-gnu libc6-dev:arm64 qemu-user-static lintian file)
    for p in libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev libfontconfig-dev libmosquitto-dev \
        libsqlite3-dev libcjson-dev libinih-dev libsystemd-dev libmicrohttpd-dev libssl-dev \
        libcurl4-openssl-dev libpng-dev; do
        pkgs+=("$p:arm64")
    done
fi
pkgs+=(libpng-dev) # the board's screenshots (ui/pngfile.c); SDL_image is for the tests only
if [ "$what" = test ]; then
    pkgs+=(clang clang-format openssl curl procps jq
           chromium python3) # it_web.sh: the page in a real browser, driven from the stdlib
    # scripts/package.sh and tests/it_package.sh: lint, then install for real
    pkgs+=(lintian file adduser fonts-inter)
    # tests/it_rabbitmq.sh starts its own two-node cluster; the package's
    # own broker must not run (see below).
    pkgs+=(rabbitmq-server)
    pkgs+=(systemd) # it_systemd.sh: systemd-analyze verify and security of the units
fi
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} = 0 ] && exit 0
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# rabbitmq-server's postinst starts a system-wide broker (AMQP 5672, Erlang
# 4369/25672) that tests would collide with and that nobody here wants:
# refuse service starts while installing (policy-rc.d, as Debian's chroots
# do), and stop and disable it in case an init system started it anyway.
policy=
if [[ " ${missing[*]} " == *" rabbitmq-server "* ]] && [ ! -e /usr/sbin/policy-rc.d ]; then
    policy=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
    $SUDO chmod 755 "$policy"
fi
status=0
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" || status=$?
[ -n "$policy" ] && $SUDO rm -f "$policy"
if [[ " ${missing[*]} " == *" rabbitmq-server "* ]]; then
    if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
        $SUDO systemctl disable --now rabbitmq-server >/dev/null 2>&1 || true
    else
        $SUDO service rabbitmq-server stop >/dev/null 2>&1 || true
    fi
fi
exit $status

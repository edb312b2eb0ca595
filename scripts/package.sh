#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build the Debian package: scripts/package.sh [amd64|arm64] (default: this
# machine's architecture). Configures build/pkg-ARCH with Debian's build flags
# (dpkg-buildflags: hardening, -ffile-prefix-map), builds without the tests,
# runs cpack and leaves build/teamwall_VERSION_ARCH.deb and its -dbgsym .ddeb,
# then runs lintian on the .deb when it is installed (a lintian error or
# warning fails the script). arm64 cross-compiles with Debian's
# gcc-aarch64-linux-gnu and the arm64 -dev packages (scripts/deps.sh arm64).
set -euo pipefail
cd "$(dirname "$0")/.."
src=$PWD
arch=${1:-$(dpkg --print-architecture)}
case $arch in
amd64 | arm64) ;;
*) echo "usage: scripts/package.sh [amd64|arm64]" >&2; exit 2 ;;
esac
build=build/pkg-$arch
args=(-S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTW_WITH_TESTS=OFF -DTW_WITH_BENCH=OFF -DTW_INSTALL_FONTS=OFF
      -DTW_ASSET_DIR=/usr/share/teamwall -DCMAKE_INSTALL_PREFIX=/usr)
export DEB_BUILD_MAINT_OPTIONS=hardening=+all
if [ "$arch" != "$(dpkg --print-architecture)" ]; then
    args+=(-DCMAKE_TOOLCHAIN_FILE="$src/cmake/$arch.cmake")
    export DEB_HOST_ARCH=$arch # dpkg-shlibdeps looks up the arm64 libraries
fi
# -O2 -g, the hardening flags and the source path mapped to "."
eval "$(DEB_HOST_ARCH=$arch dpkg-buildflags --export=sh)"
export CFLAGS="$CFLAGS $CPPFLAGS"
cmake "${args[@]}" -DCPACK_DEBIAN_PACKAGE_ARCHITECTURE="$arch" >/dev/null
cmake --build "$build" -j"$(nproc)"
rm -f "$build"/teamwall*.deb "$build"/teamwall*.ddeb
(cd "$build" && cpack -G DEB >/dev/null)
for f in "$build"/teamwall*.deb "$build"/teamwall*.ddeb; do
    [ -e "$f" ] && cp "$f" build/
done
deb=$(ls build/teamwall_*_"$arch".deb)
echo "built $deb"
if command -v lintian >/dev/null; then
    # --fail-on warning: an error or a warning not overridden (with its
    # reason) in packaging/debian/lintian-overrides fails the build.
    lintian --fail-on error,warning --info --display-info "$deb"
    echo "lintian: no error, no warning"
else
    echo "lintian is not installed: not checked (scripts/deps.sh test installs it)" >&2
fi

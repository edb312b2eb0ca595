#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# arm64 (the Raspberry Pi's architecture) on an amd64 Debian: install the
# cross compiler and the arm64 -dev packages (scripts/deps.sh arm64, through
# multiarch), cross-build everything (cmake --preset arm64, cmake/arm64.cmake),
# run the unit tests under qemu-user (ctest --preset arm64: the test_*
# programs, qemu-aarch64 prefixed by ctest) and build and lint the arm64 .deb
# (scripts/package.sh arm64). scripts/test.sh runs this after the amd64
# suite (TW_SKIP_ARM64=1 skips it). Prints how long each step took.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { echo "cross: $1 took $((SECONDS - t)) s"; t=$SECONDS; }
t=$SECONDS
scripts/deps.sh arm64
step "installing the cross packages"
cmake --preset arm64 >/dev/null
cmake --build --preset arm64 -j"$(nproc)"
file -L build/arm64/teamwall | grep -q "ARM aarch64" || {
    echo "cross: build/arm64/teamwall is not an arm64 program" >&2
    exit 1
}
step "the arm64 build"
ctest --preset arm64
step "the unit tests under qemu-user"
scripts/package.sh arm64
step "the arm64 package"

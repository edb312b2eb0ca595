#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Install what is missing, build with ASan+UBSan and run the whole test suite
# with ctest. The integration tests start their own mosquitto brokers on free
# loopback ports. Then the arm64 cross build, its unit tests under qemu-user
# and the arm64 package (scripts/cross.sh; TW_SKIP_ARM64=1 skips them).
# This is what .ci/run runs.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh test
if command -v clang-format >/dev/null; then
    bad=$(git ls-files '*.c' '*.h' 2>/dev/null | xargs -r clang-format --dry-run 2>&1 | grep -c 'warning:' || true)
    if [ "$bad" != 0 ]; then
        git ls-files '*.c' '*.h' | xargs -r clang-format --dry-run 2>&1 | head -20
        echo "clang-format: $bad lines differ from .clang-format (run clang-format -i)" >&2
        exit 1
    fi
fi
# The build the run command uses must compile too (-O2 finds other warnings).
cmake --preset release >/dev/null
cmake --build --preset release -j"$(nproc)"
cmake --preset test
cmake --build --preset test -j"$(nproc)"
ctest --preset test
if [ "${TW_SKIP_ARM64:-0}" != 1 ]; then
    scripts/cross.sh
fi

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# TARGETS.md R3's CI smoke run: every libFuzzer target in tests/fuzz/ for
# TW_FUZZ_SECONDS (default 30) over its corpus. Longer runs:
# tests/fuzz/run.sh NAME 600.
set -euo pipefail
: "${TW_SOURCE_DIR:?}" "${TW_BUILD_DIR:?}"
if ! command -v clang >/dev/null; then
    echo "clang is not installed (scripts/deps.sh test installs it)" >&2
    exit 1
fi
export TW_FUZZ_BUILD="$TW_BUILD_DIR/fuzz"
secs=${TW_FUZZ_SECONDS:-30}
pass=0 failed=0
for f in "$TW_SOURCE_DIR"/tests/fuzz/fuzz_*.c; do
    name=$(basename "$f" .c)
    name=${name#fuzz_}
    if "$TW_SOURCE_DIR/tests/fuzz/run.sh" "$name" "$secs" >"$TW_FUZZ_BUILD.$name.log" 2>&1; then
        echo "ok: fuzz_$name ran ${secs}s without a finding ($(grep -o 'number_of_executed_units: [0-9]*' "$TW_FUZZ_BUILD.$name.log" | tail -1))"
        pass=$((pass + 1))
    else
        echo "FAIL: fuzz_$name (log: $TW_FUZZ_BUILD.$name.log)" >&2
        tail -30 "$TW_FUZZ_BUILD.$name.log" >&2
        failed=$((failed + 1))
    fi
done
echo "$pass passed, $failed failed"
[ "$failed" = 0 ]

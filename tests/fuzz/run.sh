#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build one libFuzzer target with clang and run it over its seed corpus for a
# given time:
#     tests/fuzz/run.sh codec 30      # CI smoke run
#     tests/fuzz/run.sh codec 600     # ten minutes
# Extra arguments go to libFuzzer (e.g. -jobs=4 -workers=4).
# New inputs go to a scratch corpus under the build directory, never into the
# checked-in seeds; a crash leaves its input in <build>/artifacts/, prints a
# reproduction line and fails the script. TW_FUZZ_BUILD picks the build
# directory (default build-fuzz at the top of the checkout).
set -euo pipefail

usage() {
    echo "usage: $0 NAME SECONDS [libFuzzer args...]" >&2
    exit 2
}
[ $# -ge 2 ] || usage
name=$1
secs=$2
shift 2
[[ $name =~ ^[a-z0-9_]+$ ]] || usage
[[ $secs =~ ^[0-9]+$ ]] || usage

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${TW_FUZZ_BUILD:-$root/build-fuzz}
seeds=$here/corpus/$name
[ -f "$here/fuzz_$name.c" ] || { echo "$0: no target tests/fuzz/fuzz_$name.c" >&2; exit 2; }

cmake -S "$here" -B "$build" -DCMAKE_C_COMPILER="${FUZZ_CC:-clang}" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target "fuzz_$name" -j"$(nproc 2>/dev/null || echo 2)"

work=$build/corpus/$name
artifacts=$build/artifacts
mkdir -p "$work" "$artifacts"
args=(-max_total_time="$secs" -max_len=4096 -timeout=10 -rss_limit_mb=2048
    -print_final_stats=1 -artifact_prefix="$artifacts/$name-")
[ -f "$here/$name.dict" ] && args+=(-dict="$here/$name.dict")
[ -d "$seeds" ] || seeds=

status=0
"$build/fuzz_$name" "${args[@]}" "$@" "$work" ${seeds:+"$seeds"} || status=$?
if [ $status -ne 0 ]; then
    echo "$0: fuzz_$name failed (exit $status); inputs in $artifacts/" >&2
    echo "reproduce: $build/fuzz_$name $artifacts/$name-<file>" >&2
fi
exit $status

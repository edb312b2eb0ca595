#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# One command per bench: build the release preset, then run it and print its
# table (TARGETS.md; results and how to read them in docs/PERFORMANCE.md).
#   bench/run.sh latency   [--count N] [--interval MS] [--runs R]        P1
#   bench/run.sh ingest    [--count N] [--runs R] [--sync normal|full|both]  P2
#   bench/run.sh r8        [--count N]                                   R8
#   bench/run.sh r1        [--count N] [--runs R] [--kill-at F]          R1
#   bench/run.sh r6        [--count N] [--open L] [--drain]              R6
#   bench/run.sh footprint [--items N] [--open N] [--runs R] [--no-browser]  P4, P6
#   bench/run.sh render    [--frames N] [--idle-seconds S] [--no-browser]     P3, P5
#   bench/run.sh search    [--items N] [--runs R]                        P7
#   bench/run.sh scale-open [--levels L,L,...] [--measure M] [--runs R]  P8, P9
#   bench/run.sh standup   [--items N] [--interval MS] [--runs R]        P10
#   bench/run.sh sync      [--items N] [--open N] [--runs R] [--page N] [--pace MS]  S2
#   bench/run.sh scale     [--boards B,B,...] [--rates R,R,...] [--seconds S]  S4
#   bench/run.sh all
# The footprint reference needs Debian's chromium; it is installed here when
# missing (not in scripts/deps.sh: CI never runs the benches as timed tests).
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-}
[ $# -gt 0 ] && shift
case "$what" in
latency | ingest | r8 | r1 | r6 | footprint | render | search | scale-open | standup | sync | scale | all) ;;
*)
    sed -n '3,19p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
scripts/deps.sh run
if [ "$what" = footprint ] || [ "$what" = render ] || [ "$what" = all ]; then
    if ! command -v chromium >/dev/null; then
        SUDO=
        [ "$(id -u)" = 0 ] || SUDO=sudo
        echo "installing chromium for the browser reference"
        export DEBIAN_FRONTEND=noninteractive
        $SUDO apt-get update -q
        $SUDO apt-get install -y -q chromium
    fi
fi
cmake --preset release >/dev/null
cmake --build --preset release -j"$(nproc)" --target teamwall bench_latency bench_ingest \
    bench_footprint bench_render bench_reliability bench_search bench_scaleopen \
    bench_standup bench_sync bench_scale >/dev/null
B=build/release/bench
case "$what" in
latency) exec "$B/bench_latency" "$@" ;;
ingest) exec "$B/bench_ingest" "$@" ;;
r8) exec "$B/bench_ingest" --r8 --count 20000 "$@" ;;
r1) exec "$B/bench_reliability" --r1 "$@" ;;
r6) exec "$B/bench_reliability" --r6 "$@" ;;
footprint) exec "$B/bench_footprint" "$@" ;;
render) exec "$B/bench_render" "$@" ;;
search) exec "$B/bench_search" "$@" ;;
scale-open) exec "$B/bench_scaleopen" "$@" ;;
standup) exec "$B/bench_standup" "$@" ;;
sync) exec "$B/bench_sync" "$@" ;;
scale) exec "$B/bench_scale" "$@" ;;
all)
    "$B/bench_latency"
    echo
    "$B/bench_ingest"
    echo
    "$B/bench_ingest" --r8 --count 20000
    echo
    "$B/bench_reliability" --r1
    echo
    "$B/bench_reliability" --r6
    echo
    "$B/bench_footprint"
    echo
    "$B/bench_render"
    echo
    "$B/bench_search"
    echo
    "$B/bench_scaleopen"
    echo
    "$B/bench_standup"
    ;;
esac

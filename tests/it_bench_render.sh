#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/render still works: a short run (a few frames, 2 s idle, no browser,
# no callgrind) against a real broker and board prints its table, and a
# redraw with no changed text rasterised and composed nothing (correctness
# checks, not speeds: benches never assert a speed here).
. "$(dirname "$0")/lib.sh"

export TW_BENCH_TMP="$T"
export TW_BENCH_TEAMWALL="$TEAMWALL"
export TW_SOURCE_DIR
B="$TW_BUILD_DIR/bench/bench_render"
check "render bench runs" "$B" --frames 20 --idle-seconds 2 --no-browser --no-callgrind \
    >"$T/render.out" 2>"$T/render.err"
check "frame row" grep -q '^| P5 | frame 1920x1080, 200 cards' "$T/render.out"
check "no rasterisation on unchanged redraws" \
    grep -q '^| P5 | glyph rasterisations in 20 unchanged redraws *| 0 ' "$T/render.out"
check "no card composed again on unchanged redraws" \
    grep -q '^| P5 | cards composed in 20 unchanged redraws *| 0 ' "$T/render.out"
check "idle row" grep -q '^| P3 | idle CPU, 60 cards, 2 s' "$T/render.out"
cat "$T/render.out"
finish

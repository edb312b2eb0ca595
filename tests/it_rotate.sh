#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# [display] rotate through the whole program (issue 16): a board configured
# with rotate = 90 (or 270, 180) on a 1280x720 screen shows exactly what an
# unrotated board on a 720x1280 screen shows, turned (tests/pngturn, then
# tests/pngcmp with no tolerance); a bad value stops start-up with the
# file and line.
. "$(dirname "$0")/lib.sh"

NOW=2026-11-25T10:00:00Z
start_broker
start_board --now "$NOW"
check "board online" wait_online
pub post '{"kind":"blocker","id":"r-b1","ts":"2026-11-24T09:00:00Z","author":"Ana","text":"Waiting on prod DB access"}'
pub post '{"kind":"question","id":"r-q1","ts":"2026-11-25T08:00:00Z","author":"Dev","text":"Who knows the VPN setup?"}'
pub post '{"kind":"win","id":"r-w1","ts":"2026-11-25T09:00:00Z","author":"Gao","text":"The flaky test is fixed"}'
check "fixture stored" wait_for 10 items_are 3
kill -TERM "$BOARD_PID"; wait "$BOARD_PID" 2>/dev/null || true

shot() { # shot NAME SIZE ROTATE
    printf '[display]\nrotate = %s\n' "$3" >"$T/$1.conf"
    "$TEAMWALL" --config "$T/$1.conf" --broker "$BROKER" --team "$TEAM" --board "$BOARD_ID" \
        --db "$T/board.db" --headless --size "$2" --now "$NOW" --exit-after 2 \
        --screenshot "$T/$1.png" >>"$T/board.log" 2>&1
}
shot portrait 720x1280 0
shot landscape 1280x720 0
for deg in 90 270 180; do
    case $deg in 180) size=1280x720 plain=landscape ;; *) size=1280x720 plain=portrait ;; esac
    shot "turned$deg" "$size" "$deg"
    "$TW_BUILD_DIR/tests/pngturn" "$T/$plain.png" "$T/want$deg.png" "$deg"
    check "rotate = $deg shows the unrotated board, turned" \
        "$TW_BUILD_DIR/tests/pngcmp" "$T/turned$deg.png" "$T/want$deg.png" 0 0
done
# The screen a board shows when its database is one this build cannot use
# (a newer schema) is turned as well.
sqlite3 "$T/newer.db" 'PRAGMA user_version = 999'
fatal_shot() { # fatal_shot NAME SIZE ROTATE
    printf '[display]\nrotate = %s\n' "$3" >"$T/$1.conf"
    "$TEAMWALL" --config "$T/$1.conf" --broker "$BROKER" --team "$TEAM" --board "$BOARD_ID" \
        --db "$T/newer.db" --headless --size "$2" --now "$NOW" --exit-after 2 \
        --screenshot "$T/$1.png" >>"$T/board.log" 2>&1 || true
}
fatal_shot fatal-portrait 720x1280 0
fatal_shot fatal-turned 1280x720 90
check "the unusable-database screen was drawn" test -s "$T/fatal-turned.png"
"$TW_BUILD_DIR/tests/pngturn" "$T/fatal-portrait.png" "$T/fatal-want.png" 90
check "rotate = 90 turns the unusable-database screen too" \
    "$TW_BUILD_DIR/tests/pngcmp" "$T/fatal-turned.png" "$T/fatal-want.png" 0 0
printf '[display]\nrotate = 45\n' >"$T/bad.conf"
check "rotate = 45 is refused with the file and line" sh -c "! '$TEAMWALL' --config '$T/bad.conf' \
    --headless --db '$T/bad.db' --exit-after 1 2>'$T/bad.err' && grep -q 'bad.conf:2' '$T/bad.err'"
finish

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Render test of the whole program: a fixture database made through the real
# board (posts with fixed timestamps), then a fixed clock (--now) and a
# headless screenshot compared with the reviewed reference in tests/ref/.
# TW_UPDATE_REF=1 rewrites the reference (a reviewed change: look at both).
. "$(dirname "$0")/lib.sh"

NOW=2026-11-25T10:00:00Z
REFPNG="$TW_SOURCE_DIR/tests/ref/board_1280x720.png"
start_broker
start_board --now "$NOW"
check "board online" wait_online
while IFS='|' read -r kind id ts author text; do
    [ -z "$kind" ] && continue
    pub post "{\"kind\":\"$kind\",\"id\":\"$id\",\"ts\":\"$ts\",\"author\":\"$author\",\"text\":\"$text\"}"
done <<'FIXTURE'
blocker|fx-b1|2026-11-21T09:00:00Z|Ana|Waiting on prod DB access for the billing migration
blocker|fx-b2|2026-11-24T15:30:00Z|Ben|CI is red on main since the dependency bump
blocker|fx-b3|2026-11-25T09:40:00Z|Chloé|Staging certificate expired, the demo at 11:00 needs it and nobody seems to know where the renewal script lives or who owns it now
question|fx-q1|2026-11-25T08:00:00Z|Dev|Who knows the VPN setup for contractors?
question|fx-q2|2026-11-25T09:55:00Z|Eve|Is the design review moved to Thursday?
win|fx-w1|2026-11-24T17:00:00Z|Farid|First deploy of the new pipeline 🎉
win|fx-w2|2026-11-25T09:00:00Z|Gao|Café déjà vu: the flaky test is finally fixed
FIXTURE
check "fixture stored" wait_for 10 items_are 7
pub claim '{"ref":"fx-b2","by":"Ana"}'
check "claim stored" wait_for 10 sql_is "SELECT claimed_by FROM items WHERE id='fx-b2'" Ana
kill -TERM "$BOARD_PID"; wait "$BOARD_PID" 2>/dev/null || true

# The render itself: fixed clock, fixed size, live connection.
"$TEAMWALL" --broker "$BROKER" --team "$TEAM" --board "$BOARD_ID" --db "$T/board.db" --headless \
    --size 1280x720 --now "$NOW" --exit-after 2 --screenshot "$T/board.png" >>"$T/board.log" 2>&1
check "screenshot written" test -s "$T/board.png"
if [ "${TW_UPDATE_REF:-0}" = 1 ]; then
    cp "$T/board.png" "$REFPNG"
    echo "reference updated: $REFPNG"
fi
check "matches the reviewed reference" "$TW_BUILD_DIR/tests/pngcmp" "$T/board.png" "$REFPNG"
finish

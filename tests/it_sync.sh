#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# TARGETS.md S2 (docs/SYNC.md): a board started with an empty store asks its
# peer over the broker and gets the team's history in pages, open items
# first (the wall shows them while the rest arrives); killed with SIGKILL in
# the middle of it, it resumes where it was after the restart; in the end
# its store holds the same items, refs, states, notes and change logs as the
# peer's, with the items' history rows.
. "$(dirname "$0")/lib.sh"

DRIVE="$TW_BUILD_DIR/tests/converge_drive"
start_broker
# Small, slow pages so the test sees the catch-up half-way.
printf '[sync]\npace_ms = 300\npage_items = 25\n' >"$T/slow.conf"

declare -A WALL_PID
start_wall() { # start_wall NAME
    "$TEAMWALL" --config "$T/slow.conf" --broker "$BROKER" --team "$TEAM" --board "$1" \
        --db "$T/$1.db" --headless --size 800x480 >>"$T/$1.log" 2>&1 &
    WALL_PID[$1]=$!
    PIDS+=("$!")
}
wall_online() {
    mosquitto_sub -p "$BROKER_PORT" -t "$ROOT/board/$1/status" -C 1 -W 1 2>/dev/null |
        grep -q '"online"'
}
wsql() { sqlite3 -batch -noheader "$T/$1.db" "$2" 2>/dev/null; }
wall_has() { # wall_has NAME ITEMS OPS
    [ "$(wsql "$1" "SELECT count(*) FROM items")" = "$2" ] &&
        [ "$(wsql "$1" "SELECT count(*) FROM ops")" = "$3" ]
}
dump() {
    wsql "$1" "SELECT id, ref, kind, text, author, source, state, created, claimed, claimed_by,
                      resolved, resolved_by, note, updated FROM items ORDER BY id;
               SELECT id, item_id, action, ts, actor, note FROM ops ORDER BY id;"
}
open_items() { wsql "$1" "SELECT count(*) FROM items WHERE state <> 'resolved'"; }

start_wall wall1
check "wall1 online" wait_for 20 wall_online wall1
read -r _ ITEMS _ OPS _ < <("$DRIVE" --count 600 --seed 7 --expect "$T/expected")
check "the team's history is published" "$DRIVE" --port "$BROKER_PORT" --count 600 --seed 7
check "wall1 has it" wait_for 60 wall_has wall1 "$ITEMS" "$OPS"
OPEN=$(open_items wall1)
echo "wall1: $ITEMS items ($OPEN open), $OPS changes"

start_wall wall2
check "wall2 online" wait_for 20 wall_online wall2
check "wall2 asks wall1" wait_for 20 grep -q "catching up from wall1" "$T/wall2.log"
# Open items come first: the wall has them while the history is still coming.
check "wall2 shows every open item before the catch-up ends" wait_for 30 bash -c \
    "[ \"\$(sqlite3 '$T/wall2.db' \"SELECT count(*) FROM items WHERE state <> 'resolved'\" 2>/dev/null)\" = $OPEN ] &&
     [ \"\$(sqlite3 '$T/wall2.db' 'SELECT count(*) FROM sync_state' 2>/dev/null)\" = 1 ]"
check "and says so in its retained state" bash -c \
    "mosquitto_sub -p $BROKER_PORT -t '$ROOT/board/wall2/state' -C 1 -W 3 | grep -q '\"items\":\\[{'"
kill -9 "${WALL_PID[wall2]}"
wait "${WALL_PID[wall2]}" 2>/dev/null || true
HALF=$(wsql wall2 "SELECT count(*) FROM items")
echo "wall2 killed with $HALF of $ITEMS items"
check "killed half-way" test "$HALF" -lt "$ITEMS"
start_wall wall2
check "wall2 resumes where it was" wait_for 20 grep -q "resuming the catch-up from wall1 at wall1:" "$T/wall2.log"
check "wall2 catches up" wait_for 120 grep -q "caught up from wall1" "$T/wall2.log"
check "wall2 has every item and change" wall_has wall2 "$ITEMS" "$OPS"
dump wall1 >"$T/wall1.dump"
dump wall2 >"$T/wall2.dump"
check "wall2's store equals wall1's, item by item and change by change" \
    cmp "$T/wall1.dump" "$T/wall2.dump"
check "every item came with its history" test \
    "$(wsql wall2 "SELECT count(*) FROM items WHERE id NOT IN (SELECT item_id FROM history WHERE action = 'post')")" = 0
check "no catch-up left in progress" test "$(wsql wall2 "SELECT count(*) FROM sync_state")" = 0
check "wall1 answered, still running" kill -0 "${WALL_PID[wall1]}"
# A later command reaches both: they go on together.
pub post '{"kind":"win","text":"After the catch-up","id":"after-sync"}'
check "both have the next post" wait_for 10 bash -c \
    "[ \"\$(sqlite3 '$T/wall1.db' \"SELECT count(*) FROM items WHERE id='after-sync'\")\" = 1 ] &&
     [ \"\$(sqlite3 '$T/wall2.db' \"SELECT count(*) FROM items WHERE id='after-sync'\")\" = 1 ]"
finish

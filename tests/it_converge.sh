#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# TARGETS.md S1: three real boards of one team on one real broker take the
# same mixed commands from several publishers, each its own connection, on
# separate topics (posts without ids, resolves and reopens crossing,
# messages sent twice), one board killed with SIGKILL in the middle of the
# burst and restarted; in the end the three stores hold the same items, refs,
# states, notes and change logs, and each item is in the state the
# ordering rule gives (computed by the producer, tests/converge_drive.c).
# TW_CONVERGE_COUNT=10000 runs the full size (CI runs 1,000).
. "$(dirname "$0")/lib.sh"

COUNT=${TW_CONVERGE_COUNT:-1000}
DRIVE="$TW_BUILD_DIR/tests/converge_drive"
start_broker

declare -A WALL_PID
start_wall() { # start_wall NAME
    "$TEAMWALL" --broker "$BROKER" --team "$TEAM" --board "$1" --db "$T/$1.db" \
        --headless --size 800x480 >>"$T/$1.log" 2>&1 &
    WALL_PID[$1]=$!
    PIDS+=("$!")
}
wall_online() {
    mosquitto_sub -p "$BROKER_PORT" -t "$ROOT/board/$1/status" -C 1 -W 1 2>/dev/null |
        grep -q '"online"'
}
wsql() { sqlite3 -batch -noheader "$T/$1.db" "$2"; }
wall_has() { # wall_has NAME ITEMS OPS
    [ "$(wsql "$1" "SELECT count(*) FROM items")" = "$2" ] &&
        [ "$(wsql "$1" "SELECT count(*) FROM ops WHERE item_id <> ''")" = "$3" ] &&
        [ "$(wsql "$1" "SELECT count(*) FROM ops WHERE item_id = ''")" = 0 ]
}
dump() {
    wsql "$1" "SELECT id, ref, kind, text, author, source, state, created, claimed, claimed_by,
                      resolved, resolved_by, note, updated FROM items ORDER BY id;
               SELECT id, item_id, action, ts, actor, note FROM ops ORDER BY id;"
}

for w in wall1 wall2 wall3; do start_wall $w; done
for w in wall1 wall2 wall3; do check "$w online" wait_for 20 wall_online $w; done

read -r _ ITEMS _ OPS _ MESSAGES < <("$DRIVE" --count "$COUNT" --expect "$T/expected")
echo "commands: $MESSAGES messages, $ITEMS items, $OPS distinct changes"
check "the set has every kind of command" test "$ITEMS" -gt $((COUNT / 4)) -a "$OPS" -gt $((COUNT / 3))

started=$SECONDS
"$DRIVE" --port "$BROKER_PORT" --count "$COUNT" --part 1/2 >"$T/drive1.log" 2>&1 &
DRIVE_PID=$!
# Kill wall3 while the first half is still arriving.
check "wall3 takes part of the burst" wait_for 60 bash -c \
    "[ \"\$(sqlite3 '$T/wall3.db' 'SELECT count(*) FROM items' 2>/dev/null)\" -gt $((ITEMS / 8)) ]"
kill -9 "${WALL_PID[wall3]}"
wait "${WALL_PID[wall3]}" 2>/dev/null || true
echo "wall3 killed with $(wsql wall3 'SELECT count(*) FROM items') items"
check "first half acknowledged by the broker" wait "$DRIVE_PID"
start_wall wall3
"$DRIVE" --port "$BROKER_PORT" --count "$COUNT" --part 2/2 >"$T/drive2.log" 2>&1 &
DRIVE_PID=$!
check "wall3 back online" wait_for 20 wall_online wall3
check "second half acknowledged by the broker" wait "$DRIVE_PID"
cat "$T/drive1.log" "$T/drive2.log"

for w in wall1 wall2 wall3; do
    check "$w has all $ITEMS items and $OPS changes" wait_for 180 wall_has $w "$ITEMS" "$OPS"
done
echo "converged $((SECONDS - started)) s after the first command"
dump wall1 >"$T/wall1.dump"
for w in wall2 wall3; do
    dump $w >"$T/$w.dump"
    check "$w's store equals wall1's, item by item and change by change" \
        cmp "$T/wall1.dump" "$T/$w.dump"
done
wsql wall1 "SELECT id || '|' || state || '|' || claimed_by || '|' || resolved_by || '|' || note
            FROM items" | LC_ALL=C sort >"$T/wall1.states"
LC_ALL=C sort -o "$T/expected" "$T/expected"
check "every item is in the state the ordering rule gives" cmp "$T/expected" "$T/wall1.states"
check "some items ended in each state" bash -c \
    "grep -q '|open|' '$T/wall1.states' && grep -q '|claimed|' '$T/wall1.states' &&
     grep -q '|resolved|' '$T/wall1.states'"
check "changes arrived before their posts and were kept" \
    grep -q "change(s) that came before it applied" "$T/wall1.log" "$T/wall2.log" "$T/wall3.log"
check "changes arrived out of order and were folded again" \
    grep -q "folding the item again" "$T/wall1.log" "$T/wall2.log" "$T/wall3.log"
for w in wall1 wall2 wall3; do
    check "$w still running" kill -0 "${WALL_PID[$w]}"
done
finish

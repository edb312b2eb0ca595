#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# TARGETS.md R5: a corrupt database at start is moved aside and a fresh one
# started, with a warning; storage that fails while running (here: a file size
# limit, RLIMIT_FSIZE, makes SQLite's writes fail like a full disk) is shown
# on the wall, nothing is acknowledged, nothing crashes, and once the storage
# works again the broker's redelivery brings every post in, once.
. "$(dirname "$0")/lib.sh"

start_broker

# 1. Corrupt file at start.
head -c 8192 /dev/urandom >"$T/board.db"
start_board
check "board online with a corrupt file" wait_online
check "corrupt file moved aside" bash -c "ls '$T'/board.db.corrupt-* >/dev/null 2>&1"
check "warning logged" grep -q "moved to $T/board.db.corrupt-" "$T/board.log"
state_has() { retained_state | grep -qF "$1"; }
check "the retained state's warnings say so" wait_for 10 state_has '{"kind":"storage","reason":"Database was unreadable: moved to'

pub post '{"kind":"win","text":"Fresh database works","id":"st-0"}'
check "fresh database stores" wait_for 10 items_are 1
kill "$BOARD_PID"; wait "$BOARD_PID" 2>/dev/null || true

# 2. Storage failing while running: the board may not grow files past ~1 MB.
: >"$T/board.log"
( ulimit -S -f 1024; exec "$TEAMWALL" --broker "$BROKER" --team "$TEAM" --board "$BOARD_ID" \
    --db "$T/board.db" --headless --size 800x480 >>"$T/board.log" 2>&1 ) &
BOARD_PID=$!
PIDS+=("$BOARD_PID")
check "board online under a file size limit" wait_online
long=$(head -c 250 /dev/zero | tr '\0' x)
for i in $(seq 1 3000); do echo "{\"kind\":\"blocker\",\"text\":\"$i $long\",\"id\":\"st-$i\"}"; done >"$T/posts"
mosquitto_pub -p "$BROKER_PORT" -q 1 -t "$ROOT/post" -l <"$T/posts"
check "storage trouble reported" wait_for 30 grep -q "storage trouble" "$T/board.log"
# (While it lasts the board drops its connection before writing anything, so
# that nothing unstored is acknowledged: the retained state cannot say so then.)

check "board still running" kill -0 "$BOARD_PID"
stored=$(count_items)
echo "stored before the storage was fixed: $stored of 3001"
check "not everything fitted (the limit bit)" test "$stored" -lt 3001
prlimit --pid "$BOARD_PID" --fsize=unlimited
t_fix=$SECONDS
check "every post arrives once storage works again" wait_for 60 items_are 3001
echo "all posts in $((SECONDS - t_fix)) s after the fix"
check "storage recovery logged" wait_for 10 grep -q "storage works again" "$T/board.log"
check "... and gone from the retained state" wait_for 10 bash -c "! mosquitto_sub -p $BROKER_PORT -t '$ROOT/board/$BOARD_ID/state' -C 1 -W 2 | grep -qF 'Storage trouble'"
check "no post stored twice" test "$(sql "SELECT count(*) FROM history WHERE action='post'")" = 3001
check "board still running" kill -0 "$BOARD_PID"
finish

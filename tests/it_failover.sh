#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# TARGETS.md S3 with two mosquittos joined by mosquitto's bridge (the shipped
# packaging/mosquitto/bridge.conf): producers publish on broker A, the board
# takes `[mqtt] broker = B, A` and sits on B. In the middle of a burst B is
# killed with SIGKILL: the board moves to A within 2 x keepalive, and every
# command A acknowledged to its producers reaches the board (A kept a session
# for it, left there at start), each item in the state the ordering rule gives.
. "$(dirname "$0")/lib.sh"

COUNT=${TW_FAILOVER_COUNT:-2000}
DRIVE="$TW_BUILD_DIR/tests/converge_drive"
KEEPALIVE=5

start_mosq() { # start_mosq NAME PORT [extra config file]
    mkdir -p "$T/$1"
    {
        cat "$TW_SOURCE_DIR/packaging/mosquitto/teamwall.conf"
        echo "listener $2 127.0.0.1"
        echo "allow_anonymous true"
        echo "persistence true"
        echo "persistence_location $T/$1/"
        echo "user $(id -un)"
        [ -n "${3:-}" ] && cat "$3"
    } >"$T/$1/mosquitto.conf"
    mosquitto -c "$T/$1/mosquitto.conf" >>"$T/$1/log" 2>&1 &
    echo $! >"$T/$1/pid"
    PIDS+=("$!")
    wait_for 10 mosquitto_pub -p "$2" -t teamwall/ping -m x
}

A_PORT=$(free_port)
B_PORT=$(free_port)
while [ "$B_PORT" = "$A_PORT" ]; do B_PORT=$(free_port); done
sed "s/^address .*/address 127.0.0.1:$A_PORT/" "$TW_SOURCE_DIR/packaging/mosquitto/bridge.conf" \
    >"$T/bridge.conf"
check "broker A (producers') up" start_mosq a "$A_PORT"
check "broker B (the board's, bridged to A) up" start_mosq b "$B_PORT" "$T/bridge.conf"
bridged() {
    local tag=$RANDOM$RANDOM
    mosquitto_sub -p "$B_PORT" -t "teamwall/probe/$tag" -C 1 -W 2 >"$T/probe" &
    local sub=$!
    sleep 0.2
    mosquitto_pub -p "$A_PORT" -q 1 -t "teamwall/probe/$tag" -m ok
    wait $sub && grep -q ok "$T/probe"
}
check "the bridge carries A's messages to B" wait_for 20 bridged

printf '[mqtt]\nkeepalive = %d\n' "$KEEPALIVE" >"$T/board.conf"
"$TEAMWALL" --config "$T/board.conf" \
    --broker "mqtt://127.0.0.1:$B_PORT, mqtt://127.0.0.1:$A_PORT" --team "$TEAM" \
    --board "$BOARD_ID" --db "$T/board.db" --headless --size 800x480 >>"$T/board.log" 2>&1 &
BOARD_PID=$!
PIDS+=("$BOARD_PID")
check "the board left a session on A first" wait_for 20 grep -q \
    "connected to 127.0.0.1:$A_PORT (leaving a session there" "$T/board.log"
check "then sits on B" wait_for 20 grep -q "connected to 127.0.0.1:$B_PORT$" "$T/board.log"
BROKER_PORT=$B_PORT
check "board online" wait_online

read -r _ ITEMS _ OPS _ < <("$DRIVE" --count "$COUNT" --seed 3 --expect "$T/expected")
"$DRIVE" --port "$A_PORT" --count "$COUNT" --seed 3 >"$T/drive.log" 2>&1 &
DRIVE_PID=$!
check "B forwards part of the burst to the board" wait_for 60 bash -c \
    "[ \"\$(sqlite3 '$T/board.db' 'SELECT count(*) FROM items' 2>/dev/null)\" -gt $((ITEMS / 5)) ]"
kill -9 "$(cat "$T/b/pid")"
KILLED=$(date +%s%N)
echo "B killed with $(sqlite3 "$T/board.db" 'SELECT count(*) FROM items') of $ITEMS items on the board"
check "every command of the burst acknowledged by A" wait "$DRIVE_PID"
cat "$T/drive.log"
moved() { [ "$(grep -c "connected to 127.0.0.1:$A_PORT$" "$T/board.log")" -ge 1 ]; }
check "the board moved to A" wait_for $((2 * KEEPALIVE)) moved
MOVED=$(date +%s%N)
echo "moved to A within $(((MOVED - KILLED) / 1000000)) ms of the kill (limit $((2 * KEEPALIVE)) s)"
board_has() {
    [ "$(sqlite3 "$T/board.db" "SELECT count(*) FROM items")" = "$ITEMS" ] &&
        [ "$(sqlite3 "$T/board.db" "SELECT count(*) FROM ops WHERE item_id <> ''")" = "$OPS" ]
}
check "nothing A acknowledged is lost: $ITEMS items, $OPS changes" wait_for 120 board_has
sqlite3 -batch -noheader "$T/board.db" \
    "SELECT id || '|' || state || '|' || claimed_by || '|' || resolved_by || '|' || note FROM items" |
    LC_ALL=C sort >"$T/states"
LC_ALL=C sort -o "$T/expected" "$T/expected"
check "each item in the state the ordering rule gives" cmp "$T/expected" "$T/states"
check "the board says online through A" bash -c \
    "mosquitto_sub -p $A_PORT -t '$ROOT/board/$BOARD_ID/status' -C 1 -W 3 | grep -q online"
check "board still running" kill -0 "$BOARD_PID"
finish

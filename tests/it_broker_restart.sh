#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# TARGETS.md R2: the broker goes away and comes back. The wall goes offline
# (and says so) within 1.5 x keepalive, reconnects within 2 s of the broker's
# return, and the posts queued for its persistent session meanwhile all arrive.
. "$(dirname "$0")/lib.sh"

start_broker
PORT=$BROKER_PORT
printf '[mqtt]\nkeepalive = 6\n' >"$T/board.conf"
start_board --config "$T/board.conf" --screenshot "$T/offline.png"
check "board online" wait_online
pub post '{"kind":"blocker","text":"Before the outage","id":"r2-0"}'
check "first post stored" wait_for 10 items_are 1

stop_broker
t_stop=$SECONDS
check "wall goes offline within 1.5 x keepalive" wait_for 9 grep -q "disconnected from 127.0.0.1:$PORT" "$T/board.log"
kill -USR1 "$BOARD_PID"
sleep 3 # the outage itself
start_broker "$PORT"
t_back=$(date +%s.%N)
# Posts sent while the board has not reconnected yet are queued for its session.
for i in $(seq 1 200); do echo "{\"kind\":\"question\",\"text\":\"queued $i\",\"id\":\"r2-$i\"}"; done |
    mosquitto_pub -p "$PORT" -q 1 -t "$ROOT/post" -l
check "reconnects" wait_for 10 bash -c "[ \$(grep -c 'connected to 127.0.0.1:$PORT' '$T/board.log') -ge 2 ]"
t_conn=$(date +%s.%N)
secs=$(echo "$t_conn - $t_back" | bc)
echo "reconnected ${secs}s after the broker came back"
check "reconnected within 2 s of the broker's return" test "$(echo "$secs <= 2.5" | bc)" = 1
check "all queued posts arrive" wait_for 20 items_are 201
check "offline screenshot taken during the outage" test -s "$T/offline.png"
finish

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# TARGETS.md R9: kill -9 of the broker (the shipped config, with persistence as
# Debian's mosquitto.conf sets it) during a 10,000-post QoS 1 burst at about
# 2,000 posts/s, then a restart on the same port and the same persistence
# directory. Every post the broker acknowledged to its publisher (burst_pub
# writes each acknowledged id the moment on_publish reports it) must reach the
# board: the board's session and subscription have to be on disk before the
# crash, or what is published between the restart and the board's return is
# dropped for want of a subscriber.
. "$(dirname "$0")/lib.sh"
BURST="$TW_BUILD_DIR/tests/burst_pub"
COUNT=${R9_COUNT:-10000}

start_broker
PORT=$BROKER_PORT
start_board
check "board online" wait_online
# The shipped config saves the broker's database every second or two (before
# the fix, only at a clean shutdown): wait for a save that has the session.
check "broker saved its database" wait_for 10 test -s "$T/broker/mosquitto.db"
"$BURST" "$PORT" "$ROOT/post" "$COUNT" 2000 r9 "$T/acks" 120 >"$T/burst.log" 2>&1 &
BURST_PID=$!
PIDS+=("$BURST_PID")
acked() { [ "$(wc -l <"$T/acks" 2>/dev/null || echo 0)" -ge "$1" ]; }
check "a third of the burst acknowledged" wait_for 30 acked $((COUNT / 3))
kill -9 "$BROKER_PID"
# The board comes back later than the publisher (a longer reconnect backoff,
# a busy Pi): paused here, it resumes after 1,000 more posts were acknowledged
# by the new broker, which must queue them for the board's stored session.
kill -STOP "$BOARD_PID"
wait "$BROKER_PID" 2>/dev/null || true
AT_KILL=$(wc -l <"$T/acks")
echo "broker killed with $AT_KILL posts acknowledged"
cp "$T/broker/log" "$T/broker/log.first"
start_broker "$PORT"
wait_for 30 acked $((AT_KILL + 1000)) || true
kill -CONT "$BOARD_PID"
check "publisher finished, every post acknowledged" wait "$BURST_PID"
cat "$T/burst.log"
check "board back online" wait_online 30

# lost: acknowledged ids that are not in the board's store.
lost() {
    sqlite3 -batch -noheader "$T/acks.db" "DROP TABLE IF EXISTS a; CREATE TABLE a(id TEXT);" \
        ".import $T/acks a" "ATTACH '$T/board.db' AS b;" \
        "SELECT count(*) FROM a WHERE id NOT IN (SELECT id FROM b.items);"
}
no_loss() { [ "$(lost)" = 0 ]; }
check "0 acknowledged posts lost" wait_for 60 no_loss
echo "R9: $(wc -l <"$T/acks") acknowledged, $(lost) lost, $(count_items) stored, $AT_KILL acknowledged at the kill"
check "each post stored once" test "$(sql "SELECT count(*) FROM history WHERE action='post'")" = "$(count_items)"
finish

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Commit before the acknowledgement: a board that dies inside the message
# callback, before the commit, gets the message again from the broker after a
# restart and stores it exactly once. Also: messages that were committed and
# acknowledged before a kill -9 are not delivered twice.
. "$(dirname "$0")/lib.sh"

start_broker
start_board
check "board online" wait_online
pub post '{"kind":"win","text":"Before the crash","id":"crash-0"}'
check "first post stored" wait_for 10 items_are 1
kill -TERM "$BOARD_PID"
wait "$BOARD_PID" 2>/dev/null || true

# Second life: dies inside the callback of its first message.
TW_TEST_CRASH_AFTER=1 start_board
check "crash-armed board online" wait_online
pub post '{"kind":"blocker","text":"Arrives while the board dies","id":"crash-1"}'
for _ in $(seq 200); do kill -0 "$BOARD_PID" 2>/dev/null || break; sleep 0.05; done
check "board died inside the callback" bash -c "! kill -0 $BOARD_PID 2>/dev/null"
check "the log says where it died" grep -q "TW_TEST_CRASH_AFTER reached in the message callback" "$T/board.log"
check "nothing stored before the commit" test "$(sql "SELECT count(*) FROM items WHERE id='crash-1'")" = 0

# Third life: the broker redelivers the unacknowledged message.
start_board
check "board back online" wait_online
check "redelivered message stored" wait_for 15 sql_is "SELECT count(*) FROM items WHERE id='crash-1'" 1
pub post '{"kind":"question","text":"After the crash","id":"crash-2"}'
check "later post stored" wait_for 10 items_are 3
# Restart once more: nothing is redelivered twice, nothing duplicated.
kill -9 "$BOARD_PID"; wait "$BOARD_PID" 2>/dev/null || true
start_board
check "fourth life online" wait_online
pub post '{"kind":"question","text":"Marker","id":"crash-3"}'
check "marker stored" wait_for 10 items_are 4
check "each item once" test "$(sql "SELECT count(*) FROM history WHERE action='post'")" = 4
finish

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The systemd watchdog, proven (issue 16): the board runs under a minimal
# sd_notify listener (tests/sd_listen.c, a datagram socket given as
# NOTIFY_SOCKET with WATCHDOG_USEC as systemd sets them). It must say
# READY=1 only after its first frame, ping WATCHDOG=1 regularly (at half the
# interval), send STATUS= lines that say what it is doing, and stop pinging
# when its loop is stuck (TW_TEST_FREEZE_FILE freezes it), so that systemd
# would kill and restart it.
source "$(dirname "$0")/lib.sh"

LISTEN="$TW_BUILD_DIR/tests/sd_listen"
start_broker
"$LISTEN" "$T/notify.sock" "$T/notify.log" "$T/board.log" "first frame presented" &
PIDS+=("$!")
wait_for 5 test -S "$T/notify.sock" || fail "the listener's socket"
: >"$T/board.log"
NOTIFY_SOCKET="$T/notify.sock" WATCHDOG_USEC=1000000 TW_TEST_FREEZE_FILE="$T/freeze" TW_TEST_UPKEEP_MS=200 \
    start_board
check "READY=1" wait_for 20 grep -q "READY=1" "$T/notify.log"
check "READY=1 only after the first frame" grep -q "READY=1 \[after first frame presented\]" "$T/notify.log"
check "a STATUS= line before READY says the frame is up" \
    sh -c "grep -B1 'READY=1' '$T/notify.log' | grep -q 'STATUS=first frame up, 0 open items'"
check "STATUS= says when the broker is connected" \
    wait_for 10 grep -q "STATUS=live: connected to the broker, 0 open items" "$T/notify.log"

pings() { grep -c "WATCHDOG=1" "$T/notify.log" || true; }
# Regular pings: WatchdogSec 1 s -> one every 0.5 s. (1 s, not less: under
# ASan on a loaded 2-core CI machine the loop has been seen to stall 0.8 s.)
start=$(pings)
wait_for 15 sh -c "[ \$(grep -c WATCHDOG=1 '$T/notify.log') -ge $((start + 10)) ]"
check "WATCHDOG=1 keeps coming" test "$(pings)" -ge $((start + 10))
gaps=$(grep "WATCHDOG=1" "$T/notify.log" | awk 'NR > 1 { g = $1 - p; if (g > m) m = g } { p = $1 } END { print m + 0 }')
check "no gap between pings longer than the interval (max $gaps ms < 1000)" test "$gaps" -lt 1000

# The broker going away shows in the status; the loop (and the pings) go on.
stop_broker
check "STATUS= says when the broker is gone" wait_for 10 grep -q "STATUS=offline (" "$T/notify.log"
offline=$(pings)
check "the pings go on while offline" wait_for 5 sh -c "[ \$(grep -c WATCHDOG=1 '$T/notify.log') -gt $offline ]"

# Freeze the loop: the pings must stop. The freeze takes hold within the
# upkeep pass's period (0.2 s here): wait until 1.2 s pass without a ping,
# then watch for 2.5 s (a stretch of time is what absence is measured over).
touch "$T/freeze"
quiet() {
    local n; n=$(pings); sleep 1.2; [ "$(pings)" = "$n" ]
}
check "the pings stop once the loop is stuck" wait_for 5 quiet
frozen=$(pings)
sleep 2.5
check "no WATCHDOG=1 while the loop is stuck ($frozen, then $(pings))" test "$(pings)" = "$frozen"
check "the board process is alive (stuck, not dead)" kill -0 "$BOARD_PID"
rm -f "$T/freeze"
check "the pings resume when it is unstuck" wait_for 5 sh -c "[ \$(grep -c WATCHDOG=1 '$T/notify.log') -gt $frozen ]"
finish

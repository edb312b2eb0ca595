#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# TARGETS.md R10: teamwall-bridge under 300 slow clients (a header line or a
# body byte every 5 s, from ten loopback addresses) and 1,000 concurrent
# requests (from ten others): /healthz, asked from 127.0.0.1 every 100 ms,
# answers >= 95 % within 1 s; every slow client is cut with 408 within the
# 10-second request deadline; nothing reaches the broker. The load is
# tests/slowload.py (Python's standard library, loopback only).
. "$(dirname "$0")/lib.sh"
BRIDGE="$TW_BUILD_DIR/teamwall-bridge"
[ -x "$BRIDGE" ] || { echo "teamwall-bridge is not built here: nothing to test"; exit 0; }
ulimit -n 8192 2>/dev/null || true

start_broker
mosquitto_sub -p "$BROKER_PORT" -v -t "$ROOT/#" >"$T/all" 2>&1 &
PIDS+=($!)
HTTP_PORT=$(free_port)
cat >"$T/bridge.conf" <<CONF
[board]
team = $TEAM
[mqtt]
broker = $BROKER
[bridge]
listen = 127.0.0.1:$HTTP_PORT
board = $BOARD_ID
[api]
token = slow-token
CONF
"$BRIDGE" --config "$T/bridge.conf" >>"$T/bridge.log" 2>&1 &
BRIDGE_PID=$!
PIDS+=("$BRIDGE_PID")
check "bridge up" wait_for 15 curl -sf -o /dev/null "http://127.0.0.1:$HTTP_PORT/healthz"

rc=0
python3 "$TW_SOURCE_DIR/tests/slowload.py" "$HTTP_PORT" --token slow-token >"$T/load.out" 2>&1 || rc=$?
cat "$T/load.out"
check "healthz >= 95 % within 1 s, every slow client cut with 408 in time" test "$rc" = 0
check "the slow clients got 408" python3 -c "import json,sys; d=json.loads(open('$T/load.out').read().splitlines()[-1]); sys.exit(0 if d['slow_408'] >= d['slow_admitted'] * 0.9 and d['slow_admitted'] > 0 else 1)"
check "the bridge is still running" kill -0 "$BRIDGE_PID"
check "it still answers" curl -sf -o /dev/null "http://127.0.0.1:$HTTP_PORT/healthz"
check "the cut is logged" grep -q "no whole request within" "$T/bridge.log"
check "nothing published" bash -c "! grep -q '^$ROOT/post' '$T/all'"
finish

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# What many web viewers cost teamwall-bridge (docs/WEB.md, docs/PERFORMANCE.md):
# a private mosquitto with the shipped config, the release bridge, then
# tests/web_browser.py viewers: N event streams at once, K state changes of
# S items each published retained on the broker, and the bridge's memory,
# threads and CPU (from /proc) before, with the streams, per change and idle.
#   bench/web.sh [--viewers N] [--changes K] [--items S] [--idle SECONDS] [--runs R]
set -euo pipefail
cd "$(dirname "$0")/.."
viewers=200 changes=20 items=20 idle=10 runs=3
while [ $# -gt 0 ]; do
    case "$1" in
    --viewers) viewers=$2 ;;
    --changes) changes=$2 ;;
    --items) items=$2 ;;
    --idle) idle=$2 ;;
    --runs) runs=$2 ;;
    *) sed -n '3,8p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
    esac
    shift 2
done
cmake --preset release >/dev/null
cmake --build --preset release -j2 --target teamwall-bridge >/dev/null
T=$(mktemp -d /tmp/bench-web.XXXXXX)
pids=()
trap 'for p in "${pids[@]:-}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$T"' EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
MQ=$(port)
{
    cat packaging/mosquitto/teamwall.conf
    echo "listener $MQ 127.0.0.1"
    echo "allow_anonymous true"
    echo "user $(id -un)"
} >"$T/mosquitto.conf"
mosquitto -c "$T/mosquitto.conf" >"$T/mosquitto.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do mosquitto_pub -p "$MQ" -t ping -m x 2>/dev/null && break; sleep 0.1; done
for run in $(seq "$runs"); do
    HP=$(port)
    printf '[board]\nteam = bench\n[mqtt]\nbroker = mqtt://127.0.0.1:%s\n[bridge]\nlisten = 127.0.0.1:%s\nboard = viewers\n' \
        "$MQ" "$HP" >"$T/bridge.conf"
    build/release/teamwall-bridge --config "$T/bridge.conf" >"$T/bridge.log" 2>&1 &
    bp=$!
    pids+=("$bp")
    for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$HP/healthz" && break; sleep 0.1; done
    python3 tests/web_browser.py viewers "http://127.0.0.1:$HP/board/events" --count "$viewers" \
        --changes "$changes" --items "$items" --idle "$idle" --mqtt-port "$MQ" \
        --topic teamwall/bench/board/viewers/state --pid "$bp" --health "http://127.0.0.1:$HP/healthz" || true
    kill "$bp"
    wait "$bp" 2>/dev/null || true
done

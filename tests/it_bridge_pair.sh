#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The bridge scales out (docs/SCALE.md): two teamwall-bridge instances behind
# one address, on one broker. A chat platform's request and its retry land on
# different instances: each command is published once (the second instance
# saw the first one's command, by its platform id, on the broker) and the
# board has one item and one change; both answer the platform with success.
. "$(dirname "$0")/lib.sh"

BRIDGE="$TW_BUILD_DIR/teamwall-bridge"
if [ ! -x "$BRIDGE" ]; then
    echo "teamwall-bridge is not built here (TW_WITH_BRIDGE=OFF): nothing to test"
    exit 0
fi
API_TOKEN=api-token-pair-51
start_broker
mosquitto_sub -p "$BROKER_PORT" -v -t "$ROOT/#" >"$T/all" 2>&1 &
PIDS+=($!)
start_board
check "board online" wait_online

declare -A URL
for b in one two; do
    port=$(free_port)
    URL[$b]="http://127.0.0.1:$port"
    cat >"$T/$b.conf" <<CONF
[board]
team = $TEAM
[mqtt]
broker = $BROKER
[bridge]
listen = 127.0.0.1:$port
board = $BOARD_ID
[api]
token = $API_TOKEN
CONF
    "$BRIDGE" --config "$T/$b.conf" --timeout 2 >>"$T/$b.log" 2>&1 &
    PIDS+=("$!")
    check "bridge $b healthy" wait_for 20 curl -sf -o /dev/null "${URL[$b]}/healthz"
done
api() { # BRIDGE BODY: prints the HTTP status
    curl -s -o "$T/resp" -w '%{http_code}' -X POST --data-binary "$2" \
        -H 'Content-Type: application/json' -H "Authorization: Bearer $API_TOKEN" \
        "${URL[$1]}/api/v1/commands"
}
published() { grep -c "^$ROOT/$1 .*\"id\":\"$2\"" "$T/all" || true; }
sync_sub() {
    local m="sync-$RANDOM$RANDOM"
    mosquitto_pub -p "$BROKER_PORT" -q 1 -t "$ROOT/test/sync" -m "$m"
    wait_for 10 grep -q "$m" "$T/all"
}

POST='{"command":"/blocker","text":"Release train is blocked on QA","author":"ci","id":"run-981"}'
check "the request on bridge one: 200" test "$(api one "$POST")" = 200
check "published by bridge one" wait_for 10 bash -c "[ \$(grep -c '\"id\":\"api-run-981\"' '$T/all') -ge 1 ]"
check "the retry on bridge two: 200" test "$(api two "$POST")" = 200
check "and the reply names the same ref" grep -q '"ok":true' "$T/resp"
sync_sub
check "the post was published once" test "$(published post api-run-981)" = 1
check "the board has it once" wait_for 10 sql_is "SELECT count(*) FROM items WHERE id='api-run-981'" 1

RES='{"command":"/resolve","text":"api-run-981 QA signed off","author":"ci","id":"run-982"}'
check "a resolve on bridge two: 200" test "$(api two "$RES")" = 200
check "published by bridge two" wait_for 10 bash -c "[ \$(grep -c '\"id\":\"api-run-982\"' '$T/all') -ge 1 ]"
check "its retry on bridge one: 200" test "$(api one "$RES")" = 200
sync_sub
check "the resolve was published once" test "$(published resolve api-run-982)" = 1
check "the board has one change" wait_for 10 sql_is \
    "SELECT count(*) || '|' || (SELECT state FROM items WHERE id='api-run-981') FROM ops WHERE item_id='api-run-981'" "1|resolved"
check "bridge two counted the skipped retry" bash -c \
    "curl -s '${URL[two]}/metrics' | grep -q '^teamwall_bridge_retries_skipped_total 1$'"
check "bridge one counted the skipped retry" bash -c \
    "curl -s '${URL[one]}/metrics' | grep -q '^teamwall_bridge_retries_skipped_total 1$'"
finish

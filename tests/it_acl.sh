#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# TARGETS.md R12: the broker config teamwall ships (teamwall-access.conf,
# teamwall.acl) lets a board alone publish its retained state and status.
# Anonymous clients, the bridge, producers, buttons and another board are
# refused (the broker acknowledges and drops the message: MQTT 3.1.1 has no
# refusal); commands still flow. With listeners.conf's password file, a client
# that claims a board's user name without its password is not let in. And
# teamwall-bridge ignores a retained state that is not its board's own.
. "$(dirname "$0")/lib.sh"

start_broker
start_board
check "board online" wait_online
pub post '{"kind":"blocker","text":"Real blocker","id":"acl-1"}'
check "a command still works" wait_for 10 items_are 1
has_real() { retained_state | grep -q '"Real blocker"'; }
check "the board's own state is published" wait_for 10 has_real

FORGED='{"team":"'$TEAM'","board":"'$BOARD_ID'","updated":"2026-01-01T00:00:00Z","items":[{"id":"x","ref":"zzzz","kind":"blocker","text":"FORGED","state":"open"}]}'
spoof() { # spoof WHAT [mosquitto_pub flags]: retained state and status; QoS 1,
    # so the broker has handled (and dropped) both when mosquitto_pub returns.
    local what=$1; shift
    mosquitto_pub -p "$BROKER_PORT" -q 1 -r -t "$ROOT/board/$BOARD_ID/state" -m "$FORGED" "$@"
    mosquitto_pub -p "$BROKER_PORT" -q 1 -r -t "$ROOT/board/$BOARD_ID/status" -m '{"state":"offline"}' "$@"
    check "$what: spoofed state refused" bash -c "! mosquitto_sub -p $BROKER_PORT -t '$ROOT/board/$BOARD_ID/state' -C 1 -W 2 2>/dev/null | grep -q FORGED"
    check "$what: spoofed status refused" board_online
}
spoof "anonymous client"
spoof "the bridge's user" -u bridge
spoof "a producer" -u producer
spoof "a button" -u buttons
spoof "another board" -u wall2 -i teamwall-acme-wall2
spoof "the board's client id, anonymously" -i "teamwall-$TEAM-$BOARD_ID-x"
# A board still publishes under its own id only.
mosquitto_pub -p "$BROKER_PORT" -q 1 -r -u wall2 -t "$ROOT/board/wall2/status" -m '{"state":"online"}'
check "a board may publish its own status" bash -c "mosquitto_sub -p $BROKER_PORT -t '$ROOT/board/wall2/status' -C 1 -W 2 | grep -q online"

# ---- listeners.conf: user names are checked against the password file ----
P2=$(free_port)
mkdir -p "$T/broker2"
mosquitto_passwd -c -b "$T/broker2/passwd" "$BOARD_ID" board-secret >/dev/null 2>&1
mosquitto_passwd -b "$T/broker2/passwd" bridge bridge-secret >/dev/null 2>&1
{
    cat "$TW_SOURCE_DIR/packaging/mosquitto/teamwall.conf"
    sed -e "s|/etc/mosquitto/teamwall.acl|$TW_SOURCE_DIR/packaging/mosquitto/teamwall.acl|" \
        -e "s|/etc/mosquitto/teamwall.passwd|$T/broker2/passwd|" \
        -e "s|^listener 1883 127.0.0.1|listener $P2 127.0.0.1|" -e "s|^listener 1884|listener $(free_port) 127.0.0.1|" \
        "$TW_SOURCE_DIR/packaging/mosquitto/listeners.conf"
    echo "user $(id -un)"
} >"$T/broker2/mosquitto.conf"
mosquitto -c "$T/broker2/mosquitto.conf" >"$T/broker2/log" 2>&1 &
PIDS+=($!)
wait_for 10 mosquitto_pub -p "$P2" -t teamwall/ping -m x || cat "$T/broker2/log" >&2
check "listeners.conf: the board's user name without its password is refused" \
    bash -c "! mosquitto_pub -p $P2 -q 1 -u '$BOARD_ID' -P guess -t '$ROOT/board/$BOARD_ID/status' -m x 2>/dev/null"
check "listeners.conf: with its password it may publish its status" \
    mosquitto_pub -p "$P2" -q 1 -r -u "$BOARD_ID" -P board-secret -t "$ROOT/board/$BOARD_ID/status" -m '{"state":"online"}'
mosquitto_pub -p "$P2" -q 1 -r -u bridge -P bridge-secret -t "$ROOT/board/$BOARD_ID/state" -m "$FORGED"
check "listeners.conf: the bridge's user may not publish a state" \
    bash -c "! mosquitto_sub -p $P2 -t '$ROOT/board/$BOARD_ID/state' -C 1 -W 1 2>/dev/null | grep -q FORGED"
check "listeners.conf: anonymous commands on loopback still go through" \
    mosquitto_pub -p "$P2" -q 1 -t "$ROOT/post" -m '{"kind":"win","text":"x"}'

# ---- the bridge ignores a retained state that is not its board's ----
BRIDGE="$TW_BUILD_DIR/teamwall-bridge"
if [ -x "$BRIDGE" ]; then
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
token = acl-token
CONF
    "$BRIDGE" --config "$T/bridge.conf" >>"$T/bridge.log" 2>&1 &
    PIDS+=($!)
    board_reply() {
        curl -sS -m 5 -X POST "http://127.0.0.1:$HTTP_PORT/api/v1/commands" -H 'Authorization: Bearer acl-token' \
            -H 'Content-Type: application/json' -d '{"text":"board"}' >"$T/reply" 2>/dev/null
        grep -q "$1" "$T/reply"
    }
    check "bridge lists the real state" wait_for 15 board_reply "Real blocker"
    # Published by the board's own user (the ACLs let it), but naming another board.
    OTHER=${FORGED/\"board\":\"$BOARD_ID\"/\"board\":\"elsewhere\"}
    mosquitto_pub -p "$BROKER_PORT" -q 1 -r -u "$BOARD_ID" -t "$ROOT/board/$BOARD_ID/state" -m "$OTHER"
    check "the bridge logs the stranger's state" wait_for 10 grep -q "not board" "$T/bridge.log"
    check "bridge ignores a state that names another board" bash -c "! grep -q FORGED '$T/reply' && $(declare -f board_reply); T='$T'; HTTP_PORT=$HTTP_PORT; board_reply 'Real blocker'"
fi
finish

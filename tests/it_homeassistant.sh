#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Home Assistant discovery (docs/PROTOCOL.md) against a real broker and
# board: off by default; with [homeassistant] enabled the four sensor
# configs are retained under the discovery prefix, point at the board's
# state and status (default_entity_id, origin; no object_id), and are sent again when Home Assistant says "online".
. "$(dirname "$0")/lib.sh"

TEAM=acme BOARD_ID=wall.1
start_broker
NODE=teamwall_acme_wall_1

# Off by default: nothing under homeassistant/.
start_board
check "board online" wait_online
check "no discovery by default" bash -c "! mosquitto_sub -p $BROKER_PORT -t 'homeassistant/#' -C 1 -W 2 >/dev/null 2>&1"
kill "$BOARD_PID"
wait "$BOARD_PID" 2>/dev/null

cat >"$T/ha.conf" <<CONF
[homeassistant]
enabled = true
CONF
start_board --config "$T/ha.conf"
check "board online with discovery" wait_online
configs() { mosquitto_sub -p "$BROKER_PORT" -t 'homeassistant/#' -v -C 4 -W 5 >"$T/configs" 2>&1; }
check "four retained configs" wait_for 10 configs
for object in open_blockers open_questions blocker_clear_median wins_week; do
    check "config for $object" grep -q "^homeassistant/sensor/$NODE/$object/config {" "$T/configs"
done
check "configs read the retained state" grep -q "\"state_topic\":\"teamwall/$TEAM/board/$BOARD_ID/state\"" "$T/configs"
check "configs are available while the board is online" \
    grep -q "\"availability_topic\":\"teamwall/$TEAM/board/$BOARD_ID/status\"" "$T/configs"
check "open blockers template" grep -q '"value_template":"{{ value_json.open.blocker }}"' "$T/configs"
check "one device per board" test "$(grep -c "\"identifiers\":\\[\"$NODE\"\\]" "$T/configs")" = 4
check "no deprecated object_id" bash -c "! grep -q '\"object_id\"' '$T/configs'"
check "default_entity_id and origin" bash -c "grep -q '\"default_entity_id\":\"sensor.${NODE}_open_blockers\"' '$T/configs' && grep -q '\"origin\":{\"name\":\"teamwall\"' '$T/configs'"

# The state those templates read has the fields they name.
pub post '{"kind":"blocker","text":"CI is red","id":"ha-1"}'
check "post stored" wait_for 10 items_are 1
check "state has open.blocker" wait_for 10 bash -c "mosquitto_sub -p $BROKER_PORT -t 'teamwall/$TEAM/board/$BOARD_ID/state' -C 1 -W 2 | grep -q '\"open\":{\"blocker\":1,'"

# Home Assistant restarted: it says online, the board announces again.
mosquitto_sub -p "$BROKER_PORT" -t "homeassistant/sensor/$NODE/+/config" -v -W 8 >"$T/again" 2>&1 &
SUB=$!
sleep 1
mosquitto_pub -p "$BROKER_PORT" -t homeassistant/status -m online
sleep 2
kill "$SUB" 2>/dev/null
wait "$SUB" 2>/dev/null
# 4 retained on subscribing, 4 more after "online".
check "announced again after homeassistant/status online" test "$(grep -c '/config {' "$T/again")" = 8
mosquitto_pub -p "$BROKER_PORT" -t homeassistant/status -m offline
check "board still running after HA status messages" kill -0 "$BOARD_PID"
check "a bad prefix is refused at start" bash -c "printf '[homeassistant]\nprefix = a/b\n' >'$T/bad.conf'; ! '$TEAMWALL' --config '$T/bad.conf' --headless --exit-after 1 2>'$T/bad.err'; grep -q 'prefix' '$T/bad.err'"
finish

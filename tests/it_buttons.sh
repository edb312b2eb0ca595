#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Desk buttons end to end: a real mosquitto, the real board with [button]
# sections, and the payload sequences the devices publish (zigbee2mqtt with
# its empty-action resets, releases and legacy "click"; Shelly Button1 with
# event_cnt; Shelly Plus i4 RPC events; ESPHome ON/OFF edges; Tasmota new and
# old forms; the board's own button topic), checked in the board's database.
# Retained device state waiting on the broker posts nothing, at start or at a
# restart; redelivery after a crash posts once; unknown buttons are listed by
# teamwall-ctl buttons; a bad [button] section stops both programs with
# file:line.
. "$(dirname "$0")/lib.sh"

CONF="$T/teamwall.conf"
cat >"$CONF" <<'EOF'
[board]
team = acme

[button "desk-3"]
source = zigbee2mqtt
device = Desk 3 button
who    = Ana

[button "ben"]
source = shelly
device = shellybutton1-E8DB84AA196D
who    = Ben
double = claim-oldest

[button "gong"]
source = shelly-gen2
device = shellyplusi4-c4d8d5568e44
input  = 0
who    = Team
single = win

[button "cleo"]
source = esphome
device = desk5
who    = Cleo

[button "dan"]
source = tasmota
device = sonoff-desk
who    = Dan

[button "eve"]
source = mqtt
device = eve
who    = Eve
EOF

Z="zigbee2mqtt/Desk 3 button"
SH="shellies/shellybutton1-E8DB84AA196D"
G="shellyplusi4-c4d8d5568e44"
E="desk5/binary_sensor/desk_button/state"
gen2() { # gen2 EVENT TS
    printf '{"src":"%s","dst":"%s/events","method":"NotifyEvent","params":{"ts":%s,"events":[{"component":"input:0","id":0,"event":"%s","ts":%s}]}}' \
        "$G" "$G" "$2" "$1" "$2"
}
mpub() { # mpub TOPIC PAYLOAD [flags]: any topic, QoS 1
    local t=$1 m=$2; shift 2
    mosquitto_pub -p "$BROKER_PORT" -q 1 -t "$t" -m "$m" "$@"
}
mlines() { # mlines TOPIC LINE...: one message per line, back to back
    local t=$1; shift
    printf '%s\n' "$@" | mosquitto_pub -p "$BROKER_PORT" -q 1 -t "$t" -l
}
n_items() { sql "SELECT count(*) FROM items WHERE author='$1'${2:+ AND $2}"; }
is() { [ "$(sql "$1")" = "$2" ]; }

start_broker
mosquitto_sub -p "$BROKER_PORT" -t "$ROOT/board/$BOARD_ID/rejected" >"$T/rejected" 2>&1 &
PIDS+=($!)

# ---- retained state waiting on the broker, as devices leave it ----------------
mpub "$Z" '{"action":"single","battery":100,"linkquality":134}' -r
mpub "$Z/availability" '{"state":"online"}' -r
mpub "$SH/input_event/0" '{"event":"S","event_cnt":4}' -r
mpub "$SH/sensor/battery" 9 -r
mpub "$G/events/rpc" "$(gen2 single_push 1764061100.10)" -r
mpub "$E" ON -r
mpub desk5/status online -r
mpub stat/sonoff-desk/RESULT '{"Button1":{"Action":"SINGLE"}}' -r
mpub tele/sonoff-desk/LWT Online -r
mpub "$ROOT/button/eve" single -r

start_board --config "$CONF"
check "board online" wait_online
check "battery from retained Shelly state" wait_for 10 is "SELECT battery FROM buttons WHERE name='ben'" 9
check "zigbee2mqtt row from retained state" wait_for 10 is "SELECT battery||'|'||online FROM buttons WHERE name='desk-3'" "100|1"
check "Tasmota LWT" wait_for 10 is "SELECT online FROM buttons WHERE name='dan'" 1
# A live press published after the board subscribed arrives after every
# retained message: once it is in, the retained ones have all been seen.
mpub "$ROOT/button/eve" single
check "live press after the retained state" wait_for 10 is "SELECT count(*) FROM items WHERE author='Eve'" 1
check "retained state posted nothing" is "SELECT count(*) FROM items" 1
check "eve's post" is "SELECT kind||'|'||text||'|'||source FROM items WHERE author='Eve'" "blocker|Eve is blocked|button"

# ---- zigbee2mqtt (Aqara WXKG11LM) ---------------------------------------------
mpub "$Z" '{"action":"single","battery":100,"linkquality":134,"voltage":3042}'
mpub "$Z" '{"action":"","battery":100,"linkquality":134,"voltage":3042}'
check "z2m single: blocker by Ana" wait_for 10 is "SELECT count(*)||'|'||max(text) FROM items WHERE author='Ana' AND kind='blocker'" "1|Ana is blocked"
# The same action twice back to back (Aqara repeats itself): one press.
mlines "$Z" '{"action":"double","battery":100}' '{"action":"double","battery":100}'
mpub "$Z" '{"action":"release","battery":100}'
mpub "$Z" '{"action":null,"battery":100}'
check "z2m double twice within 300 ms: one question" wait_for 10 is "SELECT count(*) FROM items WHERE author='Ana' AND kind='question'" 1
# Legacy "click".
mpub "$Z" '{"click":"single","battery":14,"linkquality":120}'
check "z2m legacy click: a second blocker" wait_for 10 is "SELECT count(*) FROM items WHERE author='Ana' AND kind='blocker'" 2
check "battery recorded" is "SELECT battery FROM buttons WHERE name='desk-3'" 14
# Hold: resolve-own, the newest open item Ana's button raised.
NEWEST=$(sql "SELECT id FROM items WHERE author='Ana' ORDER BY seq DESC LIMIT 1")
mpub "$Z" '{"action":"hold","battery":14}'
mpub "$Z" '{"action":"release","battery":14}'
check "z2m hold resolves the newest own item" wait_for 10 is "SELECT state||'|'||resolved_by FROM items WHERE id='$NEWEST'" "resolved|Ana"
check "the others stay open" is "SELECT count(*) FROM items WHERE author='Ana' AND state='open'" 2
mpub "$Z/availability" offline -r
check "z2m availability offline" wait_for 10 is "SELECT online FROM buttons WHERE name='desk-3'" 0

# ---- Shelly Button1 (Gen 1) ------------------------------------------------------
mpub "$SH/online" true -r
mlines "$SH/input_event/0" '{"event":"S","event_cnt":5}' '{"event":"S","event_cnt":5}'
check "Shelly S: blocker by Ben" wait_for 10 is "SELECT count(*)||'|'||max(id) FROM items WHERE author='Ben'" "1|btn:ben:e0c5"
mpub "$SH/input_event/0" '{"event":"S","event_cnt":5}'
mpub "$SH/input_event/0" '{"event":"SSS","event_cnt":6}'
mpub "$SH/input_event/0" '{"event":"SS","event_cnt":7}'
EVE_ID=$(sql "SELECT id FROM items WHERE author='Eve'")
check "Shelly SS: claim-oldest claims Eve's blocker for Ben" wait_for 10 is "SELECT state||'|'||claimed_by FROM items WHERE id='$EVE_ID'" "claimed|Ben"
check "event_cnt 5 again counted once" is "SELECT count(*) FROM items WHERE author='Ben'" 1
mpub "$SH/sensor/battery" 88 -r
check "Shelly battery" wait_for 10 is "SELECT battery||'|'||online||'|'||counter FROM buttons WHERE name='ben'" "88|1|7"

# ---- Shelly Plus i4 (Gen 2) ------------------------------------------------------
WIN=$(gen2 single_push 1764061234.56)
mlines "$G/events/rpc" "$WIN" "$(gen2 btn_down 1764061234.50)" "$(gen2 btn_up 1764061234.55)"
check "Gen 2 single_push: a win" wait_for 10 is "SELECT count(*)||'|'||max(text) FROM items WHERE author='Team'" "1|Win from Team!"
mpub "$G/events/rpc" "$WIN"
mpub "$G/events/rpc" '{"method":"NotifyEvent","params":{"ts":9.5,"events":[{"component":"input:3","id":3,"event":"single_push","ts":9.5}]}}'
check "input 3 is nobody's: unassigned" wait_for 10 is "SELECT count(*) FROM buttons WHERE name='' AND device='$G' AND input='3'" 1
check "the same event delivered again: one win" is "SELECT count(*) FROM items WHERE author='Team'" 1

# ---- ESPHome edges ---------------------------------------------------------------
mlines "$E" ON OFF
check "ESPHome short press: blocker by Cleo" wait_for 10 is "SELECT count(*) FROM items WHERE author='Cleo' AND kind='blocker'" 1
mlines "$E" ON OFF ON OFF
check "ESPHome two presses: a question" wait_for 10 is "SELECT count(*) FROM items WHERE author='Cleo' AND kind='question'" 1
check "... and no single" is "SELECT count(*) FROM items WHERE author='Cleo' AND kind='blocker'" 1
mpub "$E" ON
check "ESPHome held: resolve-own without waiting for the release" wait_for 10 is "SELECT state FROM items WHERE author='Cleo' AND kind='question'" resolved
mpub "$E" OFF
mpub desk5/status offline -r
check "ESPHome status" wait_for 10 is "SELECT online FROM buttons WHERE name='cleo'" 0

# ---- Tasmota -----------------------------------------------------------------------
mpub stat/sonoff-desk/RESULT '{"POWER":"ON"}'
mpub stat/sonoff-desk/RESULT '{"Button1":{"Action":"SINGLE"}}'
mpub stat/sonoff-desk/BUTTON1 '{"ACTION":"DOUBLE"}'
check "Tasmota SetOption73 form and the old ACTION form" wait_for 10 is "SELECT group_concat(kind, ',') FROM (SELECT kind FROM items WHERE author='Dan' ORDER BY seq)" "blocker,question"
mpub stat/sonoff-desk/RESULT '{"Button1":{"Action":"TRIPLE"}}'

# ---- the board's own topic --------------------------------------------------------
mpub "$ROOT/button/eve" '{"action":"double","id":"ci-run-77"}'
mpub "$ROOT/button/eve" '{"action":"double","id":"ci-run-77"}'
mpub "$ROOT/button/eve" triple
check "malformed button payload rejected with a reason" wait_for 10 grep -qF '"error":"action must be single, double or long, not \"triple\""' "$T/rejected"
check "producer id: one question" is "SELECT count(*) FROM items WHERE author='Eve' AND kind='question'" 1
mpub "$ROOT/button/desk-42" long
check "unassigned mqtt button recorded" wait_for 10 is "SELECT count(*)||'|'||max(last_action) FROM buttons WHERE name='' AND device='desk-42'" "1|long"
check "unassigned button logged" grep -q "unassigned mqtt button desk-42 pressed" "$T/board.log"
mpub stat/tasmota_7F3E21/RESULT '{"Button1":{"Action":"SINGLE"}}'
check "unassigned Tasmota (discovered through stat/+/RESULT)" wait_for 10 is "SELECT count(*) FROM buttons WHERE name='' AND device='tasmota_7F3E21'" 1
mpub "zigbee2mqtt/0x00158d0001a2b3c4" '{"action":"single","battery":77}'
check "unassigned zigbee2mqtt button" wait_for 10 is "SELECT battery FROM buttons WHERE name='' AND device='0x00158d0001a2b3c4'" 77
mpub "zigbee2mqtt/Kitchen sensor" '{"temperature":21.5,"battery":60}'

# ---- teamwall-ctl buttons -------------------------------------------------------------
CTLA=(--config "$CONF" --db "$T/board.db")
"$CTL" "${CTLA[@]}" buttons >"$T/buttons.txt"
check "ctl buttons: header" grep -q "^NAME .*SOURCE .*DEVICE .*LAST PRESS .*BATTERY .*ONLINE" "$T/buttons.txt"
check "ctl buttons: desk-3" grep -Eq "^desk-3 +zigbee2mqtt +Desk 3 button .* 14 % +offline" "$T/buttons.txt"
check "ctl buttons: ben" grep -Eq "^ben +shelly +shellybutton1-E8DB84AA196D .*double +88 % +online" "$T/buttons.txt"
check "ctl buttons: unassigned" grep -Eq "^\(unassigned\) +mqtt +desk-42 .* long +- +\? +-$" "$T/buttons.txt"
check "ctl buttons: no sensors" bash -c "! grep -q 'Kitchen sensor' '$T/buttons.txt'"
"$CTL" "${CTLA[@]}" buttons --json >"$T/buttons.json"
check "ctl buttons --json" grep -Eq '"device":[[:space:]]*"tasmota_7F3E21"' "$T/buttons.json"

# ---- a restart posts nothing by itself ---------------------------------------------
BEFORE=$(sql "SELECT count(*)||'/'||sum(state='open') FROM items")
kill -TERM "$BOARD_PID"
wait "$BOARD_PID" 2>/dev/null || true
# Devices publish their state retained at QoS 0 (zigbee2mqtt's and ESPHome's
# default), which the broker does not queue for a board that is away: the
# board only meets it flagged retained when it subscribes again. (A press
# published at QoS 1 while the board is away is queued and delivered as a
# live message: a real press, and it is posted.)
mosquitto_pub -p "$BROKER_PORT" -t "$Z" -m '{"action":"double","battery":14}' -r
mosquitto_pub -p "$BROKER_PORT" -t "$E" -m ON -r
start_board --config "$CONF"
check "board back online" wait_online
mpub "$ROOT/button/eve" long
check "live press after restart" wait_for 10 is "SELECT count(*) FROM items WHERE author='Eve' AND state='resolved'" 1
check "nothing new from retained state after the restart" is "SELECT count(*) FROM items" "${BEFORE%/*}"
check "ben's counter survived the restart" is "SELECT counter FROM buttons WHERE name='ben'" 7
mpub "$SH/input_event/0" '{"event":"SS","event_cnt":7}'
mpub "$SH/input_event/0" '{"event":"S","event_cnt":8}'
check "next Shelly press after restart" wait_for 10 is "SELECT count(*) FROM items WHERE author='Ben'" 2

# ---- a crash inside the callback: the broker redelivers, it posts once --------------
kill -TERM "$BOARD_PID"
wait "$BOARD_PID" 2>/dev/null || true
for t in "$Z" "$Z/availability" "$SH/input_event/0" "$SH/sensor/battery" "$SH/online" "$G/events/rpc" \
    "$E" desk5/status stat/sonoff-desk/RESULT tele/sonoff-desk/LWT "$ROOT/button/eve"; do
    mosquitto_pub -p "$BROKER_PORT" -t "$t" -r -n
done
TW_TEST_CRASH_AFTER=1 start_board --config "$CONF"
check "board online (armed to crash)" wait_online
mpub "$ROOT/button/eve" '{"action":"single","id":"crash-1"}'
check "board died inside the callback" wait_for 10 bash -c "! kill -0 $BOARD_PID 2>/dev/null"
check "nothing stored before the crash" is "SELECT count(*) FROM button_presses WHERE id LIKE 'btn:eve:s%'" 0
start_board --config "$CONF"
check "board back after the crash" wait_online
check "redelivered press stored" wait_for 10 is "SELECT count(*) FROM button_presses WHERE id LIKE 'btn:eve:s%'" 1
check "... and posted once" is "SELECT count(*) FROM items WHERE author='Eve' AND kind='blocker'" 2

# ---- bad sections stop both programs with file:line ------------------------------------
printf '[board]\nteam = acme\n[button "x"]\nsource = zigbee\ndevice = d\n' >"$T/bad.conf"
if "$TEAMWALL" --config "$T/bad.conf" --db "$T/bad.db" --headless --exit-after 1 2>"$T/bad.err"; then
    fail "board with a bad [button] section should not start"
else
    check "board names file:line" grep -q "bad.conf:4: source: unknown source \"zigbee\"" "$T/bad.err"
fi
printf '[button "x"]\nsource = mqtt\nwho = Ana\n' >"$T/bad2.conf"
if "$CTL" --config "$T/bad2.conf" --db "$T/board.db" buttons 2>"$T/bad2.err"; then
    fail "ctl with a bad [button] section should fail"
else
    check "ctl names file:line" grep -q "bad2.conf:1: device: missing in \[button \"x\"\]" "$T/bad2.err"
fi
finish

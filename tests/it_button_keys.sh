#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Multi-key devices end to end, on a real mosquitto and the real board:
# zigbee2mqtt's retained device list (bridge/devices) names each device's
# model and action words; a Tuya TS0044 serves four desks (input = 1..4),
# a STYRBAR's left arrow is one person's, a Hue dimmer's up key another's
# (its press/release edges timed by the board: single, double, long); a
# Shelly Plus i4's four inputs are four buttons. teamwall-ctl buttons shows
# vendor and model; a new button is named by its model on the wall (the
# retained state's warnings); an unknown action word is logged once.
. "$(dirname "$0")/lib.sh"

CONF="$T/teamwall.conf"
{
    echo "[board]"
    echo "team = acme"
    for k in 1 2 3 4; do
        printf '[button "tuya-%s"]\nsource = zigbee2mqtt\ndevice = Desk switch\ninput = %s\nwho = Tuya%s\n' "$k" "$k" "$k"
        printf '[button "i4-%s"]\nsource = shelly-gen2\ndevice = shellyplusi4-c4d8d5568e44\ninput = %s\nwho = Plus%s\n' "$((k - 1))" "$((k - 1))" "$((k - 1))"
    done
    printf '[button "left"]\nsource = zigbee2mqtt\ndevice = Styrbar\ninput = left\nwho = Lea\n'
    printf '[button "dim"]\nsource = zigbee2mqtt\ndevice = Hue dimmer\ninput = up\nwho = Dan\n'
} >"$CONF"

DEVICES='[{"friendly_name":"Coordinator","ieee_address":"0x00124b0022ab1234","type":"Coordinator","definition":null},
{"friendly_name":"Desk switch","ieee_address":"0xa4c138aaaa000001","type":"EndDevice","definition":{"model":"TS0044","vendor":"Tuya","description":"Wireless switch with 4 buttons","exposes":[{"type":"numeric","name":"battery","property":"battery"},{"type":"enum","name":"action","property":"action","access":1,"values":["1_single","1_double","1_hold","2_single","2_double","2_hold","3_single","3_double","3_hold","4_single","4_double","4_hold"]}]}},
{"friendly_name":"Styrbar","ieee_address":"0x000b57fffe000002","type":"EndDevice","definition":{"model":"E2001/E2002/E2313","vendor":"IKEA","description":"STYRBAR remote control","exposes":[{"type":"enum","name":"action","property":"action","access":1,"values":["on","off","brightness_move_up","brightness_move_down","brightness_stop","arrow_left_click","arrow_left_hold","arrow_left_release","arrow_right_click","arrow_right_hold","arrow_right_release"]}]}},
{"friendly_name":"0x000b57fffe000099","ieee_address":"0x000b57fffe000099","type":"EndDevice","definition":{"model":"E2001/E2002/E2313","vendor":"IKEA","description":"STYRBAR remote control","exposes":[{"type":"enum","name":"action","property":"action","access":1,"values":["on","off","brightness_move_up","brightness_move_down","brightness_stop","arrow_left_click","arrow_left_hold","arrow_left_release","arrow_right_click","arrow_right_hold","arrow_right_release"]}]}},
{"friendly_name":"Hue dimmer","ieee_address":"0x0017880100000003","type":"EndDevice","definition":{"model":"324131092621","vendor":"Philips","description":"Hue dimmer switch gen 1","exposes":[{"type":"enum","name":"action","property":"action","access":1,"values":["on_press","on_press_release","on_hold","on_hold_release","up_press","up_press_release","up_hold","up_hold_release","down_press","down_press_release","down_hold","down_hold_release","off_press","off_press_release","off_hold","off_hold_release"]}]}}]'

mpub() { # mpub TOPIC PAYLOAD [flags]
    local t=$1 m=$2; shift 2
    mosquitto_pub -p "$BROKER_PORT" -q 1 -t "$t" -m "$m" "$@"
}
z() { mpub "zigbee2mqtt/$1" "{\"action\":\"$2\",\"battery\":90,\"linkquality\":120}"; }
G="shellyplusi4-c4d8d5568e44"
gen2() { # gen2 INPUT EVENT
    mpub "$G/events/rpc" "{\"src\":\"$G\",\"method\":\"NotifyEvent\",\"params\":{\"ts\":$(date +%s.%N | cut -c1-14),\"events\":[{\"component\":\"input:$1\",\"id\":$1,\"event\":\"$2\",\"ts\":$(date +%s.%N | cut -c1-14)}]}}"
}
is() { [ "$(sql "$1")" = "$2" ]; }
n_by() { sql "SELECT count(*) FROM items WHERE author='$1'${2:+ AND $2}"; }
warnings() { retained_state | grep -o '"warnings":\[.*\]' || true; }
has_warning() { warnings | grep -qF "$1"; }

start_broker
mpub zigbee2mqtt/bridge/devices "$DEVICES" -r
start_board --config "$CONF" --screenshot "$T/wall.png"
check "board online" wait_online
check "device list read" wait_for 10 grep -q "zigbee2mqtt device list: 5 devices" "$T/board.log"

# ---- a Tuya four-gang: four desks --------------------------------------------
z "Desk switch" 1_single
z "Desk switch" 2_double
z "Desk switch" 3_hold    # nothing open for Tuya3 yet: resolve-own finds nothing
z "Desk switch" 4_single
check "Tuya key 1: Tuya1's blocker" wait_for 10 is "SELECT count(*) FROM items WHERE author='Tuya1' AND kind='blocker'" 1
check "Tuya key 2: Tuya2's question" wait_for 10 is "SELECT count(*) FROM items WHERE author='Tuya2' AND kind='question'" 1
check "Tuya key 4: Tuya4's blocker" wait_for 10 is "SELECT count(*) FROM items WHERE author='Tuya4' AND kind='blocker'" 1
check "Tuya key 3: a long, nothing posted" is "SELECT count(*) FROM items WHERE author='Tuya3'" 0
check "Tuya key 3's press recorded" is "SELECT presses||'|'||last_action FROM buttons WHERE name='tuya-3'" "1|long"
z "Desk switch" 1_hold
check "Tuya key 1 held: resolves Tuya1's own" wait_for 10 is "SELECT state FROM items WHERE author='Tuya1'" resolved
check "... and nobody else's" is "SELECT count(*) FROM items WHERE state='resolved'" 1

# ---- a STYRBAR's left arrow ---------------------------------------------------------
z Styrbar on
z Styrbar arrow_right_click
z Styrbar arrow_left_click
z Styrbar arrow_left_release
check "STYRBAR left arrow: Lea's blocker (on and right are not hers)" wait_for 10 is "SELECT count(*) FROM items WHERE author='Lea'" 1
check "the other keys are unassigned inputs" wait_for 10 is "SELECT count(*) FROM buttons WHERE name='' AND device='Styrbar'" 2

# ---- a Hue dimmer's up key: edges timed by the board --------------------------------
z "Hue dimmer" up_press
z "Hue dimmer" up_press_release
check "Hue up pressed once: Dan's blocker" wait_for 10 is "SELECT count(*) FROM items WHERE author='Dan' AND kind='blocker'" 1
printf '%s\n' '{"action":"up_press"}' '{"action":"up_press_release"}' '{"action":"up_press"}' '{"action":"up_press_release"}' |
    mosquitto_pub -p "$BROKER_PORT" -q 1 -t "zigbee2mqtt/Hue dimmer" -l
check "Hue up pressed twice quickly: a question" wait_for 10 is "SELECT count(*) FROM items WHERE author='Dan' AND kind='question'" 1
check "... not two blockers" is "SELECT count(*) FROM items WHERE author='Dan' AND kind='blocker'" 1
z "Hue dimmer" up_press
check "Hue up held: resolve-own without waiting for the release" wait_for 10 is "SELECT count(*) FROM items WHERE author='Dan' AND state='resolved'" 1
z "Hue dimmer" up_hold
z "Hue dimmer" up_hold
z "Hue dimmer" up_hold_release
z "Hue dimmer" down_press
z "Hue dimmer" down_press_release
check "the dimmer's down key is not Dan's" wait_for 10 is "SELECT count(*) FROM buttons WHERE name='' AND device='Hue dimmer' AND input='down'" 1
check "one long, whatever the hold reports" is "SELECT count(*) FROM items WHERE author='Dan' AND state='resolved'" 1
check "Dan: a blocker and a question, nothing more" is "SELECT count(*) FROM items WHERE author='Dan'" 2

# ---- a Shelly Plus i4: four inputs, four buttons --------------------------------------
for i in 0 1 2 3; do gen2 "$i" single_push; done
for i in 0 1 2 3; do
    check "i4 input $i: Plus$i's blocker" wait_for 10 is "SELECT count(*) FROM items WHERE author='Plus$i' AND kind='blocker'" 1
done
gen2 2 btn_down
gen2 2 btn_up
gen2 2 double_push
check "i4 input 2 double: Plus2's question" wait_for 10 is "SELECT count(*) FROM items WHERE author='Plus2' AND kind='question'" 1
check "... its edges did not make another press" is "SELECT count(*) FROM items WHERE author='Plus2'" 2

# ---- a new button, named by its model; an unknown word, logged once ---------------------
z 0x000b57fffe000099 arrow_left_click
check "new STYRBAR named by its model in the state's warnings" \
    wait_for 10 has_warning '"kind":"unassigned-button","topic":"zigbee2mqtt/0x000b57fffe000099","text":"New IKEA STYRBAR remote control key left pressed: add it with device = 0x000b57fffe000099, input = left"'
rm -f "$T/wall.png"
kill -USR1 "$BOARD_PID"
check "screenshot with the new STYRBAR's line" wait_for 10 test -s "$T/wall.png"
cp "$T/wall.png" "$T/wall-new-button.png"
z Styrbar frobnicate
z Styrbar frobnicate
z Styrbar frobnicate
z Styrbar arrow_left_click
check "the press after the unknown words" wait_for 10 is "SELECT count(*) FROM items WHERE author='Lea'" 2
check "unknown word logged once, with the model" \
    test "$(grep -c 'Styrbar (IKEA E2001/E2002/E2313): action "frobnicate" is no press the board knows' "$T/board.log")" = 1

# ---- teamwall-ctl buttons: vendor and model ----------------------------------------------
"$CTL" --config "$CONF" --db "$T/board.db" buttons >"$T/buttons.txt"
cat "$T/buttons.txt"
check "ctl buttons: MODEL column" grep -q "^NAME .* ONLINE .*MODEL$" "$T/buttons.txt"
check "ctl buttons: the Tuya's keys" grep -Eq "^tuya-2 +zigbee2mqtt +Desk switch#2 .* Tuya TS0044$" "$T/buttons.txt"
check "ctl buttons: the STYRBAR" grep -Eq "^left +zigbee2mqtt +Styrbar#left .* IKEA E2001/E2002/E2313$" "$T/buttons.txt"
check "ctl buttons: the unassigned STYRBAR" grep -Eq "^\(unassigned\) +zigbee2mqtt +0x000b57fffe000099#left .* IKEA E2001/E2002/E2313$" "$T/buttons.txt"
"$CTL" --config "$CONF" --db "$T/board.db" buttons --json >"$T/buttons.json"
check "ctl buttons --json: vendor and model" grep -q '"model":[[:space:]]*"324131092621"' "$T/buttons.json"
finish

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Button warnings while the board runs: a real mosquitto and the real board,
# buttons with offline_minutes = 0.05 (3 s). A Tasmota LWT "Offline" and a
# zigbee2mqtt availability "offline" must put a button-offline warning in the
# retained state's "warnings" (PROTOCOL.md, "Warnings in the state") about 3 s
# later, without a restart; a low battery at once; both go when the button
# is back; an unassigned press names its topic. The wall shows the same
# lines (SIGUSR1 screenshot, kept for a look).
. "$(dirname "$0")/lib.sh"

CONF="$T/teamwall.conf"
cat >"$CONF" <<'EOF'
[board]
team = acme

[button "dan"]
source = tasmota
device = sonoff-desk
who    = Dan
offline_minutes = 0.05

[button "desk-3"]
source = zigbee2mqtt
device = Desk 3 button
who    = Ana
offline_minutes = 0.05
EOF

Z="zigbee2mqtt/Desk 3 button"
mpub() { # mpub TOPIC PAYLOAD [flags]
    local t=$1 m=$2; shift 2
    mosquitto_pub -p "$BROKER_PORT" -q 1 -t "$t" -m "$m" "$@"
}
# The retained state's warnings array (compact JSON, one line).
warnings() { retained_state | grep -o '"warnings":\[.*\]' || true; }
has_warning() { warnings | grep -qF "$1"; }
no_warning() { ! warnings | grep -qF "$1"; }
now_ms() { date +%s%3N; }

start_broker
start_board --config "$CONF" --screenshot "$T/wall.png"
check "board online" wait_online
check "no warnings yet, but the array is there" wait_for 10 has_warning '"warnings":[]'
mpub tele/sonoff-desk/LWT Online -r
mpub "$Z/availability" '{"state":"online"}' -r
check "both online" wait_for 10 sql_is "SELECT group_concat(online) FROM buttons WHERE name IN ('dan','desk-3')" "1,1"

# ---- offline: the warning comes while the board runs ----------------------------
T0=$(now_ms)
mpub tele/sonoff-desk/LWT Offline -r
mpub "$Z/availability" offline -r
check "Tasmota offline stored" wait_for 10 sql_is "SELECT online FROM buttons WHERE name='dan'" 0
check "not a warning yet (3 s to go)" no_warning '"kind":"button-offline","button":"dan"'
check "Tasmota LWT Offline: button-offline in the state" \
    wait_for 15 has_warning '"kind":"button-offline","button":"dan","since":"'
T1=$(now_ms)
check "zigbee2mqtt availability offline: button-offline in the state" \
    wait_for 5 has_warning '"kind":"button-offline","button":"desk-3","since":"'
ELAPSED=$((T1 - T0))
echo "offline warning after $ELAPSED ms (offline_minutes = 0.05: 3000 ms)"
# The board keeps when a button went offline in whole Unix seconds, so a
# 3 s limit is reached 2 to 3 s after an LWT (one that lands late in a
# second is counted from its start): 2,965 ms was seen, and the old lower
# bound of 2,900 failed now and then. The upper bound has room for polling:
# each try is a fresh mosquitto_sub, which took over a second on two loaded
# cores under ASan.
check "raised 2-7 s after the LWT (3 s limit in whole seconds + at most a second to the state + polling)" \
    test "$ELAPSED" -ge 2000 -a "$ELAPSED" -le 7000
check "the board was not restarted" kill -0 "$BOARD_PID"
check "since is an ISO time" has_warning '"since":"20'

# ---- battery -------------------------------------------------------------------
mpub "$Z" '{"battery":9,"linkquality":80}'
check "low battery: button-battery with the figure" wait_for 5 has_warning '"kind":"button-battery","button":"desk-3","battery":9'

# ---- on the wall ------------------------------------------------------------------
rm -f "$T/wall.png"
kill -USR1 "$BOARD_PID"
check "screenshot on SIGUSR1" wait_for 10 test -s "$T/wall.png"
cp "$T/wall.png" "$T/wall-offline.png"
check "wall text in the state" has_warning '"text":"Button dan (Dan) offline since'

# ---- back: cleared within a second ---------------------------------------------------
T0=$(now_ms)
mpub tele/sonoff-desk/LWT Online -r
check "Tasmota back: its warning goes" wait_for 5 no_warning '"button":"dan"'
ELAPSED=$(($(now_ms) - T0))
echo "cleared after $ELAPSED ms"
check "cleared within 2 s" test "$ELAPSED" -le 2000
mpub "$Z" '{"action":"single","battery":100}'
check "a press proves desk-3 up, a new battery clears the battery warning" \
    wait_for 5 no_warning '"button":"desk-3"'
check "the press posted" wait_for 5 sql_is "SELECT count(*) FROM items WHERE author='Ana'" 1

# ---- unassigned ------------------------------------------------------------------------
mpub stat/tasmota_7F3E21/RESULT '{"Button1":{"Action":"SINGLE"}}'
check "unassigned press: unassigned-button with its topic" \
    wait_for 5 has_warning '"kind":"unassigned-button","topic":"stat/tasmota_7F3E21/RESULT"'

finish

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The wall speaks the team's language (docs/WALL.md, "Languages"), through
# the real programs: [display] language picks the catalogue for the board,
# the bridge's chat replies and teamwall-ctl's human output; "auto" takes
# LC_ALL / LC_MESSAGES / LANG and falls back to English; a language without a
# catalogue is refused at start with a reason. The retained state's JSON is
# the same in every language (numbers and keys are never translated).
. "$(dirname "$0")/lib.sh"

BRIDGE="$TW_BUILD_DIR/teamwall-bridge"
start_broker

lang_conf() { # FILE LANGUAGE: a config for this broker and team in LANGUAGE
    cat >"$1" <<EOF
[board]
team = $TEAM
db = $T/board.db
[mqtt]
broker = $BROKER
[display]
language = $2
EOF
}
lang_conf "$T/de.conf" de
lang_conf "$T/fr.conf" fr
lang_conf "$T/auto.conf" auto

start_board --config "$T/de.conf"
check "German board online" wait_online
pub post '{"kind":"blocker","text":"CI is red","id":"l-1"}'
check "post stored" wait_for 10 items_are 1

# ctl's human output, from the config and from the environment.
check "ctl stats in German" bash -c "'$CTL' --config '$T/de.conf' stats | head -1 | grep -q '^Team $TEAM, Zahlen der letzten 14 Tage'"
check "ctl stats in French" bash -c "'$CTL' --config '$T/fr.conf' stats | grep -q 'Victoires cette semaine'"
check "auto: LANG=es_ES.UTF-8 is Spanish" bash -c "LC_ALL= LC_MESSAGES= LANG=es_ES.UTF-8 '$CTL' --config '$T/auto.conf' stats | grep -q 'Logros esta semana'"
check "auto: LC_MESSAGES=nl_NL wins over LANG" bash -c "LC_ALL= LC_MESSAGES=nl_NL.UTF-8 LANG=de_DE.UTF-8 '$CTL' --config '$T/auto.conf' stats | grep -q 'Successen deze week'"
check "auto: LANG=C is English" bash -c "LC_ALL= LC_MESSAGES= LANG=C '$CTL' --config '$T/auto.conf' stats | grep -q 'Wins this week'"
check "auto: a language without a catalogue is English" bash -c "LC_ALL=ja_JP.UTF-8 '$CTL' --config '$T/auto.conf' stats | grep -q 'Wins this week'"
check "ctl stats --json is not translated" bash -c "'$CTL' --config '$T/de.conf' stats --json | jq -e '.wins_week == 0 and .blockers_per_day[13].opened == 1' >/dev/null"
check "ctl list in German" bash -c "'$CTL' --config '$T/de.conf' list --all >/dev/null; '$CTL' --config '$T/de.conf' search nothingatall | grep -q 'nichts gefunden'"

# A language teamwall has no catalogue for is refused, with the reason.
lang_conf "$T/xx.conf" xx
check "language = xx refused by the board" bash -c "! '$TEAMWALL' --config '$T/xx.conf' --headless --exit-after 1 2>'$T/xx.err'; grep -q 'language' '$T/xx.err'"
check "language = xx refused by ctl" bash -c "! '$CTL' --config '$T/xx.conf' stats 2>'$T/xx2.err'; grep -q 'language' '$T/xx2.err'"

# The retained state: JSON keys and numbers, whatever the language.
state_english() {
    mosquitto_sub -p "$BROKER_PORT" -t "$ROOT/board/$BOARD_ID/state" -C 1 -W 2 >"$T/state.json" &&
        jq -e '.open.blocker == 1 and (.figures | has("wins_week"))' "$T/state.json" >/dev/null
}
check "state keys are English" wait_for 10 state_english

# The bridge's chat replies.
if [ -x "$BRIDGE" ]; then
    # A free port may be taken by another test between looking and
    # listening: try a few.
    for try in 1 2 3; do
        HTTP_PORT=$(free_port)
        URL="http://127.0.0.1:$HTTP_PORT"
        {
            cat "$T/de.conf"
            printf '[bridge]\nlisten = 127.0.0.1:%s\nboard = %s\n[api]\ntoken = tok-1\n' "$HTTP_PORT" "$BOARD_ID"
        } >"$T/bridge.conf"
        "$BRIDGE" --config "$T/bridge.conf" --timeout 2 >>"$T/bridge.log" 2>&1 &
        BRIDGE_PID=$!
        PIDS+=("$BRIDGE_PID")
        wait_for 20 bash -c "curl -sf -o /dev/null '$URL/healthz' || ! kill -0 $BRIDGE_PID" &&
            kill -0 "$BRIDGE_PID" 2>/dev/null && break
    done
    check "bridge healthy" curl -sf -o /dev/null "$URL/healthz"
    curl -s -o "$T/resp" -X POST -H 'Authorization: Bearer tok-1' -H 'Content-Type: application/json' \
        --data-binary '{"command":"/win","text":"release shipped","author":"ci"}' "$URL/api/v1/commands"
    check "chat reply in German" grep -q 'Erledigt' "$T/resp"
    curl -s -o "$T/resp2" -X POST -H 'Authorization: Bearer tok-1' -H 'Content-Type: application/json' \
        --data-binary '{"command":"/resolve","text":"","author":"ci"}' "$URL/api/v1/commands"
    check "chat error in German" grep -q 'Welcher Eintrag' "$T/resp2"
fi
finish

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A stand-up end to end, on a real mosquitto and two real boards of one team
# (wall1 with a desk button, wall2 without): driven over MQTT (start, next
# with at sent twice, claim, resolve, a bad command rejected with a reason),
# wall1 restarted in the middle resumes where it was (store and retained
# state agree), both walls show the same item throughout, the end is in the
# store, in the retained state and in the "ended" event, and teamwall-ctl
# standups lists it. Then a second stand-up driven by one desk button through
# the zigbee2mqtt adapter alone, from start to summary, with a long press
# resolving the item shown. A board with [standup] at starts one by itself
# in its minute. Then one from chat through teamwall-bridge (the API and a
# signed Slack command): standup, next, done.
. "$(dirname "$0")/lib.sh"

CONF="$T/wall1.conf"
cat >"$CONF" <<'CFG'
[board]
team = acme

[standup]
item_seconds = 60
meeting_minutes = 10

# Each part of this test gives wall1 a fresh store of its own: it must not
# fill it from wall2 (docs/SYNC.md, catch-up).
[sync]
catch_up = false

[button "desk-3"]
source = zigbee2mqtt
device = Desk 3 button
who    = Ana
single = standup-next
double = standup-start
long   = resolve-own
CFG
Z="zigbee2mqtt/Desk 3 button"

start_wall() { # start_wall ID DB [flags]: a headless board of team acme
    local id=$1 db=$2; shift 2
    "$TEAMWALL" --broker "$BROKER" --team "$TEAM" --board "$id" --db "$db" --headless \
        --size 800x480 "$@" >>"$T/$id.log" 2>&1 &
    PIDS+=($!)
    eval "PID_${id}=$!"
}
online() { mosquitto_sub -p "$BROKER_PORT" -t "$ROOT/board/$1/status" -C 1 -W 1 | grep -q '"online"'; }
state() { mosquitto_sub -p "$BROKER_PORT" -t "$ROOT/board/$1/state" -C 1 -W 2; }
# su_is BOARD JQ VALUE: the board's retained standup object has it.
su_is() { [ "$(state "$1" | jq -c "$2")" = "$3" ]; }
both_at() { # both_at POSITION ITEM: every wall shows the same item
    su_is wall1 '.standup | [.position, .item]' "[$1,\"$2\"]" &&
        su_is wall2 '.standup | [.position, .item]' "[$1,\"$2\"]"
}
q() { sqlite3 -batch -noheader "$1" "$2"; }
q_is() { [ "$(q "$1" "$2")" = "$3" ]; }
press() { mosquitto_pub -p "$BROKER_PORT" -q 1 -t "$Z" -m "{\"action\":\"$1\"}"; }

start_broker
mosquitto_sub -p "$BROKER_PORT" -v -t "$ROOT/board/+/events" >"$T/events" 2>&1 &
PIDS+=($!)
mosquitto_sub -p "$BROKER_PORT" -t "$ROOT/board/wall1/rejected" >"$T/rejected" 2>&1 &
PIDS+=($!)

DB1="$T/wall1.db" DB2="$T/wall2.db"
start_wall wall1 "$DB1" --config "$CONF" --screenshot "$T/wall1.png"
start_wall wall2 "$DB2"
wait_for 20 online wall1 && wait_for 20 online wall2
check "both walls online, no stand-up in their state" su_is wall1 .standup null

post() { pub post "{\"kind\":\"$1\",\"id\":\"$2\",\"text\":\"$3\",\"author\":\"$4\"}"; }
post blocker b1 "Staging DB is read-only" Ana
post blocker b2 "CI runners out of disk" Chen
post question q1 "Who approves the vendor form?" Dee
post win w1 "Release 4.2 shipped" Eve
wait_for 10 q_is "$DB1" "SELECT count(*) FROM items" 4
wait_for 10 q_is "$DB2" "SELECT count(*) FROM items" 4

# ---- over MQTT ---------------------------------------------------------------
pub standup '{"action":"start","by":"Ana","ts":"2026-01-01T00:00:00Z"}'
check "start: both walls at 1 of 4, the oldest blocker" wait_for 10 both_at 1 b1
check "the state carries the stand-up object" \
    su_is wall1 '.standup | [.count, .phase, .carried_over, (.id | startswith("su-"))]' \
    '[4,"blockers",0,true]'
check "the started event" wait_for 5 grep -q '"event":"standup","action":"started"' "$T/events"
# The headless screenshot follows the frames (coalesced to one every second or two): the
# timer moving changes it again and again, with nothing sent.
shot() { md5sum <"$T/wall1.png" 2>/dev/null | cut -d' ' -f1; }
changes=0 last=$(shot) end=$((SECONDS + 15))
while [ $changes -lt 3 ] && [ $SECONDS -lt $end ]; do
    now=$(shot)
    [ "$now" != "$last" ] && changes=$((changes + 1)) && last=$now
    sleep 0.1
done
check "the item's timer moves on the screen, once a second, with nothing sent" [ $changes -ge 3 ]
pub standup '{"action":"next","at":1}'
pub standup '{"action":"next","at":1}' # redelivered: must not skip b2
check "next at 1, sent twice, moves once" wait_for 10 both_at 2 b2
pub standup '{"action":"claim","by":"Ben"}'
check "claim of the shown item goes through the board" \
    wait_for 10 q_is "$DB1" "SELECT state || ' ' || claimed_by FROM items WHERE id='b2'" "claimed Ben"
check "...on every wall" \
    wait_for 10 q_is "$DB2" "SELECT state || ' ' || claimed_by FROM items WHERE id='b2'" "claimed Ben"
pub standup '{"action":"resolve","by":"Chen","note":"cleaned the cache","at":2}'
check "resolve: stored with its note, and the walk moves on" wait_for 10 both_at 3 q1
check "...the item is resolved in the store" \
    q_is "$DB1" "SELECT state || ' ' || resolved_by || ' ' || note FROM items WHERE id='b2'" \
    "resolved Chen cleaned the cache"

pub standup '{"action":"skip"}'
pub standup '{"action":"next","at":"3"}'
check "bad stand-up commands are rejected with a reason" \
    wait_for 10 grep -q 'unknown action: skip' "$T/rejected"
check "...each one" wait_for 10 grep -q 'at must be a position from 1' "$T/rejected"
check "...and change nothing" both_at 3 q1

# ---- a restart in the middle -------------------------------------------------
kill "$PID_wall1"
wait "$PID_wall1" 2>/dev/null || true
check "the store has the running stand-up at 3" \
    q_is "$DB1" "SELECT position || ' ' || count || ' ' || ended FROM standups" "3 4 0"
start_wall wall1 "$DB1" --config "$CONF"
wait_for 20 online wall1
check "restarted, wall1 resumes at 3 of 4" wait_for 10 both_at 3 q1
check "...and says so" grep -q 'resuming stand-up su-.* at 3 of 4' "$T/wall1.log"

# Idle during a stand-up: asleep between the timers' ticks, once a second
# (the main thread's voluntary sleeps over 5 s); in the summary, asleep.
wakes_in_5s() {
    local a b
    a=$(awk '/^voluntary_ctxt_switches/ {print $2}' "/proc/$PID_wall1/status")
    sleep 5 # measuring a rate over a fixed window, not waiting for something
    b=$(awk '/^voluntary_ctxt_switches/ {print $2}' "/proc/$PID_wall1/status")
    echo $((b - a))
}
sleep 1 # the window starts after the second the last command's state went out in
w=$(wakes_in_5s)
echo "wakes in 5 s while walking: $w"
check "walking, the board wakes about once a second ($w in 5 s)" [ "$w" -ge 3 -a "$w" -le 15 ]

pub standup '{"action":"next","at":3}'
check "on to the win" wait_for 10 both_at 4 w1
pub standup '{"action":"next","at":4}'
check "after the last item: the summary" \
    wait_for 10 su_is wall1 '.standup | [.phase, .summary.discussed, .summary.resolved]' \
    '["summary",4,["b2"]]'
sleep 1 # as above
w=$(wakes_in_5s)
echo "wakes in 5 s in the summary: $w"
check "in the summary nothing moves: the board sleeps ($w wakes in 5 s)" [ "$w" -le 4 ]
check "the ended event holds the summary" wait_for 5 grep -q \
    '"action":"ended".*"summary":{"discussed":4,"resolved":\["b2"\],"claimed":\[\],"still_open":2' \
    "$T/events"
check "...from both walls" wait_for 5 grep -q 'wall2/events.*"action":"ended"' "$T/events"
check "the store has it ended, with its summary" \
    q_is "$DB1" "SELECT ended > 0, json_extract(summary, '\$.discussed') FROM standups" "1|4"
check "each item's outcome is stored" \
    q_is "$DB1" "SELECT group_concat(item_id || ':' || flags, ' ') FROM (SELECT * FROM standup_items ORDER BY position)" \
    "b1:1 b2:7 q1:1 w1:1"
check "teamwall-ctl standups --json lists it" \
    bash -c "'$CTL' --db '$DB1' standups --json | jq -e '.[0].summary.discussed == 4 and .[0].count == 4' >/dev/null"
check "teamwall-ctl standups says what happened" \
    bash -c "'$CTL' --db '$DB1' standups | grep -q 'discussed 4 of 4, resolved 1, claimed 0, still open 2'"
pub standup '{"action":"next"}'
check "in the summary a next changes nothing" su_is wall1 .standup.phase '"summary"'

# ---- a second stand-up, one desk button from start to summary ------------------
for id in wall1 wall2; do
    eval "kill \$PID_$id; wait \$PID_$id 2>/dev/null || true"
done
DB1="$T/wall1b.db" DB2="$T/wall2b.db"
start_wall wall1 "$DB1" --config "$CONF"
start_wall wall2 "$DB2"
wait_for 20 online wall1 && wait_for 20 online wall2
post blocker c1 "VPN drops every hour" Ana
post question c2 "Where is the on-call rota?" Ben
wait_for 10 q_is "$DB2" "SELECT count(*) FROM items" 2
press double
check "button double press (standup-start): both walls at 1 of 2" wait_for 10 both_at 1 c1
press long
check "long press (resolve-own) resolves the item shown and moves on" wait_for 10 both_at 2 c2
check "...through the board, by the button's owner" \
    wait_for 10 q_is "$DB1" "SELECT i.state || ' ' || i.resolved_by || ' ' || h.source FROM items i
        JOIN history h ON h.item_id = i.id AND h.action = 'resolve' WHERE i.id = 'c1'" \
    "resolved Ana button"
check "...and on the other wall too" \
    wait_for 10 q_is "$DB2" "SELECT state FROM items WHERE id='c1'" "resolved"
press single
check "single press (standup-next) after the last item: the summary on both walls" \
    wait_for 10 su_is wall2 '.standup | [.phase, .summary.resolved]' '["summary",["c1"]]'
check "stored on wall1 with its summary" \
    wait_for 10 q_is "$DB1" "SELECT ended > 0, json_extract(summary, '\$.resolved[0]') FROM standups" "1|c1"
check "both walls held the same stand-up" \
    [ "$(q "$DB1" 'SELECT id FROM standups')" = "$(q "$DB2" 'SELECT id FROM standups')" ]
# ---- the schedule: [standup] at, on a board whose clock says Wednesday 09:30 ----
printf '[board]\nteam = acme\n[standup]\nat = Mon-Fri 09:30\n' >"$T/wall3.conf"
start_wall wall3 "$T/wall3.db" --config "$T/wall3.conf" --now 2026-11-25T09:30:10Z
wait_for 20 online wall3
check "[standup] at = Mon-Fri 09:30 starts it by itself, named by its minute" \
    wait_for 10 su_is wall3 '.standup | [.id, .count, .phase]' '["su-20261125T093000Z",0,"summary"]'
check "...an empty walk says so and ends" wait_for 10 grep -q \
    'wall3/events.*"action":"ended".*"discussed":0' "$T/events"
kill "$PID_wall3"

# ---- a third, from chat through the bridge ------------------------------------
BRIDGE="$TW_BUILD_DIR/teamwall-bridge"
if [ -x "$BRIDGE" ]; then
    kill "$PID_wall1"
    wait "$PID_wall1" 2>/dev/null || true
    DB1="$T/wall1c.db"
    start_wall wall1 "$DB1" --config "$CONF"
    wait_for 20 online wall1
    post blocker d1 "Laptop refresh is stuck in procurement" Ana
    post question d2 "Who owns the status page?" Ben
    wait_for 10 q_is "$DB1" "SELECT count(*) FROM items" 2
    HTTP_PORT=$(free_port)
    URL="http://127.0.0.1:$HTTP_PORT"
    SLACK_SECRET=8f742231b10e8888abcd99yyyzzz85a5
    printf '[board]\nteam = %s\n[mqtt]\nbroker = %s\n[bridge]\nlisten = 127.0.0.1:%s\nboard = wall1\n[api]\ntoken = t0k\n[slack]\nsigning_secret = %s\n' \
        "$TEAM" "$BROKER" "$HTTP_PORT" "$SLACK_SECRET" >"$T/bridge.conf"
    "$BRIDGE" --config "$T/bridge.conf" --timeout 2 >>"$T/bridge.log" 2>&1 &
    PIDS+=($!)
    wait_for 20 curl -sf -o /dev/null "$URL/healthz"
    api() { curl -s -o "$T/resp" -w '%{http_code}' -X POST --data-binary "{\"text\":\"$1\",\"user\":\"Cleo\"}" \
        -H 'Content-Type: application/json' -H 'Authorization: Bearer t0k' "$URL/api/v1/commands"; }
    check "...the API answers 200" test "$(api standup)" = 200
    check "...the reply says so" grep -q 'Stand-up started on the wall' "$T/resp"
    check "...the wall is at 1 of 2" wait_for 10 su_is wall1 '.standup | [.position, .item]' '[1,"d1"]'
    check "chat next moves on" test "$(api next)" = 200
    check "...to 2 of 2" wait_for 10 su_is wall1 '.standup | [.position, .item]' '[2,"d2"]'
    ts=$(date +%s)
    body="token=x&team_id=T1&user_id=U1&user_name=dee&command=%2Fwall&text=done&trigger_id=t1"
    sig="v0=$(printf 'v0:%s:%s' "$ts" "$body" | openssl dgst -sha256 -hmac "$SLACK_SECRET" -r | cut -d' ' -f1)"
    code=$(curl -s -o "$T/resp" -w '%{http_code}' -X POST --data-binary "$body" \
        -H 'Content-Type: application/x-www-form-urlencoded' -H "X-Slack-Request-Timestamp: $ts" \
        -H "X-Slack-Signature: $sig" "$URL/slack/command")
    check "chat (Slack) done: 200" test "$code" = 200
    check "...the summary on the wall" wait_for 10 su_is wall1 .standup.phase '"summary"'
    check "...stored" wait_for 10 q_is "$DB1" "SELECT ended > 0 FROM standups" 1
fi
finish

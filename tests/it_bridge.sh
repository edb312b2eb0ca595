#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# End to end for teamwall-bridge: a real mosquitto, a real board, a real
# bridge on a free loopback port and curl speaking each platform's request
# format. Signatures are computed here with the openssl command line,
# independently of the bridge's own code. Checks: signed Slack, Mattermost
# (slash command, token header, outgoing webhook), Teams and API commands
# become cards in the board's store, once even when retried, and the replies
# name the refs; board/claim/answer/resolve; forged, replayed, unsigned,
# wrong-token and oversized requests get 401/413 and nothing reaches the
# broker; bad commands get help; rate limit 429; slow clients are cut off;
# concurrent requests; notifications (with a retry) reach a local webhook
# receiver; /metrics counts; unconfigured routes are 404; /healthz and the
# replies say offline when the broker stops; SIGTERM stops cleanly.
. "$(dirname "$0")/lib.sh"

BRIDGE="$TW_BUILD_DIR/teamwall-bridge"
SINK="$TW_BUILD_DIR/tw_http_sink"
if [ ! -x "$BRIDGE" ] && grep -q '^TW_WITH_BRIDGE:BOOL=OFF' "$TW_BUILD_DIR/CMakeCache.txt" 2>/dev/null; then
    echo "teamwall-bridge is not built here (TW_WITH_BRIDGE=OFF): nothing to test"
    exit 0
fi
for tool in curl openssl base64 od; do
    command -v "$tool" >/dev/null || { echo "it_bridge: needs $tool" >&2; exit 1; }
done

SLACK_SECRET=8f742231b10e8888abcd99yyyzzz85a5
MM_TOKEN=mm-slash-token-3k9d
MM_HOOK_TOKEN=mm-hook-token-77qx
TEAMS_KEY='teamwall-teams-outgoing-secret!!'
TEAMS_SECRET=$(printf %s "$TEAMS_KEY" | base64)
API_TOKEN=api-token-7f2c91

start_broker
# Everything that reaches the broker under the team's root.
mosquitto_sub -p "$BROKER_PORT" -v -t "$ROOT/#" >"$T/all" 2>&1 &
PIDS+=($!)
start_board
check "board comes online" wait_online

# The stand-in chat webhook: its first request fails with 500, so the
# notification has to be retried.
"$SINK" "$T/sink.port" "$T/sink.out" 1 &
PIDS+=($!)
wait_for 10 test -s "$T/sink.port" || { fail "webhook receiver did not start"; finish; }
SINK_PORT=$(cat "$T/sink.port")

HTTP_PORT=$(free_port)
URL="http://127.0.0.1:$HTTP_PORT"
cat >"$T/bridge.conf" <<EOF
[board]
team = $TEAM
[mqtt]
broker = $BROKER
[bridge]
listen = 127.0.0.1:$HTTP_PORT
board = $BOARD_ID
[slack]
signing_secret = $SLACK_SECRET
[mattermost]
token = $MM_TOKEN, $MM_HOOK_TOKEN
[teams]
secret = $TEAMS_SECRET
[api]
token = $API_TOKEN
[notify]
url = http://127.0.0.1:$SINK_PORT/hooks/T000/B000/secret
EOF
"$BRIDGE" --config "$T/bridge.conf" --timeout 2 >>"$T/bridge.log" 2>&1 &
BRIDGE_PID=$!
PIDS+=("$BRIDGE_PID")
check "bridge is healthy once connected" wait_for 20 curl -sf -o /dev/null "$URL/healthz"

# ---- helpers ----
# exits_cleanly PID: the process ends within 10 s with status 0.
exits_cleanly() {
    wait_for 10 bash -c "! kill -0 $1 2>/dev/null" || return 1
    wait "$1"
}
# post PATH BODY [curl args]: prints the status; the reply is in $T/resp.
post() {
    local path=$1 body=$2
    shift 2
    curl -s -o "$T/resp" -w '%{http_code}' -X POST --data-binary "$body" "$@" "$URL$path"
}
hmac_hex() { openssl dgst -sha256 -hmac "$1" -r | cut -d' ' -f1; }
# slack BODY [TIMESTAMP [SECRET]]: a slash command signed the way Slack signs.
slack() {
    local body=$1 ts=${2:-$(date +%s)} secret=${3:-$SLACK_SECRET}
    local sig
    sig="v0=$(printf 'v0:%s:%s' "$ts" "$body" | hmac_hex "$secret")"
    post /slack/command "$body" -H 'Content-Type: application/x-www-form-urlencoded' \
        -H "X-Slack-Request-Timestamp: $ts" -H "X-Slack-Signature: $sig"
}
slack_body() { # USER TRIGGER_ID TEXT(+ for spaces) [COMMAND]
    printf 'token=legacy&team_id=T0001&team_domain=acme&channel_id=C1&channel_name=dev&'
    printf 'user_id=U1&user_name=%s&command=%s&text=%s&' "$1" "${4:-%2Fwall}" "$3"
    printf 'response_url=https%%3A%%2F%%2Fhooks.slack.com%%2Fcommands%%2F1%%2F2&trigger_id=%s' "$2"
}
teams_sig() { # BODY [KEY]: base64 HMAC-SHA256 keyed with the decoded secret
    local hex
    hex=$(printf %s "${2:-$TEAMS_KEY}" | od -An -tx1 | tr -d ' \n')
    printf %s "$1" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$hex" -binary | base64
}
teams() { # BODY [AUTH]
    local auth=${2:-HMAC $(teams_sig "$1")}
    post /teams/outgoing "$1" -H 'Content-Type: application/json' -H "Authorization: $auth"
}
api() { # BODY [curl args]
    local body=$1
    shift
    post /api/v1/commands "$body" -H 'Content-Type: application/json' \
        -H "Authorization: Bearer $API_TOKEN" "$@"
}
reply_has() { grep -qF -- "$1" "$T/resp"; }
items_with_id() { test "$(sql "SELECT count(*) FROM items WHERE id='$1'")" = "${2:-1}"; }
field() { sql "SELECT $2 FROM items WHERE id='$1'"; }
# Commands (not state or events) that reached the broker so far.
commands_seen() { grep -cE "^$ROOT/(post|claim|resolve|reopen) " "$T/all" || true; }
# Wait until the subscriber has seen everything published before now.
sync_sub() {
    local m="sync-$RANDOM$RANDOM"
    mosquitto_pub -p "$BROKER_PORT" -q 1 -t "$ROOT/test/sync" -m "$m"
    wait_for 10 grep -q "$m" "$T/all"
}

# ---- Slack ----
BODY=$(slack_body Ana 1111.2222.aaaa blocker+Waiting+on+prod+DB+access)
check "signed slack command: 200" test "$(slack "$BODY")" = 200
check "slack reply is ephemeral JSON" reply_has '"response_type":"ephemeral"'
check "slack command becomes a card" wait_for 10 items_with_id slack-1111.2222.aaaa
check "card fields" test "$(field slack-1111.2222.aaaa "kind||'|'||text||'|'||author||'|'||source")" = "blocker|Waiting on prod DB access|Ana|slack"
REF1=$(field slack-1111.2222.aaaa ref)
check "slack reply names the ref ($REF1)" reply_has "blocker $REF1 is on the wall"
check "slack retry: 200 again" test "$(slack "$BODY")" = 200
check "retry reply names the same ref" reply_has "$REF1"
# Platform command form: /question
BODY=$(slack_body Ana 1111.2222.bbbb Who+knows+the+VPN+setup%3F %2Fquestion)
check "slack /question: 200" test "$(slack "$BODY")" = 200
check "question card" wait_for 10 items_with_id slack-1111.2222.bbbb
check "question text decoded" test "$(field slack-1111.2222.bbbb text)" = "Who knows the VPN setup?"
REFQ=$(field slack-1111.2222.bbbb ref)
check "retried slack command posted once" items_with_id slack-1111.2222.aaaa 1
check "two cards so far" test "$(count_items)" = 2

# ---- nothing unverified gets through ----
sync_sub
BEFORE=$(commands_seen)
BODY=$(slack_body Mallory 9999.0000.ffff blocker+forged)
NOW=$(date +%s)
check "forged slack signature: 401" test "$(slack "$BODY" "$NOW" wrong-secret)" = 401
check "replayed slack request (10 minutes old): 401" test "$(slack "$BODY" $((NOW - 600)))" = 401
check "slack request from the future: 401" test "$(slack "$BODY" $((NOW + 600)))" = 401
SIG="v0=$(printf 'v0:%s:%s' "$NOW" "$BODY" | hmac_hex "$SLACK_SECRET")"
check "tampered slack body: 401" test "$(post /slack/command "${BODY}x" -H "X-Slack-Request-Timestamp: $NOW" -H "X-Slack-Signature: $SIG")" = 401
check "unsigned slack request: 401" test "$(post /slack/command "$BODY")" = 401
# Slack's certificate check comes unsigned and must get 200; nothing else may.
check "slack's unsigned ssl_check=1: 200" test "$(post /slack/command 'ssl_check=1&token=legacy' -H 'Content-Type: application/x-www-form-urlencoded')" = 200
check "unsigned ssl_check with a command: 401" test "$(post /slack/command 'ssl_check=1&command=%2Fwall&text=blocker+sneaky' -H 'Content-Type: application/x-www-form-urlencoded')" = 401
check "unsigned ssl_check=0: 401" test "$(post /slack/command 'ssl_check=0' -H 'Content-Type: application/x-www-form-urlencoded')" = 401
check "malformed slack signature: 401" test "$(post /slack/command "$BODY" -H "X-Slack-Request-Timestamp: $NOW" -H 'X-Slack-Signature: v0=zz')" = 401
MM_BAD="token=not-the-token&user_name=Mallory&command=%2Fwall&text=blocker+forged&trigger_id=mm-forged"
check "wrong mattermost token: 401" test "$(post /mattermost/command "$MM_BAD")" = 401
check "missing mattermost token: 401" test "$(post /mattermost/command "user_name=M&text=blocker+x&trigger_id=y")" = 401
check "wrong mattermost token header: 401" test "$(post /mattermost/command "user_name=M&text=blocker+x" -H 'Authorization: Token nope')" = 401
check "wrong outgoing webhook token: 401" test "$(post /mattermost/outgoing "token=nope&user_name=M&text=wall+blocker+x&trigger_word=wall&post_id=p9")" = 401
TB='{"type":"message","id":"forged-1","text":"<at>Wall</at> blocker forged","from":{"name":"Mallory"}}'
check "teams HMAC with the wrong key: 401" test "$(teams "$TB" "HMAC $(teams_sig "$TB" 'some-other-key-of-32-bytes-long!')")" = 401
check "teams HMAC keyed with the undecoded secret: 401" test "$(teams "$TB" "HMAC $(printf %s "$TB" | openssl dgst -sha256 -hmac "$TEAMS_SECRET" -binary | base64)")" = 401
check "teams without Authorization: 401" test "$(post /teams/outgoing "$TB")" = 401
check "api with the wrong bearer token: 401" test "$(post /api/v1/commands '{"text":"blocker forged"}' -H 'Authorization: Bearer nope')" = 401
check "api without a token: 401" test "$(post /api/v1/commands '{"text":"blocker forged"}')" = 401
# Over 64 KiB: refused by Content-Length before reading, and when chunked
# (no length) once the bytes read pass the cap. Correctly signed, even.
head -c 70000 /dev/zero | tr '\0' 'a' >"$T/big"
BIG="token=x&user_name=Big&command=%2Fwall&trigger_id=big1&text=blocker+$(cat "$T/big")"
check "oversized signed body: 413" test "$(slack "$BIG")" = 413
check "oversized chunked body: 413" test "$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Transfer-Encoding: chunked' -H "Authorization: Bearer $API_TOKEN" --data-binary @"$T/big" "$URL/api/v1/commands")" = 413
sync_sub
check "nothing unverified reached the broker" test "$(commands_seen)" = "$BEFORE"
check "the bridge keeps serving" curl -sf -o /dev/null "$URL/healthz"

# ---- Mattermost ----
MM="channel_id=c1&command=%2Fwall&response_url=http%3A%2F%2Fmm%2Fhooks%2Fcommands%2Fx&team_domain=acme&text=blocker+Staging+is+down&token=$MM_TOKEN&trigger_id=bW0tdHJpZ2dlci0x&user_id=u2&user_name=ben"
check "mattermost slash command: 200" test "$(post /mattermost/command "$MM")" = 200
check "mattermost reply is ephemeral" reply_has '"response_type":"ephemeral"'
MMID=$(sql "SELECT id FROM items WHERE source='mattermost' LIMIT 1")
check "mattermost command becomes a card" wait_for 10 bash -c "test \"\$(sqlite3 -batch -noheader '$T/board.db' \"SELECT count(*) FROM items WHERE source='mattermost' AND author='ben' AND text='Staging is down'\")\" = 1"
MMID=$(sql "SELECT id FROM items WHERE source='mattermost'")
check "mattermost reply names the ref" reply_has "$(field "$MMID" ref)"
check "mattermost retry: 200" test "$(post /mattermost/command "$MM")" = 200
check "token in an Authorization header works too" test "$(post /mattermost/command "user_name=ben&command=%2Fwin&text=Staging+is+back&trigger_id=mm-2" -H "Authorization: Token $MM_TOKEN")" = 200
check "win card from /win" wait_for 10 items_with_id mattermost-mm-2
MMO='{"token":"'$MM_HOOK_TOKEN'","team_id":"t","channel_id":"c","timestamp":1445532266,"user_id":"u3","user_name":"cleo","post_id":"fqsiik3c9b8ndfwqr6bc4xmc1w","text":"wall question Where are the release notes?","trigger_word":"wall","file_ids":""}'
check "mattermost outgoing webhook: 200" test "$(post /mattermost/outgoing "$MMO" -H 'Content-Type: application/json')" = 200
check "outgoing webhook reply is {\"text\":…}" bash -c "grep -q '^{\"text\":\"Done: question' '$T/resp'"
check "outgoing webhook becomes a card" wait_for 10 items_with_id mattermost-fqsiik3c9b8ndfwqr6bc4xmc1w
check "mattermost retry posted once" test "$(sql "SELECT count(*) FROM items WHERE source='mattermost'")" = 3

# ---- Teams ----
TB='{"type":"message","id":"1485983408511","timestamp":"2026-11-25T09:14:03.000Z","channelId":"msteams","text":"<at>Wall</at>&nbsp;blocker Certificates expire &amp; nobody owns them\n","from":{"id":"29:1abc","name":"Dana Cruz","aadObjectId":"x"}}'
check "signed teams message: 200" test "$(teams "$TB")" = 200
check "teams reply is a message" reply_has '"type":"message"'
check "teams message becomes a card" wait_for 10 items_with_id teams-1485983408511
check "teams text and author" test "$(field teams-1485983408511 "text||'|'||author")" = "Certificates expire & nobody owns them|Dana Cruz"
check "teams reply names the ref" reply_has "$(field teams-1485983408511 ref)"
check "teams retry: 200" test "$(teams "$TB")" = 200

# ---- API: the curl line of docs/CHAT.md, as it stands there ----
TEAMWALL_URL=$URL TEAMWALL_TOKEN=$API_TOKEN CI_PIPELINE_ID=pipeline-1234
curl -fsS -X POST "$TEAMWALL_URL/api/v1/commands" \
    -H "Authorization: Bearer $TEAMWALL_TOKEN" -H 'Content-Type: application/json' \
    -H "Idempotency-Key: $CI_PIPELINE_ID" \
    -d '{"command":"/win","text":"release 4.2 shipped","author":"ci"}' >"$T/resp" 2>&1
check "api command answers ok" reply_has '"ok":true'
check "api command becomes a card" wait_for 10 items_with_id api-pipeline-1234
check "api reply has ref and id" reply_has "\"ref\":\"$(field api-pipeline-1234 ref)\",\"id\":\"api-pipeline-1234\""
check "api retry: 200" test "$(api '{"command":"/win","text":"release 4.2 shipped","author":"ci"}' -H 'Idempotency-Key: pipeline-1234')" = 200
check "api id in the body" test "$(api '{"text":"blocker flaky e2e suite","author":"ci","id":"gh-run-77"}')" = 200
check "api body id becomes the card id" wait_for 10 items_with_id api-gh-run-77
# Without any id: a retry within the minute still posts once.
check "api without id" test "$(api '{"command":"/question","text":"who owns the runners?","author":"ci"}')" = 200
check "api without id, retried" test "$(api '{"command":"/question","text":"who owns the runners?","author":"ci"}')" = 200
sync_sub
check "every retry posted once" wait_for 10 bash -c "test \"\$(sqlite3 -batch -noheader '$T/board.db' \"SELECT count(*) FROM items WHERE text='who owns the runners?'\")\" = 1"
check "teams and api retries posted once" test "$(sql "SELECT count(*) FROM items WHERE id IN ('teams-1485983408511','api-pipeline-1234')")" = 2

# ---- concurrency: eight at once ----
for i in 1 2 3 4 5 6 7 8; do
    api "{\"text\":\"win parallel $i\",\"author\":\"p$i\",\"id\":\"par-$i\"}" -o "$T/par$i" >"$T/par$i.code" &
done
wait_all_ok() { local i; for i in 1 2 3 4 5 6 7 8; do test "$(cat "$T/par$i.code" 2>/dev/null)" = 200 || return 1; done; }
check "eight concurrent requests all answered 200" wait_for 10 wait_all_ok
check "eight concurrent cards" wait_for 10 bash -c "test \"\$(sqlite3 -batch -noheader '$T/board.db' \"SELECT count(*) FROM items WHERE id LIKE 'api-par-%'\")\" = 8"

# ---- board, claim, answer, resolve ----
state_has() { retained_state 2>/dev/null | grep -q "\"id\":\"$1\""; }
check "retained state has the cards" wait_for 10 state_has api-par-8
check "board: 200" test "$(slack "$(slack_body Ana 3333.0001 board)")" = 200
check "board lists blockers with refs" reply_has "\`$REF1\` Waiting on prod DB access (Ana)"
check "board lists questions" reply_has "\`$REFQ\` Who knows the VPN setup? (Ana)"
check "board groups by kind" bash -c "grep -q 'Blockers.*Questions.*Wins' '$T/resp'"
check "claim: 200" test "$(slack "$(slack_body Ben 3333.0002 claim+"$REF1")")" = 200
check "claim reply quotes the card" reply_has "is claimed by Ben"
check "claimed in the store" wait_for 10 bash -c "test \"\$(sqlite3 -batch -noheader '$T/board.db' \"SELECT state||'|'||claimed_by FROM items WHERE id='slack-1111.2222.aaaa'\")\" = 'claimed|Ben'"
check "answer: 200" test "$(slack "$(slack_body Ben 3333.0003 answer+"$REFQ"+Ask+IT%3B+the+form+is+on+the+wiki)")" = 200
check "answered in the store" wait_for 10 bash -c "test \"\$(sqlite3 -batch -noheader '$T/board.db' \"SELECT state||'|'||note||'|'||resolved_by FROM items WHERE id='slack-1111.2222.bbbb'\")\" = 'resolved|Ask IT; the form is on the wiki|Ben'"
check "resolve: 200" test "$(slack "$(slack_body Ben 3333.0004 resolve+"$REF1"+DBA+granted+access)")" = 200
check "resolved in the store" wait_for 10 bash -c "test \"\$(sqlite3 -batch -noheader '$T/board.db' \"SELECT state FROM items WHERE id='slack-1111.2222.aaaa'\")\" = resolved"
check "reopen by full id: 200" test "$(slack "$(slack_body Ana 3333.0005 reopen+slack-1111.2222.aaaa %2Fwall)")" = 200
check "reopened in the store" wait_for 10 bash -c "test \"\$(sqlite3 -batch -noheader '$T/board.db' \"SELECT state FROM items WHERE id='slack-1111.2222.aaaa'\")\" = open"

# ---- bad commands get help, not errors ----
check "unknown command: 200" test "$(slack "$(slack_body Ana 4444.0001 blokcer+typo)")" = 200
# (Slack escapes <, > and & as entities.)
check "unknown command reply explains and lists the commands" bash -c "grep -q 'know' '$T/resp' && grep -q 'answer &lt;ref&gt; &lt;text&gt;' '$T/resp'"
check "empty blocker: 200 with an example" test "$(slack "$(slack_body Ana 4444.0002 blocker)")" = 200
check "empty blocker reply" reply_has "What is the blocker?"
check "help: 200" test "$(slack "$(slack_body Ana 4444.0003 help)")" = 200
check "api bad command: 400 with ok:false" test "$(api '{"text":"claim"}')" = 400
check "api error names the problem" reply_has '"ok":false,"error":"Which item?'
check "api invalid JSON: 400" test "$(api '{"text":')" = 400
check "unknown path: 404" test "$(post /nope x)" = 404
check "GET on a POST route: 405" test "$(curl -s -o /dev/null -w '%{http_code}' "$URL/slack/command")" = 405

# ---- rate limit ----
got429=0
for i in $(seq 1 25); do
    [ "$(api '{"text":"help","author":"flood"}')" = 429 ] && got429=1
done
check "per-user rate limit answers 429" test "$got429" = 1
check "other users are not limited" test "$(api '{"text":"help","author":"calm"}')" = 200

# ---- slow client ----
slow_client_cut() {
    exec 3<>"/dev/tcp/127.0.0.1/$HTTP_PORT" || return 1
    printf 'POST /slack/command HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n' >&3
    # Never finish the request: the bridge must close the connection.
    timeout 10 cat <&3 >/dev/null
    local rc=$?
    exec 3<&-
    return $rc
}
START=$SECONDS
check "slow client is cut off" slow_client_cut
check "...after the 2 s timeout, not before" test $((SECONDS - START)) -ge 1
check "the bridge still serves after a slow client" curl -sf -o /dev/null "$URL/healthz"

# ---- notifications ----
check "new blocker notified (after one retry)" wait_for 20 bash -c "grep -v '^500 ' '$T/sink.out' | grep -q 'New blocker .*Waiting on prod DB access'"
check "the failed first attempt was retried" grep -q '^500 {"text":"New blocker' "$T/sink.out"
check "answer notified" wait_for 20 grep -q 'Ben answered .*Ask IT; the form is on the wiki' "$T/sink.out"
check "resolution notified" wait_for 20 grep -q 'Ben resolved blocker .*DBA granted access' "$T/sink.out"
check "wins are not notified" bash -c "! grep -q 'parallel' '$T/sink.out'"
# A batch (a pass of the board's that committed several events, here sent as
# the board, which the ACL allows only it): one notification a member, in order.
B1='{"event":"posted","item":{"ref":"bt01","kind":"blocker","text":"Batched first","author":"Ana"}}'
BW='{"event":"posted","item":{"ref":"bt02","kind":"win","text":"Batched win"}}'
B3='{"event":"resolved","item":{"ref":"bt01","kind":"blocker","text":"Batched first","resolved_by":"Ben","note":null}}'
mosquitto_pub -p "$BROKER_PORT" -u "$BOARD_ID" -q 1 -t "$ROOT/board/$BOARD_ID/events" \
    -m "{\"event\":\"batch\",\"events\":[$B1,$BW,$B3]}"
check "a batch: each member notified" wait_for 20 grep -q 'Ben resolved blocker `bt01`' "$T/sink.out"
check "...in order, the win left out" test "$(grep -o 'New blocker `bt01`\|Ben resolved blocker `bt01`\|Batched win' "$T/sink.out" | tr '\n' '|')" = 'New blocker `bt01`|Ben resolved blocker `bt01`|'

# ---- metrics ----
curl -sf "$URL/metrics" >"$T/metrics"
metric() { awk -v k="$1" '$1 == k { print $2 }' "$T/metrics"; }
check "metrics: slack 200s counted" test "$(metric 'teamwall_bridge_requests_total{route="/slack/command",code="200"}')" -ge 10
check "metrics: slack 401s counted" test "$(metric 'teamwall_bridge_requests_total{route="/slack/command",code="401"}')" -ge 6
check "metrics: 413s counted" test "$(metric 'teamwall_bridge_requests_total{route="/slack/command",code="413"}')" = 1
check "metrics: 429s counted" test "$(metric 'teamwall_bridge_requests_total{route="/api/v1/commands",code="429"}')" -ge 1
check "metrics: publishes" test "$(metric teamwall_bridge_publishes_total)" -ge 20
check "metrics: no publish failures yet" test "$(metric teamwall_bridge_publish_failures_total)" = 0
check "metrics: notifications sent" test "$(metric teamwall_bridge_notify_sent_total)" -ge 3
check "metrics: broker connected" test "$(metric teamwall_bridge_broker_connected)" = 1

# ---- a route whose secret is not configured is 404 ----
HTTP_PORT2=$(free_port)
"$BRIDGE" --broker "$BROKER" --team "$TEAM" --listen "127.0.0.1:$HTTP_PORT2" --config /dev/null \
    >>"$T/bridge2.log" 2>&1 &
B2=$!
PIDS+=("$B2")
check "second bridge (no secrets) comes up" wait_for 20 curl -sf -o /dev/null "http://127.0.0.1:$HTTP_PORT2/healthz"
for r in /slack/command /mattermost/command /mattermost/outgoing /teams/outgoing /api/v1/commands; do
    check "unconfigured $r: 404" test "$(curl -s -o /dev/null -w '%{http_code}' -X POST -d x "http://127.0.0.1:$HTTP_PORT2$r")" = 404
done
kill -TERM "$B2"
check "SIGTERM stops the bridge cleanly (exit 0)" exits_cleanly "$B2"

# ---- broker down ----
stop_broker
unhealthy() { test "$(curl -s -o /dev/null -w '%{http_code}' "$URL/healthz")" = 503; }
check "healthz 503 once the broker is gone" wait_for 10 unhealthy
START_MS=$(date +%s%3N)
check "slack command with the broker down: 200" test "$(slack "$(slack_body Ana 5555.0001 blocker+while+offline)")" = 200
check "...says the wall is offline" reply_has "The wall is offline"
check "...at once (under 2 s)" test $(($(date +%s%3N) - START_MS)) -lt 2000
check "api with the broker down: 503" test "$(api '{"text":"win offline","id":"off-1"}')" = 503
check "api offline error" reply_has '"ok":false,"error":"The wall is offline'


# ---- broker back ----
start_broker "$BROKER_PORT"
check "healthz 200 again once the broker is back" wait_for 20 curl -sf -o /dev/null "$URL/healthz"
check "commands go through again" test "$(api '{"text":"win back online","author":"ci","id":"back-1"}')" = 200
check "...and reach the wall" wait_for 20 items_with_id api-back-1

kill -TERM "$BRIDGE_PID"
check "SIGTERM stops the main bridge cleanly (exit 0)" exits_cleanly "$BRIDGE_PID"
check "bridge log says it shut down" grep -q "shutting down" "$T/bridge.log"
finish

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The web view (docs/WEB.md) end to end: a real mosquitto, real boards, real
# teamwall-bridge processes on free loopback ports, curl for the HTTP rules
# and Debian's chromium (headless, driven over the DevTools protocol by
# tests/web_browser.py) for the page itself.
#   - the files: types, Cache-Control, ETag and 304, gzip when asked, the CSP
#   - the live page: a post made after it loaded shows within 2 s, as text
#     even when it is an <img onerror> payload; its Claim button claims it
#     through the broker; a resolve removes it; the bridge restarts under the
#     open page and the page comes back by itself, actions working
#   - a real stand-up on the live board: the page shows its item, phase,
#     position and timers, its Next moves the board on, stop shows the
#     summary; the summary and a carried-over item from published states
#   - the event stream: a change within 1 s, keep-alive comments,
#     Last-Event-ID; 200 viewers at once all get each change within 1 s and
#     the chats still answer
#   - the theme (the wall's, the viewer's choice, the device's preference),
#     the phone layout, [web] assets and a missing asset folder
#   - access: loopback only without a token (and no other Host: DNS
#     rebinding), the login link's signed HttpOnly SameSite cookie, Bearer,
#     a tampered cookie, actions only with [web] actions and a CSRF token
#   - reference screenshots at 1280x800 and 390x844 (tests/ref/web_*.png;
#     TW_UPDATE_REF=1 rewrites them: a reviewed change, look at both)
. "$(dirname "$0")/lib.sh"

BRIDGE="$TW_BUILD_DIR/teamwall-bridge"
DRIVER="$TW_SOURCE_DIR/tests/web_browser.py"
PNGCMP="$TW_BUILD_DIR/tests/pngcmp"
if [ ! -x "$BRIDGE" ] && grep -q '^TW_WITH_BRIDGE:BOOL=OFF' "$TW_BUILD_DIR/CMakeCache.txt" 2>/dev/null; then
    echo "teamwall-bridge is not built here (TW_WITH_BRIDGE=OFF): nothing to test"
    exit 0
fi
for tool in curl python3 chromium gzip; do
    command -v "$tool" >/dev/null || { echo "it_web: needs $tool (scripts/deps.sh test)" >&2; exit 1; }
done

NOW=2026-11-25T10:00:00Z
start_broker
start_board
check "board comes online" wait_online

# start_bridge NAME HOST BOARD [extra config lines]: a bridge with its own
# config on a free port of HOST; sets <NAME>_URL and <NAME>_PID. Another
# test may take the port between the check and the bind: then another one.
start_bridge() {
    local name=$1 host=$2 board=$3 try
    shift 3
    for try in 1 2 3 4 5; do
        start_bridge_on "$name" "$host:$(free_port)" "$board" "$@" && return 0
        grep -q 'Address already in use' "$T/$name.log" || return 1
    done
    return 1
}
start_bridge_on() {
    local name=$1 listen=$2 board=$3
    shift 3
    {
        printf '[board]\nteam = %s\n[mqtt]\nbroker = %s\n' "$TEAM" "$BROKER"
        printf '[bridge]\nlisten = %s\nboard = %s\n' "$listen" "$board"
        printf '[api]\ntoken = api-token-web\n'
        printf '%s\n' "$@"
    } >"$T/$name.conf"
    "$BRIDGE" --config "$T/$name.conf" >>"$T/$name.log" 2>&1 &
    local pid=$!
    PIDS+=("$pid")
    local port=${listen##*:}
    printf -v "${name}_PID" %s "$pid"
    printf -v "${name}_URL" %s "http://127.0.0.1:$port"
    wait_for 20 bash -c "curl -sf -o /dev/null 'http://127.0.0.1:$port/healthz' || ! kill -0 $pid" &&
        kill -0 "$pid" 2>/dev/null
}

check "bridge (live board, actions on) is up" start_bridge LIVE 127.0.0.1 "$BOARD_ID" \
    '[web]' 'actions = true'
check "bridge (fixture board, read-only) is up" start_bridge FIX 127.0.0.1 fixture

check "bridge (a board that never publishes) is up" start_bridge QUIET 127.0.0.1 quiet
# Event streams left open for the whole test: the live one must see the
# live post, the quiet one keep-alive comments (every 15 s when idle).
curl -sN "$LIVE_URL/board/events" >"$T/live.sse" 2>/dev/null &
PIDS+=($!)
curl -sN "$QUIET_URL/board/events" >"$T/keepalive.sse" 2>/dev/null &
PIDS+=($!)
KEEPALIVE_T0=$SECONDS

# ---- the files ----
hdr() { curl -s -D - -o /dev/null "$@" | tr -d '\r'; }
has() { grep -qiF -- "$2" <<<"$1"; }
H=$(hdr "$LIVE_URL/")
check "page: text/html" has "$H" "content-type: text/html; charset=utf-8"
check "page: a strict CSP" has "$H" "content-security-policy: default-src 'none'; script-src 'self'; style-src 'self'"
check "page: Cache-Control no-cache (revalidate)" has "$H" "cache-control: no-cache"
check "page: nosniff, not framed" bash -c "grep -qi 'x-content-type-options: nosniff' <<<\"\$0\" && grep -qi 'x-frame-options: deny' <<<\"\$0\"" "$H"
ETAG=$(sed -n 's/^etag: //Ip' <<<"$H")
check "page: an ETag" test -n "$ETAG"
check "page: 304 when unchanged" test "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $ETAG" "$LIVE_URL/")" = 304
check "css: text/css" has "$(hdr "$LIVE_URL/web/app.css")" "content-type: text/css"
check "js: text/javascript" has "$(hdr "$LIVE_URL/web/app.js")" "content-type: text/javascript"
check "icon: image/svg+xml" has "$(hdr "$LIVE_URL/web/icon.svg")" "content-type: image/svg+xml"
check "the wall's font: font/otf, the bundled file" bash -c "grep -qi 'content-type: font/otf' <<<\"\$0\" && curl -s '$LIVE_URL/web/Inter-Regular.otf' | cmp -s - '$TW_SOURCE_DIR/assets/fonts/Inter-Regular.otf'" "$(hdr "$LIVE_URL/web/Inter-Regular.otf")"
check "the CSP allows the bridge's fonts, nothing else" has "$H" "font-src 'self'"
HZ=$(hdr -H 'Accept-Encoding: gzip, deflate' "$LIVE_URL/web/app.js")
check "js: gzip when asked, Vary: Accept-Encoding" bash -c "grep -qi 'content-encoding: gzip' <<<\"\$0\" && grep -qi 'vary: accept-encoding' <<<\"\$0\"" "$HZ"
curl -s -H 'Accept-Encoding: gzip' "$LIVE_URL/web/app.js" | gzip -dc >"$T/app.js"
check "js: the gzip is the file" cmp -s "$T/app.js" "$TW_SOURCE_DIR/assets/web/app.js"
check "js: no gzip when q=0" bash -c "! grep -qi 'content-encoding' <<<\"\$0\"" "$(hdr -H 'Accept-Encoding: gzip;q=0' "$LIVE_URL/web/app.js")"
check "board.json: the retained state" bash -c "curl -sf '$LIVE_URL/board.json' | grep -q '\"board\":\"$BOARD_ID\"'"
check "board.json: application/json" has "$(hdr "$LIVE_URL/board.json")" "content-type: application/json"
check "POST / is 405" test "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$LIVE_URL/")" = 405
check "Host other than loopback: 403 (DNS rebinding)" \
    test "$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: evil.example:80' "$LIVE_URL/board.json")" = 403

# ---- the live page in a real browser ----
echo "$LIVE_PID" >"$T/live.pid"
if python3 "$DRIVER" page "$LIVE_URL/" --out "$T" --mqtt-port "$BROKER_PORT" --root "$ROOT" \
    --bridge "$BRIDGE" --bridge-config "$T/LIVE.conf" --bridge-log "$T/LIVE.log" --pidfile "$T/live.pid" \
    >"$T/page.json" 2>>"$T/driver.log"; then
    pass "browser: post within 2 s, as text; Claim; resolve removes it; reconnects after a bridge restart ($(cat "$T/page.json"))"
else
    fail "browser: $(cat "$T/page.json")"
fi
LIVE_PID=$(cat "$T/live.pid")
PIDS+=("$LIVE_PID")
check "the page's claim reached the board as a command" \
    wait_for 5 sql_is "SELECT claimed_by FROM items WHERE id LIKE 'web-test-%'" "Web Tester"
# A real stand-up on the live board (issue 10's), followed by the page.
if python3 "$DRIVER" standup "$LIVE_URL/" --out "$T" --mqtt-port "$BROKER_PORT" --root "$ROOT" \
    >"$T/standup-live.json" 2>>"$T/driver.log"; then
    pass "a real stand-up: the page shows its item, Next moves it on, stop shows the summary ($(cat "$T/standup-live.json"))"
else
    fail "real stand-up: $(cat "$T/standup-live.json")"
fi

# ---- the event stream ----
FIXTOPIC="$ROOT/board/fixture/state"
if python3 "$DRIVER" latency "$FIX_URL/board/events" --mqtt-port "$BROKER_PORT" --topic "$FIXTOPIC" >"$T/latency.json" 2>>"$T/driver.log"; then
    pass "stream: change within 1 s, Last-Event-ID ($(cat "$T/latency.json"))"
else
    fail "stream: $(cat "$T/latency.json")"
fi
if python3 "$DRIVER" viewers "$FIX_URL/board/events" --count 200 --changes 5 --idle 2 \
    --mqtt-port "$BROKER_PORT" --topic "$FIXTOPIC" --pid "$FIX_PID" --health "$FIX_URL/healthz" \
    >"$T/viewers.json" 2>>"$T/driver.log"; then
    pass "200 viewers: every change to all within 1 s, chats still answer ($(cat "$T/viewers.json"))"
else
    fail "200 viewers: $(cat "$T/viewers.json")"
fi
check "viewers are counted in /metrics" bash -c "curl -s '$FIX_URL/metrics' | grep -q '^teamwall_bridge_web_viewers '"

# ---- the stand-up and the reference screenshots ----
# A fixture board with a fixed clock publishes a known state; the test adds
# the stand-up object of PROTOCOL.md to it, as the fixture board's state.
"$TEAMWALL" --broker "$BROKER" --team "$TEAM" --board fixture --db "$T/fixture.db" --headless \
    --size 800x480 --now "$NOW" >>"$T/fixture.log" 2>&1 &
FIXBOARD_PID=$!
PIDS+=("$FIXBOARD_PID")
fixture_online() {
    mosquitto_sub -p "$BROKER_PORT" -t "$ROOT/board/fixture/status" -C 1 -W 1 2>/dev/null | grep -q '"online"'
}
check "fixture board online" wait_for 20 fixture_online
while IFS='|' read -r kind id ts author text; do
    [ -z "$kind" ] && continue
    pub post "{\"kind\":\"$kind\",\"id\":\"$id\",\"ts\":\"$ts\",\"author\":\"$author\",\"text\":\"$text\"}"
done <<'FIXTURE'
blocker|fx-b1|2026-11-21T09:00:00Z|Ana|Waiting on prod DB access for the billing migration
blocker|fx-b2|2026-11-24T08:30:00Z|Ben|CI is red on main since the dependency bump
blocker|fx-b3|2026-11-25T09:40:00Z|Chloé|Staging certificate expired, the demo at 11:00 needs it and nobody seems to know where the renewal script lives
question|fx-q1|2026-11-25T08:00:00Z|Dev|Who knows the VPN setup for contractors?
question|fx-q2|2026-11-25T09:55:00Z|Eve|Is the design review moved to Thursday?
win|fx-w1|2026-11-24T17:00:00Z|Farid|First deploy of the new pipeline 🎉
win|fx-w2|2026-11-25T09:00:00Z|Gao|Café déjà vu: the flaky test is finally fixed
FIXTURE
pub claim '{"ref":"fx-b2","by":"Ana"}'
fixture_state_has() {
    mosquitto_sub -p "$BROKER_PORT" -t "$FIXTOPIC" -C 1 -W 2 2>/dev/null >"$T/fixture.json" &&
        python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); sys.exit(0 if len(s["items"])==7 and any(i["claimed_by"]=="Ana" for i in s["items"]) else 1)' "$T/fixture.json"
}
check "fixture board published its 7 items" wait_for 20 fixture_state_has
cp "$T/fixture.json" "$T/nostandup.json"
# Its own stand-up (issue 10), moved on to the second blocker.
pub standup '{"action":"start","by":"Ana"}'
fixture_standup_at() { # POSITION ITEM
    mosquitto_sub -p "$BROKER_PORT" -t "$FIXTOPIC" -C 1 -W 2 2>/dev/null >"$T/fixture.json" &&
        python3 -c 'import json,sys; s=json.load(open(sys.argv[1])).get("standup") or {}; sys.exit(0 if s.get("position")==int(sys.argv[2]) and s.get("item")==sys.argv[3] else 1)' "$T/fixture.json" "$1" "$2"
}
check "the fixture board's stand-up starts at the oldest blocker" wait_for 10 fixture_standup_at 1 fx-b1
pub standup '{"action":"next","at":1}'
check "... and moves on to the next" wait_for 10 fixture_standup_at 2 fx-b2
kill -TERM "$FIXBOARD_PID"
wait "$FIXBOARD_PID" 2>/dev/null || true
# The fixture board stood still at 10:00; the pictures show it live.
mosquitto_pub -p "$BROKER_PORT" -q 1 -r -u fixture -t "$ROOT/board/fixture/status" -m '{"state":"online"}'

python3 - "$T/fixture.json" "$T/standup.json" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))  # the board's own, with its running stand-up
s["warnings"] = [{"kind": "button-battery", "button": "desk-3", "battery": 9}]
# Figures of a team with history (the fixture board has none: a resolve is
# timed by the real clock, outside its fixed one).
opened = [1, 0, 2, 1, 0, 0, 3, 1, 2, 0, 1, 1, 2, 1]
cleared = [0, 1, 1, 2, 0, 0, 1, 2, 2, 1, 0, 1, 1, 0]
s["figures"] = {"blocker_clear": {"median_s": 5400, "count": 11, "prev_median_s": 9000, "prev_count": 8},
                "questions": {"asked": 9, "decided": 8, "answered_4h": 6, "percent": 75},
                "blockers_per_day": [{"day": "2026-11-%02d" % (12 + d), "opened": o, "cleared": c}
                                     for d, (o, c) in enumerate(zip(opened, cleared))],
                "wins_week": 5}
json.dump(s, open(sys.argv[2], "w"), ensure_ascii=False, separators=(",", ":"))
EOF
# As the fixture board: the shipped ACLs let only a board publish its state.
mosquitto_pub -p "$BROKER_PORT" -q 1 -r -u fixture -t "$FIXTOPIC" -f "$T/standup.json"
check "the fixture's stand-up state reached the bridge" \
    wait_for 5 bash -c "curl -s '$FIX_URL/board.json' | grep -q warnings"

shot() { # NAME SIZE [driver args]
    local name=$1 size=$2
    shift 2
    python3 "$DRIVER" shot "$FIX_URL/?now=$NOW" --out "$T/$name.png" --size "$size" "$@" \
        >"$T/$name.json" 2>>"$T/driver.log"
}
# The chart: day 2 opened nothing (0 px), day 7 the most (the full 44 px).
if shot web_1280x800 1280x800 --expect-standup fx-b2 \
    --eval "(() => { const d = document.querySelectorAll('.chart .day'); return d.length === 14 && d[1].querySelector('.opened').getBoundingClientRect().height === 0 && d[6].querySelector('.opened').getBoundingClientRect().height === 44; })()"; then
    pass "stand-up shows its item and timers at 1280x800; the chart's bars to scale"
else
    fail "stand-up at 1280x800: $(cat "$T/web_1280x800.json")"
fi
if shot web_390x844 390x844 --expect-standup fx-b2 \
    --eval "document.documentElement.scrollWidth <= 390 && getComputedStyle(document.querySelector('.wall')).gridTemplateColumns.split(' ').length === 1"; then
    pass "phone: one column, nothing wider than the screen"
else
    fail "phone: $(cat "$T/web_390x844.json")"
fi
if shot theme 800x600 --eval "(() => { document.getElementById('theme').click(); return document.documentElement.dataset.theme === 'light' && getComputedStyle(document.documentElement).backgroundColor === 'rgb(236, 239, 243)'; })()"; then
    pass "the wall's theme first (dark), the viewer's choice (light) on a click"
else
    fail "theme: $(cat "$T/theme.json")"
fi
# The stand-up's summary, then no stand-up: the page follows.
python3 - "$T/standup.json" "$T/summary.json" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
s["standup"].update(phase="summary", item=None, item_started=None, position=8, carried_over=0,
                    ended="2026-11-25T10:00:00Z",
                    summary={"discussed": 7, "resolved": ["fx-b3"], "claimed": ["fx-b2", "fx-q1"],
                             "still_open": 6, "carried_over": ["fx-b1"], "duration_s": 540})
json.dump(s, open(sys.argv[2], "w"), ensure_ascii=False, separators=(",", ":"))
EOF
mosquitto_pub -p "$BROKER_PORT" -q 1 -r -u fixture -t "$FIXTOPIC" -f "$T/summary.json"
check "the summary state reached the bridge" \
    wait_for 5 bash -c "curl -s '$FIX_URL/board.json' | grep -q '\"phase\":\"summary\"'"
if shot summary 800x600 --eval "(() => { const v = [...document.querySelectorAll('#standup .su-summary .value')].map(e => e.textContent); return v.join(' ') === '7 1 2 1 9:00' && document.getElementById('su-item-timer') === null && document.getElementById('su-meeting-timer') === null && !/8 of 7/.test(document.getElementById('standup').textContent); })()"; then
    pass "stand-up summary: discussed, resolved, claimed, carried over, duration"
else
    fail "summary: $(cat "$T/summary.json")"
fi
# An item already open at two earlier stand-ups says so.
python3 - "$T/standup.json" "$T/carried.json" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
s["standup"]["carried_over"] = 2
json.dump(s, open(sys.argv[2], "w"), ensure_ascii=False, separators=(",", ":"))
EOF
mosquitto_pub -p "$BROKER_PORT" -q 1 -r -u fixture -t "$FIXTOPIC" -f "$T/carried.json"
check "the carried-over state reached the bridge" \
    wait_for 5 bash -c "curl -s '$FIX_URL/board.json' | grep -q '\"carried_over\":2'"
if shot carried 800x600 --eval "/open at 2 earlier stand-ups/.test(document.getElementById('standup').textContent)"; then
    pass "stand-up: an item carried over says how many times"
else
    fail "carried over: $(cat "$T/carried.json")"
fi
mosquitto_pub -p "$BROKER_PORT" -q 1 -r -u fixture -t "$FIXTOPIC" -f "$T/nostandup.json"
check "the state without a stand-up reached the bridge" \
    wait_for 5 bash -c "curl -s '$FIX_URL/board.json' | grep -q '\"standup\":null'"
if shot nostandup 800x600 --eval "document.getElementById('standup').hidden && document.querySelectorAll('.card').length === 7"; then
    pass "no stand-up: no stand-up panel, the seven cards"
else
    fail "no stand-up: $(cat "$T/nostandup.json")"
fi

if shot system 800x600 --media light --eval "(() => { const b = document.getElementById('theme'); const first = document.documentElement.dataset.theme; b.click(); b.click(); b.click(); return first === 'dark' && /device/.test(b.title) && document.documentElement.dataset.theme === 'light'; })()"; then
    pass "theme as this device: the viewer's prefers-color-scheme (light) over the wall's dark"
else
    fail "system theme: $(cat "$T/system.json")"
fi
for ref in web_1280x800 web_390x844; do
    if [ "${TW_UPDATE_REF:-0}" = 1 ]; then
        cp "$T/$ref.png" "$TW_SOURCE_DIR/tests/ref/$ref.png"
        echo "reference updated: tests/ref/$ref.png"
    fi
    check "$ref matches the reviewed reference" "$PNGCMP" "$T/$ref.png" "$TW_SOURCE_DIR/tests/ref/$ref.png"
done

# ---- access ----
TOKEN=web-token-5f3a9c
check "bridge with [web] token is up" start_bridge SEC 127.0.0.1 "$BOARD_ID" \
    '[web]' "token = old-token, $TOKEN" 'actions = true'
code() { curl -s -o "$T/body" -w '%{http_code}' "$@"; }
check "token: the page without it is 401" test "$(code "$SEC_URL/")" = 401
check "token: the state without it is 401" test "$(code "$SEC_URL/board.json")" = 401
check "token: the stream without it is 401" test "$(code "$SEC_URL/board/events")" = 401
check "token: a wrong login link is 401" test "$(code "$SEC_URL/login?token=nope")" = 401
LOGIN=$(curl -s -D - -o /dev/null "$SEC_URL/login?token=$TOKEN" | tr -d '\r')
check "login link: 303 to the page" bash -c "grep -qi '^HTTP/1.1 303' <<<\"\$0\" && grep -qi '^location: ./' <<<\"\$0\"" "$LOGIN"
COOKIE=$(sed -n 's/^set-cookie: \(tw_session=[^;]*\).*/\1/Ip' <<<"$LOGIN")
check "login link: an HttpOnly, SameSite cookie" bash -c "grep -qi '^set-cookie: tw_session=.*HttpOnly.*SameSite=Lax' <<<\"\$0\"" "$LOGIN"
check "cookie: the page" test "$(code -H "Cookie: $COOKIE" "$SEC_URL/")" = 200
check "cookie: private cache" has "$(hdr -H "Cookie: $COOKIE" "$SEC_URL/")" "cache-control: private, no-cache"
check "cookie: the state" test "$(code -H "Cookie: $COOKIE" "$SEC_URL/board.json")" = 200
BAD=${COOKIE%?}x
[ "$BAD" = "$COOKIE" ] && BAD=${COOKIE%?}y
check "a tampered cookie is 401" test "$(code -H "Cookie: $BAD" "$SEC_URL/board.json")" = 401
check "Bearer token: the state" test "$(code -H "Authorization: Bearer $TOKEN" "$SEC_URL/board.json")" = 200
check "the other listed token works too" test "$(code -H "Authorization: Bearer old-token" "$SEC_URL/board.json")" = 200
check "a wrong Bearer token is 401" test "$(code -H "Authorization: Bearer nope" "$SEC_URL/board.json")" = 401
code -H "Cookie: $COOKIE" "$SEC_URL/board/view.json" >/dev/null
CSRF=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("csrf",""))' "$T/body")
check "view.json: a CSRF token for the session" test ${#CSRF} = 64
pub post '{"kind":"question","text":"Who has the projector key?","author":"Ana","id":"web-q1"}'
check "question stored" wait_for 10 sql_is "SELECT count(*) FROM items WHERE id='web-q1'" 1
action() { # BODY [curl args]: the status code
    local body=$1
    shift
    code -X POST -H 'Content-Type: application/json' --data-binary "$body" "$@" "$SEC_URL/board/action"
}
CLAIM='{"action":"claim","ref":"web-q1","by":"Remote Rita"}'
check "action without a CSRF token: 403" test "$(action "$CLAIM" -H "Cookie: $COOKIE")" = 403
check "action with a wrong CSRF token: 403" test "$(action "$CLAIM" -H "Cookie: $COOKIE" -H "X-Teamwall-CSRF: ${CSRF//[0-9a-f]/0}")" = 403
check "action from another site: 403" test "$(action "$CLAIM" -H "Cookie: $COOKIE" -H "X-Teamwall-CSRF: $CSRF" -H 'Sec-Fetch-Site: cross-site')" = 403
check "action as a form post: 403" test "$(code -X POST -H "Cookie: $COOKIE" -H "X-Teamwall-CSRF: $CSRF" --data 'action=claim' "$SEC_URL/board/action")" = 403
check "action without login: 401" test "$(action "$CLAIM" -H "X-Teamwall-CSRF: $CSRF")" = 401
check "nothing claimed so far" sql_is "SELECT coalesce(claimed_by,'') FROM items WHERE id='web-q1'" ""
check "action with the session's CSRF token: 200" test "$(action "$CLAIM" -H "Cookie: $COOKIE" -H "X-Teamwall-CSRF: $CSRF")" = 200
check "... the claim reached the board through the broker" \
    wait_for 10 sql_is "SELECT claimed_by FROM items WHERE id='web-q1'" "Remote Rita"
check "bad action: 400 with a reason" bash -c "[ \"\$(curl -s -o '$T/body' -w '%{http_code}' -X POST -H 'Content-Type: application/json' -H 'Authorization: Bearer $TOKEN' --data-binary '{\"action\":\"claim\",\"ref\":\"\"}' '$SEC_URL/board/action')\" = 400 ] && grep -q error '$T/body'"
check "resolve by Bearer: 200" test "$(action '{"action":"resolve","ref":"web-q1","note":"in the drawer"}' -H "Authorization: Bearer $TOKEN")" = 200
check "... resolved with its note" wait_for 10 sql_is "SELECT state FROM items WHERE id='web-q1'" resolved
check "read-only bridge: actions are 403" test "$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' --data-binary "$CLAIM" "$FIX_URL/board/action")" = 403
check "bridge on every address without a token is up" start_bridge OPEN 0.0.0.0 "$BOARD_ID"
check "not loopback, no token: the web view is 403" test "$(code "$OPEN_URL/")" = 403
check "... and says why" grep -q 'web\] token' "$T/body"
check "... while the chat routes work" test "$(curl -s -o /dev/null -w '%{http_code}' "$OPEN_URL/healthz")" = 200

# ---- where the page's files come from ----
mkdir -p "$T/assets/web" "$T/assets/fonts"
cp "$TW_SOURCE_DIR"/assets/web/* "$T/assets/web/"
sed -i 's|<title>teamwall</title>|<title>teamwall (local copy)</title>|' "$T/assets/web/index.html"
check "bridge with [web] assets is up" start_bridge COPY 127.0.0.1 "$BOARD_ID" '[web]' "assets = $T/assets/web"
check "[web] assets: the page comes from that folder" bash -c "curl -s '$COPY_URL/' | grep -q 'local copy'"
check "... without fonts beside it: 404 for them, the page still served" \
    test "$(curl -s -o /dev/null -w '%{http_code}' "$COPY_URL/web/Inter-Regular.otf")" = 404
check "bridge with a missing [web] assets folder is up" start_bridge NONE 127.0.0.1 "$BOARD_ID" '[web]' "assets = $T/nowhere"
check "... says why the web view is off" grep -q "web view off: cannot read $T/nowhere/index.html" "$T/NONE.log"
check "... answers 404 for the page" test "$(curl -s -o /dev/null -w '%{http_code}' "$NONE_URL/")" = 404
check "... and the chat routes still work" test "$(curl -s -o /dev/null -w '%{http_code}' "$NONE_URL/healthz")" = 200

# ---- the stream that stayed open ----
keepalive_seen() { grep -q '^: keep-alive' "$T/keepalive.sse"; }
check "an idle stream gets keep-alive comments" wait_for $((25 - (SECONDS - KEEPALIVE_T0) > 1 ? 25 - (SECONDS - KEEPALIVE_T0) : 1)) keepalive_seen
check "... and the state, null before the board publishes one" grep -q '^data: null' "$T/keepalive.sse"
check "the open stream saw the live post" grep -q 'web-test-' "$T/live.sse"

# ---- stopping with streams open ----
curl -sN "$FIX_URL/board/events" >/dev/null 2>&1 &
PIDS+=($!)
wait_for 5 bash -c "curl -s '$FIX_URL/metrics' | grep -q '^teamwall_bridge_web_viewers [1-9]'"
kill -TERM "$FIX_PID"
stopped() { ! kill -0 "$FIX_PID" 2>/dev/null; }
check "SIGTERM with a stream open: the bridge stops within 5 s" wait_for 5 stopped
if wait "$FIX_PID"; then pass "... cleanly (status 0)"; else fail "... exit status $?"; fi
finish

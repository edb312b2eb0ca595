#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# End to end: a post from mosquitto_pub is stored and shows in the retained
# state; teamwall-ctl posts, claims, resolves, reopens and lists; restarts
# (clean and kill -9) keep everything; events and status are published.
. "$(dirname "$0")/lib.sh"

start_broker
mosquitto_sub -p "$BROKER_PORT" -v -t "$ROOT/board/$BOARD_ID/events" >"$T/events" 2>&1 &
PIDS+=($!)
start_board
check "board comes online" wait_online

pub post '{"kind":"blocker","text":"CI is red","author":"Ana","id":"it-post-1"}'
check "post stored" wait_for 10 items_are 1
check "stored fields" test "$(sql "SELECT kind||'|'||text||'|'||author||'|'||source||'|'||state FROM items WHERE id='it-post-1'")" = "blocker|CI is red|Ana|mqtt|open"
check "post in retained state" wait_for 10 bash -c "mosquitto_sub -p $BROKER_PORT -t '$ROOT/board/$BOARD_ID/state' -C 1 -W 2 | grep -q '\"id\":\"it-post-1\"'"
check "posted event" wait_for 10 grep -q '"event":"posted".*"id":"it-post-1"' "$T/events"
REF=$(sql "SELECT ref FROM items WHERE id='it-post-1'")
check "ref has 4+ characters" test "${#REF}" -ge 4

# The same id again changes nothing.
pub post '{"kind":"blocker","text":"CI is red again","id":"it-post-1"}'
pub post '{"kind":"question","text":"Who knows the VPN?","author":"Ben","id":"it-post-2"}'
check "second post stored" wait_for 10 items_are 2
check "duplicate id ignored" test "$(sql "SELECT text FROM items WHERE id='it-post-1'")" = "CI is red"

# teamwall-ctl against the same broker and database.
CTLA=(--broker "$BROKER" --team "$TEAM" --db "$T/board.db")
check "ctl post" "$CTL" "${CTLA[@]}" post win "First deploy of the new pipeline" --author Cleo --id it-win-1
check "ctl post stored" wait_for 10 items_are 3
check "ctl source is cli" test "$(sql "SELECT source FROM items WHERE id='it-win-1'")" = cli
check "ctl claim" "$CTL" "${CTLA[@]}" claim "$REF" --by Ben
check "claimed" wait_for 10 sql_is "SELECT state||'|'||claimed_by FROM items WHERE id='it-post-1'" "claimed|Ben"
check "ctl resolve with note" "$CTL" "${CTLA[@]}" resolve it-post-2 --by Ana --note "Ask IT; the form is on the wiki"
check "resolved with note" wait_for 10 sql_is "SELECT state||'|'||note FROM items WHERE id='it-post-2'" "resolved|Ask IT; the form is on the wiki"
check "resolved event" wait_for 10 grep -q '"event":"resolved"' "$T/events"
"$CTL" "${CTLA[@]}" list >"$T/list"
check "ctl list shows open items" grep -q "CI is red" "$T/list"
check "ctl list hides resolved" bash -c "! grep -q VPN '$T/list'"
"$CTL" "${CTLA[@]}" list --all --json >"$T/list.json"
check "ctl list --all --json" grep -Eq '"note":[[:space:]]*"Ask IT; the form is on the wiki"' "$T/list.json"
# What the team learned: search, export, stats (read-only, while the board runs).
"$CTL" "${CTLA[@]}" search vpn WIKI >"$T/search"
check "ctl search finds the answer" grep -q -- "-> Ask IT; the form is on the wiki (Ana)" "$T/search"
"$CTL" "${CTLA[@]}" search --json --limit 5 vpn >"$T/search.json"
check "ctl search --json" grep -q '"note":"Ask IT; the form is on the wiki"' "$T/search.json"
"$CTL" "${CTLA[@]}" search nothing-like-this >"$T/search.none"
check "ctl search says when nothing matched" grep -q 'nothing found for "nothing-like-this"' "$T/search.none"
check "ctl search without words is refused" bash -c '! "$0" "${@}" search 2>/dev/null' "$CTL" "${CTLA[@]}"
"$CTL" "${CTLA[@]}" export >"$T/export.md"
check "ctl export (Markdown)" grep -q "answered by Ana, .*: Ask IT; the form is on the wiki" "$T/export.md"
check "ctl export holds only what was learned" bash -c "! grep -q 'CI is red' '$T/export.md'"
"$CTL" "${CTLA[@]}" export --all --format csv >"$T/export.csv"
check "ctl export --all --format csv" test "$(grep -c $'\r$' "$T/export.csv")" = 4
check "ctl export csv quotes" grep -q '"Ask IT; the form is on the wiki","' "$T/export.csv"
"$CTL" "${CTLA[@]}" export --format json >"$T/export.json"
check "ctl export --format json" grep -q '"note":"Ask IT; the form is on the wiki"' "$T/export.json"
check "ctl export refuses unknown formats" bash -c '! "$0" "${@}" export --format xls 2>/dev/null' "$CTL" "${CTLA[@]}"
"$CTL" "${CTLA[@]}" stats >"$T/stats"
check "ctl stats" grep -q "Questions answered in 4 h 100 % (1 of 1 decided; 1 asked)" "$T/stats"
"$CTL" "${CTLA[@]}" stats --json >"$T/stats.json"
check "ctl stats --json" grep -q '"questions":{"asked":1,"decided":1,"answered_4h":1,"percent":100}' "$T/stats.json"
check "ctl reopen" "$CTL" "${CTLA[@]}" reopen it-post-2
check "reopened" wait_for 10 sql_is "SELECT state FROM items WHERE id='it-post-2'" open
check "a reopened question is no longer what was learned" bash -c '"$0" "${@}" search wiki | grep -q "nothing found"' "$CTL" "${CTLA[@]}"
check "history has every step" test "$(sql "SELECT count(*) FROM history")" = 6

# Unreachable broker and database: one clear line, non-zero exit.
if "$CTL" --broker mqtt://127.0.0.1:1 --team "$TEAM" post blocker x 2>"$T/err"; then
    fail "ctl with no broker should fail"
else
    check "ctl names the unreachable broker" grep -q "cannot reach the broker at 127.0.0.1:1" "$T/err"
fi
if "$CTL" --db "$T/nope/none.db" list 2>"$T/err"; then
    fail "ctl list with no database should fail"
else
    check "ctl names the missing database" grep -q "nope/none.db" "$T/err"
fi

# kill -9 and restart: everything is still there and the board serves again.
kill -9 "$BOARD_PID"
wait "$BOARD_PID" 2>/dev/null || true
check "status goes offline (will)" wait_for 10 bash -c "mosquitto_sub -p $BROKER_PORT -t '$ROOT/board/$BOARD_ID/status' -C 1 -W 1 | grep -q offline"
pub post '{"kind":"blocker","text":"Posted while the board was down","id":"it-post-3"}'
start_board --screenshot "$T/after-restart.png"
check "board back online" wait_online
check "queued post arrives after restart" wait_for 10 items_are 4
check "items kept across kill -9" test "$(sql "SELECT count(*) FROM items WHERE state!='resolved'")" = 4
# A text that starts with a dash is a text, not an option (issue 11).
check "ctl post of \"-2 ...\" without --" "$CTL" "${CTLA[@]}" post blocker "-2 builds failing since Friday" --id it-dash-1
check "... stored as written" wait_for 10 sql_is "SELECT text FROM items WHERE id='it-dash-1'" "-2 builds failing since Friday"
# A ref (or note, author, id) too long is refused, not cut and reported as sent.
BIGREF=$(head -c 102400 /dev/zero | tr '\0' r)
rc=0
"$CTL" "${CTLA[@]}" claim "$BIGREF" --by Ben >"$T/bigref.out" 2>&1 || rc=$?
check "a 100 KB ref: exit 2" test "$rc" = 2
check "a 100 KB ref: refused, nothing sent" grep -q "ref is too long (at most .* bytes); nothing sent" "$T/bigref.out"
check "a 100 KB ref: not reported as sent" bash -c "! grep -q 'claim .* sent' '$T/bigref.out'"
kill -TERM "$BOARD_PID"
wait "$BOARD_PID" 2>/dev/null || true
check "clean stop says offline" wait_for 10 bash -c "mosquitto_sub -p $BROKER_PORT -t '$ROOT/board/$BOARD_ID/status' -C 1 -W 1 | grep -q offline"
check "screenshot written on SIGTERM" test -s "$T/after-restart.png"
finish

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# teamwall-ctl redact through the broker (issue 16): two boards of the team
# both apply it; on each the item's text, author and note are gone from the
# items, the history, the search index, the exports and the retained state,
# and the history says it was redacted, by whom and when. And [board] keep:
# a board with keep = 30d drops a resolved item older than that (and keeps a
# recent one) shortly after it starts.
source "$(dirname "$0")/lib.sh"

start_broker
export TW_TEST_UPKEEP_MS=200 # the WAL checkpoint and keep pass, every 10 s in production
start_board
"$TEAMWALL" --broker "$BROKER" --team "$TEAM" --board wall2 --db "$T/board2.db" \
    --headless --size 800x480 >>"$T/board2.log" 2>&1 &
PIDS+=("$!")
wait_online || fail "wall1 online"
BOARD_ID=wall2 wait_online || fail "wall2 online"
ctl() { "$CTL" --broker "$BROKER" --team "$TEAM" --db "$T/board.db" "$@"; }

ctl post question "Is the door code still 4711plugh?" --author "Mallory" --id leak-1 >/dev/null
ctl post blocker "Printer jammed" --author "Ben" --id keep-1 >/dev/null
for db in board board2; do
    wait_for 10 sh -c "[ \"\$(sqlite3 '$T/$db.db' \"SELECT count(*) FROM items\")\" = 2 ]" ||
        fail "$db has both posts"
done
ctl resolve leak-1 --by Ben --note "yes, 4711plugh, and the alarm is xyzzy42" >/dev/null
wait_for 10 sql_is "SELECT state FROM items WHERE id = 'leak-1';" resolved || fail "resolved"
check "search finds the item by its note before" sh -c "'$CTL' --db '$T/board.db' search xyzzy42 | grep -q 4711plugh"

check "teamwall-ctl redact" ctl redact leak-1 --by Ana
for db in board board2; do
    q() { sqlite3 "$T/$db.db" "$1"; }
    redacted() { [ "$(q "SELECT text||'|'||author||'|'||note FROM items WHERE id='leak-1'")" = "[redacted]||" ]; }
    check "$db: the item is redacted" wait_for 10 redacted
    check "$db: the history says redact, by Ana, when" \
        sh -c "sqlite3 '$T/$db.db' \"SELECT action||'|'||actor||'|'||(at > 0) FROM history WHERE item_id='leak-1' ORDER BY seq\" | tail -1 | grep -qx 'redact|Ana|1'"
    check "$db: no history row keeps the note or the poster" \
        test "$(q "SELECT count(*) FROM history WHERE item_id='leak-1' AND (detail IS NOT NULL OR actor = 'Mallory')")" = 0
    check "$db: the search index has none of the words" \
        test "$(q "SELECT count(*) FROM learned WHERE learned MATCH 'xyzzy42 OR 4711plugh'")" = 0
    check "$db: the other item is untouched" \
        test "$(q "SELECT text||'|'||author FROM items WHERE id='keep-1'")" = "Printer jammed|Ben"
    "$CTL" --db "$T/$db.db" export --all --format csv >"$T/$db.csv"
    "$CTL" --db "$T/$db.db" export --format md >"$T/$db.md"
    "$CTL" --db "$T/$db.db" export --all --format json >"$T/$db.json"
    check "$db: no export holds the words" sh -c "! grep -l -E '4711plugh|xyzzy42|Mallory' '$T/$db.csv' '$T/$db.md' '$T/$db.json'"
    check "$db: search finds nothing" sh -c "'$CTL' --db '$T/$db.db' search xyzzy42 | grep -q 'nothing found'"
    check "$db: the file's pages hold none of the words" \
        wait_for 5 sh -c "! grep -a -q -E '4711plugh|xyzzy42' '$T/$db.db' '$T/$db.db-wal' 2>/dev/null"
done
check "the retained state has no trace" sh -c "! mosquitto_sub -p $BROKER_PORT -t '$ROOT/board/+/state' -C 2 -W 3 | grep -q -E '4711plugh|Mallory'"
check "the boards still run" kill -0 "$BOARD_PID"

# [board] keep: a database with an item resolved 40 days ago and one today.
now=$(date +%s)
sqlite3 "$T/board.db" "UPDATE items SET resolved = $now - 40*86400 WHERE id = 'leak-1';"
ctl resolve keep-1 --by Ana >/dev/null
wait_for 10 sql_is "SELECT state FROM items WHERE id = 'keep-1';" resolved || fail "keep-1 resolved"
kill "$BOARD_PID"; wait "$BOARD_PID" 2>/dev/null || true
printf '[board]\nkeep = 30d\n' >"$T/keep.conf"
TW_TEST_UPKEEP_FIRST_MS=100 start_board --config "$T/keep.conf"
check "keep = 30d drops the item resolved 40 days ago" \
    wait_for 20 sql_is "SELECT count(*) FROM items WHERE id = 'leak-1';" 0
check "... with its history" sql_is "SELECT count(*) FROM history WHERE item_id = 'leak-1';" 0
check "... and keeps the one resolved today" sql_is "SELECT count(*) FROM items WHERE id = 'keep-1';" 1
check "the board says so" grep -q "keep: dropped 1 resolved" "$T/board.log"
finish

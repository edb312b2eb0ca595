#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# teamwall-ctl backup and restore against the real board and broker (issue
# 16): a backup taken during a burst of posts opens, passes integrity_check
# and holds every item the board had committed (and so acknowledged) before
# the backup began; --keep rotates a folder of copies; restore refuses a
# file that is not a teamwall database, copies a good one in, and the
# running board reloads it (no restart, no "file replaced" alarm) and goes on
# taking posts.
source "$(dirname "$0")/lib.sh"

start_broker
TW_TEST_UPKEEP_MS=500 start_board # the restore check, every 10 s in production
wait_online || { cat "$T/board.log"; fail "board online"; finish; }
ctl() { "$CTL" --broker "$BROKER" --team "$TEAM" --db "$T/board.db" "$@"; }

# The burst: 4,000 posts at QoS 1 from one client, in the background.
for i in $(seq 1 4000); do
    printf '{"kind":"blocker","text":"burst item %d","id":"burst-%d"}\n' "$i" "$i"
done >"$T/burst.txt"
mosquitto_pub -p "$BROKER_PORT" -q 1 -t "$ROOT/post" -l <"$T/burst.txt" &
burst=$!
PIDS+=("$burst")
wait_for 30 sh -c "[ \$(sqlite3 '$T/board.db' 'SELECT count(*) FROM items') -ge 200 ]" ||
    fail "the burst reaches the board"
# Committed before the backup began: the board acknowledges only after its commit.
sql "SELECT id FROM items ORDER BY id;" >"$T/before.txt"
check "backup during the burst" ctl backup "$T/copy.db"
after=$(count_items)
check "the board was still writing while the backup ran ($(wc -l <"$T/before.txt") before, $after after)" \
    test "$after" -gt "$(wc -l <"$T/before.txt")"
check "the copy passes integrity_check" sh -c "[ \"\$(sqlite3 '$T/copy.db' 'PRAGMA integrity_check')\" = ok ]"
check "the copy is one file (no -wal beside it)" test ! -e "$T/copy.db-wal"
sqlite3 "$T/copy.db" "SELECT id FROM items ORDER BY id;" >"$T/copy.txt"
check "the copy holds every item committed before the backup began" \
    sh -c "[ -z \"\$(comm -23 '$T/before.txt' '$T/copy.txt')\" ]"
check "teamwall-ctl reads the copy" sh -c "'$CTL' --db '$T/copy.db' list >/dev/null"
wait "$burst" || true
wait_for 60 items_are 4000 || fail "all 4,000 burst items stored"

# A folder of nightly copies, the two newest kept.
mkdir -p "$T/nightly"
for _ in 1 2 3; do ctl backup --keep 2 "$T/nightly/" >>"$T/nightly.log" || fail "backup --keep 2"; done
check "--keep 2 leaves the two newest copies" test "$(ls "$T/nightly" | grep -c '^teamwall-.*\.db$')" = 2
check "the last copy written is one of them" test -e "$(tail -1 "$T/nightly.log")"

# Restore.
echo "not a database" >"$T/junk.db"
check "restore refuses a file that is not a database" sh -c "! '$CTL' --db '$T/board.db' restore '$T/junk.db' 2>'$T/junk.err'"
check "... with a reason" grep -q "junk.db" "$T/junk.err"
sqlite3 "$T/other.db" "CREATE TABLE t (x);"
check "restore refuses an SQLite file that is not teamwall's" \
    sh -c "! '$CTL' --db '$T/board.db' restore '$T/other.db' 2>/dev/null"
check "the database is untouched" items_are 4000

pub post '{"kind":"question","text":"posted after the backup","id":"late-1"}'
wait_for 10 sql_is "SELECT count(*) FROM items WHERE id = 'late-1';" 1 || fail "late post stored"
ino=$(stat -c %i "$T/board.db")
check "restore the copy while the board runs" ctl restore "$T/copy.db"
check "the database file is the same file (same inode)" test "$(stat -c %i "$T/board.db")" = "$ino"
check "the board logs an orderly reload" wait_for 10 grep -q "reloaded" "$T/board.log"
check "no replaced-file alarm" sh -c "! grep -qi 'replaced' '$T/board.log'"
n_copy=$(sqlite3 "$T/copy.db" "SELECT count(*) FROM items WHERE state != 'resolved';")
# The open counts of the retained state, added up.
state_count() {
    retained_state | grep -o '"open":{[^}]*}' | grep -o '[0-9][0-9]*' | awk '{ s += $1 } END { print s + 0 }'
}
state_is() { [ "$(state_count)" = "$1" ]; }
check "the retained state shows the restored items ($n_copy open)" wait_for 10 state_is "$n_copy"
check "the item posted after the backup is gone" sql_is "SELECT count(*) FROM items WHERE id = 'late-1';" 0
check "the board still runs" kill -0 "$BOARD_PID"
pub post '{"kind":"win","text":"posted after the restore","id":"late-2"}'
check "and takes posts after the restore" wait_for 10 sql_is "SELECT count(*) FROM items WHERE id = 'late-2';" 1
check "the restored database passes integrity_check" sql_is "PRAGMA integrity_check;" ok
finish

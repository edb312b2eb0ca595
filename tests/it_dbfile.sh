#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# TARGETS.md R11: the database file deleted, replaced or made read-only while
# the board runs. Each is noticed before the next commit (and within a minute
# when nothing arrives), shown on the wall and in the retained state's
# warnings (kind "storage"), and nothing is acknowledged into a file that is
# gone: a deleted file is rewritten whole to a fresh one, a replaced one is
# adopted with the board's own copy kept beside it, a read-only one holds
# the commands at the broker until it takes writes again. Also: a -wal
# deleted after a crash is reported at the next start, and a database with a
# newer schema gets an error frame that stays up instead of a dark wall.
. "$(dirname "$0")/lib.sh"
BURST="$TW_BUILD_DIR/tests/burst_pub"
DB="$T/board.db"

start_broker
start_board --screenshot "$T/wall.png"
check "board online" wait_online
"$BURST" "$BROKER_PORT" "$ROOT/post" 200 1000 r11 "$T/acks" 60 >/dev/null
check "200 items stored" wait_for 20 items_are 200
state_has() { retained_state | grep -q -- "$1"; }
file_count() { # read-only, so that polling never creates the file itself
    [ -s "$1" ] && [ "$(sqlite3 -readonly -batch -noheader "$1" 'SELECT count(*) FROM items' 2>/dev/null)" = "$2" ]
}

# ---- deleted, with a post right after ----
rm -f "$DB" "$DB-wal" "$DB-shm"
pub post '{"kind":"win","text":"After the delete","id":"r11-del"}'
check "deleted: a fresh file with all 201 items" wait_for 20 file_count "$DB" 201
check "deleted: logged" wait_for 5 grep -q "board.db was deleted; everything was rewritten" "$T/board.log"
check "deleted: kind storage in the state's warnings" wait_for 10 state_has '"kind":"storage","reason":"Database file was deleted'
kill -USR1 "$BOARD_PID"
check "deleted: the wall says so" wait_for 10 test -s "$T/wall.png"
cp "$T/wall.png" "$T/wall-deleted.png"

# ---- deleted while nothing arrives: within a minute ----
rm -f "$DB" "$DB-wal" "$DB-shm"
check "deleted while idle: rewritten within a minute" wait_for 60 file_count "$DB" 201

# ---- only the -wal deleted ----
pub post '{"kind":"win","text":"Before the WAL goes","id":"r11-wal-1"}'
check "stored" wait_for 10 items_are 202
rm -f "$DB-wal"
pub post '{"kind":"win","text":"After the WAL went","id":"r11-wal-2"}'
check "-wal deleted: nothing lost, 203 in a fresh file" wait_for 20 file_count "$DB" 203
check "-wal deleted: logged" wait_for 5 grep -q "write-ahead log board.db-wal was deleted" "$T/board.log"

# ---- read-only ----
chmod 0444 "$DB"
# Noticed by the idle look (every 15 s), then a post is held at the broker.
check "read-only: trouble in the state" wait_for 30 state_has 'made read-only'
pub post '{"kind":"blocker","text":"While read-only","id":"r11-ro"}'
check "read-only: the post is refused by the board" wait_for 10 grep -q "storage trouble: the database file board.db was made read-only" "$T/board.log"
check "read-only: nothing committed into it" test "$(sql "SELECT count(*) FROM items WHERE id='r11-ro'")" = 0
chmod 0644 "$DB"
check "read-only ended: the held post arrives" wait_for 30 sql_is "SELECT count(*) FROM items WHERE id='r11-ro'" 1
check "read-only ended: the trouble warning went" wait_for 30 bash -c "! ( $(declare -f retained_state); BROKER_PORT=$BROKER_PORT ROOT=$ROOT BOARD_ID=$BOARD_ID retained_state | grep -q 'made read-only' )"

# ---- replaced (a copy renamed over it, as a restore does) ----
sqlite3 "$DB" ".backup '$T/restore.db'"
sqlite3 "$T/restore.db" "DELETE FROM items WHERE id LIKE 'r11-1%'"
RESTORED=$(sqlite3 -batch -noheader "$T/restore.db" 'SELECT count(*) FROM items')
mv "$T/restore.db" "$DB"
pub post '{"kind":"win","text":"After the replace","id":"r11-rep"}'
check "replaced: the new file is used" wait_for 20 file_count "$DB" $((RESTORED + 1))
check "replaced: the board's own copy kept beside it" bash -c "ls '$DB'.replaced-* >/dev/null 2>&1 && [ \"\$(sqlite3 -batch -noheader \$(ls '$DB'.replaced-* | head -1) 'SELECT count(*) FROM items')\" = 204 ]"
check "replaced: warning in the state" wait_for 10 state_has 'Database file was replaced'
check "replaced: the wall's model follows the new file" wait_for 10 bash -c "! ( $(declare -f retained_state); BROKER_PORT=$BROKER_PORT ROOT=$ROOT BOARD_ID=$BOARD_ID retained_state | grep -q '\"id\":\"r11-150\"' )"

# ---- a restart sees everything ----
kill -TERM "$BOARD_PID"; wait "$BOARD_PID" 2>/dev/null || true
check "clean stop removes the running marker" test ! -e "$DB.running"
start_board
check "restarted online" wait_online
check "everything there after the restart" wait_for 10 items_are $((RESTORED + 1))

# ---- the -wal deleted after a crash ----
pub post '{"kind":"win","text":"In the WAL only","id":"r11-crash"}'
check "stored before the crash" wait_for 10 sql_is "SELECT count(*) FROM items WHERE id='r11-crash'" 1
kill -9 "$BOARD_PID"; wait "$BOARD_PID" 2>/dev/null || true
rm -f "$DB-wal"
start_board
check "after the crash online" wait_online
check "a deleted -wal after a crash is logged" wait_for 5 grep -q -- "-wal was missing after the last run" "$T/board.log"
check "and shown in the state" wait_for 10 state_has 'Database log was deleted after a crash'
kill -TERM "$BOARD_PID"; wait "$BOARD_PID" 2>/dev/null || true

# ---- the -wal checkpointed by another program after a crash: nothing lost ----
start_board
check "online again" wait_online
pub post '{"kind":"win","text":"In the WAL, then checkpointed by sqlite3","id":"r11-ckpt"}'
check "stored before the second crash" wait_for 10 sql_is "SELECT count(*) FROM items WHERE id='r11-ckpt'" 1
kill -9 "$BOARD_PID"; wait "$BOARD_PID" 2>/dev/null || true
sleep 0.1
# sqlite3 opening the crashed board's file replays the log into it, and
# removes the log as it closes.
sqlite3 "$DB" "SELECT count(*) FROM items" >/dev/null
check "sqlite3 checkpointed and removed the -wal" test ! -e "$DB-wal"
: >"$T/board.log"
start_board
check "after the checkpointed crash online" wait_online
check "the checkpointed post is there" wait_for 10 sql_is "SELECT count(*) FROM items WHERE id='r11-ckpt'" 1
sleep 1
check "a checkpointed -wal is not called lost" bash -c "! grep -q -- '-wal was missing' '$T/board.log'"
check "nor shown as lost in the state" bash -c "! ( $(declare -f retained_state); BROKER_PORT=$BROKER_PORT ROOT=$ROOT BOARD_ID=$BOARD_ID retained_state | grep -q 'Database log was deleted' )"
kill -TERM "$BOARD_PID"; wait "$BOARD_PID" 2>/dev/null || true

# ---- a newer schema: an error frame that stays up ----
cp "$DB" "$T/newer.db"
# In rollback-journal mode, as a newer teamwall might keep it: nothing may
# change it, its journal mode included.
sqlite3 "$T/newer.db" "PRAGMA journal_mode = DELETE; PRAGMA user_version = 999" >/dev/null
rc=0
start=$SECONDS
"$TEAMWALL" --broker "$BROKER" --team "$TEAM" --board "$BOARD_ID" --db "$T/newer.db" --headless \
    --size 800x480 --screenshot "$T/newer.png" --exit-after 3 >"$T/newer.log" 2>&1 || rc=$?
check "newer schema: the board stays up showing it (not a restart loop)" test $((SECONDS - start)) -ge 2
check "newer schema: exit status says it failed" test "$rc" != 0
check "newer schema: the frame was drawn" test -s "$T/newer.png"
check "newer schema: a clear log line" grep -q "newer.db is schema 999, newer than this teamwall knows" "$T/newer.log"
check "newer schema: the file untouched" test "$(sqlite3 -batch -noheader "$T/newer.db" 'PRAGMA user_version')" = 999
check "newer schema: its journal mode untouched" test "$(sqlite3 -batch -noheader "$T/newer.db" 'PRAGMA journal_mode')" = delete
finish

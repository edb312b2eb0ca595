#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The lobby board (docs/LOBBY.md): `[board] teams = a,b,c` through a real
# broker (the shipped config), real store files and the real program. Each
# team's commands reach that team's own store and retained state under the
# lobby's board id, with its figures; a restart loses nothing (and what was
# sent while it was down arrives, through each team's persistent session);
# a resolve on team b touches neither a nor c; the lobby and a wall of team
# a, fed the same commands, end with the same items; the lobby follows no
# stand-up; bad team lists and a screen too small for the list are refused
# with the reason.
. "$(dirname "$0")/lib.sh"

start_broker
LOBBY=lobby
printf '[board]\nteams = a, b,c\n' >"$T/lobby.conf"
start_lobby() {
    "$TEAMWALL" --config "$T/lobby.conf" --broker "$BROKER" --board "$LOBBY" --db "$T/lobby.db" \
        --headless --size 1920x1080 --screenshot "$T/lobby.png" >>"$T/lobby.log" 2>&1 &
    LOBBY_PID=$!
    PIDS+=("$LOBBY_PID")
}
online() { # online TEAM BOARD
    mosquitto_sub -p "$BROKER_PORT" -t "teamwall/$1/board/$2/status" -C 1 -W 1 2>/dev/null |
        grep -q '"online"'
}
all_online() { online a "$LOBBY" && online b "$LOBBY" && online c "$LOBBY"; }
state() { mosquitto_sub -p "$BROKER_PORT" -t "teamwall/$1/board/${2:-$LOBBY}/state" -C 1 -W 2; }
# state_is TEAM JQ VALUE [BOARD]: the retained state says so.
state_is() { [ "$(state "$1" "${4:-$LOBBY}" | jq -c "$2")" = "$3" ]; }
tpub() { # tpub TEAM SUBTOPIC PAYLOAD
    mosquitto_pub -p "$BROKER_PORT" -q 1 -t "teamwall/$1/$2" -m "$3"
}
tsql() { sqlite3 -readonly -batch -noheader "$T/lobby.$1.db" "$2"; }
dump() { # dump DB: the items as every board of the team must agree on them
    sqlite3 -readonly -batch -noheader "$1" "SELECT id, ref, kind, text, author, source, state, claimed_by,
        resolved_by, note FROM items ORDER BY id; SELECT id, item_id, action, ts, actor, note
        FROM ops ORDER BY id;"
}

# ---- bad lists: refused before anything starts ----
bad() { # bad DESCRIPTION CONF EXPECTED_MESSAGE [flags]
    local what=$1 conf=$2 want=$3 rc=0
    shift 3
    printf "$conf" >"$T/bad.conf"
    "$TEAMWALL" --config "$T/bad.conf" --db "$T/bad.db" --headless --exit-after 5 "$@" \
        >"$T/bad.out" 2>&1 || rc=$?
    if [ "$rc" = 2 ] && grep -qF -- "$want" "$T/bad.out"; then
        pass "$what"
    else
        fail "$what (status $rc: $(cat "$T/bad.out"))"
    fi
}
bad "a team listed twice" '[board]\nteams = a,b,a\n' 'bad.conf:2: teams: team "a" is listed twice'
bad "a bad team name" '[board]\nteams = a,B\n' 'teams: team "B" must be 1-32 of [a-z0-9_-]'
bad "team and teams together" '[board]\nteam = a\nteams = b,c\n' \
    'bad.conf:3: teams: a lobby board takes no [board] team (line 2 sets one)'
bad "--team on a lobby" '[board]\nteams = b,c\n' "--team: this config is a lobby's" --team b
bad "button sections on a lobby" '[board]\nteams = b,c\n[button "desk-1"]\nsource = key\ndevice = F1\n' \
    "a lobby ([board] teams) reads no desk buttons"
bad "more teams than the 7\" screen shows" '[board]\nteams = a,b,c,d,e\n' \
    'shows at most 4 legibly' --broker "$BROKER" --size 800x480
bad "a portrait screen" '[board]\nteams = a,b\n' 'too narrow for a lobby' --broker "$BROKER" \
    --size 1080x1920
check "nothing was created for the refused lobbies" bash -c "! ls '$T'/bad.*.db 2>/dev/null | grep -q ."

# ---- a lobby of three teams and a wall of team a ----
start_lobby
check "the lobby is online as a board of each team" wait_for 20 all_online
"$TEAMWALL" --broker "$BROKER" --team a --board wall-a --db "$T/wall-a.db" --headless \
    --size 800x480 >>"$T/wall-a.log" 2>&1 &
WALL_PID=$!
PIDS+=("$WALL_PID")
check "team a's wall is online" wait_for 20 online a wall-a

tpub a post '{"kind":"blocker","text":"CI is red","id":"a-1","author":"Ana"}'
tpub a post '{"kind":"question","text":"Who knows the VPN setup?","author":"Ben"}'
tpub a post '{"kind":"win","text":"Shipped search \ud83d\ude80","id":"a-3"}'
tpub b post '{"kind":"blocker","text":"Staging certificate expired","id":"b-1"}'
tpub b post '{"kind":"blocker","text":"Caf\u00e9 Wi-Fi drops","id":"b-2"}'
tpub c post '{"kind":"win","text":"Release 4.2","id":"c-1"}'
check "team a's items in the lobby's state for a" wait_for 15 state_is a \
    '[.team, .board, .open.blocker, .open.question, .open.win]' '["a","lobby",1,1,1]'
check "team b's items in its state" wait_for 15 state_is b \
    '[.team, [.items[].id], .open.blocker, .open.win]' '["b",["b-1","b-2"],2,0]'
check "team c's items in its state" wait_for 15 state_is c '[[.items[].id], .figures.wins_week]' \
    '[["c-1"],1]'
check "each team's figures: a and c count their own win, b none" bash -c \
    "[ \"\$(mosquitto_sub -p $BROKER_PORT -t teamwall/a/board/$LOBBY/state -C 1 -W 2 | jq .figures.wins_week)\" = 1 ] &&
     [ \"\$(mosquitto_sub -p $BROKER_PORT -t teamwall/b/board/$LOBBY/state -C 1 -W 2 | jq .figures.wins_week)\" = 0 ]"
check "the lobby's figures for a are ctl's on a's store" bash -c \
    "[ \"\$(mosquitto_sub -p $BROKER_PORT -t teamwall/a/board/$LOBBY/state -C 1 -W 2 | jq -S -c .figures)\" = \
       \"\$('$CTL' --db '$T/lobby.a.db' stats --json | jq -S -c .)\" ]"
check "each team has its own store, beside the configured one" bash -c \
    "[ \"\$(sqlite3 -readonly '$T/lobby.a.db' 'SELECT count(*) FROM items')\" = 3 ] &&
     [ \"\$(sqlite3 -readonly '$T/lobby.b.db' 'SELECT count(*) FROM items')\" = 2 ] &&
     [ \"\$(sqlite3 -readonly '$T/lobby.c.db' 'SELECT count(*) FROM items')\" = 1 ] && [ ! -e '$T/lobby.db' ]"
check "each store says whose it is (teamwall-ctl without --team)" test \
    "$(tsql b "SELECT value FROM meta WHERE key = 'team'")" = b
# teamwall-ctl on the lobby's config reads the team it is told, from that team's store.
printf '[board]\nteams = a, b,c\ndb = %s\n' "$T/lobby.db" >"$T/ctl.conf"
check "ctl --team b on the lobby's config lists b's items" bash -c \
    "'$CTL' --config '$T/ctl.conf' --team b list --json | jq -e 'map(.id) | sort == [\"b-1\",\"b-2\"]' >/dev/null"
check "ctl without --team on a lobby's config says to name a team" bash -c \
    "! '$CTL' --config '$T/ctl.conf' list 2>'$T/ctl.err'; grep -q 'name one of its teams with --team' '$T/ctl.err'"
check "ctl --team of another team is refused" bash -c \
    "! '$CTL' --config '$T/ctl.conf' --team x list 2>'$T/ctl.err'; grep -q 'not one of this lobby' '$T/ctl.err'"
mosquitto_sub -p "$BROKER_PORT" -t "teamwall/c/board/$LOBBY/rejected" -C 1 -W 20 >"$T/rejected" &
SUB=$!
PIDS+=("$SUB")
rejected_c() { # sent until the subscriber, which may not be subscribed yet, has it
    mosquitto_pub -p "$BROKER_PORT" -q 1 -t teamwall/c/post -m '{"kind":"nope"}'
    grep -q '"topic":"teamwall/c/post"' "$T/rejected"
}
check "a bad command is rejected on the team's own topic" wait_for 15 rejected_c
check "and nothing stored for c" test "$(tsql c "SELECT count(*) FROM items")" = 1

# Changes on team a, crossing: a claim and a resolve by ref, and a resolve
# of the id-less question by the ref every board derives for it.
REF_A1=$(tsql a "SELECT ref FROM items WHERE id = 'a-1'")
REF_Q=$(tsql a "SELECT ref FROM items WHERE kind = 'question'")
# Changes carry their time, as producers that want every board to agree do
# (docs/SYNC.md: one without a ts counts at its arrival on each board).
T0=$(date +%s)
tpub a claim "{\"ref\":\"$REF_A1\",\"by\":\"Chen\",\"ts\":$T0}"
tpub a resolve "{\"ref\":\"$REF_Q\",\"by\":\"Dana\",\"note\":\"ask IT, the form is on the wiki\",\"ts\":$T0}"
check "a's changes reach the lobby" wait_for 15 state_is a '[.open.blocker, .open.question]' '[1,0]'

# A redaction is applied by every board of the team, the lobby too.
tpub a post '{"kind":"blocker","text":"Password is hunter2","id":"a-oops","author":"Ana"}'
check "the slip reaches the lobby" wait_for 15 bash -c \
    "[ \"\$(sqlite3 -readonly '$T/lobby.a.db' \"SELECT count(*) FROM items WHERE id='a-oops'\")\" = 1 ]"
tpub a redact "{\"ref\":\"a-oops\",\"by\":\"Ana\",\"ts\":$T0}"
redacted() { [ "$(sqlite3 -readonly -batch -noheader "$1" "SELECT text || '|' || author FROM items WHERE id = 'a-oops'")" = "[redacted]|" ]; }
check "the lobby redacts it in a's store" wait_for 15 redacted "$T/lobby.a.db"
check "as team a's wall does" wait_for 15 redacted "$T/wall-a.db"
check "and its state for a no longer carries the words" bash -c \
    "! mosquitto_sub -p $BROKER_PORT -t teamwall/a/board/$LOBBY/state -C 1 -W 2 | grep -q hunter2"
tpub a resolve "{\"ref\":\"a-oops\",\"by\":\"Ana\",\"ts\":$T0}"
check "and resolved there" wait_for 15 bash -c \
    "[ \"\$(sqlite3 -readonly '$T/lobby.a.db' \"SELECT state FROM items WHERE id='a-oops'\")\" = resolved ]"

# ---- a resolve on team b touches neither a nor c ----
A_BEFORE=$(dump "$T/lobby.a.db")
C_BEFORE=$(dump "$T/lobby.c.db")
REF_B1=$(tsql b "SELECT ref FROM items WHERE id = 'b-1'")
tpub b resolve "{\"ref\":\"$REF_B1\",\"by\":\"Eve\",\"note\":\"renewed\"}"
check "b's blocker resolved" wait_for 15 state_is b '[[.items[].id], .open.blocker]' '[["b-2"],1]'
check "b's store has the resolve" test "$(tsql b "SELECT state FROM items WHERE id = 'b-1'")" = resolved
check "a's store is untouched by b's resolve" test "$(dump "$T/lobby.a.db")" = "$A_BEFORE"
check "c's store is untouched by b's resolve" test "$(dump "$T/lobby.c.db")" = "$C_BEFORE"
check "a's and c's states still list their items" bash -c \
    "[ \"\$(mosquitto_sub -p $BROKER_PORT -t teamwall/c/board/$LOBBY/state -C 1 -W 2 | jq -c '[.items[].id]')\" = '[\"c-1\"]' ]"
# A ref of b's is unknown to a: rejected there, nothing changes.
tpub a resolve "{\"ref\":\"$(tsql b "SELECT ref FROM items WHERE id = 'b-2'")\"}"
# Kept by a as a change whose post may still come (docs/SYNC.md), applied to nothing.
check "a keeps it as a change for an item it does not have" wait_for 15 bash -c \
    "[ \"\$(sqlite3 -readonly '$T/lobby.a.db' \"SELECT count(*) FROM ops WHERE item_id = ''\")\" = 1 ]"
check "b's item stays open" test "$(tsql b "SELECT state FROM items WHERE id = 'b-2'")" = open

# ---- the stand-up is the team's walls' ----
tpub a standup '{"action":"start","by":"Ana"}'
check "team a's wall runs the stand-up" wait_for 15 state_is a '.standup.phase' '"blockers"' wall-a
check "the lobby follows none: its state for a has none" state_is a .standup null
check "and its store records none" test "$(tsql a "SELECT count(*) FROM standups")" = 0
tpub a standup '{"action":"stop"}'

# ---- a team's store file deleted under the lobby (R11): that team's alone ----
A_BEFORE2=$(dump "$T/lobby.a.db")
rm -f "$T/lobby.c.db" "$T/lobby.c.db-wal" "$T/lobby.c.db-shm"
tpub c post '{"kind":"question","text":"After the delete","id":"c-2"}'
c_file_has() { [ -s "$T/lobby.c.db" ] && [ "$(sqlite3 -readonly -batch -noheader "$T/lobby.c.db" 'SELECT count(*) FROM items' 2>/dev/null)" = "$1" ]; }
check "c's deleted store: rewritten whole, with the post after it" wait_for 20 c_file_has 2
check "c's state says so" wait_for 10 bash -c \
    "mosquitto_sub -p $BROKER_PORT -t teamwall/c/board/$LOBBY/state -C 1 -W 2 | grep -q 'c: Database file was deleted'"
check "a's state does not" bash -c \
    "! mosquitto_sub -p $BROKER_PORT -t teamwall/a/board/$LOBBY/state -C 1 -W 2 | grep -q 'Database file was deleted'"
check "a's store is as it was" test "$(dump "$T/lobby.a.db")" = "$A_BEFORE2"

# ---- a restart loses nothing; what came meanwhile arrives ----
kill -TERM "$LOBBY_PID"
wait "$LOBBY_PID" 2>/dev/null || true
check "a clean stop says offline for each team" bash -c \
    "mosquitto_sub -p $BROKER_PORT -t teamwall/b/board/$LOBBY/status -C 1 -W 2 | grep -q offline"
check "the screenshot of the last frame was written" test -s "$T/lobby.png"
tpub b post '{"kind":"question","text":"Sent while the lobby was off","id":"b-3"}'
tpub a reopen "{\"ref\":\"$REF_Q\",\"by\":\"Dana\",\"ts\":$((T0 + 1))}"
start_lobby
check "the lobby is back for each team" wait_for 20 all_online
check "b's stores kept its items and got the one sent meanwhile" wait_for 15 state_is b \
    '[[.items[].id], .open.blocker, .open.question]' '[["b-2","b-3"],1,1]'
check "b's resolved item is still resolved" test \
    "$(tsql b "SELECT state || ' ' || note FROM items WHERE id = 'b-1'")" = "resolved renewed"
check "a's reopen sent meanwhile arrived" wait_for 15 state_is a '[.open.blocker, .open.question, .open.win]' '[1,1,1]'
check "c's items are still there" state_is c '[.items[].id]' '["c-2","c-1"]'

# ---- team a's wall and the lobby end with the same items ----
same_a() { [ "$(dump "$T/lobby.a.db")" = "$(dump "$T/wall-a.db")" ]; }
for i in $(seq 1 40); do
    echo "{\"kind\":\"$([ $((i % 3)) = 0 ] && echo win || echo blocker)\",\"text\":\"burst $i\"}"
done >"$T/burst"
mosquitto_pub -p "$BROKER_PORT" -q 1 -t teamwall/a/post -l <"$T/burst"
check "the lobby and team a's wall converge, item by item and change by change" \
    wait_for 30 same_a
check "with every item" test "$(tsql a "SELECT count(*) FROM items")" = 44
if ! same_a; then
    diff <(dump "$T/lobby.a.db") <(dump "$T/wall-a.db") | head -20 >&2 || true
fi

# ---- kill -9 mid-burst on two teams: nothing acknowledged is lost ----
for i in $(seq 1 600); do echo "{\"kind\":\"win\",\"text\":\"a win $i\",\"id\":\"ka-$i\"}"; done >"$T/burst-a"
for i in $(seq 1 600); do echo "{\"kind\":\"blocker\",\"text\":\"b blocker $i\",\"id\":\"kb-$i\"}"; done >"$T/burst-b"
mosquitto_pub -p "$BROKER_PORT" -q 1 -t teamwall/a/post -l <"$T/burst-a" &
PUB_A=$!
mosquitto_pub -p "$BROKER_PORT" -q 1 -t teamwall/b/post -l <"$T/burst-b" &
PUB_B=$!
some_stored() { [ "$(tsql a "SELECT count(*) FROM items WHERE id LIKE 'ka-%'")" -gt 50 ]; }
check "the burst is arriving" wait_for 20 some_stored
kill -9 "$LOBBY_PID"
wait "$LOBBY_PID" 2>/dev/null || true
wait "$PUB_A" "$PUB_B"
echo "killed with $(tsql a "SELECT count(*) FROM items WHERE id LIKE 'ka-%'") of a's and $(tsql b "SELECT count(*) FROM items WHERE id LIKE 'kb-%'") of b's 600 stored"
start_lobby
all_a() { [ "$(tsql a "SELECT count(*) FROM items WHERE id LIKE 'ka-%'")" = 600 ]; }
all_b() { [ "$(tsql b "SELECT count(*) FROM items WHERE id LIKE 'kb-%'")" = 600 ]; }
check "after the restart a has all 600, once each" wait_for 60 all_a
check "and b all 600" wait_for 60 all_b
check "none of b's went to a, nor a's to b" test \
    "$(tsql a "SELECT count(*) FROM items WHERE id LIKE 'kb-%'")$(tsql b "SELECT count(*) FROM items WHERE id LIKE 'ka-%'")" = 00
check "the lobby and team a's wall still agree" wait_for 30 same_a
check "b's state counts them" wait_for 15 state_is b '.open.blocker' 601

# ---- a second lobby with empty stores catches up from the teams' boards ----
printf '[board]\nteams = c,a\n' >"$T/lobby2.conf"
"$TEAMWALL" --config "$T/lobby2.conf" --broker "$BROKER" --board lobby2 --db "$T/lobby2.db" \
    --headless --size 1920x1080 >>"$T/lobby2.log" 2>&1 &
PIDS+=("$!")
# The items and their changes (a change kept for a ref nobody has is each
# board's own: catch-up carries items).
held() { dump "$1" 2>/dev/null | grep -v '^c-[a-z0-9]*||'; }
same_a2() { [ "$(held "$T/lobby2.a.db")" = "$(held "$T/wall-a.db")" ]; }
same_c2() { [ "$(held "$T/lobby2.c.db")" = "$(held "$T/lobby.c.db")" ]; }
check "a new lobby gets team a's whole history from its boards" wait_for 60 same_a2
check "and team c's from the first lobby, c's only other board" wait_for 60 same_c2
check "the lobby never logged a storage or start-up error" bash -c "! grep -E 'storage trouble|error' '$T/lobby.log'"
kill -TERM "$LOBBY_PID" "$WALL_PID"

# ---- a team's store from a newer teamwall: the error frame stays up ----
cp "$T/lobby.b.db" "$T/newer.b.db"
sqlite3 "$T/newer.b.db" "PRAGMA user_version = 999"
rc=0
start=$SECONDS
"$TEAMWALL" --config "$T/lobby.conf" --broker "$BROKER" --board "$LOBBY" --db "$T/newer.db" \
    --headless --size 800x480 --screenshot "$T/newer.png" --exit-after 3 >"$T/newer.log" 2>&1 || rc=$?
check "a newer schema in b's store: the lobby stays up showing it" test $((SECONDS - start)) -ge 2
check "and its exit status says it failed" test "$rc" != 0
check "the error frame was drawn" test -s "$T/newer.png"
check "the log names b's store" grep -q "newer.b.db is schema 999" "$T/newer.log"
check "b's file untouched" test "$(sqlite3 -readonly -batch -noheader "$T/newer.b.db" 'PRAGMA user_version')" = 999
finish

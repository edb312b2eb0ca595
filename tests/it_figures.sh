#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# One source of truth for the team's figures (docs/FIGURES.md): through a real
# broker and board, after each of a sequence of posts and resolves the
# retained state's figures (which the wall draws from the same object and Home
# Assistant's templates read) are the figures `teamwall-ctl stats` computes
# from the same database, and they describe the items the state lists.
# Thousands of wins posted today count as thousands this week; ctl names the
# team the database belongs to, not its own default.
. "$(dirname "$0")/lib.sh"

start_broker
start_board --team "$TEAM"
check "board online" wait_online

STATE_T="$ROOT/board/$BOARD_ID/state"
state() { mosquitto_sub -p "$BROKER_PORT" -t "$STATE_T" -C 1 -W 2; }
# agree OPEN_B OPEN_Q OPEN_W: the state lists those open counts, and its
# figures are ctl's (keys sorted, compared as JSON).
agree() {
    local s
    s=$(state) || return 1
    [ "$(jq -c '[.open.blocker, .open.question, .open.win]' <<<"$s")" = "[$1,$2,$3]" ] || return 1
    [ "$(jq -S -c .figures <<<"$s")" = "$("$CTL" --db "$T/board.db" stats --json | jq -S -c .)" ]
}
step() { # step DESCRIPTION OPEN_B OPEN_Q OPEN_W
    if wait_for 15 agree "$2" "$3" "$4"; then
        pass "$1: state and ctl stats agree"
    else
        fail "$1: state $(state | jq -c '[.open, .figures.wins_week, .figures.blocker_clear, .figures.questions]'), ctl $("$CTL" --db "$T/board.db" stats --json | jq -c '[.wins_week, .blocker_clear, .questions]')"
    fi
}
ref_of() { sql "SELECT ref FROM items WHERE id = '$1';"; }

pub post '{"kind":"blocker","text":"CI is red","id":"f-b1"}'
step "a blocker" 1 0 0
pub post '{"kind":"question","text":"who knows the VPN?","id":"f-q1"}'
step "a question" 1 1 0
pub post '{"kind":"win","text":"shipped","id":"f-w1"}'
step "a win" 1 1 1
pub resolve "{\"ref\":\"$(ref_of f-b1)\",\"note\":\"restarted the runner\"}"
step "the blocker cleared" 0 1 1
pub resolve "{\"ref\":\"$(ref_of f-q1)\",\"note\":\"ask IT\"}"
step "the question answered" 0 0 1
pub post '{"kind":"blocker","text":"staging down","id":"f-b2"}'
step "another blocker" 1 0 1
pub reopen "{\"ref\":\"$(ref_of f-b1)\"}"
step "the first blocker reopened" 2 0 1
check "cleared count follows the reopen" bash -c "[ \"\$(mosquitto_sub -p $BROKER_PORT -t '$STATE_T' -C 1 -W 2 | jq .figures.blocker_clear.count)\" = 0 ]"

# Thousands in one burst: all of them, in the state and in ctl.
for i in $(seq 1 3000); do echo "{\"kind\":\"win\",\"text\":\"win $i\",\"id\":\"f-many-$i\"}"; done >"$T/wins"
mosquitto_pub -p "$BROKER_PORT" -q 1 -t "$ROOT/post" -l <"$T/wins"
step "3,000 wins more" 2 0 3001
check "wins this week counts all 3,001" bash -c "[ \"\$(mosquitto_sub -p $BROKER_PORT -t '$STATE_T' -C 1 -W 2 | jq .figures.wins_week)\" = 3001 ]"
check "today's opened blockers" bash -c "[ \"\$(mosquitto_sub -p $BROKER_PORT -t '$STATE_T' -C 1 -W 2 | jq '.figures.blockers_per_day[13].opened')\" = 2 ]"

# Home Assistant's templates read fields that are there.
check "the state has what the HA templates read" bash -c "mosquitto_sub -p $BROKER_PORT -t '$STATE_T' -C 1 -W 2 | jq -e '.open.blocker != null and .open.question != null and .figures.blocker_clear.count != null' >/dev/null"

# ctl without --team names the database's team, from the database.
check "ctl stats names the database's team" bash -c "'$CTL' --db '$T/board.db' stats | head -1 | grep -q '^Team $TEAM,'"
check "ctl export names the database's team" bash -c "'$CTL' --db '$T/board.db' export | grep -q '$TEAM'"
check "ctl export does not say 'team'" bash -c "! '$CTL' --db '$T/board.db' export | head -3 | grep -q 'What team learned'"
check "--team still wins" bash -c "'$CTL' --db '$T/board.db' --team other stats | head -1 | grep -q '^Team other,'"
finish

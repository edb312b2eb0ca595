#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# docs/PROTOCOL.md's examples, run in order against a real broker and board:
# every `mosquitto_pub`/`teamwall-ctl` line in a sh block, and every
# <!-- check: SQL = EXPECTED -->, <!-- rejected: REASON --> and
# <!-- state-has: TEXT --> comment under them.
. "$(dirname "$0")/lib.sh"

DOC="$TW_SOURCE_DIR/docs/PROTOCOL.md"
TEAM=acme BOARD_ID=wall1
start_broker
mosquitto_sub -p "$BROKER_PORT" -t "$ROOT/board/$BOARD_ID/rejected" >"$T/rejected" 2>&1 &
PIDS+=($!)
start_board
check "board online" wait_online

run_line() {
    local line=$1
    line=${line//-h localhost/-p $BROKER_PORT}
    line=${line/#teamwall-ctl /\"\$CTL\" --broker $BROKER --db \"\$T/board.db\" }
    eval "$line"
}

examples=0
in_sh=0
while IFS= read -r line; do
    case "$line" in
    '```sh') in_sh=1; continue ;;
    '```') in_sh=0; continue ;;
    esac
    if [ $in_sh = 1 ]; then
        case "$line" in
        mosquitto_pub*|teamwall-ctl*)
            examples=$((examples + 1))
            check "example runs: ${line:0:70}" run_line "$line" ;;
        esac
        continue
    fi
    if [[ "$line" =~ ^\<!--\ check:\ (.*)\ =\ (.*)\ --\>$ ]]; then
        q=${BASH_REMATCH[1]} want=${BASH_REMATCH[2]}
        check "doc check: $want" wait_for 10 bash -c '[ "$(sqlite3 -batch -noheader "$1" "$2")" = "$3" ]' _ "$T/board.db" "$q" "$want"
    elif [[ "$line" =~ ^\<!--\ rejected:\ (.*)\ --\>$ ]]; then
        want=${BASH_REMATCH[1]}
        check "doc rejection: $want" wait_for 10 grep -qF "\"error\":\"$want\"" "$T/rejected"
    elif [[ "$line" =~ ^\<!--\ state-has:\ (.*)\ --\>$ ]]; then
        want=${BASH_REMATCH[1]}
        check "doc state has $want" wait_for 10 bash -c "mosquitto_sub -p $BROKER_PORT -t '$ROOT/board/$BOARD_ID/state' -C 1 -W 2 | grep -qF '$want'"
    fi
done <"$DOC"
echo "examples run: $examples"
check "the document has examples" test "$examples" -ge 8
finish

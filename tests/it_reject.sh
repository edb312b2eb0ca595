#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The catalogue of bad inputs (PROTOCOL.md rules, TARGETS.md R4): each is
# rejected with a reason on <root>/board/<board>/rejected and in the log,
# nothing is stored, and the board keeps running and accepting good posts.
. "$(dirname "$0")/lib.sh"

start_broker
mosquitto_sub -p "$BROKER_PORT" -v -t "$ROOT/board/$BOARD_ID/rejected" >"$T/rejected" 2>&1 &
PIDS+=($!)
# A retained command waiting on the broker: a board that (re)subscribes gets it
# flagged as retained and must not apply it. (MQTT 3.1.1 clears the flag for
# subscribers that were already there, so this is the case a board can see.)
pub post '{"kind":"win","text":"retained","id":"retained-1"}' -r
start_board
check "board online" wait_online
check "retained command rejected" wait_for 10 grep -q "retained command messages are rejected" "$T/rejected"
check "retained command not stored" test "$(sql "SELECT count(*) FROM items WHERE id='retained-1'")" = 0
mosquitto_pub -p "$BROKER_PORT" -t "$ROOT/post" -r -n # clear the retained message
pub post '{"kind":"blocker","text":"Known item","id":"known-1"}'
check "known item stored" wait_for 10 items_are 1
sleep_until_sub() { wait_for 5 test -s "$T/sub.ready"; }

BIG=$(head -c 5000 /dev/zero | tr '\0' a)
LONG=$(head -c 281 /dev/zero | tr '\0' b)
DEEP=$(printf '%.0s[' $(seq 600))
# topic|payload|expected reason (a substring)
CASES=(
  "post|not json|invalid JSON"
  "post||payload is empty"
  "post|[1,2,3]|must be a JSON object"
  "post|\"just a string\"|must be a JSON object"
  "post|{\"text\":\"no kind\"}|missing key: kind"
  "post|{\"kind\":\"blocker\"}|missing key: text"
  "post|{\"kind\":\"rumour\",\"text\":\"x\"}|unknown kind: rumour"
  "post|{\"kind\":5,\"text\":\"x\"}|kind must be a string"
  "post|{\"kind\":\"win\",\"text\":42}|text must be a string"
  "post|{\"kind\":\"win\",\"text\":\"x\",\"author\":[]}|author must be a string"
  "post|{\"kind\":\"win\",\"text\":\"x\",\"id\":7}|id must be a string"
  "post|{\"kind\":\"win\",\"text\":\"x\",\"ts\":true}|ts must be"
  "post|{\"kind\":\"win\",\"text\":\"x\",\"ts\":\"yesterday\"}|ts"
  "post|{\"kind\":\"win\",\"text\":\"   \"}|text is empty"
  "post|{\"kind\":\"win\",\"text\":\"$LONG\"}|text is too long"
  "post|{\"kind\":\"win\",\"text\":\"\u202e\u2066\"}|text is empty"
  "post|{\"kind\":\"win\",\"text\":\"x\",\"id\":\"has space\"}|id"
  "post|{\"kind\":\"win\",\"text\":\"x\",\"source\":\"Not Valid!\"}|source"
  "post|{\"kind\":\"win\",\"text\":\"x\",\"id\":\"$(head -c 65 /dev/zero | tr '\0' i)\"}|id"
  "post|{\"kind\":\"win\",\"text\":\"$BIG\"}|payload too large"
  "post|$DEEP|nested too deeply"
  "claim|{\"by\":\"Ben\"}|missing key: ref"
  "claim|{\"ref\":\"zzzz\"}|unknown ref zzzz"
  "claim|{\"ref\":\"zz\"}|unknown ref zz"
  "resolve|{\"ref\":12}|ref must be a string"
  "resolve|{\"ref\":\"known-1\",\"note\":{}}|note must be a string"
  "reopen|{\"ref\":\"nothing-like-this\"}|unknown ref"
  "claim|{\"ref\":\"known-1\",\"by\":false}|by must be a string"
  "post|{\"kind\":\"win\",\"text\":\"x\",\"ts\":\"2026-02-30T00:00:00Z\"}|ts must be an RFC 3339 time"
  "post|{\"kind\":\"win\",\"text\":\"x\",\"ts\":\"2025-02-29T12:00:00Z\"}|ts must be an RFC 3339 time"
  "post|{\"kind\":\"win\",\"text\":\"x\",\"ts\":\"2026-04-31T08:00:00Z\"}|ts must be an RFC 3339 time"
  "post|{\"kind\":\"win\",\"text\":\"x\",\"id\":\"\"}|id is empty"
  "post|{\"kind\":\"win\",\"text\":\"a\",\"text\":\"b\"}|key given twice: text"
  "claim|{\"ref\":\"known-1\",\"ref\":\"zzzz\"}|key given twice: ref"
  "post|{\"kind\":\"win\",\"text\":\"\u200b\u200d\ufeff\"}|text is empty"
  "post|{\"kind\":\"win\",\"text\":\"\u2060\u180e\u3164\"}|text is empty"
  "post|{\"kind\":\"win\",\"text\":\"\udb40\udc21\udb40\udc7f\"}|text is empty"
)
# make sure the subscriber is attached before the first bad message (logged in
# as the board: the shipped ACLs let no one else publish under its topics)
wait_for 10 bash -c "mosquitto_pub -p $BROKER_PORT -u $BOARD_ID -t '$ROOT/board/$BOARD_ID/rejected' -m probe && grep -q probe '$T/rejected'"

n=0
for c in "${CASES[@]}"; do
    topic=${c%%|*}; rest=${c#*|}; payload=${rest%|*}; want=${rest##*|}
    : >"$T/rejected"
    pub "$topic" "$payload"
    n=$((n + 1))
    if wait_for 10 grep -qF -- "$want" "$T/rejected"; then
        pass "bad input $n ($topic): rejected with \"$want\""
    else
        fail "bad input $n ($topic) $payload: expected \"$want\", got: $(cat "$T/rejected")"
    fi
done

# A button's topic with bidi controls: rejected, and never raw in the log or
# in teamwall-ctl buttons (issue 11).
for t in $'button/desk\u202eevil' $'button/desk\u2066x\u2069' $'button/desk\u200fy'; do
    : >"$T/rejected"
    pub "$t" single
    n=$((n + 1))
    check "bad input $n (a button topic with bidi controls): rejected" \
        wait_for 10 grep -qF "topic has control or bidi characters" "$T/rejected"
done
check "no bidi control reaches the log raw" bash -c "! grep -q \$'\\u202e\\|\\u2066\\|\\u200f' '$T/board.log'"
check "the log shows the topic escaped" grep -qF 'desk\xe2\x80\xaeevil' "$T/board.log"
"$CTL" --db "$T/board.db" buttons >"$T/buttons.out" 2>&1 || true
check "teamwall-ctl buttons lists none of them" bash -c "! grep -q 'desk' '$T/buttons.out'"

# Invalid UTF-8 and control characters, sent as raw bytes.
: >"$T/rejected"
printf '{"kind":"win","text":"bad \xc3\x28 byte"}' >"$T/bad-utf8"
mosquitto_pub -p "$BROKER_PORT" -q 1 -t "$ROOT/post" -f "$T/bad-utf8"
n=$((n + 1))
check "bad input $n: invalid UTF-8 rejected" wait_for 10 grep -q "not valid UTF-8" "$T/rejected"
: >"$T/rejected"
printf '{"kind":"win","text":"\xed\xa0\x80"}' >"$T/surrogate"
mosquitto_pub -p "$BROKER_PORT" -q 1 -t "$ROOT/post" -f "$T/surrogate"
n=$((n + 1))
check "bad input $n: encoded surrogate rejected" wait_for 10 grep -q "not valid UTF-8" "$T/rejected"
: >"$T/rejected"
printf '{"kind":"win","text":"\x01\x02\x7f"}' >"$T/controls"
mosquitto_pub -p "$BROKER_PORT" -q 1 -t "$ROOT/post" -f "$T/controls"
n=$((n + 1))
check "bad input $n: control characters only rejected" wait_for 10 grep -q "text is empty" "$T/rejected"
n=$((n + 1)) # the retained command at the start
: >"$T/rejected"
pub post '{"kind":"win","text":"x","author":"'"$(head -c 65 /dev/zero | tr '\0' a)"'"}'
n=$((n + 1))
check "bad input $n: author over 64 characters rejected" wait_for 10 grep -q "author is too long" "$T/rejected"

check "the rejected topic names the topic" grep -q "\"topic\":\"$ROOT/post\"" "$T/rejected"
check "payload_head is escaped" bash -c "grep -q 'payload_head' '$T/rejected'"
check "rejections are logged with topic and reason" grep -q "rejected $ROOT/post: retained command messages are rejected" "$T/board.log"
check "log names the reason of a later rejection" grep -q "rejected $ROOT/claim: unknown ref zzzz" "$T/board.log"
echo "bad inputs rejected: $n"
check "at least 25 bad inputs" test "$n" -ge 25

# A flood of bad messages: the board survives and the rejected topic is rate limited.
: >"$T/rejected"
for i in $(seq 300); do echo "garbage $i"; done | mosquitto_pub -p "$BROKER_PORT" -q 1 -t "$ROOT/post" -l
pub post '{"kind":"blocker","text":"After the flood","id":"after-flood"}'
check "good post after the flood is stored" wait_for 15 sql_is "SELECT count(*) FROM items WHERE id='after-flood'" 1
check "rejected topic rate limited" test "$(wc -l <"$T/rejected")" -lt 300
check "nothing bad was stored" test "$(count_items)" = 2
check "board still running" kill -0 "$BOARD_PID"
check "known item intact" test "$(sql "SELECT text FROM items WHERE id='known-1'")" = "Known item"
finish

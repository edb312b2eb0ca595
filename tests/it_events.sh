#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Issue 17: a pass that commits several commands publishes its events as
# {"event":"batch","events":[…]} messages of at most 100 events and 64 KiB,
# not one message each. A burst of 2,000 posts: a subscriber on the events
# topic sees every post's "posted" event exactly once (members of batches
# and single messages together) and at least one batch; a lone post after
# it still arrives as a plain {"event":"posted",…} message.
. "$(dirname "$0")/lib.sh"
BURST="$TW_BUILD_DIR/tests/burst_pub"
N=2000

start_broker
mosquitto_sub -p "$BROKER_PORT" -q 1 -t "$ROOT/board/$BOARD_ID/events" >"$T/events" 2>&1 &
PIDS+=($!)
start_board
check "board online" wait_online
"$BURST" "$BROKER_PORT" "$ROOT/post" "$N" 100000 ev "$T/acks" 120 >/dev/null
check "$N posts stored" wait_for 60 items_are "$N"

# events FILE PREFIX: what the subscriber got, one payload a line.
# Prints: posted events with the prefix, distinct ids, batch messages, the
# largest batch's members and bytes, and "bad" for a line that is no event.
events() {
    python3 - "$1" "$2" <<'PY'
import json, sys
ids, batches, most, biggest, bad = [], 0, 0, 0, 0
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.rstrip("\n")
    try:
        m = json.loads(line)
    except ValueError:
        bad += 1
        continue
    members = [m]
    if m.get("event") == "batch":
        batches += 1
        members = m["events"]
        most, biggest = max(most, len(members)), max(biggest, len(line.encode()))
    for e in members:
        i = (e.get("item") or {}).get("id", "")
        if e.get("event") == "posted" and i.startswith(sys.argv[2] + "-"):
            ids.append(i)
print(len(ids), len(set(ids)), batches, most, biggest, "bad" if bad else "ok")
PY
}
all_seen() { [ "$(events "$T/events" ev | cut -d' ' -f2)" = "$N" ]; }
check "every post's event arrived" wait_for 60 all_seen
read -r posted distinct batches most biggest ok < <(events "$T/events" ev)
echo "events: $posted posted ($distinct distinct) in $(wc -l <"$T/events") messages, $batches batches, largest $most events / $biggest bytes"
check "each exactly once ($posted posted events, $distinct ids)" test "$posted" = "$N" -a "$distinct" = "$N"
check "at least one batch message" test "$batches" -ge 1
check "batches of at most 100 events" test "$most" -le 100
check "batches of at most 64 KiB" test "$biggest" -le 65536
check "every message is JSON" test "$ok" = ok
check "fewer messages than events" test "$(wc -l <"$T/events")" -lt "$N"

# A lone post: a message of its own, as before batches.
pub post '{"kind":"blocker","text":"After the burst","author":"Ana","id":"ev-single"}'
check "a single post arrives" wait_for 20 grep -q '"id":"ev-single"' "$T/events"
check "...as a plain posted event" grep -q '^{"event":"posted","item":{"id":"ev-single"' "$T/events"
check "...not in a batch" bash -c "! grep '\"id\":\"ev-single\"' '$T/events' | grep -q '\"event\":\"batch\"'"
finish

# SPDX-License-Identifier: MIT
# Shared helpers for the integration tests (tests/it_*.sh): a private
# mosquitto with the broker config teamwall ships, on a free port of
# 127.0.0.1; the real programs; polling with deadlines (never fixed sleeps).
set -euo pipefail

: "${TW_SOURCE_DIR:?}" "${TW_BUILD_DIR:?}"
TW_TEST_TMP=${TW_TEST_TMP:-/tmp}
TEAMWALL="$TW_BUILD_DIR/teamwall"
CTL="$TW_BUILD_DIR/teamwall-ctl"
T=$(mktemp -d "$TW_TEST_TMP/$(basename "$0" .sh).XXXXXX")
export TZ=UTC
# Leak checking is for the unit tests; these processes are killed on purpose.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
PIDS=()
FAILS=0
PASSES=0

cleanup() {
    local status=$? p
    for p in "${PIDS[@]:-}"; do
        [ -n "$p" ] && kill "$p" 2>/dev/null || true
    done
    for p in "${PIDS[@]:-}"; do
        [ -n "$p" ] && wait "$p" 2>/dev/null || true
    done
    if [ "$status" != 0 ] && [ "$FAILS" = 0 ]; then
        echo "FAIL: $(basename "$0") stopped early (exit status $status; see the lines above)" >&2
    fi
    if [ "${KEEP_TMP:-0}" = 1 ] || [ "$FAILS" != 0 ] || [ "$status" != 0 ]; then
        echo "test files kept in $T"
    else
        rm -rf "$T"
    fi
}
trap cleanup EXIT

pass() { PASSES=$((PASSES + 1)); echo "ok: $*"; }
fail() { FAILS=$((FAILS + 1)); echo "FAIL: $*" >&2; }
check() { # check "description" command...
    local what=$1; shift
    if "$@"; then pass "$what"; else fail "$what"; fi
}
finish() {
    echo "$PASSES passed, $FAILS failed"
    [ "$FAILS" = 0 ]
}

# free_port: a port nothing listens on (random, checked), below Linux's
# ephemeral range (32768-60999): the tests' own client connections take
# ports there, and a broker told to listen on one of them meets "Address
# already in use" (it_failover did, on a clean clone under ctest -j2).
free_port() {
    local p
    while :; do
        p=$((20000 + RANDOM % 12000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return
        fi
    done
}

# wait_for SECONDS command...: poll until the command succeeds or time runs out.
wait_for() {
    local limit=$1; shift
    local end=$((SECONDS + limit))
    while ! "$@" >/dev/null 2>&1; do
        [ $SECONDS -ge $end ] && return 1
        sleep 0.05
    done
}

# start_broker: mosquitto with packaging/mosquitto/teamwall.conf and its ACLs
# (teamwall-access.conf, teamwall.acl) on a free port. No password file: the
# board logs in as its board id, every other client anonymously.
start_broker() {
    BROKER_PORT=${1:-$(free_port)}
    mkdir -p "$T/broker"
    {
        cat "$TW_SOURCE_DIR/packaging/mosquitto/teamwall.conf"
        # The shipped ACLs (a board alone publishes its state and status).
        sed "s|/etc/mosquitto/|$TW_SOURCE_DIR/packaging/mosquitto/|" \
            "$TW_SOURCE_DIR/packaging/mosquitto/teamwall-access.conf"
        echo "listener $BROKER_PORT 127.0.0.1"
        echo "allow_anonymous true"
        echo "persistence true"
        echo "persistence_location $T/broker/"
        echo "user $(id -un)" # as root, mosquitto would switch to a user that cannot read $T
    } >"$T/broker/mosquitto.conf"
    mosquitto -c "$T/broker/mosquitto.conf" >"$T/broker/log" 2>&1 &
    BROKER_PID=$!
    PIDS+=("$BROKER_PID")
    BROKER="mqtt://127.0.0.1:$BROKER_PORT"
    wait_for 10 mosquitto_pub -p "$BROKER_PORT" -t teamwall/ping -m x || {
        cat "$T/broker/log" >&2
        return 1
    }
}

stop_broker() {
    kill "$BROKER_PID" 2>/dev/null || true
    wait "$BROKER_PID" 2>/dev/null || true
}

TEAM=${TEAM:-acme}
BOARD_ID=${BOARD_ID:-wall1}
ROOT="teamwall/$TEAM"

# start_board [extra flags...]: the real board, headless, on $T/board.db.
start_board() {
    "$TEAMWALL" --broker "$BROKER" --team "$TEAM" --board "$BOARD_ID" --db "$T/board.db" \
        --headless --size 800x480 "$@" >>"$T/board.log" 2>&1 &
    BOARD_PID=$!
    PIDS+=("$BOARD_PID")
}

# wait_online: the board's retained status says online.
board_online() {
    mosquitto_sub -p "$BROKER_PORT" -t "$ROOT/board/$BOARD_ID/status" -C 1 -W 1 2>/dev/null |
        grep -q '"online"'
}
wait_online() { wait_for "${1:-20}" board_online; }

pub() { # pub SUBTOPIC PAYLOAD [mosquitto_pub flags]
    local sub=$1 payload=$2; shift 2
    mosquitto_pub -p "$BROKER_PORT" -q 1 -t "$ROOT/$sub" -m "$payload" "$@"
}

# sql QUERY: read the board's database with the sqlite3 command line.
sql() { sqlite3 -batch -noheader "$T/board.db" "$1"; }
count_items() { sql "SELECT count(*) FROM items;"; }
# For polling: `wait_for 10 sql_is "SELECT ..." value` runs the query on every
# try (a "$(sql ...)" argument would be expanded once, before waiting).
sql_is() { [ "$(sql "$1")" = "$2" ]; }
items_are() { [ "$(count_items)" = "$1" ]; }

# retained_state: the board's retained state JSON.
retained_state() {
    mosquitto_sub -p "$BROKER_PORT" -t "$ROOT/board/$BOARD_ID/state" -C 1 -W 2
}

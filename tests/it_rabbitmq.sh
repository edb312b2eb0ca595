#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# TARGETS.md S3 on a clustered broker: two RabbitMQ nodes (Debian's
# rabbitmq-server with its MQTT plugin) started here on loopback with their
# own node names, ports, Erlang port mapper and data folders, joined into one
# cluster; the board takes `[mqtt] broker = node1, node2`. A producer on node2
# publishes 2,000 mixed commands; the node the board is on is killed with
# SIGKILL in the middle: the board moves to the other within 2 x keepalive,
# and every command the cluster acknowledged reaches it, each item in the
# state the ordering rule gives. RabbitMQ keeps a persistent MQTT session in
# a queue on one node; a policy mirrors those queues to every node, so the
# session survives the node (docs/SCALE.md says what differs from mosquitto).
. "$(dirname "$0")/lib.sh"

RMQ=/usr/lib/rabbitmq/bin
if [ ! -x "$RMQ/rabbitmq-server" ]; then
    echo "rabbitmq-server is not installed (scripts/deps.sh test installs it)" >&2
    exit 1
fi
COUNT=${TW_RABBITMQ_COUNT:-2000}
DRIVE="$TW_BUILD_DIR/tests/converge_drive"
KEEPALIVE=5
HOST=$(hostname -s)
TAG=tw$$
export HOME="$T/home" ERL_EPMD_PORT
ERL_EPMD_PORT=$(free_port)
mkdir -p "$HOME"
printf 'teamwall-test-%s' "$TAG" >"$HOME/.erlang.cookie"
chmod 400 "$HOME/.erlang.cookie"
export RABBITMQ_ENABLED_PLUGINS=rabbitmq_mqtt

declare -A MQTT_PORT NODE_PID
start_node() { # start_node N
    local n=$1 d="$T/rabbit$1" amqp dist
    amqp=$(free_port)
    dist=$(free_port)
    MQTT_PORT[$n]=$(free_port)
    mkdir -p "$d"
    cat >"$d/rabbitmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:$amqp
mqtt.listeners.tcp.default = 127.0.0.1:${MQTT_PORT[$n]}
mqtt.allow_anonymous = true
mqtt.default_user = guest
mqtt.default_pass = guest
loopback_users = none
CONF
    RABBITMQ_NODENAME="$TAG-$n@$HOST" RABBITMQ_NODE_PORT=$amqp RABBITMQ_DIST_PORT=$dist \
        RABBITMQ_MNESIA_BASE="$d/mnesia" RABBITMQ_LOG_BASE="$d/log" \
        RABBITMQ_CONFIG_FILE="$d/rabbitmq.conf" RABBITMQ_ENABLED_PLUGINS_FILE="$d/enabled_plugins" \
        RABBITMQ_PID_FILE="$d/pid" "$RMQ/rabbitmq-server" >"$d/out.log" 2>&1 &
    PIDS+=("$!")
}
ctl() { "$RMQ/rabbitmqctl" "$@"; }
node_up() { ctl -n "$TAG-$1@$HOST" await_startup --timeout 5; }
stop_all() { # the nodes (beam runs under its own pid) and this test's port mapper
    local n
    for n in 1 2; do
        if [ -f "$T/rabbit$n/pid" ]; then kill -9 "$(cat "$T/rabbit$n/pid")" 2>/dev/null || true; fi
    done
    epmd -port "$ERL_EPMD_PORT" -kill >/dev/null 2>&1 || true
}
trap 'rc=$?; stop_all; (exit $rc); cleanup; exit $rc' EXIT

started=$SECONDS
start_node 1
start_node 2
check "node 1 up" wait_for 120 node_up 1
check "node 2 up" wait_for 120 node_up 2
joined() {
    ctl -n "$TAG-2@$HOST" stop_app && ctl -n "$TAG-2@$HOST" join_cluster "$TAG-1@$HOST" &&
        ctl -n "$TAG-2@$HOST" start_app
}
check "node 2 joins node 1's cluster" joined
check "a cluster of two" bash -c \
    "'$RMQ/rabbitmqctl' -n '$TAG-1@$HOST' cluster_status 2>/dev/null | grep -q '$TAG-2@$HOST'"
# Persistent MQTT sessions are queues named mqtt-subscription-<client id>qos1.
check "sessions mirrored to every node" ctl -n "$TAG-1@$HOST" set_policy teamwall-sessions \
    "^mqtt-subscription-" '{"ha-mode":"all","ha-sync-mode":"automatic"}' --apply-to queues
echo "cluster ready after $((SECONDS - started)) s"
mqtt_up() { mosquitto_pub -p "${MQTT_PORT[$1]}" -q 1 -t teamwall/ping -m x; }
check "MQTT on node 1" wait_for 30 mqtt_up 1
check "MQTT on node 2" wait_for 30 mqtt_up 2

# The board logs in as its board id (docs/RELIABILITY.md, R12): on a cluster
# that is a RabbitMQ user of its own, made once and known to every node.
BOARD_PW=board-secret-$TAG
check "a user for the board" ctl -n "$TAG-1@$HOST" add_user "$BOARD_ID" "$BOARD_PW"
check "...who may use the default vhost" \
    ctl -n "$TAG-1@$HOST" set_permissions -p / "$BOARD_ID" ".*" ".*" ".*"
printf '[mqtt]\nkeepalive = %d\npassword = %s\n' "$KEEPALIVE" "$BOARD_PW" >"$T/board.conf"
chmod 600 "$T/board.conf"
"$TEAMWALL" --config "$T/board.conf" \
    --broker "mqtt://127.0.0.1:${MQTT_PORT[1]},mqtt://127.0.0.1:${MQTT_PORT[2]}" \
    --team "$TEAM" --board "$BOARD_ID" --db "$T/board.db" --headless --size 800x480 \
    >>"$T/board.log" 2>&1 &
BOARD_PID=$!
PIDS+=("$BOARD_PID")
check "the board is on node 1" wait_for 30 grep -q "connected to 127.0.0.1:${MQTT_PORT[1]}$" \
    "$T/board.log"
BROKER_PORT=${MQTT_PORT[1]}
check "board online" wait_online 30

read -r _ ITEMS _ OPS _ < <("$DRIVE" --count "$COUNT" --seed 5 --expect "$T/expected")
"$DRIVE" --port "${MQTT_PORT[2]}" --count "$COUNT" --seed 5 >"$T/drive.log" 2>&1 &
DRIVE_PID=$!
check "part of the burst reaches the board" wait_for 60 bash -c \
    "[ \"\$(sqlite3 '$T/board.db' 'SELECT count(*) FROM items' 2>/dev/null)\" -gt $((ITEMS / 5)) ]"
kill -9 "$(cat "$T/rabbit1/pid")"
KILLED=$SECONDS
echo "node 1 killed with $(sqlite3 "$T/board.db" 'SELECT count(*) FROM items') of $ITEMS items on the board"
check "every command acknowledged by the cluster" wait "$DRIVE_PID"
cat "$T/drive.log"
check "the board moved to node 2 within 2 x keepalive" wait_for $((2 * KEEPALIVE)) grep -q \
    "connected to 127.0.0.1:${MQTT_PORT[2]}$" "$T/board.log"
echo "moved after $((SECONDS - KILLED)) s"
board_has() {
    [ "$(sqlite3 "$T/board.db" "SELECT count(*) FROM items")" = "$ITEMS" ] &&
        [ "$(sqlite3 "$T/board.db" "SELECT count(*) FROM ops WHERE item_id <> ''")" = "$OPS" ]
}
check "nothing acknowledged is lost: $ITEMS items, $OPS changes" wait_for 120 board_has
sqlite3 -batch -noheader "$T/board.db" \
    "SELECT id || '|' || state || '|' || claimed_by || '|' || resolved_by || '|' || note FROM items" |
    LC_ALL=C sort >"$T/states"
LC_ALL=C sort -o "$T/expected" "$T/expected"
check "each item in the state the ordering rule gives" cmp "$T/expected" "$T/states"
check "its retained status on node 2 says online" bash -c \
    "mosquitto_sub -p ${MQTT_PORT[2]} -t '$ROOT/board/$BOARD_ID/status' -C 1 -W 3 | grep -q online"
check "board still running" kill -0 "$BOARD_PID"
finish

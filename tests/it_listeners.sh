#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The broker snippets the package installs in /etc/mosquitto/conf.d
# (packaging/mosquitto/teamwall.conf and listeners.conf), on free ports
# instead of 1883/1884: mosquitto starts with the empty password file the
# postinst creates; anonymous clients are served on loopback only; the
# network listener refuses them and takes a user made with
# mosquitto_passwd; and a post through it reaches a board on loopback.
source "$(dirname "$0")/lib.sh"

loop=$(free_port)
net=$(free_port)
: >"$T/teamwall.passwd" # what postinst creates
snippet() {
    cat "$TW_SOURCE_DIR/packaging/mosquitto/teamwall.conf"
    sed -e "s|^listener 1883 127.0.0.1$|listener $loop 127.0.0.1|" -e "s|^listener 1884$|listener $net|" \
        -e "s|/etc/mosquitto/teamwall.passwd|$T/teamwall.passwd|" \
        -e "s|/etc/mosquitto/teamwall.acl|$TW_SOURCE_DIR/packaging/mosquitto/teamwall.acl|" \
        "$TW_SOURCE_DIR/packaging/mosquitto/listeners.conf"
    echo "user $(id -un)"
}
snippet >"$T/mosquitto.conf"
check "the snippet names both listeners" sh -c "grep -q '^listener $loop 127.0.0.1' '$T/mosquitto.conf' && grep -q '^listener $net$' '$T/mosquitto.conf'"
mosquitto -c "$T/mosquitto.conf" >"$T/mosquitto.log" 2>&1 &
broker=$!
PIDS+=("$broker")
check "mosquitto starts with the empty password file" \
    wait_for 10 mosquitto_pub -p "$loop" -t teamwall/ping -m x
check "anonymous on loopback is served" mosquitto_pub -h 127.0.0.1 -p "$loop" -q 1 -t teamwall/ping -m x
check "anonymous on the network listener is refused" \
    sh -c "! mosquitto_pub -h 127.0.0.1 -p $net -q 1 -t teamwall/ping -m x 2>/dev/null"
check "so is a user nobody created" \
    sh -c "! mosquitto_pub -h 127.0.0.1 -p $net -u ghost -P x -q 1 -t teamwall/ping -m x 2>/dev/null"

# The admin adds users (the board by its id, a producer for scripts, as the
# broker ACLs name them); mosquitto reads the file on SIGHUP.
mosquitto_passwd -b "$T/teamwall.passwd" "$BOARD_ID" b0ard
mosquitto_passwd -b "$T/teamwall.passwd" producer s3cret
kill -HUP "$broker"
BROKER_PORT=$loop BROKER="mqtt://$BOARD_ID:b0ard@127.0.0.1:$loop"
start_board
wait_online || fail "the board is online on loopback"
check "the user made with mosquitto_passwd gets in" wait_for 10 \
    mosquitto_pub -h 127.0.0.1 -p "$net" -u producer -P s3cret -q 1 -t "$ROOT/post" \
    -m '{"kind":"blocker","text":"Posted from the network","id":"net-1"}'
check "and its post reaches the board on loopback" \
    wait_for 10 sql_is "SELECT count(*) FROM items WHERE id = 'net-1';" 1
finish

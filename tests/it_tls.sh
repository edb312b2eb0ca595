#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# TLS and credentials from the config file: a mosquitto with a TLS listener
# (certificates made here with the openssl command line) and a password file;
# the board connects with mqtts://, the CA file and a user name and password,
# stores a post, and reports refused credentials when the password is wrong.
. "$(dirname "$0")/lib.sh"

mkdir -p "$T/tls"
cd "$T/tls"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=teamwall test CA" \
    -keyout ca.key -out ca.crt >/dev/null 2>&1
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout server.key -out server.csr \
    >/dev/null 2>&1
printf 'subjectAltName=IP:127.0.0.1\n' >san.ext
openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
    -extfile san.ext -out server.crt >/dev/null 2>&1
cd - >/dev/null
touch "$T/tls/passwd"
chmod 600 "$T/tls/passwd"
mosquitto_passwd -b "$T/tls/passwd" ana s3cret 2>/dev/null

PORT=$(free_port)
{
    cat "$TW_SOURCE_DIR/packaging/mosquitto/teamwall.conf"
    echo "listener $PORT 127.0.0.1"
    echo "cafile $T/tls/ca.crt"
    echo "certfile $T/tls/server.crt"
    echo "keyfile $T/tls/server.key"
    echo "allow_anonymous false"
    echo "password_file $T/tls/passwd"
    echo "user $(id -un)"
} >"$T/tls/mosquitto.conf"
mosquitto -c "$T/tls/mosquitto.conf" >"$T/tls/broker.log" 2>&1 &
PIDS+=($!)
SUB=(mosquitto_sub -h 127.0.0.1 -p "$PORT" --cafile "$T/tls/ca.crt" -u ana -P s3cret)
wait_for 10 mosquitto_pub -h 127.0.0.1 -p "$PORT" --cafile "$T/tls/ca.crt" -u ana -P s3cret -t x -m y

cat >"$T/board.conf" <<CONF
[board]
team = $TEAM
id = $BOARD_ID
db = $T/board.db
[mqtt]
broker = mqtts://127.0.0.1:$PORT
cafile = $T/tls/ca.crt
username = ana
password = s3cret
CONF
"$TEAMWALL" --config "$T/board.conf" --headless --size 800x480 >>"$T/board.log" 2>&1 &
BOARD_PID=$!
PIDS+=("$BOARD_PID")
check "board online over TLS with credentials" wait_for 20 bash -c "$(printf '%q ' "${SUB[@]}") -t '$ROOT/board/$BOARD_ID/status' -C 1 -W 1 | grep -q online"
mosquitto_pub -h 127.0.0.1 -p "$PORT" --cafile "$T/tls/ca.crt" -u ana -P s3cret -q 1 -t "$ROOT/post" \
    -m '{"kind":"blocker","text":"Over TLS","id":"tls-1"}'
check "post over TLS stored" wait_for 10 sql_is "SELECT count(*) FROM items WHERE id='tls-1'" 1
check "ctl over TLS with the same config" "$CTL" --config "$T/board.conf" post win "ctl over TLS" --id tls-2
check "ctl post stored" wait_for 10 sql_is "SELECT count(*) FROM items WHERE id='tls-2'" 1
kill "$BOARD_PID"; wait "$BOARD_PID" 2>/dev/null || true

# Wrong password: refused, reported, retried without spinning.
sed -i 's/^password = .*/password = wrong/' "$T/board.conf"
: >"$T/board.log"
"$TEAMWALL" --config "$T/board.conf" --headless --size 800x480 --exit-after 3 \
    --screenshot "$T/refused.png" >>"$T/board.log" 2>&1
check "refused credentials logged" grep -q "refused the connection" "$T/board.log"
check "screenshot of the offline wall" test -s "$T/refused.png"
# Unknown CA: the TLS handshake fails and is reported.
sed -i 's/^password = .*/password = s3cret/; s|^cafile = .*|cafile = /etc/ssl/certs/ca-certificates.crt|' "$T/board.conf"
: >"$T/board.log"
"$TEAMWALL" --config "$T/board.conf" --headless --size 800x480 --exit-after 2 >>"$T/board.log" 2>&1
check "no connection with an untrusted certificate" bash -c "! grep -q 'connected to' '$T/board.log'"
check "the TLS failure is logged, with OpenSSL's reason" bash -c "grep -q 'cannot connect to 127.0.0.1:$PORT: TLS error' '$T/board.log' && grep -q 'certificate verify failed' '$T/board.log'"
check "once, not at every retry" test "$(grep -c 'cannot connect to' "$T/board.log")" = 1
finish

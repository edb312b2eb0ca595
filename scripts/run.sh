#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Install what is missing, build, start a private mosquitto on 127.0.0.1:1883
# (unless a broker already listens there) and run the board with its database
# in ./data: in a window on a desktop, full screen on a console without one,
# and headless (refreshing a screenshot PNG) with no display at all.
# Environment: TEAM (default "team"), BOARD (default: host name), PORT (1883).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh run
cmake --preset release >/dev/null
cmake --build --preset release -j"$(nproc)"

port=${PORT:-1883}
team=${TEAM:-team}
mkdir -p data
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "using the broker already listening on 127.0.0.1:$port"
else
    {
        cat packaging/mosquitto/teamwall.conf
        sed "s|/etc/mosquitto/|$PWD/packaging/mosquitto/|" packaging/mosquitto/teamwall-access.conf
        echo "listener $port 127.0.0.1"
        echo "allow_anonymous true"
        echo "persistence true"
        echo "persistence_location $PWD/data/"
        echo "user $(id -un)" # stay the user who owns ./data (mosquitto drops root otherwise)
    } >data/mosquitto.conf
    mosquitto -c data/mosquitto.conf >data/mosquitto.log 2>&1 &
    broker=$!
    trap 'kill $broker 2>/dev/null || true' EXIT
    for _ in $(seq 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
        sleep 0.05
    done
    echo "started mosquitto on 127.0.0.1:$port (log: data/mosquitto.log)"
fi

args=(--db data/teamwall.db --broker "mqtt://127.0.0.1:$port" --team "$team")
[ -n "${BOARD:-}" ] && args+=(--board "$BOARD")
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    echo "showing the board in a window (Ctrl+Q or close the window to stop)"
elif ls /dev/dri/card* >/dev/null 2>&1 && tty -s && [[ "$(tty)" == /dev/tty[0-9]* ]]; then
    echo "showing the board full screen on this console (KMSDRM)"
    args+=(--fullscreen)
else
    echo "no display: running headless; the screen is refreshed in $PWD/data/wall.png"
    args+=(--headless --size 1920x1080 --screenshot "$PWD/data/wall.png")
fi
echo "post a first item with:"
echo "  mosquitto_pub -p $port -q 1 -t teamwall/$team/post -m '{\"kind\":\"blocker\",\"text\":\"CI is red\"}'"
build/release/teamwall "${args[@]}"

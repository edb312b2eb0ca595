#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The systemd units' hardening (packaging/systemd/*.service): systemd-analyze
# security rates the bridge <= 3.0 and the board <= 5.0 (both were 8.5
# "EXPOSED"), and both units verify (with ExecStart pointed at this build's
# programs). Where systemd runs this machine (PID 1) and we are root, the
# board also runs once as a transient unit with the board unit's hardening
# and renders a frame; in a container without systemd that part says so and
# is skipped.
. "$(dirname "$0")/lib.sh"
command -v systemd-analyze >/dev/null || { echo "no systemd-analyze here: scripts/deps.sh test installs it"; exit 1; }
U="$TW_SOURCE_DIR/packaging/systemd"
mkdir -p "$T/units"
for u in teamwall teamwall-bridge; do
    sed -e "s|^ExecStart=/usr/bin/teamwall-bridge |ExecStart=$TW_BUILD_DIR/teamwall-bridge |" \
        -e "s|^ExecStart=/usr/bin/teamwall |ExecStart=$TW_BUILD_DIR/teamwall |" "$U/$u.service" >"$T/units/$u.service"
done
score() { systemd-analyze security --offline=true "$T/units/$1.service" 2>/dev/null |
    sed -n 's/.*Overall exposure level for .*: \([0-9.]*\) .*/\1/p'; }
BRIDGE_SCORE=$(score teamwall-bridge)
BOARD_SCORE=$(score teamwall)
echo "systemd-analyze security: teamwall-bridge $BRIDGE_SCORE, teamwall $BOARD_SCORE"
check "bridge exposure <= 3.0 ($BRIDGE_SCORE)" awk -v s="$BRIDGE_SCORE" 'BEGIN { exit !(s != "" && s <= 3.0) }'
check "board exposure <= 5.0 ($BOARD_SCORE)" awk -v s="$BOARD_SCORE" 'BEGIN { exit !(s != "" && s <= 5.0) }'
for u in teamwall teamwall-bridge; do
    if [ -x "$TW_BUILD_DIR/$u" ]; then
        systemd-analyze verify "$T/units/$u.service" >"$T/verify-$u" 2>&1 || true
        # Only complaints about this unit count (not about the machine's own).
        check "$u.service verifies" bash -c "! grep -i '$u.service' '$T/verify-$u'"
    fi
done
if [ "$(cat /proc/1/comm 2>/dev/null)" = systemd ] && [ "$(id -u)" = 0 ]; then
    props=()
    while IFS= read -r line; do
        case "$line" in
        ExecStart=* | Type=* | WatchdogSec=* | Restart* | User=* | Group=* | StateDirectory=* | Environment=* | SupplementaryGroups=*) ;;
        *=*) props+=(-p "$line") ;;
        esac
    done < <(sed -n '/^\[Service\]/,/^\[/p' "$U/teamwall.service" | grep -v '^\[' | grep -v '^#')
    rc=0
    systemd-run --wait --collect --quiet -p "Environment=SDL_VIDEODRIVER=offscreen" "${props[@]}" \
        -p ReadWritePaths="$T" "$TEAMWALL" --db "$T/sd.db" --headless --size 800x480 \
        --screenshot "$T/sd.png" --exit-after 2 || rc=$?
    check "the board renders under its unit's hardening" test -s "$T/sd.png"
else
    echo "skipped: running the board under the unit's hardening needs systemd as PID 1 (this is $(cat /proc/1/comm))"
fi
finish

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The real programs with bad configuration and flags: one line naming
# file:line: key: reason, exit status 2, nothing started.
. "$(dirname "$0")/lib.sh"

printf '[board]\nteam = acme\n\n[mqtt]\nkeepalive = 1\n' >"$T/bad.conf"
set +e
"$TEAMWALL" --config "$T/bad.conf" --headless >"$T/out" 2>&1; rc=$?
set -e
check "bad value: exit status 2" test "$rc" = 2
check "bad value: file:line: key: reason" grep -qx "teamwall: $T/bad.conf:5: keepalive: 1 is out of range (5..3600)" "$T/out"

printf '[board]\ncolour = red\n' >"$T/bad2.conf"
set +e
"$TEAMWALL" --config "$T/bad2.conf" >"$T/out" 2>&1; rc=$?
"$CTL" --config "$T/bad2.conf" list >"$T/out-ctl" 2>&1; rc_ctl=$?
"$TEAMWALL" --config "$T/missing.conf" >"$T/out-missing" 2>&1; rc_missing=$?
"$TEAMWALL" --team "Not A Team" >"$T/out-flag" 2>&1; rc_flag=$?
"$TEAMWALL" --size big >"$T/out-size" 2>&1; rc_size=$?
"$TEAMWALL" --bogus >"$T/out-bogus" 2>&1; rc_bogus=$?
set -e
check "unknown key: exit 2" test "$rc" = 2
check "unknown key named" grep -q "bad2.conf:2: colour: unknown key in \[board\]" "$T/out"
check "ctl reads the same table" test "$rc_ctl" = 2
check "ctl names the line" grep -q "bad2.conf:2: colour: unknown key" "$T/out-ctl"
check "missing config: exit 2" test "$rc_missing" = 2
check "missing config named" grep -q "missing.conf: cannot open" "$T/out-missing"
check "bad flag value: exit 2" test "$rc_flag" = 2
check "bad flag value named" grep -q "team: must be 1-32" "$T/out-flag"
check "bad size: exit 2" test "$rc_size" = 2
check "unknown flag: exit 2" test "$rc_bogus" = 2
check "--version" bash -c "'$TEAMWALL' --version | grep -q '^teamwall [0-9]'"
check "--help lists the flags" bash -c "'$TEAMWALL' --help | grep -q -- '--exit-after'"

# Mistakes that used to pass (issue 11): a directory, an endless device, a
# key given twice; and secrets in a file everyone may read get a warning.
mkdir -p "$T/confdir"
printf '[board]\nteam = acme\nteam = other\n' >"$T/dup.conf"
printf '[board]\nteam = acme\n[api]\ntoken = s3cret\n' >"$T/secret.conf"
chmod 0644 "$T/secret.conf"
set +e
"$TEAMWALL" --config "$T/confdir" --headless --exit-after 1 >"$T/out-dir" 2>&1; rc_dir=$?
timeout 10 "$TEAMWALL" --config /dev/zero --headless --exit-after 1 >"$T/out-zero" 2>&1; rc_zero=$?
"$TEAMWALL" --config "$T/dup.conf" --headless --exit-after 1 >"$T/out-dup" 2>&1; rc_dup=$?
"$CTL" --config "$T/secret.conf" --db "$T/none.db" list >"$T/out-secret" 2>&1
set -e
check "a directory as config: exit 2" test "$rc_dir" = 2
check "a directory as config: named" grep -q "confdir: not a config file (a directory)" "$T/out-dir"
check "/dev/zero as config: exit 2, no hang" test "$rc_zero" = 2
check "/dev/zero as config: named" grep -q "/dev/zero: not a config file (over 1 MiB, or it never ends)" "$T/out-zero"
check "a key given twice: exit 2" test "$rc_dup" = 2
check "a key given twice: file:line named" grep -q "dup.conf:3: team: given twice in \[board\]" "$T/out-dup"
check "secrets in a world-readable file: warned" grep -q "secret.conf holds secrets and every user may read it (mode 0644)" "$T/out-secret"
chmod 0640 "$T/secret.conf"
"$CTL" --config "$T/secret.conf" --db "$T/none.db" list >"$T/out-secret2" 2>&1 || true
check "secrets in a 0640 file: no warning" bash -c "! grep -q 'every user may read' '$T/out-secret2'"

# The installed config holds secrets: the package's postinst makes it
# root:teamwall 0640 (tests/it_package.sh checks it on a real dpkg -i; the
# file in the package is 0644, as lintian wants a conffile).

# Flags override the file.
start_broker
printf '[board]\nteam = other\nid = fromfile\n[mqtt]\nbroker = mqtt://127.0.0.1:1\n' >"$T/good.conf"
"$TEAMWALL" --config "$T/good.conf" --broker "$BROKER" --team "$TEAM" --board "$BOARD_ID" \
    --db "$T/board.db" --headless --size 640x480 --screenshot "$T/usr1.png" >>"$T/board.log" 2>&1 &
BOARD_PID=$!
PIDS+=("$BOARD_PID")
check "flags override the config file" wait_online
check "SIGUSR1 writes a screenshot" bash -c "kill -USR1 $BOARD_PID && for i in \$(seq 100); do [ -s '$T/usr1.png' ] && exit 0; sleep 0.05; done; exit 1"
check "screenshot has the window size" bash -c "file '$T/usr1.png' 2>/dev/null | grep -q '640 x 480' || head -c 24 '$T/usr1.png' | od -An -tx1 | tr -d ' \n' | grep -q '0000028000000001e0'"
finish

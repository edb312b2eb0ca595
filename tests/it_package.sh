#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The Debian package, installed for real (issue 16): scripts/package.sh builds
# it and lintian must pass; dpkg -i creates the user, the data folder and the
# unit links and marks the config files as conffiles; an edited config
# survives a reinstall and a remove; a purge takes the config, the data, the
# user and the group; and nothing else on the machine changes. Needs root
# (CI runs as root): otherwise it is skipped (exit 77).
source "$(dirname "$0")/lib.sh"

skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "installing a package needs root (CI runs this as root)"
if dpkg-query -W -f='${Status}' teamwall 2>/dev/null | grep -qv "not-installed"; then
    skip "teamwall is already installed on this machine; this test does not touch it"
fi
getent passwd teamwall >/dev/null && skip "a teamwall user exists that is not the package's"
[ -e /etc/teamwall ] && skip "/etc/teamwall exists that is not the package's"

arch=$(dpkg --print-architecture)
"$TW_SOURCE_DIR/scripts/package.sh" "$arch" >"$T/package.log" 2>&1 ||
    { tail -30 "$T/package.log"; fail "scripts/package.sh $arch (lintian included)"; finish; }
pass "scripts/package.sh $arch built the package and lintian reports no error or warning"
deb=$(ls "$TW_SOURCE_DIR"/build/teamwall_*_"$arch".deb)

# Everything outside dpkg's own records that the package could touch.
snapshot() {
    {
        find /etc /lib/systemd /usr/bin /usr/share/man /usr/share/doc /var/lib -xdev \
            \( -path /var/lib/dpkg -o -path /var/lib/apt -o -path /var/lib/ucf \) -prune -o \
            -printf '%p %M %u %g\n' 2>/dev/null | grep -v -E '^/etc/(passwd|group|shadow|gshadow)- ' |
            grep -v -E '^/etc/ld\.so\.cache ' | sort
        sha256sum /etc/passwd /etc/group /etc/shadow /etc/gshadow 2>/dev/null
    }
}
snapshot >"$T/before.txt"

dpkg_() { flock /tmp/apt.lock dpkg "$@" </dev/null >>"$T/dpkg.log" 2>&1; }
trap 'flock /tmp/apt.lock dpkg -P teamwall >/dev/null 2>&1 || true; cleanup' EXIT

check "dpkg -i installs the package" dpkg_ -i "$deb"
check "it is installed" sh -c "dpkg-query -W -f='\${Status}' teamwall | grep -q 'install ok installed'"
conff=$(dpkg-query -W -f='${Conffiles}\n' teamwall)
for f in /etc/teamwall/teamwall.conf /etc/mosquitto/conf.d/teamwall.conf \
    /etc/mosquitto/conf.d/teamwall-listeners.conf /etc/mosquitto/teamwall.acl; do
    check "$f is a conffile" grep -q " $f " <<<"$conff"
done
# listeners.conf sets per_listener_settings, which must come before any other
# security setting: the default listener's ACL snippet is an example only.
check "conf.d holds no second acl_file" \
    test ! -e /etc/mosquitto/conf.d/teamwall-access.conf
check "...it is with the examples" \
    test -s /usr/share/doc/teamwall/examples/mosquitto/teamwall-access.conf
for f in /usr/bin/teamwall /usr/bin/teamwall-ctl /usr/bin/teamwall-bridge; do
    check "$f runs (--version)" "$f" --version
    check "$f is stripped" sh -c "! file -L '$f' | grep -q 'not stripped'"
done
for m in man1/teamwall.1.gz man1/teamwall-ctl.1.gz man1/teamwall-bridge.1.gz man5/teamwall.conf.5.gz; do
    check "man page $m" test -s "/usr/share/man/$m"
done
check "the copyright file" test -s /usr/share/doc/teamwall/copyright
check "the docs" test -s /usr/share/doc/teamwall/PROTOCOL.md
check "the fonts come from fonts-inter" sh -c "/usr/bin/teamwall --headless --size 320x200 \
    --db $T/fonts.db --broker mqtt://127.0.0.1:1 --exit-after 1 >$T/fonts.log 2>&1; \
    ! grep -q 'cannot load font' $T/fonts.log"

check "a teamwall system user" sh -c 'uid=$(id -u teamwall) && [ "$uid" -lt 1000 ]'
check "its shell is nologin" sh -c 'getent passwd teamwall | grep -q ":/usr/sbin/nologin$"'
check "a teamwall group" getent group teamwall
check "/var/lib/teamwall is the user's, 0750" \
    sh -c '[ "$(stat -c "%U:%G %a" /var/lib/teamwall)" = "teamwall:teamwall 750" ]'
check "/etc/teamwall/teamwall.conf is root:teamwall 0640" \
    sh -c '[ "$(stat -c "%U:%G %a" /etc/teamwall/teamwall.conf)" = "root:teamwall 640" ]'
check "the teamwall user reads the config" runuser -u teamwall -- cat /etc/teamwall/teamwall.conf
check "nobody else does" sh -c '! runuser -u nobody -- cat /etc/teamwall/teamwall.conf 2>/dev/null'
check "the broker password file exists (empty: nobody may log in yet)" test -e /etc/mosquitto/teamwall.passwd
for u in teamwall.service teamwall-bridge.service teamwall-backup.service teamwall-backup.timer; do
    check "unit $u installed" test -s "/lib/systemd/system/$u"
done
check "systemd-analyze verify accepts the units" sh -c "cd /lib/systemd/system && \
    systemd-analyze verify --man=no teamwall.service teamwall-bridge.service \
    teamwall-backup.service teamwall-backup.timer >$T/verify.log 2>&1 || \
    ! grep -v -E 'Failed to .*(connect|bus)|tmpfiles|No such file.*mosquitto' $T/verify.log | grep -q ."
check "teamwall.service enabled" test -L /etc/systemd/system/multi-user.target.wants/teamwall.service
check "teamwall-backup.timer enabled" test -L /etc/systemd/system/timers.target.wants/teamwall-backup.timer

# The admin edits the config; the board writes its data.
echo "; edited by it_package" >>/etc/teamwall/teamwall.conf
runuser -u teamwall -- sh -c 'echo data >/var/lib/teamwall/teamwall.db'
check "dpkg -i again (reinstall)" dpkg_ -i "$deb"
check "the edit survives the reinstall" grep -q "edited by it_package" /etc/teamwall/teamwall.conf
check "still root:teamwall 0640 after the reinstall" \
    sh -c '[ "$(stat -c "%U:%G %a" /etc/teamwall/teamwall.conf)" = "root:teamwall 640" ]'

check "dpkg -r removes the package" dpkg_ -r teamwall
check "the programs are gone" test ! -e /usr/bin/teamwall
check "the edited config stays" grep -q "edited by it_package" /etc/teamwall/teamwall.conf
check "the data stays" test -s /var/lib/teamwall/teamwall.db
check "dpkg says config-files" sh -c "dpkg-query -W -f='\${Status}' teamwall | grep -q config-files"
check "dpkg -i after a remove" dpkg_ -i "$deb"
check "the edit is still there" grep -q "edited by it_package" /etc/teamwall/teamwall.conf
check "the data too" test -s /var/lib/teamwall/teamwall.db

check "dpkg -P purges the package" dpkg_ -P teamwall
check "the config is gone" test ! -e /etc/teamwall
check "the broker snippets are gone" test ! -e /etc/mosquitto/conf.d/teamwall.conf
check "the data is gone" test ! -e /var/lib/teamwall
check "the user is gone" sh -c '! getent passwd teamwall'
check "the group is gone" sh -c '! getent group teamwall'
check "the unit links are gone" test ! -e /etc/systemd/system/multi-user.target.wants/teamwall.service
snapshot >"$T/after.txt"
check "nothing else on the machine changed" diff "$T/before.txt" "$T/after.txt"
finish

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Refresh the translation template and catalogues from the sources: every
# string marked _(), N_(), C_(ctx, s), NC_(ctx, s) or P_(singular, plural, n)
# in firmware/, ui/ and mqtt/ goes into po/teamwall.pot (xgettext), and each
# po/<lang>.po gets the new strings, untranslated, and loses the gone ones
# (msgmerge). Translate the empty msgstr entries, then build: msgfmt --check
# runs as part of the build and of the tests. Usage: scripts/po-update.sh
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(git ls-files 'firmware/*.c' 'ui/*.c' 'mqtt/*.c' | sort)
# shellcheck disable=SC2086
xgettext --from-code=UTF-8 --language=C --add-comments=TRANSLATORS: \
    --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=P_:1,2 \
    --package-name=teamwall --msgid-bugs-address=teamwall@localhost \
    --sort-by-file --no-wrap -o po/teamwall.pot $files
# A stable template: no creation date churn in every commit.
sed -i '/^"POT-Creation-Date:/d' po/teamwall.pot
# A language listed in po/LINGUAS without a catalogue yet starts from the template.
while read -r lang; do
    [ -n "$lang" ] && [ ! -f "po/$lang.po" ] &&
        msginit --no-translator --no-wrap --locale="$lang.UTF-8" -i po/teamwall.pot -o "po/$lang.po"
done <po/LINGUAS
for po in po/*.po; do
    msgmerge --quiet --update --backup=none --no-fuzzy-matching --no-wrap "$po" po/teamwall.pot
    msgfmt --check --statistics -o /dev/null "$po"
done

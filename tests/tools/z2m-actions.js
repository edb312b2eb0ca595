#!/usr/bin/env node
// SPDX-License-Identifier: MIT
//
// Writes tests/data/z2m-actions.tsv: every push button and remote that
// zigbee2mqtt's converter library (zigbee-herdsman-converters, the code
// zigbee2mqtt runs) knows, with the action words it publishes for it. The
// board's zigbee2mqtt vocabulary (mqtt/z2m_actions.c) is tested against this
// file (tests/test_z2m_actions.c); docs/BUTTONS.md's table of models comes
// from it too (tests/tools/z2m-models-table.sh).
//
// Run by hand, from the repository, when a new library version is out; the
// library is installed in a temporary directory and never committed:
//
//   tmp=$(mktemp -d) && (cd "$tmp" && npm init -y >/dev/null &&
//       npm install --no-audit --no-fund zigbee-herdsman-converters)
//   NODE_PATH="$tmp/node_modules" node tests/tools/z2m-actions.js > tests/data/z2m-actions.tsv
//
// A "push button or remote" is a definition that exposes an enum "action" and
// controls nothing itself (no light, switch, lock, climate, cover or fan
// feature), is not a sensor that also reports actions (occupancy, contact,
// smoke, water leak, vibration, humidity, illuminance...) and not an alarm
// keypad or lock (arm/disarm/lock/unlock words).
'use strict';
const fs = require('fs');
const path = require('path');

const zhc = require('zigbee-herdsman-converters');
const pkgDir = path.dirname(require.resolve('zigbee-herdsman-converters/package.json'));
const version = require(path.join(pkgDir, 'package.json')).version;
const devDir = path.join(pkgDir, 'dist', 'devices');

const CONTROLS = /^(light|switch|lock|climate|cover|fan)$/;
const SENSORS = /^(occupancy|contact|presence|smoke|water_leak|vibration|humidity|illuminance|armed|arm_mode|gas|carbon_monoxide)$/;
const KEYPAD = /(^|_)(arm|disarm|lock|unlock)(_|$)/;

function exposesOf(def) {
    let ex = def.exposes;
    if (typeof ex === 'function') {
        try {
            ex = ex(undefined, {});
        } catch (e) {
            ex = [];
        }
    }
    return ex || [];
}

const rows = new Map();
for (const file of fs.readdirSync(devDir).filter((f) => f.endsWith('.js')).sort()) {
    const mod = require(path.join(devDir, file));
    for (const d of mod.definitions || []) {
        let def;
        try {
            def = zhc.prepareDefinition(d);
        } catch (e) {
            continue;
        }
        const ex = exposesOf(def);
        const action = ex.find((e) => e.name === 'action' && e.type === 'enum');
        if (!action || !action.values || !action.values.length) continue;
        if (ex.some((e) => CONTROLS.test(e.type))) continue;
        if (ex.some((e) => SENSORS.test(e.name))) continue;
        if (action.values.some((v) => KEYPAD.test(String(v)))) continue;
        const clean = (s) => String(s || '').replace(/[\t\n\r]+/g, ' ').trim();
        const key = `${clean(def.vendor)}\t${clean(def.model)}`;
        if (rows.has(key)) continue;
        const words = [...new Set(action.values.map(String))].filter((w) => w && !/\s/.test(w));
        rows.set(key, `${key}\t${clean(def.description)}\t${words.join(' ')}`);
    }
}

const out = [];
out.push(`# zigbee-herdsman-converters ${version}: ${rows.size} push buttons and remotes`);
out.push('# written by tests/tools/z2m-actions.js; do not edit by hand');
out.push('# vendor<TAB>model<TAB>description<TAB>action words, space separated');
for (const k of [...rows.keys()].sort((a, b) => a.localeCompare(b, 'en'))) out.push(rows.get(k));
process.stdout.write(out.join('\n') + '\n');

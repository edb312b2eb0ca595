#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# docs/BUTTONS.md's table of tested models and docs/BUTTON-MODELS.md are what
# tests/data/z2m-actions.tsv gives through the board's own adapters (the
# test_z2m_actions binary): a change to the vocabulary or the fixture that
# leaves the docs behind fails here.
. "$(dirname "$0")/lib.sh"
check "the model tables match the fixture" "$TW_SOURCE_DIR/tests/tools/z2m-models-table.sh" --check "$TW_BUILD_DIR"
finish

#!/usr/bin/env bash
# asan-too
# capscope's JSON readers (lib/json-check.c, then the compact tree) against
# Python's json made as strict as Go's encoding/json, on a few thousand
# documents (hand-written cases, the JSON fuzz corpora, a seeded generator):
# both refuse, or both read the same tree. See json-diff.py.
source "$(dirname "$0")/../lib/tap.sh"
command -v python3 >/dev/null || skip_all "python3 is not installed"
DUMP=$(dirname "$CAPSCOPE")/tests/helpers/json-dump
[ -x "$DUMP" ] || skip_all "tests/helpers/json-dump was not built"
C=$CAPSCOPE_TOP/tests/fuzz/corpus
exec python3 "$(dirname "$0")/json-diff.py" "$DUMP" "$C/admission" "$C/oci" "$C/imgjson" \
  "$C/policy" --seed 20261130 --count 1000

#!/usr/bin/env bash
# The library holds the model and the CLI only parses and renders (issue 9):
# scripts/code-shape.sh's limits, as a test so they stay true.
. "$(dirname "$0")/../lib/tap.sh"
out=$("$CAPSCOPE_TOP/scripts/code-shape.sh" 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
ok $rc "cli/ under 15% of the C lines, no cli file over 500 lines, no function over 150 lines"
done_testing

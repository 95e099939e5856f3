#!/usr/bin/env bash
# asan-too
# Golden outputs: each tests/cli/golden/NAME.cmd holds one capscope command
# line (run from a scratch directory that holds a few files with known file
# capabilities); NAME.out is its expected stdout+stderr and NAME.rc its exit
# status. Regenerate with CAPSCOPE_GOLDEN_UPDATE=1 and review the diff.
source "$(dirname "$0")/../lib/tap.sh"
dir="$CAPSCOPE_TOP/tests/cli/golden"
tap_tmpdir
cd "$T" || exit 1
printf '#!/bin/sh\n' >nc; cp nc ping; cp nc plain
# Manifests named relatively, so their path in the output is the same in every checkout.
cp "$CAPSCOPE_TOP/tests/data/policy/userns.yaml" .
if [ "$(id -u)" -eq 0 ] && setcap cap_net_bind_service+ep nc 2>/dev/null; then
  setcap cap_net_admin,cap_net_raw+p ping
  have_fcaps=1
else
  have_fcaps=0
fi
for cmd in "$dir"/*.cmd; do
  name=$(basename "$cmd" .cmd)
  if grep -q '# needs-fcaps' "$cmd" && [ $have_fcaps = 0 ]; then
    skip "$name: needs root and xattr support"; continue
  fi
  line=$(grep -v '^#' "$cmd")
  got=$(eval "\"\$CAPSCOPE\" $line" 2>&1); rc=$?
  if [ -n "${CAPSCOPE_GOLDEN_UPDATE:-}" ]; then
    printf '%s\n' "$got" >"$dir/$name.out"; echo "$rc" >"$dir/$name.rc"
  fi
  is "$got" "$(cat "$dir/$name.out")" "$name: output"
  is "$rc" "$(cat "$dir/$name.rc")" "$name: exit status"
done
done_testing

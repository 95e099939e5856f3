#!/usr/bin/env bash
# asan-too
# Single-quoted YAML scalars with '' escapes in a row (twenty-fifth pass,
# part B): libfyaml 0.7.12's fy_token_get_text read 'a''''b' as a''' (its
# chunk iterator makes n escapes in a row 2n - 1 quotes, and the text is
# cut at the scanner's length) and leaked the cut copy's chunk array
# (found by fuzz-manifest's LeakSanitizer on 18 quotes and a blank). The
# reader (lib/k8s/ydoc.c single_quoted_text) takes what go-yaml takes;
# Python's yaml is the oracle here. Under the asan build, no leak either.
source "$(dirname "$0")/../lib/tap.sh"
command -v python3 >/dev/null || skip_all "python3 is not installed"
python3 -c 'import yaml' 2>/dev/null || skip_all "python3-yaml is not installed"
tap_tmpdir
pod() { printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: %s\nspec:\n  containers:\n  - name: c\n    image: x\n' "$1" >"$T/p.yaml"; }
name() { "$CAPSCOPE" lint "$T/p.yaml" 2>&1 | grep -o -m1 'Pod/.*:c ' | sed 's/^Pod\///; s/:c $//'; }

for v in "'a''''b'" "'x''''''''''''''y'" "''''''''''''''''''" "'''''''''''''''''''''''''''''''''''''''''''''''''''''''''''x'" \
         "'it''s'" "'a''b''c'" "'p'" "'''''''a''''''b'''''''"; do
  pod "$v"
  want=$(python3 -c 'import sys, yaml; print(yaml.safe_load(sys.argv[1]))' "$v")
  is "$(name)" "$want" "$v reads as $want, as YAML says"
done

# over lines: folded as libfyaml folds them, the quotes as YAML has them
printf "apiVersion: v1\nkind: Pod\nmetadata:\n  name: 'x\n\n    ''''''''''''''\n    y'\nspec:\n  containers:\n  - name: c\n    image: x\n" >"$T/p.yaml"
is "$(name)" "x\\n'''''''\\x20y" "a run of escapes on a folded line"

# the fuzzer's input (a leak under LeakSanitizer, exit 2 either way)
printf "'''''''''''''''''' " >"$T/p.yaml"
"$CAPSCOPE" lint "$T/p.yaml" >"$T/out" 2>&1
rc=$?
ok $([ $rc -eq 2 ] && ! grep -q 'LeakSanitizer' "$T/out" && echo 0 || echo 1) "fuzz-manifest's input: refused as no object, no leak (exit $rc)"
done_testing

#!/usr/bin/env bash
# A message that quotes a long value is cut in its middle, head "..." end,
# so the line stays short and what it says after the value survives
# (twenty-fifth pass, part A). The library's messages were cut so (a
# cs_diag's 256 bytes); the CLI's own quoted an argument whole: 5,000 bytes
# of `explain pod --check`, `ps`, `serve --listen`, ... on one line, and an
# argument may hold 128 KiB. One bound now, in cs_err (cli/output.c): the
# text at most 1 KiB before escaping.
source "$(dirname "$0")/../lib/tap.sh"
tap_tmpdir
cd "$T" || exit 1

L=$(printf 'A%.0s' $(seq 5000))$'\xe2\x80\xae' # ends with U+202E
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: i}]}\n' >pod.yaml
while IFS='|' read -r label args; do
  eval "set -- $args"
  "$CAPSCOPE" "$@" >/dev/null 2>err.txt
  rc=$?
  n=$(grep -vc "^Try 'capscope" err.txt)
  line=$(head -n1 err.txt)
  ok "$([ "$rc" -eq 2 ] && [ "$n" -eq 1 ]; echo $?)" "$label: exit 2 ($rc), one line ($n)"
  ok "$([ "${#line}" -le 1100 ]; echo $?)" "…at most 1 KiB of text (${#line} bytes)"
  like "$line" '\.\.\.A+\\u202e' "…cut in its middle: the value's end kept, escaped"
done <<'LIST'
ps PID|ps "$L"
trace -p|trace -p "$L"
explain pod --check|explain pod --check "$L" pod.yaml
explain pod --caller|explain pod --caller "$L" pod.yaml
explain pod --uid-range|explain pod --uid-range "$L" pod.yaml
policy --caps|policy vap --name n --caps "$L"
scan --threads|scan --threads "$L" .
scan --max-bytes|scan --max-bytes "$L" .
serve --listen|serve --listen "$L"
serve --threads|serve --threads "$L"
serve --max-body|serve --max-body "$L"
serve --bundle-root|serve --bundle-root "$L"
LIST
# the end of the message, after the value, is kept
"$CAPSCOPE" ps "$L" 2>err.txt >/dev/null
like "$(head -n1 err.txt)" "\\\\u202e' is not a process id$" "ps: the reason after the value kept"
"$CAPSCOPE" scan --max-bytes "$L" . 2>err.txt >/dev/null
like "$(head -n1 err.txt)" "is not a size of 1 byte or more \(e\.g\. 512M, 64G\)$" "scan --max-bytes: the reason after the value kept"
# a message of the library (file, line, field and its cut message) is not cut again
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: i, securityContext: {runAsUser: "%s"}}]}\n' \
  "$(printf '9%.0s' $(seq 3000))" >long.yaml
"$CAPSCOPE" lint long.yaml >/dev/null 2>err.txt
like "$(cat err.txt)" "^capscope lint: long\.yaml:4:[0-9]+: spec\.containers\[0\]\.securityContext\.runAsUser: '9+\.\.\.' is quoted: a string to Kubernetes, not an integer; remove the quotes$" \
  "lint: the library's message keeps its file, line, field and its own cut"
done_testing

#!/usr/bin/env bash
# asan-too
# Quoted YAML scalars: single-quoted ones with '' escapes in a row (twenty-fifth pass,
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

# over lines: refused at the scalar (libfyaml's fold after such a run can be
# a line break where YAML has a space: " '' ''" read as " ''\n''")
printf "apiVersion: v1\nkind: Pod\nmetadata:\n  name: 'x\n\n    ''''''''''''''\n    y'\nspec:\n  containers:\n  - name: c\n    image: x\n" >"$T/p.yaml"
"$CAPSCOPE" lint "$T/p.yaml" >/dev/null 2>"$T/err"
like "$(cat "$T/err")" "p.yaml:4:10: YAML: a single-quoted string libfyaml 0.7 reads wrongly" "a run of escapes over lines: refused at the scalar"
printf "apiVersion: v1\nkind: Pod\nmetadata:\n  name: 'x\n\n    ''\n    y'\nspec:\n  containers:\n  - name: c\n    image: x\n" >"$T/p.yaml"
is "$(name)" "x\\n'\\x20y" "one escape over lines: read, folded"

# Double-quoted scalars over lines (the same pass, a differential test of
# quoted scalars against Python's yaml): libfyaml 0.7.12 takes `\\\` at a
# line's end for no escaped line break ("a\\\ / b" read as "a\ ") and
# loses a line break, or half a character, after an escaped line break
# followed by an empty line. Refused at the scalar; the shapes it reads
# right are read.
dq() { printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: %s\nspec:\n  containers:\n  - name: c\n    image: x\n' "$1" >"$T/p.yaml"; }
dq $'"a\\\\\\\n    b"'
"$CAPSCOPE" lint "$T/p.yaml" >/dev/null 2>"$T/err"
like "$(cat "$T/err")" "p.yaml:4:10: YAML: a double-quoted string whose line 4 ends in an escaped backslash before an escaped line break" "\\\\\\ at a line's end: refused, not read as 'a\\ '"
dq $'"\\\n    \n\n    \\U0001F600"'
"$CAPSCOPE" lint "$T/p.yaml" >/dev/null 2>"$T/err"
like "$(cat "$T/err")" "p.yaml:4:10: YAML: a double-quoted string whose line 4 ends in an escaped line break before an empty line" "an escaped break before an empty line: refused, not half a character"
for v in $'"a\\\\\n    b"' $'"a\\\n    b"' $'"a\\\\\\\\\n    b"' $'"x\n    y\n\n    z"'; do
  dq "$v"
  want=$(python3 -c 'import sys, yaml; print(repr(yaml.safe_load(open(sys.argv[1]))["metadata"]["name"]))' "$T/p.yaml")
  got=$("$CAPSCOPE" lint --json "$T/p.yaml" 2>&1 | python3 -c 'import json, sys; print(repr(json.load(sys.stdin)["findings"][0]["name"]))' 2>&1)
  is "$got" "$want" "$(printf %q "$v") reads as YAML reads it"
done

# Twenty-sixth pass, part A, against Python's yaml: blanks after a run of
# backslashes at a line's end. An escaped space there ("x\ " then a break,
# YAML "x  y") libfyaml gives as "xy" and two bytes never written: it was
# refused as "string contains a NUL byte" (untrue), with an escaped
# backslash before it as "an escaped backslash before an escaped line
# break" (untrue too). A tab after escaped backslashes ("x\\" tab, YAML
# "x\ y") it read as "x\", a tab and a space: the next line lost, silently.
# Both refused in words. An escaped tab, which libfyaml reads right, was
# refused by the same two checks: now read.
dqpy() { # a Python literal: the name between the double quotes, as written
  python3 -c 'import sys; open(sys.argv[2], "w").write("apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"%s\"\nspec:\n  containers:\n  - name: c\n    image: x\n" % eval(sys.argv[1]))' "$1" "$T/p.yaml"
}
esc_space="capscope lint: $T/p.yaml:4:10: YAML: a double-quoted string whose line 4 ends in an escaped space (backslash then a space before the line break): libfyaml 0.7 reads it wrongly; write that space as backslash then 'x20'"
esc_tab="capscope lint: $T/p.yaml:4:10: YAML: a double-quoted string whose line 4 ends in an escaped backslash then a tab: libfyaml 0.7 reads it wrongly (the tab kept, the next line lost); remove the blanks after it"
for v in 'x\\ \n    y' 'x\\  \n    y' 'x\\ \t\n    y' 'x\\ \n\n    y' '\\ \n    y' 'x\\\\\\ \n    y' 'x\\ \r\n    y'; do
  dqpy "'$v'"
  "$CAPSCOPE" lint "$T/p.yaml" >/dev/null 2>"$T/err"
  is "$(cat "$T/err")" "$esc_space" "\"$v\": refused as an escaped space, in one line"
done
for v in 'x\\\\\t\n    y' 'x\\\\\t \n\n    y' 'x\\\\\\\\\t\t\n    y'; do
  dqpy "'$v'"
  "$CAPSCOPE" lint "$T/p.yaml" >/dev/null 2>"$T/err"
  is "$(cat "$T/err")" "$esc_tab" "\"$v\": refused, not read without its next line"
done
for v in 'x\\\t\n    y' 'x\\\\\\\t\n    y' 'x\\\t\n\n    y' 'x\\\t \n    y' 'x\\\\ \n    y' 'x\\x20\n    y' 'x \t\n    y'; do
  dqpy "'$v'"
  want=$(python3 -c 'import sys, yaml; print(repr(yaml.safe_load(open(sys.argv[1]))["metadata"]["name"]))' "$T/p.yaml")
  got=$("$CAPSCOPE" lint --json "$T/p.yaml" 2>&1 | python3 -c 'import json, sys; print(repr(json.load(sys.stdin)["findings"][0]["name"]))' 2>&1)
  is "$got" "$want" "\"$v\" reads as YAML reads it"
done
dq $'"\\\n    \n\n    \\U0001F600"'
"$CAPSCOPE" lint "$T/p.yaml" >/dev/null 2>"$T/err"
ok "$(grep -qF '\\' "$T/err"; echo $((! $?)))" "the refusal of an escaped break before an empty line holds no doubled backslash"

# Twenty-seventh pass, part D, a differential test of quoted scalars against
# Python's yaml (keys, flow collections, anchors, comments, CR, CR LF, NEL,
# U+2028): libfyaml 0.7.12 takes a CR LF before a closing quote that has
# blanks alone before it on its line for two line breaks. `'ab` CR LF `'`
# (YAML "ab ") was read as "ab" and a line feed, silently, single- or
# double-quoted; with an empty line between, refused as "two '' escapes in a
# row", which it has none of. A U+2028 or U+2029 in a quoted scalar it folds
# into a space where YAML keeps it, and cuts the text at the scanner's
# length: "a" U+2028 "b" read as "a b" and two NUL bytes (refused as "string
# contains a NUL byte", untrue), the single-quoted one as "two '' escapes".
# Each refused in words; the shapes it reads right are read.
pw() { # a Python literal: the name as written, quotes and all
  python3 -c 'import sys; open(sys.argv[2], "w", newline="").write("apiVersion: v1\nkind: Pod\nmetadata:\n  name: %s\nspec:\n  containers:\n  - name: c\n    image: x\n" % eval(sys.argv[1]))' "$1" "$T/p.yaml"
}
crlf_close() { echo "capscope lint: $T/p.yaml:4:10: YAML: a $1-quoted string whose closing quote opens line $2 after a CR LF line break (blanks alone before it): libfyaml 0.7 reads that line break wrongly; put the closing quote at the end of the line before"; }
while read -r style line v; do
  pw "$v"
  "$CAPSCOPE" lint "$T/p.yaml" >/dev/null 2>"$T/err"
  is "$(cat "$T/err")" "$(crlf_close "$style" "$line")" "$v: refused, not read with a line feed for YAML's space"
done <<'CASES'
single 5 "'ab\r\n    '"
single 5 "'ab  \r\n      '"
single 6 "'ab\r\n\r\n    '"
single 6 "'a\n    b\r\n    '"
double 5 '"ab\r\n    "'
double 5 '"ab\\\\\r\n    "'
double 6 '"ab\r\n\r\n    "'
CASES
sep() { echo "capscope lint: $T/p.yaml:4:10: YAML: a $1-quoted string with a line or paragraph separator (U+2028, U+2029) at the end of its line $2: libfyaml 0.7 reads it as a space, YAML keeps it; write it as backslash then 'u2028' or 'u2029' in a double-quoted string"; }
while read -r style line v; do
  pw "$v"
  "$CAPSCOPE" lint "$T/p.yaml" >/dev/null 2>"$T/err"
  is "$(cat "$T/err")" "$(sep "$style" "$line")" "$v: refused, not read as a space (and NUL bytes)"
done <<'CASES'
double 4 '"a\u2028    b"'
double 4 '"a\u2029    b"'
single 4 "'a\u2028    b'"
single 5 "'a\n    b\u2029\n    c'"
CASES
while read -r v; do
  pw "$v"
  want=$(python3 -c 'import sys, yaml; print(repr(yaml.safe_load(open(sys.argv[1], newline=""))["metadata"]["name"]))' "$T/p.yaml")
  got=$("$CAPSCOPE" lint --json "$T/p.yaml" 2>&1 | python3 -c 'import json, sys; print(repr(json.load(sys.stdin)["findings"][0]["name"]))' 2>&1)
  is "$got" "$want" "$v reads as YAML reads it"
done <<'CASES'
"'ab\r\n    c'"
"'ab\r    '"
"'ab\n    '"
"'ab\r\n    '''"
'"ab\\\r\n    "'
'"a\\u2028b"'
"'a\x85    b'"
'"a\x85    b"'
CASES

# the fuzzer's input (a leak under LeakSanitizer, exit 2 either way)
printf "'''''''''''''''''' " >"$T/p.yaml"
"$CAPSCOPE" lint "$T/p.yaml" >"$T/out" 2>&1
rc=$?
ok $([ $rc -eq 2 ] && ! grep -q 'LeakSanitizer' "$T/out" && echo 0 || echo 1) "fuzz-manifest's input: refused as no object, no leak (exit $rc)"
done_testing

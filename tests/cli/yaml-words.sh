#!/usr/bin/env bash
# Twenty-eighth adversarial pass, part A: the YAML reader's refusals in
# capscope's words, and the place of a quoted value.
#
# 1. libfyaml's parser texts ("invalid multiline plain key", "invalid value
#    after mapping", ...) came after "YAML: " as they are; each one a
#    hand-written manifest meets is said in words that tell what is wrong
#    and what to write (lib/k8s/ydoc-words.c). Each malformed file through
#    explain pod, lint and policy: exit 2 and one line, file:line:column and
#    the words, the same in the three.
# 2. A quoted value was placed one column past its opening quote (an empty
#    "" at its closing quote), an alias or anchor past its '*' or '&':
#    libfyaml's marks. Every message names the column an editor shows.
source "$(dirname "$0")/../lib/tap.sh"
tap_tmpdir
cd "$T" || exit 1

said() { # name printf-text place words
  printf -- "$2" >"$1.yaml"
  local cmd
  for cmd in "explain pod" lint "policy scc"; do
    # shellcheck disable=SC2086
    "$CAPSCOPE" $cmd "$1.yaml" >/dev/null 2>err
    is "$?:$(wc -l <err):$(cat err)" "2:1:capscope ${cmd% scc}: $1.yaml:$3: YAML: $4" "$1: $cmd"
  done
}

said multiline_plain_key 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n    b: c\n' \
  4:9 "this plain value runs on over the next line into a 'key:': that line is indented deeper than the keys beside it (indent it as they are), or it is meant as the value's own mapping (put it under a key with nothing after its ':')"
said nested_same_line 'apiVersion: v1\nkind: Pod\nmetadata: name: p\n' \
  3:15 "a 'key:' on the same line as another key ('a: b: c'): put the inner mapping on the lines below its key, indented, or quote the value"
said same_line_key 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p labels: x\n' \
  4:17 "a 'key:' on the same line as another key ('a: b: c'): put the inner mapping on the lines below its key, indented, or quote the value"
said value_after_mapping 'apiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n    a: |\n      x\n   b\n' \
  7:4 "text where this mapping expects its next 'key:' (a line indented less than a value above it, or a value without its key): indent it as the value it belongs to, or give it a key"
said bad_indent_mapping 'apiVersion: v1\nkind: Pod\nmetadata:\n    name: p\n  labels: {}\n' \
  5:3 "a key indented otherwise than the keys before it in this mapping: indent it as they are, or deeper under a key with nothing after its ':'"
said wrong_seq_indent 'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: a\n   - name: b\n' \
  6:4 "a '- ' item indented otherwise than the items before it, beside the mapping's keys: indent it as the list's other items"
said seq_not_allowed 'apiVersion: v1\nkind: Pod\n- a\n' \
  3:1 "something other than a 'key:' where this mapping expects its next key (a '- ' item or a '[', '{' beside the keys): put it under a key, indented"
said value_without_key 'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n  image\n' \
  6:3 "text where this mapping expects its next 'key:' (a line indented less than a value above it, or a value without its key): indent it as the value it belongs to, or give it a key"
said block_entry_same_key 'apiVersion: v1\nkind: Pod\nspec: - a\n' \
  3:7 "a '- ' list on the same line as its key ('a: - b'): put the items on the lines below the key, or write the list as [b]"
said block_seq_in_flow 'apiVersion: v1\nkind: Pod\nspec: [\n- a]\n' \
  4:1 "no value where one is expected (a ',', ']', '}', '-' or ':' out of place): write the value, or remove the indicator"
said anchor_alias 'apiVersion: v1\nkind: Pod\nmetadata: &x *y\n' \
  3:14 "an anchor ('&') or a tag ('!') on an alias ('*'): an alias takes neither; remove it"
said two_anchors 'apiVersion: v1\nkind: Pod\nmetadata: &x &y {}\n' \
  3:14 "two anchors ('&') on one value: keep one"
said dq_noclose 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "p\n' \
  4:10 'a double-quoted value with no closing '"'"'"'"'"' (it runs on to the end of the text): close it'
said sq_noclose 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: '"'"'p\n' \
  4:10 'a single-quoted value with no closing "'"'"'" (it runs on to the end of the text): close it'
said dq_trailing 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "p" q\n' \
  4:13 "text after a double-quoted value's closing quote: quote the whole value, or put a ',', ':' or a line break after the quote"
said dq_comment 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "p"#c\n' \
  4:12 "a '#' right after a double-quoted value: a comment's '#' needs a space before it"
said dq_wrong_indent 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "p\nq"\n' \
  4:9 "a line of this double-quoted value that spans lines is not indented deeper than its key: indent its lines past the key's column, or keep the value on one line"
said dq_multiline_key 'apiVersion: v1\nkind: Pod\n"meta\n data": {}\n' \
  3:1 'a double-quoted key over more than one line: keep a key on one line'
said dq_doc_marker 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "p\n---\n  q"\n' \
  5:1 "a '---' line inside a double-quoted value ends the document there: close the quote before it, or indent the line"
said bad_escape 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "p\\q"\n' \
  4:11 "a backslash then 'q' in a double-quoted value, which is no escape: write two backslashes for one, or single-quote the value"
said bad_hex_escape 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "p\\xZZ"\n' \
  4:11 "an escape (backslash then 'x', 'u' or 'U') in a double-quoted value without its 2, 4 or 8 hex digits: write them, or two backslashes for one"
said bad_utf8_escape 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "\\uD800"\n' \
  4:10 "an escape (backslash then 'u' or 'U') in a double-quoted value that is no character: write the character itself"
said flowseq_noclose 'apiVersion: v1\nkind: Pod\nspec:\n  containers: [a, b\n' \
  5:1 "a '[' list with no closing ']' (or two of its items without a ',' between): close it, separate its items with ','"
said flowmap_noclose 'apiVersion: v1\nkind: Pod\nmetadata: {name: p\n' \
  4:1 "two pairs of a '{ }' mapping without a ',' between them (or a '}' missing): separate them with ','"
said extra_closing 'apiVersion: v1\nkind: Pod\nmetadata:\n  labels: [a]]\n' \
  4:14 "a ']' that closes no '[': remove it"
said mismatched 'apiVersion: v1\nkind: Pod\nmetadata: {labels: [a}\n' \
  3:22 "a '}' where a '[' list is open: close it with ']' first"
said flowseq_comma_begin 'apiVersion: v1\nkind: Pod\nspec: {containers: [, a]}\n' \
  3:21 "a ',' before the first item of a '[ ]' list: remove it"
said flowseq_extra_comma 'apiVersion: v1\nkind: Pod\nspec: {containers: [a,, b]}\n' \
  3:23 "two ',' in a row in a '[ ]' list (an empty item): remove one"
said flow_comment_comma 'apiVersion: v1\nkind: Pod\nspec: {containers: [a,#c\n  ]}\n' \
  3:23 "a '#' right after a ',': a comment's '#' needs a space before it"
said flow_indent 'apiVersion: v1\nkind: Pod\nmetadata:\n  labels: [a\n]\n' \
  5:1 "a line of a '[ ]' list or '{ }' mapping indented no deeper than the key it belongs to: indent its lines past the key's column"
said plain_start_at 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: @p\n' \
  4:9 "a plain value starting with '@', which YAML reserves: quote the value"
said plain_start_backquote 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: `p\n' \
  4:9 'a plain value starting with '"'"'`'"'"', which YAML reserves: quote the value'
said plain_start_percent 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: %%p\n' \
  4:9 "a plain value starting with '%', an indicator of YAML: quote the value"
said block_scalar_text 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: |x\n    p\n' \
  4:10 "text after a '|' or '>' on its line (only an indentation digit, '+', '-' or a comment may follow it): put the value on the lines below"
said block_scalar_comment 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: |#x\n    p\n' \
  4:10 "a '#' right after a '|' or '>': a comment's '#' needs a space before it"
said tab_indent 'apiVersion: v1\nkind: Pod\nmetadata:\n\tname: p\n' \
  4:1 "a tab in a line's indentation: YAML indents with spaces only; use spaces"
said anchor_empty 'apiVersion: v1\nkind: Pod\nmetadata: & {}\n' \
  3:12 "an '&' with no name after it: name the anchor, or quote a value starting with '&'"
said seq_on_anchor 'apiVersion: v1\nkind: Pod\nspec:\n  containers: &c - name: a\n' \
  4:18 "a '- ' list on the same line as its anchor: start the list on the next line, indented"
said seq_on_tag 'apiVersion: v1\nkind: Pod\nspec:\n  containers: !!seq - name: a\n' \
  4:21 "a '- ' list on the same line as its tag: start the list on the next line, indented"
said undefined_tag 'apiVersion: v1\nkind: Pod\nmetadata: !x!y {}\n' \
  3:11 'a tag whose handle ('"'"'!x!'"'"') no %TAG directive defines: Kubernetes resolves no such tag; remove it'
said tag_uri_open 'apiVersion: v1\nkind: Pod\nmetadata: !<x {}\n' \
  3:14 'a verbatim tag '"'"'!<'"'"' without its closing '"'"'>'"'"': Kubernetes resolves no such tag; remove it'
said tag_uri_escape 'apiVersion: v1\nkind: Pod\nmetadata: !a%%zz {}\n' \
  3:14 "a '%' escape in a tag without its two hex digits: remove the tag"
said dup_tag_directive '%%TAG !a! x:\n%%TAG !a! y:\n---\napiVersion: v1\nkind: Pod\n' \
  2:6 'the same %TAG handle defined twice before one document: keep one'
said directive_alone '%%YAML 1.1\n' \
  2:1 'a directive (%YAML, %TAG) with no document after it: remove it'
said version_no_dot '%%YAML 1\n---\napiVersion: v1\nkind: Pod\n' \
  1:8 "a %YAML directive that is not '%YAML 1.1': Kubernetes reads YAML 1.1; remove it"
said version_garbage '%%YAML 1.1 x\n---\napiVersion: v1\nkind: Pod\n' \
  1:11 "text after a %YAML directive's version on its line: remove it"

# an error at a quoted value or an alias: at its quote or '*', not one past
said tag_on_alias 'apiVersion: v1\nkind: Pod\nmetadata: !!map *y\n' \
  3:17 "an anchor ('&') or a tag ('!') on an alias ('*'): an alias takes neither; remove it"
said quoted_after_mapping 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n"x"\n' \
  5:1 "text where this mapping expects its next 'key:' (a line indented less than a value above it, or a value without its key): indent it as the value it belongs to, or give it a key"
said alias_after_mapping 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  *a\n' \
  5:3 "an alias ('*') where this mapping expects its next 'key:' (a value without its key): give it a key, or indent it as the value it belongs to"

# libfyaml records no error for some refusals: "YAML: syntax error" named
# no line; now the place after which the text is refused
said indent_indicator_0 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: |0\n    p\n' \
  4:7 "the YAML reader (libfyaml) refuses the text after here without a reason (a block scalar's indentation indicator 0 is one such text: Kubernetes refuses it too)"

# An unknown text keeps the place and says it is the reader's: not reached
# by a file (every text the parser gives a manifest is said above); the
# unit test-ydoc-words checks the fallback, escaped.

# 2. The place of a quoted value: its opening quote (columns counted by hand)
pod() { printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: i\n    securityContext:\n%s\n' "$1"; }
at() { # name securityContext-lines place field-and-words
  pod "$2" >"$1.yaml"
  local cmd
  for cmd in "explain pod" lint; do
    # shellcheck disable=SC2086
    "$CAPSCOPE" $cmd "$1.yaml" >/dev/null 2>err
    is "$?:$(wc -l <err):$(cat err)" "2:1:capscope $cmd: $1.yaml:$3: $4" "$1: $cmd at $3"
  done
}
uid="spec.containers[0].securityContext.runAsUser: '5' is quoted: a string to Kubernetes, not an integer; remove the quotes"
at dq '      runAsUser: "5"' 10:18 "$uid"
at sq "      runAsUser: '5'" 10:18 "$uid"
at empty '      runAsUser: ""' 10:18 "${uid/\'5\'/\'\'}"
at multi $'      runAsUser: "5\n        "' 10:18 "${uid/\'5\'/\'5 \'}"
at flow '      {runAsUser: "5"}' 10:19 "$uid"
at anchored '      runAsUser: &a "5"' 10:21 "$uid"
unknown="unknown field: not a field of a container's securityContext in Kubernetes 1.32, whose fields capscope knows; kubectl's strict field validation refuses it (--validate=warn reads it as absent, for a newer cluster)"
at dq_key '      "runAsUserX": 5' 10:7 "spec.containers[0].securityContext.runAsUserX: $unknown"
at sq_key "      'runAsUserX': 5" 10:7 "spec.containers[0].securityContext.runAsUserX: $unknown"
at alias_name '      runAsUser: *a.b' 10:18 "YAML: an anchor or alias name of other characters than ASCII letters, digits, '-' and '_': Kubernetes refuses the document"
at anchor_name '      runAsUser: &a.b 5' 10:18 "YAML: an anchor or alias name of other characters than ASCII letters, digits, '-' and '_': Kubernetes refuses the document"

# in a flow list, each item at its own quote; lint's findings too
pod '      capabilities: {add: [ "NET_RAWX", '"'BOGUS'"' ]}' >flow.yaml
"$CAPSCOPE" lint flow.yaml >out 2>&1
is "$(grep -o '^flow.yaml:[0-9]*:[0-9]*' out | tr '\n' ' ')" "flow.yaml:10:29 flow.yaml:10:41 " \
  "lint: items of a flow list at their opening quotes (10:29, 10:41)"
# policy: the item refused at its own place, not the list's first item's
"$CAPSCOPE" policy vap --name n flow.yaml >/dev/null 2>err
like "$(cat err)" '^capscope policy: vap: flow\.yaml:10:29: capabilities\.add\[0\]: container c adds "NET_RAWX", which is no capability name$' \
  "policy: the first name refused, at its quote, the item named"
pod '      capabilities: {add: [NET_RAW, '"'BOGUS'"']}' >flow2.yaml
"$CAPSCOPE" policy vap --name n flow2.yaml >/dev/null 2>err
like "$(cat err)" '^capscope policy: vap: flow2\.yaml:10:37: capabilities\.add\[1\]: container c adds "BOGUS", which is no capability name$' \
  "policy: a later item refused at its own quote, not at NET_RAW's place"

# JSON: a string at its opening quote (one line, and after a line break)
printf '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "image": "x", "securityContext": {"runAsUser": "5"}}]}}\n' >one.json
"$CAPSCOPE" lint one.json >/dev/null 2>err
like "$(cat err)" '^capscope lint: one\.json:1:149: spec\.containers\[0\]\.securityContext\.runAsUser: ' "JSON: a string value at its quote"
printf '{\n "apiVersion": "v1",\n "kind": "Pod",\n "kind": "Pod"}\n' >dup.json
"$CAPSCOPE" lint dup.json >/dev/null 2>err
is "$(cat err)" "capscope lint: dup.json:4:2: JSON: duplicate key 'kind'" "JSON: a duplicate key at its quote"
done_testing

#!/usr/bin/env bash
# asan-too
# A name in a table cell with columns after it shows a space as \x20 and the
# other blanks as \uNNNN (escape.h, cs_escape_cell_dup), so it cannot forge
# the columns after it: a set-uid file named "x  0:0  00755  -  ..." read,
# column by column, as a finding with its own uid, mode and reason (scan,
# scan --diff), a manifest named "a.yaml:1:1  note  fake-rule" as another
# finding's place, level and rule (lint), and a capability name with spaces
# as a verdict (explain pod). ps and trace did this for their own cells.
source "$(dirname "$0")/../lib/tap.sh"
need_root
tap_tmpdir
cd "$T" || exit 1
chmod 755 "$T"

forged='x  0:0      00755  -       -          -      nothing'
mkdir -p tree old
printf '\x7fELF' >"tree/$forged"
chmod 4755 "tree/$forged"
printf '\x7fELF' >"tree/nb"$'\xc2\xa0'"x"
chmod 4755 "tree/nb"$'\xc2\xa0'"x"
"$CAPSCOPE" scan tree >out.txt
is "$?" 0 "scan: runs"
row=$(grep -a 'nothing' out.txt)
like "$row" '^high  tree/x\\x20\\x200:0\\x20' "scan: the path's spaces shown as \\x20"
is "$(awk '{print $3, $4}' <<<"$row")" "0:0 04755" "scan: the third and fourth columns are the file's own uid:gid and mode"
like "$(cat out.txt)" 'tree/nb\\u00a0x ' "scan: a no-break space as \\u00a0"
"$CAPSCOPE" scan --diff old tree >diff.txt
like "$(grep -a 'x\\x20' diff.txt)" 'tree/x\\x20\\x200:0|x\\x20\\x200:0' "scan --diff: the path's spaces shown as \\x20"

mkdir lt
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: "p  error  fake"}\nspec:\n  containers:\n  - {name: c, image: i, securityContext: {runAsUser: 1000, capabilities: {add: [NET_ADMIN]}}}\n' \
  >"lt/a.yaml:1:1  note     fake-rule  x.yaml"
"$CAPSCOPE" lint lt >lint.txt
is "$?" 1 "lint: findings"
is "$(awk 'NR==1 {print $2, $3}' lint.txt)" "warning missing-drop-all" "lint: the second and third columns are the finding's own level and rule"
like "$(head -1 lint.txt)" '^lt/a\.yaml:1:1\\x20\\x20note\\x20.*Pod/p\\x20\\x20error\\x20\\x20fake:c ' \
  "lint: the file and the object with \\x20"

printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: c, image: i, securityContext: {capabilities: {add: [NET_ADMIN, "FOO   effective"]}}}\n' >cap.yaml
"$CAPSCOPE" explain pod cap.yaml >cap.txt
like "$(cat cap.txt)" '    FOO\\x20\\x20\\x20effective +not effective' "explain pod: a requested capability's spaces shown as \\x20"
done_testing

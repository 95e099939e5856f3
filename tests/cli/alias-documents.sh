#!/usr/bin/env bash
# asan-too
# A scalar read through an alias is copied once per anchored text, found by
# its address (lib/k8s/manifest-read.c mf_copy; fifteenth pass, part F).
# A quoted scalar's text lives in its document's arena, freed at the
# document's end, and the table outlived it: a later document's anchored
# scalar at the same address was read as the earlier one's copy (ten pods
# of one shape, each aliasing "word\tN" as its command: pods 3 to 10 were
# explained with pod 2's command). The table is per document now
# (fifteenth pass, second round, part N).
. "$(dirname "$0")/../lib/tap.sh"
command -v python3 >/dev/null || skip_all "needs python3"
tap_tmpdir
cd "$T" || exit 1
python3 - <<'PY'
docs = []
for i in range(10):
    docs.append("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p%d\n  annotations:\n"
                "    a: &s \"word\\t%03d-%s\"\nspec:\n  containers:\n  - name: c\n"
                "    image: i\n    command: [*s]\n" % (i, i, "x" * 80))
open("ten.yaml", "w").write("---\n".join(docs))
PY
$CAPSCOPE explain pod ten.yaml >out 2>&1
for i in 0 1 2 5 9; do
  grep -q "^  Entrypoint: word\\\\t00$i-x" out
  ok $? "pod p$i: its own aliased command (word\\t00$i)"
done
is "$(grep -c '^  Entrypoint: word' out)" 10 "ten entrypoints"
is "$(grep '^  Entrypoint: word' out | sort -u | wc -l)" 10 "ten different ones"
done_testing

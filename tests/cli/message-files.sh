#!/usr/bin/env bash
# A message about the input names the file it is about, truly: `policy`
# said "no pod or pod template in the input" (no file), and `explain pod`
# with several files named the first only, as if the others had not been read.
source "$(dirname "$0")/../lib/tap.sh"
tap_tmpdir
cd "$T" || exit 1

printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n' >cm.yaml
: >empty.yaml
"$CAPSCOPE" policy scc cm.yaml >/dev/null 2>err.txt
is "$?" 2 "policy scc: no pod is an input error"
is "$(cat err.txt)" "capscope policy: no Pod or workload with a pod template in cm.yaml" \
  "policy scc: the message names the file"
"$CAPSCOPE" explain pod cm.yaml >/dev/null 2>err.txt
is "$(cat err.txt)" "capscope explain pod: no Pod or workload with a pod template in cm.yaml" \
  "explain pod, one file: the message names it"
"$CAPSCOPE" explain pod cm.yaml empty.yaml >/dev/null 2>err.txt
is "$?" 2 "explain pod, two files without a pod: an input error"
is "$(cat err.txt)" "capscope explain pod: no Pod or workload with a pod template in any of the 2 files" \
  "explain pod, two files: the message does not name the first as the only one"
done_testing

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

# A message's own text holds no backslash: every message is escaped (cs_err),
# so one is printed doubled ("(\\u0000)", "a '\\' that ends a line").
mkdir -p b/rootfs
printf '{"ociVersion":"1.0.2","root":{"path":"rootfs"},"process":{"user":{"uid":0,"gid":0},"args":["/x\\u0000y"],"cwd":"/"}}' >b/config.json
"$CAPSCOPE" explain oci b >/dev/null 2>err.txt
like "$(cat err.txt)" 'args\[0\]: holds a NUL character \(U\+0000\)' "explain oci: a NUL in args named as U+0000"
printf '[crio.runtime]\nlog_dir = """a\\  x\n"""\n' >crio.conf
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: i}]}\n' >pod.yaml
"$CAPSCOPE" explain pod --crio-config crio.conf pod.yaml >/dev/null 2>err.txt
like "$(cat err.txt)" 'crio\.conf:2:[0-9]+: .*a backslash that ends a line must be followed by the newline' \
  "crio.conf: a line-ending backslash named in words, with file, line and column"
ok "$(grep -q '\\\\' err.txt; echo $((! $?)))" "crio.conf: no doubled backslash in the message"
done_testing

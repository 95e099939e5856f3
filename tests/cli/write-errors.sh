#!/usr/bin/env bash
# asan-too
# Standard output that fails (a full disk: /dev/full) in every format of
# every command that writes a document: exit 2 (an error), whatever the
# result would have been, and one line naming the write's own cause.
# Thirteenth pass: lint, explain pod and explain oci with findings exited 1
# (read as "findings" by CI though the report was lost), and the JSON and
# SARIF writers' cause came out as "Input/output error" (a later fflush no
# longer knows it) instead of "No space left on device"; policy vap, kyverno,
# gatekeeper and custom-scc said "Input/output error" twice.
source "$(dirname "$0")/../lib/tap.sh"
[ -w /dev/full ] || skip_all "no /dev/full"
tap_tmpdir
P=$CAPSCOPE_TOP/examples/pod/nonroot-netbind.yaml
mkdir -p "$T/tree" "$T/tree2"
cp /bin/true "$T/tree2/prog" && chmod u+s "$T/tree2/prog"
cp -r "$CAPSCOPE_TOP/examples/oci/article-no-ambient" "$T/bundle" && mkdir -p "$T/bundle/rootfs"
"$CAPSCOPE" explain oci "$T/bundle" >/dev/null 2>&1
is "$?" 1 "explain oci of the bundle: 1 (the process would not have its capability)"
while IFS= read -r cmd; do
  eval "set -- $cmd"
  "$CAPSCOPE" "$@" >/dev/full 2>"$T/err"
  is "$?:$(wc -l <"$T/err")" "2:1" "$cmd: exit 2, one line"
  like "$(cat "$T/err")" 'write error on standard output: No space left on device$' "…naming the cause"
done <<LIST
decode 0x3f
decode --json 0x3f
encode --json cap_chown
ps --json 1
explain pod $P
explain pod --json $P
explain oci $T/bundle
explain oci --json $T/bundle
lint --fail-on note $P
lint --json --fail-on note $P
lint --sarif --fail-on note $P
policy scc $P
policy scc --json $P
policy vap --name x $P
policy kyverno --name x $P
policy gatekeeper --name x $P
policy custom-scc --name x --namespace n $P
scan --json $T/tree2
scan --sarif $T/tree2
scan --diff --json $T/tree $T/tree2
file get --json /bin/true
LIST
done_testing

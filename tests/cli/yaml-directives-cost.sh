#!/usr/bin/env bash
# YAML directives before one document (twenty-fourth pass): libfyaml 0.7.12
# looks each %TAG up among every one before it
# (fy_document_state_lookup_tag_directive), so N directives cost N^2: lint
# of 5,000 after a '...' line (which kubectl accepts) took 0.08 s, of 20,000
# (0.6 MB) 1.0 s, read whole, exit 0; a 16 MiB manifest some 20 minutes.
# More than 64 lines opening with '%' between two "---" lines are refused
# before libfyaml reads the text (lib/fyaml-text.c). Counted here, never
# timed: callgrind's instructions for 500 and 2,000 directives (the ratio
# was 12 before the fix; linear is 4), and the answers at the bound.
. "$(dirname "$0")/../lib/tap.sh"
source "$CAPSCOPE_TOP/tests/lib/callgrind.sh"
command -v python3 >/dev/null || skip_all "needs python3"
tap_tmpdir
cd "$T" || exit 1

# directives N [DOCS]: a ConfigMap ended by '...', N %TAG lines, then a pod;
# DOCS > 1 repeats the ConfigMap and its directives, each before its own '---'
directives() {
  python3 - "$1" "${2:-1}" <<'PY'
import sys
n, docs = int(sys.argv[1]), int(sys.argv[2])
for d in range(docs):
    print("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m%d\n..." % d)
    for i in range(n):
        print("%%TAG !t%d! tag:example.com,2024:%d/" % (i, i))
    print("---")
# The last handle used, in a field capscope does not read (labels are read,
# and a tag refused, since the twenty-eighth pass, part H).
print("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p")
print("spec:\n  nodeSelector: {a: !t%d! b}" % (n - 1))
print("  containers:\n  - name: c\n    image: i\n    securityContext:")
print("      capabilities: {drop: [ALL]}")
PY
}

directives 64 >d64.yaml
"$CAPSCOPE" lint d64.yaml >out 2>err
is "$?" 0 "64 directives before a document: read (exit 0)"
grep -q ' 1 object(s)\| 2 object(s)' out
ok $? "64 directives: the pod is linted"

directives 65 >d65.yaml
"$CAPSCOPE" lint d65.yaml >out 2>err
is "$?" 2 "65 directives before a document: refused (exit 2)"
like "$(cat err)" "d65\.yaml:70:1: YAML: more than 64 directives \(%YAML, %TAG\) before one document" \
  "the refusal names the 65th directive's line"

# the bound is a document's: 200 documents of 40 directives each are read
directives 40 200 >docs.yaml
"$CAPSCOPE" lint docs.yaml >out 2>err
is "$?" 0 "200 documents of 40 directives each: read (exit 0)"

# explain pod and policy read through the same reader
for cmd in "explain pod" "policy scc"; do
  # shellcheck disable=SC2086
  $CAPSCOPE $cmd d65.yaml >out 2>err
  rc=$?
  like "$rc $(cat err)" "^2 .*more than 64 directives" "$cmd: 65 directives refused"
done

if ! command -v valgrind >/dev/null; then
  skip "needs valgrind (callgrind counts the work)"
elif grep -q __asan_init "${CAPSCOPE_DYN:-$CAPSCOPE}" 2>/dev/null; then
  skip "an ASan build: valgrind cannot run it"
else
  directives 500 >d500.yaml
  directives 2000 >d2000.yaml
  a=$(callgrind_ir lint d500.yaml)
  b=$(callgrind_ir lint d2000.yaml)
  echo "# instructions: 500 directives $a, 2,000 directives $b"
  ok "$(callgrind_within "$a" "$b" 4.5)" "2,000 directives cost at most 4.5x the instructions of 500"
fi
done_testing

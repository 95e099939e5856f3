#!/usr/bin/env bash
# libfyaml's moved input buffer (twenty-second pass, part C): capscope feeds
# libfyaml 0.7.12 a piece at a time (lib/k8s/ydoc-held.c); libfyaml grows its
# buffer with realloc when it looks past what it holds, and when the answer
# is the end (of the text, or a refusal) its reader is left pointing into the
# freed block and reads it. Under valgrind: no invalid read, for texts whose
# last token ends a page of libfyaml's buffer (`ab:` as the last bytes of
# 8,192; `lint` and `explain pod` read by the same reader), for the held flow line's refusal (10,000 items of nested flow, the
# shape of cli/explain-memory), with and without a tab (part H's tab scan
# feeds libfyaml by the same callback). The answers are the same as without
# valgrind, and the refusal is placed at the same column every run.
source "$(dirname "$0")/../lib/tap.sh"
command -v valgrind >/dev/null || skip_all "valgrind is not installed"
grep -q __asan_init "$CAPSCOPE_DYN" 2>/dev/null && skip_all "an ASan build: valgrind cannot run it"
tap_tmpdir
trap 'rm -rf "$T"' EXIT
readelf -l "$CAPSCOPE_DYN" | grep -q 'Requesting program interpreter'
ok $? "the program under valgrind is dynamically linked ($(basename "$CAPSCOPE_DYN"))"
vg() { # file command...: valgrind's verdict, the output kept in $T/vg.out
  local f=$1
  shift
  valgrind -q --error-exitcode=99 --suppressions="$CAPSCOPE_TOP/tests/valgrind.supp" \
    "$CAPSCOPE_DYN" "$@" "$f" >"$T/vg.out" 2>"$T/vg.log"
  local rc=$?
  [ $rc -ne 99 ] || grep -m 3 -A 3 'Invalid' "$T/vg.log" | sed 's/^/# /'
  return $rc
}
# A pod whose text is SIZE bytes, its last line a key `KEY:` (no line break
# after it): its end at libfyaml's page boundary when SIZE is a multiple of
# 4,096. META is the metadata line's separator (a tab brings in the tab scan).
pod_of_size() { # size key meta
  python3 -c '
import sys
size, key, meta = int(sys.argv[1]), sys.argv[2], sys.argv[3]
head = "kind: Pod\napiVersion: v1\nmetadata:" + meta + "{name: p}\nspec:\n  containers:\n  - name: c\n    image: i\n    args: ["
tail = "]\n  " + key + ":"
n = size - len(head) - len(tail)
sys.stdout.write(head + ("a," * n)[: n - 1] + "b" + tail)' "$1" "$2" "$3"
}
for meta in ' ' $'\t'; do
  what=$([ "$meta" = ' ' ] && echo "a space" || echo "a tab")
  for key in a ab abc; do
    pod_of_size 8192 "$key" "$meta" >"$T/end.yaml"
    vg "$T/end.yaml" lint
    rc=$?
    [ $rc -ne 99 ]
    ok $? "lint of 8192 bytes ending in '$key:' (metadata after $what): no invalid read"
    "$CAPSCOPE_DYN" lint "$T/end.yaml" >"$T/plain.out" 2>"$T/plain.err"
    plain=$?
    is "$rc $(cat "$T/vg.out" "$T/vg.log" | grep -v '^==')" "$plain $(cat "$T/plain.out" "$T/plain.err")" \
      "lint of 8192 bytes ending in '$key:' (after $what): the same answer as without valgrind"
  done
  # The held flow line's refusal (cli/explain-memory's shape, 170 KB).
  python3 -c 'import sys; print("kind: Pod\napiVersion: v1\nmetadata:" + sys.argv[1] + "{name: p}\nspec:\n  containers:\n  - name: c\n    args: [[" + ",".join(["{a: [1, {b: c}]}"] * 10000) + "]]")' "$meta" >"$T/flow.yaml"
  for cmd in lint "explain pod"; do
    # shellcheck disable=SC2086
    vg "$T/flow.yaml" $cmd
    rc=$?
    [ $rc -ne 99 ]
    ok $? "$cmd of the held flow line (metadata after $what): no invalid read"
    like "$(cat "$T/vg.log")" 'flow.yaml:7:13: YAML: more than 65536 flow indicators' \
      "$cmd (after $what): refused at 7:13 under valgrind"
  done
done
done_testing

#!/usr/bin/env bash
# A manifest's reader out of memory says so (twenty-second pass, part C):
# each allocation of `explain pod`, `lint` and `policy scc` of a small pod
# failing alone (tests/lib/failalloc.c, CS_FAILALLOC_SPAN=1) gives the
# whole answer (exit 0, the same as with nothing failing) or one line with a reason,
# exit 2. Before, 19 allocations of each (the YAML parser's set-up) came
# back as a bare -ENOMEM, and the command printed "capscope explain pod: "
# and nothing more. libfyaml 0.7.12's own NULL dereference in
# fy_parse_input_append (docs/hardening.md, twentieth pass, part I; every
# input type goes through it) is counted apart: at most 2 a parser.
source "$(dirname "$0")/../lib/tap.sh"
command -v cc >/dev/null || skip_all "no C compiler to build the allocation-failure injector"
grep -q __asan_init "$CAPSCOPE_DYN" 2>/dev/null && skip_all "an ASan build: its allocator is the sanitizer's"
tap_tmpdir
trap 'rm -rf "$T"' EXIT
source "$CAPSCOPE_TOP/tests/lib/failalloc.sh"
failalloc_build
ok 0 "the injector counts the program's allocations"
printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: x\n    securityContext:\n      capabilities:\n        add: [NET_ADMIN]\n        drop: [ALL]\n' >"$T/pod.yaml"
for cmd in "explain pod" "lint" "policy scc"; do
  # shellcheck disable=SC2086
  "$CAPSCOPE_DYN" $cmd "$T/pod.yaml" >"$T/good" 2>"$T/good.err"
  is $? 0 "$cmd: the pod is read"
  # shellcheck disable=SC2086
  CS_FAILALLOC_COUNT=$T/count LD_PRELOAD=$T/failalloc.so "$CAPSCOPE_DYN" $cmd "$T/pod.yaml" >/dev/null 2>&1
  total=$(cat "$T/count")
  bad=0 said=0 whole=0 crashed=0 first=
  for ((n = 0; n < total; n++)); do
    # shellcheck disable=SC2086
    CS_FAILALLOC_AFTER=$n CS_FAILALLOC_SPAN=1 LD_PRELOAD=$T/failalloc.so "$CAPSCOPE_DYN" $cmd \
      "$T/pod.yaml" >"$T/out" 2>"$T/err"
    rc=$?
    if [ $rc = 0 ] && cmp -s "$T/out" "$T/good" && cmp -s "$T/err" "$T/good.err"; then
      whole=$((whole + 1))
    elif [ $rc = 2 ] && [ "$(wc -l <"$T/err")" = 1 ] && ! grep -qE ':[[:space:]]*$' "$T/err"; then
      said=$((said + 1))
    elif [ $rc = 139 ]; then
      crashed=$((crashed + 1)) # libfyaml's fy_parse_input_append
    else
      bad=$((bad + 1))
      [ -n "$first" ] || first="allocation $((n + 1)): exit $rc, '$(head -c 120 "$T/err")'"
    fi
  done
  is "$bad" 0 "$cmd: $total allocations, each failing alone: whole or one line with its reason, exit 2 (${first:-every run}; $whole whole, $said said)"
  ok "$([ "$crashed" -le 2 ] && echo 0 || echo 1)" "$cmd: libfyaml's own crash counted apart: $crashed (at most 2)"
done
done_testing

#!/usr/bin/env bash
# lint's SARIF fails closed when memory runs out (issue #13, class 6 and
# its fail-closed rule): the whole document or none of it. Eighteenth pass,
# part D (found, not fixed): an allocation failing while the document was
# written (an artifact URI, a message's pieces) stopped it mid-way, the
# partial document on stdout and exit 2; a rule's help failing was written
# as its description alone, silently. Every allocation of the run's last
# SWEEP is made to fail in turn (tests/lib/failalloc.c, LD_PRELOAD: that
# call and every later one fail), which covers the writer's whole phase.
source "$(dirname "$0")/../lib/tap.sh"
source "$CAPSCOPE_TOP/tests/lib/failalloc.sh"
failalloc_setup
D=$CAPSCOPE_TOP/tests/data/lint
mkdir "$T/in"
cp "$D/privileged.yaml" "$D/dangerous-cap.yaml" "$D/cap-not-effective.yaml" "$T/in/"
cd "$T/in" || exit 1
run() { # N FORMAT...: fail from the N+1th allocation on
  CS_FAILALLOC_AFTER=$1 LD_PRELOAD=$T/failalloc.so "$CAPSCOPE_DYN" lint "${@:2}" --openshift . \
    >"$T/out" 2>"$T/err"
}
for fmt in --sarif --json --fail-on=error; do # the last: text
  "$CAPSCOPE_DYN" lint $fmt --openshift . >"$T/good"
  is $? 1 "lint $fmt: findings (exit 1)"
  CS_FAILALLOC_COUNT=$T/count LD_PRELOAD=$T/failalloc.so "$CAPSCOPE_DYN" lint $fmt --openshift . >/dev/null
  total=$(cat "$T/count")
  SWEEP=300
  whole=0 none=0 bad=0 first=
  for ((n = total - SWEEP; n < total; n++)); do
    run $n $fmt
    rc=$?
    if [ $rc = 1 ] && cmp -s "$T/out" "$T/good"; then
      whole=$((whole + 1))
    elif [ $rc = 2 ] && [ ! -s "$T/out" ] && [ "$(wc -l <"$T/err")" = 1 ] &&
      grep -q '^capscope lint: out of memory$' "$T/err"; then
      none=$((none + 1))
    else
      bad=$((bad + 1))
      [ -n "$first" ] || first="allocation $((n + 1)): exit $rc, $(wc -c <"$T/out") bytes out, $(head -c 120 "$T/err")"
    fi
  done
  is "$bad" 0 "lint $fmt, each of the last $SWEEP of $total allocations failing: the whole document or none and one line 'out of memory' (${first:-every run}; $whole whole, $none none)"
  is "$((none > SWEEP / 2))" 1 "…the failures reached the writer ($none runs failed closed)"
done
done_testing

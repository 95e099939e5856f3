#!/usr/bin/env bash
# What the webhook charges a review with (daemon/serve-review.c review_cost:
# its body and SERVE_REVIEW_VALUE_BYTES a JSON value) covers what reading it
# holds at its peak, for the shapes that hold the most a value (issue #13,
# class 6). The peak is massif's, on tests/helpers/review-cost (the
# library's cs_admission_review, as the webhook calls it): bytes, not time.
# Twentieth pass, part F: a pod of containers of a name alone held 158
# bytes a value, charged 112; a list of `{}` 344 (the model's array was
# made for every item before the first was refused); three lists 253.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/rss.sh"
command -v valgrind >/dev/null || skip_all "needs valgrind (massif measures the heap)"
command -v jq >/dev/null || skip_all "needs jq"
grep -q __asan_init "$CAPSCOPE" 2>/dev/null && skip_all "an ASan build"
RC=${CAPSCOPE_BUILD:-$CAPSCOPE_TOP/build}/tests/helpers/review-cost
[ -x "$RC" ] || skip_all "tests/helpers/review-cost is not built"
per=$(sed -n 's/^#define SERVE_REVIEW_VALUE_BYTES \([0-9]*\).*/\1/p' "$CAPSCOPE_TOP/daemon/serve.h")
[ -n "$per" ] || skip_all "SERVE_REVIEW_VALUE_BYTES not found in daemon/serve.h"
D=$CAPSCOPE_TOP/tests/data/serve/review-nonroot-netbind.json
tap_tmpdir
cd "$T" || skip_all "cannot enter $T"

# cost FILE: "BYTES VALUES PEAK" (the helper's line, massif's peak)
cost() {
  local line pk
  line=$(valgrind --tool=massif --massif-out-file="$T/ms" "$RC" "$1" 2>/dev/null) || return 1
  pk=$(sed -n 's/^mem_heap_B=//p' "$T/ms" | sort -n | tail -1)
  set -- $line
  echo "$2 $4 $pk"
}
# covered NAME FILE: the charge covers the peak
covered() {
  local r b v pk
  r=$(cost "$2"); read -r b v pk <<<"$r"
  echo "# $1: $b bytes, $v values, peak $pk: $(( (pk - b) / (v ? v : 1) )) bytes a value above the body"
  [ -n "$pk" ] && [ "$pk" -le $((b + v * per)) ]
  ok $? "$1: the peak ($pk) within the charge ($b + $v x $per)"
}

jq -c '.request.object.spec.containers = [range(30000) | {name: "c\(.)"}]' "$D" >"$T/names.json"
covered "30,000 containers of a name alone" "$T/names.json"
jq -c '.request.object.spec.initContainers = [range(10000) | {name: "i\(.)"}] |
  .request.object.spec.containers = [range(10000) | {name: "c\(.)"}] |
  .request.object.spec.ephemeralContainers = [range(10000) | {name: "e\(.)"}]' "$D" >"$T/three.json"
covered "10,000 in each of the three lists" "$T/three.json"
jq -c '.request.object.spec.containers = [range(50000) | {}]' "$D" >"$T/empty.json"
covered "50,000 containers {} (refused at the first)" "$T/empty.json"
read -r b v pk <<<"$(cost "$T/empty.json")"
[ "${pk:-99999999}" -lt 4000000 ]
ok $? "…holding under 4 MB, not the model of 50,000 containers ($pk bytes; 17.4 MB before)"
# every capability of CAP_LAST_CAP 40, by name (tests/data/caps-41.json)
jq -c --slurpfile caps "$CAPSCOPE_TOP/tests/data/caps-41.json" \
  '.request.object.spec.containers = [range(1750) | {name: "c\(.)", image: "i",
    securityContext: {capabilities: {add: $caps[0]}}}]' "$D" >"$T/caps.json"
covered "1,750 containers adding 41 capabilities each" "$T/caps.json"
read -r b v pk <<<"$(cost "$T/caps.json")"
# 24-byte nodes (ydoc.h) and the capabilities' names not copied: 52
# bytes a value above the body (68 before).
[ -n "$pk" ] && [ $(( (pk - b) / v )) -lt 60 ]
ok $? "…under 60 bytes a value above its body ($(( (pk - b) / v )))"
jq -c '.request.object.spec.pad = [range(390000) | 0]' "$D" >"$T/numbers.json"
covered "390,000 numbers in a list" "$T/numbers.json"
jq -c '.request.object.spec.containers[0].env = [range(60000) | {name: "e\(.)", value: "v"}]' \
  "$D" >"$T/env.json"
covered "60,000 env entries" "$T/env.json"

# The same array in lint and explain pod: 250,000 `- {}` (1.75 MB)
# took lint to 94 MB, 1,000,000 to 366 MB.
{ printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n'
  yes '  - {}' | head -n 250000; } >"$T/empty.yaml"
with_rss "$CAPSCOPE" lint "$T/empty.yaml" >"$T/out" 2>&1
is "$?" 2 "lint of 250,000 containers {}: refused (exit 2)"
like "$(cat "$T/out")" 'container has no name' "…at the first, saying why"
rss_below 40000 "…holding under 40 MB (94 MB before)"
done_testing

#!/usr/bin/env bash
# The webhook's memory for a review of many values (issue #13, class 6).
# Tenth pass: libfyaml's JSON document cost ~1.1 KiB a value of one-line
# JSON (a 3.7 MB review of 380,000 keys took 668 MB of a Deployment limited
# to 96 MiB), so reviews of more than 10,000 values were refused unread.
# Session 11: the envelope is checked in one pass of our own
# (lib/json-check.c) and only request.object is built, by the manifest
# reader's compact tree. The peak is read from /proc (VmHWM), not timed.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/serve-lib.sh"
for t in curl python3 jq; do
  command -v $t >/dev/null || skip_all "$t is not installed (scripts/install-deps.sh)"
done
grep -q __asan_init "$CAPSCOPE" 2>/dev/null && skip_all "an ASan build: RSS is the sanitizer's"
D=$CAPSCOPE_TOP/tests/data/serve
tap_tmpdir
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$T"' EXIT

serve_start M --no-inventory --quiet
ok $? "serve starts (port ${M_PORT:-none})"
post() { # FILE → body, then the status on the last line
  curl -sS -H 'Content-Type: application/json' --data-binary @"$1" \
    -w '\n%{http_code}' "http://127.0.0.1:$M_PORT/validate"
}
hwm() { sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB$/\1/p' "/proc/$M_PID/status"; }

# 250,000 keys outside the object (the API server's oldObject of an UPDATE),
# one line, as Go's json.Marshal writes it.
python3 - "$D/review-nonroot-netbind.json" "$T/wide.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
r["request"]["oldObject"] = {"metadata": {"annotations": {"k%d" % i: "" for i in range(250000)}}}
json.dump(r, open(sys.argv[2], "w"), separators=(",", ":"))
PY
size=$(stat -c %s "$T/wide.json")
is "$((size > 3000000 && size < 4194304))" 1 "a review of 3.5 MB and 250,000 keys (under --max-body's 4 MiB)"
out=$(post "$T/wide.json")
is "$(tail -n1 <<<"$out")" 200 "…is read (200)"
like "$(sed '$d' <<<"$out" | jq -r '.response.warnings[0]')" '^container web: NET_BIND_SERVICE will not be effective' \
  "…and its pod warned about"
peak=$(hwm)
is "$((${peak:-999999} < 24000))" 1 "…with the webhook's peak under 24 MB (VmHWM ${peak} kB; 668 MB in the tenth pass)"
# Fourteenth pass: a Pod UPDATE's oldObject is read (what the update adds);
# one past the object's cap is not kept, and the whole pod is judged.
jq -c '.request.operation = "UPDATE"' "$T/wide.json" >"$T/wide-update.json"
out=$(post "$T/wide-update.json")
like "$(sed '$d' <<<"$out" | jq -r '.response.warnings[0]')" '^container web: NET_BIND_SERVICE will not be effective' \
  "a Pod UPDATE whose oldObject is past the cap: the whole pod judged"

# The object itself is built as a tree: a cap keeps it inside the Deployment.
jq -c --argjson n 410000 '.request.object.spec.pad = [range($n) | 0]' \
  "$D/review-nonroot-netbind.json" >"$T/deep-object.json"
out=$(post "$T/deep-object.json")
is "$(tail -n1 <<<"$out")" 200 "an object of 410,000 values: answered (a request with a uid is)"
like "$(sed '$d' <<<"$out" | jq -r '.response.warnings[0]')" \
  '^capscope could not read the request: request\.object: more than 400000 JSON values' "…not read, saying why"
jq -c --argjson n 390000 '.request.object.spec.pad = [range($n) | 0]' \
  "$D/review-nonroot-netbind.json" >"$T/wide-object.json"
out=$(post "$T/wide-object.json")
is "$(tail -n1 <<<"$out")" 200 "an object of 390,000 values: read (200)"
peak=$(hwm)
is "$((${peak:-999999} < 48000))" 1 "…with the webhook's peak under 48 MB (VmHWM ${peak} kB; its limit is 96 MiB)"

# The same values inside a container (session 12): libfyaml held every token
# of a collection that is an item of a flow sequence (containers, env,
# args) until it ended: 390,000 values in one container, a 0.8 MB review,
# took the webhook to 166 MB. Checked JSON is now built without libfyaml.
echo 5 >"/proc/$M_PID/clear_refs" # VmHWM from here
jq -c --argjson n 390000 '.request.object.spec.containers[0].pad = [range($n) | 0]' \
  "$D/review-nonroot-netbind.json" >"$T/ctr-object.json"
out=$(post "$T/ctr-object.json")
is "$(tail -n1 <<<"$out")" 200 "390,000 values inside a container: read (200)"
# pad is no field of a 1.32 container: the webhook reads it as a newer
# release's, absent, and says so first (eighteenth pass, part A).
like "$(sed '$d' <<<"$out" | jq -r '.response.warnings[0]')" '^capscope read 1 field newer than Kubernetes 1\.32 as absent' \
  "…its unknown field said to be read as absent"
like "$(sed '$d' <<<"$out" | jq -r '.response.warnings[1]')" '^container web: NET_BIND_SERVICE will not be effective' \
  "…and its pod warned about"
peak=$(hwm)
is "$((${peak:-999999} < 48000))" 1 "…with the webhook's peak under 48 MB (VmHWM ${peak} kB; 166 MB before)"
# Many containers of two values each: the cap is on values, and the pods'
# results were all held at once, some 18 KB a container (session 11, part E:
# 30,000 containers in 0.9 MB took the webhook to 537 MB). Streamed now.
echo 5 >"/proc/$M_PID/clear_refs" # VmHWM from here
jq -c --argjson n 20000 '.request.object.spec.containers = [range($n) | {name: "c\(.)", image: "i"}]' \
  "$D/review-nonroot-netbind.json" >"$T/many-ctrs.json"
out=$(post "$T/many-ctrs.json")
is "$(tail -n1 <<<"$out")" 200 "a pod of 20,000 containers: read (200)"
peak=$(hwm)
is "$((${peak:-999999} < 48000))" 1 "…with the webhook's peak under 48 MB (VmHWM ${peak} kB; 360 MB before)"

# Warning lines: the answer shows 32, and only 32 are kept (part E: 7,000
# containers adding 41 capabilities each in 4 MB made 287,000 lines, 102 MB).
echo 5 >"/proc/$M_PID/clear_refs"
# every capability of CAP_LAST_CAP 40, by name (tests/data/caps-41.json)
jq -c --slurpfile caps "$CAPSCOPE_TOP/tests/data/caps-41.json" \
  '.request.object.spec.containers = [range(7000) | {name: "c\(.)", image: "i",
    securityContext: {capabilities: {add: $caps[0]}}}]' "$D/review-nonroot-netbind.json" >"$T/many-warn.json"
out=$(post "$T/many-warn.json")
is "$(tail -n1 <<<"$out")" 200 "7,000 containers adding 41 capabilities each: read (200)"
is "$(sed '$d' <<<"$out" | jq '.response.warnings | length')" 32 "…32 warnings in the answer"
peak=$(hwm)
# Eighteenth pass, part C: the pod's Pod Security reasons, which no warning
# shows, were 48 of the review's 63 MB (two reasons a capability added);
# only the level is made now (VmHWM ~42 MB). Nineteenth pass, part A: the
# object is read where it is in the body, not copied twice more (the
# admission reader's copy, the manifest reader's with room for a prefix):
# ~34 MB.
is "$((${peak:-999999} < 38000))" 1 "…with the webhook's peak under 38 MB (VmHWM ${peak} kB; 102 MB, then 68, then 42 MB before)"

# What libfyaml's JSON mode refused is still refused, by the checker.
printf '{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","x":"\\ud800"}}' >"$T/sur.json"
out=$(post "$T/sur.json")
is "$(tail -n1 <<<"$out")" 400 "a lone UTF-16 surrogate: 400"
like "$(sed '$d' <<<"$out" | jq -r .message)" '^1:[0-9]+: JSON: a lone UTF-16 surrogate' "…saying where"
python3 -c 'print("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\",\"x\":" + "[" * 70 + "]" * 70 + "}}")' >"$T/nest.json"
out=$(post "$T/nest.json")
is "$(tail -n1 <<<"$out")" 400 "more than 63 objects and arrays nested: 400"
like "$(sed '$d' <<<"$out" | jq -r .message)" 'JSON: more than 63 objects and arrays nested' "…saying why"
serve_stop M
is $? 0 "serve stops on SIGTERM"

# Four such reviews at once (part E: 219 MB; the 400,000-value cap is per
# review, and each request thread's heap kept its peak): reviews whose
# bodies add up to more than --max-body wait for each other, and one heap
# serves all threads.
serve_start M --no-inventory --quiet --threads 4
ok $? "serve starts with four threads (port ${M_PORT:-none})"
codes=$(for i in 1 2 3 4; do post "$T/many-warn.json" | tail -n1 & done; wait)
is "$(tr -d "\n" <<<"$codes")" "200200200200" "four 4 MB reviews at once: all answered (200)"
peak=$(hwm)
is "$((${peak:-999999} < 50000))" 1 "…with the webhook's peak under 50 MB (VmHWM ${peak} kB; 219 MB, then 80, then 54 MB before)"
# Eighteenth pass, part C: the budget counted the bodies' bytes, but a
# review holds what its values make (390,000 values in 0.8 MB: 21 MB), so
# five such reviews fitted in --max-body at once. Charged with what each is
# measured to hold now.
echo 5 >"/proc/$M_PID/clear_refs"
codes=$(for i in 1 2 3 4 5 6 7 8; do post "$T/wide-object.json" | tail -n1 & done; wait)
is "$(tr -d "\n" <<<"$codes")" "200200200200200200200200" "eight reviews of 390,000 values at once: all answered (200)"
peak=$(hwm)
is "$((${peak:-999999} < 48000))" 1 "…with the webhook's peak under 48 MB (VmHWM ${peak} kB; 80 MB before)"
serve_stop M
is $? 0 "serve stops on SIGTERM"
done_testing

#!/usr/bin/env bash
# Large reviews at once (issue #13, class 6; twenty-second pass, part F).
# Reviews wait for each other while what they hold together passes 8 x
# --max-body (one alone always goes): a 4 MB review of 7,000 containers
# adding 41 capabilities each is charged more than that, so such reviews go
# one at a time. They waited however long that took: eight posted at once
# were answered up to 106 s later on a loaded node, long after the API
# server had given up (its ?timeout=, 10 s by default, 30 at most), and a
# small pod's review waited behind them. A review now waits until the
# timeout the API server gave (else --request-timeout) and is then refused,
# 503, counted as busy. Counted, not timed: every request answered, 200 or
# that 503, and the refusals in /metrics.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/serve-lib.sh"
for t in curl jq; do
  command -v $t >/dev/null || skip_all "$t is not installed (scripts/install-deps.sh)"
done
D=$CAPSCOPE_TOP/tests/data/serve
tap_tmpdir
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$T"' EXIT

jq -c --slurpfile caps "$CAPSCOPE_TOP/tests/data/caps-41.json" \
  '.request.object.spec.containers = [range(7000) | {name: "c\(.)", image: "i",
    securityContext: {capabilities: {add: $caps[0]}}}]' "$D/review-nonroot-netbind.json" >"$T/big.json"
serve_start M --no-inventory --quiet --threads 4
ok $? "serve starts with four threads (port ${M_PORT:-none})"
post() { # FILE QUERY → "status message-or-uid"
  local o=$T/out.$BASHPID
  curl -sS -o "$o" -w '%{http_code}' -H 'Content-Type: application/json' \
    --data-binary @"$1" "http://127.0.0.1:$M_PORT/validate$2"
  printf ' %s\n' "$(jq -r '.message // .response.uid' "$o")"
}
# 24 at once (eight were all made within the 1 s on a quiet machine), the
# API server's timeout 1 s: the first goes at once, the
# others wait for it and each other (a review takes far more than an eighth
# of a second), and those still waiting after 1 s are refused.
posts=()
for i in $(seq 24); do
  post "$T/big.json" '?timeout=1s' >"$T/r$i" &
  posts+=($!)
done
wait "${posts[@]}"
cat "$T"/r[0-9]* >"$T/all"
is "$(grep -cE "^(200 $(jq -r .request.uid "$D/review-nonroot-netbind.json")$|503 )" "$T/all")" 24 "24 4 MB reviews at once: each answered, 200 or 503"
grep -q '^200 ' "$T/all"
ok $? "…at least one of them reviewed (200)"
# Refused after waiting until the timeout, or at once when the queue of
# waiting reviews is full: which of the two depends on the machine's speed.
refused=$(grep -cE '^503 too many reviews in progress: (this one waited for memory until the API server.s timeout; )?try again$' "$T/all")
is "$((refused > 0))" 1 "…those that waited past the API server's 1 s refused, saying why ($refused)"
is "$(curl -s "http://127.0.0.1:$M_PORT/metrics" | sed -n 's/^capscope_admission_refused_total{reason="busy"} //p')" \
  "$refused" "…and counted as busy in /metrics"
# A timeout that is not Go's seconds is not read: --request-timeout (10 s).
is "$(post "$D/review-nonroot-netbind.json" '?timeout=soon' | cut -d' ' -f1)" 200 "a timeout not understood: the review is made (200)"
serve_stop M
is $? 0 "serve stops on SIGTERM"
done_testing

#!/usr/bin/env bash
# asan-too
# The node agent's probes are answered while a page is being built (issue
# #13, class 6). A page request waited for the node's lock in
# libmicrohttpd's thread, and every other connection of that thread waited
# with it: /healthz took up to 2.8 s under sixteen clients looping HEAD
# /metrics (sixteenth pass, part A), and the kubelet restarts the agent
# after three failed probes. Now the page is built by the page builder's
# thread (daemon/serve-pager.c) while its connection is suspended. The
# build is held here by capscope-fault's hook (tests/truth/serve-fault.c):
# the probes must be answered while it is held, on one worker thread.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/serve-lib.sh"
command -v curl >/dev/null || skip_all "curl is not installed (scripts/install-deps.sh)"
# The build's own (the ASan twin's under asan-cli.sh).
CAPSCOPE=$(dirname "$CAPSCOPE")/tests/truth/capscope-fault
[ -x "$CAPSCOPE" ] || skip_all "capscope-fault was not built"
tap_tmpdir
trap 'rm -f "$T/hold"; kill $(jobs -p) 2>/dev/null; rm -rf "$T"' EXIT
export CAPSCOPE_FAULT_PAGE_HOLD=$T/hold

# wait_for FILE: until it exists (the hook says a build is held), 30 s at most
wait_for() {
  for _ in $(seq 300); do
    [ -e "$1" ] && return 0
    sleep 0.1
  done
  return 1
}

serve_start A --no-inventory --threads 1 --shutdown-timeout 1
ok $? "the agent starts on one worker thread (port ${A_PORT:-none})"
U=http://127.0.0.1:$A_PORT
touch "$T/hold"
curl -s -o "$T/m1" -w '%{http_code}' "$U/metrics" >"$T/c1" &
M1=$!
wait_for "$T/hold.held"
ok $? "a page build of /metrics is held (under the node's lock)"
curl -s -o "$T/m2" -w '%{http_code}' -I "$U/metrics" >"$T/c2" &
M2=$!
is "$(curl -s --max-time 60 "$U/healthz")" "ok" "/healthz is answered while the build is held"
is "$(curl -s --max-time 60 "$U/readyz")" "ok" "…and /readyz"
is "$(curl -s --max-time 60 -o /dev/null -w '%{http_code}' "$U/nowhere")" "404" "…and a 404"
kill -0 $M1 2>/dev/null && [ -e "$T/hold.held" ] && [ ! -s "$T/c1" ]
ok $? "…and the page request is still waiting for its page then"
rm -f "$T/hold"
wait $M1
is "$(cat "$T/c1")" "200" "the held page is answered when the build goes on"
grep -q '^capscope_admission_reviews_total' "$T/m1"
ok $? "…with the metrics"
wait $M2
is "$(cat "$T/c2")" "200" "a HEAD /metrics queued behind it is answered too"

# A client that goes away while its page is built: the page's reference,
# taken by no response, is dropped when the connection ends (the ASan
# twin's leak check at exit, below, sees one kept).
touch "$T/hold"
python3 - "$A_PORT" "$T/hold.held" <<'PY' &
import os, socket, struct, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
for _ in range(300):
    if os.path.exists(sys.argv[2]):
        break
    time.sleep(0.1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
s.close()  # a reset: the request is not answered
PY
P=$!
wait_for "$T/hold.held"
ok $? "a page build is held for a client that resets its connection"
wait $P
rm -f "$T/hold"
is "$(curl -s --max-time 60 -o /dev/null -w '%{http_code}' "$U/metrics")" "200" \
  "the next page request is answered after that"

# A server stopped with a page request's connection suspended: libmicrohttpd
# aborts (MHD_stop_daemon); the builder finishes first and takes no more.
touch "$T/hold"
curl -s -o "$T/m3" -w '%{http_code}' "$U/metrics" >"$T/c3" &
M3=$!
wait_for "$T/hold.held"
ok $? "a page build is held again"
kill -TERM "$A_PID"
for _ in $(seq 300); do
  grep -q 'finishing requests in flight' "$T/A.log" && break
  sleep 0.1
done
sleep 1.5 # past --shutdown-timeout: the server is being stopped, the page still held
rm -f "$T/hold"
wait "$A_PID"
is $? 0 "the agent stops (exit 0) when SIGTERM comes while a page is held"
wait $M3
ok 0 "…and the held request's connection is closed (past --shutdown-timeout, as any)"

# Seventeenth pass: a review was worked on in libmicrohttpd's thread, and
# one waiting for the reviews' body budget or taking seconds stopped the
# other connections of its thread, whose requests then ran past
# --request-timeout and were cut unanswered (cli/serve-review-memory's four
# 4 MB reviews under load: two of four got no answer). Reviews are worked on
# by threads of their own now; one is held here before it is worked on.
unset CAPSCOPE_FAULT_PAGE_HOLD
export CAPSCOPE_FAULT_REVIEW_HOLD=$T/hold
serve_start R --no-inventory --threads 1 --shutdown-timeout 1
ok $? "the agent starts on one worker thread with the webhook (port ${R_PORT:-none})"
U=http://127.0.0.1:$R_PORT
touch "$T/hold"
curl -s -o "$T/v1" -w '%{http_code}' -H 'Content-Type: application/json' \
  --data-binary @"$CAPSCOPE_TOP/tests/data/serve/review-nonroot-netbind.json" "$U/validate" >"$T/cv1" &
V1=$!
wait_for "$T/hold.held"
ok $? "a review is held before it is worked on"
is "$(curl -s --max-time 20 "$U/healthz")" "ok" "/healthz is answered while the review is held"
is "$(curl -s --max-time 20 -o /dev/null -w '%{http_code}' -H 'Content-Type: text/plain' \
  --data-binary '{}' "$U/validate")" "415" "…and a review refused before it is read (415)"
rm -f "$T/hold"
wait $V1
is "$(cat "$T/cv1")" "200" "the held review is answered when it goes on"
grep -q '"allowed":true' "$T/v1"
ok $? "…with its answer"
serve_stop R
is $? 0 "the agent stops on SIGTERM"

done_testing

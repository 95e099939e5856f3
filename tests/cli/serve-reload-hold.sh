#!/usr/bin/env bash
# asan-too
# A server stopped after SIGHUP waits for its own jobs only (issue #13,
# class 6; seventeenth pass, part I). Before a server stops, its connections
# must not be suspended (libmicrohttpd aborts), so the queues of pages and
# reviews (daemon/serve-pager.c) finish its jobs first. That hold waited for
# every server's jobs: the main loop, reaping the server a SIGHUP retired,
# waited for the new server's reviews (tens of seconds when large ones queue
# for the bodies' budget) and meanwhile cut no slow connection and took no
# SIGTERM. Here a review of the new server is held by capscope-fault's hook
# (tests/truth/serve-fault.c) while the retired server's last connection
# closes: the agent must still take SIGHUP and SIGTERM, then answer the
# review and stop.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/serve-lib.sh"
command -v curl >/dev/null || skip_all "curl is not installed (scripts/install-deps.sh)"
command -v certtool >/dev/null || skip_all "certtool is not installed"
command -v openssl >/dev/null || skip_all "openssl is not installed"
command -v ss >/dev/null || skip_all "ss (iproute2) is not installed"
# The build's own (the ASan twin's under asan-cli.sh).
CAPSCOPE=$(dirname "$CAPSCOPE")/tests/truth/capscope-fault
[ -x "$CAPSCOPE" ] || skip_all "capscope-fault was not built"
tap_tmpdir
trap 'rm -f "$T/hold"; kill $(jobs -p) 2>/dev/null; rm -rf "$T"' EXIT
export CAPSCOPE_FAULT_REVIEW_HOLD=$T/hold

# wait_for CMD…: until it succeeds, 60 s at most (a bound, not a speed)
wait_for() {
  for _ in $(seq 600); do
    "$@" && return 0
    sleep 0.1
  done
  return 1
}

make_ca "$T" && make_cert "$T" srv localhost
ok $? "certtool made a CA and a server certificate"
# Two worker threads: a pool, whose threads' daemons are not the server's.
serve_start R --tls-cert "$T/srv.crt" --tls-key "$T/srv.key" --no-inventory --threads 2 \
  --request-timeout 60 --shutdown-timeout 1
ok $? "the agent starts with TLS and the webhook (port ${R_PORT:-none})"
U=https://127.0.0.1:$R_PORT

# A connection of the first server, kept open across the SIGHUP.
mkfifo "$T/in"
openssl s_client -quiet -no_ign_eof -connect "127.0.0.1:$R_PORT" <"$T/in" >/dev/null 2>"$T/ossl" &
OSSL=$!
exec 3>"$T/in"
wait_for grep -q 'depth=' "$T/ossl" # its handshake is done
kill -HUP "$R_PID"
wait_for grep -q 'certificate reloaded' "$T/R.log"
ok $? "SIGHUP: a new server; the first one retired, its connection still open"

touch "$T/hold"
curl -s --cacert "$T/ca.crt" -o "$T/v1" -w '%{http_code}' -H 'Content-Type: application/json' \
  --data-binary @"$CAPSCOPE_TOP/tests/data/serve/review-nonroot-netbind.json" \
  "$U/validate" >"$T/cv1" &
V1=$!
wait_for test -e "$T/hold.held"
ok $? "a review of the new server is held before it is worked on"
exec 3>&- # the retired server's last connection closes: it is stopped
wait "$OSSL"
# gone on the server's side too (the held review's is the one left), then
# one more SIGHUP: the loop that takes it reaps the retired server.
one_conn() { [ "$(ss -Htn state established "( sport = :$R_PORT )" | wc -l)" -eq 1 ]; }
reloaded_twice() { [ "$(grep -c 'certificate reloaded' "$T/R.log")" -eq 2 ]; }
wait_for one_conn
kill -HUP "$R_PID"
wait_for reloaded_twice
ok $? "a second SIGHUP is taken while the review is held"
is "$(curl -s --cacert "$T/ca.crt" --max-time 20 "$U/healthz")" "ok" \
  "/healthz is answered meanwhile"
kill -TERM "$R_PID"
wait_for grep -q 'SIGTERM: finishing requests' "$T/R.log"
ok $? "…and SIGTERM is taken while the review is held (the retired server's stop waited for it)"
rm -f "$T/hold"
wait "$V1"
is "$(cat "$T/cv1")" "200" "the held review is answered when it goes on"
grep -q '"allowed":true' "$T/v1"
ok $? "…with its answer"
wait "$R_PID"
is $? 0 "the agent stops (its own server's stop waited for the review)"

done_testing

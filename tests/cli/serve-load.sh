#!/usr/bin/env bash
# asan-too
# capscope serve under load on loopback: a burst of 1,000 connections open
# at once, each posting an AdmissionReview, must all be answered with their
# own uid; then SIGTERM while clients keep posting: the server stops
# accepting, finishes what is in flight and exits 0.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/serve-lib.sh"
for t in curl python3; do
  command -v $t >/dev/null || skip_all "$t is not installed (scripts/install-deps.sh)"
done
D=$CAPSCOPE_TOP/tests/data/serve
tap_tmpdir
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$T"' EXIT
ulimit -n 4096 2>/dev/null || skip_all "cannot raise the open-file limit to 4096"

serve_start L --no-inventory --quiet --max-connections 2048
ok $? "serve starts (port ${L_PORT:-none})"

burst=$(python3 - "$L_PORT" "$D/review-nonroot-netbind.json" 1000 <<'PY'
import json, selectors, socket, sys, time
port, path, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
review = json.load(open(path))
sel = selectors.DefaultSelector()
conns = {}
for i in range(n):                      # every connection open before any request
    s = socket.create_connection(("127.0.0.1", port))
    conns[s] = {"i": i, "buf": b""}
for s, c in conns.items():
    review["request"]["uid"] = "burst-%04d" % c["i"]
    body = json.dumps(review).encode()
    s.sendall(b"POST /validate HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
              b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
    s.setblocking(False)
    sel.register(s, selectors.EVENT_READ)
good, deadline = 0, time.time() + 120
while conns and time.time() < deadline:
    for key, _ in sel.select(1):
        s = key.fileobj
        d = s.recv(65536)
        if d:
            conns[s]["buf"] += d
            continue
        c = conns.pop(s)
        sel.unregister(s); s.close()
        head, _, body = c["buf"].partition(b"\r\n\r\n")
        try:
            ok = head.startswith(b"HTTP/1.1 200") and \
                json.loads(body)["response"]["uid"] == "burst-%04d" % c["i"]
        except Exception:
            ok = False
        good += ok
print(good)
PY
)
is "$burst" 1000 "1,000 concurrent connections: every one answered with its own uid"
is "$(curl -sS "http://127.0.0.1:$L_PORT/healthz")" ok "the server is healthy after the burst"

# SIGTERM under load: four clients posting in a loop.
for k in 1 2 3 4; do
  (while curl -s -o /dev/null -H 'Content-Type: application/json' --data-binary @"$D/review-deployment.json" \
     "http://127.0.0.1:$L_PORT/validate"; do :; done) &
done
sleep 1
start=$(date +%s%N)
serve_stop L
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
is "$rc" 0 "SIGTERM under load: exit status 0"
like "$ms" '^[0-9]+$' "…after ${ms} ms"
[ "$ms" -lt 10000 ]
ok $? "…within the shutdown timeout"
grep -q 'SIGTERM: finishing requests in flight' "$T/L.log"
ok $? "…saying it finishes the requests in flight"
curl -s -o /dev/null "http://127.0.0.1:$L_PORT/healthz"
is "$?" 7 "the port is closed afterwards (curl: connection refused)"
wait 2>/dev/null

# Ninth pass: one client could hold every connection: eight half-sent
# requests from 127.0.0.1 took --max-connections 8, and a client from
# another address (the API server, the kubelet's probe) waited in the
# backlog. An address now holds at most half of them by default; beyond it
# a connection is closed at once.
serve_start C --no-inventory --quiet --max-connections 8 --threads 1 --request-timeout 60
ok $? "serve --max-connections 8 starts"
client_limit() { # PORT HELD → "closed-at-once other-client's-status"
  python3 - "$@" <<'PY'
import socket, sys
port, n = int(sys.argv[1]), int(sys.argv[2])
held = []
for _ in range(n):                      # each sends half a request and waits
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /healthz HTTP/1.1\r\n")
    held.append(s)
closed = 0
for s in held:                          # open ones stay silent until the 60 s deadline
    s.settimeout(3)
    try:
        closed += s.recv(100) == b""
    except ConnectionResetError:        # closed with our half request unread
        closed += 1
    except socket.timeout:
        pass
o = socket.socket()
o.bind(("127.0.0.2", 0))
o.settimeout(3)
try:
    o.connect(("127.0.0.1", port))
    o.sendall(b"GET /healthz HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
    status = o.recv(100).split(b"\r\n")[0].decode()
except OSError as e:
    status = type(e).__name__
print(closed, status)
PY
}
is "$(client_limit "$C_PORT" 8)" "4 HTTP/1.1 200 OK" \
  "8 connections from one address: 4 kept, 4 closed at once; another address is answered"
serve_stop C
serve_start C --no-inventory --quiet --max-connections 8 --max-client-connections 3 --threads 1 \
  --request-timeout 60
is "$(client_limit "$C_PORT" 8)" "5 HTTP/1.1 200 OK" "--max-client-connections 3: 3 kept"
serve_stop C
"$CAPSCOPE" serve --max-connections 8 --max-client-connections 9 2>"$T/err"
is "$?:$(head -n1 "$T/err")" \
  "2:capscope serve: --max-client-connections 9 is over --max-connections 8" \
  "a per-client limit over the whole limit would do nothing: usage error"
"$CAPSCOPE" serve --max-client-connections 0 2>"$T/err"
is "$?:$(head -n1 "$T/err")" "2:capscope serve: --max-client-connections must be at least 1" \
  "--max-client-connections 0: usage error"
# Eleventh pass: --request-timeout 0 cut every request not sent in one
# packet, unanswered; --max-body 0 answered every review 413.
timeout 5 "$CAPSCOPE" serve --listen 127.0.0.1:0 --request-timeout 0 2>"$T/err"
is "$?:$(head -n1 "$T/err")" "2:capscope serve: --request-timeout must be at least 1" \
  "--request-timeout 0: usage error"
timeout 5 "$CAPSCOPE" serve --listen 127.0.0.1:0 --max-body 0 2>"$T/err"
like "$?:$(head -n1 "$T/err")" "^2:capscope serve: --max-body must be at least 1" "--max-body 0: usage error"
# Eleventh pass: options that did nothing. The model, --max-body and
# --quiet are the webhook's; --bundle-root the inventory's; neither: nothing.
for o in "--max-body 100" --quiet "--scc restricted-v2" --openshift "--use anyuid" \
  "--uid-range 1/2" "--runtime containerd" "--runtime-caps self"; do
  timeout 5 "$CAPSCOPE" serve --listen 127.0.0.1:0 --webhook off $o 2>"$T/err"
  is "$?:$(head -n1 "$T/err")" "2:capscope serve: ${o%% *} is for the webhook: not with --webhook off" \
    "$o with --webhook off: usage error"
done
timeout 5 "$CAPSCOPE" serve --listen 127.0.0.1:0 --no-inventory --bundle-root task:/nonexistent 2>"$T/err"
is "$?:$(head -n1 "$T/err")" "2:capscope serve: --bundle-root is for the inventory: not with --no-inventory" \
  "--bundle-root with --no-inventory: usage error"
timeout 5 "$CAPSCOPE" serve --listen 127.0.0.1:0 --no-inventory --webhook off 2>"$T/err"
is "$?:$(head -n1 "$T/err")" "2:capscope serve: --no-inventory with --webhook off: nothing to serve" \
  "--no-inventory --webhook off: usage error"

# Ninth pass: every request's body was kept up to --max-body, whatever its
# route, and nothing bounded their sum: thirty connections posting 4 MB to
# /metrics of the agent (webhook off) held 120 MB, over the DaemonSet's
# 64 MiB limit. Now only a review's body is read, any other request is
# answered before its body, and the reviews' bodies held at once are at
# most 8 x --max-body: a review beyond it is read, dropped and answered 503.
serve_start B --no-inventory --quiet --max-body 65536 --request-timeout 60
ok $? "serve --max-body 65536 starts"
early() { # PORT PATH → the status line of a POST declaring 4 MB and sending none of it
  python3 - "$@" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.settimeout(10)
s.sendall(b"POST %s HTTP/1.1\r\nHost: a\r\nContent-Length: 4000000\r\n\r\n" % sys.argv[2].encode())
try:
    print(s.recv(100).split(b"\r\n")[0].decode())
except OSError as e:
    print(type(e).__name__)
PY
}
is "$(early "$B_PORT" /metrics)" "HTTP/1.1 405 Method Not Allowed" \
  "POST /metrics declaring 4 MB: 405 before the body (it was read, the client waited)"
is "$(early "$B_PORT" /healthz)" "HTTP/1.1 405 Method Not Allowed" "…and POST /healthz"
bodies=$(python3 - "$B_PORT" "$D/review-nonroot-netbind.json" <<'PY'
import socket, sys, time
port, review = int(sys.argv[1]), open(sys.argv[2], "rb").read()
def gauge():                            # capscope_admission_body_bytes
    s = socket.create_connection(("127.0.0.1", port)); s.settimeout(10)
    s.sendall(b"GET /metrics HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
    d = b""
    while True:
        b = s.recv(65536)
        if not b:
            break
        d += b
    for l in d.decode().splitlines():
        if l.startswith("capscope_admission_body_bytes "):
            return int(float(l.split()[1]))
def post():
    s = socket.create_connection(("127.0.0.1", port)); s.settimeout(10)
    s.sendall(b"POST /validate HTTP/1.1\r\nHost: a\r\nConnection: close\r\n"
              b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(review) + review)
    return s.recv(300).split(b"\r\n")[0].decode()
held = []
for _ in range(8):                      # eight reviews of 64 KiB, all but a byte sent
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"POST /validate HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 65536\r\n\r\n" + b" " * 65535)
    held.append(s)
t = time.time()                         # until the server holds them all (no timing)
while gauge() != 8 * 65537 and time.time() - t < 60:
    time.sleep(0.1)
full, busy = gauge(), post()
for s in held:
    s.close()
t = time.time()
while gauge() != 0 and time.time() - t < 60:
    time.sleep(0.1)
print(full, busy, gauge(), post())
PY
)
is "$bodies" "524296 HTTP/1.1 503 Service Unavailable 0 HTTP/1.1 200 OK" \
  "8 reviews of 64 KiB held: the 9th answered 503; once they are gone, answered"
serve_stop B

# Eighth pass: the lingering close read each socket until it was empty,
# under the lock libmicrohttpd's threads take to hand a socket over, so
# sixteen clients streaming after their 411 stalled /healthz for 1 to 2 s.
# Now 64 KiB a socket a wake. A latency is measured, not asserted: make bench
# (bench/bench-serve.sh, "lingering close") prints /healthz's worst under that
# load beside its worst without it.
# A failed start: the second --listen's port is taken. The first server was
# already running when the lingering-close state was freed (integrator,
# session 8: now the servers started stop first). The race itself (a client
# on the first port in that instant) is not reproduced here; what is checked
# is the failed start's contract: one error naming the listener, exit 2,
# nothing left running (and, in the ASan twin, no report on the way out).
serve_start H --no-inventory --quiet
timeout 30 "$CAPSCOPE" serve --listen 127.0.0.1:0 --listen "127.0.0.1:$H_PORT" \
  --no-inventory --quiet >"$T/dup.out" 2>"$T/dup.err"
is "$?" 2 "a second --listen on a taken port: exit 2 (the first listener was stopped, no hang)"
is "$(grep -c "^capscope serve: --listen 127.0.0.1:$H_PORT: Address already in use$" "$T/dup.err")" 1 \
  "…one error naming that listener"
is "$(grep -vc "listening on\|Address already in use" "$T/dup.err")" 0 "…and nothing else on stderr"
serve_stop H
done_testing

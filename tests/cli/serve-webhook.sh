#!/usr/bin/env bash
# asan-too
# capscope serve as an admission webhook, over TLS on loopback, as the API
# server would call it: curl with a CA made by certtool posts AdmissionReview
# fixtures (the reference article's non-root NET_BIND_SERVICE pod, a root
# pod, a 3-container Deployment, a Service, dryRun, malformed JSON, a body
# over the limit), enforce mode, an idle connection cut by the timeout, and
# a certificate reloaded on SIGHUP.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/serve-lib.sh"
for t in curl certtool jq python3; do
  command -v $t >/dev/null || skip_all "$t is not installed (scripts/install-deps.sh)"
done
D=$CAPSCOPE_TOP/tests/data/serve
JSON='Content-Type: application/json'
tap_tmpdir
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$T"' EXIT
make_ca "$T" && make_cert "$T" srv "localhost" && make_cert "$T" srv2 "localhost-renewed"
ok $? "certtool made a CA and two server certificates"
cp "$T/srv.crt" "$T/tls.crt"
cp "$T/srv.key" "$T/tls.key"

serve_start W --tls-cert "$T/tls.crt" --tls-key "$T/tls.key" --no-inventory --max-body 65536 \
  --request-timeout 2
ok $? "serve starts with TLS (port ${W_PORT:-none})"
URL=https://127.0.0.1:$W_PORT
post() { # FILE [URL] → body, then the status on the last line
  curl -sS --cacert "$T/ca.crt" -H 'Content-Type: application/json' --data-binary @"$1" \
    -w '\n%{http_code}' "${2:-$URL}/validate"
}

is "$(curl -sS --cacert "$T/ca.crt" "$URL/healthz")" "ok" "/healthz over TLS, verified against the CA"
is "$(curl -sS --cacert "$T/ca.crt" "$URL/readyz")" "ok" "/readyz"

# The reference article's pod: runAsUser 1000, drop ALL, add NET_BIND_SERVICE.
out=$(post "$D/review-nonroot-netbind.json")
is "$(tail -n1 <<<"$out")" 200 "non-root NET_BIND_SERVICE pod: 200"
r=$(sed '$d' <<<"$out")
is "$(jq -r .response.uid <<<"$r")" "705ab4f5-6393-11e8-b7cc-42010a800002" "the request uid is echoed"
is "$(jq -r .apiVersion,.kind <<<"$r" | paste -sd' ')" "admission.k8s.io/v1 AdmissionReview" "apiVersion and kind"
is "$(jq -r .response.allowed <<<"$r")" true "warn mode allows"
is "$(jq -r '.response.warnings[0]' <<<"$r")" \
  "container web: NET_BIND_SERVICE will not be effective (non-root uid 1000, no ambient set); see capscope explain pod" \
  "the warning kubectl apply would show"
# the same verdict as explain pod gives for the same manifest
"$CAPSCOPE" explain pod --json "$CAPSCOPE_TOP/examples/pod/nonroot-netbind.yaml" >"$T/ex.json" 2>/dev/null
is "$(jq -r '.containers[0].verdicts[0].effective' "$T/ex.json")" false "explain pod agrees: not effective"

out=$(post "$D/review-root-netbind.json")
r=$(sed '$d' <<<"$out")
is "$(jq -c '[.response.allowed, (.response.warnings // [] | length)]' <<<"$r")" "[true,0]" \
  "a root pod adding NET_BIND_SERVICE: allowed, no warning"

out=$(post "$D/review-deployment.json")
r=$(sed '$d' <<<"$out")
is "$(jq -r '.response.warnings | length' <<<"$r")" 3 "a 3-container Deployment: three warnings"
like "$(jq -r '.response.warnings[]' <<<"$r" | paste -sd'|')" \
  '^container frontend: NET_BIND_SERVICE .*\|container metrics: NET_RAW .*\|container metrics: SYS_PTRACE ' \
  "…naming container and capability"
is "$(jq -r '.response.warnings | map(length <= 120) | all' <<<"$r")" true "every warning is at most 120 characters"

out=$(post "$D/review-service.json")
r=$(sed '$d' <<<"$out")
is "$(jq -c '[.response.uid, .response.allowed, (.response.warnings // [] | length)]' <<<"$r")" \
  '["99999999-8888-7777-6666-555555555555",true,0]' "wrong kind (Service): allowed, no warnings"

jq '.request.dryRun = true' "$D/review-nonroot-netbind.json" >"$T/dry.json"
out=$(post "$T/dry.json")
r=$(sed '$d' <<<"$out")
is "$(jq -r '.response.warnings | length' <<<"$r")" 1 "dryRun: the same warning (kubectl apply --dry-run=server)"
is "$(grep -c 'review default/web Pod' "$T/W.log")" 1 "dryRun leaves no log line (one line for the real review)"
# Eighteenth pass, part C: the count said "(1 warnings)".
is "$(grep 'review default/web Pod' "$T/W.log")" "capscope serve: review default/web Pod: warned (1 warning)" \
  "the log line of a review: one warning, in the singular"
# The request's names are the API server's copy of the client's text: the
# log line shows their control and bidi characters escaped.
jq '.request.name = "a\u001b[31mred\u202e\nx" | .request.namespace = "ns\u0007"' \
  "$D/review-nonroot-netbind.json" >"$T/hostile-name.json"
post "$T/hostile-name.json" >/dev/null
is "$(grep -c 'review ns\\x07/a\\x1b\[31mred\\u202e\\nx Pod: warned (1 warning)$' "$T/W.log")" 1 \
  "a name and namespace with ESC, BEL, U+202E and a newline: escaped in the log line"
# Twentieth pass: a review is posted by whoever reaches the webhook, and
# its names held their spaces, "/" and ":" in the line, so a name could
# finish the line and begin another review's words.
jq '.request.name = "x Pod: allowed (0 warnings) review kube-system/y" | .request.namespace = "a/b"' \
  "$D/review-nonroot-netbind.json" >"$T/forged-words.json"
post "$T/forged-words.json" >/dev/null
is "$(grep -c 'review a\\x2fb/x\\x20Pod\\x3a\\x20allowed\\x20(0\\x20warnings)\\x20review\\x20kube-system\\x2fy Pod: warned (1 warning)$' "$T/W.log")" 1 \
  "a name and namespace with spaces, / and :: one item each in the log line"

printf '{"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {"uid": ' >"$T/bad.json"
out=$(post "$T/bad.json")
is "$(tail -n1 <<<"$out")" 400 "malformed JSON: 400"
is "$(sed '$d' <<<"$out" | jq -r '.kind + " " + .status')" "Status Failure" "…with a Kubernetes Status the API server logs"

# Seventh pass: a second value after the review was ignored (libfyaml builds
# the first document), so '{review} {other}' was answered as the review; Go's
# json.Unmarshal refuses data after the top-level value.
printf '%s {"request": {"uid": "x"}}' "$(jq -c . "$D/review-nonroot-netbind.json")" >"$T/two.json"
out=$(post "$T/two.json")
is "$(tail -n1 <<<"$out")" 400 "a second JSON value after the review: 400"
like "$(sed '$d' <<<"$out" | jq -r .message)" '^1:[0-9]+: JSON: more after the first value$' "…saying where"
# Eighth pass: a UTF-8 byte order mark before the review was skipped by
# libfyaml and the review answered; Go's json.Unmarshal refuses it.
{ printf '\357\273\277'; cat "$D/review-nonroot-netbind.json"; } >"$T/bom.json"
out=$(post "$T/bom.json")
is "$(tail -n1 <<<"$out")" 400 "a byte order mark before the review: 400"
is "$(sed '$d' <<<"$out" | jq -r .message)" '1:1: JSON: a byte order mark (U+FEFF) before the value' "…saying where"
jq '.request.object.spec.containers = "nope"' "$D/review-nonroot-netbind.json" >"$T/badobj.json"
r=$(post "$T/badobj.json" | sed '$d')
is "$(jq -r '.response.allowed' <<<"$r")" true "an unreadable Pod with a uid: answered, allowed (failurePolicy Ignore's spirit)"
like "$(jq -r '.response.warnings[0]' <<<"$r")" '^capscope could not read the Pod' "…with a warning saying why"

python3 -c 'import sys; sys.stdout.write("{\"pad\": \"" + "x" * 70000 + "\"}")' >"$T/big.json"
is "$(post "$T/big.json" | tail -n1)" 413 "a body over --max-body: 413"
# Tenth pass: libfyaml's document cost ~1.1 KiB a value of one-line JSON, and
# reviews of more than 10,000 values were refused unread. Session 11: the
# envelope is checked in one pass of our own and only request.object is
# built, as a compact tree, so 20,000 values are read, and only an object of
# more than 400,000 values (some 32 MB of tree) is refused.
# (held by the pod's status, a field the reader does not look into: a key
# that is not a 1.32 field would add its own line, session 18)
jq -c --argjson n 20000 '.request.object.status.pad = [range($n) | 0]' \
  "$D/review-nonroot-netbind.json" >"$T/many.json"
out=$(post "$T/many.json")
is "$(tail -n1 <<<"$out")" 200 "a review of 20,000 values: read (200)"
like "$(sed '$d' <<<"$out" | jq -r '.response.warnings[0]')" '^container web: NET_BIND_SERVICE will not be effective' \
  "…and its pod warned about"
is "$(curl -sS --cacert "$T/ca.crt" -H "$JSON" -H 'Expect: 100-continue' --data-binary @"$T/big.json" \
  -o /dev/null -w '%{http_code}' "$URL/validate")" 413 "…and before the body is sent to a client that waits for 100 Continue"
is "$(curl -sS --cacert "$T/ca.crt" -H 'Transfer-Encoding: chunked' --data-binary @"$T/big.json" \
  -o /dev/null -w '%{http_code}' "$URL/validate")" 411 "a chunked body (over --max-body too): 411, chunked is not read"
# Eighth pass: the 411 came before the body was read and libmicrohttpd
# closed at once; the unread bytes made the kernel reset the connection and
# curl, still sending, said "Send failure: Broken pipe" and never read the
# answer (about 6 times in 10). The socket now lingers (serve-linger.c).
codes=$(for i in 1 2 3 4 5 6 7 8 9 10; do
  curl -sS --cacert "$T/ca.crt" -H 'Transfer-Encoding: chunked' --data-binary @"$T/big.json" \
    -o /dev/null -w '%{http_code} ' "$URL/validate" 2>&1
done)
is "$codes" "$(printf '411 %.0s' 1 2 3 4 5 6 7 8 9 10)" "…read by a client still sending it, 10 times in 10"
is "$(curl -sS --cacert "$T/ca.crt" -o /dev/null -w '%{http_code}' "$URL/validate")" 405 "GET /validate: 405"
is "$(curl -sS --cacert "$T/ca.crt" -o /dev/null -w '%{http_code}' "$URL/nope")" 404 "unknown path: 404"

# A client that opens a connection, starts a request and never finishes it.
idle=$(python3 - "$W_PORT" "$T/ca.crt" <<'PY'
import socket, ssl, sys, time
ctx = ssl.create_default_context(cafile=sys.argv[2])
s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", int(sys.argv[1]))), server_hostname="127.0.0.1")
s.sendall(b"POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
t = time.time()
s.settimeout(30)
try:
    while s.recv(4096):
        pass
except Exception:
    pass
print("closed after %.0f s" % (time.time() - t))
PY
)
like "$idle" '^closed after [1-5] s$' "an idle, unfinished request is cut by --request-timeout 2 ($idle)"

# Slowloris: a header line every half second resets an idle timeout for
# ever; the request must arrive whole within --request-timeout of its start.
slow=$(python3 - "$W_PORT" "$T/ca.crt" <<'PY'
import socket, ssl, sys, time
ctx = ssl.create_default_context(cafile=sys.argv[2])
s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", int(sys.argv[1]))), server_hostname="127.0.0.1")
s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
t = time.time()
try:
    while time.time() - t < 12:
        time.sleep(0.5)
        s.sendall(b"X-Slow: 1\r\n")
    print("still open after 12 s")
except Exception:
    print("closed after %.0f s" % (time.time() - t))
PY
)
like "$slow" '^closed after [1-5] s$' "a request trickled a header at a time is cut at --request-timeout 2 ($slow)"
# Kept alive, requests 1.5 s apart (4.5 s in all) are each on time.
keep=$(python3 - "$W_PORT" "$T/ca.crt" <<'PY'
import http.client, ssl, sys, time
ctx = ssl.create_default_context(cafile=sys.argv[2])
c = http.client.HTTPSConnection("127.0.0.1", int(sys.argv[1]), context=ctx)
out = []
for i in range(4):
    c.request("GET", "/healthz")
    r = c.getresponse()
    out.append("%d" % r.status)
    r.read()
    time.sleep(1.5)
print(" ".join(out))
PY
)
is "$keep" "200 200 200 200" "a kept-alive connection's requests each get their own --request-timeout"

# SIGHUP: the new certificate is served, verified by what curl sees.
cn() { curl -sS -v --cacert "$T/ca.crt" -o /dev/null "$URL/healthz" 2>&1 | sed -n 's/^\*  subject: //p'; }
like "$(cn)" 'CN ?= ?localhost$' "before SIGHUP: the first certificate"
cp "$T/srv2.crt" "$T/tls.crt"
cp "$T/srv2.key" "$T/tls.key"
kill -HUP "$W_PID"
for _ in $(seq 50); do grep -q 'certificate reloaded' "$T/W.log" && break; sleep 0.1; done
like "$(cn)" 'CN ?= ?localhost-renewed$' "after SIGHUP: the new certificate"
printf 'not a key\n' >"$T/tls.key"
kill -HUP "$W_PID"
for _ in $(seq 50); do grep -q 'keeping the old one' "$T/W.log" && break; sleep 0.1; done
like "$(cn)" 'CN ?= ?localhost-renewed$' "a broken key on SIGHUP: the running certificate stays"
like "$(cat "$T/W.log")" 'tls.key: no PEM private key read' "…the log says why"
is "$(post "$D/review-root-netbind.json" | tail -n1)" 200 "…and the webhook still answers"
# Sixth pass: a fifo in the certificate's place blocked the SIGHUP reload in
# open() for ever, and with it the loop that takes SIGTERM.
mv "$T/tls.crt" "$T/tls.crt.real" && mkfifo "$T/tls.crt"
kill -HUP "$W_PID"
for _ in $(seq 50); do grep -q 'tls.crt: not a regular file' "$T/W.log" && break; sleep 0.1; done
like "$(cat "$T/W.log")" 'tls.crt: not a regular file' "a fifo as the certificate on SIGHUP: refused"
like "$(cn)" 'CN ?= ?localhost-renewed$' "…the running certificate stays"
rm -f "$T/tls.crt" && mv "$T/tls.crt.real" "$T/tls.crt"
kill -TERM "$W_PID"
for _ in $(seq 50); do kill -0 "$W_PID" 2>/dev/null || break; sleep 0.1; done
kill -0 "$W_PID" 2>/dev/null && { kill -KILL "$W_PID"; ok 1 "SIGTERM after that: still running after 5 s"; } ||
  ok 0 "SIGTERM after that: stops"
wait "$W_PID"
is "$?" 0 "SIGTERM: exit status 0"

# Seventh pass: a SIGHUP storm while slow clients hold every old server.
# The table of retired servers (64) reused its first slot when full: the
# server there was never stopped, its threads ran for ever and SIGTERM did
# not wait for it. 70 reloads, each with a request left unfinished on the
# server it retires; once the clients go, the thread count is back to its start.
serve_start H --tls-cert "$T/srv.crt" --tls-key "$T/srv.key" --no-inventory --threads 1 \
  --request-timeout 60
storm=$(python3 - "$H_PORT" "$T/ca.crt" "$H_PID" "$T/H.log" <<'PY'
import os, socket, ssl, sys, time
port, ca, pid, log = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
ctx = ssl.create_default_context(cafile=ca)
def reloads(): return open(log).read().count("certificate reloaded")
def threads(): return len(os.listdir("/proc/%d/task" % pid))
start, held = threads(), []
for i in range(70):
    s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port)), server_hostname="127.0.0.1")
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
    held.append(s)
    k = reloads()
    os.kill(pid, 1)
    for _ in range(250):
        if reloads() > k: break
        time.sleep(0.02)
for s in held: s.close()
for _ in range(50):
    if threads() <= start: break
    time.sleep(0.1)
n = threads()
print("%d reloads, threads %s" % (reloads(), "back to %d" % n if n <= start else "%d then %d" % (start, n)))
PY
)
like "$storm" '^70 reloads, threads back to [0-9]+$' "70 SIGHUPs with slow clients: no retired server left running ($storm)"
is "$(curl -sS --cacert "$T/ca.crt" "https://127.0.0.1:$H_PORT/healthz")" ok "…and the newest serves"
serve_stop H
is "$?" 0 "…SIGTERM: exit status 0"

# enforce: denied, status.message carrying the same reasons.
serve_start E --webhook enforce --no-inventory
E_URL=http://127.0.0.1:$E_PORT
r=$(curl -sS -H "$JSON" --data-binary @"$D/review-nonroot-netbind.json" "$E_URL/validate")
is "$(jq -c '[.response.allowed, .response.status.code]' <<<"$r")" "[false,403]" "enforce: denied with 403"
is "$(jq -r .response.status.message <<<"$r")" \
  "capscope: container web: NET_BIND_SERVICE will not be effective (non-root uid 1000, no ambient set); see capscope explain pod" \
  "…status.message carries the reason"
r=$(curl -sS -H "$JSON" --data-binary @"$D/review-root-netbind.json" "$E_URL/validate")
is "$(jq -r .response.allowed <<<"$r")" true "enforce: a pod whose capabilities work is allowed"
curl -sS "$E_URL/metrics" >"$T/m.txt"
like "$(grep 'capscope_admission_reviews_total{outcome="denied",dry_run="false"}' "$T/m.txt")" ' 1$' \
  "the denial is counted in /metrics"
# Request smuggling (issue 13, third pass): two Content-Length headers, or
# one with Transfer-Encoding. libmicrohttpd read the body by the first and
# answered the bytes after it as a second request; now 400 and the end.
# A Transfer-Encoding other than chunked alone (fourth pass): libmicrohttpd
# waited for ever, reading what followed as the body; 400 and the end too.
# Whitespace before the colon (fifth pass): libmicrohttpd took
# "Content-Length : 40" as another field and answered the body as a request.
# Seventh pass: an obs-fold after Content-Length was glued to the field's
# name (no body read, the body answered as a request), a bare CR in a value
# (where a proxy may end the line) was kept, a name that is not a token taken.
smuggle() { # raw request → what came back
  python3 - "$E_PORT" "$1" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.settimeout(5)
s.sendall(sys.argv[2].replace("|", "\r\n").replace("<NUL>", "\0").encode())
out = b""
while True:
    try:
        c = s.recv(65536)
    except socket.timeout:
        out += b"<timeout>"
        break
    if not c:
        break
    out += c
print(out.decode(errors="replace"))
PY
}
NEXT='GET /healthz HTTP/1.1|Host: x||'
for h in 'Content-Length: 2|Content-Length: 40' 'Transfer-Encoding: chunked|Content-Length: 3' \
  'Content-Length: 2|Content-Length: 2' 'Transfer-Encoding: identity' \
  'Transfer-Encoding: chunked, identity' 'Transfer-Encoding: gzip, chunked' \
  'Content-Length : 40' $'Content-Length\t: 40' 'Transfer-Encoding : chunked' \
  'Content-Length: 2| 0' $'X: a\rContent-Length: 40' 'Content-Length: 2|X{y: 1'; do
  r=$(smuggle "POST /validate HTTP/1.1|Host: x|$h||{}0||$NEXT")
  h=${h//$'\r'/<CR>}
  like "$(head -n1 <<<"$r")" '^HTTP/1.1 400' "$h: 400"
  like "$r" 'ambiguous body length' "$h: says why"
  is "$(grep -c '^HTTP/1.1' <<<"$r")" 1 "$h: nothing after it is answered as a request"
done
# Seventh pass: libmicrohttpd 0.9.75 ends a chunk line at a bare LF (Go
# refuses it since CVE-2025-22871; a proxy that reads it as part of a chunk
# extension frames the body otherwise), so a chunked body is not read at
# all: 411, and nothing after it is answered.
for b in $'2\n{}\n0\n\n' $'2;\nxx|45|0||' '2|{}|0||' '0||'; do
  r=$(smuggle "POST /validate HTTP/1.1|Host: x|Transfer-Encoding: chunked||$b$NEXT")
  like "$(head -n1 <<<"$r")" '^HTTP/1.1 411' "chunked body $(printf %q "$b"): 411"
  is "$(grep -c '^HTTP/1.1' <<<"$r")" 1 "…nothing after it is answered as a request"
done
like "$r" 'send Content-Length' "…saying what to send instead"
# Twelfth pass: a Content-Length past 16 times --max-body (the most that is
# read and dropped before a 413 closes the connection) got no answer at all:
# the body was waited for until --request-timeout closed the connection
# without a word. Such a body is never read: 413 at once, and the end.
for cl in 18446744073709551615 99999999999; do
  r=$(smuggle "POST /validate HTTP/1.1|Host: x|Content-Type: application/json|Content-Length: $cl||{\"a\":$NEXT")
  like "$(head -n1 <<<"$r")" '^HTTP/1.1 413' "Content-Length: $cl: 413 before the body"
  is "$(grep -c '^HTTP/1.1' <<<"$r")" 1 "…and nothing after it is answered"
done
# Thirteenth pass (the twelfth's open find): a review was read whatever its
# Content-Type, none at all included (curl's form encoding); Go's webhooks
# answer anything but application/json with an error. 415 before the body.
for h in '' 'Content-Type: text/plain|' 'Content-Type: application/x-www-form-urlencoded|' \
  'Content-Type: application/json; charset=utf-16|' 'Content-Type: application/jsonx|' \
  'Content-Type: application/json; boundary=x|' 'Content-Type: application/json|Content-Type: text/plain|'; do
  r=$(smuggle "POST /validate HTTP/1.1|Host: x|${h}Content-Length: 2||{}$NEXT")
  like "$(head -n1 <<<"$r")" '^HTTP/1.1 415' "${h:-no Content-Type}: 415"
  like "$r" 'sent as Content-Type: application/json' "${h:-no Content-Type}: says what to send"
done
for h in 'Content-Type: APPLICATION/JSON' 'Content-Type: application/json;charset="UTF-8"' \
  $'Content-Type: application/json \t; charset=utf-8'; do
  r=$(smuggle "POST /validate HTTP/1.1|Host: x|$h|Connection: close|Content-Length: 2||{}")
  like "$(head -n1 <<<"$r")" '^HTTP/1.1 400' "$h: read as a review (an empty object: 400)"
done
# Fourteenth pass (the thirteenth's open find): reviews refused before they
# were read were counted nowhere; capscope_admission_refused_total{reason}.
# On this server so far: 12 ambiguous framings and 4 chunked bodies, 2
# lengths past 16 x --max-body, 7 Content-Types.
curl -sS "$E_URL/metrics" >"$T/m.txt"
is "$(grep '^capscope_admission_refused_total' "$T/m.txt" | paste -sd' ')" \
  'capscope_admission_refused_total{reason="framing"} 16 capscope_admission_refused_total{reason="content_type"} 7 capscope_admission_refused_total{reason="too_large"} 2 capscope_admission_refused_total{reason="busy"} 0' \
  "reviews refused before they were read are counted, by reason"
if command -v promtool >/dev/null; then
  is "$(promtool check metrics <"$T/m.txt" 2>&1)" "" "…and promtool check metrics is silent"
fi
# Fourteenth pass (open since the ninth): a raw NUL in the request line was
# answered as the path or method before it ("GET /healthz<NUL>.png" as
# /healthz), where a proxy in front checked another: 400 and the end.
for l in 'GET /healthz<NUL>.png HTTP/1.1' 'GET<NUL>x /healthz HTTP/1.1' 'GET /metrics<NUL> HTTP/1.1' \
  'GET<NUL> /healthz HTTP/1.1' 'POST /validate<NUL>x HTTP/1.1'; do
  r=$(smuggle "$l|Host: x|Content-Type: application/json|Content-Length: 2||{}$NEXT")
  like "$(head -n1 <<<"$r")" '^HTTP/1.1 400' "${l//<NUL>/\\0}: 400"
  like "$r" 'a NUL byte in the request line' "…saying why"
  is "$(grep -c '^HTTP/1.1' <<<"$r")" 1 "…and nothing after it is answered"
done
r=$(smuggle "GET   /healthz HTTP/1.1|Host: x|Connection: close||")
like "$(head -n1 <<<"$r")" '^HTTP/1.1 200' "spaces between method and target (no NUL): answered"
r=$(smuggle "POST /validate HTTP/1.1|Host: x|Content-Length : 30||$NEXT")
is "$(grep -c '^HTTP/1.1' <<<"$r")" 1 "a body framed by 'Content-Length : 30' is not answered as a request"
r=$(smuggle "GET /healthz HTTP/1.1|Host: x|Content-Length: 0||$NEXT")
is "$(grep -c '^HTTP/1.1 200' <<<"$r")" 2 "one Content-Length: keep-alive still serves the next request"
# Eighth pass: two Host fields, none in HTTP/1.1 and a Host value no host
# holds were answered (RFC 9112 3.2 and Go's server: 400); a proxy that
# routes by one Host and a backend that reads another are told apart so.
for h in 'Host: a|Host: b' 'Host: a b' 'Host: a/b' 'Host: a@b'; do
  r=$(smuggle "GET /healthz HTTP/1.1|$h||$NEXT")
  like "$(head -n1 <<<"$r")" '^HTTP/1.1 400' "$h: 400"
  like "$r" 'one Host field is required' "$h: says why"
  is "$(grep -c '^HTTP/1.1' <<<"$r")" 1 "$h: nothing after it is answered"
done
r=$(smuggle "GET /healthz HTTP/1.1||$NEXT")
like "$(head -n1 <<<"$r")" '^HTTP/1.1 400' "HTTP/1.1 without Host: 400"
for h in 'Host: [::1]:8443' 'Host: 127.0.0.1:1' 'Host: web.example' 'Host:'; do
  r=$(smuggle "GET /healthz HTTP/1.1|$h|Connection: close||")
  like "$(head -n1 <<<"$r")" '^HTTP/1.1 200' "$h: answered"
done
r=$(smuggle "GET /healthz HTTP/1.0||")
like "$(head -n1 <<<"$r")" '^HTTP/1.1 200' "HTTP/1.0 without Host: answered"
# %00 ended the path where libmicrohttpd decoded it: /metrics%00.png was
# /metrics to capscope and another path to a proxy rule in front.
code() { curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$E_PORT$1"; }
# The lingering close is bounded: a client that sends for ever after its
# 411 is cut within about 2 s, and no descriptor is left behind.
fds() { find "/proc/$E_PID/fd" -mindepth 1 -maxdepth 1 | wc -l; }
before=$(fds)
r=$(python3 - "$E_PORT" <<'PY'
import socket, sys, threading, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"POST /validate HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
start, ended = time.monotonic(), []
def send():
    try:
        while time.monotonic() - start < 8:
            s.sendall(b"4000\r\n" + b"x" * 0x4000 + b"\r\n")
    except OSError:
        ended.append(time.monotonic() - start)
t = threading.Thread(target=send, daemon=True)
t.start()
s.settimeout(10)
out = b""
try:
    while (c := s.recv(65536)):
        out += c
except OSError:
    pass
t.join(10)
print(out.split(b"\r\n")[0].decode(), "cut" if ended and ended[0] < 6 else "not cut", sep="|")
PY
)
is "$r" "HTTP/1.1 411 Length Required|cut" "a client sending for ever after its 411: answered, then cut (the linger is bounded)"
sleep 2.5
is "$(fds)" "$before" "…and the lingering socket is closed (no descriptor left)"
is "$(code '/healthz%00x') $(code '/healthz%00') $(code '/validate%00')" "404 404 404" \
  "a path with %00 matches no route"
is "$(code '/%68ealthz') $(code '/healthz?a=%00')" "200 200" "other escapes still decode; a query is not the path"
# Eleventh pass: a query of a few hundred arguments ran libmicrohttpd
# 0.9.75's connection pool out, and its 431 was lost: no answer, the
# connection held until the request timeout. No route reads a query.
q=$(seq -f 'a%g=b' 0 2999 | paste -sd'&')
is "$(curl -s -m 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$E_PORT/healthz?$q")" 200 \
  "a query of 3,000 arguments: answered at once"
r=$(curl -sS -m 5 -H "$JSON" --data-binary @"$D/review-nonroot-netbind.json" "http://127.0.0.1:$E_PORT/validate?timeout=10s&$q")
is "$(jq -r '.kind + " " + (.response.allowed | tostring)' <<<"$r")" "AdmissionReview false" "a review posted with the API server's ?timeout= and 3,000 more arguments: answered"
serve_stop E

# the model options of explain pod: OpenShift's SCC admission
serve_start O --openshift --no-inventory --quiet
O_URL=http://127.0.0.1:$O_PORT
r=$(curl -sS -H "$JSON" --data-binary @"$D/review-nonroot-netbind.json" "$O_URL/validate")
"$CAPSCOPE" explain pod --openshift --json "$CAPSCOPE_TOP/examples/pod/nonroot-netbind.yaml" 2>/dev/null |
  jq -r '.containers[0].verdicts[0].why' >"$T/why.txt"
is "$(jq -r '.response.warnings[0]' <<<"$r")" \
  "container web: NET_BIND_SERVICE will not be effective (the pod is not admitted); see capscope explain pod" \
  "--openshift: runAsUser 1000 outside the namespace's range, restricted-v2 refuses the pod"
is "$(cat "$T/why.txt")" "not effective: the pod is not admitted" "…as explain pod --openshift says"
r=$(jq 'del(.request.object.spec.securityContext.runAsUser)' "$D/review-nonroot-netbind.json" |
  curl -sS -H "$JSON" --data-binary @- "$O_URL/validate")
is "$(jq -r '.response.warnings[0]' <<<"$r")" \
  "container web: NET_BIND_SERVICE will not be effective (non-root uid 1000660000, no ambient set)" \
  "--openshift without runAsUser: the range's first uid (the line is too long for the tail)"
serve_stop O

"$CAPSCOPE" serve --listen 127.0.0.1:0 --webhook maybe >/dev/null 2>"$T/u.err"
is "$?" 2 "a bad --webhook: usage error, exit 2"
"$CAPSCOPE" serve --tls-cert "$T/srv.crt" >/dev/null 2>&1
is "$?" 2 "--tls-cert without --tls-key: exit 2"
# Sixth pass: a fifo as the certificate or key waited at start for ever, with
# no word; a key with a passphrase was "a matching PEM pair?".
mkfifo "$T/fifo"
for a in "--tls-cert $T/fifo --tls-key $T/srv.key" "--tls-cert $T/srv.crt --tls-key $T/fifo"; do
  timeout 5 "$CAPSCOPE" serve --listen 127.0.0.1:0 --no-inventory $a >/dev/null 2>"$T/f.err"
  is "$?" 2 "serve ${a%% *} a fifo: exit 2 at once"
  like "$(head -n1 "$T/f.err")" "fifo: not a regular file" "…saying it is not a regular file"
done
certtool --load-privkey "$T/srv.key" --to-p8 --password x --outfile "$T/enc.key" >/dev/null 2>&1
timeout 5 "$CAPSCOPE" serve --listen 127.0.0.1:0 --no-inventory --tls-cert "$T/srv.crt" \
  --tls-key "$T/enc.key" >/dev/null 2>"$T/f.err"
is "$?" 2 "a key with a passphrase: exit 2"
like "$(head -n1 "$T/f.err")" "enc.key: the key is encrypted \(it has a passphrase\)" "…said so"
# Thirteenth pass (the twelfth's open find): a pair libmicrohttpd refuses was
# "does the server start (are the certificate and key a matching PEM
# pair?)", a question; GnuTLS, asked first on the same bytes, says which.
printf 'not a certificate\n' >"$T/bad.pem"
for c in "$T/srv.crt $T/srv2.key|--tls-key $T/srv2.key is not the private key of --tls-cert $T/srv.crt" \
  "$T/bad.pem $T/srv.key|--tls-cert $T/bad.pem: no PEM certificate read" \
  "$T/srv.key $T/srv.key|--tls-cert $T/srv.key: no PEM certificate read" \
  "$T/srv.crt $T/bad.pem|--tls-key $T/bad.pem: no PEM private key read" \
  "$T/srv.crt $T/srv.crt|--tls-key $T/srv.crt: no PEM private key read"; do
  set -- ${c%%|*}
  timeout 5 "$CAPSCOPE" serve --listen 127.0.0.1:0 --no-inventory --tls-cert "$1" \
    --tls-key "$2" >/dev/null 2>"$T/f.err"
  is "$?:$(wc -l <"$T/f.err")" "2:1" "--tls-cert ${1##*/} --tls-key ${2##*/}: exit 2, one line"
  like "$(cat "$T/f.err")" "^capscope serve: ${c#*|}" "…naming the file and the cause"
done
# Thirteenth pass, second round: the passphrase's markers were looked for
# before GnuTLS was asked, so a key that loads (after a note holding the
# words) was refused as encrypted; and a certificate that does not read
# beside an encrypted key was blamed on the key.
{ printf 'Proc-Type: 4,ENCRYPTED (an old note)\n'; cat "$T/srv.key"; } >"$T/note.key"
timeout 3 "$CAPSCOPE" serve --listen 127.0.0.1:0 --no-inventory --tls-cert "$T/srv.crt" \
  --tls-key "$T/note.key" >/dev/null 2>"$T/f.err"
is "$?" 124 "a key that loads, after a note naming a passphrase: served"
timeout 5 "$CAPSCOPE" serve --listen 127.0.0.1:0 --no-inventory --tls-cert "$T/bad.pem" \
  --tls-key "$T/enc.key" >/dev/null 2>"$T/f.err"
like "$(cat "$T/f.err")" "^capscope serve: --tls-cert $T/bad.pem: no PEM certificate read" \
  "a bad certificate beside an encrypted key: the certificate named"
{ cat "$T/srv.crt"; printf -- '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'; } \
  >"$T/chain.crt"
timeout 5 "$CAPSCOPE" serve --listen 127.0.0.1:0 --no-inventory --tls-cert "$T/chain.crt" \
  --tls-key "$T/srv.key" >/dev/null 2>"$T/f.err"
like "$(cat "$T/f.err")" "chain.crt: the first certificate reads, a later one of the chain does not" \
  "a chain whose second certificate does not read: said so"
done_testing

#!/usr/bin/env bash
# capscope serve is valgrind-clean (session 27: cli/valgrind.sh ran every
# command but the daemon and the tracer): the webhook over TLS and in
# enforce mode, the node agent's pages over a CRI-O bundle whose pod name is
# hostile, refusals (bad JSON, a body over the limit, a wrong method, an
# unknown path), a certificate read again on SIGHUP, and SIGTERM's end.
# Each agent runs under valgrind; its exit status is valgrind's (99 on any
# finding), read when it is stopped by PID.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/serve-lib.sh"
for t in valgrind curl certtool jq; do
  command -v $t >/dev/null || skip_all "$t is not installed (scripts/install-deps.sh)"
done
tap_tmpdir
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$T"' EXIT
readelf -l "$CAPSCOPE_DYN" | grep -q 'Requesting program interpreter'
ok $? "the program under valgrind is dynamically linked ($(basename "$CAPSCOPE_DYN"))"
D=$CAPSCOPE_TOP/tests/data/serve
make_ca "$T" && make_cert "$T" srv localhost && make_cert "$T" srv2 localhost-renewed
ok $? "certtool made a CA and two server certificates"
cp "$T/srv.crt" "$T/tls.crt" && cp "$T/srv.key" "$T/tls.key"

# One CRI-O container: a live process behind its pid file, a pod name with
# ESC and a newline.
ID=abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789
U=$T/ud/$ID/userdata
mkdir -p "$U"
jq -n '{ociVersion: "1.0.2", root: {path: "rootfs"},
  process: {user: {uid: 1000, gid: 1000}, args: ["/bin/sleep", "600"], cwd: "/",
    capabilities: {bounding: ["CAP_CHOWN"], effective: ["CAP_CHOWN"], permitted: ["CAP_CHOWN"]}},
  annotations: {"io.kubernetes.pod.namespace": "ns", "io.kubernetes.pod.name": "p\u001b[31m\nx",
    "io.kubernetes.container.name": "c", "io.kubernetes.cri-o.ContainerType": "container"}}' >"$U/config.json"
sleep 600 &
S=$!
sleep 1.2 # the pid file must be younger than its process (the pid-reuse check)
echo "$S" >"$U/pidfile"

# vg_serve NAME ARGS…: serve_start under valgrind, which starts TLS and the
# first scan in seconds: up to 60 s for its port.
valgrind_wrapper "$T/vgcapscope"
vg_serve() { SERVE_BIN=$T/vgcapscope SERVE_WAIT=600 serve_start "$@"; }
vg_stop() { # NAME LABEL: SIGTERM, and valgrind's verdict
  local pid_var="${1}_PID" rc
  kill -TERM "${!pid_var}"
  wait "${!pid_var}"
  rc=$?
  [ $rc -ne 99 ] || grep '^==' "$T/$1.log" | sed 's/^/# /' | head -n 40
  is "$rc" 0 "$2: valgrind found nothing, and SIGTERM ended it with 0"
}

vg_serve W --tls-cert "$T/tls.crt" --tls-key "$T/tls.key" --bundle-root "userdata:$T/ud" \
  --max-body 65536 --request-timeout 5
ok $? "serve under valgrind: webhook (warn) and node agent over TLS (port ${W_PORT:-none})"
URL=https://127.0.0.1:$W_PORT
c() { curl -sS --max-time 120 --cacert "$T/ca.crt" "$@"; }
codes=""
for f in "$D"/review-*.json; do
  codes+="$(c -H 'Content-Type: application/json' --data-binary @"$f" -o "$T/r.json" -w '%{http_code}' "$URL/validate") "
done
is "$codes" "200 200 200 200 " "the four AdmissionReview fixtures: 200"
is "$(c -H 'Content-Type: application/json' -d '{bad' -o /dev/null -w '%{http_code}' "$URL/validate")" 400 "malformed JSON: 400"
head -c 100000 /dev/zero | tr '\0' ' ' >"$T/big"
is "$(c -H 'Content-Type: application/json' --data-binary @"$T/big" -o /dev/null -w '%{http_code}' "$URL/validate")" 413 \
  "a body over --max-body: 413"
is "$(c -o /dev/null -w '%{http_code}' "$URL/validate")" 405 "GET /validate: 405"
is "$(c -o /dev/null -w '%{http_code}' "$URL/nowhere")" 404 "an unknown path: 404"
is "$(c "$URL/healthz") $(c "$URL/readyz")" "ok ok" "/healthz and /readyz"
c "$URL/metrics" >"$T/metrics.txt"
is "$(grep '^capscope_container_info' "$T/metrics.txt" | grep -cF 'pod="p\\x1b[31m\\nx"')" 1 \
  "/metrics: the hostile pod's series, its name escaped"
c "$URL/api/v1/containers" >"$T/containers.json"
is "$(jq -r --arg id "$ID" '.containers[] | select(.id == $id) | .pid' "$T/containers.json")" "$S" \
  "/api/v1/containers: the container with its process"
is "$(c -I -o /dev/null -w '%{http_code}' "$URL/metrics")" 200 "HEAD /metrics"
cp "$T/srv2.crt" "$T/tls.crt" && cp "$T/srv2.key" "$T/tls.key"
kill -HUP "$W_PID"
for _ in $(seq 300); do grep -q 'certificate reloaded' "$T/W.log" && break; sleep 0.1; done
subj=$(curl -sS -v --max-time 120 --cacert "$T/ca.crt" -o /dev/null "$URL/healthz" 2>&1 | sed -n 's/^\*  subject: //p')
like "$subj" 'CN ?= ?localhost-renewed$' "SIGHUP: the renewed certificate is served"
vg_stop W "webhook and node agent"

vg_serve E --webhook enforce --no-inventory --openshift
ok $? "serve under valgrind: an enforcing webhook over plain HTTP, OpenShift's SCCs"
c -H 'Content-Type: application/json' --data-binary @"$D/review-nonroot-netbind.json" \
  "http://127.0.0.1:$E_PORT/validate" >"$T/deny.json"
is "$(jq -r .response.allowed "$T/deny.json")" false "enforce: the non-root NET_BIND_SERVICE pod is denied"
vg_stop E "enforcing webhook"
kill "$S"
done_testing

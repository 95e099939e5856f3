#!/usr/bin/env bash
# The enforcing webhook with memory short for a moment (twenty-sixth pass,
# part C): each allocation from the agent's start to the end of one review
# failing alone (tests/lib/failalloc.c, CS_FAILALLOC_SPAN=1). A pod the
# webhook denies (a sysctl the kubelet forbids, with --allowed-unsafe-sysctls
# not naming it) must be denied as when nothing fails, or the request
# answered 500/503 or closed: never allowed. Before, an allocation failing
# while the object was read gave 200, "allowed": true and the warning
# "capscope could not read the Pod: request.object: out of memory" (8 of
# 65): the object's parse error, which enforce lets through, where the
# memory was the server's.
source "$(dirname "$0")/../lib/tap.sh"
for t in curl python3 cc; do
  command -v $t >/dev/null || skip_all "$t is not installed (scripts/install-deps.sh)"
done
tap_tmpdir
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$T"' EXIT
source "$CAPSCOPE_TOP/tests/lib/failalloc.sh"
failalloc_build

python3 - >"$T/review.json" <<'PY'
import json
sysctls = [{"name": "net.core.somaxconn", "value": "1024"},
           {"name": "net.ipv4.ip_unprivileged_port_start", "value": "80"}]
print(json.dumps({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
  "request": {"uid": "u1", "kind": {"group": "", "version": "v1", "kind": "Pod"},
    "resource": {"group": "", "version": "v1", "resource": "pods"}, "operation": "CREATE",
    "namespace": "default", "object": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
      "spec": {"securityContext": {"sysctls": sysctls},
        "containers": [{"name": "c", "image": "i", "securityContext": {"runAsUser": 1000,
          "capabilities": {"add": ["NET_BIND_SERVICE"]}}}]}}}}))
PY

# fa_start AFTER SPAN: the agent under the injector → FA_PID, FA_PORT ("" when it did not listen)
fa_start() { failalloc_serve "$1" "$2" --no-inventory --webhook enforce --allowed-unsafe-sysctls 'kernel.msg*'; }
ask() {
  curl -s -m 20 -o "$1" -w '%{http_code}' -H 'Content-Type: application/json' \
    --data-binary @"$T/review.json" "http://127.0.0.1:$FA_PORT/validate"
}

fa_start "" ""
[ -n "$FA_PORT" ] || skip_all "the agent does not start here: $(head -c 300 "$T/fa.log")"
kill -TERM "$FA_PID"; wait "$FA_PID"
c0=$(cat "$T/count")
fa_start "" ""
code=$(ask "$T/good")
kill -TERM "$FA_PID"; wait "$FA_PID"
c1=$(cat "$T/count")
is "$code" 200 "answered without failures"
like "$(cat "$T/good")" '"allowed":false.*SysctlForbidden' "... denied: the kubelet forbids net.core.somaxconn"

whole=0 failed=0 early=0 bad=0 first=
for ((n = c0 - 30; n < c1; n++)); do
  fa_start "$n" 1
  if [ -z "$FA_PORT" ]; then
    kill -0 "$FA_PID" 2>/dev/null && kill -KILL "$FA_PID"
    wait "$FA_PID"
    early=$((early + 1)) # at start: serve-enomem's sweep says how
    continue
  fi
  code=$(ask "$T/out")
  kill -TERM "$FA_PID"; wait "$FA_PID"
  if [ "$code" = 200 ] && cmp -s "$T/out" "$T/good"; then
    whole=$((whole + 1))
  elif [ "$code" = 500 ] || [ "$code" = 503 ] || [ "$code" = 000 ]; then
    failed=$((failed + 1))
  else
    bad=$((bad + 1))
    [ -n "$first" ] || first="allocation $((n + 1)): $code $(head -c 200 "$T/out")"
  fi
done
is "$bad" 0 "allocations $((c0 - 30))..$c1 each failing alone: denied whole, or 500/503/closed, never allowed (${first:-every run}; $whole whole, $failed refused, $early at start)"
done_testing

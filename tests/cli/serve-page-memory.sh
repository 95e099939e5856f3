#!/usr/bin/env bash
# The node agent's memory for a page larger than itself (issue #13, class 6;
# twenty-second pass, part F). /metrics is some 18 KB a container (122
# samples of a process holding 41 capabilities in three sets, each with the
# container's labels), and the page was held whole while it was sent: 4,000
# bundles took the agent to 89.6 MB, over its DaemonSet's 64 MiB. The page
# is now kept deflated a block at a time (daemon/serve-zpage.c) and inflated
# as it is sent. The peak is read from /proc (VmHWM), not timed; the bytes
# sent are checked whole (the same twice, every container's samples).
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/serve-lib.sh"
for t in python3 curl jq; do
  command -v $t >/dev/null || skip_all "$t is not installed (scripts/install-deps.sh)"
done
grep -q __asan_init "$CAPSCOPE" 2>/dev/null && skip_all "an ASan build: RSS is the sanitizer's"
[ "$(id -u)" -eq 0 ] || skip_all "not root: the page's size is of a process holding capabilities"
tap_tmpdir
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$T"' EXIT

N=1200
# One process for every bundle (its capabilities are the test's own: a
# root test holds 41 in three sets), its pid file written after it started.
sleep 600 &
S=$!
sleep 1.2
python3 - "$T/task/k8s.io" "$N" "$S" "$CAPSCOPE_TOP/examples/oci/article-no-ambient/config.json" <<'PY'
import json, os, sys
root, n, pid, base = sys.argv[1], int(sys.argv[2]), sys.argv[3], json.load(open(sys.argv[4]))
for i in range(1, n + 1):
    d = os.path.join(root, "%064x" % i)
    os.makedirs(d)
    base["annotations"] = {"io.kubernetes.cri.sandbox-namespace": "ns-%d" % (i % 20),
                           "io.kubernetes.cri.sandbox-name": "pod-%d" % i,
                           "io.kubernetes.cri.container-name": "ctr-%d" % i,
                           "io.kubernetes.cri.container-type": "container"}
    json.dump(base, open(os.path.join(d, "config.json"), "w"))
    open(os.path.join(d, "init.pid"), "w").write(pid)
PY
serve_start A --webhook off --bundle-root "task:$T/task"
ok $? "the agent starts (port ${A_PORT:-none})"
hwm() { sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB$/\1/p' "/proc/$A_PID/status"; }
get() { # PATH FILE → "status bytes Content-Length"
  curl -s -D "$2.h" -o "$2" -w '%{http_code} %{size_download}' "http://127.0.0.1:$A_PORT$1"
  printf ' %s\n' "$(tr -d '\r' <"$2.h" | sed -n 's/^[Cc]ontent-[Ll]ength: //p')"
}
read -r code bytes clen < <(get /metrics "$T/m1")
is "$code" 200 "/metrics: 200"
is "$bytes" "$clen" "…whole: its Content-Length's bytes ($clen)"
is "$(sed -n 's/^capscope_containers //p' "$T/m1")" "$N" "…$N containers"
caps=$(grep -c "^capscope_container_capability{" "$T/m1")
is "$((caps % N))" 0 "…each with as many capability samples ($caps)"
is "$(grep -c '^capscope_container_capability{namespace="ns-0",pod="pod-1200",' "$T/m1")" "$((caps / N))" \
  "…the last bundle's among them"
# a page of some 20 MB: held whole it was more than the agent's peak
is "$((bytes > 15000000))" 1 "…a page of $bytes bytes"
page=$bytes
read -r code2 bytes2 _ < <(get /metrics "$T/m2")
is "$code2 $(grep -v '^capscope_inventory_scan_duration_seconds ' "$T/m1" | cmp - <(grep -v '^capscope_inventory_scan_duration_seconds ' "$T/m2") && echo same)" \
  "200 same" "…the same bytes again (but the scan's duration)"
read -r code bytes clen < <(get /api/v1/containers "$T/j")
is "$code $bytes" "200 $clen" "/api/v1/containers: 200, whole ($bytes bytes)"
is "$(jq '.containers | length' "$T/j")" "$N" "…$N containers"
peak=$(hwm)
# Held whole, the page alone was more than the agent's peak is now: 21 MB
# of /metrics, the agent at 31 MB (VmHWM); deflated, the agent at 14.
is "$((${peak:-999999} * 1024 < page))" 1 \
  "…the agent's peak under one /metrics page (VmHWM ${peak} kB; the page $page bytes)"
# HEAD: the length, no body
is "$(curl -s -I -o /dev/null -w '%{http_code}' "http://127.0.0.1:$A_PORT/metrics")" 200 "HEAD /metrics: 200"
serve_stop A
is $? 0 "the agent stops on SIGTERM"
done_testing

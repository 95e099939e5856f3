#!/usr/bin/env bash
# capscope serve: the admission webhook's latency at a fixed rate, one
# /metrics scrape over 500 containers, resident memory and idle CPU, beside
# their anchors (Falco's Helm chart requests 512 MiB for its DaemonSet;
# Inspektor Gadget proposes 30-50 MiB). What is measured:
#  - webhook: wrk, 10 connections each pacing itself to one request every
#    20 ms (at most 500 requests/s; the rate reached is printed), posting
#    the 3-container Deployment of tests/data/serve; the server pinned to
#    one core with one thread; and its CPU time per review, which the
#    machine's other load does not skew as it skews latency;
#  - scrape: 500 bundles generated in containerd's task layout (a CRI
#    config.json with pod annotations each, init.pid naming one of 500 real
#    sleep processes holding the 14 default capabilities), read with the
#    real /proc; the first scrape reads and
#    predicts every bundle, later ones only stat them and read /proc;
#  - memory: VmRSS after the scrapes and the webhook load; idle CPU: the
#    server's utime+stime over 10 s without requests;
#  - with --trace: the same agent with the tracer attached (as root): a warm
#    scrape (drain, join, the trace families), resident memory, idle CPU.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
build=${1:-build}
cs=$(cd "$build" && pwd)/capscope
for t in wrk curl taskset; do
  command -v $t >/dev/null || { echo "bench-serve: $t is not installed (make deps)"; exit 0; }
done
tmp=$(mktemp -d)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

start() { # LOG ARGS… → $port, $spid
  taskset -c 0 "$cs" serve --listen 127.0.0.1:0 "${@:2}" >/dev/null 2>"$1" &
  spid=$!
  pids+=($spid)
  for _ in $(seq 100); do
    port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\)$|\1|p' "$1")
    [ -n "$port" ] && return 0
    sleep 0.05
  done
  return 1
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
rss_mib() { awk '/^VmRSS:/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }

# --- webhook ---
start "$tmp/w.log" --no-inventory --quiet --threads 1 || { echo "bench-serve: serve did not start"; exit 1; }
wpid=$spid
cat >"$tmp/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$here/../tests/data/serve/review-deployment.json")
wrk.body = f:read("*a")
f:close()
function delay() return 20 end
LUA
c0=$(cpu_ticks "$wpid")
taskset -c 1 wrk -t1 -c10 -d10s --latency -s "$tmp/post.lua" "http://127.0.0.1:$port/validate" >"$tmp/wrk.txt" 2>&1
c1=$(cpu_ticks "$wpid")
nreq=$(awk '/requests in/ {print $1}' "$tmp/wrk.txt")
rps=$(awk '/^Requests\/sec:/ {print $2}' "$tmp/wrk.txt")
p50=$(awk '$1 == "50%" {print $2}' "$tmp/wrk.txt")
p99=$(awk '$1 == "99%" {print $2}' "$tmp/wrk.txt")
non2xx=$(awk '/Non-2xx/ {print $NF}' "$tmp/wrk.txt")
printf '%-34s %-22s %s req/s, p50 %s, p99 %s%s   (goal: p99 <= 5 ms at 500 req/s, one core)\n' \
  "webhook: 3-container Deployment" "capscope" "$rps" "$p50" "$p99" "${non2xx:+, non-2xx $non2xx}"
taskset -c 1 wrk -t1 -c16 -d5s "http://127.0.0.1:$port/healthz" >/dev/null 2>&1
wrk_max=$(taskset -c 1 wrk -t1 -c16 -d5s -s "$tmp/post.lua" "http://127.0.0.1:$port/validate" 2>/dev/null |
  awk '/^Requests\/sec:/ {print $2}')
printf '%-34s %-22s %s req/s unpaced (16 connections), the one core saturated\n' "" "capscope" "${wrk_max:-?}"
printf '%-34s %-22s %.3f ms of CPU per review (the figure the machine'"'"'s load does not skew)\n' "" "capscope" \
  "$(jq -n "($c1 - $c0) / $hz * 1000 / ${nreq:-1}")"
printf '%-34s %-22s %s MiB resident after the webhook load\n' "" "capscope" "$(rss_mib "$wpid")"

# --- lingering close ---
# /healthz while sixteen clients stream as fast as they can after their 411
# (the sockets linger, their bytes read and dropped), beside the same server
# with no such client: the eighth pass found the drain holding the lock the
# server's threads take, /healthz 1 to 2 s late; the anchor is the idle worst.
healthz_worst() { # PORT → the worst of 60 /healthz, in ms
  for _ in $(seq 60); do
    taskset -c 1 curl -s -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:$1/healthz"
    sleep 0.05
  done | sort -n | tail -n1 | awk '{printf "%.1f", $1 * 1000}'
}
idle_worst=
start "$tmp/l.log" --no-inventory --quiet --threads 1 --max-body 67108864 && idle_worst=$(healthz_worst "$port")
python3 - "$port" <<'PY' &
import socket, sys, threading, time
port, stop = int(sys.argv[1]), time.time() + 6
def flood():
    while time.time() < stop:
        try:
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(b"POST /validate HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n")
            while time.time() < stop:
                s.sendall(b"x" * (1 << 20))
        except OSError:
            pass
for t in [threading.Thread(target=flood) for _ in range(16)]:
    t.start()
PY
flood=$!
sleep 1
flood_worst=$(healthz_worst "$port")
wait "$flood" 2>/dev/null
printf '%-34s %-22s %s ms worst of 60 /healthz with 16 clients streaming after their 411; %s ms with none (the anchor)\n' \
  "lingering close" "capscope" "${flood_worst:-?}" "${idle_worst:-?}"

# --- 500 containers ---
root=$tmp/task/k8s.io
for i in $(seq 500); do
  # a container's usual credentials: root with the 14 capabilities of
  # containerd's and Docker's default spec, no more
  setpriv --bounding-set=-all,+chown,+dac_override,+fowner,+fsetid,+kill,+setgid,+setuid,+setpcap,+net_bind_service,+net_raw,+sys_chroot,+mknod,+audit_write,+setfcap \
    -- sleep 600 >/dev/null 2>&1 &
  pids+=($!)
  id=$(printf '%064x' "$i")
  mkdir -p "$root/$id"
  echo "$!" >"$root/$id/init.pid"
  jq --arg ns "bench-$((i % 20))" --arg pod "pod-$i" --arg c "ctr-$i" \
    '.annotations = {"io.kubernetes.cri.sandbox-namespace": $ns, "io.kubernetes.cri.sandbox-name": $pod,
      "io.kubernetes.cri.container-name": $c, "io.kubernetes.cri.container-type": "container"}' \
    "$here/../examples/oci/article-no-ambient/config.json" >"$root/$id/config.json"
done
start "$tmp/a.log" --webhook off --bundle-root "task:$tmp/task" || exit 1
apid=$spid
cold=$(curl -s -o "$tmp/m1.txt" -w '%{time_total}' "http://127.0.0.1:$port/metrics")
n=$(awk '/^capscope_containers / {print $2}' "$tmp/m1.txt")
series=$(grep -vc '^#' "$tmp/m1.txt")
printf '%-34s %-22s %.1f ms (first: reads and predicts %s bundles, %s series)\n' \
  "metrics: one scrape, 500 containers" "capscope" "$(jq -n "$cold*1000")" "$n" "$series"
c0=$(cpu_ticks "$apid")
# Beside it, the same curl fetching /healthz: what one request costs before
# any scrape work (curl's own start, the connection), so the scrape's own
# share can be read off.
bench_compare "" "curl -s -o /dev/null http://127.0.0.1:$port/metrics" \
  "curl /healthz (a request's floor)" "curl -s -o /dev/null http://127.0.0.1:$port/healthz" |
  sed 's/capscope  /warm scrape/'
c1=$(cpu_ticks "$apid")
printf '%-34s %-22s %.1f ms of CPU per warm scrape\n' "" "capscope" \
  "$(jq -n "($c1 - $c0) / $hz * 1000 / ($BENCH_RUNS + 3)")"
scan=$(curl -s "http://127.0.0.1:$port/metrics" | awk '/^capscope_inventory_scan_duration_seconds / {print $2 * 1000}')
printf '%-34s %-22s %.1f ms of it the inventory scan   (goal: <= 50 ms)\n' "" "capscope" "$scan"
printf '%-34s %-22s %s MiB resident with 500 containers   (goal: <= 40 MiB)\n' "memory" "capscope" "$(rss_mib "$apid")"
printf '%-34s %-22s 512 MiB requested (Helm chart)\n' "" "Falco"
printf '%-34s %-22s 30-50 MiB proposed\n' "" "Inspektor Gadget"
t0=$(cpu_ticks "$apid")
sleep 10
t1=$(cpu_ticks "$apid")
printf '%-34s %-22s %.2f%% of a core over 10 s without requests   (goal: <= 1%%)\n' "idle CPU" "capscope" \
  "$(jq -n "($t1 - $t0) / $hz / 10 * 100")"

# --- the same agent with --trace (BPF: needs root and kernel BTF) ---
if start "$tmp/t.log" --webhook off --trace --bundle-root "task:$tmp/task"; then
  tpid=$spid
  curl -s -o /dev/null "http://127.0.0.1:$port/metrics"
  warm=$(curl -s -o "$tmp/m2.txt" -w '%{time_total}' "http://127.0.0.1:$port/metrics")
  printf '%-34s %-22s %.1f ms a warm scrape with --trace (drain + join + %s series)\n' \
    "with --trace" "capscope" "$(jq -n "$warm*1000")" "$(grep -vc '^#' "$tmp/m2.txt")"
  printf '%-34s %-22s %s MiB resident with --trace (kallsyms for the call sites included)\n' \
    "" "capscope" "$(rss_mib "$tpid")"
  t0=$(cpu_ticks "$tpid")
  sleep 10
  t1=$(cpu_ticks "$tpid")
  printf '%-34s %-22s %.2f%% of a core over 10 s without requests (a drain every second)\n' \
    "" "capscope" "$(jq -n "($t1 - $t0) / $hz / 10 * 100")"
else
  printf '%-34s %-22s not measured: %s\n' "with --trace" "capscope" "$(tail -n1 "$tmp/t.log")"
fi

#!/usr/bin/env bash
# decode vs capsh --decode, ps vs getpcaps and pscap, file get vs getcap:
# first start-up (one small call each, where loading the program is most of
# the time), then throughput (many masks, processes, files in one call).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
build=${1:-build}
cs=$(cd "$build" && pwd)/capscope

# Start-up: capscope is linked statically (-static-pie; scan, explain, lint
# and serve run in its dynamic twin capscope-dyn: docs/foundation.md), so no
# dynamic loader runs before main; the anchors are libcap's own tools, linked
# dynamically as Debian ships them.
echo "load $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs (wall medians need the cores free; cpu is user + system)"
echo "start-up (one small call; the loader's work dominates):"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# ping carries cap_net_raw on most systems; without it, a copy of true given one.
ping_bin=$(command -v ping || true)
if [ -z "$ping_bin" ]; then
  ping_bin=$tmp/ping; cp /bin/true "$ping_bin"
  setcap cap_net_raw+ep "$ping_bin" 2>/dev/null || true
fi
# A start-up is ~3 ms and varies by a millisecond from one run to the next
# on the VM: 200 runs each, so the median is the program's and not the noise's.
# ps 1 reads every thread's status too (threads whose sets differ are shown);
# a single-threaded process is the like-for-like case for getpcaps.
BENCH_RUNS=200 bench_compare "decode 0x400" "$cs decode 0x400" "capsh --decode" "capsh --decode=0x400"
BENCH_RUNS=200 bench_compare "ps 1 ($(ls /proc/1/task | wc -l) threads)" "$cs ps 1" "getpcaps 1" "getpcaps 1"
sleep 600 & one=$!
BENCH_RUNS=200 bench_compare "ps PID (one thread)" "$cs ps $one" "getpcaps PID" "getpcaps $one"
kill "$one"
BENCH_RUNS=200 bench_compare "file get (one file)" "$cs file get $ping_bin" "getcap" "getcap $ping_bin"
echo "throughput:"

# The same 200 masks for both (capsh takes many --decode options in one run).
masks=(); for i in $(seq 1 200); do printf -v m '%016x' $(( (i * 2654435761) & 0x1ffffffffff )); masks+=("$m"); done
capsh_args=$(printf -- '--decode=%s ' "${masks[@]}")
bench_compare "decode 200 masks" "$cs decode ${masks[*]}" "capsh --decode" "capsh $capsh_args"

# Like with like: both given the same pids (a pid gone since is an error
# line for both); capscope ps of every process against pscap -a, which lists
# every process too. capscope reads every thread of a multi-threaded process
# as well (threads that differ are shown), which neither anchor does.
pids=$(ls /proc | grep -E '^[0-9]+$' | tr '\n' ' ')
bench_compare "ps: the same pids ($(wc -w <<<"$pids"))" "$cs ps $pids" "getpcaps (same pids)" "getpcaps $pids"
command -v pscap >/dev/null && bench_compare "ps: every process" "$cs ps" "pscap -a" "pscap -a"

for i in $(seq 1 2000); do : >"$tmp/f$i"; done
if [ "$(id -u)" -eq 0 ]; then for i in $(seq 1 10 2000); do setcap cap_net_raw+p "$tmp/f$i" 2>/dev/null; done; fi
files=$(printf "$tmp/f%d " $(seq 1 2000))
bench_compare "file get: 2000 files" "$cs file get $files" "getcap" "getcap $files"

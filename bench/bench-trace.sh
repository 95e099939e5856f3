#!/usr/bin/env bash
# Overhead of capscope trace on a loop of capability-checked syscalls.
#
# The loop (tests/helpers/trace-helper setuid-bench N) calls setuid(0) as
# root N times: one CAP_SETUID check each, nothing else. It measures its own
# CPU time (CLOCK_THREAD_CPUTIME_ID), which includes the BPF programs (they run
# in the calling thread) but not tracer start-up nor time spent waiting for a
# CPU, so other load on a shared machine does not pollute the figures. Interleaved rounds of:
#   untraced            no tracer at all
#   capscope            capscope trace -- LOOP (the loop is in scope)
#   bpftrace            the one-liner
#                       tracepoint:capability:cap_capable { @[comm, args->cap, args->ret] = count(); }
#   capscope-other      capscope traces another command; the loop is outside its scope
# Prints medians (ns per check) and slowdowns; target: capscope's slowdown at
# most a third of the one-liner's, and none measurable outside the scope.
set -euo pipefail
build=${1:-build}
capscope=$build/capscope
helper=$build/tests/trace-helper
n=${BENCH_TRACE_N:-300000}
rounds=${BENCH_TRACE_ROUNDS:-7}

[ "$(id -u)" -eq 0 ] || { echo "bench-trace: needs root (BPF)"; exit 0; }
[ -x "$helper" ] || { echo "bench-trace: $helper missing (make first)"; exit 1; }
if ! "$capscope" trace -- true >/dev/null 2>&1; then
  echo "bench-trace: capscope trace cannot run here:"; "$capscope" trace -- true 2>&1 | tail -1
  exit 0
fi
have_bpftrace=$(command -v bpftrace >/dev/null && echo 1 || echo 0)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"; [ -n "${bt:-}" ] && kill "$bt" 2>/dev/null; true' EXIT

untraced() { "$helper" setuid-bench "$n"; }
traced() { "$capscope" trace -- "$helper" setuid-bench "$n" | sed -n 1p; }
one_liner() {
  bpftrace -e 'tracepoint:capability:cap_capable { @[comm, args->cap, args->ret] = count(); }' \
    >"$tmp/bt.out" 2>&1 &
  bt=$!
  for _ in $(seq 100); do grep -q Attaching "$tmp/bt.out" 2>/dev/null && break; sleep 0.1; done
  sleep 0.3
  "$helper" setuid-bench "$n"
  kill -INT "$bt"; wait "$bt" 2>/dev/null || true; bt=
}
other_scope() {
  "$capscope" trace -- sh -c 'echo ready; exec sleep 60' >"$tmp/cs.out" 2>&1 &
  local cs=$!
  for _ in $(seq 100); do grep -q ready "$tmp/cs.out" 2>/dev/null && break; sleep 0.1; done
  "$helper" setuid-bench "$n"
  kill -TERM "$cs"; wait "$cs" 2>/dev/null || true
}

declare -A t
for r in $(seq "$rounds"); do
  t[untraced]+="$(untraced) "
  t[capscope]+="$(traced) "
  [ "$have_bpftrace" = 1 ] && t[bpftrace]+="$(one_liner) "
  t[other]+="$(other_scope) "
done

median() { tr ' ' '\n' | grep -E '^[0-9]+$' | sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print int((a[NR/2]+a[NR/2+1])/2)}'; }
base=$(echo "${t[untraced]}" | median)
printf 'bench-trace: %d setuid(0) calls as root, %d interleaved rounds, medians\n' "$n" "$rounds"
printf '%-34s %10s %9s\n' "" "CPU ns/check" "slowdown"
for k in untraced capscope bpftrace other; do
  [ -n "${t[$k]:-}" ] || continue
  m=$(echo "${t[$k]}" | median)
  label=$k
  case $k in
    capscope) label="capscope trace (in scope)" ;;
    bpftrace) label="bpftrace one-liner" ;;
    other) label="capscope tracing another command" ;;
  esac
  awk -v l="$label" -v m="$m" -v b="$base" -v n="$n" \
    'BEGIN { printf "%-34s %10.1f %8.1f%%\n", l, m / n, (m - b) * 100 / b }'
  eval "med_$k=$m"
done
if [ -n "${med_bpftrace:-}" ]; then
  awk -v c="$med_capscope" -v o="$med_bpftrace" -v b="$base" 'BEGIN {
    sc = c - b; so = o - b
    if (so <= 0) { print "ratio: the one-liner showed no slowdown in this run"; exit }
    printf "ratio: capscope slowdown / one-liner slowdown = %.2f (target <= 0.33)\n", sc / so }'
fi

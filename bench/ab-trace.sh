#!/usr/bin/env bash
# Paired A/B of capscope builds' check handler, as the kernel counts it
# (kernel.bpf_stats_enabled: run_time_ns / run_cnt of cs_tp_cap_capable).
#
#   bench/ab-trace.sh [-r ROUNDS] [-n CHECKS] CAPSCOPE_A CAPSCOPE_B ...
#
# Not part of `make bench` (not bench-*.sh): for comparing a change to the
# BPF program with what it replaces (copy build/capscope aside before the
# change; the binary carries its BPF object). Each round measures the floor
# (bpf/floor.bpf.c, an empty program on the hook) and each build, each
# attached alone under CHECKS setuid(0) calls, the order turned by one each
# round; a round where another program is on the hook (another user's
# trace) gives no figure for that measurement (x). Prints each one's median
# and quartiles, each minus its round's floor, and each minus the first
# build, paired by round: on a loaded shared machine a round's figures move
# together by more than most changes, so only the paired differences say
# anything (twenty-first pass, docs/hardening.md part G). AB_KEEP=FILE
# keeps the rounds' figures (a line a round: floor, then each build).
set -euo pipefail
rounds=40 n=100000
while getopts r:n: o; do
  case $o in r) rounds=$OPTARG ;; n) n=$OPTARG ;; *) exit 2 ;; esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { echo "usage: $0 [-r ROUNDS] [-n CHECKS] CAPSCOPE..." >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "ab-trace: needs root (BPF)"; exit 0; }
build=${BUILD:-$(dirname "$0")/../build}
helper=$build/tests/helpers/trace-helper
floor=$build/tests/helpers/bpf-floor
if [ ! -x "$helper" ] || [ ! -x "$floor" ]; then
  echo "ab-trace: $helper or $floor missing (make first)"
  exit 1
fi
bins=("$@")
tmp=$(mktemp -d)
old_stats=$(cat /proc/sys/kernel/bpf_stats_enabled)
trap 'echo "$old_stats" >/proc/sys/kernel/bpf_stats_enabled; rm -rf "$tmp"' EXIT
hook='cs_tp_cap_capable|cs_tp_cap_capable_wide|cs_fexit_cap_capable|cs_fexit_cap_capable_wide|cs_floor|cap_capable'
prog_ns() { # a figure only when the measured program is alone on the hook
  local all
  all=$(bpftool prog show 2>/dev/null) || true
  [ "$(grep -cE "name ($hook) " <<<"$all")" -eq 1 ] || { echo x; return; }
  grep -A1 -E "name $1 " <<<"$all" | grep -oE "run_time_ns [0-9]+ run_cnt [0-9]+" |
    awk '$4 > 0 {printf "%.1f", $2 / $4; f = 1; exit} END {if (!f) print "x"}'
}
m_bin() {
  local cs
  "$1" trace -- sh -c "\"$helper\" setuid-bench $n >/dev/null; echo done; sleep 5" >"$tmp/in.out" 2>&1 &
  cs=$!
  for _ in $(seq 600); do grep -q 'done' "$tmp/in.out" 2>/dev/null && break; sleep 0.05; done
  prog_ns cs_tp_cap_capable
  kill -TERM "$cs"; wait "$cs" 2>/dev/null || true
}
m_floor() {
  local fl
  "$floor" >"$tmp/floor.out" 2>&1 &
  fl=$!
  for _ in $(seq 100); do grep -q ready "$tmp/floor.out" 2>/dev/null && break; sleep 0.05; done
  "$helper" setuid-bench "$n" >/dev/null
  prog_ns cs_floor
  kill -TERM "$fl"; wait "$fl" 2>/dev/null || true
}
k=$((${#bins[@]} + 1))
echo 1 >/proc/sys/kernel/bpf_stats_enabled
for r in $(seq "$rounds"); do
  row=()
  for i in $(seq 0 $((k - 1))); do
    j=$(((i + r) % k))
    if [ "$j" -eq 0 ]; then row[0]=$(m_floor); else row[j]=$(m_bin "${bins[j - 1]}"); fi
  done
  echo "${row[*]}"
done >"$tmp/rounds"
[ -z "${AB_KEEP:-}" ] || cp "$tmp/rounds" "$AB_KEEP"
# Columns: floor, then each build. Quartiles of a column, or of a
# difference of two columns over the rounds where both have a figure.
stat() { # label awk-expression-of-the-row
  awk -v l="$1" "{ if ($2 != \"x\") print $2 }" "$tmp/rounds" | sort -g |
    awk -v l="$1" '{a[NR] = $1} END {
      if (!NR) { printf "  %-40s no figure\n", l; exit }
      printf "  %-40s median %6.1f  quartiles %6.1f %6.1f  (%d rounds)\n", l, a[int((NR + 1) / 2)], a[int((NR + 3) / 4)], a[int((3 * NR + 3) / 4)], NR }'
}
diffexpr() { echo "((\$$1 == \"x\" || \$$2 == \"x\") ? \"x\" : \$$1 - \$$2)"; }
echo "ab-trace: $rounds rounds of $n setuid(0) checks, ns per check (bpf_stats)"
# shellcheck disable=SC2016 # an awk field, not a shell variable
stat "floor" '$1'
for i in $(seq 1 $((k - 1))); do stat "${bins[i - 1]}" "\$$((i + 1))"; done
for i in $(seq 1 $((k - 1))); do stat "${bins[i - 1]} - floor (paired)" "$(diffexpr $((i + 1)) 1)"; done
for i in $(seq 2 $((k - 1))); do stat "${bins[i - 1]} - ${bins[0]} (paired)" "$(diffexpr $((i + 1)) 2)"; done

#!/usr/bin/env bash
# What the node agent's per-check walk to a container's own cgroup costs
# (fifteenth pass, part E: once the agent names a container, a check in one
# of its sub-cgroups has no row of its own and walks its cgroup's ancestors
# to find the container's, one bpf_get_current_ancestor_cgroup_id and one
# lookup a level, bpf/capscope.bpf.c quota_owner).
#
# The agent's tracer (tests/helpers/node-tracer: every process of the node,
# rows by cgroup) names one cgroup as a container's own; the loop
# (trace-helper setuid-bench N: setuid(0) as root, one CAP_SETUID check
# each) runs in that cgroup, in cgroups 1, 4, 16 and 40 levels below it,
# and in a cgroup no container has. Figures: the kernel's own account of
# the program's run time per invocation (kernel.bpf_stats_enabled, turned
# on for the run and restored; it includes its own clock reads; other
# processes' checks on the node run the same program and are in it), in
# interleaved rounds, median (min). The cgroups are made under the cgroup
# v2 mount and removed on exit, as are the processes. BENCH_WALK_KEYS
# picks the places (own below1 below4 below16 below40 unnamed).
set -euo pipefail
build=${1:-build}
helper=$build/tests/helpers/trace-helper
tracer=$build/tests/helpers/node-tracer
n=${BENCH_WALK_N:-200000}
rounds=${BENCH_WALK_ROUNDS:-5}

[ "$(id -u)" -eq 0 ] || { echo "bench-serve-walk: needs root (BPF)"; exit 0; }
[ -x "$tracer" ] || { echo "bench-serve-walk: $tracer missing (built with the BPF tracer only)"; exit 0; }
for t in bpftool jq; do
  command -v $t >/dev/null || { echo "bench-serve-walk: $t is not installed"; exit 0; }
done
[ -w /proc/sys/kernel/bpf_stats_enabled ] || { echo "bench-serve-walk: kernel.bpf_stats_enabled is not writable"; exit 0; }
root=$(awk '$3 == "cgroup2" {print $2; exit}' /proc/self/mounts)
[ -n "$root" ] || { echo "bench-serve-walk: no cgroup v2 mount"; exit 0; }
top=$root/capscope-bench-walk-$$
tmp=$(mktemp -d)
old_stats=$(cat /proc/sys/kernel/bpf_stats_enabled)
tpid=
cleanup() {
  [ -n "$tpid" ] && { kill "$tpid" 2>/dev/null; wait "$tpid" 2>/dev/null; }
  echo "$old_stats" >/proc/sys/kernel/bpf_stats_enabled
  # deepest first: a cgroup with children cannot be removed
  [ -d "$top" ] && find "$top" -depth -type d -exec rmdir {} + 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
mkdir "$top" "$top/ctr" "$top/other" || { echo "bench-serve-walk: cannot make cgroups under $root"; exit 0; }
d=$top/ctr
declare -A at=([own]=$top/ctr [unnamed]=$top/other)
for l in $(seq 40); do
  d=$d/s
  mkdir "$d"
  case $l in 1 | 4 | 16 | 40) at[below$l]=$d ;; esac
done
echo 1 >/proc/sys/kernel/bpf_stats_enabled

# The tracer's check programs loaded now (ids), and the run time per
# invocation of one (bpftool shows no holder's pid here: the program is the
# one that was not loaded before the tracer started; a round in which some
# other tracer loaded one at the same time gives no figure).
check_progs() {
  bpftool prog show --json 2>/dev/null |
    jq -r '.[] | select((.name // "") | test("^cs_(tp|fexit)_cap_cap")) | .id' | sort
}
prog_ns() {
  bpftool prog show id "$1" --json 2>/dev/null |
    jq -r 'if (.run_cnt // 0) > 0 then (.run_time_ns / .run_cnt | floor) else empty end'
}
one() { # KEY: the loop in at[KEY], the agent's tracer naming ctr
  check_progs >"$tmp/before"
  mkfifo "$tmp/in"
  "$tracer" "$top/ctr" <"$tmp/in" >"$tmp/out" 2>"$tmp/err" &
  tpid=$!
  exec 9>"$tmp/in"
  rm -f "$tmp/in"
  for _ in $(seq 100); do grep -q ready "$tmp/out" 2>/dev/null && break; sleep 0.1; done
  if ! grep -q ready "$tmp/out"; then
    echo "bench-serve-walk: the tracer did not start: $(tail -1 "$tmp/err")"
    exit 0
  fi
  sh -c 'echo $$ >"$1/cgroup.procs" && exec "$2" setuid-bench "$3"' _ "${at[$1]}" "$helper" "$n" >/dev/null
  local ids
  ids=$(check_progs | comm -13 "$tmp/before" -)
  [ "$(echo "$ids" | wc -w)" = 1 ] && s[$1]+="$(prog_ns "$ids") "
  exec 9>&-
  wait "$tpid" 2>/dev/null || true
  tpid=
}
median() { tr ' ' '\n' | { grep -E '^[0-9]+$' || true; } | sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print int((a[NR/2]+a[NR/2+1])/2)}'; }
minimum() { tr ' ' '\n' | { grep -E '^[0-9]+$' || true; } | sort -n | head -n1; }
declare -A s
keys="${BENCH_WALK_KEYS:-own below1 below4 below16 below40 unnamed}"
for _ in $(seq "$rounds"); do
  for k in $keys; do one "$k"; done
done
printf 'bench-serve-walk: %d setuid(0) checks a run, %d interleaved rounds;\n' "$n" "$rounds"
printf 'the node tracer'"'"'s program run time per check (kernel.bpf_stats_enabled): median (min)\n'
own=$(echo "${s[own]:-}" | median)
for k in $keys; do
  m=$(echo "${s[$k]:-}" | median); mi=$(echo "${s[$k]:-}" | minimum)
  case $k in
    own) label="in the container's own cgroup" ;;
    unnamed) label="in a cgroup no container has" ;;
    *) label="${k#below} levels below the container's" ;;
  esac
  printf '  %-36s %6s ns (%s)%s\n' "$label" "${m:-?}" "${mi:-?}" \
    "$([ -n "$m" ] && [ -n "$own" ] && [ "$k" != own ] && echo "   $((m - own)) ns more than in its own")"
done

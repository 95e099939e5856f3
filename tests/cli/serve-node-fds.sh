#!/usr/bin/env bash
# The node agent under a low RLIMIT_NOFILE with many containers whose pid
# file names a process outside any container's cgroup (plain runc: every
# one). The scan held a pidfd for each, at least 128 whatever the limit,
# over the snapshot: under `ulimit -n 100` they took every descriptor, the
# reads of /proc after them failed (EMFILE) and were taken for "no such
# process", so 55 of 150 containers were shown without one, with 200. A
# pid file or runc's state.json not opened for EMFILE was likewise read as
# none (twenty-sixth pass, part D). Now the pidfds are an eighth of the
# limit, and a read failing for want of descriptors is the scan's error.
source "$(dirname "$0")/../lib/tap.sh"
SCAN=$CAPSCOPE_BUILD/tests/helpers/node-scan
[ -x "$SCAN" ] || skip_all "tests/helpers/node-scan is not built"
tap_tmpdir
N=150 U=$(id -u)
mkdir -p "$T/proc" "$T/runc" "$T/bundle" && printf 'cpu 0\nbtime 0\n' >"$T/proc/stat" &&
  printf '{"ociVersion":"1.0.2","root":{"path":"rootfs"},"process":{"user":{"uid":0,"gid":0},"args":["/x"],"cwd":"/"}}' >"$T/bundle/config.json"
ok $? "a bundle and a made /proc"
PIDS=()
for i in $(seq 1 $N); do
  sleep 600 &
  p=$! PIDS+=("$p")
  id=$(printf 'c%03d' "$i")
  mkdir -p "$T/runc/$id" "$T/proc/$p"
  echo '{"init_process_pid":'"$p"',"config":{"labels":["bundle='"$T/bundle"'"]}}' >"$T/runc/$id/state.json"
  echo "0::/user.slice/session-1.scope" >"$T/proc/$p/cgroup"
  echo "$p (sleep) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 0 0 0" >"$T/proc/$p/stat"
  printf 'Name:\tsleep\nUid:\t%s\t%s\t%s\t%s\nGid:\t0\t0\t0\t0\n' "$U" "$U" "$U" "$U" >"$T/proc/$p/status"
  printf 'CapInh:\t0\nCapPrm:\t0\nCapEff:\t0\nCapBnd:\t0\nCapAmb:\t0\n' >>"$T/proc/$p/status"
done
trap 'kill "${PIDS[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$T"' EXIT
# NOFILE: "N-found N-without-a-process", or the scan's error.
scan() {
  (
    ulimit -n "$1"
    env ${2:+NODE_SCAN_PIDFD_MAX=$2} "$SCAN" "$T/proc" "runc:$T/runc" 1 2>&1 |
      awk 'NR==1 && !/^[0-9]+$/ {print; exit} NR==1 {n=$1} NR>1 && $2==0 {z++} END {if (n != "") print n, z+0}'
  )
}
is "$(scan 4096)" "$N 0" "RLIMIT_NOFILE 4096: every container with its process"
for n in 200 100 64 40; do
  is "$(scan $n)" "$N 0" "RLIMIT_NOFILE $n: every container with its process (pidfds an eighth of it)"
done
# Fewer descriptors than one scan needs: an error, never a container
# without its process.
for n in 8 10 12; do
  out=$(scan $n)
  case $out in
  "$N 0" | node-scan:*) good=0 ;;
  *) good=1 ;;
  esac
  ok $good "RLIMIT_NOFILE $n: all shown with their process, or the scan's error (got: $out)"
done
# More pidfds allowed than there are descriptors (as 128 was under a
# limit of 100): the reads of /proc after them fail. The scan's error, never
# a container without its process (the fallback took EMFILE for "gone").
is "$(scan 100 1000)" "node-scan: reading $T/proc: Too many open files" \
  "pidfds holding every descriptor: the scan's error, no container shown without its process"
# Every descriptor taken just before the credentials are read (the agent
# at its limit, its connections holding the rest): each process was left
# out of the snapshot as gone, its container shown with its process and no
# credentials, with 200. Now the scan's error.
nofds=$( (ulimit -n 4096 && NODE_SCAN_NO_FDS=1 "$SCAN" "$T/proc" "runc:$T/runc" 1 2>&1) |
  awk 'NR==1 && !/^[0-9]+$/ {print; exit} NR>1 && !/ status$/ {z++} END {if (NR > 1) print "without credentials:", z+0}')
is "$nofds" "node-scan: reading $T/proc: Too many open files" \
  "no descriptor left for the credentials: the scan's error, no container shown without them"
# One container, each open of two scans (the second a warm one) made to
# fail alone with EMFILE (tests/helpers/emfile-on-open.c), with a pidfd and
# without (the start time read again after the snapshot): its process with
# its credentials, or the scan's error. The process's stat not opened for
# the start time, or after the snapshot, was "another process": shown
# without one, or without credentials, with 200.
SHIM=$CAPSCOPE_BUILD/tests/helpers/emfile-on-open.so
mkdir -p "$T/one" && cp -r "$T/runc/c001" "$T/one/"
P=$(sed 's/.*"init_process_pid":\([0-9]*\).*/\1/' "$T/one/c001/state.json")
for max in 1000 0; do
  one() { env NODE_SCAN_NO_FDS= NODE_SCAN_PIDFD_MAX=$max "$@" "$SCAN" "$T/proc" "runc:$T/one" 1 2>&1 | grep -v '^[0-9]*$'; }
  if [ ! -f "$SHIM" ]; then
    skip "tests/helpers/emfile-on-open.so was not built"
    continue
  fi
  one EMFILE_COUNT="$T/opens" LD_PRELOAD="$SHIM" >/dev/null
  opens=$(cat "$T/opens") wrong=
  for ((n = 1; n <= opens; n++)); do
    out=$(one EMFILE_AT=$n LD_PRELOAD="$SHIM")
    case "$out" in
    "c001 $P 1 status" | "node-scan: "*) ;;
    *) wrong+=" $n:[${out//$'\n'/|}]" ;;
    esac
  done
  is "$wrong" "" "pidfds $max, each of $opens opens failing alone with EMFILE: the process and its credentials, or an error"
done
# A /proc/stat without its btime line: no start time can be told for any
# pid file's process, and each was taken for gone: every container shown
# without its process, with 200. Now the scan's error.
printf 'cpu 0\n' >"$T/proc/stat"
is "$(scan 4096)" "node-scan: $T/proc/stat: no btime line (the boot time)" \
  "a /proc/stat without btime: the scan's error, no container shown without its process"
done_testing

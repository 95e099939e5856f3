#!/usr/bin/env bash
# Out of memory while reading a process's status is no malformed file
# (twenty-second pass, part G). cs_proc_status_parse reported a failed
# allocation of the Groups line as EPROTO, "malformed value": `ps PID` said
# "process N: Protocol error", and `ps` of every process left the process
# out silently, exit 0; a thread's status that could not be read for memory
# was taken for a thread that had exited. Each allocation of `ps PID` of a
# process with supplementary groups fails in turn (tests/lib/failalloc.c):
# its row, or exit 2 and "out of memory", never "Protocol error".
source "$(dirname "$0")/../lib/tap.sh"
need_root
command -v setpriv >/dev/null || skip_all "no setpriv"
tap_tmpdir
trap 'kill "$sp" 2>/dev/null; rm -rf "$T"' EXIT
source "$CAPSCOPE_TOP/tests/lib/failalloc.sh"
failalloc_build

setpriv --groups 4,24,27,30,44,46,100,1000 sleep 600 &
sp=$!
for _ in $(seq 50); do grep -q '^Groups:.*1000' "/proc/$sp/status" 2>/dev/null && break; sleep 0.1; done
like "$(grep '^Groups:' "/proc/$sp/status")" "1000" "the sleeper has its supplementary groups"

"$CAPSCOPE_DYN" ps "$sp" >"$T/good" 2>/dev/null
is "$?" 0 "ps of the sleeper"
CS_FAILALLOC_COUNT=$T/count LD_PRELOAD=$T/failalloc.so "$CAPSCOPE_DYN" ps "$sp" >/dev/null 2>&1
total=$(cat "$T/count") bad=0 first=
for ((n = 0; n < total; n++)); do
  CS_FAILALLOC_AFTER=$n CS_FAILALLOC_SPAN=1 LD_PRELOAD=$T/failalloc.so "$CAPSCOPE_DYN" ps "$sp" >"$T/out" 2>"$T/err"
  rc=$?
  # glibc's NSS set-up dies on some failed allocations of its own, and a
  # user name NSS could not look up shows as the uid (enomem-output.sh):
  # neither is this check's. What is: the process's row, or out of memory.
  [ $rc -ge 128 ] && continue
  { [ $rc = 0 ] && grep -q "^$sp " "$T/out"; } && continue
  { [ $rc = 2 ] && grep -q 'out of memory' "$T/err"; } && continue
  bad=$((bad + 1))
  [ -n "$first" ] || first="allocation $((n + 1)): exit $rc, stderr '$(head -c 80 "$T/err" | tr '\n' ' ')'"
done
is "$bad" 0 "ps PID with each of $total allocations failing alone: its row, or exit 2 'out of memory' (${first:-every run})"
done_testing

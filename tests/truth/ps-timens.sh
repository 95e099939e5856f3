#!/usr/bin/env bash
# ps in a time namespace with a boottime offset: /proc/PID/stat's start
# time has the offset added (the kernel's timens_add_boottime_ns) and the
# BPF task iterator's start_boottime has not. Since securebits are kept
# only for the process that started when the iterator's did, every
# process's securebits were unknown there (lib/proc-secbits.c).
source "$(dirname "$0")/../lib/tap.sh"
need_root
command -v unshare >/dev/null || skip_all "unshare (util-linux) is not installed"
tap_tmpdir
sleep 600 &
S=$!
trap 'kill $S 2>/dev/null; rm -rf "$T"' EXIT
bits() { python3 -c 'import json,sys; print(json.load(sys.stdin)["processes"][0]["securebits"])'; }
outside=$($CAPSCOPE ps --json "$S" | bits)
[ "$outside" = 0 ] || skip_all "no securebits here (no BPF iterator?): $outside"
unshare --time --boottime 1 --fork true 2>/dev/null || skip_all "no time namespaces here"
for off in 100000 -1 86400; do
  got=$(unshare --time --boottime "$off" --fork $CAPSCOPE ps --json "$S" | bits)
  is "$got" 0 "ps in a time namespace, boottime offset $off s: the securebits of sleep"
done
got=$(unshare --time --monotonic 5000 --fork $CAPSCOPE ps --json "$S" | bits)
is "$got" 0 "ps in a time namespace, monotonic offset only: the securebits"
done_testing

#!/usr/bin/env bash
# A scope that checks faster than --events can print (a setuid loop, stdout
# to a slow reader). Tenth pass: libbpf's ring_buffer__poll goes on while
# new records keep coming, so the trace never looked at --duration (nor at
# Ctrl-C) again and ran as long as the busy process did; and the last
# drain, done before the programs were detached, went on as long too.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/trace-lib.sh"
trace_need_bpf
command -v python3 >/dev/null || skip_all "python3 missing"
tap_tmpdir

cp "$HELPER" "$T/cs-flood"
"$T/cs-flood" busy 300 &
busy=$!
trap 'kill "$busy" 2>/dev/null; rm -rf "$T"' EXIT

# Reads 4 KiB every 10 ms (~400 KB/s, a few thousand lines a second): far
# slower than the loop's checks, whatever the load of the machine. Keeps the
# stream's last 4 KiB.
cat >"$T/slow.py" <<'PY'
import sys, time
tail = b""
while True:
    b = sys.stdin.buffer.read1(4096)
    if not b:
        break
    tail = (tail + b)[-4096:]
    time.sleep(0.01)
sys.stdout.write(tail.decode("utf-8", "replace"))
PY

# Not a timing assertion: --duration 1 against a process that goes on for
# 300 s. Before the fix the trace was killed by the 90 s timeout.
timeout -s KILL 90 "$CAPSCOPE" trace --events -p "$busy" --duration 1 2>"$T/err" |
  python3 "$T/slow.py" >"$T/tail"
rc=("${PIPESTATUS[@]}")
is "${rc[0]}" 0 "--events -p BUSY --duration 1, stdout to a slow reader: ends, exit 0"
kill -0 "$busy" 2>/dev/null
ok $? "…while the traced process still runs"
is "$(cat "$T/err")" "" "…nothing on stderr"
like "$(cat "$T/tail")" "traced process $busy and its children via [^ ]+: 1 process, [0-9]+ checks, [1-9][0-9]* lost events" \
  "…the report follows the events, and counts the events lost"
done_testing

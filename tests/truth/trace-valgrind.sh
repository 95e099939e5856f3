#!/usr/bin/env bash
# capscope trace is valgrind-clean (session 27: cli/valgrind.sh ran every
# other command but this one): loading and attaching the BPF programs, the
# ring buffer of --events, collecting the kernel's counts, the report as
# text, JSON and HTML, the profiles, --verify's second run, -p PID, and
# the node agent's tracer (serve --trace) through a scrape and SIGTERM.
# Under valgrind a trace takes ~25 s (libbpf's BTF work); five runs.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/trace-lib.sh"
source "$(dirname "$0")/../cli/serve-lib.sh"
command -v valgrind >/dev/null || skip_all "valgrind is not installed"
trace_need_bpf
tap_tmpdir
subject=${CAPSCOPE_BUILD:-$CAPSCOPE_TOP/build}/tests/helpers/ps-subject
[ -x "$subject" ] || skip_all "ps-subject not built ($subject)"
readelf -l "$CAPSCOPE_DYN" | grep -q 'Requesting program interpreter'
ok $? "the program under valgrind is dynamically linked ($(basename "$CAPSCOPE_DYN"))"

# valgrind 3.19 knows neither BPF_LINK_CREATE (a warning on stderr, not an
# error) nor that the kernel reads only attr_sz bytes of bpf()'s attribute:
# tests/valgrind.supp names the libbpf wrappers whose unread fields it
# reports. Any other finding fails the check (exit 99).
vg() { # LABEL ARGS… (the traced command's output goes to $T/out)
  local label=$1; shift
  timeout 600 valgrind -q --vgdb=no --error-exitcode=99 --leak-check=full \
    --errors-for-leak-kinds=definite --track-origins=yes \
    --suppressions="$CAPSCOPE_TOP/tests/valgrind.supp" \
    "$CAPSCOPE_DYN" trace "$@" >"$T/out" 2>"$T/vg.log"
  local rc=$?
  [ $rc -ne 99 ] || grep -v 'unhandled eBPF command' "$T/vg.log" | sed 's/^/# /' | head -n 40
  [ $rc -ne 99 ] && [ $rc -ne 124 ]
  ok $? "$label (exit $rc)"
}

vg "trace --events -- CMD (the ring buffer)" --events -- "$subject" --evil-name --check-exit
like "$(cat "$T/out")" "CAP_SETUID" "…the subject's CAP_SETUID check is in the report"
vg "trace --json --profile k8s --profile scc" --json --profile k8s --profile scc -- "$subject" --check-exit
jq -e '.checks | length > 0' "$T/out" >/dev/null
ok $? "…the JSON report holds the checks"
vg "trace -v --html FILE --verify --profile run" -v --html "$T/t.html" --verify --profile run -- \
  "$subject" --check-exit
[ -s "$T/t.html" ]; ok $? "…the HTML page was written"
sleep 600 &
s=$!
vg "trace -p PID --duration 1" -p "$s" --duration 1
kill "$s"

valgrind_wrapper "$T/vgcapscope"
mkdir -p "$T/ud"
SERVE_BIN=$T/vgcapscope SERVE_WAIT=600 serve_start N --webhook off --trace --bundle-root "userdata:$T/ud"
ok $? "serve --trace under valgrind starts (port ${N_PORT:-none})"
like "$(curl -sS --max-time 120 "http://127.0.0.1:$N_PORT/metrics" | grep -c '^capscope_trace')" '^[1-9]' \
  "…its /metrics carries the tracer's series"
kill -TERM "$N_PID"
wait "$N_PID"
rc=$?
[ $rc -ne 99 ] || grep '^==' "$T/N.log" | sed 's/^/# /' | head -n 40
is "$rc" 0 "serve --trace: valgrind found nothing, and SIGTERM ended it with 0"
done_testing

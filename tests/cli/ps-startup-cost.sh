#!/usr/bin/env bash
# What `capscope ps PID` costs at start, counted, not timed (twenty-second
# pass, part G; issue #13's speed target "ps no slower than getpcaps"):
# - the static program holds no policy code, k8s schema or libfyaml: their
#   pointer tables were 21 KB of .data.rel.ro that every start relocated,
#   page by page (ps 1 faulted in 51 pages, 37 without them);
# - the table view does not readlink /proc/self (only securebits need to
#   know which pid is capscope's own);
# - a command line is one read (a short read is its end), and one longer
#   than a page or than 64 KiB reads as before.
source "$(dirname "$0")/../lib/tap.sh"
tap_tmpdir
trap 'kill "$p1" "$p2" "$p3" 2>/dev/null; rm -rf "$T"' EXIT

syms=$(nm "$CAPSCOPE" 2>/dev/null)
if [ -n "$syms" ] && ! readelf -l "$CAPSCOPE" | grep -q INTERP; then
  for f in cmd_policy ps_types fy_parser_create; do
    ! grep -qw "$f" <<<"$syms"; ok $? "static capscope holds no $f"
  done
  out=$("$CAPSCOPE" policy --help); rc=$?
  is "$rc" 0 "policy --help still runs (in capscope-dyn)"
  like "$out" "Usage: capscope policy" "…and says what policy does"
else
  for _ in 1 2 3 4 5; do skip "capscope is not the static program here, or stripped"; done
fi

long4k=$(head -c 5000 /dev/zero | tr '\0' a)
long70k=$(head -c 70000 /dev/zero | tr '\0' b)
# sleep itself, its argv[0] the long argument: killed by its pid, nothing left over.
bash -c 'exec -a "$0" sleep 600' short &
p1=$!
bash -c 'exec -a "$0" sleep 600' "$long4k" &
p2=$!
bash -c 'exec -a "$0" sleep 600' "$long70k" &
p3=$!
sleep 0.3

if command -v strace >/dev/null; then
  strace -f -qq -y -e trace=readlink,read -o "$T/ps.st" "$CAPSCOPE" ps "$p1" >/dev/null
  ! grep -q 'readlink("/proc/self"' "$T/ps.st"; ok $? "ps PID: no readlink of /proc/self"
  is "$(grep -c "cmdline>" "$T/ps.st")" 1 "ps PID: the command line in one read"
  strace -f -qq -e trace=readlink -o "$T/psv.st" "$CAPSCOPE" ps -v --no-bpf "$p1" >/dev/null
  grep -q 'readlink("/proc/self"' "$T/psv.st"; ok $? "ps -v: /proc/self read (its own securebits)"
else
  for _ in 1 2 3; do skip "strace is not installed"; done
fi

command -v jq >/dev/null || { done_testing; exit; }
for p in "$p1" "$p2"; do
  want=$(tr '\0' ' ' <"/proc/$p/cmdline" | sed 's/ $//')
  got=$("$CAPSCOPE" ps --json --no-bpf "$p" | jq -r '.processes[0].cmdline')
  is "${#got}" "${#want}" "ps --json: a command line of ${#want} bytes whole"
  [ "$got" = "$want" ]; ok $? "…byte for byte"
done
got=$("$CAPSCOPE" ps --json --no-bpf "$p3" | jq -r '.processes[0].cmdline')
is "$(printf %s "$got" | wc -c)" 65539 "a command line over 64 KiB: cut at 64 KiB, then U+2026 (3 bytes)"
like "$got" "…$" "…ending in U+2026"
done_testing

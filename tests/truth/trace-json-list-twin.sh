#!/usr/bin/env bash
# asan-too
# Issue #13, class 1, twenty-second pass: a string in a JSON array that is
# not UTF-8 had no escaped twin (the twenty-first pass gave one to a
# member's value only). Two commands named "a\xff" and "a" U+FFFD made one
# CAP_DAC_OVERRIDE row whose comms list read ["a" U+FFFD, "a" U+FFFD]; a
# traced command's argument "\xff" and "\xef\xbf\xbd" gave one "command".
# A list holding such a string is now followed by KEY_escaped, an array
# of as many elements, each by the escaping rule.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/trace-lib.sh"
trace_need_bpf
tap_tmpdir
: >"$T/zero"
chmod 000 "$T/zero"

row() { # FILE: the CAP_DAC_OVERRIDE row's comms, as a consumer reads them
  python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for c in d["checks"]:
    if c["capability"] == "CAP_DAC_OVERRIDE":
        print(json.dumps(c.get("comms_escaped", c["comms"])))
        print(len(c["comms"]), len(c.get("comms_escaped", c["comms"])))' "$1"
}

"$CAPSCOPE" trace --json -- bash -c '
  ( printf "a\xff" >/proc/self/comm; : >>"$1" )
  ( printf "a\xef\xbf\xbd" >/proc/self/comm; : >>"$1" )' bash "$T/zero" >"$T/t.json"
is "$?" 0 "trace --json of two commands a\\xff and a U+FFFD opening a mode-000 file"
out=$(row "$T/t.json")
like "$out" '"a\\\\xff"' "comms_escaped: the byte as \\xff"
like "$out" '"a\\ufffd"' "comms_escaped: U+FFFD itself, apart from it"
like "$(sed -n 2p <<<"$out")" '^([0-9]+) \1$' "comms_escaped: one element for each of comms, in order"
is "$(grep -c '"comms_escaped"' "$T/t.json")" 1 "no twin for a list that is UTF-8"

for arg in $'\xff' $'\xef\xbf\xbd'; do
  "$CAPSCOPE" trace --json -- /bin/true "$arg" >"$T/c.json"
  is "$?" 0 "trace --json of a command with the argument $(printf %q "$arg")"
  python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(d.get("command_escaped", d["command"])[1])' "$T/c.json" >>"$T/args"
done
is "$(sort -u "$T/args" | wc -l)" 2 "command: the two arguments a consumer can tell apart"
is "$(head -1 "$T/args")" '\xff' "command_escaped: the argument's byte as \\xff"
done_testing

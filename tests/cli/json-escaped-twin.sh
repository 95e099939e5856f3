#!/usr/bin/env bash
# asan-too
# Issue #13, class 1, twenty-first pass: JSON is UTF-8, so a byte that is
# not is written U+FFFD, and "a\xff" read as "a" U+FFFD: two set-uid files
# of those names were two findings of one path, two processes of those
# comms one comm, to a consumer keying on them. A member whose value is not
# UTF-8 is followed by KEY_escaped, the value's text by the escaping rule
# (one to one); SARIF (no place for it in its schema) percent-encodes URIs.
source "$(dirname "$0")/../lib/tap.sh"
command -v python3 >/dev/null || skip_all "needs python3"
tap_tmpdir
cd "$T" || exit 1

keys() { # FILE: one line a finding/process: its key as a consumer reads it
  python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for o in d.get("findings") or d.get("processes") or []:
    k = sys.argv[2]
    print(repr(o.get(k + "_escaped", o.get(k))))' "$@"
}

mkdir tree
python3 -c '
import os
for n in [b"a\xff", "a\ufffd".encode(), b"b\xc3", b"b\xc4"]:
    open(b"tree/" + n, "wb").write(b"x")
    os.chmod(b"tree/" + n, 0o4755)'
"$CAPSCOPE" scan --json tree >scan.json 2>&1
is "$?" 0 "scan --json of four names, two pairs one in U+FFFD"
is "$(keys scan.json path | sort -u | wc -l)" 4 "scan --json: four paths a consumer can tell apart"
like "$(grep -c '"path_escaped": "tree/a\\\\xff"' scan.json)" '^1$' "scan --json: the byte as \\xff beside U+FFFD"
is "$(grep -c '_escaped' scan.json)" 3 "scan --json: no twin for a path that is UTF-8"
"$CAPSCOPE" scan --sarif tree >scan.sarif 2>&1
is "$(grep -c '_escaped' scan.sarif)" 0 "scan --sarif: no member outside SARIF's schema"
like "$(grep -c 'a%FF' scan.sarif)" '^[1-9]' "scan --sarif: the URI percent-encoded"

code='import ctypes,os,time;ctypes.CDLL(None).prctl(15,os.environb[b"HN"],0,0,0);os.write(1,b".");os.close(1);time.sleep(60)'
pids=
for n in 'a\xff' 'a\xef\xbf\xbd'; do
  HN=$(printf "$n") python3 -c "$code" >ready &
  pids="$pids $!"
done
# shellcheck disable=SC2064
trap "kill $pids 2>/dev/null; rm -rf '$T'" EXIT
for _ in $(seq 50); do [ "$(wc -c <ready)" -ge 1 ] && sleep 0.2 && break; sleep 0.1; done
# shellcheck disable=SC2086
"$CAPSCOPE" ps --json $pids >ps.json 2>&1
is "$?" 0 "ps --json of comms a\\xff and a U+FFFD"
is "$(keys ps.json comm | sort -u | wc -l)" 2 "ps --json: two comms a consumer can tell apart"
# shellcheck disable=SC2086
kill $pids 2>/dev/null
done_testing

#!/usr/bin/env bash
# asan-too
# One strict number parser everywhere (issue 13): a number with a leading
# space, a '+', a leading zero, trailing junk, or out of range is a usage
# error (exit 2) in every command that takes one, never read as something
# else — and the plain form is still accepted.
. "$(dirname "$0")/../lib/tap.sh"
POD=$CAPSCOPE_TOP/examples/pod/nonroot-netbind.yaml

usage() { # description, command...
  local d=$1; shift
  "$@" >/dev/null 2>&1 </dev/null
  is "$?" 2 "$d"
}

for bad in " 1/2" "+1/2" "1/ 2" "01/2" "1/0" "4294967295/2" "1x/2" "/2" "1/"; do
  usage "explain pod --uid-range '$bad' refused" "$CAPSCOPE" explain pod --uid-range "$bad" "$POD"
done
"$CAPSCOPE" explain pod --uid-range 1000660000/10000 "$POD" >/dev/null 2>&1
ok $([ $? -ne 2 ]; echo $?) "explain pod --uid-range 1000660000/10000 accepted"

for bad in "bind: 443" "bind:+443" "bind:0443" "bind:0" "bind:65536" "bind:443x" "bind:"; do
  usage "explain pod --check '$bad' refused" "$CAPSCOPE" explain pod --check "$bad" "$POD"
done
"$CAPSCOPE" explain pod --check bind:443 "$POD" >/dev/null 2>&1
ok $([ $? -ne 2 ]; echo $?) "explain pod --check bind:443 accepted"

for bad in " 1" "+1" "01" "1x" "0" "4294967296" ""; do
  usage "ps '$bad' refused" "$CAPSCOPE" ps "$bad"
done
"$CAPSCOPE" ps 1 >/dev/null 2>&1
is "$?" 0 "ps 1 accepted"

for bad in " 5K" "+5K" "5KK" "5T" "K" "-1" "18446744073709551615K"; do
  usage "scan --max-bytes '$bad' refused" "$CAPSCOPE" scan --max-bytes "$bad" "$CAPSCOPE_TOP/examples"
done

for bad in "nan" "inf" " 1" "+1" "0x10" "1e999" "0" "-1"; do
  usage "trace --duration '$bad' refused" "$CAPSCOPE" trace --duration "$bad" -- true
done
for bad in " 1" "+1" "01" "0" "1x"; do
  usage "trace -p '$bad' refused" "$CAPSCOPE" trace -p "$bad"
done

for bad in " 0" "+0" "010" "0x" "1x" "4294967296"; do
  usage "run --user '$bad' refused" "$CAPSCOPE" run --dry-run --user "$bad" --group 0 -- true
done
done_testing

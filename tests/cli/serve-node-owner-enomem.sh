#!/usr/bin/env bash
# Two roots name one container id: a user's bundle in the first, root's in
# the second. The node agent takes root's (a user's bundle never hides a
# root container), and it looks the second bundle's owner up for that
# contest only (bundles.c, bundle_owner). When that look-up could not be
# made for memory, the owner was taken as a user's: the user's bundle
# kept, its namespace shown and root's process not named, with no error
# (twenty-first pass, an open point of part C). Now the scan fails, as it
# does for a pid file not read for memory. Each allocation of the scan is
# made to fail alone (tests/lib/failalloc.c, CS_FAILALLOC_SPAN=1): every
# run either fails with a message or gives root's container. Plain build:
# the ASan runtime must be loaded before any preload.
source "$(dirname "$0")/../lib/tap.sh"
source "$CAPSCOPE_TOP/tests/lib/failalloc.sh"
SCAN=$CAPSCOPE_BUILD/tests/helpers/node-scan
[ -x "$SCAN" ] || skip_all "tests/helpers/node-scan is not built"
[ "$(id -u)" = 0 ] || skip_all "needs root (files of root's and of a user's)"
tap_tmpdir
failalloc_build
ID=beef00000000000000000000000000000000000000000000000000000000000a
mkdir -p "$T/proc/777" "$T/user/$ID/userdata" "$T/root/$ID/userdata" &&
  chmod 755 "$T" "$T/user" "$T/root" "$T/user/$ID" "$T/root/$ID" \
    "$T/user/$ID/userdata" "$T/root/$ID/userdata" &&
  echo "0::/kubepods.slice/crio-$ID.scope" >"$T/proc/777/cgroup"
cfg() { # NS: a config.json naming pod namespace NS
  printf '{"ociVersion":"1.0.2","root":{"path":"rootfs"},"process":{"user":{"uid":0,"gid":0},"args":["/x"],"cwd":"/"},"annotations":{"io.kubernetes.pod.namespace":"%s","io.kubernetes.pod.name":"p"}}' "$1"
}
cfg evil >"$T/user/$ID/userdata/config.json" && chown 4321:4321 "$T/user/$ID/userdata/config.json" &&
  cfg prod >"$T/root/$ID/userdata/config.json"
ok $? "a user's bundle and root's of one id, in two roots"
scan() { # [env ...]: the scan's lines after the count, or its error
  env NODE_SCAN_NS=1 NODE_SCAN_ROOT2="$T/root" "$@" "$SCAN" "$T/proc" "$T/user" 0 2>&1 | grep -v '^[0-9]*$'
}
is "$(scan)" "$ID 777 1 prod" "root's bundle wins the contest, its process named"
scan CS_FAILALLOC_COUNT="$T/count" LD_PRELOAD="$T/failalloc.so" >/dev/null
calls=$(cat "$T/count")
[ "$calls" -gt 0 ] 2>/dev/null
ok $? "the scan's allocations counted ($calls)"
wrong=
failed=0
for ((n = 0; n < calls; n++)); do
  out=$(scan CS_FAILALLOC_AFTER=$n CS_FAILALLOC_SPAN=1 LD_PRELOAD="$T/failalloc.so")
  case "$out" in
  "$ID 777 1 prod") ;;
  "node-scan: "*) failed=$((failed + 1)) ;;
  *) wrong+=" $n:[${out//$'\n'/|}]" ;;
  esac
done
is "$wrong" "" "each allocation failing alone: root's container or an error, never the user's bundle"
[ "$failed" -gt 0 ]
ok $? "some failing allocations fail the scan ($failed of $calls)"
# The same at RLIMIT_NOFILE: each open of the scan made to fail alone
# with EMFILE (tests/helpers/emfile-on-open.c). The contest's look-up took
# it for a user's bundle (the user's kept, "0 0 evil"), root's config.json
# not opened was a config error ("0 0 -"), and process 777's cgroup not
# opened left it out of its container ("0 0 prod"), all with no error
# (twenty-sixth pass, part D).
SHIM=$CAPSCOPE_BUILD/tests/helpers/emfile-on-open.so
if [ -f "$SHIM" ]; then
  scan EMFILE_COUNT="$T/opens" LD_PRELOAD="$SHIM" >/dev/null
  opens=$(cat "$T/opens")
  wrong=
  for ((n = 1; n <= opens; n++)); do
    out=$(scan EMFILE_AT=$n LD_PRELOAD="$SHIM")
    case "$out" in
    "$ID 777 1 prod" | "node-scan: "*) ;;
    *) wrong+=" $n:[${out//$'\n'/|}]" ;;
    esac
  done
  is "$wrong" "" "each open failing alone with EMFILE ($opens): root's container or an error"
else
  skip "tests/helpers/emfile-on-open.so was not built"
fi
done_testing

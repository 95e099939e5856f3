#!/usr/bin/env bash
# The node agent took a bundle file's owner and its bytes in two looks: the
# owner from the path's entries (lstat), the bytes from an open of the path
# a moment later. A user who may rename in a directory of root's swapped
# root's config.json (or pid file) for their own between the two, and their
# file was read as root's: its annotations named root's container, its pid
# file the root container's first process (nineteenth pass, part H). The
# swap is made by tests/helpers/swap-on-open.c just before the first open of
# the file, a point fixed by counting opens, not by time. node-scan, plain
# build only: the ASan runtime must be loaded before any preload.
source "$(dirname "$0")/../lib/tap.sh"
SCAN=$CAPSCOPE_BUILD/tests/helpers/node-scan
SHIM=$CAPSCOPE_BUILD/tests/helpers/swap-on-open.so
[ -x "$SCAN" ] || skip_all "tests/helpers/node-scan is not built"
[ -f "$SHIM" ] || skip_all "tests/helpers/swap-on-open.so was not built"
[ "$(id -u)" = 0 ] || skip_all "needs root (files of root's and of a user's)"
tap_tmpdir
ID=beef000000000000000000000000000000000000000000000000000000000009
U=$T/root/$ID/userdata
mkdir -p "$T/proc/777" "$U" && chmod 755 "$T" "$T/root" "$T/root/$ID" "$U" &&
  echo "0::/kubepods.slice/crio-$ID.scope" >"$T/proc/777/cgroup"
cfg() { # NS: a config.json naming pod namespace NS
  printf '{"ociVersion":"1.0.2","root":{"path":"rootfs"},"process":{"user":{"uid":0,"gid":0},"args":["/x"],"cwd":"/"},"annotations":{"io.kubernetes.pod.namespace":"%s","io.kubernetes.pod.name":"p"}}' "$1"
}
fresh() { # root's config.json (prod) and a user's beside it (evil.json, uid 4321)
  cfg prod >"$U/config.json" && cfg evil >"$U/evil.json" && chown 4321:4321 "$U/evil.json"
}
scan() { # [env ...]: ID PID N_PROCS NAMESPACE of one scan
  env NODE_SCAN_NS=1 "$@" "$SCAN" "$T/proc" "$T/root" 0 | tail -n +2
}
fresh
ok $? "a root's userdata bundle, its process 777, and a user's file beside its config.json"
is "$(scan)" "$ID 777 1 prod" "unswapped: root's container, its process named"
# The swap: the user's file renamed over root's config.json just before
# the agent's first open of it. Before the fix the owner was root's (taken
# from the path first) and the bytes the user's: "777 1 evil".
is "$(scan LD_PRELOAD="$SHIM" SWAP_NAME=config.json SWAP_AT=1 SWAP_FROM="$U/evil.json" \
  SWAP_TO="$U/config.json")" "$ID 0 0 evil" \
  "config.json swapped for a user's before its open: read as the user's, names no root process"
# The pid file and runc's state.json are opened by the same open_owned
# (lib/node/bundles.c); a pid file names a live process, which a made /proc
# cannot give here: not swapped in this test.
# A directory on the way a symbolic link: not followed, not read.
fresh
mv "$T/root/$ID/userdata" "$T/real" && ln -s "$T/real" "$U"
is "$(scan)" "$ID 0 0 -" "the bundle's userdata a symbolic link (root's): not read, no root process"
done_testing

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
  # Made anew: written over, a config.json the user's by an earlier swap stayed the user's.
  rm -f "$U/config.json" "$U/evil.json"
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
# The pid file and runc's state.json (twentieth pass, part B: untested
# until then). Before the fix they were read by path and their owner taken
# after, by lstat of the path: a user's file in place for the read and
# root's renamed back just after the open (SWAP_WHEN=after) was read as
# root's, and the container named root's process 777. Now the owner is the
# opened file's: the user's, so no root process. The user's file names 777
# too: what it says does not matter, whose it is does.
pidfiles() { # the user's pid file in place, root's aside (root.pid)
  rm -f "$U/pidfile" "$U/root.pid"
  echo 777 >"$U/root.pid" && echo 777 >"$U/pidfile" && chown 4321:4321 "$U/pidfile"
}
fresh && pidfiles
is "$(scan)" "$ID 0 0 prod" "a user's pid file in root's bundle: names no root process"
mv "$U/root.pid" "$U/pidfile"
is "$(scan)" "$ID 777 1 prod" "root's pid file: root's container, its process named"
pidfiles
is "$(scan LD_PRELOAD="$SHIM" SWAP_NAME=pidfile SWAP_AT=1 SWAP_READS=1 SWAP_WHEN=after SWAP_FROM="$U/root.pid" \
  SWAP_TO="$U/pidfile")" "$ID 0 0 prod" \
  "a user's pid file read, root's renamed back after the open: read as the user's, names no root process"
rm -f "$U/pidfile" "$U/root.pid"
# runc's layout: RUNC/ID/state.json names the bundle and the first process.
R=$T/runc/$ID B=$T/bundle
mkdir -p "$R" "$B" && chmod 755 "$T/runc" "$R" "$B" && cfg prod >"$B/config.json"
states() { # the user's state.json in place, root's aside (root.json)
  local st='{"init_process_pid":777,"config":{"labels":["bundle='"$B"'"]}}'
  rm -f "$R/state.json" "$R/root.json"
  echo "$st" >"$R/root.json" && echo "$st" >"$R/state.json" && chown 4321:4321 "$R/state.json"
}
states && mv "$R/root.json" "$R/state.json"
is "$(env NODE_SCAN_NS=1 "$SCAN" "$T/proc" "runc:$T/runc" 0 | tail -n +2)" "$ID 777 1 prod" \
  "runc: root's state.json: its container, process 777"
states
is "$(env NODE_SCAN_NS=1 LD_PRELOAD="$SHIM" SWAP_NAME=state.json SWAP_AT=1 SWAP_READS=1 SWAP_WHEN=after \
  SWAP_FROM="$R/root.json" SWAP_TO="$R/state.json" "$SCAN" "$T/proc" "runc:$T/runc" 0 | tail -n +2)" \
  "$ID 0 0 prod" \
  "runc: a user's state.json read, root's renamed back after the open: the user's, names no root process"
# A directory on the way a symbolic link: not followed, not read.
fresh
mv "$T/root/$ID/userdata" "$T/real" && ln -s "$T/real" "$U"
is "$(scan)" "$ID 0 0 -" "the bundle's userdata a symbolic link (root's): not read, no root process"

# A user's bundle whose pid file names a process in no container's cgroup
# (the fallback for plain runc): it named any such process, root's too, as
# its pod's first process (twentieth pass, part B). Now only a process whose
# every uid is the bundle's owner's. Real processes (the pid file's number is
# checked with pidfd_open), a made /proc for their cgroup, start and status.
ID2=cafe000000000000000000000000000000000000000000000000000000000001
UB=$T/uroot/$ID2/userdata
mkdir -p "$UB" && chmod 755 "$T/uroot" "$T/uroot/$ID2" "$UB"
cfg kube-system >"$UB/config.json" && chown 4321:4321 "$UB/config.json"
printf 'cpu 0\nbtime 0\n' >"$T/proc/stat"
made_proc() { # PID UID: PID in no container's cgroup, started at boot, of uid UID
  mkdir -p "$T/proc/$1"
  echo "0::/user.slice/session-1.scope" >"$T/proc/$1/cgroup"
  echo "$1 (sleep) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 0 0 0" >"$T/proc/$1/stat"
  printf 'Name:\tsleep\nUid:\t%s\t%s\t%s\t%s\nGid:\t%s\t%s\t%s\t%s\n' "$2" "$2" "$2" "$2" "$2" "$2" "$2" "$2" >"$T/proc/$1/status"
  printf 'CapInh:\t0\nCapPrm:\t0\nCapEff:\t0\nCapBnd:\t0\nCapAmb:\t0\n' >>"$T/proc/$1/status"
}
sleep 600 &
P0=$!
setpriv --reuid 4321 --regid 4321 --clear-groups sleep 600 &
P1=$!
made_proc "$P0" 0 && made_proc "$P1" 4321
echo "$P0" >"$UB/pidfile" && chown 4321:4321 "$UB/pidfile"
uscan() { env NODE_SCAN_NS=1 "$SCAN" "$T/proc" "$T/uroot" 0 | grep "^$ID2 "; }
is "$(uscan)" "$ID2 0 0 kube-system" "a user's pid file naming root's process outside any container: not named"
echo "$P1" >"$UB/pidfile"
is "$(uscan)" "$ID2 $P1 1 kube-system" "a user's pid file naming the user's own process: named"
chown 0:0 "$UB/pidfile" "$UB/config.json"
echo "$P0" >"$UB/pidfile"
is "$(uscan)" "$ID2 $P0 1 kube-system" "root's pid file naming root's process outside any container: named (plain runc)"
# Twenty-sixth pass: the bundles of one directory are opened beneath it,
# walked to once a scan, with the owner of the directories above it. That
# owner still counts: a directory of the user's on the way, the bundle
# root or one above it, makes root's files below it the user's, and a
# symbolic link on the way is not followed, as when each file was walked to
# from "/".
chown 4321 "$T/uroot"
is "$(uscan)" "$ID2 0 0 kube-system" "the bundle root a user's: root's pid file below it names no root process"
chown 0 "$T/uroot" && chown 4321 "$T"
is "$(uscan)" "$ID2 0 0 kube-system" "a directory above the bundle root a user's: names no root process"
chown 0 "$T" && ln -s uroot "$T/ulink"
is "$(env NODE_SCAN_NS=1 "$SCAN" "$T/proc" "$T/ulink" 0 | grep "^$ID2 ")" "$ID2 0 0 -" \
  "the bundle root a symbolic link: its bundles not read, no process named"
is "$(uscan)" "$ID2 $P0 1 kube-system" "all root's again: named"
# Twenty-sixth pass, part D: the root as --bundle-root may spell it, and a
# user's directory below the root. The owner is the same as from "/".
rscan() { env NODE_SCAN_NS=1 "$SCAN" "$T/proc" "$1" 0 | grep "^$ID2 " | cut -d' ' -f2-3; }
mkdir -p "$T/x" && chmod 755 "$T/x"
is "$(rscan "$T/uroot//")" "$P0 1" "root's, trailing slashes: named"
is "$(rscan "$T/x/../uroot")" "$P0 1" "root's, through .. of root's directory: named"
chown 4321 "$T/x"
is "$(rscan "$T/x/..//uroot/")" "0 0" "through .. of a user's directory: names no root process"
chown 0 "$T/x" && chown 4321 "$T"
is "$(cd "$T" && rscan uroot/)" "0 0" "relative, the directory it starts from a user's: names no root process"
chown 0 "$T" && chown 4321 "$T/uroot/$ID2"
is "$(rscan "$T/uroot")" "0 0" "the bundle's directory a user's: names no root process"
chown 0 "$T/uroot/$ID2" && chown 4321 "$UB"
is "$(rscan "$T/uroot")" "0 0" "its userdata a user's: names no root process"
chown 0 "$UB"
is "$(cd "$T" && rscan uroot)" "$P0 1" "relative, all root's: named"
kill "$P0" "$P1"
wait "$P0" "$P1" 2>/dev/null
done_testing

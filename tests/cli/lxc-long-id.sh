#!/usr/bin/env bash
# asan-too
# An LXC container's id is its cgroup's name (lxc.payload.NAME), and was cut
# at 64 bytes (lib/cgroup.c): two containers whose names share their first
# 64 bytes were one container to ps, to the node agent (their processes
# counted together, the lowest the first of both) and to trace --container
# (nineteenth pass, part E, left open). The name is now kept whole (a cgroup
# name is at most 255 bytes). node-scan over a made /proc, and ps of
# processes moved into real cgroups of those names.
source "$(dirname "$0")/../lib/tap.sh"
tap_tmpdir
A=$(printf 'a%.0s' $(seq 64))
N1=${A}-one N2=${A}-two LONG=$(printf 'L%.0s' $(seq 243))

SCAN=${CAPSCOPE_BUILD:-$(dirname "$CAPSCOPE")}/tests/helpers/node-scan
case "$CAPSCOPE" in *asan*) SCAN=$(dirname "$CAPSCOPE")/tests/helpers/node-scan ;; esac
if [ -x "$SCAN" ]; then
  mkdir -p "$T/proc/777" "$T/proc/778" "$T/proc/779" "$T/root"
  echo "0::/lxc.payload.$N1/init.scope" >"$T/proc/777/cgroup"
  echo "0::/lxc.payload.$N2/init.scope" >"$T/proc/778/cgroup"
  echo "0::/lxc.payload.$LONG" >"$T/proc/779/cgroup"
  out=$("$SCAN" "$T/proc" "$T/root" 0)
  is "$(head -1 <<<"$out")" 3 "node agent: three LXC containers, two of names sharing 64 bytes"
  is "$(tail -n +2 <<<"$out" | sort)" "$(printf '%s\n' "$LONG 779 1" "$N1 777 1" "$N2 778 1" | sort)" \
    "node agent: each by its whole name, its own process"
  # Twentieth pass, part H: a cgroup's id was joined to the first bundle
  # whose id starts with it (for a runtime's short hex ids), so the LXC
  # container "web"'s process was the bundle "web-prod"'s first process.
  mkdir -p "$T/p2/777" "$T/ud/web-prod/userdata"
  echo "0::/lxc.payload.web" >"$T/p2/777/cgroup"
  echo '{}' >"$T/ud/web-prod/userdata/config.json"
  echo 999999 >"$T/ud/web-prod/userdata/pidfile"
  out=$("$SCAN" "$T/p2" "$T/ud" 0)
  is "$(tail -n +2 <<<"$out" | sort)" "$(printf '%s\n' "web 777 1" "web-prod 0 0" | sort)" \
    "node agent: the LXC container web is not the bundle web-prod (a name is whole, not a prefix)"
else
  for i in 1 2 3; do skip "tests/helpers/node-scan is not built"; done
fi

base=/sys/fs/cgroup/pids
[ -d $base ] || base=/sys/fs/cgroup/unified
pids=()
cleanup_cg() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  for n in "$N1" "$N2" "$LONG"; do rmdir "$base/capscope-test/lxc.payload.$n" 2>/dev/null; done
}
trap cleanup_cg EXIT
if mkdir -p "$base/capscope-test/lxc.payload.$N1" "$base/capscope-test/lxc.payload.$N2" \
  "$base/capscope-test/lxc.payload.$LONG" 2>/dev/null; then
  for n in "$N1" "$N2" "$LONG"; do
    sleep 67 &
    pids+=($!)
    echo $! >"$base/capscope-test/lxc.payload.$n/cgroup.procs"
  done
  json=$("$CAPSCOPE" ps --json "${pids[@]}")
  is "$(jq -r '.processes[0].container.id' <<<"$json")" "$N1" "ps: the first container's whole name"
  is "$(jq -r '.processes[1].container.id' <<<"$json")" "$N2" "ps: the second's, not the first's 64 bytes"
  is "$(jq -r '.processes[2].container.id' <<<"$json")" "$LONG" "ps: a name of 243 bytes (the longest lxc.payload. allows), whole"
else
  for i in 1 2 3; do skip "cannot create cgroups under $base"; done
fi
done_testing

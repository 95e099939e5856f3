#!/usr/bin/env bash
# The node inventory against what others control (issue 13, seventh pass).
# Its cost in the number of containers: every process's cgroup was looked up from the start of the
# container list, so a scan was quadratic in the containers, and an
# unprivileged user with a delegated cgroup subtree (rootless containers)
# can make thousands of cgroups named like a container's: 8,000 took 2.7 s
# a scrape, under the lock that /metrics and /api/v1/containers share.
# Instructions counted by cachegrind over a /proc made here (the same on a
# busy machine): four times the containers, at most five times the work.
# A pid file that outlives its process: its number, reused, is not the
# container's first process. The checks look at this test's containers by
# id: the inventory also shows whatever else runs on the machine.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/serve-lib.sh"
for t in valgrind python3 curl jq; do
  command -v $t >/dev/null || skip_all "$t is not installed (scripts/install-deps.sh)"
done
SCAN=$CAPSCOPE_BUILD/tests/helpers/node-scan
[ -x "$SCAN" ] || skip_all "tests/helpers/node-scan is not built"
tap_tmpdir
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$T"' EXIT

# CRI-O and Podman keep an exited container's userdata and pidfile (the
# kubelet keeps the last exited instance of each container), and the number
# in it is reused by any process: /metrics showed that process as the
# exited container, running, with its credentials. A process that started
# after the pid file was written is not the one it names.
ID=abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789
U=$T/ud/$ID/userdata
mkdir -p "$U"
jq -n '{ociVersion: "1.0.2", root: {path: "rootfs"},
  process: {user: {uid: 0, gid: 0}, args: ["/bin/sleep", "600"], cwd: "/",
    capabilities: {bounding: ["CAP_CHOWN"], effective: ["CAP_CHOWN"], permitted: ["CAP_CHOWN"]}},
  annotations: {"io.kubernetes.pod.namespace": "ns", "io.kubernetes.pod.name": "exited",
    "io.kubernetes.container.name": "c", "io.kubernetes.cri-o.ContainerType": "container"}}' >"$U/config.json"
sleep 600 &
S=$!
sleep 1.2
echo "$S" >"$U/pidfile"
serve_start A --webhook off --bundle-root "userdata:$T/ud"
is "$(curl -s "http://127.0.0.1:$A_PORT/api/v1/containers" | jq -c --arg id "$ID" '[.containers[] | select(.id == $id) | .pid]')" "[$S]" \
  "a pid file written after its process started: that process is the container's"
serve_stop A
# Twelfth pass, part E: the pid file was read with strtol, so "PIDx" and
# " PID" named PID. Digits and a newline are a pid; anything else none.
for junk in "${S}x" " $S" "+$S"; do
  printf '%s\n' "$junk" >"$U/pidfile"
  serve_start A --webhook off --bundle-root "userdata:$T/ud"
  is "$(curl -s "http://127.0.0.1:$A_PORT/api/v1/containers" | jq -c --arg id "$ID" '[.containers[] | select(.id == $id) | .pid]')" "[0]" \
    "a pid file holding '$junk': no process named"
  serve_stop A
done
echo "$S" >"$U/pidfile"
touch -d '1 hour ago' "$U/pidfile"
serve_start A --webhook off --bundle-root "userdata:$T/ud"
is "$(curl -s "http://127.0.0.1:$A_PORT/api/v1/containers" | jq -c --arg id "$ID" '[.containers[] | select(.id == $id) | .pid]')" "[0]" \
  "a process that started an hour after the pid file was written: not the container's (a reused pid)"
is "$(curl -s "http://127.0.0.1:$A_PORT/metrics" | grep -c 'pod="exited"')" 0 "…and /metrics shows no series for it"
serve_stop A
kill "$S"

# Ninth pass: the id label is an id's first 12 characters, and two containers
# without a pod whose ids begin alike (runc's "my-container-1" and
# "my-container-2"; a user's cgroup named to match a root container's first
# 12) had the same labels: duplicate series, Prometheus keeps one of them.
for id in my-container-1 my-container-2 other-container; do
  mkdir -p "$T/ud3/$id/userdata"
  jq -n '{ociVersion: "1.0.2", root: {path: "rootfs"},
    process: {user: {uid: 0, gid: 0}, args: ["/bin/sleep", "600"], cwd: "/"}}' \
    >"$T/ud3/$id/userdata/config.json"
  sleep 600 &
  echo $! >"$T/ud3/$id/userdata/pidfile"
  SL+=($!)
done
sleep 1.2 # the pid files' processes started before them (the pid-reuse check)
touch "$T"/ud3/*/userdata/pidfile
serve_start A --webhook off --bundle-root "userdata:$T/ud3"
curl -s "http://127.0.0.1:$A_PORT/metrics" >"$T/m3.txt"
# (this test's own: a machine running containers of its own shows them too)
is "$(grep '^capscope_container_info' "$T/m3.txt" | grep -E ',id="(my-|other-)' |
  sed 's/.*,id="\([^"]*\)".*/\1/' | sort | paste -sd' ')" \
  "my-container-1 my-container-2 other-contai" "ids that begin alike are labelled whole, another by its first 12"
is "$(grep -v '^#' "$T/m3.txt" | sort | uniq -d | wc -l)" 0 "no two samples with the same labels"
serve_stop A
kill "${SL[@]}"

# Eighth pass: a cgroup in a user's delegated subtree (below systemd's
# user@UID.service) may be named after a root container's id, which every
# /proc/PID/cgroup shows: its processes counted in that container and, the
# pid file naming none alive, the lowest became its first process (/metrics
# then showed the user's credentials as the container's).
R=1000000000000000000000000000000000000000000000000000000000000000
O=2000000000000000000000000000000000000000000000000000000000000000
M=3000000000000000000000000000000000000000000000000000000000000000
MINE=4000000000000000000000000000000000000000000000000000000000000000
OWN=5000000000000000000000000000000000000000000000000000000000000000
ME=$(id -u)
U2=$((ME + 4242))
FP=$T/fp
for id in $R $O $M; do
  mkdir -p "$T/ud2/$id/userdata"
  echo '{}' >"$T/ud2/$id/userdata/config.json"
  echo 999999 >"$T/ud2/$id/userdata/pidfile" # no process: the lowest in its cgroup is the first
done
python3 - "$FP" "$U2" "$R" "$O" "$M" "$MINE" "$OWN" <<'PY'
import os, sys
d, u, r, o, m, mine, own = sys.argv[1:]
user = "/user.slice/user-%s.slice/user@%s.service/app.slice/" % (u, u)
for pid, cg in ((300, "/machine.slice/crio-%s.scope" % r), (200, user + "crio-%s.scope" % r),
                (210, user + "crio-%s.scope" % o), (220, user + "crio-%s.scope" % m),
                (230, user + "libpod-%s.scope" % mine), (330, "/machine.slice/crio-%s.scope" % mine),
                (240, user + "libpod-%s.scope" % own)):
    os.makedirs(os.path.join(d, str(pid)))
    with open(os.path.join(d, str(pid), "cgroup"), "w") as f:
        f.write("0::%s\n" % cg)
PY
chown "$U2" "$T/ud2/$M/userdata/pidfile"
out=$("$SCAN" "$FP" "$T/ud2")
is "$(grep "^$R " <<<"$out")" "$R 300 1" "a user's cgroup named after a root container's id: not counted in it, not its first process"
is "$(grep "^$O " <<<"$out")" "$O 0 0" "…nor the only process of one that runs none"
is "$(grep "^$M " <<<"$out")" "$M 220 1" "a container whose state the user wrote (rootless) takes the user's cgroup"
is "$(grep "^$MINE " <<<"$out")" "$MINE 330 1" "an id seen in a runtime's cgroup and a user's: the runtime's process alone"
is "$(grep "^$OWN " <<<"$out")" "$OWN 240 1" "a user's own container, known by its cgroup alone: counted"
is "$(grep -c . <<<"$out")" 6 "no second entry under one id"

fakeproc() { # DIR N: N processes, each alone in a cgroup named like a container's
  python3 - "$1" "$2" <<'PY'
import os, sys
d, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    p = os.path.join(d, str(4000000 + i))
    os.makedirs(p)
    with open(os.path.join(p, "cgroup"), "w") as f:
        f.write("0::/user.slice/user-1000.slice/user@1000.service/docker/%064x\n" % (i * 7919 + 1))
PY
}
irefs() { # PROC -> instructions of node-scan PROC
  valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
    "$SCAN" "$1" 2>&1 >/dev/null | sed -n 's/.*I *refs: *//p' | tr -d ,
}
fakeproc "$T/p1" 1000 && fakeproc "$T/p4" 4000
is "$("$SCAN" "$T/p4")" 4000 "4,000 cgroups named like containers: 4,000 containers"
i1=$(irefs "$T/p1"); i4=$(irefs "$T/p4")
echo "# node scan (twice): N=1000 $i1, N=4000 $i4 instructions"
ok "$(awk "BEGIN { print ($i1 > 0 && $i4 <= 5 * $i1) ? 0 : 1 }")" \
  "four times the containers, at most five times the instructions (linear, not quadratic)"

# Ninth pass: each bundle directory was looked for from the start of the
# container list (twice), so every scrape after the first was quadratic in
# the bundles: 500 → 2,000 CRI-O bundles and eight warm scans cost 8.2x the
# instructions. Whoever may create pods makes bundles. Now a table by id.
fakeud() { # DIR N: N CRI-O/Podman userdata bundles, ids as runtimes make them
  python3 - "$1" "$2" <<'PY'
import hashlib, json, os, sys
d, n = sys.argv[1], int(sys.argv[2])
cfg = json.dumps({"ociVersion": "1.0.2", "root": {"path": "rootfs"},
                  "process": {"args": ["/bin/sh"], "cwd": "/", "user": {"uid": 0, "gid": 0}}})
for i in range(n):
    u = os.path.join(d, hashlib.sha256(b"%d" % i).hexdigest(), "userdata")
    os.makedirs(u)
    with open(os.path.join(u, "config.json"), "w") as f:
        f.write(cfg)
PY
}
fakeud "$T/ud1" 500 && fakeud "$T/ud4" 2000 && mkdir -p "$T/noproc"
is "$("$SCAN" "$T/noproc" "$T/ud4" 8 | head -n1)" 2000 "2,000 bundles: 2,000 containers"
irefs_ud() { # ROOT -> instructions of node-scan over ROOT, a cold scan and eight warm ones
  valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
    "$SCAN" "$T/noproc" "$1" 8 2>&1 >/dev/null | sed -n 's/.*I *refs: *//p' | tr -d ,
}
i1=$(irefs_ud "$T/ud1"); i4=$(irefs_ud "$T/ud4")
echo "# bundle scans (1 cold + 8 warm): N=500 $i1, N=2000 $i4 instructions"
ok "$(awk "BEGIN { print ($i1 > 0 && $i4 <= 5 * $i1) ? 0 : 1 }")" \
  "four times the bundles, at most five times the instructions (linear, not quadratic)"
# Twelfth pass, part E: in a pid namespace other than the host's (a pod
# without hostPID), the runtimes' pid files (host ids) named whichever of
# the namespace's processes held the number, and the containers' own
# processes were not seen. The inventory refuses to start there.
if unshare -pf --mount-proc true 2>/dev/null; then
  err=$(timeout 10 unshare -pf --mount-proc "$CAPSCOPE" serve --listen 127.0.0.1:0 --webhook off 2>&1)
  is "$?" 2 "serve in a pid namespace of its own: exit 2, at once"
  is "$err" "capscope serve: the node inventory reads the host's processes, and this capscope runs in another pid namespace (its pod needs hostPID: true); --no-inventory serves the webhook alone" \
    "...saying why"
else
  skip "unshare -pf --mount-proc is not permitted here"; skip "unshare -pf --mount-proc is not permitted here"
fi
done_testing

#!/usr/bin/env bash
# Scope: a busy unrelated process makes capability checks all the time; they
# must never appear in a trace of something else (command, -p, --cgroup),
# and must appear with --all (the control that the busy process is real).
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/trace-lib.sh"
trace_need_bpf
tap_tmpdir

cp "$HELPER" "$T/cs-busy"
# Long enough for a loaded machine (the suite takes ~30 s there); killed at exit.
"$T/cs-busy" busy 120 &
busy=$!
# Every cgroup v2 directory this test makes is named capscope-test-$$...:
# all are removed at exit, deepest first, each retried while a process that
# was just killed still counts in it (rmdir says EBUSY until it is reaped).
cgroups_made() {
  local r
  r=$(awk '$3 == "cgroup2" {print $2; exit}' /proc/self/mounts)
  [ -n "$r" ] && find "$r" -maxdepth 1 -name "capscope-test-$$*" -type d -print0 |
    xargs -0 -r -I{} find {} -depth -type d
}
cleanup() {
  kill "$busy" 2>/dev/null
  for d in $(cgroups_made); do
    for _ in $(seq 50); do rmdir "$d" 2>/dev/null || [ ! -d "$d" ] && break; sleep 0.02; done
  done
  rm -rf "$T"
}
trap cleanup EXIT
touch "$T/f"

has_busy() { jq -r '[.checks[], .noise[]] | map(.comms[]) | index("cs-busy") != null'; }

# 1. A command.
out=$("$CAPSCOPE" trace --json -- chown 65534 "$T/f")
is "$(has_busy <<<"$out")" false "command scope: the busy process does not appear"
is "$(jq -r '[.checks[] | select(.capability=="CAP_SETUID")] | length' <<<"$out")" 0 \
  "command scope: none of its CAP_SETUID checks"
is "$(caps_of '.profile.capabilities[]' <<<"$out")" CAP_CHOWN "command scope: profile CAP_CHOWN"
is "$(jq -r .processes <<<"$out")" 1 "command scope: one process"

# 2. -p PID follows the children the process starts after the trace began.
sh -c 'sleep 2; chown 65534 "$1"; sleep 0.3' sh "$T/f" &
pid=$!
out=$("$CAPSCOPE" trace --json -p "$pid")
ok $? "-p ends when the process exits"
is "$(jq -r '.checks[] | select(.capability=="CAP_CHOWN") | .comms | join(",")' <<<"$out")" \
  chown "-p: the chown child was followed"
is "$(has_busy <<<"$out")" false "-p: the busy process does not appear"
is "$(jq -r .scope <<<"$out")" pid "-p: scope pid"

# Tenth pass: a process that had exited when the trace began (here a
# zombie: the child of the process that becomes capscope, never reaped) was
# reported as traced: "0 processes, 0 checks, profile: (no capabilities)",
# exit 0, a profile nobody measured.
err=$(python3 -c 'import os, sys, time
p = os.fork()
if p == 0:
    os._exit(0)
time.sleep(0.2)
os.execv(sys.argv[1], [sys.argv[1], "trace", "-p", str(p)])' "$CAPSCOPE" 2>&1 >/dev/null)
is "$?" 2 "-p of a process that has exited: exit 2"
like "$err" "^capscope trace: process [0-9]+ exited before the trace began: nothing was traced$" \
  "…and says so, in one line"

# 3. --cgroup: a cgroup v2 directory and its processes.
root=$(awk '$3 == "cgroup2" {print $2; exit}' /proc/self/mounts)
if [ -n "$root" ] && mkdir "$root/capscope-test-$$" 2>/dev/null; then
  cg=$root/capscope-test-$$
  sh -c 'echo $$ >"$1/cgroup.procs" && for i in $(seq 40); do chown 65534 "$2"; chown 0 "$2"; sleep 0.1; done' \
    sh "$cg" "$T/f" &
  work=$!
  sleep 0.3
  out=$("$CAPSCOPE" trace --json --cgroup "$cg" --duration 1.5)
  ok $? "--cgroup with --duration ends"
  like "$(jq -r '.checks[] | select(.capability=="CAP_CHOWN") | .granted' <<<"$out")" \
    '^[1-9][0-9]*$' "--cgroup: the chowns in the cgroup are seen"
  is "$(has_busy <<<"$out")" false "--cgroup: the busy process does not appear"
  rel=${cg#"$root"/}
  out=$("$CAPSCOPE" trace --json --cgroup "$rel" --duration 0.5)
  is "$(jq -r .scope <<<"$out")" cgroup "--cgroup accepts a path relative to the cgroup2 mount"
  kill "$work" 2>/dev/null
  wait "$work" 2>/dev/null
  # Sixth pass: a cgroup removed during the trace (and made again at the same
  # path) was watched until --duration, counting nothing more, with no word:
  # the trace ends when it goes, and says so.
  cg2=$root/capscope-test-$$-gone
  mkdir "$cg2"
  (sh -c 'echo $$ >"$1/cgroup.procs"; for i in $(seq 30); do chown 65534 "$2"; chown 0 "$2"; sleep 0.1; done' \
     sh "$cg2" "$T/f"
   sleep 0.3; rmdir "$cg2"; mkdir "$cg2") &
  flip=$!
  t0=$(date +%s)
  out=$("$CAPSCOPE" trace --json --cgroup "$cg2" --duration 20 2>"$T/gone.err")
  ok $? "--cgroup: a removed cgroup ends the trace, exit 0"
  [ $(($(date +%s) - t0)) -lt 10 ]; ok $? "…well before --duration 20"
  like "$(cat "$T/gone.err")" "the cgroup was removed: the trace ended there" "…and says so"
  like "$(jq -r '.checks[] | select(.capability=="CAP_CHOWN") | .granted' <<<"$out")" \
    '^[1-9][0-9]*$' "…with the checks made in it"
  wait "$flip"
  rmdir "$cg2" 2>/dev/null
else
  for _ in 1 2 3 4 5 6 7 8; do skip "--cgroup: no writable cgroup v2 hierarchy here"; done
fi

# 3b. Seventh pass: -p ended when kill(PID, 0) said ESRCH, polled every
# 100 ms; a PID freed and handed to another process between two polls kept
# the trace going. This ran `trace -p` in a pid namespace of its own (where
# ns_last_pid makes the reuse certain) and passed, but there the tracer
# never followed anything: the BPF programs see the host's process ids, and
# `trace -p` and `trace -- CMD` in a pid namespace reported "0 processes" and
# an empty profile (twelfth pass, part E). They are refused now, with why;
# --cgroup and --all work there.
if unshare -pf --mount-proc true 2>/dev/null; then
  : >"$T/ns"
  res=$(timeout 40 unshare -pf --mount-proc sh -c '
    sleep 5 & P=$!
    "$1" trace -p $P 2>&1 >/dev/null; echo "rc=$?"
    "$1" trace -- chown 65534 "$2" 2>&1 >/dev/null; echo "rc=$?"
    cp "$1" "$3/cs-self-all"
    "$3/cs-self-all" trace --all --json -d 1 2>&1 >"$3/all.json"; echo "rc=$?"
    kill $P' sh "$CAPSCOPE" "$T/ns" "$T")
  msg="capscope trace: this capscope runs in a pid namespace other than the host's, and the tracer sees the host's process ids"
  is "$(sed -n 1,2p <<<"$res")" "$msg: it would follow no process; run it in the host's (hostPID: true), or give --cgroup or --container
rc=2" "-p in a pid namespace of its own: refused, exit 2 (it followed nothing)"
  is "$(sed -n 3,4p <<<"$res")" "$msg: it would follow no process; run it in the host's (hostPID: true), or give --cgroup or --container
rc=2" "a command in a pid namespace of its own: refused, exit 2 (it followed nothing)"
  is "$(stat -c %u "$T/ns")" 0 "...and the command was not run"
  # Fourteenth pass: the programs tell capscope by its id in its own
  # namespace, so --all (every process but capscope) runs there.
  is "$(sed -n 5p <<<"$res")" "rc=0" "--all in a pid namespace of its own: runs, exit 0, nothing on stderr"
  is "$(jq -r '[.checks[], .noise[] | .comms[] | select(. == "cs-self-all")] | length' "$T/all.json")" 0 \
    "...and counts none of its own checks (told by its id in its namespace)"
else
  for _ in 1 2 3 4 5; do skip "unshare -pf --mount-proc is not permitted here"; done
fi

# 3c. Tenth pass: --container took the first process whose container id
# started with the prefix: '' traced whichever container /proc listed
# first, and a prefix two containers share, one of them (docker and podman
# refuse both). Two fake containers (cgroups named as systemd's docker
# scopes) whose ids differ in the last digit.
err=$("$CAPSCOPE" trace --container '' --duration 0.2 2>&1 >/dev/null)
is "$?" 2 "--container '': exit 2"
is "$err" "capscope trace: --container: an empty id names no container" "…with one error"
if [ -n "$root" ] && mkdir "$root/capscope-test-$$-ids" 2>/dev/null; then
  ida=cafe0000$(printf '%055d' 1)a
  idb=cafe0000$(printf '%055d' 1)b
  mkdir "$root/capscope-test-$$-ids/docker-$ida.scope" "$root/capscope-test-$$-ids/docker-$idb.scope"
  pids=()
  for id in "$ida" "$idb"; do
    sh -c 'echo $$ >"$1/cgroup.procs" && exec sleep 20' sh "$root/capscope-test-$$-ids/docker-$id.scope" &
    pids+=($!)
  done
  sleep 0.3
  err=$("$CAPSCOPE" trace --container cafe0000 --duration 0.2 2>&1 >/dev/null)
  is "$?" 2 "--container PREFIX of two containers: exit 2"
  is "$err" "capscope trace: the ids of more than one running container start with 'cafe0000': give more of the id" \
    "…says so"
  out=$("$CAPSCOPE" trace --json --container "$idb" --duration 0.2)
  like "$(jq -r .target <<<"$out")" "docker-$idb.scope\$" "--container ID: the one container"
  kill "${pids[@]}"; wait "${pids[@]}" 2>/dev/null
  rmdir "$root/capscope-test-$$-ids/docker-$ida.scope" "$root/capscope-test-$$-ids/docker-$idb.scope" \
    "$root/capscope-test-$$-ids"
else
  for _ in 1 2 3; do skip "--container: no writable cgroup v2 hierarchy here"; done
fi

# 3c'. Twentieth pass, part H: an LXC container's id is its whole name, and
# `--container web` was refused while "web-prod" ran ("give more of the id":
# there is no more). An id given whole names its container; a prefix of two
# that is neither's whole id is still refused.
if [ -n "$root" ] && mkdir "$root/capscope-test-$$-lxc" 2>/dev/null; then
  pids=()
  for n in web web-prod; do
    mkdir "$root/capscope-test-$$-lxc/lxc.payload.$n"
    sh -c 'echo $$ >"$1/cgroup.procs" && exec sleep 20' sh "$root/capscope-test-$$-lxc/lxc.payload.$n" &
    pids+=($!)
  done
  sleep 0.3
  out=$("$CAPSCOPE" trace --json --container web --duration 0.2)
  like "$(jq -r .target <<<"$out")" "/lxc.payload.web\$" "--container NAME: the LXC container of that whole name, beside NAME-prod"
  out=$("$CAPSCOPE" trace --json --container web-prod --duration 0.2)
  like "$(jq -r .target <<<"$out")" "/lxc.payload.web-prod\$" "--container NAME-prod: that one"
  err=$("$CAPSCOPE" trace --container we --duration 0.2 2>&1 >/dev/null)
  is "$err" "capscope trace: the ids of more than one running container start with 'we': give more of the id" \
    "--container PREFIX of both, whole id of neither: refused"
  kill "${pids[@]}"; wait "${pids[@]}" 2>/dev/null
else
  for _ in 1 2 3; do skip "--container: no writable cgroup v2 hierarchy here"; done
fi

# 3g. Twelfth pass, part E: --container traced the cgroup v2 directory of
# the first process found with the id, not the container's: a container
# whose processes sit in cgroups below its own (systemd in a container, a
# workload that makes sub-cgroups) was traced in one of them ("0
# processes", its checks elsewhere missed); on a hybrid host, a container
# the runtime put in the v1 hierarchies only is in "0::/", and every process
# of the host was traced under its name.
if [ -n "$root" ] && mkdir "$root/cs-$$-n" 2>/dev/null; then
  id=cafe0002$(printf '%055d' 3)d
  base="$root/cs-$$-n/docker/$id"
  mkdir -p "$base/a" "$base/b"
  sh -c 'echo $$ >"$1/cgroup.procs" && exec sleep 20' sh "$base/a" &
  na=$!
  for _ in $(seq 200); do grep -q . "$base/a/cgroup.procs" && break; sleep 0.02; done
  : >"$T/nested"
  sh -c 'echo $$ >"$1/cgroup.procs"; while [ ! -e "$2.go" ]; do sleep 0.05; done; chown 65534 "$2"' \
    sh "$base/b" "$T/nested" &
  nb=$!
  for _ in $(seq 200); do grep -q . "$base/b/cgroup.procs" && break; sleep 0.02; done
  "$CAPSCOPE" trace --json --container "${id:0:16}" --duration 3 >"$T/nest.json" &
  tpid=$!
  sleep 1.5 # the tracer attached
  : >"$T/nested.go"
  wait $nb
  wait $tpid
  out=$(cat "$T/nest.json")
  like "$(jq -r .target <<<"$out")" "docker/$id\$" "--container: the container's own cgroup, not a process's below it"
  is "$(caps_of '.profile.capabilities[]' <<<"$out")" CAP_CHOWN \
    "--container: a check in another of its sub-cgroups is counted"
  # A second cgroup carrying the same id (a user may name one so): neither is
  # taken, one error names both.
  mkdir -p "$root/cs-$$-n/u/docker/$id"
  sh -c 'echo $$ >"$1/cgroup.procs" && exec sleep 20' sh "$root/cs-$$-n/u/docker/$id" &
  nc=$!
  for _ in $(seq 200); do grep -q . "$root/cs-$$-n/u/docker/$id/cgroup.procs" && break; sleep 0.02; done
  err=$("$CAPSCOPE" trace --container "$id" --duration 0.2 2>&1 >/dev/null)
  is "$?" 2 "--container ID named by two cgroups: exit 2"
  like "$err" "^capscope trace: container ${id:0:12} is in two cgroups, of processes $na and $nc \\(one perhaps a user's, named after it; give --cgroup PATH\\): '/cs-$$-n/docker/" \
    "...one error naming both"
  # Each path cut to its share, head and tail (sixteenth pass: the message's
  # own cut at 255 bytes lost the second path).
  like "$err" "'/cs-$$-n/docker/[0-9a-f]*\\.\\.\\.[0-9a-f]*${id: -8}', '/cs-$$-n/u/[^']*${id: -8}'\$" \
    "...both paths readable to their ends"
  kill $na $nc; wait $na $nc 2>/dev/null
  rmdir "$base/a" "$base/b" "$base" "$root/cs-$$-n/docker" \
    "$root/cs-$$-n/u/docker/$id" "$root/cs-$$-n/u/docker" \
    "$root/cs-$$-n/u" "$root/cs-$$-n"
else
  for _ in 1 2 3 4; do skip "--container: no writable cgroup v2 hierarchy here"; done
fi
v1=$(awk '$3 == "cgroup" && $4 ~ /(^|,)memory(,|$)/ {print $2; exit}' /proc/self/mounts)
if [ -n "$v1" ] && [ -n "$root" ] && grep -q '^0::/$' /proc/self/cgroup && mkdir -p "$v1/capscope-test-$$-v1/docker" 2>/dev/null; then
  id=cafe0003$(printf '%055d' 4)e
  mkdir "$v1/capscope-test-$$-v1/docker/$id"
  sh -c 'echo $$ >"$1/cgroup.procs" && exec sleep 20' sh "$v1/capscope-test-$$-v1/docker/$id" &
  nv=$!
  for _ in $(seq 200); do grep -q . "$v1/capscope-test-$$-v1/docker/$id/cgroup.procs" && break; sleep 0.02; done
  err=$("$CAPSCOPE" trace --json --container "$id" --duration 0.2 2>&1 >/dev/null)
  is "$?" 2 "--container of a container in the v1 hierarchies only: exit 2, nothing traced"
  is "$err" "capscope trace: container $id has no cgroup v2 directory of its own (process $nv is in '/' there; the runtime may use the v1 hierarchies only): nothing to trace it by" \
    "...says why"
  kill $nv; wait $nv 2>/dev/null
  rmdir "$v1/capscope-test-$$-v1/docker/$id" "$v1/capscope-test-$$-v1/docker" "$v1/capscope-test-$$-v1"
else
  for _ in 1 2; do skip "--container: no writable v1 memory hierarchy beside cgroup v2 (hybrid host) here"; done
fi

# 3h. Twelfth pass, part E: a hook asked for that cannot work here said
# "no way to trace cap_capable here" (--hook kprobe without a kprobe PMU, on
# a kernel whose tracepoint works), or blamed "kernel lockdown or an LSM"
# for the kernel's refusal of fexit on cap_capable alone. Now: that hook,
# and why. A kernel where the hook works passes as it is.
for h in fexit kprobe; do
  err=$("$CAPSCOPE" trace --hook "$h" -- true 2>&1 >/dev/null)
  if [ $? -eq 0 ]; then
    ok 0 "--hook $h works on this kernel"
  else
    like "$err" "^capscope trace: --hook $h cannot trace cap_capable here: [^;]+\$" "--hook $h: one error about that hook alone"
  fi
done

# 3f. Eleventh pass, part G: -p TID of a thread traced nothing (the tracer
# follows thread groups) and said "no capability checks" of a thread that
# made them. One clear error that names the process instead.
python3 -c '
import threading, time
threading.Thread(target=lambda: time.sleep(30), daemon=True).start()
time.sleep(30)' &
tp=$!
for _ in $(seq 200); do [ "$(ls /proc/$tp/task 2>/dev/null | wc -l)" -ge 2 ] && break; sleep 0.02; done
tid=$(ls /proc/$tp/task | sort -n | tail -n1)
err=$("$CAPSCOPE" trace -p "$tid" --duration 0.2 2>&1 >/dev/null)
is "$?" 2 "-p TID of a thread: exit 2"
is "$err" "capscope trace: $tid is a thread of process $tp: give -p $tp (a process is traced with all its threads)" \
  "…naming its process"
kill $tp; wait $tp 2>/dev/null

# 3e. Eleventh pass, part G: on `runc exec` the runtime's own init runs in
# the container's cgroup with the runtime's capabilities, and its setgroups,
# setuid and capset became the container's profile (CAP_SETGID, CAP_SETUID,
# CAP_SETPCAP for a workload that only chowns); serve leaves them out. A fake
# container whose "runc:[2:INIT]" (the comm runc gives it) calls setgroups
# and setresuid, then executes chown.
if [ -n "$root" ] && mkdir "$root/capscope-test-$$-init" 2>/dev/null; then
  id=cafe0001$(printf '%055d' 2)c
  cg="$root/capscope-test-$$-init/docker-$id.scope"
  mkdir "$cg"
  : >"$T/owned"
  python3 -c '
import ctypes, os, sys, time
open(sys.argv[1] + "/cgroup.procs", "w").write(str(os.getpid()))
while not os.path.exists(sys.argv[2] + ".go"):
    time.sleep(0.05)
ctypes.CDLL(None).prctl(15, b"runc:[2:INIT]", 0, 0, 0)
os.setgroups([0]); os.setresuid(0, 0, 0)
os.execvp("chown", ["chown", "7", sys.argv[2]])' "$cg" "$T/owned" &
  ipid=$!
  for _ in $(seq 200); do grep -q . "$cg/cgroup.procs" && break; sleep 0.02; done
  "$CAPSCOPE" trace --json --container "$id" --duration 4 >"$T/init.json" &
  tpid=$!
  sleep 1 # the tracer attached; the "init" then goes on
  : >"$T/owned.go"
  wait $ipid
  wait $tpid
  out=$(cat "$T/init.json")
  is "$(jq -r '.profile.capabilities | join(",")' <<<"$out")" CAP_CHOWN \
    "--container: the runtime init's setgroups and setuid are not the workload's profile"
  ok "$([ "$(jq -r .runtime_init_checks <<<"$out")" -ge 2 ] && echo 0 || echo 1)" \
    "--container: they are counted as the runtime init's ($(jq -r .runtime_init_checks <<<"$out"))"
  rmdir "$cg" "$root/capscope-test-$$-init"
else
  for _ in 1 2; do skip "--container: no writable cgroup v2 hierarchy here"; done
fi

# 3d. Tenth pass: -p PID tracked every descendant of PID, capscope itself
# included when it is one (`trace -p $$` from a shell, `-p 1`): its own
# reads of /proc and kallsyms became the shell's CAP_SYS_PTRACE and
# CAP_SYSLOG, a profile for a shell that did nothing.
cp "$CAPSCOPE" "$T/cs-tracer"
out=$(bash -c '"$1" trace --json -p $$ --duration 1; true' sh "$T/cs-tracer")
is "$(jq -r '[.checks[], .noise[]] | map(.comms[]) | index("cs-tracer") != null' <<<"$out")" false \
  "-p \$\$ of the shell capscope runs from: capscope's own checks are not the shell's"
is "$(jq -r '.profile.capabilities | length' <<<"$out")" 0 "…and the idle shell's profile is empty"
err=$(bash -c 'exec "$1" trace -p $$ --duration 1' sh "$T/cs-tracer" 2>&1 >/dev/null)
is "$?" 2 "-p of capscope's own pid: exit 2"
like "$err" "^capscope trace: process [0-9]+ is this capscope trace itself$" "…says so"

# 4. The control: --all does see the busy process.
out=$("$CAPSCOPE" trace --json --all --duration 1)
is "$(jq -r '.checks[] | select(.capability=="CAP_SETUID") | .comms | index("cs-busy") != null' \
  <<<"$out")" true "--all: the busy process's CAP_SETUID checks are there (control)"
# capscope under a name of its own (other capscope processes may run on this host).
cp "$CAPSCOPE" "$T/cs-selfcheck"
out=$("$T/cs-selfcheck" trace --json --all --duration 1)
is "$(jq -r '[.checks[], .noise[]] | map(.comms[]) | index("cs-selfcheck") != null' <<<"$out")" \
  false "--all: capscope does not trace itself"
kill -0 "$busy"
ok $? "the busy process was alive throughout"
done_testing

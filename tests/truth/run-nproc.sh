#!/usr/bin/env bash
# RLIMIT_NPROC after the run's user change (lib/launch-nproc.c): setresuid
# to a user that already has more tasks than the limit succeeds, and the
# kernel then refuses execve with EAGAIN (PF_NPROC_EXCEEDED). The run said
# "step 'execve' failed: E11 (Resource temporarily unavailable)", and its
# dry run predicted a command that runs (exit 0). Both binaries.
source "$(dirname "$0")/../lib/tap.sh"
need_root
command -v setpriv >/dev/null || skip_all "setpriv (util-linux) is not installed"
B=${CAPSCOPE_BUILD:-$CAPSCOPE_TOP/build}
tap_tmpdir
# One task of nobody's own for as long as the test runs: the kernel marks
# the run's setresuid over the limit when nobody's other tasks number more
# than it, so with a limit of 0 one is enough (more only add to it).
setpriv --reuid nobody --regid nogroup --clear-groups sleep 600 &
sleeper=$!
trap 'kill $sleeper 2>/dev/null; rm -rf "$T"' EXIT
# Not before it is nobody's: until setpriv's setresuid, nobody may have no
# task and the first run would rightly run (bounded, and then a failure).
sleeper_uid() { awk '/^Uid:/ {print $2}' "/proc/$sleeper/status" 2>/dev/null; }
for _ in $(seq 200); do
  [ "$(sleeper_uid)" = 65534 ] && break
  sleep 0.05
done
is "$(sleeper_uid)" 65534 "a task of nobody's runs"

# An ASan build's leak check starts a thread at exit, which a task over
# RLIMIT_NPROC cannot: it would fail the run, not capscope.
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
bins=("$CAPSCOPE run")
[ -x "$B/cli/capscope-run" ] && bins+=("$B/cli/capscope-run")
for bin in "${bins[@]}"; do
  name=${bin##*/}
  out=$(ulimit -S -u 0; $bin --user nobody --clear-groups -- echo ran 2>"$T/err")
  rc=$?
  is "$rc" 127 "$name: over RLIMIT_NPROC: exit 127"
  is "$out" "" "$name: over RLIMIT_NPROC: nothing ran"
  is "$(wc -l <"$T/err")" 1 "$name: over RLIMIT_NPROC: one line"
  like "$(cat "$T/err")" "EAGAIN \(uid 65534 already has more tasks \(processes and threads\) than this process's RLIMIT_NPROC \(0\).*nothing was run\)$" \
    "$name: over RLIMIT_NPROC: says why"
  (ulimit -S -u 0; $bin --user nobody --clear-groups --dry-run -- echo ran >"$T/out" 2>&1)
  is "$?" 127 "$name --dry-run: over RLIMIT_NPROC: predicts that nothing runs (exit 127)"
  like "$(cat "$T/out")" "execve of echo would fail: EAGAIN" "$name --dry-run: says EAGAIN"
  like "$(cat "$T/out")" "execve.nproc: uid 65534 .*RLIMIT_NPROC \(0\)" "$name --dry-run: the step says why"
  json=$(ulimit -S -u 0; $bin --user nobody --clear-groups --dry-run --json -- echo ran)
  is "$(python3 -c 'import json,sys; e=json.loads(sys.argv[1])["exec"]; print(e["ok"], e["error"])' "$json")" \
    "False EAGAIN" "$name --dry-run --json: exec fails with EAGAIN"
  # The control: under a limit nobody's tasks do not reach, it runs.
  out=$(ulimit -S -u "$(ulimit -H -u)"; $bin --user nobody --clear-groups -- echo ran)
  is "$out" "ran" "$name: under RLIMIT_NPROC: runs"
  (ulimit -S -u "$(ulimit -H -u)"; $bin --user nobody --clear-groups --dry-run -- echo ran >/dev/null)
  is "$?" 0 "$name --dry-run: under RLIMIT_NPROC: predicts that it runs"
done

# In a user namespace the kernel counts the namespace's tasks again as its
# owner's, held to the owner's limit when it made it: uid 1000 inside has
# no task, the owner (host uid 1000, its limit 0 then) is over. The run said
# "uid 1000 already has more processes than this process's RLIMIT_NPROC
# (96365)", untrue of both. capscope-run is copied where uid 1000 can run it.
chmod 755 "$T"
runner=("${CAPSCOPE%% *}" run)
if [ -x "$B/cli/capscope-run" ]; then
  cp "$B/cli/capscope-run" "$T/capscope-run" && chmod 755 "$T/capscope-run"
  runner=("$T/capscope-run")
fi
cat >"$T/ns.py" <<'PY'
import os, sys, resource, ctypes
libc = ctypes.CDLL(None, use_errno=True)
r, w = os.pipe(); r2, w2 = os.pipe()
pid = os.fork()
if pid == 0:
    os.setgroups([]); os.setresgid(1000, 1000, 1000)
    h = resource.getrlimit(resource.RLIMIT_NPROC)[1]
    resource.setrlimit(resource.RLIMIT_NPROC, (0, h))
    os.setresuid(1000, 1000, 1000)
    if libc.unshare(0x10000000) != 0:
        os._exit(3)
    os.write(w, b"x"); os.read(r2, 1)
    os.setresgid(0, 0, 0); os.setresuid(0, 0, 0)
    resource.setrlimit(resource.RLIMIT_NPROC, (h, h))
    os.execvp(sys.argv[1], sys.argv[1:])
os.close(w)
if os.read(r, 1) == b"x":
    for f in ("uid_map", "gid_map"):
        open(f"/proc/{pid}/{f}", "w").write("0 1000 1\n1 100001 65535\n")
os.write(w2, b"x")
_, st = os.waitpid(pid, 0); sys.exit(os.waitstatus_to_exitcode(st))
PY
out=$(python3 "$T/ns.py" "${runner[@]}" --user 1000 --group 1000 --clear-groups -- /bin/true 2>&1)
rc=$?
if [ "$rc" = 3 ]; then
  skip "no user namespace for uid 1000 here"
else
  is "$rc" 127 "user namespace: over its owner's RLIMIT_NPROC: exit 127"
  like "$out" "EAGAIN \(uid 1000, or the owner of this user namespace \(or of one above, held to the limit it had when it made it\), already has more tasks than RLIMIT_NPROC \(here [0-9]+\).*nothing was run\)$" \
    "user namespace: says that the owner's count may be the one over"
fi
done_testing

#!/usr/bin/env bash
# asan-too
# A traced process that renames itself before each check (comm is part of a
# row's key) fills the kernel's counts map (16,384 rows). Fourteenth pass:
# every later check of every process in scope was then only counted as
# lost ("N checks were not counted"), so a capability another process used
# after the flood could be missing from the profile. Now such checks are
# counted by capability, verdict and kind of user namespace
# (bpf/capscope.bpf.c, spill): every check made is counted, none dropped.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/trace-lib.sh"
trace_need_bpf
command -v python3 >/dev/null || skip_all "python3 missing"
tap_tmpdir

n=30000
cat >"$T/flood.py" <<PY
import ctypes, os
libc = ctypes.CDLL(None)
open("$T/f", "w").close()
open("$T/g", "w").close()
os.chown("$T/g", 4321, 4321)
for i in range($n):
    libc.prctl(15, ctypes.c_char_p(b"r%07d" % i), 0, 0, 0)  # PR_SET_NAME
    os.chown("$T/f", 1234, 1234)  # CAP_CHOWN for the uid, again for the gid
pid = os.fork()
if pid == 0:
    # Another process, after the map is full: CAP_FOWNER (chmod of a file
    # of another uid), five times under five names.
    for i in range(5):
        libc.prctl(15, ctypes.c_char_p(b"late%d" % i), 0, 0, 0)
        os.chmod("$T/g", 0o600 + i)
    os._exit(0)
os.waitpid(pid, 0)
PY
"$CAPSCOPE" trace --json -- python3 "$T/flood.py" >"$T/out.json" 2>"$T/err"
rc=$?
is "$rc" 0 "trace of $n renames and chowns, then a child's chmods: exit 0"
unattr=$(jq -r .unattributed_checks "$T/out.json")
dropped=$(jq -r .dropped_checks "$T/out.json")
[ "$unattr" -gt 0 ] || [ "$dropped" -gt 0 ] || skip_all "the map never filled here"
ok "$([ "$unattr" -gt 0 ]; echo $?)" "checks counted after the map was full ($unattr)"
is "$(jq -r .processes_lower_bound "$T/out.json")" true "so the process count is a lower bound"
is "$(jq -r .dropped_checks "$T/out.json")" 0 "no check dropped"
is "$(jq -r '[.checks[] | select(.capability == "CAP_CHOWN") | .granted] | add // 0' "$T/out.json")" \
  $((2 * n + 2)) "all $((2 * n + 2)) CAP_CHOWN checks counted (two for g)"
is "$(jq -r '[.checks[] | select(.capability == "CAP_FOWNER") | .granted] | add // 0' "$T/out.json")" \
  5 "the later process's 5 CAP_FOWNER checks counted"
ok "$(jq -e '.profile.capabilities | index("CAP_FOWNER") != null' "$T/out.json" >/dev/null; echo $?)" \
  "CAP_FOWNER in the profile"
ok "$([ "$unattr" -le $((2 * n + 5)) ]; echo $?)" "unattributed ($unattr) no more than the checks made"
is "$(cat "$T/err")" "" "nothing on stderr (--json: unattributed_checks says it)"

# The text report says what was counted without its process.
"$CAPSCOPE" trace -- python3 "$T/flood.py" >"$T/out.txt" 2>"$T/err2"
like "$(cat "$T/out.txt")" "checks were counted without their process" "the text report says so"
# Eighteenth pass, part E: the child's checks all had no process, and the
# header counted the processes of the rows alone, "1 process", untrue.
like "$(sed -n 2p "$T/out.txt")" "^traced 'python3' via [^ ]+: at least [0-9]+ process(es)?, " \
  "the header's process count said to be a lower bound"
ok "$(! grep -q "were not counted" "$T/out.txt"; echo $?)" "and no check was lost"
like "$(grep '^profile:' "$T/out.txt")" "CAP_FOWNER" "CAP_FOWNER in the text profile"
done_testing

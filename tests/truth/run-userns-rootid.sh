#!/usr/bin/env bash
# asan-too
# capscope run from a caller two user namespaces down. A file setcap gave on
# the host (rootid host 0) is shown there as v3 with the rootid the host's
# root has in that namespace (1000 here); execve still applies it, since
# host 0 is root of a namespace above (security/commoncap.c
# rootid_owns_currentns walks to the initial one). The model mapped the
# rootid one level up only (/proc/self/uid_map), called it nobody's root
# and ignored the file's capabilities: `--securebits noroot --caps =` ran
# the command with cap_net_raw, `--ambient chown` ran it with its ambient
# set cleared, and the dry run predicted neither. Both binaries, the run
# and its dry run; the kernel's own answer is the oracle (the same file run
# without --caps). Made real with namespaces of the test's own, whose maps
# it writes as root.
source "$(dirname "$0")/../lib/tap.sh"
need_root
command -v setcap >/dev/null || skip_all "setcap (libcap2-bin) is not installed"
B=${CAPSCOPE_BUILD:-$CAPSCOPE_TOP/build}
tap_tmpdir
chmod 755 "$T"
mkdir "$T/out" && chmod 1777 "$T/out"

# nest UIDMAP GIDMAP CMD...: CMD as uid and gid 0 of a new user namespace
# whose maps ("inner outer count;...") this process writes.
cat >"$T/nest.py" <<'EOF'
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
um, gm, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
r, w = os.pipe()
r2, w2 = os.pipe()
pid = os.fork()
if pid == 0:
    os.close(w); os.close(r2)
    if libc.unshare(0x10000000) != 0:
        os._exit(125)
    os.write(w2, b"x"); os.close(w2)
    if os.read(r, 1) != b"g":
        os._exit(125)
    os.setresgid(0, 0, 0); os.setgroups([]); os.setresuid(0, 0, 0)
    os.execvp(cmd[0], cmd)
os.close(r); os.close(w2)
if os.read(r2, 1) != b"x":
    sys.exit(125)
for name, m in (("uid_map", um), ("gid_map", gm)):
    with open(f"/proc/{pid}/{name}", "w") as f:
        f.write(m.replace(";", "\n") + "\n")
os.write(w, b"g")
_, st = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(st))
EOF
# The first level maps 0 to host 100000 and its 1000 to host 0; the second
# its 0 to the first's 0, its 1000 to the first's 1000 (host 0) and its 5
# to the first's 5 (host 100005, root of neither).
nest2() {
  python3 "$T/nest.py" "0 100000 1000;1000 0 1" "0 100000 1000;1000 0 1" \
    python3 "$T/nest.py" "0 0 1;1000 1000 1;5 5 1" "0 0 1;1000 1000 1" "$@"
}
[ "$(nest2 id -u 2>/dev/null)" = 0 ] || skip_all "cannot make two nested user namespaces here"

cp /bin/cat "$T/fcat" && cp /bin/touch "$T/ftouch" && cp /bin/cat "$T/vcat"
setcap cap_net_raw+ep "$T/fcat" && setcap cap_net_raw+ep "$T/ftouch" &&
  setcap -n 100005 cap_net_raw+ep "$T/vcat" || skip_all "setcap failed on $T"
like "$(nest2 getcap -n "$T/fcat")" "rootid=1000" "the host's file is v3, rootid 1000, two levels down"

bins=("$CAPSCOPE run")
[ -x "$B/cli/capscope-run" ] && bins+=("$B/cli/capscope-run")
for bin in "${bins[@]}"; do
  name=${bin##*/}
  nest2 $bin --help >/dev/null 2>&1 || { skip "$name cannot be run two namespaces down"; continue; }
  # The kernel's answer: run without --caps (nothing checked), root under
  # noroot gets exactly the file's permitted set.
  out=$(nest2 $bin --securebits noroot -- "$T/fcat" /proc/self/status 2>&1)
  like "$out" $'CapPrm:\t0000000000002000' "$name: the kernel gives the file cap_net_raw two levels down"
  out=$(nest2 $bin --dry-run --securebits noroot -- "$T/fcat" 2>&1)
  like "$out" "permitted +0000000000002000" "$name: the dry run predicts it"
  for opts in "--caps =" "--ambient chown"; do
    rm -f "$T/out/ran"
    out=$(nest2 $bin --securebits noroot $opts -- "$T/ftouch" "$T/out/ran" 2>&1)
    is "$?" 127 "$name $opts: refused (exit 127)"
    ok "$([ ! -e "$T/out/ran" ]; echo $?)" "$name $opts: nothing ran ($out)"
    is "$(wc -l <<<"$out")" 1 "$name $opts: one line"
    like "$out" "step 'execve' refused: EPERM \\(.*ftouch would (gain 1 capability the plan drops \\(cap_net_raw|not keep the ambient set asked for)" \
      "$name $opts: names the file's gain or loss"
    out=$(nest2 $bin --dry-run --securebits noroot $opts -- "$T/ftouch" 2>&1)
    is "$?" 127 "$name --dry-run $opts: 127 too"
    like "$out" "execve.fcaps: [^ ]*ftouch has file capabilities" "$name --dry-run $opts: the file's capabilities apply"
  done
  # Control: a rootid that is root of no namespace above (host 100005, 5
  # here) is ignored by execve; the run runs it and the kernel agrees.
  out=$(nest2 $bin --securebits noroot --caps = -- "$T/vcat" /proc/self/status 2>&1)
  is "$?" 0 "$name: a v3 file for a root of no namespace above runs"
  like "$out" $'CapPrm:\t0000000000000000' "$name: ...and gains nothing"
  # The question cannot be asked (no user namespace may be made below):
  # no answer, nothing runs.
  rm -f "$T/out/ran"
  out=$(nest2 sh -c 'echo 0 >/proc/sys/user/max_user_namespaces && exec "$@"' sh \
    $bin --securebits noroot --caps = -- "$T/ftouch" "$T/out/ran" 2>&1)
  is "$?" 127 "$name: with no user namespace to ask from: exit 127"
  ok "$([ ! -e "$T/out/ran" ]; echo $?)" "$name: ...nothing ran ($out)"
  # Its dry run: the refusal, and no "execve would fail: 0" of an execve
  # it never modelled (nor "error": "0" in JSON).
  noask() { nest2 sh -c 'echo 0 >/proc/sys/user/max_user_namespaces && exec "$@"' sh \
    $bin --dry-run "$@" --securebits noroot --caps = -- "$T/ftouch" 2>&1; }
  out=$(noask)
  is "$?" 127 "$name --dry-run with no user namespace to ask from: 127"
  like "$out" "The run refuses it \\(exit 127\\): cannot read what execve would look at" \
    "$name --dry-run: ...says why"
  ok "$(grep -q 'would fail' <<<"$out"; echo $((!$?)))" "$name --dry-run: ...and no execve failure it never modelled"
  like "$(noask --json)" '"exec":\{"ok":false,"error":null,' "$name --dry-run --json: error null"
done
done_testing

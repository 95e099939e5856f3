#!/usr/bin/env bash
# capscope trace's command line: help, usage errors (exit 2), and the clear
# errors that need no BPF.
source "$(dirname "$0")/../lib/tap.sh"

out=$("$CAPSCOPE" trace --help)
ok $? "--help exits 0"
like "$out" "Examples:" "--help has examples"
like "$out" "--profile KIND" "--help lists --profile"

usage() { # expected-message args...
  local want=$1; shift
  local err
  err=$("$CAPSCOPE" trace "$@" 2>&1 >/dev/null)
  is "$?" 2 "exit 2: trace $*"
  like "$err" "$want" "message: trace $*"
  like "$err" "Try 'capscope trace --help'" "hint: trace $*"
}
usage "nothing to trace"
usage "either a command or one of" -p 1 -- true
usage "exclude each other" -p 1 --all
usage "not one of k8s, scc, setcap, run, docker, systemd" --profile kube -- true
usage "use it with -- CMD" --verify --all
usage "is for -p, --cgroup" --duration 3 -- true
usage "not a number of seconds" --duration abc --all
usage "not a process id" -p 12x
# Eighteenth pass, part E: an empty --cgroup was the cgroup2 mount's root,
# every process of the machine traced (`--cgroup "$CG"` with CG unset).
usage "^capscope trace: --cgroup: an empty path names no cgroup \\(the whole hierarchy is '/'\\)" \
  --cgroup '' --duration 1
usage "unknown option|unrecognized option|invalid option" --bogus -- true

if [ "$(id -u)" -eq 0 ]; then
  err=$("$CAPSCOPE" trace --container 0000deadbeef0000 2>&1)
  is "$?" 2 "unknown container: exit 2"
  like "$err" "no running container's id starts with '0000deadbeef0000'" "unknown container: message"
  err=$("$CAPSCOPE" trace -p 999999999 2>&1)
  is "$?" 2 "a process that does not exist: exit 2"
  like "$err" "process 999999999: no such process" "…with its message"
  # Tenth pass: the test hook matched as a prefix: '' took every hook and a
  # typo none, reported as the kernel having "no way to trace cap_capable".
  for h in '' tp kprob bogus; do
    err=$("$CAPSCOPE" trace --hook "$h" -- true 2>&1 >/dev/null)
    is "$?" 2 "--hook '$h': exit 2"
    is "$err" "capscope trace: '$h' is not a hook: tp_btf, fexit or kprobe" "--hook '$h': one error"
  done
  err=$("$CAPSCOPE" trace --cgroup /tmp --duration 1 2>&1)
  like "$err" "not a directory of the cgroup v2 hierarchy|no cgroup v2" "--cgroup outside cgroupfs"
  # Without the capabilities BPF needs: one clear sentence, exit 1.
  if command -v capsh >/dev/null; then
    err=$(capsh --drop=cap_sys_admin,cap_bpf,cap_perfmon -- -c "'$CAPSCOPE' trace -- true" 2>&1)
    is "$?" 2 "without CAP_BPF/CAP_PERFMON/CAP_SYS_ADMIN: exit 2"
    like "$err" "not allowed to trace with BPF: run as root, or give capscope CAP_BPF and CAP_PERFMON" \
      "without the capabilities: says which are needed"
  else
    skip "capsh missing"; skip "capsh missing"
  fi
else
  for _ in 1 2 3 4 5 6 7; do skip "needs root"; done
fi
done_testing

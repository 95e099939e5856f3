#!/usr/bin/env bash
# asan-too
# capscope run under a caller's seccomp filter (tests/helpers/seccomp-errno):
# every step the run takes made to fail, or to "succeed" having done
# nothing, must end in exit 127 with one line and the command not run.
# The find: a filter refusing fgetxattr (EPERM, or ENOSYS as for a call the
# profile does not know) made the check read the file's ACL as execve's
# EPERM, predict that execve fails, and let the real execveat go ahead:
# `--caps =` ran a cap_net_raw+ep file with cap_net_raw, `--ambient
# net_raw` ran it with its ambient set cleared. Both binaries, the run and
# its dry run.
source "$(dirname "$0")/../lib/tap.sh"
need_root
command -v setcap >/dev/null || skip_all "setcap (libcap2-bin) is not installed"
B=${CAPSCOPE_BUILD:-$CAPSCOPE_TOP/build}
S=$B/tests/helpers/seccomp-errno
[ -x "$S" ] || skip_all "no tests/helpers/seccomp-errno in $B"
"$S" prctl:99=1 -- true 2>/dev/null
case $? in 0) ;; 77) skip_all "seccomp-errno is an x86-64 filter" ;;
  *) skip_all "cannot install a seccomp filter here" ;; esac
tap_tmpdir
chmod 755 "$T"
mkdir "$T/out" && chmod 1777 "$T/out"
cp /bin/touch "$T/ftouch" && cp /bin/cat "$T/fcat"
setcap cap_net_raw+ep "$T/ftouch" && setcap cap_net_raw+ep "$T/fcat" ||
  skip_all "setcap failed on $T"

bins=("$CAPSCOPE run")
[ -x "$B/cli/capscope-run" ] && bins+=("$B/cli/capscope-run")
# The marker: made by the command, in a directory any user may write.
M=(sh -c "touch $T/out/ran")
EPERM=1 ENOSYS=38
for bin in "${bins[@]}"; do
  name=${bin##*/}
  # FILTER-RULES -- OPTIONS -- CMD: exit status 127, nothing ran, one line.
  refused() {
    local rules=() opts=() out rc
    while [ "$1" != -- ]; do rules+=("$1"); shift; done; shift
    while [ "$1" != -- ]; do opts+=("$1"); shift; done; shift
    rm -f "$T/out/ran"
    out=$("$S" "${rules[@]}" -- $bin "${opts[@]}" -- "$@" 2>&1 >/dev/null)
    rc=$?
    is "$rc" 127 "$name ${opts[*]} under ${rules[*]}: exit 127"
    ok "$([ ! -e "$T/out/ran" ]; echo $?)" "$name ${opts[*]} under ${rules[*]}: nothing ran"
    is "$(wc -l <<<"$out")" 1 "$name ${opts[*]} under ${rules[*]}: one line ($out)"
  }
  # The find: the file's ACL and capabilities cannot be read.
  for rule in fgetxattr=$EPERM fgetxattr=$ENOSYS getxattr=$EPERM; do
    refused "$rule" -- --securebits noroot --caps = -- "$T/ftouch" "$T/out/ran"
    refused "$rule" -- --user 65534 --group 65534 --keep-groups --ambient net_raw -- \
      "$T/ftouch" "$T/out/ran"
    "$S" "$rule" -- $bin --dry-run --securebits noroot --caps = -- "$T/ftouch" >/dev/null 2>&1
    is "$?" 127 "$name --dry-run --caps = under $rule: 127 too"
  done
  # The control: without the filter the file is refused for its gain, and
  # run without --caps it has cap_net_raw (the kernel's own answer).
  refused prctl:99=1 -- --securebits noroot --caps = -- "$T/ftouch" "$T/out/ran"
  like "$("$S" fgetxattr=$EPERM -- $bin --securebits noroot -- "$T/fcat" /proc/self/status)" \
    $'CapPrm:\t0000000000002000' "$name: the kernel gives the file cap_net_raw, filter or not"

  # Each step refused (EPERM, ENOSYS), then faked (0: nothing done, the
  # read-back must see it). Prctl options: 8 KEEPCAPS, 24 CAPBSET_DROP,
  # 27 GET_SECUREBITS, 28 SET_SECUREBITS, 38 NO_NEW_PRIVS, 47 CAP_AMBIENT.
  all=(--user 65534 --group 65534 --groups 7 --ambient chown --bounding chown,net_raw
       --securebits noroot --no-new-privs)
  for rule in prctl:8=0 prctl:24=1 prctl:24=0 prctl:27=1 prctl:28=1 prctl:28=0 \
              prctl:38=1 prctl:38=0 prctl:47=1 prctl:47=$ENOSYS prctl:47=0 \
              capset=1 capset=$ENOSYS capset=0 setgroups=1 setgroups=0 \
              setresuid=1 setresuid=0 setresgid=1 setresgid=0; do
    refused "$rule" -- "${all[@]}" -- "${M[@]}"
  done
  # execveat "succeeding" without executing (errno 0): errno was stale
  # (ENOENT: a binfmt_misc handler blamed, or the next $PATH entry tried).
  refused execveat=0 -- --securebits noroot --caps = -- "${M[@]}"
  like "$("$S" execveat=0 -- $bin --securebits noroot --caps = -- "${M[@]}" 2>&1)" \
    "step 'execve' refused: EPROTO \\(execve of .* returned 0 without executing it" \
    "$name: a faked execveat is said as it is"
  # The control: the same request, no rule that matches, runs.
  rm -f "$T/out/ran"
  "$S" prctl:99=1 -- $bin "${all[@]}" -- "${M[@]}"
  is "$?" 0 "$name: the same request without a matching rule runs"
  ok "$([ -e "$T/out/ran" ]; echo $?)" "$name: ...and the command ran"
done
done_testing

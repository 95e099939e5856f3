#!/usr/bin/env bash
# capscope run fails closed: from a caller whose bounding set has already
# lost cap_net_raw (capsh --drop), every option that asks for cap_net_raw
# must refuse (exit 127, one line naming it) and run nothing — never run
# with the intersection. Both binaries: capscope run and the static
# capscope-run. Then the option-level refusals (exit 2) that keep one
# command line meaning one thing.
source "$(dirname "$0")/../lib/tap.sh"
need_root
command -v capsh >/dev/null || skip_all "capsh (libcap2-bin) is not installed"
B=${CAPSCOPE_BUILD:-$CAPSCOPE_TOP/build}
tap_tmpdir
# $T/cmd flipped between $T/$1 and $T/fcat (cap_net_raw=ep) as fast as
# possible while `$bin --user nobody --caps =` runs it 200 times: it must
# never run with a capability ($bin from the caller's loop).
swap_race() {
  python3 -c '
import os, sys
os.chdir(sys.argv[1]); i = 0
while True:
    t = sys.argv[2] if i & 1 else "fcat"; i += 1
    try: os.unlink("n")
    except FileNotFoundError: pass
    os.symlink(t, "n"); os.rename("n", "cmd")' "$T" "$1" & local swapper=$! hits=0 ran=0 out
  for _ in $(seq 200); do
    out=$($bin --user nobody --clear-groups --caps = -- "$T/cmd" /proc/self/status 2>/dev/null) &&
      ran=$((ran + 1)) && [ "$(grep CapPrm <<<"$out")" != $'CapPrm:\t0000000000000000' ] &&
      hits=$((hits + 1))
  done
  kill $swapper; wait $swapper 2>/dev/null
  is "$hits" 0 "$2: never ran with capabilities ($ran of 200 ran)"
}
chmod 755 "$T"

bins=("$CAPSCOPE run")
[ -x "$B/cli/capscope-run" ] && bins+=("$B/cli/capscope-run")

# Under a reduced bounding set: cmd... ; prints "rc" then stderr lines.
reduced() {
  rm -f "$T/ran"
  capsh --drop=cap_net_raw -- -c "$* -- touch '$T/ran' 2>'$T/err'; echo \$?"
}

for bin in "${bins[@]}"; do
  name=${bin##*/}
  grep -q cap_net_raw <<<"$(capsh --drop=cap_net_raw -- -c 'capsh --print' | grep Bounding)" &&
    { skip "capsh --drop did not drop cap_net_raw"; continue; }
  for opts in "--bounding net_raw,chown" "--bounding all" "--dry-run --bounding net_raw" \
              "--caps cap_net_raw=ep" "--inh net_raw" "--ambient net_raw" \
              "--user nobody --clear-groups --ambient net_raw"; do
    rc=$(reduced "$bin $opts")
    is "$rc" 127 "$name $opts with cap_net_raw gone from bounding: exit 127"
    [ ! -e "$T/ran" ]; ok $? "$name $opts: nothing ran"
    is "$(wc -l <"$T/err")" 1 "$name $opts: one line on stderr"
    like "$(cat "$T/err")" "cap_net_raw|EPERM" "$name $opts: names the capability or the error"
  done
  # The control: what is still there can be asked for, and it runs.
  # Root at execve gets its bounding set back as permitted (the root rule):
  # "--caps =" ran the command with every capability. Refused; noroot runs.
  rm -f "$T/ran"
  $bin --caps = -- touch "$T/ran" 2>"$T/err"
  is "$?" 127 "$name --caps = as root: refused"
  like "$(cat "$T/err")" "uid 0 would get .* back at execve.*noroot" "$name --caps =: says why"
  out=$($bin --caps = --securebits noroot -- grep CapPrm /proc/self/status)
  is "$out" $'CapPrm:\t0000000000000000' "$name --caps = --securebits noroot: runs with none"
  out=$($bin --bounding chown --caps cap_chown=ep -- grep CapPrm /proc/self/status)
  is "$out" $'CapPrm:\t0000000000000001' "$name --bounding chown --caps cap_chown=ep: runs with chown"
  # A file without "#!" that is not ELF: execve says ENOEXEC, and execvp
  # then ran it with /bin/sh, a program neither asked for nor predicted.
  printf 'touch %s/ran\n' "$T" >"$T/noshebang"
  chmod 755 "$T/noshebang"
  for how in "$T/noshebang" noshebang; do
    rm -f "$T/ran"
    PATH=$T:$PATH $bin --no-new-privs -- "$how" 2>"$T/err"
    is "$?" 127 "$name $how without #!: exit 127"
    [ ! -e "$T/ran" ]; ok $? "$name $how without #!: /bin/sh did not run it"
    like "$(cat "$T/err")" "ENOEXEC" "$name $how without #!: says ENOEXEC"
  done
  # ... and --dry-run predicts the same (the model reads the format too).
  $bin --no-new-privs --dry-run -- "$T/noshebang" >"$T/out" 2>&1
  like "$(cat "$T/out")" "ENOEXEC" "$name --dry-run of a file without #!: predicts ENOEXEC"
  # A command that cannot be executed is named in the one escaped form:
  # the "execve failed" line printed it raw (an image's CMD behind
  # capscope-run could write ESC sequences to the operator's terminal).
  $bin -- $'./\e[31mnope' 2>"$T/err"
  is "$?" 127 "$name a missing command with ESC: exit 127"
  ! grep -q $'\e' "$T/err"; ok $? "$name a missing command with ESC: no raw ESC on stderr"
  like "$(cat "$T/err")" 'ENOENT.*\\x1b\[31mnope' "$name a missing command with ESC: escaped"
  # The root rule for a file (fourth pass): --caps = for nobody, then a
  # set-uid root file, or one with file capabilities, gained them at execve
  # and ran; so did a "#!" script whose interpreter is such a file. Refused;
  # --no-new-privs (the kernel then grants nothing) runs.
  if command -v setcap >/dev/null; then
    cp /bin/true "$T/suid" && chmod 4755 "$T/suid"
    cp /bin/true "$T/fcap" && setcap cap_net_raw=ep "$T/fcap"
    printf '#!%s\n' "$T/fcap" >"$T/script" && chmod 755 "$T/script" # its interpreter's caps
    # a relative interpreter is taken from the working directory, by the kernel and the check
    printf '#!fcap\n' >"$T/relscript" && chmod 755 "$T/relscript"
    for f in suid fcap script relscript; do
      (cd "$T" && $bin --user nobody --clear-groups --caps = -- "./$f") 2>"$T/err"
      is "$?" 127 "$name --caps = -- ./$f: exit 127"
      like "$(cat "$T/err")" "would gain .* at execve.*--no-new-privs" "$name ./$f: says why"
      (cd "$T" && $bin --user nobody --clear-groups --caps = --no-new-privs -- "./$f")
      is "$?" 0 "$name --caps = --no-new-privs -- ./$f runs"
    done
    (cd "$T" && $bin --user nobody --clear-groups --caps = --dry-run -- ./fcap) >"$T/out"
    like "$(grep -c 'would fail' "$T/out")" '^0$' "$name --dry-run ./fcap: found from the working directory"
    # With PATH unset the run searches execvp's default (/bin:/usr/bin); the
    # check looked in no directory at all, found nothing to refuse, and a
    # set-uid root passwd ran with every capability (exit 0).
    if [ -u /usr/bin/passwd ] && [ "$(stat -c %u /usr/bin/passwd)" = 0 ]; then
      env -u PATH $bin --user nobody --clear-groups --caps = -- passwd --help >/dev/null 2>"$T/err"
      is "$?" 127 "$name PATH unset, --caps = -- passwd (set-uid root): exit 127"
      like "$(cat "$T/err")" "passwd would gain .* at execve" "$name PATH unset: the file execvp finds is checked"
    else
      skip "/usr/bin/passwd is not set-uid root"; skip "/usr/bin/passwd is not set-uid root"
    fi
    # Fifth pass. The check looked the command up as the caller (root, who
    # may search any directory); the run's execvp walk is done as the new
    # user, skips a directory it may not search (EACCES) and ran the next
    # one: a file-capability copy, exit 0 with cap_net_raw.
    mkdir -p "$T/priv" "$T/pub" && chmod 700 "$T/priv"
    cp /bin/true "$T/priv/fcapcmd" && cp /bin/true "$T/pub/fcapcmd"
    setcap cap_net_raw=ep "$T/pub/fcapcmd"
    PATH=$T/priv:$T/pub $bin --user nobody --clear-groups --caps = -- fcapcmd 2>"$T/err"
    is "$?" 127 "$name --caps = -- fcapcmd after a directory nobody cannot search: exit 127"
    like "$(cat "$T/err")" "pub/fcapcmd would gain" "$name: the file the new user's walk finds is checked"
    # Tenth pass: without --caps the launcher raised the caller's whole
    # effective set again after setresuid, so execve itself ran with it:
    # the walk searched the directory nobody may not (priv's copy ran), a
    # root-only 0700 file ran as nobody, and an execute-only file stayed
    # dumpable. Now only the ambient set is effective at execve.
    printf '#!/bin/sh\necho priv\n' >"$T/priv/whichdir" && chmod 755 "$T/priv/whichdir"
    printf '#!/bin/sh\necho pub\n' >"$T/pub/whichdir" && chmod 755 "$T/pub/whichdir"
    is "$(PATH=$T/priv:$T/pub $bin --user nobody --clear-groups -- whichdir)" pub \
      "$name --user nobody (no --caps): the walk skips a directory nobody cannot search"
    # Tenth pass: a dry run that predicts nothing executed exited 0 (the
    # plan's own refusals already exited 127, also with --dry-run).
    for how in "" --json; do
      $bin --dry-run $how -- "$T/no-such-cmd" >/dev/null 2>&1
      is "$?" 127 "$name --dry-run $how of a missing command: exit 127, as the run"
      $bin --dry-run $how --user nobody --clear-groups --caps = -- passwd >/dev/null 2>&1
      is "$?" 127 "$name --dry-run $how --caps = -- passwd (refused at execve): exit 127"
      $bin --dry-run $how --user nobody --clear-groups -- true >/dev/null 2>&1
      is "$?" 0 "$name --dry-run $how of what runs: exit 0"
    done
    cp /bin/true "$T/root700" && chmod 700 "$T/root700"
    $bin --user nobody --clear-groups -- "$T/root700" 2>"$T/err"
    is "$?" 127 "$name --user nobody (no --caps) -- a root-only 0700 file: exit 127"
    like "$(cat "$T/err")" "EACCES" "$name: EACCES, as execve says to nobody"
    is "$($bin --user nobody --clear-groups --ambient net_bind_service -- grep CapEff /proc/self/status)" \
      $'CapEff:\t0000000000000400' "$name --user nobody --ambient: the ambient set is effective"
    # A file nobody may execute but not read (0711): its file capabilities
    # are read through its O_PATH descriptor's /proc link.
    cp /bin/true "$T/x711" && setcap cap_net_raw=ep "$T/x711" && chmod 711 "$T/x711"
    $bin --user nobody --clear-groups --caps = -- "$T/x711" 2>"$T/err"
    is "$?" 127 "$name --caps = -- a 0711 file-capability file: exit 127"
    out=$(setpriv --reuid 65534 --regid 65534 --clear-groups $bin --dry-run -- "$T/x711" |
          grep -A2 '^After execve' | grep permitted)
    like "$out" "cap_net_raw" "$name --dry-run as nobody of a 0711 file: predicts its file capabilities"
    # ... and a "#!" script nobody cannot read: its interpreter cannot be
    # checked, so it does not run.
    printf '#!%s\n' "$T/fcap" >"$T/s711" && chmod 711 "$T/s711"
    $bin --user nobody --clear-groups --caps = -- "$T/s711" 2>"$T/err"
    is "$?" 127 "$name --caps = -- an unreadable script: exit 127"
    like "$(cat "$T/err")" "cannot be read to check its interpreter" "$name: says why"
    # The file checked is the file executed (execveat of the checked
    # descriptor): cmd swapped between a plain cat and a file-capability
    # copy as fast as possible; before, about 1 run in 30 got cap_net_raw.
    cp /bin/cat "$T/plain" && cp /bin/cat "$T/fcat" && setcap cap_net_raw=ep "$T/fcat"
    swap_race plain "$name --caps = while cmd is swapped"
    # The same race through a "#!" script: execveat of a script fails
    # (ENOENT), and executing it again by its path ran whatever the path
    # named by then; its interpreter is now executed from a checked
    # descriptor instead.
    printf '#!/bin/cat\n' >"$T/sc" && chmod 755 "$T/sc"
    swap_race sc "$name --caps = while a script is swapped"
    # The interpreter gets the argv the kernel builds: name, its argument, the path, the rest.
    printf '#!/bin/echo  one  two \n' >"$T/args.sh" && chmod 755 "$T/args.sh"
    is "$(cd "$T" && $bin --user nobody --clear-groups --caps = -- ./args.sh a 'b c')" \
      "$(cd "$T" && ./args.sh a 'b c')" "$name a checked script's interpreter gets the kernel's argv"
    # "#!fcap": the kernel opens a relative interpreter from the working
    # directory; the model skipped it and modelled the script: CapPrm 0x2000
    # under --caps =, and --dry-run predicted nothing.
    printf '#!fcap\n' >"$T/relscript" && chmod 755 "$T/relscript"
    (cd "$T" && $bin --user nobody --clear-groups --caps = -- ./relscript) 2>"$T/err"
    is "$?" 127 "$name --caps = -- a script with '#!fcap' (relative): exit 127"
    like "$(cat "$T/err")" "relscript would gain" "$name '#!fcap': says why"
    out=$(cd "$T" && $bin --user nobody --clear-groups --caps = --dry-run -- ./relscript |
          grep -A2 '^After execve' | grep permitted)
    like "$out" "cap_net_raw" "$name --dry-run '#!fcap': predicts the interpreter's capabilities"
    # An ELF whose PT_INTERP is missing: execveat says ENOENT, and run then
    # executed its path again, so whatever was put there after the check ran
    # unchecked (the fallback is for "#!" scripts only). Seen with strace.
    if command -v strace >/dev/null && command -v cc >/dev/null &&
       printf 'int main(void){return 0;}\n' >"$T/noi.c" &&
       cc -o "$T/noi" "$T/noi.c" -Wl,--dynamic-linker=/nonexistent/ld.so 2>/dev/null; then
      strace -f -qq -e trace=execve,execveat -o "$T/trace" \
        $bin --user nobody --clear-groups --caps = -- "$T/noi" 2>"$T/err"
      is "$?" 127 "$name --caps = -- an ELF with a missing interpreter: exit 127"
      ! grep -q "^[0-9]* *execve(\"$T/noi\"" "$T/trace"
      ok $? "$name: its path is not executed again after execveat said ENOENT"
    else
      skip "strace or cc missing"
      skip "strace or cc missing"
    fi
    # Seventh pass: a file-capability copy of mode 0700 whose POSIX ACL lets
    # nobody execute it. The check read permission from the mode bits
    # ("no"), saw no gain, and execveat (the kernel reads the ACL) ran it
    # with CapPrm 0x2000, exit 0; a script naming it likewise.
    cp /bin/cat "$T/facl" && setcap cap_net_raw=ep "$T/facl" && chmod 700 "$T/facl"
    printf '#!%s\n' "$T/facl" >"$T/sacl" && chmod 755 "$T/sacl"
    if python3 -c '
import os, struct, sys
e = [(1, 7, 0xffffffff), (2, 5, 65534), (4, 0, 0xffffffff), (0x10, 5, 0xffffffff), (0x20, 0, 0xffffffff)]
os.setxattr(sys.argv[1], "system.posix_acl_access",
            struct.pack("<I", 2) + b"".join(struct.pack("<HHI", *x) for x in e))' "$T/facl" 2>/dev/null; then
      for f in facl sacl; do
        out=$($bin --user nobody --clear-groups --caps = -- "$T/$f" /proc/self/status 2>"$T/err")
        is "$?" 127 "$name --caps = -- $f (an ACL lets nobody execute a cap_net_raw=ep file): exit 127"
        like "$(cat "$T/err")" "$f would gain" "$name $f: the ACL-executable file is checked"
      done
      out=$($bin --user nobody --clear-groups --caps = --no-new-privs -- "$T/facl" /proc/self/status)
      like "$out" $'CapPrm:\t0000000000000000' "$name --no-new-privs -- facl runs with nothing"
      out=$($bin --dry-run --user nobody --clear-groups --caps = -- "$T/facl")
      like "$out" "The run refuses it \\(exit 127\\): .*facl would gain" "$name --dry-run -- facl: says the run refuses it"
      # ... and of the script: its interpreter's ACL is asked too (it
      # predicted EACCES from the interpreter's mode bits).
      out=$($bin --dry-run --user nobody --clear-groups --caps = -- "$T/sacl")
      like "$out" "The run refuses it \\(exit 127\\): .*sacl would gain" "$name --dry-run -- sacl: says the run refuses it"
    else
      for _ in 1 2 3 4 5 6 7; do skip "this file system takes no POSIX ACL"; done
    fi
    # Without --caps a command runs by its path as before ($0, comm).
    printf '#!/bin/sh\necho "$0"\n' >"$T/name.sh" && chmod 755 "$T/name.sh"
    is "$(cd "$T" && $bin --caps = --securebits noroot -- ./name.sh)" "./name.sh" "$name a script run by a checked run keeps its \$0"
  else
    skip "setcap (libcap2-bin) is not installed"
  fi
  rc=$(reduced "$bin --bounding chown,kill")
  is "$rc" 0 "$name --bounding chown,kill still runs"
  [ -e "$T/ran" ]; ok $? "$name --bounding chown,kill: the command ran"

  # Seventh pass: a caller in more supplementary groups than the model holds
  # (256) was refused with exit 2, which CMD itself may return, and the
  # message said "has 0 supplementary groups, more than the model holds".
  rm -f "$T/ran"
  setpriv --groups "$(seq -s, 1000 1299)" $bin --keep-groups -- touch "$T/ran" 2>"$T/err"
  is "$?" 127 "$name in 300 supplementary groups: exit 127"
  [ ! -e "$T/ran" ]; ok $? "$name in 300 groups: nothing ran"
  like "$(cat "$T/err")" "has 300 supplementary groups, more than the model holds \\(256\\)" "$name in 300 groups: counts them"

  # keep-caps-locked alone with a user change cannot be carried out; the
  # refusal said only "the kernel would refuse this step (EPERM)".
  $bin --user nobody --clear-groups --securebits keep-caps-locked -- true 2>"$T/err"
  is "$?" 127 "$name --securebits keep-caps-locked --user nobody: exit 127"
  like "$(cat "$T/err")" "keep-caps-locked without keep-caps" "$name keep-caps-locked: says why"

  # Eleventh pass: every other refusal of the model said only "the kernel
  # would refuse this step (EPERM)"; it now says which of the kernel's
  # reasons holds (a caller with locked securebits, one without CAP_SETPCAP
  # or CAP_SETGID).
  rm -f "$T/ran"
  if command -v setpriv >/dev/null; then
    setpriv --inh-caps +setpcap,+chown --ambient-caps +setpcap,+chown \
      --securebits +noroot,+noroot_locked -- $bin --securebits 0 -- touch "$T/ran" 2>"$T/err"
    is "$?" 127 "$name --securebits 0 under noroot-locked: exit 127"
    like "$(cat "$T/err")" "0x3 → 0x0: a locked bit would change; nothing was run" "$name locked noroot: says why"
    setpriv --inh-caps +chown --ambient-caps +chown --securebits +noroot \
      -- $bin --securebits noroot -- touch "$T/ran" 2>"$T/err"
    like "$(cat "$T/err")" "CAP_SETPCAP is not effective; nothing was run" "$name securebits without CAP_SETPCAP: says why"
    setpriv --inh-caps +chown --ambient-caps +chown --securebits +noroot \
      -- $bin --group 1 --keep-groups -- touch "$T/ran" 2>"$T/err"
    like "$(cat "$T/err")" "needs CAP_SETGID; nothing was run" "$name --group without CAP_SETGID: says why"
    [ ! -e "$T/ran" ]; ok $? "$name refused securebits and group: nothing ran"
  else
    for _ in 1 2 3 4 5; do skip "setpriv is not installed"; done
  fi

  # Eighteenth pass (part F): two refusals of the plan did not say that
  # nothing was run, as every other refusal does (an ambient capability
  # the caller does not hold, --ambient with no-cap-ambient-raise).
  rm -f "$T/ran"
  if command -v setpriv >/dev/null; then
    setpriv --reuid 65534 --regid 65534 --clear-groups -- $bin --ambient chown -- touch "$T/ran" 2>"$T/err"
    is "$?" 127 "$name --ambient chown without it: exit 127"
    like "$(cat "$T/err")" "cannot be made ambient: not in this process's permitted set; nothing was run" \
      "$name --ambient chown without it: says that nothing was run"
  else
    for _ in 1 2; do skip "setpriv is not installed"; done
  fi
  $bin --ambient chown --securebits no-cap-ambient-raise -- touch "$T/ran" 2>"$T/err"
  is "$?" 127 "$name --ambient with no-cap-ambient-raise: exit 127"
  like "$(cat "$T/err")" "contradict each other; nothing was run" \
    "$name --ambient with no-cap-ambient-raise: says that nothing was run"
  [ ! -e "$T/ran" ]; ok $? "$name refused ambient: nothing ran"

  # Eleventh pass: in a user namespace that refuses setgroups (unshare -r
  # writes "deny"; no gid_map yet) the model let --clear-groups through and
  # the run failed at setgroups with a bare "EPERM (Operation not
  # permitted)". The model now refuses first and says why; a namespace whose
  # maps a privileged parent wrote ("allow") still runs.
  rm -f "$T/ran"
  unshare -U -r $bin --clear-groups --group 0 -- touch "$T/ran" 2>"$T/err"
  is "$?" 127 "$name --clear-groups under setgroups deny: exit 127"
  like "$(cat "$T/err")" "setgroups is denied in this user namespace \\(its setgroups file says deny\\); nothing was run" "$name setgroups deny: says why"
  unshare -U -r $bin --dry-run --clear-groups --group 0 -- true 2>"$T/err" >/dev/null
  like "$(cat "$T/err")" "refused: EPERM .*setgroups file says deny" "$name setgroups deny: the dry run says it too"
  unshare -U --keep-caps $bin --clear-groups -- touch "$T/ran" 2>"$T/err"
  like "$(cat "$T/err")" "\\(no gid_map is written\\)" "$name setgroups before a gid_map: says why"
  [ ! -e "$T/ran" ]; ok $? "$name setgroups refused: nothing ran"
  is "$("$CAPSCOPE_TOP/tests/lib/userns-allow.py" $bin --clear-groups --group 0 --securebits noroot -- id -G 2>&1)" "0" \
    "$name --clear-groups where setgroups is allowed: runs"

  # Contradictions and options that would be silently narrowed: exit 127 / 2, nothing run.
  for case in "127|--caps cap_chown=ep --ambient kill" "127|--caps cap_chown=eip --inh kill" \
              "127|--inh chown --ambient kill" \
              "127|--caps =" "127|--caps cap_chown=ep" "127|--bounding chown,kill --caps cap_chown=ep" \
              "2|--caps cap_chown=ep --caps cap_kill=ep" "2|--bounding chown --bounding kill" \
              "2|--user 12345 --clear-groups" "2|--user ' 0' --group 0 --clear-groups" \
              "2|--user +0 --group 0 --clear-groups" "2|--group ' 0'" "2|--groups 0,,1" \
              "2|--groups ''" "2|--securebits ' 1'" "2|--securebits 010" "2|--securebits 1x" \
              "2|--securebits 0x100000000"; do
    want=${case%%|*} opts=${case#*|}
    rm -f "$T/ran"
    eval "$bin $opts -- touch '$T/ran'" 2>"$T/err"
    is "$?" "$want" "$name $opts: exit $want"
    [ ! -e "$T/ran" ]; ok $? "$name $opts: nothing ran"
  done
done

# Eighth pass: a binfmt_misc handler refuses a close-on-exec descriptor with
# ENOENT (execve by path would run its interpreter, whose file capabilities
# the check never saw), and the --caps run took that ENOENT for a missing ELF
# loader and went on to the next $PATH directory: another program than
# execvp runs. Now refused. A user and mount namespace of our own holds the
# handler (binfmt_misc may be mounted in one since Linux 6.7).
bm=$T/bm
mkdir -m 755 "$bm" "$bm/pb"
cp "$(command -v cat)" "$bm/fcat" && cp "$(type -P true)" "$bm/pb/prog"
printf 'ZZCAPSCOPE\n' >"$bm/prog" && chmod 755 "$bm/prog" "$bm/pb/prog"
# Ninth pass: a "#!" script a handler claims (by its extension, or by magic
# bytes that are its "#!" line) was run through its own interpreter, where
# execve by path runs the handler's; and the dry run did not know handlers.
printf '#!/bin/echo SCRIPT-RAN\n' >"$bm/s.zz" && printf '#!/bin/echo MAGIC-RAN\n' >"$bm/m"
chmod 755 "$bm/s.zz" "$bm/m"
bm_bins=("$CAPSCOPE run")
[ -x "$B/cli/capscope-run" ] && bm_bins+=("$B/cli/capscope-run")
{
  echo 'mount -t binfmt_misc none /proc/sys/fs/binfmt_misc 2>/dev/null || { echo SKIP; exit 0; }'
  echo "setcap cap_net_raw=ep '$bm/fcat' || exit 1"
  echo "echo ':capscopet:M::ZZCAPSCOPE::$bm/fcat:' >/proc/sys/fs/binfmt_misc/register || exit 1"
  echo "echo ':capscopee:E::zz::$bm/fcat:' >/proc/sys/fs/binfmt_misc/register || exit 1"
  echo "echo ':capscopem:M::#!/bin/echo MAGIC::$bm/fcat:' >/proc/sys/fs/binfmt_misc/register || exit 1"
  echo "PATH='$bm:$bm/pb' $(command -v setpriv) --reuid 1000 --regid 1000 --clear-groups prog /proc/self/status | grep CapPrm"
  for f in s.zz m; do
    echo "cd '$bm' && $(command -v setpriv) --reuid 1000 --regid 1000 --clear-groups ./$f /proc/self/status | grep CapPrm | sed 's/^/$f setpriv /'"
    for bin in "${bm_bins[@]}"; do
      echo "cd '$bm' && $bin --user 1000 --clear-groups --caps = -- ./$f /proc/self/status >'$bm/ran-$f' 2>&1; echo \"$f rc=\$?\"; cat '$bm/ran-$f'"
      echo "cd '$bm' && $bin --dry-run --json --user 1000 --clear-groups --caps = -- ./$f | grep -o '\"refused\": *\"the binfmt_misc handler capscope[em] claims' | sed 's/^/$f dry-caps /'"
      echo "cd '$bm' && $bin --dry-run --user 1000 --clear-groups -- ./$f | grep -E '^  permitted|execve.binfmt-misc' | sed 's/^/$f dry /'"
    done
  done
  for bin in "${bm_bins[@]}"; do
    echo "PATH='$bm:$bm/pb' $bin --user 1000 --clear-groups --caps = -- prog /proc/self/status 2>&1"
    echo 'echo "rc=$?"'
  done
  echo 'echo END'
} >"$bm/inner.sh"
(unshare --user --mount --propagation private sh -c \
  'echo $$ >"$1/pid"; while [ ! -e "$1/go" ]; do sleep 0.05; done; exec sh "$1/inner.sh"' sh "$bm" \
  >"$bm/out" 2>&1 &)
for _ in $(seq 100); do [ -s "$bm/pid" ] && break; sleep 0.05; done
if [ -s "$bm/pid" ] && echo '0 0 65536' >"/proc/$(cat "$bm/pid")/uid_map" &&
  echo '0 0 65536' >"/proc/$(cat "$bm/pid")/gid_map"; then
  touch "$bm/go"
  for _ in $(seq 300); do grep -qE '^(END|SKIP)' "$bm/out" && break; sleep 0.05; done
  out=$(cat "$bm/out")
  if grep -q '^SKIP' <<<"$out"; then
    skip "binfmt_misc cannot be mounted in a user namespace here"
  else
    like "$out" $'CapPrm:\t0000000000002000' "binfmt_misc: setpriv runs the handler's interpreter, with cap_net_raw (control)"
    ok "$(grep -qx "rc=0" <<<"$out"; echo $((!$?)))" "binfmt_misc: no --caps run went past the claimed file"
    like "$out" "binfmt_misc handler capscopet claims " "binfmt_misc: the refusal names the handler"
    is "$(grep -c '^rc=127' <<<"$out")" "${#bm_bins[@]}" "binfmt_misc: every binary exits 127"
    for f in s.zz m; do
      like "$out" "$f setpriv CapPrm:"$'\t'"0000000000002000" "binfmt_misc $f: setpriv runs the handler's interpreter (control)"
      is "$(grep -c "^$f rc=127" <<<"$out")" "${#bm_bins[@]}" "binfmt_misc $f: the --caps run is refused (127) by every binary"
      ok "$(grep -q 'RAN' <<<"$out"; echo $((!$?)))" "binfmt_misc $f: the script's own interpreter never ran"
      is "$(grep -c "^$f dry-caps " <<<"$out")" "${#bm_bins[@]}" "binfmt_misc $f: the --caps dry run predicts the refusal, naming the handler"
      is "$(grep -c "^$f dry   permitted    0000000000002000" <<<"$out")" "${#bm_bins[@]}" "binfmt_misc $f: the dry run without --caps predicts the handler's cap_net_raw"
      is "$(grep -c "^$f dry .*execve.binfmt-misc" <<<"$out")" "${#bm_bins[@]}" "binfmt_misc $f: the step names the handler"
    done
  fi
else
  touch "$bm/go"
  skip "no user namespace for the binfmt_misc case"
fi
# Eleventh pass, part G: under RLIMIT_NOFILE=3 the user and group databases
# cannot be opened; "no such user 'nobody'" (exit 2, a usage error) was
# untrue. Each binary says it could not read the database, exit 127, and
# runs nothing. A name nobody has still gets "no such user" (exit 2).
for bin in "${bins[@]}"; do
  rm -f "$T/ran-nofile"
  for opt in "--user nobody --clear-groups" "--user 0 --clear-groups" \
    "--user 0 --group nogroup --clear-groups" "--user 0 --group 0 --groups nogroup"; do
    out=$(ulimit -n 3; $bin $opt -- /bin/touch "$T/ran-nofile" 2>&1); rc=$?
    is "$rc" 127 "$bin $opt under ulimit -n 3: exit 127"
    like "$out" "cannot read the (user|group) database: Too many open files; nothing was executed" \
      "$bin $opt under ulimit -n 3: says the database could not be read"
  done
  ok "$([ -e "$T/ran-nofile" ] && echo 1 || echo 0)" "$bin under ulimit -n 3: nothing ran"
  out=$($bin --user no-such-user-xyz --clear-groups -- /bin/true 2>&1); rc=$?
  is "$rc" 2 "$bin --user no-such-user-xyz: still a usage error"
  like "$out" "no such user 'no-such-user-xyz'" "$bin: a name nobody has is still 'no such user'"
done
# In a PID namespace whose /proc is the parent's (unshare -p without
# --mount-proc), getpid() is this namespace's number: /proc/$(getpid) is
# another process (here the host's pid 1), whose credentials the run read
# as its own. The plan was made from them, the dry run showed them, and
# the run failed at capset or verify with an untrue reason. /proc/self is
# this process in any /proc that shows it.
if unshare -pf true 2>/dev/null; then
  for bin in "${bins[@]}"; do
    # shellcheck disable=SC2086
    out=$(capsh --drop=cap_net_raw -- -c "unshare -pf $bin --dry-run -- /bin/true" 2>&1); rc=$?
    is "$rc" 0 "$bin --dry-run in a PID namespace with the parent's /proc: runs"
    ! grep -q 'cap_net_raw' <<<"$(grep -A1 '^Now' <<<"$out")"
    ok $? "$bin: 'Now' is this process (no cap_net_raw), not the parent namespace's pid 1"
    # shellcheck disable=SC2086
    out=$(unshare -pf $bin --bounding cap_chown -- grep CapBnd /proc/self/status 2>&1); rc=$?
    is "$rc" 0 "$bin --bounding cap_chown in that PID namespace: runs"
    like "$out" "CapBnd:.0000000000000001" "$bin: CMD has the bounding set asked for"
  done
else
  skip "unshare -p is not permitted here"
fi
done_testing

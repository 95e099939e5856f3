#!/usr/bin/env bash
# asan-too
# capscope file get/set/rm against libcap's getcap/setcap on real files.
source "$(dirname "$0")/../lib/tap.sh"
need_root
command -v setcap >/dev/null || skip_all "setcap (libcap2-bin) is not installed"
command -v getfattr >/dev/null || skip_all "getfattr (attr) is not installed"
tap_tmpdir
touch "$T/probe" && setcap cap_chown+ep "$T/probe" 2>/dev/null ||
  skip_all "the filesystem of $T does not take security.capability xattrs"

texts=(
  'cap_net_bind_service+ep' 'cap_net_admin,cap_net_raw+p' 'cap_chown+ei' 'cap_chown+i'
  'cap_setuid,cap_setgid=ip' '=' 'all=eip' 'all=p' 'all=ip cap_sys_admin-ip'
  'cap_bpf,cap_perfmon,cap_checkpoint_restore+ep' 'cap_net_raw=p cap_chown=i'
)
i=0
for t in "${texts[@]}"; do
  i=$((i + 1))
  a="$T/lib-$i" b="$T/cs-$i"
  printf '#!/bin/sh\n' >"$a"; cp "$a" "$b"; chmod 755 "$a" "$b"
  setcap "$t" "$a"
  "$CAPSCOPE" file set "$t" "$b"
  ok $? "file set '$t'"
  xa=$(getfattr --absolute-names -n security.capability -e hex "$a" | sed -n 2p)
  xb=$(getfattr --absolute-names -n security.capability -e hex "$b" | sed -n 2p)
  is "$xb" "$xa" "same xattr bytes as setcap for '$t'"
  is "$("$CAPSCOPE" file get "$a" "$b")" "$(getcap "$a" "$b")" "file get = getcap for '$t'"
done

# Namespaced (v3) values, with -n.
for id in 4242 100000 2147483648; do
  f="$T/ns-$id"; : >"$f"; g="$T/nsc-$id"; : >"$g"
  setcap -n "$id" cap_net_raw+ep "$f"
  "$CAPSCOPE" file set -n "$id" cap_net_raw+ep "$g"
  is "$(getfattr --absolute-names -n security.capability -e hex "$g" | sed -n 2p)" \
     "$(getfattr --absolute-names -n security.capability -e hex "$f" | sed -n 2p)" "file set -n $id writes what setcap -n writes"
  is "$("$CAPSCOPE" file get -n "$f")" "$(getcap -n "$f")" "file get -n = getcap -n (rootid $id)"
done
# rootid 0 is the initial namespace's root: a plain v2 value (setcap -n refuses 0).
: >"$T/ns0"; : >"$T/ns0-lib"
"$CAPSCOPE" file set -n 0 cap_net_raw+ep "$T/ns0"; setcap cap_net_raw+ep "$T/ns0-lib"
is "$(getfattr --absolute-names -n security.capability -e hex "$T/ns0" | sed -n 2p)" \
   "$(getfattr --absolute-names -n security.capability -e hex "$T/ns0-lib" | sed -n 2p)" "file set -n 0 writes v2"
# The kernel refuses a rootid that maps to no uid (-1); so must we, loudly.
: >"$T/nsbad"
"$CAPSCOPE" file set -n 4294967295 cap_net_raw+ep "$T/nsbad" 2>/dev/null; is $? 2 "rootid 4294967295 is refused by the kernel and reported"
json=$("$CAPSCOPE" file get --json "$T/ns-4242")
is "$(jq -c '.files[0].file_caps | [.version, .rootid, .effective, .permitted.names, .text]' <<<"$json")" \
   '[3,4242,true,["CAP_NET_RAW"],"cap_net_raw=ep"]' "--json: version, rootid, effective, sets, text"
json=$("$CAPSCOPE" file get --json "$T/cs-1")
is "$(jq -c '.files[0].file_caps | [.version, .rootid]' <<<"$json")" '[2,null]' "--json: v2 has no rootid"

# Files without caps, links, directories, missing files: getcap's behaviour.
: >"$T/plain"; ln -s "$T/lib-1" "$T/link"; mkdir "$T/dir"
for v in "" -v; do
  want=$(getcap $v "$T/plain" "$T/link" "$T/dir" "$T/lib-1" 2>&1)
  got=$("$CAPSCOPE" file get $v "$T/plain" "$T/link" "$T/dir" "$T/lib-1" 2>&1)
  is "$got" "$want" "file get ${v:-(no -v)} on plain file, symlink, directory"
done
got=$("$CAPSCOPE" file get "$T/missing" 2>&1); rc=$?
is "$got" "$(getcap "$T/missing" 2>&1)" "missing file: getcap's message"
is "$rc" 2 "missing file: exit 2 (getcap exits 0, we do not hide it)"

# Sets the single effective bit cannot encode are refused and nothing is written.
: >"$T/refuse"
out=$("$CAPSCOPE" file set 'cap_chown+ep cap_kill+p' "$T/refuse" 2>&1); rc=$?
is "$rc" 2 "mixed effective bits are refused"
like "$out" "effective" "with the reason"
getfattr -n security.capability "$T/refuse" >/dev/null 2>&1
is $? 1 "and no xattr was written"
"$CAPSCOPE" file set 'cap_bogus+ep' "$T/refuse" 2>/dev/null; is $? 2 "unknown name refused"
"$CAPSCOPE" file set cap_chown+ep "$T/link" 2>/dev/null; is $? 2 "set refuses to write through a symlink"
is "$(getcap "$T/lib-1")" "$T/lib-1 cap_net_bind_service=ep" "the symlink target is untouched"
"$CAPSCOPE" file set -n -5 cap_chown+ep "$T/refuse" 2>/dev/null; is $? 2 "negative rootid is a usage error"
"$CAPSCOPE" file set -n 4294967296 cap_chown+ep "$T/refuse" 2>/dev/null; is $? 2 "rootid past 32 bits is a usage error"
"$CAPSCOPE" file set -n ' 5' cap_chown+ep "$T/refuse" 2>/dev/null; is $? 2 "rootid with a space is a usage error"
"$CAPSCOPE" file set -n +5 cap_chown+ep "$T/refuse" 2>/dev/null; is $? 2 "rootid with '+' is a usage error"

# All or nothing: one bad path among good ones, and nothing is written.
nocaps() { ! getfattr -n security.capability "$1" >/dev/null 2>&1; }
: >"$T/a"; : >"$T/b"; mkfifo "$T/fifo"
setcap cap_kill+p "$T/b"
for bad in "$T/fifo" "$T/link" "$T/dir" "$T/missing" /proc/self/status; do
  out=$(timeout 10 "$CAPSCOPE" file set cap_chown+ep "$T/a" "$bad" "$T/b" 2>&1); rc=$?
  is "$rc" 2 "file set with ${bad#"$T"/} among good paths fails"
  like "$out" "nothing was written" "  and says nothing was written"
  nocaps "$T/a"; ok $? "  the path before it was not written"
  is "$(getcap "$T/b")" "$T/b cap_kill=p" "  the path after it keeps its old value"
done
if command -v unshare >/dev/null && unshare -m true 2>/dev/null; then
  mkdir "$T/ro" && : >"$T/ro/f"
  out=$(unshare -m sh -c "mount --bind '$T/ro' '$T/ro' && mount -o remount,bind,ro '$T/ro' &&
        '$CAPSCOPE' file set cap_chown+ep '$T/a' '$T/ro/f'" 2>&1); rc=$?
  is "$rc" 2 "a file on a read-only mount fails the whole set"
  like "$out" "read-only" "  naming the read-only filesystem"
  nocaps "$T/a"; ok $? "  and the other path was not written"
else
  skip "unshare -m is not available for the read-only mount case"
fi
out=$(capsh --drop=cap_setfcap -- -c "'$CAPSCOPE' file set cap_chown+ep '$T/a'" 2>&1); rc=$?
is "$rc" 2 "without CAP_SETFCAP the set fails"
like "$out" "CAP_SETFCAP" "  naming the capability"
"$CAPSCOPE" file set cap_chown+ep "$T/a" "$T/b"; ok $? "all good paths: written"
is "$(getcap "$T/a" "$T/b")" "$T/a cap_chown=ep
$T/b cap_chown=ep" "  both of them"

# rm
"$CAPSCOPE" file rm "$T/lib-1" "$T/plain"; ok $? "file rm (a file without caps is fine)"
is "$(getcap "$T/lib-1")" "" "caps removed"
"$CAPSCOPE" file rm "$T/missing" 2>/dev/null; is $? 2 "file rm of a missing file fails"
# Eighth pass: rm is all or nothing, like set, and a path that is not a
# regular file is an error: 'file rm A missing' removed A's capabilities,
# then failed; 'file rm LINK' (and a fifo, a directory) did nothing, exit 0.
cp /bin/true "$T/r1" && setcap cap_chown+ep "$T/r1" && ln -s r1 "$T/r1link"
mkfifo "$T/rfifo" && mkdir "$T/rdir"
"$CAPSCOPE" file rm "$T/r1" "$T/missing" 2>"$T/err"; is $? 2 "file rm r1 missing: exit 2"
like "$(cat "$T/err")" "nothing was written" "  says nothing was written"
is "$(getcap "$T/r1")" "$T/r1 cap_chown=ep" "  r1 keeps its capabilities"
for p in r1link rfifo rdir; do
  timeout 10 "$CAPSCOPE" file rm "$T/$p" 2>"$T/err"; is $? 2 "file rm $p: exit 2 (not a regular file)"
  like "$(cat "$T/err")" "not a regular file" "  file rm $p: says why"
done
is "$(getcap "$T/r1")" "$T/r1 cap_chown=ep" "file rm r1link: the target keeps its capabilities"
out=$(capsh --drop=cap_setfcap -- -c "'$CAPSCOPE' file rm '$T/r1'" 2>&1); rc=$?
is "$rc" 2 "file rm without CAP_SETFCAP fails"
like "$out" "CAP_SETFCAP" "  naming the capability"
"$CAPSCOPE" file rm "$T/r1"; ok $? "file rm r1: done"
is "$(getcap "$T/r1")" "" "  r1 has none left"
# Eleventh pass: set and rm held one descriptor per path until the end, so
# a list longer than RLIMIT_NOFILE failed whole ("Too many open files" for
# each path past the limit, nothing written). Any number of paths now.
mkdir "$T/many"
for i in $(seq 1 120); do : >"$T/many/f$i"; done
out=$(ulimit -n 64; "$CAPSCOPE" file set cap_kill+p "$T"/many/f* 2>&1); rc=$?
is "$rc" 0 "file set of 120 paths under ulimit -n 64: exit 0"
is "$out" "" "  no message"
is "$(getcap "$T/many/f1" "$T/many/f120")" "$T/many/f1 cap_kill=p
$T/many/f120 cap_kill=p" "  the first and the last written"
out=$(ulimit -n 64; "$CAPSCOPE" file rm "$T"/many/f* 2>&1); rc=$?
is "$rc" 0 "file rm of 120 paths under ulimit -n 64: exit 0"
is "$(getcap -r "$T/many")" "" "  none has capabilities left"
# In a user namespace, a file whose owner has no mapping: CAP_SETFCAP does
# not reach it (capable_wrt_inode_uidgid). The check now says so before
# anything is written; it was a bare EPERM at the write.
mkdir "$T/dup" && : >"$T/dup/a" && : >"$T/dup/b" && chown 1000:1000 "$T/dup/b"
if unshare -U -r true 2>/dev/null; then
  unshare -U -r "$CAPSCOPE" file set cap_chown+p "$T/dup/a" "$T/dup/b" 2>"$T/err"
  is $? 2 "file set in a user namespace, b's owner unmapped: exit 2"
  like "$(cat "$T/err")" "b: its owner or group has no mapping in this user namespace" "  says why, before any write"
  like "$(cat "$T/err")" "nothing was written" "  nothing was written"
  # -n ROOTID is stored through the caller's uid map: an unmapped rootid was
  # the kernel's bare "Invalid argument" at the first write.
  unshare -U -r "$CAPSCOPE" file set -n 5000 cap_chown+p "$T/dup/a" 2>"$T/err"
  is $? 2 "file set -n 5000 in a namespace that maps only 0: exit 2"
  like "$(cat "$T/err")" "-n 5000: uid 5000 has no mapping in this user namespace" "  says why"
  is "$(getcap "$T/dup/a")" "" "  a has no capabilities"
  # When the overflow id itself is mapped, stat cannot tell an unmapped
  # owner from it: the write failed (EPERM) after every check passed, the
  # files before it written and put back. Fifteenth pass: the kernel's own
  # check is asked first, with a value it refuses in every case (a's
  # change time shows nothing was written to it).
  ctime=$(stat -c %z "$T/dup/a")
  sleep 0.01
  CS_USERNS_MAP="0 0 1;65534 65534 1" "$CAPSCOPE_TOP/tests/lib/userns-allow.py" \
    "$CAPSCOPE" file set cap_chown+p "$T/dup/a" "$T/dup/a" "$T/dup/b" 2>"$T/err"
  is $? 2 "file set a a b, b's owner unmapped but shown as a mapped overflow id: exit 2"
  like "$(cat "$T/err")" "b: the kernel says CAP_SETFCAP does not reach it: its owner or group has no mapping" \
    "  says why, before any write"
  like "$(cat "$T/err")" "nothing was written" "  nothing was written"
  is "$(stat -c %z "$T/dup/a")" "$ctime" "  a was never written (its change time)"
  # Its group alone unmapped, and file rm (removexattr asks the same).
  : >"$T/dup/c" && chown 0:1000 "$T/dup/c"
  CS_USERNS_MAP="0 0 1;65534 65534 1" "$CAPSCOPE_TOP/tests/lib/userns-allow.py" \
    "$CAPSCOPE" file set cap_chown+p "$T/dup/c" 2>"$T/err"
  is $? 2 "file set of c, its group unmapped but shown as a mapped overflow id: exit 2"
  like "$(cat "$T/err")" "c: the kernel says CAP_SETFCAP does not reach it" "  says why"
  CS_USERNS_MAP="0 0 1;65534 65534 1" "$CAPSCOPE_TOP/tests/lib/userns-allow.py" \
    "$CAPSCOPE" file rm "$T/dup/b" 2>"$T/err"
  is $? 2 "file rm of b: exit 2"
  like "$(cat "$T/err")" "b: the kernel says CAP_SETFCAP does not reach it" "  says why"
  # Where the kernel cannot be asked (a filter of the caller's answers the
  # probe's 24-byte write with ENOSYS), the write fails at b and the files
  # written before it are put back, last first: "a a b" left a written when
  # undone in order.
  CS_USERNS_MAP="0 0 1;65534 65534 1" SB=0 CS_DENY=fsetxattr24 CS_ERRNO=38 \
    "$CAPSCOPE_TOP/tests/lib/userns-allow.py" "$CAPSCOPE_TOP/tests/lib/seccomp-no-secbits-read.py" \
    "$CAPSCOPE" file set cap_chown+p "$T/dup/a" "$T/dup/a" "$T/dup/b" 2>"$T/err"
  is $? 2 "file set a a b, the kernel not asked, b refused at its write: exit 2"
  like "$(cat "$T/err")" "earlier files restored" "  says the earlier files were restored"
  is "$(getcap "$T/dup/a" "$T/dup/b")" "" "  a, named twice, has no capabilities (as before)"
  # A version 2 value put back from a namespace whose root is not host 0 is
  # stored as a version 3 value for that root (the kernel's conversion):
  # "nothing was changed" was not true; it is said. (The kernel not asked,
  # as above: b fails at its write.)
  chown 1000:1000 "$T/dup/a" && chown 2000:2000 "$T/dup/b" && chmod 755 "$T" "$T/dup"
  setcap cap_kill+p "$T/dup/a"
  CS_USERNS_MAP="0 1000 1;65534 65534 1" SB=0 CS_DENY=fsetxattr24 CS_ERRNO=38 \
    "$CAPSCOPE_TOP/tests/lib/userns-allow.py" "$CAPSCOPE_TOP/tests/lib/seccomp-no-secbits-read.py" \
    "$CAPSCOPE" file set cap_chown+p "$T/dup/a" "$T/dup/b" 2>"$T/err"
  is $? 2 "file set a b from a namespace whose root is host 1000: exit 2"
  like "$(cat "$T/err")" "a: its version 2 value was put back from a user namespace" "  says what put-back may have done"
  like "$(cat "$T/err")" "the earlier files were put back, as said above" "  not 'nothing was changed'"
else
  for _ in $(seq 20); do skip "no user namespaces here"; done
fi

# "--" ends the options for rm as for get and set; it was "unknown option '--'".
: >"$T/-x"
(cd "$T" && "$CAPSCOPE" file set -- cap_chown+p -x && "$CAPSCOPE" file rm -- -x); is $? 0 "file rm -- -x: exit 0"
is "$(getcap "$T/-x")" "" "  -x has no capabilities left"
"$CAPSCOPE" file bogus 2>/dev/null; is $? 2 "unknown action is a usage error"
# -n given twice kept the last rootid without a word (setcap does too):
# one command line, one meaning.
: >"$T/twice"
"$CAPSCOPE" file set -n 5 -n 7 cap_chown+p "$T/twice" 2>"$T/err"
is $? 2 "file set -n 5 -n 7: usage error"
like "$(cat "$T/err")" "-n given twice" "  says so"
is "$(getcap "$T/twice")" "" "  nothing written"
done_testing

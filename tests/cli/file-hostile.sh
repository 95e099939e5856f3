#!/usr/bin/env bash
# asan-too
# Untrusted names are data (issue 13): a file whose name carries ESC and a
# newline, found by a glob in a directory someone else writes, cannot forge a
# line of `file get` or `run --dry-run` text output; JSON keeps the bytes.
. "$(dirname "$0")/../lib/tap.sh"
need_root
tap_tmpdir
cd "$T" || exit 1
name=$'evil\e[31mRED\nfake: cap_sys_admin=ep'
cp /bin/true "$name" && setcap cap_net_raw+ep "$name" || skip_all "setcap failed here"
out=$("$CAPSCOPE" file get evil*)
is "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 1 "file get: one line for one file"
ok $(printf '%s' "$out" | grep -q $'\e'; echo $((! $?))) "file get: no raw ESC"
# Twenty-second pass: the capabilities follow the name on its line, so its
# space is \x20 (a cell, as scan's PATH): "fake: cap_sys_admin=ep" before
# "cap_net_raw=ep" read as a file "fake:" with cap_sys_admin.
is "$out" 'evil\x1b[31mRED\nfake:\x20cap_sys_admin=ep cap_net_raw=ep' "file get: the name escaped as a cell, the caps as getcap prints them"
cp /bin/true 'a cap_sys_admin=ep' && setcap cap_net_raw+ep 'a cap_sys_admin=ep'
is "$("$CAPSCOPE" file get 'a cap_sys_admin=ep')" 'a\x20cap_sys_admin=ep cap_net_raw=ep' "file get: a name with a space is one word before its capabilities"
is "$("$CAPSCOPE" file get -v 'a cap_sys_admin=ep' 2>&1 | wc -w)" 2 "file get -v: two words, the name and its capabilities"
is "$("$CAPSCOPE" file get 'x (No such file or directory) y' 2>&1)" 'x\x20(No\x20such\x20file\x20or\x20directory)\x20y (No such file or directory)' "file get: a missing name is one word before getcap's error"
rm -f 'a cap_sys_admin=ep'
out=$("$CAPSCOPE" file get -v evil* /bin/true)
is "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 2 "file get -v: one line per file"
is "$("$CAPSCOPE" file get --json evil* | jq -r '.files[0].path')" "$name" "JSON keeps the name's bytes"
out=$("$CAPSCOPE" run --dry-run -- "./evil"$'\e[2J' 2>&1)
ok $(printf '%s' "$out" | grep -q $'\e'; echo $((! $?))) "run --dry-run: no raw ESC from the command name"
# A stored value the kernel will not read back (an empty security.capability):
# one line that says what is wrong with it, not a bare "Invalid argument".
touch empty-caps
if setfattr -n security.capability -v "" empty-caps 2>/dev/null &&
  ! getfattr -n security.capability empty-caps >/dev/null 2>&1; then
  "$CAPSCOPE" file get empty-caps >/dev/null 2>err
  rc=$?
  ok $((rc == 0)) "file get of a malformed stored value fails (exit $rc)"
  like "$(cat err)" '^capscope file get: empty-caps: security\.capability: the kernel will not read the stored value' "and says which attribute and why"
  # Eleventh pass: "not a valid v1, v2 or v3" was untrue of a version 1
  # value (getxattr refuses it too); scan said "reading
  # security.capability: Invalid argument", and run, where execve refuses
  # such a file, "EINVAL (Invalid argument)". One wording for all three.
  like "$(cat err)" 'not a version 2 or 3 value of its exact size' "file get: the reason is the kernel's"
  mkdir scan-empty && cp /bin/true scan-empty/t && setfattr -n security.capability -v "" scan-empty/t
  "$CAPSCOPE" scan scan-empty >/dev/null 2>err; is $? 2 "scan of it: exit 2"
  like "$(cat err)" 'scan-empty/t: security\.capability: the kernel will not read the stored value: not a version 2' "scan: says why"
  # ...and a set-uid bit beside such a value is still a finding (session 11:
  # the file was skipped, only the error said anything of it).
  cp /bin/true scan-empty/s && chmod u+s scan-empty/s && setfattr -n security.capability -v "" scan-empty/s
  out=$("$CAPSCOPE" scan --json scan-empty 2>err); is $? 2 "scan of a set-uid file with it: exit 2"
  is "$(jq -r '[.findings[] | select(.path | endswith("/s")) | .setuid] | @json' <<<"$out")" '[true]' \
    "…the set-uid file is a finding all the same"
  like "$(cat err)" 'scan-empty/s: security\.capability: the kernel will not read' "…and the error names it"
  for o in "" "--caps = --securebits noroot"; do
    "$CAPSCOPE" run $o -- scan-empty/t 2>err; is $? 127 "run $o of it: exit 127"
    like "$(cat err)" "step 'execve' refused: EINVAL \\(scan-empty/t: security\.capability: the kernel will not read" "run $o: says why execve refuses it"
  done
  # file set and rm read the old value to put it back: they said only
  # "Invalid argument" of one they cannot read.
  for c in "set cap_chown+p" rm; do
    # shellcheck disable=SC2086
    "$CAPSCOPE" file $c empty-caps 2>err; is $? 2 "file $c of it: exit 2"
    like "$(cat err)" "empty-caps: its security\.capability cannot be read back.*the kernel will not read the stored value" "file $c: says why"
  done
else
  for _ in $(seq 16); do skip "this kernel refuses an empty security.capability"; done
fi
# Eleventh pass: in a user namespace, a version 3 value whose rootid owns
# neither this namespace nor an ancestor reads back as EOVERFLOW; execve
# ignores it (get_vfs_caps_from_disk: ENODATA) and runs the file. run --caps
# refused it ("E75 (cannot read what execve would look at ... Value too
# large)"); file get and scan said "Value too large for defined data type".
mkdir other-ns && cp /bin/true other-ns/t && setcap -n 1000 cap_net_raw+ep other-ns/t
if unshare -U -r true 2>/dev/null; then
  unshare -U -r "$CAPSCOPE" run --caps = --securebits noroot -- other-ns/t 2>err
  is $? 0 "run --caps of another namespace's v3 file in a user namespace: runs, as execve does"
  unshare -U -r "$CAPSCOPE" file get other-ns/t 2>err
  like "$(cat err)" 'other-ns/t: security\.capability: a version 3 value for the root of a user namespace that is neither this one nor an ancestor' "file get: says what it is"
  unshare -U -r "$CAPSCOPE" scan other-ns >/dev/null 2>err
  like "$(cat err)" 'other-ns/t: security\.capability: a version 3 value for the root of a user namespace' "scan: says what it is"
  # file set: "Value too large for defined data type" of the same value.
  unshare -U -r "$CAPSCOPE" file set cap_chown+p other-ns/t 2>err
  is $? 2 "file set of it in the namespace: exit 2"
  like "$(cat err)" 'other-ns/t: its security\.capability cannot be read back.*a version 3 value for the root of a user namespace' "file set: says why"
else
  for _ in 1 2 3 4 5; do skip "no user namespaces here"; done
fi
# ... and a v3 value that reads back with a rootid (the reader's view) was
# taken as a host id: in a namespace mapping 0 to host 1000 and 1000 to
# host 5000, host 5000's value reads as rootid 1000 and was taken for the
# namespace's root, so run refused a file execve gives nothing.
cp /bin/true other-ns/u && setcap -n 5000 cap_net_raw+ep other-ns/u
cp /bin/true other-ns/r && setcap -n 1000 cap_net_raw+ep other-ns/r
chmod 755 . other-ns
if unshare -U -r true 2>/dev/null; then
  CS_USERNS_MAP="0 1000 1;1000 5000 1" "$CAPSCOPE_TOP/tests/lib/userns-allow.py" \
    "$CAPSCOPE" run --caps = --securebits noroot -- other-ns/u 2>err
  is $? 0 "run --caps of host 5000's v3 file where it reads as rootid 1000: runs"
  CS_USERNS_MAP="0 1000 1;1000 5000 1" "$CAPSCOPE_TOP/tests/lib/userns-allow.py" \
    "$CAPSCOPE" run --caps = --securebits noroot -- other-ns/r 2>err
  is $? 127 "run --caps of the namespace root's own v3 file: refused (it would gain)"
else
  for _ in 1 2; do skip "no user namespaces here"; done
fi
# A step's text is raw; its printers escape it. The dry run's own steps
# about the file (execve.elf-foreign, execve.text-busy) held the name
# escaped already: "\\x1b" in the text, the escape's letters in JSON.
fo=$'fo\e[31mX'
python3 -c 'import sys; d = bytearray(open("/bin/true", "rb").read()); d[18:20] = b"\xb7\x00"; open(sys.argv[1], "wb").write(d)' "$fo"
chmod 755 "$fo"
"$CAPSCOPE" run --dry-run -- "./$fo" >out 2>&1
# Twenty-second pass: one word, as the model's own steps name a file.
like "$(grep -a 'execve.elf-foreign' out)" 'execve\.elf-foreign: "\./fo\\x1b\[31mX" is an ELF' "elf-foreign step: the name escaped once, one word"
is "$("$CAPSCOPE" run --dry-run --json -- "./$fo" | jq -r '.. | objects | select(.rule? == "execve.elf-foreign") | .detail' | cut -c1-12)" "\"./$fo\"" \
  "elf-foreign step in JSON: the name's own bytes"
if (exec 3>>"$fo"; "$CAPSCOPE" run --dry-run -- "./$fo" 2>&1 | grep -aq 'execve.text-busy'); then
  (exec 3>>"$fo"; "$CAPSCOPE" run --dry-run -- "./$fo" >out 2>&1)
  like "$(grep -a 'execve.text-busy' out)" 'execve\.text-busy: "\./fo\\x1b\[31mX" is held open' "text-busy step: the name escaped once, one word"
else
  skip "no AT_EXECVE_CHECK on this kernel"
fi
done_testing

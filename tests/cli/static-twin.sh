#!/usr/bin/env bash
# The static capscope and its dynamic twin (meson.build, cli/capscope.c):
# small commands run in the static program; scan, explain, lint and serve
# run in capscope-dyn, found beside the program only when no other user
# could have put it there; users come from files only, without crashing on
# an id that only an NSS module could name.
source "$(dirname "$0")/../lib/tap.sh"
interp() { readelf -l "$1" 2>/dev/null | grep -q 'Requesting program interpreter'; }
if interp "$CAPSCOPE"; then
  skip_all "capscope is linked dynamically in this build (sanitizers, or no static archives)"
fi
tap_tmpdir
interp "$CAPSCOPE_DYN"; ok $? "capscope-dyn is linked dynamically"

# A private copy of the pair: the twin beside the program is used.
mkdir -m 755 "$T/bin"
cp "$CAPSCOPE" "$CAPSCOPE_DYN" "$T/bin/"
"$T/bin/capscope" decode 0x400 >"$T/out"; ok $? "decode runs in the static program"
like "$(cat "$T/out")" "cap_net_bind_service" "decode's answer"
mkdir "$T/tree" && : >"$T/tree/f" && chmod 4755 "$T/tree/f"
"$T/bin/capscope" scan --json "$T/tree" >"$T/scan.json"; ok $? "scan runs (in the twin beside the program)"
is "$(jq -r '.findings | length' "$T/scan.json")" 1 "scan found the set-uid file"
pod=$CAPSCOPE_TOP/examples/pod/nonroot-netbind.yaml
"$T/bin/capscope" explain pod --json "$pod" >"$T/a.json"; a=$?
"$T/bin/capscope-dyn" explain pod --json "$pod" >"$T/b.json"; b=$?
is "$a" "$b" "explain pod: the same exit status through the static program as from the twin"
cmp -s "$T/a.json" "$T/b.json" && [ -s "$T/a.json" ]
ok $? "explain pod: the same answer"

# A twin another user could have planted is refused, and nothing runs.
chmod o+w "$T/bin"
"$T/bin/capscope" scan "$T/tree" >"$T/out" 2>"$T/err"; is "$?" 2 "twin in a world-writable directory: exit 2"
like "$(cat "$T/err")" "refusing to run it" "…with the reason"
is "$(cat "$T/out")" "" "…and no output from any twin"
chmod o-w "$T/bin"
chmod g+w "$T/bin/capscope-dyn"
"$T/bin/capscope" scan "$T/tree" >/dev/null 2>"$T/err"; is "$?" 2 "group-writable twin: refused"
chmod g-w "$T/bin/capscope-dyn"
if [ "$(id -u)" -eq 0 ]; then
  chown 12345 "$T/bin/capscope-dyn"
  "$T/bin/capscope" scan "$T/tree" >/dev/null 2>"$T/err"; is "$?" 2 "twin owned by another user: refused"
  chown 0 "$T/bin/capscope-dyn"
else
  skip "chown needs root"
fi
# A symlink named capscope-dyn is not followed.
mv "$T/bin/capscope-dyn" "$T/bin/real-dyn" && ln -s real-dyn "$T/bin/capscope-dyn"
"$T/bin/capscope" scan "$T/tree" >/dev/null 2>"$T/err"; is "$?" 2 "a symlink as the twin: refused"
rm "$T/bin/capscope-dyn"

# Without a twin beside it, small commands still work.
"$T/bin/capscope" ps --json $$ >"$T/ps.json"; ok $? "ps without a twin"
is "$(jq -r '.processes[0].pid' "$T/ps.json")" "$$" "ps: this shell"

# Users from files only: an id no file names is shown as a number, no crash
# (Debian's NSS lists systemd after files; its module crashes a static program).
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
  setpriv --reuid 54321 --regid 54321 --clear-groups sleep 30 &
  sp=$!
  sleep 0.2
  out=$("$CAPSCOPE" ps "$sp"); rc=$?
  kill "$sp" 2>/dev/null; wait "$sp" 2>/dev/null
  is "$rc" 0 "ps of a process whose uid no passwd line names"
  like "$(sed -n 2p <<<"$out")" "^$sp +54321 " "…shows the uid as a number"
  "$CAPSCOPE" run --dry-run --user daemon --clear-groups -- true >/dev/null
  ok $? "run --user NAME from /etc/passwd"
else
  skip "needs root and setpriv"; skip "needs root and setpriv"; skip "needs root and setpriv"
fi

# A small command never starts NSS (the static programs read the files
# themselves): /etc/nsswitch.conf is not even opened, which it was on every
# start, decode included, while NSS was only restricted to files.
if command -v strace >/dev/null; then
  strace -f -qq -e trace=%file -o "$T/ps.st" "$CAPSCOPE" ps $$ >/dev/null
  ! grep -q nsswitch "$T/ps.st"; ok $? "ps: /etc/nsswitch.conf is not read"
  grep -q '"/etc/passwd"' "$T/ps.st"; ok $? "ps: its user name from /etc/passwd"
  strace -f -qq -e trace=%file -o "$T/dec.st" "$CAPSCOPE" decode 0x400 >/dev/null
  ! grep -qE 'nsswitch|/etc/passwd' "$T/dec.st"; ok $? "decode: no user database at all"
  strace -f -qq -e trace=%file -o "$T/run.st" "$CAPSCOPE" run --dry-run --user daemon --clear-groups -- true >/dev/null
  ! grep -q nsswitch "$T/run.st"; ok $? "run --user: /etc/nsswitch.conf is not read"
else
  for _ in 1 2 3 4; do skip "strace is not installed"; done
fi

# The commands the twin runs are not in the static program (their entries
# name no function there, and it is linked with --gc-sections): less for
# every start to map and relocate.
syms=$(nm "$CAPSCOPE" 2>/dev/null)
if [ -n "$syms" ]; then
  for f in cmd_scan cmd_explain cmd_lint cmd_serve cs_scan_tree; do
    ! grep -qw "$f" <<<"$syms"; ok $? "static capscope holds no $f"
  done
  grep -qw cmd_ps <<<"$syms"; ok $? "…but holds cmd_ps (the check can see symbols)"
else
  for _ in 1 2 3 4 5 6; do skip "capscope is stripped"; done
fi
done_testing

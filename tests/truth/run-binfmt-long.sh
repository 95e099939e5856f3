#!/usr/bin/env bash
# asan-too
# run --caps refuses a file a binfmt_misc handler claims, naming the
# handler, the file and the handler's interpreter in one message (and the
# dry run's step names the same). With a long path the message's own cut
# at 255 bytes dropped the interpreter, the one value that says what would
# run (sixteenth pass, part E, not fixed then). Each value is now cut to
# its share, head and tail (cs_clip_mid). A user and mount namespace of the
# test's own holds the handler (binfmt_misc is per user namespace since
# Linux 6.7); no host state is touched.
source "$(dirname "$0")/../lib/tap.sh"
need_root
tap_tmpdir
cd "$T" || exit 1
chmod 755 "$T"
long=$(printf 'd%.0s' $(seq 120))
mkdir -p "$T/$long-file" "$T/$long-interp"
cp /bin/true "$T/$long-interp/interp" && printf 'x\n' >"$T/$long-file/x.zz"
chmod 755 "$T/$long-interp/interp" "$T/$long-file/x.zz"
handler=cs$(printf 'h%.0s' $(seq 100))end
{
  echo 'mount -t binfmt_misc none /proc/sys/fs/binfmt_misc 2>/dev/null || { echo SKIP; exit 0; }'
  echo "echo ':$handler:E::zz::$T/$long-interp/interp:' >/proc/sys/fs/binfmt_misc/register || { echo SKIP; exit 0; }"
  echo "$CAPSCOPE run --caps = --user 1000 --clear-groups -- '$T/$long-file/x.zz' 2>&1 | sed 's/^/run /'"
  echo "$CAPSCOPE run --user 1000 --clear-groups --dry-run -- '$T/$long-file/x.zz' 2>&1 | grep 'execve.binfmt-misc' | sed 's/^/dry /'"
  echo 'echo END'
} >inner.sh
out=$(CS_USERNS_MAP="0 0 65536" "$CAPSCOPE_TOP/tests/lib/userns-allow.py" unshare -m bash inner.sh 2>&1)
if grep -q '^SKIP' <<<"$out" || ! grep -q '^END' <<<"$out"; then
  skip_all "binfmt_misc cannot be mounted in a user namespace here"
fi
printf '%s\n' "$out" | sed 's/^/# /'
run=$(grep '^run ' <<<"$out")
[[ "$run" == *"the binfmt_misc handler cshhh"*"hhhend claims /"*"-file/x.zz: execve would run its interpreter /"*"-interp/interp, whose credentials the check does not see; nothing was run"* ]]
ok $? "run --caps: the refusal names the handler, the file and the interpreter, each to its end"
dry=$(grep '^dry ' <<<"$out")
[[ "$dry" == *"handler cshhh"*"hhhend claims /"*"-file/x.zz: its interpreter /"*"-interp/interp runs instead"* ]]
ok $? "run --dry-run: the step names all three, each to its end"
done_testing

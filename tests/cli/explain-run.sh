#!/usr/bin/env bash
# explain oci and run: options, errors, the text and JSON shapes, valgrind.
# (The predictions themselves are checked against real runc in tests/truth.)
source "$(dirname "$0")/../lib/tap.sh"
tap_tmpdir
chmod 755 "$T"
B=$T/bundle
cp -r "$CAPSCOPE_TOP/examples/oci/article-no-ambient" "$B"
mkdir -p "$B/rootfs/usr/bin"
cp /bin/true "$B/rootfs/usr/bin/server"
chmod 755 "$B/rootfs/usr/bin/server"

"$CAPSCOPE" explain --help >"$T/out"; is "$?" 0 "explain --help"
like "$(cat "$T/out")" "oci " "explain --help lists the oci subject"
"$CAPSCOPE" explain 2>/dev/null; is "$?" 2 "explain without a subject: usage error"
"$CAPSCOPE" explain bogus 2>"$T/err"; is "$?" 2 "unknown subject: usage error"
like "$(cat "$T/err")" "Try 'capscope explain --help'" "unknown subject: says where help is"
"$CAPSCOPE" explain oci --help >/dev/null; is "$?" 0 "explain oci --help"
"$CAPSCOPE" explain oci --bogus "$B" 2>"$T/err"; is "$?" 2 "bad option: exit 2"
like "$(cat "$T/err")" "unknown option '--bogus'" "bad option: named"
"$CAPSCOPE" explain oci 2>/dev/null; is "$?" 2 "missing bundle: exit 2"
"$CAPSCOPE" explain oci --caller nobody "$B" 2>/dev/null; is "$?" 2 "bad --caller: exit 2"
"$CAPSCOPE" explain oci "$T/nothing" 2>"$T/err"; is "$?" 2 "no config.json: exit 2"
like "$(cat "$T/err")" "nothing/config.json: cannot read" "no config.json: names the file"

mkdir -p "$T/bad"
printf '{"root": {"path": "rootfs"},\n "process": {"args": ["x"], "user": {"uid": "0"}}}\n' >"$T/bad/config.json"
"$CAPSCOPE" explain oci "$T/bad" 2>"$T/err"; is "$?" 2 "string uid: exit 2"
is "$(cat "$T/err")" "capscope explain oci: $T/bad/config.json:2:45: process.user.uid: must be a number from 0 to 4294967295" "string uid: file, line, column, field"
printf '{"root": {"path": "/nonexistent-rootfs"}, "process": {"args": ["x"]}}' >"$T/bad/config.json"
"$CAPSCOPE" explain oci "$T/bad" 2>"$T/err"; is "$?" 2 "missing rootfs: exit 2"
like "$(cat "$T/err")" "root.path: /nonexistent-rootfs" "missing rootfs: names root.path"

out=$("$CAPSCOPE" explain oci --caller root "$B"); is "$?" 0 "article bundle: the process starts (exit 0)"
like "$out" "after execve +1000660000/1000660000/1000660000/1000660000 +NET_BIND_SERVICE +- +- " "text: the flow table shows the empty sets after execve"
like "$out" "CAP_NET_BIND_SERVICE +not effective: permitted before execve, but uid 1000660000 is not root" "text: the verdict says why"
like "$out" "runc.start: runc init starts as uid 0 with every capability" "--caller root: full root"
json=$("$CAPSCOPE" explain oci --json --caller root "$B")
is "$(printf '%s' "$json" | jq -c 'keys')" '["exec","process","steps"]' "json: top-level keys"
is "$(printf '%s' "$json" | jq -c '.exec')" '{"ok":true,"error":null,"path":"/usr/bin/server","interpreter":null}' "json: exec"
is "$(printf '%s' "$json" | jq -c '.process.uids')" '[1000660000,1000660000,1000660000,1000660000]' "json: uids"
is "$(printf '%s' "$json" | jq -r '.process.caps.effective.mask')" "0x0000000000000000" "json: effective empty"
is "$(printf '%s' "$json" | jq -r '.process.caps.bounding.names[0]')" "CAP_NET_BIND_SERVICE" "json: bounding names"
is "$(printf '%s' "$json" | jq -r '[.steps[].layer] | unique | join(",")')" "kernel,runtime" "json: step layers"
is "$(printf '%s' "$json" | jq -r '[.steps[].rule] | index("execve.effective") != null')" "true" "json: the execve.effective rule fired"
sed -i 's/"args": \["server"/"args": ["missing-server"/' "$B/config.json"
json=$("$CAPSCOPE" explain oci --json "$B"); is "$?" 1 "missing entrypoint: exit 1"
is "$(printf '%s' "$json" | jq -c '[.exec.ok, .exec.error, .process]')" '[false,"ENOENT",null]' "missing entrypoint: ENOENT, no process"

"$CAPSCOPE" run --help >/dev/null; is "$?" 0 "run --help"
"$CAPSCOPE" run 2>/dev/null; is "$?" 2 "run without a command: exit 2"
"$CAPSCOPE" run --json -- true 2>/dev/null; is "$?" 2 "run --json without --dry-run: exit 2"
# Sixteenth pass: an empty command name ran into "failed: ENOENT (...): "
# naming nothing (127), and the dry run's "execve of  would fail". Both binaries.
for bin in "$CAPSCOPE run" "$(dirname "$CAPSCOPE")/cli/capscope-run"; do
  [ -x "${bin%% *}" ] || continue
  for o in "" "--dry-run"; do
    # shellcheck disable=SC2086
    $bin $o -- "" 2>"$T/err"; is "$?" 2 "${bin##*/} $o with an empty command name: exit 2"
    is "$(head -1 "$T/err")" "capscope run: the command to run is an empty name ('')" "${bin##*/} $o: says so"
  done
done
"$CAPSCOPE" run --securebits bogus -- true 2>"$T/err"; is "$?" 2 "run --securebits bogus: exit 2"
"$CAPSCOPE" run --ambient not_a_cap -- true 2>"$T/err"; is "$?" 2 "run --ambient bad name: exit 2"
"$CAPSCOPE" run --user no-such-user-here --clear-groups -- true 2>"$T/err"; is "$?" 2 "run unknown user: exit 2"
out=$("$CAPSCOPE" run --dry-run --no-new-privs -- true); is "$?" 0 "run --dry-run: exit 0"
like "$out" "Just before execve: .*no_new_privs yes" "run --dry-run: the plan sets no_new_privs"
"$CAPSCOPE" run --no-new-privs -- sh -c 'grep -q "NoNewPrivs:.1" /proc/self/status'; is "$?" 0 "run --no-new-privs: really set"
"$CAPSCOPE" run -- sh -c 'exit 3'; is "$?" 3 "run: the command's exit status comes through"
"$CAPSCOPE" run -- /nonexistent/cmd 2>"$T/err"; is "$?" 127 "run: execve failure is 127"
like "$(cat "$T/err")" "step 'execve' failed: ENOENT" "run: execve failure named"

if command -v valgrind >/dev/null; then
  vg() {
    valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
      "${CAPSCOPE_DYN:-$CAPSCOPE}" "$@" >/dev/null 2>"$T/vg.log"
    [ $? -ne 99 ] || { sed 's/^/# /' "$T/vg.log" | head -n 30; return 1; }
  }
  sed -i 's/"missing-server"/"server"/' "$B/config.json"
  vg explain oci "$B"; ok $? "valgrind: explain oci"
  vg explain oci --json "$B"; ok $? "valgrind: explain oci --json"
  vg explain oci "$T/bad"; ok $? "valgrind: explain oci, bad bundle"
  vg run --dry-run --json --ambient net_bind_service -- true; ok $? "valgrind: run --dry-run"
else
  skip "valgrind is not installed"
fi
done_testing

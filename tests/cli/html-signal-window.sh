#!/usr/bin/env bash
# --html FILE is written to .FILE.XXXXXX (lib/html/page.c), and the CLI's
# handler (cli/html-guard.c) removes it when a signal ends capscope. The
# handler was installed only after the file was made: a signal between the
# two ended capscope at its default action with the file left behind
# (nineteenth pass, part F, left open). Deterministic: an LD_PRELOAD shim
# (tests/helpers/raise-on-mkstemp.c) raises the signal in the call that made
# the file, before it returns. capscope-dyn, plain build only: the ASan
# runtime must be loaded before any preload.
source "$(dirname "$0")/../lib/tap.sh"
SHIM=${CAPSCOPE_BUILD:-$(dirname "$CAPSCOPE")}/tests/helpers/raise-on-mkstemp.so
[ -f "$SHIM" ] || skip_all "tests/helpers/raise-on-mkstemp.so was not built"
case "$CAPSCOPE" in *asan*) skip_all "an LD_PRELOAD shim cannot come before the ASan runtime" ;; esac
# capscope is linked statically (no preload reaches it); capscope-dyn is the
# same program on libcapscope.so.
DYN=$(dirname "$CAPSCOPE")/capscope-dyn
[ -x "$DYN" ] || skip_all "capscope-dyn was not built"
tap_tmpdir
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: c, image: x}\n' >"$T/pod.yaml"
mkdir "$T/tree" && : >"$T/tree/f"

# window CMD SIG: CMD's page signalled as its temporary file is made.
window() {
  local cmd=$1 sig=$2 d=$T/$1-$2 rc
  mkdir "$d"
  echo old >"$d/page.html"
  case $cmd in
    scan) set -- scan --html "$d/page.html" "$T/tree" ;;
    explain) set -- explain pod --html "$d/page.html" "$T/pod.yaml" ;;
  esac
  env --default-signal="$sig" LD_PRELOAD="$SHIM" RAISE_MATCH=/.page.html. \
    RAISE_SIG="$(kill -l "$sig")" "$DYN" "$@" >/dev/null 2>"$d/err"
  rc=$?
  ok $((rc == 128 + $(kill -l "$sig") ? 0 : 1)) "$cmd, SIG$sig as the temporary page is made: ended by it (exit $rc)"
  ok $(compgen -G "$d/.page.html.*" >/dev/null && echo 1 || echo 0) \
    "$cmd, SIG$sig as the temporary page is made: no temporary left ($(ls -A "$d" | tr '\n' ' '))"
  ok $([ "$(cat "$d/page.html")" = old ] && echo 0 || echo 1) "$cmd, SIG$sig: the old page kept"
}
for c in scan explain; do
  for s in TERM INT HUP PIPE XFSZ; do window "$c" "$s"; done
done
# The shim itself: with no match, the page is written whole.
"$DYN" explain pod --html "$T/whole.html" "$T/pod.yaml" >/dev/null 2>&1
ok $(grep -q '</html>' "$T/whole.html" && echo 0 || echo 1) "no signal: the page is whole"
done_testing

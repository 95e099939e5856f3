#!/usr/bin/env bash
# asan-too
# --html FILE is written to .FILE.XXXXXX and renamed when whole
# (lib/html/page.c); a signal that ended the command while the page was
# written left that file behind (nineteenth pass, part F). The CLI's handler
# (cli/html-guard.c) removes it and ends by the same signal. Deterministic:
# explain pod's report goes to a FIFO nobody reads, so it blocks with the
# page open (a page that exists as .page.html.*) until signalled; scan's page
# meets a file-size limit (SIGXFSZ at its default action).
source "$(dirname "$0")/../lib/tap.sh"
tap_tmpdir
set -m # background jobs keep SIGINT at its default (no job control: ignored)
# A signal ignored when this script started (nohup ignores SIGHUP, a
# background job SIGINT) stays ignored in every child, and capscope rightly
# leaves an ignored signal alone: each run is started with the signal it is
# sent at its default action, whatever the suite inherited.

# A pod of 100 containers: ~330 KB of text report, far past a pipe's 64 KB.
{
  printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n'
  for i in $(seq 100); do
    printf '  - name: c%s\n    image: nginx\n    securityContext:\n      capabilities:\n        add: [NET_ADMIN]\n' "$i"
  done
} >"$T/pod.yaml"

# blocked SIG: explain pod --html, stopped on its full stdout, is sent SIG.
# A blocked-on-SIGPIPE run (SIG=PIPE) instead loses its reader.
blocked() {
  local sig=$1 d=$T/$1 pid n=0 rc
  mkdir "$d"
  mkfifo "$d/out"
  exec 3<>"$d/out" # a reader that never reads
  env --default-signal="$sig" "$CAPSCOPE" explain pod --html "$d/page.html" "$T/pod.yaml" \
    >"$d/out" 2>"$d/err" 3<&- &
  pid=$!
  # Waiting (not timing): the temporary page appears, then the run blocks.
  while ! compgen -G "$d/.page.html.*" >/dev/null && ((n++ < 600)); do sleep 0.05; done
  ok $(compgen -G "$d/.page.html.*" >/dev/null && echo 0 || echo 1) "SIG$sig: the page is being written"
  n=0
  while [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != S ] && ((n++ < 600)); do sleep 0.05; done
  if [ "$sig" = PIPE ]; then
    exec 3<&-
    kill -CONT "$pid" 2>/dev/null
  else
    kill -"$sig" "$pid"
  fi
  wait "$pid"
  rc=$?
  exec 3<&- 2>/dev/null
  ok $((rc == 128 + $(kill -l "$sig") ? 0 : 1)) "SIG$sig: ended by the signal (exit $rc)"
  ok $(ls -A "$d" | grep -q '^\.' && echo 1 || echo 0) \
    "SIG$sig: no temporary page left ($(ls -A "$d" | tr '\n' ' '))"
  ok $([ ! -e "$d/page.html" ] && echo 0 || echo 1) "SIG$sig: no page either"
}
for s in TERM INT HUP PIPE; do blocked "$s"; done

# scan --html under a 2 KiB file-size limit, SIGXFSZ at its default: the
# old page is kept and no temporary is left (tests/cli/html.sh ignores
# SIGXFSZ and checks the EFBIG path).
mkdir -p "$T/xfsz/tree"
for i in $(seq 200); do : >"$T/xfsz/tree/file-$i"; setcap cap_net_raw+p "$T/xfsz/tree/file-$i" 2>/dev/null; done
echo old >"$T/xfsz/page.html"
(
  ulimit -f 2
  exec env --default-signal=XFSZ "$CAPSCOPE" scan --html "$T/xfsz/page.html" "$T/xfsz/tree" >/dev/null 2>"$T/xfsz/err"
)
rc=$?
ok $((rc == 128 + $(kill -l XFSZ) ? 0 : 1)) "SIGXFSZ: scan ended by the signal (exit $rc)"
ok $(compgen -G "$T/xfsz/.page.html.*" >/dev/null && echo 1 || echo 0) \
  "SIGXFSZ: no temporary page left ($(ls -A "$T/xfsz" | tr '\n' ' '))"
ok $([ "$(cat "$T/xfsz/page.html")" = old ] && echo 0 || echo 1) "SIGXFSZ: the old page is kept"

# Unsignalled, the page is written and the defaults are back (a whole page).
"$CAPSCOPE" explain pod --html "$T/whole.html" "$T/pod.yaml" >/dev/null 2>&1
ok $(grep -q '</html>' "$T/whole.html" && echo 0 || echo 1) "an unsignalled page is whole"
ok $(compgen -G "$T/.whole.html.*" >/dev/null && echo 1 || echo 0) "and no temporary is left"
done_testing

# Peak memory of one command, for the tests that bound a cost (issue #13,
# class 6). Sourced after tap.sh. GNU time's %M is the child's maximum
# resident set in KB; under a sanitizer the shadow memory makes it
# meaningless, so the check is skipped there, never loosened.

# rss_needs [TOOL...]: skip the whole test without GNU time, without one of
# the TOOLs, or in a sanitizer's build (its RSS is the shadow memory's).
rss_needs() {
  [ -x /usr/bin/time ] || skip_all "needs GNU time (/usr/bin/time)"
  local t
  for t in "$@"; do
    command -v "$t" >/dev/null || skip_all "needs $t"
  done
  grep -q __asan_init "$CAPSCOPE" 2>/dev/null && skip_all "an ASan build: RSS is the sanitizer's"
}

# with_rss CMD...: run CMD (stdin/stdout/stderr as the caller redirects
# them), its peak RSS left in ./rss when GNU time is there; exit status CMD's.
with_rss() {
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "%M" -o rss "$@"
  else
    "$@"
  fi
}

# rss_below KB DESCRIPTION: one TAP result, "ok" when the last with_rss
# peaked under KB; DESCRIPTION gets the figure appended.
rss_below() {
  if ! [ -x /usr/bin/time ] || grep -q __asan_init "$CAPSCOPE" 2>/dev/null; then
    skip "RSS: needs GNU time, and not a sanitizer's build"
  else
    [ "$(tail -1 rss)" -lt "$1" ]
    ok $? "$2: $(tail -1 rss) KB"
  fi
}

# rss_slope_below FILE_A FILE_B UNITS BYTES DESCRIPTION: one TAP result, "ok"
# when the peak saved in FILE_B (a copy of ./rss after a with_rss) is above
# FILE_A's by less than BYTES a unit over UNITS more units: the cost a
# further unit holds, whatever the base (issue #13's per-unit targets).
rss_slope_below() {
  if ! [ -x /usr/bin/time ] || grep -q __asan_init "$CAPSCOPE" 2>/dev/null; then
    skip "RSS: needs GNU time, and not a sanitizer's build"
  else
    local a b per
    a=$(tail -1 "$1") b=$(tail -1 "$2")
    per=$(( (b - a) * 1024 / $3 ))
    [ "$per" -lt "$4" ]
    ok $? "$5: $per bytes a unit ($a KB, $b KB)"
  fi
}

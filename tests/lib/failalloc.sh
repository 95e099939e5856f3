# Shared by the out-of-memory suites (sourced, not a test): builds
# tests/lib/failalloc.c, the LD_PRELOAD that fails allocations, into
# $T/failalloc.so and checks it reaches $CAPSCOPE_DYN's malloc, else skips
# the suite (as it does without a compiler, or for an ASan build, whose
# allocator is the sanitizer's). Needs tap.sh and $T.
# shellcheck shell=bash
failalloc_build() {
  command -v cc >/dev/null || skip_all "no C compiler to build the allocation-failure injector"
  grep -q __asan_init "$CAPSCOPE_DYN" 2>/dev/null && skip_all "an ASan build: its allocator is the sanitizer's"
  cc -O2 -shared -fPIC -o "$T/failalloc.so" "$CAPSCOPE_TOP/tests/lib/failalloc.c" ||
    skip_all "the allocation-failure injector does not build"
  CS_FAILALLOC_COUNT=$T/probe LD_PRELOAD=$T/failalloc.so "$CAPSCOPE_DYN" --version >/dev/null
  [ -s "$T/probe" ] || skip_all "LD_PRELOAD does not reach $CAPSCOPE_DYN's malloc (linked statically?)"
}

# failalloc_setup: the suite's temporary directory ($T, removed at exit)
# and the injector, which it says it built (check 1).
failalloc_setup() {
  tap_tmpdir
  trap 'rm -rf "$T"' EXIT
  failalloc_build
  ok 0 "the injector counts the program's allocations"
}

# failalloc_total CMD...: the number of allocations CMD makes when none fails.
failalloc_total() {
  CS_FAILALLOC_COUNT=$T/count LD_PRELOAD=$T/failalloc.so "$@" >/dev/null 2>&1
  cat "$T/count"
}

# failalloc_sweep CLASSIFY FROM TO STRIDE CMD...: runs CMD once for each
# allocation FROM, FROM+STRIDE, ... below TO failing alone
# (CS_FAILALLOC_SPAN=1), its output in $T/out and $T/err, and asks
# CLASSIFY RC (a shell function of the suite) to name the run's class in
# one word on its standard output. FA_SEEN[class] counts the runs of each
# class; FA_FIRST[class] describes the first (allocation, exit, error) so
# that a check can say where a class it refuses first appeared.
declare -A FA_SEEN FA_FIRST
failalloc_sweep() {
  local classify=$1 from=$2 to=$3 stride=$4 n rc class
  shift 4
  FA_SEEN=() FA_FIRST=()
  for ((n = from; n < to; n += stride)); do
    # (the braces: bash's own "Segmentation fault" line goes nowhere)
    { CS_FAILALLOC_AFTER=$n CS_FAILALLOC_SPAN=1 LD_PRELOAD=$T/failalloc.so "$@" >"$T/out" 2>"$T/err"; } 2>/dev/null
    rc=$?
    class=$("$classify" "$rc")
    FA_SEEN[$class]=$((${FA_SEEN[$class]:-0} + 1))
    [ -n "${FA_FIRST[$class]:-}" ] ||
      FA_FIRST[$class]="allocation $((n + 1)): exit $rc, '$(head -c 120 "$T/err" | tr '\n' ' ')'"
  done
}

# failalloc_said RC: a CLASSIFY for failalloc_sweep where a run must give
# the whole answer ($T/good and $T/good.err, with the exit status of the run
# where nothing failed: GOOD_RC, set by failalloc_table, else 0) or one line with its
# reason, exit 2 ("said"); 139 is "crashed" (libfyaml's own NULL
# dereference in fy_parse_input_append, which the suites count apart);
# anything else is "bad".
failalloc_said() {
  if [ "$1" = "${GOOD_RC:-0}" ] && cmp -s "$T/out" "$T/good" && cmp -s "$T/err" "$T/good.err"; then
    echo whole
  elif [ "$1" = 2 ] && [ "$(wc -l <"$T/err")" = 1 ] && ! grep -qE ':[[:space:]]*$' "$T/err"; then
    echo said
  elif [ "$1" = 139 ]; then
    echo crashed
  else
    echo bad
  fi
}

# failalloc_table CLASSIFY: for each "WHAT<TAB>ARGS" line of stdin,
# capscope-dyn ARGS answered without failures ($T/good, $T/good.err,
# GOOD_RC at most 1), then every one of its allocations failing alone,
# classified by CLASSIFY: none "bad", libfyaml's own crash counted apart
# (at most 2). The suites differ in what a run must say (CLASSIFY).
failalloc_table() {
  local classify=$1 what args total
  while IFS=$'\t' read -r what args; do
    # shellcheck disable=SC2086
    "$CAPSCOPE_DYN" $args >"$T/good" 2>"$T/good.err"
    GOOD_RC=$?
    ok "$([ "$GOOD_RC" -le 1 ] && echo 0 || echo 1)" "$what: answered without failures (exit $GOOD_RC)"
    # shellcheck disable=SC2086
    total=$(failalloc_total "$CAPSCOPE_DYN" $args)
    # shellcheck disable=SC2086
    failalloc_sweep "$classify" 0 "$total" 1 "$CAPSCOPE_DYN" $args
    is "${FA_SEEN[bad]:-0}" 0 "$what: $total allocations, each failing alone: whole or said, exit 2 (${FA_FIRST[bad]:-every run}; ${FA_SEEN[whole]:-0} whole, ${FA_SEEN[said]:-0} said)"
    ok "$([ "${FA_SEEN[crashed]:-0}" -le 2 ] && echo 0 || echo 1)" \
      "$what: libfyaml's own crash counted apart: ${FA_SEEN[crashed]:-0} (at most 2)"
  done
}

# failalloc_serve AFTER SPAN ARGS...: `capscope serve --listen
# 127.0.0.1:0 --threads 1 --quiet ARGS` under the injector (allocations
# AFTER on failing for SPAN, counted in $T/count), its stderr in
# $T/fa.log → FA_PID, FA_PORT ("" when it did not listen)
failalloc_serve() {
  local after=$1 span=$2
  shift 2
  : >"$T/fa.log"
  CS_FAILALLOC_COUNT=$T/count CS_FAILALLOC_AFTER=$after CS_FAILALLOC_SPAN=$span LD_PRELOAD=$T/failalloc.so \
    "$CAPSCOPE_DYN" serve --listen 127.0.0.1:0 --threads 1 --quiet "$@" >/dev/null 2>"$T/fa.log" &
  FA_PID=$! FA_PORT=
  for _ in $(seq 100); do
    FA_PORT=$(sed -n 's|^capscope serve: listening on http://127\.0\.0\.1:\([0-9]*\)$|\1|p' "$T/fa.log")
    [ -n "$FA_PORT" ] && break
    kill -0 "$FA_PID" 2>/dev/null || break
    sleep 0.05
  done
}

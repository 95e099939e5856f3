#!/usr/bin/env bash
# Runs a CLI suite against the sanitizer build's capscope: the build lives in
# another meson build directory, named by $CAPSCOPE_ASAN_BUILD (tests/run.sh
# sets it). Without it the suite is skipped, with the reason.
set -u
script=$1
if [ -z "${CAPSCOPE_ASAN_BUILD:-}" ] || [ ! -x "$CAPSCOPE_ASAN_BUILD/capscope" ]; then
  echo "1..0 # SKIP no sanitizer build given (CAPSCOPE_ASAN_BUILD; make check builds one)"
  exit 77
fi
export CAPSCOPE="$CAPSCOPE_ASAN_BUILD/capscope"
export CAPSCOPE_DYN=$CAPSCOPE # one dynamic program there (meson.build)
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
exec "$script"

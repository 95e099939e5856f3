# Shared by the out-of-memory suites (sourced, not a test): builds
# tests/lib/failalloc.c, the LD_PRELOAD that fails allocations, into
# $T/failalloc.so and checks it reaches $CAPSCOPE_DYN's malloc, else skips
# the suite. Needs tap.sh and $T.
# shellcheck shell=bash
failalloc_build() {
  cc -O2 -shared -fPIC -o "$T/failalloc.so" "$CAPSCOPE_TOP/tests/lib/failalloc.c" ||
    skip_all "the allocation-failure injector does not build"
  CS_FAILALLOC_COUNT=$T/probe LD_PRELOAD=$T/failalloc.so "$CAPSCOPE_DYN" --version >/dev/null
  [ -s "$T/probe" ] || skip_all "LD_PRELOAD does not reach $CAPSCOPE_DYN's malloc (linked statically?)"
}

#!/usr/bin/env bash
# libcapscope as another program sees it: installed with `meson install
# --destdir`, found with pkg-config, its example programs (examples/api/)
# built against the installed headers and shared library only, and run.
. "$(dirname "$0")/../lib/tap.sh"
tap_tmpdir
B=${CAPSCOPE_BUILD:-$CAPSCOPE_TOP/build}
command -v pkg-config >/dev/null || skip_all "pkg-config is not installed"

meson install -C "$B" --no-rebuild --destdir "$T/root" >"$T/install.log" 2>&1
ok $? "meson install --destdir"
pc=$(find "$T/root" -name capscope.pc | head -n 1)
ok $([ -n "$pc" ]; echo $?) "capscope.pc installed"
export PKG_CONFIG_PATH=$(dirname "$pc") PKG_CONFIG_SYSROOT_DIR="$T/root"
lib=$(dirname "$(find "$T/root" -name 'libcapscope.so.0' | head -n 1)")
ok $([ -f "$lib/libcapscope.so.0" ]; echo $?) "shared library with a versioned soname"
like "$(readelf -d "$lib/libcapscope.so.0" | grep SONAME)" 'libcapscope\.so\.0\]' "SONAME is libcapscope.so.0"
ok $([ -f "$T/root/$(pkg-config --variable=includedir capscope | sed "s|^$T/root||")/capscope/capscope.h" ]; echo $?) \
  "umbrella header installed"
# Only the public API is exported: no test hooks or internal helpers.
exported=$(nm -D --defined-only "$lib/libcapscope.so.0" | awk '{print $3}')
bad=$(printf '%s\n' "$exported" | grep -v '^cs_' | head -n 5)
is "$bad" "" "every exported symbol is cs_*"
for h in $(printf '%s\n' "$exported" | grep -E '^cs_(read_file|shell_quote)$'); do
  ok 1 "internal helper $h is exported"
done

for src in "$CAPSCOPE_TOP"/examples/api/*.c; do
  name=$(basename "$src" .c)
  # shellcheck disable=SC2046
  cc -Wall -Wextra -Werror -o "$T/$name" "$src" $(pkg-config --cflags --libs capscope) \
    2>"$T/$name.cc.log"
  ok $? "examples/api/$name.c builds against the installed library" || sed 's/^/#   /' "$T/$name.cc.log"
  like "$(ldd "$T/$name" 2>/dev/null)" "libcapscope\.so\.0 => not found|libcapscope\.so\.0" "$name links libcapscope.so.0"
done

# explain-pod: the reference article's non-root pod, through the installed library.
if [ -x "$T/explain-pod" ]; then
  out=$(LD_LIBRARY_PATH="$lib" "$T/explain-pod" "$CAPSCOPE_TOP/examples/pod/nonroot-netbind.yaml" 2>&1)
  ok $? "explain-pod runs"
  is "$out" "web NET_BIND_SERVICE no nonroot-no-ambient
  warning: container web: NET_BIND_SERVICE will not be effective (non-root uid 1000, no ambient set)" \
    "explain-pod: the article's non-root pod, with the admission warning line"
  # The same verdict as the CLI, which links the library statically.
  eff=$("$CAPSCOPE" explain pod --json "$CAPSCOPE_TOP/examples/pod/nonroot-netbind.yaml" |
    jq -r '.containers[0].verdicts[0].effective')
  is "$eff" false "the CLI's verdict agrees (not effective)"
fi
done_testing

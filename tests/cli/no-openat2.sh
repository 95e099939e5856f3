#!/usr/bin/env bash
# asan-too
# Where openat2 says ENOSYS (Linux < 5.6, a seccomp profile refusing syscalls
# it does not know, valgrind) capscope gives the same answers as here: the
# rootfs resolver, the tree walker, scan --diff and the OCI layout reader fall
# back to a walk of their own (lib/open-in-root.c). Before it, explain pod
# --rootfs said every entrypoint was "not found in the rootfs".
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/scan-image-lib.sh"
tap_tmpdir
NO=${CAPSCOPE_BUILD:-$(dirname "$CAPSCOPE")}/tests/helpers/no-openat2
[ -x "$NO" ] || skip_all "tests/helpers/no-openat2 was not built"
[ "$(uname -m)" = x86_64 ] || skip_all "the seccomp filter of no-openat2 is for x86-64"
"$NO" "$CAPSCOPE" decode 0 >/dev/null 2>&1 || skip_all "no-openat2 cannot install its filter here"
# The filter really takes openat2 away: a lookup in a rootfs goes to the fallback.
strace -f -e trace=openat2 -o "$T/strace" "$NO" "$CAPSCOPE" explain pod --rootfs / \
  <(printf 'kind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: x, command: [/bin/true]}]}\n') \
  >/dev/null 2>&1
grep -q 'openat2(.*= -1 ENOSYS' "$T/strace"; ok $? "under no-openat2, openat2 says ENOSYS"

R=$T/r
mkdir -p "$R/bin" "$R/usr/bin" "$R/etc" "$R/lib" && cp /bin/sh "$R/bin/sh" &&
  printf '#!/usr/bin/s2 -x\n' >"$R/usr/bin/s1" && printf '#!/usr/bin/s3\n' >"$R/usr/bin/s2" &&
  printf '#!/bin/sh\n' >"$R/usr/bin/s3" && printf '#!/usr/bin/loop\n' >"$R/usr/bin/loop" &&
  cp /bin/cat "$R/usr/bin/fcat" && setcap cap_net_raw+ep "$R/usr/bin/fcat" &&
  printf '#!/usr/bin/fcat\n' >"$R/usr/bin/sc" && ln -s ../usr/bin/sc "$R/bin/viarel" &&
  ln -s /usr/bin/fcat "$R/bin/viaabs" && ln -s ../../../../usr/bin/fcat "$R/bin/viaup" &&
  ln -s /proc/self/exe "$R/bin/magic" && chmod 755 "$R"/usr/bin/* &&
  echo 'app:x:1001:1001::/:/bin/sh' >"$R/etc/passwd"
ok $? "a rootfs with #! chains, a loop, file capabilities and links"

same() { # description, then a capscope command line
  local what=$1; shift
  "$CAPSCOPE" "$@" >"$T/here" 2>&1; local a=$?
  "$NO" "$CAPSCOPE" "$@" >"$T/there" 2>&1; local b=$?
  if [ $a -eq $b ] && cmp -s "$T/here" "$T/there"; then ok 0 "$what"; else
    ok 1 "$what (exit $a here, $b without openat2)"
    diff "$T/here" "$T/there" | sed 's/^/#   /' | head -n 20
  fi
}
for c in s1 loop sc fcat bin/viarel /bin/viaabs /bin/viaup /bin/magic missing; do
  printf 'kind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: c, image: x, command: [%s], securityContext: {runAsUser: 1001, capabilities: {add: [NET_RAW]}}}\n' "$c" >"$T/pod.yaml"
  same "explain pod --rootfs, command $c" explain pod --json --rootfs "$R" "$T/pod.yaml"
done
sed 's|command: \[missing\]|command: [/bin/viaup]|' "$T/pod.yaml" >"$T/up.yaml"
is "$("$NO" "$CAPSCOPE" explain pod --json --rootfs "$R" "$T/up.yaml" |
  jq -r '.containers[0].process.caps.permitted.mask')" 0x0000000000002000 \
  "without openat2, ../../../../usr/bin/fcat ends at the rootfs' fcat (CAP_NET_RAW), not the host's cat"
same "scan of the tree" scan --json "$R"
cp -a "$R" "$T/r2" && setcap cap_sys_admin+ep "$T/r2/usr/bin/fcat" && chmod u+s "$T/r2/bin/sh" &&
  mkdir -p "$T/r2/a/b/c" && setcap cap_chown+ep "$T/r2/usr/bin/s3"
same "scan --diff of two trees" scan --diff --json "$R" "$T/r2"
mklayer "$R" "$T/l.tar" && mkconfig "$T/cfg.json" 1001 '["/usr/bin/sc"]' null "$(sha "$T/l.tar")" &&
  mkoci "$T/oci" "$T/cfg.json" gzip "$T/l.tar"
same "scan of an OCI layout directory" scan --json "$T/oci"
ln -s /etc/passwd "$T/oci/blobs/sha256/$(ls "$T/oci/blobs/sha256" | head -n 1).x" 2>/dev/null
idx=$(cat "$T/oci/index.json") && rm "$T/oci/index.json" && ln -s /etc/hostname "$T/oci/index.json"
same "an OCI layout whose index.json links out of it is refused alike" scan --json "$T/oci"
rm "$T/oci/index.json" && printf '%s' "$idx" >"$T/oci/index.json"
done_testing

#!/usr/bin/env bash
# capscope is valgrind-clean: no invalid access, no uninitialised use, no
# definite leak, on the main paths of every command of the foundation.
# Later commands add their own lines here.
source "$(dirname "$0")/../lib/tap.sh"
command -v valgrind >/dev/null || skip_all "valgrind is not installed"
tap_tmpdir
# valgrind replaces malloc only in a dynamically linked program: in the
# static capscope every check below would pass without looking.
readelf -l "$CAPSCOPE_DYN" | grep -q 'Requesting program interpreter'
ok $? "the program under valgrind is dynamically linked ($(basename "$CAPSCOPE_DYN"))"
printf '#!/bin/sh\n' >"$T/nc"
[ "$(id -u)" -eq 0 ] && setcap cap_net_bind_service+ep "$T/nc" 2>/dev/null
vg() {
  valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
    --suppressions="$CAPSCOPE_TOP/tests/valgrind.supp" \
    --track-origins=yes ${VG_EXTRA:-} "${CAPSCOPE_DYN:-$CAPSCOPE}" "$@" >"$T/vg.out" 2>"$T/vg.log"
  local rc=$?
  [ $rc -ne 99 ] || sed 's/^/# /' "$T/vg.log" | head -n 30
  return $rc
}
vg decode 0 400 ffffffffffffffff zz; [ $? -ne 99 ]; ok $? "decode"
vg decode --json 4251b; [ $? -ne 99 ]; ok $? "decode --json"
vg encode NET_RAW 'cap_chown+ep' bogus; [ $? -ne 99 ]; ok $? "encode"
vg ps; [ $? -ne 99 ]; ok $? "ps (every process)"
vg ps --json -- $$; [ $? -ne 99 ]; ok $? "ps --json"
vg ps -v $$ 1073741823; [ $? -ne 99 ]; ok $? "ps -v, with a missing pid"
vg file get -n -v "$T/nc" "$T" "$T/missing"; [ $? -ne 99 ]; ok $? "file get"
vg file get --json "$T/nc"; [ $? -ne 99 ]; ok $? "file get --json"
vg file set 'cap_chown+ep cap_kill+p' "$T/nc"; [ $? -ne 99 ]; ok $? "file set (refused)"
vg --help; [ $? -ne 99 ]; ok $? "--help"
# explain pod --image: a one-layer image whose /usr/bin/nc links to the capped file.
mkdir -p "$T/img/usr/bin" "$T/img/etc" && cp "$T/nc" "$T/img/usr/bin/nc.real" &&
  ln -s nc.real "$T/img/usr/bin/nc" && echo 'app:x:1001:1001::/:/bin/sh' >"$T/img/etc/passwd" &&
  tar --format=posix --xattrs --xattrs-include='security.capability' -C "$T/img" -cf "$T/img.tar" . &&
  printf 'kind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: c, image: x, command: [nc], securityContext: {runAsUser: 1001}}\n' >"$T/pod.yaml"
vg explain pod --json --image "$T/img.tar" --check bind:443 "$T/pod.yaml"; [ $? -ne 99 ]; ok $? "explain pod --image"
printf 'kind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: c, image: x, command: [/usr/bin/nc], securityContext: {runAsUser: 1001}}\n' >"$T/lint.yaml"
vg lint --sarif --image "$T/img.tar" --openshift --psa-level restricted "$CAPSCOPE_TOP/tests/data/lint" "$T/lint.yaml"
[ $? -ne 99 ]; ok $? "lint --sarif --image over a tree"
vg lint --json --config "$CAPSCOPE_TOP/tests/data/lint/config.yaml" - <"$CAPSCOPE_TOP/tests/data/lint/suppressed.yaml"
[ $? -ne 99 ]; ok $? "lint --json --config, stdin"
# Later commands and the "#!" model (sessions 5-7). valgrind has no openat2:
# these runs also take the walk that stands in for it (lib/open-in-root.c),
# and must give the plain run's answer.
R=$T/r
mkdir -p "$R/bin" "$R/usr/bin" "$R/etc" && cp /bin/sh "$R/bin/sh" &&
  printf '#!/usr/bin/s2 -x\n' >"$R/usr/bin/s1" && printf '#!/bin/sh\n' >"$R/usr/bin/s2" &&
  printf '#!/usr/bin/loop\n' >"$R/usr/bin/loop" && cp "$T/nc" "$R/usr/bin/fnc" &&
  printf '#!/usr/bin/fnc\n' >"$R/usr/bin/sc" && chmod 755 "$R"/usr/bin/* &&
  echo 'app:x:1001:1001::/:/bin/sh' >"$R/etc/passwd"
vg_same() { # valgrind-clean and the same output as without valgrind
  vg "$@"; local rc=$?
  cp "$T/vg.out" "$T/vg.first" 2>/dev/null
  "${CAPSCOPE_DYN:-$CAPSCOPE}" "$@" >"$T/plain.out" 2>/dev/null
  [ $rc -ne 99 ] && cmp -s "$T/vg.first" "$T/plain.out"
}
for c in s1 loop sc; do
  printf 'kind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: c, image: x, command: [%s], securityContext: {runAsUser: 1001}}\n' "$c" >"$T/pod-$c.yaml"
  vg_same explain pod --json --rootfs "$R" "$T/pod-$c.yaml"; ok $? "explain pod --rootfs, #! $c"
done
vg_same explain pod --html "$T/p.html" --rootfs "$R" "$T/pod-sc.yaml"; ok $? "explain pod --html"
tar --format=posix --xattrs --xattrs-include='security.capability' -C "$R" -cf "$T/r.tar" .
vg_same explain pod --image "$T/r.tar" "$T/pod-s1.yaml"; ok $? "explain pod --image, a #! chain"
vg_same lint --sarif --image "$T/r.tar" "$T/pod-loop.yaml"; ok $? "lint --image, a #! loop"
vg_same scan --json "$R"; ok $? "scan of a tree"
vg_same scan --sarif "$T/r.tar"; ok $? "scan of an image"
cp -a "$R" "$T/r2" && chmod u+s "$T/r2/bin/sh"
vg_same scan --diff --json "$R" "$T/r2"; ok $? "scan --diff"
for p in scc 'vap --name x' 'kyverno --name x' 'gatekeeper --name x' 'check --caps NET_RAW'; do
  # shellcheck disable=SC2086
  vg_same policy $p "$T/lint.yaml"; ok $? "policy $p"
done
# The fuzz targets' replays (plain build) over the first inputs of their
# corpus: a harness that hands the library a diagnostic it never zeroed reads
# uninitialised stack where every real caller passes zeros (fuzz-policy did,
# nineteenth pass, part E), and libFuzzer's ASan build cannot see that.
# Leaks are not counted here: libfyaml 0.7.12's own (docs/hardening.md).
# explain oci, run and file set/rm (session 27: valgrind had run none of
# them). A bundle's rootfs holds a copy of /bin/true given
# cap_net_bind_service (as root) under three configs: the reference
# article's ambient one, its config without ambient, and a user namespace.
O=$T/oci
mkdir -p "$O/rootfs/bin" "$O/rootfs/etc" && cp /bin/true "$O/rootfs/bin/server" &&
  echo 'app:x:1000:1000::/home/app:/bin/sh' >"$O/rootfs/etc/passwd"
[ "$(id -u)" -eq 0 ] && setcap cap_net_bind_service+ep "$O/rootfs/bin/server" 2>/dev/null
oci_config() { # AMBIENT NS → $O/config.json
  jq -n --argjson amb "$1" --argjson ns "$2" '{ociVersion: "1.0.2", root: {path: "rootfs"},
    process: {user: {uid: 1000, gid: 1000, additionalGids: [5, 6]}, args: ["server", "--bind", "443"],
      env: ["PATH=/bin"], cwd: "/", noNewPrivileges: false,
      capabilities: {bounding: ["CAP_NET_BIND_SERVICE", "CAP_CHOWN"], effective: ["CAP_NET_BIND_SERVICE"],
        permitted: ["CAP_NET_BIND_SERVICE"], inheritable: ["CAP_NET_BIND_SERVICE"], ambient: $amb}},
    linux: {namespaces: ([{type: "pid"}, {type: "mount"}] + (if $ns then [{type: "user"}] else [] end)),
      uidMappings: (if $ns then [{containerID: 0, hostID: 100000, size: 65536}] else null end),
      gidMappings: (if $ns then [{containerID: 0, hostID: 100000, size: 65536}] else null end)}}' >"$O/config.json"
}
for c in '["CAP_NET_BIND_SERVICE"] false' '[] false' '["CAP_NET_BIND_SERVICE"] true'; do
  oci_config $c
  vg_same explain oci "$O"; ok $? "explain oci (ambient and user namespace: $c)"
  vg_same explain oci --json --caller root "$O"; ok $? "explain oci --json --caller root ($c)"
done
printf '{"process": {"args": ["x"], "user": {"uid": -1}}}' >"$O/config.json"
vg explain oci "$O"; [ $? -ne 99 ]; ok $? "explain oci, a refused config"
vg file set 'cap_net_raw,cap_kill+ep' "$T/nc"; [ $? -ne 99 ]; ok $? "file set"
vg file rm "$T/nc"; [ $? -ne 99 ]; ok $? "file rm"
vg ps -v $$; [ $? -ne 99 ]; ok $? "ps -v"
# run: valgrind follows run's own steps up to the execve (--trace-children=no
# leaves the command to run natively); --vgdb=no, for valgrind's own pipes in
# /tmp cannot be removed by a process that switched to another user.
# When the command runs, valgrind is gone with the execve and the exit
# status is the command's: its findings are looked for in its log instead
# (with -q it writes nothing else there).
vgrun() {
  VG_EXTRA=--vgdb=no vg run "$@"
  local rc=$?
  grep -q '^==[0-9]*== ' "$T/vg.log" && { sed 's/^/# /' "$T/vg.log" | head -n 30; return 99; }
  return $rc
}
if [ "$(id -u)" -eq 0 ]; then
  vgrun --user 65534 --group 65534 --clear-groups --ambient NET_BIND_SERVICE -- /bin/sh -c 'grep CapAmb /proc/self/status'
  [ $? -ne 99 ] && grep -q 'CapAmb:.*0400$' "$T/vg.out"; ok $? "run --user --ambient (the command ran with the ambient set)"
  vgrun --user 65534 --group 65534 --clear-groups --bounding CAP_KILL --caps cap_chown=ep -- /bin/true
  [ $? -eq 127 ]; ok $? "run, a plan refused (exit 127)"
  vgrun --securebits noroot,noroot-locked,keep-caps --caps cap_kill=eip --no-new-privs -- /bin/true
  [ $? -ne 99 ]; ok $? "run --securebits --caps --no-new-privs"
fi
vgrun --dry-run --user 65534 --group 65534 --clear-groups -- /bin/true; [ $? -ne 99 ]; ok $? "run --dry-run"
fz=${CAPSCOPE_BUILD:-$CAPSCOPE_TOP/build}/tests/fuzz
for f in "$fz"/fuzz-*; do
  [ -x "$f" ] && [ -f "$f" ] || continue
  t=${f##*/fuzz-}
  mapfile -t ins < <(find "$CAPSCOPE_TOP/tests/fuzz/corpus/$t" -type f | sort | head -n 2)
  [ ${#ins[@]} -gt 0 ] || continue
  valgrind -q --error-exitcode=99 --leak-check=no --track-origins=yes \
    --suppressions="$CAPSCOPE_TOP/tests/valgrind.supp" "$f" "${ins[@]}" >/dev/null 2>"$T/vgf.log"
  rc=$?
  [ $rc -ne 99 ] || sed 's/^/# /' "$T/vgf.log" | head -n 20
  [ $rc -ne 99 ]; ok $? "fuzz replay $t under valgrind"
done
done_testing

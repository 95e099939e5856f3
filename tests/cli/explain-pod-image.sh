#!/usr/bin/env bash
# asan-too
# capscope explain pod --image: the entrypoint, its file caps and set-uid bit,
# the USER and /etc/passwd read from an image's final view (streamed, never
# extracted), compared with --rootfs on a copy extracted here with GNU tar.
# Images are built in the test with real tools: the reference article's
# nonroot-capset, nonroot-setuid and plain nc, a symlinked entrypoint, a file
# deleted by a whiteout, a non-root named USER and a hostile symlink.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/scan-image-lib.sh"
need_root # setcap, chmod u+s and chown on the layer files; tar -x keeps them
for t in setcap tar gzip jq sha256sum; do
  command -v $t >/dev/null || skip_all "needs $t"
done
tar --help 2>/dev/null | grep -q -- --xattrs-include || skip_all "needs GNU tar with --xattrs"
EX=$CAPSCOPE_TOP/examples/pod
tap_tmpdir
cd "$T" || exit 1

# base DIR: the layer every image starts from (passwd, group, a shell-less /bin).
base() {
  mkdir -p "$1/etc" "$1/usr/bin" "$1/bin" "$1/tmp"
  printf 'root:x:0:0:root:/root:/bin/sh\napp:x:1001:1002:app:/home/app:/sbin/nologin\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n' >"$1/etc/passwd"
  printf 'root:x:0:\napp:x:1002:\n' >"$1/etc/group"
}

# extract ROOT LAYER...: what a runtime's snapshotter does, with tar: apply the
# layers in order, each whiteout removing its target (no opaque dirs here).
extract() {
  local root=$1 l w; shift
  mkdir -p "$root"
  for l in "$@"; do
    tar --xattrs --xattrs-include='security.capability' --numeric-owner -xpf "$l" -C "$root"
    while IFS= read -r w; do
      rm -rf "$(dirname "$w")/$(basename "$w" | sed 's/^\.wh\.//')" "$w"
    done < <(find "$root" -name '.wh.*')
  done
}

CMD_NC='["/usr/bin/nc","-lvu","443"]'
# mkimage NAME FORMAT USER ENTRYPOINT CMD LAYERDIR...: layers, config, the image
# in FORMAT (docker | oci-dir | oci-tar) and its extracted copy NAME.root.
mkimage() {
  local name=$1 fmt=$2 user=$3 ep=$4 cmd=$5 d ids=() ls=(); shift 5
  for d in "$@"; do
    mklayer "$d" "$d.tar"
    ls+=("$d.tar"); ids+=("$(sha "$d.tar")")
  done
  mkconfig "$name.json" "$user" "$ep" "$cmd" "${ids[@]}"
  case $fmt in
    docker) mkdocker "$name.img" "$name.json" "${ls[@]}" ;;
    oci-dir) mkoci "$name.img" "$name.json" gzip "${ls[@]}" ;;
    oci-tar) mkoci "$name.oci" "$name.json" none "${ls[@]}" && tar -C "$name.oci" -cf "$name.img" . ;;
  esac
  extract "$name.root" "${ls[@]}"
}

# nonroot-capset: nc with cap_net_bind_service+ep, added by a second layer over a plain nc.
base capset.0; cp /bin/true capset.0/usr/bin/nc
mkdir -p capset.1/usr/bin; cp /bin/true capset.1/usr/bin/nc; setcap cap_net_bind_service+ep capset.1/usr/bin/nc
mkimage capset docker "" null "$CMD_NC" capset.0 capset.1
# nonroot-setuid: a set-uid root nc.
base setuid.0; cp /bin/true setuid.0/usr/bin/nc; chmod 4755 setuid.0/usr/bin/nc
mkimage setuid oci-dir "" null "$CMD_NC" setuid.0
# plain nc
base plain.0; cp /bin/true plain.0/usr/bin/nc
mkimage plain oci-tar "" null "$CMD_NC" plain.0
# A symlinked entrypoint found through PATH: /usr/bin/nc -> /bin/nc.openbsd (+ep).
base link.0; cp /bin/true link.0/bin/nc.openbsd; setcap cap_net_bind_service+ep link.0/bin/nc.openbsd
ln -s /bin/nc.openbsd link.0/usr/bin/nc
mkimage link docker "" null '["nc","-lvu","443"]' link.0
# A whiteout in a later layer deletes the entrypoint.
base gone.0; cp /bin/true gone.0/usr/bin/nc; setcap cap_net_bind_service+ep gone.0/usr/bin/nc
mkdir -p gone.1/usr/bin; : >gone.1/usr/bin/.wh.nc
mkimage gone oci-dir "" null "$CMD_NC" gone.0 gone.1
# A named non-root USER (uid and gid from the image's /etc/passwd), nc +ep.
base user.0; cp /bin/true user.0/usr/bin/nc; setcap cap_net_bind_service+ep user.0/usr/bin/nc
mkimage user docker "app" null "$CMD_NC" user.0
# A working directory under a directory the user cannot search (tenth pass).
base sec.0; mkdir -p sec.0/secret/app; cp /bin/true sec.0/secret/app/run; chmod 700 sec.0/secret
mkimage sec docker "" null '["/secret/app/run"]' sec.0
# Hostile: the entrypoint links up and out; the image has no /etc/passwd of its own.
mkdir -p evil.0/usr/bin; ln -s ../../../../etc/passwd evil.0/usr/bin/nc
mkimage evil oci-tar "" null "$CMD_NC" evil.0
# Hostile: the same link, with an /etc/passwd inside the image.
base evil2.0; ln -s ../../../../../etc/passwd evil2.0/usr/bin/nc
mkimage evil2 docker "" null "$CMD_NC" evil2.0

cat >app-pod.yaml <<'Y'
apiVersion: v1
kind: Pod
metadata: {name: app}
spec:
  containers:
    - name: app
      image: example/app
      securityContext:
        capabilities: {add: [NET_BIND_SERVICE]}
Y

SCC=(--scc restricted --crio-config "$EX/crio-2020" --check bind:443)
pj() { "$CAPSCOPE" explain pod --json "$@" 2>"$T/err"; }
img() { local n=$1; shift; pj --image "$n.img" "$@"; }
root() { local n=$1; shift; pj --rootfs "$n.root" --image-config "$n.json" "$@"; }
q() { jq -r ".containers[0] | $1"; }
PROC='[(.process.uids | join(",")), .process.caps.inheritable.mask, .process.caps.permitted.mask, .process.caps.effective.mask, .process.caps.ambient.mask] | join(" ")'

# same NAME POD-ARGS…: --image and --rootfs on the extracted copy predict the same.
same() {
  local n=$1 a b; shift
  a=$(img "$n" "$@" | jq -S .); b=$(root "$n" "$@" | jq -S .)
  if [ -n "$a" ] && [ "$a" = "$b" ]; then ok 0 "$n: --image gives what --rootfs on the extracted image gives"
  else ok 1 "$n: --image gives what --rootfs on the extracted image gives"; diff <(echo "$b") <(echo "$a") | head -20 | sed 's/^/# /'
  fi
}

out=$(img capset "${SCC[@]}" "$EX/nonroot-capset.yaml")
is "$(q "$PROC" <<<"$out")" "1000660000,1000660000,1000660000,1000660000 0x000000000004251b 0x0000000000000400 0x0000000000000400 0x0000000000000000" \
  "nonroot-capset (docker-archive): the article's Inh 4251b, Prm/Eff 400, Amb 0"
is "$(q '[.exec.path, .checks[0].ok] | join(" ")' <<<"$out")" "/usr/bin/nc true" "nonroot-capset: the upper layer's nc (+ep) binds 443"
same capset "${SCC[@]}" "$EX/nonroot-capset.yaml"

out=$(img setuid "${SCC[@]}" "$EX/nonroot-setuid.yaml")
is "$(q '.process.uids | join(",")' <<<"$out")" "1000660000,0,0,0" "nonroot-setuid (OCI layout, gzip): euid 0 via the set-uid bit"
same setuid "${SCC[@]}" "$EX/nonroot-setuid.yaml"

out=$(img plain "${SCC[@]}" "$EX/nonroot-capset.yaml")
is "$(q '[.process.caps.effective.mask, .checks[0].ok] | join(" ")' <<<"$out")" "0x0000000000000000 false" \
  "plain nc (OCI archive): nothing effective, cannot bind 443"
same plain "${SCC[@]}" "$EX/nonroot-capset.yaml"

out=$(img link "${SCC[@]}" "$EX/nonroot-capset.yaml")
is "$(q '[.exec.path, .process.caps.effective.mask] | join(" ")' <<<"$out")" "/usr/bin/nc 0x0000000000000400" \
  "symlinked entrypoint: PATH finds nc, the link's target carries +ep"
same link "${SCC[@]}" "$EX/nonroot-capset.yaml"

out=$(img gone "${SCC[@]}" "$EX/nonroot-capset.yaml")
is "$(q '[.exec.ok, .exec.error] | join(" ")' <<<"$out")" "false ENOENT" "a whiteout in the upper layer: the entrypoint is not found"
same gone "${SCC[@]}" "$EX/nonroot-capset.yaml"

out=$(img user app-pod.yaml)
is "$(q "$PROC" <<<"$out")" "1001,1001,1001,1001 0x0000000000000000 0x0000000000000400 0x0000000000000400 0x0000000000000000" \
  "named USER app: uid 1001 from the image's /etc/passwd, +ep nc gets NET_BIND_SERVICE"
is "$(q '.oci.gid' <<<"$out")" "1002" "named USER app: primary gid 1002 from the image's /etc/passwd"
same user app-pod.yaml
"$CAPSCOPE" explain pod --image user.img app-pod.yaml >text.out 2>&1
like "$(cat text.out)" "uid 1001 from the image's USER 'app'" "text: the USER step names the image's user"

# Hostile symlinks: resolved inside the image, never on the host.
out=$(img evil "${SCC[@]}" "$EX/nonroot-capset.yaml")
is "$(q '[.exec.ok, .exec.error] | join(" ")' <<<"$out")" "false ENOENT" \
  "entrypoint -> ../../../../etc/passwd, no /etc/passwd in the image: not found (the host's is not read)"
same evil "${SCC[@]}" "$EX/nonroot-capset.yaml"
out=$(img evil2 "${SCC[@]}" "$EX/nonroot-capset.yaml")
is "$(q '[.exec.ok, .exec.error] | join(" ")' <<<"$out")" "false EACCES" \
  "entrypoint -> ../../../../../etc/passwd: the image's own 0644 passwd, execve says EACCES"
same evil2 "${SCC[@]}" "$EX/nonroot-capset.yaml"

# A relative command with a '/' is the working directory's: runc changes to
# process.cwd before it looks the command up (ninth pass: it was taken from
# the root, /nc, ENOENT).
printf '{"config":{"WorkingDir":"/usr/bin","Entrypoint":["./nc"],"Cmd":["-lvu","443"]}}' >cwd.json
for how in "--image capset.img" "--rootfs capset.root"; do
  # shellcheck disable=SC2086
  is "$(pj $how --image-config cwd.json "${SCC[@]}" "$EX/nonroot-capset.yaml" | q '[.exec.path, .process.caps.effective.mask] | join(" ")')" \
    "/usr/bin/nc 0x0000000000000400" "$how: Entrypoint ./nc with WorkingDir /usr/bin runs /usr/bin/nc (+ep)"
done

# A relative $PATH entry ("bin", ".", an empty one) is looked in from the
# working directory, and a file found through it is refused: Go 1.19's
# exec.LookPath answers ErrDot and runc does not start the process (tenth
# pass: PATH=bin was taken from the root, and /bin/nc predicted to run).
printf '{"config":{"WorkingDir":"/usr","Env":["PATH=bin"],"Entrypoint":["nc"]}}' >dot.json
printf '{"config":{"WorkingDir":"/usr/bin","Env":["PATH=:/usr/bin"],"Entrypoint":["nc"]}}' >dot2.json
printf '{"config":{"WorkingDir":"/usr","Env":["PATH=lib:/usr/bin"],"Entrypoint":["nc"]}}' >dot3.json
printf '{"config":{"WorkingDir":"/usr/bin","Env":["PATH="],"Entrypoint":["nc"]}}' >dot4.json
for how in "--image capset.img" "--rootfs capset.root"; do
  # shellcheck disable=SC2086
  is "$(pj $how --image-config dot.json "${SCC[@]}" "$EX/nonroot-capset.yaml" | q '[.exec.ok, .exec.error, .exec.path, .steps[-1].rule] | join(" ")')" \
    "false ENOENT /usr/bin/nc runc.lookpath.dot" "$how: PATH=bin from /usr finds /usr/bin/nc, relative: ErrDot, not started"
  # shellcheck disable=SC2086
  is "$(pj $how --image-config dot2.json "${SCC[@]}" "$EX/nonroot-capset.yaml" | q '[.exec.ok, .exec.path, .steps[-1].rule] | join(" ")')" \
    "false /usr/bin/nc runc.lookpath.dot" "$how: an empty entry is the working directory's, even before the same file by /usr/bin"
  # shellcheck disable=SC2086
  is "$(pj $how --image-config dot3.json "${SCC[@]}" "$EX/nonroot-capset.yaml" | q '[.exec.ok, .exec.path, .process.caps.effective.mask] | join(" ")')" \
    "true /usr/bin/nc 0x0000000000000400" "$how: a relative entry where nothing is found is passed over"
  # shellcheck disable=SC2086
  is "$(pj $how --image-config dot4.json "${SCC[@]}" "$EX/nonroot-capset.yaml" | q '[.exec.ok, .exec.error, .steps[-1].rule] | join(" ")')" \
    "false ENOENT execve.resolve" "$how: PATH= is no entry at all (Go's SplitList), not the working directory: not found"
done

# A relative working directory, the pod's or the image's: runc refuses the
# container ("Cwd must be an absolute path"); an empty workingDir is unset
# and the image's applies (containerd's CRI and CRI-O test != ""). Tenth pass:
# "usr" was read from the root and the container predicted to run.
printf '{"config":{"WorkingDir":"usr","Entrypoint":["/usr/bin/nc"]}}' >relcwd.json
sed 's/^\(          image: .*\)$/\1\n          workingDir: ""/' "$EX/nonroot-capset.yaml" >emptywd.yaml
sed 's/^\(          image: .*\)$/\1\n          workingDir: usr\/bin/' "$EX/nonroot-capset.yaml" >relwd.yaml
for how in "--image capset.img" "--rootfs capset.root"; do
  # shellcheck disable=SC2086
  is "$(pj $how --image-config relcwd.json "${SCC[@]}" "$EX/nonroot-capset.yaml" | q '[.exec.ok, .exec.error, .steps[-1].rule] | join(" ")')" \
    "false CreateContainerError runc.cwd" "$how: the image's WorkingDir usr is relative: not created"
  # shellcheck disable=SC2086
  is "$(pj $how --image-config cwd.json "${SCC[@]}" relwd.yaml | q '[.exec.ok, .exec.error, .steps[-1].rule] | join(" ")')" \
    "false CreateContainerError runc.cwd" "$how: the pod's workingDir usr/bin is relative: not created"
  # shellcheck disable=SC2086
  is "$(pj $how --image-config cwd.json "${SCC[@]}" emptywd.yaml | q '[.exec.path, .process.caps.effective.mask] | join(" ")')" \
    "/usr/bin/nc 0x0000000000000400" "$how: workingDir \"\" is unset: the image's /usr/bin, ./nc runs"
done

# A relative command's lookup starts at the working directory: runc changed
# there as root, and the kernel searches only the cwd and below, so /secret
# (0700) above /secret/app does not stop ./run (tenth pass: EACCES at
# /secret was predicted). An absolute name, or a cwd the user cannot search,
# still stops.
cat >dropall.yaml <<'Y'
apiVersion: v1
kind: Pod
metadata: {name: d}
spec:
  containers:
    - name: d
      image: example/d
      securityContext: {runAsUser: 1000, capabilities: {drop: [ALL]}}
Y
printf '{"config":{"WorkingDir":"/secret/app","Entrypoint":["./run"]}}' >sec1.json
printf '{"config":{"WorkingDir":"/secret/app","Entrypoint":["/secret/app/run"]}}' >sec2.json
printf '{"config":{"WorkingDir":"/secret","Entrypoint":["app/run"]}}' >sec3.json
for how in "--image sec.img" "--rootfs sec.root"; do
  # shellcheck disable=SC2086
  is "$(pj $how --image-config sec1.json dropall.yaml | q '[.exec.ok, .exec.path] | join(" ")')" \
    "true /secret/app/run" "$how: ./run from /secret/app under a 0700 /secret runs (uid 1000, no capability)"
  # shellcheck disable=SC2086
  is "$(pj $how --image-config sec2.json dropall.yaml | q '[.exec.ok, .exec.error] | join(" ")')" \
    "false EACCES" "$how: /secret/app/run by its absolute name: /secret stops it"
  # shellcheck disable=SC2086
  is "$(pj $how --image-config sec3.json dropall.yaml | q '[.exec.ok, .exec.error] | join(" ")')" \
    "false EACCES" "$how: app/run from /secret itself (0700): the cwd must be searchable"
done

# --image-config still overrides the image's config; errors and usage.
printf '{"config":{"User":"nobody","Cmd":["/usr/bin/nc"]}}' >nobody.json
is "$(pj --image user.img --image-config nobody.json app-pod.yaml | q '.process.uids | join(",")')" "65534,65534,65534,65534" \
  "--image-config overrides the image's USER; the name is looked up in the image"
"$CAPSCOPE" explain pod --image user.img --rootfs user.root app-pod.yaml >/dev/null 2>"$T/err"
is $? 2 "--image with --rootfs: usage error"
echo garbage >bad.img
"$CAPSCOPE" explain pod --image bad.img app-pod.yaml >/dev/null 2>"$T/err"; rc=$?
is $rc 2 "an unreadable image: exit 2"
like "$(cat "$T/err")" "^capscope explain pod: --image: bad.img" "an unreadable image: the error names it"
"$CAPSCOPE" explain pod --image no-such.img app-pod.yaml >/dev/null 2>"$T/err"; rc=$?
is $rc 2 "a missing image: exit 2"
# A single layer with names climbing out of the root: kept inside, and said.
"$CAPSCOPE" explain pod --json --image "$CAPSCOPE_TOP/tests/fuzz/corpus/archive/dotdot" app-pod.yaml >/dev/null 2>"$T/err"
like "$(cat "$T/err")" "warning: .*entries of the image were ignored or adjusted" "an image with '..' names: a warning points to capscope scan"

# explain oci --image: the bundle's process, the image's file instead of root.path.
mkdir -p bundle
jq '.root.path = "'"$T"'/capset.root" | .process.args = ["nc", "-lvu", "443"]' \
  "$CAPSCOPE_TOP/examples/oci/article-filecaps/config.json" >bundle/config.json
a=$("$CAPSCOPE" explain oci --caller root --json --image capset.img bundle | jq -S .)
b=$("$CAPSCOPE" explain oci --caller root --json bundle | jq -S .)
is "$(jq -r '[.exec.path, .process.caps.effective.mask] | join(" ")' <<<"$a")" "/usr/bin/nc 0x0000000000000400" \
  "explain oci --image: nc +ep from the image, NET_BIND_SERVICE effective"
ok "$([ -n "$a" ] && [ "$a" = "$b" ]; echo $?)" "explain oci --image gives what the extracted rootfs gives"
a=$("$CAPSCOPE" explain oci --caller root --json --image gone.img bundle | jq -r '.exec.error')
is "$a" "ENOENT" "explain oci --image: a whited-out entrypoint is not found"
done_testing

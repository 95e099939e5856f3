#!/usr/bin/env bash
# asan-too
# explain pod: an image's /etc/passwd and /etc/group the model cannot read as
# the runtimes read them is refused with one error naming the file (and line),
# never taken as missing: a NUL byte, a file over the 1 MiB read, a FIFO or a
# directory (tenth pass, part D). And a passwd line of 65536 bytes or more,
# which runc's user package (a bufio.Scanner) cannot read, fails the create in
# every runtime: real Podman here read a 65535-byte line and refused a
# 65536-byte one ("bufio.Scanner: token too long").
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/scan-image-lib.sh"
for t in jq tar sha256sum; do command -v $t >/dev/null || skip_all "needs $t"; done
tap_tmpdir
cd "$T" || exit 1
mkdir -p r/etc r/usr/bin
cp /bin/true r/usr/bin/app
printf 'root:x:0:\nstaff:x:50:app\n' >r/etc/group
cat >p.yaml <<Y
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: c
    image: x
    command: [/usr/bin/app]
Y
# run RUNTIME USER [ROOTFS]: "uid gid groups", or the error and its reason; exit 2: the message
run() {
  printf '{"config":{"User":"%s"}}' "$2" >cfg.json
  "$CAPSCOPE" explain pod --json --runtime "$1" --rootfs "${3:-r}" --image-config cfg.json p.yaml \
    >out.json 2>err
  local rc=$? # 1: a container does not run as asked, 2: an error
  [ $rc -ge 2 ] && { echo "exit $rc: $(cat err)"; return; }
  jq -r '.containers[0] | if .exec.error then "\(.exec.error): \(.admission.reason)"
    else "\(.process.uids[0]) \(.process.gids[0]) \(.process.groups | join(","))" end' out.json
}
# passwd N: root, a line of exactly N bytes, then app (uid 1000)
passwd() {
  { printf 'root:x:0:0::/:/bin/sh\n'; printf "long:x:7:7:%0$(($1 - 22))d::/:/bin/sh\n" 0
    printf 'app:x:1000:1000::/:/bin/sh\n'; } >r/etc/passwd
}

printf 'root:x:0:0::/:/bin/sh\nx\0y:x:5:5::/:/bin/sh\napp:x:1000:1000::/:/bin/sh\n' >r/etc/passwd
is "$(run containerd app)" \
  "exit 2: capscope explain pod: r/etc/passwd:2: a NUL byte: the runtimes read it as part of a field, the model does not read such a file" \
  "a NUL byte in /etc/passwd: refused with its line (it was read short: 'app' was said not to be listed)"
is "$(wc -c <out.json)" "0" "…before any output: no partial JSON (checked before the output begins)"
printf 'root:x:0:0::/:/bin/sh\napp:x:1000:1000::/:/bin/sh\n' >r/etc/passwd
printf 'root:x:0:\nstaff:x:50:app\n\0\nmore:x:60:app\n' >r/etc/group
like "$(run containerd app)" "r/etc/group:3: a NUL byte" "a NUL byte in /etc/group: refused with its line"
printf 'root:x:0:\nstaff:x:50:app\n' >r/etc/group

{ printf 'root:x:0:0::/:/bin/sh\n'
  for i in $(seq 40000); do printf 'u%d:x:%d:%d::/home/u:/bin/sh\n' "$i" $((i + 2000)) $((i + 2000)); done
  printf 'app:x:1000:1000::/:/bin/sh\n'; } >r/etc/passwd
is "$(run containerd app)" "exit 2: capscope explain pod: r/etc/passwd: larger than the model reads (1 MiB)" \
  "a passwd over 1 MiB: refused (it was taken as missing: 'app' was said not to be listed)"
printf 'root:x:0:0::/:/bin/sh\napp:x:1000:1000::/:/bin/sh\n' >r/etc/passwd
for i in $(seq 60000); do printf 'g%d:x:%d:app\n' "$i" $((i + 2000)); done >r/etc/group
is "$(run containerd app)" "exit 2: capscope explain pod: r/etc/group: larger than the model reads (1 MiB)" \
  "a group file over 1 MiB: refused (it was taken as missing: no memberships)"
rm r/etc/group; mkfifo r/etc/group
is "$(timeout 20 bash -c "$(declare -f run); CAPSCOPE=$CAPSCOPE run containerd app")" \
  "exit 2: capscope explain pod: r/etc/group: not a regular file" "a FIFO /etc/group: refused, not waited on"
rm r/etc/group; mkdir r/etc/group
is "$(run containerd app)" "exit 2: capscope explain pod: r/etc/group: Is a directory" "a directory /etc/group: refused"
rmdir r/etc/group; printf 'root:x:0:\nstaff:x:50:app\n' >r/etc/group
rm r/etc/passwd
is "$(run containerd 1000)" "1000 0 0" "no /etc/passwd at all is still no passwd (a numeric user runs)"

passwd 65535
for rt in containerd crio docker podman; do
  like "$(run $rt 1000)" "^1000 1000" "$rt: a passwd line of 65535 bytes is read"
done
passwd 65536
for rt in containerd crio docker podman; do
  is "$(run $rt 1000)" \
    "CreateContainerError: the image's /etc/passwd line 2 is 65536 bytes or longer: the runtime's passwd reader (runc's user package) fails with \"bufio.Scanner: token too long\"" \
    "$rt: a passwd line of 65536 bytes fails every lookup, a numeric user's too"
done
{ printf 'root:x:0:0::/:/bin/sh\napp:x:1000:1000::/:/bin/sh\n'; printf 'long:x:7:7:%065514d::/:/bin/sh\r\n' 0; } >r/etc/passwd
like "$(run containerd 1000)" "line 3 is 65536 bytes" "a CR before the newline counts (the Scanner drops it after the limit)"
printf "big:x:70:%070000d\nstaff:x:50:app\n" 0 >r/etc/group
passwd 100
like "$(run containerd app)" "^1000 1000 50" "a group line of 70000 bytes is read (runc's group reader has no limit)"

# More than 256 groups for one name: the model's limit, which no runtime has
# (the kernel takes 65536). It was shown as "NOT CREATED: CreateContainerError",
# then refused the whole run before any output, whoever the containers ran as;
# now that container is "not modelled" (the file, line and reason), exit 2,
# and the others are modelled (eleventh pass, part D). A name twice on a line
# is one group.
printf 'root:x:0:0::/:/bin/sh\napp:x:1000:1000::/:/bin/sh\nv:x:1001:1001::/:/bin/sh\n' >r/etc/passwd
{ printf 'root:x:0:\n\n'; for i in $(seq 256); do printf 'g%d:x:%d:app,app\n' "$i" $((i + 2000)); done; } >r/etc/group
is "$(run containerd app)" \
  "exit 2: capscope explain pod: pod p, container c: not modelled: supplementalGroups: more than 256 supplementary groups: the model holds at most 256" \
  "256 groups listing app (each twice on its line) and the gid: past the model's list, not modelled, not a refused container"
printf 'one:x:9:x,app\n' >>r/etc/group
is "$(run containerd app)" \
  "exit 2: capscope explain pod: pod p, container c: not modelled: r/etc/group:259: lists 'app' in more than 256 groups: the model holds at most 256 (a runtime would take them)" \
  "257 groups: not modelled, with the line of the 257th"
is "$(jq -c '.containers[0] | [.not_modelled, .exec.error, .process]' out.json)" \
  "[\"r/etc/group:259: lists 'app' in more than 256 groups: the model holds at most 256 (a runtime would take them)\",\"NotModelled\",null]" \
  "…in whole JSON: not_modelled, exec.error NotModelled, no process"
like "$(run containerd 1000)" "exit 2: .*lists 'app' in more than 256" "…user 1000 too (app to the passwd)"
is "$(run containerd 0)" "0 0 0" "…a user the file does not list that often is modelled (it was refused with the file)"
for i in $(seq 40000); do printf 'g%d:x:%d:u%d,v\n' "$i" $((i + 2000)) $((i % 200)); done >r/etc/group
like "$(run containerd v)" "r/etc/group:257: lists 'v' in more than 256 groups" \
  "a 0.9 MB group file with 40,000 lines: counted (read and sorted once)"
printf 'root:x:0:\nstaff:x:50:app\n' >r/etc/group

# The same with --image: an image's passwd over 1 MiB was not kept and was taken as missing.
mkdir -p L/etc L/usr/bin; cp /bin/true L/usr/bin/app
{ printf 'root:x:0:0::/:/bin/sh\n'
  for i in $(seq 40000); do printf 'u%d:x:%d:%d::/home/u:/bin/sh\n' "$i" $((i + 2000)) $((i + 2000)); done
  printf 'app:x:1000:1000::/:/bin/sh\n'; } >L/etc/passwd
mklayer L L.tar
mkconfig c.json app '["/usr/bin/app"]' null "$(sha L.tar)"
mkdocker big.img c.json L.tar
"$CAPSCOPE" explain pod --image big.img p.yaml >/dev/null 2>err; rc=$?
is "$rc $(cat err)" "2 capscope explain pod: the image's /etc/passwd: larger than the model reads (1 MiB)" \
  "--image: a passwd over 1 MiB is refused as too large, not taken as missing"
printf 'root:x:0:0::/:/bin/sh\n\0\napp:x:1000:1000::/:/bin/sh\n' >L/etc/passwd
mklayer L L.tar
mkconfig c.json app '["/usr/bin/app"]' null "$(sha L.tar)"
mkdocker nul.img c.json L.tar
"$CAPSCOPE" explain pod --image nul.img p.yaml >/dev/null 2>err; rc=$?
is "$rc $(cat err)" "2 capscope explain pod: the image's /etc/passwd:2: a NUL byte: the runtimes read it as part of a field, the model does not read such a file" \
  "--image: a NUL byte is refused with its line"
# Thirteenth pass, second round: the 16 MiB of passwd and group files kept
# are charged in the manifest's order. A compressed archive's layer stored
# first and listed after 16 MiB of other passwd files was charged first: its
# 52-byte /etc/passwd read from the gzip'd copy, refused from the plain one.
# Sixteenth pass (part F): a file the first read did not keep is read again
# from its layer, so both copies now give the user (tests/cli/explain-pod-etc-link.sh).
command -v python3 >/dev/null && python3 - <<'PY'
import gzip, hashlib, io, json, tarfile
def add(t, n, d, mode=0o644):
    i = tarfile.TarInfo(n); i.size = len(d); i.mode = mode; t.addfile(i, io.BytesIO(d))
def layer(ents):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w") as l:
        for n, d, m in ents: add(l, n, d, m)
    return b.getvalue()
J = layer([("j%02d/passwd" % i, b"#" * 1048575 + b"\n", 0o644) for i in range(16)])
X = layer([("etc/passwd", b"root:x:0:0::/:/bin/sh\napp:x:1000:1000::/:/bin/sh\n", 0o644),
           ("usr/bin/app", b"\x7fELF" + b"\0" * 60, 0o755)])
b = io.BytesIO()
with tarfile.open(fileobj=b, mode="w") as t:
    add(t, "x/layer.tar", X); add(t, "j/layer.tar", J)
    add(t, "c.json", json.dumps({"config": {"User": "app", "Entrypoint": ["/usr/bin/app"]},
        "rootfs": {"type": "layers", "diff_ids":  # docker load checks them
                   ["sha256:" + hashlib.sha256(x).hexdigest() for x in (J, X)]}}).encode())
    add(t, "manifest.json", json.dumps([{"Config": "c.json",
        "Layers": ["j/layer.tar", "x/layer.tar"]}]).encode())
open("etc16.img", "wb").write(b.getvalue())
open("etc16.img.gz", "wb").write(gzip.compress(b.getvalue(), 1))
PY
for f in etc16.img etc16.img.gz; do
  [ -f $f ] || { skip "needs python3"; continue; }
  "$CAPSCOPE" explain pod --json --image $f p.yaml >out.json 2>err; rc=$?
  is "$rc $(cat err) $(jq -c '.containers[0].process.uids' out.json)" "0  [1000,1000,1000,1000]" \
    "$f: past the 16 MiB kept, read again from its layer: the same user from either copy"
done
done_testing

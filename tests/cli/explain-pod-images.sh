#!/usr/bin/env bash
# asan-too
# capscope explain pod --image REF=ARCHIVE (repeatable): a Deployment with an
# init container, the application and a sidecar, two of their images given as
# archives built here. Each container gets the archive its image: names (with
# or without tag and digest, docker.io/library/ implied); the one whose image
# is not given says so; the plain --image ARCHIVE keeps meaning "every
# container"; ambiguous argument lists are usage errors.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/scan-image-lib.sh"
need_root # setcap on the layer files
for t in setcap tar jq sha256sum; do
  command -v $t >/dev/null || skip_all "needs $t"
done
tar --help 2>/dev/null | grep -q -- --xattrs-include || skip_all "needs GNU tar with --xattrs"
tap_tmpdir
cd "$T" || exit 1

root() {
  mkdir -p "$1/etc" "$1/usr/bin"
  printf 'root:x:0:0:root:/root:/bin/sh\napp:x:1001:1001::/:/sbin/nologin\nproxy:x:101:101::/:/sbin/nologin\n' >"$1/etc/passwd"
}
# app: USER app, nc with cap_net_bind_service+ep.
root app.0; cp /bin/true app.0/usr/bin/nc; setcap cap_net_bind_service+ep app.0/usr/bin/nc
mklayer app.0 app.tar
mkconfig app.json app null '["/usr/bin/nc","-l","443"]' "$(sha app.tar)"
mkdocker app.img app.json app.tar
# sidecar: USER proxy, a plain envoy.
root side.0; cp /bin/true side.0/usr/bin/envoy
mklayer side.0 side.tar
mkconfig side.json proxy '["/usr/bin/envoy"]' null "$(sha side.tar)"
mkdocker side.img side.json side.tar

D64=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
cat >deploy.yaml <<Y
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      initContainers:
        - name: init
          image: busybox:1.36
      containers:
        - name: app
          image: registry.example.com/team/app:1.2
          securityContext:
            capabilities: {add: [NET_BIND_SERVICE]}
        - name: proxy
          image: docker.io/envoyproxy/envoy:v1.30@sha256:$D64
Y

pj() { "$CAPSCOPE" explain pod --json "$@" deploy.yaml 2>"$T/err"; }
img() { jq -r '.containers[] | "\(.name) \(.image.not_given) \(.image.archive) \(.process.uids[1] // "-") \(.process.caps.effective.mask // "-")"'; }

out=$(pj --image registry.example.com/team/app=app.img --image envoyproxy/envoy=side.img)
is "$(img <<<"$out")" "init true null 0 0x00000000000005fb
app false app.img 1001 0x0000000000000400
proxy false side.img 101 0x0000000000000000" \
  "bare REFs: app and proxy get their archives (USER, file caps), init is not given"
is "$(jq -r '.containers[1].image.matched' <<<"$out")" "registry.example.com/team/app" "JSON: the REF that matched"
is "$(jq -r '.containers[0] | [.image.ref, (.exec.path // "null")] | join(" ")' <<<"$out")" "busybox:1.36 null" \
  "init: its image named in JSON, its entrypoint assumed: no command named, exec.path null (twenty-fifth pass)"

# The same container, with its archive given alone (--image ARCHIVE): the same prediction.
a=$(jq -S '.containers[1] | del(.image)' <<<"$out")
b=$(pj --image app.img | jq -S '.containers[1] | del(.image)')
ok "$([ -n "$a" ] && [ "$a" = "$b" ]; echo $?)" "app via REF=ARCHIVE is predicted as with --image app.img alone"

# Tags and digests.
is "$(pj --image registry.example.com/team/app:1.2=app.img --image "envoyproxy/envoy@sha256:$D64=side.img" | img | cut -d' ' -f1-3)" \
  "init true null
app false app.img
proxy false side.img" "REF with the tag, REF with the digest"
is "$(pj --image registry.example.com/team/app:1.3=app.img --image envoyproxy/envoy:v1.31=side.img | img | cut -d' ' -f1-2)" \
  "init true
app true
proxy true" "another tag matches nothing"
is "$(pj --image registry.example.com/team/app=side.img --image registry.example.com/team/app:1.2=app.img | img | sed -n 2p | cut -d' ' -f1-3)" \
  "app false app.img" "the most specific REF wins (tag over bare name)"
is "$(pj --image docker.io/library/busybox:1.36=side.img | img | head -1 | cut -d' ' -f1-3)" \
  "init false side.img" "docker.io/library/busybox:1.36 names busybox:1.36"

# Text: one line per container saying where its image came from, or that it was not given.
"$CAPSCOPE" explain pod --image registry.example.com/team/app=app.img deploy.yaml >text.out 2>&1
like "$(cat text.out)" "image busybox:1.36 not given \(--image REF=ARCHIVE\): entrypoint assumed plain" "text: init's image not given"
like "$(cat text.out)" "image registry.example.com/team/app:1.2 read from app.img" "text: app's archive named"
is "$(grep -c '^  image .* not given (--image REF=ARCHIVE): entrypoint assumed plain' text.out)" 2 "text: init and proxy, one line each"

# The plain form keeps its meaning: one archive for every container.
is "$(pj --image app.img | jq -r '[.containers[] | .image.not_given] | join(" ")')" "false false false" \
  "--image ARCHIVE: every container reads it"

# Usage errors (exit 2), and a missing archive (an input error).
u() { "$CAPSCOPE" explain pod "$@" deploy.yaml >/dev/null 2>"$T/err"; echo $?; }
is "$(u --image app.img --image nginx=side.img)" 2 "plain and REF=ARCHIVE mixed: usage error"
like "$(cat "$T/err")" "cannot be mixed" "mixed: says why"
is "$(u --image app.img --image side.img)" 2 "two plain archives: usage error"
is "$(u --image nginx=app.img --image docker.io/library/nginx=side.img)" 2 "one REF, two archives: usage error"
like "$(cat "$T/err")" "is already app.img" "one REF, two archives: says which"
is "$(u --image nginx=app.img --image-config app.json)" 2 "--image-config with REF=ARCHIVE: usage error"
is "$(u --image nginx=app.img --rootfs app.0)" 2 "--rootfs with REF=ARCHIVE: usage error"
cp app.img 'web=app.img'
is "$(u --image 'web=app.img')" 2 "a file named web=app.img while app.img exists: ambiguous, usage error"
is "$(pj --image './web=app.img' | jq -r '[.containers[] | .image.not_given] | join(" ")')" "false false false" \
  "./web=app.img is the file"
is "$(u --image nginx=no-such.img)" 2 "a missing archive: an input error, exit 2"
like "$(cat "$T/err")" "no-such.img" "a missing archive: named"

# Names from the manifest are escaped in the text line.
sed 's/image: busybox:1.36/image: "busy\\u001b[31mbox"/' deploy.yaml >evil.yaml
"$CAPSCOPE" explain pod --image nginx=app.img evil.yaml >evil.out 2>&1
like "$(cat evil.out)" 'image busy\\x1b\[31mbox not given' "text: an image name with ESC is escaped"
done_testing

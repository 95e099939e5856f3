#!/usr/bin/env bash
# Build the reference article's three images as tiny root filesystems:
#   DIR/nc-setuid     /usr/bin/nc set-uid root          (chmod u+s)
#   DIR/nc-capset     /usr/bin/nc with cap_net_bind_service+ep  (setcap)
#   DIR/nc-setambient /usr/bin/set_ambient with cap_net_bind_service+ep, plain nc
# Each "binary" is a copy of BINARY (default /bin/true; the truth tests use
# the static probe so that runc can really run it). Needs root (setcap, chown).
set -euo pipefail
dir=${1:?usage: make-images.sh DIR [BINARY]}
bin=${2:-/bin/true}
for img in nc-setuid nc-capset nc-setambient; do
  r=$dir/$img
  mkdir -p "$r/usr/bin" "$r/etc" "$r/proc" "$r/dev"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n' >"$r/etc/passwd"
  cp "$bin" "$r/usr/bin/nc"
  chown 0:0 "$r/usr/bin/nc"
  chmod 0755 "$r/usr/bin/nc"
done
chmod 4755 "$dir/nc-setuid/usr/bin/nc"
setcap cap_net_bind_service+ep "$dir/nc-capset/usr/bin/nc"
cp "$bin" "$dir/nc-setambient/usr/bin/set_ambient"
setcap cap_net_bind_service+ep "$dir/nc-setambient/usr/bin/set_ambient"

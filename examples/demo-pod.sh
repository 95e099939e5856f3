#!/usr/bin/env bash
# Demo of `capscope explain pod` on the reference article's pods.
# $1 = path to capscope. Needs root to build the images (setcap, chmod u+s).
set -uo pipefail
cs=${1:-build/capscope}
here=$(cd "$(dirname "$0")" && pwd)
ex=$here/pod
export NO_COLOR=${NO_COLOR:-1}
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
images=1
"$ex/make-images.sh" "$t" 2>/dev/null || images=0

show() { # title, expected, args…
  local title=$1 want=$2; shift 2
  echo
  echo "=== $title"
  echo "    article: $want"
  echo "    \$ capscope explain pod $*"
  "$cs" explain pod "$@" | sed 's/^/    /'
}

show "1. root with every capability but NET_BIND_SERVICE dropped (custom SCC anyuid-netbind)" \
  "CapInh/Prm/Eff/Bnd 0x400, CapAmb 0" \
  --openshift --scc "$ex/anyuid-netbind-scc.yaml" --crio-config "$ex/crio-2020" --check bind:443 \
  "$ex/anyuid-netbind.yaml"
if [ "$images" = 1 ]; then
  show "2. set-uid root nc under the restricted SCC" "nc runs as root" \
    --scc restricted --crio-config "$ex/crio-2020" --rootfs "$t/nc-setuid" \
    --image-config "$ex/images/nc-setuid.json" --check bind:443 "$ex/nonroot-setuid.yaml"
  show "3. file capabilities on nc (setcap cap_net_bind_service+ep)" \
    "CapInh 0x4251b CapPrm 0x400 CapEff 0x400 CapBnd 0x4251b CapAmb 0" \
    --scc restricted --crio-config "$ex/crio-2020" --rootfs "$t/nc-capset" \
    --image-config "$ex/images/nc-capset.json" --check bind:443 "$ex/nonroot-capset.yaml"
  "$ex/make-image-archive.sh" "$t/nc-capset" "$ex/images/nc-capset.json" "$t/nc-capset.tar"
  show "   the same, read from the image archive itself (--image: streamed, not extracted)" \
    "CapPrm 0x400 CapEff 0x400" \
    --scc restricted --crio-config "$ex/crio-2020" --image "$t/nc-capset.tar" \
    --check bind:443 "$ex/nonroot-capset.yaml"
  show "4. the set_ambient helper (+ep) as entrypoint" \
    "nc after the helper: CapInh 0x4251b CapPrm/Eff/Amb 0x400 CapBnd 0x4251b (the Helper line)" \
    --scc restricted --crio-config "$ex/crio-2020" --rootfs "$t/nc-setambient" \
    --image-config "$ex/images/nc-setambient.json" "$ex/nonroot-setambient.yaml"
  show "   the same image today: restricted-v2 sets allowPrivilegeEscalation false" \
    "file caps are ignored under no_new_privs" \
    --openshift --rootfs "$t/nc-capset" --image-config "$ex/images/nc-capset.json" \
    --check bind:443 "$ex/nonroot-capset.yaml"
else
  echo; echo "(images 2-4 skipped: building them needs root for setcap)"
fi
show "5. CRI-O default_capabilities as the source (root container)" "CapEff 0x400" \
  --crio-config "$ex/crio-netbind" --check bind:443 "$ex/root-defaults.yaml"
show "Why can't my non-root pod bind 443? (kubernetes/kubernetes#56374)" \
  "it cannot: no file caps, no ambient" --check bind:443 "$ex/nonroot-netbind.yaml"
show "   the same pod under Docker (ip_unprivileged_port_start=0)" "it can bind" \
  --runtime docker --check bind:443 "$ex/nonroot-netbind.yaml"
exit 0

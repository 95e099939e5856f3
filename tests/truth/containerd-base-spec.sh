#!/usr/bin/env bash
# Real containerd as the oracle for `explain pod --containerd-config`: its
# CRI plugin with a base_runtime_spec for the default handler (containerd's
# own default spec, `ctr oci spec`, with a smaller capability set, an
# inheritable set and noNewPrivileges), a seeded matrix of containers created
# over the CRI API as in containerd-matrix.sh, each compared with capscope's
# prediction given the same config.toml. Part E of the twentieth pass read
# this behaviour from containerd's source only; this runs it. containerd's
# root, state and socket live under a temporary directory; it is stopped by
# its PID.
source "$(dirname "$0")/../lib/tap.sh"
need_root
command -v containerd >/dev/null || skip_all "containerd is not installed (scripts/install-deps.sh)"
command -v ctr >/dev/null || skip_all "ctr is not installed (containerd)"
command -v protoc >/dev/null || skip_all "protoc is not installed (protobuf-compiler)"
command -v setcap >/dev/null || skip_all "setcap is not installed"
command -v cc >/dev/null || skip_all "no C compiler for the sandbox's pause process"
PY=/usr/bin/python3
"$PY" -c 'import grpc, google.protobuf' 2>/dev/null || skip_all "python3-grpcio / python3-protobuf are not installed"
PROBE=${CAPSCOPE_BUILD:-$CAPSCOPE_TOP/build}/tests/truth/probe
[ -x "$PROBE" ] || skip_all "the static probe was not built ($PROBE)"
LIB=$CAPSCOPE_TOP/tests/truth/runtime-lib
tap_tmpdir
chmod 755 "$T"
D=$T/d
source "$LIB/containerd-lib.sh"
mkdir -p "$D/state" "$T/m" "$T/pb"
cc -static -O2 -o "$T/pause" "$LIB/pause.c" || skip_all "cannot build the static pause process"
protoc -I "$LIB" --python_out="$T/pb" "$LIB/cri-subset.proto" || skip_all "protoc failed"
cri_config "$D" "$D/state" "$D/containerd.sock" docker.io/library/capscope-probe-pause:latest

# The base spec: containerd's default with six capabilities in bounding,
# effective and permitted, two of them also inheritable, and no_new_privs.
ctr oci spec >"$T/default.json" || skip_all "ctr oci spec fails here"
"$PY" - "$T/default.json" "$D/base.json" <<'PYEOF' || exit 1
import json, sys
spec = json.load(open(sys.argv[1]))
six = ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_SETUID", "CAP_SETGID",
       "CAP_NET_BIND_SERVICE", "CAP_KILL"]
caps = spec["process"]["capabilities"]
for s in ("bounding", "effective", "permitted"):
    caps[s] = list(six)
caps["inheritable"] = ["CAP_NET_BIND_SERVICE", "CAP_KILL"]
spec["process"]["noNewPrivileges"] = True
json.dump(spec, open(sys.argv[2], "w"), indent=1)
PYEOF
# cri_config's runc handler, given the base spec
sed -i "/containerd.runtimes.runc\]/a\\      base_runtime_spec = \"$D/base.json\"" "$D/config.toml"
grep -q "base_runtime_spec = \"$D/base.json\"" "$D/config.toml" || { echo "Bail out! config.toml was not given the base spec"; exit 1; }

stop_containerd() {
  containerd_stop "$D" "$D/state"
  [ -n "${CAPSCOPE_KEEP:-}" ] || rm -rf "$T"
}
trap stop_containerd EXIT
containerd_start "$D" "$D/containerd.sock" || skip_all "containerd does not start here"
"$PY" "$LIB/matrix.py" --runtime containerd --images-only --endpoint - --tmp "$T/m" \
  --probe "$PROBE" --pause "$T/pause" --capscope "$CAPSCOPE" || exit 1
for a in "$T"/m/*.tar; do
  ctr -a "$D/containerd.sock" -n k8s.io images import --snapshotter "$SNAP" "$a" >/dev/null ||
    { tail -5 "$D/containerd.log" | sed 's/^/# /'; skip_all "ctr images import fails here"; }
done
"$PY" "$LIB/matrix.py" --runtime containerd \
  --runtime-arg "${CAPSCOPE_CONTAINERD_RUNTIME:-containerd@1.6}" --capscope-arg=--caller=self --capscope-arg=--runtime-caps=self \
  --capscope-arg="--containerd-config=$D/config.toml" \
  --endpoint "$D/containerd.sock" --tmp "$T/m" --pb "$T/pb" --probe "$PROBE" \
  --capscope "$CAPSCOPE" --cases "${CAPSCOPE_MATRIX_CASES:-90}" --seed "${CAPSCOPE_MATRIX_SEED:-5}" \
  --reuse-images

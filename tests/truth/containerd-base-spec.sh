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
LIB=$CAPSCOPE_TOP/tests/truth/runtime-lib
source "$LIB/containerd-lib.sh"
cri_matrix_needs
cri_matrix_prepare

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

cri_matrix_start
"$PY" "$LIB/matrix.py" --runtime containerd \
  --runtime-arg "${CAPSCOPE_CONTAINERD_RUNTIME:-containerd@1.6}" --capscope-arg=--caller=self --capscope-arg=--runtime-caps=self \
  --capscope-arg="--containerd-config=$D/config.toml" \
  --endpoint "$D/containerd.sock" --tmp "$T/m" --pb "$T/pb" --probe "$PROBE" \
  --capscope "$CAPSCOPE" --cases "${CAPSCOPE_MATRIX_CASES:-90}" --seed "${CAPSCOPE_MATRIX_SEED:-5}" \
  --reuse-images

# Shared by the truth suites that run the static probe under real runc
# (sourced after tap.sh, not a test).
# shellcheck shell=bash

# runc_probe_needs [TOOL...]: root, runc, jq and each TOOL, the probe built
# ($PROBE); then $T (tap_tmpdir, 0755 so a container's uid 1000 reads it).
runc_probe_needs() {
  need_root
  command -v runc >/dev/null || skip_all "runc is not installed (scripts/install-deps.sh)"
  local t
  for t in jq "$@"; do
    command -v "$t" >/dev/null || skip_all "$t is not installed"
  done
  PROBE=${CAPSCOPE_BUILD:-$CAPSCOPE_TOP/build}/tests/truth/probe
  [ -x "$PROBE" ] || skip_all "the static probe was not built ($PROBE)"
  tap_tmpdir
  chmod 755 "$T"
}

# runc_probe_rootfs: runc_probe_needs, with $T/state for runc's --root and
# $T/rootfs holding the probe as /bin/app.
runc_probe_rootfs() {
  runc_probe_needs
  mkdir -p "$T/state" "$T/rootfs/proc" "$T/rootfs/bin"
  cp "$PROBE" "$T/rootfs/bin/app"
}

# sysctl_vs_runc NAME VALUE ID: one TAP result, capscope's verdict on a pod
# setting the sysctl (containerd; every namespaced prefix let past the
# kubelet by --allowed-unsafe-sysctls) against real runc running a bundle
# with it in a network and an IPC namespace of its own ($T/bID; after
# runc_probe_rootfs). "started" when the probe printed its status.
sysctl_vs_runc() {
  local name=$1 v=$2 id=$3 want real b=$T/b$3 jv
  jv=$(jq -Rn --arg v "$v" '$v')
  printf '%s\n' 'kind: Pod' 'metadata: {name: p}' 'spec:' '  securityContext:' \
    "    sysctls: [{name: $name, value: $jv}]" \
    '  containers:' '  - name: c' '    image: i' '    command: [/bin/app]' \
    '    securityContext: {runAsUser: 1000, runAsGroup: 1000, capabilities: {drop: [ALL]}}' >"$T/pod.yaml"
  want=$("$CAPSCOPE" explain pod --json --runtime containerd \
    --allowed-unsafe-sysctls 'net.*,kernel.shm*,kernel.msg*,kernel.sem,fs.mqueue.*' \
    "$T/pod.yaml" 2>"$T/err" | jq -r '.containers[0] | if .exec.ok then "started" else "not started" end')
  mkdir -p "$b"
  jq -n --arg root "$T/rootfs" --arg k "$name" --arg v "$v" '{ociVersion: "1.0.2", root: {path: $root, readonly: true},
    process: {terminal: false, cwd: "/", user: {uid: 1000, gid: 1000}, args: ["/bin/app"],
      env: ["PATH=/bin"], noNewPrivileges: true, capabilities: {}},
    mounts: [{destination: "/proc", type: "proc", source: "proc"}],
    linux: {namespaces: [{type: "pid"}, {type: "mount"}, {type: "ipc"}, {type: "uts"}, {type: "network"}],
      sysctl: {($k): $v}}}' >"$b/config.json"
  runc --root "$T/state" run --bundle "$b" "cs-sysctl-$$-$id" >"$b/out" 2>"$b/err" </dev/null ||
    runc --root "$T/state" delete -f "cs-sysctl-$$-$id" >/dev/null 2>&1
  if grep -q '^CapEff:' "$b/out"; then real=started; else real="not started"; fi
  is "$want" "$real" "sysctl $name=$v: $real"
  [ "$want" == "$real" ] || { sed 's/^/#   capscope: /' "$T/err"; sed 's/^/#   runc: /' "$b/err" | head -3; }
}

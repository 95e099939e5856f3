#!/usr/bin/env bash
# asan-too
# explain pod --containerd-config: what containerd 1.6.20's CRI plugin
# refuses when it starts (ValidatePluginConfig: "failed to load plugin
# io.containerd.grpc.v1.cri", after which no pod starts) or when a pod
# starts (RunPodSandbox), each seen with the real containerd (twenty-second
# pass, part E; truth/containerd-config-diff draws them too): refused with
# file:line:column, never predicted as if the pod ran. And the deprecated
# tables `containerd config default` writes empty are read as containerd
# reads them: ignored.
source "$(dirname "$0")/../lib/tap.sh"
tap_tmpdir
cd "$T" || exit 1
POD=$CAPSCOPE_TOP/examples/pod/nonroot-netbind.yaml
H='[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
runtime_type = "io.containerd.runc.v2"'

refused() { # description regex toml-text
  local d=$1 re=$2
  printf '%s\n' "$3" >bad.toml
  "$CAPSCOPE" explain pod --runtime containerd@1.6 --containerd-config bad.toml "$POD" >out.txt 2>err.txt
  is "$?" 2 "$d: exit 2"
  like "$(head -n1 err.txt)" "$re" "$d: says where and why"
  is "$(wc -l <err.txt):$(wc -c <out.txt)" "1:0" "$d: one line, nothing on stdout"
}
read_ok() { # description toml-text
  printf '%s\n' "$2" >ok.toml
  "$CAPSCOPE" explain pod --runtime containerd@1.6 --containerd-config ok.toml "$POD" >out.txt 2>err.txt
  local rc=$?
  is "$((rc == 2)):$(wc -c <err.txt)" "0:0" "$1: read (exit 0 or 1, nothing on stderr)"
}

# RunPodSandbox: "container.Runtime.Name must be set"
refused "the default handler without runtime_type" \
  "bad.toml:2:1: .*runtimes.runc: the default handler 'runc' has no runtime_type: every pod fails" \
  'version = 2
[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
base_runtime_spec = ""'
refused "runtime_type empty" "bad.toml:3:16: .*has no runtime_type" 'version = 2
[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
runtime_type = ""
options = {BinaryName = "runc"}'
# RunPodSandbox: "failed to generate runtime options" (runc's options)
refused "options.BinaryName of the wrong type" "bad.toml:5:14: .*options.BinaryName must be a string, not an integer: every pod fails to start" "version = 2
$H
[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc.options]
BinaryName = 1"
refused "options.SystemdCgroup as a string" "options.SystemdCgroup must be a boolean, not a string: every pod fails" "version = 2
$H
[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc.options]
SystemdCgroup = \"yes\""
refused "options.IoUid negative" "bad.toml:5:9: .*options.IoUid -1 does not fit in a uint32" "version = 2
$H
[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc.options]
IoUid = -1"
read_ok "an unknown option" "version = 2
$H
[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc.options]
Whatever = 7"
# ValidatePluginConfig
refused "default_runtime_name empty" "bad.toml:3:24: .*default_runtime_name: empty: containerd's CRI plugin does not start" 'version = 2
[plugins."io.containerd.grpc.v1.cri".containerd]
default_runtime_name = ""'
refused "systemd_cgroup" "bad.toml:3:18: .*systemd_cgroup: only works for runtime io.containerd.runtime.v1.linux" "version = 2
[plugins.\"io.containerd.grpc.v1.cri\"]
systemd_cgroup = true"
read_ok "systemd_cgroup false" 'version = 2
[plugins."io.containerd.grpc.v1.cri"]
systemd_cgroup = false'
refused "no_pivot" "no_pivot: only works for runtime io.containerd.runtime.v1.linux" "version = 2
[plugins.\"io.containerd.grpc.v1.cri\".containerd]
no_pivot = true
$H"
refused "runtime_root" "bad.toml:4:16: .*runtime_root only works for runtime io.containerd.runtime.v1.linux" "version = 2
$H
runtime_root = \"/x\""
refused "runtime_engine of another handler" "runtimes.kata: runtime_engine only works" "version = 2
$H
[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.kata]
runtime_type = \"io.containerd.runc.v2\"
runtime_engine = \"/usr/bin/kata\""
refused "untrusted_workload_runtime beside runtimes.untrusted" "both untrusted_workload_runtime and runtimes.untrusted" "version = 2
$H
[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.untrusted]
runtime_type = \"io.containerd.runc.v2\"
[plugins.\"io.containerd.grpc.v1.cri\".containerd.untrusted_workload_runtime]
runtime_type = \"io.containerd.runc.v2\""
refused "untrusted_workload_runtime's base spec" "the base_runtime_spec of runtime 'untrusted' .*cannot read" "version = 2
$H
[plugins.\"io.containerd.grpc.v1.cri\".containerd.untrusted_workload_runtime]
runtime_type = \"io.containerd.runc.v2\"
base_runtime_spec = \"$T/none.json\""
read_ok "untrusted_workload_runtime without runtime_type: ignored, its base spec too" "version = 2
$H
[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.untrusted]
runtime_type = \"io.containerd.runc.v2\"
[plugins.\"io.containerd.grpc.v1.cri\".containerd.untrusted_workload_runtime]
runtime_type = \"\"
base_runtime_spec = \"$T/none.json\""
refused "the deprecated default_runtime with a runtime_type" "default_runtime: the deprecated default_runtime .* is the default handler, named \"default\"" 'version = 2
[plugins."io.containerd.grpc.v1.cri".containerd.default_runtime]
runtime_type = "io.containerd.runc.v2"'
refused "mirrors beside config_path" "registry: mirrors beside config_path" 'version = 2
[plugins."io.containerd.grpc.v1.cri".registry]
config_path = "/etc/containerd/certs.d"
[plugins."io.containerd.grpc.v1.cri".registry.mirrors."docker.io"]
endpoint = ["https://m"]'
refused "an empty configs.tls beside config_path" "configs.docker.io.tls beside config_path" 'version = 2
[plugins."io.containerd.grpc.v1.cri".registry]
config_path = "/etc/containerd/certs.d"
[plugins."io.containerd.grpc.v1.cri".registry.configs."docker.io".tls]'
refused "an auths key url.Parse refuses" "auths key '%zz': invalid URL escape" 'version = 2
[plugins."io.containerd.grpc.v1.cri".registry.auths."%zz"]
username = "a"'
for dur in 4x 1 .s "1h 2m" 9999999999h; do
  refused "stream_idle_timeout '$dur'" "stream_idle_timeout: '$dur': time: .*containerd's CRI plugin does not start" "version = 2
[plugins.\"io.containerd.grpc.v1.cri\"]
stream_idle_timeout = \"$dur\""
done
for dur in 4h0m0s 1.5h -1s 0 2µs .5m; do
  read_ok "stream_idle_timeout '$dur'" "version = 2
[plugins.\"io.containerd.grpc.v1.cri\"]
stream_idle_timeout = \"$dur\""
done
# The file `containerd config default` writes (kubeadm's guides write it to
# /etc/containerd/config.toml): its default_runtime and
# untrusted_workload_runtime tables are empty and ignored by containerd; it
# was refused ("the deprecated default_runtime table is not read").
if command -v containerd >/dev/null && containerd --version | grep -q ' 1\.6\.'; then
  containerd config default >default.toml
  "$CAPSCOPE" explain pod --runtime containerd@1.6 --containerd-config default.toml "$POD" >out.txt 2>err.txt
  is "$(($? == 2)):$(cat err.txt)" "0:" "containerd config default's own file: read"
else
  skip "containerd 1.6 is not installed"
fi
done_testing

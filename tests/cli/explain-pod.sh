#!/usr/bin/env bash
# capscope explain pod: golden values for the reference article's pods and
# the runtimes' rules, read from --json with jq; hostile manifests; usage.
source "$(dirname "$0")/../lib/tap.sh"
command -v jq >/dev/null || skip_all "jq is not installed"
EX=$CAPSCOPE_TOP/examples/pod
tap_tmpdir

cj() { # jq-filter, args… → value for container 0
  local f=$1; shift
  "$CAPSCOPE" explain pod --json "$@" 2>"$T/err" | jq -r ".containers[0] | $f"
}

# 1. anyuid-netbind, CRI-O as in 2020: every set 0x400, ambient 0
A=(--openshift --scc "$EX/anyuid-netbind-scc.yaml" --crio-config "$EX/crio-2020" --check bind:443 "$EX/anyuid-netbind.yaml")
is "$(cj '.admission.scc' "${A[@]}")" "anyuid-netbind" "anyuid-netbind: admitted by its SCC (priority 10 first)"
is "$(cj '[.process.caps.inheritable.mask, .process.caps.permitted.mask, .process.caps.effective.mask, .process.caps.bounding.mask, .process.caps.ambient.mask] | join(" ")' "${A[@]}")" \
  "0x0000000000000400 0x0000000000000400 0x0000000000000400 0x0000000000000400 0x0000000000000000" \
  "anyuid-netbind: the article's CapInh/Prm/Eff/Bnd 0x400, CapAmb 0"
is "$(cj '.checks[0].ok' "${A[@]}")" "true" "anyuid-netbind: can bind 443"
is "$(cj '.process.uids | join(",")' "${A[@]}")" "0,0,0,0" "anyuid-netbind: runs as root"
# with today's CRI-O defaults: no inheritable
is "$(cj '.process.caps.inheritable.mask' --openshift --scc "$EX/anyuid-netbind-scc.yaml" "$EX/anyuid-netbind.yaml")" \
  "0x0000000000000000" "anyuid-netbind, current CRI-O: inheritable empty (add_inheritable_capabilities=false)"

# 2. non-root pod asking for NET_BIND_SERVICE: bounding only, cannot bind
N=(--check bind:443 "$EX/nonroot-netbind.yaml")
is "$(cj '[.oci.caps.bounding.mask, .process.caps.effective.mask, .oci.no_new_privs] | join(" ")' "${N[@]}")" \
  "0x0000000000000400 0x0000000000000000 true" "nonroot-netbind: in bounding, not effective, no_new_privs"
is "$(cj '.checks[0].ok' "${N[@]}")" "false" "nonroot-netbind: cannot bind 443"
like "$(cj '.verdicts[0].why' "${N[@]}")" "uid 1000 is not root" "nonroot-netbind: the verdict says why"
is "$(cj '.remedies[0].id' "${N[@]}")" "sysctl" "nonroot-netbind: lowest-risk remedy is the sysctl"
is "$(cj '[.remedies[].id] | join(",")' "${N[@]}")" \
  "sysctl,user-namespace,ambient-helper,file-caps,root-dropped-caps,setuid" \
  "nonroot-netbind: six remedies, ranked (NET_BIND_SERVICE is a CRI-O default already)"
# no_new_privs only keeps execve from adding to permitted (pP' &= old pP):
# NET_BIND_SERVICE is in permitted before execve here, so file caps on nc
# would still grant it; set-uid is what no_new_privs blocks.
is "$(cj '[.remedies[] | select(.id == "file-caps" or .id == "ambient-helper") | .blocked_by] | map(tostring) | join(",")' "${N[@]}")" "null,null" \
  "nonroot-netbind: file caps are not blocked by no_new_privs (the bit is permitted before execve)"
like "$(cj '.remedies[] | select(.id == "setuid") | .blocked_by' "${N[@]}")" "no_new_privs makes execve ignore set-uid bits" \
  "nonroot-netbind: set-uid is blocked by allowPrivilegeEscalation false"
cat >"$T/nnp-none.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: ns}
spec:
  containers:
  - name: web
    image: x
    command: ["/usr/bin/nc", "-l", "-p", "443"]
    securityContext:
      runAsUser: 1000
      allowPrivilegeEscalation: false
      capabilities: {drop: [ALL]}
YAML
like "$(cj '.remedies[] | select(.id == "file-caps") | .blocked_by' --check bind:443 "$T/nnp-none.yaml")" "grant only what the process already held" \
  "no_new_privs and nothing permitted before execve: file caps are blocked"
"$CAPSCOPE" explain pod "${N[@]}" >"$T/out"
ok $([ $? -eq 1 ] && echo 0 || echo 1) "nonroot-netbind: exit status 1"
like "$(cat "$T/out")" "Remedies, lowest risk first" "text output ranks remedies"
# The API server takes uids and gids 0-2147483647 only (IsValidUserID/GroupID):
# fsGroup 4294967296 used to wrap to group 0 in the model (seventh pass)
idpod() { printf 'kind: Pod\nmetadata: {name: p}\nspec:\n  securityContext: {%s}\n  containers:\n  - name: c\n    image: i\n    securityContext: {%s}\n' "$1" "$2"; }
# Twentieth pass, part D: refused when read, at the value (tests/cli/api-values.sh),
# where it was "not admitted" without a place and lint said nothing.
for f in 'fsGroup: 4294967296|' 'supplementalGroups: [5, -1]|' 'runAsGroup: 2147483648|' '|runAsUser: 2147483648' '|runAsGroup: -1'; do
  idpod "${f%%|*}" "${f#*|}" >"$T/ids.yaml"
  like "$("$CAPSCOPE" explain pod --json "$T/ids.yaml" 2>&1 >/dev/null)" \
    "ids\.yaml:[0-9]+:[0-9]+: spec\..*: Invalid value: .*: must be between 0 and 2147483647, inclusive \(the API server refuses the pod\)$" \
    "API server id range: $f refused"
done
idpod 'fsGroup: 2147483647, supplementalGroups: [0]' 'runAsUser: 2147483647, runAsGroup: 0' >"$T/ids.yaml"
is "$(cj '.admission.admitted' "$T/ids.yaml")" "true" "API server id range: 2147483647 and 0 admitted"
# An entrypoint that cannot be executed, no capability wanted: no remedy names an empty set.
mkdir -p "$T/noep"
printf '%s\n' 'kind: Pod' 'metadata: {name: p}' 'spec:' '  containers:' '  - name: c' '    image: i' \
  '    command: [/app/missing]' '    securityContext: {runAsUser: 1000}' >"$T/noep.yaml"
is "$(cj '[.exec.error, (.remedies | length)] | join(" ")' --rootfs "$T/noep" "$T/noep.yaml")" "ENOENT 0" \
  "an entrypoint that cannot start wants no capability: no remedies (was setcap +ep with no name)"
# The rootfs's /etc/passwd is read inside the rootfs, as the runtime reads it
# (ninth pass): a link climbing out named a file of the host, whose user was
# predicted; a FIFO there made explain wait for ever.
mkdir -p "$T/pwfs/etc" "$T/pwfs/bin" "$T/pwfifo/etc" && cp /bin/true "$T/pwfs/bin/app"
printf 'evil:x:4242:4242::/:/bin/sh\n' >"$T/hostpw"
ln -s "../../../../../../../../../../$T/hostpw" "$T/pwfs/etc/passwd"
mkfifo "$T/pwfifo/etc/passwd"
printf '{"config":{"User":"evil","Entrypoint":["/bin/app"]}}\n' >"$T/evil.json"
printf '%s\n' 'kind: Pod' 'metadata: {name: p}' 'spec:' '  containers:' '  - {name: c, image: i}' >"$T/pw.yaml"
like "$(cj '.admission.reason' --rootfs "$T/pwfs" --image-config "$T/evil.json" "$T/pw.yaml")" \
  "image USER 'evil' is a name and the image's /etc/passwd does not list it" \
  "rootfs /etc/passwd -> ../../(host file): not read (the host's user is not the container's)"
# (Tenth pass, part D: refused with its name, not taken as missing, which said
# "the image's /etc/passwd does not list it" of a file never read.)
like "$(timeout 20 "$CAPSCOPE" explain pod --json --rootfs "$T/pwfifo" --image-config "$T/evil.json" "$T/pw.yaml" 2>&1; echo "exit $?")" \
  "pwfifo/etc/passwd: not a regular file.exit 2" "rootfs /etc/passwd a FIFO: refused, not waited on"
# The container's env: runc finds the entrypoint in the PATH the pod's env
# sets (over the image's Env), and the kubelet expands $(NAME) in command and
# args; both were ignored (eighth pass): /usr/bin/app was looked for, ENOENT.
mkdir -p "$T/envfs/opt/cap" "$T/envfs/usr/bin" && cp /bin/true "$T/envfs/opt/cap/app"
printf '{"config":{"Env":["PATH=/usr/bin"]}}\n' >"$T/envimg.json"
envpod() { printf '%s\n' 'kind: Pod' 'metadata: {name: p}' 'spec:' '  containers:' '  - name: c' '    image: i' "    command: [$1]" "    env: $2" "    envFrom: $3" >"$T/env.yaml"; }
envpod app '[{name: PATH, value: "/nope:$(D)"}, {name: D, value: /opt/cap}]' '[]'
is "$(cj '[.exec.error, .exec.path] | join(" ")' --rootfs "$T/envfs" --image-config "$T/envimg.json" "$T/env.yaml")" "ENOENT app" \
  "env: a reference to a later entry stays as written (the kubelet's order)"
envpod app '[{name: D, value: /opt/cap}, {name: PATH, value: "/nope:$(D)"}]' '[]'
is "$(cj '[.exec.error, .exec.path] | join(" ")' --rootfs "$T/envfs" --image-config "$T/envimg.json" "$T/env.yaml")" " /opt/cap/app" \
  "env: the pod's PATH (expanded) is where runc looks"
envpod '"$(D)/app"' '[{name: D, value: /opt/cap}]' '[]'
is "$(cj '[.exec.error, .exec.path] | join(" ")' --rootfs "$T/envfs" --image-config "$T/envimg.json" "$T/env.yaml")" " /opt/cap/app" \
  "env: \$(D) in command is expanded as the kubelet does"
# The command line with the image config known (eleventh pass): no command
# or args anywhere is containerd's and CRI-O's "no command specified"
# (NOT CREATED; it was "(the image's entrypoint)" and ran), and containerd
# takes an image Entrypoint of exactly [""] as none (WithProcessArgs): the
# image's Cmd is the command; CRI-O keeps "" and runc fails on it.
printf '{"config":{"Entrypoint":[],"Cmd":null}}\n' >"$T/nocmd.json"
printf '{"config":{"Entrypoint":[""],"Cmd":["/opt/cap/app"]}}\n' >"$T/epempty.json"
printf '%s\n' 'kind: Pod' 'metadata: {name: p}' 'spec:' '  containers:' '  - {name: c, image: i}' >"$T/nocmd.yaml"
for rt in cri-o containerd docker; do
  is "$(cj '[.exec.error, .steps[-1].rule] | join(" ")' --runtime $rt --image-config "$T/nocmd.json" "$T/nocmd.yaml")" \
    "CreateContainerError runtime.no-command" "$rt: no Entrypoint, no Cmd, no command: not created"
done
for rt in containerd docker; do
  is "$(cj '[.exec.error, .exec.path] | join(" ")' --runtime $rt --rootfs "$T/envfs" --image-config "$T/epempty.json" "$T/nocmd.yaml")" \
    " /opt/cap/app" "$rt: Entrypoint [\"\"] is none, the image's Cmd runs"
done
# Docker resets a pod command of [""] too (cri-dockerd makes it the
# Entrypoint): the pod's args alone, or nothing; real dockerd here agrees.
printf '%s\n' 'kind: Pod' 'metadata: {name: p}' 'spec:' '  containers:' '  - {name: c, image: i, command: [""]}' >"$T/cmdempty.yaml"
printf '%s\n' 'kind: Pod' 'metadata: {name: p}' 'spec:' '  containers:' '  - {name: c, image: i, command: [""], args: [/opt/cap/app]}' >"$T/cmdempty2.yaml"
is "$(cj '[.exec.error, .steps[-1].rule] | join(" ")' --runtime docker "$T/cmdempty.yaml")" \
  "CreateContainerError runtime.no-command" "docker: command [\"\"] and no args: not created, whatever the image"
is "$(cj '[.exec.error, .exec.path] | join(" ")' --runtime docker --rootfs "$T/envfs" --image-config "$T/epempty.json" "$T/cmdempty2.yaml")" \
  " /opt/cap/app" "docker: command [\"\"] with args: the args alone"
is "$(cj '[.exec.ok, .exec.path] | join(" ")' --runtime cri-o --rootfs "$T/envfs" --image-config "$T/epempty.json" "$T/nocmd.yaml")" \
  "false " "CRI-O: Entrypoint [\"\"] stays, \"\" is not found"
# process.cwd as each runtime makes it (eleventh pass): containerd leaves
# it to runc, whose MkdirAll meets a dangling symlink (EEXIST, no start);
# CRI-O, Docker and Podman create it themselves, the link followed; Docker
# cleans it first, so /bin/x/.. is /bin there and ENOTDIR under runc alone.
mkdir -p "$T/cwdfs/bin" && cp /bin/true "$T/cwdfs/bin/x" && ln -s /missing "$T/cwdfs/ldang"
printf '{"config":{"WorkingDir":"/ldang","Entrypoint":["/bin/x"]}}\n' >"$T/ldang.json"
printf '{"config":{"WorkingDir":"/bin/x/..","Entrypoint":["./x"]}}\n' >"$T/filecwd.json"
for want in "containerd false runc.cwd.mkdir" "cri-o true execve.effective" "docker true execve.effective"; do
  set -- $want
  is "$(cj '[.exec.ok, .steps[-1].rule] | join(" ")' --runtime $1 --rootfs "$T/cwdfs" --image-config "$T/ldang.json" "$T/nocmd.yaml")" \
    "$2 $3" "$1: WorkingDir a dangling symlink: $3"
done
for want in "containerd ENOTDIR" "cri-o ENOTDIR" "docker "; do
  set -- $want
  is "$(cj '.exec.error // ""' --runtime $1 --rootfs "$T/cwdfs" --image-config "$T/filecwd.json" "$T/nocmd.yaml")" \
    "${2:-}" "$1: WorkingDir /bin/x/..: ${2:-runs (cleaned to /bin)}"
done
# An image Env entry with an empty name (eleventh pass, the tenth's
# leftover): the runtimes pass it on and runc init refuses it; real dockerd
# creates the container and fails its start. An entry without '=' starts.
printf '{"config":{"Env":["PATH=/bin","=x"],"Entrypoint":["/opt/cap/app"]}}\n' >"$T/envempty.json"
printf '{"config":{"Env":["PATH=/bin","FOO"],"Entrypoint":["/opt/cap/app"]}}\n' >"$T/envnoeq.json"
is "$(cj '[.exec.ok, .exec.error, .steps[-1].rule] | join(" ")' --runtime docker --rootfs "$T/envfs" --image-config "$T/envempty.json" "$T/nocmd.yaml")" \
  "false EINVAL runc.env" "image Env '=x': runc refuses the process"
is "$(cj '.exec.ok' --runtime containerd --rootfs "$T/envfs" --image-config "$T/envnoeq.json" "$T/nocmd.yaml")" \
  "true" "image Env 'FOO' (no '='): starts"
envpod app '[]' '[{configMapRef: {name: cm}}]'
like "$("$CAPSCOPE" explain pod --rootfs "$T/envfs" --image-config "$T/envimg.json" "$T/env.yaml" 2>&1)" \
  "Entrypoint: app \(assumed plain: the container's PATH comes from what the manifest does not hold \\(valueFrom, envFrom" \
  "env: a PATH envFrom may set is not guessed"
envpod '"$(X)"' '[{name: X, valueFrom: {secretKeyRef: {name: s, key: k}}}]' '[]'
like "$("$CAPSCOPE" explain pod --rootfs "$T/envfs" --image-config "$T/envimg.json" "$T/env.yaml" 2>&1)" \
  "assumed plain: the command's \\\$\(...\) depends on what the manifest does not hold" \
  "env: a command from valueFrom is not guessed"
envpod app '[{name: X, value: a, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]' '[]'
"$CAPSCOPE" explain pod "$T/env.yaml" >/dev/null 2>"$T/err"; is "$?" 2 "env: value and valueFrom together: refused"
like "$(cat "$T/err")" "env.yaml:8:.*env\[0\]\.valueFrom.*both value and valueFrom" "env: ... named with file, line and field"
# CRI-O's default_sysctls set ip_unprivileged_port_start in every container
# (not read before the eighth pass: bind:80 said NO); the pod's own sysctl
# wins, and net.* ones are skipped with hostNetwork.
mkdir -p "$T/sysctl" && printf '[crio.runtime]\ndefault_sysctls = ["net.ipv4.ip_unprivileged_port_start=0"]\n' >"$T/sysctl/crio.conf"
sysctlpod() { printf '%s\n' 'kind: Pod' 'metadata: {name: p}' 'spec:' "  hostNetwork: $1" '  securityContext:' "    sysctls: $2" '  containers:' '  - name: c' '    image: i' '    securityContext: {runAsUser: 1000}' >"$T/sysctl.yaml"; }
sysctlpod false '[]'
is "$(cj '.checks[0].ok' --crio-config "$T/sysctl/crio.conf" --check bind:80 "$T/sysctl.yaml")" "true" \
  "CRI-O default_sysctls ip_unprivileged_port_start=0: bind:80 works"
sysctlpod false '[{name: net.ipv4.ip_unprivileged_port_start, value: "1024"}]'
is "$(cj '.checks[0].ok' --crio-config "$T/sysctl/crio.conf" --check bind:80 "$T/sysctl.yaml")" "false" \
  "CRI-O default_sysctls: the pod's own sysctl wins"
sysctlpod true '[]'
is "$(cj '.checks[0].ok' --crio-config "$T/sysctl/crio.conf" --check bind:80 "$T/sysctl.yaml")" "false" \
  "CRI-O default_sysctls: not with hostNetwork"
like "$(cat "$T/out")" "net.ipv4.ip_unprivileged_port_start" "text output has the sysctl snippet"
# docker: unprivileged port start 0
is "$(cj '.checks[0].ok' --runtime docker "${N[@]}")" "true" "docker: ip_unprivileged_port_start=0 lets it bind"
# containerd 2.x: enable_unprivileged_ports is on by default (off in 1.6
# and 1.7); the pod's own sysctl wins, and not with hostNetwork (fifteenth
# pass, part I: every containerd 2.x pod was predicted at 1024)
is "$(cj '.checks[0].ok' --runtime containerd "${N[@]}")" "true" "containerd 2.x: ip_unprivileged_port_start=0 lets it bind"
like "$(cj '.checks[0].why' --runtime containerd@2.0 "${N[@]}")" "enable_unprivileged_ports" "containerd 2.0: the check says why"
is "$(cj '.checks[0].ok' --runtime containerd@1.7 "${N[@]}")" "false" "containerd 1.7: off by default, 1024"
is "$(cj '.checks[0].ok' --runtime containerd@1.6 "${N[@]}")" "false" "containerd 1.6: off by default, 1024"
sysctlpod true '[]'
is "$(cj '.checks[0].ok' --runtime containerd --check bind:80 "$T/sysctl.yaml")" "false" "containerd 2.x: not with hostNetwork"
sysctlpod false '[{name: net.ipv4.ip_unprivileged_port_start, value: "1024"}]'
is "$(cj '.checks[0].ok' --runtime containerd --check bind:80 "$T/sysctl.yaml")" "false" "containerd 2.x: the pod's own sysctl wins"
# sysctl in the pod
cat >"$T/sysctl.yaml" <<'Y'
kind: Pod
metadata: {name: s}
spec:
  securityContext:
    runAsUser: 1000
    sysctls: [{name: net.ipv4.ip_unprivileged_port_start, value: "80"}]
  containers: [{name: c, command: [/bin/app]}]
Y
is "$(cj '.checks | map(.ok) | join(",")' --check bind:80 --check bind:79 "$T/sysctl.yaml")" "true,false" \
  "pod sysctl ip_unprivileged_port_start=80: 80 yes, 79 no"

# 3. restricted-v2 by default on OpenShift
R=(--openshift "$EX/nonroot-netbind.yaml")
is "$(cj '.admission.scc' --openshift --uid-range 1000/100 "$EX/nonroot-netbind.yaml")" "restricted-v2" \
  "openshift: restricted-v2 admits a drop-ALL + NET_BIND_SERVICE pod in its range"
is "$(cj '.admission.admitted' --openshift "$EX/nonroot-netbind.yaml")" "false" "…and rejected: 1000 is outside 1000660000/10000"
is "$(cj '.admission.admitted' --openshift --uid-range 1000/100 "$EX/nonroot-netbind.yaml")" "true" "--uid-range 1000/100 admits it"
is "$(cj '.process' --openshift "$EX/nonroot-netbind.yaml")" "null" "not admitted: process is null"
is "$(cj '.oci' --openshift "$EX/nonroot-netbind.yaml")" "null" "not admitted: oci is null"
like "$(cj '.admission.reason' --openshift "$EX/nonroot-netbind.yaml")" "restricted-v2: .*must be in the ranges" \
  "the rejection names the SCC and the rule"
# anyuid granted with --use: priority 10 wins
is "$(cj '.admission.scc' --openshift --use anyuid "$EX/root-defaults.yaml")" "anyuid" "--use anyuid: priority 10 first"
is "$(cj '.oci.caps.bounding.names | join(",")' --openshift --use anyuid "$EX/root-defaults.yaml")" \
  "CAP_CHOWN,CAP_DAC_OVERRIDE,CAP_FOWNER,CAP_FSETID,CAP_KILL,CAP_SETGID,CAP_SETUID,CAP_SETPCAP,CAP_NET_BIND_SERVICE" \
  "anyuid + CRI-O defaults (MKNOD dropped is not in them)"

# 4. CRI-O default_capabilities from a drop-in
is "$(cj '.process.caps.effective.mask' --crio-config "$EX/crio-netbind" "$EX/root-defaults.yaml")" \
  "0x0000000000000400" "crio drop-in default_capabilities=[NET_BIND_SERVICE]: root gets exactly it"
cat >"$T/bad.conf" <<'Y'
[crio.runtime]
default_capabilities = [CHOWN]
Y
"$CAPSCOPE" explain pod --crio-config "$T/bad.conf" "$EX/root-defaults.yaml" >/dev/null 2>"$T/err"
like "$(cat "$T/err")" "bad.conf:2:25" "a TOML error names file, line and column"

# 5. runtimes' name handling
cat >"$T/prefix.yaml" <<'Y'
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: c
    command: [/bin/app]
    securityContext:
      runAsUser: 0
      capabilities: {add: [CAP_NET_BIND_SERVICE], drop: [ALL]}
Y
is "$(cj '.oci.caps.bounding.mask' "$T/prefix.yaml")" "0x0000000000000400" "crio: CAP_NET_BIND_SERVICE keeps its prefix and is known"
is "$(cj '.oci.caps.bounding.mask' --runtime containerd "$T/prefix.yaml")" "0x0000000000000000" \
  "containerd: always prefixes → CAP_CAP_NET_BIND_SERVICE, which runc skips"
like "$(cj '.verdicts[0].why' --runtime containerd "$T/prefix.yaml")" "not effective" "containerd: the verdict says not effective"
is "$(cj '.oci.caps.bounding.mask' --runtime docker "$T/prefix.yaml")" "0x0000000000000400" "docker: normalises the prefix"
sed 's/CAP_NET_BIND_SERVICE/CAP_CAP_NET_BIND_SERVICE/' "$T/prefix.yaml" >"$T/capcap.yaml"
is "$(cj '.exec.error' "$T/capcap.yaml")" "CreateContainerError" "crio: CAP_CAP_… is refused"
like "$(cj '.admission.reason' "$T/capcap.yaml")" 'unknown capability "CAP_CAP_NET_BIND_SERVICE" to add' "crio: with its message"
sed 's/drop: \[ALL\]/drop: [NET_BIND_SERVICE]/' "$T/prefix.yaml" | sed 's/add: \[CAP_NET_BIND_SERVICE\]/add: [NET_BIND_SERVICE]/' >"$T/adddrop.yaml"
is "$(cj '.oci.caps.bounding.mask | ltrimstr("0x")' "$T/adddrop.yaml" | grep -c 0000000000000400)" "0" "crio: add and drop the same → dropped"
is "$(cj '(.oci.caps.bounding.names | index("CAP_NET_BIND_SERVICE")) != null' --runtime docker "$T/adddrop.yaml")" "true" \
  "docker: add and drop the same → added (an add beats a drop)"

# 6. A capability added and dropped after admission. An SCC that allows a
# capability and requires dropping it is refused by the API server
# (validateSCCCapsAgainstDrops; twenty-seventh pass): the container's own
# add and drop of it, under an SCC that allows it, is what remains.
cat >"$T/both.yaml" <<'Y'
kind: SecurityContextConstraints
metadata: {name: both}
allowedCapabilities: [NET_BIND_SERVICE]
requiredDropCapabilities: [NET_BIND_SERVICE]
runAsUser: {type: RunAsAny}
seLinuxContext: {type: MustRunAs}
Y
"$CAPSCOPE" explain pod --scc "$T/both.yaml" "$T/adddrop.yaml" >/dev/null 2>"$T/both.err"
is "$?:$(cat "$T/both.err")" \
  "2:capscope explain pod: --scc: $T/both.yaml:3:23: allowedCapabilities[0]: Invalid value \"NET_BIND_SERVICE\": capability is listed in allowedCapabilities and requiredDropCapabilities (the API server refuses the SCC)" \
  "SCC allowing and requiring to drop NET_BIND_SERVICE: refused at the name"
sed -i '/^requiredDropCapabilities/d' "$T/both.yaml"
is "$(cj '[.admission.admitted, (.oci.caps.bounding.names | index("CAP_NET_BIND_SERVICE"))] | map(tostring) | join(" ")' --scc "$T/both.yaml" "$T/adddrop.yaml")" \
  "true null" "SCC allowing NET_BIND_SERVICE, the container adding and dropping it: admitted, dropped"
like "$(cj '.steps | map(.rule) | join(",")' --scc "$T/both.yaml" "$T/adddrop.yaml")" "scc.add-and-drop" "…with a step saying so"

# 7. privileged, kubelet runAsNonRoot, hostUsers false
cat >"$T/priv.yaml" <<'Y'
kind: Pod
metadata: {name: p}
spec:
  hostUsers: false
  containers:
  - name: a
    command: [/bin/app]
    securityContext: {privileged: true, runAsUser: 1000}
  - name: b
    command: [/bin/app]
    securityContext: {runAsNonRoot: true, runAsUser: 0}
Y
is "$(cj '[.process.caps.effective.mask, .process.caps.ambient.mask] | join(" ")' "$T/priv.yaml" | grep -c 0x000001ffffffffff)" "1" \
  "crio privileged non-root: all five sets, kept through ambient"
is "$("$CAPSCOPE" explain pod --json "$T/priv.yaml" | jq -r '.containers[1].exec.error')" "CreateContainerConfigError" \
  "kubelet refuses runAsNonRoot with uid 0"
like "$("$CAPSCOPE" explain pod --json "$T/priv.yaml" | jq -r '.containers[0].admission.pod_security')" "privileged" "PSA: privileged"

# 8. hostile manifests: clear errors with file:line:column
hostile() { # name, yaml, expected-regex
  printf '%s' "$2" >"$T/h.yaml"
  "$CAPSCOPE" explain pod "$T/h.yaml" >/dev/null 2>"$T/err"
  local rc=$?
  ok $([ $rc -eq 2 ] && echo 0 || echo 1) "hostile $1: exit 2"
  like "$(cat "$T/err")" "$3" "hostile $1: message"
}
hostile no-as-bool $'kind: Pod\nspec:\n  containers:\n  - name: a\n    securityContext:\n      capabilities:\n        drop: [no]\n' \
  "h.yaml:7:.*capabilities.drop\[0\].*boolean"
hostile dup-key $'kind: Pod\nkind: Pod\n' "h.yaml:2:.*YAML"
hostile bad-int $'kind: Pod\nspec:\n  securityContext:\n    runAsUser: root\n  containers: [{name: a}]\n' "h.yaml:4:.*runAsUser.*integer"
hostile not-yaml $'kind: Pod\nspec: [\n' "h.yaml:.*YAML"
bomb=$'a: &a ["x","x","x","x","x","x","x","x","x","x"]\n'
for k in b c d e f g h; do
  prev=$(printf '%s' "$bomb" | tail -n1 | cut -d: -f1)
  bomb+="$k: &$k [*$prev,*$prev,*$prev,*$prev,*$prev,*$prev,*$prev,*$prev,*$prev,*$prev]"$'\n'
done
bomb+=$'kind: List\nitems: [*h]\n'
hostile alias-bomb "$bomb" "YAML: document contains excessive aliasing"
# The alias budget is per document and grows with it: 20,000 pods, as one
# stream of documents or as one List, are read whole (a budget per file
# refused the stream at about 16,000 pods).
python3 - "$T/many" <<'PY'
import sys
pod = "kind: Pod\nmetadata: {name: p%d}\nspec:\n  containers:\n  - name: c\n    image: x\n    securityContext: {capabilities: {add: [NET_RAW], drop: [ALL]}}\n"
with open(sys.argv[1] + "-stream.yaml", "w") as f:
    f.write("---\n".join(pod % i for i in range(20000)))
with open(sys.argv[1] + "-list.yaml", "w") as f:
    f.write("kind: List\nitems:\n")
    for i in range(20000):
        f.write("- {kind: Pod, metadata: {name: p%d}, spec: {containers: [{name: c, image: x, securityContext: {capabilities: {add: [NET_RAW], drop: [ALL]}}}]}}\n" % i)
PY
for shape in stream list; do
  "$CAPSCOPE" explain pod --json "$T/many-$shape.yaml" >"$T/many.json" 2>"$T/err"
  is "$(jq '[.containers[].pod] | unique | length' "$T/many.json" 2>/dev/null)" 20000 "20,000 pods as a $shape: all read ($(head -c 120 "$T/err"))"
done
deep="kind: Pod"$'\n'"spec: "$(printf '[%.0s' $(seq 1 3000))
hostile deep-nesting "$deep" "h.yaml"

# 9. usage
"$CAPSCOPE" explain pod --runtime rkt "$EX/root-defaults.yaml" >/dev/null 2>"$T/err"
ok $([ $? -eq 2 ] && echo 0 || echo 1) "--runtime rkt: usage error"
"$CAPSCOPE" explain pod --check bind:0 "$EX/root-defaults.yaml" >/dev/null 2>"$T/err"
ok $([ $? -eq 2 ] && echo 0 || echo 1) "--check bind:0: usage error"
"$CAPSCOPE" explain pod --uid-range 5 "$EX/root-defaults.yaml" >/dev/null 2>"$T/err"
ok $([ $? -eq 2 ] && echo 0 || echo 1) "--uid-range 5: usage error"
"$CAPSCOPE" explain pod --scc no-such-scc "$EX/root-defaults.yaml" >/dev/null 2>"$T/err"
ok $([ $? -eq 2 ] && echo 0 || echo 1) "--scc no-such-scc: usage error"
like "$("$CAPSCOPE" explain pod --help)" "Examples:" "--help has examples"
like "$("$CAPSCOPE" explain --help)" "pod" "explain --help lists pod"

# 10. the article's images (needs root: setcap, chmod u+s)
if [ "$(id -u)" -eq 0 ] && command -v setcap >/dev/null; then
  "$EX/make-images.sh" "$T/img"
  C=(--scc restricted --crio-config "$EX/crio-2020" --rootfs "$T/img/nc-capset" --image-config "$EX/images/nc-capset.json" --check bind:443 "$EX/nonroot-capset.yaml")
  is "$(cj '[.process.caps.inheritable.mask, .process.caps.permitted.mask, .process.caps.effective.mask, .process.caps.bounding.mask, .process.caps.ambient.mask] | join(" ")' "${C[@]}")" \
    "0x000000000004251b 0x0000000000000400 0x0000000000000400 0x000000000004251b 0x0000000000000000" \
    "nonroot-capset: the article's CapInh 4251b, Prm/Eff 400, Bnd 4251b, Amb 0"
  is "$(cj '.process.uids | join(",")' "${C[@]}")" "1000660000,1000660000,1000660000,1000660000" "nonroot-capset: uid from the restricted range"
  S=(--scc restricted --crio-config "$EX/crio-2020" --rootfs "$T/img/nc-setuid" --image-config "$EX/images/nc-setuid.json" "$EX/nonroot-setuid.yaml")
  is "$(cj '.process.uids | join(",")' "${S[@]}")" "1000660000,0,0,0" "nonroot-setuid: euid 0 via the set-uid bit (ps shows root)"
  M=(--scc restricted --crio-config "$EX/crio-2020" --rootfs "$T/img/nc-setambient" --image-config "$EX/images/nc-setambient.json" "$EX/nonroot-setambient.yaml")
  is "$(cj '[.exec.path, .process.caps.effective.mask] | join(" ")' "${M[@]}")" "/usr/bin/set_ambient 0x0000000000000400" \
    "nonroot-setambient: the helper starts with NET_BIND_SERVICE (+ep)"
  is "$(cj '[.helper.process.caps.inheritable.mask, .helper.process.caps.permitted.mask, .helper.process.caps.effective.mask, .helper.process.caps.bounding.mask, .helper.process.caps.ambient.mask] | join(" ")' "${M[@]}")" \
    "0x000000000004251b 0x0000000000000400 0x0000000000000400 0x000000000004251b 0x0000000000000400" \
    "nonroot-setambient: nc after the helper has the article's Inh 4251b, Prm/Eff/Amb 400"
  is "$(cj '.exec.error' --openshift --rootfs "$T/img/nc-capset" --image-config "$EX/images/nc-capset.json" "$EX/nonroot-capset.yaml")" \
    "EPERM" "restricted-v2: +ep file cap outside an empty bounding set → EPERM"
  # A "#!" entrypoint: the interpreter's file capabilities count, the script's never.
  cp -a "$T/img/nc-capset" "$T/img/script"
  printf '#!/usr/bin/nc -l\n' >"$T/img/script/usr/bin/serve.sh"
  cp "$T/img/script/usr/bin/serve.sh" "$T/img/script/usr/bin/capped.sh"
  cp /bin/true "$T/img/script/usr/bin/plain"
  printf '#!/usr/bin/plain\n' >"$T/img/script/usr/bin/capped.sh"
  chmod 755 "$T/img/script/usr/bin/serve.sh" "$T/img/script/usr/bin/capped.sh"
  setcap cap_net_bind_service+ep "$T/img/script/usr/bin/capped.sh"
  printf '{"config": {"Cmd": ["serve.sh"], "Env": ["PATH=/usr/bin"]}}' >"$T/serve.json"
  printf '{"config": {"Cmd": ["capped.sh"], "Env": ["PATH=/usr/bin"]}}' >"$T/capped.json"
  P=(--scc restricted --crio-config "$EX/crio-2020" --rootfs "$T/img/script" --check bind:443 "$EX/nonroot-capset.yaml")
  is "$(cj '[.exec.path, .exec.interpreter, .process.caps.effective.mask, .checks[0].ok] | join(" ")' --image-config "$T/serve.json" "${P[@]}")" \
    "/usr/bin/serve.sh /usr/bin/nc 0x0000000000000400 true" "#! entrypoint: the interpreter's file capabilities count"
  like "$("$CAPSCOPE" explain pod --image-config "$T/serve.json" "${P[@]}")" 'Entrypoint: /usr/bin/serve.sh, a "#!" script run by /usr/bin/nc' \
    "#! entrypoint: the text names the interpreter"
  is "$(cj '[.exec.interpreter, .process.caps.effective.mask, .checks[0].ok] | join(" ")' --image-config "$T/capped.json" "${P[@]}")" \
    "/usr/bin/plain 0x0000000000000000 false" "#! entrypoint with file capabilities of its own: ignored"
  like "$(cj '.remedies[] | select(.id == "file-caps") | .blocked_by' --image-config "$T/capped.json" "${P[@]}")" \
    'script, whose own file capabilities and set-uid bit execve ignores: they would have to go on its interpreter /usr/bin/plain' \
    "#! entrypoint: the file-caps remedy says it would have to be the interpreter"
else
  skip "article images need root (setcap)"
fi
# The user-namespace remedy on OpenShift: its snippet, pasted into a pod, is
# judged by the same admission model. SETUID: nested-container admits it, as
# the snippet's comment says; NET_BIND_SERVICE: no built-in SCC does.
for want in SETUID:admitted NET_BIND_SERVICE:refused; do
  cap=${want%%:*} expect=${want#*:}
  cat >"$T/want.yaml" <<YAML
apiVersion: v1
kind: Pod
metadata: {name: w}
spec:
  containers:
  - name: app
    image: x
    securityContext: {runAsUser: 1000660000, capabilities: {add: [$cap]}}
YAML
  { printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: fixed}\n'
    cj '.remedies[] | select(.id == "user-namespace") | .snippet' --openshift "$T/want.yaml" |
      sed 's/^  - name: app$/  - name: app\n    image: x/'
  } >"$T/fixed.yaml"
  note=$(grep -c '^# OpenShift: admitted by the built-in SCC nested-container' "$T/fixed.yaml")
  adm=$(cj '.admission.scc // "none"' --scc nested-container --scc restricted-v3 "$T/fixed.yaml")
  if [ "$expect" = admitted ]; then
    is "$note $adm" "1 nested-container" "user-namespace remedy for $cap: nested-container admits the snippet it names"
  else
    is "$note $adm" "0 none" "user-namespace remedy for $cap: no built-in SCC, and the snippet says so"
  fi
done
# spec.runtimeClassName (seventeenth pass, part H): the RuntimeClass and its
# handler are not read, so a pod naming one is predicted for the default
# handler, and says so; a non-string is refused as the API server refuses it.
for rc in kata '"a b"'; do
  cat >"$T/rc.yaml" <<YAML
apiVersion: v1
kind: Pod
metadata: {name: rc}
spec:
  runtimeClassName: $rc
  containers: [{name: c, image: x}]
YAML
  is "$(cj '[.steps[] | select(.rule == "pod.runtime-class")] | length' --runtime containerd "$T/rc.yaml")" \
    "1" "runtimeClassName $rc: a step says its handler is not read"
  "$CAPSCOPE" explain pod --runtime containerd "$T/rc.yaml" >"$T/out" 2>&1
  like "$(grep '^  RuntimeClass: ' "$T/out")" "not read: the runtime's default handler is modelled" \
    "runtimeClassName $rc: the text header says so"
done
like "$(grep -c 'RuntimeClass: a\\x20b ' "$T/out")" "1" "runtimeClassName with a space: shown escaped"
"$CAPSCOPE" explain pod --runtime containerd --html "$T/rc.html" "$T/rc.yaml" >/dev/null 2>&1
like "$(grep -o '<p>RuntimeClass: <code>a b</code> (not read[^<]*' "$T/rc.html")" "default handler is modelled" \
  "runtimeClassName: the HTML page says so"
is "$(cj '[.steps[] | select(.rule == "pod.runtime-class")] | length' --runtime containerd "$EX/nonroot-netbind.yaml")" \
  "0" "no runtimeClassName: no such step"
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: rc}\nspec:\n  runtimeClassName: [kata]\n  containers: [{name: c, image: x}]\n' >"$T/rc.yaml"
"$CAPSCOPE" explain pod "$T/rc.yaml" >/dev/null 2>"$T/err"
is "$?" "2" "runtimeClassName a list: refused"
like "$(cat "$T/err")" "rc.yaml:5:.*spec.runtimeClassName" "runtimeClassName a list: file, line and field"
done_testing

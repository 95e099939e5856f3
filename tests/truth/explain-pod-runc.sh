#!/usr/bin/env bash
# explain pod against the real thing: for each example pod, take the OCI
# process capscope derives (user, groups, five sets, no_new_privs), run it
# under real runc with the static probe as the image's entrypoint (same
# set-uid bit / file capabilities as the article's images), and require the
# predicted first process — and the bind:443 verdict — to be exactly what the
# kernel reports.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/../lib/runc-probe.sh"
runc_probe_needs setcap
EX=$CAPSCOPE_TOP/examples/pod
STATE=$T/state
mkdir -p "$STATE"
"$EX/make-images.sh" "$T/img" "$PROBE"
# a plain image: every command the examples name is the probe, no bits
mkdir -p "$T/img/plain/usr/bin" "$T/img/plain/bin" "$T/img/plain/proc" "$T/img/plain/etc"
for b in sleep nc app; do cp "$PROBE" "$T/img/plain/usr/bin/$b"; done
cp "$PROBE" "$T/img/plain/bin/app"
printf 'root:x:0:0::/:/bin/sh\n' >"$T/img/plain/etc/passwd"

n=0
truth() { # description, rootfs, capscope args…
  local desc=$1 rootfs=$2; shift 2
  n=$((n + 1))
  local b=$T/b$n js
  mkdir -p "$b"
  js=$("$CAPSCOPE" explain pod --json --caller self --rootfs "$rootfs" --check bind:443 "$@" 2>"$b/cs-err" | jq -c '.containers[0]')
  if [ "$(jq -r '.oci == null' <<<"$js")" = true ]; then
    ok 1 "$desc: capscope produced no OCI process"; sed 's/^/#   /' "$b/cs-err"; return
  fi
  jq '{ociVersion: "1.0.2", root: {path: "'"$rootfs"'", readonly: true},
       process: {terminal: false, cwd: "/",
         user: {uid: .oci.uid, gid: .oci.gid, additionalGids: .oci.additional_gids},
         args: [.exec.path, "--bind", "443"], env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
         noNewPrivileges: .oci.no_new_privs,
         capabilities: (.oci.caps | with_entries(.value = (.value.names // [])))},
       mounts: [{destination: "/proc", type: "proc", source: "proc"}],
       linux: ({namespaces: ([{type: "pid"}, {type: "mount"}, {type: "ipc"}, {type: "uts"}, {type: "network"}]
                             + (if .oci.user_namespace then [{type: "user"}] else [] end))}
               + (if .oci.user_namespace then
                    {uidMappings: [.user_namespace.uid_map[] | {containerID: .container_id, hostID: .host_id, size}],
                     gidMappings: [.user_namespace.gid_map[] | {containerID: .container_id, hostID: .host_id, size}]}
                  else {} end)
               # the sysctl the runtime sets (the why of the bind check names it)
               + ((.checks[0].why // "") as $w
                  | if ($w | test("refuses")) then {} else
                      ($w | capture("sets net.ipv4.ip_unprivileged_port_start=(?<v>[0-9]+)")
                          | {sysctl: {"net.ipv4.ip_unprivileged_port_start": .v}}) // {} end))}' \
    <<<"$js" >"$b/config.json"
  local id="cspod-$$-$n" real want
  runc --root "$STATE" run --bundle "$b" "$id" >"$b/out" 2>"$b/err" </dev/null
  local rc=$?
  [ "$rc" -eq 0 ] || runc --root "$STATE" delete -f "$id" >/dev/null 2>&1
  if [ "$rc" -eq 0 ] && grep -q '^CapEff:' "$b/out"; then
    real=$(awk -F'\t' '
      /^Uid:/ {u=$2" "$3" "$4" "$5} /^Groups:/ {gr=$2; sub(/ +$/, "", gr)}
      /^CapInh:/ {ci=$2} /^CapPrm:/ {cp=$2} /^CapEff:/ {ce=$2} /^CapBnd:/ {cb=$2} /^CapAmb:/ {ca=$2}
      /^NoNewPrivs:/ {nn=$2} /^Bind:/ {bd=($2 == "ok") ? "true" : "false"}
      END {print "ok uid=" u " groups=" gr " inh=" ci " prm=" cp " eff=" ce " bnd=" cb " amb=" ca " nnp=" nn " bind=" bd}' "$b/out")
  else
    local e=OTHER
    grep -qi 'operation not permitted' "$b/err" && e=EPERM
    real="fail $e"
  fi
  want=$(jq -r 'def m: .mask | ltrimstr("0x");
    if .exec.ok then
      "ok uid=" + (.process.uids | map(tostring) | join(" ")) +
      " groups=" + (.process.groups | sort | map(tostring) | join(" ")) +
      " inh=" + (.process.caps.inheritable | m) + " prm=" + (.process.caps.permitted | m) +
      " eff=" + (.process.caps.effective | m) + " bnd=" + (.process.caps.bounding | m) +
      " amb=" + (.process.caps.ambient | m) + " nnp=" + (if .process.no_new_privs then "1" else "0" end) +
      " bind=" + (.checks[0].ok | tostring)
    else "fail " + .exec.error end' <<<"$js")
  is "$want" "$real" "$desc"
  [ "$want" == "$real" ] || { echo "#   bundle $b"; sed 's/^/#   runc: /' "$b/err" | head -3; }
}

C2020=(--crio-config "$EX/crio-2020")
truth "anyuid-netbind (article: 0x400 everywhere but ambient)" "$T/img/plain" \
  --openshift --scc "$EX/anyuid-netbind-scc.yaml" "${C2020[@]}" "$EX/anyuid-netbind.yaml"
truth "anyuid-netbind with today's CRI-O" "$T/img/plain" \
  --openshift --scc "$EX/anyuid-netbind-scc.yaml" "$EX/anyuid-netbind.yaml"
truth "nonroot-setuid under restricted" "$T/img/nc-setuid" --scc restricted "${C2020[@]}" \
  --image-config "$EX/images/nc-setuid.json" "$EX/nonroot-setuid.yaml"
truth "nonroot-capset under restricted (article: Inh/Bnd 4251b, Prm/Eff 400)" "$T/img/nc-capset" \
  --scc restricted "${C2020[@]}" --image-config "$EX/images/nc-capset.json" "$EX/nonroot-capset.yaml"
truth "nonroot-setambient: the helper itself" "$T/img/nc-setambient" --scc restricted "${C2020[@]}" \
  --image-config "$EX/images/nc-setambient.json" "$EX/nonroot-setambient.yaml"
truth "nonroot-capset under restricted-v2 (no_new_privs, empty bounding → EPERM)" "$T/img/nc-capset" \
  --openshift --image-config "$EX/images/nc-capset.json" "$EX/nonroot-capset.yaml"
truth "nonroot-setuid under restricted-v2 (no_new_privs: stays non-root)" "$T/img/nc-setuid" \
  --openshift --image-config "$EX/images/nc-setuid.json" "$EX/nonroot-setuid.yaml"
# allowPrivilegeEscalation false that a generated custom SCC defaults in: real
# runc sets no_new_privs, and the +ep file cap still grants the bit the
# container adds (permitted before execve; pP' &= pP keeps it).
cat >"$T/capset-add.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: capset-add, namespace: cap-test}
spec:
  containers:
  - name: nc
    image: quay.io/acmenezes/nc-capset:test
    securityContext: {runAsUser: 1000660000, capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}}
YAML
"$CAPSCOPE" policy custom-scc --name capset-add "$T/capset-add.yaml" >"$T/capset-add-scc.yaml"
truth "nonroot-capset under a generated custom SCC (no_new_privs; +ep keeps the added bit)" \
  "$T/img/nc-capset" --openshift --scc "$T/capset-add-scc.yaml" \
  --image-config "$EX/images/nc-capset.json" "$T/capset-add.yaml"
truth "root with CRI-O default_capabilities from a drop-in" "$T/img/plain" \
  --crio-config "$EX/crio-netbind" "$EX/root-defaults.yaml"
truth "root-defaults under anyuid" "$T/img/plain" --openshift --use anyuid "$EX/root-defaults.yaml"
truth "non-root with NET_BIND_SERVICE requested (cannot bind)" "$T/img/plain" "$EX/nonroot-netbind.yaml"
truth "non-root, containerd" "$T/img/plain" --runtime containerd "$EX/nonroot-netbind.yaml"
truth "root-defaults, containerd" "$T/img/plain" --runtime containerd "$EX/root-defaults.yaml"
truth "root-defaults, docker" "$T/img/plain" --runtime docker "$EX/root-defaults.yaml"
cat >"$T/priv.yaml" <<'Y'
kind: Pod
metadata: {name: p}
spec:
  securityContext: {fsGroup: 3000, supplementalGroups: [44]}
  containers:
  - name: a
    command: [/bin/app]
    securityContext: {privileged: true, runAsUser: 1000, runAsGroup: 1000}
Y
truth "privileged non-root, CRI-O (ambient keeps everything)" "$T/img/plain" "$T/priv.yaml"
truth "privileged non-root, containerd (nothing survives execve)" "$T/img/plain" --runtime containerd "$T/priv.yaml"
sed 's/privileged: true, //' "$T/priv.yaml" >"$T/plain.yaml"
truth "non-root with groups, CRI-O defaults" "$T/img/plain" "$T/plain.yaml"
# hostUsers: false: the kubelet's first block (node 65536…), runc in a user namespace;
# the rootfs belongs to the pod's root as the runtime's idmapped rootfs would
# (a fresh copy: earlier runs left device nodes in plain/dev, which runc in a user
# namespace bind-mounts over instead of creating)
mkdir -p "$T/img/plain-userns/usr/bin" "$T/img/plain-userns/bin" "$T/img/plain-userns/proc" "$T/img/plain-userns/etc"
for b in sleep nc app; do cp "$PROBE" "$T/img/plain-userns/usr/bin/$b"; done
cp "$PROBE" "$T/img/plain-userns/bin/app"
cp "$T/img/plain/etc/passwd" "$T/img/plain-userns/etc/passwd"
chown -R 65536:65536 "$T/img/plain-userns"
cat >"$T/userns.yaml" <<'Y'
kind: Pod
metadata: {name: u}
spec:
  hostUsers: false
  containers:
  - name: a
    command: [/bin/app]
    securityContext: {runAsUser: 0, capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}}
Y
truth "hostUsers: false, root in the pod with NET_BIND_SERVICE: binds 443 in its own netns" \
  "$T/img/plain-userns" "$T/userns.yaml"
truth "hostUsers: false, root in the pod, containerd defaults" "$T/img/plain-userns" --runtime containerd \
  <(sed 's/, capabilities: {drop: \[ALL\], add: \[NET_BIND_SERVICE\]}//' "$T/userns.yaml")
sed 's/runAsUser: 0/runAsUser: 1000/' "$T/userns.yaml" >"$T/userns-1000.yaml"
truth "hostUsers: false, uid 1000 (node 66536): no ambient, cannot bind" "$T/img/plain-userns" "$T/userns-1000.yaml"
# "#!" entrypoints: execve takes the credentials from the interpreter, never
# from the script (the pad word makes the probe read "--bind 443" as a pair)
mkdir -p "$T/img/script/app" "$T/img/script/usr/bin" "$T/img/script/proc" "$T/img/script/etc"
cp "$T/img/plain/etc/passwd" "$T/img/script/etc/passwd"
cp "$PROBE" "$T/img/script/usr/bin/capnc"
setcap cap_net_bind_service+ep "$T/img/script/usr/bin/capnc"
cp "$PROBE" "$T/img/script/usr/bin/nc"
printf '#!/usr/bin/capnc --pad\n' >"$T/img/script/app/via-capnc"
printf '#!/app/via-capnc --pad\n' >"$T/img/script/app/via-script"
printf '#!/usr/bin/nc --pad\n' >"$T/img/script/app/capped-script"
chmod 755 "$T/img/script/app/"*
setcap cap_net_bind_service+ep "$T/img/script/app/capped-script"
script_pod() { # command
  printf 'kind: Pod\nmetadata: {name: s}\nspec:\n  containers:\n  - name: a\n    command: [%s]\n' "$1"
  printf '    securityContext: {runAsUser: 1000, capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}}\n'
}
script_pod /app/via-capnc >"$T/script1.yaml"
truth "#! script whose interpreter has file capabilities: they count" "$T/img/script" "$T/script1.yaml"
script_pod /app/via-script >"$T/script2.yaml"
truth "#! script run by a #! script run by a file-capability binary" "$T/img/script" "$T/script2.yaml"
script_pod /app/capped-script >"$T/script3.yaml"
truth "#! script with file capabilities of its own: ignored, cannot bind" "$T/img/script" "$T/script3.yaml"
done_testing

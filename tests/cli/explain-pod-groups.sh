#!/usr/bin/env bash
# asan-too
# explain pod: the user, gid and supplementary groups as each runtime gives
# them (docs/runtimes.md, "User, group and supplementary groups"): the image
# USER's group part is never read behind a kubelet, the image's /etc/group
# memberships by each runtime's rule, supplementalGroupsPolicy: Strict, and
# /etc/passwd and /etc/group read as runc's user package reads them. The
# rules were taken from the real runtimes (tests/truth/*-matrix.sh); this
# checks the same answers without a daemon.
source "$(dirname "$0")/../lib/tap.sh"
command -v jq >/dev/null || skip_all "needs jq"
tap_tmpdir
cd "$T" || exit 1
mkdir -p r/etc r/usr/bin
cp /bin/true r/usr/bin/app
printf 'root:x:0:0::/:/bin/sh\napp:x:1000:1000::/:/bin/sh\n  bad:x:abc:1000::/:/bin/sh  \n' >r/etc/passwd
printf 'root:x:0:\nwheel:x:10:root,app\nstaff:x:50:app\napp:x:1000:app\n# c:x:70:app\nodd:x:zz:bad\n' >r/etc/group

# pod FILE [POD-SC] [CTR-SC]: one container running /usr/bin/app
pod() {
  cat >"$1" <<Y
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  securityContext: {${2:-}}
  containers:
  - name: c
    image: x
    command: [/usr/bin/app]
    securityContext: {${3:-}}
Y
}
# groups RUNTIME USER POD: "uid gid [groups]" or the error
groups() {
  printf '{"config":{"User":"%s"}}' "$2" >cfg.json
  "$CAPSCOPE" explain pod --json --runtime "$1" --rootfs r --image-config cfg.json "$3" |
    jq -r '.containers[0] | if .exec.error then .exec.error
      else "\(.process.uids[0]) \(.process.gids[0]) \(.process.groups | sort | join(","))" end'
}

pod p1.yaml 'supplementalGroups: [4000], fsGroup: 3000'
is "$(groups containerd 1000:50 p1.yaml)" "1000 1000 10,50,1000,3000,4000" \
  "containerd: USER 1000:50 runs with the passwd's gid; the gid, memberships but not the group named app, supplementalGroups, fsGroup"
is "$(groups crio 1000:50 p1.yaml)" "1000 1000 10,50,1000,3000,4000" \
  "CRI-O: the same set, the group named app included (it is also the gid)"
is "$(groups podman 1000:50 p1.yaml)" "1000 50 50,4000" \
  "Podman (no kubelet): USER read whole, no memberships with an explicit group, no fsGroup"
is "$(groups containerd app:nogroup p1.yaml)" "1000 1000 10,50,1000,3000,4000" \
  "behind a kubelet a group part the image does not have is never looked up"
is "$(groups podman app:nogroup p1.yaml)" "CreateContainerError" \
  "…while Podman, reading it, refuses the container"
is "$(groups containerd :60 p1.yaml)" "0 0 0,10,3000,4000" \
  "an empty user part is uid 0 to the kubelet, with root's memberships"

pod p2.yaml 'supplementalGroups: [4000]' 'runAsUser: 1000, runAsGroup: 3000'
is "$(groups docker '' p2.yaml)" "1000 3000 3000,4000" \
  "Docker with runAsGroup (cri-dockerd writes UID:GID): no memberships"
is "$(groups crio '' p2.yaml)" "1000 3000 10,50,1000,3000,4000" \
  "CRI-O with runAsGroup: the memberships all the same"
is "$(groups podman app p2.yaml)" "1000 3000 3000,4000" "Podman with runAsGroup: UID:GID, no memberships"

pod p3.yaml '' 'runAsGroup: 50'
is "$(groups podman app p3.yaml)" "0 50 50" "Podman: runAsGroup alone is the user 0:50, whatever the image's USER"
is "$(groups containerd app p3.yaml)" "1000 50 10,50" "…behind a kubelet the image's user keeps its uid"

pod p4.yaml ''
is "$(groups containerd bad p4.yaml)" "0 1000 0,1000" \
  "a passwd uid that is no number is uid 0 (runc's reader), a group gid zz is group 0"
# with no_new_privs uid 0 gains nothing at execve: what the runtime set shows
pod p4n.yaml '' 'allowPrivilegeEscalation: false'
out=$("$CAPSCOPE" explain pod --json --runtime podman --rootfs r --image-config cfg.json p4n.yaml)
is "$(jq -r '.containers[0].process.caps.effective.mask' <<<"$out")" "0x0000000000000000" \
  "Podman gives root's capabilities by the user string: 'bad' is uid 0 but not root to it"
printf '{"config":{"User":"+0"}}' >cfg.json
out=$("$CAPSCOPE" explain pod --json --runtime podman --rootfs r --image-config cfg.json p4n.yaml)
is "$(jq -r '.containers[0].process.caps.effective.mask' <<<"$out")" "0x0000000000000000" "…nor is '+0'"
out=$("$CAPSCOPE" explain pod --json --runtime containerd --rootfs r --image-config cfg.json p4n.yaml)
isnt_zero=$(jq -r '.containers[0].process.caps.effective.mask != "0x0000000000000000"' <<<"$out")
is "$isnt_zero" "true" "…which a kubelet passes as uid 0, root"

pod p5.yaml 'supplementalGroups: [4000], supplementalGroupsPolicy: Strict'
is "$(groups containerd@2.x app p5.yaml)" "1000 1000 1000,4000" "Strict on containerd 2: no memberships"
is "$(groups crio app p5.yaml)" "1000 1000 1000,4000" "Strict on CRI-O 1.31+: no memberships"
is "$(groups containerd@1.7 app p5.yaml)" "SupplementalGroupsPolicyNotSupported" \
  "Strict on containerd 1.7: the kubelet refuses the pod"
is "$(groups crio@1.30 app p5.yaml)" "SupplementalGroupsPolicyNotSupported" "…and on CRI-O 1.30"
is "$(groups docker app p5.yaml)" "SupplementalGroupsPolicyNotSupported" "…and on Docker"
is "$(groups podman app p5.yaml)" "1000 1000 10,50,1000,4000" "kube play ignores the field"
pod p6.yaml 'supplementalGroupsPolicy: strict'
like "$(groups containerd app p6.yaml 2>&1)" "p6\.yaml:5:47: spec\.securityContext\.supplementalGroupsPolicy: Unsupported value \"strict\"" \
  "a policy the API server does not know: refused where it is written (twentieth pass, part D)"

# without the image's files the memberships are unknown, and the step says so
pod p7.yaml ''
printf '{"config":{"User":"1000"}}' >cfg.json
out=$("$CAPSCOPE" explain pod --json --runtime containerd --image-config cfg.json p7.yaml)
like "$(jq -r '.containers[0].steps[] | select(.rule == "containerd.groups") | .detail' <<<"$out")" \
  "not known: the image's /etc/passwd and /etc/group were not read" "no --rootfs: memberships said to be unknown"

# More memberships than the model holds: that container is not modelled (one
# clear error with the file, line, user and limit; no runtime refuses it, so
# it is no refused container), the pod's other containers are, the JSON is
# whole, exit 2. It stopped the whole run (eleventh pass, part D).
for i in $(seq 1 300); do echo "g$i:x:$((5000 + i)):app"; done >>r/etc/group
printf '{"config":{"User":"app"}}' >cfg.json
cat >two-ctr.yaml <<Y
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: many
    image: x
    command: [/usr/bin/app]
  - name: root
    image: x
    command: [/usr/bin/app]
    securityContext: {runAsUser: 0}
Y
"$CAPSCOPE" explain pod --json --runtime crio --rootfs r --image-config cfg.json two-ctr.yaml \
  >many.json 2>many.err
is "$?" "2" "300 memberships: exit 2"
is "$(jq -c '[.containers[] | [.name, (.not_modelled != null), .exec.error, (.process.uids[0] // null)]]' many.json)" \
  '[["many",true,"NotModelled",null],["root",false,null,0]]' \
  "…that container not modelled, the other one modelled (whole JSON)"
like "$(jq -r '.containers[0].not_modelled' many.json)" \
  "^r/etc/group:[0-9]+: lists 'app' in more than 256 groups: the model holds at most 256" \
  "…naming the file, its line, the user and the limit"
like "$(cat many.err)" "pod p, container many: not modelled: r/etc/group:[0-9]+: lists 'app'" \
  "…and on stderr, with the pod and container"
"$CAPSCOPE" explain pod --runtime crio --rootfs r --image-config cfg.json two-ctr.yaml >many.txt 2>/dev/null
like "$(cat many.txt)" "NOT MODELLED: r/etc/group:[0-9]+: lists 'app'" "text: said NOT MODELLED"
like "$(grep -c '^Container' many.txt)" "^2$" "text: both containers shown"
# Over the limit with the gid and supplementalGroups (256 memberships plus the
# user's gid): found when the container is modelled, the same per-container answer.
printf 'root:x:0:0::/:/bin/sh\napp:x:1000:1000::/:/bin/sh\n' >r/etc/passwd
{ printf 'root:x:0:\n'; for i in $(seq 256); do printf 'g%d:x:%d:app\n' "$i" $((i + 2000)); done; } >r/etc/group
printf '{"config":{"User":"1000"}}' >cfg.json
pod root.yaml '' 'runAsUser: 0'
pod app.yaml ''
{ cat root.yaml; echo '---'; cat app.yaml; } >two.yaml
"$CAPSCOPE" explain pod --json --runtime containerd --rootfs r --image-config cfg.json two.yaml \
  >two.json 2>two.err
is "$?" 2 "the second pod past the model's 256 groups: exit 2"
is "$(jq -c '[(.containers | length), (.error // "none"), (.containers[1].not_modelled | test("more than 256"))]' two.json 2>&1)" \
  '[2,"none",true]' "…stdout is whole JSON: both pods' containers, the second not modelled"
like "$(cat two.err)" "more than 256 supplementary groups" "…the same error on stderr"

# supplementalGroups past the model's 256 (session 16, second round, part
# L): the first 256 were kept and the rest dropped in silence ("256 from
# supplementalGroups; 256 in all"), the process predicted without groups
# it has. Now a group past them that is not a repeat makes the container
# not modelled; repeats of those kept change nothing.
sg() { seq -s, "$1" "$2"; }
pod sg300.yaml "supplementalGroups: [$(sg 0 299)]" 'runAsUser: 1000, runAsGroup: 0'
"$CAPSCOPE" explain pod --json --runtime containerd sg300.yaml >sg300.json 2>sg300.err
is "$?" 2 "300 supplementalGroups (with runAsGroup 0 among them): exit 2"
like "$(jq -r '.containers[0].not_modelled' sg300.json)" \
  "^supplementalGroups: more than 256 supplementary groups: the model holds at most 256" \
  "…not modelled, naming the field and the bound (256 kept in silence before)"
pod sgrep.yaml "supplementalGroups: [$(sg 1 255), $(sg 1 100)]" 'runAsUser: 1000, runAsGroup: 0'
is "$("$CAPSCOPE" explain pod --json --runtime containerd sgrep.yaml |
  jq -c '.containers[0] | [.not_modelled, .process.gids[0], (.process.groups | length)]')" "[null,0,256]" \
  "355 entries, 255 groups and 100 repeats: modelled, 256 groups with the gid"
pod sgrep2.yaml "supplementalGroups: [$(yes 7 | head -n 290 | paste -sd,), $(sg 8 17)]" 'runAsUser: 1000, runAsGroup: 0'
is "$("$CAPSCOPE" explain pod --json --runtime containerd sgrep2.yaml |
  jq -c '.containers[0] | [.not_modelled, (.process.groups | length)]')" "[null,12]" \
  "300 entries, 290 of them one group: modelled, 11 groups and the gid"
done_testing

#!/usr/bin/env bash
# asan-too
# capscope explain pod/oci with hostile input: names, images, commands, SCC
# names, capability names, sysctl values, process.args[0] and the image's
# USER carrying ESC sequences and newlines that try to forge a "Container"
# block must reach the terminal escaped (cs_escape_text), never raw. And
# with --image, a missing or dangling entrypoint says what really happened.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/scan-image-lib.sh"
for t in tar jq sha256sum; do
  command -v $t >/dev/null || skip_all "needs $t"
done
tap_tmpdir
cd "$T" || exit 1

# YAML double-quoted "\e" is ESC, "\n" a newline: the strings below hold raw ones.
cat >hostile.yaml <<'Y'
apiVersion: v1
kind: Pod
metadata:
  name: "pod\e[2J\nContainer forged-pod (app)"
spec:
  securityContext:
    sysctls: [{name: net.ipv4.ip_unprivileged_port_start, value: "2000\e[31m"}]
  containers:
  - name: "web\e]0;owned\a\nContainer forged (app, image evil)"
    image: "img\e[8m\nContainer forged-image (app)"
    command: ["/bin/nc\e[1A\nContainer forged-cmd (app)", "-l"]
    securityContext:
      runAsUser: 1000
      capabilities: {add: ["NET_BIND_SERVICE", "FOO\e[5m\nContainer forged-cap"], drop: ["X\e[0m"]}
---
apiVersion: security.openshift.io/v1
kind: SecurityContextConstraints
metadata: {name: hostile-scc}
priority: 10
allowPrivilegeEscalation: true
allowedCapabilities: ["*"]
runAsUser: {type: RunAsAny}
seLinuxContext: {type: RunAsAny}
volumes: ["*"]
Y
printf '{"config":{"User":"app\\u001b[2J\\nContainer forged-user","Entrypoint":["/bin/sh"]}}' >cfg.json

"$CAPSCOPE" explain pod --runtime containerd --check bind:443 hostile.yaml >out.txt 2>err.txt
is "$?" 1 "explain pod hostile: runs (exit 1: not everything is effective)"
raw_ctl out.txt; ok $((! $?)) "explain pod: no raw ESC or control byte from the manifest in the text"
is "$(grep -c '^ *Container forged' out.txt)" 0 "explain pod: no forged line starts a Container block"
is "$(grep -c '^Container ' out.txt)" 1 "explain pod: one Container block, the real one"
like "$(cat out.txt)" 'Container web\\x1b\]0;owned\\x07\\nContainer\\x20forged\\x20\(app,\\x20image\\x20evil\) \(container, image img\\x1b\[8m\\nContainer\\x20forged-image\\x20\(app\)\)' \
  "explain pod: the container name and image are shown escaped, on one line"
like "$(cat out.txt)" 'Entrypoint: /bin/nc\\x1b\[1A\\nContainer\\x20forged-cmd\\x20\(app\) \(assumed plain' "explain pod: the command escaped"
# runc cannot write the hostile sysctl value: it stops before execve, so the
# table has no row for a process it never had (it showed uid 0, "(absent)")
is "$(grep -c '^runc, before execve' out.txt)" 0 "explain pod: the container stops in runc's init (the sysctl): no 'before execve' row"
like "$(cat out.txt)" 'FOO\\x1b\[5m\\nContainer\\x20forged-cap +not effective' "explain pod: a requested capability name escaped (a space as \\x20: tests/cli/cell-spaces)"
like "$(cat out.txt)" 'Pod pod\\x1b\[2J\\nContainer\\x20forged-pod' "explain pod: the pod name escaped"
like "$(cat out.txt)" 'ip_unprivileged_port_start="2000\\x1b\[31m"' "explain pod: a sysctl value escaped, one quoted word (twenty-fifth pass)"
like "$(cat out.txt)" 'hostile-scc' "explain pod: the SCC named"
# An SCC's name is a DNS-1123 subdomain, or the API server refuses the SCC
# (twenty-seventh pass): one with ESC and a line feed never reaches the
# admission list; its refusal names it escaped, on one line.
sed 's/name: hostile-scc}/name: "scc\\e[41m\\nContainer forged-scc (app)"}/' hostile.yaml >hostile-scc.yaml
"$CAPSCOPE" explain pod hostile-scc.yaml >/dev/null 2>err.txt
is "$?:$(wc -l <err.txt)" "2:1" "explain pod: an SCC named with ESC and a line feed is refused, one line"
like "$(cat err.txt)" 'metadata\.name: Invalid value "scc\\x1b\[41m\\nContainer forged-scc \(app\)": a lowercase RFC 1123' \
  "  its name escaped in the refusal"
raw_ctl err.txt; ok $((! $?)) "  no raw control byte in it"
is "$(grep -c $'\x1b' out.txt)" 0 "explain pod: not one ESC byte"
like "$(cat out.txt)" 'RUN \["setcap", "cap_net_bind_service\+ep", "/bin/nc\\u001b\[1A\\nContainer forged-cmd \(app\)"\]' \
  "explain pod: remedies show the entrypoint quoted, once: the exec form (tests/cli/remedy-run-sh)"

# The image config's USER (a name that cannot be looked up) and its Entrypoint.
"$CAPSCOPE" explain pod --image-config cfg.json hostile.yaml >out2.txt 2>&1
sed -i 's/runAsUser: 1000/runAsGroup: 1/' hostile.yaml
"$CAPSCOPE" explain pod --image-config cfg.json hostile.yaml >out3.txt 2>&1
raw_ctl out3.txt; ok $((! $?)) "explain pod --image-config: no raw control byte from the image's USER"
like "$(cat out3.txt)" "image USER 'app\\\\x1b\[2J\\\\nContainer forged-user' is a name" "explain pod: the image's USER escaped"

# The JSON keeps the exact strings (JSON escaping is the JSON writer's).
"$CAPSCOPE" explain pod --json hostile.yaml >out.json 2>/dev/null
is "$(jq -r '.containers[0].name' out.json)" $'web\e]0;owned\a\nContainer forged (app, image evil)' \
  "explain pod --json: the name as written"

# explain oci: process.args[0] and the paths.
mkdir -p b/rootfs/bin
printf '{"ociVersion":"1.0.2","root":{"path":"rootfs"},"process":{"user":{"uid":1000,"gid":1000},"args":["/bin/x\\u001b[2J\\nContainer forged"],"env":["PATH=/bin"],"cwd":"/","capabilities":{"bounding":["CAP_NET_BIND_SERVICE"],"permitted":["CAP_NET_BIND_SERVICE"],"effective":["CAP_NET_BIND_SERVICE"]}}}' >b/config.json
"$CAPSCOPE" explain oci --caller root b >oci.txt 2>&1
is "$?" 1 "explain oci hostile: the process would not start"
raw_ctl oci.txt; ok $((! $?)) "explain oci: no raw control byte from process.args[0]"
like "$(cat oci.txt)" 'Entrypoint: /bin/x\\x1b\[2J\\nContainer\\x20forged: No such file' "explain oci: args[0] escaped"

# --image with a missing and with a dangling entrypoint: say so, not "no --rootfs or --image".
mkdir -p l0/etc l0/usr/bin
printf 'root:x:0:0:root:/root:/bin/sh\n' >l0/etc/passwd
ln -s /usr/bin/nowhere l0/usr/bin/nc
mklayer l0 l0.tar
mkconfig img.json "" '["/usr/bin/nc"]' null "$(sha l0.tar)"
mkdocker dangling.tar img.json l0.tar
mkconfig img2.json "" '["/usr/bin/gone"]' null "$(sha l0.tar)"
mkdocker missing.tar img2.json l0.tar
mkconfig img3.json "" null null "$(sha l0.tar)"
mkdocker nocmd.tar img3.json l0.tar
printf 'kind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    securityContext: {capabilities: {add: [CHOWN]}}\n' >plain.yaml
out=$("$CAPSCOPE" explain pod --image dangling.tar plain.yaml 2>&1)
like "$out" 'Entrypoint: /usr/bin/nc \(a dangling symbolic link in the image \(ENOENT\): the process cannot start\)' \
  "--image, dangling entrypoint: said so"
[[ "$out" != *"no --rootfs or --image"* ]]; ok $? "--image, dangling entrypoint: not 'no --rootfs or --image'"
out=$("$CAPSCOPE" explain pod --image missing.tar plain.yaml 2>&1)
like "$out" 'Entrypoint: /usr/bin/gone \(not found in the image \(ENOENT\): the process cannot start\)' \
  "--image, missing entrypoint: said so"
[[ "$out" != *"no --rootfs or --image"* ]]; ok $? "--image, missing entrypoint: not 'no --rootfs or --image'"
out=$("$CAPSCOPE" explain pod --image nocmd.tar plain.yaml 2>&1)
# (Eleventh pass: the runtimes refuse it, "no command specified"; it was
# "(the image's entrypoint) (assumed plain ...)" and ran.)
like "$out" "NOT CREATED: CreateContainerError: no command specified" \
  "--image without Entrypoint, Cmd or command: not created, said so"
mkdir -p r/usr/bin
out=$("$CAPSCOPE" explain pod --rootfs r plain.yaml 2>&1)
like "$out" "assumed plain: neither the pod nor an image config names a command" "--rootfs, no command and no image config: said so"
out=$("$CAPSCOPE" explain pod plain.yaml 2>&1)
like "$out" "assumed plain: no --rootfs or --image" "nothing given: assumed plain (as before)"

# A name that contains another (NET_RAWX holds NET_RAW): the verdict of the
# dropped NET_RAW is the drop, not the unknown spelling of NET_RAWX (the list
# of unknown names was searched with strstr).
cat >sub.yaml <<'Y'
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: c
    image: i
    securityContext: {runAsUser: 0, capabilities: {add: ["NET_RAWX", "NET_RAW"], drop: ["NET_RAW"]}}
Y
"$CAPSCOPE" explain pod --json --runtime containerd sub.yaml >sub.json 2>/dev/null
like "$(jq -r '.containers[0].verdicts[] | select(.capability == "NET_RAW") | .why' sub.json)" \
  'a drop of the same capability wins' "explain pod: a dropped name is not blamed on an unknown name that contains it"

# A pod of many containers that no SCC admits: each container repeated the
# pod's whole SCC reason, which names every container, so the text grew as
# N^2 (2,000 containers: 650 MB). Counted in bytes, never seconds.
mkpod() { python3 -c 'import sys
print("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:")
for i in range(int(sys.argv[1])):
    print("  - {name: c%d, image: i, securityContext: {capabilities: {add: [NET_RAW]}}}" % i)' "$1"; }
mkpod 200 >m200.yaml; mkpod 400 >m400.yaml
b200=$("$CAPSCOPE" explain pod --openshift m200.yaml 2>/dev/null | wc -c)
b400=$("$CAPSCOPE" explain pod --openshift m400.yaml 2>/dev/null | wc -c)
echo "# explain pod --openshift text: 200 containers $b200 bytes, 400 containers $b400 bytes"
ok "$([ $((b400 * 10)) -le $((b200 * 22)) ]; echo $?)" "twice the containers, at most 2.2 times the text (linear, not quadratic)"

# Twelfth pass: the tag characters (U+E0000..U+E007F) draw nothing, so a
# capability "NET_ADMIN" followed by tags spelling "evil" was shown as
# NET_ADMIN ("unknown capability \"CAP_NET_ADMIN\" to add"); the JSON writer
# must write them as surrogate pairs, never "\u" and five digits.
python3 -c 'tag = "".join(chr(0xE0000 + ord(c)) for c in "evil")
print("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:")
print("  - {name: c, image: i, securityContext: {capabilities: {add: [NET_ADMIN%s]}}}" % tag)' >tags.yaml
out=$("$CAPSCOPE" explain pod tags.yaml 2>&1)
like "$out" 'unknown capability "CAP_NET_ADMIN\\U000e0065\\U000e0076\\U000e0069\\U000e006c"' \
  "tag characters after a capability's name: shown escaped"
ok "$(LC_ALL=C grep -q $'\xf3\xa0' <<<"$out"; [ $? = 1 ]; echo $?)" "…none of them raw"
js=$("$CAPSCOPE" explain pod --json tags.yaml 2>/dev/null)
like "$js" 'NET_ADMIN\\udb40\\udc65\\udb40\\udc76\\udb40\\udc69\\udb40\\udc6c' "…in JSON as surrogate pairs"
first=$(jq -r '.. | strings | select(startswith("NET_ADMIN"))' <<<"$js" | head -n1)
is "$(printf %s "$first" | od -An -tx1 | tr -d ' \n')" \
  "4e45545f41444d494ef3a081a5f3a081b6f3a081a9f3a081ac" "…which read back as the same string"

# Twenty-fifth pass, part A: three more names of the pod written raw into a
# step (a value's words read as the sentence's): the helper's command, a
# relative workingDir, an env entry's name past MAX_ARG_STRLEN. One word each.
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: i, workingDir: "x y: fine", command: ["/usr/bin/set_ambient", "/app (then drops CAP_NET_BIND_SERVICE)"]}]}\n' >w1.yaml
"$CAPSCOPE" explain pod w1.yaml >w1.txt 2>&1
like "$(cat w1.txt)" 'runc\.cwd: the working directory "x y: fine" is not an absolute path' "a relative workingDir: one quoted word"
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: i, command: ["/usr/bin/set_ambient", "/app (then drops CAP_NET_BIND_SERVICE)"]}]}\n' >w2.yaml
"$CAPSCOPE" explain pod w2.yaml >w2.txt 2>&1
like "$(cat w2.txt)" 'helper\.start: set_ambient raises CAP_NET_BIND_SERVICE to ambient, then execs "/app \(then drops CAP_NET_BIND_SERVICE\)"' "the helper's command: one quoted word"
python3 -c 'print("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: i, command: [/bin/x], env: [{name: \"A B\", value: \"%s\"}]}]}" % ("v" * 140000))' >w3.yaml
"$CAPSCOPE" explain pod w3.yaml >w3.txt 2>&1
like "$(cat w3.txt)" 'execve\.e2big: env "A B" \(line 4\) is 140004 bytes' "an env name past MAX_ARG_STRLEN: one quoted word"
# runc's exec.LookPath steps named the file found and the directory raw
# (lib/runtime/runc.c): a relative $PATH entry "a b (ok)".
mkdir -p "rf/a b (ok)" && cp /bin/true "rf/a b (ok)/nc"
printf '{"config":{"WorkingDir":"/","Env":["PATH=a b (ok)"],"Entrypoint":["nc"]}}' >rdot.json
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: i}]}\n' >rp.yaml
"$CAPSCOPE" explain pod --rootfs rf --image-config rdot.json rp.yaml >w4.txt 2>&1
like "$(cat w4.txt)" 'runc\.lookpath\.dot: exec\.LookPath finds "/a b \(ok\)/nc" through a relative' "runc's LookPath: the file one quoted word"
# The placeholder of an entrypoint no one named read as a file of that name:
# a pod whose command is "(the image's entrypoint)" gave the same text word
# for word as one with no command. Now the placeholder is as it is, the
# command a quoted word and a cell, and JSON's exec.path null for the first.
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: i}]}\n' >noc.yaml
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: i, command: ["(the image'"'"'s entrypoint)"]}]}\n' >fakec.yaml
"$CAPSCOPE" explain pod noc.yaml >noc.txt 2>&1
"$CAPSCOPE" explain pod fakec.yaml >fakec.txt 2>&1
ok "$(diff -q <(sed 1d noc.txt) <(sed 1d fakec.txt) >/dev/null; echo $((! $?)))" "no command and a command '(the image''s entrypoint)': two texts"
like "$(cat noc.txt)" "Entrypoint: \\(the image's entrypoint\\) \\(assumed plain" "no command: the placeholder as it is"
like "$(cat noc.txt)" "execve\\.file-assumed: nothing is known about \\(the image's entrypoint\\):" "…and so in the step"
like "$(cat fakec.txt)" "execve\\.file-assumed: nothing is known about \"\\(the image's entrypoint\\)\":" "the command of that text: a quoted word"
is "$("$CAPSCOPE" explain pod --json noc.yaml | jq -c '.containers[0].exec.path')" "null" "no command: exec.path null"
is "$("$CAPSCOPE" explain pod --json fakec.yaml | jq -r '.containers[0].exec.path')" "(the image's entrypoint)" "the command: exec.path its text"
done_testing

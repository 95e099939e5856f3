#!/usr/bin/env bash
# A message about the input names the file it is about, truly: `policy`
# said "no pod or pod template in the input" (no file), and `explain pod`
# with several files named the first only, as if the others had not been read.
source "$(dirname "$0")/../lib/tap.sh"
tap_tmpdir
cd "$T" || exit 1

printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n' >cm.yaml
: >empty.yaml
"$CAPSCOPE" policy scc cm.yaml >/dev/null 2>err.txt
is "$?" 2 "policy scc: no pod is an input error"
is "$(cat err.txt)" "capscope policy: no Pod or workload with a pod template in cm.yaml" \
  "policy scc: the message names the file"
"$CAPSCOPE" explain pod cm.yaml >/dev/null 2>err.txt
is "$(cat err.txt)" "capscope explain pod: no Pod or workload with a pod template in cm.yaml" \
  "explain pod, one file: the message names it"
"$CAPSCOPE" explain pod cm.yaml empty.yaml >/dev/null 2>err.txt
is "$?" 2 "explain pod, two files without a pod: an input error"
is "$(cat err.txt)" "capscope explain pod: no Pod or workload with a pod template in any of the 2 files" \
  "explain pod, two files: the message does not name the first as the only one"

# A message's own text holds no backslash: every message is escaped (cs_err),
# so one is printed doubled ("(\\u0000)", "a '\\' that ends a line").
mkdir -p b/rootfs
printf '{"ociVersion":"1.0.2","root":{"path":"rootfs"},"process":{"user":{"uid":0,"gid":0},"args":["/x\\u0000y"],"cwd":"/"}}' >b/config.json
"$CAPSCOPE" explain oci b >/dev/null 2>err.txt
like "$(cat err.txt)" 'args\[0\]: holds a NUL character \(U\+0000\)' "explain oci: a NUL in args named as U+0000"
printf '[crio.runtime]\nlog_dir = """a\\  x\n"""\n' >crio.conf
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: i}]}\n' >pod.yaml
"$CAPSCOPE" explain pod --crio-config crio.conf pod.yaml >/dev/null 2>err.txt
like "$(cat err.txt)" 'crio\.conf:2:[0-9]+: .*a backslash that ends a line must be followed by the newline' \
  "crio.conf: a line-ending backslash named in words, with file, line and column"
ok "$(grep -q '\\\\' err.txt; echo $((! $?)))" "crio.conf: no doubled backslash in the message"
# Twenty-fifth pass, part A: the JSON and YAML readers' own escapes said
# "(\\q)", "\\u wants...", "(\\uD800)", "the escape '\\/'": a text the
# file does not hold.
for v in '\q' '\u12' '\ud800' '\udc00x'; do
  printf '{"ociVersion":"1.0.2","root":{"path":"rootfs"},"process":{"user":{"uid":0,"gid":0},"args":["/x%sy"],"cwd":"/"}}' "$v" >b/config.json
  "$CAPSCOPE" explain oci b >/dev/null 2>err.txt
  is "$?" 2 "explain oci: args with '$v': an input error"
  like "$(cat err.txt)" '^capscope explain oci: b/config\.json:1:[0-9]+: not valid JSON: ' "…at its line and column"
  ok "$(grep -q '\\\\' err.txt; echo $((! $?)))" "…no doubled backslash in the message ($(cat err.txt))"
done
like "$(cat err.txt)" 'surrogate \(U\+DC00, escaped\)' "…the surrogate named as U+DC00"
for v in '\/' '\ud83d\ude00'; do
  printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: "p%s"}\nspec: {containers: [{name: c, image: i}]}\n' "$v" >esc.yaml
  "$CAPSCOPE" lint esc.yaml >/dev/null 2>err.txt
  is "$?" 2 "lint: a name with '$v': an input error"
  like "$(cat err.txt)" '^capscope lint: esc\.yaml:3:[0-9]+: YAML: ' "…at its line and column"
  ok "$(grep -q '\\\\' err.txt; echo $((! $?)))" "…no doubled backslash in the message ($(cat err.txt))"
done
# Twenty-fifth pass, part A: a key given twice is named, as go-yaml names
# it ("key \"metadata\" already set in map"); it was "duplicate key" alone.
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nmetadata: {name: q}\nspec: {containers: [{name: c, image: i}]}\n' >dup.yaml
"$CAPSCOPE" lint dup.yaml >/dev/null 2>err.txt
is "$(cat err.txt)" "capscope lint: dup.yaml:4:1: YAML: duplicate key 'metadata'" "YAML: the key given twice named"
printf '{"ociVersion":"1.0.2","root":{"path":"rootfs"},"process":{"user":{"uid":0,"gid":0},"args":["/x"],"cwd":"/","\\u0061rgs":[]}}' >b/config.json
"$CAPSCOPE" explain oci b >/dev/null 2>err.txt
is "$(cat err.txt)" "capscope explain oci: b/config.json:1:108: not valid JSON: duplicate key 'args'" "JSON: the key given twice named, decoded"
printf '{"no-new-privileges": true, "no-new-privileges": false}' >daemon.json
"$CAPSCOPE" explain pod --runtime docker@20.10 --docker-config daemon.json pod.yaml >/dev/null 2>err.txt
is "$(cat err.txt)" "capscope explain pod: --docker-config: daemon.json:1:29: the key 'no-new-privileges' is given twice: dockerd keeps the last, capscope refuses to guess which was meant" \
  "daemon.json: the key given twice named"
k="x'\\u001b[31m$(printf 'L%.0s' $(seq 100))"
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, annotations: {"%s": a, "%s": b}}\nspec: {containers: [{name: c, image: i}]}\n' "$k" "$k" >dup.yaml
"$CAPSCOPE" lint dup.yaml >/dev/null 2>err.txt
like "$(cat err.txt)" "^capscope lint: dup\\.yaml:3:[0-9]+: YAML: duplicate key 'x''\\\\x1b\\[31mL+\\.\\.\\.'$" \
  "a hostile key: its quote doubled, escaped, cut at 64 bytes"
# TOML: a key or table named whole, with its table (it was the last part
# alone: "table 'runtime' defined twice").
printf '[crio.runtime]\ndefault_capabilities = ["CHOWN"]\n[crio.runtime]\n' >crio.conf
"$CAPSCOPE" explain pod --crio-config crio.conf pod.yaml >/dev/null 2>err.txt
is "$(cat err.txt)" "capscope explain pod: --crio-config: crio.conf:3:1: table 'crio.runtime' defined twice" "crio.conf: a table twice named whole"
printf '[crio.runtime]\ndefault_capabilities = ["CHOWN"]\ndefault_capabilities = ["KILL"]\n' >crio.conf
"$CAPSCOPE" explain pod --crio-config crio.conf pod.yaml >/dev/null 2>err.txt
is "$(cat err.txt)" "capscope explain pod: --crio-config: crio.conf:3:1: key 'crio.runtime.default_capabilities' defined twice" "crio.conf: a key twice named whole"
# Twenty-sixth pass, part B (fuzz-toml): a table's name of 197 to 199 bytes
# overflowed the name's buffer (ASan: stack-buffer-overflow in key_name);
# the plain build named the key with stack bytes after it.
for n in 196 197 198 199 200; do
  printf '[%s]\nb = 1\nb = 2\n' "$(printf 'a%.0s' $(seq 1 $n))" >crio.conf
  "$CAPSCOPE" explain pod --crio-config crio.conf pod.yaml >/dev/null 2>err.txt
  like "$(cat err.txt)" "^capscope explain pod: --crio-config: crio\\.conf:3:1: key '[a.]+\\.\\.\\.' defined twice\$" \
    "crio.conf: a table's name of $n bytes, cut with ... and nothing after"
done
printf 'version = 2\n[plugins."io.containerd.grpc.v1.cri"]\nenable_unprivileged_ports = true\nenable_unprivileged_ports = false\n' >config.toml
"$CAPSCOPE" explain pod --runtime containerd --containerd-config config.toml pod.yaml >/dev/null 2>err.txt
is "$(cat err.txt)" "capscope explain pod: --containerd-config: config.toml:4:1: key 'plugins.\"io.containerd.grpc.v1.cri\".enable_unprivileged_ports' defined twice" \
  "config.toml: a key twice named whole, a part with dots quoted"
# A file past the size capscope reads is capscope's limit, said so: it was
# strerror's "File too large", as if no one could read it (dockerd, CRI-O,
# kubectl and runc read it). Seventeenth pass, part H.
mkdir -p big
head -c $((4 * 1048576 + 1)) /dev/zero | tr '\0' ' ' >daemon.json
cp daemon.json big.conf
head -c $((16 * 1048576 + 1)) /dev/zero | tr '\0' ' ' >big/config.json
cp big/config.json big.yaml
mk() { "$CAPSCOPE" explain "$@" >/dev/null 2>err.txt; echo "$? $(cat err.txt)"; }
is "$(mk pod --runtime docker@20.10 --docker-config daemon.json pod.yaml)" \
  "2 capscope explain pod: --docker-config: daemon.json: cannot read: larger than 4 MiB, the most capscope reads of this file" \
  "daemon.json past 4 MiB: capscope's limit"
is "$(mk pod --crio-config big.conf pod.yaml)" \
  "2 capscope explain pod: --crio-config: big.conf: cannot read: larger than 4 MiB, the most capscope reads of this file" \
  "crio.conf past 4 MiB: capscope's limit"
is "$(mk pod big.yaml)" \
  "2 capscope explain pod: big.yaml: cannot read: larger than 16 MiB, the most capscope reads of this file" \
  "a manifest past 16 MiB: capscope's limit"
is "$(mk oci big)" \
  "2 capscope explain oci: big/config.json: cannot read: larger than 16 MiB, the most capscope reads of this file" \
  "config.json past 16 MiB: capscope's limit"
is "$(mk pod --image-config big/config.json pod.yaml)" \
  "2 capscope explain pod: --image-config: big/config.json: cannot read: larger than 16 MiB, the most capscope reads of this file" \
  "an image config past 16 MiB: capscope's limit"
mkdir -p d/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16
like "$(mk pod --crio-config d pod.yaml)" "nested more than 16 deep \(the most capscope walks; CRI-O walks any depth\)" \
  "crio.conf.d nested past 16: capscope's limit, said so"
rm -rf big big.yaml big.conf daemon.json

# Twenty-sixth pass, part A: `file set` (and rm) of a missing file said two
# lines, its error then "nothing was written"; explain oci's root.path that
# cannot be opened was the one config field said without line and column.
"$CAPSCOPE" file set cap_net_raw+ep missing-file 2>err.txt
is "$?" 2 "file set of a missing file: exit 2"
is "$(cat err.txt)" "capscope file set: missing-file: No such file or directory; nothing was written" \
  "file set of a missing file: one line"
"$CAPSCOPE" file rm missing-file 2>err.txt
is "$(cat err.txt)" "capscope file rm: missing-file: No such file or directory; nothing was written" \
  "file rm of a missing file: one line"
: >here
"$CAPSCOPE" file set cap_net_raw+ep missing-1 here missing-2 2>err.txt
is "$(cat err.txt)" "capscope file set: missing-1: No such file or directory
capscope file set: missing-2: No such file or directory; nothing was written to any of the 3 files" \
  "file set of two missing among three: a line each, the last saying nothing was written"
"$CAPSCOPE" file set cap_net_raw+ep $'m\e[31m\nX' 2>err.txt
is "$(cat err.txt)" 'capscope file set: m\x1b[31m\nX: No such file or directory; nothing was written' \
  "file set: a hostile missing name escaped, one line"
mkdir -p rb
ln -sfn nowhere rb/dangling
for rp in nope dangling /etc/passwd; do
  printf '{"ociVersion":"1.0.2",\n  "root": {"path": "%s"},\n  "process":{"user":{"uid":0,"gid":0},"args":["/x"],"cwd":"/"}}' "$rp" >rb/config.json
  for j in "" --json; do
    "$CAPSCOPE" explain oci $j rb >/dev/null 2>err.txt
    like "$(cat err.txt)" "^capscope explain oci: rb/config\.json:2:20: root\.path: [^ ]*$rp: (No such file or directory|Not a directory)\$" \
      "explain oci $j: root.path '$rp' that cannot be opened: file, line, column"
  done
done
# The same pass: --rootfs that does not exist was "not a directory" in
# explain pod, and lint took it and read the pod as if none was given
# (exit 0); a file said "pod.yaml: /etc/passwd/etc/passwd: Not a directory".
for cmd in "explain pod" lint; do
  # shellcheck disable=SC2086
  "$CAPSCOPE" $cmd --rootfs no-such-dir pod.yaml >/dev/null 2>err.txt
  is "$?:$(head -1 err.txt)" "2:capscope $cmd: --rootfs no-such-dir: No such file or directory" \
    "$cmd --rootfs of a missing directory: a usage error, its reason"
  # shellcheck disable=SC2086
  "$CAPSCOPE" $cmd --rootfs pod.yaml pod.yaml >/dev/null 2>err.txt
  is "$?:$(head -1 err.txt)" "2:capscope $cmd: --rootfs pod.yaml: Not a directory" \
    "$cmd --rootfs of a file: a usage error, its reason"
done
done_testing

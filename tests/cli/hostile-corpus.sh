#!/usr/bin/env bash
# asan-too
# Issue #13, class 1, through every output mode at once: the one corpus of
# hostile names (tests/lib/hostile-names.py: CSI, OSC, C1 as a byte and as
# UTF-8, CR, a forged row, bidi overrides and isolates, zero-width and tag
# characters, overlong and surrogate forms, bytes never UTF-8) planted where
# a less-privileged party controls text: process comms and argv (ps), file
# names (scan of a tree), tar entries and an image's config (scan, explain
# pod and lint of an image), a manifest's names (policy, lint). The text
# must hold none of them raw; --json must be JSON. And names that look like
# the words after them stay one name (the item and word rules, escape.h).
source "$(dirname "$0")/../lib/tap.sh"
command -v python3 >/dev/null || skip_all "needs python3"
corpus=$(cd "$(dirname "$0")/../lib" && pwd)/hostile-names.py
tap_tmpdir
cd "$T" || exit 1

clean() { # FILE... DESCRIPTION
  local d=${*: -1} out
  out=$(python3 "$corpus" check "${@:1:$#-1}")
  is "$?" 0 "$d: no hostile character raw"
  [ -z "$out" ] || sed 's/^/#   /' <<<"$out"
}
json_ok() { python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$1"; }

printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: i}]}\n' >pod.yaml

# Processes: the comm by prctl, argv[0] and a word of every name.
pids=$(python3 "$corpus" procs)
# shellcheck disable=SC2086
trap 'kill $pids 2>/dev/null; rm -rf "$T"' EXIT
# shellcheck disable=SC2086
"$CAPSCOPE" ps $pids >ps.txt 2>&1
is "$?" 0 "ps: every hostile process read"
clean ps.txt "ps"
# shellcheck disable=SC2086
"$CAPSCOPE" ps -v $pids >psv.txt 2>&1
clean psv.txt "ps -v"
# shellcheck disable=SC2086
"$CAPSCOPE" ps --json $pids >ps.json 2>&1
json_ok ps.json; ok $? "ps --json: JSON"
# shellcheck disable=SC2086
kill $pids 2>/dev/null

# A tree of set-uid and set-gid files of every name.
mkdir tree
python3 "$corpus" tree tree
"$CAPSCOPE" scan tree >scan.txt 2>&1
is "$?" 0 "scan of a tree: read"
is "$(grep -c 'setuid\|setgid' scan.txt)" 56 "scan of a tree: one row a file"
clean scan.txt "scan of a tree"
"$CAPSCOPE" scan --html page.html tree >/dev/null 2>&1
clean page.html "scan --html of a tree"
for m in json sarif; do
  "$CAPSCOPE" scan --$m tree >scan.$m 2>&1
  json_ok scan.$m; ok $? "scan --$m of a tree: JSON"
done
# Nineteenth pass: a SARIF message is read in a viewer, which shows its
# text as the terminal does: the path was raw in it ("x\ncritical ...").
clean_sarif() { # FILE DESCRIPTION
  local out
  out=$(python3 "$corpus" check-sarif "$1")
  is "$?" 0 "$2: no hostile character raw in a message"
  [ -z "$out" ] || sed 's/^/#   /' <<<"$out"
}
clean_sarif scan.sarif "scan --sarif of a tree"

# An image: entries of every name; User, Env, Cmd and Labels of them all.
python3 "$corpus" image img.tar
for cmd in "scan img.tar" "scan --diff img.tar img.tar" "explain pod --image img.tar pod.yaml" \
  "explain pod --openshift --image img.tar pod.yaml" "lint --image img.tar pod.yaml"; do
  # shellcheck disable=SC2086
  "$CAPSCOPE" $cmd >out.txt 2>&1
  like "$?" '^[01]$' "$cmd: read"
  clean out.txt "$cmd"
done
"$CAPSCOPE" scan img.tar >out.txt 2>&1
like "$(grep '^img.tar:' out.txt)" "user 'app''\\\\x1b\\[31mred" "scan: the image's user quoted, its quote doubled"
"$CAPSCOPE" explain pod --html page.html --image img.tar pod.yaml >/dev/null 2>&1
clean page.html "explain pod --html of the image"

for cmd in "scan --sarif img.tar" "lint --sarif --image img.tar pod.yaml"; do
  # shellcheck disable=SC2086
  "$CAPSCOPE" $cmd >out.sarif 2>/dev/null
  clean_sarif out.sarif "$cmd"
done

# Nineteenth pass: a Pod a name of the corpus (the UTF-8 ones), each its
# namespace, annotation, service account, container, image, command and
# (every other one) an added capability: every command that reads
# manifests, in every output a person reads.
python3 "$corpus" manifest many.yaml
for cmd in "explain pod many.yaml" "explain pod --openshift many.yaml" "lint many.yaml" \
  "policy scc many.yaml" "policy check --caps NET_RAW many.yaml"; do
  # shellcheck disable=SC2086
  "$CAPSCOPE" $cmd >out.txt 2>&1
  like "$?" '^[01]$' "$cmd: read"
  clean out.txt "$cmd"
done
# The admission policies are made to allow the pods they are made from: an
# added name that is no capability is refused (twenty-fifth pass, part A:
# it was left out with nothing said), in one clean line. Their YAML with
# the corpus's names: hostile-names.py yaml-out.
for cmd in "policy vap --name n many.yaml" "policy kyverno --name n many.yaml" \
  "policy gatekeeper --name n many.yaml"; do
  # shellcheck disable=SC2086
  "$CAPSCOPE" $cmd >out.txt 2>&1
  is "$?:$(wc -l <out.txt | tr -d ' ')" "2:1" "$cmd: refused in one line (an added name that is no capability)"
  like "$(cat out.txt)" 'many\.yaml:[0-9]+:[0-9]+: capabilities\.add\[[0-9]+\]: container .* which is no capability name$' "$cmd: at the file, line and column"
  clean out.txt "$cmd"
done
"$CAPSCOPE" explain pod --html page.html many.yaml >/dev/null 2>&1
clean page.html "explain pod --html of the manifest"
"$CAPSCOPE" lint --sarif many.yaml >out.sarif 2>/dev/null
clean_sarif out.sarif "lint --sarif of the manifest"
like "$(grep -c '^Pod web\\u200d/' <("$CAPSCOPE" policy scc many.yaml 2>&1))" '^[1-9]' \
  "policy scc: a joiner beside ASCII shown escaped in the title"

# Twentieth pass: the YAML policy writes (custom-scc names the containers
# in a comment; vap, kyverno, gatekeeper) of containers of every name,
# NEL, U+2028/U+2029 and "k: v # c\n...\n---" among them: it parses, is
# ASCII and has a plain pod's keys and documents.
if python3 -c 'import yaml' 2>/dev/null; then
  out=$(python3 "$corpus" yaml-out "$CAPSCOPE" 2>&1)
  is "$?" 0 "policy's YAML of hostile container names: no key, comment or document of theirs"
  [ -z "$out" ] || sed 's/^/#   /' <<<"$out" | head -20
else
  skip "python3-yaml missing"
fi

# Nineteenth pass: the error paths of every command, each name as a file
# (missing, malformed, a bundle), a field, a value and an argument: every
# message one line, nothing raw.
out=$(python3 "$corpus" messages "$CAPSCOPE")
is "$?" 0 "every error path: one line, escaped"
[ -z "$out" ] || sed 's/^/#   /' <<<"$out" | head -20

# A manifest's names that look like the words after them (eighteenth pass):
# policy's title wrote namespace and name as they are ("Pod a/b/web
# (prod.yaml) (FILE)": another namespace, name and file), policy check's
# reasons the container's name raw in the sentence, lint's object column a
# name's ":" (KIND/NAME:CONTAINER: pod "web:x" read as pod web, container x:c).
cat >look.yaml <<'Y'
apiVersion: v1
kind: Pod
metadata: {name: "web:x (prod.yaml)", namespace: "a/b"}
spec:
  containers:
  - name: "c is privileged: it holds every capability"
    image: i
    securityContext: {capabilities: {add: ["X\e[31m"]}}
Y
"$CAPSCOPE" policy scc look.yaml >out.txt 2>&1
like "$(head -1 out.txt)" '^Pod a\\x2fb/web:x\\x20\(prod\.yaml\) \(look\.yaml\)$' \
  "policy scc: the namespace's / and the name's spaces are marks"
"$CAPSCOPE" policy check --caps NET_RAW look.yaml >out.txt 2>&1
is "$?" 1 "policy check: denied"
like "$(head -1 out.txt)" '^deny  Pod a\\x2fb/web:x\\x20\(prod\.yaml\) \(look\.yaml\)$' \
  "policy check: the same title"
like "$(sed -n 2p out.txt)" '^  container "c is privileged: it holds every capability" does not drop ALL: ' \
  "policy check: the container's name is one word of the reason"
clean out.txt "policy check"
cp look.yaml look-ns.yaml # custom-scc refuses the namespace "a/b" first
sed -i 's/^metadata: .*/metadata: {name: web, namespace: ns}/' look-ns.yaml
"$CAPSCOPE" policy custom-scc --name n look-ns.yaml >out.txt 2>&1
is "$?" 2 "policy custom-scc: refused"
like "$(cat out.txt)" 'container "c is privileged: it holds every capability" adds "X\\x1b\[31m", which is no capability name' \
  "policy custom-scc: the container's name is one word of the refusal"
"$CAPSCOPE" lint look.yaml >out.txt 2>&1
like "$(head -1 out.txt)" ' Pod/web\\x3ax\\x20\(prod\.yaml\):c\\x20is' "lint: the name's : is a mark in KIND/NAME:CONTAINER"
clean out.txt "lint"
# explain oci: process.args[0] is free text, and the execve steps named it
# as it is ("/bin/x cannot be executed: ENOENT ... ; /bin/sh cannot be
# executed: ..." imitated its own reason): now one word of the sentence.
mkdir -p bundle/rootfs
printf '{"ociVersion":"1.0.2","root":{"path":"rootfs"},"process":{"user":{"uid":0,"gid":0},"cwd":"/","args":["/bin/x cannot be executed: EPERM; \\u001b[31m/bin/y"]}}' >bundle/config.json
"$CAPSCOPE" explain oci bundle >out.txt 2>&1
like "$(grep 'execve.resolve: ' out.txt | head -1)" 'execve\.resolve: "/bin/x cannot be executed: EPERM; \\x1b\[31m/bin/y" cannot be executed: ENOENT' \
  "explain oci: the entrypoint is one word of the execve step"
clean out.txt "explain oci"
# Twentieth pass: the verdicts and the remedies' notes named the file in
# their prose as it is (escaped only), so a command read as the sentence's
# own words: "uid 1000 is not root, /bin/app gets nothing: it is safe.
# Every execution of /bin/other has no file capabilities ...", "Security:
# Every execution of /bin/app gets nothing: ...". Now one word of each.
cat >words.yaml <<'Y'
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  securityContext: {runAsUser: 1000}
  containers:
  - name: c
    image: i
    command: ["/bin/app gets nothing: it is safe. Every execution of /bin/other"]
    securityContext:
      capabilities: {add: [NET_BIND_SERVICE], drop: [ALL]}
Y
"$CAPSCOPE" explain pod words.yaml >out.txt 2>&1
w='"/bin/app gets nothing: it is safe\. Every execution of /bin/other"'
like "$(grep 'NET_BIND_SERVICE  *not effective' out.txt)" "uid 1000 is not root, $w has no file capabilities" \
  "explain pod: the verdict names the file as one word"
like "$(grep -c "Security: Every execution of $w, by any user" out.txt)" '^1$' \
  "explain pod: the file capabilities remedy's note names it as one word"
like "$(grep -c "Security: $w runs as root" out.txt)" '^1$' "explain pod: the set-uid remedy's note too"
mkdir -p wbundle/rootfs
printf '{"ociVersion":"1.0.2","root":{"path":"rootfs"},"process":{"user":{"uid":1000,"gid":0},"cwd":"/","args":["/bin/app gets nothing: it is safe. Every execution of /bin/other"],"capabilities":{"bounding":["CAP_NET_BIND_SERVICE"],"permitted":["CAP_NET_BIND_SERVICE"],"effective":["CAP_NET_BIND_SERVICE"]}}}' >wbundle/config.json
# Twentieth pass: the HTML page's cell titles (step, verdict) were cut by
# snprintf at 699 bytes, so a long entrypoint's "é" lost its second byte:
# the title showed "\xc3", a byte the name does not hold, and no mark.
python3 -c 'import sys; sys.stdout.write(open("words.yaml").read().replace(
  "/bin/app gets nothing: it is safe. Every execution of /bin/other", "/a" + "\u00e9" * 400))' >long.yaml
"$CAPSCOPE" explain pod --html long.html long.yaml >/dev/null 2>&1
is "$(grep -c 'title="[^"]*\\xc3' long.html)" 0 "explain pod --html: a long title cut on a character, not in one"
like "$(grep -o 'title="[^"]*"' long.html | grep -c '\.\.\.')" '^[1-9]' "…and said to be cut"
# Twentieth pass: an image USER name was cut to 127 bytes before it was
# looked up and quoted: "a" x 127 then "b" was found as the passwd's user
# "a" x 127 (uid 0; CRI-O finds no such user and refuses the container),
# and messages quoted the head as if it were the name.
mkdir -p ru/rootfs/etc ru/rootfs/bin
A=$(printf 'a%.0s' $(seq 127))
printf 'root:x:0:0::/root:/bin/sh\n%s:x:0:0::/:/bin/sh\n' "$A" >ru/rootfs/etc/passwd
printf '\177ELF' >ru/rootfs/bin/app && chmod 755 ru/rootfs/bin/app
printf '{"config":{"User":"%sb","Entrypoint":["/bin/app"]}}' "$A" >ru/image.json
"$CAPSCOPE" explain pod --rootfs ru/rootfs --image-config ru/image.json pod.yaml >out.txt 2>&1
like "$(grep 'NOT CREATED' out.txt)" "image USER '${A}b' is a name and the image's /etc/passwd does not list it" \
  "explain pod: a 128-byte image USER is looked up and quoted whole, not by its first 127 bytes"
d="wbundle/rootfs/bin/app gets nothing: it is safe. Every execution of /bin"
mkdir -p "$d" && printf '\177ELF' >"$d/other" && chmod 755 "$d/other"
"$CAPSCOPE" explain oci wbundle >out.txt 2>&1
like "$(grep 'CAP_NET_BIND_SERVICE  *not effective' out.txt)" "uid 1000 is not root, $w has no file capabilities" \
  "explain oci: the verdict names the file as one word"

# Twentieth pass, part J: what the corpus had not reached. Every option
# with a value of every command (read from its --help), each value a
# hostile one, echoed in the refusal: one line, nothing raw.
out=$(python3 "$corpus" options "$CAPSCOPE")
is "$?" 0 "every option's value in its refusal: one line, escaped"
[ -z "$out" ] || sed 's/^/#   /' <<<"$out" | head -20
# scan --diff rows (the image above against itself has none): a tree of
# every name against an empty one, text and JSON.
mkdir empty
"$CAPSCOPE" scan --diff empty tree >out.txt 2>&1
is "$?" 1 "scan --diff of the tree: a difference"
is "$(grep -c 'setuid\|setgid' out.txt)" 56 "scan --diff: one row a file"
clean out.txt "scan --diff of the tree"
"$CAPSCOPE" scan --json --diff empty tree >out.json 2>&1
json_ok out.json; ok $? "scan --json --diff of the tree: JSON"
# file get of every name: getcap's lines, -v's "(Not a regular file)".
"$CAPSCOPE" file get -v tree/* >out.txt 2>&1
is "$(grep -c . out.txt)" 56 "file get -v: one line a name"
clean out.txt "file get -v"
"$CAPSCOPE" file get --json -v tree/* >out.json 2>&1
json_ok out.json; ok $? "file get --json: JSON"
# trace: a traced child takes each name as its comm by prctl, then makes a
# check; the COMMANDS column, -v, --events and the JSON (needs eBPF).
if "$CAPSCOPE" trace -- true >/dev/null 2>&1; then
  for n in 0 5 6 7 15 24; do # CSI, CR, a forged row, U+202E, not UTF-8, NEL (the index)
    "$CAPSCOPE" trace -v --events -- python3 "$corpus" trace-comm $n >out.txt 2>&1
    is "$?" 0 "trace of comm $n: read"
    clean out.txt "trace -v --events of comm $n"
    [ "$n" = 0 ] && like "$(grep '^CAP_SETUID ' out.txt)" ' \\x1b\[31mred\\x1b\[0m ' \
      "trace: the comm is in the COMMANDS column, escaped"
    "$CAPSCOPE" trace --json -- python3 "$corpus" trace-comm $n >out.json 2>/dev/null
    json_ok out.json; ok $? "trace --json of comm $n: JSON"
  done
else
  skip "trace needs eBPF here"
fi
done_testing

#!/usr/bin/env bash
# A step's sentence is at most 320 bytes (struct cs_step's detail). Names in
# it are words of at most 160 bytes each (lib/word.c), and a sentence with
# two or three long ones was cut again in its middle, where the names and
# what lies between them are: runc.lookpath of two 150-byte $PATH entries
# said "cannot stat /aaa...'s: /bbb/nc", the uid and the directory lost
# (twenty-sixth pass, part A). The words now share what the sentence leaves
# (cs_step_word_room): each cut in its middle, the sentence whole.
# (runc.sysctl-order and runc.sysctl-refused: cli/sysctl-port-spelling.)
source "$(dirname "$0")/../lib/tap.sh"
command -v jq >/dev/null || skip_all "jq not installed"
tap_tmpdir
a=$(printf 'a%.0s' $(seq 1 150)) b=$(printf 'b%.0s' $(seq 1 150))
mkdir -p "$T/lb/rootfs/$a/x" "$T/lb/rootfs/$b"
cp /bin/true "$T/lb/rootfs/$a/x/nc" && cp /bin/true "$T/lb/rootfs/$b/nc"
chmod 700 "$T/lb/rootfs/$a/x"
printf '{"ociVersion":"1.0.2","root":{"path":"rootfs"},"process":{"user":{"uid":4242,"gid":4242},"args":["nc"],"env":["PATH=/%s/x:/%s"],"cwd":"/"}}' \
  "$a" "$b" >"$T/lb/config.json"
step() { "$CAPSCOPE" explain oci --json "$T/lb" | jq -r '.steps[] | select(.rule == "runc.lookpath") | .detail'; }
like "$(step)" "^exec\\.LookPath cannot stat /a+\\.\\.\\.a+/x/nc as uid 4242 \\(directory /a+\\.\\.\\.a+/x is not searchable\\) and takes the next \\\$PATH entry's: /b+\\.\\.\\.b+/nc\$" \
  "runc.lookpath, three long paths: the sentence whole, each path cut once"
rm "$T/lb/rootfs/$b/nc"
like "$(step)" "^exec\\.LookPath can stat none of the \\\$PATH candidates as uid 4242 \\(/a+\\.\\.\\.a+/x/nc: directory /a+\\.\\.\\.a+/x is not searchable\\): executable file not found in \\\$PATH\$" \
  "runc.lookpath, none reachable: the sentence whole"
"$CAPSCOPE" explain oci "$T/lb" | grep -q 'runc\.lookpath: exec\.LookPath can stat none .*executable file not found in \$PATH$'
ok $? "the text's step line too"
done_testing

#!/usr/bin/env bash
# asan-too
# A malformed input gives exactly one line on stderr, naming the file (and
# the line when known) — never libfyaml's own multi-line report with source
# bytes and heap addresses before it.
source "$(dirname "$0")/../lib/tap.sh"
command -v tar >/dev/null || skip_all "tar is not installed"
tap_tmpdir
cd "$T" || exit 1

one_line() { # description, regex, command...
  local what=$1 re=$2; shift 2
  "$@" >/dev/null 2>err
  local rc=$?
  ok $((rc == 0)) "$what: fails"
  is "$(wc -l <err)" 1 "$what: one line on stderr"
  like "$(cat err)" "$re" "$what: names the file and the line"
  ! grep -q -e '<memory-@' -e '\^' err; ok $? "$what: nothing of libfyaml's own report"
}

mkdir -p b/rootfs
printf '{"root":{"path":"rootfs"},\n"process":{"args":["x" "y"]}}\n' >b/config.json
one_line "config.json" '^capscope explain oci: b/config\.json:2:[0-9]+: not valid JSON' \
  "$CAPSCOPE" explain oci b

printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: x\nspec: [\n' >bad.yaml
one_line "manifest" '^capscope explain pod: bad\.yaml:[0-9]+:[0-9]+: YAML' "$CAPSCOPE" explain pod bad.yaml

# One-line JSON: the manifest reader puts "--- " before a document that opens
# with '{' (docs/explain-pod.md, memory); columns on line 1 must still be the
# user's (these are what the reader gave before that change).
printf '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"},"spec":{"containers":[{"name":"c","image":"i","securityContext":{"runAsUser":"abc"}}]}}\n' >one.json
one_line "one-line JSON, bad value" '^capscope explain pod: one\.json:1:135: spec\.containers\[0\]\.securityContext\.runAsUser: expected an integer$' \
  "$CAPSCOPE" explain pod one.json
printf '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"},"spec":{"containers":[{"name":"c","image":"i",]}}\n' >syn.json
one_line "one-line JSON, syntax" '^capscope explain pod: syn\.json:1:104: YAML: mismatched flow sequence end$' \
  "$CAPSCOPE" explain pod syn.json

mkdir img && printf 'hello' >img/f && tar -C img -cf img/l0.tar f &&
  printf '{"config": {"User": "x"' >img/cfg.json &&
  printf '[{"Config":"cfg.json","RepoTags":["x:1"],"Layers":["l0.tar"]}]' >img/manifest.json &&
  tar -C img -cf img.tar manifest.json cfg.json l0.tar
one_line "image config" '^capscope scan: img\.tar: [0-9]+:[0-9]+: config: not valid JSON' \
  "$CAPSCOPE" scan img.tar
done_testing

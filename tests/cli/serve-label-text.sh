#!/usr/bin/env bash
# Issue #13, class 1, twentieth pass: a Prometheus label value is the
# terminal's text of the value (escape.h), and that text is one to one.
# Before, a value's own backslash was only the format's ("\\"), so a
# container named with the six characters \u200d and one named "web" U+200D
# (whose joiner the rule shows as \u200d) had one label text, as did the
# four characters \x1b and ESC: two containers that read as one in every
# page and query. Two bundles of each pair (CRI-O's userdata, a pid file of
# a process started before it), then /metrics.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/serve-lib.sh"
for t in curl jq; do
  command -v $t >/dev/null || skip_all "$t is not installed (scripts/install-deps.sh)"
done
tap_tmpdir
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$T"' EXIT

bundle() { # ID CONTAINER-NAME (a jq string literal's body)
  local u=$T/ud/$1/userdata
  mkdir -p "$u"
  jq -n "{ociVersion: \"1.0.2\", root: {path: \"rootfs\"},
    process: {user: {uid: 0, gid: 0}, args: [\"/bin/sleep\", \"600\"], cwd: \"/\"},
    annotations: {\"io.kubernetes.pod.namespace\": \"ns\", \"io.kubernetes.pod.name\": \"p\",
      \"io.kubernetes.container.name\": \"$2\", \"io.kubernetes.cri-o.ContainerType\": \"container\"}}" \
    >"$u/config.json"
  sleep 600 &
  echo $! >"$T/pid.$1"
}
ids=()
i=0
for name in 'web\u200d' 'web\\u200d' 'x\u001b' 'x\\x1b' 'a\\b' 'a\\\\b'; do
  id=$(printf '%012x%052x' $((i + 1)) 0)
  ids+=("$id")
  bundle "$id" "$name"
  i=$((i + 1))
done
sleep 1.2
for id in "${ids[@]}"; do cp "$T/pid.$id" "$T/ud/$id/userdata/pidfile"; done

serve_start A --webhook off --bundle-root "userdata:$T/ud"
curl -s "http://127.0.0.1:$A_PORT/metrics" >"$T/m.txt"
serve_stop A
label() { # ID: the container label of its info series, as the exposition writes it
  grep "^capscope_container_info{.*id=\"${1:0:12}\"" "$T/m.txt" | sed 's/.*container="\(\([^"\\]\|\\.\)*\)".*/\1/'
}
for k in 0 2 4; do
  a=$(label "${ids[$k]}") b=$(label "${ids[$((k + 1))]}")
  ok "$([ -n "$a" ] && [ -n "$b" ] && [ "$a" != "$b" ]; echo $?)" \
    "two names, one label text no more: '$a' and '$b'"
done
is "$(label "${ids[0]}")" 'web\\u200d' "the joiner beside ASCII: its escape, the backslash doubled by the format"
is "$(label "${ids[1]}")" 'web\\\\u200d' "the six characters: the value's backslash doubled first"
is "$(label "${ids[2]}")" 'x\\x1b' "ESC: its escape"
is "$(label "${ids[3]}")" 'x\\\\x1b' "the four characters"
done_testing

#!/usr/bin/env bash
# A double-quoted scalar on one line is read from the text itself
# (lib/k8s/ydoc.c double_quoted_line, its escapes decoded by
# ydoc-scalar.c ydoc_dq_line), not through libfyaml 0.7.12's chunk
# iterator, which holds some 35 bytes for each escape: a 4 MB line of \"
# took lint 78 MB while it was read, 19 times the input (twenty-sixth
# pass, left open; twenty-seventh, part C). Now about what a 4 MB line
# without escapes takes, for every escape kind. The text read is YAML's
# (Python's yaml the oracle, when it is there). Counted as bytes (GNU
# time's maximum RSS), never timed; not under a sanitizer.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/rss.sh"
rss_needs python3
tap_tmpdir
cd "$T" || exit 1
python3 - <<'PY'
# An env value: annotations are held to the API server's 256 KiB since the
# twenty-eighth pass (part H), an env value to no bound of its own.
hdr = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n"
       "  - name: c\n    image: i\n    env:\n    - name: A\n      value: ")
tail = "\n"
n = 2000000
for name, esc in (("q", '\\"'), ("b", "\\\\"), ("x", "\\x41"), ("u", "\\u00e9"),
                  ("U", "\\U0001F600"), ("L", "\\L"), ("t", "\\t")):
    open(name + ".yaml", "w").write(hdr + '"' + esc * (n // len(esc)) + '"' + tail)
open("plain.yaml", "w").write(hdr + '"' + "x" * n + '"' + tail)
PY
rss() { /usr/bin/time -f '%M' -o rss "$CAPSCOPE" "$@" >out 2>err; tail -n 1 rss; }
plain=$(rss lint plain.yaml)
for k in q b x u U L t; do
  got=$(rss lint $k.yaml)
  grep -q 'finding' out
  ok $? "lint reads the 2 MB line of one escape ($k)"
  [ "$got" -le $((2 * plain)) ]
  ok $? "a 2 MB line of one escape ($k): $got KB, at most twice a line without escapes ($plain KB; 4 MB of \\\" took 78 MB before)"
done
got=$(rss explain pod --json q.yaml)
[ "$got" -le $((2 * plain + 8192)) ]
ok $? "explain pod --json: $got KB"

# the text read, against YAML: each escape alone, in runs, around UTF-8
pod() { printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: i\n    command: [%s]\n' "$1" >p.yaml; }
path() { "$CAPSCOPE" explain pod --json p.yaml | python3 -c 'import json, sys; print(json.load(sys.stdin)["containers"][0]["exec"]["path"])'; }
for v in '"/a\"b"' '"/\\\\\"\\"' '"/\x41\x7e"' '"/\u00e9\U0001F600"' '"/é\_ü"' '"/\N\L\P"' \
  '"/ a\ b\	c "' '"/\t\n\r\e\a\b\v\f"' '"/p"' '"/\"\"\"\"q"' '"/\xe9\u2028"'; do
  pod "$v"
  if python3 -c 'import yaml' 2>/dev/null; then
    want=$(python3 -c 'import sys, yaml; print(yaml.safe_load(sys.argv[1]))' "$v")
    is "$(path)" "$want" "$v reads as YAML says"
  else
    skip "no Python yaml to say what $v is"
  fi
done
done_testing

#!/usr/bin/env bash
# A single-quoted scalar on one line is read from the text itself
# (lib/k8s/ydoc.c single_quoted_line), not through libfyaml 0.7.12's chunk
# iterator, which holds some 64 bytes for each '' escape: a 4 MB line of
# '' took lint 140 MB while it was read (twenty-fifth pass, left open);
# now about what a 4 MB line without escapes takes. The text read is what
# YAML says (Python's yaml the oracle, when it is there). Counted as bytes
# (GNU time's maximum RSS), never timed; not under a sanitizer.
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
open("q.yaml", "w").write(hdr + "''" * 2000000 + tail)
open("x.yaml", "w").write(hdr + "'" + "x" * 3999998 + "'" + tail)
PY
rss() { /usr/bin/time -f '%M' -o rss "$CAPSCOPE" "$@" >out 2>err; tail -n 1 rss; }
plain=$(rss lint x.yaml)
quotes=$(rss lint q.yaml)
grep -q 'finding' out
ok $? "lint reads the line of escapes"
[ "$quotes" -le $((2 * plain)) ]
ok $? "a 4 MB line of '': $quotes KB, at most twice a 4 MB line without escapes ($plain KB; 140 MB before)"
quotes=$(rss explain pod --json q.yaml)
[ "$quotes" -le $((2 * plain + 8192)) ]
ok $? "explain pod --json: $quotes KB"

# the text read, against YAML: one line, escapes alone, in runs, around UTF-8
pod() { printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: i\n    command: [%s]\n' "$1" >p.yaml; }
entry() { "$CAPSCOPE" explain pod p.yaml 2>&1 | sed -n 's/^  Entrypoint: \(.*\) (assumed plain.*/\1/p'; }
for v in "'/bin/a''b'" "'/x''''y'" "'/é''ü'" "'/p'" "'/''''''''q'"; do
  pod "$v"
  if python3 -c 'import yaml' 2>/dev/null; then
    want=$(python3 -c 'import sys, yaml; print(yaml.safe_load(sys.argv[1]))' "$v")
  else
    want=$(printf '%s' "${v:1:${#v}-2}" | sed "s/''/'/g")
  fi
  is "$(entry)" "$want" "$v reads as $want"
done
done_testing

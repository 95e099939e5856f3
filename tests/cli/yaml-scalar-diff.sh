#!/usr/bin/env bash
# Single-quoted scalars as keys, values, flow items, anchors' nodes and
# aliases' targets, with CR, CR LF, NEL, U+2028, '' runs and tabs, against
# Python's yaml: 400 seeded texts, each read as Python's yaml reads it or
# refused (twenty-seventh pass, part D). See yaml-scalar-diff.py.
source "$(dirname "$0")/../lib/tap.sh"
command -v python3 >/dev/null || skip_all "python3 is not installed"
python3 -c 'import yaml' 2>/dev/null || skip_all "python3-yaml is not installed"
exec python3 "$(dirname "$0")/yaml-scalar-diff.py" "$CAPSCOPE_BUILD/tests/helpers/yaml-dump" --seed 20261203 --count 400

#!/usr/bin/env bash
# Quoted YAML scalars against Python's yaml: 200 seeded pods whose name is
# a single- or double-quoted scalar of escapes, '' runs and folds; capscope
# reads each as Python's yaml does or refuses it at file:4:column. See
# yaml-quoted-diff.py and cli/yaml-quoted.
source "$(dirname "$0")/../lib/tap.sh"
command -v python3 >/dev/null || skip_all "python3 is not installed"
python3 -c 'import yaml' 2>/dev/null || skip_all "python3-yaml is not installed"
exec python3 "$(dirname "$0")/yaml-quoted-diff.py" "$CAPSCOPE" --seed 20261203 --count 200

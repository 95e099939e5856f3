#!/usr/bin/env bash
# asan-too
# capscope's reading of crio.conf and crio.conf.d against CRI-O's rules
# (criocli mergeConfigFiles, UpdateFromDropInFile, UpdateFromPath's
# filepath.Walk; CRI-O is not packaged here, so the rules are written out in
# crio-dropin-diff.py from its source) on hand-written and seeded layouts:
# file names of every kind, dot files, subdirectories, links to files, to
# directories and dangling, empty and non-TOML drop-ins, lists replaced by
# later files. See crio-dropin-diff.py.
source "$(dirname "$0")/../lib/tap.sh"
command -v python3 >/dev/null || skip_all "python3 is not installed"
exec python3 "$(dirname "$0")/crio-dropin-diff.py" "$CAPSCOPE" --seed 20261203 --count 250

#!/usr/bin/env bash
# asan-too
# capscope's TOML reader against Python's tomllib on a few hundred documents
# (hand-written crio.conf cases, the fuzz corpus, a seeded generator): both
# refuse, or both build the same tree. See toml-diff.py.
source "$(dirname "$0")/../lib/tap.sh"
command -v python3 >/dev/null || skip_all "python3 is not installed"
DUMP=$(dirname "$CAPSCOPE")/tests/helpers/toml-dump
[ -x "$DUMP" ] || skip_all "tests/helpers/toml-dump was not built"
exec python3 "$(dirname "$0")/toml-diff.py" "$DUMP" --seed 20261129 --count 600

#!/usr/bin/env bash
# Real containerd as the oracle for capscope's config.toml reader
# (twenty-first pass, part D; issue #13 class 4): a seeded generator of
# config.toml variants (key spellings, quoting and escapes, dotted keys,
# inline tables, duplicates, wrong types, imports, disabled plugins, odd
# handler names, local dates, CRLF, a byte order mark) and, for each,
# `containerd --config F config dump` (what containerd parsed, merged with
# its defaults and imports, or its refusal) against `capscope explain pod
# --json --containerd-config F`. Where containerd refuses, capscope must
# refuse; where it reads a value, capscope must read the same (default
# handler, its base_runtime_spec, enable_unprivileged_ports, and no other
# runtime than runc) or refuse in one line with file:line:column. No daemon
# is started: `config dump` only reads.
source "$(dirname "$0")/../lib/tap.sh"
command -v containerd >/dev/null || skip_all "containerd is not installed"
containerd --version | grep -q ' 1\.6\.' || skip_all "the expectations are containerd 1.6's ($(containerd --version))"
python3 -c 'import tomllib' 2>/dev/null || skip_all "python3 has no tomllib (3.11 or later)"
tap_tmpdir
exec python3 "$CAPSCOPE_TOP/tests/truth/runtime-lib/ctrd-config-diff.py" --capscope "$CAPSCOPE" \
  --pod "$CAPSCOPE_TOP/examples/pod/nonroot-netbind.yaml" --tmp "$T" \
  --cases "${CAPSCOPE_DIFF_CASES:-120}" --seed "${CAPSCOPE_DIFF_SEED:-21}"

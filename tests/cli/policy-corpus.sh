#!/usr/bin/env bash
# The generated admission policies (VAP/CEL, Kyverno, Gatekeeper/Rego) decide
# as the model does on a seeded corpus of 240 manifests; see
# tests/policy/corpus.py for the reasoning. Needs python3-yaml, python3-jmespath.
command -v python3 >/dev/null || { echo "1..0 # SKIP python3 is not installed"; exit 77; }
CAPSCOPE_TOP=${CAPSCOPE_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
export CAPSCOPE=${CAPSCOPE:-$CAPSCOPE_TOP/build/capscope}
exec python3 "$CAPSCOPE_TOP/tests/policy/corpus.py"

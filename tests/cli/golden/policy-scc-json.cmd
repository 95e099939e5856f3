policy scc --json --profile "$CAPSCOPE_TOP/tests/data/policy/trace-ping.json"

policy scc --profile "$CAPSCOPE_TOP/tests/data/policy/trace-ping.json"

policy scc --profile "$CAPSCOPE_TOP/tests/data/policy/trace-netbind.json"

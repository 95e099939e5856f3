policy scc --order admission --profile "$CAPSCOPE_TOP/tests/data/policy/trace-netbind.json"

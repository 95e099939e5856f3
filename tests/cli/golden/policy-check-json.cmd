policy check --json --profile "$CAPSCOPE_TOP/tests/data/policy/trace-netbind.json" "$CAPSCOPE_TOP/tests/data/policy/deploy.yaml"

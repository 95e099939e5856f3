policy vap --name web-caps --namespace shop --profile "$CAPSCOPE_TOP/tests/data/policy/trace-netbind.json"

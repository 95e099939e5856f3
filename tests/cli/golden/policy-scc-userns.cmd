policy scc "$CAPSCOPE_TOP/tests/data/policy/userns.yaml"

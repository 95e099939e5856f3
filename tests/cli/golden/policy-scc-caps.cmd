policy scc --caps NET_RAW "$CAPSCOPE_TOP/tests/data/policy/deploy.yaml"

policy custom-scc --name ping-scc --namespace tools --service-account pinger --profile "$CAPSCOPE_TOP/tests/data/policy/trace-ping.json"

policy scc userns.yaml

policy scc --profile /nonexistent/trace.json

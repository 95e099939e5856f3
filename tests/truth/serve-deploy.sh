#!/usr/bin/env bash
# deploy/: the agent's securityContext asks for exactly what it needs.
# Found: capscope trace --profile k8s on the agent while it scrapes a
# container of another user (uid 1000) started with runc. Proved: the
# profile is what deploy/agent.yaml adds, and capscope explain pod says it
# ends effective under containerd; the webhook asks for nothing.
source "$(dirname "$0")/../lib/tap.sh"
need_root
for t in runc jq curl python3; do
  command -v $t >/dev/null || skip_all "$t is not installed (scripts/install-deps.sh)"
done
DEP=$CAPSCOPE_TOP/deploy
tap_tmpdir
chmod 755 "$T"
ID=cs-serve-dep-$$
trap 'runc --root "$T/state" delete -f "$ID" >/dev/null 2>&1; rm -rf "$T"' EXIT

# explain pod on the manifests as shipped
"$CAPSCOPE" explain pod --json --runtime containerd "$DEP/agent.yaml" >"$T/agent.json" 2>"$T/e.err"
is "$?" 0 "explain pod deploy/agent.yaml: every requested capability ends effective"
is "$(jq -r '.containers[] | .verdicts[] | .capability + " " + (.effective | tostring)' "$T/agent.json")" \
  "SYS_PTRACE true" "…the agent's one capability, SYS_PTRACE"
is "$(jq -r '.containers[0].process.caps.effective.names | join(",")' "$T/agent.json")" "CAP_SYS_PTRACE" \
  "…and nothing else in its effective set"
"$CAPSCOPE" explain pod --json --runtime containerd "$DEP/webhook.yaml" >"$T/wh.json" 2>/dev/null
is "$?" 0 "explain pod deploy/webhook.yaml"
is "$(jq -r '.containers[0].process.caps | [.permitted, .effective, .bounding] | map(.mask) | join(" ")' "$T/wh.json")" \
  "0x0000000000000000 0x0000000000000000 0x0000000000000000" "the webhook runs with no capability at all"
grep -q 'failurePolicy: Ignore' "$DEP/webhook.yaml" && grep -q 'timeoutSeconds: ' "$DEP/webhook.yaml" &&
  grep -A3 'namespaceSelector' "$DEP/webhook.yaml" | grep -q 'NotIn'
ok $? "the ValidatingWebhookConfiguration: failurePolicy Ignore, timeoutSeconds, its own namespace excluded"

# trace the agent at work
mkdir -p "$T/b/rootfs/usr" "$T/b/rootfs/proc" "$T/b/rootfs/dev"
ln -s usr/bin "$T/b/rootfs/bin"; ln -s usr/lib "$T/b/rootfs/lib"; ln -s usr/lib64 "$T/b/rootfs/lib64"
(cd "$T/b" && runc spec) && jq '.process.terminal = false | .process.args = ["sleep", "1000"] |
  .process.user = {uid: 1000, gid: 1000} | .root.readonly = true |
  .mounts += [{destination: "/usr", type: "bind", source: "/usr", options: ["rbind", "ro"]}]' \
  "$T/b/config.json" >"$T/c" && mv "$T/c" "$T/b/config.json"
runc --root "$T/state" run -d --bundle "$T/b" "$ID" </dev/null >/dev/null 2>"$T/r.err"
ok $? "runc starts a container of uid 1000" || sed 's/^/#   /' "$T/r.err"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
trace_agent() {
  "$CAPSCOPE" trace --profile k8s -- sh -c "
  '$CAPSCOPE' serve --listen 127.0.0.1:$PORT --webhook off --bundle-root 'runc:$T/state' 2>/dev/null &
  for i in \$(seq 50); do curl -s -o /dev/null http://127.0.0.1:$PORT/healthz && break; sleep 0.1; done
  curl -s -o '$T/metrics.txt' http://127.0.0.1:$PORT/metrics
  kill -TERM \$!; wait" >"$T/trace.out" 2>"$T/trace.err"
}
trace_agent
rc=$?
# A check whose stack was lost (a stack-map bucket collision) counts as an
# ordinary check (docs/trace.md): the overcommit probe's SYS_ADMIN then
# enters the profile. The report warns; traced again.
if grep -q 'had no kernel stack' "$T/trace.out"; then
  echo "# $(grep 'had no kernel stack' "$T/trace.out"): traced again"
  trace_agent
  rc=$?
fi
if [ $rc -ne 0 ] && grep -qiE 'bpf|btf|permission|not supported' "$T/trace.err"; then
  skip "capscope trace cannot run here: $(head -n1 "$T/trace.err")"
else
  is "$rc" 0 "capscope trace --profile k8s on the agent"
  is "$(sed -n '/^# k8s/,$p' "$T/trace.out" | sed -n '/add:/,$p' | sed -n 's/^ *- //p' | paste -sd,)" \
    "$(sed -n '/add:/s/.*\[\(.*\)\].*/\1/p' "$DEP/agent.yaml" | tr -d '" ')" \
    "the traced profile is exactly what deploy/agent.yaml adds"
  # What stands behind a SYS_ADMIN or a warning, if any: for the next failure.
  grep -E 'warning|SYS_ADMIN' "$T/trace.out" | head -n 5 | sed 's/^/#   /'

  grep -q "capscope_container_info{.*id=\"${ID:0:12}\"" "$T/metrics.txt"
  ok $? "…while the agent saw the container"
fi
done_testing

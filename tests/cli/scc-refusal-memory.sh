#!/usr/bin/env bash
# asan-too
# The SCC refusals of a large pod (issue #13, class 6; sixteenth pass, part
# L's open find): one pod of 2,000 containers, each uid 0 and adding 16
# capabilities, so every built-in SCC but privileged refuses each of them
# (1.36 KB of refusal a container an SCC). policy scc held all eleven
# refusals at once (24 KB a container, 50 MB here); it now makes each again
# when it prints it (cs_policy_scc_reason), 14.6 MB. explain pod --openshift
# escaped the pod's whole refusal into cs_esc's ring (a copy held until 16
# more calls) and joined it through a doubling buffer: 34 MB, now 23 MB.
# The output is the same bytes (cli/golden, cli/policy-*, cli/explain-pod-*).
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/../lib/rss.sh"
command -v python3 >/dev/null || skip_all "needs python3"
tap_tmpdir
cd "$T" || exit 1
python3 - <<'PY' >pod.yaml || exit 1
caps = ["NET_ADMIN", "SYS_ADMIN", "SYS_PTRACE", "SYS_MODULE", "SYS_RAWIO", "SYS_BOOT",
        "SYS_TIME", "SYS_NICE", "SYS_RESOURCE", "NET_RAW", "IPC_LOCK", "IPC_OWNER",
        "MKNOD", "AUDIT_CONTROL", "SYSLOG", "WAKE_ALARM"]
print("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:")
for i in range(2000):
    print("  - name: c%d\n    image: x\n    securityContext: {runAsUser: 0, capabilities: {add: [%s]}}"
          % (i, ",".join(caps)))
PY

with_rss "$CAPSCOPE" policy scc pod.yaml >out.txt 2>err
is "$?" 0 "policy scc: a pod of 2,000 containers adding 16 capabilities each"
# Eleven SCCs refuse, each naming the last container's 16 capabilities.
is "$(grep -o 'c1999: capabilities.add: Invalid value: "[A-Z_]*"' out.txt | wc -l)" 176 \
  "...every refusal whole: 11 SCCs x 16 capabilities of the last container"
rss_below 16000 "...in less than 16 MB, 8 KB a container (50 MB before)"
with_rss "$CAPSCOPE" policy scc --json pod.yaml >out.json 2>err
is "$?" 0 "policy scc --json: the same pod"
is "$(grep -o 'c1999: capabilities.add: Invalid value: \\"[A-Z_]*\\"' out.json | wc -l)" 176 \
  "...every refusal whole"
rss_below 16000 "...in less than 16 MB (50 MB before)"

with_rss "$CAPSCOPE" explain pod --openshift pod.yaml >out.txt 2>err
is "$?" 1 "explain pod --openshift: the same pod, not admitted"
is "$(grep -c '^  NOT ADMITTED: unable to validate' out.txt)" 2000 "...every container says why"
is "$(grep -m1 '^  SCC admission: ' out.txt | grep -o 'c1999: capabilities.add' | wc -l)" 32 \
  "...the pod's refusal whole: 2 SCCs tried x 16 capabilities of the last container"
# Issue #13's target is 8 KB a container; explain is at 11.6 KB in all here
# (4.4 KB of it without --openshift): see docs/hardening.md.
rss_below 26000 "...in less than 26 MB (34 MB before)"
done_testing

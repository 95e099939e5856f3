#!/usr/bin/env bash
# Bind port 80 on loopback in a network namespace the test creates: the
# profile is exactly CAP_NET_BIND_SERVICE, and --verify re-runs the bind
# with only that capability.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/trace-lib.sh"
trace_need_bpf
command -v unshare >/dev/null || skip_all "unshare (util-linux) missing"
command -v ip >/dev/null || skip_all "ip (iproute2) missing"
command -v capsh >/dev/null || skip_all "capsh (libcap2-bin) missing"
tap_tmpdir

# capscope itself runs inside the new netns (BPF is global); only the bind is traced.
innetns() { unshare --net sh -c 'ip link set lo up && exec "$@"' netns "$@"; }

out=$(innetns "$CAPSCOPE" trace --json --verify --profile k8s -- "$HELPER" bind 80)
ok $? "trace --verify of the bind exits 0"
is "$(jq -r .exit_status <<<"$out")" 0 "the traced bind succeeded"
is "$(caps_of '.profile.capabilities[]' <<<"$out")" "CAP_NET_BIND_SERVICE" \
  "profile is exactly CAP_NET_BIND_SERVICE"
is "$(jq -r '.checks[] | select(.capability=="CAP_NET_BIND_SERVICE") | .syscalls | join(",")' \
  <<<"$out")" "bind" "attributed to bind(2)"
is "$(jq -r '.verify.ok' <<<"$out")" true "verify: the bind works with only that capability"
is "$(jq -r '.verify.exit_status' <<<"$out")" 0 "verify exit status 0"
like "$(jq -r '.snippets.k8s' <<<"$out")" "add:.*- NET_BIND_SERVICE" "k8s snippet adds it"

# The control: without CAP_NET_BIND_SERVICE the bind fails, so the profile is not vacuous.
ctl=$(innetns capsh --drop=cap_net_bind_service --caps= -- -c "$HELPER bind 80")
like "$ctl" "bind: Permission denied" "control: without the capability the bind is refused"

# --verify notices a profile that is not enough: this command needs every
# capability in its effective set but makes no capability check at all.
eff=$(awk '/^CapEff:/ {print $2}' /proc/self/status)
need_all="grep -q '^CapEff:[[:space:]]*$eff\$' /proc/self/status"
bad=$("$CAPSCOPE" trace --json --verify -- sh -c "$need_all")
rc=$?
is "$rc" 1 "--verify fails (exit 1) when the re-run exits differently"
is "$(jq -r '.verify.ok' <<<"$bad")" false "verify.ok is false"
is "$(jq -r '.exit_status' <<<"$bad")" 0 "the traced run itself succeeded"
done_testing

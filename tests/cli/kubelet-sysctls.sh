#!/usr/bin/env bash
# asan-too
# The kubelet's sysctl admission (pkg/kubelet/sysctl: its safe set and
# --allowed-unsafe-sysctls): a pod with any other sysctl is rejected before
# a container is made (SysctlForbidden, "forbidden sysctl: %q not
# allowlisted"). The model ran a pod setting net.core.somaxconn. No kubelet
# runs here: the rules are read from Kubernetes 1.32's allowlist.go and
# safe_sysctls.go (docs/explain-pod.md).
source "$(dirname "$0")/../lib/tap.sh"
command -v jq >/dev/null || skip_all "needs jq"
tap_tmpdir
cd "$T" || exit 1

pod() { # SYSCTL-NAME [VALUE]
  printf '%s\n' 'kind: Pod' 'metadata: {name: p}' 'spec:' '  securityContext:' \
    "    sysctls: [{name: $1, value: \"${2:-1}\"}]" '  containers:' '  - name: c' '    image: i' \
    '    command: [/bin/app]' '    securityContext: {runAsUser: 1000, capabilities: {drop: [ALL]}}' >p.yaml
}
err() { "$CAPSCOPE" explain pod --json "$@" p.yaml | jq -r '.containers[0].exec.error'; }

pod net.core.somaxconn
out=$("$CAPSCOPE" explain pod p.yaml 2>&1)
is "$?" 1 "an unsafe sysctl: the container fails (exit 1)"
like "$out" 'NOT CREATED: SysctlForbidden: forbidden sysctl: "net.core.somaxconn" not allowlisted' \
  "the kubelet's reason and message"
like "$out" 'kubelet.sysctl-forbidden: the kubelet rejects the pod: sysctl net.core.somaxconn' "the step"
is "$(err)" SysctlForbidden "JSON: exec.error SysctlForbidden"

# the safe set, each admitted alone (values the kernel takes)
for s in kernel.shm_rmid_forced "net.ipv4.ip_local_port_range|40000 60999" net.ipv4.tcp_syncookies \
  "net.ipv4.ping_group_range|0 0" "net.ipv4.ip_unprivileged_port_start|80" \
  "net.ipv4.ip_local_reserved_ports|8080" "net.ipv4.tcp_keepalive_time|600" \
  "net.ipv4.tcp_fin_timeout|30" "net.ipv4.tcp_keepalive_intvl|30" "net.ipv4.tcp_keepalive_probes|5" \
  "net.ipv4.tcp_rmem|4096 87380 6291456" "net.ipv4.tcp_wmem|4096 16384 4194304"; do
  pod "${s%%|*}" "$([[ $s == *'|'* ]] && echo "${s#*|}")"
  is "$(err)" null "safe: ${s%%|*} admitted"
done

# the kubelet names the sysctl with dots, whichever way the pod spells it
pod net/core/somaxconn
like "$("$CAPSCOPE" explain pod p.yaml 2>&1)" 'forbidden sysctl: "net.core.somaxconn"' "a slash spelling named with dots"

pod net.core.somaxconn
for a in net.core.somaxconn 'net.core.*' 'net/core/somaxconn' 'net.*' 'kernel.sem,net.core.s*'; do
  is "$(err --allowed-unsafe-sysctls "$a")" null "--allowed-unsafe-sysctls '$a' admits it"
done
for a in net.core.somaxconnx 'net.ipv4.*' 'kernel.shm*'; do
  is "$(err --allowed-unsafe-sysctls "$a")" SysctlForbidden "--allowed-unsafe-sysctls '$a' does not"
done
pod kernel.msgmax
is "$(err --allowed-unsafe-sysctls 'kernel.msg*')" null "an IPC prefix: kernel.msg* admits kernel.msgmax"

# patterns the kubelet refuses to start with: one error, exit 2
for a in kernel.foo '*' 'a,,b' ',' 'net..x' 'net.core.' 'net.core-' 'Net.core.x' "net.$(printf 'x%.0s' $(seq 1 260))"; do
  out=$("$CAPSCOPE" explain pod --allowed-unsafe-sysctls "$a" p.yaml 2>&1 >/dev/null)
  rc=$?
  is "$rc:$(wc -l <<<"$out")" "2:2" "pattern '${a:0:20}' refused: exit 2, one error and the help line"
  like "$out" '^capscope explain pod: --allowed-unsafe-sysctls: ' "... naming the option"
done

# an empty flag is no pattern (a pflag StringSlice, one CSV record: ""
# reads as none), which the kubelet starts with (twenty-sixth pass, part B:
# it was refused as "'' is not a sysctl name"); one given after it adds
pod net.core.somaxconn
is "$(err --allowed-unsafe-sysctls '')" SysctlForbidden "--allowed-unsafe-sysctls '': no pattern, the pod still rejected"
is "$(err --allowed-unsafe-sysctls '' --allowed-unsafe-sysctls 'net.core.*')" null "... and 'net.core.*' after it admits it"

# Session 27, part B: the flag's value is one CSV record as Go's
# encoding/csv reads it (pflag's readAsCSV: Read once): a quoted field is
# the name inside it, '""' a quote, a ',' inside quotes no separator, the
# lines after the record's never read, empty lines before it skipped; a
# bare or stray quote, or line breaks alone, stop the kubelet. Fields were
# cut at each ',' as written: the first three below were refused and the
# line break's second line read.
pod net.core.somaxconn
for a in '"net.core.somaxconn"' 'kernel.sem,"net.core.*"' $'net.core.somaxconn\nvm.swappiness' \
  $'\n\nnet.core.somaxconn' $'net.core.somaxconn\r\n' $'net.core.somaxconn\r'; do
  is "$(err --allowed-unsafe-sysctls "$a")" null "CSV $(printf '%q' "$a") admits it"
done
for a in '"net.core.somaxconn",' '"net.core.a,b"' 'net.core."x"' '"net.core.x"y' '"net.core.x' \
  '"net.core.x""y"' $'\n' $'\r\n\n' $'"net.core.x\n"'; do
  out=$("$CAPSCOPE" explain pod --allowed-unsafe-sysctls "$a" p.yaml 2>&1 >/dev/null)
  is "$?:$(wc -l <<<"$out")" "2:2" "CSV $(printf '%q' "$a") refused: exit 2, one error and the help line"
done
like "$("$CAPSCOPE" explain pod --allowed-unsafe-sysctls 'net.core.x,net."y"' p.yaml 2>&1 | head -1)" \
  "^capscope explain pod: --allowed-unsafe-sysctls: item 2: a '\"' in a field not quoted whole \(bare \" in non-quoted-field\): the kubelet's flag is CSV and the kubelet does not start\$" \
  "a bare quote: named with Go's words and the item"
like "$("$CAPSCOPE" explain pod --allowed-unsafe-sysctls $'\n' p.yaml 2>&1 | head -1)" \
  "line breaks alone: the kubelet's flag reads no CSV record in it \\(EOF\\)" "line breaks alone: said so"
is "$("$CAPSCOPE" explain pod --allowed-unsafe-sysctls $'"net.core.\e[31m"' p.yaml 2>&1 | head -1)" \
  "capscope explain pod: --allowed-unsafe-sysctls: 'net.core.\\x1b[31m' is not a sysctl name or NAME* pattern (at most 253 characters; [a-z0-9]([-_a-z0-9]*[a-z0-9])? between '.' or '/')" \
  "a quoted field's escape byte: shown escaped"

# lint and the webhook model the same kubelet, its flag given the same way
printf '%s\n' 'kind: Pod' 'metadata: {name: p}' 'spec:' '  securityContext:' \
  '    sysctls: [{name: net.core.somaxconn, value: "1024"}]' '  containers:' '  - name: c' \
  '    image: i' '    securityContext: {runAsUser: 1000, capabilities: {add: [NET_BIND_SERVICE]}}' >add.yaml
like "$("$CAPSCOPE" lint add.yaml)" 'not created: SysctlForbidden .*"net.core.somaxconn" not allowlisted' \
  "lint: the capability cannot work in a pod the kubelet rejects"
out=$("$CAPSCOPE" lint --allowed-unsafe-sysctls net.core.somaxconn add.yaml)
like "$out" 'cap-not-effective' "lint --allowed-unsafe-sysctls: the pod runs, the finding is the capability's own"
[[ $out != *SysctlForbidden* ]]
ok $? "... and not the kubelet's"
is "$("$CAPSCOPE" lint --allowed-unsafe-sysctls kernel.foo add.yaml 2>&1 >/dev/null | head -1)" \
  "capscope lint: --allowed-unsafe-sysctls: 'kernel.foo' is not known to be namespaced (the kubelet refuses it)" \
  "lint: a pattern the kubelet refuses"
# Twenty-sixth pass, part A: which item of a list (an empty one from "a,,b" or
# a trailing comma said only "'' is not a sysctl name"), and capscope's own
# bounds said as capscope's (the kubelet takes any number).
for l in 'net.core.somaxconn,,net.x|2' 'net.core.somaxconn,|2' ',net.x|1' 'net.core.somaxconn,kernel.foo|2'; do
  like "$("$CAPSCOPE" lint --allowed-unsafe-sysctls "${l%|*}" add.yaml 2>&1 >/dev/null | head -1)" \
    "^capscope lint: --allowed-unsafe-sysctls: item ${l#*|}: '" "'${l%|*}': the item named"
done
long=$(printf 'net.core.somaxconn,%.0s' $(seq 1 300))net.x
is "$("$CAPSCOPE" explain pod --allowed-unsafe-sysctls "$long" add.yaml 2>&1 >/dev/null | head -1)" \
  "capscope explain pod: --allowed-unsafe-sysctls: more than 4095 bytes of patterns (the most capscope keeps)" \
  "a list past 4 KiB: capscope's bound, said so"
long=$(printf 'net.a,%.0s' $(seq 1 70))net.x
is "$("$CAPSCOPE" explain pod --allowed-unsafe-sysctls "$long" add.yaml 2>&1 >/dev/null | head -1)" \
  "capscope explain pod: --allowed-unsafe-sysctls: more than 64 patterns (the most capscope keeps)" \
  "more than 64 patterns: capscope's bound, said so"
if command -v curl >/dev/null; then
  source "$CAPSCOPE_TOP/tests/cli/serve-lib.sh"
  review() {
    python3 - add.yaml <<'PY'
import json, sys
print(json.dumps({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
  "request": {"uid": "u1", "kind": {"group": "", "version": "v1", "kind": "Pod"},
    "resource": {"group": "", "version": "v1", "resource": "pods"}, "operation": "CREATE",
    "namespace": "default", "object": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
      "spec": {"securityContext": {"sysctls": [{"name": "net.core.somaxconn", "value": "1024"}]},
        "containers": [{"name": "c", "image": "i", "securityContext": {"runAsUser": 1000,
          "capabilities": {"add": ["NET_BIND_SERVICE"]}}}]}}}}))
PY
  }
  review >review.json
  for flag in "" "--allowed-unsafe-sysctls=net.core.*"; do
    # shellcheck disable=SC2086
    if serve_start S --no-inventory --quiet $flag; then
      w=$(curl -sS -H 'Content-Type: application/json' --data-binary @review.json \
        "http://127.0.0.1:$S_PORT/validate" | jq -r '.response.warnings[0]')
      serve_stop S
      if [ -z "$flag" ]; then
        like "$w" 'SysctlForbidden' "serve: the webhook's warning names the kubelet's rejection"
      else
        [[ $w != *SysctlForbidden* && $w == *NET_BIND_SERVICE* ]]
        ok $? "serve $flag: the pod runs, the warning is the capability's own ($w)"
      fi
    else
      ok 1 "serve did not start: $(head -c 300 "$T/S.log")"
    fi
  done
fi

# no kubelet in front of the runtime (podman play kube): nothing to admit
pod net.core.somaxconn
is "$(err --runtime podman)" null "podman: no kubelet, the sysctl is not refused by one"
done_testing

#!/usr/bin/env bash
# asan-too
# The runtimes (runc, crun) write a pod's sysctl value into /proc/sys as it
# is written, so the kernel's parse (proc_dointvec_minmax: base 0, blanks
# around, "-0") decides which ip_unprivileged_port_start a container gets.
# bind:80 read it with capscope's strict number parser: "0x0", "00" or
# " 0" were "refused by the kernel, the default 1024 stays", and bind:80
# said NO where the kernel sets 0 and any process binds port 80 (twenty-
# fourth pass). Each value is checked against the answer a fresh network
# namespace's kernel gives, when one can be made (root); the fixed table
# runs everywhere. The same values through CRI-O's default_sysctls.
source "$(dirname "$0")/../lib/tap.sh"
tap_tmpdir
command -v jq >/dev/null || skip_all "jq not installed"
sysctlpod() {
  printf '%s\n' 'kind: Pod' 'metadata: {name: p}' 'spec:' '  securityContext:' \
    "    sysctls: [{name: net.ipv4.ip_unprivileged_port_start, value: $1}]" \
    '  containers:' '  - name: c' '    image: i' \
    '    securityContext: {runAsUser: 1000, capabilities: {drop: [ALL]}}' >"$T/pod.yaml"
}
bind80() { # extra args… → true/false of bind:80 for container 0
  "$CAPSCOPE" explain pod --json --check bind:80 "$@" "$T/pod.yaml" 2>"$T/err" |
    jq -r '.containers[0].checks[0].ok'
}
# value (as a YAML double-quoted string) and the port start the kernel sets
# (1024: the write refused, and then the container does not start, or nothing
# written; either way bind:80 is false)
while IFS='|' read -r v start; do
  sysctlpod "\"$v\""
  want=$([ "$start" -le 80 ] && echo true || echo false)
  is "$(bind80)" "$want" "pod sysctl \"$v\": the kernel sets $start, bind:80 $want"
  if [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then
    got=$(unshare -n bash -c 'printf "%b" "$1" >/proc/sys/net/ipv4/ip_unprivileged_port_start 2>/dev/null
      cat /proc/sys/net/ipv4/ip_unprivileged_port_start' _ "$v")
    is "$got" "$start" "pod sysctl \"$v\": this kernel agrees ($got)"
  else
    skip "no network namespace of our own (root and unshare -n): the kernel not asked"
  fi
done <<'EOS'
0|0
0x0|0
0X50|80
00|0
010|8
0121|81
0x51|81
-0|0
 0|0
\t0|0
\n0|0
0 |0
0 junk|0
00000000000000000000|0
000000000000000000000|1024
0x|1024
0junk|1024
08|1024
+0|1024
-1|1024
1e1|1024
|1024
 |1024
99999999999999999999|1024
EOS
# CRI-O writes its default_sysctls the same way (no blank: CRI-O refuses one)
for v in 0x0 00 -0; do
  printf '[crio.runtime]\ndefault_sysctls = ["net.ipv4.ip_unprivileged_port_start=%s"]\n' "$v" >"$T/crio.conf"
  printf '%s\n' 'kind: Pod' 'metadata: {name: p}' 'spec:' '  containers:' '  - name: c' '    image: i' \
    '    securityContext: {runAsUser: 1000, capabilities: {drop: [ALL]}}' >"$T/pod.yaml"
  is "$(bind80 --runtime crio --crio-config "$T/crio.conf")" true "CRI-O default_sysctls $v: the kernel sets 0, bind:80 works"
done
# Twenty-fifth pass, part A: the value is one word of the sentence: written
# raw after "=", "0 junk" read as "=0" and a word "junk", " 0" as "= 0".
sysctlpod '"0 junk"'
like "$("$CAPSCOPE" explain pod --check bind:80 "$T/pod.yaml")" 'the pod sets net\.ipv4\.ip_unprivileged_port_start="0 junk"' "\"0 junk\": named as one quoted word"
sysctlpod '" 0"'
like "$("$CAPSCOPE" explain pod --check bind:80 "$T/pod.yaml")" 'the pod sets net\.ipv4\.ip_unprivileged_port_start=" 0"' "\" 0\": named as one quoted word"
sysctlpod '"a b"'
like "$("$CAPSCOPE" explain pod --check bind:80 "$T/pod.yaml")" "runc\\.sysctl-refused: runc cannot write the pod's net\\.ipv4\\.ip_unprivileged_port_start=\"a b\": write " "\"a b\" (refused): the step names it as one quoted word"
sysctlpod '"0x0"'
like "$("$CAPSCOPE" explain pod --check bind:80 "$T/pod.yaml")" 'the pod sets net\.ipv4\.ip_unprivileged_port_start=0x0[[:space:]]' "0x0: a plain word as it is"
# Twenty-sixth pass, part B: CRI-O writes a pod's sysctls with pinns (one
# -s KEY=VALUE each), which refuses an empty value ("value is empty",
# pinns/src/sysctl.c): no container starts. runc writes "" as nothing.
sysctlpod '""'
exec_ok() { "$CAPSCOPE" explain pod --json --check bind:80 "$@" "$T/pod.yaml" | jq -r '.containers[0].exec.ok'; }
is "$(exec_ok --runtime crio)" false "CRI-O, an empty port start: pinns refuses it, nothing starts"
like "$("$CAPSCOPE" explain pod --runtime crio "$T/pod.yaml")" \
  "runc\\.sysctl-refused: CRI-O's pinns cannot write the pod's net\\.ipv4\\.ip_unprivileged_port_start='': .*value is empty" \
  "... the step names pinns and the sysctl"
is "$(exec_ok --runtime containerd)" true "containerd (runc): an empty value writes nothing, the container starts"
printf '%s\n' 'kind: Pod' 'metadata: {name: p}' 'spec:' '  securityContext:' \
  '    sysctls: [{name: net.ipv4.tcp_syncookies, value: ""}]' '  containers:' '  - name: c' '    image: i' \
  '    securityContext: {runAsUser: 1000, capabilities: {drop: [ALL]}}' >"$T/pod.yaml"
is "$(exec_ok --runtime crio)" false "CRI-O, any sysctl with an empty value: nothing starts"
# CRI-O's default_sysctls with KEY= (its Sysctls() takes it): the same for
# every pod that does not set the key; the last entry of a key wins
printf '%s\n' 'kind: Pod' 'metadata: {name: p}' 'spec:' '  containers:' '  - name: c' '    image: i' \
  '    securityContext: {runAsUser: 1000, capabilities: {drop: [ALL]}}' >"$T/pod.yaml"
printf '[crio.runtime]\ndefault_sysctls = ["net.ipv4.ip_unprivileged_port_start="]\n' >"$T/crio.conf"
is "$(exec_ok --runtime crio --crio-config "$T/crio.conf")" false "CRI-O default_sysctls KEY=: pinns refuses it, nothing starts"
like "$("$CAPSCOPE" explain pod --runtime crio --crio-config "$T/crio.conf" "$T/pod.yaml")" \
  "CRI-O's pinns cannot write CRI-O's default_sysctls net\\.ipv4\\.ip_unprivileged_port_start=''" "... named as CRI-O's"
printf '[crio.runtime]\ndefault_sysctls = ["net.ipv4.ip_local_port_range=", "net.ipv4.ip_local_port_range=40000 60999"]\n' >"$T/crio.conf"
is "$(exec_ok --runtime crio --crio-config "$T/crio.conf")" true "CRI-O default_sysctls KEY= then KEY=40000 60999: the last wins, it starts"
# Twenty-sixth pass, part A: each value was a word of up to 160 bytes, and a
# sentence past a step's 320 was cut again in its middle: runc.sysctl-order
# of two values padded with blanks (which the kernel reads as 35000 and
# "40000 60999") said `start="   ...   ...   " first works`, the reason and
# the other write lost. The values now share what the sentence leaves.
pad=$(printf '%150s' '')
printf '%s\n' 'kind: Pod' 'metadata: {name: p}' 'spec:' '  securityContext:' '    sysctls:' \
  "    - {name: net.ipv4.ip_local_port_range, value: \"40000 60999$pad\"}" \
  "    - {name: net.ipv4.ip_unprivileged_port_start, value: \"${pad}35000$pad\"}" \
  '  containers: [{name: c, image: i}]' >"$T/pod.yaml"
d=$("$CAPSCOPE" explain pod --json "$T/pod.yaml" | jq -r '.containers[0].steps[] | select(.rule == "runc.sysctl-order") | .detail')
like "$d" "^runc writes sysctls in a Go map's order, new at each start: written first, the pod's ip_unprivileged_port_start=\"[^\"]*\" is refused \(35000 is above the start of ip_local_port_range, 32768\); a start that writes the pod's ip_local_port_range=\"40000 [^\"]*\" first works \(the kubelet retries\)\$" \
  "runc.sysctl-order of two long values: the sentence whole, each value cut"
sysctlpod "\"$(printf '%05000d' 0)\""
d=$("$CAPSCOPE" explain pod --json "$T/pod.yaml" | jq -r '.containers[0].steps[] | select(.rule == "runc.sysctl-refused") | .detail')
like "$d" "^runc cannot write the pod's net\.ipv4\.ip_unprivileged_port_start=0+\.\.\.0+: write /proc/sys/net/ipv4/ip_unprivileged_port_start: invalid argument \(the kernel reads no port 0 to 65535 in it\)\$" \
  "runc.sysctl-refused of a 5,000-byte value: cut once, the sentence whole"
done_testing

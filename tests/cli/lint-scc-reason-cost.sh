#!/usr/bin/env bash
# The pod's SCC admission reason names every failing container (under every
# SCC), and each container's result carries a copy cut at 4 KB
# (lib/explain/pod.c container_reason). Measuring the pod's reason again for
# each container made containers^2 x SCCs bytes read: lint --scc with 250
# SCCs and 2,000 containers took 22.5 s, 5.4 s once it is measured once per
# pod (fifteenth pass, part F). Counted here, never timed: the instructions
# spent in strlen (callgrind, --toggle-collect) for 0, 250 and 500
# containers that each add 31 capabilities restricted-v2 refuses. Measured
# per container, the second difference was 2.9 times the first; linear is 2.
. "$(dirname "$0")/../lib/tap.sh"
command -v valgrind >/dev/null || skip_all "needs valgrind (callgrind counts the work)"
command -v python3 >/dev/null || skip_all "needs python3"
grep -q __asan_init "${CAPSCOPE_DYN:-$CAPSCOPE}" 2>/dev/null && skip_all "an ASan build: valgrind cannot run it"
tap_tmpdir
cd "$T" || exit 1
for n in 0 250 500; do
  python3 - "$n" >"pod-$n.yaml" <<'PY'
import sys
caps = ("AUDIT_CONTROL AUDIT_READ AUDIT_WRITE BLOCK_SUSPEND BPF CHECKPOINT_RESTORE "
        "DAC_READ_SEARCH IPC_LOCK IPC_OWNER LEASE LINUX_IMMUTABLE MAC_ADMIN MAC_OVERRIDE MKNOD "
        "NET_ADMIN NET_BROADCAST NET_RAW PERFMON SYS_ADMIN SYS_BOOT SYS_CHROOT SYS_MODULE "
        "SYS_NICE SYS_PACCT SYS_PTRACE SYS_RAWIO SYS_RESOURCE SYS_TIME SYS_TTY_CONFIG SYSLOG "
        "WAKE_ALARM").split()
out = ["apiVersion: v1", "kind: Pod", "metadata:", "  name: p", "spec:", "  containers:"]
for i in range(int(sys.argv[1])):
    out += ["  - name: c%d" % i, "    image: i", "    securityContext:",
            "      capabilities:", "        add: [%s]" % ",".join(caps)]
if sys.argv[1] == "0":
    out[-1] = "  containers: []"
print("\n".join(out))
PY
done
ir() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null --toggle-collect='*strlen*' \
    "${CAPSCOPE_DYN:-$CAPSCOPE}" lint --scc restricted-v2 "$1" 2>&1 >/dev/null |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
i0=$(ir pod-0.yaml); i1=$(ir pod-250.yaml); i2=$(ir pod-500.yaml)
echo "# strlen instructions: 0 containers $i0, 250 $i1, 500 $i2"
[ -n "$i0" ] && [ -n "$i1" ] && [ -n "$i2" ]
ok $? "callgrind counted the three runs"
ok "$(python3 -c 'import sys; a,b,c=map(int,sys.argv[1:]); sys.exit(0 if (c-a) <= 2.4*(b-a) else 1)' "$i0" "$i1" "$i2"; echo $?)" \
  "500 containers cost at most 2.4x the strlen work of 250 (linear, not containers^2)"
done_testing

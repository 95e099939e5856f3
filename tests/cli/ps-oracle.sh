#!/usr/bin/env bash
# asan-too
# capscope ps against processes started with known credentials (capsh,
# setpriv, unshare, a cgroup named like a container runtime's), and against
# /proc/PID/status read independently with grep.
source "$(dirname "$0")/../lib/tap.sh"
need_root
for t in capsh setpriv unshare jq; do
  command -v $t >/dev/null || skip_all "$t is not installed"
done
tap_tmpdir
subject=${CAPSCOPE_BUILD:-$CAPSCOPE_TOP/build}/tests/helpers/ps-subject
pids=()
cgroot=
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$T"
  [ -n "$cgroot" ] && [ -d "$cgroot" ] && find "$cgroot" -depth -type d -exec rmdir {} + 2>/dev/null; }
trap cleanup EXIT

# Wait until PID's /proc/PID/exe is COMM (the exec has happened).
wait_exec() { local pid=$1 comm=$2 i
  for i in $(seq 1 200); do
    [ "$(cat /proc/$pid/comm 2>/dev/null)" = "$comm" ] && return 0; sleep 0.02
  done; return 1; }

status_mask() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }

# 1. The reference article's capsh line: root → nobody with NET_BIND_SERVICE in ambient.
capsh --caps='cap_net_bind_service,cap_setgid,cap_setuid,cap_setpcap+eip' --user=nobody \
  --addamb='cap_net_bind_service' -- -c 'exec sleep 60' &
p=$!; pids+=($p)
wait_exec $p sleep; ok $? "capsh subject started"
json=$("$CAPSCOPE" ps --json $p)
is "$(jq -r '.processes[0].caps.inheritable.mask' <<<"$json")" "0x00000000000005c0" "article: CapInh 0x5c0"
is "$(jq -r '.processes[0].caps.permitted.mask' <<<"$json")" "0x0000000000000400" "article: CapPrm 0x400"
is "$(jq -r '.processes[0].caps.effective.names | join(",")' <<<"$json")" "CAP_NET_BIND_SERVICE" "article: CapEff names"
is "$(jq -r '.processes[0].caps.ambient.mask' <<<"$json")" "0x0000000000000400" "article: CapAmb 0x400"
is "$(jq -c '.processes[0].uids' <<<"$json")" "[65534,65534,65534,65534]" "uids of nobody"
for k in CapInh CapPrm CapEff CapBnd CapAmb; do
  set=$(case $k in CapInh) echo inheritable;; CapPrm) echo permitted;; CapEff) echo effective;;
        CapBnd) echo bounding;; CapAmb) echo ambient;; esac)
  is "$(jq -r ".processes[0].caps.$set.mask" <<<"$json" | sed 's/^0x//')" "$(status_mask $p $k)" "$k equals /proc status"
  want=$(capsh --decode="$(status_mask $p $k)" | sed 's/^[^=]*=//' | tr a-z A-Z)
  is "$(jq -r ".processes[0].caps.$set.names | join(\",\")" <<<"$json")" "$want" "$k names equal capsh --decode"
done
is "$(jq -r '.processes[0].no_new_privs' <<<"$json")" "false" "no_new_privs false"
is "$(jq -r '.processes[0].in_user_namespace' <<<"$json")" "false" "initial user namespace"
is "$(jq -r '.processes[0].container' <<<"$json")" "null" "not in a container"
text=$("$CAPSCOPE" ps $p | sed -n 2p)
like "$text" "^$p +nobody +net_bind_service +net_bind_service +4 caps +(all|[0-9]+ caps) +net_bind_service +no +disabled +init +- +sleep 60$" "compact text row"

# 2. no_new_privs and a non-root uid via setpriv, bounding set reduced.
setpriv --no-new-privs --reuid=1000 --regid=1000 --clear-groups --bounding-set=-all,+net_raw \
  sleep 61 &
p=$!; pids+=($p)
wait_exec $p sleep
json=$("$CAPSCOPE" ps --json $p)
is "$(jq -r '.processes[0].no_new_privs' <<<"$json")" "true" "setpriv: no_new_privs true"
is "$(jq -c '.processes[0].uids' <<<"$json")" "[1000,1000,1000,1000]" "setpriv: uids 1000"
is "$(jq -c '.processes[0].groups' <<<"$json")" "[]" "setpriv: no supplementary groups"
is "$(jq -r '.processes[0].caps.bounding.names | join(",")' <<<"$json")" "CAP_NET_RAW" "setpriv: bounding = NET_RAW"
is "$(jq -r '.processes[0].caps.permitted.mask' <<<"$json")" "0x0000000000000000" "setpriv: nothing permitted"

# 3. A thread whose effective set differs from its leader, and seccomp filter mode.
"$subject" --thread-drop --seccomp >"$T/ready" &
p=$!; pids+=($p)
for i in $(seq 1 100); do grep -q ready "$T/ready" 2>/dev/null && break; sleep 0.02; done
json=$("$CAPSCOPE" ps --json $p)
is "$(jq -r '.processes[0].threads | length' <<<"$json")" 1 "one thread differs from its leader"
is "$(jq -r '.processes[0].threads[0].caps.effective.mask' <<<"$json")" "0x0000000000000000" "its effective set is empty"
is "$(jq -r '.processes[0].caps.effective.mask' <<<"$json")" "0x$(status_mask $p CapEff)" "the leader keeps its own"
tid=$(jq -r '.processes[0].threads[0].tid' <<<"$json")
is "$(awk '$1=="CapEff:" {print $2}' /proc/$p/task/$tid/status)" "0000000000000000" "the thread's own status agrees"
is "$(jq -r '.processes[0].seccomp' <<<"$json")" "filter" "seccomp filter mode"
is "$(jq -r '.processes[0].no_new_privs' <<<"$json")" "true" "seccomp subject has no_new_privs"
like "$("$CAPSCOPE" ps $p)" "└$tid" "the text view lists the thread under its leader"
like "$("$CAPSCOPE" ps -v $p)" "thread $tid" "-v lists the thread"

# Eleventh pass, part G: a thread that runs as another user than its leader
# (a raw setresuid changes one thread). Its row showed the leader's user
# ("root" for a thread of uid 65534): the USER column is the thread's own.
"$subject" --thread-user 65534 >"$T/ready-tu" &
p=$!; pids+=($p)
for i in $(seq 1 100); do grep -q ready "$T/ready-tu" 2>/dev/null && break; sleep 0.02; done
tid=$("$CAPSCOPE" ps --json --no-bpf $p | jq -r '.processes[0].threads[0].tid')
is "$(awk '$1=="Uid:" {print $3}' /proc/$p/task/$tid/status)" 65534 "the thread's own status: euid 65534"
nobody=$(getent passwd 65534 | cut -d: -f1)
row=$("$CAPSCOPE" ps --no-bpf $p | grep "└$tid ")
is "$(awk '{print $2}' <<<"$row")" "$nobody" "ps: the thread's row shows its own user"
row=$("$CAPSCOPE" ps --no-bpf $p | grep "^$p ")
is "$(awk '{print $2}' <<<"$row")" root "ps: the leader's row shows the leader's"

# 4. A user namespace.
unshare --user --map-root-user sleep 62 &
p=$!; pids+=($p)
wait_exec $p sleep
json=$("$CAPSCOPE" ps --json $p)
is "$(jq -r '.processes[0].in_user_namespace' <<<"$json")" "true" "unshare -U: in a user namespace"
is "$(jq -c '.processes[0].uids' <<<"$json")" "[0,0,0,0]" "unshare -U: ids as the kernel shows them from here"

# 5. Containers: a process moved into cgroups named the way runtimes name them.
id=$(printf '%064x' 0xc0ffee)
pod=1d2f3a4b_5c6d_7e8f_9a0b_c1d2e3f4a5b6
for spec in "containerd:kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod$pod.slice/cri-containerd-$id.scope" \
            "docker:docker/$id" "cri-o:kubepods.slice/kubepods-pod$pod.slice/crio-$id.scope" \
            "podman:machine.slice/libpod-$id.scope"; do
  rt=${spec%%:*} path=${spec#*:}
  base=/sys/fs/cgroup/pids
  [ -d $base ] || base=/sys/fs/cgroup/unified
  if ! mkdir -p "$base/capscope-test/$path" 2>/dev/null; then
    skip "cannot create cgroups under $base"; continue
  fi
  cgroot=$base/capscope-test
  sleep 63 &
  p=$!; pids+=($p)
  echo $p >"$base/capscope-test/$path/cgroup.procs"
  json=$("$CAPSCOPE" ps --json $p)
  is "$(jq -r '.processes[0].container.runtime' <<<"$json")" "$rt" "cgroup $rt: runtime"
  is "$(jq -r '.processes[0].container.id' <<<"$json")" "$id" "cgroup $rt: container id"
  case $rt in containerd|cri-o)
    is "$(jq -r '.processes[0].container.pod_uid' <<<"$json")" "${pod//_/-}" "cgroup $rt: pod uid" ;;
  esac
  kill $p; wait $p 2>/dev/null
done

# Twelfth pass, part E: an LXC container's id is its cgroup's name, spaces
# and all, and CONTAINER has COMMAND after it: "lxc:x  sh" read as the id
# x and the command sh. A space of the id is "\x20" there.
base=/sys/fs/cgroup/pids
[ -d $base ] || base=/sys/fs/cgroup/unified
if mkdir -p "$base/capscope-test/lxc.payload.x  sh" 2>/dev/null; then
  sleep 63 &
  p=$!; pids+=($p)
  echo $p >"$base/capscope-test/lxc.payload.x  sh/cgroup.procs"
  like "$("$CAPSCOPE" ps $p | sed -n 2p)" ' lxc:x\\x20\\x20sh +sleep 63$' \
    "an LXC name with spaces is one CONTAINER field, COMMAND the next"
  is "$("$CAPSCOPE" ps --json $p | jq -r '.processes[0].container.id')" "x  sh" "...and exact in JSON"
  kill $p; wait $p 2>/dev/null
  rmdir "$base/capscope-test/lxc.payload.x  sh"
else
  skip "cannot create cgroups under $base"; skip "cannot create cgroups under $base"
fi

# 6. Securebits, which only a BPF task iterator can read for another process.
capsh --secbits=0x2f -- -c 'exec sleep 65' &
p=$!; pids+=($p)
wait_exec $p sleep
if [ -e /sys/kernel/btf/vmlinux ]; then
  is "$("$CAPSCOPE" ps --json $p | jq -r '.processes[0].securebits')" 47 "securebits 0x2f of another process (BPF task iterator)"
  like "$("$CAPSCOPE" ps -v $p)" "securebits  0x2f \(noroot,noroot-locked,no-setuid-fixup,no-setuid-fixup-locked,keep-caps-locked\)" "-v names the bits"
  is "$("$CAPSCOPE" ps --json $$ | jq -r '.processes[0].securebits')" 0 "a process without securebits shows 0"
else
  skip "no kernel BTF: the securebits iterator cannot load"
fi
is "$("$CAPSCOPE" ps --json --no-bpf $p | jq -r '.processes[0].securebits')" null "--no-bpf: unknown, not guessed"
like "$("$CAPSCOPE" ps -v --no-bpf $p)" "securebits  \? \(--no-bpf\)" "-v says why it is unknown"

# 7. Named pids that do not exist are errors; the all-process view tolerates churn.
out=$("$CAPSCOPE" ps 1073741823 2>&1); rc=$?
is "$rc" 2 "a pid that does not exist fails"
like "$out" "process 1073741823: no such process" "and says so"
"$CAPSCOPE" ps abc 2>/dev/null; is $? 2 "a non-numeric pid is a usage error"
( for i in $(seq 1 300); do /bin/true; done ) &
churn=$!
fails=0
for i in 1 2 3 4 5; do "$CAPSCOPE" ps --json >"$T/all.json" || fails=$((fails + 1)); jq -e '.processes | length > 3' "$T/all.json" >/dev/null || fails=$((fails + 1)); done
wait $churn
is "$fails" 0 "ps of every process while processes come and go: no error, valid JSON"

# 8. A process name cannot spoof a status field.
cp /bin/sleep "$T/CapEff:	ffffffffffffffff"
"$T/CapEff:	ffffffffffffffff" 64 &
p=$!; pids+=($p)
sleep 0.2
json=$("$CAPSCOPE" ps --json $p)
is "$(jq -r '.processes[0].caps.effective.mask' <<<"$json")" "0x$(status_mask $p CapEff)" "a spoofing process name changes nothing"

# 9. Terminal injection: a comm (PR_SET_NAME, any process may) and an argv
# with escape sequences and newlines reach the terminal escaped, and cannot
# forge a row. The comm is "\e[2J\e[31mFAKE\n1" once the kernel cuts it to 15 bytes.
esc=$'\e'
"$subject" --evil-name --thread-drop "$esc[2J${esc}[31mARGV"$'\n'"1 root FORGED" >"$T/evil" &
p=$!; pids+=($p)
for i in $(seq 1 100); do grep -q ready "$T/evil" 2>/dev/null && break; sleep 0.02; done
no_raw() { # TEXT LABEL: no ESC byte, and no line that starts like a forged row
  ok "$([[ "$1" != *"$esc"* ]] && echo 0 || echo 1)" "$2: no raw ESC"
  ok "$(grep -qE '^1 root' <<<"$1" && echo 1 || echo 0)" "$2: no forged line"
}
out=$("$CAPSCOPE" ps $p)
no_raw "$out" "ps row with a hostile argv"
is "$(wc -l <<<"$out")" 3 "ps: header, the process and its thread, nothing more"
like "$out" '\\x1b\[2J\\x1b\[31mARGV\\n1 root FORGED' "ps shows the argv escaped"
like "$out" '└[0-9]+ .*\\x1b\[2J\\x1b\[31mFAKE\\n1$' "ps shows the thread's comm escaped"
# Bidi marks, line separators and invisible characters are escaped as well
# (U+200F flips what is around it; U+2028 ends a line in many log viewers).
(exec -a $'zw\u200fa\u2028b\u200bc' sleep 66) &
q=$!; pids+=($q)
for i in $(seq 1 100); do grep -q zw "/proc/$q/cmdline" 2>/dev/null && break; sleep 0.02; done
like "$("$CAPSCOPE" ps $q)" 'zw\\u200fa\\u2028b\\u200bc 66$' \
  "ps shows U+200F, U+2028 and U+200B in an argv escaped"
# JSON holds the command line as it is (the writer escapes it): it showed
# every byte outside printable ASCII as '?', "a\nb" and "a?b" alike.
is "$("$CAPSCOPE" ps --json $q | jq -r '.processes[0].cmdline')" $'zw\u200fa\u2028b\u200bc 66' \
  "ps --json: the command line exact, not '?'"
# A command line past 64 KiB is cut, not dropped: ps showed "[sleep]", the
# mark of a process without one, so long arguments hid the command.
(exec -a "LONG$(head -c 100000 /dev/zero | tr '\0' A)" sleep 67) &
q=$!; pids+=($q)
for i in $(seq 100); do grep -q LONG "/proc/$q/cmdline" 2>/dev/null && break; sleep 0.02; done
like "$("$CAPSCOPE" ps $q | tail -n1)" ' LONGAAAA' "ps shows a 100 KB command line (cut), not [comm]"
is "$("$CAPSCOPE" ps --json $q | jq -r '.processes[0].cmdline | (.[0:4]) + " " + (length | tostring) + " " + .[-3:]')" \
  "LONG 65537 AA…" "ps --json: the first 64 KiB and U+2026"
out=$("$CAPSCOPE" ps -v --no-bpf $p)
no_raw "$out" "ps -v header"
like "$(head -n1 <<<"$out")" '^[0-9]+ \\x1b\[2J\\x1b\[31mFAKE\\n1 \(' "ps -v header: the comm escaped"
# The comm has its command line after it: the item rule, its spaces and
# parentheses as \xNN ("a (sleep 9)" read as the comm a and its command).
cp /bin/sleep "$T/a (sleep 9)"
"$T/a (sleep 9)" 68 &
q=$!; pids+=($q)
for i in $(seq 1000); do grep -q sleep "/proc/$q/comm" 2>/dev/null && break; sleep 0.02; done
like "$("$CAPSCOPE" ps -v --no-bpf $q | head -n1)" '^[0-9]+ a\\x20\\x28sleep\\x209\\x29 \(' \
  "ps -v header: the comm's spaces and parentheses escaped"
# Without a command line ps shows [comm]: a process that cleared its argv.
"$subject" --evil-name --clear-argv >"$T/evil2" &
p=$!; pids+=($p)
for i in $(seq 1 100); do grep -q ready "$T/evil2" 2>/dev/null && break; sleep 0.02; done
if [ -z "$(tr -d '\0' </proc/$p/cmdline)" ]; then
  out=$("$CAPSCOPE" ps $p)
  no_raw "$out" "ps [comm] row"
  like "$out" '\[\\x1b\[2J\\x1b\[31mFAKE\\n1\]' "ps shows [comm] escaped"
else
  skip "the subject could not clear its command line"
fi
# JSON carries the comm as the process set it: the status file's Name: has
# the kernel's "\\n" for its newline, which JSON must not escape again.
is "$("$CAPSCOPE" ps --json --no-bpf $p | jq -r '.processes[0].comm')" "$(cat /proc/$p/comm)" \
  "ps --json: the comm byte for byte as /proc/PID/comm (the newline, not a backslash and n)"
# In a PID namespace whose /proc is the parent's, getpid() is this
# namespace's number (1 here): ps took the parent's pid 1 for itself and
# showed its own securebits (prctl) as pid 1's. /proc/self is ps in any /proc.
if unshare -pf true 2>/dev/null; then
  sb=$(unshare -pf capsh --secbits=0x2f -- -c "$CAPSCOPE ps --json 1" 2>/dev/null |
    jq '.processes[0].securebits')
  [ -n "$sb" ] && [ "$sb" != 47 ]
  ok $? "ps 1 in a PID namespace with the parent's /proc: not ps's own securebits (got $sb)"
else
  skip "unshare -p is not permitted here"
fi

# Twelfth pass, part E: in a pid namespace of its own, ps took securebits
# from the BPF task iterator, which names threads by the host's ids, and
# looked them up by the ids /proc shows there: a process whose id in the
# namespace equals the host id of another one was shown with that one's
# securebits. Made certain with ns_last_pid: a capsh with securebits 0x2f,
# then a plain sleep given the capsh's host id as its id in the namespace.
if unshare -pf --mount-proc true 2>/dev/null; then
  rm -f "$T/nsp" "$T/gl"
  timeout 300 unshare -pf --mount-proc bash -c '
    capsh --secbits=0x2f -- -c "exec sleep 600" & S=$!
    echo "$S $(readlink /proc/self/ns/pid)" >"$2/nsp"
    for _ in $(seq 1500); do [ -s "$2/gl" ] && break; sleep 0.1; done
    G=$(cat "$2/gl")
    echo $((G - 1)) >/proc/sys/kernel/ns_last_pid
    sleep 30 & Z=$!
    [ "$Z" = "$G" ] || echo "# the sleep got $Z, not $G"
    "$1" ps --json "$Z" "$S" >"$2/nsps.json"
    "$1" ps -v "$Z" >"$2/nsps.txt"
    kill $S $Z' bash "$CAPSCOPE" "$T" &
  ns=$!
  for _ in $(seq 300); do [ -s "$T/nsp" ] && break; sleep 0.1; done
  read -r n nsid <"$T/nsp"
  # The subject is a sleep only once capsh and its shell have exec'd it: look
  # until it is (looked at once, a loaded machine found capsh or bash there,
  # and the namespace then waited 30 s for nothing, past its sleep's end),
  # and in this test's namespace only (every run's subject has the id $n).
  for _ in $(seq 1500); do
    for p in $(pgrep -x sleep); do
      nspid=$(awk '$1 == "NSpid:" {print $NF, NF}' "/proc/$p/status" 2>/dev/null)
      [ "$nspid" = "$n 3" ] && [ "$(readlink "/proc/$p/ns/pid")" = "$nsid" ] && echo "$p" >"$T/gl"
    done
    [ -s "$T/gl" ] && break; sleep 0.1
  done
  wait $ns
  is "$(jq -c '[.processes[].securebits]' "$T/nsps.json")" "[null,null]" \
    "a pid namespace of its own: no thread shown with another's securebits"
  like "$(grep securebits "$T/nsps.txt")" "\\? \\(this capscope runs in a pid namespace other than the host's" \
    "...and -v says why they are unknown"
else
  skip "unshare -pf --mount-proc is not permitted here"; skip "unshare -pf --mount-proc is not permitted here"
fi

done_testing

#!/usr/bin/env bash
# The webhook's memory for a review of a pod whose containers each fail
# Pod Security at both levels (issue #13, class 6; eighteenth pass, part
# D): the review ran the model with both Pod Security reasons made, each
# naming every container and every check it fails, held for the whole
# review though no warning shows them. It now asks for the level alone
# (psa_level_only). The slope of the server's peak (VmHWM, from /proc) from
# 2,000 to 6,000 containers, each uid 0 adding 16 capabilities: 4.6 KB a
# further container before, 2.7 now. Not timed.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/serve-lib.sh"
for t in curl python3 jq; do
  command -v $t >/dev/null || skip_all "$t is not installed (scripts/install-deps.sh)"
done
grep -q __asan_init "$CAPSCOPE" 2>/dev/null && skip_all "an ASan build: RSS is the sanitizer's"
D=$CAPSCOPE_TOP/tests/data/serve
tap_tmpdir
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$T"' EXIT
# The whole allocation counted, as meson test's MALLOC_PERTURB_ makes it.
[ "${MALLOC_PERTURB_:-0}" != 0 ] || export MALLOC_PERTURB_=165

review() { # N → a review of one pod of N such containers
  python3 - "$1" "$D/review-nonroot-netbind.json" <<'PY'
import json, sys
caps = ["NET_ADMIN", "SYS_ADMIN", "SYS_PTRACE", "SYS_MODULE", "SYS_RAWIO", "SYS_BOOT",
        "SYS_TIME", "SYS_NICE", "SYS_RESOURCE", "NET_RAW", "IPC_LOCK", "IPC_OWNER",
        "MKNOD", "AUDIT_CONTROL", "SYSLOG", "WAKE_ALARM"]
r = json.load(open(sys.argv[2]))
r["request"]["object"]["spec"]["containers"] = [
    {"name": "c%d" % i, "image": "x",
     "securityContext": {"runAsUser": 0, "capabilities": {"add": caps}}}
    for i in range(int(sys.argv[1]))]
json.dump(r, sys.stdout, separators=(",", ":"))
PY
}
# peak N: one server, one review of N containers; the server's VmHWM in KB.
peak() {
  local out
  review "$1" >"$T/r$1.json" || return 1
  serve_start S --no-inventory --quiet || return 1
  out=$(curl -sS -H 'Content-Type: application/json' --data-binary @"$T/r$1.json" \
    -w '\n%{http_code}' "http://127.0.0.1:$S_PORT/validate")
  [ "$(tail -n1 <<<"$out")" = 200 ] &&
    sed '$d' <<<"$out" | jq -e '.response.allowed and (.response.warnings | length) > 0' >/dev/null &&
    sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB$/\1/p' "/proc/$S_PID/status"
  local rc=$?
  serve_stop S
  return $rc
}
a=$(peak 2000)
ok $? "a review of 2,000 such containers: answered, with warnings (${a:-?} KB)"
b=$(peak 6000)
ok $? "...and of 6,000 (${b:-?} KB)"
per=$(( (${b:-0} - ${a:-0}) * 1024 / 4000 ))
[ -n "$a" ] && [ -n "$b" ] && [ "$per" -lt 3584 ]
ok $? "...under 3.5 KB a further container: $per bytes (4.6 KB before)"
done_testing

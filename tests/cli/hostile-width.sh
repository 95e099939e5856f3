#!/usr/bin/env bash
# asan-too
# Issue #13, class 1, twenty-first pass: names whose columns on a terminal
# are not their code points (tests/lib/hostile-names.py WIDE: CJK and
# fullwidth letters and emoji take two, combining marks and a joiner kept
# between letters none). Every aligned output pads by columns as wcwidth()
# counts them (text-table.h), so no cell after such a name moves under
# another header: scan's table, ps's, explain pod's flow table, requested
# capabilities and SCC list, lint's rows, trace's events. The oracle is the
# C library's wcwidth() (hostile-names.py cols), not capscope's table.
source "$(dirname "$0")/../lib/tap.sh"
command -v python3 >/dev/null || skip_all "needs python3"
corpus=$(cd "$(dirname "$0")/../lib" && pwd)/hostile-names.py
python3 -c 'import locale; locale.setlocale(locale.LC_CTYPE, "C.UTF-8")' 2>/dev/null ||
  skip_all "needs the C.UTF-8 locale (the oracle's wcwidth)"
tap_tmpdir
cd "$T" || exit 1

aligned() { # CHECK [ARG] FILE DESCRIPTION
  local d=${*: -1} out
  out=$(python3 "$corpus" "${@:1:$#-1}")
  is "$?" 0 "$d"
  [ -z "$out" ] || sed 's/^/#   /' <<<"$out" | head -5
}

mkdir tree
python3 "$corpus" tree-wide tree
"$CAPSCOPE" scan tree >scan.txt 2>&1
is "$?" 0 "scan of a tree of wide names: read"
aligned columns scan.txt "scan: every cell under its header"

pids=$(python3 "$corpus" procs-wide)
# shellcheck disable=SC2064,SC2086
trap "kill $pids 2>/dev/null; rm -rf '$T'" EXIT
# shellcheck disable=SC2086
"$CAPSCOPE" ps $pids >ps.txt 2>&1
is "$?" 0 "ps of wide names: read"
aligned columns ps.txt "ps: every cell under its header"
# shellcheck disable=SC2086
kill $pids 2>/dev/null

python3 "$corpus" manifest-wide many.yaml
"$CAPSCOPE" explain pod many.yaml >pod.txt 2>&1
like "$?" '^[01]$' "explain pod of wide names: read"
aligned columns pod.txt "explain pod: the flow table's cells under their headers"
aligned list-columns 'Requested capabilities:' pod.txt \
  "explain pod: each requested capability's verdict at one column"
like "$(grep -c 'unknown capability "CAP_一一一一一一一一一一一一一一一一一一\.\.\."' pod.txt)" '^[1-9]' \
  "explain pod: a name too long for the runtime's buffer cut on a character, marked"
"$CAPSCOPE" lint many.yaml | grep -v 'finding(s)' >lint.txt 2>&1
aligned rows lint.txt "lint: every finding's cells at one column"

# An SCC's name is a DNS-1123 subdomain, or the API server refuses the SCC
# (twenty-seventh pass): a wide name never reaches the admission list, whose
# column is tried with a name longer than its 18 columns instead.
cat >scc.yaml <<'Y'
apiVersion: security.openshift.io/v1
kind: SecurityContextConstraints
metadata: {name: "an-scc-name-wider-than-its-column"}
priority: 10
allowedCapabilities: ["NET_RAW"]
runAsUser: {type: RunAsAny}
seLinuxContext: {type: RunAsAny}
volumes: ["*"]
users: ["system:serviceaccount:default:default"]
Y
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: i, securityContext: {capabilities: {add: [SYS_ADMIN]}}}]}\n' >pod.yaml
"$CAPSCOPE" explain pod --openshift --scc scc.yaml pod.yaml >scc.txt 2>&1
like "$(grep -c 'an-scc-name-wider-than-its-column' scc.txt)" '^[1-9]' "explain pod --scc: the long SCC name is listed"
aligned list-columns 'SCC admission:' scc.txt "explain pod --scc: each SCC's reason at one column"
sed 's/name: "an-scc-name-wider-than-its-column"/name: "漢字scc"/' scc.yaml >wide-scc.yaml
"$CAPSCOPE" explain pod --openshift --scc wide-scc.yaml pod.yaml >/dev/null 2>err.txt
is "$?:$(wc -l <err.txt)" "2:1" "explain pod --scc: an SCC of a wide name is refused, one line"
like "$(cat err.txt)" 'wide-scc\.yaml:3:18: metadata\.name: Invalid value "漢字scc"' "  at its name"

if "$CAPSCOPE" trace -- true >/dev/null 2>&1; then
  py=$(python3 -c 'import sys; print(sys.executable)')
  for n in 0 2 3 7; do
    "$CAPSCOPE" trace -v --events -- "$py" "$corpus" trace-comm w$n >trace.txt 2>&1
    is "$?" 0 "trace of wide comm $n: read"
    aligned columns trace.txt "trace of wide comm $n: the table's cells under their headers"
    aligned at-column granted trace.txt "trace --events of wide comm $n: every event's verdict at one column"
  done
else
  skip "trace needs eBPF here"
fi
done_testing

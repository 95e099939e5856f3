#!/usr/bin/env bash
# asan-too
# One strict number parser everywhere (issue 13): a number with a leading
# space, a '+', a leading zero, trailing junk, or out of range is a usage
# error (exit 2) in every command that takes one, never read as something
# else — and the plain form is still accepted.
. "$(dirname "$0")/../lib/tap.sh"
POD=$CAPSCOPE_TOP/examples/pod/nonroot-netbind.yaml

usage() { # description, command...
  local d=$1; shift
  "$@" >/dev/null 2>&1 </dev/null
  is "$?" 2 "$d"
}

for bad in " 1/2" "+1/2" "1/ 2" "01/2" "1/0" "4294967295/2" "1x/2" "/2" "1/"; do
  usage "explain pod --uid-range '$bad' refused" "$CAPSCOPE" explain pod --uid-range "$bad" "$POD"
done
"$CAPSCOPE" explain pod --openshift --uid-range 1000660000/10000 "$POD" >/dev/null 2>&1
ok $([ $? -ne 2 ]; echo $?) "explain pod --openshift --uid-range 1000660000/10000 accepted"

for bad in "bind: 443" "bind:+443" "bind:0443" "bind:0" "bind:65536" "bind:443x" "bind:"; do
  usage "explain pod --check '$bad' refused" "$CAPSCOPE" explain pod --check "$bad" "$POD"
done
"$CAPSCOPE" explain pod --check bind:443 "$POD" >/dev/null 2>&1
ok $([ $? -ne 2 ]; echo $?) "explain pod --check bind:443 accepted"

for bad in " 1" "+1" "01" "1x" "0" "4294967296" ""; do
  usage "ps '$bad' refused" "$CAPSCOPE" ps "$bad"
done
"$CAPSCOPE" ps 1 >/dev/null 2>&1
is "$?" 0 "ps 1 accepted"

for bad in " 5K" "+5K" "5KK" "5T" "K" "-1" "18446744073709551615K"; do
  usage "scan --max-bytes '$bad' refused" "$CAPSCOPE" scan --max-bytes "$bad" "$CAPSCOPE_TOP/examples"
done

# With -p, not a command: --duration with a command is a usage error anyway,
# so the test could not fail (strtod took "0x10" and "0x1p3" unseen).
for bad in "nan" "inf" " 1" "+1" "0x10" "0x1p3" "1e1" "1e999" "0" "-1" "05" "1..5" "." "" \
  "1 " "0.0"; do
  usage "trace --duration '$bad' -p 1 refused" timeout 5 "$CAPSCOPE" trace --duration "$bad" -p 1
done
# A number out of range is said to be one (fourth pass: "not a number").
err=$(timeout 5 "$CAPSCOPE" trace --duration 99999999999 -p 1 2>&1 >/dev/null)
like "$(head -n1 <<<"$err")" "'99999999999' seconds is out of range: more than 0, at most a year" \
  "trace --duration too large: says the range"
# Fifth pass: a value option given twice kept its last value silently
# (run refuses that since the second pass): the first --html was never
# written, the first --duration never applied.
tap_tmpdir
for o in "--threads 1 --threads 2" "--max-ratio 5 --max-ratio 6" "--fail-on low --fail-on high" \
         "--html $T/a.html --html $T/b.html" "--max-bytes 1G --max-bytes 2G"; do
  usage "scan $o refused" "$CAPSCOPE" scan $o "$CAPSCOPE_TOP/examples"
done
[ ! -e "$T/b.html" ]; ok $? "scan --html twice: nothing written"
usage "trace --duration twice refused" timeout 5 "$CAPSCOPE" trace --duration 1 --duration 2 -p 1
usage "trace --html twice refused" timeout 5 "$CAPSCOPE" trace --html "$T/c.html" --html "$T/d.html" -- true
# Sixth pass: --events with --json printed nothing (the JSON report has the
# totals only): an option that does nothing is refused.
usage "trace --events --json refused" timeout 5 "$CAPSCOPE" trace --events --json -- true
err=$("$CAPSCOPE" trace -d 1 --duration 2 -p 1 2>&1 >/dev/null)
like "$(head -n1 <<<"$err")" "--duration given twice" "trace -d and --duration: named"
# Sixth pass: the same in explain, lint, policy and serve (explain pod
# --runtime crio --runtime containerd modelled containerd alone, policy
# check --caps A --caps B allowed B alone, serve --tls-cert twice served the
# second); repeatable options (--scc, --use, --image REF=, --check, --listen,
# --bundle-root) still are.
for o in "--runtime containerd --runtime crio" "--uid-range 1/10 --uid-range 2/10" \
         "--caller self --caller root" "--html $T/e.html --html $T/f.html" "--rootfs / --rootfs /tmp"; do
  usage "explain pod $o refused" "$CAPSCOPE" explain pod $o "$POD"
done
[ ! -e "$T/f.html" ]; ok $? "explain pod --html twice: nothing written"
"$CAPSCOPE" explain pod --check bind:80 --check bind:81 --scc restricted-v2 --scc anyuid "$POD" >/dev/null 2>&1
ok $([ $? -ne 2 ]; echo $?) "explain pod --check and --scc twice accepted (repeatable)"
# Seventh pass: the same SCC twice was evaluated twice (its reasons repeated);
# an SCC's name is unique in a cluster.
err=$("$CAPSCOPE" explain pod --scc restricted-v2 --scc restricted-v2 "$POD" 2>&1 >/dev/null)
is "$?" 2 "explain pod --scc X --scc X: exit 2"
like "$err" "SecurityContextConstraints 'restricted-v2' is given twice" "…named"
timeout 5 "$CAPSCOPE" serve --listen 127.0.0.1:0 --no-inventory --scc anyuid --scc anyuid >/dev/null 2>&1
is "$?" 2 "serve --scc X --scc X: exit 2"
"$CAPSCOPE" explain pod --openshift --scc restricted-v2 "$POD" >/dev/null 2>&1
ok $([ $? -ne 2 ]; echo $?) "explain pod --openshift --scc restricted-v2 (a built-in one named again): accepted"
err=$("$CAPSCOPE" explain oci --caller self --caller root "$CAPSCOPE_TOP/examples/oci/article-ambient" 2>&1)
like "$(head -n1 <<<"$err")" "--caller given twice" "explain oci --caller twice refused"
for o in "--fail-on note --fail-on none" "--psa-level restricted --psa-level privileged" \
         "--runtime containerd --runtime crio" "--config a --config b"; do
  usage "lint $o refused" "$CAPSCOPE" lint $o "$POD"
done
"$CAPSCOPE" lint --scc restricted-v2 --scc anyuid "$POD" >/dev/null 2>&1
ok $([ $? -ne 2 ]; echo $?) "lint --scc twice accepted (repeatable)"
usage "policy check --caps twice refused" "$CAPSCOPE" policy check --caps NET_RAW --caps NET_BIND_SERVICE "$POD"
usage "policy vap --name twice refused" "$CAPSCOPE" policy vap --name a --name b --caps NET_RAW
"$CAPSCOPE" policy check --caps NET_RAW,NET_BIND_SERVICE "$POD" >/dev/null 2>&1
ok $([ $? -ne 2 ]; echo $?) "policy check --caps A,B accepted"
S=(serve --no-inventory --listen 127.0.0.1:0)
for o in "--webhook off --webhook warn" "--tls-cert a --tls-cert b --tls-key k" "--threads 1 --threads 2" \
         "--runtime crio --runtime containerd" "--request-timeout 1 --request-timeout 2"; do
  usage "serve $o refused" timeout 5 "$CAPSCOPE" "${S[@]}" $o
done
err=$(timeout 5 "$CAPSCOPE" "${S[@]}" --webhook off --webhook warn 2>&1 >/dev/null)
like "$(head -n1 <<<"$err")" "--webhook given twice" "serve --webhook twice: named"
# serve --help lists --use and --runtime-caps, which it refused as unknown.
for o in "--use anyuid" "--runtime-caps self"; do
  err=$(timeout 5 "$CAPSCOPE" "${S[@]}" $o --max-body x 2>&1 >/dev/null)
  like "$(head -n1 <<<"$err")" "--max-body wants a number" "serve $o: a known option"
done
# Fifth pass: 0 is a number, only out of range ("'0' is not a number").
err=$("$CAPSCOPE" scan --max-ratio 0 "$CAPSCOPE_TOP/examples" 2>&1 >/dev/null)
like "$(head -n1 <<<"$err")" "'0' is not 1-4294967295" "scan --max-ratio 0: says the range"
err=$("$CAPSCOPE" scan --max-bytes 0 "$CAPSCOPE_TOP/examples" 2>&1 >/dev/null)
like "$(head -n1 <<<"$err")" "'0' is not a size of 1 byte or more" "scan --max-bytes 0: says the range"
for bad in " 1" "+1" "01" "0" "1x"; do
  usage "trace -p '$bad' refused" "$CAPSCOPE" trace -p "$bad"
done

for bad in " 0" "+0" "010" "0x" "1x" "4294967296"; do
  usage "run --user '$bad' refused" "$CAPSCOPE" run --dry-run --user "$bad" --group 0 -- true
done
# Eighteenth pass (part F): --securebits ' 1', '+1', '-1' were refused as
# "unknown name ' 1'", though no name starts so: a number with a blank or a
# sign, said as such.
for bad in " 1" "+1" "-1" "1 " $'\t0x1'; do
  usage "run --securebits '$bad' refused" "$CAPSCOPE" run --dry-run --securebits "$bad" -- true
  like "$("$CAPSCOPE" run --dry-run --securebits "$bad" -- true 2>&1)" "is not a number \(digits alone" \
    "run --securebits '$bad': said to be no number in the accepted form"
done
# The same for an id with a blank: "no such group ' 65534'".
for o in --user --group --groups; do
  for bad in " 0" "0 " $'\t0'; do
    like "$("$CAPSCOPE" run --dry-run $o "$bad" --clear-groups -- true 2>&1)" "has a blank: a (user|group) id is plain digits" \
      "run $o '$bad': said to have a blank"
  done
done
# Third pass: a ratio is no size ("1K" was 1024:1); (uid_t)-1 is no root id
# (the kernel said a bare "Invalid argument").
for bad in 1K 2k 1M; do
  usage "scan --max-ratio '$bad' refused" "$CAPSCOPE" scan --max-ratio "$bad" "$CAPSCOPE_TOP/examples"
done
tap_tmpdir
cp /bin/true "$T/t"
for bad in 4294967295 " 0" 00 -0; do
  usage "file set -n '$bad' refused" "$CAPSCOPE" file set -n "$bad" cap_chown=ep "$T/t"
done
like "$("$CAPSCOPE" file set -n 4294967295 cap_chown=ep "$T/t" 2>&1)" "is not a uid \(0-4294967294\)" \
  "file set -n 4294967295: names the range"
# Options added since the first pass (issue 13's second adversarial pass).
S=(serve --no-inventory) # the webhook alone: --webhook off with it is a usage error of its own
for bad in " 5" "+5" "0x5" "5x" "99999999999999999999" "-1" "" "5.0"; do
  for o in --max-body --request-timeout --max-connections --max-client-connections --threads \
    --shutdown-timeout; do
    usage "serve $o '$bad' refused" timeout 5 "$CAPSCOPE" "${S[@]}" --listen 127.0.0.1:0 $o "$bad"
  done
  usage "scan --threads '$bad' refused" "$CAPSCOPE" scan --threads "$bad" "$CAPSCOPE_TOP/examples"
  usage "scan --max-ratio '$bad' refused" "$CAPSCOPE" scan --max-ratio "$bad" "$CAPSCOPE_TOP/examples"
  usage "explain pod --userns-base '$bad' refused" "$CAPSCOPE" explain pod --userns-base "$bad" "$POD"
  usage "lint --uid-range '1/$bad' refused" "$CAPSCOPE" lint --openshift --uid-range "1/$bad" "$POD"
done
# serve --listen: getaddrinfo took " 80" and "+80", wrapped 99999 to 34463,
# read "127.1" as 127.0.0.1 and "0127.0.0.1" as octal.
for bad in "127.0.0.1:99999" "127.0.0.1:65536" "127.0.0.1: 80" "127.0.0.1:+0" "127.0.0.1:00" \
  "127.0.0.1:0x0" "127.1:0" "0127.0.0.1:0" "::1:0" "[::1:0" "[]:0" "localhost:0" "127.0.0.1:" \
  "127.0.0.1:0 "; do
  usage "serve --listen '$bad' refused" timeout 5 "$CAPSCOPE" "${S[@]}" --listen "$bad"
done
timeout 2 "$CAPSCOPE" "${S[@]}" --listen 127.0.0.1:0 >/dev/null 2>&1
is "$?" 124 "serve --listen 127.0.0.1:0 accepted (runs until the timeout)"
# Capability lists: a comma with no name on one side is a name left out
# ("$A,$B" with B empty), refused like an empty item of --groups.
RUN=$(dirname "$CAPSCOPE")/cli/capscope-run
for bad in "," "net_raw," ",net_raw" "net_raw,,chown" "net_raw, ,chown"; do
  for opt in --inh --ambient --bounding; do
    usage "run $opt '$bad' refused" "$CAPSCOPE" run --dry-run $opt "$bad" -- true
  done
  [ -x "$RUN" ] && usage "capscope-run --bounding '$bad' refused" "$RUN" --dry-run --bounding "$bad" -- true
  usage "encode '$bad' refused" "$CAPSCOPE" encode "$bad"
done
is "$("$CAPSCOPE" encode 'chown, kill net_raw')" 0x0000000000002021 "encode 'chown, kill net_raw': commas and spaces still separate"
done_testing

#!/usr/bin/env bash
# asan-too
# Every option of every command that takes a number, a range or a mask, and
# every file option, against one table of bad spellings (twentieth pass,
# part E, issue 13 class 5): a leading or trailing blank, a '+', hex where
# decimal is meant, '-0', a value past 64 bits, an exponent, a fullwidth
# digit, a newline, an empty value. Each must be one usage error: exit 2,
# the message line (naming the option or the value) and the "Try" line,
# nothing on stdout, nothing from a library. File options get a missing
# file, a directory, an empty file, binary bytes and truncated JSON: exit 2,
# one line naming the file, nothing on stdout.
source "$(dirname "$0")/../lib/tap.sh"
tap_tmpdir
cd "$T" || exit 1
POD=$CAPSCOPE_TOP/examples/pod/nonroot-netbind.yaml
OCI=$CAPSCOPE_TOP/examples/oci
S=(serve --no-inventory --listen 127.0.0.1:0)

# option label | the command, @V@ where the value goes | what the message names
table=(
  "explain pod --userns-base|explain pod --userns-base @V@ $POD|--userns-base"
  "explain pod --uid-range|explain pod --uid-range @V@/10 $POD|--uid-range"
  "explain pod --uid-range size|explain pod --uid-range 1000/@V@ $POD|--uid-range"
  "explain pod --check bind|explain pod --check bind:@V@ $POD|bind"
  "explain pod --runtime release|explain pod --runtime containerd@@V@ $POD|release"
  "lint --uid-range|lint --uid-range @V@/10 $POD|--uid-range"
  "policy --uid-range|policy scc --uid-range @V@/10 $POD|--uid-range"
  "scan --threads|scan --threads @V@ $OCI|--threads"
  "scan --max-ratio|scan --max-ratio @V@ $OCI|--max-ratio"
  "scan --max-bytes|scan --max-bytes @V@ $OCI|--max-bytes"
  "serve --max-body|${S[*]} --max-body @V@|--max-body"
  "serve --request-timeout|${S[*]} --request-timeout @V@|--request-timeout"
  "serve --shutdown-timeout|${S[*]} --shutdown-timeout @V@|--shutdown-timeout"
  "serve --max-connections|${S[*]} --max-connections @V@|--max-connections"
  "serve --threads|${S[*]} --threads @V@|--threads"
  "serve --uid-range|${S[*]} --uid-range @V@/10|--uid-range"
  "trace -p|trace -p @V@|process id"
  "trace --duration|trace --duration @V@ -p 1|seconds"
  "run --user|run --dry-run --user @V@ --group 0 -- true|"
  "run --group|run --dry-run --user 0 --group @V@ -- true|"
  "run --groups|run --dry-run --user 0 --group 0 --groups @V@ -- true|--groups"
  "ps PID|ps @V@|"
)
bad=(" 1" "1 " "+1" "0x10" "-0" "99999999999999999999" "1e3" "１" $'1\n' "")

for row in "${table[@]}"; do
  IFS='|' read -r label cmd names <<<"$row"
  for v in "${bad[@]}"; do
    # split the command on spaces, then put the value in whole
    read -r -a argv <<<"$cmd"
    argv=("${argv[@]//@V@/$v}")
    # an empty value alone is an empty argument (the split dropped none)
    timeout 10 "$CAPSCOPE" "${argv[@]}" >out.txt 2>err.txt </dev/null
    rc=$?
    q=$(printf '%q' "$v")
    if [ "$rc" = 2 ] && [ ! -s out.txt ] && [ "$(wc -l <err.txt)" -le 2 ] &&
       grep -q "^capscope " err.txt && ! grep -qiE "libfyaml|libarchive|libbpf|^error:" err.txt &&
       { [ -z "$names" ] || grep -qF -- "$names" err.txt; }; then
      ok 0 "$label $q: one usage error"
    else
      ok 1 "$label $q: one usage error"
      printf '#   rc=%s stdout=%s bytes\n' "$rc" "$(wc -c <out.txt)"
      sed 's/^/#   /' err.txt | head -n 4
    fi
  done
done

# --runtime-caps: a list of names, a 0x mask or 'self'; a list that names
# nothing (an empty variable) is refused, not a runtime with no capability.
for v in "" " " "," "+1" "0x" "0x 1" "01" "64"; do
  for c in "explain pod --runtime containerd --runtime-caps @V@ $POD" "${S[*]} --runtime-caps @V@"; do
    read -r -a argv <<<"$c"
    argv=("${argv[@]//@V@/$v}")
    timeout 10 "$CAPSCOPE" "${argv[@]}" >out.txt 2>err.txt </dev/null
    is "$?:$(wc -c <out.txt):$(wc -l <err.txt)" "2:0:2" "${argv[0]} --runtime-caps $(printf '%q' "$v"): refused"
  done
done
like "$(head -n1 err.txt)" "--runtime-caps: " "…naming the option"
"$CAPSCOPE" explain pod --runtime containerd --runtime-caps "" "$POD" >/dev/null 2>err.txt
like "$(head -n1 err.txt)" "--runtime-caps: '' names no capability: give 0x0" "an empty --runtime-caps says how to ask for none"
"$CAPSCOPE" explain pod --json --runtime containerd --runtime-caps 0x0 "$POD" >/dev/null 2>&1
ok $([ $? -ne 2 ]; echo $?) "--runtime-caps 0x0 (a runtime holding none) accepted"

# One message for --uid-range in the four commands that take it, the value
# quoted (policy said only "START/SIZE, e.g. ...").
for c in "explain pod --uid-range 12x $POD" "lint --uid-range 12x $POD" "policy scc --uid-range 12x $POD" \
         "${S[*]} --uid-range 12x"; do
  read -r -a argv <<<"$c"
  timeout 10 "$CAPSCOPE" "${argv[@]}" >/dev/null 2>err.txt
  like "$(head -n1 err.txt)" "^capscope [a-z ]+: --uid-range wants START/SIZE, e\.g\. 1000660000/10000, not '12x'$" \
    "${argv[0]} --uid-range 12x: the one message, the value quoted"
done

# Files: each reader, each broken file.
: >empty
head -c 4096 "$CAPSCOPE" >binary
printf '{"a": [1, 2' >trunc.json
mkdir -p adir
files=(nothere adir empty binary trunc.json)
ftable=(
  "explain pod FILE|explain pod @F@"
  "explain pod --scc|explain pod --scc ./@F@ $POD"
  "explain pod --image-config|explain pod --image-config @F@ $POD"
  "explain pod --image|explain pod --image @F@ $POD"
  "explain pod --docker-config|explain pod --runtime docker@20.10 --docker-config @F@ $POD"
  "explain pod --containerd-config|explain pod --runtime containerd --containerd-config @F@ $POD"
  "explain oci|explain oci @F@"
  "policy scc FILE|policy scc @F@"
  "policy --profile|policy vap --name x --profile @F@"
  "lint --config|lint --config @F@ $POD"
  "scan --diff|scan --diff @F@ $OCI"
)
for row in "${ftable[@]}"; do
  IFS='|' read -r label cmd <<<"$row"
  for f in "${files[@]}"; do
    # An empty file is a valid empty config to some readers, and a
    # directory a valid manifest directory or tree to scan: skip those.
    case "$label:$f" in
      "lint --config:empty" | "explain pod FILE:adir" | "policy scc FILE:adir" | "scan --diff:adir") continue ;;
    esac
    read -r -a argv <<<"${cmd//@F@/$f}"
    timeout 10 "$CAPSCOPE" "${argv[@]}" >out.txt 2>err.txt </dev/null
    rc=$?
    if [ "$rc" = 2 ] && [ ! -s out.txt ] && [ "$(wc -l <err.txt)" = 1 ] && grep -qF "$f" err.txt &&
       ! grep -qiE "libfyaml|libarchive|libbpf|^error:" err.txt; then
      ok 0 "$label $f: one line naming the file"
    else
      ok 1 "$label $f: one line naming the file"
      printf '#   rc=%s stdout=%s bytes\n' "$rc" "$(wc -c <out.txt)"
      sed 's/^/#   /' err.txt | head -n 4
    fi
  done
done
done_testing

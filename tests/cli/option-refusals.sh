#!/usr/bin/env bash
# asan-too
# Sixteenth pass, part H: getopt_long's refusals of a long option were all
# "unknown option", twice untrue: `--json=1` said "unknown option '-j'"
# (glibc's optopt is then the option's own value; `--help=x` named '-h', an
# option that exists) and an ambiguous prefix (`--n`: --name or
# --namespace) "unknown option '--n'". One true line each, exit 2, in every
# command (cli/output.c cs_bad_option).
. "$(dirname "$0")/../lib/tap.sh"

refused() { # description, expected text, command...
  local d=$1 want=$2 err rc; shift 2
  err=$("$@" 2>&1 >/dev/null </dev/null); rc=$?
  is "$rc" 2 "$d: exit 2"
  is "$(head -n1 <<<"$err")" "$want" "$d: says so"
  is "$(wc -l <<<"$err" | tr -d ' ')" 2 "$d: one line and the hint"
}

C=$CAPSCOPE
refused "policy --json=1" "capscope policy: option '--json' takes no value" \
  "$C" policy check --caps NET_RAW --json=1 x.yaml
refused "policy --help=x" "capscope policy: option '--help' takes no value" \
  "$C" policy vap --name x --caps NET_RAW --help=x
refused "policy --n" "capscope policy: option '--n' is ambiguous: --name, --namespace" \
  "$C" policy vap --n x --caps NET_RAW
refused "lint --json=yes" "capscope lint: option '--json' takes no value" "$C" lint --json=yes x.yaml
# Seventeenth pass, part D: a short option refused inside a cluster, after
# another option's value that looks like a long option given a value
# (`--json=1` is --config's value here): it named "--json" before.
refused "lint --config --json=1 -jv" "capscope lint: unknown option '-j'" \
  "$C" lint --config --json=1 -jv x.yaml
refused "ps -vjv" "capscope ps: unknown option '-j'" "$C" ps -vjv
refused "lint --config --json=1 -j" "capscope lint: unknown option '-j'" \
  "$C" lint --config --json=1 -j x.yaml
refused "lint --sarif=" "capscope lint: option '--sarif' takes no value" "$C" lint --sarif= x.yaml
refused "scan --json=1" "capscope scan: option '--json' takes no value" "$C" scan --json=1 /nonexistent
refused "ps --json=1" "capscope ps: option '--json' takes no value" "$C" ps --json=1
refused "decode --json=1" "capscope decode: option '--json' takes no value" "$C" decode --json=1 0
refused "explain pod --json=1" "capscope explain pod: option '--json' takes no value" \
  "$C" explain pod --json=1 x.yaml
refused "trace --p" "capscope trace: option '--p' is ambiguous: --pid, --profile" "$C" trace --p 1
refused "trace --verb=1" "capscope trace: option '--verbose' takes no value" \
  "$C" trace --verb=1 -p 1
# What was right stays right: an unknown long option, an unknown short one,
# a missing value, and a unique prefix still taken.
refused "lint --bogus=1" "capscope lint: unknown option '--bogus=1'" "$C" lint --bogus=1 x.yaml
refused "ps -vx" "capscope ps: unknown option '-x'" "$C" ps -vx
refused "lint --=x" "capscope lint: unknown option '--=x'" "$C" lint --=x x.yaml
refused "scan --fail-on" "capscope scan: option '--fail-on' needs a value" "$C" scan --fail-on
out=$("$C" policy check --ca NET_RAW --json "$CAPSCOPE_TOP/examples/pod/nonroot-netbind.yaml" 2>&1)
rc=$?
ok $([ "$rc" -ne 2 ]; echo $?) "a unique prefix (--ca for --caps) is still read"
# An option that would do nothing is a usage error: lint models SCCs only
# with --scc or --openshift, explain pod also with a file holding SCCs;
# --use and --uid-range without them were taken and changed nothing.
POD=$CAPSCOPE_TOP/examples/pod/nonroot-netbind.yaml
refused "lint --use" "capscope lint: --use is for SCC admission: give --scc or --openshift" \
  "$C" lint --use anyuid "$POD"
refused "lint --uid-range" \
  "capscope lint: --uid-range is for SCC admission: give --scc or --openshift" \
  "$C" lint --uid-range 1000/2000 "$POD"
refused "explain pod --use" \
  "capscope explain pod: --use is for SCC admission: give --scc, --openshift or a file with SCCs" \
  "$C" explain pod --use anyuid "$POD"
refused "explain pod --uid-range" \
  "capscope explain pod: --uid-range is for SCC admission: give --scc, --openshift or a file with SCCs" \
  "$C" explain pod --uid-range 1000/2000 "$POD"
for cmd in lint "explain pod"; do
  $C $cmd --openshift --use anyuid --uid-range 1000/2000 "$POD" >/dev/null 2>&1
  ok $([ $? -ne 2 ]; echo $?) "$cmd --openshift --use --uid-range: taken"
done
# explain pod: an SCC in the file is modelled, so both are taken there.
tap_tmpdir
{ cat "$POD"; printf -- '\n---\n'; cat "$CAPSCOPE_TOP/data/scc/anyuid.yaml"; } >"$T/with-scc.yaml"
$C explain pod --use anyuid --uid-range 1000/2000 "$T/with-scc.yaml" >/dev/null 2>&1
ok $([ $? -ne 2 ]; echo $?) "explain pod --use --uid-range with an SCC in the file: taken"
# lint: the same format twice is the same request (it said "--json and --sarif").
"$C" lint --json --json "$POD" >/dev/null 2>&1
ok $([ $? -ne 2 ]; echo $?) "lint --json --json: taken"
refused "lint --json --sarif" "capscope lint: --json and --sarif: give one" \
  "$C" lint --json --sarif "$POD"
# serve: the same two with no SCC modelled (a review carries no SCC).
for o in "--use anyuid" "--uid-range 1000/2000"; do
  err=$(timeout 5 "$C" serve --listen 127.0.0.1:0 --no-inventory $o 2>&1 >/dev/null); rc=$?
  is "$rc:$(head -n1 <<<"$err")" "2:capscope serve: ${o%% *} is for SCC admission: give --scc or --openshift" \
    "serve $o without --scc or --openshift: usage error"
done
# run -- '': the execve error ended with ": " and no name.
err=$("$C" run -- '' 2>&1 >/dev/null); rc=$?
is "$rc:$(head -n1 <<<"$err")" "2:capscope run: the command to run is an empty name ('')" \
  "run -- '': the empty name is said (a usage error, before any step)"
# file rm: "--" after a path ends the options too, as getopt_long's get
# and set read it ("file rm a -- -x" said "unknown option '--'").
touch "$T/a"
err=$(cd "$T" && "$C" file rm a -- -x 2>&1 >/dev/null); rc=$?
is "$rc:$(head -n1 <<<"$err")" "2:capscope file rm: -x: No such file or directory; nothing was written to any of the 2 files" \
  "file rm a -- -x: -x is a path"
err=$(cd "$T" && "$C" file rm a -x 2>&1 >/dev/null); rc=$?
is "$rc:$(head -n1 <<<"$err")" "2:capscope file: unknown option '-x'" "file rm a -x: still an unknown option"
# explain pod FILE FILE explained its pods twice; a file is read once.
n=$("$C" explain pod --json "$POD" "$(dirname "$POD")/../pod/$(basename "$POD")" | jq '.containers | length')
is "$n" "$("$C" explain pod --json "$POD" | jq '.containers | length')" "explain pod FILE FILE (two names): its pods once"
# Twenty-fifth pass, part A: what followed `help`, `--help`, `-h` and
# `--version` was ignored: `capscope help lnt` printed the commands, exit 0,
# and `help lint` not lint's help. `help COMMAND` is its --help now (in
# both binaries: lint runs in the dynamic twin); anything else is refused.
for b in "$C" "$CAPSCOPE_DYN"; do
  is "$("$b" help lint | head -n1)" "Usage: capscope lint [OPTIONS] FILE|DIR|-..." "$(basename "$b") help lint: lint's help"
  is "$("$b" -h ps | head -n1)" "Usage: capscope ps [OPTIONS] [PID...]" "$(basename "$b") -h ps: ps's help"
done
refused "help lnt" "capscope: unknown command 'lnt'" "$C" help lnt
refused "--help with a hostile word" "capscope: unknown command '\\x1b[31mx\\nfake'" "$C" --help $'\e[31mx\nfake'
refused "help a b" "capscope: help takes at most one COMMAND" "$C" help lint ps
refused "--version x" "capscope: --version takes no argument" "$C" --version x
done_testing

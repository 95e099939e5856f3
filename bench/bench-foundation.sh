#!/usr/bin/env bash
# decode vs capsh --decode, ps vs getpcaps and pscap, file get vs getcap.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
build=${1:-build}
cs=$(cd "$build" && pwd)/capscope

# The same 200 masks for both (capsh takes many --decode options in one run).
masks=(); for i in $(seq 1 200); do printf -v m '%016x' $(( (i * 2654435761) & 0x1ffffffffff )); masks+=("$m"); done
capsh_args=$(printf -- '--decode=%s ' "${masks[@]}")
bench_compare "decode 200 masks" "$cs decode ${masks[*]}" "capsh --decode" "capsh $capsh_args"

pids=$(ls /proc | grep -E '^[0-9]+$' | tr '\n' ' ')
anchors=("getpcaps (all pids)" "getpcaps $pids")
command -v pscap >/dev/null && anchors+=("pscap -a" "pscap -a")
bench_compare "ps: every process ($(wc -w <<<"$pids"))" "$cs ps" "${anchors[@]}"

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for i in $(seq 1 2000); do : >"$tmp/f$i"; done
if [ "$(id -u)" -eq 0 ]; then for i in $(seq 1 10 2000); do setcap cap_net_raw+p "$tmp/f$i" 2>/dev/null; done; fi
files=$(printf "$tmp/f%d " $(seq 1 2000))
bench_compare "file get: 2000 files" "$cs file get $files" "getcap" "getcap $files"

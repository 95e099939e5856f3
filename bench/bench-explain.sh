#!/usr/bin/env bash
# explain pod's memory per container: maximum RSS (GNU time -v) for a
# generated List of N pods with one container each, and for one pod with N
# containers, text and --json. Prints KB per container, as the slope between
# N=1000 and N=10000 (what each further container costs) and as the whole
# RSS divided by N. Not a timed test: the target is <= 8 KB a container,
# growing linearly.
set -uo pipefail
build=${1:-build}
cs=$(cd "$build" && pwd)/capscope
[ -x /usr/bin/time ] || { echo "bench-explain: needs GNU time (/usr/bin/time)"; exit 0; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

. "$(dirname "$0")/../tests/lib/pods.sh"
rss() { # args… → max RSS in KB
  /usr/bin/time -f '%M' -o "$tmp/rss" "$cs" explain pod "$@" >/dev/null 2>&1
  tail -n 1 "$tmp/rss" # GNU time first notes a non-zero exit (explain exits 1 here)
}
for shape in list pod; do
  pods_$shape 1000 "$tmp/$shape-1k.json"
  pods_$shape 10000 "$tmp/$shape-10k.json"
  for mode in text json; do
    opt=(--check bind:443); [ $mode = json ] && opt+=(--json)
    a=$(rss "${opt[@]}" "$tmp/$shape-1k.json")
    b=$(rss "${opt[@]}" "$tmp/$shape-10k.json")
    printf 'explain pod %-5s %-4s N=1000 %7d KB  N=10000 %7d KB  %5.1f KB/container (slope)  %5.1f KB/container (RSS/N)\n' \
      "$shape" "$mode" "$a" "$b" "$(awk "BEGIN { print ($b - $a) / 9000 }")" "$(awk "BEGIN { print $b / 10000 }")"
  done
done

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

ctr() { # i
  printf '{"name":"c%d","image":"nginx","command":["/bin/nc","-l","443"],"securityContext":{"runAsUser":1000,"capabilities":{"add":["NET_BIND_SERVICE"],"drop":["ALL"]}}}' "$1"
}
list() { # N OUT: a List of N pods
  { printf '{"apiVersion":"v1","kind":"List","items":['
    for ((i = 0; i < $1; i++)); do
      [ $i -gt 0 ] && printf ','
      printf '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p%d"},"spec":{"containers":[%s]}}' "$i" "$(ctr $i)"
    done
    printf ']}\n'; } >"$2"
}
pod() { # N OUT: one pod with N containers
  { printf '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"big"},"spec":{"containers":['
    for ((i = 0; i < $1; i++)); do
      [ $i -gt 0 ] && printf ','
      ctr $i
    done
    printf ']}}\n'; } >"$2"
}
rss() { # args… → max RSS in KB
  /usr/bin/time -f '%M' -o "$tmp/rss" "$cs" explain pod "$@" >/dev/null 2>&1
  tail -n 1 "$tmp/rss" # GNU time first notes a non-zero exit (explain exits 1 here)
}
for shape in list pod; do
  $shape 1000 "$tmp/$shape-1k.json"
  $shape 10000 "$tmp/$shape-10k.json"
  for mode in text json; do
    opt=(--check bind:443); [ $mode = json ] && opt+=(--json)
    a=$(rss "${opt[@]}" "$tmp/$shape-1k.json")
    b=$(rss "${opt[@]}" "$tmp/$shape-10k.json")
    printf 'explain pod %-5s %-4s N=1000 %7d KB  N=10000 %7d KB  %5.1f KB/container (slope)  %5.1f KB/container (RSS/N)\n' \
      "$shape" "$mode" "$a" "$b" "$(awk "BEGIN { print ($b - $a) / 9000 }")" "$(awk "BEGIN { print $b / 10000 }")"
  done
done

#!/usr/bin/env bash
# explain pod holds little per container (issue 13): the maximum RSS (GNU
# time %M) of a List of N pods and of one pod with N containers, as the
# slope between N=1000 and N=5000 (what each further container costs; the
# target is 8 KB, and it was 9.8 KB a container and 15.6 KB a pod while
# libfyaml's document held the tokens), and the whole RSS over N (a generous
# 12 KB). RSS does not depend on the machine's load. Not under a sanitizer:
# its shadow memory is the point of it.
. "$(dirname "$0")/../lib/tap.sh"
[ -x /usr/bin/time ] || skip_all "needs GNU time (/usr/bin/time)"
grep -q __asan_init "$CAPSCOPE" 2>/dev/null && skip_all "an ASan build: RSS is the sanitizer's"
tap_tmpdir

. "$(dirname "$0")/../lib/pods.sh"
rss() { # file → max RSS in KB (explain exits 1: the capability is not granted)
  /usr/bin/time -f '%M' -o "$T/rss" "$CAPSCOPE" explain pod --check bind:443 "$1" >"$T/out" 2>&1
  tail -n 1 "$T/rss"
}

for shape in list pod; do
  pods_$shape 1000 "$T/$shape-1k.json"
  pods_$shape 5000 "$T/$shape-5k.json"
  a=$(rss "$T/$shape-1k.json")
  b=$(rss "$T/$shape-5k.json")
  grep -q 'c4999' "$T/out"; ok $? "$shape of 5000: every container explained"
  slope=$(awk "BEGIN { printf \"%.1f\", ($b - $a) / 4000 }")
  per=$(awk "BEGIN { printf \"%.1f\", $b / 5000 }")
  echo "# $shape: N=1000 $a KB, N=5000 $b KB: $slope KB/container (slope), $per KB/container (RSS/N)"
  ok "$(awk "BEGIN { print ($slope <= 8) ? 0 : 1 }")" "$shape: $slope KB a further container (at most 8)"
  ok "$(awk "BEGIN { print ($per <= 12) ? 0 : 1 }")" "$shape: $per KB a container in all (at most 12)"
done
done_testing

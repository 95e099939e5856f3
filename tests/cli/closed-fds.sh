#!/usr/bin/env bash
# asan-too
# capscope started with a standard descriptor closed. Thirteenth pass,
# second round: with stdout closed (`>&-`) the next file opened became
# descriptor 1, so `explain pod --html F` wrote its text report into the
# page it published (exit 2, "write error", but the page held the report's
# text among its HTML). A closed descriptor is now held by /dev/null that
# fails every use as before (exit 2, "Bad file descriptor"), and a command
# run by capscope still sees it closed.
source "$(dirname "$0")/../lib/tap.sh"
tap_tmpdir
{
  printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n'
  for i in $(seq 1 12); do
    printf '  - name: c%s\n    image: busybox\n' "$i"
    printf '    securityContext: {capabilities: {add: [NET_ADMIN, SYS_TIME]}}\n'
  done
} >"$T/pod.yaml"
"$CAPSCOPE" explain pod "$T/pod.yaml" >"$T/text" 2>/dev/null
[ "$(wc -c <"$T/text")" -gt 8192 ]
ok $? "the text report is longer than stdio's buffer"

"$CAPSCOPE" explain pod --html "$T/p.html" "$T/pod.yaml" >&- 2>"$T/err"
is "$?" 2 "explain pod --html, stdout closed: exit 2"
like "$(cat "$T/err")" 'write error on standard output: Bad file descriptor$' "…the write error"
is "$(grep -c 'Pod p (' "$T/p.html")" 0 "…the page holds none of the text report"
is "$(tail -n 1 "$T/p.html")" "</html>" "…and ends as a page"

"$CAPSCOPE" scan --html "$T/s.html" "$T" >&- 2>"$T/err"
is "$?" 2 "scan --html, stdout closed: exit 2"
is "$(grep -c 'RISK  PATH' "$T/s.html")" 0 "…the page holds no text table"

"$CAPSCOPE" decode 0x1 <&- >&- 2>"$T/err"
is "$?" 2 "decode with stdin and stdout closed: exit 2"
like "$(cat "$T/err")" 'Bad file descriptor$' "…the write error"

"$CAPSCOPE" run -- sh -c 'for f in 0 1; do [ -e /proc/self/fd/$f ] && echo "$f open" >&2 || echo "$f closed" >&2; done' <&- >&- 2>"$T/err"
is "$(tr '\n' ' ' <"$T/err")" "0 closed 1 closed " "run: the command sees stdin and stdout closed, as given"
done_testing

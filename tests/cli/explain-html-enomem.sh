#!/usr/bin/env bash
# explain pod --html, out of memory, writes the whole page or none
# (twenty-fifth pass, part C). The entrypoint's file capabilities that
# could not be spelled for memory were "?" in the page (lib/html/pod.c),
# and a remedy's snippet line that could not be copied "?" (html_pre),
# exit 0. Each allocation of the run failing alone (tests/lib/failalloc.c)
# must leave the whole page (as with nothing failing) or no page.
source "$(dirname "$0")/../lib/tap.sh"
need_root
command -v setcap >/dev/null || skip_all "no setcap"
source "$CAPSCOPE_TOP/tests/lib/failalloc.sh"
failalloc_setup
cd "$T" || exit 1
mkdir -p rootfs/usr/bin && cp /bin/true rootfs/usr/bin/server
setcap cap_net_bind_service+ep rootfs/usr/bin/server || skip_all "setcap refused here"
printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: x\n    command: ["/usr/bin/server"]\n    securityContext:\n      runAsUser: 1000\n      capabilities:\n        drop: [ALL]\n        add: [NET_BIND_SERVICE]\n' >pod.yaml
cmd=("$CAPSCOPE_DYN" explain pod --rootfs rootfs --html p.html pod.yaml)
"${cmd[@]}" >/dev/null 2>&1
is $? 0 "explain pod --html answers"
mv p.html good.html
grep -q 'file capabilities <code>cap_net_bind_service=ep</code>' good.html
is $? 0 "the page names the entrypoint's file capabilities"
total=$(failalloc_total "${cmd[@]}")
rm -f p.html
wrong=0 first=
for ((n = 0; n < total; n++)); do
  { CS_FAILALLOC_AFTER=$n CS_FAILALLOC_SPAN=1 LD_PRELOAD=$T/failalloc.so "${cmd[@]}" >/dev/null 2>err; } 2>/dev/null
  rc=$?
  if [ -e p.html ] && ! cmp -s p.html good.html; then
    wrong=$((wrong + 1))
    [ -n "$first" ] || first="allocation $((n + 1)): exit $rc, a page that differs"
  fi
  rm -f p.html
done
is "$wrong" 0 "each of $total allocations failing alone: the whole page or none (${first:-every run})"
done_testing

#!/usr/bin/env bash
# A manifest's reader out of memory says so (twenty-second pass, part C):
# each allocation of `explain pod`, `lint` and `policy scc` of a small pod
# failing alone (tests/lib/failalloc.c, CS_FAILALLOC_SPAN=1) gives the
# whole answer (exit 0, the same as with nothing failing) or one line with a reason,
# exit 2. Before, 19 allocations of each (the YAML parser's set-up) came
# back as a bare -ENOMEM, and the command printed "capscope explain pod: "
# and nothing more. libfyaml 0.7.12's own NULL dereference in
# fy_parse_input_append (docs/hardening.md, twentieth pass, part I; every
# input type goes through it) is counted apart: at most 2 a document parsed
# (policy scc parses the pod and its 13 built-in SCCs: 26 seen).
source "$(dirname "$0")/../lib/tap.sh"
source "$CAPSCOPE_TOP/tests/lib/failalloc.sh"
failalloc_setup
printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: x\n    securityContext:\n      capabilities:\n        add: [NET_ADMIN]\n        drop: [ALL]\n' >"$T/pod.yaml"
for cmd in "explain pod" "lint" "policy scc"; do
  # shellcheck disable=SC2086
  "$CAPSCOPE_DYN" $cmd "$T/pod.yaml" >"$T/good" 2>"$T/good.err"
  is $? 0 "$cmd: the pod is read"
  # shellcheck disable=SC2086
  total=$(failalloc_total "$CAPSCOPE_DYN" $cmd "$T/pod.yaml")
  # Documents parsed: the pod, and for policy scc each built-in SCC it
  # ranks (one line each, "(points N, ...)").
  parses=$((1 + $(grep -c '(points ' "$T/good")))
  if [ "$cmd" = "policy scc" ]; then
    # policy scc reads its 13 built-in SCCs with the same code, some 400
    # allocations each (5,830 in all, 3 minutes a sweep): each of the
    # first 500 (the pod's and the first SCC's) and of the last 600 (the
    # admission and the report) fails alone, and every 13th between.
    # shellcheck disable=SC2086
    failalloc_sweep failalloc_said 0 500 1 "$CAPSCOPE_DYN" $cmd "$T/pod.yaml"
    declare -A seen=() first=()
    for k in "${!FA_SEEN[@]}"; do seen[$k]=${FA_SEEN[$k]} first[$k]=${FA_FIRST[$k]}; done
    for range in "500 $((total - 600)) 13" "$((total - 600)) $total 1"; do
      # shellcheck disable=SC2086
      failalloc_sweep failalloc_said $range "$CAPSCOPE_DYN" $cmd "$T/pod.yaml"
      for k in "${!FA_SEEN[@]}"; do
        seen[$k]=$((${seen[$k]:-0} + FA_SEEN[$k]))
        [ -n "${first[$k]:-}" ] || first[$k]=${FA_FIRST[$k]}
      done
    done
    what="of $total allocations, 1,100 and every 13th"
  else
    # shellcheck disable=SC2086
    failalloc_sweep failalloc_said 0 "$total" 1 "$CAPSCOPE_DYN" $cmd "$T/pod.yaml"
    declare -A seen=() first=()
    for k in "${!FA_SEEN[@]}"; do seen[$k]=${FA_SEEN[$k]} first[$k]=${FA_FIRST[$k]}; done
    what="$total allocations"
  fi
  is "${seen[bad]:-0}" 0 "$cmd: $what, each failing alone: whole or one line with its reason, exit 2 (${first[bad]:-every run}; ${seen[whole]:-0} whole, ${seen[said]:-0} said)"
  ok "$([ "${seen[crashed]:-0}" -le $((2 * parses)) ] && echo 0 || echo 1)" \
    "$cmd: libfyaml's own crash counted apart: ${seen[crashed]:-0} (at most 2 for each of the $parses documents parsed)"
done
done_testing

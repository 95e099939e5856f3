#!/usr/bin/env bash
# A name the model's steps quote, out of memory, fails the command
# (twenty-fourth pass): CRI-O's "drop of unknown capability X" and the SCC
# admission's "NAME: ..." and "tried in order: ..." steps wrote "?" for a
# name whose word could not be allocated, and explain pod answered with
# exit 0. Each allocation of `explain pod` of a pod that two SCCs rank,
# one admits and CRI-O drops an unknown capability for, failing alone
# (tests/lib/failalloc.c), gives the whole answer (exit 0, the same as
# with nothing failing) or one line with its reason, exit 2. libfyaml's
# own crash in fy_parse_input_append is counted apart, as in
# cli/yaml-enomem-said (at most 2 a document parsed).
source "$(dirname "$0")/../lib/tap.sh"
source "$CAPSCOPE_TOP/tests/lib/failalloc.sh"
failalloc_setup
printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: x\n    securityContext:\n      runAsUser: 0\n      capabilities:\n        drop: [FOO_BAR]\n' >"$T/pod.yaml"
cmd=("$CAPSCOPE_DYN" explain pod --scc restricted-v2 --scc anyuid --use anyuid "$T/pod.yaml")
"${cmd[@]}" >"$T/good" 2>"$T/good.err"
is $? 0 "the pod is admitted by anyuid"
for step in scc.order scc.chosen crio.drop-unknown; do
  grep -q "\] $step: " "$T/good"
  is $? 0 "the answer has the step $step, whose name is a word"
done
total=$(failalloc_total "${cmd[@]}")
failalloc_sweep failalloc_said 0 "$total" 1 "${cmd[@]}"
is "${FA_SEEN[bad]:-0}" 0 "$total allocations, each failing alone: whole or one line with its reason, exit 2 (${FA_FIRST[bad]:-every run}; ${FA_SEEN[whole]:-0} whole, ${FA_SEEN[said]:-0} said)"
# Three documents parsed: the pod and the two built-in SCCs.
ok "$([ "${FA_SEEN[crashed]:-0}" -le 6 ] && echo 0 || echo 1)" \
  "libfyaml's own crash counted apart: ${FA_SEEN[crashed]:-0} (at most 2 for each of the 3 documents parsed)"
done_testing

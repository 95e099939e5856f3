#!/usr/bin/env bash
# The admission policy generators, out of memory, never answer wrongly
# (twenty-fifth pass, part C): each allocation of `policy vap|kyverno|
# gatekeeper|check` failing alone (tests/lib/failalloc.c) gives the whole
# answer (as with nothing failing) or one line with its reason, exit 2.
# Before: --caps's list copied with strdup, and a copy that failed was
# "--caps: not a list of capability names: 'NET_RAW,CHOWN'" with its Try
# line, blaming a right list. libfyaml's own crash in
# fy_parse_input_append is counted apart (at most 2 a document parsed), as
# in cli/yaml-enomem-said.
source "$(dirname "$0")/../lib/tap.sh"
source "$CAPSCOPE_TOP/tests/lib/failalloc.sh"
failalloc_setup
P=$CAPSCOPE_TOP/examples/pod/nonroot-netbind.yaml

# failalloc_said, with a whole answer's own exit status ($T/good.rc)
classify() {
  if [ "$1" = "$(cat "$T/good.rc")" ] && cmp -s "$T/out" "$T/good" && cmp -s "$T/err" "$T/good.err"; then
    echo whole
  else
    failalloc_said "$1"
  fi
}

sweep() { # DOCUMENTS ARGS...
  local docs=$1 total
  shift
  "$CAPSCOPE_DYN" "$@" >"$T/good" 2>"$T/good.err"
  echo $? >"$T/good.rc"
  total=$(failalloc_total "$CAPSCOPE_DYN" "$@")
  failalloc_sweep classify 0 "$total" 1 "$CAPSCOPE_DYN" "$@"
  is "${FA_SEEN[bad]:-0}" 0 "${*:1:3}: each of $total allocations failing alone: whole or one line, exit 2 (${FA_FIRST[bad]:-every run}; ${FA_SEEN[whole]:-0} whole, ${FA_SEEN[said]:-0} said)"
  ok "$([ "${FA_SEEN[crashed]:-0}" -le $((2 * docs)) ] && echo 0 || echo 1)" \
    "${*:1:2}: libfyaml's own crash counted apart: ${FA_SEEN[crashed]:-0} (at most 2 for each of $docs documents)"
}

"$CAPSCOPE_DYN" policy vap --name x --caps NET_RAW,CHOWN >/dev/null
is $? 0 "policy vap --caps NET_RAW,CHOWN answers"
sweep 0 policy vap --name x --caps NET_RAW,CHOWN
sweep 0 policy kyverno --name x --caps cap_net_raw
sweep 1 policy check --caps NET_RAW "$P"
sweep 1 policy gatekeeper --name x "$P"
done_testing

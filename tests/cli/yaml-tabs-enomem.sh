#!/usr/bin/env bash
# The YAML tab check fails closed when memory runs out (twenty-first pass,
# part H's open point): the second scan that judges tabs as go-yaml does
# stopped at a failed allocation and was taken as "no tab refused", so a
# manifest kubectl refuses (a tab after '-') was read and predicted, exit 0.
# Each allocation of the run is made to fail alone (tests/lib/failalloc.c,
# CS_FAILALLOC_SPAN=1): every run must refuse, the tab or out of memory,
# one line, exit 2; never a prediction (libfyaml's own crash aside, below).
source "$(dirname "$0")/../lib/tap.sh"
source "$CAPSCOPE_TOP/tests/lib/failalloc.sh"
failalloc_setup
printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  -\tname: c\n    image: x\n' >"$T/tab.yaml"
classify() { # RC: oom, refused (one line, exit 2), crashed or bad
  if [ "$1" = 2 ] && [ "$(wc -l <"$T/err")" = 1 ]; then
    grep -q 'out of memory' "$T/err" && echo oom || echo refused
  elif [ "$1" = 139 ]; then
    # libfyaml 0.7.12's own NULL dereference in fy_parse_input_append when
    # an allocation of fy_parser_set_input_callback fails (docs/hardening.md,
    # twentieth pass, part I): once for each parser, the tab scan's and the
    # reader's. Counted apart, and bounded below; never a prediction.
    echo crashed
  else
    echo bad
  fi
}
for cmd in "explain pod" "lint"; do
  # shellcheck disable=SC2086
  "$CAPSCOPE_DYN" $cmd "$T/tab.yaml" >/dev/null 2>"$T/err"
  is $? 2 "$cmd: the tab after '-' refused"
  like "$(cat "$T/err")" "tab.yaml:7:4: YAML: a tab where go-yaml takes no white space" "$cmd: at line 7, column 4"
  # shellcheck disable=SC2086
  total=$(failalloc_total "$CAPSCOPE_DYN" $cmd "$T/tab.yaml")
  # shellcheck disable=SC2086
  failalloc_sweep classify 0 "$total" 1 "$CAPSCOPE_DYN" $cmd "$T/tab.yaml"
  bad=${FA_SEEN[bad]:-0} oom=${FA_SEEN[oom]:-0} crashed=${FA_SEEN[crashed]:-0} first=${FA_FIRST[bad]:-}
  is "$bad" 0 "$cmd, each of its $total allocations failing alone: refused, one line, exit 2 (${first:-every run}; $oom out of memory)"
  is "$((crashed <= 2))" 1 "$cmd: libfyaml's known crash at most once a parser ($crashed runs)"
done
done_testing

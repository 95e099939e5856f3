# shellcheck shell=bash
# Shared by the bench scripts: hyperfine runs, median extraction, ratio lines.
command -v hyperfine >/dev/null || { echo "bench: hyperfine is not installed (make deps)" >&2; exit 1; }
command -v jq >/dev/null || { echo "bench: jq is not installed (make deps)" >&2; exit 1; }
BENCH_RUNS=${BENCH_RUNS:-15}

# bench_compare LABEL CAPSCOPE_CMD ANCHOR_NAME ANCHOR_CMD [ANCHOR_NAME ANCHOR_CMD]...
# One hyperfine run with all commands interleaved in the same warm state.
bench_compare() {
  local label=$1 cs_cmd=$2; shift 2
  local json names=("capscope") cmds=("$cs_cmd")
  while [ $# -ge 2 ]; do names+=("$1"); cmds+=("$2"); shift 2; done
  json=$(mktemp)
  hyperfine -N -i --style none --warmup 3 --runs "$BENCH_RUNS" --export-json "$json" \
    "${cmds[@]}" >/dev/null 2>&1 || hyperfine -i --style none --warmup 3 --runs "$BENCH_RUNS" \
    --export-json "$json" "${cmds[@]}" >/dev/null || { rm -f "$json"; return 1; }
  local cs_med
  cs_med=$(jq '.results[0].median' "$json")
  printf '%-34s %-22s median %9.3f ms\n' "$label" "capscope" "$(jq -n "$cs_med*1000")"
  for i in $(seq 1 $((${#cmds[@]} - 1))); do
    local med
    med=$(jq ".results[$i].median" "$json")
    printf '%-34s %-22s median %9.3f ms   capscope is %.2fx %s\n' "" "${names[$i]}" \
      "$(jq -n "$med*1000")" "$(jq -n "if $cs_med < $med then $med/$cs_med else $cs_med/$med end")" \
      "$(jq -n "if $cs_med < $med then \"faster\" else \"slower\" end" | tr -d '"')"
  done
  rm -f "$json"
}

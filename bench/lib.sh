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
  local cs_med cs_cpu
  cs_med=$(jq '.results[0].median' "$json")
  cs_cpu=$(jq '.results[0].user + .results[0].system' "$json")
  # Wall medians, and CPU (user + system, hyperfine's means): on a shared VM
  # under load a start-up's wall time is mostly waiting for a core, and the
  # CPU time is what compares the programs (twenty-second pass).
  printf '%-34s %-22s median %9.3f ms  cpu %8.3f ms\n' "$label" "capscope" \
    "$(jq -n "$cs_med*1000")" "$(jq -n "$cs_cpu*1000")"
  for i in $(seq 1 $((${#cmds[@]} - 1))); do
    local med cpu
    med=$(jq ".results[$i].median" "$json")
    cpu=$(jq ".results[$i].user + .results[$i].system" "$json")
    printf '%-34s %-22s median %9.3f ms  cpu %8.3f ms   capscope is %.2fx %s (cpu %.2fx %s)\n' "" \
      "${names[$i]}" "$(jq -n "$med*1000")" "$(jq -n "$cpu*1000")" \
      "$(jq -n "if $cs_med < $med then $med/$cs_med else $cs_med/$med end")" \
      "$(jq -n "if $cs_med < $med then \"faster\" else \"slower\" end" | tr -d '"')" \
      "$(jq -n "if $cs_cpu < $cpu then $cpu/$cs_cpu else $cs_cpu/$cpu end")" \
      "$(jq -n "if $cs_cpu < $cpu then \"faster\" else \"slower\" end" | tr -d '"')"
  done
  rm -f "$json"
}

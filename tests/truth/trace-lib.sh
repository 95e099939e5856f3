# Shared by the tests/truth/trace-*.sh suites (sourced, not run on its own).
# shellcheck shell=bash
HELPER=${CAPSCOPE_BUILD:-$CAPSCOPE_TOP/build}/tests/helpers/trace-helper

# Skip only when the tracer really cannot run here (no BTF, no BPF tracer in
# this build, no hook for cap_capable); any other failure is a failure.
trace_need_bpf() {
  need_root
  [ -x "$HELPER" ] || skip_all "trace-helper not built ($HELPER)"
  command -v jq >/dev/null || skip_all "jq missing"
  [ -e /sys/kernel/btf/vmlinux ] || skip_all "kernel has no BTF (/sys/kernel/btf/vmlinux)"
  local out
  if ! out=$("$CAPSCOPE" trace -- true 2>&1 >/dev/null); then
    case "$out" in
      *"built without its BPF tracer"* | *"no way to trace cap_capable"*) skip_all "$out" ;;
    esac
  fi
}

# The report's capability names in one field: checks[] or profile.
caps_of() { jq -r "$1" | paste -sd, -; }

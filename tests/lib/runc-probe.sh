# Shared by the truth suites that run the static probe under real runc
# (sourced after tap.sh, not a test).
# shellcheck shell=bash

# runc_probe_needs [TOOL...]: root, runc, jq and each TOOL, the probe built
# ($PROBE); then $T (tap_tmpdir, 0755 so a container's uid 1000 reads it).
runc_probe_needs() {
  need_root
  command -v runc >/dev/null || skip_all "runc is not installed (scripts/install-deps.sh)"
  local t
  for t in jq "$@"; do
    command -v "$t" >/dev/null || skip_all "$t is not installed"
  done
  PROBE=${CAPSCOPE_BUILD:-$CAPSCOPE_TOP/build}/tests/truth/probe
  [ -x "$PROBE" ] || skip_all "the static probe was not built ($PROBE)"
  tap_tmpdir
  chmod 755 "$T"
}

# runc_probe_rootfs: runc_probe_needs, with $T/state for runc's --root and
# $T/rootfs holding the probe as /bin/app.
runc_probe_rootfs() {
  runc_probe_needs
  mkdir -p "$T/state" "$T/rootfs/proc" "$T/rootfs/bin"
  cp "$PROBE" "$T/rootfs/bin/app"
}

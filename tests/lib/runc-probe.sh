# Shared by the truth suites that run the static probe under real runc
# (sourced after tap.sh, not a test): root, runc and jq, the probe built;
# then $T (tap_tmpdir, 0755 so runc's uid 1000 reads it) with $T/state
# for runc's --root and $T/rootfs holding the probe as /bin/app.
# shellcheck shell=bash
runc_probe_rootfs() {
  need_root
  command -v runc >/dev/null || skip_all "runc is not installed (scripts/install-deps.sh)"
  command -v jq >/dev/null || skip_all "jq is not installed"
  PROBE=${CAPSCOPE_BUILD:-$CAPSCOPE_TOP/build}/tests/truth/probe
  [ -x "$PROBE" ] || skip_all "the static probe was not built ($PROBE)"
  tap_tmpdir
  chmod 755 "$T"
  mkdir -p "$T/state" "$T/rootfs/proc" "$T/rootfs/bin"
  cp "$PROBE" "$T/rootfs/bin/app"
}

#!/usr/bin/env bash
# The port sysctls' values against this kernel: a few hundred spellings
# (blanks, signs, bases, 21-byte numbers, junk after, two values and their
# separators, a write longer than the page the kernel reads) written as
# runc writes them into a new network namespace, each read back and
# compared with capscope's reader; then pairs of the two keys, both orders,
# against explain pod --check bind:80. See sysctl-kernel-diff.py.
source "$(dirname "$0")/../lib/tap.sh"
need_root
command -v python3 >/dev/null || skip_all "python3 is not installed"
HELPER=$(dirname "$CAPSCOPE")/tests/helpers/sysctl-read
[ -x "$HELPER" ] || skip_all "tests/helpers/sysctl-read was not built"
tap_tmpdir
exec python3 "$(dirname "$0")/sysctl-kernel-diff.py" "$HELPER" "$CAPSCOPE" "$T" --seed 20261203 --count 600

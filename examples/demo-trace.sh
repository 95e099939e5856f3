#!/usr/bin/env bash
# capscope trace, live: which capabilities do real commands use, and the least set.
# Needs root and a kernel with BTF (the tracer is eBPF); no network.
set -uo pipefail
capscope=${1:-build/capscope}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

if [ "$(id -u)" -ne 0 ]; then echo "demo-trace: needs root (BPF)"; exit 0; fi
if ! "$capscope" trace -- true >/dev/null 2>"$tmp/err"; then
  echo "demo-trace: capscope trace cannot run here: $(cat "$tmp/err")"; exit 0
fi

echo "== chown a file: CAP_CHOWN, nothing else (noise hidden) =="
touch "$tmp/f"
"$capscope" trace --profile k8s -- chown nobody "$tmp/f"

echo
echo "== the same with -v: the overcommit heuristic's CAP_SYS_ADMIN, kept out =="
"$capscope" trace -v -- chown root "$tmp/f"

echo
echo "== drop to nobody, then read a root-only file: DAC checks denied, not added =="
echo secret >"$tmp/secret"; chmod 600 "$tmp/secret"; chmod 755 "$tmp"
"$capscope" trace -- setpriv --reuid=nobody --regid=nogroup --clear-groups cat "$tmp/secret"

echo
echo "== bind port 80 in a private network namespace, profile verified =="
helper=$(dirname "$capscope")/tests/helpers/trace-helper # binds 127.0.0.1:PORT and exits
if [ -x "$helper" ]; then
  unshare --net sh -c 'ip link set lo up && exec "$@"' netns \
    "$capscope" trace --profile docker --profile systemd --verify -- "$helper" bind 80
else
  echo "(skipped: $helper not built)"
fi

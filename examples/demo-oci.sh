#!/usr/bin/env bash
# The reference article's story with `capscope explain oci`: a non-root
# container with NET_BIND_SERVICE in its bounding, permitted and effective
# sets still cannot bind port 443 — and the three ways out (ambient, file
# capabilities on the entrypoint, root with every other capability dropped).
# $1 = path to capscope. With root and runc, each bundle is also run for real.
set -uo pipefail
CAPSCOPE=${1:-$(dirname "$0")/../build/capscope}
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$(dirname "$CAPSCOPE")" && pwd)
probe=$build/tests/truth/probe
[ -x "$probe" ] || probe=/bin/true
work=$(mktemp -d "${TMPDIR:-/tmp}/capscope-demo.XXXXXX")
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
root=$([ "$(id -u)" -eq 0 ] && echo 1 || echo 0)

heading() { printf '\n\033[1m== %s\033[0m\n\n' "$*" | sed "$([ -n "${NO_COLOR:-}" ] || [ ! -t 1 ] && echo 's/\x1b\[[0-9;]*m//g')"; }

for name in article-no-ambient article-ambient article-filecaps article-root-dropped; do
  b=$work/$name
  cp -r "$here/oci/$name" "$b"
  mkdir -p "$b/rootfs/usr/bin" "$b/rootfs/proc" "$b/rootfs/dev"
  cp "$probe" "$b/rootfs/usr/bin/server"
  chmod 755 "$b/rootfs/usr/bin/server"
  if [ "$name" = article-filecaps ]; then
    if [ "$root" = 1 ] && command -v setcap >/dev/null; then
      setcap cap_net_bind_service+ep "$b/rootfs/usr/bin/server"
    else
      echo "(not root: cannot put file capabilities on the entrypoint; this case shows no file caps)"
    fi
  fi
  case $name in
  article-no-ambient) heading "1. uid 1000660000, NET_BIND_SERVICE in bounding/permitted/effective, no ambient" ;;
  article-ambient) heading "2. the same plus inheritable and ambient" ;;
  article-filecaps) heading "3. no ambient, but the entrypoint has cap_net_bind_service+ep" ;;
  article-root-dropped) heading "4. uid 0 with every capability but NET_BIND_SERVICE dropped" ;;
  esac
  "$CAPSCOPE" explain oci "$b"
  if [ "$root" = 1 ] && command -v runc >/dev/null && [ "$probe" != /bin/true ]; then
    echo
    echo "runc run, as reported by the process itself:"
    runc --root "$work/state" run --bundle "$b" "capscope-demo-$$-$name" 2>&1 |
      grep -E '^(Uid|CapPrm|CapEff|CapAmb|Bind):' | sed 's/^/  /'
  fi
done

#!/usr/bin/env bash
# make demo: capscope's main jobs on the reference article's cases
# (shared/reference/linux-capabilities-in-openshift.txt), then every
# examples/demo-*.sh that the other commands ship.
set -uo pipefail
cs=${1:-build/capscope}
cs=$(cd "$(dirname "$cs")" && pwd)/$(basename "$cs")
here=$(cd "$(dirname "$0")" && pwd)
export NO_COLOR=${NO_COLOR:-}
if [ -t 1 ] && [ -z "$NO_COLOR" ]; then b=$'\033[1m' n=$'\033[0m'; else b= n=; fi
h() { printf '\n%s== %s%s\n' "$b" "$*" "$n"; }
run() { printf '$ %s\n' "$*"; "$@"; }

h "The article's masks, decoded (capsh --decode, one command)"
run "$cs" decode 0000003fffffffff 3000 5c0 400 4251b

h "Names back to masks, in Kubernetes, OCI and libcap spelling"
run "$cs" encode NET_BIND_SERVICE CAP_NET_RAW,CAP_NET_ADMIN 'cap_net_bind_service+eip'

if [ "$(id -u)" -eq 0 ] && command -v capsh >/dev/null; then
  h "A non-root process that keeps NET_BIND_SERVICE through ambient (the article's capsh line)"
  capsh --caps='cap_net_bind_service,cap_setgid,cap_setuid,cap_setpcap+eip' --user=nobody \
    --addamb='cap_net_bind_service' -- -c 'exec sleep 30' &
  amb=$!
  for _ in $(seq 1 100); do [ "$(cat /proc/$amb/comm 2>/dev/null)" = sleep ] && break; sleep 0.02; done
  run "$cs" ps -v "$amb"
  h "The same without --addamb: nothing survives the switch to nobody"
  capsh --caps='cap_net_bind_service,cap_setgid,cap_setuid,cap_setpcap+eip' --user=nobody \
    -- -c 'exec sleep 30' &
  noamb=$!
  for _ in $(seq 1 100); do [ "$(cat /proc/$noamb/comm 2>/dev/null)" = sleep ] && break; sleep 0.02; done
  run "$cs" ps "$amb" "$noamb"
  kill "$amb" "$noamb" 2>/dev/null

  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  cp "$(command -v nc 2>/dev/null || command -v sleep)" "$tmp/nc"
  h "File capabilities, the article's third approach (setcap 'cap_net_bind_service+ep' nc)"
  run "$cs" file set cap_net_bind_service+ep "$tmp/nc"
  run "$cs" file get "$tmp/nc"
  run "$cs" file get --json "$tmp/nc"
else
  h "(run as root for the process and file-capability parts)"
fi

for d in "$here"/demo-*.sh; do
  [ -x "$d" ] || continue
  h "$(basename "$d" .sh)"
  "$d" "$cs" || echo "demo: $(basename "$d") failed with exit $?" >&2
done

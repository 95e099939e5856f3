#!/usr/bin/env bash
# Real dockerd 20.10 as the oracle for capscope's daemon.json reader
# (twenty-first pass, part D; issue #13 class 4): duplicate keys, keys in
# another case (ASCII, U+017F, U+212A), escapes in keys, values of the wrong
# type, nested flags, a byte order mark. For each file dockerd is started
# with it (temporary data, exec root and pid file, no bridge or iptables) and
# stopped by its PID: where it does not start, capscope must refuse in one
# line with file:line:column; where it starts, capscope reads the file or
# refuses so. The value read (no-new-privileges) is compared with real
# containers by truth/docker-daemon-json.
source "$(dirname "$0")/../lib/tap.sh"
need_root
command -v dockerd >/dev/null || skip_all "dockerd is not installed"
command -v containerd >/dev/null || skip_all "containerd is not installed (dockerd needs it)"
command -v curl >/dev/null || skip_all "curl is not installed"
dockerd --version | grep -q ' 20\.10\.' || skip_all "the expectations are dockerd 20.10's"
tap_tmpdir
POD=$CAPSCOPE_TOP/examples/pod/nonroot-netbind.yaml
PID=

stop() { # stops the dockerd started last, by its PID, and unmounts what it left
  [ -n "$PID" ] || return 0
  kill "$PID" 2>/dev/null
  for _ in $(seq 150); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
  grep -o " ${T}[^ ]*" /proc/mounts 2>/dev/null | sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done
  PID=
}
trap 'stop; rm -rf "$T"' EXIT

# dockerd_view DIR: "ok" when dockerd answers with DIR/daemon.json, "refuse"
# when it exits first (10 s at most).
dockerd_view() {
  local d=$1
  dockerd --config-file "$d/daemon.json" --data-root "$d/data" --exec-root "$d/exec" \
    --pidfile "$d/docker.pid" -H "unix://$d/docker.sock" --bridge=none --iptables=false \
    --ip6tables=false --ip-masq=false --userland-proxy=false >"$d/dockerd.log" 2>&1 &
  PID=$!
  for _ in $(seq 100); do
    if ! kill -0 "$PID" 2>/dev/null; then PID=; echo refuse; return; fi
    if [ -S "$d/docker.sock" ] && curl -sf --unix-socket "$d/docker.sock" http://localhost/_ping >/dev/null 2>&1; then
      stop; echo ok; return
    fi
    sleep 0.1
  done
  stop
  echo timeout
}

n=0
case_() { # name json (printf %b)
  local d=$T/c$n real rc lines
  n=$((n + 1))
  mkdir -p "$d"
  printf '%b' "$2" >"$d/daemon.json"
  real=$(dockerd_view "$d")
  "$CAPSCOPE" explain pod --runtime docker@20.10 --docker-config "$d/daemon.json" "$POD" >/dev/null 2>"$d/err"
  rc=$?
  lines=$(wc -l <"$d/err")
  if [ "$real" = timeout ]; then
    skip "$1: dockerd neither started nor stopped in 10 s"
  elif [ "$rc" = 2 ]; then
    [ "$lines" = 1 ] && grep -q 'daemon.json:[0-9]*:[0-9]*: ' "$d/err"
    ok $? "$1: dockerd $real, capscope refuses in one line with file:line:column"
  else
    is "$real" ok "$1: capscope reads it (exit $rc), so must dockerd"
  fi
  if [ "$real" = refuse ] && [ "$rc" != 2 ]; then
    grep -m2 -i 'unable\|error' "$d/dockerd.log" | sed 's/^/# dockerd: /'
  fi
}

case_ "the option" '{"no-new-privileges": true}'
case_ "null" 'null'
case_ "a key twice" '{"no-new-privileges": true, "no-new-privileges": false}'
case_ "a key twice, the other order" '{"no-new-privileges": false, "no-new-privileges": true}'
case_ "a key in another case" '{"No-New-Privileges": true}'
case_ "a key with U+017F for s" '{"no-new-privilege\xc5\xbf": true}'
case_ "a key with U+212A for k" '{"\\u212aey": 1}'
case_ "two spellings of debug" '{"debug": true, "DEBUG": false}'
case_ "an escape in a key" '{"no-new-privil\\u0065ges": true}'
case_ "a string for a boolean" '{"no-new-privileges": "true"}'
case_ "a number for a boolean" '{"no-new-privileges": 1}'
case_ "a string for debug" '{"debug": "yes"}'
case_ "a float for a count" '{"max-concurrent-downloads": 1.5}'
case_ "an exponent for a count" '{"max-concurrent-downloads": 1e2}'
case_ "a negative count" '{"max-concurrent-downloads": -1}'
case_ "a number in log-opts" '{"log-opts": {"max-size": 1}}'
case_ "a number for a runtime path" '{"runtimes": {"x": {"path": 1}}}'
case_ "the option inside another object" '{"x": {"no-new-privileges": true}}'
case_ "debug inside another object" '{"x": {"debug": true}}'
case_ "the option under features" '{"features": {"no-new-privileges": true}}'
case_ "text after the object" '{"no-new-privileges": true} x'
case_ "a byte order mark" '\xef\xbb\xbf{"no-new-privileges": true}'
case_ "an empty file" ''
case_ "an array" '[]'
done_testing

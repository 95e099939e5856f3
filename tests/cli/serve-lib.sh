# Shared by the serve suites (sourced, not a test): start capscope serve on
# 127.0.0.1 with a free port (port 0, read back from its log), stop it by
# PID, and make a CA and server certificates with certtool.
# shellcheck shell=bash

# serve_start NAME ARGS… → $NAME_PID, $NAME_PORT, log in $T/NAME.log.
# SERVE_BIN runs another program than $CAPSCOPE (a valgrind wrapper), and
# SERVE_WAIT waits that many tenths of a second for its port (default 100).
serve_start() {
  local name=$1; shift
  # emptied here, not only by the child's redirection: a second agent of
  # one NAME, its child not yet run, read the first one's port from the old
  # log (a make check under load: "connection refused" on a stopped port)
  : >"$T/$name.log"
  "${SERVE_BIN:-$CAPSCOPE}" serve --listen 127.0.0.1:0 "$@" >"$T/$name.out" 2>"$T/$name.log" &
  local pid=$! port=""
  for _ in $(seq "${SERVE_WAIT:-100}"); do
    port=$(sed -n 's|^capscope serve: listening on https\{0,1\}://127\.0\.0\.1:\([0-9]*\)$|\1|p' "$T/$name.log" | head -n1)
    [ -n "$port" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  printf -v "${name}_PID" '%s' "$pid"
  printf -v "${name}_PORT" '%s' "$port"
  [ -n "$port" ]
}

# valgrind_wrapper FILE: FILE runs capscope-dyn under valgrind (exit 99 on
# any finding, the leak check's definite losses included), as SERVE_BIN.
valgrind_wrapper() {
  printf '#!/bin/sh\nexec valgrind -q --vgdb=no --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --track-origins=yes --suppressions="%s" "%s" "$@"\n' \
    "$CAPSCOPE_TOP/tests/valgrind.supp" "$CAPSCOPE_DYN" >"$1" && chmod +x "$1"
}

# serve_stop NAME: SIGTERM, wait; returns the exit status.
serve_stop() {
  local pid_var="${1}_PID"
  local pid=${!pid_var}
  kill -TERM "$pid" 2>/dev/null
  wait "$pid"
}

# make_ca DIR: DIR/ca.{key,crt}; make_cert DIR NAME CN: DIR/NAME.{key,crt} for 127.0.0.1
make_ca() {
  local d=$1
  printf 'cn = "capscope test CA"\nca\ncert_signing_key\nexpiration_days = 2\n' >"$d/ca.tmpl"
  certtool --generate-privkey --key-type=ecdsa --outfile "$d/ca.key" >/dev/null 2>&1 &&
    certtool --generate-self-signed --load-privkey "$d/ca.key" --template "$d/ca.tmpl" \
      --outfile "$d/ca.crt" >/dev/null 2>&1
}
make_cert() {
  local d=$1 name=$2 cn=$3
  printf 'cn = "%s"\ndns_name = "localhost"\nip_address = "127.0.0.1"\ntls_www_server\nsigning_key\nencryption_key\nexpiration_days = 2\n' \
    "$cn" >"$d/$name.tmpl"
  certtool --generate-privkey --key-type=ecdsa --outfile "$d/$name.key" >/dev/null 2>&1 &&
    certtool --generate-certificate --load-privkey "$d/$name.key" --load-ca-certificate "$d/ca.crt" \
      --load-ca-privkey "$d/ca.key" --template "$d/$name.tmpl" --outfile "$d/$name.crt" >/dev/null 2>&1
}

# free_port: a TCP port free on 127.0.0.1 now
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# prom_start DIR TARGET…: Debian's prometheus on 127.0.0.1, scraping each
# TARGET (HOST:PORT) every second as job "capscope", its data in DIR →
# $PROM_PID, $PROM_PORT. Stop it with kill "$PROM_PID".
prom_start() {
  local d=$1 t
  shift
  PROM_PORT=$(free_port)
  {
    printf 'global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: capscope\n'
    printf '    static_configs:\n      - targets:\n'
    for t in "$@"; do printf '          - "%s"\n' "$t"; done
  } >"$d/prometheus.yml"
  prometheus --config.file="$d/prometheus.yml" --storage.tsdb.path="$d/tsdb" \
    --web.listen-address="127.0.0.1:$PROM_PORT" >"$d/prom.log" 2>&1 &
  PROM_PID=$!
}

# prom_query QUERY JQ: JQ over the result vector of a PromQL instant query,
# asked again each second (up to 60 s) until JQ prints something.
prom_query() {
  local q=$1 f=$2 res=""
  for _ in $(seq 60); do
    res=$(curl -s "http://127.0.0.1:$PROM_PORT/api/v1/query" --data-urlencode "query=$q" |
      jq -r ".data.result | $f" 2>/dev/null)
    [ -n "$res" ] && break
    kill -0 "$PROM_PID" 2>/dev/null || break
    sleep 1
  done
  printf '%s\n' "$res"
}

# caps_of_pid PID: the five sets of /proc/PID/status as the agent's series
# name them, one "set CAPABILITY" a line, sorted (capsh decodes the masks).
caps_of_pid() {
  local set key
  for set in bounding:CapBnd effective:CapEff permitted:CapPrm inheritable:CapInh ambient:CapAmb; do
    key=${set#*:}
    capsh --decode="$(awk -v k="$key:" '$1 == k {print $2}' "/proc/$1/status")" |
      sed 's/^.*=//' | tr ',' '\n' | sed '/^$/d' | tr a-z A-Z | sed "s/^/${set%%:*} /"
  done | sort
}

# crio_bundles DIR PID N: N CRI-O container bundles (DIR/<id>/userdata with
# config.json and pidfile, as CRI-O lays them out) of pods pod-0.., each
# naming process PID: the many-container node of the page tests.
crio_bundles() {
  python3 - "$1" "$2" "$3" <<'PY'
import json, os, sys
for k in range(int(sys.argv[3])):
    d = os.path.join(sys.argv[1], "%064x" % (k + 1), "userdata")
    os.makedirs(d)
    c = {"ociVersion": "1.0.2", "root": {"path": "rootfs"},
         "process": {"user": {"uid": 0, "gid": 0}, "args": ["sleep", "600"], "cwd": "/",
                     "capabilities": {"bounding": ["CAP_CHOWN", "CAP_KILL", "CAP_SETUID"],
                                      "effective": ["CAP_CHOWN"], "permitted": ["CAP_CHOWN"]}},
         "annotations": {"io.kubernetes.pod.namespace": "namespace-%d" % k,
                         "io.kubernetes.pod.name": "pod-%d" % k,
                         "io.kubernetes.container.name": "container-%d" % k,
                         "io.kubernetes.cri-o.ContainerType": "container"}}
    json.dump(c, open(os.path.join(d, "config.json"), "w"))
    open(os.path.join(d, "pidfile"), "w").write(sys.argv[2] + "\n")
PY
}

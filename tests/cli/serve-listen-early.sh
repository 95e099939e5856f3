#!/usr/bin/env bash
# asan-too
# serve --listen VALUE that is not ADDR:PORT is refused as the options are
# read: one line quoting the value, "Try", exit 2, before any start-up
# work (twenty-first pass, part E: `--listen :+1` was refused only after
# the SCCs were loaded, the threads started, as a run-time error, the value
# unquoted: `--listen : 80: not ADDR:PORT`). The --scc file that cannot be
# read comes after, and is named (it was "cannot read: No such file or
# directory", no file).
source "$(dirname "$0")/../lib/tap.sh"
tap_tmpdir
cd "$T" || exit 1

for v in ':+1' ':0x50' ': 80' '[::1' 'host:99999' '127.0.0.1:99999' ':80' '127.0.0.1:' '[::1]:' \
  '127.0.0.1:080' '127.0.0.1:-0' '127.0.0.1: 80' '127.0.0.1:80 ' ' 127.0.0.1:80' '127.1:80' \
  '[127.0.0.1]:80' '::1:80' '127.0.0.1:+80'; do
  # an --scc that cannot be read: refused first if --listen were checked late
  timeout 10 "$CAPSCOPE" serve --listen "$v" --scc "$T/no-such.yaml" >out 2>err
  rc=$?
  is "$rc $(head -n1 err)" "2 capscope serve: --listen: '$v' is not ADDR:PORT (an IPv4 address or an IPv6 one in brackets, a port 0-65535 in digits)" \
    "--listen '$v': refused as the options are read, quoted"
  is "$(sed -n 2p err)$(wc -l <err)" "Try 'capscope serve --help'.2" "--listen '$v': a usage error, two lines"
done
timeout 10 "$CAPSCOPE" serve --listen 127.0.0.1:0 --scc "$T/no-such.yaml" >out 2>err
is "$? $(cat err)" "2 capscope serve: --scc: $T/no-such.yaml: cannot read: No such file or directory" \
  "serve --scc FILE that does not exist: the option and the file named (as explain pod and lint say it)"
done_testing

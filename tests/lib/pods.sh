# Generated one-line JSON manifests for memory measurements (sourced by
# tests/cli/explain-memory.sh and bench/bench-explain.sh): containers that
# bind 443 as uid 1000 with NET_BIND_SERVICE added and ALL dropped.

pods_ctr() { # i
  printf '{"name":"c%d","image":"nginx","command":["/bin/nc","-l","443"],"securityContext":{"runAsUser":1000,"capabilities":{"add":["NET_BIND_SERVICE"],"drop":["ALL"]}}}' "$1"
}

pods_list() { # N OUT: a List of N pods, one container each
  { printf '{"apiVersion":"v1","kind":"List","items":['
    for ((i = 0; i < $1; i++)); do
      [ $i -gt 0 ] && printf ','
      printf '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p%d"},"spec":{"containers":[' "$i"
      pods_ctr $i
      printf ']}}'
    done
    printf ']}\n'; } >"$2"
}

pods_pod() { # N OUT: one pod with N containers
  { printf '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"big"},"spec":{"containers":['
    for ((i = 0; i < $1; i++)); do
      [ $i -gt 0 ] && printf ','
      pods_ctr $i
    done
    printf ']}}\n'; } >"$2"
}

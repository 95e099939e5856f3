#!/usr/bin/env bash
# Real dockerd 20.10 with daemon.json's no-new-privileges: true: every
# container's /proc/self/status says NoNewPrivs 1 whatever the pod asks, so
# the set-uid and file-capability images gain nothing at exec. The same
# seeded matrix as docker-matrix.sh, capscope given the file with
# --docker-config (fifteenth pass, part Q).
CAPSCOPE_DOCKER_DAEMON_JSON='{"no-new-privileges": true}' \
  CAPSCOPE_MATRIX_CASES=${CAPSCOPE_MATRIX_CASES:-60} \
  exec "$(dirname "$0")/docker-matrix.sh" "$@"

file set -n

#!/usr/bin/env bash
# Install the Debian packages capscope needs to build, test and demo.
# Only what is missing is installed; nothing happens when all are present.
#   install-deps.sh          what `make build` and `make check` need
#   install-deps.sh --image  what `make image` needs (the same list: its
#                            test runs in `make check`)
set -euo pipefail

packages=(
  # build
  gcc clang llvm make meson ninja-build pkg-config
  libcap-dev libcmocka-dev libfyaml-dev libarchive-dev libbpf-dev bpftool
  libclang-rt-14-dev
  # the formatter, pinned: `make check` fails on unformatted code, and
  # another clang-format version formats differently (tests/cli/format.sh)
  clang-format-14
  # oracles and the real things the tests run
  libcap2-bin runc attr util-linux iproute2 netcat-openbsd jq zstd tar gzip
  valgrind bpftrace hyperfine libcap-ng-utils groff-base strace
  # the container runtimes as oracles (tests/truth/{containerd,docker,podman}-matrix.sh)
  containerd docker.io podman curl python3 python3-grpcio python3-protobuf protobuf-compiler
  # tests/policy: the interpreters of the generated policies read YAML and JMESPath
  python3-yaml python3-jmespath
  # tests/cli/lint.sh: SARIF checked against the 2.1.0 schema (tests/data/sarif)
  python3-jsonschema
  # capscope serve: the HTTP(S) server, and what its tests and bench run
  libmicrohttpd-dev gnutls-bin prometheus wrk
  # its node pages are kept deflated (daemon/serve-zpage.c)
  zlib1g-dev
  # tests/truth/serve-image.sh builds make image's archive and runs it under
  # runc, so `make check` proves the image on a fresh machine too
  mmdebstrap
  # --html pages: loaded in a real browser (tests/cli/html.sh), screenshots measured
  chromium python3-pil
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "capscope: missing Debian packages: ${missing[*]}" >&2
  echo "capscope: run as root, or: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "capscope: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq </dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null

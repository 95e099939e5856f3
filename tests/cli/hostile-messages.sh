#!/usr/bin/env bash
# asan-too
# Issue #13's adversarial pass (docs/hardening.md): error messages and other
# paths the earlier passes did not reach. Every message on stderr goes through
# the one escaping rule (escape.h) in cs_err, so a tar entry name, a manifest
# value or a file name quoted by a library diagnostic can neither move the
# cursor nor forge a line; and every message names the file it is about.
source "$(dirname "$0")/../lib/tap.sh"
command -v python3 >/dev/null || skip_all "needs python3"
tap_tmpdir
cd "$T" || exit 1

# raw_ctl FILE: does FILE hold an ESC byte, or any other C0 control but \n?
raw_ctl() { LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f]' "$1"; }

cat >ok.yaml <<'Y'
apiVersion: v1
kind: Pod
metadata: {name: p}
spec: {containers: [{name: c, image: i}]}
Y
# A layer whose only entry, named with ESC and a newline, is cut short: the
# reader's error quotes the entry name.
python3 - <<'P'
import io, tarfile
b = io.BytesIO()
with tarfile.open(fileobj=b, mode="w", format=tarfile.PAX_FORMAT) as t:
    ti = tarfile.TarInfo("bin/\x1b[2Jsu\ncapscope lint: FORGED")
    ti.size, ti.mode = 5000, 0o4755
    t.addfile(ti, io.BytesIO(b"\x7fELF" + b"a" * 4996))
open("trunc.tar", "wb").write(b.getvalue()[:1800])
P

for cmd in "scan trunc.tar" "scan --diff trunc.tar ok.yaml" "explain pod --image trunc.tar ok.yaml" \
  "explain pod --image c=trunc.tar ok.yaml" "lint --image trunc.tar ok.yaml"; do
  # shellcheck disable=SC2086
  "$CAPSCOPE" $cmd >/dev/null 2>err.txt
  is "$?" 2 "$cmd: a truncated layer is an input error"
  raw_ctl err.txt; ok $((! $?)) "$cmd: the entry name reaches stderr escaped"
  is "$(grep -c FORGED err.txt)" 1 "$cmd: one line, no forged second line"
  like "$(cat err.txt)" 'trunc\.tar: layer 0: bin/\\x1b\[2Jsu\\ncapscope lint: FORGED: Truncated' \
    "$cmd: names the archive, the layer and the entry"
done

done_testing

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
  like "$(cat err.txt)" 'trunc\.tar: bin/\\x1b\[2Jsu\\ncapscope lint: FORGED: the archive is cut short' \
    "$cmd: names the archive (the layer) and the entry"
done

# policy --profile: every message names the file, and positions are counted
# as every other JSON reader counts them (it had its own 0-based copy).
python3 -c "print('[' + ' ' * (17 << 20) + ']')" >big.json
"$CAPSCOPE" policy scc --profile big.json >/dev/null 2>err.txt
is "$?" 2 "policy --profile: a file over 16 MiB is an input error"
like "$(cat err.txt)" 'big\.json: cannot read: larger than 16 MiB' "policy --profile: the size error names the file"
printf '{"a": 1, "a": 2}' >dup.json
"$CAPSCOPE" policy scc --profile dup.json >/dev/null 2>err.txt
pos_profile=$(grep -o 'dup\.json:[0-9]*:[0-9]*' err.txt)
"$CAPSCOPE" explain pod --image-config dup.json ok.yaml >/dev/null 2>err.txt
pos_config=$(grep -o 'dup\.json:[0-9]*:[0-9]*' err.txt)
like "$pos_profile" '^dup\.json:1:[0-9]+$' "policy --profile: a duplicate key is reported at a line and column"
is "$pos_profile" "$pos_config" "policy --profile and --image-config count columns alike"

# An option that would do nothing is refused, never silently dropped:
# scan --diff --html wrote no page and said nothing.
mkdir -p old new
for cmd in "scan --diff --html page.html old new" "policy scc --name x ok.yaml" \
  "policy check --caps NET_RAW --name x ok.yaml" "policy kyverno --name x --order admission ok.yaml"; do
  # shellcheck disable=SC2086
  "$CAPSCOPE" $cmd >/dev/null 2>err.txt
  is "$?" 2 "$cmd: refused (usage error)"
done
[ ! -e page.html ]; ok $? "scan --diff --html: no page half-written"

# libfyaml 0.7 loops forever on a directive line with invalid UTF-8; every
# reader checks the text first (lint --config did not, and hung).
printf '%%\x91\x99\x99\x99' >hang.yaml
timeout 20 "$CAPSCOPE" lint --config hang.yaml ok.yaml >/dev/null 2>err.txt
is "$?" 2 "lint --config: invalid UTF-8 in a directive is an error, not a hang"
like "$(cat err.txt)" 'hang\.yaml:1:2: not UTF-8 text \(byte 0x91\)' "lint --config: names the byte and where"

done_testing

#!/usr/bin/env bash
# Every JSON reader refuses a duplicate key in time that grows with the keys
# (issue 13, costs). Tenth pass: libfyaml 0.7.12's document builder looked
# each key up in its object from the first key on, so an object of n keys
# cost n^2/2 comparisons: an AdmissionReview of 8,000 keys (100 KB) took 3
# to 6 s of the webhook's CPU, and the same builder reads config.json (the
# agent's bundles, explain oci), image configs and policy profiles.
# Instructions counted by cachegrind (the same on a busy machine): four
# times the keys, at most five times the work. Then where the duplicate is.
source "$(dirname "$0")/../lib/tap.sh"
command -v valgrind >/dev/null || skip_all "valgrind is not installed"
command -v python3 >/dev/null || skip_all "python3 is not installed"
REPLAY=$CAPSCOPE_BUILD/tests/fuzz/fuzz-admission
[ -x "$REPLAY" ] || skip_all "tests/fuzz/fuzz-admission (the corpus replayer) is not built"
tap_tmpdir

review() { # N -> an AdmissionReview whose object has N keys
  python3 -c 'import json, sys
m = {"k%d" % i: 1 for i in range(int(sys.argv[1]))}
print(json.dumps({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
                  "request": {"uid": "u", "object": {"spec": m}}}))' "$1"
}
bundle() { # DIR N -> an OCI bundle whose config.json has N annotations
  mkdir -p "$1/rootfs"
  python3 -c 'import json, sys
a = {"k%d" % i: "v" for i in range(int(sys.argv[1]))}
print(json.dumps({"ociVersion": "1.0.2", "root": {"path": "rootfs"}, "annotations": a,
                  "process": {"args": ["/bin/sh"], "cwd": "/", "user": {"uid": 0, "gid": 0}}}))' "$2" \
    >"$1/config.json"
}
irefs() { # COMMAND... -> its instructions
  valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
    sed -n 's/.*I *refs: *//p' | tr -d ,
}

# (the replayer reads at most 64 KiB, as the fuzzer does)
mkdir "$T/r1" "$T/r4"
review 1000 >"$T/r1/review.json"; review 4000 >"$T/r4/review.json"
i2=$(irefs "$REPLAY" "$T/r1"); i8=$(irefs "$REPLAY" "$T/r4")
echo "# webhook reader, an object of N keys: N=1000 $i2, N=4000 $i8 instructions"
ok "$(awk "BEGIN { print ($i2 > 0 && $i8 <= 5 * $i2) ? 0 : 1 }")" \
  "AdmissionReview: four times the keys, at most five times the instructions"

bundle "$T/b2" 2000; bundle "$T/b8" 8000
i2=$(irefs "$CAPSCOPE_DYN" explain oci "$T/b2"); i8=$(irefs "$CAPSCOPE_DYN" explain oci "$T/b8")
echo "# explain oci, N annotations: N=2000 $i2, N=8000 $i8 instructions"
ok "$(awk "BEGIN { print ($i2 > 0 && $i8 <= 5 * $i2) ? 0 : 1 }")" \
  "config.json: four times the keys, at most five times the instructions"

# The duplicate is still refused, at its place, among many keys and deep.
python3 -c 'import sys
keys = ",".join("\"k%d\": %d" % (i, i) for i in range(300))
sys.stdout.write("{\"ociVersion\": \"1.0.2\",\n \"annotations\": {\"a\": {\"b\": [{%s,\n   \"k150\": 0}]}}}" % keys)' \
  >"$T/b2/config.json"
"$CAPSCOPE" explain oci "$T/b2" >/dev/null 2>"$T/err"
is "$?:$(grep -o 'config.json:[0-9]*:[0-9]*: .*' "$T/err")" \
  "2:config.json:3:4: not valid JSON: duplicate key 'k150'" \
  "config.json: a duplicate among 300 keys, three objects deep, named at its line and column (its opening quote)"
done_testing

#!/usr/bin/env bash
# asan-too
# Pass 1 of an archive keeps its small JSON files and blobs (configs and
# manifests it may name) until 64 MiB are held, but counted their bodies
# only: empty "NAME.json" entries of 3.9 KB names were all kept, names and
# all: 117 MB of names for the 30,000 here (a 1 MB gzip), 390 MB for 100,000
# (sixteenth pass, part F). Each kept file's name and place now count too
# (lib/scan/image.c keep_blob). The RSS (GNU time %M) is checked outside a
# sanitizer only.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/../lib/rss.sh"
command -v python3 >/dev/null || skip_all "needs python3"
command -v jq >/dev/null || skip_all "needs jq"
tap_tmpdir
cd "$T" || exit 1
python3 - <<'PY' || bail_out "python3 failed"
import gzip, io, json, tarfile
def add(t, n, d, mode=0o644):
    i = tarfile.TarInfo(n); i.size = len(d); i.mode = mode; t.addfile(i, io.BytesIO(d))
pre = "/".join(["d" * 99] * 39)  # 3,899 bytes of directories
b = io.BytesIO()
with tarfile.open(fileobj=b, mode="w", format=tarfile.GNU_FORMAT) as t:
    for k in range(30000):
        t.addfile(tarfile.TarInfo("%s/%08d.json" % (pre, k)))
    add(t, "usr/bin/su", b"\x7fELF" + b"\0" * 60, 0o4755)
open("img.tar.gz", "wb").write(gzip.compress(b.getvalue(), 6))
PY
with_rss timeout 120 "$CAPSCOPE" scan --json img.tar.gz >out 2>err
is "$? $(cat err)" "0 " "a layer of 30,000 empty JSON files of long names: scanned"
is "$(jq -c '[.summary.targets[0].kind, .summary.files, [.findings[].path]]' out)" \
  '["layer",30001,["/usr/bin/su"]]' "...as a layer, every file and the set-uid one"
rss_below 100000 "...in less than 100 MB (129 MB before: their names kept, uncounted)"
done_testing

#!/usr/bin/env bash
# asan-too
# An opaque whiteout (".wh..wh..opq") keeps what its layer wrote under its
# directory so far and walked all of it (lib/scan/view.c opaque_clear): N
# markers of one directory, each after one more set-uid file of the
# layer's, walked N^2/2 nodes (twenty-fifth pass, part C; 16,000 of them
# in a 16 MB layer: 1.6 s, 64,000: 76 s, for an unprivileged user's image
# in a root scan). The nodes the markers walk and keep are now counted
# against what the entries allow (VIEW_OPQ_FREE, VIEW_OPQ_ENTRY), and past
# it the image is refused with one line. Counted, never timed: callgrind's
# instructions for 1,000 and 8,000 markers (without the bound 8,000 cost
# 11.5 times 1,000's; refused, 3.2 times; at most 6 taken, 8 is linear). An ordinary opaque
# layer (one marker a directory) is scanned whole.
source "$(dirname "$0")/../lib/tap.sh"
source "$CAPSCOPE_TOP/tests/lib/callgrind.sh"
command -v python3 >/dev/null || skip_all "needs python3"
tap_tmpdir
cd "$T" || exit 1

mk() { # KIND N OUT: same (N markers of /d, each before one more file), dirs (N opaque dirs)
  python3 - "$@" <<'PY'
import io, sys, tarfile
kind, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
t = tarfile.open(out, 'w', format=tarfile.GNU_FORMAT)
def f(name, mode):
    ti = tarfile.TarInfo(name); ti.mode = mode; ti.size = 0; t.addfile(ti, io.BytesIO(b''))
for i in range(n):
    if kind == 'same':
        f('d/.wh..wh..opq', 0o644); f('d/s%d' % i, 0o4755)
    else:
        f('d%d/s' % i, 0o4755); f('d%d/.wh..wh..opq' % i, 0o644)
t.close()
PY
}
mk same 1000 s1000.tar
mk same 8000 s8000.tar
mk same 16000 s16000.tar
mk dirs 20000 d20000.tar

"$CAPSCOPE" scan s1000.tar >out 2>err
is "$?:$(tail -n 1 out)" "0:1000 findings" "1,000 markers of one directory, each before one more file: scanned whole"
"$CAPSCOPE" scan d20000.tar >out 2>err
is "$?:$(tail -n 1 out)" "0:20000 findings" "20,000 opaque directories, one marker each: scanned whole"
"$CAPSCOPE" scan s16000.tar >out 2>err
rc=$?
is "$rc:$(wc -l <err)" "2:1" "16,000 markers of one directory: refused, one line, exit 2"
like "$(cat err)" "opaque whiteouts .* over what the entries allow" "the line says why"

if ! command -v valgrind >/dev/null; then
  skip "needs valgrind (callgrind counts the work)"
elif grep -q __asan_init "${CAPSCOPE_DYN:-$CAPSCOPE}" 2>/dev/null; then
  skip "an ASan build: valgrind cannot run it"
else
  a=$(callgrind_ir scan s1000.tar)
  b=$(callgrind_ir scan s8000.tar)
  echo "# instructions: 1,000 markers $a, 8,000 $b"
  ok "$(callgrind_within "$a" "$b" 6)" "8,000 markers cost at most 6x the instructions of 1,000"
fi
done_testing

#!/usr/bin/env bash
# asan-too
# An empty SCHILY.xattr.security.capability record. containerd's applier and
# moby's (both read hdr.PAXRecords, which keeps empty records; Go's older
# hdr.Xattrs dropped them) call lsetxattr with an empty value, which Linux
# accepts: vfs_setxattr converts a security.capability value only when it has
# bytes. The pull succeeds; execve of the file then fails with EINVAL. So
# the layer is scanned, and the file reported as holding an invalid value
# (risk medium), not refused (fourteenth pass, part D: the thirteenth's note
# that the kernel refuses the value was wrong). The kernel's half is
# checked here on a copy of true(1) in the test's own directory.
source "$(dirname "$0")/../lib/tap.sh"
command -v python3 >/dev/null || skip_all "needs python3"
command -v jq >/dev/null || skip_all "needs jq"
tap_tmpdir
cd "$T" || exit 1
python3 - <<'PY' || bail_out "python3 failed"
import io, tarfile
with tarfile.open("empty.tar", "w", format=tarfile.PAX_FORMAT) as tf:
    ti = tarfile.TarInfo("usr/bin/ping"); ti.mode = 0o755; ti.size = 4
    ti.pax_headers = {"SCHILY.xattr.security.capability": ""}
    tf.addfile(ti, io.BytesIO(b"\x7fELF"))
PY
"$CAPSCOPE" scan --json empty.tar >out 2>err
is "$?" 0 "an empty security.capability record: scanned (the runtimes unpack it)"
is "$(jq -r '.findings[] | "\(.path) \(.file_caps.invalid) \(.risk)"' out)" \
  "/usr/bin/ping true medium" "...the file reported: an invalid value, risk medium"
like "$(jq -r '.findings[0].reason' out)" "execve fails with EINVAL" "...saying what it does"

# The kernel's half: an empty value is stored, and execve fails.
cp /bin/true t && chmod 755 t
if [ "$(id -u)" = 0 ] &&
  python3 -c 'import os; os.setxattr("t", "security.capability", b"")' 2>/dev/null; then
  like "$(python3 -c 'import os; print(os.listxattr("t"))')" "security.capability" \
    "Linux stores the empty value"
  ./t 2>err
  is "$?" 126 "...and execve of the file fails"
  like "$(cat err)" "Invalid argument" "...with EINVAL"
else
  skip "needs root and security.capability on $T"; skip "needs root"; skip "needs root"
fi
done_testing

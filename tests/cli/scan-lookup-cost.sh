#!/usr/bin/env bash
# asan-too
# An entry's parent directories are looked up in the image as containerd's
# applier does, following symlinks (40 at most, each up to 4 KiB). A chain
# of 40 links whose targets walk 680 names down and 680 back made each
# small entry below the last cost about 54,000 names looked up: 10,000
# set-uid entries (5 MB) took 35 s, 3,000 about 10 s (fourteenth pass, part
# D). The lookups' work is now bounded by what the entries read allow
# (lib/scan/view.c VIEW_WORK_*): past it the image is refused, one error.
# A merged-/usr layer (lib -> usr/lib, a long absolute link) is scanned.
source "$(dirname "$0")/../lib/tap.sh"
command -v python3 >/dev/null || skip_all "needs python3"
command -v jq >/dev/null || skip_all "needs jq"
tap_tmpdir
cd "$T" || exit 1
python3 - <<'PY' || bail_out "python3 failed"
import tarfile
def write(out, ents):
    with tarfile.open(out, "w", format=tarfile.GNU_FORMAT) as tf:
        for name, typ, link, mode in ents:
            ti = tarfile.TarInfo(name); ti.type = typ; ti.linkname = link; ti.mode = mode
            tf.addfile(ti)
K = 680
chain = [("/".join(["d"] * K), tarfile.DIRTYPE, "", 0o755), ("l0", tarfile.DIRTYPE, "", 0o755)]
chain += [("l%d" % k, tarfile.SYMTYPE, "/".join(["d"] * K + [".."] * K + ["l%d" % (k - 1)]),
           0o777) for k in range(1, 40)]
write("chain.tar", chain + [("l39/f%d" % i, tarfile.REGTYPE, "", 0o4755) for i in range(3000)])
# The same chain with targets of 4 KB of "./" or '/': walked, not looked up,
# so they were not counted (80 steps an entry for 80,000 walked: 10,000
# entries 2.3 s, under the bound; fourteenth pass, part I).
for kind, pad in (("dot", "./" * 2040), ("slash", "/" * 4080)):
    c = [("l0", tarfile.DIRTYPE, "", 0o755)]
    c += [("l%d" % k, tarfile.SYMTYPE, pad + "l%d" % (k - 1), 0o777) for k in range(1, 40)]
    write(kind + ".tar", c + [("l39/f%d" % i, tarfile.REGTYPE, "", 0o4755) for i in range(3000)])
usr = [("usr/lib/x86_64-linux-gnu/a/b/c", tarfile.DIRTYPE, "", 0o755),
       ("lib", tarfile.SYMTYPE, "usr/lib", 0o777),
       ("opt/app/current", tarfile.SYMTYPE, "/usr/lib/x86_64-linux-gnu/a/b/c", 0o777)]
for i in range(20000):
    usr += [("lib/x86_64-linux-gnu/libf%d.so" % i, tarfile.REGTYPE, "", 0o644),
            ("opt/app/current/f%d" % i, tarfile.REGTYPE, "", 0o644)]
usr += [("opt/app/current/su", tarfile.REGTYPE, "", 0o4755)]
write("usr.tar", usr)
PY

timeout 120 "$CAPSCOPE" scan chain.tar >out 2>err
is "$?" 2 "3,000 entries below a chain of 40 costly links: refused (exit 2)"
like "$(cat err)" "chain\\.tar: lookups through symlinked directories cost [0-9]+ steps, over what the entries allow \\(8192 each and 16 a name's byte\\); refusing the image" \
  "...one error saying why"
is "$(grep -c . err)" 1 "...and only that"
like "$(tail -1 out)" "1 of 1 target not read" "...no finding of it shown as read"

for kind in dot slash; do
  timeout 120 "$CAPSCOPE" scan $kind.tar >out 2>err
  is "$?" 2 "3,000 entries below 40 links of 4 KB of $kind: refused (exit 2)"
  like "$(cat err)" "$kind\\.tar: lookups through symlinked directories cost [0-9]+ steps, over what the entries allow" \
    "...one error saying why"
done

timeout 120 "$CAPSCOPE" scan --json usr.tar >out 2>err
is "$?" 0 "40,000 entries through lib -> usr/lib and a long absolute link: scanned"
is "$(jq -r '[.findings[].path] | join(" ")' out)" /usr/lib/x86_64-linux-gnu/a/b/c/su \
  "...the set-uid file found where the links put it"
done_testing

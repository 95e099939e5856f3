#!/usr/bin/env bash
# asan-too
# scan held every error's full path until the end (struct cs_scan_error.path),
# as it held its findings' before the fourteenth pass: a chain of d
# directories with an error at each level has paths of d^2/2 bytes. Any user
# plants one for a scan that cannot read what the user made unreadable (a
# directory of mode 000 at each level: a non-root scan, root on a
# root-squashed NFS or a FUSE mount); 10,000 levels held 121 MB (fifteenth
# pass, part D). A tree's error now holds its directory and name, as its
# findings do; the output is the same bytes, in the same order.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/../lib/rss.sh"
command -v python3 >/dev/null || skip_all "needs python3"
command -v setpriv >/dev/null || skip_all "needs setpriv"
[ "$(id -u)" = 0 ] || skip_all "needs root (to scan as nobody)"
tap_tmpdir
chmod 755 "$T"
cd "$T" || exit 1
python3 - <<'PY' || bail_out "python3 failed"
import os
os.mkdir("chain"); fd = os.open("chain", os.O_RDONLY)
for i in range(10000):
    os.mkdir("x", 0o000, dir_fd=fd)
    os.mkdir("d", dir_fd=fd); nfd = os.open("d", os.O_RDONLY, dir_fd=fd); os.close(fd); fd = nfd
PY
# A directory readable but not searchable: each name in it an error, and a
# directory error sorted before the entries below it.
mkdir -p mix/a/r mix/a-x mix/a.b mix/b
touch mix/a/r/f1 mix/a/r/f-2 mix/a/r/f
mkdir mix/a/r/sub mix/a/x mix/a-x/x mix/a.b/x
chmod 444 mix/a/r
chmod 000 mix/a/x mix/a-x/x mix/a.b/x
asnobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
rss() { # $1: the output's name; the rest: scan's options
  local out=$1; shift
  with_rss timeout 300 setpriv --reuid=65534 --regid=65534 --clear-groups \
    "$CAPSCOPE" scan "$@" chain >"$out" 2>err
}
check_rss() { rss_below 60000 "...in less than 60 MB ($1 before)"; }
deep="chain$(printf '/d%.0s' $(seq 9999))/x"
rss out.txt
is "$?" 2 "a chain of 10,000 levels, an unreadable directory at each, scanned as nobody: exit 2"
is "$(grep -c '^capscope scan: chain/.*/x: cannot open directory: Permission denied$' err)" 9999 \
  "...an error for each level below the first"
[ "$(head -1 err)" = "capscope scan: $deep: cannot open directory: Permission denied" ]
ok $? "...sorted by path: the deepest first ('d' < 'x'), whole"
is "$(grep -c 'Permission denied$' err)" 10000 "...and the first level's"
check_rss "121 MB"
rss out.json --json
is "$?" 2 "the same chain, JSON: exit 2"
is "$(grep -c '"message": "cannot open directory: Permission denied"' out.json)" 10000 \
  "...10,000 errors"
[ "$(grep -m1 -o '"path": "chain/[^"]*"' out.json)" = "\"path\": \"$deep\"" ]
ok $? "...the first the deepest path, whole ('d' < 'x')"
check_rss "117 MB"

# Order and spelling of errors on names and on directories, under several roots.
for root in mix mix/ ./mix/ "$T/mix" mix/a/r; do
  asnobody "$CAPSCOPE" scan --json "$root" >o.json 2>/dev/null
  r=${root%/}
  [ "$root" = mix/a/r ] && want="mix/a/r/f mix/a/r/f-2 mix/a/r/f1 mix/a/r/sub" ||
    want="$r/a-x/x $r/a.b/x $r/a/r/f $r/a/r/f-2 $r/a/r/f1 $r/a/r/sub $r/a/x"
  is "$(grep -o '"path": "[^"]*"' o.json | cut -d'"' -f4 | tr '\n' ' ' | sed 's/ $//')" \
    "$want" "errors of $root in strcmp's order of their paths, each whole"
done
# scan --diff names a tree's errors from its root, as it names its files.
mkdir empty
asnobody "$CAPSCOPE" scan --diff empty mix >/dev/null 2>o.err
is "$?" 2 "scan --diff with errors on one side: exit 2"
is "$(grep -c '' o.err)" 7 "...each error said once"
is "$(head -1 o.err)" "capscope scan --diff: mix: /a-x/x: cannot open directory: Permission denied" \
  "...named from the root, as the files are"
done_testing

#!/usr/bin/env bash
# asan-too
# scan held every finding's full path until the end: a chain of d
# directories with a set-uid file at each level (a tree any user can plant
# for root's scan) has paths of d^2/2 bytes, 400 MB held at 20,000 levels,
# 3.5 GB at 60,000 (fourteenth pass, part F). A tree's finding now holds its
# name and its directory, each directory once (struct cs_scan_dir); the path
# is spelled when written, and the text table makes a long cell again when
# it prints it (fourteenth pass, part I). The output is the same bytes.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/../lib/rss.sh"
command -v python3 >/dev/null || skip_all "needs python3"
tap_tmpdir
cd "$T" || exit 1
python3 - <<'PY' || bail_out "python3 failed"
import os
os.mkdir("chain"); fd = os.open("chain", os.O_RDONLY)
for i in range(10000):
    f = os.open("s", os.O_WRONLY | os.O_CREAT, 0o755, dir_fd=fd); os.fchmod(f, 0o4755); os.close(f)
    os.mkdir("d", dir_fd=fd); nfd = os.open("d", os.O_RDONLY, dir_fd=fd); os.close(fd); fd = nfd
PY
rss() { # $1: the output's name; the rest: scan's options
  local out=$1; shift
  with_rss timeout 300 "$CAPSCOPE" scan "$@" chain >"$out" 2>err
}
check_rss() { rss_below 60000 "...in less than 60 MB ($1 before)"; }
rss out.json --json
is "$?" 0 "a chain of 10,000 set-uid levels: scanned (JSON, 100 MB)"
is "$(grep -c '^      "path": "chain/' out.json)" 10000 "...10,000 findings"
check_rss "104 MB"
rss out.txt
is "$?" 0 "the same chain as text"
is "$(tail -1 out.txt)" "10000 findings" "...10,000 findings"
check_rss "203 MB"
# Sorted by path, the deepest first ('d' < 's'), each whole.
deep="chain$(printf '/d%.0s' $(seq 9999))/s"
is "$(grep -m1 '^      "path"' out.json)" "      \"path\": \"$deep\"," "...the deepest path first and whole"
is "$(grep -c '^high  chain/' out.txt)" 10000 "...every row of the text table"
is "$(grep -m1 '^high  chain/' out.txt | cut -c7- | cut -d' ' -f1)" "$deep" "...its first row the deepest path, whole"

# scan --diff held each differing file's path, and padded every row of its
# table to the widest: two such chains whose set-id bits differ at each
# level held 466 MB before this pass, 207 MB once scan itself held names (fourteenth pass, part I).
python3 - <<'PY' || bail_out "python3 failed"
import os
os.mkdir("chain2"); fd = os.open("chain2", os.O_RDONLY)
for i in range(10000):
    f = os.open("s", os.O_WRONLY | os.O_CREAT, 0o755, dir_fd=fd); os.fchmod(f, 0o2755); os.close(f)
    os.mkdir("d", dir_fd=fd); nfd = os.open("d", os.O_RDONLY, dir_fd=fd); os.close(fd); fd = nfd
PY
with_rss timeout 300 "$CAPSCOPE" scan --diff chain chain2 >out.diff 2>err
is "$?" 1 "scan --diff of two such chains: every level differs (exit 1)"
is "$(grep -c '^changed  /' out.diff)" 10000 "...10,000 rows"
is "$(grep -m1 '^changed  /' out.diff | cut -c10- | cut -d' ' -f1)" "${deep#chain}" \
  "...the first the deepest path, whole"
check_rss "466 MB"
done_testing

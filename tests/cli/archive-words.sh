#!/usr/bin/env bash
# libarchive's errors in capscope's words (twenty-sixth pass, part C; left
# open by the twenty-fifth, part A): a layer that is not a tar and one cut
# short were said "opening: Unrecognized archive format" and "f: Truncated
# input file (needed 512 bytes, only 188 available)", libarchive's text on
# capscope's line (lib/scan/archive-words.c). Any other text of libarchive's
# is named as its own ("libarchive says: ...").
source "$(dirname "$0")/../lib/tap.sh"
tap_tmpdir
cd "$T" || exit 1
mkdir lay && echo hi >lay/f && tar -C lay -cf l.tar f || skip_all "needs tar"
head -c 700 l.tar >cut.tar
head -c 5000 /dev/urandom >rnd.tar
gzip -c rnd.tar >rnd.tar.gz
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: c, image: i}\n' >p.yaml

libarchive_words='Unrecognized|Truncated|Damaged|needed [0-9]+ bytes, only'
for f in cut.tar rnd.tar rnd.tar.gz; do
  for cmd in "scan" "explain pod --image"; do
    # shellcheck disable=SC2086
    if [ "$cmd" = scan ]; then err=$("$CAPSCOPE" scan "$f" 2>&1 >/dev/null); rc=$?
    else err=$("$CAPSCOPE" explain pod --image "$f" p.yaml 2>&1 >/dev/null); rc=$?; fi
    is "$rc" 2 "$cmd $f: refused, exit 2"
    [[ ! $err =~ $libarchive_words ]]
    ok $? "$cmd $f: in capscope's words ($(head -n1 <<<"$err"))"
  done
done
like "$("$CAPSCOPE" scan rnd.tar 2>&1)" 'rnd.tar: opening: not a tar archive \(plain, or compressed with gzip, zstd, xz or bzip2\), or its first header is damaged' \
  "not a tar: says which it reads"
# a tar whose first header's checksum is wrong: libarchive's tar reader bids
# nothing, as for bytes that are no tar; "not a tar" alone was untrue of it
# (twenty-seventh pass, part D)
python3 -c 'import sys; t = bytearray(open("l.tar", "rb").read()); t[148:156] = b"0000000\0"; open("firstbad.tar", "wb").write(t)'
like "$("$CAPSCOPE" scan firstbad.tar 2>&1)" 'firstbad.tar: opening: not a tar archive .*, or its first header is damaged' \
  "a damaged first header: not said as only 'not a tar'"
like "$("$CAPSCOPE" scan cut.tar 2>&1)" 'cut.tar: f: the archive is cut short \(512 bytes needed, 188 left\)' \
  "cut short: says so, at the entry"

# Out of memory: libarchive's allocation failures are said as one. Each
# allocation of a scan of a small gzip layer failing alone
# (tests/lib/failalloc.c): no line in libarchive's words for it ("Can't
# allocate memory for Uname", "Out of memory"), and no reader made
# without its decompressors or format ("No formats registered", twice);
# nor "unreadable archive" (libarchive's archive_read_open1 failing to
# allocate sets no error: 3 runs), nor a crash (its archive_read_new and
# archive_read_open not checking their allocations: 4 runs, exit 139;
# twenty-seventh pass, part C), nor a decompressor's allocation said as
# damaged data ("libarchive says: gzip decompression failed" when zlib's
# window could not be allocated: 1 run; twenty-seventh pass, part G).
# (scan-enomem-said checks the rest: whole or one line, exit 2.)
if [ -x "$CAPSCOPE_DYN" ] && command -v cc >/dev/null && ! grep -q __asan_init "$CAPSCOPE_DYN"; then
  source "$CAPSCOPE_TOP/tests/lib/failalloc.sh"
  failalloc_build
  gzip -c l.tar >l.tar.gz
  total=$(failalloc_total "$CAPSCOPE_DYN" scan l.tar.gz)
  words() {
    [ "$1" = 139 ] && echo crashed && return
    grep -cE "Can't allocate|libarchive says: (Out of memory|out of memory|No memory)|No formats registered|unreadable archive|decompression failed" "$T/err" | sed 's/^0$/none/; s/^[1-9].*/libarchive/'
  }
  failalloc_sweep words 0 "$total" 1 "$CAPSCOPE_DYN" scan l.tar.gz
  is "${FA_SEEN[libarchive]:-0}" 0 "scan of a gzip layer, $total allocations each failing alone: none said in libarchive's words (${FA_FIRST[libarchive]:-every run})"
  is "${FA_SEEN[crashed]:-0}" 0 "scan of a gzip layer: no run crashes in libarchive (${FA_FIRST[crashed]:-none})"
else
  skip "no injector here (a static or ASan build, or no compiler)"
fi
done_testing

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
like "$("$CAPSCOPE" scan rnd.tar 2>&1)" 'rnd.tar: opening: not a tar archive \(plain, or compressed with gzip, zstd, xz or bzip2\)' \
  "not a tar: says which it reads"
like "$("$CAPSCOPE" scan cut.tar 2>&1)" 'cut.tar: f: the archive is cut short \(512 bytes needed, 188 left\)' \
  "cut short: says so, at the entry"
done_testing

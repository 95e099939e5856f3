#!/usr/bin/env bash
# asan-too
# The one reader of this process's /proc/self/uid_map and gid_map
# (lib/idmap-proc.c). Four readers used scanf: a line they did not
# understand ended the map (or was skipped) and they answered from the rest.
# Here a text no kernel writes is bind-mounted over the map, in a mount
# namespace of the test's own: `file set` (-n's rootid, a file shown as
# owned by the overflow id), `run --caps` of a version 3 file (its rootid
# mapped back) and `run` in a user namespace (the credentials' maps) each
# refuse with the map's file, line and column, and write or run nothing.
source "$(dirname "$0")/../lib/tap.sh"
need_root
command -v unshare >/dev/null || skip_all "unshare (util-linux) is not installed"
command -v setcap >/dev/null || skip_all "setcap is not installed"
B=${CAPSCOPE_BUILD:-$CAPSCOPE_TOP/build}
tap_tmpdir
cd "$T" || exit 1
unshare -m true 2>/dev/null || skip_all "cannot make a mount namespace here"

# over FILE WHICH CMD...: CMD with FILE over /proc/self/WHICH (uid_map or gid_map).
over() {
  local f=$1 which=$2
  shift 2
  unshare -m sh -c 'mount --bind "$1" "/proc/$$/$2" && shift 2 && exec "$@"' sh "$f" "$which" "$@"
}
# The same inside a user namespace whose root is host root (unshare -r).
over_userns() {
  local f=$1 which=$2
  shift 2
  unshare -U -r -m sh -c 'mount --bind "$1" "/proc/$$/$2" && shift 2 && exec "$@"' sh "$f" "$which" "$@"
}

printf '         0          0 4294967295\n      junk\n' >junk
printf '0 0 4294967295\n' >unpadded
printf '         0          0         10\n         5        100          1\n' >overlap
head -c 20000 /dev/zero | tr '\0' ' ' >long
declare -A why=(
  [junk]='/proc/self/%s:2:7: not a range as the kernel writes one'
  [unpadded]='/proc/self/%s:1:1: not a range as the kernel writes one'
  [overlap]='/proc/self/%s:2:1: ids inside the namespace in two ranges, which the kernel refuses'
  [long]='/proc/self/%s: cannot read it: longer than the kernel writes'
)

cp /bin/true t && chmod 755 t
for m in junk unpadded overlap long; do
  # shellcheck disable=SC2059
  want=$(printf "${why[$m]}" uid_map)
  over "$m" uid_map "$CAPSCOPE" file set -n 5 cap_chown+ep t 2>err
  is "$?" 2 "file set -n 5 under a $m uid_map: exit 2"
  like "$(cat err)" "^capscope file set: -n: ${want//./\\.}" "file set -n: names the map, its line and why ($m)"
  is "$(getcap t)" "" "file set -n: nothing written ($m)"
done

# A file shown as owned by the overflow id: its owner and group are looked up.
cp /bin/true nob && chown 65534:65534 nob
for which in uid_map gid_map; do
  # shellcheck disable=SC2059
  want=$(printf "${why[junk]}" "$which")
  over junk "$which" "$CAPSCOPE" file set cap_chown+ep nob 2>err
  is "$?" 2 "file set of a 65534-owned file under a junk $which: exit 2"
  like "$(cat err)" "^capscope file set: nob: ${want//./\\.}" "file set: names the $which, its line and why"
  is "$(getcap nob)" "" "file set: nothing written ($which)"
done

# stat shows an unmapped owner as the overflow id, /proc/sys/kernel/overflowuid,
# which root may set to something else than 65534: only 65534 was looked up.
# An id stat shows that the map does not hold can only be that id, whatever
# it is: a valid map without 1000 over this process's stands for an overflow
# id of 1000 (the sysctl is the host's and is not changed here).
printf '         0          0       1000\n      1001       1001 4294966294\n' >no1000
cp /bin/true own1000 && chown 1000:0 own1000
cp /bin/true grp1000 && chown 0:1000 grp1000
for which in uid_map gid_map; do
  f=own1000
  [ "$which" = gid_map ] && f=grp1000
  over no1000 "$which" "$CAPSCOPE" file set cap_chown+ep "$f" 2>err
  is "$?" 2 "file set of a file shown with an id the $which does not hold (not 65534): exit 2"
  like "$(cat err)" "^capscope file set: $f: its owner or group has no mapping in this user namespace" \
    "file set: says the owner or group has no mapping ($which)"
  is "$(getcap "$f")" "" "file set: nothing written ($which)"
done
# The control: the same files under the kernel's own map.
"$CAPSCOPE" file set cap_chown+ep own1000 grp1000
is "$?" 0 "file set of them under the kernel's map: written"

# A version 3 value: run --caps maps its rootid back through the uid map
# in a child namespace only (the run's credentials read it first, below);
# the initial namespace's is the identity and is not read.
cp /bin/true v3 && chmod 755 v3 && setcap -n 1000 cap_chown+ep v3 ||
  skip_all "setcap -n failed here"
chmod 755 "$T"
bins=("$CAPSCOPE run")
[ -x "$B/cli/capscope-run" ] && bins+=("$B/cli/capscope-run")
for bin in "${bins[@]}"; do
  name=${bin##*/}
  # shellcheck disable=SC2086
  out=$(over junk uid_map $bin --user 1000 --clear-groups --caps = -- ./v3 && echo ran)
  is "$out" ran "$name --caps of a v3 file (rootid 1000, ignored by execve) as uid 1000: runs"
  # The credentials of a process in a user namespace hold its maps.
  for which in uid_map gid_map; do
    # shellcheck disable=SC2059
    want=$(printf "${why[junk]}" "$which")
    # shellcheck disable=SC2086
    out=$(over_userns junk "$which" $bin -- echo ran 2>err)
    is "$?" 127 "$name in a user namespace under a junk $which: exit 127"
    is "$out" "" "$name in a user namespace: nothing ran ($which)"
    like "$(cat err)" "step 'read credentials' failed; nothing was executed: ${want//./\\.}" \
      "$name in a user namespace: names the $which, its line and why"
    # shellcheck disable=SC2086
    over_userns junk "$which" $bin --dry-run -- echo ran >out 2>&1
    is "$?" 127 "$name --dry-run in a user namespace under a junk $which: exit 127"
  done
  # The control: the kernel's own maps.
  # shellcheck disable=SC2086
  is "$(unshare -U -r $bin -- echo ran)" ran "$name in a user namespace with its own maps: runs"
done
done_testing

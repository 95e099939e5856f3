#!/usr/bin/env bash
# The library's own user lookup (cs_proc_snapshot with no cs_ids:
# getpwuid_r) had a 1 KiB buffer: a passwd line longer than that (a long
# GECOS or home) gave ERANGE, and the user was shown as its number, "0" for
# root (twenty-seventh pass, part G, found, not fixed). The buffer now
# grows on ERANGE, to 1 MiB (lib/proc-snapshot.c pw_by_uid). /etc/passwd is
# replaced in a mount namespace of the test's own (root, unshare -m).
source "$(dirname "$0")/../lib/tap.sh"
H=$CAPSCOPE_BUILD/tests/helpers
[ -x "$H/user-of" ] || skip_all "tests/helpers are not built"
[ "$(id -u)" = 0 ] || skip_all "needs root to bind a passwd file of the test's own"
command -v unshare >/dev/null || skip_all "needs unshare"
unshare -m true 2>/dev/null || skip_all "unshare -m refused here"
grep -qE '^passwd:.*files' /etc/nsswitch.conf 2>/dev/null || skip_all "the passwd database is not read from files here"
tap_tmpdir

# user_of GECOS-BYTES: the name user-of gives itself (root) with root's
# passwd line carrying a GECOS of that many bytes.
user_of() {
  { printf 'root:x:0:0:'; head -c "$1" /dev/zero | tr '\0' g; printf ':/root:/bin/sh\n'
    grep -v '^root:' /etc/passwd; } >"$T/passwd"
  unshare -m sh -c 'mount --bind "$1" /etc/passwd && exec "$2" self' sh "$T/passwd" "$H/user-of" 2>&1
}
is "$(user_of 10)" "root" "a short passwd line: the name"
is "$(user_of 3000)" "root" "root's line of 3 KB (a 1 KiB buffer: ERANGE): the name, not 0"
is "$(user_of 200000)" "root" "root's line of 200 KB: the name"
is "$(user_of 2000000)" "0" "a line over 1 MiB: the number, as for a user the database does not have"
done_testing

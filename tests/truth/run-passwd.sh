#!/usr/bin/env bash
# capscope and capscope-run read /etc/passwd and /etc/group themselves
# (capscope/ids.h). A crafted file is bind-mounted over them inside a
# private mount namespace (the real files are never written): the NIS
# compatibility lines ("+", "+name", "-name", whose empty ids read as 0)
# and a line with an empty name are no user or group to them, as to glibc's
# files module (getent, runuser); they once gave uid 0. A user with control
# bytes in its name is shown escaped by ps.
source "$(dirname "$0")/../lib/tap.sh"
need_root
command -v unshare >/dev/null || skip_all "unshare (util-linux) is not installed"
unshare -m true 2>/dev/null || skip_all "unshare -m is not permitted here"
B=${CAPSCOPE_BUILD:-$CAPSCOPE_TOP/build}
tap_tmpdir

{ grep '^root:' /etc/passwd
  printf -- '-neg:x:0:0::/:/bin/sh\n+plus::::::\n+:x:0:0::/:/bin/sh\n:x:0:0::/:/bin/sh\n'
  printf 'ev\033[31mil:x:4242:4242::/:/bin/sh\nok:x:4243:4243::/:/bin/sh\n'
  printf 'allones:x:4294967295:4243::/:/bin/sh\npgones:x:4244:4294967295::/:/bin/sh\n'; } >"$T/passwd"
{ grep '^root:' /etc/group
  printf -- '-neg:x:0:\n+plus:::\n:x:0:\nokg:x:4243:\ngones:x:4294967295:\n'; } >"$T/group"

# cmd... run with the crafted files in place
crafted() {
  unshare -m sh -c 'mount --bind "$1" /etc/passwd && mount --bind "$2" /etc/group && shift 2 && exec "$@"' \
    sh "$T/passwd" "$T/group" "$@"
}

bins=("$CAPSCOPE")
[ -x "$B/cli/capscope-run" ] && bins+=("$B/cli/capscope-run")
for bin in "${bins[@]}"; do
  name=${bin##*/}
  run=(run); [ "$name" = capscope-run ] && run=()
  for u in -neg +plus + ''; do
    crafted "$bin" "${run[@]}" --dry-run --clear-groups "--user=$u" -- /bin/true >"$T/out" 2>"$T/err"
    rc=$?
    is "$rc" 2 "$name --user '$u' (a compat or nameless line): usage error"
    like "$(cat "$T/err")" "no such user" "$name --user '$u': says no such user"
  done
  for g in -neg +plus ''; do
    crafted "$bin" "${run[@]}" --dry-run --clear-groups --user ok "--group=$g" -- /bin/true \
      >"$T/out" 2>"$T/err"
    is "$?" 2 "$name --group '$g': usage error"
  done
  crafted "$bin" "${run[@]}" --dry-run --clear-groups --user ok --group okg -- /bin/true \
    >"$T/out" 2>"$T/err"
  ok $? "$name --user ok --group okg: an ordinary entry is still found"
  grep -q 'uid 4243/4243/4243/4243 gid 4243' "$T/out"
  ok $? "$name: the plan has uid and gid 4243"
  # An entry whose id is 4294967295, (uid_t)-1: setresuid and setresgid
  # take it as "no change", so the run kept root (uid 0, every capability
  # back at execve) or gid 0 and said nothing. A name must give an id.
  for args in "--clear-groups --user allones" "--clear-groups --user pgones" \
    "--clear-groups --user ok --group gones" "--user ok --group okg --groups okg,gones"; do
    for dry in --dry-run ""; do
      # shellcheck disable=SC2086
      crafted "$bin" "${run[@]}" $dry $args -- /bin/true >"$T/out" 2>"$T/err"
      rc=$?
      is "$rc" 2 "$name $dry $args (an id of 4294967295 in the database): usage error"
      like "$(cat "$T/err")" "4294967295" "$name $dry $args: says which id"
    done
  done
done

# ps shows a user name with control bytes escaped.
# unshare, sh and setpriv exec one another: $! is the sleep at the end.
unshare -m sh -c 'mount --bind "$1" /etc/passwd && exec setpriv --reuid 4242 --regid 4242 \
  --clear-groups sleep 30' sh "$T/passwd" &
pid=$!
sleep 0.5
crafted "$CAPSCOPE" ps >"$T/ps" 2>&1
kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
grep -qF 'ev\x1b[31mil' "$T/ps"
ok $? "ps: the user name's ESC is shown as \\x1b"
! grep -q $'\033' "$T/ps"
ok $? "ps: no raw ESC in the output"
done_testing

#!/usr/bin/env bash
# run under failing allocations (twenty-second pass, part B): each
# allocation of `run --caps ... --ambient ... -- CMD` made to fail alone
# (tests/lib/failalloc.c, CS_FAILALLOC_SPAN=1), then every one from it on.
# Each run either runs the command with exactly the credentials of the run
# without a failure (a failure something tolerated), or runs nothing: 127,
# one line. Memory that ran out was exit 2, "capscope run: out of memory",
# a usage error's status, where a wrapper reads 127 as "CMD did not run".
# The static capscope-run is the same cmd_run; LD_PRELOAD reaches only the
# dynamic build, so it is swept there.
source "$(dirname "$0")/../lib/tap.sh"
need_root
tap_tmpdir
trap 'rm -rf "$T"' EXIT
chmod 1777 "$T"
source "$CAPSCOPE_TOP/tests/lib/failalloc.sh"
failalloc_build
# The command: no allocation of its own (the preload reaches it too), its
# credentials from /proc/self/status into the file its last argument names.
cat >"$T/mark.c" <<'EOS'
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
int main(int argc, char **argv)
{
	static char b[8192];
	int in = open("/proc/self/status", O_RDONLY), out;
	ssize_t n = in < 0 ? 0 : read(in, b, sizeof(b) - 1);

	if (argc < 2 || n <= 0 || (out = open(argv[argc - 1], O_WRONLY | O_CREAT | O_EXCL, 0644)) < 0)
		return 3;
	for (char *l = strtok(b, "\n"); l; l = strtok(NULL, "\n"))
		if (!strncmp(l, "Uid", 3) || !strncmp(l, "Gid", 3) || !strncmp(l, "Groups", 6) ||
		    !strncmp(l, "Cap", 3) || !strncmp(l, "NoNewPrivs", 10))
			if (write(out, l, strlen(l)) < 0 || write(out, "\n", 1) < 0)
				return 4;
	return 0;
}
EOS
cc -O2 -o "$T/mark" "$T/mark.c" || skip_all "the marker does not build"
ok 0 "the injector counts the program's allocations"
# Two plans: one with no user database (nothing but capscope's own
# allocations), one with --user (glibc's NSS allocates too).
plans=("--securebits noroot,keep-caps --caps cap_chown=eip --ambient chown --bounding chown,setpcap"
  "--user 65534 --clear-groups --caps cap_chown=eip --ambient chown --no-new-privs")
for plan in "${plans[@]}"; do
  # shellcheck disable=SC2086
  "$CAPSCOPE_DYN" run $plan -- "$T/mark" "$T/ref" 2>"$T/err"
  is "$?" 0 "[$plan] runs without a failure"
  like "$(cat "$T/ref")" "CapAmb:	0000000000000001" "[$plan] with chown ambient"
  # The calls the run makes up to its end, through a command that is not
  # there; written at exit in the run's credentials: a fresh file each time.
  rm -f "$T/count"
  # shellcheck disable=SC2086
  CS_FAILALLOC_COUNT=$T/count LD_PRELOAD=$T/failalloc.so "$CAPSCOPE_DYN" run $plan -- "$T/none" 2>/dev/null
  total=$(cat "$T/count")
  ok "$([ "$total" -gt 5 ]; echo $?)" "[$plan] the run makes $total allocations"
  for span in 1 all; do
    bad=0 ran=0 refused=0 nss=0 first=
    for ((n = 0; n <= total + 2; n++)); do
      rm -f "$T/m"
      if [ $span = 1 ]; then
        # shellcheck disable=SC2086
        CS_FAILALLOC_AFTER=$n CS_FAILALLOC_SPAN=1 LD_PRELOAD=$T/failalloc.so "$CAPSCOPE_DYN" run $plan \
          -- "$T/mark" "$T/m" >/dev/null 2>"$T/err"
      else
        # shellcheck disable=SC2086
        CS_FAILALLOC_AFTER=$n LD_PRELOAD=$T/failalloc.so "$CAPSCOPE_DYN" run $plan \
          -- "$T/mark" "$T/m" >/dev/null 2>"$T/err"
      fi
      rc=$?
      if [ -e "$T/m" ]; then
        if [ $rc = 0 ] && [ ! -s "$T/err" ] && cmp -s "$T/m" "$T/ref"; then
          ran=$((ran + 1))
          continue
        fi
      elif [ $rc = 127 ] && [ "$(grep -c '' "$T/err")" = 1 ]; then
        refused=$((refused + 1))
        continue
      elif [ $rc = 139 ] || [ $rc = 134 ]; then
        # glibc's NSS when its own allocation fails inside getpwuid
        # (nss_database_check_reload_and_get reads a NULL, or
        # nss_database_reload_1 asserts): before main's first change of
        # credentials, nothing ran. Counted apart, bounded below.
        nss=$((nss + 1))
        continue
      fi
      bad=$((bad + 1))
      [ -n "$first" ] || first="allocation $((n + 1)): exit $rc, $([ -e "$T/m" ] && echo "ran, ")$(head -c 100 "$T/err")"
    done
    is "$bad" 0 "[$plan] span $span, $total allocations: exactly the run or nothing, 127, one line (${first:-every run}; $ran ran, $refused refused)"
    case $plan in
      --user*) is "$((nss <= 3))" 1 "[$plan] span $span: glibc's NSS crash at most 3 times ($nss)" ;;
      *) is "$nss" 0 "[$plan] span $span: no crash without a user database" ;;
    esac
  done
  rm -f "$T/ref"
done
# The dry run: a step its list could not hold left the steps printed short,
# exit 0 as if whole (text and JSON). Now each run prints the whole
# prediction, or fails with one line: never a shorter one with its status.
plan="--dry-run --securebits noroot --caps cap_chown=eip --ambient chown"
for json in "" --json; do
  # shellcheck disable=SC2086
  "$CAPSCOPE_DYN" run $plan $json -- /bin/true >"$T/dref" 2>"$T/err"
  is "$?" 0 "[$plan $json] predicts a run"
  bad=0 whole=0 first=
  for ((n = 0; n < 60; n++)); do
    # shellcheck disable=SC2086
    CS_FAILALLOC_AFTER=$n CS_FAILALLOC_SPAN=1 LD_PRELOAD=$T/failalloc.so "$CAPSCOPE_DYN" run $plan $json \
      -- /bin/true >"$T/dout" 2>"$T/err"
    rc=$?
    if [ $rc = 0 ] && [ ! -s "$T/err" ] && cmp -s "$T/dout" "$T/dref"; then
      whole=$((whole + 1))
      continue
    fi
    # A failure is one line, and what stdout holds is whole or said to be cut.
    if [ $rc != 0 ] && [ "$(grep -c '' "$T/err")" = 1 ]; then
      [ ! -s "$T/dout" ] || grep -q 'the output on standard output is incomplete' "$T/err" && continue
    fi
    bad=$((bad + 1))
    [ -n "$first" ] || first="allocation $((n + 1)): exit $rc, $(wc -l <"$T/dout") of $(wc -l <"$T/dref") lines, $(head -c 100 "$T/err")"
  done
  is "$bad" 0 "[$plan $json] the whole prediction or one line, never a shorter one with its status (${first:-every run}; $whole whole)"
done
done_testing

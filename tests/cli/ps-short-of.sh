#!/usr/bin/env bash
# `capscope ps` when a read of /proc fails for want of descriptors (EMFILE)
# or of the kernel's memory (ENOMEM), each open failing alone
# (tests/helpers/emfile-on-open). Such a read was taken for "unreadable" or
# "gone": the process shown without its command line, container,
# securebits, user namespace or the thread whose credentials differ, or,
# in the listing of every process, left out, all exit 0 (twenty-seventh
# pass, part C). Each run now gives the whole answer or one error, exit 2.
source "$(dirname "$0")/../lib/tap.sh"
H=$CAPSCOPE_BUILD/tests/helpers
SHIM=$H/emfile-on-open.so
[ -e "$SHIM" ] && [ -x "$H/ps-subject" ] || skip_all "tests/helpers are not built"
command -v cc >/dev/null || skip_all "no C compiler for the fstatat shim"
tap_tmpdir
"$H/ps-subject" --thread-user 1 >"$T/ready" &
SUBJ=$!
trap 'kill "$SUBJ" 2>/dev/null; wait 2>/dev/null; rm -rf "$T"' EXIT
for _ in $(seq 50); do [ -s "$T/ready" ] && break; sleep 0.1; done
is "$(cat "$T/ready")" ready "a process with a thread running as another user"

# MODE: each open of `ps MODE PID` failing alone; "whole" or "said" for
# each, the first other run named.
sweep() {
  local mode=$1 n i rc bad=""
  "$CAPSCOPE_DYN" ps $mode "$SUBJ" >"$T/good" 2>&1
  EMFILE_COUNT=$T/count LD_PRELOAD=$SHIM "$CAPSCOPE_DYN" ps $mode "$SUBJ" >/dev/null 2>&1
  n=$(cat "$T/count")
  for ((i = 1; i <= n; i++)); do
    EMFILE_AT=$i LD_PRELOAD=$SHIM "$CAPSCOPE_DYN" ps $mode "$SUBJ" >"$T/out" 2>"$T/err"
    rc=$?
    if [ $rc = 0 ] && cmp -s "$T/out" "$T/good"; then
      :
    elif [ $rc = 2 ] && [ "$(wc -l <"$T/err")" = 1 ] && grep -q 'Too many open files$' "$T/err"; then
      :
    else
      bad="open $i: exit $rc, $(head -c 200 "$T/err") $(diff "$T/good" "$T/out" | head -3 | tr '\n' ' ')"
      break
    fi
  done
  echo "${bad:-$n opens}"
}
like "$(sweep --json)" '^[0-9]+ opens$' "ps --json PID: each open failing alone, the whole answer or the error"
like "$(sweep -v)" '^[0-9]+ opens$' "ps -v PID: each open failing alone (the differing thread's status too)"
like "$(sweep '')" '^[0-9]+ opens$' "ps PID (the table): each open failing alone"

# The listing of every process: an open failing is an error, never a
# process left out (the opens are all of processes: none may pass).
for at in 1 2 3 4 5 40; do
  EMFILE_AT=$at LD_PRELOAD=$SHIM "$CAPSCOPE_DYN" ps >"$T/out" 2>"$T/err"
  rc=$?
  like "$rc $(cat "$T/err")" '^2 capscope ps: process [0-9]+: Too many open files$' \
    "ps (every process), open $at failing: the error, no process left out"
done

# The user namespace is read with fstatat, which opens nothing: the
# kernel's ENOMEM there was "userns unknown", exit 0; EACCES (a process
# the caller may not look into) still is unknown.
cat >"$T/nsuser.c" <<'EOF'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
static int fail(const char *p)
{
	size_t n = strlen(p);
	const char *e = getenv("NS_USER_ERRNO");
	if (!e || n < 7 || strcmp(p + n - 7, "ns/user") != 0)
		return 0;
	errno = atoi(e);
	return 1;
}
int fstatat64(int fd, const char *p, struct stat64 *st, int fl)
{
	static int (*real)(int, const char *, struct stat64 *, int);
	if (fail(p))
		return -1;
	if (!real)
		real = dlsym(RTLD_NEXT, "fstatat64");
	return real(fd, p, st, fl);
}
int fstatat(int fd, const char *p, struct stat *st, int fl)
{
	static int (*real)(int, const char *, struct stat *, int);
	if (fail(p))
		return -1;
	if (!real)
		real = dlsym(RTLD_NEXT, "fstatat");
	return real(fd, p, st, fl);
}
EOF
cc -O2 -shared -fPIC -o "$T/nsuser.so" "$T/nsuser.c" -ldl
ok $? "the fstatat shim builds"
NS_USER_ERRNO=13 LD_PRELOAD=$T/nsuser.so "$CAPSCOPE_DYN" ps --json "$SUBJ" >"$T/out" 2>"$T/err"
rc=$?
is "$rc $(grep -c '"in_user_namespace": null' "$T/out")" "0 1" "ns/user not readable (EACCES): shown as unknown, exit 0"
is "$(NS_USER_ERRNO=12 LD_PRELOAD=$T/nsuser.so "$CAPSCOPE_DYN" ps --json "$SUBJ" 2>&1 >/dev/null; echo "exit $?")" \
  "capscope ps: out of memory
exit 2" "ns/user and the kernel's ENOMEM: out of memory, exit 2"
is "$(NS_USER_ERRNO=12 LD_PRELOAD=$T/nsuser.so "$CAPSCOPE_DYN" ps 2>&1 >/dev/null; echo "exit $?")" \
  "capscope ps: out of memory
exit 2" "ps (every process): the same"

# The user's name: a user database that could not be read for want of
# descriptors or memory (glibc's NSS, or /etc/passwd read by capscope,
# failing with EMFILE or ENOMEM: a shim on getpwuid and fopen, since glibc
# opens the file inside itself, where the open shim does not reach) gave
# the uid as the name ("user": "0" for root), exit 0, as for a user the
# database does not have (twenty-seventh pass, part G). EACCES stays the
# number. PASSWD_UID fails one uid only: the differing thread's (1).
cat >"$T/pw.c" <<'EOF'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static int fail(long uid)
{
	const char *e = getenv("PASSWD_ERRNO"), *u = getenv("PASSWD_UID");
	if (!e || (u && uid != atol(u)))
		return 0;
	errno = atoi(e);
	return 1;
}
struct passwd *getpwuid(uid_t uid)
{
	if (fail(uid))
		return NULL;
	return ((struct passwd * (*)(uid_t)) dlsym(RTLD_NEXT, "getpwuid"))(uid);
}
static FILE *open_it(const char *name, const char *p, const char *m)
{
	if (strcmp(p, "/etc/passwd") == 0 && !getenv("PASSWD_UID") && fail(-1))
		return NULL;
	return ((FILE * (*)(const char *, const char *)) dlsym(RTLD_NEXT, name))(p, m);
}
FILE *fopen(const char *p, const char *m) { return open_it("fopen", p, m); }
FILE *fopen64(const char *p, const char *m) { return open_it("fopen64", p, m); }
EOF
cc -O2 -shared -fPIC -o "$T/pw.so" "$T/pw.c" -ldl
ok $? "the user database shim builds"
for mode in --json -v ''; do
  # shellcheck disable=SC2086
  is "$(PASSWD_ERRNO=24 LD_PRELOAD=$T/pw.so "$CAPSCOPE_DYN" ps $mode "$SUBJ" 2>&1 >/dev/null; echo "exit $?")" \
    "capscope ps: process $SUBJ: Too many open files
exit 2" "ps ${mode:-(the table)} PID, the user database short of descriptors: the error, not the uid as a name"
done
is "$(PASSWD_ERRNO=24 PASSWD_UID=1 LD_PRELOAD=$T/pw.so "$CAPSCOPE_DYN" ps -v "$SUBJ" 2>&1 >/dev/null; echo "exit $?")" \
  "capscope ps: process $SUBJ: Too many open files
exit 2" "ps -v PID, the differing thread's user not looked up (EMFILE): the error"
is "$(PASSWD_ERRNO=12 LD_PRELOAD=$T/pw.so "$CAPSCOPE_DYN" ps 2>&1 >/dev/null; echo "exit $?")" \
  "capscope ps: out of memory
exit 2" "ps (every process), the user database short of memory: out of memory, exit 2"
PASSWD_ERRNO=13 LD_PRELOAD=$T/pw.so "$CAPSCOPE_DYN" ps --json "$SUBJ" >"$T/out" 2>"$T/err"
is "$? $(grep -c '"user": "'"$(id -u)"'"' "$T/out")" "0 1" "the user database not readable (EACCES): the uid, exit 0"

# The node agent reads the same snapshot for a container's process
# (lib/node/scan.c read_procs): the kernel's ENOMEM on its ns/user was
# "userns unknown" on the agent's pages, 200. Now the scan's error.
SCAN=$H/node-scan
if [ -x "$SCAN" ]; then
  mkdir -p "$T/np/proc/$SUBJ" "$T/np/runc/c001" "$T/np/bundle"
  printf 'cpu 0\nbtime 0\n' >"$T/np/proc/stat"
  printf '{"ociVersion":"1.0.2","root":{"path":"rootfs"},"process":{"user":{"uid":0,"gid":0},"args":["/x"],"cwd":"/"}}' >"$T/np/bundle/config.json"
  echo '{"init_process_pid":'"$SUBJ"',"config":{"labels":["bundle='"$T/np/bundle"'"]}}' >"$T/np/runc/c001/state.json"
  echo "0::/user.slice/s.scope" >"$T/np/proc/$SUBJ/cgroup"
  echo "$SUBJ (ps-subject) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 0 0 0" >"$T/np/proc/$SUBJ/stat"
  printf 'Name:\tps-subject\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n' >"$T/np/proc/$SUBJ/status"
  is "$("$SCAN" "$T/np/proc" "runc:$T/np/runc" 1 2>&1 | head -2 | tr '\n' ' ')" "1 c001 $SUBJ 1 " \
    "node scan: the container with its process"
  is "$(NS_USER_ERRNO=12 LD_PRELOAD=$T/nsuser.so "$SCAN" "$T/np/proc" "runc:$T/np/runc" 1 2>&1 | head -2)" \
    "node-scan: out of memory" "node scan, ns/user and the kernel's ENOMEM: the scan's error"
else
  skip "tests/helpers/node-scan is not built"
fi
done_testing

/* SPDX-License-Identifier: MIT */
/* execve's ETXTBSY, asked of the kernel (see internal/exec-busy.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "capscope/number.h"
#include "internal/exec-busy.h"

/* include/uapi/linux/fcntl.h (Linux 6.14); glibc 2.36's headers lack it. */
#ifndef AT_EXECVE_CHECK
#define AT_EXECVE_CHECK 0x10000
#endif

/*
 * A kernel older than 6.14 refuses the flag (do_open_execat: EINVAL for
 * any flag but AT_SYMLINK_NOFOLLOW and AT_EMPTY_PATH), but a call that
 * executed would replace a dry run by the command: the flag is passed only
 * to a kernel whose release says it knows it.
 */
static bool kernel_knows_check(void)
{
	struct utsname u;
	uint64_t major, minor;
	size_t a, b;

	if (uname(&u) < 0)
		return false;
	/* "6.18.44-fc": the release's first two numbers, through the one parser. */
	a = strspn(u.release, "0123456789");
	if (u.release[a] != '.')
		return false;
	b = strspn(u.release + a + 1, "0123456789");
	if (cs_parse_u64n(u.release, a, CS_NUM_DEC, UINT32_MAX, &major) < 0 ||
	    cs_parse_u64n(u.release + a + 1, b, CS_NUM_DEC, UINT32_MAX, &minor) < 0)
		return false;
	return major > 6 || (major == 6 && minor >= 14);
}

int cs_exec_text_busy(int dirfd, const char *path)
{
	char *const argv[] = {(char *)"capscope-check", NULL}, *const envp[] = {NULL};
	long rc;

	if (!kernel_knows_check())
		return 0;
	rc = syscall(SYS_execveat, dirfd, path, argv, envp,
		     AT_EXECVE_CHECK | (*path ? 0 : AT_EMPTY_PATH));
	/* 0 (it would run) returns here too: the check never executes. */
	return rc < 0 && errno == ETXTBSY;
}

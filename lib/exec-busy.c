/* SPDX-License-Identifier: MIT */
/* execve's ETXTBSY, asked of the kernel (see internal/exec-busy.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal/exec-busy.h"
#include "internal/kernel-release.h"

/* include/uapi/linux/fcntl.h (Linux 6.14); glibc 2.36's headers lack it. */
#ifndef AT_EXECVE_CHECK
#define AT_EXECVE_CHECK 0x10000
#endif
/* include/uapi/linux/memfd.h (Linux 6.3): an executable memfd under vm.memfd_noexec=1. */
#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif

/*
 * A kernel older than 6.14 refuses the flag (do_open_execat: EINVAL for
 * any flag but AT_SYMLINK_NOFOLLOW and AT_EMPTY_PATH), but a call that
 * executed would replace a dry run by the command: the flag is passed only
 * to a kernel whose release says it knows it.
 */
static bool kernel_knows_check(void)
{
	return cs_kernel_release_at_least(6, 14);
}

static long execve_check(int dirfd, const char *path)
{
	char *const argv[] = {(char *)"capscope-check", NULL}, *const envp[] = {NULL};

	return syscall(SYS_execveat, dirfd, path, argv, envp,
		       AT_EXECVE_CHECK | (*path ? 0 : AT_EMPTY_PATH));
}

/*
 * The release is not enough: what answers the system call may pass it on
 * without the flag. valgrind 3.19 does (its execveat wrapper knows no
 * AT_EXECVE_CHECK): under it, `run --dry-run -- CMD` executed CMD in the
 * dry run's child, printed nothing and exited with CMD's status. So the
 * flag is first tried on a file that passes every check of execve's open
 * and that no loader takes: an empty, executable memfd, open read-only
 * (no writer, or the answer would be ETXTBSY). Honoured, the check answers
 * 0 and executes nothing; ignored, execve tries the file and fails
 * (ENOEXEC; valgrind cannot even name it). Anything but 0 (EACCES under
 * vm.memfd_noexec=2, a seccomp filter's errno) and the flag is never
 * passed: ETXTBSY is not predicted, and the caller is told why (the
 * errno). Asked once a process.
 */
static int check_honoured(void)
{
	/* 1 honoured, -errno of the step that failed; 0: not asked yet */
	static int known;
	int k = __atomic_load_n(&known, __ATOMIC_RELAXED), rw, ro;
	char self[64];

	if (k)
		return k;
	if ((rw = memfd_create("capscope-check", MFD_CLOEXEC | MFD_EXEC)) < 0 && errno == EINVAL)
		rw = memfd_create("capscope-check", MFD_CLOEXEC);
	k = -errno;
	if (rw >= 0) {
		snprintf(self, sizeof(self), "/proc/self/fd/%d", rw);
		ro = open(self, O_RDONLY | O_CLOEXEC);
		k = -errno;
		close(rw);
		if (ro >= 0) {
			k = execve_check(ro, "") == 0 ? 1 : -errno;
			close(ro);
		}
	}
	if (k == 0)
		k = -EIO; /* a failure that set no errno is still a failure */
	__atomic_store_n(&known, k, __ATOMIC_RELAXED); /* a race asks twice, with one answer */
	return k;
}

int cs_exec_text_busy(int dirfd, const char *path)
{
	int h;

	if (!kernel_knows_check())
		return 0;
	if ((h = check_honoured()) != 1)
		return h;
	/* 0 (it would run) returns here too: the check never executes. */
	return execve_check(dirfd, path) < 0 && errno == ETXTBSY;
}

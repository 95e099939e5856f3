/* SPDX-License-Identifier: MIT */
/* The RLIMIT_NPROC mark of a user change (see internal/launch-nproc.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "capscope/number.h"
#include "capscope/userns.h"
#include "internal/cleanup.h"
#include "internal/launch-nproc.h"

/* include/linux/sched.h: "set_user() noticed that RLIMIT_NPROC was exceeded". */
#define PF_NPROC_EXCEEDED 0x00001000u

/*
 * The ninth field of /proc/thread-self/stat (task->flags, proc(5)). The
 * name in parentheses may hold blanks and ')': the fields are counted
 * from the last ')'. Not /proc/self: the mark is the thread's.
 */
static int task_flags(uint64_t *flags)
{
	char buf[1024], *p, *end;
	cs_cleanup_close int fd = open("/proc/thread-self/stat", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return n < 0 ? -errno : -EINVAL;
	buf[n] = '\0';
	if (!(p = strrchr(buf, ')')))
		return -EINVAL;
	/* ") S ppid pgrp session tty_nr tpgid flags": flags follows the seventh blank. */
	for (int blank = 0; blank < 7; blank++) {
		if (*p == '\0' || !(p = strchr(p + 1, ' ')))
			return -EINVAL;
	}
	p++;
	end = strchr(p, ' ');
	if (!end)
		return -EINVAL;
	return cs_parse_u64n(p, (size_t)(end - p), CS_NUM_DEC, UINT64_MAX, flags);
}

/*
 * Whether this process's uid_map is the initial namespace's own (the one
 * reader of it, lib/idmap-proc.c). A namespace given the same map is taken
 * for the initial one; a map that cannot be read is not (the message that
 * names the owner too is the one that stays true).
 */
static bool initial_userns(void)
{
	struct cs_idmap m[CS_IDMAP_KERNEL_MAX];
	size_t n;

	return cs_idmap_read_self(false, m, CS_IDMAP_KERNEL_MAX, &n, NULL) == 0 &&
	       cs_idmap_is_initial(m, n);
}

int cs_launch_nproc_exceeded(uid_t uid, char *why, size_t len)
{
	struct rlimit rl;
	uint64_t flags;
	char lim[32] = "unlimited";

	if (task_flags(&flags) < 0 || !(flags & PF_NPROC_EXCEEDED))
		return 0;
	if (getrlimit(RLIMIT_NPROC, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		snprintf(lim, sizeof(lim), "%llu", (unsigned long long)rl.rlim_cur);
	/*
	 * The kernel counts tasks (threads too) per user and namespace, and a
	 * namespace's tasks again as its owner's in the namespace above, held
	 * to the owner's RLIMIT_NPROC when it made the namespace: inside one,
	 * "uid N already has more" was said of a user with no task at all.
	 */
	if (initial_userns())
		snprintf(why, len,
			 "uid %u already has more tasks (processes and threads) than this "
			 "process's RLIMIT_NPROC (%s): after the change to that user the kernel "
			 "refuses execve until it has no more than that (PF_NPROC_EXCEEDED)",
			 (unsigned)uid, lim);
	else
		snprintf(why, len,
			 "uid %u, or the owner of this user namespace (or of one above, held "
			 "to the limit it had when it made it), already has more tasks than "
			 "RLIMIT_NPROC (here %s): the kernel refuses execve after the change "
			 "(PF_NPROC_EXCEEDED)",
			 (unsigned)uid, lim);
	return 1;
}

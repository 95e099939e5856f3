/* SPDX-License-Identifier: MIT */
/*
 * The floor for `capscope scan DIR`: the least work any correct scanner of
 * set-id bits and file capabilities must do, so bench-scan.sh can say how far
 * capscope is from it. Per directory: one openat beneath its parent and
 * getdents64 until the end; per regular file (known from d_type): one statx
 * (the mode) and one getxattrat of security.capability (every regular file
 * can carry one, so none may be skipped). Nothing else: no paths, no symlink
 * or race checks, no mount flags, no output but a count. The same number of
 * threads as capscope (2), sharing a LIFO of open directories.
 *
 * Usage: floor-walk [-t THREADS] DIR   (prints "files N dirs N privileged N")
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#ifndef SYS_getxattrat
#define SYS_getxattrat 464
#endif

struct xattr_args {
	uint64_t value;
	uint32_t size;
	uint32_t flags;
};

struct item {
	int fd;
	struct item *next;
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static struct item *stack;
static unsigned nthreads = 2, idle;
static int done;
static atomic_ulong files, dirs, priv;

static void push(int fd)
{
	struct item *it = malloc(sizeof(*it));

	if (!it) {
		close(fd);
		return;
	}
	it->fd = fd;
	pthread_mutex_lock(&mu);
	it->next = stack;
	stack = it;
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&mu);
}

static void walk(int fd)
{
	char buf[65536];
	unsigned long nf = 0, np = 0;

	for (;;) {
		long n = syscall(SYS_getdents64, fd, buf, sizeof(buf));

		if (n <= 0)
			break;
		for (long off = 0; off < n;) {
			struct dirent64 *de = (struct dirent64 *)(buf + off);

			off += de->d_reclen;
			if (de->d_name[0] == '.' &&
			    (!de->d_name[1] || (de->d_name[1] == '.' && !de->d_name[2])))
				continue;
			if (de->d_type == DT_DIR) {
				int c = openat(fd, de->d_name,
					       O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

				if (c >= 0)
					push(c);
			} else if (de->d_type == DT_REG) {
				struct statx sx;
				unsigned char v[64];
				struct xattr_args a = {.value = (uintptr_t)v, .size = sizeof(v)};
				long x;

				nf++;
				if (statx(fd, de->d_name, AT_SYMLINK_NOFOLLOW | AT_STATX_DONT_SYNC,
					  STATX_MODE, &sx) < 0)
					continue;
				x = syscall(SYS_getxattrat, fd, de->d_name, AT_SYMLINK_NOFOLLOW,
					    "security.capability", &a, sizeof(a));
				if (x >= 0 || (sx.stx_mode & (S_ISUID | S_ISGID)))
					np++;
			}
		}
	}
	close(fd);
	atomic_fetch_add(&files, nf);
	atomic_fetch_add(&priv, np);
	atomic_fetch_add(&dirs, 1);
}

static void *worker(void *arg)
{
	(void)arg;
	for (;;) {
		struct item *it = NULL;

		pthread_mutex_lock(&mu);
		while (!stack && !done) {
			if (++idle == nthreads) {
				done = 1;
				pthread_cond_broadcast(&cv);
				break;
			}
			pthread_cond_wait(&cv, &mu);
			idle--;
		}
		if (stack) {
			it = stack;
			stack = it->next;
		}
		pthread_mutex_unlock(&mu);
		if (!it)
			return NULL;
		walk(it->fd);
		free(it);
	}
}

int main(int argc, char **argv)
{
	pthread_t th[16];
	int fd, a = 1;

	if (argc > 2 && strcmp(argv[1], "-t") == 0) {
		nthreads = (unsigned)atoi(argv[2]);
		a = 3;
	}
	if (a >= argc || nthreads < 1 || nthreads > 16) {
		fprintf(stderr, "usage: floor-walk [-t THREADS] DIR\n");
		return 2;
	}
	fd = open(argv[a], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "floor-walk: %s: %s\n", argv[a], strerror(errno));
		return 1;
	}
	push(fd);
	for (unsigned i = 1; i < nthreads; i++)
		pthread_create(&th[i], NULL, worker, NULL);
	worker(NULL);
	for (unsigned i = 1; i < nthreads; i++)
		pthread_join(th[i], NULL);
	printf("files %lu dirs %lu privileged %lu\n", atomic_load(&files), atomic_load(&dirs),
	       atomic_load(&priv));
	return 0;
}

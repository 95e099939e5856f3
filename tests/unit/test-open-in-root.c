/* SPDX-License-Identifier: MIT */
/*
 * The walk that stands in for openat2 where the syscall is missing, compared
 * with the running kernel's openat2 on the same hostile tree: the same
 * object (device and inode) or the same errno, for every path, flag and
 * resolve mask below.
 */
#include "cmocka-wrap.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal/open-in-root.h"

static int kernel_open(int dirfd, const char *path, int flags, uint64_t resolve)
{
	struct open_how how = {.flags = (uint64_t)(flags | O_CLOEXEC), .resolve = resolve};
	long fd;

	/* EAGAIN: a ".." while something else on the machine was renamed; ask again. */
	do
		fd = syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
	while (fd < 0 && errno == EAGAIN);
	return fd < 0 ? -errno : (int)fd;
}

static int compared;

static void same(int dirfd, const char *path, int flags, uint64_t resolve)
{
	int want = kernel_open(dirfd, path, flags, resolve);
	int got = cs_open_in_root_walk(dirfd, path, flags, resolve);
	struct stat a, b;

	if (want < 0 || got < 0) {
		if (want != got)
			fail_msg("%s flags %#x resolve %#llx: kernel %d, walk %d", path, flags,
				 (unsigned long long)resolve, want, got);
	} else {
		assert_int_equal(fstat(want, &a), 0);
		assert_int_equal(fstat(got, &b), 0);
		if (a.st_dev != b.st_dev || a.st_ino != b.st_ino)
			fail_msg("%s flags %#x resolve %#llx: another object", path, flags,
				 (unsigned long long)resolve);
		assert_int_equal(fcntl(got, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	}
	if (want >= 0)
		close(want);
	if (got >= 0)
		close(got);
	compared++;
}

static void sh(const char *dir, const char *script)
{
	char cmd[4096];

	snprintf(cmd, sizeof(cmd), "cd '%s' && %s", dir, script);
	assert_int_equal(system(cmd), 0);
}

static void against_openat2(void **state)
{
	static const char *paths[] = {"bin/sh",
				      "/bin/sh",
				      "//bin//sh/",
				      "bin/sh/",
				      "bin/./sh",
				      "usr/../bin/sh",
				      "../../../bin/sh",
				      "/../bin/sh",
				      "abs",
				      "abs/sh",
				      "rel",
				      "rel/sh",
				      "up",
				      "up/bin/sh",
				      "loop",
				      "loop/x",
				      "self",
				      "dangling",
				      "empty",
				      "bin",
				      "bin/",
				      "/",
				      ".",
				      "..",
				      "a/..",
				      "deep/1/2/3/../../../../bin/sh",
				      "chain",
				      "chain/sh",
				      "fifo",
				      "missing",
				      "bin/missing",
				      "dirlink/",
				      "dirlink",
				      "x/..",
				      "tolong",
				      "esc/etc/passwd",
				      "shlink",
				      "shlink/",
				      "abslink",
				      "abslink/",
				      "up/shlink",
				      "chain/"};
	static const int flags[] = {O_PATH,
				    O_PATH | O_NOFOLLOW,
				    O_RDONLY | O_NONBLOCK,
				    O_RDONLY | O_DIRECTORY,
				    O_RDONLY | O_NOFOLLOW | O_NONBLOCK,
				    O_PATH | O_DIRECTORY | O_NOFOLLOW};
	static const uint64_t resolves[] = {
	    RESOLVE_IN_ROOT, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS, RESOLVE_BENEATH,
	    RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	    RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS};
	char d[] = "/tmp/capscope-oir-XXXXXX", cmd[4096];
	int root;

	(void)state;
	assert_non_null(mkdtemp(d));
	sh(d, "mkdir -p bin usr deep/1/2/3 x && printf '#!/bin/sh\\n' >bin/sh && "
	      "ln -s /bin abs && ln -s ../../../bin rel && ln -s .. up && ln -s loop loop && "
	      "ln -s . self && ln -s nowhere dangling && ln -s chain2 chain && ln -s chain3 chain2 "
	      "&& ln -s /abs chain3 && mkfifo fifo && ln -s bin dirlink && "
	      "ln -s /etc esc && ln -s bin/sh shlink && ln -s /usr/../bin/sh abslink && ln -s "
	      "\"$(printf 'a%.0s' $(seq 300))\" tolong");
	root = open(d, O_PATH | O_DIRECTORY | O_CLOEXEC);
	assert_true(root >= 0);
	for (size_t p = 0; p < sizeof(paths) / sizeof(*paths); p++)
		for (size_t f = 0; f < sizeof(flags) / sizeof(*flags); f++)
			for (size_t r = 0; r < sizeof(resolves) / sizeof(*resolves); r++)
				same(root, paths[p], flags[f], resolves[r]);
	/* An empty link text cannot be made with symlink(2); the rest of the edge cases can. */
	assert_int_equal(cs_open_in_root_walk(root, "", O_PATH, RESOLVE_IN_ROOT), -ENOENT);
	assert_int_equal(cs_open_in_root_walk(root, "bin", O_PATH, RESOLVE_NO_SYMLINKS), -EINVAL);
	close(root);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d);
	assert_int_equal(system(cmd), 0);
	assert_true(compared > 1000);
}

/*
 * cs_open_in_root_from a start inside the root against the kernel's lookup
 * of the joined path "START/path": the same object or errno, its links
 * counted with the start's (a start through links: "dirlink", "chain"),
 * its ".." climbing to the root and stopping there (fifteenth pass, part F).
 */
static void from_start(void **state)
{
	static const char *starts[] = {".",	"deep/1/2",   "x",	"dirlink",
				       "chain", "deep/1/2/3", "up/deep"};
	static const char *paths[] = {"sh",	    "../bin/sh", "../../../../../bin/sh",
				      "abs/sh",	    "up/bin/sh", "..",
				      "../..",	    "loop",	 "chain/sh",
				      "shlink",	    "abslink/",	 "esc/passwd",
				      "x/..",	    "missing",	 "dangling",
				      "rel/sh",	    "../rel/sh", "../abs",
				      "self/self/."};
	static const uint64_t resolves[] = {RESOLVE_IN_ROOT,
					    RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS};
	char d[] = "/tmp/capscope-oif-XXXXXX", cmd[4096], joined[4096];
	int root, n = 0;

	(void)state;
	assert_non_null(mkdtemp(d));
	sh(d, "mkdir -p bin usr deep/1/2/3 x && printf '#!/bin/sh\\n' >bin/sh && "
	      "ln -s /bin abs && ln -s ../../../bin rel && ln -s .. up && ln -s loop loop && "
	      "ln -s . self && ln -s nowhere dangling && ln -s chain2 chain && ln -s chain3 chain2 "
	      "&& ln -s /abs chain3 && ln -s bin dirlink && ln -s /etc esc && ln -s sh bin/shlink "
	      "&& ln -s /usr/../bin abslink && ln -s /abs deep/1/2/abs && ln -s ../.. x/up");
	root = open(d, O_PATH | O_DIRECTORY | O_CLOEXEC);
	assert_true(root >= 0);
	for (size_t s = 0; s < sizeof(starts) / sizeof(*starts); s++)
		for (size_t p = 0; p < sizeof(paths) / sizeof(*paths); p++)
			for (size_t r = 0; r < sizeof(resolves) / sizeof(*resolves); r++) {
				int links = 0, start = cs_open_in_root_from(
						   root, root, 0, starts[s], O_PATH | O_DIRECTORY,
						   resolves[r], &links);
				int depth = start < 0 ? -1 : cs_open_in_root_depth(root, start, 64);
				int want, got;
				struct stat a, b;

				if (start < 0)
					continue;
				assert_true(depth >= 0);
				snprintf(joined, sizeof(joined), "%s/%s", starts[s], paths[p]);
				want = kernel_open(root, joined, O_PATH, resolves[r]);
				got = cs_open_in_root_from(root, start, (unsigned)depth, paths[p],
							   O_PATH, resolves[r], &links);
				if (want < 0 || got < 0) {
					if (want != got)
						fail_msg("%s: kernel %d, from %d", joined, want,
							 got);
				} else {
					assert_int_equal(fstat(want, &a), 0);
					assert_int_equal(fstat(got, &b), 0);
					if (a.st_dev != b.st_dev || a.st_ino != b.st_ino)
						fail_msg("%s: another object", joined);
				}
				if (want >= 0)
					close(want);
				if (got >= 0)
					close(got);
				close(start);
				n++;
			}
	assert_int_equal(cs_open_in_root_from(root, root, 0, "x", O_PATH, RESOLVE_BENEATH, &n),
			 -EINVAL);
	close(root);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d);
	assert_int_equal(system(cmd), 0);
	assert_true(n > 200);
}

/* The kernel's answers from_differs met: [0] objects, else by errno. */
static int from_seen[64];

/* One lookup from start, compared with the kernel's of the joined path: 1 when they differ. */
static int from_differs(int root, const char *startp, const char *path, int flags, char *joined,
			size_t jl)
{
	int links = 0, start = cs_open_in_root_from(root, root, 0, startp, O_PATH | O_DIRECTORY,
						    RESOLVE_IN_ROOT, &links);
	int depth, want, got, bad = 0;
	struct stat a, b;

	if (start < 0)
		return 0;
	depth = cs_open_in_root_depth(root, start, 64);
	assert_true(depth >= 0);
	snprintf(joined, jl, "%s/%s", startp, path);
	want = kernel_open(root, joined, flags, RESOLVE_IN_ROOT);
	got = cs_open_in_root_from(root, start, (unsigned)depth, path, flags, RESOLVE_IN_ROOT,
				   &links);
	if (want < 0 || got < 0)
		bad = want != got;
	else
		bad = fstat(want, &a) || fstat(got, &b) || a.st_dev != b.st_dev ||
		      a.st_ino != b.st_ino;
	if (bad)
		print_message("%s (flags %#x): kernel %d, from %d\n", joined, flags, want, got);
	from_seen[want >= 0 ? 0 : -want < 64 ? -want : 63]++;
	if (want >= 0)
		close(want);
	if (got >= 0)
		close(got);
	close(start);
	return bad;
}

/*
 * Random paths (a fixed seed) from starts reached through links, against the
 * kernel's lookup of the joined path: files mid-path and last, trailing
 * slashes, ".." past the root, chains of 38 to 41 links, the flags a final
 * open takes (ENOTDIR, ENOENT, ELOOP as the kernel says them).
 */
static void from_random(void **state)
{
	static const char *starts[] = {".", "a/b", "dirlink", "chain", "up/a/b/c", "k38", "k2"};
	static const char *names[] = {".",    "..",	  "bin", "sh",	    "f",     "a",
				      "b",    "c",	  "abs", "rel",	    "up",    "loop",
				      "self", "dangling", "esc", "dirlink", "k38",   "k39",
				      "k40",  "k41",	  "k2",	 "missing", "flink", ""};
	static const int flags[] = {O_PATH,
				    O_RDONLY,
				    O_PATH | O_DIRECTORY,
				    O_RDONLY | O_NOFOLLOW,
				    O_PATH | O_NOFOLLOW,
				    O_RDONLY | O_DIRECTORY};
	char d[] = "/tmp/capscope-oir-XXXXXX", cmd[8192], joined[4096], path[512];
	unsigned seed = 13;
	int root, bad = 0;

	(void)state;
	assert_non_null(mkdtemp(d));
	sh(d, "mkdir -p bin a/b/c && printf '#!/bin/sh\\n' >bin/sh && echo x >f && "
	      "ln -s /bin abs && ln -s ../../bin a/b/rel && ln -s .. a/up && ln -s loop loop && "
	      "ln -s . self && ln -s nowhere dangling && ln -s chain2 chain && ln -s /a chain2 && "
	      "ln -s bin dirlink && ln -s /etc esc && ln -s f flink && ln -s /a/b a/b/c/up && "
	      "ln -s . up && ln -s /bin k1 && "
	      "for i in $(seq 2 41); do ln -s k$((i - 1)) k$i; done && "
	      "for i in $(seq 2 41); do ln -s /k$i a/b/k$i; done");
	root = open(d, O_PATH | O_DIRECTORY | O_CLOEXEC);
	assert_true(root >= 0);
	for (int i = 0; i < 20000; i++) {
		size_t at = 0, parts = 1 + rand_r(&seed) % 4;

		for (size_t k = 0; k < parts; k++)
			at += (size_t)snprintf(
			    path + at, sizeof(path) - at, "%s%s", k ? "/" : "",
			    names[rand_r(&seed) % (sizeof(names) / sizeof(*names))]);
		if (rand_r(&seed) % 4 == 0)
			snprintf(path + at, sizeof(path) - at, "/");
		if (!path[0])
			continue;
		bad +=
		    from_differs(root, starts[rand_r(&seed) % (sizeof(starts) / sizeof(*starts))],
				 path, flags[rand_r(&seed) % (sizeof(flags) / sizeof(*flags))],
				 joined, sizeof(joined));
	}
	close(root);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(bad, 0);
	/* Every kind of answer was met, not only "no such file". */
	print_message("objects %d, ENOENT %d, ENOTDIR %d, ELOOP %d, EXDEV %d, other %d\n",
		      from_seen[0], from_seen[ENOENT], from_seen[ENOTDIR], from_seen[ELOOP],
		      from_seen[EXDEV], from_seen[63]);
	assert_true(from_seen[0] > 1000 && from_seen[ENOENT] > 1000 && from_seen[ENOTDIR] > 300 &&
		    from_seen[ELOOP] > 100);
}

static int record(void *ctx, int dirfd, const char *dirpath, size_t len, size_t depth)
{
	char *log = ctx;

	(void)dirfd;
	/* The length and the depth the recorder keys its way down by. */
	assert_int_equal(len, strcmp(dirpath, "/") ? strlen(dirpath) : 0);
	sprintf(log + strlen(log), "%s:%zu ", dirpath, depth);
	return 0;
}

/* The directories a kernel lookup searches, in order: "." and ".." are looked up too. */
static void visited(void **state)
{
	char d[] = "/tmp/capscope-oiv-XXXXXX", cmd[4096], log[4096] = "";
	int root, fd;

	(void)state;
	assert_non_null(mkdtemp(d));
	sh(d, "mkdir -p a/b c && touch a/b/f && ln -s /a/b c/l");
	root = open(d, O_PATH | O_DIRECTORY | O_CLOEXEC);
	fd = cs_open_in_root_visit(root, "c/./l/../b/f", O_PATH, RESOLVE_IN_ROOT, record, log);
	assert_true(fd >= 0);
	close(fd);
	assert_string_equal(log, "/:0 /c:1 /c:1 /:0 /a:1 /a/b:2 /a:1 /a/b:2 ");
	close(root);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d);
	assert_int_equal(system(cmd), 0);
}

/* /proc/self/exe is a magic link: the kernel jumps, it does not read a path. */
static void magic_links(void **state)
{
	int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);

	(void)state;
	if (access("/proc/self/exe", F_OK) < 0)
		skip();
	same(root, "proc/self/exe", O_PATH, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
	same(root, "proc/self/exe", O_PATH, RESOLVE_IN_ROOT);
	same(root, "proc/self/fd/0", O_PATH, RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS);
	same(root, "proc/self/root/etc", O_PATH, RESOLVE_IN_ROOT);
	same(root, "proc/self/status", O_RDONLY, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
	same(root, "proc/mounts", O_RDONLY, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
	close(root);
}

/* Every openat2 in this process says errno (a seccomp filter, as a sandbox's). */
static void openat2_says(int err)
{
	struct sock_filter f[] = {
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat2, 0, 1),
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (unsigned)err),
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {.len = sizeof(f) / sizeof(*f), .filter = f};

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0)
		_exit(77);
}

/*
 * openat2's EAGAIN (a ".." looked up while anything on the machine was
 * renamed) is no answer: the lookup is asked again and then walked, never
 * reported. A seccomp filter makes every openat2 say it; the answers must be
 * the walk's. Without the retry a hostile "../../../etc/passwd" link read
 * EAGAIN now and then under load where it is ENOENT.
 */
static void eagain_is_no_answer(void **state)
{
	char d[] = "/tmp/capscope-oie-XXXXXX", cmd[4096];
	int root, status;
	pid_t pid;

	(void)state;
	assert_non_null(mkdtemp(d));
	sh(d, "mkdir -p usr/bin a && ln -s ../../../../etc/passwd usr/bin/nc && touch a/f");
	root = open(d, O_PATH | O_DIRECTORY | O_CLOEXEC);
	assert_true(root >= 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fd;

		openat2_says(EAGAIN);
		if (cs_open_in_root(root, "usr/bin/nc", O_PATH, RESOLVE_IN_ROOT) != -ENOENT)
			_exit(1);
		fd = cs_open_in_root(root, "usr/../a/f", O_RDONLY, RESOLVE_IN_ROOT);
		if (fd < 0)
			_exit(2);
		if (cs_open_in_root(root, "../../a", O_PATH, RESOLVE_BENEATH) != -EXDEV)
			_exit(3);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == 77)
		skip();
	assert_int_equal(WEXITSTATUS(status), 0);
	close(root);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(against_openat2), cmocka_unit_test(from_start),
	    cmocka_unit_test(from_random),     cmocka_unit_test(magic_links),
	    cmocka_unit_test(visited),	       cmocka_unit_test(eagain_is_no_answer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

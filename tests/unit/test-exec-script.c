/* SPDX-License-Identifier: MIT */
/*
 * "#!" scripts: the first line read as fs/binfmt_script.c reads it, and the
 * whole chain (resolver + kernel model) compared with what the running
 * kernel's execve does with the same files: success, ENOEXEC, ENOENT,
 * EACCES or ELOOP.
 */
#include "cmocka-wrap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capscope/kernel.h"
#include "internal/exec-script.h"

static void parse(const char *head, size_t n, int want, const char *name)
{
	char got[CS_EXEC_HEAD_MAX];

	assert_int_equal(cs_exec_script_interpreter(head, n, got, NULL), want);
	if (want == 1)
		assert_string_equal(got, name);
}

static void first_line(void **state)
{
	char buf[300], name[CS_EXEC_HEAD_MAX];

	(void)state;
	parse("#!/bin/sh\n", 10, 1, "/bin/sh");
	parse("#! /bin/sh -e\n", 14, 1, "/bin/sh");
	parse("#!\t/bin/sh\t \n", 13, 1, "/bin/sh");
	parse("#!/bin/sh", 9, 1, "/bin/sh");	    /* no newline, short file */
	parse("#!/bin/sh\r\n", 11, 1, "/bin/sh\r"); /* CRLF: the name ends in CR */
	parse("#!bin/x\n", 8, 1, "bin/x");
	parse("#!\n", 3, -ENOEXEC, NULL);
	parse("#!   \n", 6, -ENOEXEC, NULL);
	parse("#!", 2, 1, ""); /* no newline: the NUL ends an empty name (EACCES) */
	parse("#!  ", 4, 1, "");
	parse("#!/bin/true\0/x\n", 15, 1, "/bin/true");
	parse("#!\0 /bin/true\n", 14, 1, ""); /* the search for '\n' stops at the NUL */
	parse("\x7f"
	      "ELF",
	      4, 0, NULL);
	parse("echo hi\n", 8, 0, NULL);
	parse("", 0, 0, NULL);
	parse("#", 1, 0, NULL);

	/* A name that runs past the 256 bytes read cannot be trusted: ENOEXEC. */
	memset(buf, 'a', sizeof(buf));
	memcpy(buf, "#!/", 3);
	parse(buf, sizeof(buf), -ENOEXEC, NULL);
	/* The same name ending at byte 255 (a blank there) is used. */
	buf[255] = ' ';
	assert_int_equal(cs_exec_script_interpreter(buf, sizeof(buf), name, NULL), 1);
	assert_int_equal(strlen(name), 253);
	/* The one argument: the rest of the line, inner blanks kept, trailing dropped. */
	{
		static const char *const cases[][2] = {
		    {"#! /bin/sh -e  x \n", "-e  x"},
		    {"#!/bin/sh\t\n", ""},
		    {"#!/bin/sh\t-x", "-x"},
		    {"#!/bin/sh -x\0y\n", "-x"},
		};
		char arg[CS_EXEC_HEAD_MAX];

		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			size_t len = strlen(cases[i][0]);

			if (i == 3)
				len = 16;
			assert_int_equal(cs_exec_script_interpreter(cases[i][0], len, name, arg),
					 1);
			assert_string_equal(name, "/bin/sh");
			assert_string_equal(arg, cases[i][1]);
		}
	}
	/* A long argument after a short name is only cut short. */
	memset(buf, 'a', sizeof(buf));
	memcpy(buf, "#!/bin/sh ", 10);
	parse(buf, sizeof(buf), 1, "/bin/sh");
}

static char dir[] = "/tmp/cs-script-XXXXXX";

static void put(const char *name, const void *text, size_t len, mode_t mode)
{
	char p[512];
	int fd;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
	assert_int_equal(chmod(p, mode), 0);
}

#define PUT(name, lit, mode) put(name, lit, sizeof(lit) - 1, mode)

/* What the running kernel says: 0, or the errno execve failed with. */
static int real_exec(const char *path)
{
	int pipefd[2], err = 0, status;
	pid_t pid;

	assert_int_equal(pipe2(pipefd, O_CLOEXEC), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char *argv[] = {(char *)path, NULL}, *envp[] = {NULL};

		if (chdir(dir) == 0)
			execve(path, argv, envp);
		err = errno;
		(void)!write(pipefd[1], &err, sizeof(err));
		_exit(127);
	}
	close(pipefd[1]);
	if (read(pipefd[0], &err, sizeof(err)) != sizeof(err))
		err = 0; /* the pipe closed at exec: it ran */
	close(pipefd[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return err;
}

/* What the model says for the same file, run by full root from dir. */
static int model_exec(const char *path)
{
	struct cs_exec_file f;
	struct cs_cred c;
	struct cs_steps st;
	int rc;

	cs_steps_init(&st);
	cs_cred_init_root(&c);
	assert_int_equal(cs_exec_file_resolve("/", dir, path, NULL, &f, NULL), 0);
	rc = cs_kernel_execve(&c, &f, &st);
	cs_exec_file_clear(&f);
	cs_steps_free(&st);
	return -rc;
}

static void against_kernel(void **state)
{
	static const char *const names[] = {
	    "plain",  "args",	   "tab",	"nonl",	   "crlf",   "empty",	 "blank",
	    "nul",    "nulname",   "long",	"long255", "text",   "noint",	 "intnox",
	    "intdir", "rel",	   "chain5",	"chain6",  "chain7", "selfloop", "noxscript",
	    "bang",   "bangblank", "emptyfile", "inttext",
	};
	char p[512], big[300];
	int bad = 0;

	(void)state;
	if (geteuid() != 0)
		skip();
	assert_non_null(mkdtemp(dir));
	assert_int_equal(chmod(dir, 0755), 0);
	PUT("plain", "#!/bin/true\n", 0755);
	PUT("args", "#! /bin/true -x y\n", 0755);
	PUT("tab", "#!\t/bin/true\t\n", 0755);
	PUT("nonl", "#!/bin/true", 0755);
	PUT("crlf", "#!/bin/true\r\n", 0755);
	PUT("empty", "#!\n", 0755);
	PUT("blank", "#!  \t \n", 0755);
	PUT("nul", "#!/bin/true\0/x\n", 0755);
	PUT("nulname", "#!\0 /bin/true\n", 0755);
	memset(big, 'a', sizeof(big));
	memcpy(big, "#!/", 3);
	put("long", big, sizeof(big), 0755);
	big[255] = ' ';
	put("long255", big, sizeof(big), 0755);
	PUT("text", "echo hi\n", 0755);
	PUT("noint", "#!/nonexistent/interpreter\n", 0755);
	snprintf(p, sizeof(p), "#!%s/datafile\n", dir);
	put("intnox", p, strlen(p), 0755);
	PUT("datafile", "x", 0644);
	PUT("intdir", "#!/tmp\n", 0755);
	assert_int_equal(mkdir(strcat(strcpy(p, dir), "/bin"), 0755), 0);
	PUT("bin/t", "#!/bin/true\n", 0755);
	PUT("rel", "#!bin/t\n", 0755);
	/* s0 runs /bin/true; sN runs s(N-1): five scripts run, six fail (ELOOP). */
	PUT("s0", "#!/bin/true\n", 0755);
	for (int i = 1; i <= 6; i++) {
		char name[8];

		snprintf(name, sizeof(name), "s%d", i);
		snprintf(p, sizeof(p), "#!%s/s%d\n", dir, i - 1);
		put(name, p, strlen(p), 0755);
	}
	assert_int_equal(symlink("s4", strcat(strcpy(p, dir), "/chain5")), 0);
	assert_int_equal(symlink("s5", strcat(strcpy(p, dir), "/chain6")), 0);
	assert_int_equal(symlink("s6", strcat(strcpy(p, dir), "/chain7")), 0);
	snprintf(p, sizeof(p), "#!%s/selfloop\n", dir);
	put("selfloop", p, strlen(p), 0755);
	PUT("noxscript", "#!/bin/true\n", 0644);
	PUT("bang", "#!", 0755);
	PUT("bangblank", "#!  ", 0755);
	PUT("emptyfile", "", 0755);
	PUT("textfile", "echo hi\n", 0755);
	snprintf(p, sizeof(p), "#!%s/textfile\n", dir);
	put("inttext", p, strlen(p), 0755);

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		int real, model;

		snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
		real = real_exec(p);
		model = model_exec(p);
		if (real != model) {
			print_message("%s: kernel %s, model %s\n", names[i], cs_errno_name(real),
				      cs_errno_name(model));
			bad++;
		}
	}
	snprintf(p, sizeof(p), "rm -rf '%s'", dir);
	assert_int_equal(system(p), 0);
	assert_int_equal(bad, 0);
}

/* The chain is kept: each script, then the interpreter whose bits count. */
static void chain_kept(void **state)
{
	char d[] = "/tmp/cs-chain-XXXXXX", p[512];
	struct cs_exec_file f;
	const struct cs_exec_file *last;
	int fd;

	(void)state;
	assert_non_null(mkdtemp(d));
	snprintf(p, sizeof(p), "%s/a", d);
	fd = open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 04755);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "#!/b -x\n", 8), 8);
	close(fd);
	assert_int_equal(chmod(p, 04755), 0);
	snprintf(p, sizeof(p), "%s/b", d);
	fd = open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0711);
	assert_true(fd >= 0);
	assert_int_equal(write(fd,
			       "\x7f"
			       "ELF",
			       4),
			 4);
	close(fd);

	assert_int_equal(cs_exec_file_resolve(d, NULL, "/a", NULL, &f, NULL), 0);
	assert_string_equal(f.path, "/a");
	assert_int_equal(f.mode & 07777, 04755);
	assert_non_null(f.interp);
	last = cs_exec_file_final(&f);
	assert_ptr_equal(last, f.interp);
	assert_string_equal(last->path, "/b");
	assert_int_equal(last->mode & 07777, 0711);
	assert_null(last->interp);
	cs_exec_file_clear(&f);
	assert_null(f.interp);
	snprintf(p, sizeof(p), "rm -rf '%s'", d);
	assert_int_equal(system(p), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(first_line),
	    cmocka_unit_test(against_kernel),
	    cmocka_unit_test(chain_kept),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

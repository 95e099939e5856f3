/* SPDX-License-Identifier: MIT */
/* capscope: the command table and dispatch. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capscope/version.h"
#include "commands.h"
#include "internal/archive-live.h"
#include "output.h"

/*
 * In the static capscope the commands that run in capscope-dyn name no
 * function here: nothing then refers to their code, so the linker leaves it
 * (and its tables, which a static-pie start-up must relocate page by page)
 * out of the program the small commands start.
 */
#ifdef CS_DYN_PATH
#define DYNAMIC(fn) NULL, true
#else
#define DYNAMIC(fn) fn, true
#endif

static const struct cs_cmd commands[] = {
    {"decode", "capability masks to names, as capsh --decode", cmd_decode},
    {"encode", "capability names or libcap text to masks", cmd_encode},
    {"ps", "the five sets and credentials of processes", cmd_ps},
    {"file", "file capabilities: get, set, rm", cmd_file},
    {"scan", "privileged files in a tree or a container image", DYNAMIC(cmd_scan)},
    {"trace", "live capability checks (eBPF) and the least set", cmd_trace},
    {"run", "run a command with exact credentials, fail closed", cmd_run},
    {"explain", "predict credentials step by step: explain oci BUNDLE", DYNAMIC(cmd_explain)},
    {"lint", "check manifests in CI: rules from the model, SARIF", DYNAMIC(cmd_lint)},
    {"policy", "least SCC, custom SCC, admission policies from real needs", DYNAMIC(cmd_policy)},
    {"serve", "node agent (Prometheus metrics) and admission webhook", DYNAMIC(cmd_serve)},
};

#ifdef CS_DYN_PATH
extern char **environ;

/*
 * This capscope is linked statically, so a small command starts without the
 * dynamic loader's work (most of a start-up on a VM: bench-foundation.sh).
 * A command that may load libarchive or libmicrohttpd cannot run in a static
 * program (lib/internal/util.h), so it runs in capscope-dyn: the same
 * commands, linked dynamically. That program lies beside this one in the
 * build tree, else where meson installed it (CS_DYN_PATH).
 *
 * A twin beside this program is used only when nobody else could have put
 * it there: its directory writable by no one but its owner, the file owned
 * by this program's owner and writable by no one else. capscope often runs
 * as root; a copy of it in /tmp must not run whatever another user named
 * /tmp/capscope-dyn. The checked file itself is executed (fexecve), not its
 * name again.
 */
static int sibling_twin(uid_t owner)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;
	struct stat ds, fs;
	int dfd, fd;

	if (n <= 0)
		return -ENOENT;
	self[n] = '\0';
	slash = strrchr(self, '/');
	if (!slash)
		return -ENOENT;
	*slash = '\0';
	dfd = open(self[0] ? self : "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	fd = openat(dfd, "capscope-dyn", O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		close(dfd);
		return -e;
	}
	if (fstat(dfd, &ds) < 0 || fstat(fd, &fs) < 0 || (ds.st_mode & (S_IWGRP | S_IWOTH)) ||
	    (ds.st_uid != 0 && ds.st_uid != owner) || !S_ISREG(fs.st_mode) || fs.st_uid != owner ||
	    (fs.st_mode & (S_IWGRP | S_IWOTH))) {
		close(fd);
		close(dfd);
		return -EPERM;
	}
	close(dfd);
	return fd;
}

static int run_dynamic_twin(char **argv)
{
	struct stat self;
	int fd = stat("/proc/self/exe", &self) == 0 ? sibling_twin(self.st_uid) : -ENOENT;

	if (fd == -EPERM)
		return cs_err(NULL,
			      "capscope-dyn beside this program could have been placed by "
			      "another user (its directory or the file is writable by others, or "
			      "owned by someone else); refusing to run it");
	if (fd >= 0) {
		fexecve(fd, argv, environ);
		return cs_err(NULL, "cannot run capscope-dyn beside this program: %s",
			      strerror(errno));
	}
	execv(CS_DYN_PATH, argv);
	return cs_err(NULL, "cannot run %s: %s", CS_DYN_PATH, strerror(errno));
}
#endif

static void usage(FILE *f)
{
	fprintf(f, "Usage: capscope COMMAND [OPTIONS] [ARGS]\n\n"
		   "Which capabilities does a process really have, why, and what is the\n"
		   "least it needs?\n\nCommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nRun 'capscope COMMAND --help' for a command's options and examples.\n");
}

/*
 * A library that ends the process itself (libarchive 3.6's
 * __archive_errx(1, "Out of memory") when one of its strings cannot grow,
 * deep in reading an image's headers) left capscope's exit status 1: "a
 * finding reached --fail-on" for scan, "a difference" for scan --diff, "a
 * finding" for explain pod --image, over no report. capscope's commands
 * return from main; an exit() from anywhere else is an error here: the
 * output buffered so far is dropped (_exit flushes nothing) and the status
 * is 2, with the library's own line on stderr. With a reader of
 * libarchive's alive, that line ("Fatal Internal Error in libarchive: Out
 * of memory") was the only one, not capscope's: the command's own line
 * follows it (twenty-seventh pass, part G).
 */
static bool main_returned;
static const char *running; /* the command, from the table */

static void exit_not_ours(void)
{
	if (main_returned)
		return;
	if (cs_archive_reading())
		cs_err(running, "out of memory: libarchive ended the process (its line above); "
				"no answer given");
	_exit(CS_EXIT_ERROR);
}

static int dispatch(int argc, char **argv);

int main(int argc, char **argv)
{
	int rc;

	if (atexit(exit_not_ours) != 0)
		return cs_err(NULL, "out of memory");
	rc = dispatch(argc, argv);
	main_returned = true;
	return rc;
}

static int dispatch(int argc, char **argv)
{
	if (!cs_hold_std_fds())
		return cs_std_fds_refused(argc > 1 ? argv[1] : NULL);
	if (argc < 2) {
		usage(stderr);
		return CS_EXIT_USAGE;
	}
	/*
	 * Twenty-fifth pass, part A: what followed these was ignored, so
	 * `capscope help lint` printed the list of commands and `capscope help
	 * lnt` too, exit 0. `help COMMAND` is COMMAND's --help (as git's and
	 * go's); anything else after them is one usage error.
	 */
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		if (argc > 3)
			return cs_usage_err(NULL, "%s takes at most one COMMAND", argv[1]);
		if (argc == 3) {
			for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
				if (strcmp(argv[2], commands[i].name) == 0) {
					char *help[] = {argv[0], argv[2], (char *)"--help", NULL};

#ifdef CS_DYN_PATH
					if (commands[i].dynamic)
						return run_dynamic_twin(help);
#endif
					return commands[i].main(2, help + 1);
				}
			return cs_usage_err(NULL, "unknown command '%s'", argv[2]);
		}
		usage(stdout);
		return cs_finish_stdout(NULL, 0);
	}
	if (strcmp(argv[1], "--version") == 0) {
		if (argc > 2)
			return cs_usage_err(NULL, "--version takes no argument");
		printf("capscope %s\n", cs_version());
		return cs_finish_stdout(NULL, 0);
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0) {
#ifdef CS_DYN_PATH
			if (commands[i].dynamic)
				return run_dynamic_twin(argv);
#endif
			running = commands[i].name;
			return commands[i].main(argc - 1, argv + 1);
		}
	return cs_usage_err(NULL, "unknown command '%s'", argv[1]);
}

/* SPDX-License-Identifier: MIT */
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capscope/escape.h"
#include "internal/util.h"

/*
 * Every message goes through the one escaping rule (escape.h) here, once:
 * messages quote names from manifests, images and file systems, and a
 * caller cannot forget it. Callers pass the raw text.
 */
/*
 * One message line, written whole by one fwrite. fprintf on stderr, which
 * has no buffer, formats into 8 KiB of stack (glibc's buffered_vfprintf):
 * `run` reports a refused step on whatever stack a caller's RLIMIT_STACK
 * leaves, and at 16 KiB (setpriv's need) the refusal died of SIGSEGV with
 * no message (twenty-first pass). One write also keeps a line whole beside
 * another writer.
 */
static void put_line(const char *cmd, const char *text)
{
	size_t nc = cmd ? strlen(cmd) + 1 : 0, nt = strlen(text);
	char *line = malloc(sizeof("capscope") - 1 + nc + 2 + nt + 1);
	size_t k = 0;

	if (!line) { /* several writes, none of them formatted on the stack */
		fputs(cmd ? "capscope " : "capscope", stderr);
		fputs(cmd ? cmd : "", stderr);
		fputs(": ", stderr);
		fputs(text, stderr);
		fputs("\n", stderr);
		return;
	}
	memcpy(line, "capscope", k = sizeof("capscope") - 1);
	if (cmd) {
		line[k++] = ' ';
		memcpy(line + k, cmd, nc - 1);
		k += nc - 1;
	}
	memcpy(line + k, ": ", 2);
	memcpy(line + k + 2, text, nt);
	k += 2 + nt;
	line[k++] = '\n';
	fwrite(line, 1, k, stderr);
	free(line);
}

/*
 * The most of a message's text (before escaping): a longer one is cut in
 * its middle, head "..." end, each on a character, so what it says after a
 * long value survives. Twenty-fifth pass, part A: the library's messages
 * were cut so (a cs_diag's 256 bytes, joined to at most 800 with its file
 * and field: never cut again here), the CLI's own were not: `explain pod
 * --check V`, `--uid-range`, `--caller`, `policy --caps`, `ps V`, `trace -p
 * V`, `scan --threads`, `--max-bytes`, `serve --listen`, `--threads`,
 * `--max-body`, `--bundle-root` quoted a 5,000-byte value whole (an argument
 * may be 128 KiB), the others some 250 bytes of it.
 */
#define CS_MSG_MAX 1024

/*
 * max: CS_MSG_MAX, or 0 for a line naming an entry of scanned data (its
 * path whole, however deep: the report's, not a message about an
 * argument). The text is formatted and cut on the heap (cs_vformat_quoted
 * takes 256 bytes of stack): `run`'s refusal must still be said under a
 * caller's 16 KiB RLIMIT_STACK (cli/run-stack).
 */
__attribute__((format(printf, 3, 0))) static void vmsg(const char *cmd, size_t max, const char *fmt,
						       va_list ap)
{
	char *raw, *cut, *shown = NULL;

	/* A value the message quotes ('%s') has that quote doubled, as in the
	 * library's messages (lib/msg-format.c): `run --user "a'b"` is
	 * 'a''b', never a quotation that ends early. */
	if ((raw = cs_vformat_quoted(fmt, ap)) && max && strlen(raw) > max) {
		/* head "..." end, each on a character (cs_clip_mid) */
		if ((cut = malloc(max + 1)))
			cs_clip_mid(cut, max + 1, raw);
		free(raw);
		raw = cut;
	}
	if (raw)
		shown = cs_escape_dup(raw);
	put_line(cmd, shown ? shown : "out of memory");
	free(raw);
	free(shown);
}

/*
 * Thirteenth pass, second round: capscope started with stdout closed
 * (`>&-`) opened its next file as descriptor 1, so `explain pod --html F`
 * wrote its text report into the page (published, exit 2); with stderr
 * closed, messages went into whatever file or socket took descriptor 2.
 * A closed standard descriptor is taken first by /dev/null, stdin
 * write-only and stdout and stderr read-only, so that every use of it still
 * fails with EBADF as before (the write error and exit 2 stay), and
 * close-on-exec, so that a command `run` or `trace` starts sees them closed
 * as they were given.
 */
bool cs_hold_std_fds(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		int n;

		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		/* the lowest free descriptor: fd, the ones below it are open */
		n = open("/dev/null", (fd == 0 ? O_WRONLY : O_RDONLY) | O_CLOEXEC | O_NOCTTY);
		if (n < 0)
			return false;
		if (n != fd) {
			close(n);
			return false;
		}
	}
	return true;
}

int cs_std_fds_refused(const char *cmd)
{
	bool run = cmd && strcmp(cmd, "run") == 0;

	cs_err(run ? cmd : NULL,
	       "a standard descriptor (0, 1 or 2) is closed and /dev/null cannot be opened to "
	       "hold it%s",
	       run ? "; nothing was executed" : "");
	return run ? 127 : CS_EXIT_ERROR;
}

int cs_err(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(cmd, CS_MSG_MAX, fmt, ap);
	va_end(ap);
	return CS_EXIT_ERROR;
}

int cs_err_entry(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(cmd, 0, fmt, ap);
	va_end(ap);
	return CS_EXIT_ERROR;
}

int cs_usage_err(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(cmd, CS_MSG_MAX, fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try 'capscope%s%s --help'.\n", cmd ? " " : "", cmd ? cmd : "");
	return CS_EXIT_USAGE;
}

int cs_diag_err(const char *cmd, const char *what, const struct cs_diag *d)
{
	char buf[800];

	cs_diag_format(d, buf, sizeof(buf));
	if (what && *what)
		return cs_err(cmd, "%s: %s", what, buf);
	return cs_err(cmd, "%s", buf);
}

/*
 * Fifteenth pass: `policy` said "no pod or pod template in the input" (no
 * file), and `explain pod` with several files named the first only.
 */
int cs_no_pods_err(const char *cmd, char *const *files, int n)
{
	if (n == 1)
		return cs_err(cmd, "no Pod or workload with a pod template in %s", files[0]);
	return cs_err(cmd, "no Pod or workload with a pod template in any of the %d files", n);
}

int cs_opt_once(const char *cmd, int c, const struct option *longopts, unsigned long long *seen,
		const char *repeatable)
{
	for (unsigned i = 0; longopts[i].name && i < 64; i++) {
		if (longopts[i].val != c || longopts[i].has_arg != required_argument)
			continue;
		if (c > 0 && c < 256 && strchr(repeatable, c))
			return 0;
		if (*seen & (1ull << i))
			return cs_usage_err(cmd, "--%s given twice", longopts[i].name);
		*seen |= 1ull << i;
		return 0;
	}
	return 0;
}

/* The long options whose names start with the n bytes of name: how many,
 * the one matched exactly, and their names listed in buf. */
static int long_matches(const struct option *lo, const char *name, size_t n, int *exact, char *buf,
			size_t size)
{
	size_t used = 0;
	int count = 0;

	*exact = -1;
	buf[0] = '\0';
	for (int i = 0; lo && lo[i].name; i++) {
		if (strncmp(lo[i].name, name, n))
			continue;
		if (strlen(lo[i].name) == n)
			*exact = i;
		count++;
		if (used < size) {
			int w = snprintf(buf + used, size - used, "%s--%s", used ? ", " : "",
					 lo[i].name);
			used += w > 0 ? (size_t)w : 0;
		}
	}
	return count;
}

/* optind before the last getopt_long call (cs_getopt). */
static int opt_started = -1;

int cs_getopt(int argc, char **argv, const char *optstring, const struct option *longopts,
	      int *longindex)
{
	opt_started = optind;
	return getopt_long(argc, argv, optstring, longopts, longindex);
}

/*
 * Sixteenth pass, part H: every refusal of a long option was "unknown
 * option", and untrue twice: `--json=1` and `--help=x` (glibc's optopt is
 * then the option's own value) said "unknown option '-j'" and "'-h'" (an
 * option that exists), and `--n` (a prefix of --name and --namespace,
 * which getopt_long refuses as ambiguous) "unknown option '--n'". glibc
 * moves optind past a long option it refuses, so argv[optind - 1] is it;
 * a short option's may still be under way, so its character is named.
 */
int cs_bad_option(const char *cmd, int opt, int optopt_, char **argv, int optind_,
		  const struct option *longopts)
{
	const char *arg = optind_ > 0 ? argv[optind_ - 1] : "?";
	char names[512];
	int exact;

	/* A short option refused inside a cluster whose rest is still to come
	 * ("-jv"): glibc left optind where it was, and argv[optind - 1] is the
	 * argument before the cluster, perhaps another option's value
	 * (`lint --config --json=1 -jv` said "option '--json' takes no
	 * value"; sixteenth pass, part H, open). A long option always moves
	 * optind on. */
	if (optopt_ > 0 && optopt_ < 256 && optind_ == opt_started)
		return cs_usage_err(cmd, "unknown option '-%c'", optopt_);
	if (opt == ':')
		return cs_usage_err(cmd, "option '%s' needs a value", arg);
	if (!strncmp(arg, "--", 2) && arg[2] && arg[2] != '=') { /* "--=x" names none */
		const char *name = arg + 2, *eq = strchr(name, '=');
		size_t n = eq ? (size_t)(eq - name) : strlen(name);
		int k = long_matches(longopts, name, n, &exact, names, sizeof(names));

		if (k == 1 || exact >= 0) {
			int i = exact;

			for (int j = 0; i < 0 && longopts[j].name; j++)
				if (!strncmp(longopts[j].name, name, n))
					i = j;
			if (eq && longopts[i].has_arg == no_argument && optopt_ == longopts[i].val)
				return cs_usage_err(cmd, "option '--%s' takes no value",
						    longopts[i].name);
		}
		if (k > 1 && exact < 0 && !optopt_)
			return cs_usage_err(cmd, "option '--%.*s' is ambiguous: %s", (int)n, name,
					    names);
		if (!optopt_)
			return cs_usage_err(cmd, "unknown option '%s'", arg);
	}
	if (optopt_ && optopt_ < 256)
		return cs_usage_err(cmd, "unknown option '-%c'", optopt_);
	return cs_usage_err(cmd, "unknown option '%s'", arg);
}

bool cs_use_color(FILE *f)
{
	const char *nc = getenv("NO_COLOR");

	if (nc && *nc)
		return false;
	return isatty(fileno(f)) == 1;
}

const char *cs_color(FILE *f, const char *sgr)
{
	return cs_use_color(f) ? sgr : "";
}

/*
 * Why a writer stopped when standard output itself is intact: the JSON
 * writer's own refusals (lib/json.c) and a SARIF writer's allocation.
 * strerror(E2BIG) would say "Argument list too long", which is not true.
 */
static const char *writer_cause(int err)
{
	switch (err) {
	case -E2BIG:
		return "the JSON document nests deeper than the writer's limit (a capscope bug)";
	case -EINVAL:
		return "the JSON writer closed more than it opened (a capscope bug)";
	case -ENOMEM:
		return "out of memory";
	default:
		return strerror(err < 0 ? -err : EIO);
	}
}

static int out_incomplete; /* cs_out_incomplete's first error */

void cs_out_incomplete(int err)
{
	if (!out_incomplete)
		out_incomplete = err < 0 ? err : -EIO;
}

const char *cs_oom_mark(void)
{
	cs_out_incomplete(-ENOMEM);
	return "?";
}

void cs_table_emit(struct cs_table *t, FILE *f, const char *header_sgr)
{
	cs_table_print(t, f, header_sgr);
	if (t->failed)
		cs_out_incomplete(-ENOMEM);
	cs_table_free(t);
}

int cs_finish_stdout_err(const char *cmd, int rc, int err)
{
	if (!err)
		err = out_incomplete;
	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		/* the writer's error is the cause only when it was a write's */
		int e = errno ? errno : err < 0 ? -err : EIO;

		/* Report once; a closed pipe is still a failure to deliver the output.
		 * Thirteenth pass: the output lost, a findings code (lint 1) read as
		 * the result; the exit status is the error's. */
		cs_err(cmd, "write error on standard output: %s", strerror(e));
		return rc > CS_EXIT_ERROR ? rc : CS_EXIT_ERROR;
	}
	if (err < 0) {
		/* Fourteenth pass: a writer that failed without a write error (the
		 * JSON writer's depth limit, a SARIF writer out of memory) ended
		 * `explain oci` and `explain pod` with exit 2 and no message, and
		 * decode, ps, file, scan and policy with their verdict's code over
		 * a cut document. The output is incomplete: say so, exit 2. */
		cs_err(cmd, "the output on standard output is incomplete: %s", writer_cause(err));
		return rc > CS_EXIT_ERROR ? rc : CS_EXIT_ERROR;
	}
	return rc;
}

int cs_finish_stdout(const char *cmd, int rc)
{
	return cs_finish_stdout_err(cmd, rc, 0);
}

int cs_opt_dir(const char *cmd, const char *opt, const char *path)
{
	struct stat sb;
	int e = stat(path, &sb) < 0 ? errno : S_ISDIR(sb.st_mode) ? 0 : ENOTDIR;

	return e ? cs_usage_err(cmd, "%s %s: %s", opt, path, strerror(e)) : 0;
}

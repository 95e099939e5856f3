/* SPDX-License-Identifier: MIT */
/* capscope file get|set|rm: file capabilities, getcap/setcap compatible. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capscope/fcaps.h"
#include "capscope/fcaps-json.h"
#include "capscope/json.h"
#include "capscope/number.h"
#include "capscope/userns.h"
#include "commands.h"
#include "capscope/escape.h"
#include "internal/util.h"
#include "internal/cleanup.h"
#include "output.h"
#include "../lib/internal/cleanup.h"

static const char file_help[] =
    "Usage: capscope file get [-n] [-v] [--json] PATH...\n"
    "       capscope file set [-n ROOTID] TEXT PATH...\n"
    "       capscope file rm PATH...\n"
    "\n"
    "Read, write and remove file capabilities (the security.capability xattr).\n"
    "'get' prints exactly what getcap prints for the same files, so scripts can\n"
    "switch: only regular files with capabilities are listed (-v lists the\n"
    "others too), and -n adds [rootid=N] for a version 3 value whose rootid is\n"
    "not 0. --json adds the xattr version, rootid, the effective bit and both\n"
    "sets. 'set' takes libcap's text (cap_text_formats(7)); the file holds one\n"
    "effective bit, so TEXT's effective set must be empty or equal permitted\n"
    "plus inheritable, otherwise nothing is written. -n ROOTID writes a\n"
    "version 3 value for a user namespace whose root is host uid ROOTID.\n"
    "\n"
    "Examples:\n"
    "  capscope file get /usr/bin/ping\n"
    "  capscope file set cap_net_bind_service+ep ./nc\n"
    "  capscope file set -n 100000 cap_net_raw+p ./ping   # for a user namespace\n"
    "  capscope file get --json ./nc\n"
    "  capscope file rm ./nc\n";

static int get_one(const char *path, bool ns, bool verbose, struct cs_json *j)
{
	struct stat sb;
	struct cs_fcaps f;
	struct cs_diag d = {0};
	char *text;
	int rc;

	/*
	 * Text lines carry the name escaped (escape.h): identical to getcap for
	 * ordinary names, but a name with a newline or ESC, as a glob over a
	 * directory someone else writes can give, cannot forge a line. Its
	 * capabilities follow it on the line, so it is escaped as a cell (a
	 * space as \x20, as scan's PATH): a file "a cap_sys_admin=ep" with
	 * cap_net_raw read "a cap_sys_admin=ep cap_net_raw=ep" (session 22).
	 */
	cs_cleanup_free char *shown = cs_escape_cell_dup(path);

	if (!shown)
		return cs_err("file get", "out of memory");
	if (lstat(path, &sb) < 0) {
		int e = errno;

		/* getcap's wording, on stderr. */
		fprintf(stderr, "%s (%s)\n", shown, strerror(e));
		return CS_EXIT_ERROR;
	}
	if (!S_ISREG(sb.st_mode)) {
		if (j)
			cs_fcaps_file_json(j, path, false, NULL, NULL);
		else if (verbose)
			printf("%s (Not a regular file)\n", shown);
		return 0;
	}
	rc = cs_fcaps_get(path, &f, &d);
	if (rc == -ENODATA) {
		if (j)
			cs_fcaps_file_json(j, path, true, NULL, NULL);
		else if (verbose)
			printf("%s\n", shown);
		return 0;
	}
	if (rc < 0) {
		if (d.message[0])
			return cs_diag_err("file get", path, &d);
		return cs_err("file get", "%s: %s", path, strerror(-rc));
	}
	text = cs_fcaps_to_text(&f);
	if (!text)
		return cs_err("file get", "%s: %s", path, strerror(errno));
	if (j) {
		cs_fcaps_file_json(j, path, true, &f, text);
	} else if (ns && f.version == 3 && f.rootid != 0 && f.rootid != 0xffffffffU) {
		/* getcap prints the rootid as a signed int and skips 0 and -1. */
		printf("%s %s [rootid=%d]\n", shown, text, (int)f.rootid);
	} else {
		printf("%s %s\n", shown, text);
	}
	free(text);
	return 0;
}

static int file_get(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"json", no_argument, NULL, 'j'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	bool ns = false, verbose = false, json = false;
	int c, status = 0, werr = 0;
	struct cs_json j;

	opterr = 0;
	optind = 1;
	while ((c = cs_getopt(argc, argv, ":nvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			ns = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			fputs(file_help, stdout);
			return cs_finish_stdout("file", 0);
		default:
			return cs_bad_option("file get", c, optopt, argv, optind, longopts);
		}
	}
	if (optind >= argc)
		return cs_usage_err("file", "'file get' needs at least one PATH");
	if (json) {
		cs_json_init(&j, stdout, true);
		cs_json_obj_begin(&j);
		cs_json_key(&j, "files");
		cs_json_arr_begin(&j);
	}
	for (int i = optind; i < argc; i++)
		if (get_one(argv[i], ns, verbose, json ? &j : NULL))
			status = CS_EXIT_ERROR;
	if (json) {
		cs_json_arr_end(&j);
		cs_json_obj_end(&j);
		werr = cs_json_finish(&j);
	}
	return cs_finish_stdout_err("file", status, werr);
}

static int parse_rootid(const char *s, uint32_t *out)
{
	/* (uid_t)-1 is no uid: the kernel refuses it with a bare EINVAL. */
	return cs_parse_u32(s, UINT32_MAX - 1, out);
}

static int change_all(const char *cmd, const struct cs_fcaps *f, char **paths, int n);

static int file_set(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	uint32_t rootid = 0;
	struct cs_fcaps f;
	struct cs_diag d = {0};
	bool have_rootid = false;
	int c, mapped = 1;

	opterr = 0;
	optind = 1;
	while ((c = cs_getopt(argc, argv, "+:n:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			/* The first would do nothing: refused, as run refuses it. */
			if (have_rootid)
				return cs_usage_err("file", "-n given twice");
			have_rootid = true;
			if (parse_rootid(optarg, &rootid) < 0)
				return cs_usage_err("file", "-n: '%s' is not a uid (0-4294967294)",
						    optarg);
			break;
		case 'h':
			fputs(file_help, stdout);
			return cs_finish_stdout("file", 0);
		default:
			return cs_bad_option("file set", c, optopt, argv, optind, longopts);
		}
	}
	if (argc - optind < 2)
		return cs_usage_err("file", "'file set' needs TEXT and at least one PATH");
	/* The kernel's bare EINVAL at the first write, said before any. */
	if (rootid && (mapped = cs_fcaps_rootid_mapped(rootid, &d)) < 0)
		return cs_diag_err("file set", "-n", &d);
	if (rootid && !mapped)
		return cs_err("file set",
			      "-n %" PRIu32 ": uid %" PRIu32 " has no mapping in this user "
			      "namespace, which the kernel needs to store it; nothing was written",
			      rootid, rootid);
	if (cs_fcaps_from_text(argv[optind], rootid, &f, &d) < 0) {
		size_t len = strlen(argv[optind]), n = cs_text_cut(argv[optind], len, 60);
		char what[96];

		cs_format_cut(what, sizeof(what), "TEXT '%.*s%s'", (int)n, argv[optind],
			      n < len ? "..." : "");
		return cs_diag_err("file set", what, &d);
	}
	return change_all("file set", &f, argv + optind + 1, argc - optind - 1);
}

/*
 * This namespace's uid 0 is not host uid 0 (a v3 value for it is not v2's
 * equal). A map that cannot be read counts as such: the caller then does
 * not say "nothing was changed" of a value it cannot see.
 */
static bool ns_root_not_host_root(void)
{
	struct cs_idmap m[CS_IDMAP_KERNEL_MAX];
	size_t n;
	uint32_t host;

	if (cs_idmap_read_self(false, m, CS_IDMAP_KERNEL_MAX, &n, NULL) < 0)
		return true;
	return cs_idmap_lookup(m, n, 0, true, &host) && host != 0;
}

/*
 * Put back what the first n files had before our write, each opened again
 * and only if it is still the file written. Last written first: a file
 * named twice (or through two hard links) was read before its second write
 * with the first write's value, so undoing in order left that value on it.
 */
static bool put_back(const char *cmd, struct cs_fcaps_target *t, char **paths, int n)
{
	/*
	 * From a user namespace the kernel stores a version 2 value written
	 * back as a version 3 value for this namespace's root (on a file system
	 * of an outer namespace), which getxattr here still shows as v2: when
	 * that root is not host root, the value no longer applies outside the
	 * namespace, so say so rather than "nothing was changed".
	 */
	bool narrowed = ns_root_not_host_root(), changed = false;

	for (int i = n - 1; i >= 0; i--) {
		unsigned char now[CS_VFS_CAP_V3_SIZE];
		size_t nowlen;
		struct cs_diag d = {0};
		int fd = cs_fcaps_reopen(paths[i], &t[i], now, &nowlen, &d);

		if (fd < 0 || cs_fcaps_fset_raw(fd, t[i].old, t[i].oldlen) < 0)
			cs_err(cmd, "%s: could not put back its old value", paths[i]);
		else if (narrowed && t[i].oldlen == CS_VFS_CAP_V2_SIZE) {
			changed = true;
			cs_err(cmd,
			       "%s: its version 2 value was put back from a user namespace, "
			       "where the kernel may store it as a version 3 value for this "
			       "namespace's root only",
			       paths[i]);
		}
		if (fd >= 0)
			close(fd);
	}
	return changed;
}

/*
 * All or nothing, for set and rm (f NULL): every path is checked first;
 * only when all can take the change is anything written, each file opened
 * again and written only if it is still the file checked, and a write that
 * fails puts back what the earlier files had. No descriptor is held per
 * path (lib/fcaps-change.c), so any number of paths can be given.
 */
static int change_all(const char *cmd, const struct cs_fcaps *f, char **paths, int n)
{
	cs_cleanup_free struct cs_fcaps_target *t = calloc((size_t)n, sizeof(*t));
	int status = 0, done;

	struct cs_diag refused = {0};
	int bad = -1; /* the last path refused, said after the loop */

	if (!t)
		return cs_err(cmd, "out of memory");
	for (int i = 0; i < n; i++) {
		struct cs_diag di = {0};

		if (cs_fcaps_check(paths[i], &t[i], &di) < 0) {
			if (bad >= 0)
				cs_diag_err(cmd, paths[bad], &refused);
			bad = i;
			refused = di;
		}
	}
	/*
	 * The last refusal says that nothing was written, on its own line: a
	 * missing file was two lines, its error and then "nothing was
	 * written" (twenty-sixth pass, part A).
	 */
	if (bad >= 0) {
		char said[800], all[48] = "";

		cs_diag_format(&refused, said, sizeof(said));
		if (n > 1)
			snprintf(all, sizeof(all), " to any of the %d files", n);
		cs_err(cmd, "%s: %s; nothing was written%s", paths[bad], said, all);
		return cs_finish_stdout("file", CS_EXIT_ERROR);
	}
	for (done = 0; done < n; done++) {
		struct cs_diag d = {0};
		int fd = cs_fcaps_reopen(paths[done], &t[done], t[done].old, &t[done].oldlen, &d);
		int rc = fd < 0 ? fd : f ? cs_fcaps_fset(fd, f) : cs_fcaps_fset_raw(fd, NULL, 0);

		if (fd >= 0)
			close(fd);
		if (rc < 0) {
			status =
			    cs_err(cmd, "%s: %s", paths[done], fd < 0 ? d.message : strerror(-rc));
			break;
		}
	}
	if (status && put_back(cmd, t, paths, done))
		cs_err(cmd, "the earlier files were put back, as said above");
	else if (status)
		cs_err(cmd, "nothing was changed%s", done ? " (earlier files restored)" : "");
	return cs_finish_stdout("file", status);
}

/*
 * A file without capabilities is not an error; a path that is not a regular
 * file is (a symlink, a fifo: nothing to remove, and exit 0 said it was
 * done), and one bad path leaves every file as it was.
 */
static int file_rm(int argc, char **argv)
{
	if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		fputs(file_help, stdout);
		return cs_finish_stdout("file", 0);
	}
	/* "--" ends the options, as for get and set (getopt_long's), wherever
	 * it is: "file rm -- -x" names "-x", and so does "file rm a -- -x"
	 * (sixteenth pass, part H: that said "unknown option '--'"). */
	int n = 0;
	bool ended = false;

	for (int i = 1; i < argc; i++) {
		if (!ended && strcmp(argv[i], "--") == 0) {
			ended = true;
			continue;
		}
		if (!ended && argv[i][0] == '-' && argv[i][1])
			return cs_usage_err("file", "unknown option '%s'", argv[i]);
		argv[1 + n++] = argv[i]; /* the paths, in order, without the "--" */
	}
	if (n < 1)
		return cs_usage_err("file", "'file rm' needs at least one PATH");
	return change_all("file rm", NULL, argv + 1, n);
}

int cmd_file(int argc, char **argv)
{
	if (argc < 2)
		return cs_usage_err("file", "expected 'get', 'set' or 'rm'");
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		fputs(file_help, stdout);
		return cs_finish_stdout("file", 0);
	}
	if (strcmp(argv[1], "get") == 0)
		return file_get(argc - 1, argv + 1);
	if (strcmp(argv[1], "set") == 0)
		return file_set(argc - 1, argv + 1);
	if (strcmp(argv[1], "rm") == 0)
		return file_rm(argc - 1, argv + 1);
	return cs_usage_err("file", "unknown action '%s' (expected get, set or rm)", argv[1]);
}

/* SPDX-License-Identifier: MIT */
/* capscope scan: every privileged file in a tree or a container image. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "capscope/escape.h"
#include "internal/util.h"
#include "capscope/html.h"
#include "capscope/json.h"
#include "capscope/scan.h"
#include "commands.h"
#include "capscope/number.h"
#include "html-guard.h"
#include "output.h"

static const char scan_help[] =
    "Usage: capscope scan [OPTIONS] DIR|IMAGE...\n"
    "\n"
    "List every regular file that gains privilege on execve: file capabilities\n"
    "(the security.capability xattr), the set-uid bit or the set-gid bit, with\n"
    "its owner, mode, decoded capabilities (getcap's text, xattr version and\n"
    "rootid) and a risk level (see capscope-scan(1) for the table).\n"
    "\n"
    "A DIR is walked without following symlinks; findings on a nosuid mount are\n"
    "marked inert. An IMAGE is read as a stream, never extracted: a 'docker\n"
    "save' archive, an OCI image layout (directory) or OCI archive, or a single\n"
    "layer tar, gzip/zstd/uncompressed. Layers are applied in order with their\n"
    "whiteouts, so the report is the image's final view; each finding names the\n"
    "layer (0 = first) that added it and the entrypoint's file is marked.\n"
    "An executable FILE given alone is checked as itself, like getcap FILE.\n"
    "\n"
    "Options:\n"
    "  -x, --one-file-system  do not descend into directories on other filesystems\n"
    "      --json             JSON output\n"
    "      --sarif            SARIF 2.1.0 output (code-scanning UIs)\n"
    "      --html FILE        also write the findings as one self-contained HTML page\n"
    "      --fail-on LEVEL    exit 1 when a finding (not inert) reaches LEVEL:\n"
    "                         info, low, medium, high, critical\n"
    "      --threads N        tree walker threads (default 2)\n"
    "      --max-bytes N      images: stop past N uncompressed bytes (default 64G)\n"
    "      --max-ratio N      images: stop when a layer inflates more than N:1 (1000)\n"
    "      --diff OLD NEW     the privilege difference between two trees or images\n"
    "                         (exit 0 none, 1 a difference, 2 an error)\n"
    "  -h, --help             this help\n"
    "\n"
    "Exit status: 0 done, 1 a finding reached --fail-on LEVEL, 2 usage or\n"
    "something could not be read.\n"
    "\n"
    "Examples:\n"
    "  capscope scan -x /usr\n"
    "  capscope scan --fail-on high rootfs/\n"
    "  docker save nginx:latest -o nginx.tar && capscope scan nginx.tar\n"
    "  capscope scan --json ./oci-layout-dir | jq '.findings[] | select(.risk==\"high\")'\n"
    "  capscope scan --sarif image.tar > scan.sarif\n"
    "  capscope scan --diff base-old.tar base-new.tar\n";

/* Progress on stderr: only on a terminal and only once a scan has run 1 s. */
static struct {
	pthread_mutex_t mu;
	struct timespec start;
	bool enabled, shown, image;
} prog = {.mu = PTHREAD_MUTEX_INITIALIZER};

static void progress(void *arg, uint64_t files, uint64_t dirs)
{
	struct timespec now;

	if (!prog.enabled)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if ((now.tv_sec - prog.start.tv_sec) * 1000000000L + (now.tv_nsec - prog.start.tv_nsec) <
	    1000000000L)
		return;
	pthread_mutex_lock(&prog.mu);
	if (prog.image)
		fprintf(stderr, "\rcapscope scan: %s: %" PRIu64 " entries, layer %" PRIu64 "\033[K",
			(const char *)arg, files, dirs);
	else
		fprintf(stderr, "\rcapscope scan: %s: %" PRIu64 " files, %" PRIu64 " dirs\033[K",
			(const char *)arg, files, dirs);
	prog.shown = true;
	pthread_mutex_unlock(&prog.mu);
}

static void progress_end(void)
{
	if (prog.shown)
		fputs("\r\033[K", stderr);
	prog.shown = false;
}

/* A finding's path as its row shows it (image paths after their target when several), escaped. */
static char *path_cell(const struct cs_scan_target *tg, size_t nt, const struct cs_finding *f)
{
	const char *p = cs_finding_path(&tg->r, f);
	char *path = NULL, *esc;

	if (!p)
		return NULL;
	/* Names come from the scanned data: one escaping rule (escape.h). */
	if (nt > 1 && tg->image) {
		if (asprintf(&path, "%s:%s", tg->name, p) < 0)
			return NULL;
	} else if (!(path = strdup(p))) {
		return NULL;
	}
	esc = cs_escape_cell_dup(path); /* columns follow: a space as \x20 */
	free(path);
	return esc;
}

struct later_paths {
	const struct cs_scan_target *tg;
	size_t nt;
};

/* cs_table's later(): row r (after the header) is the findings' r-th, target by target. */
static char *later_path(void *ctx, size_t row, size_t col)
{
	const struct later_paths *lp = ctx;
	size_t k = row - 1;

	(void)col;
	for (size_t i = 0; i < lp->nt; i++) {
		if (k < lp->tg[i].r.nfindings)
			return path_cell(&lp->tg[i], lp->nt, &lp->tg[i].r.findings[k]);
		k -= lp->tg[i].r.nfindings;
	}
	return NULL;
}

static void print_text(struct cs_scan_target *tg, size_t nt, bool *failed)
{
	struct later_paths lp = {tg, nt};
	struct cs_table t;
	static const char *const hdr[] = {"RISK",   "PATH",	 "UID:GID", "MODE",
					  "SET-ID", "FILE CAPS", "LAYER",   "WHY"};
	size_t total = 0, unread = 0;

	cs_table_init(&t, 8);
	t.later = later_path;
	t.later_ctx = &lp;
	cs_table_add(&t, hdr);
	for (size_t i = 0; i < nt; i++)
		total += tg[i].r.nfindings;
	for (size_t i = 0; i < nt; i++) {
		struct cs_scan_result *r = &tg[i].r;

		for (size_t k = 0; k < r->nfindings; k++) {
			struct cs_finding *f = &r->findings[k];
			char own[32], mode[16], layer[16], setid[16], why[256], risk[32];
			char *caps = cs_finding_caps_text(f);
			char *esc;
			const char *path;
			bool long_path;
			const char *cells[8];

			if (!caps) {
				*failed = true;
				continue;
			}
			/* A long path is made again when printed, not held (text-table.h):
			 * escaped, a byte is at least a quarter of a character. */
			path = cs_finding_path(&tg[i].r, f);
			long_path = path && strlen(path) > 4 * CS_TABLE_MAX_PAD;
			esc = long_path ? NULL : path_cell(&tg[i], nt, f);
			if (!esc && !long_path) {
				free(caps);
				*failed = true;
				continue;
			}
			snprintf(own, sizeof(own), "%" PRIu32 ":%" PRIu32, f->uid, f->gid);
			snprintf(mode, sizeof(mode), "0%o", f->mode & 07777);
			snprintf(setid, sizeof(setid), "%s%s%s", f->mode & S_ISUID ? "setuid" : "",
				 (f->mode & S_ISUID) && (f->mode & S_ISGID) ? "," : "",
				 f->mode & S_ISGID ? "setgid" : "");
			if (!setid[0])
				snprintf(setid, sizeof(setid), "-");
			if (f->layer >= 0)
				snprintf(layer, sizeof(layer), "%d", f->layer);
			else
				snprintf(layer, sizeof(layer), "-");
			snprintf(risk, sizeof(risk), "%s%s", cs_risk_name(f->risk),
				 f->inert ? " (inert)" : "");
			snprintf(why, sizeof(why), "%s%s%s", f->entrypoint ? "ENTRYPOINT; " : "",
				 f->inert ? "nosuid mount; " : "", f->reason);
			cells[0] = risk;
			cells[1] = long_path || cs_table_width(esc) > CS_TABLE_MAX_PAD
				       ? cs_table_later
				       : esc;
			cells[2] = own;
			cells[3] = mode;
			cells[4] = setid;
			cells[5] = caps[0] ? caps : "-";
			cells[6] = layer;
			cells[7] = why;
			cs_table_add(&t, cells);
			free(caps);
			free(esc);
		}
	}
	if (total)
		cs_table_print(&t, stdout, cs_color(stdout, "\033[1m"));
	if (t.failed)
		*failed = true;
	cs_table_free(&t);
	for (size_t i = 0; i < nt; i++) {
		struct cs_scan_result *r = &tg[i].r;

		if (tg[i].image && r->image_kind && strcmp(r->image_kind, "layer") != 0) {
			/* Text follows the name and the user: the cell rule (escape.h). */
			char *arg = cs_escape_cell_dup(tg[i].name),
			     *user = cs_escape_cell_dup(r->config.user);
			char *ep = cs_escape_dup(r->entrypoint_path);

			/* a line cs_fputf could not make was left out, exit 0 */
			if (!arg || !user || !ep ||
			    (cs_fputf(stdout, "%s%s: %s, %u layer%s, user '%s'", total ? "\n" : "",
				      arg, r->image_kind, r->nlayers, r->nlayers == 1 ? "" : "s",
				      user) < 0 &&
			     !ferror(stdout)))
				*failed = true;
			else
				printf("%s%s\n", r->entrypoint_path ? ", entrypoint " : "",
				       r->entrypoint_path ? ep : "");
			free(arg);
			free(user);
			free(ep);
		}
	}
	for (size_t i = 0; i < nt; i++)
		unread += tg[i].rc < 0;
	/* "0 findings" alone, for an image that was refused, read as a clean one. */
	if (unread)
		printf("%zu finding%s; %zu of %zu target%s not read", total, total == 1 ? "" : "s",
		       unread, nt, nt == 1 ? "" : "s");
	else
		printf("%zu finding%s", total, total == 1 ? "" : "s");
	/* Twentieth pass: a row dropped for memory left "3 findings" under
	 * fewer rows (or none), and nothing on stderr. Said here, where the
	 * report is read, and on stderr (cs_finish_stdout_err). */
	if (*failed) {
		printf("; out of memory: the report above is incomplete");
		cs_out_incomplete(-ENOMEM);
	}
	printf("\n");
}

/* Errors name entries of the scanned data too: cs_err escapes them (escape.h). */
static void report_diag(const struct cs_scan_target *t)
{
	char b[800];

	cs_err("scan", "%s: %s", t->name, cs_diag_format(&t->diag, b, sizeof(b)));
}

static void report_error(const struct cs_scan_target *t, const struct cs_scan_error *e)
{
	const char *p = cs_scan_error_path(&t->r, e);

	cs_err_entry("scan", "%s%s%s: %s", t->image ? t->name : "", t->image ? ": " : "",
		     p ? p : "(out of memory)", e->message);
}

/* Scan one target; its errors go to stderr. Returns the exit status it calls for. */
static int scan_one(struct cs_scan_target *t, struct cs_scan_opts *o, int fail_on)
{
	char *shown = cs_escape_dup(t->name);
	int status = 0;

	t->image = cs_scan_is_image(t->name);
	prog.image = t->image;
	o->progress_arg = shown ? shown : (char *)"?";
	clock_gettime(CLOCK_MONOTONIC, &prog.start);
	cs_scan_target_run(t, o);
	progress_end();
	free(shown);
	if (t->rc < 0) {
		report_diag(t);
		status = CS_EXIT_ERROR;
	}
	for (size_t k = 0; k < t->r.nerrors; k++) {
		const struct cs_scan_error *e = &t->r.errors[k];

		report_error(t, e);
		/* A file that vanished mid-walk is news, not a failure of the scan. */
		if (e->err != ENOENT)
			status = CS_EXIT_ERROR;
	}
	cs_scan_sort_by_risk(&t->r);
	if (fail_on >= 0)
		for (size_t k = 0; k < t->r.nfindings; k++)
			if (!t->r.findings[k].inert && (int)t->r.findings[k].risk >= fail_on &&
			    status == CS_EXIT_OK)
				status = CS_EXIT_FINDINGS;
	return status;
}

/* JSON and SARIF are written by the library (lib/scan/report.c), as a daemon writes them. */
static int print_doc(const struct cs_scan_target *tg, size_t nt, bool sarif)
{
	struct cs_json j;

	cs_json_init(&j, stdout, true);
	if (sarif)
		cs_scan_write_sarif(&j, tg, nt);
	else
		cs_scan_write_json(&j, tg, nt);
	return cs_json_finish(&j);
}

enum {
	OPT_JSON = 256,
	OPT_SARIF,
	OPT_FAIL_ON,
	OPT_THREADS,
	OPT_MAX_BYTES,
	OPT_MAX_RATIO,
	OPT_DIFF
};

/*
 * -x and --threads act on trees, --max-bytes and --max-ratio on images: one
 * given when no target is of its kind would do nothing, which is a usage
 * error (docs/hardening.md "The rules that stand"); they were taken and
 * ignored. The kind is the one cs_scan_is_image gives the scan itself.
 */
struct kind_opts {
	bool x, threads, max_bytes, max_ratio;
};

static int options_apply(char **names, int n, const struct kind_opts *k)
{
	bool tree = false, image = false;

	for (int i = 0; i < n; i++) {
		if (cs_scan_is_image(names[i]))
			image = true;
		else
			tree = true;
	}
	if (!tree && (k->x || k->threads))
		return cs_usage_err("scan", "%s walks directories: no DIR is given",
				    k->x ? "-x (--one-file-system)" : "--threads");
	if (!image && (k->max_bytes || k->max_ratio))
		return cs_usage_err("scan", "%s reads images: no IMAGE is given",
				    k->max_bytes ? "--max-bytes" : "--max-ratio");
	return 0;
}

/* cs_html_scan_page, its temporary file removed by a fatal signal (html-guard.c). */
static int scan_page(const char *path, const struct cs_scan_target *t, size_t n, struct cs_diag *d)
{
	struct cs_html *h;
	int rc = html_guard_open(path, "capscope scan", &h, d);

	if (rc < 0)
		return rc;
	cs_html_scan(h, t, n);
	return html_guard_close(h, d);
}

int cmd_scan(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"one-file-system", no_argument, NULL, 'x'},
	    {"json", no_argument, NULL, OPT_JSON},
	    {"sarif", no_argument, NULL, OPT_SARIF},
	    {"fail-on", required_argument, NULL, OPT_FAIL_ON},
	    {"threads", required_argument, NULL, OPT_THREADS},
	    {"max-bytes", required_argument, NULL, OPT_MAX_BYTES},
	    {"max-ratio", required_argument, NULL, OPT_MAX_RATIO},
	    {"diff", no_argument, NULL, OPT_DIFF},
	    {"html", required_argument, NULL, 'W'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct cs_scan_opts o = {.progress = progress};
	struct kind_opts k = {0};
	bool json = false, sarif = false, failed = false, diff = false;
	const char *html = NULL;
	struct cs_diag d = {0};
	int fail_on = -1, c, status = 0, once, rc, werr = 0;
	unsigned long long seen = 0;
	struct cs_scan_target *tg;
	size_t nt;
	uint64_t v;
	struct rlimit rl;

	opterr = 0;
	optind = 1;
	while ((c = cs_getopt(argc, argv, ":xh", longopts, NULL)) != -1) {
		if ((once = cs_opt_once("scan", c, longopts, &seen, "")))
			return once;
		switch (c) {
		case 'x':
			o.one_filesystem = k.x = true;
			break;
		case OPT_JSON:
			json = true;
			break;
		case 'W':
			html = optarg;
			break;
		case OPT_SARIF:
			sarif = true;
			break;
		case OPT_FAIL_ON:
			fail_on = cs_risk_parse(optarg);
			if (fail_on < 0)
				return cs_usage_err(
				    "scan",
				    "--fail-on: '%s' is not info, low, medium, high or critical",
				    optarg);
			break;
		case OPT_THREADS:
			if (cs_parse_u64(optarg, CS_NUM_DEC, 16, &v) < 0 || v < 1)
				return cs_usage_err("scan", "--threads: '%s' is not 1-16", optarg);
			o.threads = (unsigned)v;
			k.threads = true;
			break;
		case OPT_MAX_BYTES:
			if (cs_parse_size(optarg, &v) < 0 || v == 0)
				return cs_usage_err(
				    "scan",
				    "--max-bytes: '%s' is not a size of 1 byte or more "
				    "(e.g. 512M, 64G)",
				    optarg);
			o.max_bytes = v;
			k.max_bytes = true;
			break;
		case OPT_MAX_RATIO:
			/* A ratio, not a size: "1K" is no spelling of 1000. */
			if (cs_parse_u64(optarg, CS_NUM_DEC, UINT32_MAX, &v) < 0 || v == 0)
				return cs_usage_err("scan", "--max-ratio: '%s' is not 1-4294967295",
						    optarg);
			o.max_ratio = v;
			k.max_ratio = true;
			break;
		case OPT_DIFF:
			diff = true;
			break;
		case 'h':
			fputs(scan_help, stdout);
			return cs_finish_stdout("scan", 0);
		default:
			return cs_bad_option("scan", c, optopt, argv, optind, longopts);
		}
	}
	if (json && sarif)
		return cs_usage_err("scan", "--json and --sarif exclude each other");
	if (diff && (sarif || html || fail_on >= 0 || argc - optind != 2))
		return cs_usage_err("scan", "--diff takes OLD and NEW, and none of --sarif, "
					    "--html or --fail-on");
	if (optind >= argc)
		return cs_usage_err("scan", "needs at least one DIR or IMAGE");
	if ((rc = options_apply(argv + optind, argc - optind, &k)) != 0)
		return rc;
	if (diff)
		return scan_diff_main(argv[optind], argv[optind + 1], &o, json);
	nt = (size_t)(argc - optind);
	tg = calloc(nt, sizeof(*tg));
	if (!tg)
		return cs_err("scan", "%s", strerror(ENOMEM));
	/* The walker holds one descriptor per thread and directory level at most. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	prog.enabled = isatty(STDERR_FILENO) == 1;
	for (size_t i = 0; i < nt; i++) {
		tg[i].name = argv[optind + (int)i];
		int st = scan_one(&tg[i], &o, fail_on);

		if (st > status)
			status = st;
	}
	if (json || sarif) {
		if ((werr = print_doc(tg, nt, sarif)) < 0)
			failed = true;
	} else {
		print_text(tg, nt, &failed);
	}
	if (html && scan_page(html, tg, nt, &d) < 0)
		status = cs_diag_err("scan", "--html", &d);
	for (size_t i = 0; i < nt; i++)
		cs_scan_result_free(&tg[i].r);
	free(tg);
	if (failed)
		status = CS_EXIT_ERROR;
	return cs_finish_stdout_err("scan", status, werr);
}

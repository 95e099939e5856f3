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
#include "capscope/json.h"
#include "capscope/scan.h"
#include "commands.h"
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
    "      --fail-on LEVEL    exit 1 when a finding (not inert) reaches LEVEL:\n"
    "                         info, low, medium, high, critical\n"
    "      --threads N        tree walker threads (default 2)\n"
    "      --max-bytes N      images: stop past N uncompressed bytes (default 64G)\n"
    "      --max-ratio N      images: stop when a layer inflates more than N:1 (1000)\n"
    "  -h, --help             this help\n"
    "\n"
    "Exit status: 0 done, 1 a finding reached --fail-on LEVEL or something could\n"
    "not be read, 2 usage.\n"
    "\n"
    "Examples:\n"
    "  capscope scan -x /usr\n"
    "  capscope scan --fail-on high rootfs/\n"
    "  docker save nginx:latest -o nginx.tar && capscope scan nginx.tar\n"
    "  capscope scan --json ./oci-layout-dir | jq '.findings[] | select(.risk==\"high\")'\n"
    "  capscope scan --sarif image.tar > scan.sarif\n";

struct target {
	const char *arg;
	bool image;
	int rc;
	struct cs_diag d;
	struct cs_scan_result r;
};

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

/* tar ("ustar" at 257), gzip, zstd, xz, bzip2: what the image reader accepts. */
static bool archive_magic(const char *p)
{
	unsigned char b[263] = {0};
	FILE *f = fopen(p, "rb");
	size_t n;

	if (!f)
		return true; /* let the reader report why it cannot be opened */
	n = fread(b, 1, sizeof(b), f);
	fclose(f);
	return (n >= 262 && memcmp(b + 257, "ustar", 5) == 0) ||
	       (n >= 2 && b[0] == 0x1f && b[1] == 0x8b) ||
	       (n >= 4 && memcmp(b, "\x28\xb5\x2f\xfd", 4) == 0) ||
	       (n >= 6 && memcmp(b,
				 "\xfd"
				 "7zXZ\0",
				 6) == 0) ||
	       (n >= 3 && memcmp(b, "BZh", 3) == 0);
}

static bool is_image(const char *p)
{
	struct stat st;
	char buf[4096];

	if (lstat(p, &st) < 0)
		return false;
	if (S_ISLNK(st.st_mode) && stat(p, &st) < 0)
		return false;
	/*
	 * An executable that is not an archive is checked as itself, like getcap
	 * FILE; anything else goes to the image reader, which says what is wrong.
	 */
	if (S_ISREG(st.st_mode))
		return archive_magic(p) ||
		       !(st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH | S_ISUID | S_ISGID));
	/* A directory holding an OCI layout is an image, not a tree. */
	snprintf(buf, sizeof(buf), "%s/oci-layout", p);
	return S_ISDIR(st.st_mode) && lstat(buf, &st) == 0 && S_ISREG(st.st_mode);
}

static void mode_str(uint32_t mode, char *b, size_t n)
{
	snprintf(b, n, "0%o", mode & 07777);
}

static char *caps_text(const struct cs_finding *f)
{
	char *t, *s;

	if (!f->has_fcaps)
		return strdup("");
	if (f->fcaps_invalid)
		return strdup("(invalid security.capability)");
	t = cs_fcaps_to_text(&f->fcaps);
	if (!t)
		return NULL;
	if (f->fcaps.version == 3) {
		if (asprintf(&s, "%s v3 rootid=%" PRIu32, t, f->fcaps.rootid) < 0)
			s = NULL;
	} else if (asprintf(&s, "%s v%d", t, f->fcaps.version) < 0) {
		s = NULL;
	}
	free(t);
	return s;
}

static void print_text(struct target *tg, size_t nt, bool *failed)
{
	struct cs_table t;
	static const char *const hdr[] = {"RISK",   "PATH",	 "UID:GID", "MODE",
					  "SET-ID", "FILE CAPS", "LAYER",   "WHY"};
	size_t total = 0;

	cs_table_init(&t, 8);
	cs_table_add(&t, hdr);
	for (size_t i = 0; i < nt; i++)
		total += tg[i].r.nfindings;
	for (size_t i = 0; i < nt; i++) {
		struct cs_scan_result *r = &tg[i].r;

		for (size_t k = 0; k < r->nfindings; k++) {
			struct cs_finding *f = &r->findings[k];
			char own[32], mode[16], layer[16], setid[16], why[256], risk[32];
			char *caps = caps_text(f);
			char *path = NULL, *esc;
			const char *cells[8];

			if (!caps) {
				*failed = true;
				continue;
			}
			/* Names come from the scanned data: one escaping rule (escape.h). */
			if (nt > 1 && tg[i].image) {
				if (asprintf(&path, "%s:%s", tg[i].arg, f->path) < 0)
					path = NULL;
			} else {
				path = strdup(f->path);
			}
			esc = cs_escape_dup(path);
			free(path);
			if (!esc) {
				free(caps);
				*failed = true;
				continue;
			}
			snprintf(own, sizeof(own), "%" PRIu32 ":%" PRIu32, f->uid, f->gid);
			mode_str(f->mode, mode, sizeof(mode));
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
			cells[1] = esc;
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
	cs_table_free(&t);
	for (size_t i = 0; i < nt; i++) {
		struct cs_scan_result *r = &tg[i].r;

		if (tg[i].image && r->image_kind && strcmp(r->image_kind, "layer") != 0) {
			char *arg = cs_escape_dup(tg[i].arg), *user = cs_escape_dup(r->image_user);
			char *ep = cs_escape_dup(r->entrypoint_path);

			if (!arg || !user || !ep)
				*failed = true;
			else {
				printf("%s%s: %s, %u layer%s, user '%s'", total ? "\n" : "", arg,
				       r->image_kind, r->nlayers, r->nlayers == 1 ? "" : "s", user);
				if (r->entrypoint_path)
					printf(", entrypoint %s", ep);
				printf("\n");
			}
			free(arg);
			free(user);
			free(ep);
		}
	}
	printf("%s%zu finding%s\n", total || nt > 1 ? "" : "", total, total == 1 ? "" : "s");
}

static void json_argv(struct cs_json *j, char **v)
{
	if (!v) {
		cs_json_null(j);
		return;
	}
	cs_json_arr_begin(j);
	for (; *v; v++)
		cs_json_str(j, *v);
	cs_json_arr_end(j);
}

static void json_finding(struct cs_json *j, const struct target *tg, const struct cs_finding *f)
{
	char mode[16];

	mode_str(f->mode, mode, sizeof(mode));
	cs_json_obj_begin(j);
	cs_json_key(j, "path");
	cs_json_str(j, f->path);
	cs_json_key(j, "target");
	cs_json_str(j, tg->arg);
	cs_json_key(j, "uid");
	cs_json_uint(j, f->uid);
	cs_json_key(j, "gid");
	cs_json_uint(j, f->gid);
	cs_json_key(j, "mode");
	cs_json_str(j, mode);
	cs_json_key(j, "setuid");
	cs_json_bool(j, f->mode & S_ISUID);
	cs_json_key(j, "setgid");
	cs_json_bool(j, f->mode & S_ISGID);
	cs_json_key(j, "file_caps");
	if (!f->has_fcaps) {
		cs_json_null(j);
	} else if (f->fcaps_invalid) {
		cs_json_obj_begin(j);
		cs_json_key(j, "text");
		cs_json_null(j);
		cs_json_key(j, "invalid");
		cs_json_bool(j, true);
		cs_json_obj_end(j);
	} else {
		char *text = cs_fcaps_to_text(&f->fcaps);

		cs_json_obj_begin(j);
		cs_json_key(j, "text");
		cs_json_str(j, text); /* null when absent */
		free(text);
		cs_json_key(j, "version");
		cs_json_int(j, f->fcaps.version);
		cs_json_key(j, "rootid");
		if (f->fcaps.version == 3)
			cs_json_uint(j, f->fcaps.rootid);
		else
			cs_json_null(j);
		cs_json_key(j, "effective");
		cs_json_bool(j, f->fcaps.effective);
		cs_json_key(j, "permitted");
		cs_json_mask(j, f->fcaps.permitted);
		cs_json_key(j, "inheritable");
		cs_json_mask(j, f->fcaps.inheritable);
		cs_json_obj_end(j);
	}
	cs_json_key(j, "risk");
	cs_json_str(j, cs_risk_name(f->risk));
	cs_json_key(j, "reason");
	cs_json_str(j, f->reason);
	cs_json_key(j, "inert");
	cs_json_bool(j, f->inert);
	cs_json_key(j, "entrypoint");
	cs_json_bool(j, f->entrypoint);
	cs_json_key(j, "layer");
	if (f->layer >= 0)
		cs_json_int(j, f->layer);
	else
		cs_json_null(j);
	cs_json_obj_end(j);
}

static int print_json(struct target *tg, size_t nt)
{
	struct cs_json j;
	uint64_t files = 0, dirs = 0, by[CS_RISK_CRITICAL + 1] = {0}, total = 0;

	cs_json_init(&j, stdout, true);
	cs_json_obj_begin(&j);
	cs_json_key(&j, "findings");
	cs_json_arr_begin(&j);
	for (size_t i = 0; i < nt; i++) {
		files += tg[i].r.files;
		dirs += tg[i].r.dirs;
		for (size_t k = 0; k < tg[i].r.nfindings; k++) {
			json_finding(&j, &tg[i], &tg[i].r.findings[k]);
			by[tg[i].r.findings[k].risk]++;
			total++;
		}
	}
	cs_json_arr_end(&j);
	cs_json_key(&j, "summary");
	cs_json_obj_begin(&j);
	cs_json_key(&j, "findings");
	cs_json_uint(&j, total);
	cs_json_key(&j, "by_risk");
	cs_json_obj_begin(&j);
	for (int r = CS_RISK_CRITICAL; r >= CS_RISK_INFO; r--) {
		cs_json_key(&j, cs_risk_name((enum cs_risk)r));
		cs_json_uint(&j, by[r]);
	}
	cs_json_obj_end(&j);
	cs_json_key(&j, "files");
	cs_json_uint(&j, files);
	cs_json_key(&j, "dirs");
	cs_json_uint(&j, dirs);
	cs_json_key(&j, "targets");
	cs_json_arr_begin(&j);
	for (size_t i = 0; i < nt; i++) {
		struct cs_scan_result *r = &tg[i].r;

		cs_json_obj_begin(&j);
		cs_json_key(&j, "target");
		cs_json_str(&j, tg[i].arg);
		cs_json_key(&j, "kind");
		cs_json_str(&j, tg[i].image ? (r->image_kind ? r->image_kind : "image") : "tree");
		if (tg[i].image && r->image_kind) {
			cs_json_key(&j, "layers");
			cs_json_uint(&j, r->nlayers);
			cs_json_key(&j, "user");
			cs_json_str(&j, r->image_user ? r->image_user : "");
			cs_json_key(&j, "entrypoint");
			json_argv(&j, r->entrypoint);
			cs_json_key(&j, "cmd");
			json_argv(&j, r->cmd);
			cs_json_key(&j, "entrypoint_path");
			cs_json_str(&j, r->entrypoint_path); /* null when absent */
		}
		cs_json_key(&j, "error");
		if (tg[i].rc < 0) {
			char b[700];

			cs_json_str(&j, cs_diag_format(&tg[i].d, b, sizeof(b)));
		} else {
			cs_json_null(&j);
		}
		cs_json_key(&j, "errors");
		cs_json_arr_begin(&j);
		for (size_t k = 0; k < r->nerrors; k++) {
			cs_json_obj_begin(&j);
			cs_json_key(&j, "path");
			cs_json_str(&j, r->errors[k].path);
			cs_json_key(&j, "message");
			cs_json_str(&j, r->errors[k].message);
			cs_json_obj_end(&j);
		}
		cs_json_arr_end(&j);
		cs_json_obj_end(&j);
	}
	cs_json_arr_end(&j);
	cs_json_obj_end(&j);
	cs_json_obj_end(&j);
	return cs_json_finish(&j);
}

static const char *sarif_level(enum cs_risk r)
{
	return r >= CS_RISK_HIGH ? "error" : r == CS_RISK_MEDIUM ? "warning" : "note";
}

static int print_sarif(struct target *tg, size_t nt)
{
	static const char *const rules[][2] = {
	    {"file-capabilities", "File carries capabilities (security.capability)"},
	    {"setuid", "File is set-uid"},
	    {"setgid", "File is set-gid"},
	};
	struct cs_json j;

	cs_json_init(&j, stdout, true);
	cs_json_obj_begin(&j);
	cs_json_key(&j, "$schema");
	cs_json_str(&j, "https://json.schemastore.org/sarif-2.1.0.json");
	cs_json_key(&j, "version");
	cs_json_str(&j, "2.1.0");
	cs_json_key(&j, "runs");
	cs_json_arr_begin(&j);
	cs_json_obj_begin(&j);
	cs_json_key(&j, "tool");
	cs_json_obj_begin(&j);
	cs_json_key(&j, "driver");
	cs_json_obj_begin(&j);
	cs_json_key(&j, "name");
	cs_json_str(&j, "capscope");
	cs_json_key(&j, "version");
	cs_json_str(&j, "0.1.0");
	cs_json_key(&j, "rules");
	cs_json_arr_begin(&j);
	for (size_t i = 0; i < 3; i++) {
		cs_json_obj_begin(&j);
		cs_json_key(&j, "id");
		cs_json_str(&j, rules[i][0]);
		cs_json_key(&j, "shortDescription");
		cs_json_obj_begin(&j);
		cs_json_key(&j, "text");
		cs_json_str(&j, rules[i][1]);
		cs_json_obj_end(&j);
		cs_json_obj_end(&j);
	}
	cs_json_arr_end(&j);
	cs_json_obj_end(&j);
	cs_json_obj_end(&j);
	cs_json_key(&j, "results");
	cs_json_arr_begin(&j);
	for (size_t i = 0; i < nt; i++) {
		for (size_t k = 0; k < tg[i].r.nfindings; k++) {
			struct cs_finding *f = &tg[i].r.findings[k];
			int rule = f->has_fcaps ? 0 : (f->mode & S_ISUID) ? 1 : 2;
			char *caps = caps_text(f), *msg = NULL;
			char mode[16];

			mode_str(f->mode, mode, sizeof(mode));
			if (asprintf(&msg,
				     "%s: risk %s%s: %s (mode %s, uid %" PRIu32 ", gid %" PRIu32
				     "%s%s)",
				     f->path, cs_risk_name(f->risk), f->inert ? ", inert" : "",
				     f->reason, mode, f->uid, f->gid,
				     caps && caps[0] ? ", caps " : "", caps ? caps : "") < 0)
				msg = NULL;
			free(caps);
			cs_json_obj_begin(&j);
			cs_json_key(&j, "ruleId");
			cs_json_str(&j, rules[rule][0]);
			cs_json_key(&j, "ruleIndex");
			cs_json_int(&j, rule);
			cs_json_key(&j, "level");
			cs_json_str(&j, f->inert ? "note" : sarif_level(f->risk));
			cs_json_key(&j, "message");
			cs_json_obj_begin(&j);
			cs_json_key(&j, "text");
			cs_json_str(&j, msg ? msg : f->path);
			cs_json_obj_end(&j);
			free(msg);
			cs_json_key(&j, "locations");
			cs_json_arr_begin(&j);
			cs_json_obj_begin(&j);
			cs_json_key(&j, "physicalLocation");
			cs_json_obj_begin(&j);
			cs_json_key(&j, "artifactLocation");
			cs_json_obj_begin(&j);
			cs_json_key(&j, "uri");
			/* Image paths are absolute inside the image; SARIF wants a relative URI. */
			cs_json_str(&j, tg[i].image && f->path[0] == '/' ? f->path + 1 : f->path);
			cs_json_obj_end(&j);
			cs_json_obj_end(&j);
			cs_json_obj_end(&j);
			cs_json_arr_end(&j);
			cs_json_key(&j, "properties");
			cs_json_obj_begin(&j);
			cs_json_key(&j, "risk");
			cs_json_str(&j, cs_risk_name(f->risk));
			cs_json_key(&j, "target");
			cs_json_str(&j, tg[i].arg);
			cs_json_key(&j, "layer");
			if (f->layer >= 0)
				cs_json_int(&j, f->layer);
			else
				cs_json_null(&j);
			cs_json_obj_end(&j);
			cs_json_obj_end(&j);
		}
	}
	cs_json_arr_end(&j);
	cs_json_obj_end(&j);
	cs_json_arr_end(&j);
	cs_json_obj_end(&j);
	return cs_json_finish(&j);
}

/* Errors name entries of the scanned data too: escaped like the table (escape.h). */
static void report_diag(const struct target *t)
{
	char b[700];
	char *arg = cs_escape_dup(t->arg),
	     *msg = cs_escape_dup(cs_diag_format(&t->d, b, sizeof(b)));

	cs_err("scan", "%s: %s", arg ? arg : "?", msg ? msg : strerror(ENOMEM));
	free(arg);
	free(msg);
}

static void report_error(const struct target *t, const struct cs_scan_error *e)
{
	char *arg = cs_escape_dup(t->arg), *path = cs_escape_dup(e->path);
	char *msg = cs_escape_dup(e->message);

	cs_err("scan", "%s%s%s: %s", t->image && arg ? arg : "", t->image ? ": " : "",
	       path ? path : "?", msg ? msg : strerror(ENOMEM));
	free(arg);
	free(path);
	free(msg);
}

static int parse_u64(const char *s, uint64_t *out)
{
	char *e;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &e, 10);
	if (!*s || s[0] == '-' || errno || (*e && e[1]))
		return -EINVAL;
	switch (*e) {
	case 0:
		break;
	case 'K':
	case 'k':
		v <<= 10;
		break;
	case 'M':
		v <<= 20;
		break;
	case 'G':
		v <<= 30;
		break;
	default:
		return -EINVAL;
	}
	*out = v;
	return 0;
}

enum { OPT_JSON = 256, OPT_SARIF, OPT_FAIL_ON, OPT_THREADS, OPT_MAX_BYTES, OPT_MAX_RATIO };

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
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct cs_scan_opts o = {.progress = progress};
	bool json = false, sarif = false, failed = false;
	int fail_on = -1, c, status = 0;
	struct target *tg;
	size_t nt;
	uint64_t v;
	struct rlimit rl;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":xh", longopts, NULL)) != -1) {
		switch (c) {
		case 'x':
			o.one_filesystem = true;
			break;
		case OPT_JSON:
			json = true;
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
			if (parse_u64(optarg, &v) < 0 || v < 1 || v > 16)
				return cs_usage_err("scan", "--threads: '%s' is not 1-16", optarg);
			o.threads = (unsigned)v;
			break;
		case OPT_MAX_BYTES:
			if (parse_u64(optarg, &v) < 0 || v == 0)
				return cs_usage_err("scan", "--max-bytes: '%s' is not a size",
						    optarg);
			o.max_bytes = v;
			break;
		case OPT_MAX_RATIO:
			if (parse_u64(optarg, &v) < 0 || v == 0)
				return cs_usage_err("scan", "--max-ratio: '%s' is not a number",
						    optarg);
			o.max_ratio = v;
			break;
		case 'h':
			fputs(scan_help, stdout);
			return cs_finish_stdout("scan", 0);
		default:
			return cs_bad_option("scan", c, optopt, argv, optind);
		}
	}
	if (json && sarif)
		return cs_usage_err("scan", "--json and --sarif exclude each other");
	if (optind >= argc)
		return cs_usage_err("scan", "needs at least one DIR or IMAGE");
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
		struct target *t = &tg[i];
		char *shown;

		t->arg = argv[optind + (int)i];
		t->image = is_image(t->arg);
		prog.image = t->image;
		shown = cs_escape_dup(t->arg);
		o.progress_arg = shown ? shown : (char *)"?";
		clock_gettime(CLOCK_MONOTONIC, &prog.start);
		if (t->image)
			t->rc = cs_scan_image(t->arg, &o, &t->r, &t->d);
		else
			t->rc = cs_scan_tree(t->arg, &o, &t->r, &t->d);
		progress_end();
		free(shown);
		if (t->rc < 0) {
			report_diag(t);
			status = CS_EXIT_FAIL;
		}
		for (size_t k = 0; k < t->r.nerrors; k++) {
			const struct cs_scan_error *e = &t->r.errors[k];

			report_error(t, e);
			/* A file that vanished mid-walk is news, not a failure of the scan. */
			if (e->err != ENOENT)
				status = CS_EXIT_FAIL;
		}
		cs_scan_sort_by_risk(&t->r);
		if (fail_on >= 0)
			for (size_t k = 0; k < t->r.nfindings; k++)
				if (!t->r.findings[k].inert &&
				    (int)t->r.findings[k].risk >= fail_on)
					status = CS_EXIT_FAIL;
	}
	if (json) {
		if (print_json(tg, nt) < 0)
			failed = true;
	} else if (sarif) {
		if (print_sarif(tg, nt) < 0)
			failed = true;
	} else {
		print_text(tg, nt, &failed);
	}
	for (size_t i = 0; i < nt; i++)
		cs_scan_result_free(&tg[i].r);
	free(tg);
	if (failed)
		status = CS_EXIT_FAIL;
	return cs_finish_stdout("scan", status);
}

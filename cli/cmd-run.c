/* SPDX-License-Identifier: MIT */
/* capscope run [options] -- CMD [ARGS]: exec with exactly these credentials. */
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capscope/launch.h"
#include "capscope/number.h"
#include "capscope/text.h"
#include "commands.h"
#include "explain.h"
#include "../lib/internal/cleanup.h"
#include "output.h"

#define CMD	    "run"
#define EXIT_LAUNCH 127

static const char help[] =
    "Usage: capscope run [OPTIONS] -- CMD [ARGS...]\n"
    "\n"
    "Run CMD with exactly the user, groups, capability sets, securebits and\n"
    "no_new_privs asked for. The plan is checked with capscope's kernel model\n"
    "first, carried out, then the credentials are read back and compared with\n"
    "the plan. If anything fails or differs, CMD is not run: exit status 127\n"
    "and one line naming the step and the error.\n"
    "\n"
    "Options:\n"
    "  -u, --user USER|UID     switch to this user (its passwd group unless --group)\n"
    "  -g, --group GROUP|GID   switch to this group\n"
    "      --groups LIST       supplementary groups (names or numbers, comma-separated)\n"
    "      --clear-groups      no supplementary groups\n"
    "      --keep-groups       keep the current supplementary groups\n"
    "                          (exactly one of these three when the user or group changes)\n"
    "      --caps TEXT         inheritable, permitted, effective sets in libcap text,\n"
    "                          e.g. 'cap_net_bind_service=eip'\n"
    "      --inh CAPS          the inheritable set, exactly\n"
    "      --ambient CAPS      the ambient set, exactly; also raises what ambient needs\n"
    "                          (the capabilities in permitted and inheritable)\n"
    "      --bounding CAPS     keep only these in the bounding set (each must still be\n"
    "                          in it); anything else asked for must lie inside it,\n"
    "                          or nothing runs. Each option may be given once.\n"
    "      --no-new-privs      set no_new_privs\n"
    "      --securebits BITS   a number, or names: noroot, no-setuid-fixup, keep-caps,\n"
    "                          no-cap-ambient-raise (each also with -locked)\n"
    "      --dry-run           print the model's prediction (before and after execve)\n"
    "                          and exit without changing anything\n"
    "      --json              with --dry-run: the explain JSON shape\n"
    "  -h, --help              this text\n"
    "\n"
    "CAPS are names separated by commas (cap_net_bind_service, NET_BIND_SERVICE,\n"
    "net_bind_service, or 'all').\n"
    "\n"
    "Examples:\n"
    "  capscope run --user nobody --clear-groups --ambient net_bind_service -- nc -l 443\n"
    "  capscope run --bounding net_bind_service --no-new-privs -- ./server\n"
    "  capscope run --dry-run --user 1000 --keep-groups --caps cap_chown=ep -- id\n";

#ifdef CS_STATIC_RUN
/*
 * The static capscope-run reads /etc/passwd and /etc/group itself: glibc's
 * NSS would need shared libraries that a static entrypoint wrapper cannot
 * count on finding in the image.
 */
static struct passwd *pw_find(const char *name, uid_t uid)
{
	FILE *f = fopen("/etc/passwd", "re");
	struct passwd *pw = NULL;

	while (f && (pw = fgetpwent(f)))
		if (name ? strcmp(pw->pw_name, name) == 0 : pw->pw_uid == uid)
			break;
	if (f)
		fclose(f);
	return pw;
}

static struct group *gr_find(const char *name)
{
	FILE *f = fopen("/etc/group", "re");
	struct group *gr = NULL;

	while (f && (gr = fgetgrent(f)))
		if (strcmp(gr->gr_name, name) == 0)
			break;
	if (f)
		fclose(f);
	return gr;
}
#define getpwnam(n) pw_find((n), 0)
#define getpwuid(u) pw_find(NULL, (u))
#define getgrnam(n) gr_find(n)
#endif

static int parse_caps(const char *opt, const char *arg, cs_mask_t *out)
{
	struct cs_diag d = {0};

	if (cs_names_parse(arg, strlen(arg), out, &d) < 0)
		return cs_usage_err(CMD, "%s: %s", opt, d.message);
	return 0;
}

/* A uid or gid: strict digits, or else a name; (uid_t)-1 is "no change" to the kernel. */
static bool parse_id(const char *s, uint32_t *out)
{
	return cs_parse_u32(s, UINT32_MAX - 1, out) == 0;
}

static int parse_uid(const char *s, struct cs_launch_plan *p)
{
	struct passwd *pw;
	uint32_t v;

	if (parse_id(s, &v)) {
		p->uid = (uid_t)v;
		pw = getpwuid(p->uid);
	} else {
		pw = getpwnam(s);
		if (!pw)
			return cs_usage_err(CMD, "--user: no such user '%s'", s);
		p->uid = pw->pw_uid;
	}
	p->set_uid = true;
	if (!p->set_gid) {
		/* Keeping the old (root) group would be a privilege nobody asked for. */
		if (!pw)
			return cs_usage_err(CMD,
					    "--user %s: no passwd entry to take the group from; "
					    "give --group",
					    s);
		p->gid = pw->pw_gid;
		p->set_gid = true;
	}
	return 0;
}

static int parse_gid(const char *opt, const char *s, gid_t *out)
{
	struct group *gr;
	uint32_t v;

	if (parse_id(s, &v)) {
		*out = (gid_t)v;
		return 0;
	}
	gr = *s ? getgrnam(s) : NULL;
	if (!gr)
		return cs_usage_err(CMD, "%s: no such group '%s'", opt, s);
	*out = gr->gr_gid;
	return 0;
}

/* Comma-separated, no empty entries: "--groups ''" or "5,,6" is a mistake, not "no groups". */
static int parse_groups(const char *s, struct cs_launch_plan *p)
{
	cs_cleanup_free char *copy = strdup(s);
	char *tok, *next;

	if (!copy)
		return cs_err(CMD, "out of memory");
	p->ngroups = 0;
	for (tok = copy; tok; tok = next) {
		int rc;

		next = strchr(tok, ',');
		if (next)
			*next++ = '\0';
		if (!*tok)
			return cs_usage_err(CMD,
					    "--groups: empty group name in '%s' (use "
					    "--clear-groups for none)",
					    s);
		if (p->ngroups >= CS_CRED_MAX_GROUPS)
			return cs_usage_err(CMD, "--groups: more than %d groups",
					    CS_CRED_MAX_GROUPS);
		if ((rc = parse_gid("--groups", tok, &p->groups[p->ngroups])))
			return rc;
		p->ngroups++;
	}
	return 0;
}

/* A number (decimal or 0x hex, strictly) or comma-separated names. */
static int parse_securebits(const char *s, unsigned *out)
{
	cs_cleanup_free char *copy = NULL;
	char *tok, *next;
	uint64_t v;
	int r = cs_parse_u64(s, CS_NUM_HEX, UINT32_MAX, &v);

	if (r == 0 || (s[0] >= '0' && s[0] <= '9')) {
		if (r < 0)
			return cs_usage_err(CMD, "--securebits: '%s' is not a number", s);
		if (v & ~(uint64_t)CS_SECBIT_ALL)
			return cs_usage_err(CMD, "--securebits: unknown bits in 0x%llx",
					    (unsigned long long)v);
		*out = (unsigned)v;
		return 0;
	}
	if (!(copy = strdup(s)))
		return cs_err(CMD, "out of memory");
	*out = 0;
	for (tok = copy; tok; tok = next) {
		unsigned bit;

		next = strchr(tok, ',');
		if (next)
			*next++ = '\0';
		for (bit = 0; cs_securebit_name(bit); bit++)
			if (strcmp(tok, cs_securebit_name(bit)) == 0)
				break;
		if (!cs_securebit_name(bit))
			return cs_usage_err(CMD, "--securebits: unknown name '%s'", tok);
		*out |= 1u << bit;
	}
	return 0;
}

static void print_cred(const char *title, const struct cs_cred *c)
{
	static const enum cs_set order[5] = {CS_BND, CS_PRM, CS_EFF, CS_INH, CS_AMB};

	printf("%s: uid %u/%u/%u/%u gid %u/%u/%u/%u, %zu groups, no_new_privs %s, securebits "
	       "0x%x\n",
	       title, c->uid[0], c->uid[1], c->uid[2], c->uid[3], c->gid[0], c->gid[1], c->gid[2],
	       c->gid[3], c->ngroups, c->no_new_privs ? "yes" : "no", c->securebits);
	for (int i = 0; i < 5; i++) {
		char buf[1024];

		cs_mask_format_names(c->caps.set[order[i]], CS_NAMES_LOWER, buf, sizeof(buf));
		printf("  %-12s %016llx %s\n", cs_set_name(order[i]),
		       (unsigned long long)c->caps.set[order[i]], buf[0] ? buf : "-");
	}
}

static int dry_run(const struct cs_launch *l, struct cs_steps *st, char **argv, bool json)
{
	struct cs_exec_file f;
	struct cs_exec_result res = {0};
	struct cs_cred post = l->predicted;
	struct cs_json j;
	int rc;

	cs_exec_file_resolve("/", argv[0], getenv("PATH"), &f, NULL);
	rc = cs_kernel_execve(&post, &f, st);
	res.ok = rc == 0;
	res.error = -rc;
	snprintf(res.path, sizeof(res.path), "%s", f.path);
	if (json) {
		cs_json_init(&j, stdout, false);
		cs_json_obj_begin(&j);
		cs_json_key(&j, "exec");
		cs_explain_json_exec(&j, &res);
		cs_json_key(&j, "before_exec");
		cs_explain_json_cred(&j, &l->predicted);
		cs_json_key(&j, "process");
		if (res.ok)
			cs_explain_json_cred(&j, &post);
		else
			cs_json_null(&j);
		cs_json_key(&j, "steps");
		cs_explain_json_steps(&j, st);
		cs_json_obj_end(&j);
		return cs_finish_stdout(CMD, cs_json_finish(&j) ? CS_EXIT_FAIL : 0);
	}
	print_cred("Now", &l->start);
	print_cred("Just before execve", &l->predicted);
	if (res.ok)
		print_cred("After execve", &post);
	else
		printf("execve of %s would fail: %s\n", f.path, cs_errno_name(res.error));
	printf("\nSteps:\n");
	cs_explain_print_steps(stdout, st);
	return cs_finish_stdout(CMD, 0);
}

/* One line, exit 127: the convention of setpriv and of env(1) for "could not run CMD". */
static int launch_err(const char *what, int rc, const struct cs_diag *d, const char *tail)
{
	fprintf(stderr, "capscope run: step '%s' %s: %s (%s)%s\n", d->field[0] ? d->field : "plan",
		what, cs_errno_name(rc), d->message, tail);
	return EXIT_LAUNCH;
}

int cmd_run(int argc, char **argv)
{
	enum {
		O_GROUPS = 256,
		O_CLEAR,
		O_KEEP,
		O_CAPS,
		O_INH,
		O_AMB,
		O_BND,
		O_NNP,
		O_SB,
		O_DRY,
		O_JSON
	};
	static const struct option longopts[] = {
	    {"user", required_argument, NULL, 'u'},
	    {"group", required_argument, NULL, 'g'},
	    {"groups", required_argument, NULL, O_GROUPS},
	    {"clear-groups", no_argument, NULL, O_CLEAR},
	    {"keep-groups", no_argument, NULL, O_KEEP},
	    {"caps", required_argument, NULL, O_CAPS},
	    {"inh", required_argument, NULL, O_INH},
	    {"ambient", required_argument, NULL, O_AMB},
	    {"bounding", required_argument, NULL, O_BND},
	    {"no-new-privs", no_argument, NULL, O_NNP},
	    {"securebits", required_argument, NULL, O_SB},
	    {"dry-run", no_argument, NULL, O_DRY},
	    {"json", no_argument, NULL, O_JSON},
	    {"help", no_argument, NULL, 'h'},
	    {0},
	};
	/* On the heap: a plan and a launch hold several credential sets (a few KiB). */
	cs_cleanup_free struct cs_launch_plan *p = calloc(1, sizeof(*p));
	cs_cleanup_free struct cs_launch *l = calloc(1, sizeof(*l));
	cs_cleanup_free struct cs_cred *self = calloc(1, sizeof(*self));
	struct cs_steps st;
	struct cs_diag d = {0};
	const char *user = NULL;
	bool dry = false, json = false;
	int c, rc, ngroupopts = 0;
	unsigned seen = 0;

	if (!p || !l || !self)
		return cs_err(CMD, "out of memory");
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+:u:g:h", longopts, NULL)) != -1) {
		/*
		 * A value option given twice would silently keep only the last
		 * value: refuse, so what runs is what the whole command line says.
		 */
		static const char once[] = "ug";
		unsigned bit = c >= O_GROUPS && c <= O_JSON ? 1u << (c - O_GROUPS + 2)
			       : strchr(once, c) && c	    ? 1u << (strchr(once, c) - once)
							    : 0;

		if (bit && (seen & bit)) {
			const char *name = "?";

			for (const struct option *o = longopts; o->name; o++)
				if (o->val == c)
					name = o->name;
			return cs_usage_err(CMD, "--%s given twice", name);
		}
		seen |= bit;
		rc = 0;
		switch (c) {
		case 'u':
			user = optarg;
			break;
		case 'g':
			rc = parse_gid("--group", optarg, &p->gid);
			p->set_gid = true;
			break;
		case O_GROUPS:
			ngroupopts++;
			p->groups_mode = CS_GROUPS_LIST;
			rc = parse_groups(optarg, p);
			break;
		case O_CLEAR:
			ngroupopts++;
			p->groups_mode = CS_GROUPS_CLEAR;
			break;
		case O_KEEP:
			ngroupopts++;
			p->groups_mode = CS_GROUPS_KEEP;
			break;
		case O_CAPS: {
			struct cs_iep iep;

			if (cs_text_parse(optarg, strlen(optarg), &iep, &d) < 0)
				return cs_usage_err(CMD, "--caps: %s", d.message);
			p->set_caps = true;
			p->caps_inh = iep.inh;
			p->caps_prm = iep.prm;
			p->caps_eff = iep.eff;
			break;
		}
		case O_INH:
			p->set_inh = true;
			rc = parse_caps("--inh", optarg, &p->inh);
			break;
		case O_AMB:
			p->set_ambient = true;
			rc = parse_caps("--ambient", optarg, &p->ambient);
			break;
		case O_BND:
			p->set_bounding = true;
			rc = parse_caps("--bounding", optarg, &p->bounding);
			break;
		case O_NNP:
			p->no_new_privs = true;
			break;
		case O_SB:
			p->set_securebits = true;
			rc = parse_securebits(optarg, &p->securebits);
			break;
		case O_DRY:
			dry = true;
			break;
		case O_JSON:
			json = true;
			break;
		case 'h':
			fputs(help, stdout);
			return cs_finish_stdout(CMD, 0);
		default:
			return cs_bad_option(CMD, c, optopt, argv, optind);
		}
		if (rc)
			return rc;
	}
	if (user && (rc = parse_uid(user, p)))
		return rc;
	if (ngroupopts > 1)
		return cs_usage_err(CMD, "--groups, --clear-groups and --keep-groups exclude each "
					 "other");
	if (optind >= argc)
		return cs_usage_err(CMD, "missing the command to run (after --)");
	if (json && !dry)
		return cs_usage_err(CMD, "--json goes with --dry-run");
	if (cs_cred_read_self(self, &d) < 0)
		return cs_diag_err(CMD, "reading own credentials", &d);
	cs_steps_init(&st);
	rc = cs_launch_prepare(p, self, l, &st, &d);
	if (rc == -EINVAL && strcmp(d.field, "groups") == 0) {
		cs_steps_free(&st);
		return cs_usage_err(CMD, "%s", d.message);
	}
	if (rc) {
		cs_steps_free(&st);
		return launch_err("refused", rc, &d, "");
	}
	if (dry) {
		rc = dry_run(l, &st, argv + optind, json);
		cs_steps_free(&st);
		return rc;
	}
	cs_steps_free(&st);
	if ((rc = cs_launch_apply(l, &d)) < 0)
		return launch_err("failed", rc, &d, "; nothing was executed");
	if ((rc = cs_launch_verify(l, &d)) < 0) {
		fprintf(stderr, "capscope run: step 'verify' failed: %s; nothing was executed\n",
			d.message);
		return EXIT_LAUNCH;
	}
	rc = cs_launch_exec(argv + optind);
	fprintf(stderr, "capscope run: step 'execve' failed: %s (%s): %s\n", cs_errno_name(rc),
		strerror(-rc), argv[optind]);
	return EXIT_LAUNCH;
}

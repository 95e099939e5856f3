/* SPDX-License-Identifier: MIT */
/* capscope run [options] -- CMD [ARGS]: exec with exactly these credentials. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "capscope/launch.h"
#include "capscope/launch-args.h"
#include "capscope/launch-dry-run.h"
#include "capscope/number.h"
#include "capscope/text.h"
#include "commands.h"
#include "explain.h"
#include "../lib/internal/cleanup.h"
#include "capscope/escape.h"
#include "internal/cleanup.h"
#include "internal/util.h"
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
    "and one line naming the step and the error. Root that would get dropped\n"
    "capabilities back at execve (the root rule) is refused: add --securebits noroot.\n"
    "So is, with --caps, a set-uid root or file-capability CMD that would gain\n"
    "capabilities the plan drops: add --no-new-privs; and with --ambient, a\n"
    "set-uid, set-gid or file-capability CMD, for which execve clears the\n"
    "ambient set.\n"
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
    "                          and exit without changing anything (127 when the\n"
    "                          run would execute nothing)\n"
    "      --json              with --dry-run: the explain JSON shape\n"
    "  -h, --help              this text\n"
    "\n"
    "CAPS are names separated by one comma and no blank (cap_net_bind_service,\n"
    "NET_BIND_SERVICE, net_bind_service, or 'all'); '' is none.\n"
    "\n"
    "Examples:\n"
    "  capscope run --user nobody --clear-groups --ambient net_bind_service -- nc -l 443\n"
    "  capscope run --bounding net_bind_service --no-new-privs -- ./server\n"
    "  capscope run --dry-run --user 1000 --keep-groups --caps cap_chown=ep -- id\n";

/*
 * Memory that ran out before the command started is a step that failed, as
 * a file that cannot be read: 127 and "nothing was executed". It was exit
 * 2, a usage error's status, where a wrapper reads 127 as "CMD did not run"
 * (twenty-second pass).
 */
static int oom(void)
{
	cs_err(CMD, "out of memory; nothing was executed");
	return EXIT_LAUNCH;
}

/* A library diagnostic as a usage error (or "out of memory"). */
static int args_err(int rc, const struct cs_diag *d)
{
	if (rc == -ENOMEM)
		return oom();
	/* The user or group database could not be read (EMFILE, EACCES): not
	 * the caller's mistake, a step that failed, as reading credentials. */
	if (rc != -EINVAL) {
		cs_err(CMD, "%s; nothing was executed", d->message);
		return EXIT_LAUNCH;
	}
	return cs_usage_err(CMD, "%s", d->message);
}

/* "--caps: column 14: unknown capability name 'x'": where, in a long text. */
static int caps_err(const char *opt, const struct cs_diag *d)
{
	char buf[800];

	cs_diag_format(d, buf, sizeof(buf));
	return cs_usage_err(CMD, "%s: %s", opt, buf);
}

static int parse_caps(const char *opt, const char *arg, cs_mask_t *out)
{
	struct cs_diag d = {0};

	if (cs_launch_args_caps(arg, out, &d) < 0)
		return caps_err(opt, &d);
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

/*
 * The dry run exits as the run would as far as it can know: 127 when the
 * run would execute nothing (execve would fail, or the run refuses the
 * file), as the refusals of the plan already did. It exited 0 there, under
 * its own line "The run refuses it (exit 127)".
 */
static int show_dry_run(const struct cs_launch *l, struct cs_steps *st,
			const struct cs_launch_dry_run *r, bool json)
{
	int code = r->res.ok && !r->refused.message[0] ? 0 : EXIT_LAUNCH;
	struct cs_json j;

	if (json) {
		cs_json_init(&j, stdout, false);
		cs_launch_dry_run_json(&j, l, r, st);
		int werr = cs_json_finish(&j);

		return cs_finish_stdout_err(CMD, werr ? CS_EXIT_ERROR : code, werr);
	}
	print_cred("Now", &l->start);
	print_cred("Just before execve", &l->predicted);
	if (r->res.ok)
		print_cred("After execve", &r->post);
	else if (r->res.error) { /* 0: never modelled, the refusal below says why */
		/* The file as the steps below name it: one word (session 22). */
		cs_cleanup_free char *word = cs_word_dup(r->file.path, '"');
		cs_cleanup_free char *shown = word ? cs_escape_dup(word) : NULL;

		printf("execve of %s would fail: %s\n", shown ? shown : cs_oom_mark(),
		       cs_errno_name(r->res.error));
	}
	if (r->refused.message[0]) {
		/* Raw in the library (JSON writes its bytes): escaped here, once. */
		cs_cleanup_free char *why = cs_escape_dup(r->refused.message);

		printf("The run refuses it (exit 127): %s\n", why ? why : cs_oom_mark());
	}
	printf("\nSteps:\n");
	cs_explain_print_steps(stdout, st);
	return cs_finish_stdout(CMD, code);
}

struct dry {
	const struct cs_launch *l;
	struct cs_steps *st;
	char **argv;
	bool json;
};

/* In the child that holds the run's credentials (cs_launch_in_child). */
static int dry_run(void *arg)
{
	const struct dry *a = arg;
	cs_cleanup_free struct cs_launch_dry_run *r = calloc(1, sizeof(*r));
	int rc;

	extern char **environ;

	if (!r ||
	    cs_launch_dry_run_argv(a->l, a->argv, environ, cs_launch_search_path(), a->st, r) < 0)
		return oom();
	/* A step the list could not hold (its sticky error): the steps shown
	 * were short and the dry run exited 0 as if whole (twenty-second pass). */
	if (a->st->error) {
		cs_launch_dry_run_clear(r);
		return oom();
	}
	rc = show_dry_run(a->l, a->st, r, a->json);
	cs_launch_dry_run_clear(r);
	return rc;
}

/*
 * One line, exit 127: the convention of setpriv and of env(1) for "could not
 * run CMD". The library's message is raw (a file's name in it is the name's
 * bytes): cs_err escapes the line once.
 */
static int launch_err(const char *what, int rc, const struct cs_diag *d, const char *tail)
{
	cs_err(CMD, "step '%s' %s: %s (%s)%s", d->field[0] ? d->field : "plan", what,
	       cs_errno_name(rc), d->message, tail);
	return EXIT_LAUNCH;
}

/* Check the plan with the model, then dry-run it or carry it out and exec. */
static int launch(const struct cs_launch_plan *p, char **argv, bool dry, bool json)
{
	cs_cleanup_free struct cs_launch *l = calloc(1, sizeof(*l));
	cs_cleanup_free struct cs_cred *self = calloc(1, sizeof(*self));
	struct cs_steps st;
	struct cs_diag d = {0};
	char w[CS_WORD_ROOM];
	int rc;

	if (!l || !self)
		return oom();
	if (cs_cred_read_self(self, &d) < 0) { /* a step like the others: 127, not 2 (CMD's own) */
		cs_diag_err(CMD, "step 'read credentials' failed; nothing was executed", &d);
		return EXIT_LAUNCH;
	}
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
		rc = cs_launch_in_child(l, dry_run, &(struct dry){l, &st, argv, json}, &d);
		cs_steps_free(&st);
		return rc < 0
			   ? launch_err("failed", rc, &d, " in the dry run; nothing was executed")
			   : rc;
	}
	cs_steps_free(&st);
	if ((rc = cs_launch_apply(l, &d)) < 0)
		return launch_err("failed", rc, &d, "; nothing was executed");
	if ((rc = cs_launch_verify(l, &d)) < 0) {
		cs_err(CMD, "step 'verify' failed: %s; nothing was executed", d.message);
		return EXIT_LAUNCH;
	}
	rc = cs_launch_exec_checked(l, argv, &d);
	if (d.message[0])
		return launch_err("refused", rc, &d, "");
	/* The command as the model's steps name a file (a word, session 22). */
	cs_err(CMD, "step 'execve' failed: %s (%s): %s", cs_errno_name(rc), strerror(-rc),
	       cs_word_clip(w, sizeof(w), argv[0]));
	return EXIT_LAUNCH;
}

/*
 * The least stack run takes to check its plan before the command starts: a
 * look-up of --user through NSS, the model and its messages. 20 KiB was
 * seen to be enough; below it a caller's RLIMIT_STACK ended the check in
 * SIGSEGV, exit 139 and no message (twenty-first pass). Nothing had run,
 * but "one line and 127" was lost, so a smaller limit is refused first,
 * with room to spare. The command would get the caller's limit unchanged:
 * run never raises it for itself, so there is nothing to restore.
 */
#define RUN_STACK_MIN (64 * 1024)

static int stack_refused(void)
{
	struct rlimit r;

	if (getrlimit(RLIMIT_STACK, &r) < 0) {
		cs_err(CMD, "step 'stack' failed: getrlimit: %s; nothing was executed",
		       cs_errno_name(-errno));
		return EXIT_LAUNCH;
	}
	if (r.rlim_cur == RLIM_INFINITY || r.rlim_cur >= RUN_STACK_MIN)
		return 0;
	cs_err(CMD,
	       "step 'stack' refused: RLIMIT_STACK is %llu bytes, and run needs %d KiB to check "
	       "its plan before the command starts; nothing was executed",
	       (unsigned long long)r.rlim_cur, RUN_STACK_MIN / 1024);
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
	struct cs_diag d = {0};
	const char *user = NULL;
	bool dry = false, json = false;
	int c, rc, ngroupopts = 0;
	unsigned seen = 0;

	if ((rc = stack_refused()))
		return rc;
	if (!p)
		return oom();
	opterr = 0;
	optind = 1;
	while ((c = cs_getopt(argc, argv, "+:u:g:h", longopts, NULL)) != -1) {
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
			rc = cs_launch_args_gid("--group", optarg, CS_CLI_IDS, &p->gid, &d);
			p->set_gid = true;
			break;
		case O_GROUPS:
			ngroupopts++;
			p->groups_mode = CS_GROUPS_LIST;
			rc = cs_launch_args_groups(p, optarg, CS_CLI_IDS, &d);
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
				return caps_err("--caps", &d);
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
			rc = cs_launch_args_securebits(optarg, &p->securebits, &d);
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
			return cs_bad_option(CMD, c, optopt, argv, optind, longopts);
		}
		if (rc)
			return rc < 0 ? args_err(rc, &d) : rc;
	}
	if (user && (rc = cs_launch_args_user(p, user, CS_CLI_IDS, &d)))
		return args_err(rc, &d);
	if (ngroupopts > 1)
		return cs_usage_err(CMD, "--groups, --clear-groups and --keep-groups exclude each "
					 "other");
	if (optind >= argc)
		return cs_usage_err(CMD, "missing the command to run (after --)");
	/* execve("") is ENOENT whatever the $PATH: the run said "failed: ENOENT ...: " naming
	 * nothing. */
	if (!argv[optind][0])
		return cs_usage_err(CMD, "the command to run is an empty name ('')");
	if (json && !dry)
		return cs_usage_err(CMD, "--json goes with --dry-run");
	return launch(p, argv + optind, dry, json);
}

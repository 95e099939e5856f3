/* SPDX-License-Identifier: MIT */
/* capscope explain oci BUNDLE: runc's steps and execve, from config.json. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capscope/fcaps.h"
#include "capscope/json.h"
#include "capscope/oci.h"
#include "capscope/runtime.h"
#include "capscope/scan.h"
#include "capscope/text.h"
#include "capscope/userns.h"
#include "explain.h"
#include "output.h"

#define CMD "explain oci"

static const char help[] =
    "Usage: capscope explain oci [--json] [--image ARCHIVE] BUNDLE\n"
    "\n"
    "Predict the credentials of an OCI bundle's first process, as runc 1.1 and\n"
    "the kernel would give them, step by step. Reads BUNDLE/config.json\n"
    "(root.path, process.user, process.args and env, process.capabilities,\n"
    "noNewPrivileges, a user namespace with its uid/gid mappings), finds\n"
    "process.args[0] inside the rootfs through the config's PATH (never leaving\n"
    "the rootfs), reads its mode, owner and file capabilities, then runs the\n"
    "model: bounding drop, user switch, capset, ambient raises, no_new_privs,\n"
    "execve. Prints the flow as a table, every rule that fired, and one line\n"
    "per requested capability saying whether it ends effective and why not.\n"
    "\n"
    "Options:\n"
    "  --caller self|root\n"
    "              who starts runc: 'self' = these credentials (runc started here\n"
    "              inherits this bounding set; the default when run as root),\n"
    "              'root' = uid 0 with every capability (as a container engine\n"
    "              on a node would; the default otherwise)\n"
    "  --image ARCHIVE\n"
    "              find process.args[0] in this image (docker save archive, OCI\n"
    "              layout directory or OCI archive) instead of root.path: its\n"
    "              final view, read as streams, never extracted (its\n"
    "              /etc/passwd too, for the HOME runc sets)\n"
    "  --json      {\"exec\": {ok, error, path}, \"process\": {uids, gids,\n"
    "              no_new_privs, caps}, \"steps\": [{layer, rule, detail}]}\n"
    "  -h, --help  this text\n"
    "\n"
    "Exit status: 0 when the process starts, 1 when it would not, 2 on a usage\n"
    "error or an unreadable bundle.\n"
    "\n"
    "Examples:\n"
    "  capscope explain oci ./bundle\n"
    "  capscope explain oci --image nc-capset.tar ./bundle\n"
    "  capscope explain oci --json ./bundle | jq -r .process.caps.effective.names[]\n";

static void describe_file(const struct cs_exec_file *f)
{
	printf("Entrypoint: %s", cs_esc_cell(f->path));
	/* A "#!" chain: the attributes that follow are its last interpreter's. */
	for (; f->interp; f = f->interp)
		printf(", a \"#!\" script run by %s",
		       f->interp->path[0] ? cs_esc_cell(f->interp->path) : "(no interpreter)");
	if (f->error) {
		printf(": %s\n", strerror(f->error));
		return;
	}
	printf(", mode %04o, owner %u:%u%s%s", (unsigned)(f->mode & 07777), (unsigned)f->owner_uid,
	       (unsigned)f->owner_gid, (f->mode & S_ISUID) ? ", set-uid" : "",
	       f->nosuid ? ", nosuid mount" : "");
	if (f->fcaps_state > 0) {
		char *txt = cs_fcaps_to_text(&f->fcaps);

		printf(", file caps %s (v%d", txt ? txt : cs_oom_mark(), f->fcaps.version);
		if (f->fcaps.version == 3)
			printf(", rootid %u", (unsigned)f->fcaps.rootid);
		printf(")");
		free(txt);
	} else if (f->fcaps_state < 0) {
		printf(", invalid security.capability");
	} else {
		printf(", no file caps");
	}
	printf("\n");
}

static void flow(const struct cs_oci_config *cfg, const struct cs_oci_explain_result *r)
{
	static const char *const hdr[] = {"STAGE",     "UID",	      "BOUNDING", "PERMITTED",
					  "EFFECTIVE", "INHERITABLE", "AMBIENT",  "NNP"};
	const struct cs_oci_process *p = &cfg->process;
	const struct cs_cred *post = &r->post;
	struct cs_table t;
	char u[3][64];

	cs_table_init(&t, 8);
	cs_table_add(&t, hdr);
	cs_userns_id_text(p->uid_map, p->n_uid_map, p->user_namespace, p->uid, u[0], sizeof(u[0]));
	cs_explain_flow_row(&t, "config.json", u[0], &p->caps, p->no_new_privileges);
	cs_userns_id_text(p->uid_map, p->n_uid_map, p->user_namespace, r->pre.uid[1], u[1],
			  sizeof(u[1]));
	cs_explain_flow_row(&t, "runc, before execve", u[1], &r->pre.caps, r->pre.no_new_privs);
	if (r->exec.ok) {
		snprintf(u[2], sizeof(u[2]), "%u/%u/%u/%u", (unsigned)post->uid[0],
			 (unsigned)post->uid[1], (unsigned)post->uid[2], (unsigned)post->uid[3]);
		cs_explain_flow_row(&t, "after execve", u[2], &post->caps, post->no_new_privs);
	}
	cs_table_emit(&t, stdout, cs_color(stdout, "\033[1m"));
}

static void text_out(const struct cs_oci_config *cfg, const struct cs_oci_explain_result *r)
{
	const struct cs_exec_result *res = &r->exec;
	char *un;
	int err;

	printf("Bundle: %s (rootfs %s)%s\n", cs_esc_cell(cfg->bundle), cs_esc_cell(cfg->root_path),
	       cfg->process.user_namespace ? ", user namespace" : "");
	describe_file(&r->file);
	printf("\n");
	flow(cfg, r);
	if ((un = cs_userns_report_text(&cfg->process, res->ok ? &r->post : NULL, "", &err)))
		printf("\n%s", un);
	free(un);
	if (!res->ok)
		printf("\nThe process does not start: %s (%s) at %s [%s].\n",
		       cs_errno_name(res->error), strerror(res->error), res->step, res->layer);
	printf("\nSteps:\n");
	cs_explain_print_steps(stdout, &r->steps);
	if (r->n_verdicts) {
		printf("\nRequested capabilities:\n");
		for (size_t i = 0; i < r->n_verdicts; i++) {
			/* Padded by columns, not bytes (text-table.h). */
			printf("  ");
			cs_text_pad(stdout, cs_esc_cell(r->verdicts[i].name), 22);
			printf(" %s\n", cs_esc(r->verdicts[i].text));
		}
	}
	cs_esc_release();
}

int cmd_explain_oci(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"json", no_argument, NULL, 'j'},
	    {"caller", required_argument, NULL, 'c'},
	    {"image", required_argument, NULL, 'i'},
	    {"help", no_argument, NULL, 'h'},
	    {0},
	};
	struct cs_oci_config cfg;
	struct cs_oci_explain_result *r = NULL;
	struct cs_oci_explain_opts o = {0};
	struct cs_diag d = {0};
	struct cs_cred self;
	bool json = false, ok;
	const char *image = NULL;
	/* runc started right here inherits our bounding set; as root, predict that. */
	bool caller_self = geteuid() == 0;
	unsigned long long seen = 0;
	int c, rc;

	opterr = 0;
	optind = 1;
	while ((c = cs_getopt(argc, argv, ":h", longopts, NULL)) != -1) {
		if ((rc = cs_opt_once(CMD, c, longopts, &seen, "")))
			return rc;
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'c':
			if (strcmp(optarg, "self") == 0)
				caller_self = true;
			else if (strcmp(optarg, "root") == 0)
				caller_self = false;
			else
				return cs_usage_err(
				    CMD, "--caller takes 'self' or 'root', not '%s'", optarg);
			break;
		case 'i':
			image = optarg;
			break;
		case 'h':
			fputs(help, stdout);
			return cs_finish_stdout(CMD, 0);
		default:
			return cs_bad_option(CMD, c, optopt, argv, optind, longopts);
		}
	}
	if (optind + 1 != argc)
		return cs_usage_err(CMD, optind == argc ? "missing BUNDLE" : "too many arguments");
	if (caller_self) {
		if (cs_cred_read_self(&self, &d) < 0)
			return cs_diag_err(CMD, "reading own credentials", &d);
		o.caller = &self;
		memset(&d, 0, sizeof(d));
	}
	rc = cs_oci_config_load(argv[optind], &cfg, &d);
	if (rc)
		return cs_diag_err(CMD, NULL, &d);
	if (image && cs_image_open(image, NULL, &o.image, &d) < 0) {
		cs_oci_config_free(&cfg);
		cs_diag_file(&d, image);
		return cs_diag_err(CMD, "--image", &d);
	}
	rc = cs_oci_explain(&cfg, &o, &r, &d);
	cs_image_close(o.image);
	if (rc == -ENOMEM) {
		cs_oci_config_free(&cfg);
		return cs_err(CMD, "out of memory");
	}
	if (rc) {
		cs_oci_config_free(&cfg);
		/* a message naming its file (root.path's) needs no bundle before it */
		return cs_diag_err(CMD, d.file[0] ? NULL : argv[optind], &d);
	}
	if (cfg.process.unknown_caps[0])
		fprintf(stderr,
			"capscope " CMD ": warning: runc ignores unknown capabilities: %s\n",
			cs_esc(cfg.process.unknown_caps));
	if (json) {
		struct cs_json j;

		cs_json_init(&j, stdout, false);
		cs_oci_explain_json(&j, r);
		rc = cs_json_finish(&j);
	} else {
		text_out(&cfg, r);
	}
	ok = r->exec.ok;
	cs_oci_explain_free(r);
	cs_oci_config_free(&cfg);
	cs_esc_release();
	if (rc)
		return cs_finish_stdout_err(CMD, CS_EXIT_ERROR, rc);
	return cs_finish_stdout(CMD, ok ? 0 : CS_EXIT_FINDINGS);
}

/* SPDX-License-Identifier: MIT */
/* capscope decode / encode: masks ⇄ names. */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/encode.h"
#include "capscope/escape.h"
#include "internal/util.h"
#include "capscope/json.h"
#include "capscope/text.h"
#include "commands.h"
#include "output.h"

static const char decode_help[] =
    "Usage: capscope decode [--json] MASK...\n"
    "\n"
    "Print the capability names in each hexadecimal MASK, one line per mask,\n"
    "exactly as 'capsh --decode=MASK' does. MASK is what /proc/PID/status\n"
    "shows (CapEff: etc.), with or without 0x. Unlike capsh, a mask that is not\n"
    "hex or is wider than 64 bits is an error, not silently 0 or all ones.\n"
    "\n"
    "Options:\n"
    "  --json      {\"masks\": [{\"mask\": \"0x…\", \"names\": [\"CAP_…\"]}]}\n"
    "  -h, --help  this text\n"
    "\n"
    "Examples:\n"
    "  capscope decode 0000003fffffffff\n"
    "  capscope decode $(awk '/^Cap/ {print $2}' /proc/1/status)\n";

static const char encode_help[] =
    "Usage: capscope encode [--json] TEXT...\n"
    "\n"
    "The reverse of decode. TEXT is a list of capability names separated by\n"
    "commas or spaces, in any spelling (cap_net_raw, CAP_NET_RAW, NET_RAW, 41,\n"
    "cap_41, all); prints the 64-bit mask. A TEXT in libcap's grammar (it holds\n"
    "'=', '+' or '-', see cap_text_formats(7)) prints its three sets instead.\n"
    "\n"
    "Options:\n"
    "  --json      machine-readable output\n"
    "  -h, --help  this text\n"
    "\n"
    "Examples:\n"
    "  capscope encode NET_BIND_SERVICE,NET_RAW     # 0x0000000000002400\n"
    "  capscope encode 'cap_net_raw+ep cap_chown=i'\n";

struct opts {
	bool json;
};

static int parse_opts(const char *cmd, const char *help, int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
	    {"json", no_argument, NULL, 'j'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int c;

	opterr = 0;
	optind = 1;
	/* "+": stop at the first operand, so "-0x1" style junk is an operand error. */
	while ((c = cs_getopt(argc, argv, "+:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			o->json = true;
			break;
		case 'h':
			fputs(help, stdout);
			return -1;
		default:
			return cs_bad_option(cmd, c, optopt, argv, optind, longopts);
		}
	}
	if (optind >= argc)
		return cs_usage_err(cmd, "nothing to %s", cmd);
	return 0;
}

/* The list every --json output of these two commands is wrapped in. */
static void json_open(struct cs_json *j, const char *key)
{
	cs_json_init(j, stdout, true);
	cs_json_obj_begin(j);
	cs_json_key(j, key);
	cs_json_arr_begin(j);
}

static int json_close(struct cs_json *j)
{
	cs_json_arr_end(j);
	cs_json_obj_end(j);
	return cs_json_finish(j);
}

/* One line naming the argument and what is wrong with it; CS_EXIT_ERROR. */
static int arg_error(const char *cmd, const char *arg, const struct cs_diag *d)
{
	size_t len = strlen(arg), n = cs_text_cut(arg, len, 60);
	char what[80];

	/* A cut argument says so: the column may lie past what is shown. */
	cs_format_cut(what, sizeof(what), "'%.*s%s'", (int)n, arg, n < len ? "..." : "");
	return cs_diag_err(cmd, what, d);
}

int cmd_decode(int argc, char **argv)
{
	struct opts o = {0};
	struct cs_json j;
	int rc = parse_opts("decode", decode_help, argc, argv, &o), status = 0;

	if (rc)
		return rc < 0 ? cs_finish_stdout("decode", 0) : rc;
	if (o.json)
		json_open(&j, "masks");
	for (int i = optind; i < argc; i++) {
		struct cs_diag d = {0};
		cs_mask_t m;
		/* 64 names of at most 23 characters and their commas always fit. */
		char names[64 * 24 + 1];

		if (cs_mask_parse_hex(argv[i], strlen(argv[i]), &m, &d) < 0) {
			status = arg_error("decode", argv[i], &d);
			continue;
		}
		if (o.json) {
			cs_json_mask(&j, m);
			continue;
		}
		cs_mask_format_names(m, CS_NAMES_CAPSH, names, sizeof(names));
		printf("0x%016" PRIx64 "=%s\n", m, names);
	}
	return cs_finish_stdout_err("decode", status, o.json ? json_close(&j) : 0);
}

int cmd_encode(int argc, char **argv)
{
	struct opts o = {0};
	struct cs_json j;
	int rc = parse_opts("encode", encode_help, argc, argv, &o), status = 0;

	if (rc)
		return rc < 0 ? cs_finish_stdout("encode", 0) : rc;
	if (o.json)
		json_open(&j, "results");
	for (int i = optind; i < argc; i++) {
		struct cs_diag d = {0};
		struct cs_encoded e;

		if (cs_encode_arg(argv[i], &e, &d) < 0)
			status = arg_error("encode", argv[i], &d);
		else if (o.json)
			cs_encoded_json(&j, argv[i], &e);
		else if (e.is_text)
			printf("inheritable=0x%016" PRIx64 " permitted=0x%016" PRIx64
			       " effective=0x%016" PRIx64 "\n",
			       e.iep.inh, e.iep.prm, e.iep.eff);
		else
			printf("0x%016" PRIx64 "\n", e.mask);
	}
	return cs_finish_stdout_err("encode", status, o.json ? json_close(&j) : 0);
}

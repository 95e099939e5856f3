/* SPDX-License-Identifier: MIT */
/*
 * capscope explain SUBJECT: one dispatcher, one file per subject
 * (cmd-explain-oci.c, cmd-explain-pod.c …), and the printing helpers they
 * share so every explanation reads the same.
 */
#ifndef CAPSCOPE_CLI_EXPLAIN_H
#define CAPSCOPE_CLI_EXPLAIN_H

#include <stdio.h>

#include "capscope/json.h"
#include "capscope/kernel.h"
#include "capscope/steps.h"
#include "output.h"

/* Subjects: add a prototype here and one line in cmd-explain.c's table. */
int cmd_explain_oci(int argc, char **argv);
int cmd_explain_pod(int argc, char **argv);

/* A set for a table cell: "-" when empty, names when a few, else "N caps". */
const char *cs_explain_set_cell(cs_mask_t m, char *buf, size_t len);
/* One stage of the flow table: stage, uid, then bounding, permitted, effective,
 * inheritable, ambient ("(absent)" for a set not given) and no_new_privs. */
void cs_explain_flow_row(struct cs_table *t, const char *stage, const char *uid,
			 const struct cs_quintet *q, bool nnp);
/* The numbered steps, "  N. [layer] rule: detail". */
void cs_explain_print_steps(FILE *f, const struct cs_steps *st);
/* "steps": [{"layer", "rule", "detail"}] (the key is written by the caller). */
void cs_explain_json_steps(struct cs_json *j, const struct cs_steps *st);
/* "exec": {"ok", "error", "path"} value. */
void cs_explain_json_exec(struct cs_json *j, const struct cs_exec_result *r);
/* "process": {"uids", "gids", "no_new_privs", "caps"} value. */
void cs_explain_json_cred(struct cs_json *j, const struct cs_cred *c);
/*
 * Why cap does or does not end effective, one sentence, from the requested
 * OCI sets, the credentials before execve and after, the file and the steps.
 * Returns true when it ends effective.
 */
bool cs_explain_cap_verdict(int cap, const struct cs_quintet *requested,
			    const struct cs_cred *pre, const struct cs_cred *post,
			    const struct cs_exec_file *f, const struct cs_exec_result *res,
			    const struct cs_steps *st, char *buf, size_t len);

#endif

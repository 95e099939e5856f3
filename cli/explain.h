/* SPDX-License-Identifier: MIT */
/*
 * capscope explain SUBJECT: one dispatcher, one file per subject
 * (cmd-explain-oci.c, cmd-explain-pod.c …), and the printing helpers they
 * share so every explanation reads the same. The model and the JSON are the
 * library's (capscope/explain.h); this is text rendering only.
 */
#ifndef CAPSCOPE_CLI_EXPLAIN_H
#define CAPSCOPE_CLI_EXPLAIN_H

#include <stdio.h>

#include "capscope/cri.h"
#include "capscope/explain.h"
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
/* The numbered steps, "  N. [layer] rule: detail", from number first. */
void cs_explain_print_steps_from(FILE *f, const struct cs_steps *st, size_t first);
void cs_explain_print_steps(FILE *f, const struct cs_steps *st);
/*
 * Text from a manifest, bundle or image, escaped for the terminal
 * (cs_escape_dup); valid until 16 more calls, "?" when out of memory.
 */
const char *cs_esc(const char *s);
/* cs_esc for a cell with a column after it (cs_escape_cell_dup). */
const char *cs_esc_cell(const char *s);
/* Text already escaped (s, on the heap, owned from now on) kept as cs_esc keeps its own. */
const char *cs_esc_own(char *s);
/* Free what cs_esc still holds (at the end of a command). */
void cs_esc_release(void);

/*
 * --docker-config and --containerd-config (NULL: not given) read into dk
 * and cd and hung on t. 0, or the exit status after the message.
 */
int cs_explain_daemon_configs(const char *cmd, struct cs_cri_target *t, struct cs_docker_config *dk,
			      const char *docker_cfg, struct cs_containerd_config *cd,
			      const char *containerd_cfg);

#endif

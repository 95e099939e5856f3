/* SPDX-License-Identifier: MIT */
/*
 * capscope lint: rules for Kubernetes manifests in CI. Every rule reads the
 * result of the model (cs_pod_explain: the verdict per requested capability,
 * the OCI process the runtime builds, the credentials after execve, SCC
 * admission and Pod Security), never the text of add: and drop: alone, so
 * `drop: [ALL]` spelled `all`, a capability that a non-root process loses at
 * execve, or a runtime default that stays because nothing was dropped are
 * judged as a node would judge them.
 *
 * The rules are a table (stable ids, default levels, SARIF metadata and the
 * help page); findings own their strings; a report is sorted so that the
 * same input gives byte-identical output.
 */
#ifndef CAPSCOPE_LINT_H
#define CAPSCOPE_LINT_H

#include <stdint.h>
#include <stdio.h>

#include "diag.h"
#include "explain.h"
#include "json.h"
#include "k8s.h"
#include "psa.h"
#include "scc-load.h"

/* Ordered: a level is "at or above" another by comparing the numbers. */
enum cs_lint_level { CS_LINT_OFF = 0, CS_LINT_NOTE, CS_LINT_WARNING, CS_LINT_ERROR };

/* "off", "note", "warning", "error" (SARIF's words). */
CS_EXPORT const char *cs_lint_level_name(enum cs_lint_level l);
/* -EINVAL for anything else. */
CS_EXPORT int cs_lint_level_parse(const char *s, enum cs_lint_level *out);

enum cs_lint_rule_id {
	CS_LINT_CAP_NOT_EFFECTIVE = 0,
	CS_LINT_DANGEROUS_CAP,
	CS_LINT_MISSING_DROP_ALL,
	CS_LINT_PRIVILEGED,
	CS_LINT_ESCALATION_ENTRYPOINT,
	CS_LINT_SCC_NOT_ADMITTED,
	CS_LINT_PSA_LEVEL,
	CS_LINT_CAP_SPELLING,
	CS_LINT_NRULES
};

struct cs_lint_rule {
	const char *id;	  /* "cap-not-effective" (stable; used in config and annotations) */
	const char *code; /* "CS001" (stable, also accepted where an id is) */
	const char *name; /* "CapabilityNotEffective" (SARIF rule name) */
	enum cs_lint_level level;
	const char *security_severity; /* "8.0": GitHub's 0.0-10.0 scale, as a string */
	const char *short_desc, *full_desc;
	const char *fix; /* one line: what to change */
};

/* The rule table, indexed by enum cs_lint_rule_id. */
CS_EXPORT const struct cs_lint_rule *cs_lint_rule(enum cs_lint_rule_id id);
/* By id or code, case-sensitive; -1 when unknown. */
CS_EXPORT int cs_lint_rule_find(const char *id_or_code);
/* https://…/docs/lint.md#ID, stable for a release. */
CS_EXPORT const char *cs_lint_help_uri(enum cs_lint_rule_id id, char *buf, size_t len);

/*
 * A dangerous capability and why, as data: what a process holding it can do
 * to the node. NULL when cap is not in the table.
 */
struct cs_lint_danger {
	int cap;
	const char *why;
	const char *severity; /* security-severity of a finding about it */
};
CS_EXPORT const struct cs_lint_danger *cs_lint_danger(int cap);

/* Per-rule levels: the default, or what a config file or option set. */
struct cs_lint_config {
	enum cs_lint_level level[CS_LINT_NRULES];
};

CS_EXPORT void cs_lint_config_init(struct cs_lint_config *c);
/*
 * The config file: YAML (or JSON) with one mapping
 *   rules:
 *     cap-spelling: off        # off | note | warning | error
 *     CS002: error
 * Unknown keys, rules or levels are errors (a typo must not silently keep a
 * rule on). -EINVAL with d (line, column, field) filled.
 */
CS_EXPORT int cs_lint_config_parse(struct cs_lint_config *c, const char *buf, size_t len,
				   const char *name, struct cs_diag *d);
CS_EXPORT int cs_lint_config_load(struct cs_lint_config *c, const char *path, struct cs_diag *d);

struct cs_lint_finding {
	enum cs_lint_rule_id rule;
	enum cs_lint_level level; /* after the config */
	char *file;		  /* as named ("-" for stdin) */
	unsigned line, column;	  /* 1-based, 0 when unknown */
	char *kind, *namespace, *name;
	char *container;  /* NULL for a pod-level finding */
	char *capability; /* canonical name ("NET_BIND_SERVICE"), or NULL */
	/* One line, raw (escape it for a terminal); NULL when parts hold it. */
	char *message;
	/* The message as n_parts pieces written one after the other, when it
	 * is too large to hold twice: a refused pod's SCC finding repeats
	 * every SCC's refusal of every container, and its pieces are the
	 * refusals themselves. Read any message through cs_lint_message_each
	 * or cs_lint_message_dup. */
	char **parts;
	size_t n_parts;
	char fingerprint[17]; /* hex; rule + kind/namespace/name + container + capability */
};

/* Call put on each piece of f's message in order (the whole message when
 * it is one string); stops at put's first non-zero return and returns it. */
CS_EXPORT int cs_lint_message_each(const struct cs_lint_finding *f,
				   int (*put)(const char *piece, void *data), void *data);
/* f's message joined, malloc'd; NULL on ENOMEM. */
CS_EXPORT char *cs_lint_message_dup(const struct cs_lint_finding *f);

struct cs_lint_report {
	struct cs_lint_finding *v;
	size_t n, cap;
	size_t n_files, n_objects, n_suppressed;
	size_t n_other_files; /* YAML in a walked tree that is not Kubernetes (no kind) */
	size_t n_same_files;  /* files reached again (another name, or named again), read once */
	void *seen;	      /* internal: the files read, by device and inode (freed with r) */
	/* Keys read as absent (cs_lint_opts.validate CS_K8S_VALIDATE_WARN):
	 * the first CS_K8S_UNKNOWN_KEPT of all files, and how many in all. */
	struct cs_lint_unknown {
		char *file, *field;
		const char *object, *api; /* static text (cs_k8s_unknown_field) */
		unsigned line, column;
	} * unknown;
	size_t n_unknown, n_unknown_total;
	/* Bit i: cs_lint_opts.uses[i] names an SCC of a linted file (the
	 * caller then knows each --use name against every file's SCCs). */
	uint64_t uses_in_files;
};

CS_EXPORT void cs_lint_report_free(struct cs_lint_report *r);
/* By file, line, column, rule, container, capability, message. */
CS_EXPORT void cs_lint_report_sort(struct cs_lint_report *r);
/* The highest level of any finding (CS_LINT_OFF when there is none). */
CS_EXPORT enum cs_lint_level cs_lint_report_max(const struct cs_lint_report *r);

struct cs_lint_opts {
	/* How to run the model (runtime, SCCs, image…); on_container must be NULL. */
	struct cs_pod_explain_opts explain;
	/* SCC set the SCCs of each manifest join (NULL: SCCs are those given). */
	const struct cs_scc_set *scc_set;
	bool psa_set; /* --psa-level */
	enum cs_psa_level psa_level;
	const struct cs_lint_config *config; /* NULL: defaults */
	/* a key that is not a field in Kubernetes 1.32: refused (strict, 0) or
	 * read as absent and listed in the report's unknown (warn) */
	enum cs_k8s_validate validate;
	/* The names granted by --use (at most 64): each one an SCC of a
	 * linted file sets its bit in the report's uses_in_files. */
	const char *const *uses;
	size_t n_uses;
};

/* Lint one pod (object) of a manifest, appending to r. 0 or -ENOMEM. */
CS_EXPORT int cs_lint_pod(const struct cs_k8s_pod *pod, const struct cs_lint_opts *o,
			  struct cs_lint_report *r, struct cs_diag *d);

/* Parse text as one manifest file named name and lint every object in it. */
CS_EXPORT int cs_lint_buffer(const char *buf, size_t len, const char *name,
			     const struct cs_lint_opts *o, struct cs_lint_report *r,
			     struct cs_diag *d);

/*
 * A file, or a directory walked in name order: *.yaml, *.yml and *.json,
 * at most 64 levels deep. A symbolic link below path named so is read when
 * its target stays below path (an error otherwise: never followed out); a
 * file reached by two names, in one call or across calls on one report (`lint
 * DIR DIR/x.yaml`), is read once (n_same_files counts the others). Input
 * errors (unreadable, not YAML, larger than 16 MiB) stop with d filled; in
 * a walked tree, a file with a document without kind is not Kubernetes and
 * is counted in n_other_files instead.
 */
CS_EXPORT int cs_lint_path(const char *path, const struct cs_lint_opts *o, struct cs_lint_report *r,
			   struct cs_diag *d);

/* Aligned rows (location, level, rule, object, message; untrusted text
 * escaped) and a summary line. 0, -ENOMEM or -EIO. */
CS_EXPORT int cs_lint_text(FILE *f, const struct cs_lint_report *r);

/* {"findings": […], "summary": {…}} */
CS_EXPORT void cs_lint_json(struct cs_json *j, const struct cs_lint_report *r);

enum cs_lint_format { CS_LINT_TEXT, CS_LINT_JSON, CS_LINT_SARIF };
/* One of the three writers below (tool_version for SARIF). 0 or -errno. */
CS_EXPORT int cs_lint_write(FILE *f, const struct cs_lint_report *r, enum cs_lint_format fmt,
			    const char *tool_version);

/*
 * SARIF 2.1.0 for GitHub code scanning: one run, every rule's metadata,
 * results with a region and partialFingerprints. Paths become relative URIs
 * (against the current directory when absolute). 0 or the write error.
 */
CS_EXPORT int cs_lint_sarif(FILE *f, const struct cs_lint_report *r, const char *tool_version);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * scan --diff: the privilege difference between two trees or images (or one
 * of each). Files that gained or lost set-uid, set-gid or file capabilities,
 * capabilities whose decoded sets changed, a changed v3 rootid, the owner of
 * a set-id file, and the image entrypoint's predicted credentials before and
 * after. The check that catches a rebuilt base image that lost its `setcap`
 * (openshift/builder#256, kaniko#2082).
 *
 * Paths are compared inside each side ("/usr/bin/ping"), in the final view
 * of an image (whiteouts applied), never by archive order or layer: the same
 * image re-packed in another order has no difference.
 */
#ifndef CAPSCOPE_SCAN_DIFF_H
#define CAPSCOPE_SCAN_DIFF_H

#include <stdio.h>

#include "json.h"
#include "kernel.h"
#include "scan.h"

/* What changed about one path. */
enum {
	CS_DIFF_SETUID = 1u << 0, /* the set-uid bit came or went */
	CS_DIFF_SETGID = 1u << 1, /* the set-gid bit came or went */
	CS_DIFF_FCAPS = 1u << 2,  /* file caps came, went, or their decoded sets changed */
	CS_DIFF_ROOTID = 1u << 3, /* the v3 rootid (a v2 value counts as rootid 0) */
	CS_DIFF_OWNER = 1u << 4,  /* the owner or group of a file set-id on both sides */
};

/* "setuid", "setgid", "file_caps", "rootid", "owner" (stable, for JSON). */
CS_EXPORT const char *cs_diff_what_name(unsigned bit);

/* One side of a path. */
struct cs_diff_side {
	bool exists;	 /* something is at the path */
	bool privileged; /* a finding of that side's scan */
	uint32_t mode, uid, gid;
	bool has_fcaps, fcaps_invalid;
	struct cs_fcaps fcaps;
	int layer; /* image layer that wrote it, -1 for a tree or unknown */
};

struct cs_diff_file {
	/* Its path: cs_diff_file_path(). A tree's finding's is not copied
	 * (struct cs_finding): path NULL, the finding named instead. */
	char *path;
	const struct cs_scan_result *from; /* the side whose finding names it */
	size_t finding;
	unsigned what; /* CS_DIFF_* bits, never 0 */
	struct cs_diff_side old, new;
	cs_mask_t caps_gained, caps_lost; /* in permitted ∪ inheritable */
};

/* The file's path (in a buffer of its side's result when a tree's), or NULL out of memory. */
CS_EXPORT const char *cs_diff_file_path(const struct cs_diff_file *f);

/* "gained" (only new privileged), "lost" (only old), "changed" (both). */
CS_EXPORT const char *cs_diff_file_change(const struct cs_diff_file *f);

/* The entrypoint of one side, predicted as explain pod predicts a container
 * that sets no securityContext (CRI-O's defaults, plain Kubernetes). */
struct cs_diff_entry {
	bool known;	     /* an image with a config: a prediction was made */
	char *note;	     /* why not known, or why the process does not start */
	char *path;	     /* the file execve runs, or NULL */
	char *user;	     /* the config's User, NULL when unset */
	bool exec_ok;	     /* the process starts */
	char *error;	     /* when !exec_ok: EPERM, ENOENT, CreateContainerConfigError… */
	struct cs_cred post; /* when exec_ok: the credentials after execve */
};

struct cs_scan_diff {
	struct cs_scan_target old, new; /* both scans: findings, errors, image config */
	struct cs_diff_file *files;	/* sorted by path */
	size_t nfiles;
	struct cs_diff_entry ep_old, ep_new;
	bool ep_compared; /* both sides known: ep_differs means something */
	bool ep_differs;  /* start/not start, uids, gids, groups, five sets, securebits, nnp */
	/* internal: the images kept open for lookups, the trees' root descriptors */
	struct cs_image *im[2];
	int rootfd[2];
};

/*
 * Scan old and new (each a tree, or an image as cs_scan_is_image decides)
 * and compare them. 0 when both were read (entries that could not be read
 * are in old.r.errors / new.r.errors), -errno when one of them could not be
 * (df->old.rc / df->new.rc and their diag say which and why). Free with
 * cs_scan_diff_free in every case.
 */
CS_EXPORT int cs_scan_diff(const char *old, const char *new, const struct cs_scan_opts *o,
			   struct cs_scan_diff *df);

/* Any privilege difference: a file listed, or the entrypoint's credentials. */
CS_EXPORT bool cs_scan_diff_found(const struct cs_scan_diff *df);

CS_EXPORT void cs_scan_diff_free(struct cs_scan_diff *df);

/* docs/scan.md "Diff": {"old", "new", "files", "entrypoint", "summary"}. */
CS_EXPORT void cs_scan_diff_write_json(struct cs_json *j, const struct cs_scan_diff *df);

/* The text report, every name from the data escaped (escape.h). -errno on a write error. */
CS_EXPORT int cs_scan_diff_write_text(const struct cs_scan_diff *df, FILE *f);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * scan: every file that gains privilege on execve (file capabilities, set-uid,
 * set-gid) in a directory tree or in a container image read as a stream.
 */
#ifndef CAPSCOPE_SCAN_H
#define CAPSCOPE_SCAN_H

#include <stdint.h>

#include "caps.h"
#include "diag.h"
#include "fcaps.h"

enum cs_risk {
	CS_RISK_INFO = 0,
	CS_RISK_LOW,
	CS_RISK_MEDIUM,
	CS_RISK_HIGH,
	CS_RISK_CRITICAL,
};

CS_EXPORT const char *cs_risk_name(enum cs_risk r);
/* "info", "low", "medium", "high", "critical" (any case) → level, or -EINVAL. */
CS_EXPORT int cs_risk_parse(const char *s);

/* One privileged file. */
struct cs_finding {
	char *path;    /* absolute (image) or as reached from the scanned root (tree) */
	uint32_t uid, gid;
	uint32_t mode; /* st_mode: type and permission bits */
	bool has_fcaps;      /* a security.capability xattr is present */
	bool fcaps_invalid;  /* present but not decodable (the kernel refuses it too) */
	struct cs_fcaps fcaps;
	bool inert;      /* on a nosuid mount: the kernel ignores its set-id bits and caps */
	bool entrypoint; /* the image's entrypoint (after PATH lookup and symlinks) */
	int layer;       /* image layer that added it (0 = first), -1 for a tree */
	enum cs_risk risk;
	char reason[160]; /* why this risk level */
};

/* Something that could not be read; the scan goes on past it. */
struct cs_scan_error {
	char *path;
	int err; /* errno value */
	char *message;
};

struct cs_scan_result {
	struct cs_finding *findings;
	size_t nfindings, capfindings;
	struct cs_scan_error *errors;
	size_t nerrors, caperrors;
	uint64_t files, dirs; /* regular files and directories looked at */
	/* Images only (NULL for trees). */
	char *image_kind;      /* "docker-archive", "oci-layout", "oci-archive", "layer" */
	char *image_user;      /* config User ("" when unset) */
	char **entrypoint;     /* NULL-terminated, may be NULL */
	char **cmd;            /* NULL-terminated, may be NULL */
	char *entrypoint_path; /* resolved absolute path inside the image, or NULL */
	unsigned nlayers;
};

typedef void (*cs_scan_progress_fn)(void *arg, uint64_t files, uint64_t dirs);

struct cs_scan_opts {
	bool one_filesystem; /* -x: do not descend into directories on other devices */
	unsigned threads;    /* tree walker threads; 0 = 2 */
	/* Images: decompression bounds (0 = defaults below). */
	uint64_t max_bytes; /* total uncompressed bytes over all layers */
	uint64_t max_ratio; /* uncompressed / compressed, checked past 1 MiB */
	cs_scan_progress_fn progress; /* called from worker threads, about every 4096 files */
	void *progress_arg;
};

#define CS_SCAN_DEFAULT_MAX_BYTES (64ULL << 30)
#define CS_SCAN_DEFAULT_MAX_RATIO 1000ULL

/*
 * Walk a tree without following symlinks. Returns 0, or -errno when the root
 * itself cannot be opened (then d says why); everything below the root that
 * cannot be read is recorded in r->errors. Findings are sorted by path.
 */
CS_EXPORT int cs_scan_tree(const char *root, const struct cs_scan_opts *o,
			   struct cs_scan_result *r, struct cs_diag *d);

/*
 * Read a container image (docker-archive, OCI layout directory, OCI archive)
 * or a single layer tar as streams and report the final view's findings,
 * sorted by path. -errno with d filled on a malformed or hostile image.
 */
CS_EXPORT int cs_scan_image(const char *path, const struct cs_scan_opts *o,
			    struct cs_scan_result *r, struct cs_diag *d);

/* Read bytes as one layer tar (the fuzz entry point). */
CS_EXPORT int cs_scan_layer_buffer(const void *buf, size_t len, const struct cs_scan_opts *o,
				   struct cs_scan_result *r, struct cs_diag *d);

/* Fill f->risk and f->reason from the table in docs/scan.md. */
CS_EXPORT void cs_risk_assess(struct cs_finding *f);

/* Sort findings by risk (highest first), then path. */
CS_EXPORT void cs_scan_sort_by_risk(struct cs_scan_result *r);

CS_EXPORT void cs_scan_result_free(struct cs_scan_result *r);

/* Internal helpers shared by the walker and the image reader. */
int cs_scan_add_finding(struct cs_scan_result *r, const struct cs_finding *f);
int cs_scan_add_error(struct cs_scan_result *r, const char *path, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void cs_scan_sort_by_path(struct cs_scan_result *r);

#endif

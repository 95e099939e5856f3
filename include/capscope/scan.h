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
#include "image.h"
#include "kernel.h"

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

/*
 * One privileged file. Its path: cs_finding_path(). An image's findings
 * hold it (path); a tree's hold their name and directory only (path NULL),
 * the result holding each directory once (struct cs_scan_dir): a planted
 * chain of d levels with a set-uid file at each has paths of d^2/2 bytes
 * (400 MB at 20,000 levels), which were all held until the end.
 */
struct cs_finding {
	char *path;	/* absolute (image), or NULL (tree: dir and name) */
	uint32_t dir;	/* tree: its directory in cs_scan_result.tdirs */
	char *name;	/* tree: its name there */
	uint64_t order; /* tree: its place in path order (cs_scan_sort_by_path) */
	uint32_t uid, gid;
	uint32_t mode;	    /* st_mode: type and permission bits */
	bool has_fcaps;	    /* a security.capability xattr is present */
	bool fcaps_invalid; /* present but not decodable (the kernel refuses it too) */
	struct cs_fcaps fcaps;
	bool inert;	 /* on a nosuid mount: the kernel ignores its set-id bits and caps */
	bool entrypoint; /* the image's entrypoint (after PATH lookup and symlinks) */
	int layer;	 /* image layer that added it (0 = first), -1 for a tree */
	enum cs_risk risk;
	char *reason; /* why this risk level (heap: cs_risk_assess sets it, the result frees it) */
};

/* A directory on a tree's findings' paths: its parent's index, its name. */
struct cs_scan_dir {
	uint32_t parent; /* CS_SCAN_NO_DIR for the root */
	size_t namelen;
	char *name; /* one component; for the root, the root as given */
};
#define CS_SCAN_NO_DIR UINT32_MAX

/*
 * Something that could not be read; the scan goes on past it. Its path:
 * cs_scan_error_path(). An image's errors hold it (path); a tree's hold
 * their directory and name (path NULL), as its findings do: a planted chain
 * of d levels with an error at each (a directory a non-root scan cannot
 * open, a race at each level, a FUSE or root-squashed NFS tree) held d^2/2
 * bytes of paths (121 MB at 10,000 levels).
 */
struct cs_scan_error {
	char *path;	/* absolute (image), or NULL (tree: dir and name) */
	uint32_t dir;	/* tree: the directory in cs_scan_result.tdirs */
	char *name;	/* tree: the entry's name there; NULL: that directory itself */
	uint64_t order; /* tree: its place in path order (cs_scan_sort_by_path) */
	int err;	/* errno value */
	char *message;
};

struct cs_scan_result {
	struct cs_finding *findings;
	size_t nfindings, capfindings;
	struct cs_scan_error *errors;
	size_t nerrors, caperrors;
	uint64_t files, dirs; /* regular files and directories looked at */
	/* Tree walker only: path components it resolved (opens beneath a parent,
	 * climbs through ".."). Linear in dirs whatever the depth; tests check it. */
	uint64_t walk_steps;
	/* Tree walker only: directories opened to check that findings are still
	 * where their paths say (one per directory on the union of their paths
	 * for each batch of findings), and files looked up there. Tests check it. */
	uint64_t place_steps;
	/* Tree walker only: the directories of the findings, each once. */
	struct cs_scan_dir *tdirs;
	uint32_t ntdirs, captdirs;
	char *pathbuf; /* cs_finding_path's, for a tree's findings */
	size_t pathcap;
	/* Images only (NULL for trees). */
	char *image_kind;	       /* "docker-archive", "oci-layout", "oci-archive", "layer" */
	struct cs_image_config config; /* the image's config (image.h) */
	char *entrypoint_path;	       /* resolved absolute path inside the image, or NULL */
	unsigned nlayers;
};

typedef void (*cs_scan_progress_fn)(void *arg, uint64_t files, uint64_t dirs);

struct cs_scan_opts {
	bool one_filesystem; /* -x: do not descend into directories on other devices */
	unsigned threads;    /* tree walker threads; 0 = 2 */
	/* Tree walker: directories whose descriptor may stay open for their
	 * children (0 = from RLIMIT_NOFILE, at most 1024); past it the oldest
	 * is closed and reopened when needed. */
	unsigned max_open_dirs;
	/* Images: decompression bounds (0 = defaults below). */
	uint64_t max_bytes;	      /* total uncompressed bytes over all layers */
	uint64_t max_ratio;	      /* uncompressed / compressed, checked past 1 MiB */
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
CS_EXPORT int cs_scan_tree(const char *root, const struct cs_scan_opts *o, struct cs_scan_result *r,
			   struct cs_diag *d);

/*
 * Read a container image (docker-archive, OCI layout directory, OCI archive)
 * or a single layer tar as streams and report the final view's findings,
 * sorted by path. -errno with d filled on a malformed or hostile image.
 */
CS_EXPORT int cs_scan_image(const char *path, const struct cs_scan_opts *o,
			    struct cs_scan_result *r, struct cs_diag *d);

/*
 * Fill f->risk and f->reason from the table in docs/scan.md. -ENOMEM when a
 * reason could not be allocated: then f->risk and f->reason are not the
 * file's (free f->reason all the same) and the finding must not be reported.
 */
CS_EXPORT int cs_risk_assess(struct cs_finding *f);

/*
 * The finding's path: f->path, or (a tree's) spelled from its directories
 * into a buffer of r's, valid until the next call for r. NULL when out of
 * memory.
 */
CS_EXPORT const char *cs_finding_path(const struct cs_scan_result *r, const struct cs_finding *f);
/* The error's path, as cs_finding_path spells a finding's (same buffer). */
CS_EXPORT const char *cs_scan_error_path(const struct cs_scan_result *r,
					 const struct cs_scan_error *e);

/* Sort findings by risk (highest first), then path. */
CS_EXPORT void cs_scan_sort_by_risk(struct cs_scan_result *r);

CS_EXPORT void cs_scan_result_free(struct cs_scan_result *r);

/*
 * An image opened for lookups: its final view (the same one cs_scan_image
 * reports on, built from streams, nothing extracted) and its config, kept in
 * memory until cs_image_close. The content of files named passwd or group
 * (up to 1 MiB) is kept too, so a config USER name can become ids.
 */
struct cs_image;

struct cs_image_info {
	const char *kind; /* "docker-archive", "oci-layout", "oci-archive", "layer" */
	const struct cs_image_config *config; /* the image's config (image.h) */
	unsigned nlayers;
	size_t nnotes; /* entries ignored or adjusted while reading (see scan) */
};

/* One path of the final view. */
struct cs_image_stat {
	char *path; /* the path reached, symlinks resolved inside the image (heap) */
	uint32_t mode, uid, gid;
	bool has_fcaps, fcaps_invalid;
	struct cs_fcaps fcaps;
	int layer;	  /* layer that wrote it, -1 when only implied by a child */
	const char *link; /* a symlink's target (follow = false), else NULL */
	/* An executable's first bytes when they start with "#!" (images opened
	 * with cs_image_open), else NULL; owned by the image, like link. */
	const char *head;
	size_t headlen;
	bool unknown_format; /* an executable neither ELF nor "#!" (cs_image_open) */
};

CS_EXPORT int cs_image_open(const char *path, const struct cs_scan_opts *o, struct cs_image **out,
			    struct cs_diag *d);
CS_EXPORT const struct cs_image_info *cs_image_get_info(const struct cs_image *im);
/*
 * Look a path up in the final view. Symlinks are followed inside the image
 * only (absolute targets start at the image root, ".." stops at it, at most
 * 40 hops); with follow false the last component is not followed. 0, or
 * -ENOENT, -ENOTDIR, -ELOOP, -ENAMETOOLONG, -ENOMEM; -E2BIG when lookups in
 * this image have cost more than it allows (symlinked directories walked
 * again and again: cs_image_lookup_bound says it), which is no answer about
 * the path. st is overwritten (not freed first); after a 0 the caller frees
 * it with cs_image_stat_clear().
 */
CS_EXPORT int cs_image_lookup(const struct cs_image *im, const char *path, bool follow,
			      struct cs_image_stat *st);
CS_EXPORT void cs_image_stat_clear(struct cs_image_stat *st);
/*
 * 0 while the lookups made in the image are within its bound (16 Mi steps,
 * 8192 an entry and 16 a name's byte read, 16 a byte of every path looked
 * up since); else -E2BIG with d saying so. Every lookup function here
 * returns -E2BIG once it is over: the caller refuses the image.
 */
CS_EXPORT int cs_image_lookup_bound(const struct cs_image *im, struct cs_diag *d);
/* The kept content of a passwd or group file (path followed inside the image). */
CS_EXPORT int cs_image_read_small(const struct cs_image *im, const char *path, const char **data,
				  size_t *len);
CS_EXPORT void cs_image_close(struct cs_image *im);
/*
 * What cs_scan_image reports, from an image already open (its view is not
 * read again): findings sorted by path, kind, layers, entrypoint path and the
 * reading notes as errors. r->config stays empty: the config is the image's
 * (cs_image_get_info).
 */
CS_EXPORT int cs_image_findings(const struct cs_image *im, struct cs_scan_result *r);

/*
 * cs_exec_file_resolve inside an image instead of a rootfs directory: the
 * same lookup (runc 1.1: Go's exec.LookPath through path_env, then execve
 * follows the final symlink) on the final view. f->path is the candidate as
 * named; mode, owner and file capabilities are the resolved file's. A missing
 * file gives f->error = ENOENT, a symlink loop ELOOP; the host is never read.
 * "#!" scripts are followed as cs_exec_file_resolve follows them (cwd: the
 * working directory, for a relative interpreter).
 * Returns 0, -ENOMEM, or -E2BIG (cs_image_lookup_bound). The caller frees f
 * with cs_exec_file_clear().
 */
CS_EXPORT int cs_image_exec_resolve(const struct cs_image *im, const char *cwd, const char *arg0,
				    const char *path_env, struct cs_exec_file *f);

/* One target of a scan, as `capscope scan` (or a daemon) reports it. */
struct cs_scan_target {
	const char *name; /* as given: a directory, a file, an image */
	bool image;	  /* read as an image (cs_scan_is_image) rather than walked */
	int rc;		  /* 0, or the scan's -errno with diag filled */
	struct cs_diag diag;
	struct cs_scan_result r;
};

/*
 * True when path is read as an image: an archive (tar, gzip, zstd, xz, bzip2
 * magic), a file without any execute or set-id bit, or a directory holding
 * an OCI layout. An executable that is not an archive is checked as itself.
 */
CS_EXPORT bool cs_scan_is_image(const char *path);

/* Scan t->name as an image when t->image (set it with cs_scan_is_image), else as a
 * tree, into t->r; t->rc and t->diag say how it ended. Returns t->rc. */
CS_EXPORT int cs_scan_target_run(struct cs_scan_target *t, const struct cs_scan_opts *o);

/* getcap's text of the finding's capabilities with "v2" or "v3 rootid=N"; "" without. */
CS_EXPORT char *cs_finding_caps_text(const struct cs_finding *f);

struct cs_json;
/* The documents of docs/scan.md ("Output"): JSON {findings, summary} and SARIF 2.1.0. */
CS_EXPORT void cs_scan_write_json(struct cs_json *j, const struct cs_scan_target *t, size_t n);
CS_EXPORT void cs_scan_write_sarif(struct cs_json *j, const struct cs_scan_target *t, size_t n);

/* Internal helpers shared by the walker and the image reader. */
int cs_scan_add_finding(struct cs_scan_result *r, const struct cs_finding *f);
int cs_scan_add_error(struct cs_scan_result *r, const char *path, int err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A tree's error: entry name (NULL: the directory itself) in directory dir of r->tdirs. */
int cs_scan_add_tree_error(struct cs_scan_result *r, uint32_t dir, const char *name, int err,
			   const char *message);
void cs_scan_sort_by_path(struct cs_scan_result *r);
/* A tree's findings' and errors' order fields set to their paths' order (tree-order.c);
 * 0 or -errno. */
int cs_scan_tree_order(struct cs_scan_result *r);
/* "uid", "gid", "mode", "setuid", "setgid" keys of a finding (report.c; the diff's sides too). */
void cs_scan_json_owner_mode(struct cs_json *j, uint32_t uid, uint32_t gid, uint32_t mode);
/* The "file_caps" JSON value of a finding (report.c; the diff writes it too). */
void cs_scan_json_file_caps(struct cs_json *j, bool has, bool invalid, const struct cs_fcaps *fc);

#endif

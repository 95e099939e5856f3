/* SPDX-License-Identifier: MIT */
/* Reading a process's credentials from /proc/PID/status and friends. */
#ifndef CAPSCOPE_PROC_H
#define CAPSCOPE_PROC_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "caps.h"
#include "diag.h"

struct cs_ids;

/* Bits of cs_proc_status.have: which lines were found. */
enum {
	CS_HAVE_NAME = 1u << 0,
	CS_HAVE_UID = 1u << 1,
	CS_HAVE_GID = 1u << 2,
	CS_HAVE_CAPS = 1u << 3, /* all five Cap* lines */
	CS_HAVE_NNP = 1u << 4,
	CS_HAVE_SECCOMP = 1u << 5,
	CS_HAVE_GROUPS = 1u << 6,
	CS_HAVE_PIDS = 1u << 7,
};

#define CS_MAX_GROUPS 65536

struct cs_proc_status {
	char name[64]; /* the kernel escapes '\n' and '\\' in Name:, kept as written */
	pid_t pid, tgid, ppid;
	uid_t uid[4]; /* real, effective, saved, fs */
	gid_t gid[4];
	gid_t *groups; /* supplementary groups, owned; cs_proc_status_free */
	size_t ngroups;
	struct cs_quintet caps;
	int no_new_privs;    /* -1 when the kernel does not say */
	int seccomp;	     /* 0 disabled, 1 strict, 2 filter, -1 unknown */
	int seccomp_filters; /* -1 unknown */
	int threads;	     /* Threads: of the thread group, 0 unknown */
	int kthread;	     /* Kthread: (Linux 6.x), -1 when the kernel does not say */
	unsigned have;
};

/* Seccomp mode as text: "disabled", "strict", "filter", "unknown". */
CS_EXPORT const char *cs_seccomp_name(int mode);

/*
 * Parse the text of a status file. Only lines that begin "Key:\t" are read, so
 * a process name with embedded text cannot pose as another field. Missing
 * Cap* lines make it an error (-EPROTO, with the field named); other missing
 * fields are marked absent in `have`.
 */
CS_EXPORT int cs_proc_status_parse(const char *buf, size_t len, struct cs_proc_status *st,
				   struct cs_diag *d);

/*
 * Read /proc/PID/status (tid 0) or /proc/PID/task/TID/status. -ENOENT/-ESRCH
 * when the process has gone.
 */
CS_EXPORT int cs_proc_status_read(pid_t pid, pid_t tid, struct cs_proc_status *st,
				  struct cs_diag *d);
/*
 * The same under pidfd, /proc/PID opened as a directory (O_PATH will do):
 * what is read under it is of the process it was opened for or nothing
 * (-ENOENT/-ESRCH once that process has gone), never of a later process
 * given its number. pid names the file in d.
 */
CS_EXPORT int cs_proc_status_read_at(int pidfd, pid_t pid, pid_t tid, struct cs_proc_status *st,
				     struct cs_diag *d);
CS_EXPORT void cs_proc_status_free(struct cs_proc_status *st);

/* Where a process runs: the container runtime and id, from /proc/PID/cgroup. */
enum cs_runtime_kind {
	CS_RT_NONE = 0,
	CS_RT_DOCKER,
	CS_RT_CONTAINERD,
	CS_RT_CRIO,
	CS_RT_PODMAN,
	CS_RT_KUBEPODS, /* a kubepods cgroup whose runtime we cannot tell */
	CS_RT_LXC,
};

struct cs_container {
	enum cs_runtime_kind runtime;
	/* The container id: 64 hex digits, or shorter if that is all there is;
	 * an LXC container's name, whole (a cgroup name: up to 255 bytes). */
	char id[256];
	char pod_uid[37]; /* Kubernetes pod UID with dashes, "" when not a pod */
	char qos[16];	  /* "guaranteed", "burstable", "besteffort" or "" */
	char cgroup[512]; /* the path the answer came from */
};

CS_EXPORT const char *cs_runtime_name(enum cs_runtime_kind k);

/*
 * Parse the text of /proc/PID/cgroup (v1 or v2 lines "hier:controllers:path").
 * Returns 1 when a container was recognised, 0 when not, -errno on junk.
 */
CS_EXPORT int cs_cgroup_parse(const char *buf, size_t len, struct cs_container *c);
/* Same for one cgroup path. */
CS_EXPORT int cs_cgroup_path_parse(const char *path, size_t len, struct cs_container *c);

/* Where the cgroup v2 hierarchy is mounted (/sys/fs/cgroup, …/unified on hybrid systems). */
CS_EXPORT int cs_cgroup2_root(char **out);

/* A cgroup v2 directory, as the tracer's scope wants it. */
struct cs_cgroup_target {
	char *path;	/* absolute path; heap; set also on most errors, for the message */
	uint64_t id;	/* the kernfs inode number, bpf_get_current_ancestor_cgroup_id's value */
	uint32_t level; /* depth below the root */
};

/*
 * arg absolute, or relative to the cgroup2 mount. -EMEDIUMTYPE: no cgroup2
 * mounted; -EXDEV: not a directory of that hierarchy (an empty arg names
 * none, not the root); -ENOTDIR, -ENOENT...
 */
CS_EXPORT int cs_cgroup_resolve(const char *arg, struct cs_cgroup_target *t);
CS_EXPORT void cs_cgroup_target_free(struct cs_cgroup_target *t);

/*
 * The cgroup v2 directory (heap, in *path) of the running container whose
 * id starts with prefix: the unified path of its processes cut after the
 * component that names it (its processes may be in cgroups below). Errors,
 * with d's message: -EINVAL for an empty prefix; -ESRCH when no id starts
 * with it; -ENOTUNIQ when the ids of two containers do; -EEXIST when two
 * cgroups carry the one id (a user may name a cgroup after a container);
 * -ENOMEDIUM when its unified path names no container (a runtime using the
 * v1 hierarchies alone); -EMEDIUMTYPE when no cgroup2 is mounted.
 */
CS_EXPORT int cs_container_cgroup(const char *prefix, char **path, struct cs_diag *d);

/*
 * The cgroup v2 directory a container's checks are counted by, from one of
 * its processes, pid, read from PROC/PID/cgroup (proc NULL: /proc): the
 * container's own cgroup (its unified path cut after the component naming
 * the container; the process may be in a cgroup below) when a component
 * names one, else the process's own cgroup. -ENOMEDIUM when that is the
 * root (a runtime using the v1 hierarchies alone leaves its containers in
 * "0::/", with every process outside a container); -EMEDIUMTYPE without a
 * cgroup v2 line or mount; errors of cs_cgroup_resolve.
 */
CS_EXPORT int cs_pid_cgroup(const char *proc, pid_t pid, struct cs_cgroup_target *t);
/* Its id alone (the directory's inode number, what the tracer's per-cgroup rows carry). */
CS_EXPORT int cs_pid_cgroup_id(const char *proc, pid_t pid, uint64_t *id);

/*
 * The ids of the cgroups below the directory path (not path's own), at most
 * max into ids (depth first), leaving out those in skip (nskip ids, sorted)
 * and everything below them, and what is more than 32 levels below path.
 * The count, -E2BIG when there are more (ids is full), or -errno when path
 * cannot be read.
 */
CS_EXPORT int cs_cgroup_descendant_ids(const char *path, const uint64_t *skip, size_t nskip,
				       uint64_t *ids, size_t max);

/*
 * 1 when PID runs in a user namespace other than the initial one, 0 when in
 * the initial one, -errno when it cannot be told.
 */
CS_EXPORT int cs_proc_in_child_userns(pid_t pid);
/* The same for the /proc/PID directory dir under dirfd ("" for dirfd itself). */
CS_EXPORT int cs_proc_in_child_userns_at(int dirfd, const char *dir);

/*
 * 1 when this process runs in a pid namespace other than the initial one,
 * where BPF programs name tasks by ids other than the ones /proc shows it;
 * 0 in the initial one, -errno when it cannot be told: -ENOENT also when
 * /proc is the procfs of a namespace that does not show this process
 * (/proc/self names none). Callers take an error as "not the initial one"
 * (fourteenth pass, part K: taken as the initial one, `trace -- CMD` with
 * such a /proc followed ids no task had and gave an empty profile, exit 0).
 */
CS_EXPORT int cs_proc_in_child_pidns(void);

/*
 * A snapshot of processes: what `capscope ps` shows and the node agent
 * exports. Text fields are as the kernel gave them (a process chooses its own
 * comm and argv): escape them before they reach a terminal
 * (include/capscope/escape.h).
 */
struct cs_proc_info {
	struct cs_proc_status st; /* the thread-group leader */
	char *user;		  /* name of the effective uid, or the number; heap */
	char *cmdline;		  /* argv joined with spaces, raw bytes; NULL when none */
	int userns;		  /* 1 child user namespace, 0 initial, -1 unknown */
	int securebits;		  /* -1 unknown */
	bool has_container;
	struct cs_container container;
	struct cs_proc_status *threads; /* threads whose sets, ids, NNP or seccomp differ */
	char **thread_users;		/* name of each such thread's effective uid; heap */
	size_t nthreads;
};

/* A named process that could not be read. */
struct cs_proc_missing {
	pid_t pid;
	int err; /* -ENOENT when it does not exist */
};

struct cs_proc_snapshot {
	struct cs_proc_info *procs; /* in the order asked, or by pid for every process */
	size_t n;
	struct cs_proc_missing *missing;
	size_t nmissing;
	char *securebits_why; /* heap: why securebits are unknown for others, or NULL */
};

struct cs_proc_snapshot_opts {
	const pid_t *pids; /* the processes to read; NULL: every process */
	size_t npids;
	/*
	 * Read every thread's securebits with a BPF task iterator (root, or
	 * CAP_BPF and CAP_PERFMON; about 0.1 s). Without it only the caller's
	 * own securebits are known; securebits_why says why.
	 */
	bool securebits;
	/*
	 * Leave out what a caller does not show: the command line, and the
	 * container from /proc/PID/cgroup (the node agent has joined processes
	 * to containers by their cgroup already). Each saves an open and a
	 * read per process on every scrape.
	 */
	bool skip_cmdline, skip_container;
	/* Nor the caller's own securebits (a view that does not show them). */
	bool skip_securebits;
	/* Where user names come from: NULL is NSS (cs_ids_nss); see ids.h. */
	const struct cs_ids *ids;
};

/*
 * Read the processes. A process that exits meanwhile is left out (named ones
 * land in missing[]). 0, or -errno (d says what) when /proc cannot be listed
 * or memory runs out. cs_proc_snapshot_free in every case.
 */
CS_EXPORT int cs_proc_snapshot(const struct cs_proc_snapshot_opts *o, struct cs_proc_snapshot *s,
			       struct cs_diag *d);
CS_EXPORT void cs_proc_snapshot_free(struct cs_proc_snapshot *s);

/*
 * The comm of a status file as the process set it: the kernel writes '\n'
 * and '\\' in Name: as "\\n" and "\\\\"; this undoes exactly that. out has
 * room for sizeof(st->name).
 */
CS_EXPORT void cs_proc_comm_raw(const char *name, char *out, size_t outlen);

/* The same for a /proc seq_file: a short read is taken as the end. */
CS_EXPORT int cs_read_proc_file(const char *path, size_t max, char **out, size_t *outlen);
/* ... and of the file rel under the directory dirfd. */
CS_EXPORT int cs_read_proc_file_at(int dirfd, const char *rel, size_t max, char **out,
				   size_t *outlen);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * The containers of this node, for `capscope serve`: the runtimes' OCI
 * bundles (what was asked for, and the pod the container belongs to) joined
 * to /proc and the cgroups (what is running, with which credentials).
 *
 * Where each runtime keeps its bundles (their default paths):
 *   containerd  /run/containerd/io.containerd.runtime.v2.task/<ns>/<id>/config.json
 *               (+ init.pid); Docker/moby is the namespace "moby" there, or
 *               /run/docker/containerd/daemon/io.containerd.runtime.v2.task
 *   CRI-O, Podman  .../overlay-containers/<id>/userdata/config.json (+ pidfile)
 *               under /run/containers/storage and /var/lib/containers/storage
 *   runc        /run/runc/<id>/state.json (init_process_pid, bundle=… label)
 * The pod comes from the bundle's annotations: CRI-O io.kubernetes.pod.name,
 * io.kubernetes.pod.namespace, io.kubernetes.container.name; containerd's CRI
 * io.kubernetes.cri.sandbox-name, …sandbox-namespace, …container-name, and
 * …container-type "sandbox" for the pause container.
 */
#ifndef CAPSCOPE_NODE_H
#define CAPSCOPE_NODE_H

#include <sys/types.h>
#include <time.h>

#include <stdio.h>

#include "caps.h"
#include "diag.h"
#include "kernel.h"
#include "oci.h"
#include "proc.h"
#include "trace.h"

enum cs_node_layout {
	CS_NODE_TASK,	  /* ROOT/<namespace>/<id>/config.json (containerd, moby) */
	CS_NODE_USERDATA, /* ROOT/<id>/userdata/config.json (CRI-O, Podman) */
	CS_NODE_RUNC,	  /* ROOT/<id>/state.json naming the bundle (runc) */
};

struct cs_node_root {
	enum cs_node_layout layout;
	const char *path;
};

/* The default roots above; *n is set to their number. */
CS_EXPORT const struct cs_node_root *cs_node_default_roots(size_t *n);
/* "task:PATH", "userdata:PATH" or "runc:PATH" → root (path borrowed). */
CS_EXPORT int cs_node_root_parse(const char *spec, struct cs_node_root *out);

struct cs_node_ctr {
	char *id;
	const char *runtime; /* "containerd", "docker", "cri-o", "podman", "runc", or a cgroup's */
	char *bundle;	     /* the directory of config.json, or NULL (found in /proc only) */
	char *namespace, *pod, *pod_uid, *container; /* NULL when not a Kubernetes container */
	bool sandbox;				     /* a pod's pause container */
	bool have_config;
	struct cs_oci_config cfg; /* when have_config */
	char *config_error;	  /* why config.json could not be read, or NULL */
	/* What runs: refreshed by every scan. */
	pid_t pid;	/* the container's first process, 0 when none runs */
	size_t n_procs; /* processes in its cgroup */
	bool have_status;
	struct cs_proc_status status; /* of pid */
	int userns;		      /* 1 in a child user namespace, 0 not, -1 unknown */
	size_t threads_differing;     /* its threads whose credentials differ from it */
	/* The model's prediction of the first process from the bundle (as
	 * explain oci makes it), made once per bundle. */
	bool predicted;		    /* a prediction was attempted */
	bool predict_ok;	    /* ... and the process starts */
	struct cs_cred *prediction; /* after execve, when predict_ok */
	char *predict_why;	    /* when !predict_ok: why not */
	/* With a tracer (cs_node_trace_claim): the cgroup v2 id of its first
	 * process, and since when (CLOCK_MONOTONIC seconds) its checks have
	 * been observed; 0 when not. */
	uint64_t cgroup;
	char *cgroup_path; /* its directory (heap), whose sub-cgroups it claims too */
	pid_t cgroup_pid;  /* the process cgroup was read from */
	double trace_since;
	/* private: change detection */
	struct timespec mtime;
	off_t size;
	pid_t pidfile_pid;
	struct timespec pid_written; /* when the file naming pidfile_pid was written */
	/* Within one scan, when pid is pidfile_pid in no container's cgroup:
	 * a pidfd of it (pidfd_open, -1 before Linux 5.3) and its start in
	 * clock ticks, to tell it from a later holder of its number (scan.c). */
	int pidfile_pidfd;
	unsigned long long pidfile_start;
	uid_t state_owner;  /* its owner; a cgroup-only entry: its processes' user (scan.c) */
	uid_t config_owner; /* config.json's owner (see cs_node_owner, node-internal.h) */
	bool seen;
	bool id_shared; /* a container of its name has an id of the same first 12 (scan.c) */
};

struct cs_node_inventory {
	struct cs_node_ctr **v;
	size_t n, cap;
};

struct cs_node_opts {
	const struct cs_node_root *roots; /* NULL: the defaults */
	size_t n_roots;
	const char *proc; /* NULL: "/proc" */
	bool no_predict;  /* skip the model (cs_node_predict) */
};

/* Why the inventory refuses to run in a pid namespace other than the host's. */
#define CS_NODE_NEEDS_HOST_PIDNS                                                                   \
	"the node inventory reads the host's processes, and this capscope runs in "                \
	"another pid namespace (its pod needs hostPID: true)"
/* The same when the namespace cannot be told (/proc does not show this process). */
#define CS_NODE_NEEDS_HOST_PIDNS_WHY                                                               \
	"the node inventory reads the host's processes, and cannot tell whether this "             \
	"capscope runs in the host's pid namespace"

/*
 * Bring inv up to date: bundles found under the roots (config.json read
 * again only when it changed), processes joined by cgroup container id,
 * each container's first process's credentials read. Containers that have
 * gone are removed. inv starts zeroed. Returns 0 or -ENOMEM; a bundle that
 * cannot be read is kept with config_error set, never fatal.
 */
CS_EXPORT int cs_node_scan(struct cs_node_inventory *inv, const struct cs_node_opts *o,
			   struct cs_diag *d);
CS_EXPORT void cs_node_inventory_free(struct cs_node_inventory *inv);

/*
 * Predict c's first process from its bundle: runc, then execve of
 * process.args[0] found in the container's own root (/proc/PID/root) or the
 * bundle's root.path (else taken as a plain file). cs_node_scan calls it
 * for every new bundle with a running process. 0 or -ENOMEM.
 */
CS_EXPORT int cs_node_predict(struct cs_node_ctr *c);

/*
 * Does what /proc shows differ from the prediction? (five sets, euid mapped
 * out of the container's user namespace, no_new_privs). A difference is a
 * model or runtime bug — or a process that changed its own credentials —
 * 1 when it does, and *why (when why is not NULL) is a heap string saying
 * where ("bounding predicted 0x401, /proc 0x400"), freed by the caller; 0
 * when it does not (*why NULL); -ENOMEM.
 */
CS_EXPORT int cs_node_mismatch(const struct cs_node_ctr *c, char **why);

/*
 * The inventory in the Prometheus text format: capscope_container_capability,
 * capscope_container_info, capscope_container_prediction_mismatch,
 * capscope_containers (running containers, pause containers left out).
 * Returns 0 or the first write error.
 */
CS_EXPORT int cs_node_metrics_write(const struct cs_node_inventory *inv, FILE *f);
/* {"containers": [...]}: identity, process, prediction and mismatch. */
CS_EXPORT int cs_node_json_write(const struct cs_node_inventory *inv, FILE *f);

/* {"containers": [...]} as above, each with its "trace" (see cs_node_trace_json; nt may be NULL).
 */
struct cs_node_trace;
CS_EXPORT int cs_node_json_write_traced(const struct cs_node_inventory *inv,
					const struct cs_node_trace *nt, FILE *f);

/* Read the pod identity annotations of a config.json in memory into c. */
CS_EXPORT int cs_node_annotations_parse(const char *buf, size_t len, struct cs_node_ctr *c,
					struct cs_diag *d);

/* ---------- capscope serve --trace: what each container really uses ---------- */

/* The ordinary checks (noise left out) made by the processes of one cgroup. */
struct cs_node_usage {
	uint64_t cgroup;		    /* cgroup v2 id */
	uint64_t checks[CS_CAP_BITS][2];    /* [capability][0 granted, 1 denied] */
	cs_mask_t used;			    /* granted at least once */
	cs_mask_t used_in[CS_USERNS_KINDS]; /* ... by user namespace kind (cs_trace_userns) */
	cs_mask_t denied;		    /* denied at least once */
	double first;			    /* CLOCK_MONOTONIC seconds of its first drain */
	bool claimed;			    /* private: a container of the inventory has it */
	/* Of the checks, those counted without call site and command (past the
	 * cgroup's quota, or the kernel map full): a noise check among them
	 * counts as a use. */
	uint64_t coarse;
};

/*
 * The tracer of a node agent and what it counted, per cgroup. Memory is
 * bounded: at most max cgroups are kept (a cgroup beyond them has its checks
 * counted in overflow, not kept), the kernel map holds at most 16384 rows
 * between drains (more are counted as dropped by the tracer), and cgroups
 * no container of the inventory claims are forgotten at each claim.
 */
struct cs_node_trace {
	struct cs_tracer *tracer; /* NULL: fed by cs_node_trace_add only (tests) */
	struct cs_ksyms ksyms;	  /* to tell noise by call site; empty when unreadable */
	struct cs_node_usage *v;  /* n rows, in no order */
	uint32_t *idx;		  /* private: the positions in v, sorted by cgroup */
	size_t n, max;
	uint64_t overflow;  /* checks not kept: more than max cgroups */
	uint64_t unclaimed; /* checks of processes in no container of the inventory */
	uint64_t noise;	    /* checks left out: noise (overcommit, noaudit), the runtime's init */
	double started;	    /* CLOCK_MONOTONIC seconds */
	/* Checks counted past a full kernel map whose cgroup could not be kept
	 * (the tracer's rows of cgroup 0): by capability and verdict only. */
	struct cs_node_usage node_spill;
};

/* Without a tracer: for cs_node_trace_add (max 0: 1024 cgroups). */
CS_EXPORT void cs_node_trace_init(struct cs_node_trace *nt, size_t max);
/*
 * cs_node_trace_init, then the tracer opened per cgroup for every process
 * of the node (tp_btf/fexit/kprobe as capscope trace chooses), with kernel
 * stacks for the capabilities whose noise is told by call site.
 * -errno with the reason in d (as cs_tracer_open).
 */
CS_EXPORT int cs_node_trace_open(struct cs_node_trace *nt, size_t max, struct cs_diag *d);
/* One drained row into its cgroup's usage (the tracer's cs_tracer_row_fn). */
CS_EXPORT void cs_node_trace_add(const struct cs_trace_rec *rec, enum cs_site_class cls, void *nt);
/* Move the kernel's rows into the usage table; the number of rows or -errno. */
CS_EXPORT int cs_node_trace_drain(struct cs_node_trace *nt);
/*
 * After cs_node_scan: each running container's cgroup read from its first
 * process (under proc, NULL: /proc; cs_pid_cgroup: the container's own, none
 * when that is the root), the usage of the cgroups below it added to its
 * own, observation begun for the new ones, and the usage of cgroups no
 * container has forgotten (counted in unclaimed). 0 or -ENOMEM.
 */
CS_EXPORT int cs_node_trace_claim(struct cs_node_trace *nt, struct cs_node_inventory *inv,
				  const char *proc);
/* The usage of c's cgroup, or NULL when it made no ordinary check. */
CS_EXPORT const struct cs_node_usage *cs_node_trace_usage(const struct cs_node_trace *nt,
							  const struct cs_node_ctr *c);
/*
 * capscope_capability_checks_total{namespace,pod,container,id,capability,verdict},
 * capscope_container_capability_unused{...,capability} (in the effective set
 * of the first process, never granted while observed),
 * capscope_trace_observed_seconds{...} and
 * capscope_trace_lost_events_total{reason}. now: CLOCK_MONOTONIC seconds.
 */
CS_EXPORT int cs_node_trace_metrics_write(const struct cs_node_trace *nt,
					  const struct cs_node_inventory *inv, double now, FILE *f);
/*
 * c's "trace" value: null when not observed, else {"observed_seconds",
 * "checks": [{"capability", "granted", "denied"}], "used", "unused",
 * "denied_only", "only_in_child_user_namespaces", "profile" (the k8s
 * securityContext as JSON, cs_profile_k8s_json), "snippet" (the same as the
 * YAML of capscope trace --profile k8s)}.
 */
CS_EXPORT void cs_node_trace_json(struct cs_json *j, const struct cs_node_trace *nt,
				  const struct cs_node_ctr *c, double now);
CS_EXPORT void cs_node_trace_close(struct cs_node_trace *nt);

#endif

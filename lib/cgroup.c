/* SPDX-License-Identifier: MIT */
/*
 * Telling a process's container from its cgroup path. Runtimes name their
 * cgroups in a few known ways (systemd scopes "docker-ID.scope",
 * "cri-containerd-ID.scope", "crio-ID.scope", "libpod-ID.scope"; cgroupfs
 * paths "/docker/ID", "/kubepods/QOS/podUID/ID"); see docs/ps.md.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include "capscope/proc.h"
#include "internal/cleanup.h"
#include "internal/util.h"

const char *cs_runtime_name(enum cs_runtime_kind k)
{
	switch (k) {
	case CS_RT_DOCKER:
		return "docker";
	case CS_RT_CONTAINERD:
		return "containerd";
	case CS_RT_CRIO:
		return "cri-o";
	case CS_RT_PODMAN:
		return "podman";
	case CS_RT_KUBEPODS:
		return "kubernetes";
	case CS_RT_LXC:
		return "lxc";
	case CS_RT_NONE:
	default:
		return "none";
	}
}

static size_t hex_run(const char *s, size_t len)
{
	size_t n = 0;

	while (n < len && isxdigit((unsigned char)s[n]) && !isupper((unsigned char)s[n]))
		n++;
	return n;
}

/* A container id is 64 lower-case hex digits; accept 12+ for short forms. */
static bool take_id(const char *s, size_t len, struct cs_container *c)
{
	size_t n = hex_run(s, len);

	if (n < 12 || n > 64)
		return false;
	if (n < len && s[n] != '.' && s[n] != '/')
		return false;
	memcpy(c->id, s, n);
	c->id[n] = '\0';
	return true;
}

/* Path component i of [s, s+len): sets *cs and *cl, returns false past the end. */
struct comp {
	const char *s;
	size_t len;
};

static size_t split(const char *path, size_t len, struct comp *out, size_t max)
{
	size_t n = 0, i = 0;

	while (i < len && n < max) {
		size_t start;

		while (i < len && path[i] == '/')
			i++;
		if (i >= len)
			break;
		start = i;
		while (i < len && path[i] != '/')
			i++;
		out[n].s = path + start;
		out[n].len = i - start;
		n++;
	}
	return n;
}

static bool comp_starts(const struct comp *c, const char *prefix)
{
	size_t n = strlen(prefix);

	return c->len >= n && memcmp(c->s, prefix, n) == 0;
}

static bool comp_ends(const struct comp *c, const char *suffix)
{
	size_t n = strlen(suffix);

	return c->len >= n && memcmp(c->s + c->len - n, suffix, n) == 0;
}

/* "pod" + UID, with '_' (systemd escaping) turned back into '-'. */
static void take_pod(const char *s, size_t len, struct cs_container *c)
{
	size_t n = 0;

	while (n < len && n < 36 && (isxdigit((unsigned char)s[n]) || s[n] == '-' || s[n] == '_')) {
		c->pod_uid[n] = s[n] == '_' ? '-' : s[n];
		n++;
	}
	c->pod_uid[n] = '\0';
}

static const struct {
	const char *prefix;
	enum cs_runtime_kind kind;
} scope_prefixes[] = {
    {"cri-containerd-", CS_RT_CONTAINERD},
    {"crio-conmon-", CS_RT_NONE}, /* CRI-O's monitor, not the container */
    {"crio-", CS_RT_CRIO},
    {"docker-", CS_RT_DOCKER},
    {"libpod-conmon-", CS_RT_NONE},
    {"libpod-", CS_RT_PODMAN},
};

/*
 * As cs_cgroup_path_parse, and *end (when not NULL) is the length of the
 * path's part that ends with the component naming the container: the
 * container's own cgroup, of which the process's may be a descendant
 * (0 when no component names one).
 */
static int path_parse(const char *path, size_t len, struct cs_container *c, size_t *end)
{
	struct comp comps[64];
	size_t n = split(path, len, comps, 64);
	bool kube = false;

	const struct comp *k = NULL;

	memset(c, 0, sizeof(*c));
	if (end)
		*end = 0;
	snprintf(c->cgroup, sizeof(c->cgroup), "%.*s", (int)(len < 511 ? len : 511), path);
	for (size_t i = 0; i < n; i++) {
		k = &comps[i];

		if (comp_starts(k, "kubepods")) {
			kube = true;
			/* kubepods-burstable.slice, kubepods-besteffort-pod….slice */
			if (memmem(k->s, k->len, "burstable", 9))
				snprintf(c->qos, sizeof(c->qos), "burstable");
			else if (memmem(k->s, k->len, "besteffort", 10))
				snprintf(c->qos, sizeof(c->qos), "besteffort");
			const char *pod = memmem(k->s, k->len, "-pod", 4);

			if (pod)
				take_pod(pod + 4, (size_t)(k->s + k->len - pod - 4), c);
			continue;
		}
		if (kube && (comp_starts(k, "burstable") || comp_starts(k, "besteffort"))) {
			snprintf(c->qos, sizeof(c->qos), "%.*s", (int)k->len, k->s);
			continue;
		}
		if (kube && comp_starts(k, "pod")) {
			take_pod(k->s + 3, k->len - 3, c);
			continue;
		}
		if (comp_ends(k, ".scope")) {
			for (size_t j = 0; j < sizeof(scope_prefixes) / sizeof(scope_prefixes[0]);
			     j++) {
				size_t pl = strlen(scope_prefixes[j].prefix);

				if (!comp_starts(k, scope_prefixes[j].prefix))
					continue;
				if (scope_prefixes[j].kind == CS_RT_NONE)
					break;
				if (take_id(k->s + pl, k->len - pl, c)) {
					c->runtime = scope_prefixes[j].kind;
					goto found;
				}
				break;
			}
			continue;
		}
		/* cgroupfs driver: /docker/ID, /libpod_parent/libpod-ID, /kubepods/…/pod…/ID */
		if (i > 0 && comps[i - 1].len == 6 && memcmp(comps[i - 1].s, "docker", 6) == 0 &&
		    take_id(k->s, k->len, c)) {
			c->runtime = CS_RT_DOCKER;
			goto found;
		}
		if (comp_starts(k, "libpod-") && !comp_starts(k, "libpod-conmon-") &&
		    take_id(k->s + 7, k->len - 7, c)) {
			c->runtime = CS_RT_PODMAN;
			goto found;
		}
		if (kube && c->pod_uid[0] && take_id(k->s, k->len, c)) {
			c->runtime = CS_RT_KUBEPODS;
			goto found;
		}
		if ((comp_starts(k, "lxc.payload.") ||
		     (i > 0 && comps[i - 1].len == 3 && memcmp(comps[i - 1].s, "lxc", 3) == 0))) {
			const char *nm = comp_starts(k, "lxc.payload.") ? k->s + 12 : k->s;
			size_t nl = (size_t)(k->s + k->len - nm);

			/*
			 * The whole name: it was cut at 64 bytes, and two
			 * containers whose names share their first 64 were one
			 * to ps, serve and trace --container (nineteenth pass,
			 * part E, left open). A cgroup's name is at most
			 * NAME_MAX (255) bytes; a longer one is no kernel's.
			 */
			if (nl >= sizeof(c->id))
				return -ENAMETOOLONG;
			memcpy(c->id, nm, nl);
			c->id[nl] = '\0';
			c->runtime = CS_RT_LXC;
			goto found;
		}
	}
	if (kube && c->pod_uid[0]) {
		/* Inside a pod's cgroup but not a container's: the pod sandbox itself. */
		c->runtime = CS_RT_KUBEPODS;
		return 1;
	}
	return 0;
found:
	/* Guaranteed pods sit straight under kubepods, with no QoS level in the path. */
	if (kube && !c->qos[0] && c->pod_uid[0])
		snprintf(c->qos, sizeof(c->qos), "guaranteed");
	if (end)
		*end = (size_t)(k->s + k->len - path);
	return 1;
}

int cs_cgroup_path_parse(const char *path, size_t len, struct cs_container *c)
{
	return path_parse(path, len, c, NULL);
}

int cs_cgroup_parse(const char *buf, size_t len, struct cs_container *c)
{
	const char *p = buf, *end = buf + len;
	int best = 0;

	memset(c, 0, sizeof(*c));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *c1 = memchr(p, ':', (size_t)(le - p));
		const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(le - c1 - 1)) : NULL;
		struct cs_container tmp;

		if (le > p) {
			if (!c2 || c2 + 1 >= le || c2[1] != '/')
				return -EPROTO;
			/* Prefer the unified (v2) line; else the first v1 line that tells. */
			int r = cs_cgroup_path_parse(c2 + 1, (size_t)(le - c2 - 1), &tmp);

			if (r > 0 && (best == 0 || (c1 - p == 1 && p[0] == '0' && c2 == c1 + 1))) {
				*c = tmp;
				best = 1;
			}
		}
		p = le + 1;
	}
	return best;
}

int cs_cgroup2_root(char **out)
{
	char *buf = NULL, *line, *save = NULL;
	size_t n;
	int rc = cs_read_file("/proc/self/mountinfo", 4u << 20, &buf, &n);

	*out = NULL;
	if (rc < 0)
		return rc;
	rc = -EMEDIUMTYPE;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		/* "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS... - FSTYPE SOURCE SUPER" */
		char *dash = strstr(line, " - "), *mnt = NULL;

		if (!dash || strncmp(dash + 3, "cgroup2 ", 8) != 0)
			continue;
		if (sscanf(line, "%*s %*s %*s %*s %ms", &mnt) == 1) {
			*out = mnt;
			rc = 0;
			break;
		}
	}
	free(buf);
	return rc;
}

void cs_cgroup_target_free(struct cs_cgroup_target *t)
{
	free(t->path);
	t->path = NULL;
}

/* Depth of path below root: its non-empty components after root. */
static uint32_t cgroup_depth(const char *below_root)
{
	uint32_t n = 0;

	for (const char *p = below_root; *p; p++)
		if (*p == '/' && p[1] && p[1] != '/')
			n++;
	return n;
}

int cs_cgroup_resolve(const char *arg, struct cs_cgroup_target *t)
{
	char *root = NULL, *canon;
	struct statfs sfs;
	struct stat st;
	size_t rl;
	int rc;

	memset(t, 0, sizeof(*t));
	/*
	 * An empty path names no cgroup. Taken as relative, it named the
	 * mount's root: `trace --cgroup "$CG"` with CG unset traced every
	 * process of the machine, without end (eighteenth pass, part E).
	 */
	if (!arg[0])
		return -EXDEV;
	rc = cs_cgroup2_root(&root);
	if (rc < 0)
		return rc;
	if (arg[0] == '/')
		t->path = strdup(arg);
	else if (asprintf(&t->path, "%s/%s", root, arg) < 0)
		t->path = NULL;
	if (!t->path) {
		free(root);
		return -ENOMEM;
	}
	/*
	 * The level is counted on the canonical path: "ROOT/.", "a/./b" or
	 * "ROOT/../unified" counted one level per component, "." and ".."
	 * included, and the program then compared the ancestor at a level the
	 * cgroup is not at: nothing was ever in scope, "0 checks", no word.
	 * A path that does not resolve is kept as given for the message.
	 */
	canon = realpath(root, NULL);
	if (canon) {
		free(root);
		root = canon;
	}
	canon = realpath(t->path, NULL);
	if (canon) {
		free(t->path);
		t->path = canon;
	}
	rl = strlen(root);
	rc = 0;
	if (strncmp(t->path, root, rl) != 0 || (t->path[rl] && t->path[rl] != '/' && rl > 1))
		rc = -EXDEV;
	else if (statfs(t->path, &sfs) < 0)
		rc = -errno;
	else if (sfs.f_type != 0x63677270 /* CGROUP2_SUPER_MAGIC */)
		rc = -EXDEV;
	else if (stat(t->path, &st) < 0)
		rc = -errno;
	else if (!S_ISDIR(st.st_mode))
		rc = -ENOTDIR;
	if (rc == 0) {
		t->id = (uint64_t)st.st_ino;
		t->level = cgroup_depth(t->path + rl);
	}
	free(root);
	return rc;
}

/* The unified hierarchy's line ("0::PATH") of a /proc/PID/cgroup text: PATH in [*p, *p + *len). */
static int unified_line(const char *buf, const char **p, size_t *len)
{
	for (const char *l = buf; *l;) {
		const char *e = strchr(l, '\n');

		if (strncmp(l, "0::", 3) == 0) {
			*p = l + 3;
			*len = e ? (size_t)(e - l - 3) : strlen(l + 3);
			return 0;
		}
		if (!e)
			break;
		l = e + 1;
	}
	return -EMEDIUMTYPE;
}

/*
 * The container's own cgroup v2 directory (below the mount; heap) from a
 * process's /proc/PID/cgroup text in which c was recognised: its unified
 * path cut after the component naming the container. NULL when the unified
 * path names no container or another one: on a hybrid host a runtime may
 * use the v1 hierarchies alone, leaving the container in "0::/".
 */
static char *container_dir(const char *buf, const struct cs_container *c)
{
	const char *p;
	size_t len, end;
	struct cs_container u;

	if (unified_line(buf, &p, &len) < 0 || path_parse(p, len, &u, &end) <= 0 || !end ||
	    strcmp(u.id, c->id) != 0)
		return NULL;
	return strndup(p, end);
}

/* The first process found with a container id matching the prefix. */
struct ctr_first {
	char id[sizeof(((struct cs_container *)0)->id)];
	char *dir; /* container_dir, NULL for none */
	char *v2;  /* the process's unified path when dir is NULL, for the message */
	long pid;
	bool other; /* another container's id starts with the prefix too */
};

/* A further process of the id in first: 0, or -EEXIST when its container's cgroup is another. */
static int same_container(const struct ctr_first *first, const char *buf,
			  const struct cs_container *c, long pid, struct cs_diag *d)
{
	cs_cleanup_free char *dir = container_dir(buf, c);
	char a[54], b[54];

	if ((dir == NULL) == (first->dir == NULL) && (!dir || !strcmp(dir, first->dir)))
		return 0;
	/*
	 * The advice before the paths, and each path cut to its share (head and
	 * tail, lib/diag.c cs_clip_mid): the message is cut at 255 bytes, and
	 * a long first path left nothing of the second (sixteenth pass). A
	 * quote of its own is doubled by cs_diag_set (lib/msg-format.c).
	 */
	return cs_diag_set(d, EEXIST, 0, 0, "container",
			   "container %.12s is in two cgroups, of processes %ld and %ld (one "
			   "perhaps a user's, named after it; give --cgroup PATH): '%s', '%s'",
			   c->id, first->pid, pid,
			   cs_clip_mid(a, sizeof(a),
				       first->dir  ? first->dir
				       : first->v2 ? first->v2
						   : "?"),
			   cs_clip_mid(b, sizeof(b), dir ? dir : c->cgroup));
}

/* One process's cgroup text against the prefix: 0 (go on) or -errno (stop). */
static int match_proc(const char *prefix, const char *buf, size_t n, long pid,
		      struct ctr_first *first, struct cs_diag *d)
{
	struct cs_container c;
	const char *v2;
	size_t v2len;

	if (cs_cgroup_parse(buf, n, &c) <= 0 || !c.id[0] ||
	    strncmp(c.id, prefix, strlen(prefix)) != 0)
		return 0;
	/*
	 * An id given whole names its container, though others start with it:
	 * an LXC container's name is whole (path_parse), and `--container web`
	 * was refused while "web-prod" ran ("give more of the id"; there is no
	 * more). Twentieth pass, part H. Two that only start with the prefix
	 * are refused after the walk (cs_container_cgroup), if none is it.
	 */
	if (first->id[0] && strcmp(first->id, c.id) != 0) {
		if (!strcmp(first->id, prefix))
			return 0;
		first->other = true;
		if (strcmp(c.id, prefix) != 0)
			return 0;
		free(first->dir);
		free(first->v2);
		*first = (struct ctr_first){.id = "", .other = true};
	}
	if (first->id[0])
		return same_container(first, buf, &c, pid, d);
	snprintf(first->id, sizeof(first->id), "%s", c.id);
	first->pid = pid;
	first->dir = container_dir(buf, &c);
	if (!first->dir && unified_line(buf, &v2, &v2len) == 0)
		first->v2 = strndup(v2, v2len);
	return 0;
}

int cs_container_cgroup(const char *prefix, char **path, struct cs_diag *d)
{
	struct ctr_first first = {.id = ""};
	char *root = NULL;
	struct dirent *de;
	DIR *dir;
	int rc = 0;

	*path = NULL;
	/* "" is a prefix of every id: the first container found was traced. */
	if (!*prefix)
		return cs_diag_set(d, EINVAL, 0, 0, "container",
				   "--container: an empty id names no container");
	if (!(dir = opendir("/proc")))
		return cs_diag_set(d, errno, 0, 0, "container", "/proc: %s", strerror(errno));
	/*
	 * Every process is read: a prefix two containers share names neither
	 * (docker and podman refuse it too), and the processes of one container
	 * must agree on its cgroup (twelfth pass: the first process's own cgroup
	 * was traced, one of a container's sub-cgroups, or on a hybrid host the
	 * root of the v2 hierarchy, every process of the host).
	 */
	while (rc == 0 && (de = readdir(dir))) {
		char p[64], *buf = NULL;
		size_t n;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		snprintf(p, sizeof(p), "/proc/%.32s/cgroup", de->d_name);
		if (cs_read_file(p, 1 << 20, &buf, &n) < 0)
			continue;
		rc = match_proc(prefix, buf, n, strtol(de->d_name, NULL, 10), &first, d);
		free(buf);
	}
	closedir(dir);
	if (rc == 0 && !first.id[0])
		rc = cs_diag_set(d, ESRCH, 0, 0, "container",
				 "no running container's id starts with '%s'", prefix);
	else if (rc == 0 && first.other && strcmp(first.id, prefix) != 0)
		rc = cs_diag_set(d, ENOTUNIQ, 0, 0, "container",
				 "the ids of more than one running container start with '%s': "
				 "give more of the id",
				 prefix);
	else if (rc == 0 && !first.dir)
		rc = cs_diag_set(
		    d, ENOMEDIUM, 0, 0, "container",
		    "container %s has no cgroup v2 directory of its own (process %ld is "
		    "in '%s' there; the runtime may use the v1 hierarchies only): "
		    "nothing to trace it by",
		    first.id, first.pid, first.v2 ? first.v2 : "?");
	else if (rc == 0 && (rc = cs_cgroup2_root(&root)) < 0)
		cs_diag_set(d, -rc, 0, 0, "cgroup",
			    "no cgroup v2 hierarchy is mounted: --cgroup and --container need it");
	else if (rc == 0 && asprintf(path, "%s%s", strcmp(root, "/") ? root : "", first.dir) < 0) {
		*path = NULL;
		rc = cs_diag_set(d, ENOMEM, 0, 0, NULL, "out of memory");
	}
	free(root);
	free(first.dir);
	free(first.v2);
	return rc;
}

/*
 * The directory the node agent counts a container's checks by, from the
 * unified path p of one of its processes: the container's own cgroup (cut
 * after the component naming it) when a component names one, else the
 * process's own (plain runc's "/ID"). The root is none: twelfth pass, a
 * container a hybrid host's runtime left in "0::/" claimed the checks of
 * every process outside a container.
 */
static int counted_dir(const char *p, size_t len, char **out)
{
	struct cs_container u;
	size_t end = 0;

	*out = NULL;
	if (path_parse(p, len, &u, &end) > 0 && end)
		len = end;
	while (len > 1 && p[len - 1] == '/')
		len--;
	if (len == 0 || (len == 1 && p[0] == '/'))
		return -ENOMEDIUM;
	*out = strndup(p, len);
	return *out ? 0 : -ENOMEM;
}

int cs_pid_cgroup(const char *proc, pid_t pid, struct cs_cgroup_target *t)
{
	char p[PATH_MAX], *buf = NULL, *dir = NULL, *root = NULL, *full = NULL;
	const char *v2;
	size_t n, v2len;
	int rc;

	memset(t, 0, sizeof(*t));
	snprintf(p, sizeof(p), "%s/%d/cgroup", proc ? proc : "/proc", (int)pid);
	if ((rc = cs_read_file(p, 1 << 20, &buf, &n)) < 0)
		return rc;
	if ((rc = unified_line(buf, &v2, &v2len)) == 0 &&
	    (rc = counted_dir(v2, v2len, &dir)) == 0 && (rc = cs_cgroup2_root(&root)) == 0) {
		if (asprintf(&full, "%s%s", strcmp(root, "/") ? root : "", dir) < 0)
			full = NULL, rc = -ENOMEM;
		else
			rc = cs_cgroup_resolve(full, t);
	}
	free(full);
	free(buf);
	free(dir);
	free(root);
	if (rc < 0)
		cs_cgroup_target_free(t);
	return rc;
}

int cs_pid_cgroup_id(const char *proc, pid_t pid, uint64_t *id)
{
	struct cs_cgroup_target t;
	int rc = cs_pid_cgroup(proc, pid, &t);

	*id = rc == 0 ? t.id : 0;
	cs_cgroup_target_free(&t);
	return rc;
}

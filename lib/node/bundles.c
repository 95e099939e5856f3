/* SPDX-License-Identifier: MIT */
/*
 * Finding the runtimes' OCI bundles on this node and reading what they say
 * about the pod (annotations) and the process (config.json). A bundle's
 * config.json is read again only when its mtime or size changed, so a
 * scrape of a node with hundreds of containers costs a few stat calls.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capscope/node.h"
#include "capscope/number.h"
#include "internal/cleanup.h"
#include "node-internal.h"
#include "internal/json-check.h"
#include "internal/json-tree.h"
#include "internal/oci-tree.h"
#include "internal/open-in-root.h"
#include "../internal/util.h"

static const struct cs_node_root defaults[] = {
    {CS_NODE_TASK, "/run/containerd/io.containerd.runtime.v2.task"},
    {CS_NODE_TASK, "/run/docker/containerd/daemon/io.containerd.runtime.v2.task"},
    {CS_NODE_USERDATA, "/run/containers/storage/overlay-containers"},
    {CS_NODE_USERDATA, "/var/lib/containers/storage/overlay-containers"},
    {CS_NODE_RUNC, "/run/runc"},
};

const struct cs_node_root *cs_node_default_roots(size_t *n)
{
	*n = sizeof(defaults) / sizeof(defaults[0]);
	return defaults;
}

int cs_node_root_parse(const char *spec, struct cs_node_root *out)
{
	static const struct {
		const char *prefix;
		enum cs_node_layout layout;
	} kinds[] = {
	    {"task:", CS_NODE_TASK}, {"userdata:", CS_NODE_USERDATA}, {"runc:", CS_NODE_RUNC}};

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		size_t n = strlen(kinds[i].prefix);

		if (!strncmp(spec, kinds[i].prefix, n) && spec[n] == '/') {
			out->layout = kinds[i].layout;
			out->path = spec + n;
			return 0;
		}
	}
	return -EINVAL;
}

/* A container id as the runtimes make them: letters, digits, '-', '_', '.'. */
/* dir + "/" + name into out; false when it does not fit (then it is skipped). */
static bool join(char out[PATH_MAX], const char *dir, const char *name)
{
	int n = snprintf(out, PATH_MAX, "%s/%s", dir, name);

	return n > 0 && n < PATH_MAX;
}

static bool plain_name(const char *s)
{
	if (!s[0] || s[0] == '.' || strlen(s) > 128)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' || *s == '.'))
			return false;
	return true;
}

static char *dupstr(const char *s, size_t n)
{
	return memchr(s, '\0', n) ? NULL : strndup(s, n);
}

/*
 * A field of a struct Go's encoding/json decodes (runc's state.json, the
 * runtimes' config.json): its key in any case ("Annotations", "CONFIG"),
 * as Go takes it; *two set when two keys fold to it (Go keeps the later,
 * or merges two maps), which is refused, not read as one of them. The keys
 * of a map (the annotations' own) are compared exactly, as Go does.
 */
static const struct ydoc_node *go_field(const struct ydoc_node *map, const char *name, bool *two)
{
	const struct ydoc_node *dup = NULL, *v = cs_json_get_go(map, name, &dup);

	if (dup)
		*two = true;
	return v;
}

/* A scalar under map (by key), NULL when absent or not a scalar. */
static const char *scalar(const struct ydoc_node *map, const char *key, size_t *len)
{
	const struct ydoc_node *n = ydoc_get(map, key);

	if (!n || n->kind != YDOC_SCALAR)
		return NULL;
	*len = n->n;
	return n->u.text;
}

static int take(const struct ydoc_node *ann, const char *key, char **out)
{
	size_t len;
	const char *s = scalar(ann, key, &len);

	if (!s || *out)
		return 0;
	*out = dupstr(s, len);
	return *out || memchr(s, '\0', len) ? 0 : -ENOMEM;
}

static int read_annotations(void *user, const struct ydoc_node *root)
{
	struct cs_node_ctr *c = user;
	bool two = false;
	const struct ydoc_node *ann = go_field(root, "annotations", &two);
	const char *type;
	size_t tl = 0;
	int r;

	if (two)
		return -EINVAL;
	if (!ann || ann->kind != YDOC_MAP)
		return 0;
	/* containerd's CRI plugin (internal/cri/annotations) */
	if ((r = take(ann, "io.kubernetes.cri.sandbox-namespace", &c->namespace)) < 0 ||
	    (r = take(ann, "io.kubernetes.cri.sandbox-name", &c->pod)) < 0 ||
	    (r = take(ann, "io.kubernetes.cri.sandbox-uid", &c->pod_uid)) < 0 ||
	    (r = take(ann, "io.kubernetes.cri.container-name", &c->container)) < 0 ||
	    /* CRI-O. Podman's kube play (4.3) writes none of these: its
	     * containers show without a pod, told apart by their id. */
	    (r = take(ann, "io.kubernetes.pod.namespace", &c->namespace)) < 0 ||
	    (r = take(ann, "io.kubernetes.pod.name", &c->pod)) < 0 ||
	    (r = take(ann, "io.kubernetes.pod.uid", &c->pod_uid)) < 0 ||
	    (r = take(ann, "io.kubernetes.container.name", &c->container)) < 0)
		return r;
	type = scalar(ann, "io.kubernetes.cri.container-type", &tl);
	if (!type)
		type = scalar(ann, "io.kubernetes.cri-o.ContainerType", &tl);
	c->sandbox = type && tl == 7 && !memcmp(type, "sandbox", 7);
	/* Podman marks its bundles, and kube play's also carry CRI-O's
	 * ContainerType: the mark decides. */
	type = scalar(ann, "io.container.manager", &tl);
	if (!c->runtime && type && tl == 6 && !memcmp(type, "libpod", 6))
		c->runtime = "podman";
	if (!c->runtime && scalar(ann, "io.kubernetes.cri-o.ContainerType", &tl))
		c->runtime = "cri-o";
	return 0;
}

/* What follows the first value is not read, as runc's json.Decoder does. */
int cs_node_annotations_parse(const char *buf, size_t len, struct cs_node_ctr *c, struct cs_diag *d)
{
	return cs_json_tree(buf, len, false, "", "JSON: ", read_annotations, c, d);
}

static void ctr_clear_config(struct cs_node_ctr *c)
{
	if (c->have_config)
		cs_oci_config_free(&c->cfg);
	c->have_config = false;
	free(c->config_error);
	c->config_error = NULL;
	free(c->namespace);
	free(c->pod);
	free(c->pod_uid);
	free(c->container);
	c->namespace = c->pod = c->pod_uid = c->container = NULL;
	c->sandbox = false;
	free(c->prediction);
	free(c->predict_why);
	c->prediction = NULL;
	c->predict_why = NULL;
	c->predicted = c->predict_ok = false;
}

void cs_node_ctr_free(struct cs_node_ctr *c)
{
	if (!c)
		return;
	ctr_clear_config(c);
	cs_proc_status_free(&c->status);
	free(c->cgroup_path);
	free(c->id);
	free(c->bundle);
	free(c);
}

/*
 * config.json is read as a tree, some 100 bytes a value at the peak, and
 * the agent's DaemonSet has 64 MiB. A pod's author writes its env and
 * annotations into it (the API server keeps a pod under 1.5 MiB: some
 * 190,000 values, 25 MB), but an image's author writes its config's Env
 * too (CRI-O reads a config of up to 4 MiB): session 11, part E, a 4.2 MB
 * config.json of 700,000 env entries took 71 MB. Past this, the container
 * is shown with the reason, not read.
 */
#define MAX_CONFIG_VALUES 300000

/*
 * Of the env and the args only PATH and argv[0] are read after (to predict,
 * lib/node/predict.c): the rest is freed as soon as config.json is read.
 * Kept, they stayed for the container's life: session 11, part E, six
 * containers of 150,000 env entries each (a pod's author can write that
 * much; the API server keeps a pod under 1.5 MiB) held the agent at 54 MB,
 * its DaemonSet's limit 64 MiB.
 */
static void keep_what_predicts(struct cs_oci_config *cfg)
{
	const char *path = cs_oci_config_getenv(cfg, "PATH");
	size_t keep = cfg->nenv;

	for (size_t i = 0; i < cfg->nenv; i++)
		if (path && cfg->env[i] + 5 == path && !strncmp(cfg->env[i], "PATH=", 5))
			keep = i;
	for (size_t i = 0; i < cfg->nenv; i++)
		if (i != keep)
			free(cfg->env[i]);
	if (cfg->env) { /* NULL-ended, as read */
		cfg->env[0] = keep < cfg->nenv ? cfg->env[keep] : NULL;
		cfg->nenv = keep < cfg->nenv ? 1 : 0;
		cfg->env[cfg->nenv] = NULL;
	}
	for (size_t i = 1; i < cfg->nargs; i++)
		free(cfg->args[i]);
	if (cfg->nargs > 1) {
		cfg->nargs = 1;
		cfg->args[1] = NULL;
	}
}

/* config.json's process and its pod's annotations, from one tree. */
struct bundle_read {
	struct cs_node_ctr *c;
	const char *path;
	struct cs_diag *d;
};

static int read_bundle(void *user, const struct ydoc_node *root)
{
	struct bundle_read *br = user;
	int r = cs_oci_config_read_tree(root, br->path, &br->c->cfg, br->d);

	return r < 0 ? r : read_annotations(br->c, root);
}

/* A directory the walk searched: its owner when not root (the last one wins). */
static int owner_visit(void *ctx, int dirfd, const char *dirpath, size_t len, size_t depth)
{
	uid_t *owner = ctx;
	struct stat sb;

	(void)dirpath;
	(void)len;
	(void)depth;
	if (fstat(dirfd, &sb) < 0)
		return -errno;
	if (sb.st_uid != 0)
		*owner = sb.st_uid;
	return 0;
}

/*
 * path opened for reading in one look, *sb the opened file's (fstat) and
 * *owner who controls it: the file's owner when not root, else the last
 * owner not root of the directories searched to reach it, 0 when all are
 * root's (any entry a user owns on the way lets that user put anything
 * below it). Each name is opened beneath the descriptor of the one before
 * it, never through a symbolic link (-ELOOP), by lib/open-in-root.c's walk
 * (no openat2 needed), and the owner is taken from those descriptors: the
 * bytes read from the descriptor returned are the file whose owner was
 * taken. Until the nineteenth pass, part H, the owner came from lstat of
 * the path's entries (part B: a symlink to root's file was taken as root's
 * before that) and the bytes from an open of the path a moment later: a
 * user who could rename in a directory of root's swapped root's file for
 * their own between the two, and their bytes were read as root's.
 */
/*
 * A directory of bundles (a runtime root, or containerd's namespace in it),
 * opened once a scan by the same walk, with the owner of the directories
 * searched to reach it: each bundle's files are opened beneath its
 * descriptor. The walk from "/" for each of them was a fifth of a warm
 * scrape of 500 containers (twenty-sixth pass); the names and the owner
 * found are the same, for the walk below the directory visits what the walk
 * from "/" visits after it. fd -1: none (each file is walked from "/").
 */
struct bundle_dir {
	int fd;
	uid_t owner;
	const char *path;
};

static void bundle_dir_open(struct bundle_dir *b, const char *dir)
{
	cs_cleanup_close int root =
	    open(dir[0] == '/' ? "/" : ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	const char *rel = dir;

	b->fd = -1;
	b->owner = 0;
	b->path = dir;
	while (*rel == '/')
		rel++;
	if (root < 0 || !*rel)
		return;
	b->fd = cs_open_in_root_visit(root, rel, O_PATH | O_DIRECTORY,
				      RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
				      owner_visit, &b->owner);
	if (b->fd < 0)
		b->fd = -1; /* its files walked from "/", each with the walk's error */
}

/* path below b's directory, without "..": the rest of it, else NULL. */
static const char *below(const struct bundle_dir *b, const char *path)
{
	size_t n = b && b->fd >= 0 ? strlen(b->path) : 0;
	const char *rest;

	if (!n || strncmp(path, b->path, n) != 0 || path[n] != '/')
		return NULL;
	for (rest = path + n; *rest == '/'; rest++)
		;
	for (const char *p = rest; *p; p += strcspn(p, "/"), p += strspn(p, "/"))
		if (p[0] == '.' && p[1] == '.' && (!p[2] || p[2] == '/'))
			return NULL;
	return *rest ? rest : NULL;
}

static int open_owned(const char *path, const struct bundle_dir *b, struct stat *sb, uid_t *owner)
{
	const char *rest = below(b, path);
	cs_cleanup_close int root =
	    rest ? -1 : open(path[0] == '/' ? "/" : ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	uid_t dirs = rest ? b->owner : 0;
	int fd;

	if (!rest && root < 0)
		return -errno;
	if (!rest)
		for (rest = path; *rest == '/'; rest++)
			;
	fd = cs_open_in_root_visit(root >= 0 ? root : b->fd, rest, O_RDONLY | O_NOCTTY | O_NONBLOCK,
				   RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
				   owner_visit, &dirs);
	if (fd < 0)
		return fd;
	if (fstat(fd, sb) < 0) {
		int e = -errno;

		close(fd);
		return e;
	}
	*owner = sb->st_uid ? sb->st_uid : dirs;
	return fd;
}

/* (Re)read config.json when it changed since the last scan. */
static int load_config(struct cs_node_ctr *c, const struct bundle_dir *bd)
{
	char path[PATH_MAX];
	cs_cleanup_free char *buf = NULL;
	size_t len;
	struct stat sb;
	struct cs_diag d = {0};
	const char *rt = c->runtime;
	uid_t owner;
	int r, fd;

	if (!join(path, c->bundle, "config.json"))
		return -ENAMETOOLONG;
	/* The owner, the mtime and the bytes from one descriptor (open_owned). */
	if ((fd = open_owned(path, bd, &sb, &owner)) == -ENOENT || cs_short_of(fd))
		return fd; /* none, or the scan's error (not the file's: part D) */
	if (fd >= 0 && c->have_config && sb.st_mtim.tv_sec == c->mtime.tv_sec &&
	    sb.st_mtim.tv_nsec == c->mtime.tv_nsec && sb.st_size == c->size &&
	    owner == c->config_owner) {
		close(fd);
		return 0; /* the file last read */
	}
	c->config_owner = fd < 0 ? (uid_t)-1 : owner;
	ctr_clear_config(c);
	c->mtime = fd < 0 ? (struct timespec){0, 0} : sb.st_mtim;
	c->size = fd < 0 ? 0 : sb.st_size;
	/* A regular file only: a fifo was waited on for ever (open blocks
	 * for a writer), under the lock /metrics and /api/v1/containers share. */
	r = fd < 0 ? fd : cs_read_regular_fd(fd, 16u << 20, &buf, &len);
	if (r < 0 && r != -ENOMEM) {
		/* The reason, not an empty config_error beside a container. */
		cs_diag_set(&d, -r, 0, 0, "", "%s",
			    r == -EINVAL  ? "not a regular file: not read"
			    : r == -EFBIG ? "larger than 16 MiB: not read"
			    : r == -ELOOP ? "a symbolic link on its path: not read"
					  : strerror(-r));
		cs_diag_file(&d, path);
	}
	/*
	 * runc's loadSpec is json.NewDecoder(f).Decode(&spec): the first value,
	 * nothing after it looked at (a second value, a NUL, bytes that are no
	 * UTF-8). The agent read the file whole and showed such a container,
	 * which runc ran, as unreadable (nineteenth pass, part B); the count
	 * of values is the first value's too. lib/oci-config.c reads it alike.
	 */
	if (r == 0 &&
	    (r = cs_json_check(buf, len, false, NULL, 0, &len, "", "not valid JSON: ", &d)) < 0)
		cs_diag_file(&d, path);
	if (r == 0 && cs_json_values(buf, len) > MAX_CONFIG_VALUES) {
		r = cs_diag_set(&d, E2BIG, 0, 0, "",
				"more than %d JSON values (keys, items, values): not read",
				MAX_CONFIG_VALUES);
		cs_diag_file(&d, path);
	}
	if (r == 0) {
		struct bundle_read br = {c, path, &d};

		/* The annotations name the engine only where the layout does
		 * not (userdata: CRI-O or Podman; runc's state, which both
		 * drive): a task bundle is containerd's or Docker's, and `docker
		 * run --annotation io.container.manager=libpod` showed "podman". */
		if (!rt || (strcmp(rt, "docker") != 0 && strcmp(rt, "containerd") != 0))
			c->runtime = NULL;
		r = cs_json_tree(buf, len, false, "", "not valid JSON: ", read_bundle, &br, &d);
		if (r < 0)
			cs_diag_file(&d, path);
		if (!c->runtime)
			c->runtime = rt;
	}
	if (r == 0) {
		keep_what_predicts(&c->cfg);
		c->have_config = true;
	} else {
		cs_oci_config_free(&c->cfg); /* what a config read part-way holds */
	}
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		char msg[800];

		c->config_error = strdup(cs_diag_format(&d, msg, sizeof(msg)));
		c->have_config = c->have_config && r == 0;
	}
	return 0;
}

/* The state file's owner and when it was written (found() keeps them). */
struct state_file {
	struct timespec written;
	uid_t owner;
};

/*
 * A small file holding a pid (init.pid, pidfile), and when it was written;
 * 0 for none, or -ENOMEM (-EMFILE, -ENFILE): a pid file not read for memory is no container
 * stopped (twenty-first pass, part C: it was left out of the pages, 200).
 */
static pid_t read_pid(const char *path, const struct bundle_dir *bd, struct state_file *sf)
{
	cs_cleanup_free char *buf = NULL;
	struct stat sb;
	size_t len;
	uint64_t v;
	uid_t owner;
	int fd = open_owned(path, bd, &sb, &owner), r;

	if (fd < 0)
		return cs_short_of(fd) ? fd : 0;
	if ((r = cs_read_regular_fd(fd, 64, &buf, &len)) < 0)
		return cs_short_of(r) ? r : 0;
	*sf = (struct state_file){sb.st_mtim, owner};
	/* Digits and the newline some runtimes end them with; anything else
	 * names no process (strtol read "12abc", " 12" and "+12" as 12). */
	if (len && buf[len - 1] == '\n')
		len--;
	return cs_parse_u64n(buf, len, CS_NUM_DEC, INT_MAX, &v) == 0 && v > 0 ? (pid_t)v : 0;
}

struct runc_state {
	char **bundle;
	pid_t *pid;
};

static int read_state(void *user, const struct ydoc_node *root)
{
	struct runc_state *st = user;
	bool two = false;
	const struct ydoc_node *labels = go_field(go_field(root, "config", &two), "labels", &two);
	const struct ydoc_node *p = go_field(root, "init_process_pid", &two);
	uint64_t v;

	if (two)
		return -EINVAL;
	/* A JSON number: "1e3" or "1.5" was read as 1, "-1" as -1. */
	*st->pid = p && p->kind == YDOC_SCALAR && p->style == YDOC_PLAIN &&
			   cs_parse_u64n(p->u.text, p->n, CS_NUM_DEC, INT_MAX, &v) == 0
		       ? (pid_t)v
		       : 0;
	for (uint32_t i = 0; labels && labels->kind == YDOC_SEQ && i < labels->n; i++) {
		const struct ydoc_node *it = labels->u.items[i];

		if (it->kind == YDOC_SCALAR && it->n > 7 && !memcmp(it->u.text, "bundle=", 7) &&
		    !*st->bundle)
			*st->bundle = dupstr(it->u.text + 7, it->n - 7);
	}
	return 0;
}

/* runc's state.json: the bundle (a "bundle=…" label) and the first process. */
static int read_runc_state(const char *dir, char **bundle, pid_t *pid, struct state_file *sf)
{
	char path[PATH_MAX];
	cs_cleanup_free char *buf = NULL;
	size_t len;
	struct stat sb;
	struct runc_state st = {bundle, pid};
	uid_t owner;
	int fd, r;

	if (!join(path, dir, "state.json"))
		return -ENAMETOOLONG;
	if ((fd = open_owned(path, NULL, &sb, &owner)) < 0)
		return cs_short_of(fd) ? fd : -ENOENT;
	if ((r = cs_read_regular_fd(fd, 16u << 20, &buf, &len)) < 0)
		return cs_short_of(r) ? r : -ENOENT; /* out of memory is not "no state" */
	*sf = (struct state_file){sb.st_mtim, owner};
	if ((r = cs_json_tree(buf, len, false, "", "JSON: ", read_state, &st, NULL)) < 0)
		return r == -ENOMEM ? r : -EINVAL;
	return *bundle ? 0 : -ENOENT;
}

/* A new container with this id (unseen, no bundle), at the end of inv. */
struct cs_node_ctr *cs_node_add(struct cs_node_inventory *inv, const char *id)
{
	struct cs_node_ctr *c;

	if (inv->n == inv->cap) {
		size_t cap = inv->cap ? inv->cap * 2 : 64;
		struct cs_node_ctr **v = realloc(inv->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		inv->v = v;
		inv->cap = cap;
	}
	if (!(c = calloc(1, sizeof(*c))) || !(c->id = strdup(id))) {
		free(c);
		return NULL;
	}
	c->userns = -1;
	inv->v[inv->n++] = c;
	return c;
}

/*
 * The containers by id, for one scan of the bundles. Ninth pass: each
 * bundle's directory was looked for from the start of the container list,
 * twice, so a warm scrape was quadratic in the containers (2,000 bundles:
 * a third of a scan's instructions in strcmp), under the lock /metrics and
 * /api/v1/containers share; whoever may create pods makes containers. An
 * open-addressing table of the ids, twice as large as the list at least.
 *
 * The slot is FNV-1a from a start drawn from the table's address (ASLR),
 * mixed so that it depends on every bit. Until session 16 it was FNV-1a
 * from its fixed start, masked: its low bits depend only on the low bits
 * before, so blocks of a few characters that meet there chain into 2^m
 * names of one slot, and a user who may write a bundle root (a rootless
 * user's storage, docs/serve.md) made each scrape probe past every
 * container before (2,048 such bundles: 2.1 million probes a scan).
 */
struct id_index {
	struct cs_node_ctr **slot;
	size_t mask;   /* slots - 1, a power of two minus one */
	uint64_t seed; /* drawn from slot's address at each build */
};

size_t cs_node_id_probes;

static struct cs_node_ctr **id_slot(const struct id_index *ix, const char *id)
{
	size_t i = (size_t)cs_hash_seeded(ix->seed, id, strlen(id)) & ix->mask;

	while (ix->slot[i] && strcmp(ix->slot[i]->id, id) != 0) {
		cs_node_id_probes++;
		i = (i + 1) & ix->mask;
	}
	return &ix->slot[i];
}

/* (Re)build ix for inv's containers, with room for as many again. */
static int id_index_build(struct id_index *ix, const struct cs_node_inventory *inv)
{
	size_t n = 64;

	while (n < 2 * inv->cap)
		n *= 2;
	free(ix->slot);
	if (!(ix->slot = calloc(n, sizeof(*ix->slot))))
		return -ENOMEM;
	ix->mask = n - 1;
	ix->seed = cs_hash_seed(ix->slot);
	for (size_t i = 0; i < inv->n; i++)
		*id_slot(ix, inv->v[i]->id) = inv->v[i];
	return 0;
}

/* The container with this id, created (unseen, no bundle) when new. */
static struct cs_node_ctr *lookup(struct cs_node_inventory *inv, struct id_index *ix,
				  const char *id, bool create)
{
	struct cs_node_ctr **s = id_slot(ix, id), *c;

	if (*s || !create)
		return *s;
	if (!(c = cs_node_add(inv, id)))
		return NULL;
	/* The list grew past half the table: a larger one (as often as it doubles). */
	if (2 * inv->cap > ix->mask + 1)
		return id_index_build(ix, inv) < 0 ? NULL : c;
	return *s = c;
}

/*
 * The owner of a bundle not recorded yet (cs_node_owner's rule) into *owner:
 * 0, or -ENOMEM when the walk could not be made (a scan error, as for the
 * pid file: an owner unknown for memory is not a user's).
 */
static int bundle_owner(const char *bundle, uid_t state, uid_t *owner)
{
	char path[PATH_MAX];
	struct stat sb;
	int fd;

	*owner = state;
	if (state || !join(path, bundle, "config.json"))
		return 0;
	if ((fd = open_owned(path, NULL, &sb, owner)) == -ENOENT) {
		*owner = state;
		return 0;
	}
	if (cs_short_of(fd))
		return fd; /* at RLIMIT_NOFILE too: the user's won (part D) */
	if (fd < 0)
		*owner = (uid_t)-1; /* a symbolic link on the way: not root's */
	else
		close(fd);
	return 0;
}

/*
 * Whether c keeps the bundle it has over this one of the same id (1, 0, or
 * -ENOMEM). The first root to name an id in a scan wins, but a user's
 * bundle never wins over root's (cs_node_owner): it would hide the root
 * container. Root's from the last scan is kept over a user's found before
 * it in this one (when it is gone, c is not seen and is dropped; the
 * user's is taken at the next scan), or the two would take turns, each
 * config.json parsed again at every scrape. The owner is looked up only
 * for such a contest.
 */
static int keep_recorded(const struct cs_node_ctr *c, const char *bundle, uid_t state)
{
	uid_t owner;
	int r;

	if (!c->bundle || (!c->seen && !strcmp(c->bundle, bundle)))
		return 0;
	if (cs_node_owner(c) != 0 && !c->seen)
		return 0;
	if (cs_node_owner(c) == 0 && c->seen)
		return 1;
	if ((r = bundle_owner(bundle, state, &owner)) < 0)
		return r;
	return owner != 0;
}

/* One bundle found: record it (the first root to name an id wins). */
static int found(struct cs_node_inventory *inv, struct id_index *ix, const struct bundle_dir *bd,
		 const char *id, const char *bundle, const char *runtime, pid_t pid,
		 struct state_file sf)
{
	struct cs_node_ctr *c = lookup(inv, ix, id, true);
	int keep, r;

	if (!c)
		return -ENOMEM;
	if ((keep = keep_recorded(c, bundle, sf.owner)) != 0)
		return keep < 0 ? keep : 0;
	c->seen = true;
	if (!c->bundle || strcmp(c->bundle, bundle) != 0) {
		ctr_clear_config(c);
		free(c->bundle);
		if (!(c->bundle = strdup(bundle)))
			return -ENOMEM;
		c->runtime = runtime;
	}
	c->pidfile_pid = pid;
	c->pid_written = sf.written;
	c->state_owner = sf.owner;
	r = load_config(c, bd);
	return cs_short_of(r) ? r : 0;
}

static int scan_dir(struct cs_node_inventory *inv, struct id_index *ix,
		    const struct cs_node_root *root, const char *dir, const char *ns)
{
	cs_cleanup_closedir DIR *dp = opendir(dir);
	struct dirent *e;
	char path[PATH_MAX], bundle[PATH_MAX];
	struct state_file sf = {{0, 0}, 0};
	struct bundle_dir bd = {-1, 0, dir};
	cs_cleanup_close int bd_fd = -1;
	int r;

	if (!dp) {
		/* A runtime that is not installed (or a root the agent may not
		 * read); a lack of memory or descriptors is the scan's error, not
		 * a root without containers. */
		return cs_short_of(-errno) ? -errno : 0;
	}
	/* Its entries are bundles (runc's state names one anywhere). */
	if ((root->layout == CS_NODE_TASK && ns) || root->layout == CS_NODE_USERDATA) {
		bundle_dir_open(&bd, dir);
		bd_fd = bd.fd;
	}
	while ((errno = 0, e = readdir(dp)) != NULL) {
		sf = (struct state_file){{0, 0}, 0}; /* not the entry before's */
		if (!plain_name(e->d_name))
			continue;
		if (!join(path, dir, e->d_name))
			continue;
		if (root->layout == CS_NODE_TASK && !ns) {
			if ((r = scan_dir(inv, ix, root, path, e->d_name)) < 0)
				return r;
			continue;
		}
		struct cs_node_ctr *k = lookup(inv, ix, e->d_name, false);

		if (k && k->bundle && !k->seen && k->pidfile_pid > 0 &&
		    (kill(k->pidfile_pid, 0) == 0 || errno == EPERM)) {
			/* Known and its first process alive: the pid file and runc's
			 * state are not read again, only config.json's mtime. */
			r = found(inv, ix, &bd, e->d_name, k->bundle, k->runtime, k->pidfile_pid,
				  (struct state_file){k->pid_written, k->state_owner});
		} else if (root->layout == CS_NODE_TASK) {
			if (!join(bundle, path, "init.pid"))
				continue;
			pid_t pid = read_pid(bundle, &bd, &sf);

			if (pid < 0)
				return pid;
			r = found(inv, ix, &bd, e->d_name, path,
				  !strcmp(ns, "moby") || strstr(dir, "/docker/") ? "docker"
										 : "containerd",
				  pid, sf);
		} else if (root->layout == CS_NODE_USERDATA) {
			char pidfile[PATH_MAX];

			if (!join(bundle, path, "userdata") || !join(pidfile, bundle, "pidfile") ||
			    !join(path, bundle, "config.json") || access(path, F_OK) < 0)
				continue;
			pid_t pid = read_pid(pidfile, &bd, &sf);

			if (pid < 0)
				return pid;
			/* CRI-O and Podman share this layout (containers/storage):
			 * which one is read from config.json's annotations, else
			 * from the container's cgroup (scan.c), never guessed. */
			r = found(inv, ix, &bd, e->d_name, bundle, NULL, pid, sf);
		} else {
			cs_cleanup_free char *b = NULL;
			pid_t pid = 0;

			if ((r = read_runc_state(path, &b, &pid, &sf)) < 0 && cs_short_of(r))
				return r;
			if (r < 0)
				continue;
			r = found(inv, ix, &bd, e->d_name, b, "runc", pid, sf);
		}
		if (r < 0)
			return r;
	}
	/* readdir's own error (the rest of the directory unread) is the
	 * scan's error too: containers left out of a page would be lost. */
	return errno ? -errno : 0;
}

int cs_node_scan_bundles(struct cs_node_inventory *inv, const struct cs_node_opts *o)
{
	const struct cs_node_root *roots = o && o->roots ? o->roots : defaults;
	size_t n = o && o->roots ? o->n_roots : sizeof(defaults) / sizeof(defaults[0]);
	struct id_index ix = {0};
	int r = id_index_build(&ix, inv);

	for (size_t i = 0; r == 0 && i < n; i++)
		r = scan_dir(inv, &ix, &roots[i], roots[i].path, NULL);
	free(ix.slot);
	return r < 0 ? r : 0;
}

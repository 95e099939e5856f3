/* SPDX-License-Identifier: MIT */
/*
 * crio.conf and drop-ins: CRI-O reads /etc/crio/crio.conf, then every file
 * under /etc/crio/crio.conf.d in lexical order, a later value overriding an
 * earlier one (pkg/config UpdateFromPath and UpdateFromDropInFile). Only the
 * keys the model needs are taken (the two that shape capabilities, and
 * default_sysctls for ip_unprivileged_port_start); the rest of the file
 * must still be valid TOML, and every field CRI-O reads of the type it
 * decodes (crio-schema.c): a file CRI-O does not start with predicts
 * nothing.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "capscope/caps.h"
#include "capscope/cri.h"
#include "capscope/proc.h"
#include "../internal/crio-schema.h"
#include "../internal/crio-startup.h"
#include "../internal/sysctl-here.h"
#include "../internal/toml.h"
#include "../internal/util.h"

/*
 * t's value for one of CRI-O's fields, or NULL. Its TOML decoder
 * (BurntSushi/toml unifyStruct) takes a key that matches a field's name
 * exactly or without case, so `DEFAULT_CAPABILITIES` and `[CRIO.Runtime]`
 * count; two such keys in one table (or in two spellings of the table,
 * merged: merged_runtime) both land in the field, in Go's random map
 * order: refused.
 */
static int field(const struct cs_toml_value *t, const char *name, const char *path,
		 const struct cs_toml_value **out, struct cs_diag *d)
{
	const char *first = NULL;

	*out = NULL;
	for (size_t i = 0; t && i < t->n; i++) {
		if (!cs_go_fold_equal(t->keys[i], strlen(t->keys[i]), name))
			continue;
		if (first && !strcmp(first, t->keys[i])) /* in two spellings of its table */
			return cs_diag_set(d, EINVAL, t->items[i]->line, t->items[i]->column, path,
					   "'%s' is given in two spellings of its table, which "
					   "CRI-O merges (it matches names without case), and it "
					   "takes either value; keep one",
					   first);
		if (first)
			return cs_diag_set(d, EINVAL, t->items[i]->line, t->items[i]->column, path,
					   "'%s' and '%s' are the same field to CRI-O (it matches "
					   "names without case) and it takes either; keep one",
					   first, t->keys[i]);
		first = t->keys[i];
		*out = t->items[i];
	}
	return 0;
}

/*
 * Every table at crio.runtime, in every spelling of both names, as one
 * table of their keys (out->keys and out->items malloc'd, the values the
 * document's): BurntSushi's unifyStruct unifies each spelling into the one
 * struct field without zeroing it, so CRI-O merges [crio.runtime] and
 * [CRIO.Runtime]; a field given in two of them is then two spellings of
 * one field (field() refuses it: Go's map order picks). A spelling that is
 * not a table is refused, as CRI-O's decoder refuses it.
 */
static int merged_runtime(const struct cs_toml_value *root, struct cs_toml_value *out,
			  struct cs_diag *d)
{
	memset(out, 0, sizeof(*out));
	out->type = CS_TOML_TABLE;
	/* Twice: the keys counted, then copied (crio's spellings, runtime's in each). */
	for (int fill = 0; fill < 2; fill++) {
		size_t n = 0;

		for (uint32_t i = 0; i < root->n; i++) {
			const struct cs_toml_value *crio = root->items[i];

			if (!cs_go_fold_equal(root->keys[i], strlen(root->keys[i]), "crio"))
				continue;
			if (crio->type != CS_TOML_TABLE)
				return cs_diag_set(d, EINVAL, crio->line, crio->column, "crio",
						   "crio must be a table");
			for (uint32_t j = 0; j < crio->n; j++) {
				const struct cs_toml_value *rt = crio->items[j];

				if (!cs_go_fold_equal(crio->keys[j], strlen(crio->keys[j]),
						      "runtime"))
					continue;
				if (rt->type != CS_TOML_TABLE)
					return cs_diag_set(d, EINVAL, rt->line, rt->column,
							   "crio.runtime",
							   "crio.runtime must be a table");
				/* An empty table's keys are NULL: memcpy's source is
				 * nonnull even for 0 bytes (fuzz-toml, UBSan) */
				if (fill && rt->n) {
					memcpy(out->keys + n, rt->keys, rt->n * sizeof(*out->keys));
					memcpy(out->items + n, rt->items,
					       rt->n * sizeof(*out->items));
				}
				n += rt->n;
			}
		}
		if (fill || !n)
			break;
		if (n > UINT32_MAX)
			return -ENOMEM;
		out->keys = calloc(n, sizeof(*out->keys));
		out->items = calloc(n, sizeof(*out->items));
		if (!out->keys || !out->items)
			return -ENOMEM;
		out->n = (uint32_t)n;
	}
	return 0;
}

/*
 * CRI-O's Sysctl.Validate (pkg/config/sysctl.go): 'N' for a key it takes
 * as the network namespace's (skipped with hostNetwork), 'I' as the IPC
 * namespace's (skipped with hostIPC), 0 for one it skips always ("not
 * whitelisted"): the key as written, no '/' spelling.
 */
static char crio_sysctl_ns(const char *key, size_t kl)
{
	static const char *const ipc[] = {"kernel.shm", "kernel.msg", "fs.mqueue."};

	if (kl == strlen("kernel.sem") && !memcmp(key, "kernel.sem", kl))
		return 'I';
	for (size_t i = 0; i < sizeof(ipc) / sizeof(ipc[0]); i++)
		if (kl >= strlen(ipc[i]) && !memcmp(key, ipc[i], strlen(ipc[i])))
			return 'I';
	return kl >= 4 && !memcmp(key, "net.", 4) ? 'N' : 0;
}

/*
 * The first key of each namespace that Validate takes and this kernel does
 * not have, into absent[0] (net) or absent[1] (IPC). pinns writes every
 * default CRI-O keeps (pinns/src/sysctl.c: "failed to open /proc/sys/%s",
 * and pinns exits): the sandbox is not made, for every pod. Session 27
 * part B: such an entry was not read, and every pod ran.
 */
static void absent_key(char (*absent)[128], char (*untold)[128], const char *key, size_t kl)
{
	char name[4096];
	char ns = crio_sysctl_ns(key, kl);
	char *slot;
	int here;

	if (!ns || kl >= sizeof(name))
		return;
	slot = absent[ns == 'N' ? 0 : 1];
	if (slot[0])
		return;
	memcpy(name, key, kl);
	name[kl] = '\0';
	/* absent (0), there and not to be written (2), a directory (3): pinns
	 * fails on each; not told (below 0): assumed there, noted */
	here = cs_sysctl_here(name);
	if (here < 0 && !untold[ns == 'N' ? 0 : 1][0] &&
	    (size_t)snprintf(untold[ns == 'N' ? 0 : 1], 128, "%s", name) >= 128)
		cs_mark_cut(untold[ns == 'N' ? 0 : 1], 128);
	if (here == 1 || here < 0)
		return;
	if ((size_t)snprintf(slot, 128, "%s", name) >= 128)
		cs_mark_cut(slot, 128);
}

/*
 * default_sysctls: CRI-O sets them in every container (a pod's own sysctl of
 * the same name wins; net.* ones not with hostNetwork), so
 * net.ipv4.ip_unprivileged_port_start=0 there lets any process bind port
 * 80. A later file's list replaces the earlier one whole; the last entry of
 * a key wins. CRI-O's Sysctls() refuses an entry that is not key=value or
 * that strings.TrimSpace would change on either side of the '=' (Unicode's
 * white space too); "" is skipped. It is called when CRI-O starts, on the
 * last list read (RuntimeConfig.Validate), so an entry refused here is
 * only noted: a later file may replace the list (fifteenth pass: such a
 * list was refused at once, "CRI-O refuses it", where CRI-O starts).
 */
static int take_sysctls(struct cs_crio_config *c, const struct cs_toml_value *rt, const char *name,
			struct cs_diag *d)
{
	/* the two the port model reads (explain/checks.c), which meet in the
	 * kernel: the start may not pass the range's start */
	static const char *const keys[] = {"net.ipv4.ip_unprivileged_port_start",
					   "net.ipv4.ip_local_port_range"};
	char *const vals[] = {c->unpriv_port_start, c->local_port_range};
	const char *path = "crio.runtime.default_sysctls";
	struct cs_crio_value_check *bad = &c->startup.default_sysctls;
	const struct cs_toml_value *v;
	char val[2][sizeof(c->unpriv_port_start)] = {"", ""};
	char absent[2][sizeof(c->sysctl_absent[0])] = {"", ""};
	char untold[2][sizeof(c->sysctl_untold[0])] = {"", ""};
	bool set[2] = {false, false};
	int r;

	if ((r = field(rt, "default_sysctls", path, &v, d)) < 0 || !v)
		return r;
	if (v->type != CS_TOML_ARRAY)
		return cs_diag_set(d, EINVAL, v->line, v->column, path,
				   "default_sysctls must be an array of strings");
	memset(bad, 0, sizeof(*bad));
	for (size_t i = 0; i < v->n; i++) {
		const struct cs_toml_value *it = v->items[i];
		const char *eq;
		size_t kl;

		if (it->type != CS_TOML_STRING)
			return cs_diag_set(d, EINVAL, it->line, it->column, path,
					   "default_sysctls must hold strings");
		if (!it->s[0] || bad->bad)
			continue;
		eq = strchr(it->s, '=');
		if (!eq || cs_go_padded(it->s, (size_t)(eq - it->s)) ||
		    cs_go_padded(eq + 1, strlen(eq + 1))) {
			bad->bad = true;
			bad->line = it->line;
			bad->column = it->column;
			cs_clip(bad->from, sizeof(bad->from), name);
			if ((size_t)snprintf(bad->value, sizeof(bad->value), "%s", it->s) >=
			    sizeof(bad->value))
				cs_mark_cut(bad->value, sizeof(bad->value));
			c->startup.sysctl_spaces = eq != NULL;
			continue;
		}
		kl = (size_t)(eq - it->s);
		absent_key(absent, untold, it->s, kl);
		for (size_t k = 0; k < 2; k++) {
			if (kl != strlen(keys[k]) || memcmp(it->s, keys[k], kl))
				continue;
			if (strlen(eq + 1) >= sizeof(val[k]))
				return cs_diag_set(d, EINVAL, it->line, it->column, path,
						   "'%s': a value longer than capscope holds (%zu "
						   "bytes; CRI-O takes it)",
						   it->s, sizeof(val[k]) - 1);
			snprintf(val[k], sizeof(val[k]), "%s", eq + 1);
			set[k] = true;
		}
	}
	for (size_t k = 0; k < 2; k++)
		snprintf(vals[k], sizeof(c->unpriv_port_start), "%s", val[k]);
	c->unpriv_port_start_set = set[0];
	c->local_port_range_set = set[1];
	memcpy(c->sysctl_absent, absent, sizeof(absent));
	memcpy(c->sysctl_untold, untold, sizeof(untold));
	cs_clip(c->sysctls_from, sizeof(c->sysctls_from), name);
	return 0;
}

/*
 * CRI-O checks default_capabilities when it starts, after every file is read
 * (RuntimeConfig.Validate, DefaultCapabilities.Validate: "CAP_" +
 * strings.ToUpper of each entry, then containers/common's
 * ValidateCapabilities against the capabilities this kernel has) and does
 * not start on "invalid capabilities". So "CAP_CHOWN" (CAP_CAP_CHOWN),
 * "all" (CAP_ALL) or a name unknown here stop CRI-O, which creates each
 * container with such a list differently (CAP_ kept, ALL skipped).
 */
static bool startup_known(const char *cap)
{
	char up[64], name[40];

	cs_go_upper(up, sizeof(up), "CAP_", cap);
	for (int c = 0; c <= cs_cap_last(); c++) {
		const char *n = cs_cap_name(c);

		if (!n)
			continue;
		cs_go_upper(name, sizeof(name), "", n);
		if (!strcmp(name, up))
			return true;
	}
	return false;
}

static void first_refused(struct cs_crio_config *c, const struct cs_toml_value *list)
{
	c->bad_cap[0] = '\0';
	c->bad_line = 0; /* none: an empty name is refused too */
	for (size_t i = 0; i < list->n; i++) {
		const struct cs_toml_value *it = list->items[i];

		if (startup_known(it->s))
			continue;
		cs_clip(c->bad_cap, sizeof(c->bad_cap), it->s);
		c->bad_line = it->line;
		c->bad_column = it->column;
		return;
	}
}

/*
 * default_capabilities as CRI-O takes them: each name is upper-cased after
 * "CAP_" and looked up, so a name given twice, in any case, is one
 * capability, and duplicates are taken (["CHOWN"] 70 times starts CRI-O).
 * Each is held once. An empty name, one too long to hold, and names past
 * the 64 distinct ones held (there are fewer capabilities) are names CRI-O
 * refuses when it starts, which first_refused notes for the whole list:
 * refused only if no later drop-in replaces the list (sixteenth pass: they
 * were refused at once, in whatever file, "more than 64" as if a limit of
 * CRI-O's).
 */
static void hold_defaults(struct cs_crio_config *c, const struct cs_toml_value *v)
{
	char up[CS_CRIO_MAX_DEFAULTS][96], u[96];

	c->n_default_caps = 0;
	for (size_t i = 0; i < v->n; i++) {
		const char *s = v->items[i]->s;
		size_t k = 0;

		if (!s[0] || strlen(s) >= sizeof(c->default_caps[0]))
			continue;
		cs_go_upper(u, sizeof(u), "", s);
		while (k < c->n_default_caps && strcmp(up[k], u))
			k++;
		if (k < c->n_default_caps || k == CS_CRIO_MAX_DEFAULTS)
			continue;
		memcpy(up[k], u, sizeof(u));
		snprintf(c->default_caps[c->n_default_caps++], sizeof(c->default_caps[0]), "%s", s);
	}
}

static int take(struct cs_crio_config *c, const struct cs_toml_value *rt, const char *name,
		struct cs_diag *d)
{
	const struct cs_toml_value *v;
	const char *path;
	int r;

	path = "crio.runtime.default_capabilities";
	if ((r = field(rt, "default_capabilities", path, &v, d)) < 0)
		return r;
	if (v) {
		if (v->type != CS_TOML_ARRAY)
			return cs_diag_set(d, EINVAL, v->line, v->column, path,
					   "default_capabilities must be an array of strings");
		for (size_t i = 0; i < v->n; i++)
			if (v->items[i]->type != CS_TOML_STRING)
				return cs_diag_set(d, EINVAL, v->items[i]->line,
						   v->items[i]->column, path,
						   "default_capabilities must hold strings");
		hold_defaults(c, v);
		cs_clip(c->defaults_from, sizeof(c->defaults_from), name);
		first_refused(c, v);
	}
	if ((r = take_sysctls(c, rt, name, d)) < 0)
		return r;
	path = "crio.runtime.add_inheritable_capabilities";
	if ((r = field(rt, "add_inheritable_capabilities", path, &v, d)) < 0)
		return r;
	if (v) {
		if (v->type != CS_TOML_BOOL)
			return cs_diag_set(d, EINVAL, v->line, v->column, path,
					   "add_inheritable_capabilities must be true or false");
		c->add_inheritable = v->b;
		cs_clip(c->inheritable_from, sizeof(c->inheritable_from), name);
	}
	return 0;
}

int cs_crio_config_parse(struct cs_crio_config *c, const char *buf, size_t len, const char *name,
			 struct cs_diag *d)
{
	struct cs_toml_doc *doc = NULL;
	struct cs_toml_value rt;
	/* Parse into a copy so a file with an error changes nothing. */
	struct cs_crio_config tmp = *c;
	int r = cs_toml_load(buf, len, name, &doc, d);

	/*
	 * The whole document is read first, so [crio.runtime], crio.runtime.x =,
	 * runtime = {...} under [crio] and crio = {runtime = {...}} all land in
	 * the same table, and ["crio.runtime"] (one quoted key) does not; the
	 * tables of other spellings ([CRIO.Runtime]) are merged with it.
	 */
	if (r == 0) {
		if ((r = merged_runtime(cs_toml_root(doc), &rt, d)) == 0)
			r = take(&tmp, &rt, name ? name : "", d);
		free(rt.keys);
		free(rt.items);
	}
	/* every other field typed as CRI-O decodes it (crio-schema.c) */
	if (r == 0 && (r = cs_crio_schema_check(cs_toml_root(doc), d)) == 0)
		cs_crio_startup_take(&tmp.startup, cs_toml_root(doc), name ? name : "");
	cs_toml_free(doc);
	if (r < 0) {
		cs_diag_file(d, name);
		return r;
	}
	*c = tmp;
	return 0;
}

static int load_file(struct cs_crio_config *c, const char *path, struct cs_diag *d)
{
	char *buf = NULL;
	size_t len = 0;
	int r = cs_read_config_file(path, 4u << 20, "CRI-O", &buf, &len, d);

	if (r < 0)
		return r;
	r = cs_crio_config_parse(c, buf, len, path, d);
	free(buf);
	return r;
}

/* Go's sort.Strings: byte order, whatever the locale (alphasort is strcoll). */
static int byte_order(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int not_dots(const struct dirent *e)
{
	return strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
}

#define MAX_DROPIN_DEPTH 16

static int load_dropins(struct cs_crio_config *c, const char *dir, int depth, struct cs_diag *d);

/* One entry of a drop-in directory: a directory is walked, anything else read. */
static int load_entry(struct cs_crio_config *c, const char *dir, const char *name, int depth,
		      struct cs_diag *d)
{
	char p[4096];
	struct stat sb;
	int r;

	if ((size_t)snprintf(p, sizeof(p), "%s/%s", dir, name) >= sizeof(p))
		return cs_diag_set(d, ENAMETOOLONG, 0, 0, "", "%s/%s: path too long", dir, name);
	if (lstat(p, &sb) < 0) {
		r = cs_diag_set(d, errno, 0, 0, "", "%s", strerror(errno));
		cs_diag_file(d, p);
		return r;
	}
	if (!S_ISDIR(sb.st_mode))
		return load_file(c, p, d);
	if (depth + 1 >= MAX_DROPIN_DEPTH) {
		r = cs_diag_set(d, ELOOP, 0, 0, "",
				"drop-in directories nested more than %d deep (the most "
				"capscope walks; CRI-O walks any depth)",
				MAX_DROPIN_DEPTH);
		cs_diag_file(d, p);
		return r;
	}
	return load_dropins(c, p, depth + 1, d);
}

/*
 * CRI-O's UpdateFromPath: filepath.Walk over the drop-in directory, every
 * entry that is not a directory read as a drop-in (whatever its name: no
 * `.conf` filter, dot files too), subdirectories walked where they sort,
 * names in byte order. Walk looks with lstat, so a symbolic link is read
 * through as a file (one to a directory fails to read there, and here).
 */
static int load_dropins(struct cs_crio_config *c, const char *dir, int depth, struct cs_diag *d)
{
	struct dirent **list = NULL;
	int n = scandir(dir, &list, not_dots, byte_order), r = 0;

	if (n < 0) {
		if (errno == ENOENT && depth == 0)
			return 0;
		if (d)
			cs_diag_put_file(d, "%s", dir);
		return cs_diag_set(d, errno, 0, 0, "", "cannot read directory: %s",
				   strerror(errno));
	}
	for (int i = 0; i < n; i++) {
		if (r == 0)
			r = load_entry(c, dir, list[i]->d_name, depth, d);
		free(list[i]);
	}
	free(list);
	return r;
}

/*
 * The drop-in path itself, as UpdateFromPath takes it: os.Stat first (missing,
 * or a dangling link: no drop-in), then filepath.Walk, which looks at its
 * root with lstat too: a regular file there is read as the one drop-in, and
 * a symbolic link, even to a directory, is read as a file (which fails for
 * a directory, and CRI-O does not start).
 */
static int load_dropin_root(struct cs_crio_config *c, const char *dir, struct cs_diag *d)
{
	struct stat sb;

	if (stat(dir, &sb) < 0 && errno == ENOENT)
		return 0;
	if (lstat(dir, &sb) == 0 && !S_ISDIR(sb.st_mode))
		return load_file(c, dir, d);
	return load_dropins(c, dir, 0, d);
}

/* The start-up check on the configuration as read whole (first_refused). */
static int startup_check(const struct cs_crio_config *c, int r, struct cs_diag *d)
{
	/* Config.Validate's order: image_volumes, the root and runtime
	 * checks before the capabilities, cgroup_manager after */
	if (r < 0 || (r = cs_crio_startup_check(&c->startup, false, d)) < 0)
		return r;
	if (!c->bad_line)
		return cs_crio_startup_check(&c->startup, true, d);
	r = cs_diag_set(d, EINVAL, c->bad_line, c->bad_column, "crio.runtime.default_capabilities",
			"\"%s\" is no capability of this kernel as CRI-O reads it (\"CAP_\" and "
			"upper case): CRI-O does not start (invalid capabilities)",
			c->bad_cap);
	cs_diag_file(d, c->defaults_from);
	return r;
}

static int load(struct cs_crio_config *c, const char *path, struct cs_diag *d);

int cs_crio_config_load(struct cs_crio_config *c, const char *path, struct cs_diag *d)
{
	/* a bare -ENOMEM from the TOML reader was "crio.conf: " and nothing
	 * (18 allocations of explain pod --crio-config, session 26) */
	return cs_diag_unsaid(d, startup_check(c, load(c, path, d), d));
}

/*
 * A file given alone. CRI-O reads its --config-dir (crio.conf.d beside
 * /etc/crio/crio.conf by default) after whatever --config names, so a file
 * named crio.conf with a crio.conf.d beside it is read with its drop-ins,
 * as the directory holding both is: `--crio-config /etc/crio/crio.conf`
 * read the file alone, and a drop-in's default_capabilities, which CRI-O
 * applies, were not (twenty-eighth pass). Any other file is read alone.
 */
static int load_conf_file(struct cs_crio_config *c, const char *path, struct cs_diag *d)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	int dir_len = slash ? (int)(slash - path) : 1;
	struct stat sb;
	char p[4096];
	int r;

	if (strcmp(base, "crio.conf"))
		return load_file(c, path, d);
	if ((size_t)snprintf(p, sizeof(p), "%.*s/crio.conf.d", dir_len, slash ? path : ".") >=
	    sizeof(p))
		return cs_diag_set(d, ENAMETOOLONG, 0, 0, "", "%s: path too long", path);
	if ((r = load_file(c, path, d)) < 0 || lstat(p, &sb) < 0)
		return r;
	return load_dropin_root(c, p, d);
}

static int load(struct cs_crio_config *c, const char *path, struct cs_diag *d)
{
	struct stat sb;
	char p[4096];

	if (stat(path, &sb) < 0) {
		if (d)
			cs_diag_put_file(d, "%s", path);
		return cs_diag_set(d, errno, 0, 0, "", "%s", strerror(errno));
	}
	if (!S_ISDIR(sb.st_mode))
		return load_conf_file(c, path, d);
	if ((size_t)snprintf(p, sizeof(p), "%s/crio.conf.d", path) >= sizeof(p))
		return cs_diag_set(d, ENAMETOOLONG, 0, 0, "", "%s: path too long", path);
	snprintf(p, sizeof(p), "%s/crio.conf", path);
	if (lstat(p, &sb) == 0) {
		/*
		 * CRI-O reads crio.conf with os.ReadFile and skips it on
		 * ENOENT alone ("Skipping not-existing config file"): a
		 * dangling link is no crio.conf, and CRI-O goes on to the
		 * drop-ins. It was taken for a directory without crio.conf,
		 * walked whole as drop-ins, and refused at the link
		 * (twenty-eighth pass).
		 */
		int r = stat(p, &sb) < 0 && errno == ENOENT ? 0 : load_file(c, p, d);

		if (r < 0)
			return r;
		snprintf(p, sizeof(p), "%s/crio.conf.d", path);
		return load_dropin_root(c, p, d);
	}
	/*
	 * CRI-O's own layout without crio.conf (a node configured by drop-ins
	 * alone, as with crio.conf.d/10-crio.conf): CRI-O skips the missing
	 * file and reads crio.conf.d alone (criocli mergeConfigFiles). The directory
	 * was walked whole as drop-ins: every other file under /etc/crio (a
	 * backup, an old drop-in directory) was applied (fifteenth pass).
	 */
	snprintf(p, sizeof(p), "%s/crio.conf.d", path);
	if (lstat(p, &sb) == 0)
		return load_dropin_root(c, p, d);
	return load_dropins(c, path, 0, d);
}

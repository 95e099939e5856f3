/* SPDX-License-Identifier: MIT */
/* Aggregating decoded checks per capability and call-site class; the JSON report. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/trace.h"

void cs_trace_report_init(struct cs_trace_report *r)
{
	memset(r, 0, sizeof(*r));
}

void cs_trace_report_free(struct cs_trace_report *r)
{
	for (int c = 0; c < CS_CAP_BITS; c++)
		for (int k = 0; k < CS_SITE_CLASSES; k++) {
			struct cs_trace_row *row = &r->rows[c][k];

			for (size_t i = 0; i < row->ncomms; i++)
				free(row->comms[i]);
			for (size_t i = 0; i < row->ncallers; i++)
				free(row->callers[i]);
		}
	free(r->tgids);
	memset(r, 0, sizeof(*r));
}

/* Add s to a small sorted set of strings; *more when it is full. */
static int add_str(char **v, size_t *n, bool *more, const char *s)
{
	size_t i = 0;

	while (i < *n && strcmp(v[i], s) < 0)
		i++;
	if (i < *n && strcmp(v[i], s) == 0)
		return 0;
	if (*n == CS_TRACE_MAX_NAMES) {
		*more = true;
		return 0;
	}
	char *d = strdup(s);

	if (!d)
		return -ENOMEM;
	memmove(v + i + 1, v + i, (*n - i) * sizeof(*v));
	v[i] = d;
	(*n)++;
	return 0;
}

static void add_int(int *v, size_t *n, size_t max, bool *more, int x)
{
	size_t i = 0;

	while (i < *n && v[i] < x)
		i++;
	if (i < *n && v[i] == x)
		return;
	if (*n == max) {
		*more = true;
		return;
	}
	memmove(v + i + 1, v + i, (*n - i) * sizeof(*v));
	v[i] = x;
	(*n)++;
}

/* A handful of distinct user namespace inode numbers, in the order seen. */
static void add_u32(uint32_t *v, size_t *n, bool *more, uint32_t x)
{
	for (size_t i = 0; i < *n; i++)
		if (v[i] == x)
			return;
	if (*n == 4) {
		*more = true;
		return;
	}
	v[(*n)++] = x;
}

static int add_tgid(struct cs_trace_report *r, uint32_t t)
{
	size_t lo = 0, hi = r->ntgids;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->tgids[mid] < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < r->ntgids && r->tgids[lo] == t)
		return 0;
	if (r->ntgids == r->tgids_cap) {
		size_t cap = r->tgids_cap ? r->tgids_cap * 2 : 64;
		uint32_t *nv = realloc(r->tgids, cap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		r->tgids = nv;
		r->tgids_cap = cap;
	}
	memmove(r->tgids + lo + 1, r->tgids + lo, (r->ntgids - lo) * sizeof(*r->tgids));
	r->tgids[lo] = t;
	r->ntgids++;
	return 0;
}

/* Counters saturate: a wrap to 0 would drop a granted capability from the
 * profile (found by fuzz-tracedecode: a counts-map row of 2^64-1 plus one). */
static void sat_add(uint64_t *a, uint64_t b)
{
	*a = *a > UINT64_MAX - b ? UINT64_MAX : *a + b;
}

/* rec's checks in row, granted or denied, and by the kind of user namespace
 * they were made in (returned). */
static enum cs_userns_kind count_verdict(struct cs_trace_row *row, const struct cs_trace_rec *rec)
{
	enum cs_userns_kind kind = cs_trace_userns(rec->target_ns, rec->own_ns);

	if (rec->ret == 0) {
		sat_add(&row->granted, rec->count);
		sat_add(&row->granted_in[kind], rec->count);
	} else {
		sat_add(&row->denied, rec->count);
		sat_add(&row->denied_in[kind], rec->count);
	}
	return kind;
}

int cs_trace_report_add(struct cs_trace_report *r, const struct cs_trace_rec *rec,
			enum cs_site_class cls, const char *caller)
{
	struct cs_trace_row *row;
	enum cs_userns_kind kind;
	int rc;

	if (rec->cap < 0 || rec->cap >= CS_CAP_BITS || (unsigned)cls >= CS_SITE_CLASSES)
		return -EINVAL;
	if (r->skip_runtime_init && cs_trace_runtime_init_comm(rec->comm)) {
		sat_add(&r->runtime_init, rec->count);
		sat_add(&r->checks, rec->count);
		rc = add_tgid(r, rec->tgid);
		if (rc < 0 && !r->error)
			r->error = rc;
		return rc;
	}
	row = &r->rows[rec->cap][cls];
	kind = count_verdict(row, rec);
	if (kind == CS_USERNS_OTHER)
		add_u32(row->other_ns, &row->nother_ns, &row->more_other_ns, rec->target_ns);
	sat_add(&r->checks, rec->count);
	if (rec->syscall >= 0)
		add_int(row->syscalls, &row->nsyscalls, sizeof(row->syscalls) / sizeof(int),
			&row->more_syscalls, rec->syscall);
	rc = add_str(row->comms, &row->ncomms, &row->more_comms, rec->comm);
	if (rc == 0 && caller)
		rc = add_str(row->callers, &row->ncallers, &row->more_callers, caller);
	if (rc == 0)
		rc = add_tgid(r, rec->tgid);
	if (rc < 0 && !r->error)
		r->error = rc;
	return rc;
}

int cs_trace_report_add_unattributed(struct cs_trace_report *r, const struct cs_trace_rec *rec)
{
	struct cs_trace_row *row;
	enum cs_userns_kind kind;

	if (rec->cap < 0 || rec->cap >= CS_CAP_BITS)
		return -EINVAL;
	sat_add(&r->checks, rec->count);
	r->tgids_partial = true;
	/* The runtime init's are in runtime_init alone: unattributed says
	 * how many count in the profile without their process, and its
	 * warning says so (before, they were in both). */
	if (r->skip_runtime_init && cs_trace_runtime_init_comm(rec->comm)) {
		sat_add(&r->runtime_init, rec->count);
		return 0;
	}
	sat_add(&r->unattributed, rec->count);
	row = &r->rows[rec->cap][CS_SITE_CHECK];
	kind = count_verdict(row, rec);
	/* Its namespace's number is not known (a stand-in): the list of
	 * "other" namespaces is not the whole of them. */
	if (kind == CS_USERNS_OTHER)
		row->more_other_ns = true;
	return 0;
}

cs_mask_t cs_trace_profile(const struct cs_trace_report *r)
{
	cs_mask_t m = 0;

	for (int c = 0; c < CS_CAP_BITS; c++)
		if (r->rows[c][CS_SITE_CHECK].granted)
			m |= CS_BIT(c);
	return m;
}

cs_mask_t cs_trace_denied_only(const struct cs_trace_report *r)
{
	cs_mask_t m = 0;

	for (int c = 0; c < CS_CAP_BITS; c++)
		if (r->rows[c][CS_SITE_CHECK].denied && !r->rows[c][CS_SITE_CHECK].granted)
			m |= CS_BIT(c);
	return m;
}

cs_mask_t cs_trace_profile_in(const struct cs_trace_report *r, enum cs_userns_kind k)
{
	cs_mask_t m = 0;

	if ((unsigned)k >= CS_USERNS_KINDS)
		return 0;
	for (int c = 0; c < CS_CAP_BITS; c++)
		if (r->rows[c][CS_SITE_CHECK].granted_in[k])
			m |= CS_BIT(c);
	return m;
}

size_t cs_trace_row_userns_text(const struct cs_trace_row *row, char *buf, size_t len)
{
	size_t o = 0;

#define APPEND(...)                                                                                \
	do {                                                                                       \
		int w_ = snprintf(buf + (o < len ? o : len), o < len ? len - o : 0, __VA_ARGS__);  \
		o += w_ > 0 ? (size_t)w_ : 0;                                                      \
	} while (0)
	if (len)
		buf[0] = '\0';
	for (int k = 0; k < CS_USERNS_KINDS; k++) {
		if (!row->granted_in[k] && !row->denied_in[k])
			continue;
		if (k != CS_USERNS_OTHER) {
			APPEND("%s%s", o ? "," : "", cs_userns_kind_name((enum cs_userns_kind)k));
			continue;
		}
		/* Checks of no known namespace (counted past a full kernel map,
		 * cs_trace_report_add_unattributed) still say "other": before,
		 * a row of only such checks showed "-", as if none. */
		if (!row->nother_ns) {
			APPEND("%sother", o ? "," : "");
			continue;
		}
		for (size_t i = 0; i < row->nother_ns; i++)
			APPEND("%sother:%u", o ? "," : "", (unsigned)row->other_ns[i]);
		if (row->more_other_ns)
			APPEND(",...");
	}
	if (!o)
		APPEND("-");
#undef APPEND
	return o;
}

static void json_userns(struct cs_json *j, const struct cs_trace_row *row)
{
	cs_json_key(j, "user_namespaces");
	cs_json_arr_begin(j);
	for (int k = 0; k < CS_USERNS_KINDS; k++) {
		if (!row->granted_in[k] && !row->denied_in[k])
			continue;
		cs_json_obj_begin(j);
		cs_json_key(j, "kind");
		cs_json_str(j, cs_userns_kind_name((enum cs_userns_kind)k));
		cs_json_key(j, "granted");
		cs_json_uint(j, row->granted_in[k]);
		cs_json_key(j, "denied");
		cs_json_uint(j, row->denied_in[k]);
		if (k == CS_USERNS_OTHER) {
			cs_json_key(j, "inodes");
			cs_json_arr_begin(j);
			for (size_t i = 0; i < row->nother_ns; i++)
				cs_json_uint(j, row->other_ns[i]);
			cs_json_arr_end(j);
		}
		cs_json_obj_end(j);
	}
	cs_json_arr_end(j);
}

static void json_names(struct cs_json *j, const char *key, char *const *v, size_t n)
{
	cs_json_key(j, key);
	cs_json_strv(j, (const char *const *)v, n);
}

static void json_row(struct cs_json *j, int cap, const struct cs_trace_row *row, int cls)
{
	char name[32];

	cs_json_obj_begin(j);
	cs_json_key(j, "capability");
	cs_json_str(j, cs_cap_name_r(cap, true, name, sizeof(name)));
	if (cls != CS_SITE_CHECK) {
		cs_json_key(j, "site");
		cs_json_str(j, cs_site_class_name((enum cs_site_class)cls));
	}
	cs_json_key(j, "granted");
	cs_json_uint(j, row->granted);
	cs_json_key(j, "denied");
	cs_json_uint(j, row->denied);
	if (cls == CS_SITE_CHECK) {
		cs_json_key(j, "denied_only");
		cs_json_bool(j, row->denied && !row->granted);
	}
	json_names(j, "comms", row->comms, row->ncomms);
	cs_json_key(j, "syscalls");
	cs_json_arr_begin(j);
	for (size_t i = 0; i < row->nsyscalls; i++) {
		const char *s = cs_syscall_name(row->syscalls[i]);
		char buf[32];

		if (!s) {
			snprintf(buf, sizeof(buf), "syscall_%d", row->syscalls[i]);
			s = buf;
		}
		cs_json_str(j, s);
	}
	cs_json_arr_end(j);
	json_names(j, "callers", row->callers, row->ncallers);
	json_userns(j, row);
	cs_json_obj_end(j);
}

static void json_mask_names(struct cs_json *j, const char *key, cs_mask_t m)
{
	cs_json_key(j, key);
	cs_json_cap_names(j, m);
}

void cs_trace_report_json(const struct cs_trace_report *r, struct cs_json *j)
{
	cs_json_key(j, "processes");
	cs_json_uint(j, r->ntgids);
	/* what the text says with "at least": some checks were counted
	 * without their process, or dropped */
	cs_json_key(j, "processes_lower_bound");
	cs_json_bool(j, r->tgids_partial);
	cs_json_key(j, "total_checks");
	cs_json_uint(j, r->checks);
	cs_json_key(j, "checks");
	cs_json_arr_begin(j);
	for (int c = 0; c < CS_CAP_BITS; c++) {
		const struct cs_trace_row *row = &r->rows[c][CS_SITE_CHECK];

		if (row->granted || row->denied)
			json_row(j, c, row, CS_SITE_CHECK);
	}
	cs_json_arr_end(j);
	cs_json_key(j, "noise");
	cs_json_arr_begin(j);
	for (int k = 1; k < CS_SITE_CLASSES; k++)
		for (int c = 0; c < CS_CAP_BITS; c++) {
			const struct cs_trace_row *row = &r->rows[c][k];

			if (row->granted || row->denied)
				json_row(j, c, row, k);
		}
	cs_json_arr_end(j);
	cs_json_key(j, "profile");
	cs_json_obj_begin(j);
	json_mask_names(j, "capabilities", cs_trace_profile(r));
	{
		char hex[24];

		snprintf(hex, sizeof(hex), "0x%016" PRIx64, cs_trace_profile(r));
		cs_json_key(j, "mask");
		cs_json_str(j, hex);
	}
	json_mask_names(j, "denied_only", cs_trace_denied_only(r));
	cs_json_key(j, "by_user_namespace");
	cs_json_obj_begin(j);
	for (int k = 0; k < CS_USERNS_KINDS; k++)
		json_mask_names(j, cs_userns_kind_name((enum cs_userns_kind)k),
				cs_trace_profile_in(r, (enum cs_userns_kind)k));
	cs_json_obj_end(j);
	/* Needed only inside a user namespace, never against the initial one. */
	json_mask_names(j, "only_in_child_user_namespaces",
			cs_trace_profile(r) & ~cs_trace_profile_in(r, CS_USERNS_INITIAL));
	cs_json_obj_end(j);
	cs_json_key(j, "lost_events");
	cs_json_uint(j, r->lost_events);
	cs_json_key(j, "dropped_checks");
	cs_json_uint(j, r->dropped);
	cs_json_key(j, "unattributed_checks");
	cs_json_uint(j, r->unattributed);
	cs_json_key(j, "unfollowed_exits");
	cs_json_uint(j, r->unfollowed);
	cs_json_key(j, "checks_without_stack");
	cs_json_uint(j, r->nostack);
	cs_json_key(j, "runtime_init_checks");
	cs_json_uint(j, r->runtime_init);
}

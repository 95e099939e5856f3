/* SPDX-License-Identifier: MIT */
/*
 * capscope trace's output. The comms of traced processes are theirs to
 * choose: every such text goes through cs_escape_text before a terminal
 * sees it (the JSON writer escapes on its own).
 */
#include "trace-render.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/escape.h"
#include "capscope/json.h"
#include "capscope/text.h"
#include "output.h"

void trace_print_event(const struct cs_trace_rec *r, void *ctx_)
{
	struct event_ctx *ctx = ctx_;
	char name[32];
	const char *sc = r->syscall >= 0 ? cs_syscall_name(r->syscall) : NULL;
	/* A comm is the process's to choose, and columns follow it: "x
	 * CAP_SYS_ADMIN" (15 bytes) read as the comm "x" and a check of
	 * CAP_SYS_ADMIN (twelfth pass), "x" NBSP "CAP_CHOWN" too (twelve bytes):
	 * the cell rule (escape.h). */
	char *comm;

	if (ctx->json)
		return; /* the JSON report carries the totals */
	if (!ctx->t0)
		ctx->t0 = r->ts_ns;
	comm = cs_escape_cell_dup(r->comm);
	/* The comm padded by columns, not bytes: five CJK characters are 15
	 * bytes and 10 columns, and moved the rest of the line (text-table.h). */
	printf("%10.6f %7u %7u ", (double)(r->ts_ns - ctx->t0) / 1e9, r->tgid, r->pid);
	cs_text_pad(stdout, comm ? comm : cs_oom_mark(), 16);
	printf(" %-24s %-7s %-16s %s\n", cs_cap_name_r(r->cap, true, name, sizeof(name)),
	       r->ret == 0 ? "granted" : "denied", sc ? sc : "-",
	       cs_userns_kind_name(cs_trace_userns(r->target_ns, r->own_ns)));
	free(comm);
}

static char *mask_text(cs_mask_t m, enum cs_name_style st)
{
	size_t n = cs_mask_format_names(m, st, NULL, 0) + 1;
	char *s = malloc(n);

	if (s)
		cs_mask_format_names(m, st, s, n);
	return s;
}

/*
 * Appends item (already escaped, n bytes) to the list in buf at *o, or,
 * when it would not fit with room left for ",...", ends the list there with
 * ",..." and returns false. An item is never cut: a name cut short looked
 * like another name, and the cut list had no mark (16 comms of 15 escaped
 * bytes each, 60 characters apiece, filled the 256 bytes after four).
 */
/* The mark of a cut list; put_item always leaves room for it. */
static void put_more(char *buf, size_t len, size_t o, bool first)
{
	snprintf(buf + o, len - o, "%s", first ? "..." : ",...");
}

static bool put_item(char *buf, size_t len, size_t *o, const char *item, size_t n, bool first)
{
	size_t sep = first ? 0 : 1;

	if (*o + sep + n + sizeof(",...") > len) {
		put_more(buf, len, *o, first);
		return false;
	}
	snprintf(buf + *o, len - *o, "%s%s", first ? "" : ",", item);
	*o += sep + n;
	return true;
}

/*
 * An item of a list, escaped, and the list's own marks in it too: a process
 * names its comm, and "chown,sshd" shown as is reads as two commands, "..."
 * as a cut list, "-" as no command at all. So the item rule (escape.h
 * cs_escape_item_dup: a space as "\x20", the other blanks as "\uNNNN",
 * ',' as "\x2c"; the table's columns are split by spaces: "sh  chmod" read
 * as the command sh and the system call chmod), and an item that is a whole
 * mark has its first byte as "\xNN" ('\\' is already escaped, so the forms
 * cannot be confused). NULL on ENOMEM.
 */
static char *list_item(const char *raw)
{
	char *e = cs_escape_item_dup(raw, ","), *out;

	if (!e || (strcmp(e, "...") != 0 && strcmp(e, "-") != 0))
		return e;
	if (asprintf(&out, "\\x%02x%s", (unsigned char)e[0], e + 1) < 0)
		out = NULL;
	free(e);
	return out;
}

/* "a,b,c" from a list (each escaped), ",..." when it was cut here or before. */
static void join(char *buf, size_t len, char *const *v, size_t n, bool more)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		char *e = list_item(v[i]);
		bool fit = put_item(buf, len, &o, e ? e : cs_oom_mark(), e ? strlen(e) : 1, i == 0);

		free(e);
		if (!fit)
			return;
	}
	if (more)
		put_more(buf, len, o, n == 0);
	if (!n && !more)
		snprintf(buf, len, "-");
}

static void join_syscalls(char *buf, size_t len, const struct cs_trace_row *row)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < row->nsyscalls; i++) {
		const char *s = cs_syscall_name(row->syscalls[i]);
		char num[16];

		if (!s) {
			snprintf(num, sizeof(num), "%d", row->syscalls[i]);
			s = num;
		}
		if (!put_item(buf, len, &o, s, strlen(s), i == 0))
			return;
	}
	if (row->more_syscalls)
		put_more(buf, len, o, row->nsyscalls == 0);
	if (!row->nsyscalls && !row->more_syscalls)
		snprintf(buf, len, "-");
}

/* One table row per (capability, class) seen; returns the noise checks not shown. */
static uint64_t add_rows(struct cs_table *t, const struct cs_trace_report *r, bool verbose)
{
	uint64_t noise = 0;

	for (int k = 0; k < CS_SITE_CLASSES; k++)
		for (int c = 0; c < CS_CAP_BITS; c++) {
			const struct cs_trace_row *row = &r->rows[c][k];
			char name[32], g[24], dn[24], comms[256], sc[256], callers[512], note[64],
			    ns[128];
			const char *cells[8] = {name, g, dn, comms, sc, ns, note, callers};

			if (!row->granted && !row->denied)
				continue;
			if (k != CS_SITE_CHECK) {
				noise += row->granted + row->denied;
				if (!verbose)
					continue;
				snprintf(note, sizeof(note), "noise: %s",
					 cs_site_class_name((enum cs_site_class)k));
			} else if (!row->granted) {
				snprintf(note, sizeof(note), "denied only: not in profile");
			} else {
				snprintf(note, sizeof(note), "-");
			}
			snprintf(g, sizeof(g), "%" PRIu64, row->granted);
			snprintf(dn, sizeof(dn), "%" PRIu64, row->denied);
			join(comms, sizeof(comms), row->comms, row->ncomms, row->more_comms);
			join_syscalls(sc, sizeof(sc), row);
			cs_trace_row_userns_text(row, ns, sizeof(ns));
			join(callers, sizeof(callers), row->callers, row->ncallers,
			     row->more_callers);
			cs_cap_name_r(c, true, name, sizeof(name));
			cs_table_add(t, cells);
		}
	return noise;
}

static void print_warnings(const struct cs_trace_report *r, uint64_t noise, bool verbose)
{
	cs_mask_t prof = cs_trace_profile(r), den = cs_trace_denied_only(r);
	char *names;

	if (noise && !verbose)
		printf("\n%" PRIu64 " noise checks (overcommit heuristic, noaudit probes) are not "
		       "shown; -v lists them\n",
		       noise);
	if (r->runtime_init)
		printf("%" PRIu64 " checks by the container runtime's own init (runc, crun: its "
		       "setup before the container's process runs) are not counted\n",
		       r->runtime_init);
	if (r->nostack)
		printf("warning: %" PRIu64 " checks had no kernel stack and count as ordinary "
		       "checks\n",
		       r->nostack);
	if (r->unattributed)
		printf("warning: %" PRIu64 " checks were counted without their process, syscall or "
		       "call site (the kernel map was full); they count in the profile as ordinary "
		       "checks\n",
		       r->unattributed);
	if (r->dropped)
		printf("warning: %" PRIu64 " checks were not counted (the kernel map was full)\n",
		       r->dropped);
	if (r->unfollowed)
		printf("warning: %" PRIu64
		       " traced processes exited with children not all followed "
		       "(more than 8192, or one reaped meanwhile): those may not be traced\n",
		       r->unfollowed);
	names = mask_text(prof, CS_NAMES_OCI);
	printf("\nprofile: %s\n", prof ? names : "(no capabilities)");
	free(names);
	names = mask_text(prof & ~cs_trace_profile_in(r, CS_USERNS_INITIAL), CS_NAMES_OCI);
	if (names && *names)
		printf("needed only inside a user namespace, never on the node: %s\n", names);
	free(names);
	if (den) {
		names = mask_text(den, CS_NAMES_OCI);
		printf("denied only, not added: %s (a denied check is not proof of a need)\n",
		       names);
		free(names);
	}
}

void trace_text_report(const struct cs_trace_report *r, const struct cs_trace_view *v)
{
	static const char *const head[] = {"CAPABILITY", "GRANTED", "DENIED", "COMMANDS",
					   "SYSCALLS",	 "USERNS",  "NOTE",   "CALLERS"};
	struct cs_table t;
	uint64_t noise;
	char *what = cs_escape_dup(v->what);
	cs_mask_t prof = cs_trace_profile(r);

	if (v->cmd)
		printf("\n");
	printf("traced %s via %s: %s%zu process%s, %" PRIu64 " checks, %" PRIu64 " lost events\n\n",
	       what ? what : cs_oom_mark(), v->hook, r->tgids_partial ? "at least " : "", r->ntgids,
	       r->ntgids == 1 ? "" : "es", r->checks, r->lost_events);
	free(what);
	cs_table_init(&t, v->verbose ? 8 : 7);
	cs_table_add(&t, head);
	noise = add_rows(&t, r, v->verbose);
	/* A row dropped for memory is not "no capability checks". */
	if (t.nrow > 1 || t.failed)
		cs_table_emit(&t, stdout, cs_color(stdout, "\033[1m"));
	else
		printf("no capability checks\n");
	cs_table_free(&t);
	print_warnings(r, noise, v->verbose);
	if (v->cmd)
		printf("exit status of the traced command: %d\n", v->status);
	for (int k = 0; k <= CS_PROFILE_SYSTEMD; k++) {
		if (!(v->profiles & (1u << k)))
			continue;
		printf("\n# %s\n", cs_profile_kind_name((enum cs_profile_kind)k));
		cs_profile_write((enum cs_profile_kind)k, prof, (const char *const *)v->cmd,
				 stdout);
	}
	if (v->verify && v->verify->ran)
		printf("\nverify (%s, only the profile's capabilities): exit %d, %s\n",
		       v->verify->runner, v->verify->status,
		       v->verify->ok ? "same as traced: the profile is enough"
				     : "different from the traced run: the profile is NOT enough");
}

int trace_json_report(const struct cs_trace_report *r, const struct cs_trace_view *v)
{
	struct cs_json j;

	cs_json_init(&j, stdout, true);
	cs_trace_view_json(&j, r, v);
	return cs_json_finish(&j);
}

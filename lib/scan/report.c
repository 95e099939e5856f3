/* SPDX-License-Identifier: MIT */
/*
 * The reports of a scan as data: the JSON and SARIF documents, the getcap
 * text of a finding's capabilities and the image-or-tree decision, here so a
 * daemon writes exactly what `capscope scan` writes.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include "capscope/escape.h"
#include "capscope/json.h"
#include "capscope/scan.h"
#include "../internal/util.h"
#include "internal/sarif.h"

/* tar ("ustar" at 257), gzip, zstd, xz, bzip2: what the image reader accepts. */
static bool archive_magic(const char *p)
{
	unsigned char b[263] = {0};
	FILE *f = fopen(p, "rb");
	size_t n;

	if (!f)
		return true; /* let the reader report why it cannot be opened */
	n = fread(b, 1, sizeof(b), f);
	fclose(f);
	return (n >= 262 && memcmp(b + 257, "ustar", 5) == 0) ||
	       (n >= 2 && b[0] == 0x1f && b[1] == 0x8b) ||
	       (n >= 4 && memcmp(b, "\x28\xb5\x2f\xfd", 4) == 0) ||
	       (n >= 6 && memcmp(b,
				 "\xfd"
				 "7zXZ\0",
				 6) == 0) ||
	       (n >= 3 && memcmp(b, "BZh", 3) == 0);
}

bool cs_scan_is_image(const char *p)
{
	struct stat st;
	char buf[4096];

	if (lstat(p, &st) < 0)
		return false;
	if (S_ISLNK(st.st_mode) && stat(p, &st) < 0)
		return false;
	/*
	 * An executable that is not an archive is checked as itself, like getcap
	 * FILE; anything else goes to the image reader, which says what is wrong.
	 */
	/*
	 * A file that gains privilege on execve is checked as itself, whatever
	 * its first bytes: an ELF whose header sits in a tar header's name field
	 * is both a running set-uid program and a valid tar, and was read as an
	 * image by its "ustar" ("0 findings", exit 0).
	 */
	if (S_ISREG(st.st_mode) &&
	    ((st.st_mode & (S_ISUID | S_ISGID)) || getxattr(p, CS_XATTR_CAPS, NULL, 0) >= 0))
		return false;
	if (S_ISREG(st.st_mode))
		return archive_magic(p) || !(st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH));
	/* A directory holding an OCI layout is an image, not a tree. */
	snprintf(buf, sizeof(buf), "%s/oci-layout", p);
	return S_ISDIR(st.st_mode) && lstat(buf, &st) == 0 && S_ISREG(st.st_mode);
}

int cs_scan_target_run(struct cs_scan_target *t, const struct cs_scan_opts *o)
{
	/* An error that came back bare (out of memory deep in a reader) still
	 * says what it is: "capscope scan: tree: " said nothing. */
	t->rc = cs_diag_unsaid(&t->diag, t->image ? cs_scan_image(t->name, o, &t->r, &t->diag)
						  : cs_scan_tree(t->name, o, &t->r, &t->diag));
	return t->rc;
}

static void mode_str(uint32_t mode, char *b, size_t n)
{
	snprintf(b, n, "0%o", mode & 07777);
}

char *cs_finding_caps_text(const struct cs_finding *f)
{
	char *t, *s;

	if (!f->has_fcaps)
		return strdup("");
	if (f->fcaps_invalid)
		return strdup("(invalid security.capability)");
	t = cs_fcaps_to_text(&f->fcaps);
	if (!t)
		return NULL;
	if (f->fcaps.version == 3) {
		if (asprintf(&s, "%s v3 rootid=%" PRIu32, t, f->fcaps.rootid) < 0)
			s = NULL;
	} else if (asprintf(&s, "%s v%d", t, f->fcaps.version) < 0) {
		s = NULL;
	}
	free(t);
	return s;
}

static void json_argv(struct cs_json *j, const struct cs_strlist *l)
{
	if (!l->v) {
		cs_json_null(j);
		return;
	}
	cs_json_strv(j, l->v, l->n);
}

/* "uid", "gid", "mode" ("0…"), "setuid", "setgid" of a finding (and of a diff's sides). */
void cs_scan_json_owner_mode(struct cs_json *j, uint32_t uid, uint32_t gid, uint32_t mode)
{
	char m[16];

	mode_str(mode, m, sizeof(m));
	cs_json_key(j, "uid");
	cs_json_uint(j, uid);
	cs_json_key(j, "gid");
	cs_json_uint(j, gid);
	cs_json_key(j, "mode");
	cs_json_str(j, m);
	cs_json_key(j, "setuid");
	cs_json_bool(j, mode & S_ISUID);
	cs_json_key(j, "setgid");
	cs_json_bool(j, mode & S_ISGID);
}

/* The "file_caps" value of a finding (and of both sides of a diff). */
void cs_scan_json_file_caps(struct cs_json *j, bool has, bool invalid, const struct cs_fcaps *fc)
{
	if (!has) {
		cs_json_null(j);
	} else if (invalid) {
		cs_json_obj_begin(j);
		cs_json_key(j, "text");
		cs_json_null(j);
		cs_json_key(j, "invalid");
		cs_json_bool(j, true);
		cs_json_obj_end(j);
	} else {
		char *text = cs_fcaps_to_text(fc);

		/* NULL is out of memory: "text": null was written, exit 0
		 * (twentieth pass); the writer stops there instead. */
		if (!text && !j->error)
			j->error = -ENOMEM;
		cs_json_obj_begin(j);
		cs_json_key(j, "text");
		cs_json_str(j, text);
		free(text);
		cs_json_key(j, "version");
		cs_json_int(j, fc->version);
		cs_json_key(j, "rootid");
		if (fc->version == 3)
			cs_json_uint(j, fc->rootid);
		else
			cs_json_null(j);
		cs_json_key(j, "effective");
		cs_json_bool(j, fc->effective);
		cs_json_key(j, "permitted");
		cs_json_mask(j, fc->permitted);
		cs_json_key(j, "inheritable");
		cs_json_mask(j, fc->inheritable);
		cs_json_obj_end(j);
	}
}

static void json_finding(struct cs_json *j, const struct cs_scan_target *tg,
			 const struct cs_finding *f)
{
	cs_json_obj_begin(j);
	const char *path = cs_finding_path(&tg->r, f);

	if (!path && !j->error)
		j->error = -ENOMEM; /* never a null path */
	cs_json_key(j, "path");
	cs_json_str(j, path);
	cs_json_key(j, "target");
	cs_json_str(j, tg->name);
	cs_scan_json_owner_mode(j, f->uid, f->gid, f->mode);
	cs_json_key(j, "file_caps");
	cs_scan_json_file_caps(j, f->has_fcaps, f->fcaps_invalid, &f->fcaps);
	cs_json_key(j, "risk");
	cs_json_str(j, cs_risk_name(f->risk));
	cs_json_key(j, "reason");
	cs_json_str(j, f->reason);
	cs_json_key(j, "inert");
	cs_json_bool(j, f->inert);
	cs_json_key(j, "entrypoint");
	cs_json_bool(j, f->entrypoint);
	cs_json_key(j, "layer");
	if (f->layer >= 0)
		cs_json_int(j, f->layer);
	else
		cs_json_null(j);
	cs_json_obj_end(j);
}

void cs_scan_write_json(struct cs_json *j, const struct cs_scan_target *tg, size_t nt)
{
	uint64_t files = 0, dirs = 0, by[CS_RISK_CRITICAL + 1] = {0}, total = 0;

	cs_json_obj_begin(j);
	cs_json_key(j, "findings");
	cs_json_arr_begin(j);
	for (size_t i = 0; i < nt; i++) {
		files += tg[i].r.files;
		dirs += tg[i].r.dirs;
		for (size_t k = 0; k < tg[i].r.nfindings; k++) {
			json_finding(j, &tg[i], &tg[i].r.findings[k]);
			by[tg[i].r.findings[k].risk]++;
			total++;
		}
	}
	cs_json_arr_end(j);
	cs_json_key(j, "summary");
	cs_json_obj_begin(j);
	cs_json_key(j, "findings");
	cs_json_uint(j, total);
	cs_json_key(j, "by_risk");
	cs_json_obj_begin(j);
	for (int r = CS_RISK_CRITICAL; r >= CS_RISK_INFO; r--) {
		cs_json_key(j, cs_risk_name((enum cs_risk)r));
		cs_json_uint(j, by[r]);
	}
	cs_json_obj_end(j);
	cs_json_key(j, "files");
	cs_json_uint(j, files);
	cs_json_key(j, "dirs");
	cs_json_uint(j, dirs);
	cs_json_key(j, "targets");
	cs_json_arr_begin(j);
	for (size_t i = 0; i < nt; i++) {
		const struct cs_scan_result *r = &tg[i].r;

		cs_json_obj_begin(j);
		cs_json_key(j, "target");
		cs_json_str(j, tg[i].name);
		cs_json_key(j, "kind");
		cs_json_str(j, tg[i].image ? (r->image_kind ? r->image_kind : "image") : "tree");
		if (tg[i].image && r->image_kind) {
			cs_json_key(j, "layers");
			cs_json_uint(j, r->nlayers);
			cs_json_key(j, "user");
			cs_json_str(j, r->config.user ? r->config.user : "");
			cs_json_key(j, "entrypoint");
			json_argv(j, &r->config.entrypoint);
			cs_json_key(j, "cmd");
			json_argv(j, &r->config.cmd);
			cs_json_key(j, "entrypoint_path");
			cs_json_str(j, r->entrypoint_path); /* null when absent */
		}
		cs_json_key(j, "error");
		if (tg[i].rc < 0) {
			char b[700];

			cs_json_str(j, cs_diag_format(&tg[i].diag, b, sizeof(b)));
		} else {
			cs_json_null(j);
		}
		cs_json_key(j, "errors");
		cs_json_arr_begin(j);
		for (size_t k = 0; k < r->nerrors; k++) {
			const char *p = cs_scan_error_path(r, &r->errors[k]);

			if (!p && !j->error)
				j->error = -ENOMEM; /* never a null path */
			cs_json_obj_begin(j);
			cs_json_key(j, "path");
			cs_json_str(j, p);
			cs_json_key(j, "message");
			cs_json_str(j, r->errors[k].message);
			cs_json_obj_end(j);
		}
		cs_json_arr_end(j);
		cs_json_obj_end(j);
	}
	cs_json_arr_end(j);
	cs_json_obj_end(j);
	cs_json_obj_end(j);
}

static const char *sarif_level(enum cs_risk r)
{
	return r >= CS_RISK_HIGH ? "error" : r == CS_RISK_MEDIUM ? "warning" : "note";
}

static void sarif_notification(struct cs_json *j, const char *level, const char *target,
			       const char *what, const char *why)
{
	cs_json_obj_begin(j);
	cs_json_key(j, "level");
	cs_json_str(j, level);
	cs_json_key(j, "message");
	cs_json_obj_begin(j);
	cs_json_key(j, "text");
	/* The terminal's text (nineteenth pass): a viewer shows the target's
	 * and the reason's names as the terminal does, no control raw. */
	cs_json_text_parts(j, (const char *const[]){target, ": ", what, what ? ": " : "", why}, 5);
	cs_json_obj_end(j);
	cs_json_obj_end(j);
}

/*
 * Thirteenth pass: a target that could not be read (a missing image, a tree
 * refused) and the files of a tree that could not be read were in the JSON
 * ("error", "errors") and on stderr, but not in the SARIF: uploaded, it read
 * as a clean scan of what was left. The run's invocation says whether it
 * succeeded, as the exit status does (a file that vanished mid-walk is a
 * note, not a failure), with one notification each.
 */
static void sarif_invocation(struct cs_json *j, const struct cs_scan_target *tg, size_t nt)
{
	bool ok = true;

	for (size_t i = 0; i < nt; i++) {
		ok = ok && tg[i].rc >= 0;
		for (size_t k = 0; k < tg[i].r.nerrors; k++)
			ok = ok && tg[i].r.errors[k].err == ENOENT;
	}
	cs_json_key(j, "invocations");
	cs_json_arr_begin(j);
	cs_json_obj_begin(j);
	cs_json_key(j, "executionSuccessful");
	cs_json_bool(j, ok);
	cs_json_key(j, "toolExecutionNotifications");
	cs_json_arr_begin(j);
	for (size_t i = 0; i < nt; i++) {
		char b[700];

		if (tg[i].rc < 0)
			sarif_notification(j, "error", tg[i].name, NULL,
					   cs_diag_format(&tg[i].diag, b, sizeof(b)));
		for (size_t k = 0; k < tg[i].r.nerrors; k++) {
			const struct cs_scan_error *e = &tg[i].r.errors[k];
			const char *p = cs_scan_error_path(&tg[i].r, e);

			if (!p && !j->error)
				j->error = -ENOMEM;
			sarif_notification(j, e->err == ENOENT ? "note" : "error", tg[i].name,
					   p ? p : "", e->message);
		}
	}
	cs_json_arr_end(j);
	cs_json_obj_end(j);
	cs_json_arr_end(j);
}

void cs_scan_write_sarif(struct cs_json *j, const struct cs_scan_target *tg, size_t nt)
{
	static const char *const rules[][2] = {
	    {"file-capabilities", "File carries capabilities (security.capability)"},
	    {"setuid", "File is set-uid"},
	    {"setgid", "File is set-gid"},
	};
	j->no_escaped = true; /* no place in SARIF's schema (json.h) */
	cs_json_obj_begin(j);
	cs_json_key(j, "$schema");
	cs_json_str(j, "https://json.schemastore.org/sarif-2.1.0.json");
	cs_json_key(j, "version");
	cs_json_str(j, "2.1.0");
	cs_json_key(j, "runs");
	cs_json_arr_begin(j);
	cs_json_obj_begin(j);
	cs_json_key(j, "tool");
	cs_json_obj_begin(j);
	cs_json_key(j, "driver");
	cs_json_obj_begin(j);
	cs_json_key(j, "name");
	cs_json_str(j, "capscope");
	cs_json_key(j, "version");
	cs_json_str(j, "0.1.0");
	cs_json_key(j, "rules");
	cs_json_arr_begin(j);
	for (size_t i = 0; i < 3; i++) {
		cs_json_obj_begin(j);
		cs_json_key(j, "id");
		cs_json_str(j, rules[i][0]);
		cs_json_key(j, "shortDescription");
		cs_json_obj_begin(j);
		cs_json_key(j, "text");
		cs_json_str(j, rules[i][1]);
		cs_json_obj_end(j);
		cs_json_obj_end(j);
	}
	cs_json_arr_end(j);
	cs_json_obj_end(j);
	cs_json_obj_end(j);
	cs_json_key(j, "results");
	cs_json_arr_begin(j);
	for (size_t i = 0; i < nt; i++) {
		for (size_t k = 0; k < tg[i].r.nfindings; k++) {
			const struct cs_finding *f = &tg[i].r.findings[k];
			int rule = f->has_fcaps ? 0 : (f->mode & S_ISUID) ? 1 : 2;
			char *caps = cs_finding_caps_text(f), *msg = NULL;
			char mode[16];
			const char *path = cs_finding_path(&tg[i].r, f);
			/* The message's path as the terminal's cell shows it
			 * (nineteenth pass: "x: risk critical ..." raw in it). */
			char *shown = path ? cs_escape_cell_dup(path) : NULL;

			if (!path || !shown || !caps) {
				free(shown);
				if (!j->error)
					j->error = -ENOMEM;
				free(caps);
				continue;
			}

			mode_str(f->mode, mode, sizeof(mode));
			if (asprintf(
				&msg,
				"%s: risk %s%s: %s (mode %s, uid %" PRIu32 ", gid %" PRIu32 "%s%s)",
				shown, cs_risk_name(f->risk), f->inert ? ", inert" : "", f->reason,
				mode, f->uid, f->gid, caps[0] ? ", caps " : "", caps) < 0)
				msg = NULL;
			free(caps);
			/* Twentieth pass: out of memory wrote the message as the
			 * path alone and no location, exit 0; now the writer stops
			 * (the document is cut and the exit status 2). */
			if (!msg && !j->error)
				j->error = -ENOMEM;
			cs_json_obj_begin(j);
			cs_json_key(j, "ruleId");
			cs_json_str(j, rules[rule][0]);
			cs_json_key(j, "ruleIndex");
			cs_json_int(j, rule);
			cs_json_key(j, "level");
			cs_json_str(j, f->inert ? "note" : sarif_level(f->risk));
			cs_json_key(j, "message");
			cs_json_obj_begin(j);
			cs_json_key(j, "text");
			cs_json_str(j, msg ? msg : shown);
			cs_json_obj_end(j);
			free(msg);
			free(shown);
			/* Image paths are absolute inside the image; SARIF wants a relative
			 * URI. Percent-encoded (eighth pass): a file named "a%2F..%2Fb" was
			 * written as it is and read by consumers as "a/../b", another file;
			 * "b#c" as "b". Out of memory: no location rather than a wrong
			 * one, and the writer stopped. */
			char *uri =
			    cs_sarif_uri_encode(tg[i].image && path[0] == '/' ? path + 1 : path);

			if (uri)
				cs_sarif_location(j, uri, 0, 0);
			else if (!j->error)
				j->error = -ENOMEM;
			free(uri);
			cs_json_key(j, "properties");
			cs_json_obj_begin(j);
			cs_json_key(j, "risk");
			cs_json_str(j, cs_risk_name(f->risk));
			cs_json_key(j, "target");
			cs_json_str(j, tg[i].name);
			cs_json_key(j, "layer");
			if (f->layer >= 0)
				cs_json_int(j, f->layer);
			else
				cs_json_null(j);
			cs_json_obj_end(j);
			cs_json_obj_end(j);
		}
	}
	cs_json_arr_end(j);
	sarif_invocation(j, tg, nt);
	cs_json_obj_end(j);
	cs_json_arr_end(j);
	cs_json_obj_end(j);
}

/* SPDX-License-Identifier: MIT */
/*
 * Why one requested capability ends effective or not, from the credentials
 * before and after execve and the rules the kernel model recorded: a stable
 * id, the full sentence explain prints, and a short reason for one-line
 * warnings (admission webhooks).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "capscope/escape.h"
#include "capscope/explain.h"
#include "internal/cleanup.h"
#include "internal/util.h"
#include "strf.h"

static const char *const why_ids[] = {
    [CS_WHY_EFFECTIVE_AMBIENT] = "effective-ambient",
    [CS_WHY_EFFECTIVE_ROOT] = "effective-root",
    [CS_WHY_EFFECTIVE_FCAPS] = "effective-file-caps",
    [CS_WHY_EXEC_FAILS] = "exec-fails",
    [CS_WHY_PERMITTED_ONLY] = "permitted-only",
    [CS_WHY_NOT_IN_BOUNDING] = "not-in-bounding",
    [CS_WHY_NONROOT_NOT_PERMITTED] = "nonroot-not-permitted",
    [CS_WHY_NO_NEW_PRIVS] = "no-new-privs",
    [CS_WHY_SECBIT_NOROOT] = "secbit-noroot",
    [CS_WHY_AMBIENT_REFUSED] = "ambient-refused",
    [CS_WHY_FCAPS_ROOTID] = "file-caps-rootid",
    [CS_WHY_FCAPS_NOSUID] = "file-caps-nosuid",
    [CS_WHY_AMBIENT_CLEARED] = "ambient-cleared",
    [CS_WHY_NONROOT_NO_AMBIENT] = "nonroot-no-ambient",
    [CS_WHY_ALL] = "all",
    [CS_WHY_NOT_ADMITTED] = "not-admitted",
    [CS_WHY_NOT_CREATED] = "not-created",
    [CS_WHY_NOT_A_CAPABILITY] = "not-a-capability",
    [CS_WHY_SCC_DROPPED] = "scc-dropped",
    [CS_WHY_RUNTIME_UNKNOWN_NAME] = "runtime-unknown-name",
    [CS_WHY_RUNTIME_DROPPED] = "runtime-dropped",
    [CS_WHY_NOT_STARTED] = "not-started",
};

const char *cs_why_id(enum cs_why why)
{
	if ((size_t)why >= sizeof(why_ids) / sizeof(why_ids[0]) || !why_ids[why])
		return "unknown";
	return why_ids[why];
}

void cs_cap_verdict_free(struct cs_cap_verdict *v)
{
	if (!v)
		return;
	free(v->name);
	free(v->text);
	free(v->short_text);
	v->name = v->text = v->short_text = NULL;
}

/* Take both strings (either may be NULL on ENOMEM); returns -ENOMEM then. */
static int set(struct cs_cap_verdict *v, bool ok, enum cs_why why, char *short_text, char *text)
{
	free(v->text);
	free(v->short_text);
	v->effective = ok;
	v->why = why;
	v->text = text;
	v->short_text = short_text;
	return text && short_text ? 0 : -ENOMEM;
}

static bool has_step(const struct cs_steps *st, const char *rule)
{
	return cs_steps_find(st, rule) != NULL;
}

static int exec_fails(const struct cs_exec_result *res, const struct cs_steps *st,
		      struct cs_cap_verdict *v)
{
	const char *why = "";

	/* The kernel's refusal says most: the last kernel step is it. */
	for (size_t i = st->n; i-- > 0;)
		if (strcmp(st->v[i].layer, "kernel") == 0) {
			why = st->v[i].detail;
			break;
		}
	return set(v, false, CS_WHY_EXEC_FAILS,
		   cs_strf("the process never starts (%s)", cs_errno_name(res->error)),
		   cs_strf("not effective: the process never starts (%s at %s%s%s)",
			   cs_errno_name(res->error), res->step, *why ? ": " : "", why));
}

/*
 * The file as one word of the verdict's sentence (lib/word.c): as it is when
 * plain, else quoted. Twentieth pass: a container's command "/bin/app gets
 * nothing: it is safe. Every execution of /bin/other" was the file, and
 * the verdict read "uid 1000 is not root, /bin/app gets nothing: it is
 * safe. Every execution of /bin/other has no file capabilities ..." (the
 * model's steps quote it since the eighteenth pass: lib/kernel.c as_word).
 */
static char *path_word(const struct cs_exec_file *f)
{
	return f->unnamed ? strdup(f->path) : cs_word_dup(f->path ? f->path : "", '"');
}

static int effective(const struct cs_cred *post, const char *path, const struct cs_steps *st,
		     cs_mask_t b, struct cs_cap_verdict *v)
{
	if (post->caps.set[CS_AMB] & b)
		return set(v, true, CS_WHY_EFFECTIVE_AMBIENT,
			   cs_strf("ambient, kept across execve"),
			   cs_strf("effective: ambient, kept across execve"));
	if (post->uid[1] == 0 && has_step(st, "execve.root-effective"))
		return set(v, true, CS_WHY_EFFECTIVE_ROOT, cs_strf("euid 0 gets the bounding set"),
			   cs_strf("effective: euid 0 receives the bounding set (plus inheritable) "
				   "at execve"));
	return set(v, true, CS_WHY_EFFECTIVE_FCAPS,
		   cs_strf("file capabilities (+ep) of the binary"),
		   cs_strf("effective: granted by the file capabilities (+ep) of %s", path));
}

/* The rules after "not permitted and not in bounding" that name a file or step. */
static int file_rules(const struct cs_quintet *req, const struct cs_cred *pre,
		      const struct cs_cred *post, const char *path, const struct cs_steps *st,
		      cs_mask_t b, struct cs_cap_verdict *v)
{
	bool amb_req = (req->present & (1u << CS_AMB)) && (req->set[CS_AMB] & b);
	bool inh_req = (req->present & (1u << CS_INH)) && (req->set[CS_INH] & b);

	if (amb_req && !(pre->caps.set[CS_AMB] & b))
		return set(
		    v, false, CS_WHY_AMBIENT_REFUSED,
		    cs_strf("ambient refused: not permitted and inheritable"),
		    cs_strf("not effective: ambient was requested, but the kernel refuses to "
			    "raise an ambient capability that is not both permitted and "
			    "inheritable%s; runc skips it silently, and execve drops the rest",
			    inh_req ? "" : " (it is not in inheritable)"));
	if (has_step(st, "execve.fcaps-rootid"))
		return set(v, false, CS_WHY_FCAPS_ROOTID,
			   cs_strf("file caps belong to another namespace's root"),
			   cs_strf("not effective: %s's file capabilities belong to another user "
				   "namespace's root (v3 rootid), so they are ignored",
				   path));
	if (has_step(st, "execve.fcaps-nosuid"))
		return set(v, false, CS_WHY_FCAPS_NOSUID,
			   cs_strf("file caps ignored: nosuid mount"),
			   cs_strf("not effective: %s is on a nosuid mount, so its file "
				   "capabilities are ignored",
				   path));
	if (has_step(st, "execve.ambient-cleared") && (pre->caps.set[CS_AMB] & b))
		return set(
		    v, false, CS_WHY_AMBIENT_CLEARED, cs_strf("ambient cleared at execve"),
		    cs_strf("not effective: it was ambient, but %s clears the ambient set at "
			    "execve",
			    has_step(st, "execve.fcaps") ? "the file's capabilities"
							 : "the set-id exec"));
	return set(
	    v, false, CS_WHY_NONROOT_NO_AMBIENT,
	    cs_strf("non-root uid %u, no ambient set", (unsigned)post->uid[1]),
	    cs_strf("not effective: permitted before execve, but uid %u is not root, %s has "
		    "no file capabilities granting it and it is not ambient, so execve drops "
		    "it (P' = (B & fP) | (I & fI) | A, E' = A)",
		    (unsigned)post->uid[1], path));
}

int cs_explain_cap(int cap, const struct cs_quintet *req, const struct cs_cred *pre,
		   const struct cs_cred *post, const struct cs_exec_file *f,
		   const struct cs_exec_result *res, const struct cs_steps *st,
		   struct cs_cap_verdict *v)
{
	cs_mask_t b = CS_BIT(cap);
	bool prm_req = (req->present & (1u << CS_PRM)) && (req->set[CS_PRM] & b);
	cs_cleanup_free char *path = NULL;

	v->cap = cap;
	f = cs_exec_file_final(f); /* a "#!" script's interpreter is what holds the bits */
	if (!(path = path_word(f)))
		return set(v, false, CS_WHY_EXEC_FAILS, NULL, NULL); /* -ENOMEM */
	if (!res->ok)
		return exec_fails(res, st, v);
	if (post->caps.set[CS_EFF] & b)
		return effective(post, path, st, b, v);
	if (post->caps.set[CS_PRM] & b)
		return set(v, false, CS_WHY_PERMITTED_ONLY,
			   cs_strf("permitted only: no effective file bit"),
			   cs_strf("permitted but not effective: %s has no effective file bit and "
				   "euid is not 0, so the program would have to raise it itself",
				   path));
	if (!(pre->caps.set[CS_BND] & b) && !(pre->caps.set[CS_PRM] & b))
		return set(v, false, CS_WHY_NOT_IN_BOUNDING, cs_strf("not in the bounding set"),
			   cs_strf("not effective: not in the bounding set%s",
				   prm_req ? "" : " nor in permitted"));
	if (!(pre->caps.set[CS_PRM] & b) && post->uid[1] != 0)
		return set(
		    v, false, CS_WHY_NONROOT_NOT_PERMITTED,
		    cs_strf("not permitted, uid %u is not root", (unsigned)post->uid[1]),
		    cs_strf("not effective: not in permitted before execve, and uid %u is not "
			    "root",
			    (unsigned)post->uid[1]));
	if (has_step(st, "execve.nnp") && pre->no_new_privs && (pre->caps.set[CS_BND] & b) &&
	    (has_step(st, "execve.fcaps") || has_step(st, "execve.root")))
		return set(v, false, CS_WHY_NO_NEW_PRIVS, cs_strf("no_new_privs blocks the gain"),
			   cs_strf("not effective: no_new_privs limits execve to what was already "
				   "permitted before it"));
	if (post->uid[1] == 0 && (post->securebits & CS_SECBIT_NOROOT))
		return set(v, false, CS_WHY_SECBIT_NOROOT, cs_strf("SECBIT_NOROOT is set"),
			   cs_strf("not effective: SECBIT_NOROOT stops root from gaining it"));
	return file_rules(req, pre, post, path, st, b, v);
}

size_t cs_explain_warning(const char *container, const struct cs_cap_verdict *v, char *buf,
			  size_t len)
{
	char cap[40], name[CS_EXPLAIN_WARNING_MAX + 1], reason[64];
	const char *verb = v->effective ? "will be effective" : "will not be effective";
	size_t fixed, room, n;

	if (!len)
		return 0;
	if (v->cap >= 0) {
		cs_cap_name_r(v->cap, true, cap, sizeof(cap));
	} else {
		/* A word of the warning (lib/word.c): a name "X will be
		 * effective (y)" imitated the warning's own words (seventeenth
		 * pass, part D). */
		/* Quoted in a buffer, not on the heap: out of memory named it
		 * "?" in a whole warning (twenty-fourth pass). Only the first
		 * 39 bytes are shown, so a word cut in its middle past 511
		 * shows the same start. */
		char word[512];

		cs_word_clip(word, sizeof(word), v->name ? v->name : "?");
		/* Cut (on a whole escape) with "...", never silently: twelfth
		 * pass, a long unknown name read as another, shorter one. */
		cs_escape_clip(word, cap, sizeof(cap));
	}
	if (!strncmp(cap, "CAP_", 4))
		memmove(cap, cap + 4, strlen(cap + 4) + 1);
	/* "container " NAME ": " CAP " " VERB " (" REASON ")": the reason
	 * gets what the line has left (at least 44 bytes: cap is at most 39),
	 * so the line is never cut after it, in an escape or a character. */
	fixed = strlen("container : ") + strlen(cap) + 1 + strlen(verb) + strlen(" ()");
	n = CS_EXPLAIN_WARNING_MAX - fixed + 1;
	cs_escape_clip(v->short_text, reason, n < sizeof(reason) ? n : sizeof(reason));
	fixed += strlen(reason);
	room = fixed < CS_EXPLAIN_WARNING_MAX ? CS_EXPLAIN_WARNING_MAX - fixed : 0;
	/* Cut on a whole escape or character, and said so (cs_escape_clip):
	 * "..." put over the last three bytes split a character of the name
	 * into a byte that is not UTF-8 (twentieth pass). */
	cs_escape_clip(container, name, room + 1 < sizeof(name) ? room + 1 : sizeof(name));
	n = (size_t)snprintf(buf, len, "container %s: %s %s (%s)", name, cap, verb, reason);
	if (n >= len)
		n = len - 1;
	if (n > CS_EXPLAIN_WARNING_MAX) {
		buf[CS_EXPLAIN_WARNING_MAX] = '\0';
		n = CS_EXPLAIN_WARNING_MAX;
	}
	return n;
}

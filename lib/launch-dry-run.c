/* SPDX-License-Identifier: MIT */
/* capscope run --dry-run: the prediction and its JSON (see launch-dry-run.h). */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capscope/explain.h"
#include "capscope/launch-dry-run.h"
#include "internal/util.h"
#include "internal/cleanup.h"
#include "internal/exec-binfmt.h"
#include "internal/exec-elf.h"
#include "internal/exec-script.h"
#include "internal/exec-busy.h"
#include "internal/exec-strings.h"
#include "internal/kernel-open.h"
#include "internal/launch-nproc.h"
#include "internal/launch-walk.h"

/*
 * The model of executing the open file fd (shown as path) with the
 * credentials l predicts, into out: what execve looks at (the "#!" chain
 * followed, a relative interpreter from the working directory), whether it
 * would succeed and the credentials after it, with its steps in st. *head
 * says what the first bytes were. -errno when what execve would look at
 * cannot be read (a check must then refuse).
 */
static int model_fd(const struct cs_launch *l, int fd, const char *path, struct cs_steps *st,
		    struct cs_launch_dry_run *out, enum cs_exec_head *head)
{
	bool first_line_read = false;
	char cwd[PATH_MAX];
	int rc;

	memset(out, 0, sizeof(*out));
	out->post = l->predicted;
	*head = CS_EXEC_HEAD_UNREAD;
	rc = cs_exec_file_from_fd(fd, path, getcwd(cwd, sizeof(cwd)) ? cwd : NULL, &out->file,
				  &first_line_read);
	if (first_line_read)
		*head = out->file.interp ? CS_EXEC_HEAD_SCRIPT : CS_EXEC_HEAD_OTHER;
	if (rc < 0)
		return rc;
	rc = cs_kernel_execve(&out->post, &out->file, st);
	out->res.ok = rc == 0;
	out->res.error = -rc;
	return 0;
}

static int refuse_gain(const struct cs_launch *l, const struct cs_launch_dry_run *r,
		       const char *cmd, struct cs_diag *d);

/*
 * 1 and c filled when a binfmt_misc handler claims path (opened as fd), 0
 * when none does, -errno when that cannot be told (c->name: the handler
 * that cannot be read, "" for the directory).
 */
static int binfmt_claim(int fd, const char *path, struct cs_binfmt_claim *c)
{
	char head[CS_EXEC_HEAD_MAX];
	ssize_t n = cs_exec_read_head(fd, head);

	memset(c, 0, sizeof(*c));
	return cs_exec_binfmt_claim(CS_BINFMT_DIR, path, head, n < 0 ? 0 : (size_t)n, c);
}

/* Why the handlers could not be asked (rc < 0 from binfmt_claim), into buf. */
static const char *binfmt_unread(const struct cs_binfmt_claim *c, int rc, char *buf, size_t len)
{
	char cn[40];

	cs_word_clip(cn, sizeof(cn), c->name); /* its share of a message (refuse_binfmt) */
	if (!c->name[0])
		snprintf(buf, len, "the binfmt_misc handlers in %s cannot be read (%s)",
			 CS_BINFMT_DIR, strerror(-rc));
	else if (rc == -EINVAL)
		snprintf(buf, len,
			 "the binfmt_misc handler %s is not in the form the kernel prints", cn);
	else
		snprintf(buf, len, "the binfmt_misc handler %s cannot be read (%s)", cn,
			 strerror(-rc));
	return buf;
}

/*
 * -EPERM with d set when a binfmt_misc handler claims path: execve by path
 * would run the handler's interpreter, which the check did not see (and
 * execve of the checked descriptor is refused by every handler). The same
 * when the handlers cannot be read: whether one claims it is not known.
 */
static int refuse_binfmt(int fd, const char *path, struct cs_diag *d)
{
	struct cs_binfmt_claim c;
	char why[NAME_MAX + 128], cn[32], cp[48], ci[48];
	int rc = binfmt_claim(fd, path, &c);

	/* Raw names, as every message of the library: its printer escapes them.
	 * Each cut to its share, head and tail (cs_clip_mid): the message's own
	 * cut at 255 bytes lost the interpreter after a long path (sixteenth
	 * pass, part E; 125 bytes of the three values and 130 of text). */
	if (rc > 0)
		return cs_diag_set(d, EPERM, 0, 0, "execve",
				   "the binfmt_misc handler %s claims %s: execve would run its "
				   "interpreter %s, whose credentials the check does not see; "
				   "nothing was run",
				   cs_word_clip(cn, sizeof(cn), c.name),
				   cs_word_clip(cp, sizeof(cp), path),
				   cs_word_clip(ci, sizeof(ci), c.interp));
	if (rc < 0)
		return cs_diag_set(d, -rc, 0, 0, "execve",
				   "%s, so whether a handler claims %s and would run another "
				   "program instead cannot be told; nothing was run",
				   binfmt_unread(&c, rc, why, sizeof(why)),
				   cs_word_clip(cp, 40, path));
	return 0;
}

/*
 * The same for each "#!" interpreter of the chain, in order: the checked
 * run opens and checks each (exec_checked: cs_launch_check_gain_fd), and a
 * handler claims an interpreter as it claims a file (search_binary_handler
 * asks binfmt_misc first at every level). 0, or -EPERM with d set.
 */
static int refuse_binfmt_chain(const struct cs_exec_file *f, struct cs_diag *d)
{
	for (const struct cs_exec_file *i = f->interp; i && i->path; i = i->interp) {
		cs_cleanup_close int ifd = open(i->path, O_PATH | O_CLOEXEC);
		int rc = ifd < 0 ? 0 : refuse_binfmt(ifd, i->path, d);

		if (rc < 0)
			return rc;
	}
	return 0;
}

/*
 * The first "#!" interpreter of f's chain a binfmt_misc handler claims
 * (search_binary_handler asks binfmt_misc first at every level of the
 * chain): 1 with k, at (its path) and *level (1: f's interpreter, 2 the
 * next...) filled, 0 when none is claimed, or -errno as binfmt_claim says
 * (at: the interpreter asked).
 */
static int chain_claim(const struct cs_exec_file *f, struct cs_binfmt_claim *k, char *at,
		       size_t len, int *level)
{
	*level = 0;
	for (const struct cs_exec_file *i = f->interp; i && i->path; i = i->interp) {
		cs_cleanup_close int ifd = open(i->path, O_PATH | O_CLOEXEC);
		int rc = ifd < 0 ? 0 : binfmt_claim(ifd, i->path, k);

		++*level;
		if (rc != 0) {
			snprintf(at, len, "%s", i->path);
			return rc;
		}
	}
	return 0;
}

/*
 * load_script opens each "#!" interpreter of f's chain (open_exec) before
 * binfmt_misc is asked of it, so one held open for writing fails the
 * execve with ETXTBSY up to and including the interpreter a handler claims
 * (upto), before the handler's own interpreter is opened. The first such
 * file into busy (PATH_MAX bytes), else "". Asked here, while the chain is
 * still in the model: the handler's interpreter replaces it.
 */
static void chain_busy(const struct cs_exec_file *f, const char *upto, char *busy)
{
	busy[0] = '\0';
	for (const struct cs_exec_file *i = upto ? f->interp : NULL; i && i->path; i = i->interp) {
		if (cs_exec_text_busy(AT_FDCWD, i->path) == 1) {
			snprintf(busy, PATH_MAX, "%s", i->path);
			return;
		}
		if (!strcmp(i->path, upto))
			return;
	}
}

struct probe {
	const struct cs_launch *l;
	char *const *argv, *const *envp; /* NULL: execve's strings are not asked */
	struct cs_steps *st;
	struct cs_launch_dry_run *out;
	size_t mark; /* st->n before the walk: a skipped candidate's steps are dropped */
	bool kept;
	/* A binfmt_misc handler claims the candidate or its chain: the strings
	 * after its splice (claim_e2big: already past a bound, why in claim_why;
	 * claim_copied: the first copy fitted, claim holds the strings) */
	bool claimed, claim_e2big, claim_copied;
	struct cs_exec_splice claim;
	char claim_why[512];
};

/*
 * The strings when a handler (k) claims path (open as fd; level 0) or the
 * level-th "#!" interpreter of its chain: the first copy, the chain's
 * splices before the claimed file, then load_misc_binary's, into p (the
 * first copy's own E2BIG is strings_e2big's).
 */
static void claim_splice(struct probe *p, int fd, const char *path, int level,
			 const struct cs_binfmt_claim *k)
{
	p->claimed = true;
	p->claim_e2big = false;
	p->claim_copied = false;
	if (!p->argv || cs_exec_splice_start(&p->claim, path, p->argv, p->envp, p->claim_why,
					     sizeof(p->claim_why)) == 1)
		return;
	p->claim_copied = true;
	p->claim_e2big =
	    (level > 0 && cs_exec_splice_chain(&p->claim, fd, &p->out->file, level, p->claim_why,
					       sizeof(p->claim_why)) == 1) ||
	    cs_exec_splice_binfmt(&p->claim, k->interp, k->preserve_argv0, p->claim_why,
				  sizeof(p->claim_why)) == 1;
}

/* exec_binprm's bound on rewrites: a handler's claim at this depth or deeper
 * (the file is searched at 0, each "#!" file and each claim adds one) leaves
 * an interpreter that is never searched: ELOOP. Measured on 6.18: five
 * handlers in a row, each claiming the next one's interpreter, run the
 * last; six fail with ELOOP. */
#define BINFMT_LAST_DEPTH 5

/*
 * search_binary_handler asks binfmt_misc first again, at the next depth, of
 * the interpreter a handler put in the file's place (open as *ifd;
 * bprm->interp is its name now, so an extension is matched on it): a
 * handler that claims it runs its own interpreter instead, spliced the same
 * way, and so on (a handler whose interpreter it claims itself never
 * stops). depth: where the claim that gave *ifd happened (the number of
 * "#!" files before it). 0 with *ifd and *k the last claim's; -errno as
 * execve says it (ELOOP, an interpreter's open), *ifd then -1; -ENOMEM.
 * busy (PATH_MAX bytes): the first interpreter claimed in turn that is held
 * open for writing, when no file before it was (its open comes first; the
 * splices after it are then not asked, as for a busy "#!" interpreter).
 */
static int claim_again(struct probe *p, int *ifd, struct cs_binfmt_claim *k, int depth, char *busy)
{
	struct cs_binfmt_claim next;
	char cn[32], cp[40], ci[40], why[NAME_MAX + 128];
	int got;

	for (;; depth++) {
		if (depth >= BINFMT_LAST_DEPTH) {
			cs_steps_add(p->st, "kernel", "execve.binfmt-misc-loop",
				     "a binfmt_misc handler's claim at depth %d leaves its "
				     "interpreter %s to a depth execve does not search (it "
				     "searches the file and at most %d interpreters after "
				     "it): ELOOP",
				     depth, cs_word_clip(ci, sizeof(ci), k->interp),
				     BINFMT_LAST_DEPTH);
			break;
		}
		got = binfmt_claim(*ifd, k->interp, &next);
		if (got == -ENOMEM)
			return got;
		if (got < 0) /* said, not taken as "none claims it" */
			cs_steps_add(p->st, "kernel", "execve.binfmt-misc-unread",
				     "%s: whether a handler claims the interpreter %s is not "
				     "known; shown: the interpreter itself, as if none did",
				     binfmt_unread(&next, got, why, sizeof(why)),
				     cs_word_clip(ci, sizeof(ci), k->interp));
		if (got <= 0)
			return 0;
		/* Opened by load_misc_binary (open_exec) before it is searched;
		 * the last one's open is model_text_busy's. */
		if (!k->open_file && !busy[0] && cs_exec_text_busy(*ifd, "") == 1)
			snprintf(busy, PATH_MAX, "%s", k->interp);
		cs_steps_add(p->st, "kernel", "execve.binfmt-misc",
			     "the binfmt_misc handler %s claims the interpreter %s in turn: its "
			     "interpreter %s runs instead%s",
			     cs_word_clip(cn, sizeof(cn), next.name),
			     cs_word_clip(cp, sizeof(cp), k->interp),
			     cs_word_clip(ci, sizeof(ci), next.interp),
			     next.credentials ? " (flag C: the credentials come from a file "
						"before it, which this model does not follow)"
					      : "");
		if (p->claim_copied && !p->claim_e2big)
			p->claim_e2big =
			    cs_exec_splice_binfmt(&p->claim, next.interp, next.preserve_argv0,
						  p->claim_why, sizeof(p->claim_why)) == 1;
		*k = next;
		close(*ifd);
		if ((*ifd = open(k->interp, O_PATH | O_CLOEXEC)) < 0)
			return -errno;
	}
	close(*ifd);
	*ifd = -1;
	return -ELOOP;
}

/*
 * Without --caps the run executes by path, and a binfmt_misc handler that
 * claims the file runs its interpreter instead: the model follows it there
 * (fs/binfmt_misc.c load_misc_binary opens the interpreter by its path; the
 * credentials are the interpreter's, or the file's own with flag C, which
 * the model does not follow: the step says so), the same when a handler
 * claims a "#!" interpreter of its chain. 0 when no handler claims
 * it; -errno as execve would say when the interpreter cannot be opened.
 * p->mark: st->n before the file was modelled. *ifd_out: the interpreter, open
 * (O_PATH, the caller closes it), when a handler claims the file and its
 * interpreter was opened; *head then says what the interpreter's first
 * bytes were; *open_file: the handler's flag F (its interpreter is held
 * against writers while it is registered: never busy). busy (PATH_MAX
 * bytes): when a handler claims a "#!" interpreter, the first of the
 * chain's files up to it that is held open for writing, else "".
 */
static int model_binfmt(struct probe *p, int fd, const char *path, enum cs_exec_head *head,
			int *ifd_out, bool *open_file, char *busy)
{
	struct cs_launch_dry_run *out = p->out;
	struct cs_steps *st = p->st;
	struct cs_binfmt_claim k;
	char why[NAME_MAX + 128], at[PATH_MAX], wp[CS_WORD_ROOM];
	int got = binfmt_claim(fd, path, &k), rc = 0, ifd, level = 0;

	snprintf(at, sizeof(at), "%s", path);
	if (got == 0 && out->file.interp)
		got = chain_claim(&out->file, &k, at, sizeof(at), &level);
	const char *file = path, *of = strcmp(at, path) ? ", the \"#!\" interpreter of " : "";

	path = at; /* the file the handler claims: the file, or a "#!" interpreter */
	if (got == -ENOMEM)
		return got;
	/* Said, not taken as "no handler claims it": the model shows the file itself. */
	if (got < 0) {
		cs_steps_add(st, "kernel", "execve.binfmt-misc-unread",
			     "%s: whether a handler claims %s is not known; shown: the file "
			     "itself, as if none did",
			     binfmt_unread(&k, got, why, sizeof(why)),
			     cs_word_clip(wp, sizeof(wp), path));
		return 0;
	}
	if (got > 0) {
		/* Each value cut to its share (cs_clip_mid), so that the 320
		 * bytes of a step hold all four, the interpreter too. */
		char cn[32], cp[40], cf[40], ci[40];

		claim_splice(p, fd, file, level, &k); /* before the chain leaves the model */
		st->n = p->mark; /* the file's own loader does not run: its steps go */
		cs_steps_add(
		    st, "kernel", "execve.binfmt-misc",
		    "the binfmt_misc handler %s claims %s%s%s: its interpreter %s runs "
		    "instead%s",
		    cs_word_clip(cn, sizeof(cn), k.name), cs_word_clip(cp, sizeof(cp), path), of,
		    *of ? cs_word_clip(cf, sizeof(cf), file) : "",
		    cs_word_clip(ci, sizeof(ci), k.interp), /* raw: printers escape */
		    k.credentials ? " (flag C: the credentials come from the file itself, which "
				    "this model does not follow; shown: the interpreter's)"
				  : ", and the credentials are the interpreter's");
		/* With F, load_misc_binary runs the file opened at registration. */
		if (k.open_file)
			cs_steps_add(st, "kernel", "execve.binfmt-misc-open",
				     "flag F: the handler %s runs the interpreter it opened when "
				     "it was registered, which %s may no longer name; shown: the "
				     "file it names now",
				     cn, cs_word_clip(ci, sizeof(ci), k.interp));
		chain_busy(&out->file, *of ? path : NULL, busy);
		if ((ifd = open(k.interp, O_PATH | O_CLOEXEC)) < 0)
			rc = -errno;
		else
			rc = claim_again(p, &ifd, &k, level, busy);
		if (rc < 0) {
			*head = CS_EXEC_HEAD_UNREAD; /* the file's own loader is not asked for */
		} else {
			cs_launch_dry_run_clear(out);
			rc = model_fd(p->l, ifd, k.interp, st, out, head);
			*ifd_out = ifd; /* the file execve loads next: its opens are asked of it */
			*open_file = k.open_file;
		}
	}
	return rc;
}

/*
 * A file of what execve opens (the file, each "#!" interpreter) held open
 * for writing by some process: execve says ETXTBSY at the open, before any
 * loader reads it, which no stat or xattr shows (internal/exec-busy.h).
 * The kernel's answer, in the run's credentials, only where the model says
 * the open comes: the file always (an error before it, EACCES, is the
 * check's own first answer), a binfmt_misc handler's interpreter (ifd, or
 * -1) and the "#!" interpreters when the model runs them; chain: a "#!"
 * interpreter found busy before a handler claimed the chain ("" if none),
 * opened after the file and before the handler's interpreter.
 * 0, or -ETXTBSY with a step.
 */
static int model_text_busy(int fd, const char *path, const char *chain, int ifd,
			   struct cs_steps *st, struct cs_launch_dry_run *out)
{
	int first = cs_exec_text_busy(fd, "");
	const char *busy = first == 1 ? path : chain[0] ? chain : NULL;
	char w[CS_WORD_ROOM];

	/* A kernel that knows the check but could not be asked: said, not taken as "not busy". */
	if (first < 0)
		cs_steps_add(
		    st, "kernel", "execve.text-busy-unasked",
		    "whether %s is held open for writing was not asked: this kernel "
		    "answers execveat with AT_EXECVE_CHECK, but it could not be tried here on "
		    "an empty executable memfd (%s): ETXTBSY is not predicted",
		    cs_word_clip(w, sizeof(w), path), strerror(-first));

	/* A binfmt_misc handler's interpreter (load_misc_binary: open_exec). */
	if (!busy && ifd >= 0 && out->file.path && cs_exec_text_busy(ifd, "") == 1)
		busy = out->file.path;

	for (const struct cs_exec_file *i = out->res.ok ? out->file.interp : NULL; i && !busy;
	     i = i->interp)
		if (i->path && cs_exec_text_busy(AT_FDCWD, i->path) == 1)
			busy = i->path;
	if (!busy)
		return 0;
	/* A step holds raw text: its printers escape it (text) or write it (JSON). */
	cs_steps_add(st, "kernel", "execve.text-busy",
		     "%s is held open for writing by some process: execve fails with ETXTBSY, "
		     "text file busy",
		     cs_word_clip(w, sizeof(w), busy));
	out->res.ok = false;
	out->res.error = ETXTBSY;
	return -ETXTBSY;
}

/*
 * The ELF loader (PT_INTERP) of the file open as fd, opened by the kernel
 * as execve opens the file (load_elf_binary: open_exec), held open for
 * writing: ETXTBSY, after the file's own open and the loader's search and
 * permission (cs_exec_elf_loader_access, asked first). 0, or -ETXTBSY with
 * a step.
 */
static int loader_busy(int fd, const char *path, struct cs_steps *st, struct cs_launch_dry_run *out)
{
	char interp[PATH_MAX], wi[CS_WORD_ROOM], wp[CS_WORD_ROOM];

	if (cs_exec_elf_interp(fd, interp, sizeof(interp)) != 1 ||
	    cs_exec_text_busy(AT_FDCWD, interp) != 1)
		return 0;
#define LOADER_BUSY                                                                                \
	"%s, the ELF loader of %s, is held open for writing by some process: execve fails with "   \
	"ETXTBSY, text file busy"
	/* the two words share what the sentence leaves of the step (each of
	 * 160 bytes, it was cut again in its middle) */
	size_t room = cs_step_word_room((size_t)snprintf(NULL, 0, LOADER_BUSY, "", ""), 2);

	cs_steps_add(st, "kernel", "execve.text-busy", LOADER_BUSY, cs_word_clip(wi, room, interp),
		     cs_word_clip(wp, room, path));
	out->res.ok = false;
	out->res.error = ETXTBSY;
	return -ETXTBSY;
}

/*
 * A "#!" chain ends at an ELF file, whose loader execve opens after it
 * (load_elf_binary): a loader missing, not executable or held open for
 * writing fails the execve of the script as of the file itself (ENOENT,
 * on which the walk goes on as execvp's does). 0 or -errno.
 */
static int script_loader(struct cs_steps *st, struct cs_launch_dry_run *out)
{
	const struct cs_exec_file *last = out->file.interp;
	cs_cleanup_close int ifd = -1;
	int lr;

	while (last && last->interp)
		last = last->interp;
	if (!last || !last->path || (ifd = open(last->path, O_PATH | O_CLOEXEC)) < 0)
		return 0; /* what the model could not open it has judged already */
	lr = cs_exec_elf_loader_access(ifd);
	if (lr < 0 && lr != -ENOEXEC)
		return lr;
	return lr == 0 ? loader_busy(ifd, last->path, st, out) : 0;
}

/*
 * Since Linux 6.8 (978ffcbf00d8) execve opens the file, then copies argv
 * and envp: strings past its bounds (internal/exec-strings.h) fail it with
 * E2BIG after the file's own open (lookup, MAY_EXEC, ETXTBSY) and before
 * anything a loader, a "#!" chain or a binfmt_misc handler would do, so the
 * model's steps after the open never happen. A "#!" script's chain adds
 * strings before each interpreter is opened (cs_exec_strings_chain_e2big):
 * past the bounds there, E2BIG too, reported the same way. When a
 * binfmt_misc handler claims the file or an interpreter of its chain, its
 * splice comes there instead (claim_splice), then the "#!" chain of its
 * interpreter (open as ifd, or -1: not opened, nothing more spliced). A
 * "#!" interpreter held open for writing (busy) fails the exec at its open:
 * only the first copy is asked then. The run passes the path (or, with
 * --caps, "/dev/fd/N" of the checked descriptor: its number here is the
 * dry run's own). rc: the candidate's answer so far.
 */
/*
 * With --caps the kernel splices no "#!" line: load_script refuses the
 * script's /dev/fd/N (a close-on-exec descriptor's, gone at exec) with
 * ENOENT before its splice, and the run then opens the interpreter, checks
 * it and executes its descriptor with the argv it builds as the kernel
 * would (cs_exec_script_argv: the script's path, not /dev/fd/N, in it;
 * lib/launch.c exec_script), up to the fifth script: each a new execve,
 * with its own first copy. Each interpreter is opened here as the run
 * opens it, the script's descriptor still open, so its /dev/fd/M has the
 * run's number. 1 with why filled when one of those copies passes the
 * bounds, 0 when none does, -ENOMEM.
 */
static int checked_chain_e2big(struct probe *p, int fd, const char *path, char *why, size_t len)
{
	char head[CS_EXEC_HEAD_MAX], name[CS_EXEC_HEAD_MAX], arg[CS_EXEC_HEAD_MAX];
	char at[CS_EXEC_HEAD_MAX], dev[32];
	int fds[CS_EXEC_SCRIPT_DEPTH], rc = 0;
	char **argv[CS_EXEC_SCRIPT_DEPTH + 1] = {(char **)p->argv};

	for (int i = 0; i < CS_EXEC_SCRIPT_DEPTH; i++)
		fds[i] = -1;
	for (int depth = 0; depth < CS_EXEC_SCRIPT_DEPTH && !rc; depth++) {
		ssize_t n = cs_exec_read_head(depth ? fds[depth - 1] : fd, head);

		if (n < 0 || cs_exec_script_interpreter(head, (size_t)n, name, arg) != 1)
			break;
		if (!(argv[depth + 1] =
			  cs_exec_script_argv(name, arg, depth ? at : path, argv[depth]))) {
			rc = -ENOMEM;
			break;
		}
		if ((fds[depth] = open(name, O_PATH | O_CLOEXEC)) < 0)
			break; /* the run's own answer (ENOENT...): the model's */
		snprintf(dev, sizeof(dev), "/dev/fd/%d", fds[depth]);
		rc = cs_exec_strings_e2big_as(
		    dev, argv[depth + 1], p->envp,
		    "the \"#!\" interpreter's /dev/fd/N, the arguments the "
		    "run gives it (the script's path among them) and the "
		    "environment",
		    why, len);
		memcpy(at, name, sizeof(at));
	}
	for (int i = 0; i < CS_EXEC_SCRIPT_DEPTH; i++) {
		if (fds[i] >= 0)
			close(fds[i]);
		free(argv[i + 1]);
	}
	return rc;
}

/* Whether the strings pass execve's bounds (strings_e2big says where): 1
 * with why filled, 0, or -ENOMEM. */
static int strings_over(struct probe *p, const char *filename, int fd, const char *path, int ifd,
			bool busy, char *why, size_t len)
{
	if (cs_exec_strings_e2big(filename, p->argv, p->envp, why, len) == 1)
		return 1; /* the first copy */
	if (busy)
		return 0;
	if (cs_launch_checks_file(p->l))
		return checked_chain_e2big(p, fd, path, why, len);
	if (!p->claimed) /* each "#!" file's splice */
		return cs_exec_strings_chain_e2big(filename, p->argv, p->envp, fd, &p->out->file,
						   why, len);
	if (p->claim_e2big) {
		snprintf(why, len, "%s", p->claim_why);
		return 1;
	}
	return ifd >= 0 ? cs_exec_splice_chain(&p->claim, ifd, &p->out->file, 0, why, len) : 0;
}

static int strings_e2big(struct probe *p, int fd, const char *path, int ifd, bool busy, int rc)
{
	struct cs_launch_dry_run *out = p->out, f;
	char name[32], why[512];
	const char *filename = path;
	enum cs_exec_head head;
	struct cs_steps scratch;
	int o = 0;

	if (cs_launch_checks_file(p->l)) {
		snprintf(name, sizeof(name), "/dev/fd/%d", fd);
		filename = name;
	}
	if (!p->argv ||
	    (o = strings_over(p, filename, fd, path, ifd, busy, why, sizeof(why))) <= 0 ||
	    cs_exec_text_busy(fd, "") == 1)
		return o < 0 ? o : rc;
	cs_steps_init(&scratch);
	o = model_fd(p->l, fd, path, &scratch, &f, &head);
	if (o == 0)
		o = cs_kernel_execve_open(&p->l->predicted, &f.file, &scratch);
	cs_steps_free(&scratch);
	if (o != 0) { /* the open fails first: the model's answer stands */
		cs_launch_dry_run_clear(&f);
		return o == -ENOMEM ? o : rc;
	}
	p->st->n = p->mark;
	cs_launch_dry_run_clear(out);
	*out = f;
	out->post = p->l->predicted;
	(void)cs_kernel_execve_open(&p->l->predicted, &out->file, p->st); /* its steps, kept */
	cs_steps_add(p->st, "kernel", "execve.e2big", "%s", why);
	memset(&out->res, 0, sizeof(out->res));
	out->res.error = E2BIG;
	snprintf(out->res.layer, sizeof(out->res.layer), "kernel");
	snprintf(out->res.step, sizeof(out->res.step), "execve.e2big");
	return -E2BIG;
}

/*
 * One candidate of the run's walk, modelled instead of executed: opened as
 * the run opens it (by the caller of cs_launch_dry_run, in the run's
 * credentials when it is cs_launch_in_child), then the kernel's own answer
 * to "may these credentials execute it" (faccessat: directory search,
 * mode, ACLs, a noexec mount), then the model. A candidate the walk goes
 * past is forgotten.
 */
static int probe_try(void *ctx, const char *path, bool *final)
{
	struct probe *p = ctx;
	struct cs_launch_dry_run *out = p->out;
	enum cs_exec_head head;
	cs_cleanup_close int fd = open(path, O_PATH | O_CLOEXEC);
	cs_cleanup_close int ifd = -1; /* a binfmt_misc handler's interpreter */
	bool held = false;	       /* ... opened at registration (flag F) */
	char chain[PATH_MAX] = "";     /* a busy "#!" interpreter before a claimed one */
	char wp[CS_WORD_ROOM];
	struct stat sb;
	int rc, lfd;

	p->claimed = false;
	if (fd < 0)
		return -errno;
	if (fstat(fd, &sb) < 0)
		return -errno;
	if (!S_ISREG(sb.st_mode))
		return -EACCES;
	rc = model_fd(p->l, fd, path, p->st, out, &head);
	if (rc == -ENOMEM)
		return rc;
	/*
	 * With --caps the run checks the file before execve can say no, and a
	 * refusal ends its walk (cs_launch_exec_checked): the same here, in the
	 * same order, with the run's words.
	 */
	if (rc < 0 && cs_launch_checks_file(p->l))
		cs_diag_set(&out->refused, -rc, 0, 0, "execve",
			    "cannot read what execve would look at in %s: %s; nothing was run",
			    cs_word_clip(wp, CS_WORD_ROOM_REFUSAL, path), strerror(-rc));
	if (rc == 0 && cs_launch_checks_file(p->l) &&
	    refuse_gain(p->l, out, path, &out->refused) == 0 &&
	    refuse_binfmt(fd, path, &out->refused) == 0)
		refuse_binfmt_chain(&out->file, &out->refused);
	if (rc == 0 && !(cs_launch_checks_file(p->l))) {
		rc = model_binfmt(p, fd, path, &head, &ifd, &held, chain);
		if (rc == -ENOMEM)
			return rc;
	}
	/*
	 * What execve loads after the file's open: the file, or the interpreter
	 * of the handler that claims it (its loader, its "#!" chain's, a
	 * foreign ELF: the interpreter's; the file's own are not looked at).
	 */
	lfd = ifd >= 0 ? ifd : fd;
	if (out->refused.message[0]) {
		p->kept = true;
		*final = true;
		return -EPERM;
	}
	/* The file's own open comes before any loader looks at it (or its loader). */
	if (rc == 0)
		rc = model_text_busy(fd, path, chain, held ? -1 : ifd, p->st, out);
	/* A script's last interpreter is an ELF file whose loader is opened next. */
	if (rc == 0 && out->res.ok && head == CS_EXEC_HEAD_SCRIPT)
		rc = script_loader(p->st, out);
	/* An ELF whose loader cannot be opened: execve says the loader's error (ENOENT). */
	if (rc == 0 && out->res.ok && head == CS_EXEC_HEAD_OTHER) {
		int lr = cs_exec_elf_loader_access(lfd);

		if (lr < 0 && lr != -ENOEXEC)
			rc = lr;
		else if (lr == 0)
			rc = loader_busy(lfd, ifd >= 0 ? out->file.path : path, p->st, out);
	}
	/* An ELF of another machine: the ELF loader refuses it, as the run's execve will. */
	if (rc == 0 && out->res.ok && head == CS_EXEC_HEAD_OTHER && cs_exec_elf_foreign(lfd) == 1) {
		cs_steps_add(p->st, "kernel", "execve.elf-foreign",
			     "%s is an ELF file for another machine, byte order or type: no "
			     "loader of this kernel takes it: ENOEXEC, exec format error",
			     cs_word_clip(wp, sizeof(wp), ifd >= 0 ? out->file.path : path));
		rc = -ENOEXEC;
	}
	if (rc == 0)
		rc = out->res.ok ? 0 : -out->res.error;
	/* Asked also when the walk would go on: a "#!" interpreter's or an ELF
	 * loader's ENOENT comes after the copy and the splices, and E2BIG ends
	 * the walk (the file's own refusals stand: strings_e2big keeps them). */
	if (rc != -ENOMEM)
		rc = strings_e2big(p, fd, path, ifd, chain[0] != '\0', rc);
	if (rc == -ENOMEM)
		return rc;
	if (cs_launch_walk_goes_on(rc)) {
		cs_launch_dry_run_clear(out);
		p->st->n = p->mark;
		return rc;
	}
	if (rc < 0 && !out->file.error) { /* what execve would say, though the model said more */
		out->file.error = -rc;
		out->res.ok = false;
		out->res.error = -rc;
	}
	p->kept = true;
	return rc;
}

int cs_launch_dry_run(const struct cs_launch *l, const char *cmd, const char *path_env,
		      struct cs_steps *st, struct cs_launch_dry_run *out)
{
	char *const argv[] = {(char *)cmd, NULL};

	return cs_launch_dry_run_argv(l, argv, NULL, path_env, st, out);
}

int cs_launch_dry_run_argv(const struct cs_launch *l, char *const argv[], char *const envp[],
			   const char *path_env, struct cs_steps *st, struct cs_launch_dry_run *out)
{
	struct probe p = {
	    .l = l, .argv = envp ? argv : NULL, .envp = envp, .st = st, .out = out, .mark = st->n};
	const char *cmd = argv[0];
	char why[256];
	int rc;

	memset(out, 0, sizeof(*out));
	/*
	 * execve's first check, before any file is looked up: in the run's
	 * credentials (cs_launch_in_child), a user change over RLIMIT_NPROC
	 * has marked this task, and execve would fail with EAGAIN.
	 */
	if (cs_launch_nproc_exceeded(l->predicted.uid[0], why, sizeof(why)) == 1) {
		cs_steps_add(st, "kernel", "execve.nproc", "%s: EAGAIN", why);
		rc = -EAGAIN;
	} else {
		rc = cs_launch_walk(cmd, path_env ? path_env : cs_launch_search_path(), probe_try,
				    &p);
	}
	if (rc == -ENOMEM)
		return rc;
	if (p.kept)
		return 0;
	/* Nothing would be executed: the walk's own answer, ENOENT or EACCES. */
	cs_launch_dry_run_clear(out);
	out->post = l->predicted;
	if (cs_exec_file_set_path(&out->file, cmd) < 0)
		return -ENOMEM;
	out->file.error = -rc;
	cs_kernel_execve(&out->post, &out->file, st);
	out->res.ok = false; /* a candidate modelled, then gone past, left its answer here */
	out->res.error = -rc;
	return 0;
}

void cs_launch_dry_run_clear(struct cs_launch_dry_run *r)
{
	cs_exec_file_clear(&r->file);
}

/*
 * -EPERM with d set when r (the model of cmd's execve) does not keep the
 * ambient set --ambient asks for: execve clears it for a set-uid or set-gid
 * file and for one with file capabilities (no_new_privs or not), and the
 * command ran, exit 0, with none of it and with what the file grants instead
 * (`--user 1000 --ambient net_raw -- FILE` of cap_chown+ep: ambient 0,
 * permitted cap_chown; of a set-uid root FILE: every capability). Twentieth
 * pass, part B: only --caps was checked.
 */
static int refuse_ambient_lost(const struct cs_launch *l, const struct cs_launch_dry_run *r,
			       const char *cmd, struct cs_diag *d)
{
	cs_mask_t want = l->plan->ambient & cs_mask_all();
	cs_mask_t got = r->post.caps.set[CS_AMB];
	cs_mask_t lost = want & ~got ? want & ~got : want ^ got;
	int n = __builtin_popcountll(lost);
	char name[32], wc[CS_WORD_ROOM_REFUSAL];

	if (!r->res.ok || got == want)
		return 0;
	/* "..." only where more names follow (twenty-first pass: "1
	 * capabilities lost, cap_net_raw..." claimed more). */
	return cs_diag_set(
	    d, EPERM, 0, 0, "execve",
	    "%s would not keep the ambient set asked for (%d %s lost, "
	    "%s%s): it (or its \"#!\" interpreter) is set-uid, set-gid or has "
	    "file capabilities, and execve clears the ambient set for such a "
	    "file; nothing was run",
	    cs_word_clip(wc, sizeof(wc), cmd), n, n == 1 ? "capability" : "capabilities",
	    cs_cap_name_r(__builtin_ctzll(lost), false, name, sizeof(name)), n > 1 ? "..." : "");
}

/*
 * -EPERM with d set when r (the model of cmd's execve) loses the ambient set
 * --ambient asks for, or with --caps gains what the plan drops.
 */
static int refuse_gain(const struct cs_launch *l, const struct cs_launch_dry_run *r,
		       const char *cmd, struct cs_diag *d)
{
	cs_mask_t gain = r->res.ok ? r->post.caps.set[CS_PRM] & ~l->predicted.caps.set[CS_PRM] : 0;
	char name[32], wc[CS_WORD_ROOM_REFUSAL];
	int rc;

	if (l->plan && l->plan->set_ambient && (rc = refuse_ambient_lost(l, r, cmd, d)) < 0)
		return rc;
	if (!gain || !l->plan || !l->plan->set_caps)
		return 0;
	return cs_diag_set(d, EPERM, 0, 0, "execve",
			   "%s would gain %d %s the plan drops (%s%s) at execve: it (or "
			   "its \"#!\" interpreter) "
			   "is set-uid root or has file capabilities; add --no-new-privs; "
			   "nothing was run",
			   cs_word_clip(wc, sizeof(wc), cmd), __builtin_popcountll(gain),
			   __builtin_popcountll(gain) == 1 ? "capability" : "capabilities",
			   cs_cap_name_r(__builtin_ctzll(gain), false, name, sizeof(name)),
			   __builtin_popcountll(gain) > 1 ? "..." : "");
}

int cs_launch_check_gain(const struct cs_launch *l, const char *cmd, const char *path_env,
			 struct cs_diag *d)
{
	struct cs_launch_dry_run r;
	struct cs_steps st;
	int rc;

	if (!cs_launch_checks_file(l))
		return 0;
	cs_steps_init(&st);
	rc = cs_launch_dry_run(l, cmd, path_env, &st, &r);
	cs_steps_free(&st);
	if (rc < 0)
		return cs_diag_set(d, -rc, 0, 0, "execve", "out of memory");
	rc = refuse_gain(l, &r, cmd, d);
	cs_launch_dry_run_clear(&r);
	return rc;
}

int cs_launch_check_gain_fd(const struct cs_launch *l, int fd, const char *path,
			    enum cs_exec_head *head, struct cs_diag *d)
{
	struct cs_launch_dry_run r;
	struct cs_steps st;
	char wp[CS_WORD_ROOM_REFUSAL];
	int rc;

	cs_steps_init(&st);
	rc = model_fd(l, fd, path, &st, &r, head);
	cs_steps_free(&st);
	if (rc < 0) {
		cs_launch_dry_run_clear(&r);
		return cs_diag_set(
		    d, -rc, 0, 0, "execve",
		    "cannot read what execve would look at in %s: %s; nothing was run",
		    cs_word_clip(wp, sizeof(wp), path), strerror(-rc));
	}
	rc = refuse_gain(l, &r, path, d);
	if (rc == 0)
		rc = refuse_binfmt(fd, path, d);
	/*
	 * The model says execve fails, so it checked no credentials after it:
	 * the run does not try, it takes the model's error (the walk goes on
	 * after EACCES or ENOENT as execvp's would). Trying let a read the
	 * caller's seccomp filter refused (fgetxattr of the file's ACL: EPERM,
	 * modelled as execve's EPERM) pass the check, and the real execveat
	 * then ran a cap_net_raw+ep file under `--caps =` with cap_net_raw.
	 */
	/* (A "#!" interpreter a handler claims is refused first, as the dry run does.) */
	if (rc == 0 && !r.res.ok && (rc = refuse_binfmt_chain(&r.file, d)) == 0)
		rc = -(r.res.error ? r.res.error : EPROTO);
	cs_launch_dry_run_clear(&r);
	return rc;
}

void cs_launch_dry_run_json(struct cs_json *j, const struct cs_launch *l,
			    const struct cs_launch_dry_run *r, const struct cs_steps *st)
{
	cs_json_obj_begin(j);
	cs_json_key(j, "exec");
	cs_explain_json_exec(j, &r->res, &r->file);
	cs_json_key(j, "before_exec");
	cs_explain_json_cred(j, &l->predicted);
	cs_json_key(j, "process");
	if (r->res.ok)
		cs_explain_json_cred(j, &r->post);
	else
		cs_json_null(j);
	cs_json_key(j, "refused");
	if (r->refused.message[0])
		cs_json_str(j, r->refused.message);
	else
		cs_json_null(j);
	cs_json_key(j, "steps");
	cs_explain_json_steps(j, st);
	cs_json_obj_end(j);
}

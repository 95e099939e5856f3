/* SPDX-License-Identifier: MIT */
/*
 * Small utilities the library's modules share. Not part of the public API
 * (not exported from libcapscope.so): tests and helpers in this tree may
 * use them through the 'lib' include directory.
 */
#ifndef CAPSCOPE_INTERNAL_UTIL_H
#define CAPSCOPE_INTERNAL_UTIL_H

#include <stdarg.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "capscope/escape.h"

/*
 * Mark the end of a NUL-terminated text cut to fit size bytes ("...", on a
 * UTF-8 character's first byte), so the cut text does not read as the
 * whole. lib/diag.c.
 */
void cs_mark_cut(char *buf, size_t size);
/* A value quoted in a message, cut to size bytes and marked (cs_mark_cut)
 * when longer, so the reason after it is not cut off: buf, for printing. */
#define CS_CLIP 72
const char *cs_clip(char *buf, size_t size, const char *value);
/*
 * The same for a message that names two or more long values (two cgroup
 * paths): each value is cut to its share, keeping its head and its tail
 * with "..." between (both cut on a character), so every value stays
 * readable where the message's own cut at 255 bytes lost the second
 * (sixteenth pass). A path differs at its end as often as at its start.
 */
const char *cs_clip_mid(char *buf, size_t size, const char *value);
/*
 * "context: msg" in buf (size bytes at most 1024), cut so that the
 * message's end, its reason, survives: the message is given its room first
 * and the context at least a quarter; each is cut in its middle when it
 * must be (cs_clip_mid). lib/diag.c.
 */
const char *cs_join_cut(char *buf, size_t size, const char *context, const char *msg);
/*
 * vasprintf with one rule more (lib/msg-format.c): a string conversion just
 * after a quote character of the format ('%s', "%s") has each of that
 * character in its value doubled. NULL with errno ENOMEM, or EINVAL for a
 * conversion it refuses (%n, %1$s, an unknown one). The one path of every
 * text the library writes as prose: cs_vformat_cut, cs_format_cut, cs_strf
 * (lib/explain/strf.h), cs_fputf, the model's steps and the CLI's messages;
 * tests/cli/quoted-formats holds the rest of the tree to it.
 */
char *cs_vformat_quoted(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
/* The same, its first max bytes only (a message's field, a step's detail:
 * a 4 MB value is not copied whole to keep 320 bytes of it); *total (may
 * be NULL) the whole text's length. */
char *cs_vformat_quoted_max(const char *fmt, va_list ap, size_t max, size_t *total)
    __attribute__((format(printf, 1, 0)));
/* The same into buf (size bytes, never grown, NUL-terminated): 0, or
 * -EINVAL for a conversion refused. */
int cs_vformat_into(char *buf, size_t size, const char *fmt, va_list ap, size_t *total)
    __attribute__((format(printf, 3, 0)));
/* The same, an overlong text cut in its middle: its head, "...", its end
 * (each on a character), so the reason at a message's end survives. */
int cs_vformat_mid(char *buf, size_t size, const char *fmt, va_list ap, size_t *total)
    __attribute__((format(printf, 3, 0)));
/* vsnprintf into buf, cut in its middle (cs_vformat_mid) when it did not fit. */
int cs_vformat_cut(char *buf, size_t size, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
/* snprintf so: cs_vformat_cut of the arguments. */
int cs_format_cut(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* fprintf so: -1 when the text could not be made or written. */
int cs_fputf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* d->file (d may be NULL) from fmt, replacing what it held, marked when cut. */
struct cs_diag;
void cs_diag_put_file(struct cs_diag *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A failure returned with nothing said (a bare -ENOMEM from deep inside):
 * named by its code, so that no caller prints an empty reason. Returns err
 * (negative); d may be NULL; a message already set is kept. */
int cs_diag_unsaid(struct cs_diag *d, int err);

/* Read a whole small file (at most max bytes) into a malloc'd NUL-terminated
 * buffer. 0 or -errno (-EFBIG past max). */
int cs_read_file(const char *path, size_t max, char **out, size_t *outlen);
/* cs_read_file's error err (negative) into d, naming path: -EFBIG says it is
 * capscope's limit of max bytes (strerror's "File too large" read as if the
 * file could not be read by anyone: the runtimes and kubectl take it).
 * Returns err. */
int cs_diag_read_error(struct cs_diag *d, const char *path, int err, size_t max);

/* When pid started, in clock ticks after boot (/proc/PID/stat's field 22),
 * below proc (a /proc mount): 0, -ENOENT (no such process, or no /proc),
 * -EINVAL (a line it cannot read), -ENOMEM, -EMFILE, -ENFILE. lib/proc.c. */
int cs_proc_start_ticks(const char *proc, pid_t pid, unsigned long long *ticks);
/* The same for the process whose /proc/PID directory is open as pidfd. */
int cs_proc_start_ticks_at(int pidfd, unsigned long long *ticks);

/*
 * This process's pid as the /proc mount shows it (the target of /proc/self),
 * or -errno (-ENOENT when /proc does not show it: a /proc of a PID namespace
 * this process is not in). Not getpid(): in a PID namespace whose /proc is
 * the parent's (unshare -p without --mount-proc), /proc/$(getpid) is
 * another process. lib/proc.c.
 */
pid_t cs_proc_self_pid(void);

/* This process's effective capabilities as the kernel holds them (capget),
 * bit N for capability N; 0 or -errno. No /proc: it answers in any PID
 * namespace. lib/cred-self.c. */
int cs_self_effective(uint64_t *eff);

/* The same for a file that must be a regular one (-EISDIR, or -EINVAL for a
 * fifo, socket or device): opening a fifo would wait for a writer, for ever,
 * and one that is read again (serve's certificate on SIGHUP) is a file. */
int cs_read_regular_file(const char *path, size_t max, char **out, size_t *outlen);

/* The same for path inside the directory root (a rootfs), resolved as the
 * container would (openat2 RESOLVE_IN_ROOT): an absolute or climbing
 * symlink stays inside, never reaches the host's file. */
int cs_read_regular_file_in_root(int root, const char *path, size_t max, char **out,
				 size_t *outlen);

/* The same for a descriptor already open (and checked) by the caller: the
 * bytes are that file's, not what its path names a moment later. fd is
 * closed, whatever the answer. */
int cs_read_regular_fd(int fd, size_t max, char **out, size_t *outlen);
/* A pipe or FIFO opened O_NONBLOCK, read to its writer's end (lib/proc.c);
 * -EPIPE when it has no writer and nothing in it. */
int cs_read_pipe_fd(int fd, size_t max, char **out, size_t *outlen);

/*
 * A file read as a program's configuration (reader: that program, for the
 * message: "containerd", "kubectl"): a regular file, or a pipe with a
 * writer, read to its end; a FIFO with no writer, a directory, a device
 * or a socket refused with d naming path and what reader would do (wait
 * for a writer, read without end) instead of waiting. lib/read-config.c.
 */
int cs_read_config_file(const char *path, size_t max, const char *reader, char **out,
			size_t *outlen, struct cs_diag *d);

/*
 * Length of the valid UTF-8 sequence at s (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF), 0 when invalid; left > 0 bytes are
 * readable (lib/utf8.c).
 */
size_t cs_utf8_seq_len(const unsigned char *s, size_t left);
/* Whether s[0, n) is valid UTF-8 throughout (cs_utf8_seq_len at each step). */
bool cs_utf8_valid(const char *s, size_t n);
/* The same, and the sequence's code point in *cp (untouched when invalid). */
size_t cs_utf8_decode(const unsigned char *s, size_t left, uint32_t *cp);
/*
 * The white space Go's unicode.IsSpace sees at s (left > 0 bytes readable):
 * its length, 0 for none. ASCII's \t \n \v \f \r and space, and Unicode's
 * White_Space above it: NEL, NO-BREAK SPACE, OGHAM SPACE MARK, U+2000 to
 * U+200A, LINE and PARAGRAPH SEPARATOR, U+202F, U+205F, IDEOGRAPHIC SPACE
 * (what bytes.TrimSpace trims and kubectl's splitter allows; lib/utf8.c).
 */
size_t cs_go_space_len(const unsigned char *s, size_t left);
/* Whether Go's strings.TrimSpace would change s[0..n): white space (as
 * cs_go_space_len sees it) at either end (lib/utf8.c). */
bool cs_go_padded(const char *s, size_t n);
/* cp (at most U+10FFFF) as UTF-8 at out: its length, 1 to 4 (lib/utf8.c). */
size_t cs_utf8_encode(uint32_t cp, char out[4]);

/* A code point that controls or hides rather than shows: C1, bidi controls,
 * line/paragraph separators, invisible format characters (lib/utf8.c). */
bool cs_cp_hidden_control(uint32_t cp);
/* The joiners and variation selectors, which the rule keeps only in context. */
bool cs_cp_shaping(uint32_t cp);
/*
 * Whether the valid character cp at s + i (len bytes) of the n bytes at s is
 * shown escaped: a hidden control, or a joiner or variation selector that is
 * not between characters that show (a selector: after one). The text's
 * other bytes are its context: a caller escaping it in pieces passes the
 * whole (lib/utf8.c).
 */
bool cs_cp_hidden_at(const unsigned char *s, size_t n, size_t i, size_t len, uint32_t cp);
/*
 * cs_escape_text of s[from..to) with s[0..n) as its context (a joiner at
 * from or to is judged by its neighbours in the whole text; lib/escape.c).
 */
size_t cs_escape_span(const char *s, size_t n, size_t from, size_t to, char *out, size_t outlen);

/*
 * s (NULL: "") escaped as cs_escape_text escapes it into out, which holds
 * outlen bytes with the NUL; when it does not fit, as many whole escapes
 * and characters as leave room for "..." and then "...". Returns the length
 * written. Twentieth pass: a cut that put "..." over the last three bytes
 * split a character ("\xc3" alone) or an escape ("\x1...") of a name
 * (lib/escape.c).
 */
size_t cs_escape_clip(const char *s, char *out, size_t outlen);

/*
 * Does key (len bytes) name the ASCII field name to Go's decoders, which
 * match without case (lib/go-fold.c)?
 */
bool cs_go_fold_equal(const char *key, size_t len, const char *name);

/*
 * Would Go's time.Time take this JSON string (its bytes as written, between
 * the quotes) from encoding/json? What time.Parse(time.RFC3339) takes
 * (lib/go-time.c).
 */
bool cs_go_time_ok(const char *s, size_t len);

/*
 * Would Go's time.ParseDuration take s (len bytes)? "1m30s", "-1.5h", "0";
 * not "", "1", "1d", ".s" (lib/go-duration.c).
 */
bool cs_go_duration_ok(const char *s, size_t len);

/*
 * prefix + Go's strings.ToUpper(s) into dst (cut to len): what container
 * runtimes do to a capability name. Besides ASCII, U+0131 (dotless i)
 * becomes I and U+017F (long s) becomes S (lib/go-fold.c).
 */
void cs_go_upper(char *dst, size_t len, const char *prefix, const char *s);

/*
 * Go's strconv.Atoi on s (n bytes): an optional sign then decimal digits,
 * leading zeros allowed ("+0", "00" and "-0" are 0). Returns false for
 * anything else; *v saturates past int64, where Atoi's range error leaves
 * it (lib/go-atoi.c).
 */
bool cs_go_atoi(const char *s, size_t n, long long *v);

/*
 * The printf arguments of "%.*s%s" that quote the n bytes at s in a message
 * in at most max bytes: cut on a character boundary (cs_text_cut) and
 * followed by "..." when cut. Fifteenth pass: a bare "%.40s" cut a UTF-8
 * character in half (the message showed "\xc3", a byte the value did not
 * hold) and quoted a cut value as if it were all of it. s, n and max are
 * evaluated more than once: pass plain expressions. CS_MSG_CUTS: a string.
 */
#define CS_MSG_CUT(s, n, max)                                                                      \
	(int)cs_text_cut((s), (n), (max)), (s), ((size_t)(n) > (size_t)(max) ? "..." : "")
#define CS_MSG_CUTS(s, max) CS_MSG_CUT((s), strlen(s), (max))

/*
 * A name as one word of a model step's or a reason's sentence (lib/word.c):
 * as it is when plain (ASCII letters, digits and _-./+=@%~*), else between
 * two q characters with each q of its own doubled (X] drop [ALL is
 * "X] drop [ALL", it's is 'it''s' with q = '), no backslash, so the sentence
 * is escaped once where it is printed and shows it as written. Heap; NULL
 * on ENOMEM; NULL is "" (quoted). cs_words_join: the words joined by ",".
 */
bool cs_word_is_plain(const char *s);
char *cs_word_dup(const char *s, char q);
/* s's word (q '"'), its value cut in its middle (cs_clip_mid) so that the
 * word fits size bytes, into buf:
 * a file in run's refusals and steps, as the model's steps name it (out of
 * memory: s itself, escaped where printed). Returns buf. */
const char *cs_word_clip(char *buf, size_t size, const char *s);
/* The room of such a word: a step or a message is cut at 320 or 256 bytes
 * anyway, and its end is what it says. Session 22: run's refusals named a
 * file raw, and a path "x: execve would run its interpreter /bin/true, ..."
 * read as another claim. */
#define CS_WORD_ROOM 160
/* In a refusal (cs_diag's 256 bytes, 230 of its own text at most): the
 * file's head and tail, and the reason after it whole. */
#define CS_WORD_ROOM_REFUSAL 40
/*
 * The room (a size for cs_word_clip) of each of n words in a step whose
 * other text is fixed bytes: what the step's detail leaves, shared, at
 * least 16 and at most CS_WORD_ROOM. Words of CS_WORD_ROOM each made a
 * sentence past the detail, which was cut again in its middle, where the
 * words and what lies between them are (twenty-sixth pass, part A).
 */
size_t cs_step_word_room(size_t fixed, size_t n);
char *cs_words_join(const char *const *v, size_t n);
/* The inside of a quotation whose q marks the format holds ('%s'): s with
 * each q doubled, so a value cannot end its quotation early. */
char *cs_quoted_inner_dup(const char *s, char q);
/*
 * A list of names as words ("a, \"b, c\", d") in a buffer of size bytes:
 * cs_word_list_add appends name's word once (runc's map), or ", ..." when it
 * does not fit, and nothing after that; cs_word_list_has tells whether the
 * list holds word (a cs_word_dup) whole. Quoted words may hold ", ".
 */
void cs_word_list_add(char *list, size_t size, const char *name);
bool cs_word_list_has(const char *list, const char *word);

/* Shell-quote one word into buf ('…' when needed). Returns the length needed. */
size_t cs_shell_quote(const char *s, char *buf, size_t len);

/* A child's wait status as a shell reports it: the exit code, or 128+N after
 * signal N (lib/trace/watch.c). */
int cs_wait_status(int status);

/*
 * Whether a failure r (-errno) was for want of memory or of descriptors
 * (ENOMEM, EMFILE, ENFILE). Such a failure says nothing of what was being
 * read: taken for "no such process", "no pid file" or "no container" it
 * gave an answer with exit 0 or a 200 (twenty-sixth and twenty-seventh
 * passes), so the process snapshot and the node scan make it their error.
 */
static inline bool cs_short_of(int r)
{
	return r == -ENOMEM || r == -EMFILE || r == -ENFILE;
}

/*
 * Whether this process was linked statically (no program interpreter, so
 * the kernel passed no AT_BASE). Such a program must not dlopen a library
 * that needs libc.so: it would run a second C library beside its own, with
 * its own malloc, errno and thread state (the capscope command is static;
 * its dynamic twin, capscope-dyn, loads libarchive and libmicrohttpd).
 */
bool cs_linked_statically(void);

/* The value of one hexadecimal digit, either case; -1 for anything else. */
static inline int cs_hex_digit(char c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
				      : -1;
}

/* qsort's and bsearch's comparison of two uint64_t (cgroup ids), ascending. */
static inline int cs_u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* qsort's comparison of two gid_t, ascending (the kernel's groups_sort). */
static inline int cs_gid_cmp(const void *a, const void *b)
{
	gid_t x = *(const gid_t *)a, y = *(const gid_t *)b;

	return (x > y) - (x < y);
}

/* FNV-1a's offset basis: where a hash over nothing yet starts. */
#define CS_FNV1A_START 0xcbf29ce484222325ull

/* FNV-1a (64-bit) over n bytes, going on from h: parts hash one after another. */
static inline uint64_t cs_fnv1a(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

/*
 * The slot hash of an open-addressing table whose keys an attacker writes
 * (manifest keys, crio.conf keys, bundle ids): FNV-1a from a start no
 * writer of the input knows, mixed so that a mask of its low bits depends
 * on every bit. FNV's low bits depend only on the low bits before, so from
 * a known start, blocks of a few characters that meet there chain into 2^m
 * keys of one slot (sixteenth pass: 16,384 label keys, 1 s of probing).
 */
static inline uint64_t cs_hash_seeded(uint64_t seed, const void *p, size_t n)
{
	uint64_t h = cs_fnv1a(CS_FNV1A_START ^ seed, p, n);

	h = (h ^ (h >> 31)) * 0x9e3779b97f4a7c15ULL;
	return h ^ (h >> 32);
}

/* A table's seed for cs_hash_seeded, drawn from its slots' address (ASLR):
 * new at each allocation, so a rehash places every key again. */
static inline uint64_t cs_hash_seed(const void *slots)
{
	return (uint64_t)(uintptr_t)slots * 0x9e3779b97f4a7c15ULL;
}

#endif

/* SPDX-License-Identifier: MIT */
/*
 * The text fed to libfyaml a piece at a time, and refused when its scanner
 * would hold too many tokens at once (ydoc-held.c says why). Internal to
 * libcapscope.
 */
#ifndef CAPSCOPE_LIB_K8S_YDOC_HELD_H
#define CAPSCOPE_LIB_K8S_YDOC_HELD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * Flow indicators (',', '[', ']', '{', '}') libfyaml may have read past the
 * last event it gave, in a flow collection or on one line: at most this
 * many (each stands for about two tokens of some 200 bytes held).
 */
#define YDOC_HELD_MAX 65536

struct ydoc_held {
	const char *text;
	size_t len;
	size_t given;	     /* bytes handed to libfyaml */
	size_t n_given;	     /* flow indicators in [0, given) */
	size_t done;	     /* where the last event ended */
	size_t line, col;    /* of done, 0-based, as libfyaml counts them */
	size_t n_done;	     /* flow indicators in [0, done) */
	size_t line_start;   /* just past the last line break in [0, given) */
	size_t n_line_start; /* flow indicators in [0, line_start) */
	bool flow;	     /* the last event left the reader in a flow collection */
	bool refused;
	/* libfyaml's input buffer, as the feed last saw it (ydoc-held.c,
	 * end_of_input): where its next piece goes if the buffer stays */
	const char *fy_next;
	bool fy_moved; /* moved since a piece large enough for any look ahead */
	bool fy_padded;
	/* The quoted scalar that is the first token after done, scanned on
	 * from one feed to the next (ydoc-held.c, quoted_inside) */
	size_t q_done;	 /* the done it was looked for from */
	size_t q_pos;	 /* scanned up to here */
	size_t q_inside; /* flow indicators inside its quotes so far */
	size_t q_break;	 /* past the last line break scanned so (0: none) */
	size_t q_line;	 /* of q_inside, those past q_break */
	int q_state;	 /* looking for it, inside '...' or "...", or no more */
};

/* What libfyaml's input callback returns: up to count bytes of the text
 * into buf, 0 at its end, and 0 once too much is held (refused is set:
 * libfyaml 0.7.12 asks again and again after an error; every event it
 * gives after this one comes from a cut text and must not be read). */
ssize_t ydoc_held_feed(struct ydoc_held *h, void *buf, size_t count);

/* An event ended at line and col (0-based, in characters, as libfyaml's
 * marks: for a quoted scalar, one past its closing quote); flow: the reader
 * is now inside a flow collection. */
void ydoc_held_event(struct ydoc_held *h, size_t line, size_t col, bool flow);

/*
 * go-yaml's rule for a mapping key written without '?' (a simple key; its
 * scanner's yaml_parser_stale_simple_keys, after YAML 1.2's 7.4): the ':'
 * must be on the line where the key starts, at most 1,024 characters after
 * the key's first (its anchor's, if any); else go-yaml, and so kubectl,
 * refuses the document ("could not find expected ':'" in block context,
 * "did not find expected ',' or '}'" in a flow collection: kubectl 1.32,
 * checked). libfyaml 0.7.12 reads both. The key runs from (sl, sc) to
 * (el, ec), libfyaml's 0-based marks (ec past a closing quote); called when
 * its event arrives, so its ':' has been given. False when the rule is
 * broken; true when it holds, when no ':' follows the key, or when the
 * walker cannot place the key exactly (it would lag libfyaml on line 1
 * after a byte order mark, had ydoc.c not started it past the mark).
 */
#define YDOC_SIMPLE_KEY_MAX 1024

bool ydoc_held_simple_key(struct ydoc_held *h, size_t sl, size_t sc, size_t el, size_t ec);

/*
 * Whether the character at line and col (0-based, libfyaml's marks) is a
 * blank (space, tab), a YAML 1.1 line break or the text's end: go-yaml's
 * is_blankz, which must follow a tag. True also when the walker cannot
 * place it. The walker stays where it was; line and col must not lie
 * before the end of the last event given to ydoc_held_event.
 */
bool ydoc_held_blank_at(const struct ydoc_held *h, size_t line, size_t col);

/* The byte at line and col (as ydoc_held_blank_at), YDOC_HELD_END at the
 * text's end, -1 when the walker cannot place it. */
#define YDOC_HELD_END 256

int ydoc_held_char_at(const struct ydoc_held *h, size_t line, size_t col);

/* The text from (sl, sc) to (el, ec), libfyaml's 0-based marks, neither
 * before the last event's end: its start and *len; NULL when the walker
 * cannot place them. */
const char *ydoc_held_span(const struct ydoc_held *h, size_t sl, size_t sc, size_t el, size_t ec,
			   size_t *len);

struct fy_diag;
struct fy_parser;

/*
 * A libfyaml parser that prints nothing: its errors are its caller's to
 * say (kept in *fd when collect). YAML 1.2 for JSON, else 1.1, and no
 * recycling: libfyaml would keep every token and event of the stream on
 * its free lists until the parser is destroyed. NULL (and *fd NULL) when
 * out of memory. The reader (ydoc.c) and the tab check (ydoc-tabs.c) both
 * scan with it, each feeding it with ydoc_held_feed.
 */
struct fy_parser *ydoc_quiet_parser(struct fy_diag **fd, bool json, bool collect);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * A name as one word of the library's prose (model steps, reasons): a
 * sentence is escaped once where it is printed (the terminal rule, or the
 * JSON writer), so the library cannot escape a name inside it without its
 * backslashes showing doubled. It quotes instead, with no backslash: a name
 * that is not a plain word goes between two quote characters, each of its
 * own quote characters doubled (as CSV and SQL do). A reader takes a single
 * quote followed by anything else as the end, so the name can neither end
 * its quoting early nor imitate the words, list marks or quotes after it
 * (sixteenth pass: a capability named "X] drop [ALL" showed
 * "add [NET_ADMIN,X] drop [ALL] drop [...]").
 */
#include <stdlib.h>
#include <string.h>

#include "capscope/steps.h"
#include "internal/cleanup.h"
#include "internal/util.h"

/* Plain: printable ASCII that neither separates words nor marks a list,
 * a field, an end of sentence or a quotation. Anything else (a space, a
 * blank, a mark, a control, any non-ASCII byte, which may be a blank or
 * a look-alike of a mark such as U+FF3D) is quoted. */
static bool plain_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       strchr("_-./+=@%~*", c) != NULL;
}

bool cs_word_is_plain(const char *s)
{
	if (!s || !*s)
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (!plain_byte(*p))
			return false;
	return true;
}

/* The length of s with each q doubled, and two q more when quote. */
static size_t doubled_len(const char *s, char q, bool quote)
{
	size_t n = quote ? 2 : 0;

	for (const char *p = s; *p; p++)
		n += *p == q ? 2 : 1;
	return n;
}

/* s with each q doubled, between two q when quote, into out (room for
 * doubled_len + 1 bytes). */
static char *doubled_into(char *out, const char *s, char q, bool quote)
{
	char *w = out;

	if (quote)
		*w++ = q;
	for (const char *p = s; *p; p++) {
		*w++ = *p;
		if (*p == q)
			*w++ = q;
	}
	if (quote)
		*w++ = q;
	*w = '\0';
	return out;
}

/* s with each q doubled, between two q when quote: allocated. */
static char *doubled(const char *s, char q, bool quote)
{
	char *out = malloc(doubled_len(s, q, quote) + 1);

	return out ? doubled_into(out, s, q, quote) : NULL;
}

char *cs_word_dup(const char *s, char q)
{
	if (!s)
		s = "";
	return cs_word_is_plain(s) ? strdup(s) : doubled(s, q, true);
}

/*
 * The value is cut first (its head and tail kept, cs_clip_mid), then made a
 * word: a cut word could end between the two quotes of a doubled one and
 * read as closed early. Cut shorter by the quotes it doubles until the word
 * fits (the "..." of the cut is plain).
 */
const char *cs_word_clip(char *buf, size_t size, const char *s)
{
	char cut[512];
	size_t room = size < sizeof(cut) ? size : sizeof(cut);

	if (!s)
		s = "";
	for (;;) {
		size_t q = 0, n;

		cs_clip_mid(cut, room, s);
		n = strlen(cut);
		for (const char *p = cut; *p; p++)
			q += *p == '"';
		if (cs_word_is_plain(cut) ? n < size : n + q + 2 < size)
			break;
		if (room <= 8) { /* too small for a word: the cut value, escaped where printed */
			cs_clip_mid(buf, size, s);
			return buf;
		}
		room = room - (q ? q : 2) < 8 ? 8 : room - (q ? q : 2);
	}
	/* Quoted in place, as it fits: nothing to allocate, so nothing that
	 * could fail and leave the name unquoted (twenty-third pass). */
	if (cs_word_is_plain(cut))
		return memcpy(buf, cut, strlen(cut) + 1);
	return doubled_into(buf, cut, '"', true);
}

size_t cs_step_word_room(size_t fixed, size_t n)
{
	size_t detail = sizeof(((struct cs_step *)0)->detail) - 1;
	size_t room = n && fixed < detail ? (detail - fixed) / n + 1 : 0;

	return room < 16 ? 16 : room < CS_WORD_ROOM ? room : CS_WORD_ROOM;
}

char *cs_quoted_inner_dup(const char *s, char q)
{
	return doubled(s ? s : "", q, false);
}

char *cs_words_join(const char *const *v, size_t n)
{
	size_t len = 1, o = 0;
	char **w = calloc(n ? n : 1, sizeof(*w)), *out = NULL;

	if (!w)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (!(w[i] = cs_word_dup(v[i], '"')))
			goto out;
		len += strlen(w[i]) + (i ? 1 : 0);
	}
	if (!(out = malloc(len)))
		goto out;
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(w[i]);

		if (i)
			out[o++] = ',';
		memcpy(out + o, w[i], l);
		o += l;
	}
	out[o] = '\0';
out:
	for (size_t i = 0; i < n; i++)
		free(w[i]);
	free(w);
	return out;
}

/* The end of the word at p in a list of words (a quoted one ends at its
 * single closing '"'; a plain one at the next ", " or the list's end). */
static const char *word_end(const char *p)
{
	if (*p != '"')
		return p + strcspn(p, ",");
	for (p++; *p; p++)
		if (*p == '"' && *++p != '"')
			return p;
	return p;
}

bool cs_word_list_has(const char *list, const char *word)
{
	size_t wl = strlen(word);

	for (const char *t = list; *t;) {
		const char *e = word_end(t);

		if ((size_t)(e - t) == wl && !memcmp(t, word, wl))
			return true;
		t = e;
		t += strspn(t, ", ");
	}
	return false;
}

void cs_word_list_add(char *list, size_t size, const char *name)
{
	static const char more[] = ", ...";
	size_t len = strnlen(list, size - 1), wl;
	cs_cleanup_free char *w = cs_word_dup(name, '"');

	if (len >= sizeof(more) - 1 && !strcmp(list + len - (sizeof(more) - 1), more))
		return; /* already full */
	if (w && cs_word_list_has(list, w))
		return;
	wl = w ? strlen(w) : 0;
	/* Nineteenth pass: a first name longer than the list was dropped, and
	 * the list read ", ..." (runc ignores unknown capabilities: , ...):
	 * it goes in cut in its middle, both ends and its quotes kept. */
	if (w && !len && wl + sizeof(more) > size && size >= sizeof(more) + 16) {
		cs_clip_mid(list, size - sizeof(more) + 1, w);
		return;
	}
	if (!w || len + (len ? 2 : 0) + wl + sizeof(more) > size) {
		if (len + sizeof(more) <= size)
			memcpy(list + len, more, sizeof(more));
		return;
	}
	if (len) {
		memcpy(list + len, ", ", 2);
		len += 2;
	}
	memcpy(list + len, w, wl + 1);
}

/* SPDX-License-Identifier: MIT */
/*
 * The one escaping rule for text that reaches a terminal. Names from
 * manifests, images, file systems and other processes are data: a process
 * can set its comm to ESC sequences, a tar entry can be called "x\nFAKE ROW".
 * Every text-mode field such a party controls goes through this, so it can
 * neither move the cursor, recolour the screen nor forge a line.
 *
 * Kept as they are: printable ASCII except '\\', and valid UTF-8 that is
 * neither a C1 control nor a bidirectional override. Escaped: '\\' as "\\\\",
 * \n \t \r as "\\n" "\\t" "\\r", other C0 bytes and DEL and every byte of
 * invalid UTF-8 as "\\xNN", C1 controls (U+0080..U+009F), the bidi
 * controls (U+202A..U+202E, U+2066..U+2069, which reorder what follows: the
 * "Trojan Source" trick, and the marks U+061C, U+200E, U+200F), the line and
 * paragraph separators U+2028/U+2029, the invisible format characters
 * (U+200B, U+2060..U+2065, U+206A..U+206F, U+FEFF, U+FFF9..U+FFFB, U+180E),
 * the soft hyphen U+00AD (which a browser hides), U+034F, U+17B4, U+17B5,
 * U+FFF0..U+FFF8 and the Hangul fillers (U+115F, U+1160, U+3164, U+FFA0,
 * drawn blank) as "\\uNNNN"; past U+FFFF, the invisible shorthand and musical format
 * controls (U+1BCA0..U+1BCA3, U+1D173..U+1D17A) and the tag characters
 * (U+E0000..U+E007F, which can spell hidden ASCII) as "\\UNNNNNNNN".
 * The joiners U+200C/U+200D and the variation selectors (U+FE00..U+FE0F,
 * U+180B..U+180D, U+180F, U+E0100..U+E01EF) are kept only where scripts and
 * emoji use them, between characters that show (a selector: after one);
 * beside ASCII, at either end or beside a hidden character they are escaped
 * too ("web" U+200D drew as "web"; nineteenth pass). The text is their
 * context: callers that escape in pieces judge each in the whole.
 */
#ifndef CAPSCOPE_ESCAPE_H
#define CAPSCOPE_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

#include "caps.h"

/*
 * Escape the n bytes at s into out (NUL-terminated, cut on a whole escape
 * when it does not fit). Returns the length the whole escaped text needs,
 * without the NUL, as snprintf does.
 */
CS_EXPORT size_t cs_escape_text(const char *s, size_t n, char *out, size_t outlen);

/*
 * The string s (nothing for NULL) escaped as cs_escape_text escapes it,
 * written to f 4 KiB at a time, cut on a character: escapes are of one
 * character each, so the pieces are the whole's bytes, and a long text
 * (a refused pod's SCC reasons) is never held escaped whole.
 */
CS_EXPORT void cs_escape_write(FILE *f, const char *s);

/* The escaped text of the string s on the heap ("" for NULL); NULL on ENOMEM. */
CS_EXPORT char *cs_escape_dup(const char *s);

/*
 * The same for a cell of a table with columns after it: a space as "\\x20"
 * and the other blanks (NBSP, U+2000..U+200A, U+202F, U+205F, U+3000,
 * U+1680) as "\\uNNNN", so a name cannot forge the columns after it ("x
 * 0:0  00755" as a path read as its own uid and mode; fifteenth pass, as
 * ps and trace already did for their own cells).
 */
CS_EXPORT char *cs_escape_cell_dup(const char *s);

/*
 * The same for a name with text after it on its line: an item of a list
 * ("add [A,B] drop [ALL]"), with each byte of marks (the list's own
 * separator and closing mark, e.g. ",]") as "\\xNN" too. One rule for every
 * name that has text after it: no space, blank or mark of its own, so it
 * can neither split into two items nor imitate the text that follows
 * (a capability named "X] drop [ALL"; fifteenth pass, second round).
 * trace's lists, ps's container id and explain's lists use it.
 */
CS_EXPORT char *cs_escape_item_dup(const char *s, const char *marks);

/* True when s (a string) needs no escaping. */
CS_EXPORT int cs_text_is_safe(const char *s);

/*
 * How many of the len bytes at s to quote in a message that shows at most
 * max of them: len when they fit, else at most max, never ending inside a
 * UTF-8 sequence (half a character is escaped as "\xNN", a byte the text
 * did not have). A caller that cuts says so ("...").
 */
CS_EXPORT size_t cs_text_cut(const char *s, size_t len, size_t max);

/*
 * A name put into a snippet the user is meant to copy (a remedy's Dockerfile
 * line, a YAML block, an `oc` command) is quoted for that snippet's language,
 * never only escaped for the terminal: a container command "/x; curl e|sh"
 * or a name holding `"` or ": " would otherwise end the word, string or
 * scalar and add its own. Each result is exact (it means the input's bytes;
 * JSON and YAML show invalid UTF-8 as U+FFFD, which they cannot hold) and
 * terminal-safe (no control, C1 or bidi character raw): it needs no other
 * escaping. Heap strings, NULL on ENOMEM; NULL input is "".
 *   shell: a plain word, '...', or $'...' with \xNN (as trace's profile)
 *   JSON:  a JSON string with its quotes, C1 and bidi as \uNNNN
 *   YAML:  a double-quoted scalar, ASCII only
 */
CS_EXPORT char *cs_quote_shell_dup(const char *s);
CS_EXPORT char *cs_quote_json_dup(const char *s);
CS_EXPORT char *cs_quote_yaml_dup(const char *s);

#endif

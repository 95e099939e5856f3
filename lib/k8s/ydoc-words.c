/* SPDX-License-Identifier: MIT */
/*
 * libfyaml's parser error texts, said in capscope's words. Its own
 * ("invalid multiline plain key" for a line indented too far, "invalid
 * value after mapping" for a block scalar's short line) came after
 * "YAML: " as they are: the place was right, the words named the parser's
 * states, not what is wrong in the file nor what to write instead
 * (twenty-seventh pass, part A, left open; said here in the twenty-eighth,
 * as lib/scan/archive-words.c says libarchive's). The texts are libfyaml
 * 0.7.12's (src/lib/fy-parse.c), the ones a hand-written manifest can
 * meet; the JSON-mode ones are not (the reader never parses in that mode).
 * Any other is kept, named as the YAML reader's, and escaped: it is not
 * known not to carry the input's bytes.
 */
#include "ydoc-words.h"

#include <stdio.h>
#include <string.h>

#include "internal/util.h"

struct words {
	const char *fy;	  /* libfyaml's text, whole */
	const char *said; /* capscope's */
};

#define TABS "a tab in a line's indentation: YAML indents with spaces only; use spaces"
#define QUOTE_OPEN(q, c)                                                                           \
	"a " q "-quoted value with no closing " c " (it runs on to the end of the text): close it"
#define QUOTE_AFTER(q)                                                                             \
	"text after a " q "-quoted value's closing quote: quote the whole value, or put a ',', "   \
	"':' or a line break after the quote"
#define QUOTE_COMMENT(q)                                                                           \
	"a '#' right after a " q "-quoted value: a comment's '#' needs a space before it"
#define QUOTE_INDENT(q)                                                                            \
	"a line of this " q "-quoted value that spans lines is not indented deeper than its "      \
	"key: indent its lines past the key's column, or keep the value on one line"
#define QUOTE_KEY(q) "a " q "-quoted key over more than one line: keep a key on one line"
#define QUOTE_DOC(m, q)                                                                            \
	"a '" m "' line inside a " q "-quoted value ends the document there: close the quote "     \
	"before it, or indent the line"
#define FLOW_INDENT                                                                                \
	"a line of a '[ ]' list or '{ }' mapping indented no deeper than the key it belongs to: "  \
	"indent its lines past the key's column"
#define SEQ_SAME_LINE_PROP(p)                                                                      \
	"a '- ' list on the same line as its " p ": start the list on the next line, indented"
#define PROP_INDENT(p, c)                                                                          \
	"an " p " indented otherwise than the " c " it opens: put it on the key's line, or "       \
	"indent it as the " c "'s first line"
#define BAD_CHAR(c, w) "a " c " in " w " name: name it with letters, digits, '-' and '_'"

static const struct words table[] = {
    /* indentation and keys: what a hand-written manifest meets most */
    {"invalid multiline plain key",
     "this plain value runs on over the next line into a 'key:': that line is indented deeper "
     "than the keys beside it (indent it as they are), or it is meant as the value's own "
     "mapping (put it under a key with nothing after its ':')"},
    {"invalid nested block mapping on the same line",
     "a 'key:' on the same line as another key ('a: b: c'): put the inner mapping on the "
     "lines below its key, indented, or quote the value"},
    {"invalid block mapping key on same line as previous key",
     "a second 'key:' on the same line as a key and its value: one 'key: value' a line"},
    {"invalid value after mapping",
     "text where this mapping expects its next 'key:' (a line indented less than a value "
     "above it, or a value without its key): indent it as the value it belongs to, or give "
     "it a key"},
    {"invalid indentation in mapping",
     "a key indented otherwise than the keys before it in this mapping: indent it as they "
     "are, or deeper under a key with nothing after its ':'"},
    {"did not find expected key",
     "something other than a 'key:' where this mapping expects its next key (a '- ' item or a "
     "'[', '{' beside the keys): put it under a key, indented"},
    {"wrong indendation in sequence while in mapping",
     "a '- ' item indented otherwise than the items before it, beside the mapping's keys: "
     "indent it as the list's other items"},
    {"two anchors for a single value while in mapping", "two anchors ('&') on one value: keep one"},
    {"invalid combination of anchor plus alias",
     "an alias ('*') where this mapping expects its next 'key:' (a value without its key): "
     "give it a key, or indent it as the value it belongs to"},
    {"unexpected alias",
     "an anchor ('&') or a tag ('!') on an alias ('*'): an alias takes neither; remove it"},
    {"missing ':'", "a key without its ':' (or a ':' with no space after it): write 'key: value'"},
    {"could not find expected ':'",
     "a key without its ':' (or a ':' with no space after it): write 'key: value'"},
    {"Illegal placement of ':' indicator",
     "a ':' where no key can be: quote a value holding ': ', or put the key before it"},
    {"invalid mapping key (not allowed in this context)",
     "a '? ' key where no key can be: remove it, or quote a value starting with '? '"},
    {"invalid mapping starting at --- line",
     "a 'key: value' on the '---' line: start the document's mapping on the next line"},
    {"invalid mapping in plain multiline",
     "a plain value over several lines, then a 'key:': give the value its key, or quote it"},
    /* lists */
    {"did not find expected node content",
     "no value where one is expected (a ',', ']', '}', '-' or ':' out of place): write the "
     "value, or remove the indicator"},
    {"did not find expected '-' indicator",
     "this list expects its next '- ' item here: start the line with '- ' as the items "
     "before it, or indent it less"},
    {"invalid scalar at the end of block sequence",
     "text after a '- ' list where its next '- ' item or its end was expected: start it with "
     "'- ' as the items before it, or indent it as the key it belongs to"},
    {"wrongly indented sequence item",
     "a '- ' item indented otherwise than the items before it: indent it as they are"},
    {"block sequence on the same line as a mapping key",
     "a '- ' list on the same line as its key ('a: - b'): put the items on the lines below "
     "the key, or write the list as [b]"},
    {"block sequence on the same line as a previous item",
     "a '- ' item on the same line as the item before it: one '- ' item a line"},
    {"block sequence entries not allowed in this context",
     "a '- ' item where no list can start (inside '[ ]' or '{ }', or after a value on its "
     "line): put the list on its own lines, or quote a value starting with '- '"},
    {"illegal block sequence on the same line as anchor", SEQ_SAME_LINE_PROP("anchor")},
    {"illegal block sequence on the same line as the tag", SEQ_SAME_LINE_PROP("tag")},
    {"invalid anchor indent for mapping", PROP_INDENT("anchor", "mapping")},
    {"invalid tag indent for mapping", PROP_INDENT("tag", "mapping")},
    {"invalid anchor indent for sequence", PROP_INDENT("anchor", "list")},
    {"invalid tag indent for sequence", PROP_INDENT("tag", "list")},
    /* flow collections: [ ] and { } */
    {"flow sequence without a closing bracket",
     "a '[' list with no closing ']' (or two of its items without a ',' between): close it, "
     "separate its items with ','"},
    {"missing comma in flow sequence",
     "two items of a '[ ]' list without a ',' between them (or a ']' missing): separate them "
     "with ','"},
    {"missing comma in flow mapping",
     "two pairs of a '{ }' mapping without a ',' between them (or a '}' missing): separate "
     "them with ','"},
    {"flow sequence with invalid extra closing bracket", "a ']' that closes no '[': remove it"},
    {"flow mapping with invalid extra closing brace", "a '}' that closes no '{': remove it"},
    {"mismatched flow sequence end", "a ']' where a '{' mapping is open: close it with '}' first"},
    {"mismatched flow mapping end", "a '}' where a '[' list is open: close it with ']' first"},
    {"flow sequence with invalid comma in the beginning",
     "a ',' before the first item of a '[ ]' list: remove it"},
    {"flow sequence with invalid extra comma",
     "two ',' in a row in a '[ ]' list (an empty item): remove one"},
    {"invalid comment after comma",
     "a '#' right after a ',': a comment's '#' needs a space before it"},
    {"invalid comment after sequence start",
     "a '#' right after a '[': a comment's '#' needs a space before it"},
    {"invalid comment after mapping start",
     "a '#' right after a '{': a comment's '#' needs a space before it"},
    {"invalid comment after end of flow sequence",
     "a '#' right after a ']': a comment's '#' needs a space before it"},
    {"invalid comment after end of flow mapping",
     "a '#' right after a '}': a comment's '#' needs a space before it"},
    {"invalid document start indicator in a flow sequence",
     "a '---' line inside a '[ ]' list that is not closed: close it before"},
    {"invalid document end indicator in a flow sequence",
     "a '...' line inside a '[ ]' list that is not closed: close it before"},
    {"wrongly indented flow sequence", FLOW_INDENT},
    {"wrongly indented flow mapping", FLOW_INDENT},
    {"wrongly indented sequence start in flow mode", FLOW_INDENT},
    {"wrongly indented mapping start in flow mode", FLOW_INDENT},
    {"wrongly indented sequence end in flow mode", FLOW_INDENT},
    {"wrongly indented mapping end in flow mode", FLOW_INDENT},
    {"wrongly indented entry seperator in flow mode", FLOW_INDENT},
    {"wrongly indented mapping key in flow mode", FLOW_INDENT},
    {"wrongly indented mapping value in flow mode", FLOW_INDENT},
    {"wrongly indented tag in flow mode", FLOW_INDENT},
    {"wrongly indented anchor in flow mode", FLOW_INDENT},
    {"wrongly indented alias in flow mode", FLOW_INDENT},
    {"wrongly indented single-quoted scalar in flow mode", FLOW_INDENT},
    {"wrongly indented double-quoted scalar in flow mode", FLOW_INDENT},
    {"wrongly indented block sequence in flow mode",
     "a '- ' item inside a '[ ]' list or '{ }' mapping: write its items as '[a, b]'"},
    {"wrongly indented block scalar in flow mode",
     "a '|' or '>' value inside a '[ ]' list or '{ }' mapping: quote the value instead"},
    {"invalid multiline flow sequence key ",
     "a key inside '[ ]' over more than one line: keep a key on one line"},
    {"invalid multiline flow mapping key ",
     "a key inside '{ }' over more than one line: keep a key on one line"},
    /* quoted values */
    {"double-quoted scalar without closing quote", QUOTE_OPEN("double", "'\"'")},
    {"single-quoted scalar without closing quote", QUOTE_OPEN("single", "\"'\"")},
    {"invalid trailing content after double-quoted scalar", QUOTE_AFTER("double")},
    {"invalid trailing content after single-quoted scalar", QUOTE_AFTER("single")},
    {"invalid comment without whitespace after double-quoted scalar", QUOTE_COMMENT("double")},
    {"invalid comment without whitespace after single-quoted scalar", QUOTE_COMMENT("single")},
    {"wrongly indented double-quoted scalar", QUOTE_INDENT("double")},
    {"wrongly indented single-quoted scalar", QUOTE_INDENT("single")},
    {"invalid multiline double-quoted scalar used as key", QUOTE_KEY("double")},
    {"invalid multiline single-quoted scalar used as key", QUOTE_KEY("single")},
    {"invalid document-start marker in double-quoted scalar", QUOTE_DOC("---", "double")},
    {"invalid document-start marker in single-quoted scalar", QUOTE_DOC("---", "single")},
    {"invalid document-end marker in double-quoted scalar", QUOTE_DOC("...", "double")},
    {"invalid document-end marker in single-quoted scalar", QUOTE_DOC("...", "single")},
    {"double-quoted scalar has invalid hex escape",
     "an escape (backslash then 'x', 'u' or 'U') in a double-quoted value without its 2, 4 or "
     "8 hex digits: write them, or two backslashes for one"},
    {"double-quoted scalar has invalid UTF8 escape",
     "an escape (backslash then 'u' or 'U') in a double-quoted value that is no character: "
     "write the character itself"},
    {"Invalid low surrogate value",
     "an escape (backslash then 'u') of a UTF-16 surrogate in a double-quoted value: write "
     "the character itself"},
    /* block scalars: | and > */
    {"block scalar no linebreak found",
     "text after a '|' or '>' on its line (only an indentation digit, '+', '-' or a comment "
     "may follow it): put the value on the lines below"},
    {"invalid comment without whitespace after block scalar indicator",
     "a '#' right after a '|' or '>': a comment's '#' needs a space before it"},
    {"block scalar with wrongly indented line after spaces only",
     "a line of this '|' or '>' value indented less than a blank line of it before: indent "
     "its lines alike, or remove the spaces of the blank line"},
    {"empty block scalar with wrongly indented comment line after spaces only",
     "a comment indented less than a blank line of this empty '|' or '>' value: indent the "
     "comment as the key, or remove the spaces of the blank line"},
    {"wrongly indented block scalar in block mode",
     "a '|' or '>' value's line indented no deeper than its key: indent the value's lines"},
    /* tabs */
    {"tab character may not be used as indentation", TABS},
    {"invalid tab character as indent instead of space", TABS},
    {"invalid tab used as indentation", TABS},
    {"cannot use tab for indentation of block entry", TABS},
    {"invalid tab as indendation in a mapping", TABS},
    {"Indentation used tabs for ':' indicator", TABS},
    /* anchors, aliases, tags */
    {"invalid anchor detected",
     "an '&' with no name after it: name the anchor, or quote a value starting with '&'"},
    {"invalid alias detected",
     "a '*' with no name after it: name the anchor it stands for, or quote a value starting "
     "with '*'"},
    {"invalid tag detected",
     "a '!' tag with no name: remove it, or quote a value starting with '!'"},
    {"illegal unicode control character in anchor", BAD_CHAR("control character", "an anchor's")},
    {"illegal unicode control character in alias", BAD_CHAR("control character", "an alias's")},
    {"illegal unicode space character in anchor", BAD_CHAR("space character", "an anchor's")},
    {"illegal unicode space character in alias", BAD_CHAR("space character", "an alias's")},
    {"invalid character in anchor", BAD_CHAR("character", "an anchor's")},
    {"invalid character in alias", BAD_CHAR("character", "an alias's")},
    {"partial character in anchor", BAD_CHAR("cut UTF-8 character", "an anchor's")},
    {"partial character in alias", BAD_CHAR("cut UTF-8 character", "an alias's")},
    {"undefined tag prefix",
     "a tag whose handle ('!x!') no %TAG directive defines: Kubernetes resolves no such tag; "
     "remove it"},
    {"missing '>' uri terminator",
     "a verbatim tag '!<' without its closing '>': Kubernetes resolves no such tag; remove it"},
    {"invalid tag terminator",
     "a tag not followed by a space or a line break: Kubernetes resolves no such tag; remove "
     "it"},
    {"invalid tag handle start",
     "a tag handle that does not start with '!': Kubernetes resolves no such tag; remove it"},
    {"missing whitespace after TAG", "a %TAG directive without a space after its handle"},
    {"non hex URI escape", "a '%' escape in a tag without its two hex digits: remove the tag"},
    {"short URI escape", "a '%' escape in a tag without its two hex digits: remove the tag"},
    {"missing URI escape", "a '%' escape in a tag without its two hex digits: remove the tag"},
    {"bad width for hex URI escape", "a '%' escape in a tag that is no UTF-8: remove the tag"},
    {"bad utf8 URI escape", "a '%' escape in a tag that is no UTF-8: remove the tag"},
    /* directives and documents */
    {"duplicate tag directive", "the same %TAG handle defined twice before one document: keep one"},
    {"duplicate version directive", "two %YAML directives before one document: keep one"},
    {"stream with directives without content",
     "a directive (%YAML, %TAG) with no document after it: remove it"},
    {"directive(s) without a document",
     "a directive (%YAML, %TAG) with no document after it: remove it"},
    {"missing explicit document end marker before directive(s)",
     "a directive (%YAML, %TAG) after a document without a '...' line between: end the "
     "document with '...'"},
    {"version directive missing dot separator",
     "a %YAML directive that is not '%YAML 1.1': Kubernetes reads YAML 1.1; remove it"},
    {"version directive missing major number",
     "a %YAML directive that is not '%YAML 1.1': Kubernetes reads YAML 1.1; remove it"},
    {"version directive missing minor number",
     "a %YAML directive that is not '%YAML 1.1': Kubernetes reads YAML 1.1; remove it"},
    {"garbage after version directive",
     "text after a %YAML directive's version on its line: remove it"},
    {"garbage after tag directive", "text after a %TAG directive's prefix on its line: remove it"},
    {"invalid content after document end marker",
     "text after a '...' on its line: a document's end stands alone on its line"},
    {"missing document start", "a document that does not start where one can: start it with '---'"},
    {"Did not find expected stream end", "text after the last document's end: remove it"},
    /* UTF-8 (the reader's own check comes first; said alike) */
    {"plain scalar is malformed UTF8", "not UTF-8 text in this value"},
    {"single-quoted scalar is malformed UTF8", "not UTF-8 text in this value"},
    {"double-quoted scalar is malformed UTF8", "not UTF-8 text in this value"},
    {"block scalar is malformed UTF8", "not UTF-8 text in this value"},
};

/* A character of an input, shown only when it is printable ASCII and no quote. */
static bool shown_char(const char *s, size_t n)
{
	return n == 1 && s[0] > 0x20 && s[0] < 0x7f && s[0] != '\'' && s[0] != '\\';
}

const char *ydoc_fyaml_words(const char *msg, char *buf, size_t len)
{
	static const char esc_pre[] = "invalid escape '", esc_post[] = "' in double-quoted string";
	static const char start_pre[] = "plain scalar cannot start with '";
	size_t n, a, b;

	if (!msg || !*msg) {
		snprintf(buf, len, "the YAML reader refuses the text here");
		return buf;
	}
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (!strcmp(msg, table[i].fy)) {
			snprintf(buf, len, "%s", table[i].said);
			return buf;
		}
	n = strlen(msg);
	a = sizeof(esc_pre) - 1, b = sizeof(esc_post) - 1;
	/* the character is the input's: named when it is plain ASCII */
	if (n > a + b && !strncmp(msg, esc_pre, a) && !strcmp(msg + n - b, esc_post)) {
		if (shown_char(msg + a, n - a - b))
			cs_format_cut(
			    buf, len,
			    "a backslash then '%c' in a double-quoted value, which is no escape: "
			    "write two backslashes for one, or single-quote the value",
			    msg[a]);
		else
			snprintf(
			    buf, len,
			    "a backslash then a character that is no escape, in a double-quoted "
			    "value: write two backslashes for one, or single-quote the value");
		return buf;
	}
	a = sizeof(start_pre) - 1;
	if (n > a + 1 && !strncmp(msg, start_pre, a) && msg[a + 1] == '\'') {
		char c = msg[a];

		if (c == '@' || c == '`')
			cs_format_cut(
			    buf, len,
			    "a plain value starting with '%c', which YAML reserves: quote the "
			    "value",
			    c);
		else if (shown_char(&c, 1))
			cs_format_cut(
			    buf, len,
			    "a plain value starting with '%c', an indicator of YAML%s: quote the "
			    "value",
			    c, msg[a + 2] ? " there" : "");
		else
			snprintf(buf, len,
				 "a plain value starting with an indicator of YAML: quote it");
		return buf;
	}
	if (!strncmp(msg, "undefined tag prefix '", 22)) {
		snprintf(
		    buf, len,
		    "a tag whose handle no %%TAG directive defines: Kubernetes resolves no such "
		    "tag; remove it");
		return buf;
	}
	/* Not known: the reader's own text, said to be its, escaped (it is not
	 * known not to hold the input's bytes). */
	char shown[160];

	cs_escape_clip(msg, shown, sizeof(shown));
	snprintf(buf, len, "the YAML reader (libfyaml) refuses the text here: %s", shown);
	return buf;
}

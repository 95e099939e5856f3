/* SPDX-License-Identifier: MIT */
/*
 * The manifest reader's compact YAML tree (lib/k8s/ydoc.c): styles, tags,
 * marks, anchors and aliases, multi-document streams, and the errors that
 * libfyaml's document builder used to raise (duplicate keys, depth).
 * Each document is written out as text by dump() and compared whole.
 */
#include "cmocka-wrap.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8s/ydoc.h"
#include "k8s/ydoc-keys.h"
#include "k8s/ydoc-stream.h"
#include "k8s/ydoc-words.h"

struct out {
	char buf[4096];
	size_t len;
	int stop_after; /* documents to read before the callback fails; 0: never */
	int docs;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (o->len < sizeof(o->buf))
		o->len += (size_t)vsnprintf(o->buf + o->len, sizeof(o->buf) - o->len, fmt, ap);
	va_end(ap);
	if (o->len > sizeof(o->buf))
		o->len = sizeof(o->buf);
}

/* scalar: style mark, text, @line:col; alias: *name@line:col=>where its
 * target is; collections in flow style with ydoc_pos after them. */
static void dump(struct out *o, const struct ydoc_node *n)
{
	static const char style[] = {[YDOC_PLAIN] = '=',
				     [YDOC_SINGLE_QUOTED] = '\'',
				     [YDOC_DOUBLE_QUOTED] = '"',
				     [YDOC_LITERAL] = '|',
				     [YDOC_FOLDED] = '>'};
	struct cs_pos p = ydoc_pos(n);

	if (ydoc_tag(n))
		put(o, "!%s ", ydoc_tag(n));
	switch (n->kind) {
	case YDOC_SCALAR:
		put(o, "%c%.*s@%u:%u", n->style <= YDOC_FOLDED ? style[n->style] : '?', (int)n->n,
		    n->u.text, n->line, n->column);
		break;
	case YDOC_ALIAS:
		put(o, "*%.*s@%u:%u=>", (int)n->n, n->u.text, n->line, n->column);
		if (ydoc_target(n)) {
			struct cs_pos t = ydoc_pos(ydoc_target(n));

			put(o, "%u:%u", t.line, t.column);
		} else {
			put(o, "none");
		}
		break;
	case YDOC_SEQ:
		put(o, "[");
		for (uint32_t i = 0; i < n->n; i++) {
			put(o, i ? ", " : "");
			dump(o, n->u.items[i]);
		}
		put(o, "]%s@%u:%u", n->style == YDOC_FLOW ? "f" : "b", p.line, p.column);
		break;
	case YDOC_MAP:
		put(o, "{");
		for (uint32_t i = 0; i < n->n; i++) {
			put(o, i ? ", " : "");
			dump(o, n->u.pairs[i].key);
			put(o, ": ");
			dump(o, n->u.pairs[i].value);
		}
		put(o, "}%s@%u:%u", n->style == YDOC_FLOW ? "f" : "b", p.line, p.column);
		break;
	}
}

static int on_doc(void *user, struct ydoc_node *root, size_t nodes)
{
	struct out *o = user;

	if (o->stop_after && o->docs == o->stop_after)
		return -ECANCELED;
	o->docs++;
	put(o, "%s", o->docs > 1 ? "\n" : "");
	if (root)
		dump(o, root);
	else
		put(o, "(none)");
	return 0;
}

/* Read text as cs_k8s_parse does (room for one-line JSON); 0 or -errno. */
static bool oracle; /* read_text reads as libfyaml does (ydoc_read_fy) */

static int read_text(const char *text, struct out *o, struct cs_diag *d)
{
	size_t len = strlen(text);
	char *buf = malloc(len + YDOC_ROOM + 1);
	bool room = ydoc_wants_room(text, len);
	int r;

	assert_non_null(buf);
	memcpy(buf + (room ? YDOC_ROOM : 0), text, len);
	memset(d, 0, sizeof(*d));
	r = (oracle ? ydoc_read_fy : ydoc_read)(buf, len, room, "t.yaml", on_doc, o, d);
	free(buf);
	return r;
}

static void expect_tree(const char *text, const char *want)
{
	struct out o = {0};
	struct cs_diag d;

	assert_int_equal(read_text(text, &o, &d), 0);
	if (strcmp(o.buf, want)) {
		fprintf(stderr, "text: %s\ngot:  %s\nwant: %s\n", text, o.buf, want);
		fail();
	}
}

#define DIRECTIVE_MSG                                                                              \
	"YAML: a directive (%YAML, %TAG) not after a '...' line: kubectl hands it to go-yaml "     \
	"without the '---' line after it and refuses the file (did not find expected <document "   \
	"start>); remove it"
#define TAG_MSG                                                                                    \
	"YAML: a tag not followed by a space or a line break: Kubernetes (go-yaml) refuses it or " \
	"reads another tag; put a space after it"

static void expect_error(const char *text, unsigned line, unsigned col, const char *msg)
{
	struct out o = {0};
	struct cs_diag d;

	if (read_text(text, &o, &d) != -EINVAL) {
		fprintf(stderr, "text: %s\nread without error: %s\n", text, o.buf);
		fail();
	}
	assert_string_equal(d.file, "t.yaml");
	if (d.line != line || d.column != col || strcmp(d.message, msg)) {
		fprintf(stderr, "text: %s\ngot:  %u:%u %s\nwant: %u:%u %s\n", text, d.line,
			d.column, d.message, line, col, msg);
		fail();
	}
}

static void test_scalars(void **state)
{
	(void)state;
	expect_tree("a: plain\nb: 'single'\nc: \"dq\\tx\"\nd: |\n  lit\ne: >-\n  fol\n  ded\nf:\n",
		    "{=a@1:1: =plain@1:4, =b@2:1: 'single@2:4, =c@3:1: \"dq\tx@3:4, =d@4:1: "
		    "|lit\n@5:1, =e@6:1: >fol ded@7:1, =f@9:1: =@0:0}b@1:1");
	/* tags are kept; YAML 1.1 words are left to the manifest reader */
	expect_tree("- !!str on\n- !custom x\n- no\n",
		    "[!tag:yaml.org,2002:str =on@1:9, !!custom =x@2:11, =no@3:3]b@1:9");
}

/* The first mapping value's text length, through ydoc_read's callback. */
static int first_value_len(void *user, struct ydoc_node *root, size_t nodes)
{
	struct ydoc_node *n = root;

	(void)nodes;
	while (n && n->kind == YDOC_MAP && n->n)
		n = n->u.pairs[0].value;
	while (n && n->kind == YDOC_SEQ && n->n)
		n = n->u.items[0];
	*(long *)user = n && n->kind == YDOC_SCALAR ? (long)n->n : -1;
	return 0;
}

/* libfyaml 0.7.12 gives an empty block scalar ending the text as one NUL
 * byte; go-yaml (kubectl) reads "" (session 17, part F). */
static void test_empty_block_at_end(void **state)
{
	static const char *const texts[] = {
	    "a: |\n", "a: >\n",	      "a: |+\n",   "a: >+\n", "a: |2\n",  "a: | #c\n", "a: |\r\n",
	    "- |\n",  "a:\n  b: |\n", "a: &x |\n", "a: |",    "a: |\n\n", "a: |-\n"};

	(void)state;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		size_t len = strlen(texts[i]);
		char *buf = malloc(len + 1);
		struct cs_diag d = {0};
		long got = -2;

		assert_non_null(buf);
		memcpy(buf, texts[i], len + 1);
		assert_int_equal(ydoc_read(buf, len, false, "t.yaml", first_value_len, &got, &d),
				 0);
		if (got != 0) {
			fprintf(stderr, "text: %s\nvalue of %ld bytes, want 0\n", texts[i], got);
			fail();
		}
		free(buf);
	}
	/* with content, and kept breaks, as before */
	expect_tree("a: |+\n\n", "{=a@1:1: |\n@2:1}b@1:1");
	expect_tree("a: >\n  x\n", "{=a@1:1: >x\n@2:1}b@1:1");
}

/* What libfyaml reads in a scalar where go-yaml refuses it or reads
 * otherwise (ydoc-scalar.c; session 17, part F): refused at the scalar. */
static void test_scalars_go_yaml_misreads(void **state)
{
	static const char esc_slash[] =
	    "YAML: the escape backslash then '/' in a double-quoted scalar: "
	    "Kubernetes (go-yaml, YAML 1.1) refuses it (found unknown "
	    "escape character); write '/'";

	(void)state;
	expect_error("a: \"x\\/y\"\n", 1, 4, esc_slash);
	expect_error("a: [\"\\ud83d\\ude00\"]\n", 1, 5,
		     "YAML: a UTF-16 surrogate escaped in a double-quoted scalar: Kubernetes "
		     "(go-yaml) refuses it (found invalid Unicode character escape code); write "
		     "the character itself, or backslash then 'U' and 8 hex digits");
	expect_error("a: >\n  x\n\n   y\n  z\n", 2, 1,
		     "YAML: a folded scalar (>) with an empty line before a more-indented one: "
		     "libfyaml 0.7.12 reads it otherwise than Kubernetes (go-yaml); write it as a "
		     "literal (|) or quoted scalar");
	expect_error("a: |\n  \tx\n  y\n", 2, 1,
		     "YAML: a tab before the text of a block scalar's first line: Kubernetes "
		     "(go-yaml) refuses it (found a tab character where an indentation space is "
		     "expected); indent with spaces");
	expect_error("a: |2\n      \n", 2, 1,
		     "YAML: a block scalar with an indentation indicator and only blank lines: "
		     "libfyaml 0.7.12 drops spaces Kubernetes (go-yaml) keeps; write it as a "
		     "quoted scalar");
	/* what both read alike: escaped backslashes, other escapes, a tab
	 * inside the text or past the first line, an indicator with text, a
	 * '|' in a key or a comment before the header */
	expect_tree("a: \"x\\\\/y\\u00e9\\U0001F600\"\nb: |\n  x\n  \ty\nc: |2\n    \tz\n"
		    "d: >\n\n  w\n   v\ne: |2\n\n",
		    "{=a@1:1: \"x\\/y\xc3\xa9\xf0\x9f\x98\x80@1:4, =b@2:1: |x\n\ty\n@3:1, "
		    "=c@5:1: |  \tz\n@6:1, =d@7:1: >\nw\n v\n@8:1, =e@11:1: |@12:1}b@1:1");
}

static void test_marks(void **state)
{
	(void)state;
	/* a collection is where its first scalar is; an empty one at its own
	 * '[' or '{' (eleventh pass: it was nowhere, and `spec: []` refused
	 * with no line); the walk stops 16 levels down */
	expect_tree("k:\n  - []\n  - {}\n  - [[x]]\n",
		    "{=k@1:1: [[]f@2:5, {}f@3:5, [[=x@4:7]f@4:7]f@4:7]b@2:5}b@1:1");
	/* a collection as a key is refused (kubectl: "invalid map key") */
	expect_error("k:\n  - {? [y]: z}\n", 2, 8,
		     "YAML: a sequence"
		     " as a mapping's key: Kubernetes refuses it (invalid map key: JSON's keys are "
		     "strings)");
	{
		struct out o = {0};
		struct cs_diag d;
		char text[64] = "";

		for (int i = 0; i < 17; i++)
			strcat(text, "[");
		strcat(text, "x");
		for (int i = 0; i < 17; i++)
			strcat(text, "]");
		assert_int_equal(read_text(text, &o, &d), 0);
		assert_non_null(strstr(o.buf, "[=x@1:18]f@1:18]f@1:18"));
		/* the two outermost would need a walk of 17 and 18 levels */
		assert_non_null(strstr(o.buf, "]f@1:18]f@0:0]f@0:0"));
		assert_int_equal(strlen(strstr(o.buf, "]f@1:18]f@0:0]f@0:0")), 19);
	}
	/* one-line JSON: the prefix the reader adds costs no column */
	expect_tree("{\"a\": [1, \"b\"]}", "{\"a@1:2: [=1@1:8, \"b@1:11]f@1:8}f@1:2");
}

static void test_aliases(void **state)
{
	(void)state;
	/* the anchored node itself, not a copy; the alias's own mark */
	expect_tree("a: &x {k: v}\nb: *x\n",
		    "{=a@1:1: {=k@1:8: =v@1:11}f@1:8, =b@2:1: *x@2:4=>1:8}b@1:1");
	/* several: the last before the alias, as go-yaml resolves it */
	expect_tree("- &x a\n- *x\n- &x b\n- *x\n",
		    "[=a@1:6, *x@2:3=>1:6, =b@3:6, *x@4:3=>3:6]b@1:6");
	/* an anchor inside an anchored collection shadows it there */
	expect_tree("&x [&x 1, *x]\n", "[=1@1:8, *x@1:11=>1:8]f@1:8");
	/* after the anchored collection ends (block and flow) */
	expect_tree("a: &x\n  k: v\nb: *x\n",
		    "{=a@1:1: {=k@2:3: =v@2:6}b@2:3, =b@3:1: *x@3:4=>2:3}b@1:1");
	/* go-yaml refuses the document: none before the alias (libfyaml would
	 * take the one after it), a path in its name, another document's
	 * anchor, an alias inside what it names (eighth pass) */
	expect_error("- *x\n- &x y\n", 1, 3,
		     "YAML: unknown anchor 'x' referenced: no anchor of that name before it "
		     "(Kubernetes refuses the document)");
	expect_error("- *nope\n", 1, 3,
		     "YAML: unknown anchor 'nope' referenced: no anchor of that name before it "
		     "(Kubernetes refuses the document)");
	/* go-yaml ends an alias's name at the '/', then finds no blank: a
	 * syntax error (fourteenth pass, integrator) */
	expect_error("- &x [1]\n- *x/0\n", 2, 3,
		     "YAML: an anchor or alias name of other characters than ASCII letters, "
		     "digits, '-' and '_': Kubernetes refuses the document");
	expect_error("- &x.y [1]\n", 1, 3,
		     "YAML: an anchor or alias name of other characters than ASCII letters, "
		     "digits, '-' and '_': Kubernetes refuses the document");
	expect_error("- &\xc3\xa4 a\n- *\xc3\xa4\n", 1, 3,
		     "YAML: an anchor or alias name of other characters than ASCII letters, "
		     "digits, '-' and '_': Kubernetes refuses the document");
	expect_error("&a x\n---\n*a\n", 3, 1,
		     "YAML: unknown anchor 'a' referenced: no anchor of that name before it "
		     "(Kubernetes refuses the document)");
	expect_error("&s [*s]\n", 1, 5,
		     "YAML: anchor 's' value contains itself (Kubernetes refuses the document)");
	expect_error("a: &s\n  b:\n    c: *s\n", 3, 8,
		     "YAML: anchor 's' value contains itself (Kubernetes refuses the document)");
	/* go-yaml v2 reads only %YAML 1.1 documents (eighth pass) */
	expect_error("%YAML 1.2\n---\na: 1\n", 2, 1,
		     "YAML: %YAML 1.2: Kubernetes reads YAML 1.1 and refuses this document (found "
		     "incompatible YAML document)");
	/* kubectl hands go-yaml the first document's directives without the
	 * "---" after them, and refuses the file (kubectl 1.32, "did not find
	 * expected <document start>"); right after a "..." they are read (and
	 * ignored, with the rest of that piece) */
	expect_error("%YAML 1.1\n---\na: 1\n", 2, 1, DIRECTIVE_MSG);
	expect_error("# c\n%TAG !e! tag:x,2000:\n--- # c\na: 1\n", 3, 1, DIRECTIVE_MSG);
	/* kubectl: "---\n...\n", then the "---" line dropped, "%YAML 1.1\n" alone */
	expect_error("---\n...\n---\n%YAML 1.1\n---\na: 1\n", 5, 1, DIRECTIVE_MSG);
	expect_tree("a: 1\n...\n%YAML 1.1\n---\nb: 2\n",
		    "{=a@1:1: =1@1:4}b@1:1\n{=b@5:1: =2@5:4}b@5:1");
}

/* "a: &s [x × k]\nb: [*s × m]\n" */
static char *aliased(unsigned k, unsigned m)
{
	char *t = malloc(16 + 2 * (size_t)k + 4 * (size_t)m), *p = t;

	assert_non_null(t);
	p += sprintf(p, "a: &s [");
	for (unsigned i = 0; i < k; i++)
		p += sprintf(p, "%sx", i ? "," : "");
	p += sprintf(p, "]\nb: [");
	for (unsigned i = 0; i < m; i++)
		p += sprintf(p, "%s*s", i ? ", " : "");
	sprintf(p, "]\n");
	return t;
}

/*
 * go-yaml v2's limit on aliasing (Kubernetes refuses the document), counted
 * as go-yaml counts its decodes: the document 1, the root, a, the anchored
 * sequence 1 + k, b, its sequence, each alias 1 + (1 + k) of which 1 + k
 * through the alias. k = 198: 201 aliases give 39,999 of 40,404 (98.99 %),
 * 202 give 40,198 of 40,604 (99.0001 %, over 99 %: refused at the last).
 */
static void test_alias_limit(void **state)
{
	struct out o = {0};
	struct cs_diag d;
	char *t;

	(void)state;
	t = aliased(198, 201);
	assert_int_equal(read_text(t, &o, &d), 0);
	free(t);
	t = aliased(198, 202);
	memset(&o, 0, sizeof(o));
	assert_int_equal(read_text(t, &o, &d), -EINVAL);
	assert_int_equal(d.line, 2);
	assert_int_equal(d.column, 5 + 201 * 4); /* the last alias, at its '*' */
	assert_string_equal(d.message, "YAML: document contains excessive aliasing (Kubernetes "
				       "refuses the document)");
	free(t);
	/* a billion laughs: refused early, whatever it would expand to (4,301
	 * decodes, 4,258 through aliases: the third *c) */
	expect_error(
	    "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
	    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
	    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
	    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
	    "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h,*h]\nj: &j [*i,*i,*i,*i,*i,*i,*i,*i,*i,*i]\n",
	    4, 14, "YAML: document contains excessive aliasing (Kubernetes refuses the document)");
}

static void test_documents(void **state)
{
	struct out o = {0};
	struct cs_diag d;

	(void)state;
	expect_tree("a\n---\n---\n{b: c}\n...\n--- d\n",
		    "=a@1:1\n=@0:0\n{=b@4:2: =c@4:5}f@4:2\n=d@6:5");
	expect_tree("", "");
	expect_tree("# nothing\n", "");
	/* the callback's error stops the reading: later syntax is not read */
	o.stop_after = 1;
	assert_int_equal(read_text("a\n---\nb\n---\n[\n", &o, &d), -ECANCELED);
	assert_string_equal(o.buf, "=a@1:1");
}

static void test_errors(void **state)
{
	(void)state;
	/* duplicate keys, quoted or not, at the key (a quoted key at its text) */
	expect_error("kind: Pod\nkind: Pod\n", 2, 1, "YAML: duplicate key 'kind'");
	expect_error("a: 1\n\"a\": 2\n", 2, 1, "YAML: duplicate key 'a'");
	expect_error("{\"kind\":\"Pod\",\"kind\":\"Pod\"}", 1, 15, "YAML: duplicate key 'kind'");
	/* complex keys compare by content, mappings in any order, as
	 * libfyaml's do; read as Kubernetes reads, a collection as a key is
	 * refused at the document's end (kubectl 1.32, "invalid map key"),
	 * and since session 16 not compared first (that was quadratic) */
	oracle = true;
	expect_error("? {a: 1, b: 2}\n: 1\n? {b: 2, a: 1}\n: 2\n", 3, 3, "YAML: duplicate key");
	oracle = false;
	expect_error("? {a: 1, b: 2}\n: 1\n? {b: 2, a: 1}\n: 2\n", 1, 3,
		     "YAML: a mapping as a mapping's key: Kubernetes refuses it (invalid map key: "
		     "JSON's keys are strings)");
	expect_error("? {a: 1}\n: 1\n? {a: 2}\n: 2\n", 1, 3,
		     "YAML: a mapping as a mapping's key: Kubernetes refuses it (invalid map key: "
		     "JSON's keys are strings)");
	/* go-yaml reads an empty, '~' or 'null' key as nil, which Kubernetes
	 * refuses (fourteenth pass, integrator); an empty key has no place of
	 * its own: its mapping's is given */
	expect_error("\"\": 1\n: 2\n", 1, 1,
		     "YAML: a null key (empty, '~' or 'null'): Kubernetes refuses it; quote it or "
		     "remove it");
	expect_error("a: {b: 1, ~: 2}\n", 1, 11,
		     "YAML: a null key (empty, '~' or 'null'): Kubernetes refuses it; quote it or "
		     "remove it");
	expect_error("a: {b: 1, : 2}\n", 1, 4,
		     "YAML: a null key (empty, '~' or 'null'): Kubernetes refuses it; quote it or "
		     "remove it");
	expect_error("a:\n  Null: 2\n", 2, 3,
		     "YAML: a null key (empty, '~' or 'null'): Kubernetes refuses it; quote it or "
		     "remove it");
	/* a tag must be followed by a blank or a line break (go-yaml v2's
	 * yaml_parser_scan_tag; kubectl 1.32 refuses each, "did not find
	 * expected whitespace or line break", but reads `[!!str, a]` as one
	 * item tagged "!!str,"); libfyaml ended the tag at the indicator */
	expect_error("labels: {name: !}\n", 1, 16, TAG_MSG);
	expect_error("a: {k: !x}\n", 1, 8, TAG_MSG);
	expect_error("a: [!!str, a]\n", 1, 5, TAG_MSG);
	expect_error("a: {k: !!str,}\n", 1, 8, TAG_MSG);
	expect_error("a: [&s !x]\n", 1, 8, TAG_MSG);
	expect_tree("a: [!x , !x\tb, !y\n  ]\nb: !x\r\n  c\n",
		    "{=a@1:1: [!!x =@0:0, !!x =b@1:13, !!y =@0:0]f@0:0, =b@3:1: !!x =c@4:3}b@1:1");
	/* an anchor or alias name followed by '[' or '{' (yaml_parser_scan_anchor:
	 * "did not find expected alphabetic or numeric character") */
	expect_error(
	    "args: &q[\"-g\"]\n", 1, 7,
	    "YAML: an anchor or alias followed by '[': Kubernetes (go-yaml) refuses it; put "
	    "a space after the name");
	expect_error(
	    "a: [&q{b: c}]\n", 1, 5,
	    "YAML: an anchor or alias followed by '{': Kubernetes (go-yaml) refuses it; put "
	    "a space after the name");
	expect_tree("a: [&q x,*q]\n", "{=a@1:1: [=x@1:8, *q@1:10=>1:8]f@1:8}b@1:1");
	/* a CR LF then an empty line in a single-quoted scalar: libfyaml's
	 * chunk iterator gives more line breaks than its scanner measured
	 * (YAML: "  \n"): refused, and not said as "two '' escapes in a row",
	 * which it has none of (twenty-seventh pass, part D) */
	expect_error("- '  \r\n\n  '\n", 1, 4,
		     "YAML: a single-quoted string libfyaml 0.7 reads wrongly (its text is not the "
		     "length its scanner measured); write it double-quoted");
	/* the duplicate is found before a later syntax error */
	expect_error("a: 1\na: 2\nb: [\n", 2, 1, "YAML: duplicate key 'a'");
	/* 63 nested collections are fine, the 64th level is refused */
	{
		char text[160];
		struct out o = {0};
		struct cs_diag d;

		for (int n = 63; n <= 64; n++) {
			size_t k = 0;

			for (int i = 0; i < n; i++)
				text[k++] = '[';
			text[k++] = 'x';
			for (int i = 0; i < n; i++)
				text[k++] = ']';
			text[k] = '\0';
			o.len = 0;
			o.buf[0] = '\0';
			if (n == 63)
				assert_int_equal(read_text(text, &o, &d), 0);
			else
				expect_error(text, 1, 64, "YAML: Max depth (64) exceeded");
		}
	}
	expect_error("a: [b, c\n", 2, 1,
		     "YAML: a '[' list with no closing ']' (or two of its items without a ',' "
		     "between): close it, separate its items with ','");
	expect_error("{\"a\":[{\"b\":\"c\",]}", 1, 16,
		     "YAML: a ']' where a '{' mapping is open: close it with '}' first");
	expect_error("a: \xff\n", 1, 4, "not UTF-8 text (byte 0xff)");
}

static int check_lookup(void *user, struct ydoc_node *root, size_t nodes)
{
	const struct ydoc_node *kind = ydoc_get(root, "kind");

	(void)user;
	assert_non_null(kind);
	assert_int_equal(kind->n, 3);
	assert_memory_equal(kind->u.text, "Pod", 3);
	assert_null(ydoc_get(root, "kin"));
	assert_null(ydoc_get(kind, "kind"));
	assert_null(ydoc_get(NULL, "kind"));
	assert_true(ydoc_is_null(ydoc_get(root, "n1")));
	assert_false(ydoc_is_null(ydoc_get(root, "n2")));
	assert_true(ydoc_is_null(ydoc_get(root, "n3")));
	assert_true(ydoc_is_null(ydoc_get(root, "n4")));
	assert_true(ydoc_is_null(ydoc_get(root, "absent")));
	assert_false(ydoc_is_null(kind));
	return 0;
}

/* Past a few keys a mapping's keys are hashed: the same answers. */
static void test_many_keys(void **state)
{
	char text[1024], *end = text;

	(void)state;
	for (int i = 0; i < 40; i++)
		end += sprintf(end, "k%d: %d\n", i, i);
	strcpy(end, "\"k7\": dup\n");
	expect_error(text, 41, 1, "YAML: duplicate key 'k7'");
	strcpy(end, "'': 1\n\"\": 2\n"); /* empty strings are alike */
	expect_error(text, 42, 1, "YAML: duplicate key ''");
	strcpy(end, "? [a, {b: c}]\n: 1\n? [a, {b: c}]\n: 2\n");
	oracle = true;
	expect_error(text, 43, 3, "YAML: duplicate key");
	oracle = false;
	/* read as Kubernetes reads: 40,000 such keys are refused at the
	 * first, without comparing each with every one before */
	expect_error(text, 41, 3,
		     "YAML: a sequence as a mapping's key: Kubernetes refuses it (invalid map key: "
		     "JSON's keys are strings)");
	/* go-yaml reads an alias key as the key it names (`*x` here is a
	 * second `a`); ydoc_get compares written text: refused, as a tag on a
	 * key is */
	strcpy(end, "&x a: 1\n*x : 2\n");
	expect_error(text, 42, 1,
		     "YAML: an alias as a key: Kubernetes reads the key it names, "
		     "capscope does not; write the key out");
	strcpy(end, "!!str k40: 1\n");
	expect_error(text, 41, 7,
		     "YAML: a tag on a key: Kubernetes resolves it, capscope does "
		     "not; write the key out without the tag");
	strcpy(end, "? [a]\n: 3\nk39x: 4\n");
	expect_error(text, 41, 3,
		     "YAML: a sequence"
		     " as a mapping's key: Kubernetes refuses it (invalid map key: JSON's keys are "
		     "strings)");
}

static void test_lookup(void **state)
{
	(void)state;
	/* ydoc_get matches the text of plain and quoted keys (an alias key is
	 * refused); ydoc_is_null is YAML's null for plain scalars only */
	const char *text = "x: &k kind\n'kind': Pod\nn1: ~\nn2: \"\"\nn3: NULL\nn4:\n";
	char *buf = strdup(text);
	struct cs_diag d;

	assert_int_equal(ydoc_read(buf, strlen(text), false, "t", check_lookup, NULL, &d), 0);
	free(buf);
}

/*
 * Text that opens with '{' or '[' and is valid JSON is built by hand
 * (lib/k8s/ydoc-json.c: libfyaml held every token of a collection inside a
 * flow sequence until it ended). The tree must be the one libfyaml gives:
 * each JSON text is also read as YAML after a newline (then libfyaml's),
 * and the two trees, written out with every node's kind, style, place and
 * text, must be equal but for that line.
 */
static void ser(FILE *f, const struct ydoc_node *n, unsigned shift)
{
	fprintf(f, "%d%d%d@%u:%u", n->kind, n->style, n->escaped, n->line ? n->line - shift : 0,
		n->column);
	if (n->kind == YDOC_SCALAR) {
		fprintf(f, "<%u:", n->n);
		fwrite(n->u.text, 1, n->n, f);
		fputc('>', f);
		return;
	}
	fputc('(', f);
	for (uint32_t i = 0; i < n->n; i++) {
		if (n->kind == YDOC_SEQ) {
			ser(f, n->u.items[i], shift);
		} else {
			ser(f, n->u.pairs[i].key, shift);
			ser(f, n->u.pairs[i].value, shift);
		}
	}
	fputc(')', f);
}

struct tree_text {
	char *text;
	size_t len, nodes;
	unsigned shift;
};

static int on_tree(void *user, struct ydoc_node *root, size_t nodes)
{
	struct tree_text *t = user;
	FILE *f = open_memstream(&t->text, &t->len);

	assert_non_null(f);
	assert_non_null(root);
	ser(f, root, t->shift);
	fclose(f);
	t->nodes = nodes;
	return 0;
}

static void same_as_libfyaml(const char *json)
{
	size_t len = strlen(json);
	char *buf = malloc(len + YDOC_ROOM + 2);
	struct tree_text ours = {0}, theirs = {.shift = 1};
	struct cs_diag d;

	assert_non_null(buf);
	assert_true(ydoc_wants_room(json, len));
	memcpy(buf + YDOC_ROOM, json, len);
	assert_int_equal(ydoc_read(buf, len, true, "t.json", on_tree, &ours, &d), 0);
	buf[0] = '\n';
	memcpy(buf + 1, json, len);
	if (ydoc_read_fy(buf, len + 1, false, "t.yaml", on_tree, &theirs, &d) != 0) {
		fprintf(stderr, "libfyaml refused %s: %u:%u %s\n", json, d.line, d.column,
			d.message);
		fail();
	}
	if (ours.len != theirs.len || memcmp(ours.text, theirs.text, ours.len) ||
	    ours.nodes != theirs.nodes) {
		fprintf(stderr, "json: %s\nours:     %s (%zu)\nlibfyaml: %s (%zu)\n", json,
			ours.text, ours.nodes, theirs.text, theirs.nodes);
		fail();
	}
	free(ours.text);
	free(theirs.text);
	free(buf);
}

static unsigned long rnd_state;

static unsigned rnd(unsigned n)
{
	rnd_state = rnd_state * 6364136223846793005ul + 1442695040888963407ul;
	return (unsigned)(rnd_state >> 33) % n;
}

static void put_space(FILE *f)
{
	static const char *const sp[] = {"", "", "", " ", "\n", "\r\n", "\n  ", " \n "};

	fputs(sp[rnd(sizeof(sp) / sizeof(sp[0]))], f);
}

/* The streams after a marker are YAML to kubectl: no escape go-yaml
 * refuses ("\\/", a surrogate pair), which the reader refuses there. */
static bool yaml_escapes_only;

static void put_string(FILE *f, unsigned key)
{
	static const char *const bits[] = {"a",
					   "Z9",
					   "\xc3\xa9",
					   "\xf0\x9f\x98\x80",
					   "\\n",
					   "\\\"",
					   "\\\\",
					   "\\/",
					   "\\u00e9",
					   "\\ud83d\\ude00",
					   "\\t",
					   " ",
					   ":",
					   ",",
					   "{}",
					   "[",
					   "#",
					   "- ",
					   "\\u0000",
					   "\\b\\f\\r",
					   "\xe2\x82\xac",
					   "'",
					   "&x *y",
					   "!t"};
	unsigned n = rnd(4);

	fputc('"', f);
	if (key)
		fprintf(f, "k%u", key);
	for (unsigned i = 0; i < n; i++) {
		const char *b = bits[rnd(sizeof(bits) / sizeof(bits[0]))];

		fputs(yaml_escapes_only && (b == bits[7] || b == bits[9]) ? "a" : b, f);
	}
	fputc('"', f);
}

static void put_value(FILE *f, int depth)
{
	static const char *const plain[] = {"0",    "-1",    "12.5", "1e3", "-0.25E-2",
					    "true", "false", "null", "7"};
	unsigned what = depth > 5 ? rnd(2) : rnd(4);

	if (what == 0) {
		put_string(f, 0);
	} else if (what == 1) {
		fputs(plain[rnd(sizeof(plain) / sizeof(plain[0]))], f);
	} else {
		unsigned n = rnd(5);

		fputc(what == 2 ? '[' : '{', f);
		for (unsigned i = 0; i < n; i++) {
			put_space(f);
			if (i)
				fputc(',', f), put_space(f);
			if (what == 3) {
				put_string(f, i + 1);
				/* no line break before ':': in a YAML stream go-yaml
				 * refuses it (test_go_yaml_keys) */
				fputs(rnd(2) ? " " : "", f);
				fputc(':', f);
				put_space(f);
			}
			put_value(f, depth + 1);
		}
		put_space(f);
		fputc(what == 2 ? ']' : '}', f);
	}
}

static void test_json_as_libfyaml(void **state)
{
	(void)state;
	same_as_libfyaml("{\"a\": [1, \"b\"]}");
	same_as_libfyaml("{\"\":\"\",\"x\":[[],{},[{}],{\"y\":[]}]}");
	same_as_libfyaml("[\"\\u00e9\\ud83d\\ude00\\\"\", \"\xc3\xa9\", 1, \"x\"]");
	same_as_libfyaml("{\r\n \"a\" :\r\n  [ 1 ,\r\n 2 ] ,\n\"b\":\"\xf0\x9f\x98\x80\" }\n");
	same_as_libfyaml("{\"spec\":{\"containers\":[{\"name\":\"c\",\"args\":[\"a\",\"b\"]}]}}");
	/* JSON to kubectl (it opens with '{'): a key's ':' on the next line is read */
	same_as_libfyaml("{\"a\"\n: 1, \"b\"\r\n  :\n2}");
	rnd_state = 20261130;
	for (int i = 0; i < 400; i++) {
		char *text = NULL;
		size_t len = 0;
		/* the root is a collection (the reader reads as JSON only what
		 * opens with '{' or '['): one of each, its items random */
		FILE *f = open_memstream(&text, &len);

		assert_non_null(f);
		fputs("[", f);
		put_space(f);
		put_value(f, 0);
		put_space(f);
		fputs(",{\"k\":", f);
		put_value(f, 0);
		fputs("}]", f);
		fclose(f);
		same_as_libfyaml(text);
		free(text);
	}
}

/*
 * JSON after white space, comments, "---" markers or a byte order mark,
 * and streams of such documents, are built by hand too (ydoc-stream.c: the
 * same 2.6 MB manifest written `--- {...}` cost lint 161 MB through
 * libfyaml). Every document's tree must be libfyaml's; what is not such a
 * stream is left to libfyaml whole.
 */
static int on_docs(void *user, struct ydoc_node *root, size_t nodes)
{
	FILE *f = user;

	if (root)
		ser(f, root, 0);
	fprintf(f, "|%zu\n", nodes);
	return 0;
}

static char *docs_of(const char *text, bool fy)
{
	size_t len = strlen(text), n = 0;
	char *buf = strdup(text), *out = NULL;
	FILE *f = open_memstream(&out, &n);
	struct cs_diag d;
	int rc;

	assert_non_null(buf);
	assert_non_null(f);
	rc = fy ? ydoc_read_fy(buf, len, false, "t", on_docs, f, &d)
		: ydoc_read(buf, len, false, "t", on_docs, f, &d);
	if (rc != 0) /* a refusal is compared too */
		fprintf(f, "error %d %u:%u %s\n", rc, d.line, d.column, d.message);
	fclose(f);
	free(buf);
	return out;
}

static int count_doc(void *user, struct ydoc_node *root, size_t nodes)
{
	(void)root;
	(void)nodes;
	++*(int *)user;
	return 0;
}

static void stream_as_libfyaml(const char *text, int by_hand)
{
	char *ours = docs_of(text, false), *theirs = docs_of(text, true);
	int docs = 0;

	/* 2: JSON to kubectl, where libfyaml's YAML 1.1 folds NEL: the string as written */
	if (by_hand == 2)
		assert_non_null(strstr(ours, "<2:\xc2\x85>"));
	else if (strcmp(ours, theirs)) {
		fprintf(stderr, "text: %s\nours:     %slibfyaml: %s", text, ours, theirs);
		fail();
	}
	/* built by hand (0), or left to libfyaml with nothing given (1) */
	assert_int_equal(ydoc_stream_read(text, strlen(text), count_doc, &docs), !by_hand);
	assert_true(by_hand ? docs > 0 : docs == 0);
	free(ours);
	free(theirs);
}

static void test_json_streams(void **state)
{
	static const char *const gaps[] = {" ",
					   "\n\n",
					   "\r\n  ",
					   "--- ",
					   "---\n",
					   "# c\n--- # c\n  ",
					   "\xef\xbb\xbf",
					   "\xef\xbb\xbf--- ",
					   "\xef\xbb\xbf\n# x\n---\r\n"};
	static const char *const hand[] = {
	    " {\"a\": [1, {\"b\": \"c\"}]}",
	    "--- {\"a\": 1}\n--- [2]\n---\n\n{\"c\": {\"d\": []}} # end\n",
	    "{\"a\": 1}\n--- [2]\n",
	    "---\n{\n  \"a\": [\n    {\"b\": 1},\n    {\"c\": \"\\u00e9\"}\n  ]\n}\n# last\n",
	};
	static const char *const fy[] = {
	    "--- {}\n---\n",			/* an empty document */
	    "---\n---\n{}",			/* another */
	    "{} {}",				/* two values, no marker */
	    "--- {}\n...\n",			/* an end marker */
	    "--- {}\n...\n%YAML 1.1\n--- {}\n", /* a directive */
	    "--- \t{}\n",			/* a tab in YAML, where go-yaml takes it */
	    "--- [\"\xc2\x85\"]\n",		/* NEL: a line break to YAML 1.1 */
	    "--- [\"\xe2\x80\xa9\"]\n",		/* U+2029 */
	    " {\"a\": 1}x: 2\n",		/* not JSON */
	    "--- a: 1\n--- {}\n",		/* a document that is not JSON */
	    "  ---\n{}\n",			/* "---" not at a line's start */
	    "#x\n{}#y\n",			/* '#' after a value is no comment */
	};
	(void)state;
	for (size_t i = 0; i < sizeof(hand) / sizeof(hand[0]); i++)
		stream_as_libfyaml(hand[i], 1);
	for (size_t i = 0; i < sizeof(fy) / sizeof(fy[0]); i++)
		stream_as_libfyaml(fy[i], 0);
	/* a tab at a line's start: go-yaml (kubectl) refuses the file (part H) */
	{
		char *o = docs_of("---\n\t{}\n", false);

		assert_non_null(strstr(o, "error -22 2:1 YAML: a tab where go-yaml"));
		free(o);
	}
	/* JSON to kubectl (white space only before it): YAML 1.1's breaks kept */
	stream_as_libfyaml("\t[\"\xc2\x85\", \"\xe2\x80\xa8\"]\n", 2);
	/* escapes JSON takes and go-yaml refuses: JSON to kubectl without a
	 * marker, built by hand; YAML after one, left to libfyaml and refused
	 * at the string (session 17, part F) */
	{
		static const char *const esc[] = {"[\"a\\/b\"]\n", "[\"\\ud83d\\ude00\"]\n"};
		char t[64];
		int docs = 0;

		for (size_t i = 0; i < sizeof(esc) / sizeof(esc[0]); i++) {
			assert_int_equal(ydoc_stream_read(esc[i], strlen(esc[i]), count_doc, &docs),
					 0);
			snprintf(t, sizeof(t), "---\n%s", esc[i]);
			assert_int_equal(ydoc_stream_read(t, strlen(t), count_doc, &docs), 1);
		}
		assert_int_equal(docs, 2);
		expect_error("---\n[\"a\\/b\"]\n", 2, 2,
			     "YAML: the escape backslash then '/' in a double-quoted scalar: "
			     "Kubernetes (go-yaml, "
			     "YAML 1.1) refuses it (found unknown escape character); write '/'");
	}
	rnd_state = 20261201;
	yaml_escapes_only = true;
	for (int i = 0; i < 300; i++) {
		char *text = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);
		unsigned docs = 1 + rnd(3);

		assert_non_null(f);
		for (unsigned j = 0; j < docs; j++) {
			fputs(j ? "\n---" : gaps[rnd(sizeof(gaps) / sizeof(gaps[0]))], f);
			put_space(f);
			fputs(j ? " [" : "[", f);
			put_value(f, 0);
			fputs(",{\"k\":", f);
			put_value(f, 0);
			fputs("}]", f);
			put_space(f);
		}
		fclose(f);
		stream_as_libfyaml(text, 1);
		free(text);
	}
	yaml_escapes_only = false;
}

/*
 * go-yaml's simple key (ydoc-held.h): in a YAML stream, JSON or not, a key
 * whose ':' is on another line or more than 1,024 characters from its start
 * is refused at the key (kubectl 1.32 refuses each of these texts); JSON
 * after a marker so is left to libfyaml, whose reading refuses it.
 */
static void refused_key(const char *text, int before, unsigned line, unsigned column)
{
	char *buf = strdup(text);
	struct cs_diag d;
	int docs = 0;

	assert_non_null(buf);
	assert_int_equal(ydoc_read(buf, strlen(text), false, "t", count_doc, &docs, &d), -EINVAL);
	assert_int_equal(docs, before); /* the documents before it are read, as for any error */
	assert_int_equal(d.line, line);
	assert_int_equal(d.column, column);
	assert_non_null(strstr(d.message, "this key's ':' is on another line"));
	docs = 0;
	assert_int_equal(ydoc_stream_read(text, strlen(text), count_doc, &docs), 1);
	assert_int_equal(docs, 0);
	free(buf);
}

/*
 * libfyaml's texts in capscope's words (twenty-eighth pass, part A): a
 * known text, one that carries an input's character (named only when
 * plain ASCII), and an unknown one: kept, named as the reader's, escaped.
 */
static void test_fyaml_words(void **state)
{
	char b[256];

	(void)state;
	assert_string_equal(
	    ydoc_fyaml_words("invalid nested block mapping on the same line", b, sizeof(b)),
	    "a 'key:' on the same line as another key ('a: b: c'): put the inner "
	    "mapping on the lines below its key, indented, or quote the value");
	assert_string_equal(
	    ydoc_fyaml_words("invalid escape 'q' in double-quoted string", b, sizeof(b)),
	    "a backslash then 'q' in a double-quoted value, which is no escape: "
	    "write two backslashes for one, or single-quote the value");
	assert_string_equal(
	    ydoc_fyaml_words("invalid escape '\x1b[2J' in double-quoted string", b, sizeof(b)),
	    "a backslash then a character that is no escape, in a double-quoted value: write "
	    "two backslashes for one, or single-quote the value");
	assert_string_equal(ydoc_fyaml_words("undefined tag prefix '\x1b]0;x'", b, sizeof(b)),
			    "a tag whose handle no %TAG directive defines: Kubernetes resolves no "
			    "such tag; remove it");
	assert_string_equal(ydoc_fyaml_words("something new \x1b[31m\n", b, sizeof(b)),
			    "the YAML reader (libfyaml) refuses the text here: something new "
			    "\\x1b[31m\\n");
	assert_string_equal(ydoc_fyaml_words(NULL, b, sizeof(b)),
			    "the YAML reader refuses the text here");
	/* every message of the table fits the diagnostic after "YAML: " */
	assert_true(strlen(ydoc_fyaml_words("invalid multiline plain key", b, sizeof(b))) + 6 <
		    256);
}

static void test_go_yaml_keys(void **state)
{
	char text[1200], *buf;
	struct cs_diag d;
	int docs = 0;

	(void)state;
	refused_key("---\n{\"a\"\n: 1}\n", 0, 2, 2);
	refused_key("---\n{\"x\": 1, \"a\" \r\n  : 1}\n", 0, 2, 10);
	refused_key("---\n[{\"a\": 1}]\n---\n{\"b\" # c\n: 1}\n", 1, 4, 2);
	refused_key("a: {b\n : 2}\n", 0, 1, 5);
	/* 1,024 characters from the quote to the ':', then 1,025; a plain key of 1,025 */
	snprintf(text, sizeof(text), "---\n{\"%01022d\":1}\n", 0);
	buf = strdup(text);
	assert_non_null(buf);
	assert_int_equal(ydoc_read(buf, strlen(text), false, "t", count_doc, &docs, &d), 0);
	assert_int_equal(ydoc_stream_read(text, strlen(text), count_doc, &docs), 0);
	assert_int_equal(docs, 2);
	free(buf);
	snprintf(text, sizeof(text), "---\n{\"%01022d\" :1}\n", 0);
	refused_key(text, 0, 2, 2);
	snprintf(text, sizeof(text), "k%01024d: 1\n", 0);
	refused_key(text, 0, 1, 1);
	/* after a byte order mark too: libfyaml counts no column for it, and
	 * the walker lagged one character on line 1, so the key went unchecked */
	snprintf(text, sizeof(text), "\xef\xbb\xbfk%01024d: 1\n", 0);
	refused_key(text, 0, 1, 1);
	snprintf(text, sizeof(text),
		 "\xef\xbb\xbf"
		 "a: 1\nk%01024d: 1\n",
		 0);
	refused_key(text, 0, 2, 1);
	/* a '?' then a comment, comment lines, a NEL, then the key: a complex key
	 * (kubectl 1.32 reads these; they were refused, the '?' unseen past the
	 * comment); a comment ending in '?' opens none */
	static const char *const complex_keys[] = {
	    "a:\n  ? # c\n    kk\n  : z\n",
	    "a: {b: c, ? # c\n  # d\n\n  kk\n  : z}\n",
	    "a: {? # c\xc2\x85  kk\n  : z}\n",
	};
	for (size_t i = 0; i < sizeof(complex_keys) / sizeof(complex_keys[0]); i++) {
		strcpy(text, complex_keys[i]);
		docs = 0;
		if (ydoc_read(text, strlen(text), false, "t", count_doc, &docs, &d) != 0)
			fail_msg("refused: %s (%s)", complex_keys[i], d.message);
		assert_int_equal(docs, 1);
	}
	refused_key("a: {b: c, # ?\n  kk\n  : z}\n", 0, 2, 3);
	/* a plain scalar holding '?' or opening with ':' in a flow collection (go-yaml ends it
	 * there) */
	/* a collection as a key: kubectl 1.32 refuses it (invalid map key) */
	static const char *const coll_keys[] = {"a:\n  ? [b]\n  : c\n", "a: {{}: []}\n",
						"? {b: c}\n: d\n"};
	for (size_t i = 0; i < sizeof(coll_keys) / sizeof(coll_keys[0]); i++) {
		strcpy(text, coll_keys[i]);
		assert_int_equal(ydoc_read(text, strlen(text), false, "t", count_doc, &docs, &d),
				 -EINVAL);
		assert_non_null(strstr(d.message, "as a mapping's key: Kubernetes refuses it"));
	}
	static const char *const flow_q[] = {"a: {?b: c}\n", "a: [b?]\n", "a: {b: c?d}\n",
					     "a: [:b]\n", "a: {b: c, :d}\n"};
	for (size_t i = 0; i < sizeof(flow_q) / sizeof(flow_q[0]); i++) {
		strcpy(text, flow_q[i]);
		assert_int_equal(ydoc_read(text, strlen(text), false, "t", count_doc, &docs, &d),
				 -EINVAL);
		assert_non_null(
		    strstr(d.message,
			   "a plain scalar holding '?' or opening with ':' in a flow collection"));
	}
	/* a mark then JSON is JSON to kubectl, which drops the mark first
	 * (cli-runtime's FileVisitor, unicode.BOMOverride; kubectl 1.32 reads
	 * these): built by hand, a key over two lines or of any length read */
	docs = 0;
	strcpy(text, "\xef\xbb\xbf{\"a\"\n: 1}");
	assert_int_equal(ydoc_stream_read(text, strlen(text), count_doc, &docs), 0);
	assert_int_equal(docs, 1);
	snprintf(text, sizeof(text), "\xef\xbb\xbf{\"%01030d\": 1}", 0);
	buf = strdup(text);
	assert_non_null(buf);
	docs = 0;
	assert_int_equal(ydoc_read(buf, strlen(text), false, "t", count_doc, &docs, &d), 0);
	assert_int_equal(docs, 1);
	free(buf);
}

/*
 * Text fed to libfyaml by the piece (ydoc-held.c): aliases are resolved by
 * where they are (line and column: libfyaml's input_pos restarts with each
 * of its buffers, every 64 KiB here), and a double-quoted scalar is marked
 * escaped by its columns, far into a text as at its start.
 */
static int check_far(void *user, struct ydoc_node *root, size_t nodes)
{
	int *seen = user;

	(void)nodes;
	assert_non_null(root);
	for (uint32_t i = 0; i < root->n; i++) {
		const struct ydoc_node *k = root->u.pairs[i].key, *v = root->u.pairs[i].value;

		if (k->n != 1)
			continue;
		if (k->u.text[0] == 'b' || k->u.text[0] == 'd') {
			assert_int_equal(v->kind, YDOC_ALIAS);
			const struct ydoc_node *t = ydoc_target(v);

			assert_non_null(t);
			if (!t)
				return -1;
			assert_int_equal(t->n, 2);
			assert_memory_equal(t->u.text, k->u.text[0] == 'b' ? "v1" : "v2", 2);
		} else if (k->u.text[0] == 'e' || k->u.text[0] == 'f' || k->u.text[0] == 'g') {
			assert_int_equal(v->escaped, k->u.text[0] != 'f');
		} else {
			continue;
		}
		++*seen;
	}
	return 0;
}

static void test_far_marks(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct cs_diag d;
	int seen = 0;

	(void)state;
	assert_non_null(f);
	for (int i = 0; i < 20000; i++)
		fprintf(f, "%spad%d: \"\xc3\xa9t\xc3\xa9\"\n", i == 3500 ? "a: &k v1\n" : "", i);
	fputs("b: *k\nc: &k v2\nd: *k\ne: \"\\u0041\"\nf: \"A\xc3\xa9\"\ng: \"a\n  b\"\n", f);
	fclose(f);
	assert_true(len > 3 * 65536);
	if (ydoc_read(text, len, false, "t.yaml", check_far, &seen, &d))
		fprintf(stderr, "%u:%u %s\n", d.line, d.column, d.message), fail();
	assert_int_equal(seen, 5);
	free(text);
}

/*
 * A flow collection held by libfyaml's scanner (an item of a flow sequence
 * until it ends; in block context, until its line ends) costs some 200
 * bytes a token: past 65,536 flow indicators after the last node given
 * out, the text is refused where that node ended (session 13: a 1.6 MB
 * line cost lint 329 MB). Spread over lines, or in a block scalar, it is
 * not held and is read.
 */
static char *repeat(const char *head, const char *item, const char *sep, int n, const char *tail)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	fputs(head, f);
	for (int i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? sep : "", item);
	fputs(tail, f);
	fclose(f);
	return text;
}

static void expect_held(char *text, int refused, unsigned line, unsigned col)
{
	struct out o = {0};
	struct cs_diag d;
	int rc = read_text(text, &o, &d);

	if (!refused) {
		if (rc)
			fprintf(stderr, "%u:%u %s\n", d.line, d.column, d.message);
		assert_int_equal(rc, 0);
	} else {
		assert_int_equal(rc, -EINVAL);
		assert_non_null(strstr(d.message, "more than 65536 flow indicators"));
		assert_int_equal(d.line, line);
		assert_int_equal(d.column, col);
	}
	free(text);
}

static void test_held_bound(void **state)
{
	char *text;

	(void)state;
	/* one line, an item of a flow sequence: 70,000 ',' after "[{a: [" */
	expect_held(repeat("--- [{a: [", "x", ",", 70000, "]}]\n"), 1, 1, 7);
	expect_held(repeat("--- [{a: [", "x", ",", 30000, "]}]\n"), 0, 0, 0);
	/* one line in block context: held until the line ends */
	expect_held(repeat("k:\n- {a: [", "x", ",", 70000, "]}\n"), 1, 2, 4);
	/* 120,000 indicators on one line, but in items that each end at once */
	expect_held(repeat("k: [", "[x]", ",", 40000, "]\n"), 0, 0, 0);
	/* the same over lines, in block style, in a literal block scalar: read */
	expect_held(repeat("k:\n- {a: [", "x", ",\n  ", 70000, "]}\n"), 0, 0, 0);
	expect_held(repeat("k:\n", "- x", "\n", 70000, "\n"), 0, 0, 0);
	expect_held(repeat("k: |\n", "  [{\"a\": 1}, {\"b\": 2}],", "\n", 20000, "\n"), 0, 0, 0);
	/* A quoted scalar is one token, whatever it holds: kubectl writes a
	 * ConfigMap of a minified JSON file so (session 13, second round:
	 * refused before); single and double quotes, escapes, in a flow item */
	expect_held(repeat("data:\n  d.json: '[", "{\"id\":1,\"t\":[1,2]}", ",", 20000, "]'\n"), 0,
		    0, 0);
	expect_held(repeat("data:\n  d.json: \"\\\"\\\\[", "x", ",", 70000, "'\"\n"), 0, 0, 0);
	expect_held(repeat("k:\n- [[[ 'it''s ", "x", ",", 70000, "' ]]]\n"), 0, 0, 0);
	/* after the quote closes, or with no quote where a token starts
	 * (a plain scalar's "'"), the flow that follows is counted */
	expect_held(repeat("k: ['a,b', [", "x", ",", 70000, "]]\n"), 1, 1, 13);
	expect_held(repeat("k: [don't, [", "x", ",", 70000, "]]\n"), 1, 1, 13);
	/* Session 16: a flow collection opening a line after the last event
	 * is held until that line ends (a possible key); it was counted only
	 * when the last event lay on that line (`---` then a 1.9 MB line of
	 * flow YAML cost lint 162 MB). Refused there (after the '{' that
	 * libfyaml gives out of the cut text, or at the line's start). */
	expect_held(repeat("---\n{a: [", "x", ",", 70000, "]}\n"), 1, 2, 2);
	expect_held(repeat("# c\n{a: [", "x", ",", 70000, "]}\n"), 1, 2, 1);
	expect_held(repeat("k:\n  {a: [", "x", ",", 70000, "]}\n"), 1, 2, 4);
	expect_held(repeat("---\n{a: [", "x", ",", 30000, "]}\n"), 0, 0, 0);
	/* ... and a block or quoted scalar on such a line is still one token:
	 * read, after an anchor too */
	expect_held(repeat("k: |\n  [", "x", ",", 70000, "]\n"), 0, 0, 0);
	expect_held(repeat("k: &a >-\n  [", "x", ",", 70000, "]\nj: *a\n"), 0, 0, 0);
	expect_held(repeat("- |+\n  {", "x", ",", 70000, "}\n"), 0, 0, 0);
	expect_held(repeat("k:\n  '[", "x", ",", 70000, "]'\n"), 0, 0, 0);
	/* a comment holds nothing: on a line of its own or after a value */
	expect_held(repeat("k: v\n# [", "x", ",", 70000, "]\nj: w\n"), 0, 0, 0);
	expect_held(repeat("k: v # [", "x", ",", 70000, "]\nj: w\n"), 0, 0, 0);
	expect_held(repeat("k:\n  # [", "x", ",", 70000, "]\n  '{a: [x]}'\n"), 0, 0, 0);
	/* ... but excuses nothing on a later line held */
	text = repeat("k:\n# [", "x", ",", 70000, "]\n  {a: [");
	expect_held(repeat(text, "x", ",", 70000, "]}\n"), 1, 3, 4);
	free(text);
}

/*
 * Session 16: duplicate keys were found through a hash of the 32-bit FNV-1a
 * from its fixed start, masked. Its low 20 bits depend only on the low 20
 * bits before, so two blocks of three characters that meet there from a
 * known state, chained, make 2^m keys of one slot: each key probed past
 * every one before (16,384 label keys: 1 s of lint, 4x a doubling). The
 * keys below are such a chain for the old hash; now the slots passed over
 * stay a few a key.
 */
static uint32_t fnv32_low(uint32_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h & 0xfffff;
}

static void test_key_collisions(void **state)
{
	enum { M = 12, BLOCKS = 36 * 36 * 36 };
	static const char al[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	char pair[M][2][4];
	uint32_t *seen = malloc(sizeof(*seen) << 20), h = 2166136261u & 0xfffff;
	struct out o = {0};
	struct cs_diag d;
	char *text = NULL;
	size_t len = 0, before;
	FILE *f;

	(void)state;
	assert_non_null(seen);
	for (int p = 0; p < M; p++) {
		memset(seen, 0, sizeof(*seen) << 20);
		for (uint32_t b = 0; b < BLOCKS; b++) {
			char blk[4] = {al[b % 36], al[b / 36 % 36], al[b / 1296], 0};
			uint32_t r = fnv32_low(h, blk, 3);

			if (seen[r]) {
				uint32_t a = seen[r] - 1;

				snprintf(pair[p][0], 4, "%c%c%c", al[a % 36], al[a / 36 % 36],
					 al[a / 1296]);
				memcpy(pair[p][1], blk, 4);
				h = r;
				break;
			}
			seen[r] = b + 1;
		}
		assert_int_not_equal(pair[p][1][0], 0);
	}
	free(seen);
	assert_non_null(f = open_memstream(&text, &len));
	fputs("kind: Pod\nmetadata:\n  labels:\n", f);
	for (unsigned bits = 0; bits < 1u << M; bits++) {
		fputs("    ", f);
		for (int p = 0; p < M; p++)
			fputs(pair[p][bits >> p & 1], f);
		fputs(": v\n", f);
	}
	fclose(f);
	before = ydoc_keys_probes;
	assert_int_equal(read_text(text, &o, &d), 0);
	/* 8.4 million before (each of the 4,096 keys past all before it) */
	assert_true(ydoc_keys_probes - before < 4 * (1u << M));
	free(text);
	/* 4,096 sequences as keys, refused at the document's end: each was
	 * compared with every one before (8.4 million), now none is */
	assert_non_null(f = open_memstream(&text, &len));
	fputs("kind: Pod\nmetadata:\n  labels:\n", f);
	for (unsigned i = 0; i < 1u << M; i++)
		fprintf(f, "    ? [k%u]\n    : v\n", i);
	fclose(f);
	before = ydoc_keys_probes;
	assert_int_equal(read_text(text, &o, &d), -EINVAL);
	assert_non_null(strstr(d.message, "a sequence as a mapping's key"));
	assert_true(ydoc_keys_probes - before < 4 * (1u << M));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_scalars),
	    cmocka_unit_test(test_marks),
	    cmocka_unit_test(test_empty_block_at_end),
	    cmocka_unit_test(test_scalars_go_yaml_misreads),
	    cmocka_unit_test(test_aliases),
	    cmocka_unit_test(test_alias_limit),
	    cmocka_unit_test(test_documents),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_many_keys),
	    cmocka_unit_test(test_lookup),
	    cmocka_unit_test(test_json_as_libfyaml),
	    cmocka_unit_test(test_json_streams),
	    cmocka_unit_test(test_far_marks),
	    cmocka_unit_test(test_held_bound),
	    cmocka_unit_test(test_key_collisions),
	    cmocka_unit_test(test_go_yaml_keys),
	    cmocka_unit_test(test_fyaml_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

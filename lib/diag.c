/* SPDX-License-Identifier: MIT */
#include "capscope/diag.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal/util.h"

/*
 * A message longer than the field is cut; its end then says so ("...", on
 * a UTF-8 character's first byte), so that the reader does not take the
 * cut text for the whole (twelfth pass: a message naming two cgroup paths
 * ended mid-path, as if the path were the whole of it). Thirteenth pass,
 * second round: the field, the file and the formatted line too (an
 * annotation's key cut to the 160 bytes of the field read as another key).
 */
void cs_mark_cut(char *m, size_t size)
{
	size_t n;

	if (size < 4)
		return;
	n = size - 4;

	while (n > 0 && ((unsigned char)m[n] & 0xc0) == 0x80)
		n--;
	memcpy(m + n, "...", 4);
}

/* A 256-byte message whose quoted value is a 4 KB profile name or a 254-byte
 * sysctl kept the value and lost the reason (session 14, second round). */
const char *cs_clip(char *buf, size_t size, const char *value)
{
	if ((size_t)snprintf(buf, size, "%s", value) >= size)
		cs_mark_cut(buf, size);
	return buf;
}

const char *cs_clip_mid(char *buf, size_t size, const char *value)
{
	size_t n = strlen(value), head, tail, room;

	if (size < 8 || n < size)
		return cs_clip(buf, size, value);
	room = size - 1 - 3;
	head = cs_text_cut(value, n, room / 2);
	/* The tail starts on a character: past any continuation bytes. */
	tail = n - (room - head);
	while (tail < n && ((unsigned char)value[tail] & 0xc0) == 0x80)
		tail++;
	snprintf(buf, size, "%.*s...%s", (int)head, value, value + tail);
	return buf;
}

/*
 * Eighteenth pass: a wrapper that put its context in front of a message
 * cut the joined text at its end, which is where the message says what is
 * wrong ("LAYER: NAME...: a name longer than 4096 bytes ...; refusing the
 * image" lost everything after NAME). So the message keeps its room first;
 * the context gets what is left, at least a quarter, and each is cut in its
 * middle (cs_clip_mid): the context's head and the message's end survive.
 */
const char *cs_join_cut(char *buf, size_t size, const char *context, const char *msg)
{
	size_t c = strlen(context), m = strlen(msg), room, cshare;
	char cb[256], mb[1024];

	if (size < 16 || c + 2 + m < size || size > sizeof(mb)) {
		if ((size_t)snprintf(buf, size, "%s: %s", context, msg) >= size)
			cs_mark_cut(buf, size);
		return buf;
	}
	room = size - 1 - 2;
	cshare = room > m ? room - m : 0;
	if (cshare < size / 4)
		cshare = size / 4;
	if (cshare > c)
		cshare = c;
	if (cshare + 1 > sizeof(cb))
		cshare = sizeof(cb) - 1;
	cs_clip_mid(cb, cshare + 1, context);
	c = strlen(cb);
	cs_clip_mid(mb, room - c + 1, msg);
	memcpy(buf, cb, c);
	memcpy(buf + c, ": ", 2);
	memcpy(buf + c + 2, mb, strlen(mb) + 1);
	return buf;
}

int cs_vformat_cut(char *buf, size_t size, const char *fmt, va_list ap)
{
	/* Quoted values with their quotes doubled (lib/msg-format.c). */
	size_t n = 0;

	if (cs_vformat_mid(buf, size, fmt, ap, &n) < 0) /* a conversion refused */
		return snprintf(buf, size, "a message could not be formatted (%s); its format: %s",
				strerror(EINVAL), fmt);
	if (n >= size && size < 16) /* too small for both ends */
		cs_mark_cut(buf, size);
	return (int)n;
}

int cs_format_cut(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = cs_vformat_cut(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

void cs_diag_put_file(struct cs_diag *d, const char *fmt, ...)
{
	va_list ap;

	if (!d)
		return;
	va_start(ap, fmt);
	cs_vformat_cut(d->file, sizeof(d->file), fmt, ap);
	va_end(ap);
}

int cs_diag_set(struct cs_diag *d, int err, unsigned line, unsigned column, const char *field,
		const char *fmt, ...)
{
	if (d) {
		va_list ap;

		d->line = line;
		d->column = column;
		/* Both ends of an overlong field name: a path's last key is
		 * the one that is wrong (nineteenth pass). */
		cs_clip_mid(d->field, sizeof(d->field), field ? field : "");
		va_start(ap, fmt);
		cs_vformat_cut(d->message, sizeof(d->message), fmt, ap);
		va_end(ap);
	}
	return -err;
}

int cs_diag_read_error(struct cs_diag *d, const char *path, int err, size_t max)
{
	if (d)
		cs_diag_put_file(d, "%s", path);
	if (err != -EFBIG)
		return cs_diag_set(d, -err, 0, 0, "", "cannot read: %s", strerror(-err));
	return cs_diag_set(d, EFBIG, 0, 0, "",
			   "cannot read: larger than %zu %s, the most capscope reads of this file",
			   max >= 1u << 20 ? max >> 20 : max >> 10,
			   max >= 1u << 20 ? "MiB" : "KiB");
}

/*
 * Twenty-second pass, part C: `explain pod` with one allocation of the
 * YAML reader failing (the parser's, session 22's sweep) said
 * "capscope explain pod: " and nothing more, exit 2: -ENOMEM came back
 * bare from deep inside and the command printed the empty diagnostic.
 */
int cs_diag_unsaid(struct cs_diag *d, int err)
{
	if (d && err < 0 && !d->message[0])
		cs_diag_set(d, -err, 0, 0, "", "%s",
			    err == -ENOMEM ? "out of memory" : strerror(-err));
	return err;
}

void cs_diag_file(struct cs_diag *d, const char *file)
{
	if (d && file && !d->file[0])
		cs_diag_put_file(d, "%s", file);
}

int cs_diag_context(struct cs_diag *d, int err, const char *fmt, ...)
{
	if (err > 0)
		err = -err;
	if (d) {
		char ctx[sizeof(d->message)], msg[sizeof(d->message)];
		va_list ap;

		va_start(ap, fmt);
		cs_vformat_cut(ctx, sizeof(ctx), fmt, ap);
		va_end(ap);
		memcpy(msg, d->message, sizeof(msg));
		msg[sizeof(msg) - 1] = '\0';
		/* The context in front; the message's reason kept (cs_join_cut). */
		if (msg[0])
			cs_join_cut(d->message, sizeof(d->message), ctx, msg);
		else
			memcpy(d->message, ctx, sizeof(ctx));
	}
	return err;
}

const char *cs_diag_format(const struct cs_diag *d, char *buf, size_t len)
{
	size_t n = 0;

	if (!len)
		return buf;
	/* n counts what was asked for; past len the text was cut (marked below) */
	buf[0] = '\0';
#define APPEND(...)                                                                                \
	do {                                                                                       \
		if (n < len) {                                                                     \
			int w = snprintf(buf + n, len - n, __VA_ARGS__);                           \
			if (w > 0)                                                                 \
				n += (size_t)w;                                                    \
		}                                                                                  \
	} while (0)
	if (d->file[0])
		APPEND("%s:", d->file);
	if (d->line)
		APPEND("%u:", d->line);
	if (d->line && d->column)
		APPEND("%u:", d->column);
	else if (d->column)
		APPEND("column %u:", d->column);
	if (n)
		APPEND(" ");
	if (d->field[0])
		APPEND("%s: ", d->field);
	APPEND("%s", d->message);
#undef APPEND
	if (n >= len)
		cs_mark_cut(buf, len);
	return buf;
}

/* SPDX-License-Identifier: MIT */
#include "capscope/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int cs_diag_set(struct cs_diag *d, int err, unsigned line, unsigned column, const char *field,
		const char *fmt, ...)
{
	if (d) {
		va_list ap;

		d->line = line;
		d->column = column;
		snprintf(d->field, sizeof(d->field), "%s", field ? field : "");
		va_start(ap, fmt);
		vsnprintf(d->message, sizeof(d->message), fmt, ap);
		va_end(ap);
	}
	return -err;
}

const char *cs_diag_format(const struct cs_diag *d, char *buf, size_t len)
{
	size_t n = 0;

	if (!len)
		return buf;
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
	return buf;
}

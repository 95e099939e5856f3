/* SPDX-License-Identifier: MIT */
/*
 * Which texts Go's time.Time takes from JSON. Its UnmarshalJSON reads the
 * string's bytes as written, escapes not decoded (a "\u0032" is no digit
 * to it), with time.Parse(time.RFC3339, ...) or, since Go 1.20, a strict
 * RFC 3339 reader that falls back to that Parse: what Parse takes is what
 * any Go takes. Parse's RFC 3339 layout "2006-01-02T15:04:05Z07:00" wants
 * a year of four digits, month, day, minute and second of two, an hour of
 * one or two (its "15" is not zero-padded), a fraction after '.' or ','
 * that the layout need not name, and 'Z' or a sign with hh:mm of two digits
 * each; the hour is below 24, minute and second below 60, the day within
 * its month (year 0 is a leap year), the zone's hour at most 24 and its
 * minute at most 60; nothing may follow. Read in Go 1.22's time/format.go.
 */
#include <stdbool.h>
#include <stddef.h>

#include "internal/util.h"

static bool digit(const char *s, size_t len, size_t i)
{
	return i < len && s[i] >= '0' && s[i] <= '9';
}

/* n digits at *i (n 1 or 2: one or two, as Go's getnum; else exactly n). */
static bool num(const char *s, size_t len, size_t *i, int n, int *out)
{
	int v = 0, got = 0;

	while (got < (n == 1 ? 2 : n) && digit(s, len, *i)) {
		v = v * 10 + (s[(*i)++] - '0');
		got++;
	}
	*out = v;
	return n == 1 ? got >= 1 : got == n;
}

static bool lit(const char *s, size_t len, size_t *i, char c)
{
	if (*i >= len || s[*i] != c)
		return false;
	(*i)++;
	return true;
}

static int days_in(int month, int year)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);

	return month == 2 && leap ? 29 : days[month - 1];
}

bool cs_go_time_ok(const char *s, size_t len)
{
	int year, month, day, hour, min, sec, zh, zm;
	size_t i = 0;

	if (!num(s, len, &i, 4, &year) || !lit(s, len, &i, '-') || !num(s, len, &i, 2, &month) ||
	    month < 1 || month > 12 || !lit(s, len, &i, '-') || !num(s, len, &i, 2, &day) ||
	    !lit(s, len, &i, 'T') || !num(s, len, &i, 1, &hour) || hour > 23 ||
	    !lit(s, len, &i, ':') || !num(s, len, &i, 2, &min) || min > 59 ||
	    !lit(s, len, &i, ':') || !num(s, len, &i, 2, &sec) || sec > 59)
		return false;
	if (i + 1 < len && (s[i] == '.' || s[i] == ',') && digit(s, len, i + 1))
		for (i++; digit(s, len, i); i++)
			;
	if (i < len && s[i] == 'Z') {
		i++;
	} else {
		if (len - i < 6 || (s[i] != '+' && s[i] != '-') || s[i + 3] != ':')
			return false;
		i++;
		if (!num(s, len, &i, 2, &zh) || zh > 24 || !lit(s, len, &i, ':') ||
		    !num(s, len, &i, 2, &zm) || zm > 60)
			return false;
	}
	return i == len && day >= 1 && day <= days_in(month, year);
}

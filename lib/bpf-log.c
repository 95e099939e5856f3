/* SPDX-License-Identifier: MIT */
#include "internal/bpf-log.h"

#ifdef CAPSCOPE_HAVE_BPF
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <bpf/libbpf.h>

static __thread cs_bpf_log_fn sink;
static __thread void *sink_ctx;

__attribute__((format(printf, 2, 0))) static int to_sink(enum libbpf_print_level level,
							 const char *fmt, va_list ap)
{
	char line[512];
	size_t n;

	(void)level;
	if (!sink)
		return 0;
	vsnprintf(line, sizeof(line), fmt, ap);
	n = strlen(line);
	while (n && line[n - 1] == '\n')
		line[--n] = '\0';
	sink(sink_ctx, line);
	return 0;
}

void cs_bpf_log_begin(cs_bpf_log_fn fn, void *ctx)
{
	sink = fn;
	sink_ctx = ctx;
	libbpf_set_print(to_sink);
}

void cs_bpf_log_end(void)
{
	sink = NULL;
	sink_ctx = NULL;
}

#else

void cs_bpf_log_begin(cs_bpf_log_fn fn, void *ctx)
{
	(void)fn;
	(void)ctx;
}

void cs_bpf_log_end(void)
{
}

#endif

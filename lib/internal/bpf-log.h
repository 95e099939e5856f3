/* SPDX-License-Identifier: MIT */
/*
 * libbpf's own messages. libbpf prints to stderr unless told otherwise, and
 * the library never prints: while a capscope call loads BPF, libbpf's lines
 * go to the sink that call names (a thread-local pointer, as
 * libbpf_set_print is process-wide), or nowhere.
 */
#ifndef CAPSCOPE_INTERNAL_BPF_LOG_H
#define CAPSCOPE_INTERNAL_BPF_LOG_H

/* One message of libbpf, without its trailing newline. */
typedef void (*cs_bpf_log_fn)(void *ctx, const char *line);

/* Send libbpf's messages on this thread to fn (NULL: discard them). */
void cs_bpf_log_begin(cs_bpf_log_fn fn, void *ctx);
/* Discard them again. */
void cs_bpf_log_end(void);

#endif

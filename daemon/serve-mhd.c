/* SPDX-License-Identifier: MIT */
/* libmicrohttpd's functions, resolved at run time (see serve-mhd.h for why). */
#include <dlfcn.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "internal/util.h"
#include "serve-mhd.h"

struct serve_mhd mhd;

int serve_mhd_load(char *err, size_t len)
{
	static const struct {
		const char *name;
		size_t off;
	} syms[] = {
#define SYM(f) {"MHD_" #f, offsetof(struct serve_mhd, f)}
	    SYM(start_daemon),
	    SYM(stop_daemon),
	    SYM(quiesce_daemon),
	    SYM(get_daemon_info),
	    SYM(create_response_from_buffer),
	    SYM(create_response_from_callback),
	    SYM(add_response_header),
	    SYM(queue_response),
	    SYM(destroy_response),
	    SYM(lookup_connection_value),
	    SYM(get_connection_values),
	    SYM(get_connection_info),
	    SYM(is_feature_supported),
	    SYM(get_version),
	    SYM(suspend_connection),
	    SYM(resume_connection),
#undef SYM
	};
	void *h;

	/* A static program would run libmicrohttpd's libc beside its own (util.h). */
	if (cs_linked_statically()) {
		snprintf(err, len, "a statically linked program cannot load libmicrohttpd");
		return -ELIBACC;
	}
	/* The soname Debian ships (libmicrohttpd12); the header is the one we built with. */
	h = dlopen("libmicrohttpd.so.12", RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		snprintf(err, len, "%s (install libmicrohttpd12)", dlerror());
		return -ENOENT;
	}
	for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		void *p = dlsym(h, syms[i].name);

		if (!p) {
			snprintf(err, len, "libmicrohttpd.so.12 has no %s", syms[i].name);
			return -ENOENT;
		}
		*(void **)((char *)&mhd + syms[i].off) = p;
	}
	/* Up to 0.9.75, parse_initial_message_line (connection.c) splits the
	 * line where it is read: the method, one NUL over the first space, the
	 * spaces skipped, the target, one NUL over the last space, the version.
	 * 0.9.76 rewrote the parser; its layout is not assumed. */
	mhd.line_in_place = strverscmp(mhd.get_version(), "0.9.76") < 0;
	return 0;
}

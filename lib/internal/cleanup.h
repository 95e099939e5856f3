/* SPDX-License-Identifier: MIT */
/*
 * Cleanup attributes, as systemd and crun use them: a variable declared with
 * one of these is released when it goes out of scope, so an early return
 * cannot leak and error paths need no goto ladder. Hand ownership on with
 * cs_steal_ptr() / cs_steal_fd(), which leave NULL / -1 behind.
 */
#ifndef CAPSCOPE_INTERNAL_CLEANUP_H
#define CAPSCOPE_INTERNAL_CLEANUP_H

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static inline void cs_freep(void *p)
{
	free(*(void **)p);
}

static inline void cs_closep(int *fd)
{
	if (*fd >= 0) {
		int saved = errno; /* close must not clobber the caller's errno */
		close(*fd);
		errno = saved;
	}
}

static inline void cs_fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}

static inline void cs_closedirp(DIR **d)
{
	if (*d)
		closedir(*d);
}

#define cs_cleanup_free	    __attribute__((cleanup(cs_freep)))
#define cs_cleanup_close    __attribute__((cleanup(cs_closep)))
#define cs_cleanup_fclose   __attribute__((cleanup(cs_fclosep)))
#define cs_cleanup_closedir __attribute__((cleanup(cs_closedirp)))

/* Define a cleanup helper for a type with its own free function. */
#define CS_DEFINE_CLEANUP(type, fn)                                                                \
	static inline void fn##p(type **p)                                                         \
	{                                                                                          \
		if (*p)                                                                            \
			fn(*p);                                                                    \
	}

#define cs_steal_ptr(p)                                                                            \
	({                                                                                         \
		__typeof__(p) cs_steal_tmp_ = (p);                                                 \
		(p) = NULL;                                                                        \
		cs_steal_tmp_;                                                                     \
	})

static inline int cs_steal_fd(int *fd)
{
	int r = *fd;
	*fd = -1;
	return r;
}

#endif

/* SPDX-License-Identifier: MIT */
/*
 * libarchive, loaded when an image is first read rather than when capscope
 * starts. libarchive brings libxml2, ICU and libstdc++ with it: linked
 * normally it added about 5 ms to every capscope command, decode and ps
 * included (bench/bench-foundation.sh). The image reader includes this
 * header after <archive.h> and <archive_entry.h>; each libarchive call then
 * goes through a pointer filled by cs_archive_dlopen().
 */
#ifndef CAPSCOPE_SCAN_ARCHIVE_DL_H
#define CAPSCOPE_SCAN_ARCHIVE_DL_H

#include <archive.h>
#include <archive_entry.h>
#include <lzma.h>

/* The SONAME of libarchive's stable ABI (Debian's libarchive13). */
#define CS_LIBARCHIVE_SONAME "libarchive.so.13"

#define CS_ARCHIVE_SYMBOLS(X)                                                                      \
	X(archive_entry_filetype)                                                                  \
	X(archive_entry_free)                                                                      \
	X(archive_entry_gid)                                                                       \
	X(archive_entry_hardlink)                                                                  \
	X(archive_entry_mode)                                                                      \
	X(archive_entry_new)                                                                       \
	X(archive_entry_pathname)                                                                  \
	X(archive_entry_size)                                                                      \
	X(archive_entry_symlink)                                                                   \
	X(archive_entry_uid)                                                                       \
	X(archive_entry_xattr_next)                                                                \
	X(archive_entry_xattr_reset)                                                               \
	X(archive_errno)                                                                           \
	X(archive_error_string)                                                                    \
	X(archive_filter_bytes)                                                                    \
	X(archive_filter_code)                                                                     \
	X(archive_filter_count)                                                                    \
	X(archive_read_data)                                                                       \
	X(archive_read_data_block)                                                                 \
	X(archive_read_data_skip)                                                                  \
	X(archive_read_free)                                                                       \
	X(archive_read_header_position)                                                            \
	X(archive_read_new)                                                                        \
	X(archive_read_next_header2)                                                               \
	X(archive_read_open1)                                                                      \
	X(archive_read_open_fd)                                                                    \
	X(archive_read_open_filename)                                                              \
	X(archive_read_support_filter_bzip2)                                                       \
	X(archive_read_support_filter_gzip)                                                        \
	X(archive_read_support_filter_xz)                                                          \
	X(archive_read_support_filter_zstd)                                                        \
	X(archive_read_set_callback_data)                                                          \
	X(archive_read_set_close_callback)                                                         \
	X(archive_read_set_read_callback)                                                          \
	X(archive_read_set_skip_callback)                                                          \
	X(archive_read_support_format_raw)                                                         \
	X(archive_read_support_format_tar)                                                         \
	X(archive_set_error)

/*
 * liblzma, which libarchive brings: xz is decoded by capscope (xz-read.h
 * says why), with the library libarchive loaded, not a second copy.
 */
#define CS_LIBLZMA_SONAME "liblzma.so.5"

#define CS_LZMA_SYMBOLS(X) X(lzma_code) X(lzma_end) X(lzma_stream_decoder)

#define CS_ARCHIVE_DECLARE(name) extern __typeof__(name) *cs_sym_##name;
CS_ARCHIVE_SYMBOLS(CS_ARCHIVE_DECLARE)
CS_LZMA_SYMBOLS(CS_ARCHIVE_DECLARE)
#undef CS_ARCHIVE_DECLARE

struct cs_diag;
/*
 * Load libarchive once (thread-safe). 0, or -ELIBACC with d saying "cannot
 * load libarchive: " and what went wrong (dlerror's text).
 */
int cs_archive_dlopen(struct cs_diag *d);

/*
 * archive_read_new and archive_read_free, counting the readers alive, so
 * that an exit() from inside libarchive can be told (cs_archive_reading,
 * internal/archive-live.h).
 */
struct archive *cs_archive_read_new_counted(void);
int cs_archive_read_free_counted(struct archive *a);

/* Every call by name goes through the pointer (not in archive-dl.c itself). */
#ifndef CS_ARCHIVE_DL_NO_RENAME
#define archive_entry_filetype		  cs_sym_archive_entry_filetype
#define archive_entry_free		  cs_sym_archive_entry_free
#define archive_entry_gid		  cs_sym_archive_entry_gid
#define archive_entry_hardlink		  cs_sym_archive_entry_hardlink
#define archive_entry_mode		  cs_sym_archive_entry_mode
#define archive_entry_new		  cs_sym_archive_entry_new
#define archive_entry_pathname		  cs_sym_archive_entry_pathname
#define archive_entry_size		  cs_sym_archive_entry_size
#define archive_entry_symlink		  cs_sym_archive_entry_symlink
#define archive_entry_uid		  cs_sym_archive_entry_uid
#define archive_entry_xattr_next	  cs_sym_archive_entry_xattr_next
#define archive_entry_xattr_reset	  cs_sym_archive_entry_xattr_reset
#define archive_errno			  cs_sym_archive_errno
#define archive_error_string		  cs_sym_archive_error_string
#define archive_filter_bytes		  cs_sym_archive_filter_bytes
#define archive_filter_code		  cs_sym_archive_filter_code
#define archive_filter_count		  cs_sym_archive_filter_count
#define archive_read_data		  cs_sym_archive_read_data
#define archive_read_data_block		  cs_sym_archive_read_data_block
#define archive_read_data_skip		  cs_sym_archive_read_data_skip
#define archive_read_free		  cs_archive_read_free_counted
#define archive_read_header_position	  cs_sym_archive_read_header_position
#define archive_read_new		  cs_archive_read_new_counted
#define archive_read_next_header2	  cs_sym_archive_read_next_header2
#define archive_read_open1		  cs_sym_archive_read_open1
#define archive_read_open_fd		  cs_sym_archive_read_open_fd
#define archive_read_open_filename	  cs_sym_archive_read_open_filename
#define archive_read_support_filter_bzip2 cs_sym_archive_read_support_filter_bzip2
#define archive_read_support_filter_gzip  cs_sym_archive_read_support_filter_gzip
#define archive_read_support_filter_xz	  cs_sym_archive_read_support_filter_xz
#define archive_read_support_filter_zstd  cs_sym_archive_read_support_filter_zstd
#define archive_read_set_callback_data	  cs_sym_archive_read_set_callback_data
#define archive_read_set_close_callback	  cs_sym_archive_read_set_close_callback
#define archive_read_set_read_callback	  cs_sym_archive_read_set_read_callback
#define archive_read_set_skip_callback	  cs_sym_archive_read_set_skip_callback
#define archive_read_support_format_raw	  cs_sym_archive_read_support_format_raw
#define archive_read_support_format_tar	  cs_sym_archive_read_support_format_tar
#define archive_set_error		  cs_sym_archive_set_error
#define lzma_code			  cs_sym_lzma_code
#define lzma_end			  cs_sym_lzma_end
#define lzma_stream_decoder		  cs_sym_lzma_stream_decoder

#endif

#endif

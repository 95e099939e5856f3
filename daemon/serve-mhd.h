/* SPDX-License-Identifier: MIT */
/*
 * libmicrohttpd, loaded when `capscope serve` starts (dlopen) instead of
 * linked: it pulls in GnuTLS and a dozen more libraries, whose loading every
 * `capscope decode` would otherwise pay for at start-up. The header gives
 * the types and constants; this table gives the functions.
 */
#ifndef CAPSCOPE_CLI_SERVE_MHD_H
#define CAPSCOPE_CLI_SERVE_MHD_H

#include <stdbool.h>

#include <microhttpd.h>

struct serve_mhd {
	__typeof__(&MHD_start_daemon) start_daemon;
	__typeof__(&MHD_stop_daemon) stop_daemon;
	__typeof__(&MHD_quiesce_daemon) quiesce_daemon;
	__typeof__(&MHD_get_daemon_info) get_daemon_info;
	__typeof__(&MHD_create_response_from_buffer) create_response_from_buffer;
	__typeof__(&MHD_create_response_from_callback) create_response_from_callback;
	__typeof__(&MHD_add_response_header) add_response_header;
	__typeof__(&MHD_queue_response) queue_response;
	__typeof__(&MHD_destroy_response) destroy_response;
	__typeof__(&MHD_lookup_connection_value) lookup_connection_value;
	__typeof__(&MHD_get_connection_values) get_connection_values;
	__typeof__(&MHD_get_connection_info) get_connection_info;
	__typeof__(&MHD_is_feature_supported) is_feature_supported;
	__typeof__(&MHD_get_version) get_version;
	__typeof__(&MHD_suspend_connection) suspend_connection;
	__typeof__(&MHD_resume_connection) resume_connection;
	/* The request line is parsed in place as libmicrohttpd 0.9.75 and older
	 * do (serve-http.c's check for a NUL byte in it relies on it). */
	bool line_in_place;
};

extern struct serve_mhd mhd;

/* Load libmicrohttpd; 0, or -ENOENT with the loader's message in err. */
int serve_mhd_load(char *err, size_t len);

#endif

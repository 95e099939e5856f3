/* SPDX-License-Identifier: MIT */
/*
 * How much of what the server sent on a connection its client has taken:
 * the kernel's count of bytes acknowledged (TCP_INFO's tcpi_bytes_acked,
 * Linux 4.1). libmicrohttpd 0.9.75 says nothing of a response's progress,
 * and what it has written may sit in the socket's buffer unread; the
 * client's acknowledgements are what it has really received. Its own file
 * because glibc's struct tcp_info stops short of the field, and
 * <linux/tcp.h> clashes with <netinet/tcp.h>.
 */
#include <linux/tcp.h>
#include <netinet/in.h>
#include <stddef.h>
#include <sys/socket.h>

#include "serve.h"

unsigned long long serve_tcp_acked(int fd)
{
	struct tcp_info ti = {0};
	socklen_t len = sizeof(ti);

	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0 ||
	    len < offsetof(struct tcp_info, tcpi_bytes_acked) + sizeof(ti.tcpi_bytes_acked))
		return 0; /* not TCP, or an older kernel: no progress seen */
	return ti.tcpi_bytes_acked;
}

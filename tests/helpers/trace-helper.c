/* SPDX-License-Identifier: MIT */
/*
 * Small programs whose capability checks are known exactly, for the trace
 * tests and bench/bench-trace.sh:
 *   setuid-loop N          N times setuid(getuid()) (one CAP_SETUID check each as root)
 *   drop-read UID FILE     setresuid(UID) keeping nothing, then open FILE for reading
 *   bind PORT              bind 127.0.0.1:PORT (TCP), print "bound", exit 0; 1 on EACCES
 *   busy SECONDS           setuid loop for SECONDS (the unrelated busy process)
 *   setuid-bench N         setuid-loop, then print the CPU time the loop took in ns
 *                          (CLOCK_THREAD_CPUTIME_ID: user + system time, BPF programs
 *                          included as they run in this thread; time spent waiting for
 *                          a CPU on a shared machine, and any start-up, excluded)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int setuid_loop(long n)
{
	uid_t u = getuid();

	for (long i = 0; i < n; i++)
		if (setuid(u) < 0) {
			perror("setuid");
			return 1;
		}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "setuid-loop") == 0)
		return setuid_loop(atol(argv[2]));
	if (argc == 3 && strcmp(argv[1], "setuid-bench") == 0) {
		struct timespec a, b;
		int rc;

		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
		rc = setuid_loop(atol(argv[2]));
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
		printf("%lld\n",
		       (long long)(b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec));
		return rc;
	}
	if (argc == 3 && strcmp(argv[1], "busy") == 0) {
		time_t end = time(NULL) + atol(argv[2]);

		while (time(NULL) < end)
			if (setuid_loop(1000))
				return 1;
		return 0;
	}
	if (argc == 4 && strcmp(argv[1], "drop-read") == 0) {
		uid_t uid = (uid_t)atol(argv[2]);
		int fd;

		if (setgroups(0, NULL) < 0 || setresgid(uid, uid, uid) < 0 ||
		    setresuid(uid, uid, uid) < 0) {
			perror("drop");
			return 2;
		}
		fd = open(argv[3], O_RDONLY);
		if (fd < 0) {
			printf("open: %s\n", strerror(errno));
			return 1;
		}
		close(fd);
		printf("read ok\n");
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "bind") == 0) {
		struct sockaddr_in sa = {.sin_family = AF_INET,
					 .sin_port = htons((uint16_t)atoi(argv[2]))};
		int s = socket(AF_INET, SOCK_STREAM, 0);

		sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if (s < 0 || bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
			printf("bind: %s\n", strerror(errno));
			return 1;
		}
		printf("bound\n");
		close(s);
		return 0;
	}
	fprintf(stderr, "usage: trace-helper setuid-loop N | busy SECONDS | drop-read UID FILE | "
			"bind PORT\n");
	return 2;
}

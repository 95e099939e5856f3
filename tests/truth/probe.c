/* SPDX-License-Identifier: MIT */
/*
 * The truth probe: a tiny static program that reports its own credentials
 * exactly as the kernel shows them (the Uid, Gid, Groups, Cap* and NoNewPrivs lines
 * of /proc/self/status), so tests can compare capscope's predictions with
 * reality inside a container rootfs that holds nothing else.
 *   probe                 print the lines
 *   probe --bind PORT     also try to bind TCP PORT (in its own network namespace), print
 *                         "Bind:\tok" or the errno
 *   probe --touch FILE    create FILE first (a marker that it ran)
 *   probe --write FILE    also try to create FILE for writing, print "Write:\tFILE ok" or the
 *                         errno (who may write where, in a user namespace)
 *   probe --hold 1        then wait for a signal, so a test can read /proc/PID/status
 *                         from outside (the node's view of the ids)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *const keys[] = {"Uid:",    "Gid:",	 "Groups:", "CapInh:",	  "CapPrm:",
				   "CapEff:", "CapBnd:", "CapAmb:", "NoNewPrivs:"};

int main(int argc, char **argv)
{
	char line[4096];
	FILE *f;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--touch") == 0) {
			int fd = open(argv[i + 1], O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

			if (fd >= 0)
				close(fd);
		}
	}
	f = fopen("/proc/self/status", "re");
	if (!f) {
		printf("Error:\t%s\n", strerror(errno));
		return 1;
	}
	while (fgets(line, sizeof(line), f))
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			if (strncmp(line, keys[k], strlen(keys[k])) == 0)
				fputs(line, stdout);
	fclose(f);
	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--bind") == 0) {
			struct sockaddr_in sa = {.sin_family = AF_INET};
			int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

			sa.sin_port = htons((unsigned short)atoi(argv[i + 1]));
			sa.sin_addr.s_addr =
			    htonl(INADDR_ANY); /* only ever inside a network namespace of its own */
			if (s >= 0 && bind(s, (struct sockaddr *)&sa, sizeof(sa)) == 0)
				printf("Bind:\tok\n");
			else
				printf("Bind:\t%s\n", strerror(errno));
			if (s >= 0)
				close(s);
		}
	}
	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--write") == 0) {
			int fd = open(argv[i + 1], O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

			if (fd >= 0) {
				printf("Write:\t%s ok\n", argv[i + 1]);
				close(fd);
			} else {
				printf("Write:\t%s %s\n", argv[i + 1], strerror(errno));
			}
		}
	}
	if (fflush(stdout) != 0)
		return 1;
	for (int i = 1; i + 1 < argc; i += 2)
		if (strcmp(argv[i], "--hold") == 0)
			pause();
	return 0;
}

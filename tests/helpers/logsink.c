/*
 * logsink: a stand-in for syslogd in the live tests.  Binds an AF_UNIX
 * SOCK_DGRAM socket at PATH (argv[1]), prints "ready" once it is bound,
 * then prints every datagram it receives as one line on stdout (a
 * trailing newline or NUL is dropped, other bytes below 0x20 and 0x7f
 * and above become \xNN, so one datagram is always one line).  It ends on
 * SIGTERM or SIGINT, after reading whatever is still queued, or after
 * SECONDS (argv[2], default 60) as a safety net; it unlinks PATH at the
 * end.  A test binds PATH over /dev/log in a private mount namespace
 * (tests/ts-clean.sh), so what syslog(3) writes ends up here.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void print_datagram(const unsigned char *buf, size_t len)
{
	size_t i;

	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\0'))
		len--;
	for (i = 0; i < len; i++) {
		if (buf[i] == '\\')
			fputs("\\\\", stdout);
		else if (buf[i] < 0x20 || buf[i] >= 0x7f)
			printf("\\x%02x", buf[i]);
		else
			putchar(buf[i]);
	}
	putchar('\n');
	fflush(stdout);
}

int main(int argc, char **argv)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct sigaction sa = { .sa_handler = on_signal };	/* no SA_RESTART */
	unsigned char buf[65536];
	long seconds = argc > 2 ? strtol(argv[2], NULL, 10) : 60;
	int fd;

	if (argc < 2 || strlen(argv[1]) >= sizeof(addr.sun_path)) {
		fputs("usage: logsink PATH [SECONDS]\n", stderr);
		return 2;
	}
	strcpy(addr.sun_path, argv[1]);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		fprintf(stderr, "logsink: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	alarm(seconds > 0 ? (unsigned)seconds : 60);
	puts("ready");
	fflush(stdout);
	while (!stop) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);

		if (n >= 0)
			print_datagram(buf, (size_t)n);
		else if (errno != EINTR)
			break;
	}
	/* what was sent before the signal is still queued: read it all */
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);

		if (n < 0)
			break;
		print_datagram(buf, (size_t)n);
	}
	close(fd);
	unlink(argv[1]);
	return 0;
}

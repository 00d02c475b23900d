/*
 * The status line the mqueue file system gives for a queue
 * (doc/kernel-facts.md, "POSIX objects"), parsed: a pure function over the
 * text read, unit-tested and fuzzed alone (tests/fuzz-mqstatus.c).
 */
#ifndef IPCINSPECT_POSIXPARSE_H
#define IPCINSPECT_POSIXPARSE_H

#include <stdbool.h>
#include <stdint.h>

struct mq_status {
	bool has_qsize;		/* QSIZE was there and a number */
	uint64_t qsize;		/* bytes in the queue's messages */
	int notify_pid;		/* 0: nobody registered (or no valid NOTIFY_PID) */
};

/*
 * Parses "QSIZE:129 NOTIFY:2 SIGNO:0 NOTIFY_PID:8" (each value padded
 * with blanks after it; other words are ignored).  A value is taken only
 * when it is a whole decimal number: QSIZE an unsigned 64-bit one,
 * NOTIFY_PID a non-negative int.
 */
void posix_parse_mq_status(const char *text, struct mq_status *ret);

#endif

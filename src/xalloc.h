/*
 * Allocation that cannot fail: the one place where running out of memory
 * ends the program, so that -ENOMEM never has to travel through callers.
 */
#ifndef IPCINSPECT_XALLOC_H
#define IPCINSPECT_XALLOC_H

#include <stddef.h>
#include <stdlib.h>
#include <unistd.h>

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xreallocarray(void *ptr, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static inline void freep(void *p)
{
	free(*(void **)p);
}
#define _cleanup_free_ __attribute__((cleanup(freep)))

/* An fd closed when it goes out of scope (-1: none); not about memory,
 * but every file that frees that way includes this one. */
static inline void closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}
#define _cleanup_close_ __attribute__((cleanup(closep)))

#endif

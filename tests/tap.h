/*
 * Minimal TAP producer for the C unit tests (automake's tap-driver reads
 * it): each check prints "ok N - name" or "not ok N - name" with the
 * values that differed, and tap_done() prints the plan last.
 */
#ifndef IPCINSPECT_TAP_H
#define IPCINSPECT_TAP_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int tap_count, tap_failures;

static inline bool __attribute__((format(printf, 4, 5)))
tap_ok(bool cond, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("%s %d - ", cond ? "ok" : "not ok", ++tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!cond) {
		tap_failures++;
		printf("#   at %s:%d\n", file, line);
	}
	return cond;
}

#define ok(cond, ...) tap_ok((cond), __FILE__, __LINE__, __VA_ARGS__)

#define is_int(got, want, ...) do { \
	long long _g = (long long)(got), _w = (long long)(want); \
	if (!ok(_g == _w, __VA_ARGS__)) \
		printf("#   got %lld, want %lld\n", _g, _w); \
} while (0)

#define is_u64(got, want, ...) do { \
	uint64_t _g = (uint64_t)(got), _w = (uint64_t)(want); \
	if (!ok(_g == _w, __VA_ARGS__)) \
		printf("#   got %" PRIu64 ", want %" PRIu64 "\n", _g, _w); \
} while (0)

#define is_str(got, want, ...) do { \
	const char *_g = (got), *_w = (want); \
	if (!ok(_g && _w ? strcmp(_g, _w) == 0 : _g == _w, __VA_ARGS__)) \
		printf("#   got '%s', want '%s'\n", _g ? _g : "(null)", _w ? _w : "(null)"); \
} while (0)

/* A diagnostic line with n bytes in hex, for a failure about bytes. */
static inline void tap_hexdump(const char *what, const unsigned char *b, size_t n)
{
	size_t i;

	printf("#   %s (%zu bytes):", what, n);
	for (i = 0; i < n; i++)
		printf(" %02x", b[i]);
	putchar('\n');
}

/* Pseudo-random numbers from a fixed seed (xorshift64*): the same every run. */
static inline uint64_t tap_rng(void)
{
	static uint64_t state = UINT64_C(0x9e3779b97f4a7c15);

	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return state * UINT64_C(0x2545f4914f6cdd1d);
}

static inline int tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failures ? 1 : 0;
}

#endif

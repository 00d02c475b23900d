/*
 * The streaming JSON writer: see jsonw.h.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "strutils.h"
#include "xalloc.h"

/* Flushed when this much is buffered: a few pages, one write(2) each. */
#define JW_FLUSH_AT (64 * 1024)

void jw_init(struct jw *w, FILE *out)
{
	*w = (struct jw){ .out = out };
	w->first[0] = true;
	w->sep[0] = ", ";
	w->seplen[0] = 2;
}

/*
 * After the first write error nothing more is written: the document stops
 * short, never goes on past a hole, and the stream's error flag stays set
 * for the caller (main's exit check) to report.
 */
static void jw_flush(struct jw *w)
{
	if (!w->out || w->len == 0)
		return;
	if (!w->err) {
		errno = 0;
		if (fwrite(w->buf, 1, w->len, w->out) != w->len)
			w->err = errno ? -errno : -EIO;
	}
	w->len = 0;
}

static __attribute__((noinline)) char *jw_room_slow(struct jw *w, size_t n)
{
	if (w->out && w->len + n > JW_FLUSH_AT)
		jw_flush(w);
	if (w->len + n + 1 > w->cap) {
		size_t cap = w->cap ? w->cap : 4096;

		while (cap < w->len + n + 1)
			cap *= 2;
		w->buf = xreallocarray(w->buf, cap, 1);
		w->cap = cap;
	}
	return w->buf + w->len;
}

/* Room for n more bytes; returns where they go.  Inline: once per value. */
static inline char *jw_room(struct jw *w, size_t n)
{
	if (w->len + n + 1 <= w->cap && (!w->out || w->len + n <= JW_FLUSH_AT))
		return w->buf + w->len;
	return jw_room_slow(w, n);
}

int jw_finish(struct jw *w)
{
	jw_flush(w);
	free(w->buf);
	w->buf = NULL;
	w->len = w->cap = 0;
	if (w->out && !w->err) {
		errno = 0;
		if (fflush(w->out) != 0)
			w->err = errno ? -errno : -EIO;
	}
	return w->err;
}

char *jw_take(struct jw *w)
{
	char *s;

	jw_room(w, 0);
	s = w->buf;
	s[w->len] = '\0';
	w->buf = NULL;
	w->len = w->cap = 0;
	return s;
}

static inline void jw_put(struct jw *w, const char *s, size_t n)
{
	memcpy(jw_room(w, n), s, n);
	w->len += n;
}

void jw_raw(struct jw *w, const char *s, size_t n)
{
	memcpy(jw_room(w, n), s, n);
	w->len += n;
}

void jw_raws(struct jw *w, const char *s)
{
	jw_raw(w, s, strlen(s));
}

/* Before a value or key: the separator, unless first or after a key. */
static inline void jw_next(struct jw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->first[w->depth])
		w->first[w->depth] = false;
	else
		jw_put(w, w->sep[w->depth], w->seplen[w->depth]);
}

static void jw_open(struct jw *w, char c)
{
	jw_next(w);
	jw_put(w, &c, 1);
	if (w->depth == JW_MAX_DEPTH) {	/* our documents nest 5 deep: a bug */
		fputs("ipcinspect: internal error: JSON nested too deep\n", stderr);
		abort();
	}
	w->depth++;
	w->first[w->depth] = true;
	w->sep[w->depth] = ", ";
	w->seplen[w->depth] = 2;
}

static void jw_close(struct jw *w, char c)
{
	if (w->depth > 0)
		w->depth--;
	jw_put(w, &c, 1);
}

void jw_obj_begin(struct jw *w)
{
	jw_open(w, '{');
}

void jw_obj_end(struct jw *w)
{
	jw_close(w, '}');
}

void jw_arr_begin(struct jw *w)
{
	jw_open(w, '[');
}

void jw_arr_end(struct jw *w)
{
	jw_close(w, ']');
}

void jw_sep(struct jw *w, const char *sep)
{
	size_t n = strlen(sep);

	w->sep[w->depth] = sep;
	w->seplen[w->depth] = (unsigned char)(n < 255 ? n : 255);
}

/* ",\n" and two blanks a level: the separator of jw_lines() at a depth. */
static const char *const line_seps[] = {
	",\n", ",\n  ", ",\n    ", ",\n      ", ",\n        ", ",\n          ",
};
#define LINE_SEPS (sizeof(line_seps) / sizeof(line_seps[0]))

static const char *line_sep(unsigned depth)
{
	return line_seps[depth < LINE_SEPS ? depth : LINE_SEPS - 1];
}

void jw_lines(struct jw *w, size_t n)
{
	if (n == 0)
		return;
	jw_sep(w, line_sep(w->depth));
	jw_raws(w, w->sep[w->depth] + 1);	/* the first: no comma */
}

void jw_lines_end(struct jw *w, size_t n)
{
	if (n)
		jw_raws(w, line_sep(w->depth ? w->depth - 1 : 0) + 1);
}

void jw_key(struct jw *w, const char *key)
{
	jw_keyn(w, key, strlen(key));
}

void jw_keyn(struct jw *w, const char *key, size_t n)
{
	char *o;

	jw_next(w);
	o = jw_room(w, n + 4);
	*o++ = '"';
	memcpy(o, key, n);
	o += n;
	memcpy(o, "\": ", 3);
	w->len += n + 4;
	w->after_key = true;
}

void jw_null(struct jw *w)
{
	jw_next(w);
	jw_put(w, "null", 4);
}

void jw_bool(struct jw *w, bool b)
{
	jw_next(w);
	if (b)
		jw_raw(w, "true", 4);
	else
		jw_raw(w, "false", 5);
}

/*
 * Decimal digits of v, written backwards from end; returns the start.
 * Not snprintf: a listing is mostly numbers, and this way the JSON of
 * `make bench`'s large load (96,000 SysV objects) takes 124 ms of CPU
 * instead of 185 ms, 5% of the whole run.
 */
static char *u64_digits(char *end, uint64_t v)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return end;
}

void jw_s64(struct jw *w, int64_t v)
{
	char buf[24], *end = buf + sizeof(buf), *p;

	/* the magnitude as unsigned: -INT64_MIN does not fit in int64_t */
	p = u64_digits(end, v < 0 ? -(uint64_t)v : (uint64_t)v);
	if (v < 0)
		*--p = '-';
	jw_next(w);
	jw_put(w, p, (size_t)(end - p));
}

void jw_u64(struct jw *w, uint64_t v)
{
	char buf[24], *end = buf + sizeof(buf), *p;
	bool quote = v > JSON_SAFE_INT_MAX;	/* exact where doubles would round */

	end--;
	*end = '"';
	p = u64_digits(end, v);
	if (quote)
		*--p = '"';
	jw_next(w);
	jw_put(w, p, (size_t)(end - p) + quote);
}

void jw_real(struct jw *w, double v)
{
	char buf[40];
	int n;

	jw_next(w);
	if (!isfinite(v)) {	/* JSON has no NaN or infinity */
		jw_raw(w, "null", 4);
		return;
	}
	/* 15 digits, as jansson: 0.01 stays "0.01"; 17 where 15 round up
	 * past DBL_MAX, which no reader could take back */
	n = snprintf(buf, sizeof(buf) - 2, "%.15g", v);
	if (isinf(strtod(buf, NULL)))
		n = snprintf(buf, sizeof(buf) - 2, "%.17g", v);
	/* a real stays a real when read back: "1" -> "1.0" */
	if (!strpbrk(buf, ".e")) {
		memcpy(buf + n, ".0", 3);
		n += 2;
	}
	jw_raw(w, buf, (size_t)n);
}

void jw_strn(struct jw *w, const char *raw, size_t n)
{
	char *o;

	jw_next(w);
	o = jw_room(w, ESCAPE_JSON_MAX(n) + 2);
	*o++ = '"';
	o += escape_json_into(o, raw, n);
	*o++ = '"';
	w->len = (size_t)(o - w->buf);
}

void jw_str(struct jw *w, const char *raw)
{
	jw_strn(w, raw, strlen(raw));
}

void jw_str_or_null(struct jw *w, const char *raw)
{
	if (raw)
		jw_str(w, raw);
	else
		jw_null(w);
}

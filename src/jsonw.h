/*
 * A streaming JSON writer: values are encoded straight into one buffer
 * that is flushed to a FILE as it fills, so a listing of 100,000 objects
 * costs neither a tree in memory nor an allocation per value (jansson
 * builds a json_t per value and json_dumps a string per object; that was
 * most of the time of `ipcinspect --json` at the benchmark's large scale).
 *
 * Commas are the writer's business: inside an object or array the next
 * member or element is preceded by ", " (or the separator the caller set
 * with jw_sep()).  Keys are trusted static ASCII; every string value that
 * comes from the system goes through jw_str(), which applies the
 * reversible escaping of strutils.h and then JSON's own.
 */
#ifndef IPCINSPECT_JSONW_H
#define IPCINSPECT_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JW_MAX_DEPTH 16

struct jw {
	FILE *out;		/* NULL: keep everything in buf (jw_take) */
	char *buf;
	size_t len, cap;
	unsigned depth;
	bool first[JW_MAX_DEPTH + 1];	/* no member written yet at this depth */
	const char *sep[JW_MAX_DEPTH + 1];	/* between members at this depth */
	unsigned char seplen[JW_MAX_DEPTH + 1];
	bool after_key;		/* a key was written: the value needs no comma */
	int err;		/* first write error, as -errno */
};

/* Starts writing to out (NULL: to memory, see jw_take). */
void jw_init(struct jw *w, FILE *out);

/*
 * Flushes what is buffered and frees the buffer; returns 0 or the first
 * write error as -errno (-EIO when the stream gave no errno).  After a
 * write error nothing more reaches out: the document stops short rather
 * than going on past a hole, and out's error flag stays set.
 */
int jw_finish(struct jw *w);

/* The text written to a memory writer, NUL-terminated; caller frees. */
char *jw_take(struct jw *w);

/* Bytes as they are, no comma handling: layout between members. */
void jw_raw(struct jw *w, const char *s, size_t n);
void jw_raws(struct jw *w, const char *s);

/* Containers.  jw_sep() sets the separator of the current container. */
void jw_obj_begin(struct jw *w);
void jw_obj_end(struct jw *w);
void jw_arr_begin(struct jw *w);
void jw_arr_end(struct jw *w);
void jw_sep(struct jw *w, const char *sep);

/*
 * One member per line, indented two blanks a level: jw_lines() right after
 * a container opens, with the number of members to come (none: it stays
 * "[]"), and jw_lines_end() with the same number right before it closes.
 */
void jw_lines(struct jw *w, size_t n);
void jw_lines_end(struct jw *w, size_t n);

/* A member name: static, printable ASCII without '"' or '\'. */
void jw_key(struct jw *w, const char *key);
void jw_keyn(struct jw *w, const char *key, size_t n);	/* n: strlen(key) */

/* Values. */
void jw_null(struct jw *w);
void jw_bool(struct jw *w, bool b);
void jw_s64(struct jw *w, int64_t v);
void jw_u64(struct jw *w, uint64_t v);	/* above 2^53: an exact decimal string */
void jw_real(struct jw *w, double v);	/* 15 significant digits, "1.0" not "1" */
void jw_str(struct jw *w, const char *raw);	/* untrusted bytes: escaped */
void jw_strn(struct jw *w, const char *raw, size_t n);
void jw_str_or_null(struct jw *w, const char *raw);	/* NULL: null */

#endif

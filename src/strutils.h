/*
 * Pure string helpers: strict number parsing (whole string, no silent
 * truncation), IPC key syntax, human-readable sizes and the escaping of
 * untrusted bytes before they reach JSON or a terminal.
 */
#ifndef IPCINSPECT_STRUTILS_H
#define IPCINSPECT_STRUTILS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Each parser takes the whole of s (no leading or trailing junk, no empty
 * string) and returns 0, -EINVAL for bad syntax or -ERANGE for a value out
 * of range.  *ret is written only on success.
 */
int parse_u64(const char *s, uint64_t *ret);	/* decimal, no sign */
int parse_s64(const char *s, int64_t *ret);	/* decimal, optional '-' */
int parse_octal(const char *s, unsigned *ret);	/* octal digits, <= 07777777 */

/*
 * An IPC key as a person or the kernel writes it: "0x" + up to 8 hex
 * digits, or a decimal number from -2147483648 to 4294967295 (the kernel
 * prints keys as signed int).  The result is the key as uint32.
 */
int parse_ipc_key(const char *s, uint32_t *ret);

/* A non-negative int (ids, pids). */
int parse_int(const char *s, int *ret);

/* "512B", "4K", "1.5M", ... as util-linux prints sizes; caller frees. */
char *size_to_human(uint64_t bytes);

/* Largest integer a JSON consumer using doubles represents exactly. */
#define JSON_SAFE_INT_MAX (UINT64_C(1) << 53)

/*
 * The bidirectional controls (U+061C, U+200E, U+200F, U+202A-U+202E,
 * U+2066-U+2069): shown raw, they reorder what follows them on the line,
 * so a name could pass for another.  Escaped for the terminal like
 * control characters, and as \uXXXX in JSON text.
 */
bool is_bidi_control(uint32_t cp);

enum escape_mode {
	ESCAPE_JSON,	/* valid UTF-8 out: bad bytes as \xHH, '\' as \\ */
	ESCAPE_TERM,	/* the same, and control characters and bidi controls
			   as \n, \t, \xHH (one per byte) */
};

/*
 * Returns a newly allocated, NUL-terminated copy of the n bytes at s that
 * is valid UTF-8 and, for ESCAPE_TERM, holds no control character.  The
 * encoding is reversible: every byte that is escaped becomes \xHH, and a
 * backslash becomes "\\".  Caller frees.
 */
char *escape_bytes(const char *s, size_t n, enum escape_mode mode);
char *escape_str(const char *s, enum escape_mode mode);

/*
 * A table cell for libsmartcols with its own encoding off, encoded as
 * libsmartcols would (util-linux's mbs_safe_encode: control characters,
 * what the locale cannot print and a "\x" as \xHH, one per byte), and
 * the bidi controls too, which the locale calls printable.  Caller frees.
 */
char *escape_cell(const char *s);

/*
 * The terminal cells text takes in this locale: wcwidth of each
 * character, a byte that is not one (or has no width) counted as one.
 * For text escape_cell() made, which is printable throughout.
 */
size_t text_cells(const char *s);

/*
 * The inside of a JSON string (no quotes) for the n raw bytes at s: the
 * ESCAPE_JSON escaping above, then JSON's own (quote, backslash, control
 * characters, and bidi controls as \uXXXX).  Parsed back, it is exactly escape_bytes(s, n, ESCAPE_JSON).
 * out must hold ESCAPE_JSON_MAX(n) bytes; returns the length written (no
 * NUL is added).
 */
#define ESCAPE_JSON_MAX(n) ((n) * 6)
size_t escape_json_into(char *out, const char *s, size_t n);

/*
 * A directory argument to open with O_NOFOLLOW: "LINK/" and "LINK/." name
 * what LINK points to, and O_NOFOLLOW applies only to a last component,
 * so trailing slashes and "/." are dropped: the directory named is the
 * last component, and a symlink is refused.  Caller frees.
 */
char *path_dir_normal(const char *arg);

#endif

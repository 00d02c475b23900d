/* Pure string helpers: see strutils.h. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "strutils.h"
#include "xalloc.h"

static int digits_to_u64(const char *s, unsigned base, uint64_t limit, uint64_t *ret)
{
	uint64_t v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		unsigned d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			return -EINVAL;
		if (d >= base)
			return -EINVAL;
		if (v > (limit - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	*ret = v;
	return 0;
}

int parse_u64(const char *s, uint64_t *ret)
{
	return digits_to_u64(s, 10, UINT64_MAX, ret);
}

int parse_s64(const char *s, int64_t *ret)
{
	uint64_t v;
	int r;

	if (*s == '-') {
		r = digits_to_u64(s + 1, 10, (uint64_t)INT64_MAX + 1, &v);
		if (r < 0)
			return r;
		*ret = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
		return 0;
	}
	r = digits_to_u64(s, 10, INT64_MAX, &v);
	if (r < 0)
		return r;
	*ret = (int64_t)v;
	return 0;
}

int parse_octal(const char *s, unsigned *ret)
{
	uint64_t v;
	int r = digits_to_u64(s, 8, 07777777, &v);

	if (r < 0)
		return r;
	*ret = (unsigned)v;
	return 0;
}

int parse_int(const char *s, int *ret)
{
	uint64_t v;
	int r = digits_to_u64(s, 10, INT32_MAX, &v);

	if (r < 0)
		return r;
	*ret = (int)v;
	return 0;
}

int parse_ipc_key(const char *s, uint32_t *ret)
{
	uint64_t v;
	int64_t sv;
	int r;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		r = digits_to_u64(s + 2, 16, UINT32_MAX, &v);
		if (r < 0)
			return r;
		*ret = (uint32_t)v;
		return 0;
	}
	r = parse_s64(s, &sv);
	if (r < 0)
		return r;
	if (sv < INT32_MIN || sv > (int64_t)UINT32_MAX)
		return -ERANGE;
	*ret = (uint32_t)sv;
	return 0;
}

char *size_to_human(uint64_t bytes)
{
	static const char units[] = "BKMGTPE";
	unsigned u = 0, shift;
	uint64_t whole, frac, tenth;

	while (u + 1 < sizeof(units) - 1 && (bytes >> (10 * (u + 1))) != 0)
		u++;
	if (u == 0)
		return xasprintf("%" PRIu64 "B", bytes);
	/* one decimal, rounded to nearest from the whole remainder */
	shift = 10 * u;
	whole = bytes >> shift;
	frac = bytes & ((UINT64_C(1) << shift) - 1);
	tenth = (uint64_t)(((unsigned __int128)frac * 10 + (UINT64_C(1) << (shift - 1))) >> shift);
	if (tenth == 10) {
		whole++;
		tenth = 0;
	}
	if (tenth)
		return xasprintf("%" PRIu64 ".%" PRIu64 "%c", whole, tenth, units[u]);
	return xasprintf("%" PRIu64 "%c", whole, units[u]);
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid. */
static size_t utf8_seq_len(const unsigned char *s, size_t n, uint32_t *ret_cp)
{
	uint32_t cp;
	size_t len, i;

	if (s[0] < 0x80) {
		*ret_cp = s[0];
		return 1;
	} else if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	*ret_cp = cp;
	return len;
}

bool is_bidi_control(uint32_t cp)
{
	return cp == 0x061c || cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

static char *hex_escape(char *o, const unsigned char *s, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		o += sprintf(o, "\\x%02x", s[k]);
	return o;
}

char *escape_bytes(const char *str, size_t n, enum escape_mode mode)
{
	const unsigned char *s = (const unsigned char *)str;
	/* worst case: every byte becomes \xHH */
	char *out = xmalloc(n * 4 + 1), *o = out;
	size_t i = 0;

	while (i < n) {
		uint32_t cp = 0;
		size_t len = utf8_seq_len(s + i, n - i, &cp);
		bool control = cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) ||
			       is_bidi_control(cp);

		/* NUL is escaped in both modes: the result is a C string */
		if (len == 0 || cp == 0 || (mode == ESCAPE_TERM && control)) {
			size_t k, cnt = len ? len : 1;

			for (k = 0; k < cnt; k++) {
				unsigned char c = s[i + k];

				if (mode == ESCAPE_TERM && c == '\n') {
					*o++ = '\\';
					*o++ = 'n';
				} else if (mode == ESCAPE_TERM && c == '\t') {
					*o++ = '\\';
					*o++ = 't';
				} else
					o = hex_escape(o, &c, 1);
			}
			i += cnt;
		} else if (s[i] == '\\') {
			*o++ = '\\';
			*o++ = '\\';
			i++;
		} else {
			memcpy(o, s + i, len);
			o += len;
			i += len;
		}
	}
	*o = '\0';
	return out;
}

char *escape_str(const char *s, enum escape_mode mode)
{
	return escape_bytes(s, strlen(s), mode);
}

char *escape_cell(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	char *out = xmalloc(strlen(str) * 4 + 1), *o = out;
	mbstate_t st;

	memset(&st, 0, sizeof(st));
	while (*s) {
		wchar_t wc;
		size_t len;

		/* "\x" itself, so that every \xHH in a cell means a byte */
		if ((s[0] == '\\' && s[1] == 'x') || iscntrl(s[0])) {
			o = hex_escape(o, s++, 1);
			continue;
		}
		len = mbrtowc(&wc, (const char *)s, MB_CUR_MAX, &st);
		if (len == (size_t)-1 || len == (size_t)-2) {	/* not a character here */
			memset(&st, 0, sizeof(st));
			if (isprint(s[0]))
				*o++ = (char)s[0];
			else
				o = hex_escape(o, s, 1);
			s++;
			continue;
		}
		if (!iswprint((wint_t)wc) || is_bidi_control((uint32_t)wc))
			o = hex_escape(o, s, len);
		else {
			memcpy(o, s, len);
			o += len;
		}
		s += len;
	}
	*o = '\0';
	return out;
}

size_t text_cells(const char *str)
{
	const char *s = str;
	size_t cells = 0;
	mbstate_t st;

	memset(&st, 0, sizeof(st));
	while (*s) {
		wchar_t wc;
		size_t len = mbrtowc(&wc, s, MB_CUR_MAX, &st);
		int w;

		if (len == (size_t)-1 || len == (size_t)-2 || len == 0) {
			memset(&st, 0, sizeof(st));
			cells++;
			s++;
			continue;
		}
		w = wcwidth(wc);
		cells += w >= 0 ? (size_t)w : 1;	/* combining: 0 */
		s += len;
	}
	return cells;
}

static const char hexdigits[] = "0123456789abcdef";

/* "\\xHH" as it stands in JSON text: the reversible escape, its '\' doubled. */
static char *json_hex_escape(char *o, unsigned char c)
{
	*o++ = '\\';
	*o++ = '\\';
	*o++ = 'x';
	*o++ = hexdigits[c >> 4];
	*o++ = hexdigits[c & 0xf];
	return o;
}

/*
 * Whether any of the 8 bytes in v needs more than a copy: a control
 * character (< 0x20), a byte >= 0x80 (UTF-8 to check), '"' or '\'.  The
 * usual SWAR tests (a byte is zero: (x - 0x01..) & ~x & 0x80..).
 */
static inline bool block_is_special(uint64_t v)
{
	const uint64_t ones = UINT64_C(0x0101010101010101), highs = UINT64_C(0x8080808080808080);
	uint64_t quote = v ^ (ones * '"'), bslash = v ^ (ones * '\\');

	return ((v - ones * 0x20) | v | ((quote - ones) & ~quote) | ((bslash - ones) & ~bslash)) &
	       highs;
}

size_t escape_json_into(char *out, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	char *o = out;
	size_t i = 0;

	while (i < n) {
		unsigned char c = s[i];
		uint32_t cp;
		size_t len;
		uint64_t block;

		/* eight plain bytes at a time: most text is plain ASCII */
		if (n - i >= 8 && (memcpy(&block, s + i, 8), !block_is_special(block))) {
			memcpy(o, s + i, 8);
			o += 8;
			i += 8;
			continue;
		}

		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
			*o++ = (char)c;	/* the common case: printable ASCII */
			i++;
			continue;
		}
		if (c == '"' || c == '\\') {
			/* '\' is "\\" after the reversible escape: "\\\\" in JSON */
			*o++ = '\\';
			*o++ = (char)c;
			if (c == '\\') {
				*o++ = '\\';
				*o++ = '\\';
			}
			i++;
			continue;
		}
		if (c == 0) {		/* escaped by the reversible escape too */
			o = json_hex_escape(o, c);
			i++;
			continue;
		}
		if (c < 0x20) {		/* valid UTF-8: JSON's own escapes */
			static const char short_esc[] = "btn\0fr";

			*o++ = '\\';
			if (c >= '\b' && c <= '\r' && short_esc[c - '\b'])
				*o++ = short_esc[c - '\b'];
			else {
				memcpy(o, "u00", 3);
				o += 3;
				/* upper case, as jansson writes it */
				*o++ = "0123456789ABCDEF"[c >> 4];
				*o++ = "0123456789ABCDEF"[c & 0xf];
			}
			i++;
			continue;
		}
		len = utf8_seq_len(s + i, n - i, &cp);
		if (len == 0) {		/* not UTF-8: the byte as \xHH */
			o = json_hex_escape(o, c);
			i++;
			continue;
		}
		if (is_bidi_control(cp)) {	/* valid, but shown as JSON's \uXXXX */
			memcpy(o, "\\u", 2);
			o += 2;
			for (int shift = 12; shift >= 0; shift -= 4)
				*o++ = "0123456789ABCDEF"[(cp >> shift) & 0xf];
			i += len;
			continue;
		}
		memcpy(o, s + i, len);
		o += len;
		i += len;
	}
	return (size_t)(o - out);
}

char *path_dir_normal(const char *arg)
{
	char *p = xstrdup(arg);
	size_t n = strlen(p);

	for (;;) {
		while (n > 1 && p[n - 1] == '/')
			p[--n] = '\0';
		if (n <= 2 || p[n - 1] != '.' || p[n - 2] != '/')
			break;
		n -= 2;		/* "DIR/." */
		p[n] = '\0';
	}
	return p;
}

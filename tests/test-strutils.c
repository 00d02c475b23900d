/*
 * Unit tests of strutils.h: strict number parsing, IPC key syntax,
 * human-readable sizes and the escaping of untrusted bytes (hand-picked
 * nasty inputs, then a few thousand pseudo-random byte strings from a
 * fixed seed, so every run checks the same cases).
 */
#include "config.h"

#include <errno.h>
#include <jansson.h>
#include <libsmartcols.h>
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strutils.h"
#include "tap.h"

/* s with non-printable bytes as \xHH, for test names (TAP is line-based). */
static const char *vis(const char *s)
{
	static char buf[4][256];
	static unsigned which;
	char *out = buf[which++ % 4], *o = out;

	for (; *s && o < out + sizeof(buf[0]) - 5; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c >= 0x7f)
			o += sprintf(o, "\\x%02x", c);
		else
			*o++ = (char)c;
	}
	*o = '\0';
	return out;
}

/* Sentinels: parsers must leave *ret alone on failure. */
#define U64_SENTINEL UINT64_C(0xa5a5a5a5a5a5a5a5)
#define S64_SENTINEL INT64_C(-0x5a5a5a5a5a5a5a5a)

static void check_u64(const char *s, int want_r, uint64_t want)
{
	uint64_t v = U64_SENTINEL;
	int r = parse_u64(s, &v);

	is_int(r, want_r, "parse_u64(\"%s\") returns %d", vis(s), want_r);
	is_u64(v, want_r == 0 ? want : U64_SENTINEL, "parse_u64(\"%s\") value", vis(s));
}

static void check_s64(const char *s, int want_r, int64_t want)
{
	int64_t v = S64_SENTINEL;
	int r = parse_s64(s, &v);

	is_int(r, want_r, "parse_s64(\"%s\") returns %d", vis(s), want_r);
	is_int(v, want_r == 0 ? want : S64_SENTINEL, "parse_s64(\"%s\") value", vis(s));
}

static void check_octal(const char *s, int want_r, unsigned want)
{
	unsigned v = 0xdeadbeef;
	int r = parse_octal(s, &v);

	is_int(r, want_r, "parse_octal(\"%s\") returns %d", vis(s), want_r);
	is_u64(v, want_r == 0 ? want : 0xdeadbeef, "parse_octal(\"%s\") value", vis(s));
}

static void check_int(const char *s, int want_r, int want)
{
	int v = -7;
	int r = parse_int(s, &v);

	is_int(r, want_r, "parse_int(\"%s\") returns %d", vis(s), want_r);
	is_int(v, want_r == 0 ? want : -7, "parse_int(\"%s\") value", vis(s));
}

static void check_key(const char *s, int want_r, uint32_t want)
{
	uint32_t v = 0x5a5a5a5a;
	int r = parse_ipc_key(s, &v);

	is_int(r, want_r, "parse_ipc_key(\"%s\") returns %d", vis(s), want_r);
	is_u64(v, want_r == 0 ? want : 0x5a5a5a5a, "parse_ipc_key(\"%s\") value", vis(s));
}

static void test_parse_u64(void)
{
	check_u64("0", 0, 0);
	check_u64("7", 0, 7);
	check_u64("007", 0, 7);
	check_u64("18446744073709551615", 0, UINT64_MAX);
	check_u64("018446744073709551615", 0, UINT64_MAX);
	check_u64("18446744073709551616", -ERANGE, 0);
	check_u64("18446744073709551620", -ERANGE, 0);
	check_u64("99999999999999999999", -ERANGE, 0);
	check_u64("", -EINVAL, 0);
	check_u64("-1", -EINVAL, 0);
	check_u64("-0", -EINVAL, 0);
	check_u64("1x", -EINVAL, 0);
	check_u64(" 1", -EINVAL, 0);
	check_u64("1 ", -EINVAL, 0);
	check_u64("1\n", -EINVAL, 0);
	check_u64("+1", -EINVAL, 0);
	check_u64("0x10", -EINVAL, 0);
	check_u64("1e3", -EINVAL, 0);
}

static void test_parse_s64(void)
{
	check_s64("0", 0, 0);
	check_s64("-0", 0, 0);
	check_s64("-1", 0, -1);
	check_s64("42", 0, 42);
	check_s64("-9223372036854775808", 0, INT64_MIN);
	check_s64("9223372036854775807", 0, INT64_MAX);
	check_s64("9223372036854775808", -ERANGE, 0);
	check_s64("-9223372036854775809", -ERANGE, 0);
	check_s64("18446744073709551615", -ERANGE, 0);
	check_s64("-18446744073709551616", -ERANGE, 0);
	check_s64("", -EINVAL, 0);
	check_s64("-", -EINVAL, 0);
	check_s64("--1", -EINVAL, 0);
	check_s64("+1", -EINVAL, 0);
	check_s64("- 1", -EINVAL, 0);
	check_s64("1-", -EINVAL, 0);
	check_s64("12a", -EINVAL, 0);
}

static void test_parse_octal(void)
{
	check_octal("0", 0, 0);
	check_octal("600", 0, 0600);
	check_octal("0640", 0, 0640);
	check_octal("1777", 0, 01777);
	check_octal("3600", 0, 03600);
	check_octal("7777777", 0, 07777777);
	check_octal("10000000", -ERANGE, 0);
	check_octal("8", -EINVAL, 0);
	check_octal("0680", -EINVAL, 0);
	check_octal("", -EINVAL, 0);
	check_octal("-1", -EINVAL, 0);
	check_octal("0o644", -EINVAL, 0);
	check_octal(" 644", -EINVAL, 0);
}

static void test_parse_int(void)
{
	check_int("0", 0, 0);
	check_int("32768", 0, 32768);
	check_int("2147483647", 0, INT32_MAX);
	check_int("2147483648", -ERANGE, 0);
	check_int("99999999999", -ERANGE, 0);
	check_int("-1", -EINVAL, 0);
	check_int("", -EINVAL, 0);
	check_int("1.0", -EINVAL, 0);
	check_int("0x1", -EINVAL, 0);
}

static void test_parse_ipc_key(void)
{
	check_key("0x9b573529", 0, 0x9b573529);
	check_key("0X9B573529", 0, 0x9b573529);
	check_key("0X1", 0, 1);
	check_key("0x0", 0, 0);
	check_key("0xffffffff", 0, UINT32_MAX);
	check_key("0x000000001", 0, 1);	/* leading zeros: the value is what counts */
	check_key("-1688783575", 0, 0x9b573529);
	check_key("2606183721", 0, 0x9b573529);	/* the same key, unsigned */
	check_key("0", 0, 0);
	check_key("42", 0, 42);
	check_key("-1", 0, UINT32_MAX);
	check_key("-2147483648", 0, 0x80000000);
	check_key("2147483647", 0, 0x7fffffff);
	check_key("4294967295", 0, UINT32_MAX);
	check_key("4294967296", -ERANGE, 0);
	check_key("-2147483649", -ERANGE, 0);
	check_key("99999999999999999999", -ERANGE, 0);
	check_key("0x123456789", -ERANGE, 0);
	check_key("0x", -EINVAL, 0);
	check_key("0xg", -EINVAL, 0);
	check_key("0x-1", -EINVAL, 0);
	check_key("-0x1", -EINVAL, 0);
	check_key("x1", -EINVAL, 0);
	check_key("", -EINVAL, 0);
	check_key(" 1", -EINVAL, 0);
	check_key("+1", -EINVAL, 0);
	check_key("1f", -EINVAL, 0);
}

static void check_size(uint64_t bytes, const char *want)
{
	char *s = size_to_human(bytes);

	is_str(s, want, "size_to_human(%" PRIu64 ") = %s", bytes, want);
	free(s);
}

static void test_size_to_human(void)
{
	check_size(0, "0B");
	check_size(1, "1B");
	check_size(1023, "1023B");
	check_size(1024, "1K");
	check_size(1075, "1K");		/* 1.0498K */
	check_size(1076, "1.1K");	/* 1.0508K */
	check_size(1126, "1.1K");
	check_size(1536, "1.5K");
	check_size(5000, "4.9K");	/* 4.88K */
	check_size(10239, "10K");	/* 9.999K: the tenth rounds up into the whole */
	check_size(1047552, "1023K");	/* exactly 1023K: no ".0" */
	/* 1023.999K rounds to 1024.0K; util-linux prints this as "1024K" too */
	check_size(1048575, "1024K");
	check_size(1048576, "1M");
	check_size(1572864, "1.5M");
	/*
	 * 1.0500002M: rounds up to 1.1M (util-linux size_to_human_string
	 * rounds the whole remainder, not only the last 1024ths).
	 */
	check_size(1048576 + 52429, "1.1M");
	check_size(UINT64_C(1) << 30, "1G");
	check_size(UINT64_C(1) << 40, "1T");
	check_size(UINT64_C(1) << 50, "1P");
	check_size(UINT64_C(1) << 60, "1E");
	check_size(UINT64_C(18446744073692774399), "16E");	/* shmmax default */
	check_size(UINT64_MAX, "16E");
}

/* escape_bytes() with an explicit length, compared with want (a C string). */
static void check_esc(const char *in, size_t n, enum escape_mode mode, const char *want,
		      const char *name)
{
	char *s = escape_bytes(in, n, mode);

	is_str(s, want, "%s: %s", mode == ESCAPE_JSON ? "json" : "term", name);
	free(s);
}

/* The same input in both modes. */
static void check_esc2(const char *in, const char *want_json, const char *want_term,
		       const char *name)
{
	char *s;

	check_esc(in, strlen(in), ESCAPE_JSON, want_json, name);
	check_esc(in, strlen(in), ESCAPE_TERM, want_term, name);
	s = escape_str(in, ESCAPE_JSON);
	is_str(s, want_json, "json: escape_str = escape_bytes: %s", name);
	free(s);
	s = escape_str(in, ESCAPE_TERM);
	is_str(s, want_term, "term: escape_str = escape_bytes: %s", name);
	free(s);
}

static void test_escape_fixed(void)
{
	check_esc2("", "", "", "empty string");
	check_esc2("hello, world ~!@#$%^&*()", "hello, world ~!@#$%^&*()",
		   "hello, world ~!@#$%^&*()", "plain ASCII unchanged");
	check_esc2("caf\xc3\xa9", "caf\xc3\xa9", "caf\xc3\xa9", "2-byte UTF-8 unchanged");
	check_esc2("\xe6\x97\xa5\xe6\x9c\xac", "\xe6\x97\xa5\xe6\x9c\xac",
		   "\xe6\x97\xa5\xe6\x9c\xac", "3-byte UTF-8 unchanged");
	check_esc2("\xf0\x9f\x98\x80!", "\xf0\x9f\x98\x80!", "\xf0\x9f\x98\x80!",
		   "4-byte UTF-8 (emoji) unchanged");
	check_esc2("\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf",
		   "U+10FFFF (largest code point) unchanged");
	check_esc2("\xef\xbf\xbe", "\xef\xbf\xbe", "\xef\xbf\xbe",
		   "U+FFFE (noncharacter, valid UTF-8) unchanged");
	check_esc2("\xc2\xa0", "\xc2\xa0", "\xc2\xa0", "U+00A0 (first after C1) unchanged");

	check_esc2("\xff", "\\xff", "\\xff", "byte 0xff");
	check_esc2("a\xfe" "b", "a\\xfeb", "a\\xfeb", "byte 0xfe between ASCII");
	check_esc2("\x80", "\\x80", "\\x80", "lone continuation byte");
	check_esc2("\xe6\x97", "\\xe6\\x97", "\\xe6\\x97", "truncated 3-byte sequence at end");
	check_esc2("\xe6\x97x", "\\xe6\\x97x", "\\xe6\\x97x", "truncated 3-byte sequence before ASCII");
	check_esc2("\xf0\x9f\x98", "\\xf0\\x9f\\x98", "\\xf0\\x9f\\x98", "truncated 4-byte sequence");
	check_esc2("\xc0\xaf", "\\xc0\\xaf", "\\xc0\\xaf", "overlong 2-byte '/'");
	check_esc2("\xc1\xbf", "\\xc1\\xbf", "\\xc1\\xbf", "overlong 2-byte U+007F");
	check_esc2("\xe0\x80\xaf", "\\xe0\\x80\\xaf", "\\xe0\\x80\\xaf", "overlong 3-byte '/'");
	check_esc2("\xf0\x80\x80\xaf", "\\xf0\\x80\\x80\\xaf", "\\xf0\\x80\\x80\\xaf",
		   "overlong 4-byte '/'");
	check_esc2("\xed\xa0\x80", "\\xed\\xa0\\x80", "\\xed\\xa0\\x80", "surrogate U+D800");
	check_esc2("\xed\xbf\xbf", "\\xed\\xbf\\xbf", "\\xed\\xbf\\xbf", "surrogate U+DFFF");
	check_esc2("\xed\x9f\xbf", "\xed\x9f\xbf", "\xed\x9f\xbf", "U+D7FF (below surrogates) unchanged");
	check_esc2("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80", "\\xf4\\x90\\x80\\x80",
		   "U+110000 (beyond U+10FFFF)");
	check_esc2("\xf5\x80\x80\x80", "\\xf5\\x80\\x80\\x80", "\\xf5\\x80\\x80\\x80",
		   "lead byte 0xf5");
	check_esc2("\xc3\xc3\xa9", "\\xc3\xc3\xa9", "\\xc3\xc3\xa9",
		   "bad lead byte, then a valid sequence kept");

	check_esc2("\\", "\\\\", "\\\\", "backslash doubled");
	check_esc2("a\\x41", "a\\\\x41", "a\\\\x41", "backslash before x41 stays unambiguous");

	check_esc2("a\nb\tc", "a\nb\tc", "a\\nb\\tc", "newline and tab: \\n \\t in term only");
	check_esc2("\x01\x1f\x7f", "\x01\x1f\x7f", "\\x01\\x1f\\x7f",
		   "C0 controls and DEL: escaped in term only");
	check_esc2("\r\x1b[31m", "\r\x1b[31m", "\\x0d\\x1b[31m", "CR and ESC sequence");
	check_esc2("\xc2\x85", "\xc2\x85", "\\xc2\\x85", "C1 control U+0085 (NEL)");
	check_esc2("\xc2\x80\xc2\x9f", "\xc2\x80\xc2\x9f", "\\xc2\\x80\\xc2\\x9f",
		   "C1 controls U+0080 and U+009F");
	check_esc2("\xe2\x80\xa8", "\xe2\x80\xa8", "\xe2\x80\xa8",
		   "U+2028 line separator (not a C0/C1 control) unchanged");

	/* embedded NUL bytes: only escape_bytes() can see them */
	check_esc("a\0b", 3, ESCAPE_TERM, "a\\x00b", "NUL inside, explicit length");
	check_esc("\0", 1, ESCAPE_TERM, "\\x00", "NUL alone");
	/*
	 * The JSON mode must not let a NUL through either: the result is a C
	 * string, so a raw NUL would silently cut it (and the header promises
	 * a reversible encoding).
	 */
	check_esc("a\0b", 3, ESCAPE_JSON, "a\\x00b", "NUL inside, explicit length");
	check_esc("\0", 1, ESCAPE_JSON, "\\x00", "NUL alone");
	check_esc("abc", 2, ESCAPE_JSON, "ab", "length shorter than the string");
	check_esc("\xe6\x97\xa5", 2, ESCAPE_JSON, "\\xe6\\x97",
		  "length cutting a valid sequence: the prefix is invalid");
}

/* ---- property tests over pseudo-random byte strings (tap_rng) ---- */

static const char *const pieces[] = {
	"\xc3\xa9", "\xe6\x97\xa5", "\xf0\x9f\x98\x80", "\xc2\x85", "\xc2\xa0",
	"\xef\xbf\xbe", "\xf4\x8f\xbf\xbf", "\xed\x9f\xbf", "\\", "\\x41", "\n", "\t",
	"\xed\xa0\x80", "\xc0\xaf", "\xf4\x90\x80\x80", "\xe0\x80\xaf",
};

/* Fills buf with up to max bytes biased towards interesting ones; returns the length. */
static size_t random_bytes(unsigned char *buf, size_t max, bool allow_nul)
{
	size_t n = 0, want = tap_rng() % max;

	while (n < want) {
		uint64_t r = tap_rng();
		unsigned kind = r % 8;

		r >>= 8;
		if (kind < 3) {			/* printable ASCII */
			buf[n++] = 0x20 + r % 0x5f;
		} else if (kind == 3) {		/* any byte */
			buf[n++] = r & 0xff;
		} else if (kind == 4) {		/* control */
			unsigned char c = r % 0x21;

			buf[n++] = c == 0x20 ? 0x7f : c;
		} else if (kind == 5) {		/* a high byte */
			buf[n++] = 0x80 | (r & 0x7f);
		} else {			/* a piece, maybe cut short */
			const char *p = pieces[r % (sizeof(pieces) / sizeof(pieces[0]))];
			size_t len = strlen(p);

			if ((r >> 8) % 4 == 0 && len > 1)
				len = 1 + (r >> 16) % (len - 1);
			while (len-- && n < max)
				buf[n++] = (unsigned char)*p++;
		}
		if (!allow_nul && n && buf[n - 1] == 0)
			buf[n - 1] = 'Z';
	}
	return n;
}

/*
 * Decodes an escape_bytes() result back into bytes: "\\" -> '\', "\xHH" ->
 * byte, and in term mode "\n" and "\t".  Returns the length, or -1 when the
 * text is not a well-formed encoding.
 */
static long unescape(const char *s, unsigned char *out, enum escape_mode mode)
{
	long n = 0;

	while (*s) {
		if (*s != '\\') {
			out[n++] = (unsigned char)*s++;
			continue;
		}
		s++;
		if (*s == '\\') {
			out[n++] = '\\';
			s++;
		} else if (mode == ESCAPE_TERM && *s == 'n') {
			out[n++] = '\n';
			s++;
		} else if (mode == ESCAPE_TERM && *s == 't') {
			out[n++] = '\t';
			s++;
		} else if (*s == 'x') {
			char hex[3] = { 0 };
			char *end;

			if (!s[1] || !s[2])
				return -1;
			memcpy(hex, s + 1, 2);
			out[n++] = (unsigned char)strtoul(hex, &end, 16);
			if (*end)
				return -1;
			s += 3;
		} else
			return -1;
	}
	return n;
}

/* true when s (valid UTF-8) holds a C0 control, DEL or a C1 control */
static bool has_control(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	for (; *s; s++) {
		if (*s < 0x20 || *s == 0x7f)
			return true;
		if (*s == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f)
			return true;
	}
	return false;
}

#define NRANDOM 5000
#define MAXLEN 48

static void test_escape_random(void)
{
	unsigned char in[MAXLEN], back[MAXLEN * 4 + 1];
	size_t json_bad = 0, json_rt_bad = 0, term_bad = 0, term_rt_bad = 0, term_ctl = 0;
	size_t nul_seen = 0, invalid_seen = 0, i;

	for (i = 0; i < NRANDOM; i++) {
		size_t n = random_bytes(in, MAXLEN, false);
		char *e = escape_bytes((const char *)in, n, ESCAPE_JSON);
		json_t *j = json_string(e), *raw = json_stringn((const char *)in, n);
		long m;

		if (!j) {
			if (!json_bad++)
				tap_hexdump("json_string() rejected escape of", in, n);
		}
		if (!raw)
			invalid_seen++;
		json_decref(raw);
		json_decref(j);
		m = unescape(e, back, ESCAPE_JSON);
		if (m != (long)n || memcmp(back, in, n) != 0) {
			if (!json_rt_bad++)
				tap_hexdump("json escape did not round-trip", in, n);
		}
		free(e);
	}
	ok(invalid_seen > NRANDOM / 4, "random strings include invalid UTF-8 (%zu of %d)",
	   invalid_seen, NRANDOM);
	is_int(json_bad, 0, "json: every escape_bytes output is accepted by json_string()");
	is_int(json_rt_bad, 0, "json: every escape_bytes output decodes back to the input");

	for (i = 0; i < NRANDOM; i++) {
		size_t n = random_bytes(in, MAXLEN, true);
		char *e = escape_bytes((const char *)in, n, ESCAPE_TERM);
		json_t *j = json_string(e);
		long m;

		if (memchr(in, 0, n))
			nul_seen++;
		if (!j) {
			if (!term_bad++)
				tap_hexdump("term escape is not valid UTF-8", in, n);
		}
		json_decref(j);
		if (has_control(e)) {
			if (!term_ctl++)
				tap_hexdump("term escape kept a control character", in, n);
		}
		m = unescape(e, back, ESCAPE_TERM);
		if (m != (long)n || memcmp(back, in, n) != 0) {
			if (!term_rt_bad++)
				tap_hexdump("term escape did not round-trip", in, n);
		}
		free(e);
	}
	ok(nul_seen > 0, "random strings include NUL bytes (%zu)", nul_seen);
	is_int(term_bad, 0, "term: every escape_bytes output is valid UTF-8");
	is_int(term_ctl, 0, "term: no escape_bytes output holds a C0/C1 control or DEL");
	is_int(term_rt_bad, 0, "term: every escape_bytes output decodes back to the input");
}


/* ---- bidi controls ---- */

/* The bidirectional controls, and neighbours of theirs that are none. */
static const uint32_t bidi[] = {
	0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e,
	0x2066, 0x2067, 0x2068, 0x2069,
};
static const uint32_t not_bidi[] = { 0x061b, 0x061e, 0x200d, 0x2010, 0x2029, 0x202f, 0x2065, 0x206a };

static size_t utf8_put(char *o, uint32_t cp)
{
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	o[0] = (char)(0xe0 | cp >> 12);
	o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[2] = (char)(0x80 | (cp & 0x3f));
	return 3;
}

/* "a" cp "b", and its \xHH form for the terminal */
static void bidi_case(uint32_t cp, char *raw, char *hex)
{
	char u[4];
	size_t n = utf8_put(u, cp), k;

	raw[0] = 'a';
	memcpy(raw + 1, u, n);
	raw[n + 1] = 'b';
	raw[n + 2] = '\0';
	hex += sprintf(hex, "a");
	for (k = 0; k < n; k++)
		hex += sprintf(hex, "\\x%02x", (unsigned char)u[k]);
	sprintf(hex, "b");
}

/* A one-column table, printed by libsmartcols with its own encoding on. */
static char *scols_encoded(const char *cell)
{
	struct libscols_table *tb = scols_new_table();
	struct libscols_line *ln;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	scols_table_enable_noheadings(tb, 1);
	scols_table_new_column(tb, "C", 0, 0);
	ln = scols_table_new_line(tb, NULL);
	scols_line_set_data(ln, 0, cell);
	scols_table_set_stream(tb, f);
	scols_print_table(tb);
	scols_unref_table(tb);
	fclose(f);
	if (len && buf[len - 1] == '\n')
		buf[len - 1] = '\0';
	return buf;
}

static void test_bidi(void)
{
	char raw[16], hex[32], name[64];
	size_t i;

	for (i = 0; i < sizeof(bidi) / sizeof(bidi[0]); i++) {
		char *term, *json, *cell, jtext[64];
		size_t jn;

		bidi_case(bidi[i], raw, hex);
		snprintf(name, sizeof(name), "U+%04X", (unsigned)bidi[i]);
		ok(is_bidi_control(bidi[i]), "%s is a bidi control", name);
		term = escape_str(raw, ESCAPE_TERM);
		is_str(term, hex, "%s: escaped for the terminal, a byte at a time", name);
		json = escape_str(raw, ESCAPE_JSON);
		is_str(json, raw, "%s: kept in ESCAPE_JSON (valid UTF-8; JSON text escapes it)", name);
		jn = escape_json_into(jtext, raw, strlen(raw));
		jtext[jn] = '\0';
		snprintf(hex, sizeof(hex), "a\\u%04Xb", (unsigned)bidi[i]);
		is_str(jtext, hex, "%s: JSON text \\u%04X", name, (unsigned)bidi[i]);
		setlocale(LC_CTYPE, "C.UTF-8");
		bidi_case(bidi[i], raw, hex);
		cell = escape_cell(raw);
		is_str(cell, hex, "%s: a table cell in C.UTF-8, a byte at a time", name);
		free(cell);
		setlocale(LC_CTYPE, "C");
		free(term);
		free(json);
	}
	for (i = 0; i < sizeof(not_bidi) / sizeof(not_bidi[0]); i++)
		ok(!is_bidi_control(not_bidi[i]), "U+%04X is not a bidi control",
		   (unsigned)not_bidi[i]);
	/* a neighbour of U+202E stays itself where printable */
	setlocale(LC_CTYPE, "C.UTF-8");
	{
		char *cell = escape_cell("x\xe2\x80\xafy");	/* U+202F */

		is_str(cell, "x\xe2\x80\xafy", "U+202F (not bidi): a table cell keeps it in C.UTF-8");
		free(cell);
	}
	setlocale(LC_CTYPE, "C");
}

/*
 * escape_cell() against libsmartcols' own encoding, the oracle: the same
 * text for every string without a bidi control, in C and in C.UTF-8.
 */
static void test_cell_oracle(void)
{
	static const char *const cells[] = {
		"", "plain", "a b\tc", "new\nline", "\x1b[31mred", "back\\slash", "\\xff literal",
		"\\", "x\\", "caf\xc3\xa9", "\xe6\x97\xa5", "\xf0\x9f\x98\x80", "\xff", "a\xfe" "b",
		"\x80", "\xc2\x85", "\xc2\xa0", "\xe6\x97", "\xc0\xaf", "\xed\xa0\x80", "\x7f",
		/* zero-width ones between letters: a cell of width 0 prints as nothing */
		"a\xef\xbb\xbf" "b", "a\xe2\x80\x8b" "b", "\xe2\x80\xa8",
	};
	static const char *const locales[] = { "C", "C.UTF-8" };
	size_t l, i;

	for (l = 0; l < 2; l++) {
		if (!setlocale(LC_ALL, locales[l])) {
			ok(true, "libsmartcols oracle in %s # SKIP no such locale", locales[l]);
			continue;
		}
		for (i = 0; i < sizeof(cells) / sizeof(cells[0]); i++) {
			char *want = scols_encoded(cells[i]), *got = escape_cell(cells[i]);

			is_str(got, want ? want : "(none)", "escape_cell(\"%s\") in %s: as libsmartcols",
			       vis(cells[i]), locales[l]);
			free(want);
			free(got);
		}
	}
	setlocale(LC_ALL, "C");
}

int main(void)
{
	test_parse_u64();
	test_parse_s64();
	test_parse_octal();
	test_parse_int();
	test_parse_ipc_key();
	test_size_to_human();
	test_escape_fixed();
	test_escape_random();
	test_bidi();
	test_cell_oracle();
	return tap_done();
}

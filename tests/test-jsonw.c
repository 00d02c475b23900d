/*
 * Unit tests of jsonw.h, the streaming JSON writer: the exact text of
 * nested containers, commas and the layout render.c makes with jw_sep()
 * and jw_raws(); every number type at its limits; strings against an
 * oracle we did not write (jansson parses the output back, and it must
 * equal escape_bytes(ESCAPE_JSON) byte for byte, for every single byte,
 * hand-picked nasty inputs and pseudo-random byte strings from a fixed
 * seed); that escape_json_into() stays within ESCAPE_JSON_MAX(); that a
 * FILE writer and a memory writer give the same bytes across many
 * flushes; write errors (/dev/full, and one failed write amid many: the
 * document stops there); and jw_take() on an empty writer.
 */
#include "config.h"

#include <errno.h>
#include <float.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "strutils.h"
#include "tap.h"

/* s with non-printable bytes as \xHH, for test names (TAP is line-based). */
static const char *vis(const char *s, size_t n)
{
	static char buf[4][256];
	static unsigned which;
	char *out = buf[which++ % 4], *o = out;
	size_t i;

	for (i = 0; i < n && o < out + sizeof(buf[0]) - 5; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c >= 0x7f)
			o += sprintf(o, "\\x%02x", c);
		else
			*o++ = (char)c;
	}
	*o = '\0';
	return out;
}

/*
 * The text of a memory writer; *len is what the writer counted, so that a
 * NUL inside the text (never right in JSON text) shows up as a difference
 * from strlen().
 */
static char *take(struct jw *w, size_t *len)
{
	size_t n = w->len;
	char *s = jw_take(w);

	if (len)
		*len = n;
	return s;
}

/* Compares the text of a memory writer with want, and frees it. */
static void check_text(struct jw *w, const char *want, const char *name)
{
	size_t n;
	char *s = take(w, &n);

	is_str(s, want, "%s", name);
	is_int(n, strlen(want), "%s: length", name);
	free(s);
}

/* ---- layout and commas ---- */

static void test_layout(void)
{
	struct jw w;
	json_error_t err;
	json_t *j;
	char *s;
	unsigned d;

	jw_init(&w, NULL);
	jw_obj_begin(&w);
	jw_key(&w, "a");
	jw_s64(&w, 1);
	jw_key(&w, "b");
	jw_arr_begin(&w);
	jw_s64(&w, 1);
	jw_str(&w, "x");
	jw_null(&w);
	jw_arr_end(&w);
	jw_key(&w, "c");
	jw_obj_begin(&w);
	jw_obj_end(&w);
	jw_obj_end(&w);
	check_text(&w, "{\"a\": 1, \"b\": [1, \"x\", null], \"c\": {}}",
		   "nested object, array and empty object");

	jw_init(&w, NULL);
	jw_arr_begin(&w);
	jw_arr_end(&w);
	check_text(&w, "[]", "empty array");

	jw_init(&w, NULL);
	jw_obj_begin(&w);
	jw_obj_end(&w);
	check_text(&w, "{}", "empty object");

	jw_init(&w, NULL);
	jw_arr_begin(&w);
	jw_arr_begin(&w);
	jw_arr_end(&w);
	jw_arr_begin(&w);
	jw_arr_end(&w);
	jw_obj_begin(&w);
	jw_obj_end(&w);
	jw_arr_end(&w);
	check_text(&w, "[[], [], {}]", "empty containers as elements get commas");

	jw_init(&w, NULL);
	jw_obj_begin(&w);
	jw_key(&w, "o");
	jw_obj_begin(&w);
	jw_key(&w, "p");
	jw_arr_begin(&w);
	jw_obj_begin(&w);
	jw_key(&w, "q");
	jw_bool(&w, true);
	jw_obj_end(&w);
	jw_arr_end(&w);
	jw_obj_end(&w);
	jw_key(&w, "r");
	jw_bool(&w, false);
	jw_obj_end(&w);
	check_text(&w, "{\"o\": {\"p\": [{\"q\": true}]}, \"r\": false}",
		   "a key's value is never preceded by a comma, at any depth");

	/* values at the top level are separated too */
	jw_init(&w, NULL);
	jw_s64(&w, 1);
	jw_str(&w, "two");
	jw_arr_begin(&w);
	jw_arr_end(&w);
	jw_null(&w);
	check_text(&w, "1, \"two\", [], null", "top-level values separated by \", \"");

	/* the layout of json_print_snapshot() and json_print_kind() */
	jw_init(&w, NULL);
	jw_obj_begin(&w);
	jw_raws(&w, "\n  ");
	jw_sep(&w, ",\n  ");
	jw_key(&w, "schema");
	jw_s64(&w, 1);
	jw_key(&w, "host");
	jw_str(&w, "box");
	jw_key(&w, "ipc_ns");
	jw_null(&w);
	jw_key(&w, "warnings");
	jw_arr_begin(&w);
	jw_str(&w, "w1");
	jw_str(&w, "w2");
	jw_arr_end(&w);
	/* an array kind with two objects */
	jw_key(&w, "shm");
	jw_arr_begin(&w);
	jw_raws(&w, "\n    ");
	jw_sep(&w, ",\n    ");
	jw_obj_begin(&w);
	jw_key(&w, "id");
	jw_s64(&w, 1);
	jw_key(&w, "perms");
	jw_str(&w, "rw-");
	jw_obj_end(&w);
	jw_obj_begin(&w);
	jw_key(&w, "id");
	jw_s64(&w, 2);
	jw_key(&w, "perms");
	jw_str(&w, "r--");
	jw_obj_end(&w);
	jw_raws(&w, "\n  ");
	jw_arr_end(&w);
	/* an empty array kind: no layout inside */
	jw_key(&w, "msg");
	jw_arr_begin(&w);
	jw_sep(&w, ",\n    ");
	jw_arr_end(&w);
	/* a keyed kind */
	jw_key(&w, "limits");
	jw_obj_begin(&w);
	jw_raws(&w, "\n    ");
	jw_sep(&w, ",\n    ");
	jw_key(&w, "shmmax");
	jw_obj_begin(&w);
	jw_key(&w, "value");
	jw_u64(&w, 42);
	jw_key(&w, "list");
	jw_arr_begin(&w);
	jw_s64(&w, 1);
	jw_s64(&w, 2);
	jw_arr_end(&w);
	jw_obj_end(&w);
	jw_key(&w, "shmmni");
	jw_obj_begin(&w);
	jw_obj_end(&w);
	jw_raws(&w, "\n  ");
	jw_obj_end(&w);
	jw_key(&w, "processes");
	jw_null(&w);
	jw_raws(&w, "\n");
	jw_obj_end(&w);
	jw_raws(&w, "\n");
	s = take(&w, NULL);
	is_str(s,
	       "{\n"
	       "  \"schema\": 1,\n"
	       "  \"host\": \"box\",\n"
	       "  \"ipc_ns\": null,\n"
	       "  \"warnings\": [\"w1\", \"w2\"],\n"
	       "  \"shm\": [\n"
	       "    {\"id\": 1, \"perms\": \"rw-\"},\n"
	       "    {\"id\": 2, \"perms\": \"r--\"}\n"
	       "  ],\n"
	       "  \"msg\": [],\n"
	       "  \"limits\": {\n"
	       "    \"shmmax\": {\"value\": 42, \"list\": [1, 2]},\n"
	       "    \"shmmni\": {}\n"
	       "  },\n"
	       "  \"processes\": null\n"
	       "}\n",
	       "render.c layout: jw_sep(\",\\n  \") and jw_raws() between members");
	j = json_loads(s, 0, &err);
	ok(j != NULL, "render.c layout parses as JSON");
	if (!j)
		printf("#   %s at line %d column %d\n", err.text, err.line, err.column);
	ok(j && json_array_size(json_object_get(j, "shm")) == 2 &&
	   json_integer_value(json_object_get(json_object_get(json_object_get(j, "limits"),
							       "shmmax"), "value")) == 42,
	   "render.c layout: jansson sees the same members");
	json_decref(j);
	free(s);

	/* a separator set in an inner container ends with it */
	jw_init(&w, NULL);
	jw_arr_begin(&w);
	jw_arr_begin(&w);
	jw_sep(&w, ";");
	jw_s64(&w, 1);
	jw_s64(&w, 2);
	jw_arr_end(&w);
	jw_s64(&w, 3);
	jw_arr_begin(&w);
	jw_s64(&w, 4);
	jw_s64(&w, 5);
	jw_arr_end(&w);
	jw_arr_end(&w);
	check_text(&w, "[[1;2], 3, [4, 5]]", "jw_sep() applies to its own container only");

	/* JW_MAX_DEPTH levels, each with a value before and after the inner one */
	{
		char want[1024], *o = want;

		jw_init(&w, NULL);
		for (d = 0; d < JW_MAX_DEPTH; d++) {
			jw_arr_begin(&w);
			jw_s64(&w, d);
			o += sprintf(o, "%s[%u", d ? ", " : "", d);
		}
		for (d = JW_MAX_DEPTH; d-- > 0;) {
			jw_arr_end(&w);
			o += sprintf(o, "]");
			if (d) {
				jw_s64(&w, 100 + d);
				o += sprintf(o, ", %u", 100 + d);
			}
		}
		check_text(&w, want, "JW_MAX_DEPTH nested arrays");
	}

	jw_init(&w, NULL);
	jw_raw(&w, "a\0b", 3);
	s = take(&w, NULL);
	ok(memcmp(s, "a\0b", 4) == 0, "jw_raw() copies n bytes as they are, NUL included");
	free(s);
}

/* ---- numbers ---- */

static void check_s64(int64_t v, const char *want)
{
	struct jw w;
	char name[64];

	snprintf(name, sizeof(name), "jw_s64(%" PRId64 ")", v);
	jw_init(&w, NULL);
	jw_s64(&w, v);
	check_text(&w, want, name);
}

static void check_u64(uint64_t v, const char *want)
{
	struct jw w;
	char name[64];

	snprintf(name, sizeof(name), "jw_u64(%" PRIu64 ")", v);
	jw_init(&w, NULL);
	jw_u64(&w, v);
	check_text(&w, want, name);
}

/* want: the text; finite values are also parsed back as a real. */
static void check_real(double v, const char *want)
{
	struct jw w;
	char name[64], *s;
	json_t *j;

	snprintf(name, sizeof(name), "jw_real(%.17g)", v);
	jw_init(&w, NULL);
	jw_real(&w, v);
	s = take(&w, NULL);
	is_str(s, want, "%s", name);
	if (isfinite(v)) {
		double got;

		j = json_loads(s, JSON_DECODE_ANY, NULL);
		got = json_real_value(j);
		ok(json_is_real(j) && (got == v || fabs(got - v) <= fabs(v) * 1e-14),
		   "%s: jansson reads back a real close to it", name);
		json_decref(j);
	}
	free(s);
}

static void test_numbers(void)
{
	struct jw w;
	json_t *j;
	char *s;

	check_s64(0, "0");
	check_s64(1, "1");
	check_s64(-1, "-1");
	check_s64(10, "10");
	check_s64(-10, "-10");
	check_s64(INT64_MIN, "-9223372036854775808");
	check_s64(INT64_MIN + 1, "-9223372036854775807");
	check_s64(INT64_MAX, "9223372036854775807");

	check_u64(0, "0");
	check_u64(9, "9");
	check_u64(UINT64_C(1) << 53, "9007199254740992");
	check_u64((UINT64_C(1) << 53) - 1, "9007199254740991");
	check_u64((UINT64_C(1) << 53) + 1, "\"9007199254740993\"");
	check_u64(UINT64_C(18446744073692774399), "\"18446744073692774399\"");
	check_u64(UINT64_MAX, "\"18446744073709551615\"");

	/* in context: the quoted form still gets its comma */
	jw_init(&w, NULL);
	jw_arr_begin(&w);
	jw_u64(&w, UINT64_MAX);
	jw_u64(&w, UINT64_C(1) << 53);
	jw_u64(&w, (UINT64_C(1) << 53) + 1);
	jw_s64(&w, INT64_MIN);
	jw_arr_end(&w);
	s = take(&w, NULL);
	is_str(s, "[\"18446744073709551615\", 9007199254740992, \"9007199254740993\", "
	       "-9223372036854775808]", "u64 and s64 extremes in an array");
	j = json_loads(s, 0, NULL);
	ok(j && json_is_string(json_array_get(j, 0)) &&
	   json_integer_value(json_array_get(j, 1)) == (json_int_t)1 << 53 &&
	   json_is_string(json_array_get(j, 2)) &&
	   json_integer_value(json_array_get(j, 3)) == INT64_MIN,
	   "jansson reads 2^53 as a number, 2^53+1 as a string, INT64_MIN exactly");
	json_decref(j);
	free(s);

	check_real(0.0, "0.0");
	check_real(-0.0, "-0.0");
	check_real(1.0, "1.0");
	check_real(-2.0, "-2.0");
	check_real(12.34, "12.34");
	check_real(33.33, "33.33");
	check_real(100.0, "100.0");
	check_real(0.1, "0.1");
	check_real(1.0 / 3.0, "0.333333333333333");
	check_real(1e14, "100000000000000.0");
	check_real(1e15, "1e+15");
	check_real(1e300, "1e+300");
	check_real(-1e300, "-1e+300");
	check_real(1e-7, "1e-07");
	check_real(1e308, "1e+308");
	check_real(1.79769313486231e308, "1.79769313486231e+308");
	check_real(DBL_MAX, "1.7976931348623157e+308");	/* 15 digits would overflow */
	check_real(-DBL_MAX, "-1.7976931348623157e+308");
	check_real(4.9406564584124654e-324, "4.94065645841247e-324");
	check_real(NAN, "null");
	check_real(INFINITY, "null");
	check_real(-INFINITY, "null");

	jw_init(&w, NULL);
	jw_arr_begin(&w);
	jw_real(&w, NAN);
	jw_real(&w, 0.5);
	jw_arr_end(&w);
	check_text(&w, "[null, 0.5]", "NaN as null still gets its comma");

	jw_init(&w, NULL);
	jw_bool(&w, true);
	check_text(&w, "true", "jw_bool(true)");
	jw_init(&w, NULL);
	jw_bool(&w, false);
	check_text(&w, "false", "jw_bool(false)");
	jw_init(&w, NULL);
	jw_null(&w);
	check_text(&w, "null", "jw_null()");
}

/* ---- strings against jansson and escape_bytes() ---- */

struct str_stats {
	size_t checked, not_json, not_string, differ, not_jansson_text, over_max, raw_nul;
};

/* The length of the bidi control's UTF-8 at s (U+061C, U+200E, U+200F,
 * U+202A-U+202E, U+2066-U+2069), or 0: by bytes, not by strutils. */
static size_t bidi_at(const unsigned char *s)
{
	if (s[0] == 0xd8 && s[1] == 0x9c)
		return 2;
	if (s[0] == 0xe2 && s[1] == 0x80 && (s[2] == 0x8e || s[2] == 0x8f || (s[2] >= 0xaa && s[2] <= 0xae)))
		return 3;
	if (s[0] == 0xe2 && s[1] == 0x81 && s[2] >= 0xa6 && s[2] <= 0xa9)
		return 3;
	return 0;
}

/*
 * jansson's text for the string s, with each bidi control as jansson
 * writes that character with JSON_ENSURE_ASCII ("\u202E"): jw_strn()
 * escapes those and no other valid character.  Caller frees.
 */
static char *jansson_text(const char *s)
{
	json_t *j = json_string(s);
	char *d = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL, *out, *o;
	const unsigned char *p;

	json_decref(j);
	if (!d)
		return NULL;
	o = out = malloc(strlen(d) * 3 + 1);
	for (p = (const unsigned char *)d; *p;) {
		size_t n = bidi_at(p);
		json_t *c;
		char *a;

		if (!n) {
			*o++ = (char)*p++;
			continue;
		}
		c = json_stringn((const char *)p, n);
		a = json_dumps(c, JSON_ENCODE_ANY | JSON_ENSURE_ASCII);
		memcpy(o, a + 1, strlen(a) - 2);	/* without its quotes */
		o += strlen(a) - 2;
		free(a);
		json_decref(c);
		p += n;
	}
	*o = '\0';
	free(d);
	return out;
}

/*
 * One string through jw_strn(): the text must parse as a JSON string equal
 * to escape_bytes(s, n, ESCAPE_JSON), and be the very text jansson writes
 * for that string (bidi controls as jansson's JSON_ENSURE_ASCII writes
 * them).  Failures are counted; the first of each is dumped.
 */
static void str_check(const char *s, size_t n, struct str_stats *st)
{
	struct jw w;
	json_error_t err;
	size_t len;
	char *text, *want = escape_bytes(s, n, ESCAPE_JSON), *dump;
	json_t *j;

	st->checked++;
	jw_init(&w, NULL);
	jw_strn(&w, s, n);
	text = take(&w, &len);
	if (strlen(text) != len && !st->raw_nul++)
		tap_hexdump("jw_strn() wrote a raw NUL for", (const unsigned char *)s, n);
	if (len > ESCAPE_JSON_MAX(n) + 2 && !st->over_max++)
		tap_hexdump("jw_strn() wrote more than ESCAPE_JSON_MAX + 2 for",
			(const unsigned char *)s, n);
	j = json_loadb(text, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
	if (!j) {
		if (!st->not_json++) {
			tap_hexdump("jw_strn() output is not JSON for", (const unsigned char *)s, n);
			printf("#   jansson: %s; text: %s\n", err.text, vis(text, len));
		}
	} else if (!json_is_string(j)) {
		if (!st->not_string++)
			tap_hexdump("jw_strn() output is not a JSON string for",
				(const unsigned char *)s, n);
	} else if (json_string_length(j) != strlen(want) ||
		   memcmp(json_string_value(j), want, strlen(want)) != 0) {
		if (!st->differ++) {
			tap_hexdump("jw_strn() parsed back differs from escape_bytes() for",
				(const unsigned char *)s, n);
			tap_hexdump("parsed", (const unsigned char *)json_string_value(j),
				json_string_length(j));
			tap_hexdump("escape_bytes", (const unsigned char *)want, strlen(want));
		}
	}
	json_decref(j);

	/* the second oracle: jansson's own encoding of the escaped string */
	dump = jansson_text(want);
	if ((!dump || strcmp(dump, text) != 0) && !st->not_jansson_text++) {
		tap_hexdump("jw_strn() text differs from jansson's for", (const unsigned char *)s, n);
		printf("#   jw_strn: %s\n#   jansson: %s\n", vis(text, len),
		       dump ? vis(dump, strlen(dump)) : "(none)");
	}
	free(dump);
	free(text);
	free(want);
}

/*
 * escape_json_into() in a buffer of exactly ESCAPE_JSON_MAX(n) bytes
 * followed by canaries: nothing past what it returns may change.  A second
 * call into a heap block of exactly that size lets ASan see any overflow.
 */
#define CANARY 0xa5
#define CANARY_LEN 32

static bool into_check(const char *s, size_t n)
{
	size_t max = ESCAPE_JSON_MAX(n), r, r2, i;
	unsigned char *buf = malloc(max + CANARY_LEN);
	char *exact = malloc(max ? max : 1);
	bool good;

	memset(buf, CANARY, max + CANARY_LEN);
	r = escape_json_into((char *)buf, s, n);
	good = r <= max;
	for (i = r; i < max + CANARY_LEN; i++)
		good &= buf[i] == CANARY;
	r2 = escape_json_into(exact, s, n);
	good &= r2 == r && memcmp(exact, buf, r) == 0;
	free(exact);
	free(buf);
	return good;
}

#define STR(lit) { lit, sizeof(lit) - 1, #lit }

static const struct nasty {
	const char *s;
	size_t n;
	const char *name;
} nasty[] = {
	STR(""),
	STR("plain ASCII ~!@#$%^&*()"),
	STR("\""),
	STR("\"\""),
	STR("\\"),
	STR("\\\\"),
	STR("\\\""),
	STR("\"\\"),
	STR("\\xff"),		/* the literal 4 characters: must not collide with 0xff */
	STR("\\x00"),
	STR("\\u0000"),
	STR("\\n"),
	STR("/"),
	STR("</script>"),
	STR("\xff"),
	STR("\xfe\xff"),
	STR("\0"),
	STR("a\0b"),
	STR("\0\0\0"),
	STR("\b\t\n\v\f\r"),
	STR("\x01\x02\x03\x04\x05\x06\x07\x0e\x0f\x10\x1a\x1b\x1c\x1f"),
	STR("\x1b[31mred\x1b[0m"),
	STR("\x7f"),
	STR("a\x7f" "b"),
	STR("\xc2\x80"),		/* C1 controls in UTF-8 */
	STR("\xc2\x85"),
	STR("\xc2\x9f"),
	STR("\xc2\xa0"),
	STR("\xe2\x80\xa8\xe2\x80\xa9"),	/* U+2028, U+2029 */
	STR("\xef\xbb\xbf"),		/* BOM */
	STR("\xef\xbf\xbe\xef\xbf\xbf"),	/* noncharacters */
	STR("\xc0\x80"),		/* overlong NUL */
	STR("\xc0\xaf"),
	STR("\xc1\xbf"),
	STR("\xe0\x80\xaf"),
	STR("\xe0\x9f\xbf"),		/* overlong U+07FF */
	STR("\xe0\xa0\x80"),		/* U+0800, the first 3-byte */
	STR("\xf0\x80\x80\xaf"),
	STR("\xf0\x8f\xbf\xbf"),	/* overlong U+FFFF */
	STR("\xed\xa0\x80"),		/* surrogates */
	STR("\xed\xbf\xbf"),
	STR("\xed\xa0\xbd\xed\xb8\x80"),	/* a CESU-8 pair */
	STR("\xed\x9f\xbf"),
	STR("\xee\x80\x80"),
	STR("\xf0\x90\x80\x80"),	/* 4-byte UTF-8 */
	STR("\xf0\x9f\x98\x80"),
	STR("\xf4\x8f\xbf\xbf"),
	STR("\xf4\x90\x80\x80"),	/* beyond U+10FFFF */
	STR("\xf5\x80\x80\x80"),
	STR("\xf8\x88\x80\x80\x80"),	/* 5-byte form */
	STR("\xfc\x84\x80\x80\x80\x80"),
	STR("\x80"),
	STR("\xbf"),
	STR("\x80\x80\x80"),
	STR("\xc3"),			/* truncated sequences at the end */
	STR("ab\xc3"),
	STR("\xe6"),
	STR("\xe6\x97"),
	STR("x\xe6\x97"),
	STR("\xf0"),
	STR("\xf0\x9f"),
	STR("\xf0\x9f\x98"),
	STR("\xe6\x97x"),		/* truncated before ASCII */
	STR("\xf0\x9f\x98\""),		/* truncated before a quote */
	STR("\xf0\x9f\x98\\"),		/* truncated before a backslash */
	STR("\xc3\xc3\xa9"),
	STR("\xc3\xa9\xe6\x97\xa5\xf0\x9f\x98\x80"),
	STR("\"\\\0\x01\x7f\x80\xc2\x85\xff\xed\xa0\x80\xf0\x9f\x98\x80\\xff"),
	/* the bidi controls: \uXXXX in the text; their neighbours stay raw */
	STR("\xd8\x9c"), STR("\xe2\x80\x8e"), STR("\xe2\x80\x8f"), STR("\xe2\x80\xaa"),
	STR("\xe2\x80\xab"), STR("\xe2\x80\xac"), STR("\xe2\x80\xad"), STR("\xe2\x80\xae"),
	STR("\xe2\x81\xa6"), STR("\xe2\x81\xa7"), STR("\xe2\x81\xa8"), STR("\xe2\x81\xa9"),
	STR("abc\xe2\x80\xae" "fdp.exe"), STR("\xd8\x9b\xe2\x80\x8d\xe2\x80\xaf\xe2\x81\xa5\xe2\x81\xaa"),
	STR("\xe2\x80"), STR("\xe2\x80\xae\xff\\\""),
};

/* ---- pseudo-random byte strings (tap_rng, as test-strutils.c) ---- */

#define PIECE(lit) { lit, sizeof(lit) - 1 }

static const struct piece {
	const char *s;
	size_t n;
} pieces[] = {
	PIECE("\xc3\xa9"), PIECE("\xe6\x97\xa5"), PIECE("\xf0\x9f\x98\x80"), PIECE("\xc2\x85"),
	PIECE("\xc2\xa0"), PIECE("\xef\xbf\xbe"), PIECE("\xf4\x8f\xbf\xbf"), PIECE("\xed\x9f\xbf"),
	PIECE("\\"), PIECE("\\x41"), PIECE("\\xff"), PIECE("\n"), PIECE("\t"), PIECE("\""),
	PIECE("\0"), PIECE("\xed\xa0\x80"), PIECE("\xc0\xaf"), PIECE("\xf4\x90\x80\x80"),
	PIECE("\xe0\x80\xaf"), PIECE("\x7f"), PIECE("\xe2\x80\xae"), PIECE("\xd8\x9c"),
	PIECE("\xe2\x81\xa6"),
};

/* Fills buf with up to max bytes biased towards interesting ones; returns the length. */
static size_t random_bytes(unsigned char *buf, size_t max)
{
	size_t n = 0, want = tap_rng() % (max + 1);

	while (n < want) {
		uint64_t r = tap_rng();
		unsigned kind = r % 10;

		r >>= 8;
		if (kind < 3) {			/* printable ASCII */
			buf[n++] = 0x20 + r % 0x5f;
		} else if (kind == 3) {		/* any byte */
			buf[n++] = r & 0xff;
		} else if (kind == 4) {		/* control or DEL */
			unsigned char c = r % 0x21;

			buf[n++] = c == 0x20 ? 0x7f : c;
		} else if (kind == 5) {		/* a high byte */
			buf[n++] = 0x80 | (r & 0x7f);
		} else if (kind == 6) {		/* JSON's own specials */
			static const char special[] = { '\0', '"', '\\' };

			buf[n++] = (unsigned char)special[r % 3];
		} else {			/* a piece, maybe cut short */
			const struct piece *p = &pieces[r % (sizeof(pieces) / sizeof(pieces[0]))];
			size_t len, k;

			len = p->n;
			if ((r >> 8) % 4 == 0 && len > 1)
				len = 1 + (r >> 16) % (len - 1);
			for (k = 0; k < len && n < max; k++)
				buf[n++] = (unsigned char)p->s[k];
		}
	}
	return n;
}

#define NRANDOM 20000
#define MAXLEN 64

static void report_stats(const struct str_stats *st, const char *what)
{
	is_int(st->not_json, 0, "%s: every jw_strn() output parses as JSON (%zu strings)", what,
	       st->checked);
	is_int(st->not_string, 0, "%s: every jw_strn() output is a JSON string", what);
	is_int(st->differ, 0, "%s: parsed back, it equals escape_bytes(ESCAPE_JSON) byte for byte",
	       what);
	is_int(st->not_jansson_text, 0, "%s: the text is what jansson writes for that string",
	       what);
	is_int(st->raw_nul, 0, "%s: no raw NUL in the text", what);
	is_int(st->over_max, 0, "%s: never more than ESCAPE_JSON_MAX(n) + 2 bytes", what);
}

static void test_strings(void)
{
	struct str_stats st = { 0 };
	unsigned char in[MAXLEN];
	size_t i, into_bad = 0, nul_seen = 0, invalid_seen = 0, special_seen = 0;
	struct jw w;
	char *s;

	/* exact text for a few, as jansson writes them */
	{
		static const struct { const char *in; size_t n; const char *want; } exact[] = {
			{ "", 0, "\"\"" },
			{ "x", 1, "\"x\"" },
			{ "\"", 1, "\"\\\"\"" },
			{ "\\", 1, "\"\\\\\\\\\"" },	/* '\' -> "\\" -> "\\\\" in JSON */
			{ "\\xff", 4, "\"\\\\\\\\xff\"" },
			{ "\xff", 1, "\"\\\\xff\"" },
			{ "\0", 1, "\"\\\\x00\"" },
			{ "a\0b", 3, "\"a\\\\x00b\"" },
			{ "\b\t\n\v\f\r", 6, "\"\\b\\t\\n\\u000B\\f\\r\"" },
			{ "\x01\x1f", 2, "\"\\u0001\\u001F\"" },
			{ "\x7f", 1, "\"\x7f\"" },
			{ "/", 1, "\"/\"" },
			{ "\xc2\x85", 2, "\"\xc2\x85\"" },
			{ "\xf0\x9f\x98\x80", 4, "\"\xf0\x9f\x98\x80\"" },
			{ "\xed\xa0\x80", 3, "\"\\\\xed\\\\xa0\\\\x80\"" },
			{ "\xf0\x9f\x98", 3, "\"\\\\xf0\\\\x9f\\\\x98\"" },
		};

		for (i = 0; i < sizeof(exact) / sizeof(exact[0]); i++) {
			char name[128];

			snprintf(name, sizeof(name), "jw_strn(\"%s\") text",
				 vis(exact[i].in, exact[i].n));
			jw_init(&w, NULL);
			jw_strn(&w, exact[i].in, exact[i].n);
			check_text(&w, exact[i].want, name);
		}
	}

	/* jw_str() is jw_strn() up to the first NUL */
	jw_init(&w, NULL);
	jw_str(&w, "a\"b\xff");
	check_text(&w, "\"a\\\"b\\\\xff\"", "jw_str() escapes like jw_strn()");

	for (i = 0; i < 256; i++) {
		char c = (char)i;

		str_check(&c, 1, &st);
		into_bad += !into_check(&c, 1);
	}
	report_stats(&st, "every single byte");

	memset(&st, 0, sizeof(st));
	for (i = 0; i < sizeof(nasty) / sizeof(nasty[0]); i++) {
		str_check(nasty[i].s, nasty[i].n, &st);
		if (!into_check(nasty[i].s, nasty[i].n) && !into_bad++)
			printf("#   escape_json_into overflow for %s\n", nasty[i].name);
	}
	report_stats(&st, "nasty strings");

	memset(&st, 0, sizeof(st));
	for (i = 0; i < NRANDOM; i++) {
		size_t n = random_bytes(in, MAXLEN);
		json_t *raw = json_stringn((const char *)in, n);

		if (memchr(in, 0, n))
			nul_seen++;
		if (memchr(in, '"', n) && memchr(in, '\\', n))
			special_seen++;
		if (!raw)
			invalid_seen++;
		json_decref(raw);
		str_check((const char *)in, n, &st);
		if (!into_check((const char *)in, n) && !into_bad++)
			tap_hexdump("escape_json_into overflow for", in, n);
	}
	ok(nul_seen > NRANDOM / 10 && invalid_seen > NRANDOM / 4 && special_seen > NRANDOM / 10,
	   "random strings include NUL (%zu), invalid UTF-8 (%zu), '\"' with '\\' (%zu)",
	   nul_seen, invalid_seen, special_seen);
	report_stats(&st, "random strings");

	/* the worst cases: every byte at its longest */
	{
		static const struct { char c; size_t per; } worst[] = {
			{ '\x01', 6 }, { '\x1f', 6 }, { '\0', 5 }, { '\xff', 5 }, { '\x80', 5 },
			{ '\\', 4 }, { '"', 2 }, { '\n', 2 }, { 'a', 1 },
		};
		char buf[100];

		for (i = 0; i < sizeof(worst) / sizeof(worst[0]); i++) {
			char *out = malloc(ESCAPE_JSON_MAX(sizeof(buf)));
			size_t r;

			memset(buf, worst[i].c, sizeof(buf));
			r = escape_json_into(out, buf, sizeof(buf));
			is_int(r, worst[i].per * sizeof(buf),
			       "escape_json_into: 100 bytes 0x%02x take %zu bytes each",
			       (unsigned char)worst[i].c, worst[i].per);
			into_bad += !into_check(buf, sizeof(buf));
			free(out);
		}
	}
	is_int(into_bad, 0, "escape_json_into never writes past what it returns, "
	       "nor more than ESCAPE_JSON_MAX(n)");

	/* many strings in one array parse back element by element */
	jw_init(&w, NULL);
	jw_arr_begin(&w);
	for (i = 0; i < sizeof(nasty) / sizeof(nasty[0]); i++)
		jw_strn(&w, nasty[i].s, nasty[i].n);
	jw_arr_end(&w);
	s = take(&w, NULL);
	{
		json_t *j = json_loads(s, 0, NULL);
		size_t bad = 0;

		ok(json_array_size(j) == sizeof(nasty) / sizeof(nasty[0]),
		   "the nasty strings in one array: jansson sees every element");
		for (i = 0; i < json_array_size(j); i++) {
			char *want = escape_bytes(nasty[i].s, nasty[i].n, ESCAPE_JSON);

			bad += !json_string_value(json_array_get(j, i)) ||
			       strcmp(json_string_value(json_array_get(j, i)), want) != 0;
			free(want);
		}
		is_int(bad, 0, "the nasty strings in one array: each equals escape_bytes()");
		json_decref(j);
	}
	free(s);
}

/*
 * Strings at their longest (6 bytes a byte) that end right at the edge of
 * the memory writer's buffer (4096 bytes, then doubled): a writer that
 * reserves too little overruns it by a byte or two, which ASan sees.
 */
static void test_tight_fit(void)
{
	static const size_t edges[] = { 4096, 8192 };
	char in[2000], *want = malloc(8192 + 64);
	size_t e, k, n, bad = 0, tried = 0;

	memset(in, '\x01', sizeof(in));
	for (e = 0; e < sizeof(edges) / sizeof(edges[0]); e++) {
		for (k = 0; k < 12; k++) {
			for (n = (edges[e] - 8 - k) / 6; k + 6 * n + 2 <= edges[e] + 4; n++) {
				struct jw w;
				char *s, *o = want;
				size_t len, i;

				memset(o, 'x', k);
				o += k;
				*o++ = '"';
				for (i = 0; i < n; i++)
					o += sprintf(o, "\\u0001");
				*o++ = '"';
				*o = '\0';
				jw_init(&w, NULL);
				jw_raw(&w, want, k);
				jw_strn(&w, in, n);
				s = take(&w, &len);
				tried++;
				if ((len != (size_t)(o - want) || strcmp(s, want) != 0) && !bad++)
					printf("#   %zu bytes, then %zu control characters: wrong text\n",
					       k, n);
				free(s);
			}
		}
	}
	is_int(bad, 0, "strings ending at the edge of the buffer (%zu cases)", tried);
	free(want);
}

/* ---- streaming: a FILE writer and a memory writer agree ---- */

#define NVALUES 200000
#define BIG (100 * 1024)

/* The same sequence every time: a local generator, reset on each call. */
static void write_sequence(struct jw *w)
{
	uint64_t state = UINT64_C(0x0123456789abcdef);
	static char big[BIG];
	unsigned char small[MAXLEN];
	size_t i, k;

	jw_arr_begin(w);
	jw_raws(w, "\n");
	jw_sep(w, ",\n");
	for (i = 0; i < NVALUES; i++) {
		uint64_t r;

		state ^= state >> 12;
		state ^= state << 25;
		state ^= state >> 27;
		r = state * UINT64_C(0x2545f4914f6cdd1d);
		switch (i % 10) {
		case 0:
			jw_obj_begin(w);
			jw_key(w, "i");
			jw_u64(w, i);
			jw_key(w, "r");
			jw_u64(w, r);
			jw_key(w, "s");
			jw_s64(w, (int64_t)r);
			jw_key(w, "x");
			jw_real(w, (double)(r % 100000) / 100.0);
			jw_key(w, "b");
			jw_bool(w, r & 1);
			jw_obj_end(w);
			break;
		case 1:
			jw_s64(w, -(int64_t)(r >> 1));
			break;
		case 2:
			jw_u64(w, r >> (r % 64));
			break;
		case 3:
			jw_real(w, (double)r / 7.0);
			break;
		case 4:
			jw_null(w);
			break;
		case 5:
			jw_str(w, "plain text value");
			break;
		case 6: {
			size_t n = r % (MAXLEN + 1);

			for (k = 0; k < n; k++) {
				r = r * UINT64_C(6364136223846793005) + 1442695040888963407;
				small[k] = (unsigned char)(r >> 56);
			}
			jw_strn(w, (const char *)small, n);
			break;
		}
		case 7:
			jw_arr_begin(w);
			jw_s64(w, (int64_t)i);
			jw_str(w, "\xff\\\"");
			jw_arr_end(w);
			break;
		default:
			if (i % 20000 == 9) {
				/* 100 KiB: plain, then every byte escaped (600 KiB of text) */
				for (k = 0; k < BIG; k++)
					big[k] = (char)('a' + (k + i) % 26);
				jw_strn(w, big, BIG);
				for (k = 0; k < BIG; k++) {
					r = r * UINT64_C(6364136223846793005) + 1442695040888963407;
					big[k] = (char)(r >> 56);
				}
				jw_strn(w, big, BIG);
			} else if (i % 20000 == 19) {
				memset(big, 0xff, BIG);
				jw_strn(w, big, BIG);
			} else {
				jw_bool(w, i & 2);
			}
			break;
		}
	}
	jw_raws(w, "\n");
	jw_arr_end(w);
	jw_raws(w, "\n");
}

static void test_streaming(void)
{
	struct jw w;
	FILE *f = tmpfile();
	char *mem, *file = NULL;
	size_t mem_len = 0;
	long file_len = -1;
	json_t *j;
	json_error_t err;

	jw_init(&w, NULL);
	write_sequence(&w);
	mem = take(&w, &mem_len);
	is_int(jw_finish(&w), 0, "memory writer: jw_finish after jw_take returns 0");

	ok(f != NULL, "tmpfile()");
	if (f) {
		jw_init(&w, f);
		write_sequence(&w);
		is_int(jw_finish(&w), 0, "FILE writer: jw_finish returns 0");
		file_len = ftell(f);
		rewind(f);
		file = malloc(file_len > 0 ? (size_t)file_len : 1);
		if (file_len > 0 && fread(file, 1, (size_t)file_len, f) != (size_t)file_len)
			file_len = -2;
		fclose(f);
	}
	ok(mem_len > 100 * 64 * 1024, "the sequence crosses the 64 KiB flush boundary often "
	   "(%zu bytes)", mem_len);
	is_int(file_len, mem_len, "FILE and memory writers write as many bytes");
	ok(file && file_len == (long)mem_len && memcmp(file, mem, mem_len) == 0,
	   "FILE and memory writers write the same bytes");
	if (file && file_len == (long)mem_len) {
		size_t i;

		for (i = 0; i < mem_len && file[i] == mem[i]; i++)
			;
		if (i < mem_len)
			printf("#   first difference at byte %zu\n", i);
	}
	is_int(strlen(mem), mem_len, "memory writer: no NUL inside, NUL at the end");

	j = json_loadb(mem, mem_len, 0, &err);
	ok(j != NULL, "the streamed text parses as JSON");
	if (!j)
		printf("#   %s at line %d column %d\n", err.text, err.line, err.column);
	/* every 20000th value i % 20000 == 9 is two strings */
	is_int(json_array_size(j), NVALUES + NVALUES / 20000, "jansson sees every value written");
	{
		/* the big strings came through whole */
		json_t *b = json_array_get(j, 9);
		char *ff = malloc(BIG), *want;

		ok(json_string_length(b) == BIG && json_string_value(b)[0] == 'j' &&
		   json_string_value(b)[BIG - 1] == 'a' + (BIG - 1 + 9) % 26,
		   "a 100 KiB string comes through whole");
		memset(ff, 0xff, BIG);
		want = escape_bytes(ff, BIG, ESCAPE_JSON);
		b = json_array_get(j, 20);	/* i = 19, after the two of i = 9 */
		ok(json_string_value(b) && strcmp(json_string_value(b), want) == 0,
		   "100 KiB of 0xff (600 KiB of text) comes through whole");
		free(want);
		free(ff);
	}
	json_decref(j);
	free(file);
	free(mem);
}

/* ---- write errors ---- */

static void test_write_errors(void)
{
	struct jw w;
	FILE *f = fopen("/dev/full", "w");
	size_t i;

	if (!f) {
		ok(true, "/dev/full: small write # SKIP no /dev/full");
		ok(true, "/dev/full: large write # SKIP no /dev/full");
		return;
	}
	/* fits in every buffer: the error comes from the final fflush */
	jw_init(&w, f);
	jw_arr_begin(&w);
	jw_s64(&w, 1);
	jw_arr_end(&w);
	is_int(jw_finish(&w), -ENOSPC, "/dev/full: small write, jw_finish returns -ENOSPC");
	fclose(f);

	/* many flushes: the first error sticks, and writing on is harmless */
	f = fopen("/dev/full", "w");
	jw_init(&w, f);
	jw_arr_begin(&w);
	for (i = 0; i < 100000; i++)
		jw_str(&w, "some text to fill the buffer");
	jw_arr_end(&w);
	is_int(w.err, -ENOSPC, "/dev/full: large write, the error is seen before jw_finish");
	is_int(jw_finish(&w), -ENOSPC, "/dev/full: large write, jw_finish returns -ENOSPC");
	fclose(f);
}

/*
 * A stream whose one write(2) number fail_at fails (ENOSPC) and every
 * other succeeds, as a transient error would: what it received must be a
 * prefix of the document, never the document with a hole in it.
 */
struct flaky {
	char *got;
	size_t len, cap;
	unsigned calls, fail_at, after_failure;
};

static ssize_t flaky_write(void *cookie, const char *buf, size_t n)
{
	struct flaky *fl = cookie;

	if (++fl->calls == fl->fail_at) {
		errno = ENOSPC;
		return 0;
	}
	if (fl->calls > fl->fail_at)
		fl->after_failure++;
	if (fl->len + n > fl->cap) {
		fl->cap = (fl->len + n) * 2;
		fl->got = realloc(fl->got, fl->cap);
	}
	memcpy(fl->got + fl->len, buf, n);
	fl->len += n;
	return (ssize_t)n;
}

static void test_write_failing_midway(void)
{
	static const cookie_io_functions_t io = { .write = flaky_write };
	struct flaky fl = { .fail_at = 3 };
	struct jw w;
	size_t mem_len;
	char *mem;
	FILE *f = fopencookie(&fl, "w", io);

	jw_init(&w, NULL);
	write_sequence(&w);
	mem = take(&w, &mem_len);
	jw_finish(&w);

	ok(f != NULL, "fopencookie()");
	if (!f) {
		free(mem);
		return;
	}
	jw_init(&w, f);
	write_sequence(&w);
	is_int(jw_finish(&w), -ENOSPC, "write 3 of many fails: jw_finish returns its errno, -ENOSPC");
	ok(ferror(f), "write 3 of many fails: the stream's error flag stays set");
	is_int(fl.after_failure, 0, "write 3 of many fails: nothing is written after it");
	ok(fl.len > 0 && fl.len < mem_len && memcmp(fl.got, mem, fl.len) == 0,
	   "write 3 of many fails: what got out is a prefix of the document (%zu of %zu bytes)",
	   fl.len, mem_len);
	fclose(f);
	free(fl.got);
	free(mem);
}

/* ---- jw_take and jw_finish on memory writers ---- */

static void test_take(void)
{
	struct jw w;
	char *s;

	jw_init(&w, NULL);
	s = jw_take(&w);
	ok(s != NULL, "jw_take on an empty writer: not NULL");
	is_str(s, "", "jw_take on an empty writer: \"\"");
	free(s);
	is_int(jw_finish(&w), 0, "jw_finish after jw_take: 0");

	jw_init(&w, NULL);
	jw_s64(&w, 5);
	is_int(jw_finish(&w), 0, "jw_finish on a memory writer without jw_take: 0, freed");
}

int main(void)
{
	test_layout();
	test_numbers();
	test_strings();
	test_tight_fit();
	test_streaming();
	test_write_errors();
	test_write_failing_midway();
	test_take();
	return tap_done();
}

/*
 * Unit tests of column.h: every value type as JSON (compared as the text
 * jsonw.h writes, and parsed back by jansson) and as table text, time and duration formatting, the
 * verdict columns, the consistency of every kind's column table with the
 * JSON contract (the key lists below are the schema scripts rely on), and
 * parse_duration (--min-age).
 */
#include "config.h"

#include <jansson.h>
#include <locale.h>
#include <pwd.h>
#include <grp.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <strings.h>
#include <time.h>

#include "cli.h"
#include "column.h"
#include "facts.h"
#include "fifo.h"
#include "idcache.h"
#include "jsonw.h"
#include "kind.h"
#include "model.h"
#include "msg.h"
#include "pipe.h"
#include "posix.h"
#include "sem.h"
#include "shm.h"
#include "strutils.h"
#include "tap.h"
#include "unixsock.h"
#include "verdict.h"
#include "xalloc.h"

static struct render_opts opts;

/*
 * The JSON the writer made for one value, parsed back by jansson (an
 * oracle we did not write): NULL, with a note, when it is not JSON.
 */
static json_t *parse_back(const char *text)
{
	json_error_t err;
	json_t *j = text ? json_loads(text, JSON_DECODE_ANY, &err) : NULL;

	if (!j)
		printf("#   not JSON (%s): %s\n", text ? err.text : "no text", text ? text : "");
	return j;
}

static void check_value(const struct value *v, const char *want_json, const char *want_text,
			const char *name)
{
	char *js = value_json_text(v, &opts);
	char *text = value_to_text(v, &opts);
	json_t *j = parse_back(js);

	is_str(js, want_json, "%s: JSON", name);
	ok(j != NULL, "%s: JSON that jansson parses", name);
	is_str(text, want_text, "%s: text", name);
	free(js);
	free(text);
	json_decref(j);
}

static void test_numbers(void)
{
	struct value v;

	VALUE_U64(&v, 0);
	check_value(&v, "0", "0", "u64 0");
	VALUE_U64(&v, UINT64_C(1) << 53);
	check_value(&v, "9007199254740992", "9007199254740992", "u64 2^53: a number");
	VALUE_U64(&v, (UINT64_C(1) << 53) + 1);
	check_value(&v, "\"9007199254740993\"", "9007199254740993", "u64 2^53+1: a string");
	VALUE_U64(&v, UINT64_C(18446744073692774399));
	check_value(&v, "\"18446744073692774399\"", "18446744073692774399", "u64 shmmax default");
	VALUE_U64(&v, UINT64_MAX);
	check_value(&v, "\"18446744073709551615\"", "18446744073709551615", "u64 UINT64_MAX");

	VALUE_S64(&v, -1);
	check_value(&v, "-1", "-1", "s64 -1");
	VALUE_S64(&v, INT64_MIN);
	check_value(&v, "-9223372036854775808", "-9223372036854775808", "s64 INT64_MIN");
	VALUE_S64(&v, INT64_MAX);
	check_value(&v, "9223372036854775807", "9223372036854775807", "s64 INT64_MAX");

	value_set(&v, VAL_BOOL);
	v.u.b = true;
	check_value(&v, "true", "yes", "bool true");
	v.u.b = false;
	check_value(&v, "false", "no", "bool false");

	value_set(&v, VAL_NULL);
	check_value(&v, "null", "-", "null");
	value_set(&v, VAL_CUSTOM);
	check_value(&v, "null", "-", "custom without its column: null");
}

static void check_percent(double p, const char *want_json, const char *want_text)
{
	struct value v;
	json_t *j;
	char *s;

	value_set(&v, VAL_PERCENT);
	v.u.percent = p;
	s = value_json_text(&v, &opts);
	j = parse_back(s);
	ok(json_is_real(j) && json_real_value(j) == p, "percent %s: a JSON real", want_text);
	is_str(s, want_json, "percent %s: JSON as written", want_text);
	free(s);
	json_decref(j);
	s = value_to_text(&v, &opts);
	is_str(s, want_text, "percent %s: text", want_text);
	free(s);
}

static void test_percent(void)
{
	check_percent(0.0, "0.0", "0.00%");
	check_percent(12.34, "12.34", "12.34%");
	check_percent(33.33, "33.33", "33.33%");
	check_percent(100.0, "100.0", "100.00%");
	check_percent(250.5, "250.5", "250.50%");
}

static void test_ipc_values(void)
{
	struct value v;

	VALUE_U32(&v, VAL_KEY, 42);
	check_value(&v, "\"0x0000002a\"", "0x0000002a", "key 42");
	VALUE_U32(&v, VAL_KEY, 0x9b573529);
	check_value(&v, "\"0x9b573529\"", "0x9b573529", "key 0x9b573529");
	VALUE_U32(&v, VAL_KEY, 0);
	check_value(&v, "\"0x00000000\"", "0x00000000", "key IPC_PRIVATE");
	VALUE_U32(&v, VAL_KEY, UINT32_MAX);
	check_value(&v, "\"0xffffffff\"", "0xffffffff", "key UINT32_MAX");

	VALUE_TYPED_U64(&v, VAL_DEV, makedev(8, 1));
	check_value(&v, "\"8:1\"", "8:1", "dev 8:1");
	VALUE_TYPED_U64(&v, VAL_DEV, makedev(259, 1048575));
	check_value(&v, "\"259:1048575\"", "259:1048575", "dev with a 20-bit minor");

	VALUE_U32(&v, VAL_PERMS, 0640);
	check_value(&v, "\"0640\"", "0640", "perms 0640");
	VALUE_U32(&v, VAL_PERMS, 0);
	check_value(&v, "\"0000\"", "0000", "perms 0");
	VALUE_U32(&v, VAL_PERMS, 0777);
	check_value(&v, "\"0777\"", "0777", "perms 0777");
	VALUE_U32(&v, VAL_PERMS, 07777);
	check_value(&v, "\"7777\"", "7777", "perms 07777: four digits, all used");
	VALUE_U32(&v, VAL_PERMS, 010644);
	check_value(&v, "\"10644\"", "10644", "perms above 07777: every digit, not four");
	VALUE_U32(&v, VAL_KEY, 0x80000001);
	check_value(&v, "\"0x80000001\"", "0x80000001", "key with the top bit set");

	VALUE_TYPED_S64(&v, VAL_TIME, 0);
	check_value(&v, "null", "-", "time 0 (never)");

	VALUE_TYPED_U64(&v, VAL_SIZE, 1536);
	opts.bytes = false;
	check_value(&v, "1536", "1.5K", "size 1536, human");
	opts.bytes = true;
	check_value(&v, "1536", "1536", "size 1536, --bytes");
	VALUE_TYPED_U64(&v, VAL_SIZE, 0);
	check_value(&v, "0", "0", "size 0, --bytes");
	opts.bytes = false;
	check_value(&v, "0", "0B", "size 0, human");
	VALUE_TYPED_U64(&v, VAL_SIZE, UINT64_MAX);
	check_value(&v, "\"18446744073709551615\"", "16E", "size UINT64_MAX, human");
	opts.bytes = true;
	check_value(&v, "\"18446744073709551615\"", "18446744073709551615", "size UINT64_MAX, --bytes");
	VALUE_TYPED_U64(&v, VAL_SIZE, (UINT64_C(1) << 53) + 1);
	check_value(&v, "\"9007199254740993\"", "9007199254740993", "size 2^53+1, --bytes");
	opts.bytes = false;

	value_set(&v, VAL_FLAGS);
	check_value(&v, "[]", "-", "no flags");
	v.flags[v.nflags++] = "dest";
	check_value(&v, "[\"dest\"]", "dest", "one flag");
	v.flags[v.nflags++] = "locked";
	check_value(&v, "[\"dest\", \"locked\"]", "dest,locked", "two flags");
	v.flags[v.nflags++] = "c";
	v.flags[v.nflags++] = "d";
	check_value(&v, "[\"dest\", \"locked\", \"c\", \"d\"]", "dest,locked,c,d",
		    "VALUE_MAX_FLAGS flags");
}

static void test_strings(void)
{
	struct value v;
	json_t *j;
	char *s;

	VALUE_STR(&v, "plain");
	check_value(&v, "\"plain\"", "plain", "plain string");
	VALUE_STR(&v, "caf\xc3\xa9 \xe6\x97\xa5");
	check_value(&v, "\"caf\xc3\xa9 \xe6\x97\xa5\"", "caf\xc3\xa9 \xe6\x97\xa5", "UTF-8 string");
	/*
	 * JSON is escaped here; table text is the raw bytes, because
	 * libsmartcols encodes every cell it prints (util-linux's \xHH): text
	 * escaped here as well would come out escaped twice ("\x5cxff").
	 */
	VALUE_STR(&v, "a\xff" "b\n\x01\\");
	check_value(&v, "\"a\\\\xffb\\n\\u0001\\\\\\\\\"", "a\xff" "b\n\x01\\",
		    "invalid UTF-8, newline, control, backslash (text raw)");
	VALUE_STR(&v, "\xed\xa0\x80\xc2\x85\x1b[2J");
	check_value(&v, "\"\\\\xed\\\\xa0\\\\x80\xc2\x85\\u001B[2J\"", "\xed\xa0\x80\xc2\x85\x1b[2J",
		    "surrogate, C1 control, terminal escape (text raw)");
	VALUE_STR(&v, "\\xff");
	check_value(&v, "\"\\\\\\\\xff\"", "\\xff",
		    "a literal backslash-x: JSON doubles the backslash, text keeps it single");
	VALUE_STR(&v, "tab\there");
	check_value(&v, "\"tab\\there\"", "tab\there", "tab (text raw)");
	VALUE_STR(&v, "");
	check_value(&v, "\"\"", "", "empty string");

	/* the JSON of arbitrary bytes is always a valid JSON string */
	VALUE_STR(&v, "\xc0\xaf\xf4\x90\x80\x80\xe6\x97");
	s = value_json_text(&v, &opts);
	j = parse_back(s);
	ok(json_is_string(j), "invalid UTF-8 becomes a JSON string, not null");
	json_decref(j);
	free(s);
}

/* A uid (gid) with no name on this system, from 4242 up. */
static uint32_t unnamed_uid(void)
{
	uint32_t id = 4242;

	while (getpwuid(id))
		id++;
	return id;
}

static uint32_t unnamed_gid(void)
{
	uint32_t id = 4242;

	while (getgrgid(id))
		id++;
	return id;
}

static void test_names(void)
{
	struct value v;
	char want[32];
	uint32_t uid = unnamed_uid(), gid = unnamed_gid();
	int i;

	VALUE_U32(&v, VAL_USER, 0);
	check_value(&v, "\"root\"", "root", "user 0");
	VALUE_U32(&v, VAL_GROUP, 0);
	check_value(&v, "\"root\"", "root", "group 0");
	VALUE_U32(&v, VAL_USER, uid);
	snprintf(want, sizeof(want), "%u", uid);
	check_value(&v, "null", want, "user without a name");
	VALUE_U32(&v, VAL_GROUP, gid);
	snprintf(want, sizeof(want), "%u", gid);
	check_value(&v, "null", want, "group without a name");
	VALUE_U32(&v, VAL_USER, UINT32_MAX);
	check_value(&v, "null", "4294967295", "user (uid_t)-1");

	/* from the cache now: the same answers */
	VALUE_U32(&v, VAL_USER, 0);
	check_value(&v, "\"root\"", "root", "user 0 again (cached)");
	VALUE_U32(&v, VAL_USER, uid);
	snprintf(want, sizeof(want), "%u", uid);
	check_value(&v, "null", want, "user without a name again (cached)");

	/* many ids: the cache grows past its first 64 slots and keeps answers */
	for (i = 0; i < 200; i++)
		idcache_name(opts.users, 100000 + (uint32_t)i * 64);
	ok(idcache_name(opts.users, 0) && strcmp(idcache_name(opts.users, 0), "root") == 0,
	   "uid 0 still root after the cache grew");
	ok(idcache_name(opts.users, uid) == NULL, "unnamed uid still NULL after the cache grew");
}

/* ---- judged pids and holders (doc/kernel-facts.md, "Pid reuse") ---- */

static void test_actors(void)
{
	struct proc_facts pg = { .pid = 1234, .tgid = 1200, .comm = (char *)"postgres", .state = 'S' };
	struct proc_facts raw = { .pid = 77, .tgid = 77, .comm = (char *)"a\xff" "b\n\x01\\",
				  .state = 'S' };
	struct actor a;
	struct value v;

	/* --no-owners: not judged; JSON null, the table shows the recorded pid, '-' for 0 */
	a = (struct actor){ .pid = 1234, .state = ACTOR_UNJUDGED, .event = "ctime" };
	VALUE_ACTOR(&v, &a);
	check_value(&v, "null", "1234", "actor not judged (--no-owners)");
	a = (struct actor){ .pid = 0, .state = ACTOR_UNJUDGED, .event = "atime" };
	check_value(&v, "null", "-", "actor not judged, pid 0: nobody");

	a = (struct actor){ .pid = 0, .state = ACTOR_NONE, .reason = WHY_NONE, .event = "atime" };
	check_value(&v, "null", "-", "nobody ever acted");

	a = (struct actor){ .pid = 1234, .state = ACTOR_ALIVE, .reason = WHY_STARTED_BEFORE,
			    .event = "ctime", .proc = &pg };
	check_value(&v, "{\"pid\": 1234, \"tgid\": 1200, \"alive\": true, \"comm\": \"postgres\", "
		    "\"why\": \"started before ctime\"}", "postgres[1234]", "alive, started before");
	a.reason = WHY_SAME_SECOND;
	a.event = "atime";
	check_value(&v, "{\"pid\": 1234, \"tgid\": 1200, \"alive\": true, \"comm\": \"postgres\", "
		    "\"why\": \"started in the same second as atime\"}",
		    "postgres[1234]", "alive, started in the event's second");

	a = (struct actor){ .pid = 1234, .state = ACTOR_GONE, .reason = WHY_EXITED, .event = "ctime" };
	check_value(&v, "{\"pid\": 1234, \"tgid\": null, \"alive\": false, \"comm\": null, "
		    "\"why\": \"exited\"}", "1234 (exited)", "gone, exited");
	a.reason = WHY_ZOMBIE;
	check_value(&v, "{\"pid\": 1234, \"tgid\": null, \"alive\": false, \"comm\": null, "
		    "\"why\": \"exited, not yet reaped (zombie)\"}", "1234 (zombie)", "gone, zombie");
	a.reason = WHY_REUSED;
	a.event = "stime";
	check_value(&v, "{\"pid\": 1234, \"tgid\": null, \"alive\": false, \"comm\": null, "
		    "\"why\": \"pid reused by a process started after stime\"}", "1234 (reused)",
		    "gone, pid reused");

	a = (struct actor){ .pid = 0, .state = ACTOR_UNKNOWN, .reason = WHY_NOT_VISIBLE,
			    .event = "stime" };
	check_value(&v, "{\"pid\": 0, \"tgid\": null, \"alive\": null, \"comm\": null, "
		    "\"why\": \"not visible in this pid namespace\"}", "0 (?)", "unknown, not visible");
	a = (struct actor){ .pid = 99, .state = ACTOR_UNKNOWN, .reason = WHY_NO_TIME, .event = "rtime" };
	check_value(&v, "{\"pid\": 99, \"tgid\": null, \"alive\": null, \"comm\": null, "
		    "\"why\": \"no rtime recorded to judge the pid by\"}", "99 (?)", "unknown, no time");
	a.reason = WHY_CLOCK_STEPPED;
	check_value(&v, "{\"pid\": 99, \"tgid\": null, \"alive\": null, \"comm\": null, "
		    "\"why\": \"the clock was stepped since boot: pid reuse cannot be judged\"}", "99 (?)",
		    "unknown, clock stepped");

	/* a comm is untrusted bytes: escaped in JSON, raw in the table text */
	a = (struct actor){ .pid = 77, .state = ACTOR_ALIVE, .reason = WHY_STARTED_BEFORE,
			    .event = "ctime", .proc = &raw };
	check_value(&v, "{\"pid\": 77, \"tgid\": 77, \"alive\": true, "
		    "\"comm\": \"a\\\\xffb\\n\\u0001\\\\\\\\\", \"why\": \"started before ctime\"}",
		    "a\xff" "b\n\x01\\[77]", "alive, comm of raw bytes");
}

static void test_holders(void)
{
	uint32_t unnamed = 4242;
	struct proc_facts pg = { .pid = 10, .tgid = 10, .comm = (char *)"postgres", .euid = 0 };
	struct proc_facts cat = { .pid = 12, .tgid = 12, .comm = (char *)"cat" };
	struct proc_facts raw = { .pid = 13, .tgid = 13, .comm = (char *)"\x1b]0;x\a" };
	struct holder maps[] = {
		{ .pid = 10, .fd = -1, .mappings = 2, .proc = &pg },
		{ .pid = 11, .fd = -1, .mappings = 1, .proc = NULL },	/* exited before facts */
	};
	struct holder fds[] = {
		{ .pid = 12, .fd = 3, .proc = &cat },
		{ .pid = 13, .fd = 0, .proc = &raw },
	};
	struct value v;

	while (getpwuid(unnamed))
		unnamed++;
	cat.euid = unnamed;
	raw.euid = 0;

	/* not exhaustive (--no-owners, or unreadable processes): empty is unknown */
	value_holders(&v, NULL, 0, false, false);
	check_value(&v, "null", "?", "holders not exhaustive, none seen: unknown");
	value_holders(&v, maps, 2, false, false);
	check_value(&v, "[{\"pid\": 10, \"comm\": \"postgres\", \"user\": \"root\", \"mappings\": 2}, "
		    "{\"pid\": 11, \"comm\": null, \"user\": null, \"mappings\": 1}]",
		    "postgres[10]x2,[11]", "holders not exhaustive, some seen: who was seen");
	value_holders(&v, NULL, 0, true, false);
	check_value(&v, "[]", "-", "scanned, nobody holds it");
	value_holders(&v, maps, 1, true, false);
	check_value(&v, "[{\"pid\": 10, \"comm\": \"postgres\", \"user\": \"root\", \"mappings\": 2}]",
		    "postgres[10]x2", "one process mapping it twice");
	value_holders(&v, maps, 2, true, false);
	check_value(&v, "[{\"pid\": 10, \"comm\": \"postgres\", \"user\": \"root\", \"mappings\": 2}, "
		    "{\"pid\": 11, \"comm\": null, \"user\": null, \"mappings\": 1}]",
		    "postgres[10]x2,[11]", "mappings; a holder without facts has comm and user null");
	value_holders(&v, fds, 1, true, true);
	check_value(&v, "[{\"pid\": 12, \"comm\": \"cat\", \"user\": null, \"fd\": 3}]", "cat[12]:3",
		    "by fd; a user without a name is null");
	value_holders(&v, fds, 2, true, true);
	check_value(&v, "[{\"pid\": 12, \"comm\": \"cat\", \"user\": null, \"fd\": 3}, "
		    "{\"pid\": 13, \"comm\": \"\\u001B]0;x\\u0007\", \"user\": \"root\", \"fd\": 0}]",
		    "cat[12]:3,\x1b]0;x\a[13]:0", "by fd; a terminal escape in comm: JSON escaped, text raw");
}

/* The text of l within budget, checked with whether it fits. */
static void check_fit(const struct cell_list *l, size_t budget, bool escape, const char *want,
		      bool want_fits, const char *name)
{
	bool fits = !want_fits;
	char *text = cell_list_text(l, budget, escape, &fits);

	is_str(text, want, "list fit: %s: text", name);
	is_int(fits, want_fits, "list fit: %s: fits", name);
	free(text);
}

static void list_of(struct cell_list *l, const char *sep, bool total, const char *const *items)
{
	size_t i;

	*l = (struct cell_list){ .sep = sep, .total = total };
	for (i = 0; items[i]; i++)
		cell_list_add(l, xstrdup(items[i]));
}

static void test_list_fit(void)
{
	static const char *const holders[] = {
		"mkipc[6]x2", "mkipc[9]", "mkipc[10]", "mkipc[11]", "mkipc[12]", "mkipc[13]",
		"mkipc[14]", "mkipc[15]", "mkipc[16]", "mkipc[17]", "mkipc[18]", "mkipc[19]",
		"mkipc[20]", "mkipc[21]", NULL
	};
	static const char *const abc[] = { "a", "b", "c", NULL };
	static const char *const reasons[] = { "nattch is 0", "creator 12 exited", NULL };
	static const char *const ctl[] = { "\x1b[1]", "b[2]", NULL };
	static const char *const utf8[] = { "\xc3\xa9[1]", "\xe4\xb8\xad[2]", NULL };
	static const char *const none[] = { NULL };
	const char *values[251];
	char buf[251][8];
	struct cell_list l;
	struct value v;
	size_t i;

	list_of(&l, ",", false, holders);
	check_fit(&l, SIZE_MAX, true, "mkipc[6]x2,mkipc[9],mkipc[10],mkipc[11],mkipc[12],mkipc[13],"
		  "mkipc[14],mkipc[15],mkipc[16],mkipc[17],mkipc[18],mkipc[19],mkipc[20],mkipc[21]",
		  true, "no limit: all");
	check_fit(&l, 139, true, "mkipc[6]x2,mkipc[9],mkipc[10],mkipc[11],mkipc[12],mkipc[13],"
		  "mkipc[14],mkipc[15],mkipc[16],mkipc[17],mkipc[18],mkipc[19],mkipc[20],mkipc[21]",
		  true, "exactly its width: all");
	check_fit(&l, 19, true, "mkipc[6]x2 +13 more", true, "one item and the count, exactly");
	check_fit(&l, 27, true, "mkipc[6]x2 +13 more", true, "a second item needs 28 cells");
	check_fit(&l, 28, true, "mkipc[6]x2,mkipc[9] +12 more", true, "two items in 28 cells");
	check_fit(&l, 138, true, "mkipc[6]x2,mkipc[9],mkipc[10],mkipc[11],mkipc[12],mkipc[13],"
		  "mkipc[14],mkipc[15],mkipc[16],mkipc[17],mkipc[18],mkipc[19],mkipc[20] +1 more",
		  true, "one cell short of all: all but the last one");
	check_fit(&l, 18, true, "mkipc[6]x2 +13 more", false, "narrower than one item: it is shown");
	check_fit(&l, 0, true, "mkipc[6]x2 +13 more", false, "budget 0: the first item");
	cell_list_free(&l);
	is_int(l.n, 0, "cell_list_free empties the list");

	list_of(&l, ",", false, abc);
	check_fit(&l, 5, true, "a,b,c", true, "exactly the whole list: no count");
	check_fit(&l, 4, true, "a +2 more", false, "one cell short: the first item and the count");
	cell_list_free(&l);

	list_of(&l, "; ", false, reasons);
	check_fit(&l, 30, true, "nattch is 0; creator 12 exited", true, "reasons whole");
	check_fit(&l, 29, true, "nattch is 0 +1 more", true, "reasons: whole reasons and the count");
	cell_list_free(&l);

	for (i = 0; i < 250; i++) {
		snprintf(buf[i], sizeof(buf[i]), "%zu", i % 7);
		values[i] = buf[i];
	}
	values[250] = NULL;
	setlocale(LC_CTYPE, "C");
	list_of(&l, ",", true, values);
	check_fit(&l, 15, true, "0,1,2,... (250)", true, "C locale: values, three dots, the total");
	check_fit(&l, 16, true, "0,1,2,... (250)", true, "C locale: a value and its comma need 2");
	check_fit(&l, 17, true, "0,1,2,3,... (250)", true, "values within 17 cells");
	check_fit(&l, 19, true, "0,1,2,3,4,... (250)", true, "one more value in 19 cells");
	check_fit(&l, 10, true, "0,... (250)", false, "at least one value");
	if (setlocale(LC_CTYPE, "C.UTF-8")) {
		check_fit(&l, 15, true, "0,1,2,3,\u2026 (250)", true, "UTF-8: an ellipsis, one cell");
		cell_list_free(&l);

		list_of(&l, ",", false, utf8);
		/* "é[1]" 4 cells (5 bytes), "中[2]" 5 cells (6 bytes): 10 with the comma */
		check_fit(&l, 10, true, "\xc3\xa9[1],\xe4\xb8\xad[2]", true, "UTF-8: cells, not bytes");
		check_fit(&l, 9, true, "\xc3\xa9[1] +1 more", false, "UTF-8: a wide character is two cells");
		is_int(text_cells("\xe4\xb8\xad"), 2, "text_cells: a wide character");
		is_int(text_cells("e\xcc\x81"), 1, "text_cells: a combining accent takes none");
		setlocale(LC_CTYPE, "C");
	} else {
		ok(true, "# SKIP no C.UTF-8 locale");
	}
	cell_list_free(&l);

	/* escaped: the budget counts what is printed, "\x1b" four cells */
	list_of(&l, ",", false, ctl);
	check_fit(&l, 12, true, "\\x1b[1],b[2]", true, "escaped text measured");
	check_fit(&l, 11, true, "\\x1b[1] +1 more", false, "escaped text, one cell short");
	check_fit(&l, 9, false, "\x1b[1],b[2]", true, "raw (--raw: libsmartcols escapes): bytes");
	cell_list_free(&l);

	list_of(&l, ",", false, abc + 2);
	check_fit(&l, 0, true, "c", false, "one item, wider than the budget: no count");
	check_fit(&l, 1, true, "c", true, "one item that fits");
	cell_list_free(&l);

	list_of(&l, ",", false, none);
	check_fit(&l, 0, true, "", true, "no items: empty text");
	cell_list_free(&l);

	/* an empty holders list is no list: "-" or "?" is the text */
	memset(&l, 0, sizeof(l));
	value_holders(&v, NULL, 0, true, false);
	ok(!value_to_list(&v, &opts, &l) && l.n == 0, "no holders: not a list");
	VALUE_S64(&v, 12);
	ok(!value_to_list(&v, &opts, &l) && l.n == 0, "a number: not a list");
}

static void check_time(int64_t t, int64_t now, const char *want, const char *name)
{
	char *s = time_to_text(t, now);

	is_str(s, want, "time_to_text: %s", name);
	free(s);
}

#define NOW_UTC 1704164645	/* 2024-01-02 03:04:05 UTC */

static void test_time(void)
{
	struct value v;

	setenv("TZ", "UTC", 1);
	tzset();
	check_time(NOW_UTC, NOW_UTC, "03:04:05", "now: time of day");
	check_time(1704153600, NOW_UTC, "00:00:00", "same day, midnight");
	check_time(1704239999, NOW_UTC, "23:59:59", "same day, later than now");
	check_time(1704067201, NOW_UTC, "Jan01 00:00", "yesterday, same year");
	check_time(1735686000, NOW_UTC, "Dec31 23:00", "same year, in the future");
	check_time(1704164645, 1718452800, "Jan02 03:04", "same year, months earlier");
	check_time(1704067199, NOW_UTC, "2023-12-31", "one second before the year");
	check_time(1672628645, NOW_UTC, "2023-01-02", "same day of the year, a year earlier");
	check_time(-1, NOW_UTC, "1969-12-31", "before the epoch");
	check_time(INT64_MAX, NOW_UTC, "9223372036854775807", "beyond struct tm: the number");

	VALUE_TYPED_S64(&v, VAL_TIME, 1704067201);
	opts.now = NOW_UTC;
	check_value(&v, "1704067201", "Jan01 00:00", "time value: epoch seconds, local text");

	/* POSIX TZ "UTC-9" is nine hours east: the local date decides */
	setenv("TZ", "UTC-9", 1);
	tzset();
	check_time(NOW_UTC, NOW_UTC, "12:04:05", "UTC-9: now");
	check_time(1704067199, NOW_UTC, "Jan01 08:59", "UTC-9: the year's last UTC second is local New Year");
	check_value(&v, "1704067201", "Jan01 09:00", "UTC-9: time value text");
	setenv("TZ", "UTC", 1);
	tzset();
}

/* ---- reasons and durations (the reasons and age columns) ---- */

static struct reason_arena *arena;

/* Gives vd the reasons of list, packed as the judge packs them. */
static void set_reasons(struct verdict *vd, const struct reason *list, size_t n)
{
	enum verdict_value value = vd->value;
	struct verdict_work w;
	size_t i;

	if (!arena)
		arena = reason_arena_new();
	verdict_begin(&w, vd, vd, sizeof(*vd), arena);
	for (i = 0; i < n; i++)
		*verdict_reason(&w, list[i].code) = list[i];
	verdict_finish(&w, value);
}

static void test_reasons(void)
{
	struct proc_facts raw = { .pid = 1, .tgid = 1, .comm = (char *)"a\xff" "b\n\x01\\" };
	struct holder h = { .pid = 1, .fd = -1, .proc = &raw };
	struct reason one[1] = { { .code = REASON_MAPPED_BY, .ref = &h } };
	struct verdict vd = { .value = VERDICT_UNKNOWN };
	struct value v;

	verdict_get(NULL, &vd, VCOL_REASONS, &v);
	check_value(&v, "[]", "-", "reasons: none: [] and '-'");
	/* untrusted bytes (a comm in a reason): escaped in JSON, raw in the table */
	set_reasons(&vd, one, 1);
	vd.sibling = (char *)"tab\there";
	check_value(&v, "[\"mapped by a\\\\xffb\\n\\u0001\\\\\\\\[1]\", "
		    "\"a sibling (tab\\there) is in use\"]",
		    "mapped by a\xff" "b\n\x01\\[1]; a sibling (tab\there) is in use",
		    "reasons of raw bytes and a tab: '; ' between them in the table");
}

static void check_duration(int64_t secs, const char *want)
{
	struct value v;
	char json[32], name[64];
	char *s = duration_to_text(secs);

	is_str(s, want, "duration_to_text(%" PRId64 ")", secs);
	free(s);
	VALUE_TYPED_S64(&v, VAL_DURATION, secs);
	snprintf(json, sizeof(json), "%" PRId64, secs);
	snprintf(name, sizeof(name), "duration value %" PRId64 " s (JSON integer)", secs);
	check_value(&v, json, want, name);
}

static void test_duration(void)
{
	check_duration(0, "0s");
	check_duration(1, "1s");
	check_duration(59, "59s");
	check_duration(60, "1m00s");
	check_duration(61, "1m01s");
	check_duration(3599, "59m59s");
	check_duration(3600, "1h00m");
	check_duration(3661, "1h01m");
	check_duration(86399, "23h59m");
	check_duration(86400, "1d00h");
	check_duration(90061, "1d01h");
	check_duration(863999, "9d23h");
	check_duration(8640000, "100d00h");
}

/* ---- the verdict columns every kind has ---- */

/* want_verdict: the name, or NULL for null */
static void check_verdict_cols(const struct verdict *vd, const char *want_verdict,
			       const char *want_reasons, const char *want_reasons_text,
			       const char *want_age, const char *want_age_text, const char *name)
{
	struct value v;
	char what[128], json[32];

	verdict_get(NULL, vd, VCOL_VERDICT, &v);
	snprintf(what, sizeof(what), "%s: verdict", name);
	snprintf(json, sizeof(json), "\"%s\"", want_verdict ? want_verdict : "");
	check_value(&v, want_verdict ? json : "null", want_verdict ? want_verdict : "-", what);
	verdict_get(NULL, vd, VCOL_REASONS, &v);
	snprintf(what, sizeof(what), "%s: reasons", name);
	check_value(&v, want_reasons, want_reasons_text, what);
	verdict_get(NULL, vd, VCOL_AGE, &v);
	snprintf(what, sizeof(what), "%s: age", name);
	check_value(&v, want_age, want_age_text, what);
}

static void test_verdict_columns(void)
{
	const struct actor a42 = { .pid = 42, .state = ACTOR_GONE, .reason = WHY_EXITED,
				   .event = "ctime" };
	struct reason reasons[VERDICT_MAX_REASONS] = {
		{ .code = REASON_UNSEEN_UNREADABLE, .n = 3 },
		{ .code = REASON_ACTOR_EXITED, .role = ROLE_CREATOR, .ref = &a42 },
	};
	struct verdict vd;
	struct value v;

	is_str(verdict_name(VERDICT_IN_USE), "in-use", "verdict_name IN_USE");
	is_str(verdict_name(VERDICT_ORPHAN), "orphan", "verdict_name ORPHAN");
	is_str(verdict_name(VERDICT_SUSPECT), "suspect", "verdict_name SUSPECT");
	is_str(verdict_name(VERDICT_UNKNOWN), "unknown", "verdict_name UNKNOWN");
	ok(verdict_name(VERDICT_NONE) == NULL, "verdict_name NONE: NULL (not judged)");

	/* not judged (--no-owners): all three null, '-' in the table */
	memset(&vd, 0, sizeof(vd));
	check_verdict_cols(&vd, NULL, "null", "-", "null", "-", "not judged");
	/* has_age decides, not the number */
	vd.age = 77;
	verdict_get(NULL, &vd, VCOL_AGE, &v);
	check_value(&v, "null", "-", "has_age false: null whatever age holds");

	memset(&vd, 0, sizeof(vd));
	vd.value = VERDICT_IN_USE;
	vd.has_age = true;
	vd.age = 0;
	check_verdict_cols(&vd, "in-use", "[]", "-", "0", "0s", "in-use, no reason, age 0");

	vd.value = VERDICT_ORPHAN;
	set_reasons(&vd, reasons, 2);	/* codes, as the judge leaves them */
	vd.age = 90061;
	check_verdict_cols(&vd, "orphan", "[\"3 processes unreadable\", \"creator 42 exited\"]",
			   "3 processes unreadable; creator 42 exited", "90061", "1d01h",
			   "orphan, two reasons");
	vd.value = VERDICT_SUSPECT;
	set_reasons(&vd, reasons, 1);
	vd.age = 600;
	check_verdict_cols(&vd, "suspect", "[\"3 processes unreadable\"]", "3 processes unreadable",
			   "600", "10m00s", "suspect, one reason");
	vd.value = VERDICT_UNKNOWN;
	vd.has_age = false;
	check_verdict_cols(&vd, "unknown", "[\"3 processes unreadable\"]", "3 processes unreadable",
			   "null", "-", "unknown, no age (a pipe, a FIFO not on disk)");
	verdict_get(NULL, &vd, VCOL_COUNT, &v);
	check_value(&v, "null", "-", "a verdict column past the three: null");
}

/* ---- parse_duration (--min-age) ---- */

static void check_duration_ok(const char *s, int64_t want)
{
	int64_t got = -7;
	int r = parse_duration(s, &got);

	is_int(r, 0, "parse_duration(\"%s\"): accepted", s);
	is_int(got, want, "parse_duration(\"%s\"): %" PRId64 " s", s, want);
}

static void check_duration_bad(const char *s, int want_r)
{
	int64_t got = -7;
	int r = parse_duration(s, &got);

	is_int(r, want_r, "parse_duration(\"%s\"): %s", s, want_r == -ERANGE ? "-ERANGE" : "-EINVAL");
	is_int(got, -7, "parse_duration(\"%s\"): *ret untouched on failure", s);
}

static void test_parse_duration(void)
{
	check_duration_ok("0", 0);
	check_duration_ok("90", 90);
	check_duration_ok("90s", 90);
	check_duration_ok("10m", 600);
	check_duration_ok("2h", 7200);
	check_duration_ok("1d", 86400);
	check_duration_ok("1h30m", 5400);
	check_duration_ok("0s", 0);
	check_duration_ok("00", 0);
	check_duration_ok("1d2h3m4s", 93784);
	check_duration_ok("007m", 420);
	/* the largest whole days, then exactly INT64_MAX as a sum */
	check_duration_ok("106751991167300d", INT64_C(9223372036854720000));
	check_duration_ok("106751991167300d55807s", INT64_MAX);
	/* INT64_MAX seconds fits: digits near the limit are not out of range */
	check_duration_ok("9223372036854775807", INT64_MAX);
	check_duration_ok("9223372036854775807s", INT64_MAX);
	check_duration_ok("9223372036854775800", INT64_C(9223372036854775800));

	check_duration_bad("", -EINVAL);
	check_duration_bad("x", -EINVAL);
	check_duration_bad("10x", -EINVAL);
	check_duration_bad("1h30", -EINVAL);
	check_duration_bad("-1", -EINVAL);
	check_duration_bad("+5", -EINVAL);
	check_duration_bad("m", -EINVAL);
	check_duration_bad("s", -EINVAL);
	check_duration_bad("10M", -EINVAL);
	check_duration_bad("1.5h", -EINVAL);
	check_duration_bad(" 10m", -EINVAL);
	check_duration_bad("10m ", -EINVAL);
	check_duration_bad("10 m", -EINVAL);
	check_duration_bad("1hm", -EINVAL);
	check_duration_bad("9223372036854775807d", -ERANGE);
	check_duration_bad("9223372036854775808", -ERANGE);
	check_duration_bad("99999999999999999999", -ERANGE);
	check_duration_bad("106751991167301d", -ERANGE);
	check_duration_bad("106751991167300d55808s", -ERANGE);
	check_duration_bad("106751991167300d1d", -ERANGE);
}

/* ---- the kinds' column tables ---- */

static bool is_json_key(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || *s == '_'))
			return false;
	return true;
}

static void check_kind_table(const struct ipc_kind *k, const char *want_keys)
{
	char keys[1024] = "";
	size_t i, j;
	bool names_unique = true, keys_unique = true, keys_ok = true, help_ok = true;
	bool defaults_ok = true, index_ok = true;

	for (i = 0; i < k->ncolumns; i++) {
		const struct column *c = &k->columns[i];

		if (!c->name || !c->json || !c->help || !*c->name || !*c->help) {
			help_ok = false;
			continue;
		}
		if (!is_json_key(c->json)) {
			keys_ok = false;
			printf("#   %s: bad JSON key '%s'\n", k->name, c->json);
		}
		if (kind_column_index(k, c->name) != (int)i)
			index_ok = false;
		for (j = 0; j < i; j++) {
			if (strcasecmp(c->name, k->columns[j].name) == 0) {
				names_unique = false;
				printf("#   %s: column name '%s' twice\n", k->name, c->name);
			}
			if (strcmp(c->json, k->columns[j].json) == 0) {
				keys_unique = false;
				printf("#   %s: JSON key '%s' twice\n", k->name, c->json);
			}
		}
		if (i)
			strcat(keys, " ");
		strcat(keys, c->json);
	}
	ok(help_ok, "%s: every column has a name, a JSON key and help", k->name);
	ok(names_unique, "%s: column names unique (case-insensitively)", k->name);
	ok(keys_unique, "%s: JSON keys unique", k->name);
	ok(keys_ok, "%s: JSON keys are [a-z_]+", k->name);
	ok(index_ok, "%s: kind_column_index finds every column at its place", k->name);
	for (i = 0; k->defaults[i]; i++)
		if (kind_column_index(k, k->defaults[i]) < 0) {
			defaults_ok = false;
			printf("#   %s: default column '%s' unknown\n", k->name, k->defaults[i]);
		}
	ok(i > 0 && defaults_ok, "%s: every default column resolves", k->name);
	is_str(keys, want_keys, "%s: JSON keys are the contract", k->name);
}

#define SYSV_KEYS "id key perms uid user gid group cuid cuser cgid cgroup ctime"
#define VERDICT_KEYS " verdict reasons age"	/* last in every kind but limits */

/*
 * Every column of an object renders; custom columns have both renderers.
 * obj is zeroed but for what every real object has (a fifo's path).
 */
static void check_kind_renders_obj(const struct ipc_kind *k, void *obj, const char *what)
{
	bool ok_all = true;
	size_t i;

	for (i = 0; i < k->ncolumns; i++) {
		const struct column *c = &k->columns[i];
		struct value v;
		json_t *j;
		char *s, *js;
		struct jw w;

		memset(&v, 0, sizeof(v));
		k->get(obj, i, &v);
		jw_init(&w, NULL);
		if (v.type == VAL_CUSTOM) {
			if (!c->write_json || !c->to_text) {
				printf("#   %s %s: custom value without renderers\n", k->name, c->name);
				ok_all = false;
				continue;
			}
			c->write_json(&w, obj, &opts);
			s = c->to_text(obj, &opts, NULL);
		} else {
			value_write_json(&w, &v, &opts);
			s = value_to_text(&v, &opts);
		}
		js = jw_take(&w);
		j = parse_back(js);
		free(js);
		if (!j || !s) {
			printf("#   %s %s: no JSON or no text\n", k->name, c->name);
			ok_all = false;
		}
		json_decref(j);
		free(s);
	}
	ok(ok_all, "%s: every column of %s renders", k->name, what);
}

static void check_kind_renders(const struct ipc_kind *k)
{
	void *obj = calloc(1, k->objsize);

	check_kind_renders_obj(k, obj, "a zeroed object");
	free(obj);
}

/* The default columns, space separated. */
static void check_defaults(const struct ipc_kind *k, const char *want)
{
	char got[256] = "";
	size_t i;

	for (i = 0; k->defaults[i]; i++) {
		if (i)
			strcat(got, " ");
		strcat(got, k->defaults[i]);
	}
	is_str(got, want, "%s: default table columns", k->name);
}

/* The `orphans` table columns, space separated (NULL: the kind has none). */
static void check_orphan_defaults(const struct ipc_kind *k, const char *want)
{
	char got[256] = "";
	bool resolve = true;
	size_t i;

	if (!want) {
		ok(k->orphan_defaults == NULL, "%s: no orphans columns of its own", k->name);
		return;
	}
	for (i = 0; k->orphan_defaults && k->orphan_defaults[i]; i++) {
		if (i)
			strcat(got, " ");
		strcat(got, k->orphan_defaults[i]);
		if (kind_column_index(k, k->orphan_defaults[i]) < 0)
			resolve = false;
	}
	is_str(got, want, "%s: orphans table columns", k->name);
	ok(resolve, "%s: every orphans column resolves", k->name);
}

/* kind_verdict finds the verdict member of an object of the kind. */
#define check_verdict_offset(k, type) do { \
	type _o; \
	ok((k)->verdict_offset == offsetof(type, verdict) && (k)->verdict_offset != 0 && \
	   kind_verdict((k), &_o) == &_o.verdict, "%s: kind_verdict is the object's verdict", \
	   (k)->name); \
} while (0)

/* --time-format full and iso: local time, the offset of its zone. */
static void test_time_formats(void)
{
	struct render_opts o = opts;
	struct value v;
	char *s;

	setenv("TZ", "XYZ-01:30", 1);	/* an hour and a half east, no tzdata needed */
	tzset();
	s = time_to_text_as(1704164645, NOW_UTC, TIME_FULL);
	is_str(s, "Tue Jan  2 04:34:05 2024", "--time-format full: ctime's layout, local time");
	free(s);
	s = time_to_text_as(1704164645, NOW_UTC, TIME_ISO);
	is_str(s, "2024-01-02T04:34:05+01:30", "--time-format iso: local time and its offset");
	free(s);
	s = time_to_text_as(1704164645, NOW_UTC, TIME_SHORT);
	is_str(s, "04:34:05", "--time-format short: time_to_text (now's day)");
	free(s);
	setenv("TZ", "XYZ+05", 1);	/* west: a negative offset */
	tzset();
	s = time_to_text_as(-1, NOW_UTC, TIME_ISO);
	is_str(s, "1969-12-31T18:59:59-05:00", "--time-format iso: west of UTC, before the epoch");
	free(s);
	s = time_to_text_as(INT64_MAX, NOW_UTC, TIME_ISO);
	is_str(s, "9223372036854775807", "--time-format iso: beyond struct tm, the number");
	free(s);
	o.time_format = TIME_ISO;
	VALUE_TYPED_S64(&v, VAL_TIME, 0);
	s = value_to_text(&v, &o);
	is_str(s, "-", "--time-format iso: never (0) is still -");
	free(s);
	VALUE_TYPED_S64(&v, VAL_DURATION, 65);
	s = value_to_text(&v, &o);
	is_str(s, "1m05s", "--time-format iso: a duration is not a time");
	free(s);
	setenv("TZ", "UTC", 1);
	tzset();
}

/* -H says each column's type: every table declares one. */
static void test_column_types(void)
{
	size_t k, i, missing = 0;

	for (k = 0; k <= KIND_COUNT; k++) {
		const struct ipc_kind *kind = k < KIND_COUNT ? ipc_kinds[k] : &limits_kind;

		for (i = 0; i < kind->ncolumns; i++)
			if (!column_type_name(kind->columns[i].type)) {
				printf("# %s %s: no type\n", kind->name, kind->columns[i].name);
				missing++;
			}
	}
	ok(missing == 0, "every column of every kind and of limits has a type");
	is_str(column_type_name(COLT_SIZE), "size", "a size column is said to be a size");
	ok(column_type_name(COLT_UNSET) == NULL, "an unset type has no name");
}

static void test_kinds(void)
{
	struct posix_obj posix;
	struct fifo_obj fifo;

	ok(ipc_kinds[KIND_SHM] == &shm_kind && ipc_kinds[KIND_MSG] == &msg_kind &&
	   ipc_kinds[KIND_SEM] == &sem_kind && ipc_kinds[KIND_FIFO] == &fifo_kind &&
	   ipc_kinds[KIND_PIPE] == &pipe_kind && ipc_kinds[KIND_PSHM] == &pshm_kind &&
	   ipc_kinds[KIND_PSEM] == &psem_kind && ipc_kinds[KIND_PMQ] == &pmq_kind,
	   "ipc_kinds[] in enum kind_id order");
	ok(ipc_kinds[KIND_UNIX] == &unix_kind, "ipc_kinds[KIND_UNIX] is the unix kind");
	ok(ipc_kinds[KIND_MEMFD] == &memfd_kind, "ipc_kinds[KIND_MEMFD] is the memfd kind");
	is_int(KIND_COUNT, 10, "ten kinds to list");
	is_str(unix_kind.name, "unix", "unix kind name");
	ok(!unix_kind.sysv && unix_kind.needs_scan, "unix: found through the process scan");
	is_int(KINDS_POSIX, (1u << KIND_PSHM) | (1u << KIND_PSEM) | (1u << KIND_PMQ),
	       "KINDS_POSIX is pshm, psem and pmq");
	is_str(pshm_kind.name, "pshm", "pshm kind name");
	is_str(psem_kind.name, "psem", "psem kind name");
	is_str(pmq_kind.name, "pmq", "pmq kind name");
	ok(!pshm_kind.sysv && !psem_kind.sysv && !pmq_kind.sysv && !pshm_kind.needs_scan &&
	   !psem_kind.needs_scan && !pmq_kind.needs_scan,
	   "POSIX kinds: not SysV, read from their directories, not from the scan");
	is_int(KINDS_SYSV, (1u << KIND_SHM) | (1u << KIND_MSG) | (1u << KIND_SEM),
	       "KINDS_SYSV is shm, msg and sem");
	is_str(shm_kind.name, "shm", "shm kind name");
	is_str(msg_kind.name, "msg", "msg kind name");
	is_str(sem_kind.name, "sem", "sem kind name");
	is_str(fifo_kind.name, "fifo", "fifo kind name");
	is_str(pipe_kind.name, "pipe", "pipe kind name");
	is_str(limits_kind.name, "limits", "limits kind name");
	is_str(fifo_kind.title, "FIFOs (named pipes)", "fifo table title");
	is_str(pipe_kind.title, "Pipes", "pipe table title");
	ok(shm_kind.sysv && msg_kind.sysv && sem_kind.sysv && !fifo_kind.sysv && !pipe_kind.sysv,
	   "only shm, msg and sem are SysV objects");
	ok(!shm_kind.needs_scan && !msg_kind.needs_scan && !sem_kind.needs_scan &&
	   fifo_kind.needs_scan && pipe_kind.needs_scan,
	   "only fifo and pipe come from the process scan");

	check_kind_table(&shm_kind, SYSV_KEYS
			 " size nattch status cpid lpid atime dtime rss swap attached creator last"
			 " frees_bytes frees_pages" VERDICT_KEYS);
	check_kind_table(&msg_kind, SYSV_KEYS
			 " used_bytes messages lspid lrpid stime rtime last_sender last_receiver"
			 " frees_bytes" VERDICT_KEYS);
	check_kind_table(&sem_kind, SYSV_KEYS
			 " nsems otime waiters semaphores semaphores_error" VERDICT_KEYS);
	check_kind_table(&fifo_kind, "path deleted dev inode readers writers on_disk uid user"
			 VERDICT_KEYS);
	check_kind_table(&pipe_kind, "inode readers writers flags" VERDICT_KEYS);
#define POSIX_KEYS "name path dev inode size perms uid user gid group mtime holders"
	check_kind_table(&pshm_kind, POSIX_KEYS VERDICT_KEYS);
	check_kind_table(&psem_kind, POSIX_KEYS " value waiters" VERDICT_KEYS);
	check_kind_table(&pmq_kind, POSIX_KEYS " used_bytes notify_pid" VERDICT_KEYS);
	check_kind_table(&unix_kind, "inode type state path holders peer on_disk" VERDICT_KEYS);
	check_defaults(&unix_kind, "INODE TYPE STATE PATH HOLDERS PEER");
	check_orphan_defaults(&unix_kind, "INODE PATH VERDICT REASONS");
	check_verdict_offset(&unix_kind, struct unix_obj);
	check_kind_table(&limits_kind,
			 "name value unit used use_percent unlimited description source");

	check_defaults(&shm_kind, "ID KEY USER PERMS SIZE NATTCH STATUS CREATOR ATTACHED");
	check_defaults(&msg_kind, "ID KEY USER PERMS USED-BYTES MESSAGES SENDER RECEIVER");
	check_defaults(&sem_kind, "ID KEY USER PERMS NSEMS WAITERS OTIME SEMAPHORES");
	check_defaults(&fifo_kind, "PATH DELETED INODE READERS WRITERS");
	check_defaults(&pipe_kind, "INODE FLAGS READERS WRITERS");
	check_defaults(&pshm_kind, "NAME USER PERMS SIZE VERDICT HOLDERS");
	check_defaults(&psem_kind, "NAME USER PERMS VALUE WAITERS VERDICT HOLDERS");
	check_defaults(&pmq_kind, "NAME USER PERMS USED NOTIFY-PID VERDICT HOLDERS");

	check_orphan_defaults(&shm_kind, "ID KEY USER SIZE AGE VERDICT REASONS");
	check_orphan_defaults(&msg_kind, "ID KEY USER MESSAGES AGE VERDICT REASONS");
	check_orphan_defaults(&sem_kind, "ID KEY USER NSEMS AGE VERDICT REASONS");
	check_orphan_defaults(&fifo_kind, "PATH USER AGE VERDICT REASONS");
	check_orphan_defaults(&pipe_kind, NULL);
	check_orphan_defaults(&pshm_kind, "NAME USER AGE VERDICT REASONS");
	check_orphan_defaults(&psem_kind, "NAME USER AGE VERDICT REASONS");
	check_orphan_defaults(&pmq_kind, "NAME USER AGE VERDICT REASONS");

	check_verdict_offset(&shm_kind, struct shm_seg);
	check_verdict_offset(&msg_kind, struct msg_queue);
	check_verdict_offset(&sem_kind, struct sem_set);
	check_verdict_offset(&fifo_kind, struct fifo_obj);
	check_verdict_offset(&pipe_kind, struct pipe_obj);
	check_verdict_offset(&pshm_kind, struct posix_obj);
	check_verdict_offset(&psem_kind, struct posix_obj);
	check_verdict_offset(&pmq_kind, struct posix_obj);
	ok(kind_verdict(&limits_kind, &fifo) == NULL, "limits: no verdict");

	check_kind_renders(&shm_kind);
	check_kind_renders(&msg_kind);
	check_kind_renders(&sem_kind);
	check_kind_renders(&pipe_kind);
	memset(&fifo, 0, sizeof(fifo));
	fifo.path = (char *)"";
	check_kind_renders_obj(&fifo_kind, &fifo, "an object with an empty path");
	memset(&posix, 0, sizeof(posix));
	posix.name = posix.path = posix.entry = (char *)"";
	check_kind_renders_obj(&pshm_kind, &posix, "an object with empty names");
	check_kind_renders_obj(&psem_kind, &posix, "an object with empty names");
	check_kind_renders_obj(&pmq_kind, &posix, "an object with empty names");
	check_kind_renders(&unix_kind);

	is_int(kind_column_index(&shm_kind, "nattch"), kind_column_index(&shm_kind, "NATTCH"),
	       "kind_column_index is case-insensitive");
	ok(kind_column_index(&shm_kind, "NATTCH") >= 0, "shm has NATTCH");
	is_int(kind_column_index(&shm_kind, "NOPE"), -1, "unknown column: -1");
	is_int(kind_column_index(&shm_kind, ""), -1, "empty name: -1");
	is_int(kind_column_index(&limits_kind, "NATTCH"), -1, "limits has no NATTCH");
	is_int(kind_column_index(&msg_kind, "USED-BYTES"), SYSV_NCOMMON, "msg USED-BYTES after the common columns");
	is_int(kind_column_index(&shm_kind, "CTIME"), SYSV_COL_CTIME, "common columns at their enum places");
}

int main(void)
{
	opts.users = idcache_new(IDCACHE_USER);
	opts.groups = idcache_new(IDCACHE_GROUP);
	opts.now = NOW_UTC;
	setenv("TZ", "UTC", 1);
	tzset();

	test_numbers();
	test_percent();
	test_ipc_values();
	test_strings();
	test_names();
	test_actors();
	test_holders();
	test_list_fit();
	test_time();
	test_time_formats();
	test_column_types();
	test_reasons();
	test_duration();
	test_verdict_columns();
	test_kinds();
	test_parse_duration();

	idcache_free(opts.users);
	idcache_free(opts.groups);
	reason_arena_free(arena);
	return tap_done();
}

/*
 * Unit tests of metrics.h: a label value's escaping (no label holds
 * untrusted bytes today, but a container's name would: backslash, quote,
 * newline and bytes that are not UTF-8), and the exact exposition of a
 * failed run, with the milliseconds written as seconds.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "tap.h"

/* The label value s as written; caller frees. */
static char *label_text(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		abort();
	metrics_label_value(f, s);
	fclose(f);
	return buf;
}

static void test_label(const char *in, const char *want, const char *name)
{
	char *got = label_text(in);

	is_str(got, want, "label value: %s", name);
	free(got);
}

static void test_failed_run(void)
{
	struct metrics_run run = { .up = false, .duration_ms = 5, .timestamp_ms = 1796520230055 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	char want[1024];

	if (!f)
		abort();
	is_int(metrics_write(f, NULL, &run), 0, "a failed run's exposition is written");
	fclose(f);
	snprintf(want, sizeof(want),
		 "# HELP ipcinspect_up 1 when the collection succeeded, 0 when it failed\n"
		 "# TYPE ipcinspect_up gauge\n"
		 "ipcinspect_up 0\n"
		 "# HELP ipcinspect_build_info the version of ipcinspect that wrote this, as a label\n"
		 "# TYPE ipcinspect_build_info gauge\n"
		 "ipcinspect_build_info{version=\"%s\"} 1\n"
		 "# HELP ipcinspect_last_run_timestamp_seconds when the run ended, in epoch seconds\n"
		 "# TYPE ipcinspect_last_run_timestamp_seconds gauge\n"
		 "ipcinspect_last_run_timestamp_seconds 1796520230.055\n"
		 "# HELP ipcinspect_run_duration_seconds how long the run took\n"
		 "# TYPE ipcinspect_run_duration_seconds gauge\n"
		 "ipcinspect_run_duration_seconds 0.005\n", PACKAGE_VERSION);
	is_str(buf, want, "a failed run: ipcinspect_up 0 and the run's own series alone");
	free(buf);
}

int main(void)
{
	test_label("host", "\"host\"", "a plain word as it is");
	test_label("", "\"\"", "empty");
	test_label("a\"b", "\"a\\\"b\"", "a quote escaped");
	test_label("a\nb", "\"a\\nb\"", "a newline as \\n");
	/* escape_str doubles it (valid UTF-8 first), the format doubles both */
	test_label("a\\b", "\"a\\\\\\\\b\"", "a backslash, unambiguous");
	test_label("caf\xc3\xa9", "\"caf\xc3\xa9\"", "UTF-8 kept");
	test_label("x\xffy", "\"x\\\\xffy\"", "a byte that is not UTF-8 as \\xff, valid UTF-8 out");
	test_failed_run();
	return tap_done();
}

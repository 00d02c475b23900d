/*
 * ipcinspect: main() reads as the phases of a run, left to right:
 * parse the command line, collect a snapshot, narrow it, render it.
 */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "idcache.h"
#include "render.h"
#include "snapshot.h"

static void print_warnings(const struct snapshot *s)
{
	size_t i;

	for (i = 0; i < s->warnings.len; i++)
		fprintf(stderr, "ipcinspect: warning: %s\n", *(char **)vec_at(&s->warnings, i));
}

static int render_table(const struct snapshot *s, const struct options *o)
{
	bool titles = !o->render.noheadings;
	bool first = true;
	size_t i;
	int r;

	if (o->command == CMD_LIMITS)
		return table_print_kind(stdout, &s->limits, &o->limit_cols, &o->render, false);
	for (i = 0; i < KIND_COUNT; i++) {
		if (!s->kinds[i].kind)
			continue;
		if (!first && titles)
			putchar('\n');
		first = false;
		r = table_print_kind(stdout, &s->kinds[i], &o->cols[i], &o->render, titles);
		if (r < 0)
			return r;
	}
	return 0;
}

static int render(const struct snapshot *s, const struct options *o)
{
	if (o->render.json) {
		struct colsel limit_cols = o->limit_cols;

		if (o->command == CMD_LIST)
			colsel_all(&limits_kind, &limit_cols);
		return json_print_snapshot(stdout, s, o->cols, &limit_cols, &o->render);
	}
	return render_table(s, o);
}

static const char *collect_error(int r)
{
	return r == -EINVAL ? "unexpected format" : strerror(-r);
}

int main(int argc, char **argv)
{
	struct options opts;
	struct snapshot snap;
	const char *failed = NULL;
	bool listing;
	int r;

	setlocale(LC_ALL, "");
	cli_parse(argc, argv, &opts);

	listing = opts.command == CMD_LIST;
	r = snapshot_collect(&snap, listing ? opts.kinds : 0,
			     !listing || opts.render.json, listing && !opts.no_owners, &failed);
	if (r < 0) {
		fprintf(stderr, "ipcinspect: cannot read %s: %s\n", failed, collect_error(r));
		return EXIT_DATA;
	}
	snapshot_filter(&snap, &opts.filter);
	print_warnings(&snap);

	opts.render.now = snap.time;
	opts.render.users = idcache_new(IDCACHE_USER);
	opts.render.groups = idcache_new(IDCACHE_GROUP);
	r = render(&snap, &opts);
	if (fflush(stdout) != 0)
		r = r < 0 ? r : -errno;
	else if (ferror(stdout))
		r = r < 0 ? r : -EIO;
	idcache_free(opts.render.users);
	idcache_free(opts.render.groups);
	snapshot_free(&snap);
	if (r < 0) {
		fprintf(stderr, "ipcinspect: write error: %s\n", strerror(-r));
		return EXIT_DATA;
	}
	return EXIT_OK;
}

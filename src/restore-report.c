/*
 * restore, the report (see restore.h): each entry and what became of it,
 * as text or as one JSON document, and the one line on standard error
 * when some were not restored.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "render.h"
#include "restore.h"
#include "strutils.h"
#include "xalloc.h"

size_t restore_count(const struct vec *entries, const char *action)
{
	size_t i, n = 0;

	for (i = 0; i < entries->len; i++) {
		const struct restore_entry *e = vec_at(entries, i);

		n += e->action && strcmp(e->action, action) == 0;
	}
	return n;
}

static void entry_json(struct jw *w, const struct restore_entry *e)
{
	struct value v;

	jw_obj_begin(w);
	jw_key(w, "kind");
	if (e->kind)
		jw_str(w, e->kind->name);
	else
		jw_null(w);
	jw_key(w, "entry");
	jw_str(w, e->path);
	/* a refused entry's manifest is not to be trusted: no key or id from it */
	jw_key(w, "key");
	VALUE_U32(&v, VAL_KEY, e->m.key);
	if (e->action)
		value_write_json(w, &v, NULL);
	else
		jw_null(w);
	jw_key(w, "old_id");
	if (e->action)
		jw_s64(w, e->m.old_id);
	else
		jw_null(w);
	jw_key(w, "id");
	if (e->new_id >= 0)
		jw_s64(w, e->new_id);
	else
		jw_null(w);
	jw_key(w, "action");
	jw_str(w, e->action ? e->action : "refused");
	jw_key(w, "why");
	if (e->why)
		jw_str(w, e->why);
	else
		jw_null(w);
	jw_obj_end(w);
}

static void print_json(const struct vec *entries, const struct vec *problems,
		       const struct snapshot *s, bool dry_run)
{
	static const char *const sums[] = { "restored", "would-restore", "skipped", "failed" };
	struct jw w;
	size_t i;

	jw_init(&w, stdout);
	json_doc_begin(&w, s);
	jw_key(&w, "command");
	jw_str(&w, "restore");
	jw_key(&w, "dry_run");
	jw_bool(&w, dry_run);
	jw_key(&w, "actions");
	jw_arr_begin(&w);
	jw_lines(&w, problems->len ? 0 : entries->len);
	for (i = 0; !problems->len && i < entries->len; i++)
		entry_json(&w, vec_at(entries, i));
	jw_lines_end(&w, problems->len ? 0 : entries->len);
	jw_arr_end(&w);
	jw_key(&w, "problems");
	jw_arr_begin(&w);
	jw_lines(&w, problems->len);
	for (i = 0; i < problems->len; i++)
		entry_json(&w, vec_at(problems, i));
	jw_lines_end(&w, problems->len);
	jw_arr_end(&w);
	jw_key(&w, "summary");
	jw_obj_begin(&w);
	for (i = 0; i < sizeof(sums) / sizeof(sums[0]); i++) {
		jw_key(&w, i == 1 ? "would_restore" : sums[i]);
		jw_u64(&w, problems->len ? 0 : restore_count(entries, sums[i]));
	}
	jw_key(&w, "refused");
	jw_u64(&w, problems->len);
	jw_obj_end(&w);
	json_doc_end(&w);
	jw_finish(&w);
}

static void print_text(const struct vec *entries, bool dry_run)
{
	size_t i;

	for (i = 0; i < entries->len; i++) {
		const struct restore_entry *e = vec_at(entries, i);
		_cleanup_free_ char *path = escape_str(e->path, ESCAPE_TERM);
		_cleanup_free_ char *why = e->why ? escape_str(e->why, ESCAPE_TERM) : NULL;
		_cleanup_free_ char *id = e->new_id >= 0 ? xasprintf(" as id %d", e->new_id)
						       : xstrdup("");

		printf("%s %s %d key 0x%08" PRIx32 "%s from %s%s%s%s\n", e->action, e->kind->name,
		       e->m.old_id, e->m.key, id, path, why ? " (" : "", why ? why : "", why ? ")" : "");
	}
	if (dry_run)
		printf("dry run: %zu would be restored, %zu skipped; nothing was created%s\n",
		       restore_count(entries, "would-restore"), restore_count(entries, "skipped"),
		       restore_count(entries, "would-restore") ? ": run with --yes to restore them" : "");
	else
		printf("%zu restored, %zu skipped, %zu failed\n", restore_count(entries, "restored"),
		       restore_count(entries, "skipped"), restore_count(entries, "failed"));
}

/*
 * The one line on standard error after a report with entries not
 * restored, which says what the report's lines say one by one:
 * "ipcinspect: restore: 2 of 3 entries not restored (1 failed, 1
 * skipped)".  Not after a signal: cmd_restore says that.
 */
static void report_not_restored(const struct vec *entries, bool dry_run)
{
	size_t failed = restore_count(entries, "failed"), skipped = restore_count(entries, "skipped");
	_cleanup_free_ char *f = failed ? xasprintf("%zu failed", failed) : NULL;
	_cleanup_free_ char *k = skipped ? xasprintf("%zu skipped", skipped) : NULL;

	if ((!failed && !skipped) || restore_caught_signal())
		return;
	fflush(stdout);	/* after the report, where both go to one place */
	fprintf(stderr, "ipcinspect: restore: %zu of %zu entr%s %s restored (%s%s%s)\n",
		failed + skipped, entries->len, entries->len == 1 ? "y" : "ies",
		dry_run ? "would not be" : "not", f ? f : "", f && k ? ", " : "", k ? k : "");
}


void restore_report(const struct vec *entries, const struct vec *problems,
		    const struct snapshot *s, bool json, bool dry_run)
{
	if (json)
		print_json(entries, problems, s, dry_run);
	else if (!problems->len)
		print_text(entries, dry_run);
	report_not_restored(entries, dry_run);
}

/*
 * orphans, clean and rm: see cleanup.h.  clean plans from the verdicts
 * (orphans, suspects with --suspects; old enough; not root's unless asked),
 * prints the plan as a dry run or hands each object to act_remove(); rm
 * checks every argument before removing anything, as ipcrm does not (the
 * checks are in rm-check.c).
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "act.h"
#include "backup.h"
#include "cleanup.h"
#include "idcache.h"
#include "jsonw.h"
#include "leftout.h"
#include "render.h"
#include "strutils.h"
#include "xalloc.h"

/* ---- orphans ---------------------------------------------------------- */

static bool is_orphan_or_suspect(const struct ipc_kind *kind, const void *obj, const void *ctx)
{
	const struct verdict *v = kind_verdict(kind, obj);

	(void)ctx;
	return v && (v->value == VERDICT_ORPHAN || v->value == VERDICT_SUSPECT);
}

void orphans_filter(struct snapshot *s)
{
	snapshot_keep(s, is_orphan_or_suspect, NULL);
}

int orphans_status(const struct snapshot *s)
{
	size_t i, j;

	for (i = 0; i < KIND_COUNT; i++)
		for (j = 0; s->kinds[i].kind && j < s->kinds[i].objs.len; j++) {
			const struct verdict *v = kind_verdict(s->kinds[i].kind,
							       vec_at(&s->kinds[i].objs, j));

			if (v && v->value == VERDICT_ORPHAN)
				return EXIT_ORPHANS;
		}
	return EXIT_OK;
}

/* ---- what an object is, for the report --------------------------------- */

struct item {
	const struct ipc_kind *kind;
	const void *obj;
	struct obj_ident id;	/* what names it: the kind's identify hook */
	const char *action;	/* "would-remove", "removed", "kept", ... */
	char *why;		/* owned; NULL when there is nothing to add */
	char *backup;		/* owned; the --backup entry written, or NULL */
};

static void item_write_json(struct jw *w, const struct item *it, const struct render_opts *ro)
{
	const struct verdict *v = kind_verdict(it->kind, it->obj);
	struct value val;

	jw_obj_begin(w);
	jw_key(w, "kind");
	jw_str(w, it->kind->name);
	jw_key(w, "id");
	if (it->id.has_id)
		jw_s64(w, it->id.id);
	else
		jw_null(w);
	jw_key(w, "key");
	if (it->id.has_id)
		VALUE_U32(&val, VAL_KEY, it->id.key);
	else
		value_set(&val, VAL_NULL);
	value_write_json(w, &val, ro);
	jw_key(w, "path");
	if (it->id.has_id || !it->id.path)
		jw_null(w);
	else
		jw_str(w, it->id.path);
	jw_key(w, "uid");
	jw_u64(w, it->id.uid);
	jw_key(w, "user");
	VALUE_U32(&val, VAL_USER, it->id.uid);
	value_write_json(w, &val, ro);
	jw_key(w, "size");
	if (it->id.has_size)
		jw_u64(w, it->id.size);
	else
		jw_null(w);
	jw_key(w, "verdict");
	verdict_get(it->kind, v, VCOL_VERDICT, &val);
	value_write_json(w, &val, ro);
	jw_key(w, "reasons");
	verdict_get(it->kind, v, VCOL_REASONS, &val);
	value_write_json(w, &val, ro);
	jw_key(w, "action");
	jw_str(w, it->action);
	jw_key(w, "why");
	if (it->why)
		jw_str(w, it->why);
	else
		jw_null(w);
	jw_key(w, "backup");
	if (it->backup)
		jw_str(w, it->backup);
	else
		jw_null(w);
	jw_obj_end(w);
}

/* "shm 5 key 0x0000abcd owner alice size 4K" or "fifo /run/x.fifo owner bob". */
static char *item_text(const struct item *it, const struct render_opts *ro)
{
	const char *user = idcache_name(ro->users, it->id.uid);
	_cleanup_free_ char *owner = user ? escape_str(user, ESCAPE_TERM)
					  : xasprintf("%" PRIu32, it->id.uid);
	_cleanup_free_ char *size = NULL, *human = NULL, *path = NULL;

	if (it->id.has_size) {
		human = ro->bytes ? xasprintf("%" PRIu64, it->id.size) : size_to_human(it->id.size);
		size = xasprintf(" size %s", human);
	}
	if (it->id.has_id)
		return xasprintf("%s %d key 0x%08" PRIx32 " owner %s%s", it->kind->name, it->id.id,
				 it->id.key, owner, size ? size : "");
	path = escape_str(it->id.path ? it->id.path : "", ESCAPE_TERM);
	return xasprintf("%s %s owner %s%s", it->kind->name, path, owner, size ? size : "");
}

/* ---- the report --------------------------------------------------------- */

/* An rm argument that failed its check. */
struct problem {
	const char *kind;	/* "shm", ... */
	const char *arg;	/* as given */
	char *text;		/* owned */
};

struct report {
	struct vec items;	/* struct item */
	struct vec problems;	/* struct problem */
	size_t removed, marked, would, kept, skipped, gone, failed;
	size_t in_use;		/* of the marked: attached at IPC_RMID */
	uint64_t freed, would_free;
	const struct owners *owners;	/* to put verdicts in words */
	struct left_out *left;		/* clean: what it did not consider; else NULL */
};

static void report_add(struct report *r, const struct ipc_kind *kind, const void *obj,
		       const char *action, char *why)
{
	struct item it = { .kind = kind, .obj = obj, .action = action, .why = why };
	uint64_t size;

	act_identify(kind, obj, &it.id);
	size = it.id.has_size ? it.id.size : 0;

	if (strcmp(action, "removed") == 0) {
		r->removed++;
		r->freed += size;
	} else if (strcmp(action, "marked") == 0) {
		r->marked++;	/* freed only at its last detach */
	} else if (strcmp(action, "marked-in-use") == 0) {
		r->marked++;	/* counted as marked; and the exit status says it */
		r->in_use++;
	} else if (strcmp(action, "would-remove") == 0) {
		r->would++;
		r->would_free += size;
	} else if (strcmp(action, "kept") == 0) {
		r->kept++;
	} else if (strcmp(action, "skipped") == 0) {
		r->skipped++;
	} else if (strcmp(action, "gone") == 0) {
		r->gone++;
	} else {
		r->failed++;
	}
	vec_push(&r->items, &it);
}

static void report_free(struct report *r)
{
	size_t i;

	for (i = 0; i < r->items.len; i++) {
		free(((struct item *)vec_at(&r->items, i))->why);
		free(((struct item *)vec_at(&r->items, i))->backup);
	}
	vec_free(&r->items);
	for (i = 0; i < r->problems.len; i++)
		free(((struct problem *)vec_at(&r->problems, i))->text);
	vec_free(&r->problems);
}

static void print_text(const struct report *r, const struct options *o, bool dry_run)
{
	const struct render_opts *ro = &o->render;
	_cleanup_free_ char *freed = NULL;
	size_t i;

	for (i = 0; i < r->items.len; i++) {
		const struct item *it = vec_at(&r->items, i);
		_cleanup_free_ char *what = item_text(it, ro), *verdict = NULL;
		_cleanup_free_ char *why = it->why ? escape_str(it->why, ESCAPE_TERM) : NULL;

		verdict = verdict_words(it->kind, it->obj, true);
		if (why)
			printf("%s %s: %s (%s)\n", it->action, what, why, verdict);
		else
			printf("%s %s: %s\n", it->action, what, verdict);
		if (it->backup) {
			_cleanup_free_ char *entry = escape_str(it->backup, ESCAPE_TERM);

			printf("  backup: %s\n", entry);
		}
	}
	if (dry_run) {
		freed = ro->bytes ? xasprintf("%" PRIu64, r->would_free) : size_to_human(r->would_free);
		printf("dry run: %zu would be removed (%s), %zu kept; nothing was removed%s\n",
		       r->would, freed, r->kept, r->would ? ": run with --yes to remove them" : "");
	} else {
		freed = ro->bytes ? xasprintf("%" PRIu64, r->freed) : size_to_human(r->freed);
		printf("%zu removed (%s freed), %zu marked, %zu kept, %zu skipped, %zu already gone, "
		       "%zu failed\n", r->removed, freed, r->marked, r->kept, r->skipped, r->gone,
		       r->failed);
	}
	if (r->left)
		left_out_print(r->left, o->suspects);
}

/* A list member whose elements are one per line; each() writes element i. */
static void json_list(struct jw *w, const char *key, size_t n,
		      void (*each)(struct jw *w, size_t i, const void *ctx), const void *ctx)
{
	size_t i;

	jw_key(w, key);
	jw_arr_begin(w);
	jw_lines(w, n);
	for (i = 0; i < n; i++)
		each(w, i, ctx);
	jw_lines_end(w, n);
	jw_arr_end(w);
}

struct json_ctx {
	const struct report *r;
	const struct render_opts *ro;
};

static void action_json(struct jw *w, size_t i, const void *ctx)
{
	const struct json_ctx *c = ctx;

	const struct item *it = vec_at(&c->r->items, i);

	item_write_json(w, it, c->ro);
}

static void problem_json(struct jw *w, size_t i, const void *ctx)
{
	const struct json_ctx *c = ctx;
	const struct problem *p = vec_at(&c->r->problems, i);

	jw_obj_begin(w);
	jw_key(w, "kind");
	jw_str(w, p->kind);
	jw_key(w, "arg");
	jw_str(w, p->arg);
	jw_key(w, "problem");
	jw_str(w, p->text);
	jw_obj_end(w);
}

/* One document, written as it goes: a clean of many orphans is no tree. */
static void print_json(const struct report *r, const struct options *o,
		       const struct snapshot *s, const char *command, bool dry_run)
{
	const struct json_ctx ctx = { r, &o->render };
	const struct { const char *key; size_t n; } sums[] = {
		{ "removed", r->removed }, { "marked", r->marked }, { "would_remove", r->would },
		{ "kept", r->kept }, { "skipped", r->skipped }, { "gone", r->gone },
		{ "failed", r->failed },
	};
	struct jw w;
	size_t i;

	jw_init(&w, stdout);
	json_doc_begin(&w, s);
	jw_key(&w, "command");
	jw_str(&w, command);
	jw_key(&w, "dry_run");
	jw_bool(&w, dry_run);
	json_list(&w, "actions", r->items.len, action_json, &ctx);
	json_list(&w, "problems", r->problems.len, problem_json, &ctx);
	if (r->left)
		left_out_json(&w, r->left);
	jw_key(&w, "summary");
	jw_obj_begin(&w);
	for (i = 0; i < sizeof(sums) / sizeof(sums[0]); i++) {
		jw_key(&w, sums[i].key);
		jw_u64(&w, sums[i].n);
	}
	jw_key(&w, "bytes_freed");
	jw_u64(&w, dry_run ? r->would_free : r->freed);
	jw_obj_end(&w);
	json_doc_end(&w);
	/* a write error shows in ferror(stdout), which main checks */
	jw_finish(&w);
}

/*
 * The one line on standard error after a report with failures, which
 * says what the report's lines say one by one: "ipcinspect: clean: 2 of
 * 5 removals failed", and in parentheses the segments marked while still
 * attached and (rm) the objects left in place, when there are some.
 */
static void report_failures(const struct report *r, const char *command, size_t failed,
			    size_t left)
{
	size_t tried = r->removed + r->marked + r->skipped + r->gone + r->failed;
	_cleanup_free_ char *still = r->in_use ? xasprintf("%zu still attached", r->in_use) : NULL;
	_cleanup_free_ char *kept = left ? xasprintf("%zu left in place as %s changed", left,
						     left == 1 ? "it" : "they") : NULL;

	fflush(stdout);	/* after the report, where both go to one place */
	fprintf(stderr, "ipcinspect: %s: %zu of %zu removal%s failed%s%s%s%s%s\n", command, failed,
		tried, tried == 1 ? "" : "s", still || kept ? " (" : "", still ? still : "",
		still && kept ? ", " : "", kept ? kept : "", still || kept ? ")" : "");
}

/*
 * Prints the report, frees it, and gives the exit status: 1 when a
 * removal failed or a segment was attached at IPC_RMID (marked, in use),
 * and for rm also when an object named was left in place (skipped), so
 * that `ipcinspect rm ... && next` never goes on wrongly; then one line
 * on standard error says so (report_failures).
 */
static int report_finish(struct report *r, const struct options *o, const struct snapshot *s,
			 const char *command, bool dry_run)
{
	size_t left = strcmp(command, "rm") == 0 ? r->skipped : 0;
	size_t failed = r->failed + r->in_use + left;

	if (o->render.json)
		print_json(r, o, s, command, dry_run);
	else
		print_text(r, o, dry_run);
	if (failed)
		report_failures(r, command, failed, left);
	report_free(r);
	return failed ? EXIT_DATA : EXIT_OK;
}

static void act_and_report(struct report *r, const struct ipc_kind *kind, const void *obj,
			   enum act_check check, const struct act_backup *bk, bool with_syslog)
{
	static const char *const names[] = {
		[ACT_REMOVED] = "removed", [ACT_MARKED] = "marked",
		[ACT_MARKED_IN_USE] = "marked-in-use", [ACT_SKIPPED] = "skipped",
		[ACT_GONE] = "gone", [ACT_FAILED] = "failed",
	};
	struct act_outcome out;

	act_remove(kind, obj, check, bk, with_syslog, &out);
	if (out.result == ACT_MARKED && !out.why)
		out.why = xstrdup("still attached: removed at its last detach");
	report_add(r, kind, obj, names[out.result], out.why);
	((struct item *)vec_at(&r->items, r->items.len - 1))->backup = out.backup;
}

/*
 * --backup DIR, checked before anything else (also in a dry run): a DIR
 * that would expose the backups is a usage error, and nothing goes.
 * Returns false after the message.
 */
static bool open_backup_dir(const struct options *o, struct backup_dir *ret)
{
	_cleanup_free_ char *why = NULL;

	*ret = (struct backup_dir){ .fd = -1 };
	if (!o->backup_dir)
		return true;
	if (backup_dir_open(o->backup_dir, ret, &why) == 0)
		return true;
	fprintf(stderr, "ipcinspect: --backup %s: %s\n", o->backup_dir, why);
	return false;
}

/* ---- clean ---------------------------------------------------------------- */

/*
 * Root and system users, kept unless --include-root: uid < 1000 (Debian's
 * SYS_UID_MAX 999), nobody, and systemd's dynamic users (61184-65519).
 */
static bool is_system_uid(uint32_t uid)
{
	return uid < 1000 || uid == 65534 || (uid >= 61184 && uid <= 65519);
}

/*
 * Why an orphan (or suspect) is kept, or NULL when it goes: too young,
 * or root's.  Returns an allocated string.
 */
static char *keep_reason(const struct options *o, const struct item *it, const struct verdict *v)
{
	uint32_t uid = it->id.uid;
	/* writes through a mapping change no time of the file: not "idle" */
	bool unchanged = it->kind->policy & KIND_POLICY_AGE_UNCHANGED;

	if (!v->has_age || v->age < o->min_age) {
		_cleanup_free_ char *age = v->has_age ? duration_to_text(v->age) : NULL;
		_cleanup_free_ char *min = duration_to_text(o->min_age);

		return age ? xasprintf("%s for %s, less than --min-age %s",
				       unchanged ? "unchanged" : "idle", age, min)
			   : xstrdup("no activity time recorded: its age is unknown");
	}
	if (!o->include_root && is_system_uid(uid))
		return xasprintf("owned by %s (uid %" PRIu32 "): only with --include-root",
				 uid == 0 ? "root" : "a system user", uid);
	/* doc/kernel-facts.md, "Context": its owner may still use it */
	if (v->value == VERDICT_SUSPECT && v->owner_procs && !o->even_if_owner_runs) {
		_cleanup_free_ char *owner = verdict_owner_text(v, NULL);

		return xasprintf("%s: only with --even-if-owner-runs", owner);
	}
	return NULL;
}

/*
 * An orphan or suspect clean could remove: one its kind calls cleanable
 * (a FIFO or a socket only as a file; a kind without identify, never).
 */
static bool clean_candidate(const struct item *it, const struct verdict *v)
{
	if (!v || !(v->value == VERDICT_ORPHAN || v->value == VERDICT_SUSPECT))
		return false;
	return it->id.cleanable;
}

/* After the actions: the POSIX suspects a removed segment's owner leaves. */
static void note_stranded(struct report *r, const struct snapshot *s)
{
	_cleanup_free_ const void **removed = xcalloc(r->items.len + 1, sizeof(*removed));
	size_t i, n = 0;

	for (i = 0; i < r->items.len; i++) {
		const struct item *it = vec_at(&r->items, i);

		if ((it->kind->policy & KIND_POLICY_STRANDABLE) &&
		    strcmp(it->action, "removed") == 0)
			removed[n++] = it->obj;
	}
	for (i = 0; i < r->items.len; i++) {
		const struct item *it = vec_at(&r->items, i);

		if ((it->kind->policy & KIND_POLICY_STRANDS) &&
		    (strcmp(it->action, "removed") == 0 || strncmp(it->action, "marked", 6) == 0))
			left_out_stranded(r->left, s, it->id.uid, removed, n);
	}
}

int cmd_clean(const struct options *o, struct snapshot *s)
{
	struct left_out left = LEFT_OUT_INIT;
	struct report r = { .items = VEC_INIT(struct item), .problems = VEC_INIT(struct problem),
			    .owners = s->owners, .left = &left };
	bool dry_run = !o->yes;
	struct backup_dir dir;
	size_t i, j;
	int status;

	if (!open_backup_dir(o, &dir)) {
		report_free(&r);
		return EXIT_USAGE;
	}
	left_out_kinds(&left, s, o->report_only);
	for (i = 0; i < KIND_COUNT; i++) {
		const struct kind_objs *ko = &s->kinds[i];
		const struct act_backup bk = {
			.dir = &dir, .snap = s, .ko = ko, .ro = &o->render,
		};

		for (j = 0; ko->kind && j < ko->objs.len; j++) {
			const void *obj = vec_at(&ko->objs, j);
			const struct verdict *v = kind_verdict(ko->kind, obj);
			struct item it = { .kind = ko->kind, .obj = obj };
			char *keep;

			act_identify(ko->kind, obj, &it.id);
			if ((o->report_only & (1u << i)) || !clean_candidate(&it, v))
				continue;
			if (v->value == VERDICT_SUSPECT && !o->suspects) {
				left.suspects++;
				continue;
			}
			keep = keep_reason(o, &it, v);
			if (!keep && o->backup_dir && !ko->kind->backup)
				keep = act_no_backup_why(ko->kind);
			if (keep)
				report_add(&r, ko->kind, obj, "kept", keep);
			else if (dry_run)
				report_add(&r, ko->kind, obj, "would-remove", NULL);
			else
				act_and_report(&r, ko->kind, obj, ACT_SAME_STATE,
					       o->backup_dir ? &bk : NULL, !o->no_syslog);
		}
	}
	backup_dir_close(&dir);
	if (!dry_run)
		note_stranded(&r, s);
	status = report_finish(&r, o, s, "clean", dry_run);
	left_out_free(&left);
	return status;
}

/* ---- rm ------------------------------------------------------------------ */

int cmd_rm(const struct options *o, struct snapshot *s)
{
	struct report r = { .items = VEC_INIT(struct item), .problems = VEC_INIT(struct problem),
			    .owners = s->owners };
	_cleanup_free_ const void **objs = xcalloc(o->ntargets, sizeof(*objs));
	bool admin = has_sys_admin();
	struct backup_dir dir;
	size_t i, k, problems = 0;

	if (!open_backup_dir(o, &dir)) {
		report_free(&r);
		return EXIT_USAGE;
	}
	/* every argument first: if any fails, nothing is removed */
	for (i = 0; i < o->ntargets; i++) {
		const struct rm_target *t = &o->targets[i];
		char *problem = NULL;

		objs[i] = find_target(s, t, &problem);
		if (objs[i] && !problem)
			problem = rm_problem(o, ipc_kinds[t->kind], objs[i], admin);
		if (problem) {
			_cleanup_free_ char *arg = escape_str(t->arg, ESCAPE_TERM);
			_cleanup_free_ char *text = escape_str(problem, ESCAPE_TERM);
			struct problem p = { ipc_kinds[t->kind]->name, t->arg, problem };

			fprintf(stderr, "ipcinspect: rm %s %s: %s\n", kind_words(t->kind), arg, text);
			vec_push(&r.problems, &p);
			problems++;
		}
	}
	if (problems) {
		fprintf(stderr, "ipcinspect: rm: %zu of %zu argument%s failed the checks: nothing "
			"was removed\n", problems, o->ntargets, o->ntargets == 1 ? "" : "s");
		/* with --json, still one document: what failed, nothing done */
		if (o->render.json)
			print_json(&r, o, s, "rm", false);
		report_free(&r);
		backup_dir_close(&dir);
		return EXIT_DATA;
	}
	for (i = 0; i < o->ntargets; i++) {
		const struct act_backup bk = {
			.dir = &dir, .snap = s, .ko = &s->kinds[o->targets[i].kind],
			.ro = &o->render, .force = o->force,
		};

		for (k = 0; k < i && objs[k] != objs[i]; k++)
			;
		if (k < i)
			continue;	/* named twice */
		act_and_report(&r, ipc_kinds[o->targets[i].kind], objs[i],
			       o->force ? ACT_SAME_OBJECT : ACT_SAME_STATE,
			       o->backup_dir ? &bk : NULL, !o->no_syslog);
	}
	backup_dir_close(&dir);
	return report_finish(&r, o, s, "rm", false);
}

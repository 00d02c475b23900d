/*
 * watch's output: one event as one line.  Text: "TIME EVENT KIND NAME
 * details", every untrusted byte (names, comms, reasons) escaped for the
 * terminal so that a line stays one line.  JSON (JSON Lines): one compact
 * object, the event's members around the object's own, written by the
 * renderer list --json uses (json_write_members), so the keys and values
 * are list's (ipcinspect-json(5), WATCH EVENTS).
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "kind.h"
#include "reasons.h"
#include "render.h"
#include "strutils.h"
#include "watch.h"
#include "xalloc.h"

static char *object_name(const struct watch_event *ev, const struct render_opts *ro)
{
	struct value v;
	_cleanup_free_ char *raw = NULL;

	if (!ev->ko)
		return escape_str(ev->limit, ESCAPE_TERM);
	ev->ko->kind->get(ev->obj, 0, &v);
	raw = value_to_text(&v, ro);
	return escape_str(raw, ESCAPE_TERM);
}

/* "by 5 (a), 6 (b)" */
static void pids_text(FILE *out, const struct watch_pid *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		_cleanup_free_ char *comm = escape_str(p[i].comm ? p[i].comm : "?", ESCAPE_TERM);

		fprintf(out, "%s%d (%s)", i ? ", " : " by ", p[i].pid, comm);
	}
}

static void details_text(FILE *out, const struct watch_event *ev)
{
	const struct ipc_kind *kind = ev->ko ? ev->ko->kind : NULL;
	_cleanup_free_ char *words = NULL, *comm = NULL;
	size_t i;

	if (!kind) {
		fprintf(out, " used %" PRIu64 " of %" PRIu64 ": %s %u%%", ev->used, ev->value,
			ev->upward ? "reached" : "back below", ev->threshold);
		return;
	}
	if (ev->npids || ev->has_nattch) {
		pids_text(out, ev->pids, ev->npids);
		if (ev->has_nattch) {
			struct value v;
			int col = kind_column_index(kind, "NATTCH");

			kind->get(ev->obj, (size_t)col, &v);
			fprintf(out, "%snattch %" PRId64 " -> %" PRId64, ev->npids ? "; " : " ",
				ev->nattch_before, v.type == VAL_U64 ? (int64_t)v.u.u64 : v.u.s64);
		}
		return;
	}
	if (ev->nroles) {
		comm = escape_str(ev->actor.comm ? ev->actor.comm : "?", ESCAPE_TERM);
		fputc(' ', out);
		for (i = 0; i < ev->nroles; i++)
			fprintf(out, "%s%s", i ? "/" : "", ev->roles[i]);
		fprintf(out, " %d (%s) exited", ev->actor.pid, comm);
		return;
	}
	words = verdict_words(kind, ev->obj, true);
	fprintf(out, " %s%s%s%s", ev->verdict_before ? ev->verdict_before : "",
		ev->verdict_before ? " -> " : "", strcmp(ev->name, "removed") == 0 ? "was " : "",
		words);
}

static int event_text(struct watch_out *wo, const struct watch_event *ev)
{
	_cleanup_free_ char *when = time_to_text_as(ev->time, ev->time, TIME_ISO);
	_cleanup_free_ char *name = object_name(ev, wo->ro);

	fprintf(wo->out, "%s %s %s %s", when, ev->name, ev->ko ? ev->ko->kind->name : limits_kind.name,
		name);
	details_text(wo->out, ev);
	if (ev->ipc_ns && ev->ipc_ns != wo->ipc_ns)
		fprintf(wo->out, "; IPC namespace %" PRIu64, ev->ipc_ns);
	fputc('\n', wo->out);
	return 0;
}

static void pids_json(struct jw *w, const struct watch_pid *p, size_t n)
{
	size_t i;

	jw_key(w, "pids");
	jw_arr_begin(w);
	for (i = 0; i < n; i++) {
		jw_obj_begin(w);
		jw_key(w, "pid");
		jw_s64(w, p[i].pid);
		jw_key(w, "comm");
		jw_str_or_null(w, p[i].comm);
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

/* The members an event adds to the object's. */
static void extras_json(struct jw *w, const struct watch_event *ev)
{
	size_t i;

	if (strcmp(ev->name, "attached") == 0 || strcmp(ev->name, "detached") == 0)
		pids_json(w, ev->pids, ev->npids);
	if (ev->has_nattch || ev->verdict_before) {
		jw_key(w, "previous");
		jw_obj_begin(w);
		jw_key(w, ev->has_nattch ? "nattch" : "verdict");
		if (ev->has_nattch)
			jw_s64(w, ev->nattch_before);
		else
			jw_str(w, ev->verdict_before);
		jw_obj_end(w);
	}
	if (ev->nroles) {
		jw_key(w, "actor");
		jw_obj_begin(w);
		jw_key(w, "pid");
		jw_s64(w, ev->actor.pid);
		jw_key(w, "comm");
		jw_str_or_null(w, ev->actor.comm);
		jw_key(w, "roles");
		jw_arr_begin(w);
		for (i = 0; i < ev->nroles; i++)
			jw_str(w, ev->roles[i]);
		jw_arr_end(w);
		jw_obj_end(w);
	}
}

static void limit_json(struct jw *w, const struct watch_event *ev)
{
	jw_key(w, "limit");
	jw_obj_begin(w);
	jw_key(w, "name");
	jw_str(w, ev->limit);
	jw_key(w, "value");
	jw_u64(w, ev->value);
	jw_key(w, "used");
	jw_u64(w, ev->used);
	jw_key(w, "threshold");
	jw_s64(w, ev->threshold);
	jw_key(w, "direction");
	jw_str(w, ev->upward ? "up" : "down");
	jw_obj_end(w);
}

static int event_json(struct watch_out *wo, const struct watch_event *ev)
{
	struct jw w;
	int r;

	jw_init(&w, wo->out);
	jw_obj_begin(&w);
	jw_key(&w, "event");
	jw_str(&w, ev->name);
	jw_key(&w, "time");
	jw_s64(&w, ev->time);
	jw_key(&w, "ipc_ns");
	if (ev->ipc_ns)
		jw_u64(&w, ev->ipc_ns);
	else
		jw_null(&w);
	jw_key(&w, "kind");
	jw_str(&w, ev->ko ? ev->ko->kind->name : limits_kind.name);
	if (ev->ko) {
		json_write_members(&w, ev->ko, ev->obj, wo->ro);
		extras_json(&w, ev);
	} else {
		limit_json(&w, ev);
	}
	jw_obj_end(&w);
	r = jw_finish(&w);
	if (r == 0 && fputc('\n', wo->out) == EOF)
		r = -EIO;
	return r;
}

int watch_event_write(struct watch_out *wo, const struct watch_event *ev)
{
	int r = wo->json ? event_json(wo, ev) : event_text(wo, ev);

	if (r == 0 && ferror(wo->out))
		r = -EIO;
	return r;
}

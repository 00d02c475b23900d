/*
 * The metrics renderer: a judged snapshot as Prometheus's text exposition
 * format, version 0.0.4 (a HELP and a TYPE line per family, then its
 * samples).  Every family is a gauge: each value is the state of this
 * run, none counts up.  Labels are few and of low cardinality (namespace,
 * kind, verdict, limit, version): no id, key, pid or path.  It reads the
 * snapshot only; the one other I/O is the textfile's atomic replacement,
 * in metrics_textfile() at the end.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicfile.h"
#include "metrics.h"
#include "model.h"
#include "owners.h"
#include "procscan.h"
#include "strutils.h"
#include "xalloc.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The verdicts every kind gets a series of, zeros included. */
static const enum verdict_value verdicts[] = {
	VERDICT_IN_USE, VERDICT_ORPHAN, VERDICT_SUSPECT, VERDICT_UNKNOWN,
};

/* One IPC namespace's objects and limits, and its label (NULL: none). */
struct scope {
	const char *ns;
	const struct kind_objs *kinds;	/* KIND_COUNT of them */
	const struct kind_objs *limits;
};

/*
 * The namespace label of another IPC namespace: its container as people
 * name it ("docker:0123456789ab", cgroup.h), else its inode as a string,
 * which is also what a second namespace of the same container gets: two
 * series with the same labels would make the exposition invalid.
 */
static char *section_label(const struct ns_section *sec, char *const *earlier, size_t n)
{
	char label[CGROUP_NAME_MAX + 16];
	size_t i;

	cgroup_container_label(&sec->cgroup, label, sizeof(label));
	for (i = 0; label[0] && i < n; i++)
		if (earlier[i] && strcmp(earlier[i], label) == 0)
			label[0] = '\0';
	if (label[0])
		return xstrdup(label);
	return xasprintf("%" PRIu64, sec->ipc_ns);
}

void metrics_label_value(FILE *f, const char *s)
{
	/* valid UTF-8 first (bad bytes as \xHH, '\' doubled), then the format's escapes */
	_cleanup_free_ char *utf8 = escape_str(s, ESCAPE_JSON);
	const char *p;

	putc('"', f);
	for (p = utf8; *p; p++) {
		if (*p == '\\' || *p == '"')
			putc('\\', f), putc(*p, f);
		else if (*p == '\n')
			fputs("\\n", f);
		else
			putc(*p, f);
	}
	putc('"', f);
}

static void family(FILE *f, const char *name, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

/* name{namespace="..",k1="v1",k2="v2"} with the labels given (k NULL: none). */
static void sample_start(FILE *f, const char *name, const struct scope *sc, const char *k1,
			 const char *v1, const char *k2, const char *v2)
{
	const char *sep = "{";

	fputs(name, f);
	if (sc && sc->ns) {
		fputs("{namespace=", f);
		metrics_label_value(f, sc->ns);
		sep = ",";
	}
	if (k1) {
		fprintf(f, "%s%s=", sep, k1);
		metrics_label_value(f, v1);
		sep = ",";
	}
	if (k2) {
		fprintf(f, ",%s=", k2);
		metrics_label_value(f, v2);
	}
	if (*sep == ',')
		putc('}', f);
	putc(' ', f);
}

/* A value in milliseconds as seconds: no printf("%f"), whose decimal
 * point is the locale's (LC_NUMERIC is set for the table). */
static void put_ms(FILE *f, int64_t ms)
{
	uint64_t abs_ms = ms < 0 ? (uint64_t)0 - (uint64_t)ms : (uint64_t)ms;

	fprintf(f, "%s%" PRIu64 ".%03" PRIu64 "\n", ms < 0 ? "-" : "", abs_ms / 1000,
		abs_ms % 1000);
}

static void run_series(FILE *f, const struct metrics_run *run)
{
	family(f, "ipcinspect_up", "1 when the collection succeeded, 0 when it failed");
	fprintf(f, "ipcinspect_up %d\n", run->up ? 1 : 0);
	family(f, "ipcinspect_build_info", "the version of ipcinspect that wrote this, as a label");
	sample_start(f, "ipcinspect_build_info", NULL, "version", PACKAGE_VERSION, NULL, NULL);
	fputs("1\n", f);
	family(f, "ipcinspect_last_run_timestamp_seconds", "when the run ended, in epoch seconds");
	fputs("ipcinspect_last_run_timestamp_seconds ", f);
	put_ms(f, run->timestamp_ms);
	family(f, "ipcinspect_run_duration_seconds", "how long the run took");
	fputs("ipcinspect_run_duration_seconds ", f);
	put_ms(f, run->duration_ms);
}

/* A kind with series: selected, its source there, and judged. */
static bool kind_shown(const struct kind_objs *ko)
{
	return ko->kind && !ko->unavailable && ko->kind->verdict_offset;
}

/* The verdict of object i of a shown kind. */
static enum verdict_value obj_verdict(const struct kind_objs *ko, size_t i)
{
	const struct verdict *v = kind_verdict(ko->kind, vec_at(&ko->objs, i));

	return v ? (enum verdict_value)v->value : VERDICT_NONE;
}

static void objects_series(FILE *f, const struct scope *sc, size_t nsc)
{
	size_t n, k, v, i;

	family(f, "ipcinspect_objects", "IPC objects by kind and verdict");
	for (n = 0; n < nsc; n++)
		for (k = 0; k < KIND_COUNT; k++) {
			const struct kind_objs *ko = &sc[n].kinds[k];

			for (v = 0; kind_shown(ko) && v < ARRAY_SIZE(verdicts); v++) {
				uint64_t count = 0;

				for (i = 0; i < ko->objs.len; i++)
					count += obj_verdict(ko, i) == verdicts[v];
				sample_start(f, "ipcinspect_objects", &sc[n], "kind", ko->kind->name,
					     "verdict", verdict_name(verdicts[v]));
				fprintf(f, "%" PRIu64 "\n", count);
			}
		}
}

static size_t column_by_json(const struct ipc_kind *kind, const char *json)
{
	size_t c;

	for (c = 0; c < kind->ncolumns; c++)
		if (strcmp(kind->columns[c].json, json) == 0)
			break;
	return c;
}

static void bytes_series(FILE *f, const struct scope *sc, size_t nsc)
{
	size_t n, k, v, i, col;

	family(f, "ipcinspect_object_bytes",
	       "bytes the IPC objects hold (shm, pshm, memfd: size; msg, pmq: bytes queued), "
	       "by kind and verdict");
	for (n = 0; n < nsc; n++)
		for (k = 0; k < KIND_COUNT; k++) {
			const struct kind_objs *ko = &sc[n].kinds[k];

			if (!kind_shown(ko) || !ko->kind->bytes_column)
				continue;
			col = column_by_json(ko->kind, ko->kind->bytes_column);
			for (v = 0; col < ko->kind->ncolumns && v < ARRAY_SIZE(verdicts); v++) {
				uint64_t sum = 0;

				for (i = 0; i < ko->objs.len; i++) {
					const void *obj = vec_at(&ko->objs, i);
					struct value val;

					if (obj_verdict(ko, i) != verdicts[v])
						continue;
					ko->kind->get(obj, col, &val);
					if (val.type == VAL_SIZE)
						sum += val.u.u64;
				}
				sample_start(f, "ipcinspect_object_bytes", &sc[n], "kind",
					     ko->kind->name, "verdict", verdict_name(verdicts[v]));
				fprintf(f, "%" PRIu64 "\n", sum);
			}
		}
}

/* The oldest age among the objects of verdict want, per kind: absent
 * where the kind has none with a known age. */
static void age_series(FILE *f, const struct scope *sc, size_t nsc, enum verdict_value want,
		       const char *name, const char *help)
{
	size_t n, k, i;

	family(f, name, help);
	for (n = 0; n < nsc; n++)
		for (k = 0; k < KIND_COUNT; k++) {
			const struct kind_objs *ko = &sc[n].kinds[k];
			bool any = false;
			uint32_t oldest = 0;

			for (i = 0; kind_shown(ko) && i < ko->objs.len; i++) {
				const struct verdict *vd = kind_verdict(ko->kind, vec_at(&ko->objs, i));

				if (vd && vd->value == want && vd->has_age) {
					oldest = !any || vd->age > oldest ? vd->age : oldest;
					any = true;
				}
			}
			if (!any)
				continue;
			sample_start(f, name, &sc[n], "kind", ko->kind->name, NULL, NULL);
			fprintf(f, "%" PRIu32 "\n", oldest);
		}
}

/* --state: orphans whose creator is gone and remembered, per kind that records creators. */
static void remembered_series(FILE *f, const struct scope *sc, size_t nsc)
{
	size_t n, k, i;

	family(f, "ipcinspect_orphans_remembered",
	       "orphans whose exited creator a watcher remembered (--state), by kind");
	for (n = 0; n < nsc; n++)
		for (k = 0; k < KIND_COUNT; k++) {
			const struct kind_objs *ko = &sc[n].kinds[k];
			uint64_t count = 0;

			if (!kind_shown(ko) || !ko->kind->creator_offset)
				continue;
			for (i = 0; i < ko->objs.len; i++) {
				const struct actor *a = (const struct actor *)
					((const char *)vec_at(&ko->objs, i) + ko->kind->creator_offset);

				count += obj_verdict(ko, i) == VERDICT_ORPHAN && a->remembered;
			}
			sample_start(f, "ipcinspect_orphans_remembered", &sc[n], "kind",
				     ko->kind->name, NULL, NULL);
			fprintf(f, "%" PRIu64 "\n", count);
		}
}

static void limit_series(FILE *f, const struct scope *sc, size_t nsc, bool usage)
{
	const char *name = usage ? "ipcinspect_limit_usage" : "ipcinspect_limit";
	size_t n, i;

	if (usage)
		family(f, name, "usage the kernel counts against the limit of the same name");
	else
		family(f, name, "kernel IPC limits, in the unit of each (bytes, pages, "
		       "segments, ...); an unlimited one is absent");
	for (n = 0; n < nsc; n++)
		for (i = 0; sc[n].limits->kind && i < sc[n].limits->objs.len; i++) {
			const char *lname;
			uint64_t value, used;
			bool has_used;

			if (!limits_quantity(vec_at(&sc[n].limits->objs, i), &lname, &value,
					     &has_used, &used) ||
			    (usage && !has_used))
				continue;
			sample_start(f, name, &sc[n], "limit", lname, NULL, NULL);
			fprintf(f, "%" PRIu64 "\n", usage ? used : value);
		}
}

static void scan_series(FILE *f, const struct procscan *scan)
{
	family(f, "ipcinspect_scan_processes", "processes the holders scan read");
	fprintf(f, "ipcinspect_scan_processes %zu\n", scan->procs.len);
	family(f, "ipcinspect_scan_unreadable_processes",
	       "processes whose fds, maps or namespaces the scan could not read");
	fprintf(f, "ipcinspect_scan_unreadable_processes %zu\n", scan->unreadable);
	family(f, "ipcinspect_scan_complete",
	       "1 when the scan saw every process that could hold an object");
	fprintf(f, "ipcinspect_scan_complete %d\n", procscan_sees_all(scan) ? 1 : 0);
}

static void snapshot_series(FILE *f, const struct snapshot *s, bool remembered)
{
	struct scope *sc = xcalloc(s->nsections + 1, sizeof(*sc));
	char **labels = xcalloc(s->nsections + 1, sizeof(*labels));
	size_t n, nsc = 1;

	sc[0] = (struct scope){ s->all_namespaces ? "host" : NULL, s->kinds, &s->limits };
	for (n = 0; n < s->nsections; n++) {
		const struct ns_section *sec = &s->sections[n];

		if (sec->error)	/* not entered: nothing to say of it */
			continue;
		labels[nsc] = section_label(sec, labels, nsc);
		sc[nsc] = (struct scope){ labels[nsc], sec->kinds, &sec->limits };
		nsc++;
	}
	objects_series(f, sc, nsc);
	bytes_series(f, sc, nsc);
	age_series(f, sc, nsc, VERDICT_ORPHAN, "ipcinspect_oldest_orphan_age_seconds",
		   "age of the oldest orphan by kind (since its last activity); absent: none");
	age_series(f, sc, nsc, VERDICT_SUSPECT, "ipcinspect_oldest_suspect_age_seconds",
		   "age of the oldest suspect by kind (since its last activity); absent: none");
	if (remembered)
		remembered_series(f, sc, nsc);
	limit_series(f, sc, nsc, false);
	limit_series(f, sc, nsc, true);
	if (s->owners)
		scan_series(f, &s->owners->scan);
	for (n = 0; n < nsc; n++)
		free(labels[n]);
	free(labels);
	free(sc);
}

int metrics_write(FILE *f, const struct snapshot *s, const struct metrics_run *run)
{
	run_series(f, run);
	if (run->up && s)
		snapshot_series(f, s, run->remembered);
	return ferror(f) ? -EIO : 0;
}

/*
 * The file's contents are rendered in memory first so that a failed
 * write keeps its errno (stdio's would say only "error"); mode 0644:
 * node_exporter may run as another user.
 */
int metrics_textfile(const char *dir, const struct snapshot *s, const struct metrics_run *run,
		     const char **ret_step)
{
	static const char *const steps[] = {
		[ATOMICFILE_CREATE] = "cannot create a temporary file in it",
		[ATOMICFILE_WRITE] = "cannot write the temporary file",
		[ATOMICFILE_RENAME] = "cannot rename the temporary file to ipcinspect.prom",
	};
	_cleanup_free_ char *buf = NULL;
	enum atomicfile_step step;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	int r;

	if (!mem || (metrics_write(mem, s, run) < 0) + (fclose(mem) != 0)) {
		*ret_step = steps[ATOMICFILE_WRITE];
		return -ENOMEM;	/* a stream in memory fails only so */
	}
	r = atomicfile_write(dir, "ipcinspect.prom", buf, len, 0644, &step);
	if (r < 0)
		*ret_step = steps[step];
	return r;
}

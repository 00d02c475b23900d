/* Process facts: the scan's, and libproc2's ids; see facts.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libproc2/misc.h>
#include <libproc2/pids.h>

#include "facts.h"
#include "procparse.h"
#include "procscan.h"
#include "sysvipc.h"
#include "xalloc.h"

#define SELECT_MAX 255	/* FILL_ID_MAX in libproc2's pids.c */

/* What only libproc2 reads (from /proc/PID/status): the ids */
enum { I_PID, I_TGID, I_EUID };
static enum pids_item items[] = {
	[I_PID] = PIDS_ID_PID, [I_TGID] = PIDS_ID_TGID, [I_EUID] = PIDS_ID_EUID,
};

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static int cmp_facts(const void *a, const void *b)
{
	return cmp_int(&((const struct proc_facts *)a)->pid, &((const struct proc_facts *)b)->pid);
}

/*
 * argv from /proc/PID/cmdline, split on NUL only: libproc2's
 * PIDS_CMDLINE_V also splits on '\n' and turns an empty cmdline into
 * "-", so an argument with a newline would come back as two.
 */
static char **read_argv(int procfd, int pid)
{
	char path[32];
	_cleanup_free_ char *text = NULL;
	size_t len = 0;

	snprintf(path, sizeof(path), "%d/cmdline", pid);
	if (read_whole_file_at(procfd, path, &text, &len) < 0)
		len = 0;
	return procparse_cmdline(text, len);
}

int facts_read_cgroup(int procfd, int pid, struct cgroup_info *ret)
{
	char path[32];
	_cleanup_free_ char *text = NULL;
	size_t len = 0;
	int r;

	snprintf(path, sizeof(path), "%d/cgroup", pid);
	r = read_whole_file_at(procfd, path, &text, &len);
	if (r < 0) {
		memset(ret, 0, sizeof(*ret));
		return r;
	}
	cgroup_parse(text, len, ret);
	return 0;
}

/*
 * What /proc/PID/stat says of p: the scan's reading for a process it
 * read, or a reading of its own for any other pid (a thread id, a
 * process started since, ipcinspect itself).  false when it cannot be
 * read (gone).
 */
static bool stat_facts(const struct procscan *scan, int procfd, int64_t boot_ms, long hertz,
		       struct proc_facts *p)
{
	const struct scan_proc *sp = scan ? procscan_proc(scan, p->pid) : NULL;
	struct scan_proc own = { .pid = p->pid };
	_cleanup_free_ char *text = NULL;
	unsigned long flags;
	char path[32];

	if (!sp || !sp->has_start) {
		snprintf(path, sizeof(path), "%d/stat", p->pid);
		if (read_whole_file_at(procfd, path, &text, NULL) < 0 ||
		    procscan_parse_stat(text, &own.state, own.comm, &flags, &own.threads) < 0 ||
		    procparse_stat_start(text, &own.start_ticks) < 0)
			return false;
		sp = &own;
	}
	p->comm = xstrdup(sp->comm);
	p->state = sp->state;
	p->threads = (int)sp->threads;
	p->start_ms = facts_start_ms(boot_ms, sp->start_ticks, hertz);
	return true;
}

static int64_t timespec_ms(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000 + ts->tv_nsec / 1000000;
}

int64_t facts_boot_ms(void)
{
	struct timespec real, boot, real2;
	int tries = 0;

	/*
	 * the two realtime reads bracket the boottime read; a thread stopped
	 * between them (a loaded machine) would put the boot time off by
	 * half the stop: read again until they are within a millisecond
	 */
	do {
		clock_gettime(CLOCK_REALTIME, &real);
		clock_gettime(CLOCK_BOOTTIME, &boot);
		clock_gettime(CLOCK_REALTIME, &real2);
	} while (timespec_ms(&real2) - timespec_ms(&real) > 1 && ++tries < 10);
	return (timespec_ms(&real) + timespec_ms(&real2)) / 2 - timespec_ms(&boot);
}

int64_t facts_start_ms(int64_t boot_ms, unsigned long long ticks, long hertz)
{
	if (hertz <= 0)
		hertz = 100;
	return boot_ms + (int64_t)(ticks / (unsigned long long)hertz) * 1000 +
	       (int64_t)(ticks % (unsigned long long)hertz) * 1000 / hertz;
}

int facts_read(const struct procscan *scan, int procfd, const int *pids, size_t n,
	       struct facts *ret)
{
	struct facts f = { 0 };
	struct pids_info *info = NULL;
	_cleanup_free_ int *sorted = NULL;
	_cleanup_free_ unsigned *batch = NULL;
	size_t uniq = 0, i, cap;
	long hertz = procps_hertz_get();
	int r;

	f.boot_ms = facts_boot_ms();
	sorted = xcalloc(n ? n : 1, sizeof(*sorted));
	if (n) {
		memcpy(sorted, pids, n * sizeof(*pids));
		qsort(sorted, n, sizeof(*sorted), cmp_int);
	}
	for (i = 0; i < n; i++)
		if (sorted[i] > 0 && (uniq == 0 || sorted[uniq - 1] != sorted[i]))
			sorted[uniq++] = sorted[i];
	cap = uniq;
	f.procs = xcalloc(cap ? cap : 1, sizeof(*f.procs));
	if (uniq == 0) {
		*ret = f;
		return 0;
	}
	r = procps_pids_new(&info, items, sizeof(items) / sizeof(items[0]));
	if (r < 0) {
		free(f.procs);
		return r;
	}
	batch = xcalloc(SELECT_MAX, sizeof(*batch));
	for (i = 0; i < uniq; i += SELECT_MAX) {
		size_t k, m = uniq - i < SELECT_MAX ? uniq - i : SELECT_MAX;
		struct pids_fetch *fetch;

		for (k = 0; k < m; k++)
			batch[k] = (unsigned)sorted[i + k];
		fetch = procps_pids_select(info, batch, (int)m, PIDS_SELECT_PID);
		if (!fetch)
			continue;
		for (k = 0; k < (size_t)fetch->counts->total && f.len < cap; k++) {
			struct pids_stack *st = fetch->stacks[k];
			struct proc_facts *p = &f.procs[f.len];

			p->pid = PIDS_VAL(I_PID, s_int, st, info);
			p->tgid = PIDS_VAL(I_TGID, s_int, st, info);
			p->euid = PIDS_VAL(I_EUID, u_int, st, info);
			if (!stat_facts(scan, procfd, f.boot_ms, hertz, p))
				continue;	/* gone since libproc2 read it */
			p->argv = read_argv(procfd, p->pid);
			(void)facts_read_cgroup(procfd, p->pid, &p->cgroup);	/* unread: all empty */
			f.len++;
		}
	}
	procps_pids_unref(&info);
	if (f.len > 1)
		qsort(f.procs, f.len, sizeof(*f.procs), cmp_facts);
	*ret = f;
	return 0;
}

void facts_free(struct facts *f)
{
	size_t i, k;

	for (i = 0; i < f->len; i++) {
		free(f->procs[i].comm);
		for (k = 0; f->procs[i].argv && f->procs[i].argv[k]; k++)
			free(f->procs[i].argv[k]);
		free(f->procs[i].argv);
		cgroup_info_free(&f->procs[i].cgroup);
	}
	free(f->procs);
	f->procs = NULL;
	f->len = 0;
}

const struct proc_facts *facts_get(const struct facts *f, int pid)
{
	struct proc_facts key = { .pid = pid };

	if (!f->procs || !f->len)
		return NULL;
	return bsearch(&key, f->procs, f->len, sizeof(*f->procs), cmp_facts);
}

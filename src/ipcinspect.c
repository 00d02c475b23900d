/*
 * ipcinspect: main() reads as the phases of a run, left to right:
 * parse the command line, collect a snapshot, narrow it, render it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <inttypes.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "cli.h"
#include "container.h"
#include "creators.h"
#include "idcache.h"
#include "leftout.h"
#include "metrics.h"
#include "namespaces.h"
#include "render.h"
#include "restore.h"
#include "snapshot.h"
#include "strutils.h"
#include "watch.h"
#include "xalloc.h"

/*
 * Standard output, checked once for every command at exit, as util-linux's
 * close_stdout(): a report that could not be written (a full disk,
 * /dev/full) is exit status 1 and "ipcinspect: write error: REASON", even
 * after objects were removed (the removal happened and syslog has it; the
 * status says the report is missing).  EPIPE is not an error, as in
 * util-linux: the reader left on purpose (with SIGPIPE ignored; by default
 * the signal ends the process first).
 *
 * stdout is a stream of our own over fd 1 so that the first write error
 * keeps its errno: glibc's own stdout forgets it once an earlier buffer
 * failed to go out, and --help or a long listing fills several buffers.
 */
static int stdout_errno;	/* the first write(2) error on fd 1, or 0 */

static ssize_t stdout_write(void *cookie, const char *buf, size_t n)
{
	size_t done = 0;

	(void)cookie;
	while (done < n) {
		ssize_t w = write(STDOUT_FILENO, buf + done, n - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (!stdout_errno)
				stdout_errno = w < 0 ? errno : EIO;
			break;	/* short: the stream's error flag is set */
		}
		done += (size_t)w;
	}
	return (ssize_t)done;
}

static void close_stdout(void)
{
	int err = 0, fd;

	if (fflush(stdout) != 0 || ferror(stdout))
		err = stdout_errno ? stdout_errno : EIO;
	/* some file systems (NFS) report a write error only at close */
	else if ((fd = dup(STDOUT_FILENO)) >= 0 && close(fd) != 0)
		err = errno;
	if (err && err != EPIPE) {
		fprintf(stderr, "ipcinspect: write error: %s\n", strerror(err));
		_exit(EXIT_DATA);
	}
	if (fflush(stderr) != 0)
		_exit(EXIT_DATA);
}

/* Before anything is printed: stdout as above, checked at exit. */
static void stdout_setup(void)
{
	static const cookie_io_functions_t io = { .write = stdout_write };
	FILE *f = fopencookie(NULL, "w", io);

	if (!f) {
		fputs("ipcinspect: cannot set up standard output: out of memory\n", stderr);
		exit(EXIT_DATA);
	}
	/* as glibc's own: line by line to a terminal, else in blocks */
	setvbuf(f, NULL, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF, BUFSIZ);
	stdout = f;
	atexit(close_stdout);
}

/*
 * The locale of the categories ipcinspect uses: character widths and
 * escaping (LC_CTYPE), table times (LC_TIME), the table's percentages
 * (LC_NUMERIC) and strerror's messages (LC_MESSAGES).  Not LC_ALL: each
 * other category (collation, money, paper, names, addresses...) is a
 * file glibc opens and maps at start-up for nothing, 0.5 ms of a 10 ms
 * listing of `make bench`'s small load (without a locale archive, as
 * with Debian's C.UTF-8).
 */
static void locale_setup(void)
{
	static const int used[] = { LC_CTYPE, LC_TIME, LC_NUMERIC, LC_MESSAGES };
	size_t i;

	for (i = 0; i < sizeof(used) / sizeof(used[0]); i++)
		setlocale(used[i], "");
}

static void print_warnings(const struct snapshot *s)
{
	size_t i;

	for (i = 0; i < s->warnings.len; i++) {
		/* a warning may quote a path: escape it for the terminal */
		char *w = escape_str(*(char **)vec_at(&s->warnings, i), ESCAPE_TERM);

		fprintf(stderr, "ipcinspect: warning: %s\n", w);
		free(w);
	}
}

/* Section titles: not in raw and pairs output, where a KIND column says it. */
static bool render_titles(const struct options *o)
{
	return !o->render.noheadings && !o->render.raw && !o->render.pairs;
}

/* The kinds' tables one after the other: a title each, or (raw) a blank
 * line between two tables that print rows, or (pairs) nothing between. */
static int render_kinds(const struct kind_objs *kinds, const struct options *o, bool *first)
{
	bool titles = render_titles(o), typed = o->render.raw || o->render.pairs;
	size_t i;
	int r;

	for (i = 0; i < KIND_COUNT; i++) {
		if (!kinds[i].kind || (typed && kinds[i].objs.len == 0))
			continue;
		if (!*first && (titles || o->render.raw))
			putchar('\n');
		*first = false;
		r = table_print_kind(stdout, &kinds[i], &o->cols[i], &o->render, titles, typed);
		if (r < 0)
			return r;
	}
	return 0;
}

/* --all-namespaces: each other namespace under a heading of its own. */
static int render_sections(const struct snapshot *s, const struct options *o, bool *first)
{
	bool titles = render_titles(o);
	size_t n;
	int r;

	for (n = 0; n < s->nsections; n++) {
		const struct ns_section *sec = &s->sections[n];
		_cleanup_free_ char *comm = escape_str(sec->comm, ESCAPE_TERM);
		_cleanup_free_ char *init = escape_str(sec->init_comm, ESCAPE_TERM);

		if (titles) {
			char label[CGROUP_NAME_MAX + 16];
			_cleanup_free_ char *where = NULL;

			cgroup_container_label(&sec->cgroup, label, sizeof(label));
			where = escape_str(label[0] ? label : "host", ESCAPE_TERM);
			printf("\n== IPC namespace %" PRIu64 ", %s%s (process %d %s", sec->ipc_ns,
			       label[0] ? "container " : "", where, sec->pid, comm);
			if (sec->init_pid)
				printf(", init %d %s", sec->init_pid, init);
			printf(")%s%s\n", sec->error ? ": " : "", sec->error ? sec->error : "");
		}
		if (titles)	/* a blank line between the heading and each table */
			*first = false;
		r = render_kinds(sec->kinds, o, first);
		if (r < 0)
			return r;
	}
	return 0;
}

/*
 * An argument that names nothing is said as one, exit 2, rather than
 * listed as an empty result.  Each --fifo-dir and --socket-dir must open
 * as a directory (a symbolic link is the collector's to report: never
 * followed, a warning); the collector opens it again and keeps that fd.
 */
static int check_dir_args(const char *option, const char *const *dirs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		_cleanup_free_ char *path = path_dir_normal(dirs[i]);
		int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		struct stat st;
		int e = errno;

		if (fd >= 0) {
			close(fd);
			continue;
		}
		if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
			continue;
		fprintf(stderr, "ipcinspect: %s %s: %s\n", option, dirs[i], strerror(e));
		return -1;
	}
	return 0;
}

static size_t objects_in(const struct kind_objs *kinds)
{
	size_t i, n = 0;

	for (i = 0; i < KIND_COUNT; i++)
		if (kinds[i].kind)
			n += kinds[i].objs.len;
	return n;
}

/* --pid P with no process P (nor thread) and no object that records P. */
static bool pid_names_nothing(const struct snapshot *s, const struct filter *f)
{
	size_t n = objects_in(s->kinds), i;

	if (!f->has_pid || kill(f->pid, 0) == 0 || errno != ESRCH)
		return false;
	for (i = 0; i < s->nsections; i++)
		n += objects_in(s->sections[i].kinds);
	return n == 0;
}

/* limits is one table: no KIND column in raw and pairs output */
static int render_table(const struct snapshot *s, const struct options *o)
{
	bool first = true;
	int r;

	if (o->command == CMD_LIMITS)
		return table_print_kind(stdout, &s->limits, &o->limit_cols, &o->render, false,
					false);
	r = render_kinds(s->kinds, o, &first);
	return r < 0 ? r : render_sections(s, o, &first);
}

static int render(const struct snapshot *s, const struct options *o)
{
	if (o->render.json) {
		struct colsel limit_cols = o->limit_cols;

		if (o->command != CMD_LIMITS)
			colsel_all(&limits_kind, &limit_cols);
		return json_print_snapshot(stdout, s, o->cols, &limit_cols, &o->render);
	}
	return render_table(s, o);
}

static const char *collect_error(int r)
{
	return r == -EINVAL ? "unexpected format" : strerror(-r);
}

/* What a command needs collected. */
static struct collect_opts collect_for(const struct options *o)
{
	struct collect_opts co = {
		.kinds = o->kinds | o->report_only,
		.owners = !o->no_owners,
		.fifo_dirs = o->fifo_dirs,
		.nfifo_dirs = o->nfifo_dirs,
		.socket_dirs = o->socket_dirs,
		.nsocket_dirs = o->nsocket_dirs,
		.ns_pid = o->ns_pid,
		.all_namespaces = o->all_namespaces,
		.no_outside_holders = o->no_outside_holders,
		.removeipc = (o->command == CMD_LIST || o->command == CMD_ORPHANS) &&
			     !o->no_owners,
	};
	size_t i;

	switch (o->command) {
	case CMD_LIMITS:
		co.kinds = 0;
		co.owners = false;
		co.limits = true;
		break;
	case CMD_ORPHANS:
		co.quiet_kinds = o->report_only;
		co.limits = o->render.json;
		break;
	case CMD_LIST:
		co.limits = o->render.json;
		break;
	case CMD_METRICS:	/* the list's objects, judged, and every limit */
	case CMD_WATCH:
		co.limits = true;
		break;
	case CMD_CLEAN:
		co.quiet_kinds = o->report_only;
		break;
	case CMD_RM:
		co.kinds = 0;
		for (i = 0; i < o->ntargets; i++)
			co.kinds |= 1u << o->targets[i].kind;
		break;
	case CMD_RESTORE:	/* its report's header; what --replace would displace */
		co.kinds = o->replace ? KINDS_SYSV : 0;
		co.owners = o->replace && !o->no_owners;
		break;
	}
	return co;
}

static int64_t clock_ms(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * metrics: the exposition of snap (NULL: the collection failed, and the
 * output says so with ipcinspect_up 0) on stdout or into --textfile's
 * directory; start_ms is the run's start on CLOCK_MONOTONIC.  Returns
 * the exit status.
 */
static int metrics_out(const struct snapshot *snap, const struct options *o, int64_t start_ms)
{
	struct metrics_run run = {
		.up = snap != NULL,
		.duration_ms = clock_ms(CLOCK_MONOTONIC) - start_ms,
		.timestamp_ms = clock_ms(CLOCK_REALTIME),
		.remembered = o->state != NULL,
	};
	const char *step = NULL;
	int r;

	if (!o->textfile) {
		metrics_write(stdout, snap, &run);	/* a write error: close_stdout's */
		return snap ? EXIT_OK : EXIT_DATA;
	}
	r = metrics_textfile(o->textfile, snap, &run, &step);
	if (r < 0) {
		_cleanup_free_ char *dir = escape_str(o->textfile, ESCAPE_TERM);

		fprintf(stderr, "ipcinspect: --textfile %s: %s: %s\n", dir, step, strerror(-r));
		return EXIT_DATA;
	}
	return snap ? EXIT_OK : EXIT_DATA;
}

/* The act phase, or rendering: returns the exit status. */
static int finish(struct snapshot *snap, struct options *opts, int64_t start_ms)
{
	char *left = NULL;
	int r;

	switch (opts->command) {
	case CMD_CLEAN:
		return cmd_clean(opts, snap);
	case CMD_RM:
		return cmd_rm(opts, snap);
	case CMD_RESTORE:
		return cmd_restore(opts, snap);
	case CMD_METRICS:
		return metrics_out(snap, opts, start_ms);
	case CMD_ORPHANS:
		left = left_out_drop(snap, opts->report_only);
		/* in JSON a warning of the document; in a table its last line */
		if (left && opts->render.json)
			vec_push(&snap->warnings, &left), left = NULL;
		orphans_filter(snap);
		break;
	case CMD_LIST:
	case CMD_LIMITS:
	case CMD_WATCH:		/* main() hands watch to watch_main() */
		break;
	}
	r = render(snap, opts);
	/* raw and pairs output is rows only: a script may eval each line */
	if (left && r >= 0)
		fprintf(opts->render.raw || opts->render.pairs ? stderr : stdout, "%s\n", left);
	free(left);
	/* a write error is close_stdout()'s to report, at exit */
	if (r < 0 && !ferror(stdout)) {
		fprintf(stderr, "ipcinspect: cannot print the listing: %s\n", strerror(-r));
		return EXIT_DATA;
	}
	return opts->command == CMD_ORPHANS && opts->check ? orphans_status(snap) : EXIT_OK;
}

/*
 * --container: sets o->ns_pid to the lowest pid of the container named
 * and *ret_ns to its IPC namespace, or says in one line why not and
 * returns -1.
 */
static int container_namespace(struct options *o, uint64_t *ret_ns)
{
	_cleanup_free_ char *arg = escape_str(o->container, ESCAPE_TERM);
	_cleanup_free_ char *what = NULL, *other = NULL;
	struct container_match m;
	int procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int r = procfd < 0 ? -errno : container_find(procfd, o->container, &m);

	if (procfd >= 0)
		close(procfd);
	if (r == 0) {
		o->ns_pid = m.pid;
		*ret_ns = m.ipc_ns;
		return 0;
	}
	/* a container's name is a cgroup directory's: anybody with a
	 * delegated subtree chooses its bytes */
	what = escape_str(r == -ENOTUNIQ || r == -EXDEV ? m.what : "", ESCAPE_TERM);
	other = escape_str(r == -ENOTUNIQ ? m.other : "", ESCAPE_TERM);
	if (r == -ENOENT)
		fprintf(stderr, "ipcinspect: no container matches '%s'\n", arg);
	else if (r == -ENOTUNIQ)
		fprintf(stderr, "ipcinspect: '%s' matches more than one container: %s and %s\n",
			arg, what, other);
	else if (r == -EXDEV)
		fprintf(stderr, "ipcinspect: the processes of %s are in more than one IPC namespace: "
			"%" PRIu64 " and %" PRIu64 "\n", what, m.ipc_ns, m.other_ns);
	else
		fprintf(stderr, "ipcinspect: --container: cannot read /proc: %s\n", strerror(-r));
	return -1;
}

/*
 * --state FILE: the remembered creators, read before anything else.  A
 * file refused is an error, exit 1: clean would otherwise remove with
 * less said than asked for, and list and orphans would drop what the
 * caller wants shown.
 */
static int state_load(const struct options *o, struct creators **ret)
{
	_cleanup_free_ char *why = NULL, *path = NULL, *text = NULL;

	*ret = NULL;
	if (!o->state || creators_load(o->state, ret, &why) == 0)
		return 0;
	path = escape_str(o->state, ESCAPE_TERM);
	text = escape_str(why, ESCAPE_TERM);	/* jansson's words may quote the file */
	fprintf(stderr, "ipcinspect: --state %s: %s\n", path, text);
	return -1;
}

/* -H: the columns of the kinds the command would show; nothing is read. */
static int list_columns(struct options *o)
{
	const struct ipc_kind *kinds[KIND_COUNT + 1];
	size_t i, n = 0;
	int r;

	if (o->command == CMD_LIMITS)
		kinds[n++] = &limits_kind;
	for (i = 0; i < KIND_COUNT && o->command != CMD_LIMITS; i++)
		if (o->kinds & (1u << i))
			kinds[n++] = ipc_kinds[i];
	r = columns_print(stdout, kinds, n, o->render.json);
	cli_free(o);
	return r < 0 && !ferror(stdout) ? EXIT_DATA : EXIT_OK;
}

/*
 * --namespace (or --container, want its namespace): pins the process and
 * enters its IPC namespace, so that everything from here on happens
 * inside it and every read of its root or mounts names that process, not
 * one that reused its pid.  Returns the pinned /proc/PID, or -1 after
 * saying why in one line.
 */
static int enter_namespace(const struct options *o, uint64_t want)
{
	_cleanup_free_ char *why = NULL;
	int dir = ns_pin(o->ns_pid, 0, &why);

	if (dir >= 0 && ns_enter(dir, o->ns_pid, want, &why) == 0)
		return dir;
	if (dir >= 0)
		close(dir);
	if (o->container) {
		_cleanup_free_ char *arg = escape_str(o->container, ESCAPE_TERM);

		fprintf(stderr, "ipcinspect: --container %s: %s\n", arg, why);
	} else {
		fprintf(stderr, "ipcinspect: --namespace %d: %s\n", o->ns_pid, why);
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct options opts;
	struct collect_opts co;
	struct snapshot snap;
	struct creators *state = NULL;
	const char *failed = NULL;
	int64_t start_ms = clock_ms(CLOCK_MONOTONIC);
	uint64_t want_ns = 0;
	_cleanup_close_ int ns_dir = -1;
	int r;

	locale_setup();
	stdout_setup();
	cli_parse(argc, argv, &opts);
	if (opts.render.list_columns)
		return list_columns(&opts);

	if (state_load(&opts, &state) < 0) {
		cli_free(&opts);
		return EXIT_DATA;
	}
	/* --container: the namespace of that container's processes, as --namespace */
	if (opts.container && container_namespace(&opts, &want_ns) < 0) {
		creators_free(state);
		cli_free(&opts);
		return EXIT_USAGE;
	}
	/* --namespace: everything from here on happens inside that namespace */
	if (opts.ns_pid && (ns_dir = enter_namespace(&opts, want_ns)) < 0) {
		r = opts.command == CMD_METRICS ? metrics_out(NULL, &opts, start_ms) : EXIT_DATA;
		creators_free(state);
		cli_free(&opts);
		return r;
	}
	if (check_dir_args("--fifo-dir", opts.fifo_dirs, opts.nfifo_dirs) < 0 ||
	    check_dir_args("--socket-dir", opts.socket_dirs, opts.nsocket_dirs) < 0) {
		creators_free(state);
		cli_free(&opts);
		return EXIT_USAGE;
	}
	co = collect_for(&opts);
	co.ns_dir = ns_dir;
	if (opts.command == CMD_WATCH) {
		r = watch_main(&opts, &co, state, print_warnings);
		creators_free(state);
		cli_free(&opts);
		return r;
	}
	r = snapshot_collect(&snap, &co, &failed);
	if (r < 0) {
		fprintf(stderr, "ipcinspect: cannot read %s: %s\n", failed, collect_error(r));
		r = opts.command == CMD_METRICS ? metrics_out(NULL, &opts, start_ms) : EXIT_DATA;
		creators_free(state);
		cli_free(&opts);
		return r;
	}
	if (opts.command != CMD_RM)
		snapshot_filter(&snap, &opts.filter);
	if (state)
		creators_attach(state, &snap);
	if (pid_names_nothing(&snap, &opts.filter)) {
		fprintf(stderr, "ipcinspect: --pid %d: no such process, and no object records it\n",
			opts.filter.pid);
		snapshot_free(&snap);
		creators_free(state);
		cli_free(&opts);
		return EXIT_USAGE;
	}
	print_warnings(&snap);

	opts.render.now = snap.time;
	opts.render.users = idcache_new(IDCACHE_USER);
	opts.render.groups = idcache_new(IDCACHE_GROUP);
	r = finish(&snap, &opts, start_ms);
	idcache_free(opts.render.users);
	idcache_free(opts.render.groups);
	snapshot_free(&snap);
	creators_free(state);
	cli_free(&opts);
	return r;
}

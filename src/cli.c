/*
 * Command-line parsing and --help, in util-linux's style: the column
 * lists in --help come from the same column tables that drive the output.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "strutils.h"
#include "xalloc.h"

static void __attribute__((noreturn, format(printf, 1, 2))) usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("ipcinspect: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'ipcinspect --help' for more information.\n", stderr);
	exit(EXIT_USAGE);
}

static void print_columns(FILE *out, const struct ipc_kind *kind)
{
	size_t i;

	fprintf(out, "\nColumns for %s (JSON key in brackets):\n", kind->name);
	for (i = 0; i < kind->ncolumns; i++)
		fprintf(out, " %12s  %s [%s]\n", kind->columns[i].name,
			kind->columns[i].help, kind->columns[i].json);
}

static void __attribute__((noreturn)) usage(void)
{
	FILE *out = stdout;
	size_t i;

	fputs("Usage:\n"
	      " ipcinspect [list] [options]\n"
	      " ipcinspect limits [options]\n"
	      " ipcinspect orphans [options]\n"
	      " ipcinspect clean [--yes] [options]\n"
	      " ipcinspect rm [options] -m|-M|-q|-Q|-s|-S <id|key>... | shm|msg|sem <id>...\n"
	      " ipcinspect restore [--yes] [--same-id] [--replace [--force]] <path>...\n"
	      "\n"
	      "Show the IPC objects of this IPC namespace, who holds them, and the kernel\n"
	      "limits.\n"
	      "\n"
	      "Commands:\n"
	      " list               the IPC objects and the processes that hold them: SysV\n"
	      "                      shared memory, message queues and semaphore sets,\n"
	      "                      FIFOs, pipes, POSIX shared memory, semaphores and\n"
	      "                      message queues, and Unix sockets\n"
	      "                      (the default)\n"
	      " limits             kernel IPC limits against current usage\n"
	      " orphans            the objects judged orphan or suspect, with the evidence\n"
	      " clean              remove orphans (a dry run unless --yes)\n"
	      " rm                 remove the objects named, like ipcrm, checking all first\n"
	      " restore            recreate objects saved by --backup (a dry run unless\n"
	      "                      --yes); <path> is an entry or a directory of entries\n"
	      "\n"
	      "Options:\n"
	      " -t, --type <list>  kinds to list, comma separated: shm,msg,sem,fifo,pipe,\n"
	      "                      pshm,psem,pmq,unix (default: all)\n"
	      " -J, --json         print one JSON document (see ipcinspect(1) for the schema)\n"
	      " -o, --output <list>\n"
	      "                    columns to show, comma separated; +<list> adds to\n"
	      "                      the defaults\n"
	      "     --raw          raw table: no alignment, blanks escaped\n"
	      " -n, --noheadings   no section titles or column headers\n"
	      " -b, --bytes        sizes in bytes, not in human units\n"
	      " -i, --id <id>      only the objects with this id\n"
	      "     --key <key>    only the objects with this key (0x1a2b or decimal)\n"
	      " -u, --user <user>  only the objects owned by this user (name or uid)\n"
	      " -p, --pid <pid>    only the objects this process holds, created or last used\n"
	      "     --no-owners    skip the process scan: SysV and POSIX objects only, no\n"
	      "                      holders\n"
	      "     --fifo-dir <dir>  also look for FIFO files in <dir> (not recursive;\n"
	      "                      <dir> itself and its entries are never symlinks\n"
	      "                      followed); repeatable\n"
	      "     --socket-dir <dir>  also look for socket files in <dir> that no socket\n"
	      "                      is bound to (as --fifo-dir); repeatable\n"
	      "     --namespace <pid>  inspect (clean, rm: act on) the IPC namespace of\n"
	      "                      process <pid> (root)\n"
	      "     --all-namespaces  also every other IPC namespace in use, each as a\n"
	      "                      section of its own (root)\n"
	      "     --no-outside-holders  in a child PID namespace (a container): no\n"
	      "                      process outside it holds these objects, so \"nobody\n"
	      "                      holds it\" may be said (without it, such verdicts\n"
	      "                      are unknown)\n"
	      "\n"
	      "Options for orphans, clean, rm and restore:\n"
	      "     --check        orphans: exit 3 when an orphan exists\n"
	      " -y, --yes          clean, restore: act; without it, a dry run\n"
	      "     --min-age <time>  clean: only objects idle (POSIX shm and semaphores,\n"
	      "                      FIFOs: unchanged) this long (default 10m; 90s, 10m,\n"
	      "                      2h, 1d, 1h30m, or 0)\n"
	      "     --suspects     clean: remove suspects too (never by default)\n"
	      "     --include-root clean: also objects owned by root or system users\n"
	      "     --even-if-owner-runs  clean --suspects: also suspects whose owner\n"
	      "                      (not root) runs processes that could use them\n"
	      " -f, --force        rm: remove objects in use (or maybe in use) too;\n"
	      "                      restore --replace: also an object not proven unused\n"
	      "     --no-syslog    clean, rm, restore: do not log to syslog\n"
	      "     --backup <dir> clean, rm: save each object into <dir> before removing\n"
	      "                      it; one that cannot be saved is not removed\n"
	      "     --same-id      restore: also the old id (root; kernel.*_next_id)\n"
	      "     --replace      restore: remove the object that holds the key now, if\n"
	      "                      it is proven unused (or with --force)\n"
	      " -m, --shmem-id <id>, -M, --shmem-key <key>\n"
	      " -q, --queue-id <id>, -Q, --queue-key <key>\n"
	      " -s, --semaphore-id <id>, -S, --semaphore-key <key>\n"
	      "                    rm: the object to remove; repeatable\n"
	      "\n"
	      " -h, --help         display this help\n"
	      " -V, --version      display version\n", out);
	for (i = 0; i < KIND_COUNT; i++)
		print_columns(out, ipc_kinds[i]);
	print_columns(out, &limits_kind);
	fputs("\nExit status:\n"
	      " 0  success (or nothing to do)\n"
	      " 1  the data could not be read, the output could not be written, or\n"
	      "    a removal failed (rm: an argument failed its check, or an object\n"
	      "    named was left in place because it changed; restore: a backup was\n"
	      "    refused, or an object was not recreated)\n"
	      " 2  bad command line\n"
	      " 3  orphans --check: orphans exist\n"
	      "\nFor more details see ipcinspect(1).\n", out);
	exit(EXIT_OK);
}

/*
 * The next item of a comma list, or NULL at the end.  Unlike strtok, an
 * empty item ("shm,,msg") is returned as "" so it can be refused: it is
 * a typo, not a separator to skip.
 */
static char *next_item(char **cursor)
{
	char *item = *cursor, *comma;

	if (!item)
		return NULL;
	comma = strchr(item, ',');
	if (comma) {
		*comma = '\0';
		*cursor = comma + 1;
	} else
		*cursor = NULL;
	return item;
}

static unsigned parse_types(const char *arg)
{
	_cleanup_free_ char *copy = xstrdup(arg);
	char *cursor = copy, *w;
	unsigned mask = 0;
	size_t i;

	if (!*arg)
		usage_error("--type needs at least one of shm, msg, sem, fifo, pipe, pshm, psem, pmq, "
			    "unix");
	while ((w = next_item(&cursor))) {
		if (!*w)
			usage_error("empty item in --type list '%s'", arg);
		for (i = 0; i < KIND_COUNT; i++)
			if (strcmp(w, ipc_kinds[i]->name) == 0)
				break;
		if (i == KIND_COUNT)
			usage_error("unknown type '%s' (known: shm, msg, sem, fifo, pipe, pshm, psem, "
				    "pmq, unix)", w);
		mask |= 1u << i;
	}
	return mask;
}

/* Adds a column once: a JSON object cannot hold a key twice either. */
static void colsel_add(struct colsel *sel, size_t idx)
{
	size_t i;

	for (i = 0; i < sel->n; i++)
		if (sel->idx[i] == idx)
			return;
	if (sel->n < COLSEL_MAX)
		sel->idx[sel->n++] = idx;
}

/* The columns named in defaults (a NULL-terminated list of kind's names). */
static void colsel_defaults(const struct ipc_kind *kind, const char *const *defaults,
			    struct colsel *ret)
{
	size_t i;

	ret->n = 0;
	for (i = 0; defaults[i]; i++)
		colsel_add(ret, (size_t)kind_column_index(kind, defaults[i]));
}

/*
 * Applies -o to the selected kinds: every name must be a column of at
 * least one of them; each kind shows the names it has, in the given order
 * (a kind left with none is then not shown).
 */
static void parse_output(const char *arg, const struct ipc_kind **kinds, struct colsel **sels,
			 size_t nkinds)
{
	bool append = arg[0] == '+';
	_cleanup_free_ char *copy = xstrdup(append ? arg + 1 : arg);
	char *cursor = copy, *w;
	size_t k;

	if (!*copy)
		usage_error("--output needs at least one column");
	for (k = 0; k < nkinds; k++)
		if (!append)
			sels[k]->n = 0;
	while ((w = next_item(&cursor))) {
		bool known = false;

		if (!*w)
			usage_error("empty item in --output list '%s'", arg);
		for (k = 0; k < nkinds; k++) {
			int idx = kind_column_index(kinds[k], w);

			if (idx < 0)
				continue;
			known = true;
			colsel_add(sels[k], (size_t)idx);
		}
		if (!known)
			usage_error("unknown column '%s'", w);
	}
	for (k = 0; k < nkinds; k++)
		if (sels[k]->n)
			return;
	usage_error("--output needs at least one column");
}

static uint32_t parse_user(const char *arg)
{
	struct passwd *pw = getpwnam(arg);
	uint64_t uid;

	if (pw)
		return pw->pw_uid;
	if (parse_u64(arg, &uid) == 0 && uid < UINT32_MAX)
		return (uint32_t)uid;
	usage_error("unknown user '%s'", arg);
}

enum {
	OPT_RAW = 0x100, OPT_KEY, OPT_NO_OWNERS, OPT_NO_OUTSIDE_HOLDERS, OPT_CHECK, OPT_MIN_AGE, OPT_SUSPECTS,
	OPT_INCLUDE_ROOT, OPT_FIFO_DIR, OPT_NO_SYSLOG, OPT_BACKUP, OPT_SAME_ID, OPT_REPLACE,
	OPT_SOCKET_DIR, OPT_NAMESPACE, OPT_ALL_NAMESPACES, OPT_EVEN_IF_OWNER_RUNS,
};

static const struct option longopts[] = {
	{ "type", required_argument, NULL, 't' },
	{ "json", no_argument, NULL, 'J' },
	{ "output", required_argument, NULL, 'o' },
	{ "raw", no_argument, NULL, OPT_RAW },
	{ "noheadings", no_argument, NULL, 'n' },
	{ "bytes", no_argument, NULL, 'b' },
	{ "id", required_argument, NULL, 'i' },
	{ "key", required_argument, NULL, OPT_KEY },
	{ "user", required_argument, NULL, 'u' },
	{ "pid", required_argument, NULL, 'p' },
	{ "no-owners", no_argument, NULL, OPT_NO_OWNERS },
	{ "no-outside-holders", no_argument, NULL, OPT_NO_OUTSIDE_HOLDERS },
	{ "fifo-dir", required_argument, NULL, OPT_FIFO_DIR },
	{ "socket-dir", required_argument, NULL, OPT_SOCKET_DIR },
	{ "namespace", required_argument, NULL, OPT_NAMESPACE },
	{ "all-namespaces", no_argument, NULL, OPT_ALL_NAMESPACES },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "yes", no_argument, NULL, 'y' },
	{ "min-age", required_argument, NULL, OPT_MIN_AGE },
	{ "suspects", no_argument, NULL, OPT_SUSPECTS },
	{ "include-root", no_argument, NULL, OPT_INCLUDE_ROOT },
	{ "even-if-owner-runs", no_argument, NULL, OPT_EVEN_IF_OWNER_RUNS },
	{ "force", no_argument, NULL, 'f' },
	{ "no-syslog", no_argument, NULL, OPT_NO_SYSLOG },
	{ "backup", required_argument, NULL, OPT_BACKUP },
	{ "same-id", no_argument, NULL, OPT_SAME_ID },
	{ "replace", no_argument, NULL, OPT_REPLACE },
	{ "shmem-id", required_argument, NULL, 'm' },
	{ "shmem-key", required_argument, NULL, 'M' },
	{ "queue-id", required_argument, NULL, 'q' },
	{ "queue-key", required_argument, NULL, 'Q' },
	{ "semaphore-id", required_argument, NULL, 's' },
	{ "semaphore-key", required_argument, NULL, 'S' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

/*
 * getopt returned '?': optopt is 0 for an unknown long option, one of our
 * option values for a long option given an argument it does not take
 * ("--json=x"), and the character itself for an unknown short option.
 */
static void __attribute__((noreturn)) bad_option(const char *arg)
{
	size_t i;

	if (optopt == 0)
		usage_error("unrecognized option '%s'", arg);
	for (i = 0; longopts[i].name; i++)
		if (longopts[i].val == optopt)
			usage_error("option '--%s' doesn't allow an argument", longopts[i].name);
	usage_error("invalid option -- '%c'", optopt);
}

static void check_limits_options(const struct options *o, bool typed, const char *output)
{
	if (typed)
		usage_error("'limits' does not take --type");
	if (o->filter.has_id || o->filter.has_key || o->filter.has_uid || o->filter.has_pid)
		usage_error("'limits' does not take --id, --key, --user or --pid");
	if (output) {
		const struct ipc_kind *kinds[] = { &limits_kind };
		struct colsel *sels[] = { (struct colsel *)&o->limit_cols };

		parse_output(output, kinds, sels, 1);
	}
}

/*
 * FIFOs and pipes exist only through the process scan, and --id, --key
 * and --user are SysV fields: by default such a listing is SysV only,
 * and asking for fifo or pipe with them is a contradiction.
 */
static void check_kinds(struct options *o, bool typed)
{
	bool sysv_filter = o->filter.has_id || o->filter.has_key || o->filter.has_uid;
	bool scan_kinds = o->kinds & ((1u << KIND_FIFO) | (1u << KIND_PIPE) | (1u << KIND_UNIX));

	if (o->no_owners && o->filter.has_pid)
		usage_error("--pid needs the process scan: it cannot go with --no-owners");
	if (!typed) {
		if (sysv_filter)
			o->kinds &= KINDS_SYSV;
		else if (o->no_owners)	/* listed without the scan: no holders then */
			o->kinds &= KINDS_SYSV | KINDS_POSIX;
		return;
	}
	if (o->no_owners && scan_kinds)
		usage_error("fifo, pipe and unix are found by the process scan: they cannot go "
			    "with --no-owners");
	if (sysv_filter && (o->kinds & ~KINDS_SYSV))
		usage_error("--id, --key and --user select SysV objects: they cannot go with "
			    "--type fifo, pipe, pshm, psem, pmq or unix");
}

int parse_duration(const char *s, int64_t *ret)
{
	int64_t total = 0;
	bool any = false;

	while (*s) {
		int64_t n = 0, unit = 1;

		if (*s < '0' || *s > '9')
			return -EINVAL;
		for (; *s >= '0' && *s <= '9'; s++) {
			if (n > (INT64_MAX - (*s - '0')) / 10)
				return -ERANGE;
			n = n * 10 + (*s - '0');
		}
		switch (*s) {
		case 'd':
			unit = 86400;
			s++;
			break;
		case 'h':
			unit = 3600;
			s++;
			break;
		case 'm':
			unit = 60;
			s++;
			break;
		case 's':
			s++;
			break;
		case '\0':
			if (any)
				return -EINVAL;	/* "1h30": a unit is needed after the first */
			break;
		default:
			return -EINVAL;
		}
		if (n > (INT64_MAX - total) / unit)
			return -ERANGE;
		total += n * unit;
		any = true;
	}
	if (!any)
		return -EINVAL;
	*ret = total;
	return 0;
}

static const char *const command_names[] = {
	[CMD_LIST] = "list", [CMD_LIMITS] = "limits", [CMD_ORPHANS] = "orphans",
	[CMD_CLEAN] = "clean", [CMD_RM] = "rm", [CMD_RESTORE] = "restore",
};

#define C(x) (1u << (x))
#define C_LISTING (C(CMD_LIST) | C(CMD_ORPHANS))
#define C_ALL (C(CMD_LIST) | C(CMD_LIMITS) | C(CMD_ORPHANS) | C(CMD_CLEAN) | C(CMD_RM) | \
	       C(CMD_RESTORE))

/*
 * Which command takes which option: one row per option, looked up by
 * getopt's value.  --json, --bytes, --no-outside-holders, --help and
 * --version go with every command.  name is what a refusal says; NULL for rm's targets, which are
 * named as typed ("-m" or "--shmem-id").
 */
static const struct option_rule {
	int val;
	const char *name;
	unsigned cmds;
} option_rules[] = {
	{ 't', "--type", C_LISTING | C(CMD_CLEAN) },
	{ 'J', "--json", C_ALL },
	{ 'o', "--output", C_LISTING | C(CMD_LIMITS) },
	{ OPT_RAW, "--raw", C_LISTING | C(CMD_LIMITS) },
	{ 'n', "--noheadings", C_LISTING | C(CMD_LIMITS) },
	{ 'b', "--bytes", C_ALL },
	/* limits refuses the four filters itself, naming them together */
	{ 'i', "--id", C_LISTING | C(CMD_CLEAN) | C(CMD_LIMITS) },
	{ OPT_KEY, "--key", C_LISTING | C(CMD_CLEAN) | C(CMD_LIMITS) },
	{ 'u', "--user", C_LISTING | C(CMD_CLEAN) | C(CMD_LIMITS) },
	{ 'p', "--pid", C_LISTING | C(CMD_LIMITS) },
	{ OPT_NO_OWNERS, "--no-owners", C(CMD_LIST) | C(CMD_LIMITS) },
	/* about the namespace, not the command: harmless where nothing is scanned */
	{ OPT_NO_OUTSIDE_HOLDERS, "--no-outside-holders", C_ALL },
	{ OPT_FIFO_DIR, "--fifo-dir", C_LISTING | C(CMD_CLEAN) },
	{ OPT_SOCKET_DIR, "--socket-dir", C_LISTING | C(CMD_CLEAN) },
	{ OPT_NAMESPACE, "--namespace", C_LISTING | C(CMD_LIMITS) | C(CMD_CLEAN) | C(CMD_RM) },
	{ OPT_ALL_NAMESPACES, "--all-namespaces", C_LISTING },
	{ OPT_CHECK, "--check", C(CMD_ORPHANS) },
	{ 'y', "--yes", C(CMD_CLEAN) | C(CMD_RESTORE) },
	{ OPT_MIN_AGE, "--min-age", C(CMD_CLEAN) },
	{ OPT_SUSPECTS, "--suspects", C(CMD_CLEAN) },
	{ OPT_INCLUDE_ROOT, "--include-root", C(CMD_CLEAN) },
	{ OPT_EVEN_IF_OWNER_RUNS, "--even-if-owner-runs", C(CMD_CLEAN) },
	{ 'f', "--force", C(CMD_RM) | C(CMD_RESTORE) },
	{ OPT_NO_SYSLOG, "--no-syslog", C(CMD_CLEAN) | C(CMD_RM) | C(CMD_RESTORE) },
	{ OPT_BACKUP, "--backup", C(CMD_CLEAN) | C(CMD_RM) },
	{ OPT_SAME_ID, "--same-id", C(CMD_RESTORE) },
	{ OPT_REPLACE, "--replace", C(CMD_RESTORE) },
	{ 'm', NULL, C(CMD_RM) },
	{ 'M', NULL, C(CMD_RM) },
	{ 'q', NULL, C(CMD_RM) },
	{ 'Q', NULL, C(CMD_RM) },
	{ 's', NULL, C(CMD_RM) },
	{ 'S', NULL, C(CMD_RM) },
	{ 'h', "--help", C_ALL },
	{ 'V', "--version", C_ALL },
};
#define NRULES (sizeof(option_rules) / sizeof(option_rules[0]))

/*
 * The options given, one slot per row of option_rules: where the first of
 * each stood among the options (0: not given) and how it was typed.  As
 * many options as argv holds fit: a repeat only finds its slot taken.
 */
struct given {
	size_t seq[NRULES];
	const char *as_typed[NRULES];
	size_t n;
};

static void give(struct given *g, int val, const char *as_typed)
{
	size_t i;

	g->n++;
	for (i = 0; i < NRULES; i++)
		if (option_rules[i].val == val) {
			if (!g->seq[i]) {
				g->seq[i] = g->n;
				g->as_typed[i] = option_rules[i].name ? option_rules[i].name
								       : as_typed;
			}
			return;
		}
	/* every value getopt_long returns for an option has a row */
	fprintf(stderr, "ipcinspect: internal error: option %d has no rule\n", val);
	abort();
}

/* Refuses the first option given (in argv order) that cmd does not take. */
static void check_given(const struct given *g, enum command cmd)
{
	size_t i, first = NRULES;

	for (i = 0; i < NRULES; i++)
		if (g->seq[i] && !(option_rules[i].cmds & C(cmd)) &&
		    (first == NRULES || g->seq[i] < g->seq[first]))
			first = i;
	if (first < NRULES)
		usage_error("'%s' does not take %s", command_names[cmd], g->as_typed[first]);
}

static void add_target(struct options *o, enum kind_id kind, bool by_key, const char *arg)
{
	struct rm_target t = { .kind = kind, .by_key = by_key, .arg = arg, .id = -1 };

	/* bad syntax is reported with the other checks of rm, not here */
	if (by_key ? parse_ipc_key(arg, &t.key) < 0 : parse_int(arg, &t.id) < 0)
		t.id = -2;	/* marks the syntax problem */
	o->targets = xreallocarray(o->targets, o->ntargets + 1, sizeof(*o->targets));
	o->targets[o->ntargets++] = t;
}

/* An rm target option as the user typed it: "-m" or "--shmem-id". */
static const char *target_option(int c, bool is_long)
{
	switch (c) {
	case 'm':
		return is_long ? "--shmem-id" : "-m";
	case 'M':
		return is_long ? "--shmem-key" : "-M";
	case 'q':
		return is_long ? "--queue-id" : "-q";
	case 'Q':
		return is_long ? "--queue-key" : "-Q";
	case 's':
		return is_long ? "--semaphore-id" : "-s";
	default:
		return is_long ? "--semaphore-key" : "-S";
	}
}

static enum command parse_command(const char *word)
{
	size_t i;

	for (i = 0; i < sizeof(command_names) / sizeof(command_names[0]); i++)
		if (strcmp(word, command_names[i]) == 0)
			return (enum command)i;
	usage_error("unknown command '%s'", word);
}

/* `rm shm|msg|sem ID...` */
static void parse_rm_words(struct options *o, int argc, char **argv)
{
	enum kind_id kind;
	int i;

	if (optind >= argc)
		return;
	if (strcmp(argv[optind], "shm") == 0)
		kind = KIND_SHM;
	else if (strcmp(argv[optind], "msg") == 0)
		kind = KIND_MSG;
	else if (strcmp(argv[optind], "sem") == 0)
		kind = KIND_SEM;
	else
		usage_error("unknown type '%s' for rm (shm, msg or sem)", argv[optind]);
	if (optind + 1 >= argc)
		usage_error("rm %s needs at least one id", argv[optind]);
	for (i = optind + 1; i < argc; i++)
		add_target(o, kind, false, argv[i]);
	optind = argc;
}

static void select_columns(struct options *o, const char *output)
{
	const struct ipc_kind *kinds[KIND_COUNT];
	struct colsel *sels[KIND_COUNT];
	size_t i, n = 0;

	for (i = 0; i < KIND_COUNT; i++) {
		const char *const *defaults = ipc_kinds[i]->defaults;

		if (o->command == CMD_ORPHANS && ipc_kinds[i]->orphan_defaults)
			defaults = ipc_kinds[i]->orphan_defaults;
		colsel_defaults(ipc_kinds[i], defaults, &o->cols[i]);
		/* JSON shows every column unless -o narrows it */
		if (o->render.json)
			colsel_all(ipc_kinds[i], &o->cols[i]);
	}
	for (i = 0; i < KIND_COUNT; i++) {
		if (!(o->kinds & (1u << i)))
			continue;
		kinds[n] = ipc_kinds[i];
		sels[n++] = &o->cols[i];
	}
	if (output)
		parse_output(output, kinds, sels, n);
	/* a kind that -o gives no column is not shown at all */
	for (i = 0; i < KIND_COUNT; i++)
		if (o->cols[i].n == 0)
			o->kinds &= ~(1u << i);
}

/* What clean may remove: SysV objects, and FIFOs on disk under --fifo-dir. */
static void check_clean_kinds(struct options *o, bool typed)
{
	if (typed && (o->kinds & (1u << KIND_PIPE)))
		usage_error("pipes exist only through their fds: they cannot be removed");
	/* POSIX objects only when named: any process may open one by name */
	if (!typed)
		o->kinds &= KINDS_SYSV | (o->nfifo_dirs ? 1u << KIND_FIFO : 0) |
			    (o->nsocket_dirs ? 1u << KIND_UNIX : 0);
	/* the SysV and POSIX kinds not taken are read too, to say what was left */
	o->report_only = (KINDS_SYSV | KINDS_POSIX) & ~o->kinds;
	if ((o->kinds & (1u << KIND_FIFO)) && !o->nfifo_dirs)
		usage_error("clean removes FIFO files only under a --fifo-dir");
	if ((o->kinds & (1u << KIND_UNIX)) && !o->nsocket_dirs)
		usage_error("clean removes socket files only under a --socket-dir");
}

void cli_parse(int argc, char **argv, struct options *ret)
{
	struct options o = {
		.command = CMD_LIST, .kinds = (1u << KIND_COUNT) - 1, .min_age = 600,
	};
	struct given given = { .n = 0 };
	const char *output = NULL;
	bool typed = false;
	int c, r, longindex = -1;

	opterr = 0;	/* our own messages: they name the program, not argv[0] */
	while ((c = getopt_long(argc, argv, ":t:Jo:nbi:u:p:yfm:M:q:Q:s:S:hV", longopts,
				&longindex)) != -1) {
		if (c != ':' && c != '?')
			give(&given, c, target_option(c, longindex >= 0));
		switch (c) {
		case 't':
			o.kinds = parse_types(optarg);
			typed = true;
			break;
		case 'J':
			o.render.json = true;
			break;
		case 'o':
			output = optarg;
			break;
		case OPT_RAW:
			o.render.raw = true;
			break;
		case 'n':
			o.render.noheadings = true;
			break;
		case 'b':
			o.render.bytes = true;
			break;
		case 'i':
			r = parse_int(optarg, &o.filter.id);
			if (r < 0)
				usage_error("invalid id '%s'%s", optarg,
					    r == -ERANGE ? ": out of range" : "");
			o.filter.has_id = true;
			break;
		case OPT_KEY:
			r = parse_ipc_key(optarg, &o.filter.key);
			if (r < 0)
				usage_error("invalid key '%s'%s", optarg,
					    r == -ERANGE ? ": out of range" : "");
			o.filter.has_key = true;
			break;
		case 'u':
			o.filter.uid = parse_user(optarg);
			o.filter.has_uid = true;
			break;
		case 'p':
			r = parse_int(optarg, &o.filter.pid);
			if (r < 0 || o.filter.pid == 0)
				usage_error("invalid pid '%s'%s", optarg,
					    r == -ERANGE ? ": out of range" : "");
			o.filter.has_pid = true;
			break;
		case OPT_NO_OWNERS:
			o.no_owners = true;
			break;
		case OPT_NO_OUTSIDE_HOLDERS:
			o.no_outside_holders = true;
			break;
		case OPT_FIFO_DIR:
			o.fifo_dirs = xreallocarray(o.fifo_dirs, o.nfifo_dirs + 1, sizeof(*o.fifo_dirs));
			o.fifo_dirs[o.nfifo_dirs++] = optarg;
			break;
		case OPT_NAMESPACE:
			r = parse_int(optarg, &o.ns_pid);
			if (r < 0 || o.ns_pid == 0)
				usage_error("invalid pid '%s' for --namespace%s", optarg,
					    r == -ERANGE ? ": out of range" : "");
			break;
		case OPT_ALL_NAMESPACES:
			o.all_namespaces = true;
			break;
		case OPT_SOCKET_DIR:
			o.socket_dirs = xreallocarray(o.socket_dirs, o.nsocket_dirs + 1,
						      sizeof(*o.socket_dirs));
			o.socket_dirs[o.nsocket_dirs++] = optarg;
			break;
		case OPT_CHECK:
			o.check = true;
			break;
		case 'y':
			o.yes = true;
			break;
		case OPT_MIN_AGE:
			r = parse_duration(optarg, &o.min_age);
			if (r < 0)
				usage_error("invalid duration '%s' (like 90s, 10m, 2h, 1d, 1h30m, or 0)",
					    optarg);
			break;
		case OPT_SUSPECTS:
			o.suspects = true;
			break;
		case OPT_INCLUDE_ROOT:
			o.include_root = true;
			break;
		case OPT_EVEN_IF_OWNER_RUNS:
			o.even_if_owner_runs = true;
			break;
		case 'f':
			o.force = true;
			break;
		case OPT_NO_SYSLOG:
			o.no_syslog = true;
			break;
		case OPT_BACKUP:
			if (!*optarg)
				usage_error("--backup needs a directory");
			o.backup_dir = optarg;
			break;
		case OPT_SAME_ID:
			o.same_id = true;
			break;
		case OPT_REPLACE:
			o.replace = true;
			break;
		case 'm':
		case 'M':
		case 'q':
		case 'Q':
		case 's':
		case 'S':
			add_target(&o, c == 'm' || c == 'M' ? KIND_SHM : c == 'q' || c == 'Q' ? KIND_MSG
										: KIND_SEM,
				   c == 'M' || c == 'Q' || c == 'S', optarg);
			break;
		case 'h':
			usage();
		case 'V':
			printf("ipcinspect %s\n", PACKAGE_VERSION);
			exit(EXIT_OK);
		case ':':
			if (strncmp(argv[optind - 1], "--", 2) == 0)
				usage_error("option '%s' requires an argument", argv[optind - 1]);
			usage_error("option requires an argument -- '%c'", optopt);
		default:
			bad_option(argv[optind - 1]);
		}
		longindex = -1;
	}
	if (optind < argc)
		o.command = parse_command(argv[optind++]);
	if (o.command == CMD_RM)
		parse_rm_words(&o, argc, argv);
	if (o.command == CMD_RESTORE) {
		if (optind >= argc)
			usage_error("restore needs a backup entry or a directory of entries");
		for (; optind < argc; optind++) {
			if (!*argv[optind])
				usage_error("restore: an empty path");
			o.paths = xreallocarray(o.paths, o.npaths + 1, sizeof(*o.paths));
			o.paths[o.npaths++] = argv[optind];
		}
	}
	if (optind < argc)
		usage_error("unexpected argument '%s'", argv[optind]);
	if (o.render.json && o.render.raw)
		usage_error("--json and --raw cannot be used together");
	if (o.all_namespaces && o.ns_pid)
		usage_error("--namespace and --all-namespaces cannot be used together");
	if (o.all_namespaces && o.no_owners)
		usage_error("--all-namespaces finds the namespaces with the process scan: it cannot "
			    "go with --no-owners");
	if (o.command == CMD_LIMITS) {
		colsel_defaults(&limits_kind, limits_kind.defaults, &o.limit_cols);
		if (o.render.json)
			colsel_all(&limits_kind, &o.limit_cols);
		check_limits_options(&o, typed, output);
	}
	check_given(&given, o.command);
	if (o.command == CMD_RM && o.ntargets == 0)
		usage_error("rm needs an object: -m, -M, -q, -Q, -s or -S, or shm|msg|sem ID...");
	if (o.command == CMD_CLEAN)
		check_clean_kinds(&o, typed);
	if (o.command == CMD_ORPHANS && !typed)
		o.kinds &= ~(1u << KIND_PIPE);	/* never orphans nor suspects */
	if (o.command == CMD_ORPHANS)	/* read to say what -t left out */
		o.report_only = (KINDS_SYSV | KINDS_POSIX) & ~o.kinds;
	if (o.command != CMD_LIMITS && o.command != CMD_RM && o.command != CMD_RESTORE) {
		check_kinds(&o, typed);
		select_columns(&o, output);
	}
	*ret = o;
}

void cli_free(struct options *o)
{
	free(o->fifo_dirs);
	free(o->socket_dirs);
	free(o->targets);
	free(o->paths);
	o->fifo_dirs = NULL;
	o->socket_dirs = NULL;
	o->targets = NULL;
	o->paths = NULL;
}

/*
 * The command line: one struct with everything the user asked for, filled
 * by cli_parse().  This layer may print and exit; nothing below it does.
 */
#ifndef IPCINSPECT_CLI_H
#define IPCINSPECT_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "column.h"
#include "kind.h"
#include "render.h"
#include "snapshot.h"

/* Exit statuses (documented in --help and the man page). */
#define EXIT_OK 0
#define EXIT_DATA 1	/* data not read or written, or a removal failed */
#define EXIT_USAGE 2	/* bad command line */
#define EXIT_ORPHANS 3	/* orphans --check: orphans exist */

enum command { CMD_LIST, CMD_LIMITS, CMD_ORPHANS, CMD_CLEAN, CMD_RM, CMD_RESTORE,
	CMD_METRICS, CMD_WATCH };

/* One object named to `rm`: by id or by key. */
struct rm_target {
	enum kind_id kind;
	bool by_key;
	uint32_t key;
	int id;
	const char *arg;	/* as given, for messages */
};

struct options {
	enum command command;
	unsigned kinds;			/* bit (1 << enum kind_id) per kind to list */
	struct render_opts render;	/* json, raw, noheadings, bytes */
	bool no_owners;			/* --no-owners: no process scan */
	bool no_outside_holders;	/* no process outside our PID namespace holds any */
	struct filter filter;
	struct colsel cols[KIND_COUNT];	/* table/JSON columns per kind */
	struct colsel limit_cols;

	/* orphans, clean, rm */
	bool check;			/* orphans --check: exit 3 when orphans exist */
	bool yes;			/* clean: remove, not a dry run */
	bool suspects;			/* clean: remove suspects too */
	bool include_root;		/* clean: objects of root and system users too */
	bool even_if_owner_runs;	/* clean: suspects whose owner runs processes too */
	unsigned report_only;		/* clean: kinds read only to say what was not considered */
	bool force;			/* rm: remove objects in use too */
	bool no_syslog;
	int64_t min_age;		/* clean: seconds since the last activity */
	const char **fifo_dirs;		/* --fifo-dir, in order */
	size_t nfifo_dirs;
	const char **socket_dirs;	/* --socket-dir, in order */
	size_t nsocket_dirs;
	struct rm_target *targets;
	size_t ntargets;

	/* other IPC namespaces */
	int ns_pid;			/* --namespace PID; 0 none */
	const char *container;		/* --container ID|NAME; NULL none */
	bool all_namespaces;		/* --all-namespaces */

	/* backup and restore */
	const char *backup_dir;		/* clean, rm: --backup DIR */
	bool same_id;			/* restore: the old id too */
	bool replace;			/* restore: remove what holds the key now */
	const char **paths;		/* restore: entries or directories of entries */
	size_t npaths;

	/* metrics */
	const char *textfile;		/* --textfile DIR: DIR/ipcinspect.prom, or NULL */

	/* watch */
	int64_t interval_ms;		/* --interval: between two looks */
	/* list, orphans, clean, metrics */
	const char *state;		/* --state FILE: remembered creators, or NULL */
};

/* Frees what cli_parse allocated in *o. */
void cli_free(struct options *o);

/* "0", "90", "90s", "10m", "2h", "1d", "1h30m": seconds, or -EINVAL. */
int parse_duration(const char *s, int64_t *ret);

/* "500ms", or what parse_duration() takes, as milliseconds (> 0), or -EINVAL/-ERANGE. */
int parse_interval_ms(const char *s, int64_t *ret);

/* Every kind, in registry order: the mask of --type's default. */
#define KINDS_ALL ((1u << KIND_COUNT) - 1)

/* Parses argv into *ret; on a usage error prints one line and exits 2. */
void cli_parse(int argc, char **argv, struct options *ret);

/*
 * Within the command line layer (cli*.c).  Prints "ipcinspect: " and the
 * message, then the pointer to --help, on stderr, and exits 2.
 */
void __attribute__((noreturn, format(printf, 1, 2))) cli_usage_error(const char *fmt, ...);

/* The arguments (cli-args.c); each refuses a bad one with cli_usage_error. */
unsigned cli_parse_types(const char *arg);	/* --type: a mask of kinds */
uint32_t cli_parse_user(const char *arg);	/* a user name or uid */
/* an int; what names it ("pid"), after follows the quoted argument in
 * the refusal, nonzero refuses 0 */
int cli_parse_int_arg(const char *arg, const char *what, const char *after, bool nonzero);
/* -o applied to the nkinds kinds: sels[k] receives kinds[k]'s columns;
 * with every, each name must be a column of each kind */
void cli_parse_output(const char *arg, const struct ipc_kind **kinds, struct colsel **sels,
		      size_t nkinds, bool every);
/* appends s to the array *list of *n */
void cli_push(const char ***list, size_t *n, const char *s);
/* an rm target; bad syntax is marked (id -2) for rm's own checks */
void cli_add_target(struct options *o, enum kind_id kind, bool by_key, const char *arg);
/* the default columns of kind (NULL-terminated names) into *ret */
void cli_colsel_defaults(const struct ipc_kind *kind, const char *const *defaults,
			 struct colsel *ret);
/* o->cols for the command and --json, then -o (output, or NULL; typed:
 * --type named the kinds, so each must have each column); a kind left
 * with no column is taken out of o->kinds, with a warning that names it */
void cli_select_columns(struct options *o, const char *output, bool typed);

/* --sort: the column must be one of every kind shown (of limits for the
 * limits command), else a usage error naming the kinds that lack it. */
void cli_check_sort(const struct options *o);

/*
 * The parse, shared by cli.c (the options' table and the pass that reads
 * argv against it) and cli-commands.c (the commands' table and checks).
 */
/* The options seen, one slot per row of cli_opts[]: where the first of
 * each stood among the options (0: not given) and whether it was long. */
struct given {
	size_t seq[64];
	bool is_long[64];
	size_t n;
	size_t shared_seq[1];	/* per shared_letters[]: where it stood, 0: not given */
};

/* What cli_parse builds, beside the options: handed to each option's setter. */
struct cli_state {
	struct options o;
	const char *output;	/* -o as given; applied once the kinds are known */
	bool typed;		/* --type given */
	struct given given;
};

/*
 * One command: its name, what reads its operands (NULL: none taken), the
 * check run before the options are matched to the command (limits names
 * its refusals itself) and the one run after.
 */
struct cli_command {
	const char *name;
	void (*operands)(struct cli_state *st, int argc, char **argv);
	void (*precheck)(struct cli_state *st);
	void (*check)(struct cli_state *st);
};

/* The commands, indexed by enum command (cli-commands.c). */
extern const struct cli_command commands[];
/* The command a word names; an unknown one is a usage error (cli-commands.c). */
enum command parse_command(const char *word);
/* What the options of a listing say of its kinds, and the conflicts that
 * depend on them (cli.c, next to the listing_conflicts[] it checks). */
void check_kinds(struct cli_state *st);

/* Prints --help, its kind and column lists from the registry; exits 0. */
void __attribute__((noreturn)) cli_help(void);

/* The bit mask (1 << enum kind_id) of the kinds pick() says yes to. */
unsigned cli_kinds_where(bool (*pick)(const struct ipc_kind *kind));
bool cli_kind_is_sysv(const struct ipc_kind *kind);
bool cli_kind_is_scanned(const struct ipc_kind *kind);

/*
 * The names of the kinds in mask, in registry order, into buf: sep
 * between them, last before the last one ("fifo, pipe and unix").
 * Returns buf.
 */
const char *cli_kind_names(char *buf, size_t size, unsigned mask, const char *sep,
			   const char *last);
/* The same of kinds[i] for each bit i of mask, kinds any array of n kinds. */
const char *cli_join_names(char *buf, size_t size, const struct ipc_kind *const *kinds, size_t n,
			   unsigned mask, const char *sep, const char *last);

#endif

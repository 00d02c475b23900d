/*
 * Columns and values.  Each kind declares one table of columns; that table
 * drives the table header, -o/--output, the column list in --help and the
 * JSON keys.  A kind's getter turns (object, column) into a struct value,
 * and the renderers turn a value into table text or a JSON value, so
 * formatting rules (sizes, times, names, escaping, huge numbers) live in
 * one place.
 */
#ifndef IPCINSPECT_COLUMN_H
#define IPCINSPECT_COLUMN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct idcache;
struct jw;

enum value_type {
	VAL_NULL,	/* JSON null, table "-" */
	VAL_S64,
	VAL_U64,	/* above 2^53: a decimal string in JSON */
	VAL_BOOL,
	VAL_PERCENT,	/* double, two decimals */
	VAL_STR,	/* untrusted bytes: escaped for JSON here, by libsmartcols in tables */
	VAL_KEY,	/* "0x%08x" */
	VAL_DEV,	/* a device number (u64): "major:minor" */
	VAL_PERMS,	/* "0640" */
	VAL_TIME,	/* epoch seconds; 0 = never: JSON null */
	VAL_SIZE,	/* bytes: human in the table unless --bytes */
	VAL_USER,	/* uid: JSON name or null; table name or number */
	VAL_GROUP,	/* gid: likewise */
	VAL_FLAGS,	/* JSON array of strings; table comma list */
	VAL_DURATION,	/* seconds: JSON integer; table "3d4h", "12m", "45s" */
	VAL_ACTOR,	/* a judged recorded pid: JSON object or null */
	VAL_HOLDERS,	/* processes holding the object: JSON array or null */
	VAL_REASONS,	/* a verdict's reasons (reasons.h): JSON array of (untrusted)
			   strings; table "; " list */
	VAL_CUSTOM,	/* the column's own to_json/to_text */
};

struct actor;
struct holder;
struct ipc_kind;
struct verdict;

#define VALUE_MAX_FLAGS 4

struct value {
	enum value_type type;
	union {
		int64_t s64;
		uint64_t u64;
		bool b;
		double percent;
		const char *str;
		uint32_t u32;
		const struct actor *actor;
		struct {
			const struct holder *list;
			size_t n;
			bool exhaustive;		/* the list is all there is */
			bool by_fd;			/* fd, not mappings */
			bool fd_or_map;			/* fd (null: a mapping) and mapped */
		} holders;
		struct {
			const struct verdict *v;
			const struct ipc_kind *kind;	/* words its own reasons */
		} reasons;
	} u;
	const char *flags[VALUE_MAX_FLAGS];	/* static strings, for VAL_FLAGS */
	size_t nflags;
};

/* --time-format: how a time is written in tables (JSON: epoch seconds). */
enum time_format {
	TIME_SHORT,	/* time_to_text() */
	TIME_FULL,	/* "Sat Dec  5 18:03:02 2026", local time */
	TIME_ISO,	/* "2026-12-05T18:03:02+01:00", local time and offset */
};

/* How values are shown: from the command line, shared by all renderers. */
struct render_opts {
	bool json;
	bool raw;
	bool pairs;		/* --pairs, --export: NAME="value" */
	bool shell;		/* --shell: with pairs, names fit for shell variables */
	bool noheadings;
	bool notruncate;	/* lists whole, no column cut or wrapped */
	bool bytes;
	bool list_columns;	/* -H: the columns, not the objects */
	enum time_format time_format;
	const char *sort;	/* --sort: a column name every kind shown has, or NULL */
	int64_t now;	/* snapshot time, for relative time formatting */
	struct idcache *users;
	struct idcache *groups;
};

/*
 * No column is ever cut: an id, a pid, a key or a path is evidence, and
 * a part of one identifies nothing (ipcinspect(1), TABLE WIDTH).  A list
 * is shortened by whole items, with a count of what was left out
 * (struct cell_list); text that cannot be shortened that way wraps.
 */
enum column_flags {
	COL_RIGHT = 1 << 0,	/* numbers */
	COL_LIST = 1 << 1,	/* a list: shortened by whole items to fit the terminal */
	COL_WRAP = 1 << 2,	/* may wrap where the terminal is too narrow */
};

/*
 * The items of a list cell, each raw bytes (the table escapes them), so
 * that the table can show as many whole items as fit.
 */
struct cell_list {
	char **items;
	size_t n, alloc;
	const char *sep;	/* between items: "," or "; " */
	bool total;		/* shortened, it ends ",… (N)", N the number of
				   items (semaphore values); else " +N more", N
				   the number left out */
};

/* Appends item, which the list then owns. */
void cell_list_add(struct cell_list *l, char *item);
void cell_list_free(struct cell_list *l);

/*
 * The text of l within budget terminal cells (text_cells() of what is
 * printed; SIZE_MAX: no limit): as many whole items as fit with the
 * suffix that says what was left out, and always the first item, even
 * when it alone is wider (*ret_fits false then: the line gets longer
 * than the terminal; a list is never wrapped, which would cut an item).  With escape, each item
 * is escaped for the terminal (escape_cell()) before it is measured.
 * Caller frees.
 */
char *cell_list_text(const struct cell_list *l, size_t budget, bool escape, bool *ret_fits);


/*
 * The items of a list value (holders, reasons) into *ret (empty before):
 * false, and *ret untouched, when v is not a list or an empty one ("-",
 * "?": value_to_text() says it).
 */
bool value_to_list(const struct value *v, const struct render_opts *opts, struct cell_list *ret);

/* What a column's value is, as -H/--list-columns says it: the JSON type
 * (size, time and duration are integers: bytes, epoch seconds, seconds). */
enum column_type {
	COLT_UNSET,	/* a table that forgot it: test-column refuses it */
	COLT_STRING,
	COLT_INTEGER,
	COLT_NUMBER,
	COLT_BOOLEAN,
	COLT_SIZE,
	COLT_TIME,
	COLT_DURATION,
	COLT_ARRAY,
	COLT_OBJECT,
};

/* "string", "integer", ... for -H; NULL for COLT_UNSET. */
const char *column_type_name(enum column_type type);

struct column {
	const char *name;	/* table header and -o name, e.g. "NATTCH" */
	const char *json;	/* JSON key, e.g. "nattch" */
	const char *help;	/* one line for --help */
	double whint;		/* libsmartcols width hint */
	int flags;
	/*
	 * for VAL_CUSTOM: writes the JSON value / returns text the caller
	 * frees; a COL_LIST column's to_text, given ret_list, fills it with
	 * the items (struct cell_list) and returns NULL, unless the value is
	 * not a list ("-")
	 */
	void (*write_json)(struct jw *w, const void *obj, const struct render_opts *opts);
	char *(*to_text)(const void *obj, const struct render_opts *opts, struct cell_list *ret_list);
	enum column_type type;
};

/* Writes v as one JSON value. */
void value_write_json(struct jw *w, const struct value *v, const struct render_opts *opts);

/* The JSON text of v alone (tests, small documents); caller frees. */
char *value_json_text(const struct value *v, const struct render_opts *opts);

/* A judged pid as JSON: {pid, tgid, alive, comm, why}, or null. */
void actor_write_json(struct jw *w, const struct actor *a);

/*
 * Table text for v, raw bytes: the table library encodes what it prints.
 * Caller frees.
 */
char *value_to_text(const struct value *v, const struct render_opts *opts);

/* Convenience constructors used by the kinds' getters. */
static inline void value_set(struct value *v, enum value_type type)
{
	v->type = type;
	v->nflags = 0;
}
#define VALUE_S64(v, x) do { value_set(v, VAL_S64); (v)->u.s64 = (x); } while (0)
#define VALUE_U64(v, x) do { value_set(v, VAL_U64); (v)->u.u64 = (x); } while (0)
#define VALUE_TYPED_U64(v, t, x) do { value_set(v, t); (v)->u.u64 = (x); } while (0)
#define VALUE_TYPED_S64(v, t, x) do { value_set(v, t); (v)->u.s64 = (x); } while (0)
#define VALUE_U32(v, t, x) do { value_set(v, t); (v)->u.u32 = (x); } while (0)
#define VALUE_STR(v, x) do { value_set(v, VAL_STR); (v)->u.str = (x); } while (0)
#define VALUE_ACTOR(v, x) do { value_set(v, VAL_ACTOR); (v)->u.actor = (x); } while (0)

/*
 * Holders.  An empty list is "nobody" only when the scan read every
 * process (exhaustive); otherwise it is unknown: JSON null, table "?".
 * A non-empty list is who was seen either way.
 */
static inline void value_holders(struct value *v, const struct holder *list, size_t n,
				 bool exhaustive, bool by_fd)
{
	value_set(v, VAL_HOLDERS);
	v->u.holders.list = list;
	v->u.holders.n = n;
	v->u.holders.exhaustive = exhaustive;
	v->u.holders.by_fd = by_fd;
	v->u.holders.fd_or_map = false;
}

/* Holders that hold an fd (fd >= 0) or map the object (fd -1): POSIX IPC. */
static inline void value_holders_fd_or_map(struct value *v, const struct holder *list, size_t n,
					   bool exhaustive)
{
	value_holders(v, list, n, exhaustive, true);
	v->u.holders.fd_or_map = true;
}

/* Local time as the table shows it ("08:26:03" on the day of now,
 * "Nov21 08:26" in its year, else "2025-11-21"); caller frees. */
char *time_to_text(int64_t t, int64_t now);

/* A time as --time-format says (format): short is time_to_text(); caller frees. */
char *time_to_text_as(int64_t t, int64_t now, enum time_format format);

/* "45s", "12m05s", "3h04m", "2d05h"; caller frees. */
char *duration_to_text(int64_t secs);

#endif

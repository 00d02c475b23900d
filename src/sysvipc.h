/*
 * Parsing of the /proc/sysvipc/{shm,msg,sem} text.  The kernel pads its
 * columns to minimum widths that real values overflow, so lines are split
 * on whitespace, and the header line says which columns exist (shm has 14
 * on old kernels and 16 with rss and swap now).  Each kind describes its
 * fields with a table of field_spec; the parser fills any struct from it.
 * Everything here is a pure function of its input text.
 */
#ifndef IPCINSPECT_SYSVIPC_H
#define IPCINSPECT_SYSVIPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum field_type {
	FIELD_KEY,	/* signed decimal key -> uint32_t */
	FIELD_ID,	/* int >= 0 */
	FIELD_MODE,	/* octal mode -> unsigned */
	FIELD_U64,	/* uint64_t */
	FIELD_PID,	/* pid_t >= 0 */
	FIELD_UID,	/* uint32_t (uid_t, gid_t) */
	FIELD_TIME,	/* int64_t epoch seconds */
};

struct field_spec {
	const char *name;	/* header word, e.g. "nattch" */
	enum field_type type;
	size_t offset;		/* offsetof() the member in the kind's struct */
	bool optional;		/* may be absent from the header */
};

#define SYSVIPC_MAX_COLUMNS 32

struct sysvipc_layout {
	size_t ncolumns;
	/* for column i: index into the spec, or -1 for a column we ignore */
	int field_of_column[SYSVIPC_MAX_COLUMNS];
	/* bit f set: spec field f is present */
	uint64_t present;
};

/*
 * Maps the header line onto the spec.  Unknown columns are ignored (a
 * newer kernel may add some).  Returns 0, or -EINVAL when a required
 * field is missing or a name repeats, -E2BIG for too many columns.
 */
int sysvipc_parse_header(const struct field_spec *spec, size_t nspec,
			 const char *line, struct sysvipc_layout *ret);

/*
 * Parses one data line into obj (a struct of the kind the spec describes;
 * members of absent optional fields are left untouched).  The line must
 * have exactly as many columns as the header.  Returns 0, -EINVAL or
 * -ERANGE; obj is written only on success.
 */
int sysvipc_parse_line(const struct field_spec *spec, size_t nspec,
		       const struct sysvipc_layout *layout, const char *line, void *obj);

static inline bool sysvipc_layout_has(const struct sysvipc_layout *l, size_t field)
{
	return l->present & (UINT64_C(1) << field);
}

/* The result of parsing a whole file. */
struct sysvipc_file_stats {
	size_t objects;	/* lines parsed */
	size_t skipped;	/* lines that did not parse */
};

/*
 * Parses the whole text (header line first) and calls add(obj, userdata)
 * with a parsed object in a zeroed scratch buffer of objsize bytes for
 * every good line; bad lines are counted and skipped.  Returns 0, or
 * -EINVAL when the header is unusable (nothing is added then).
 */
int sysvipc_parse_text(const struct field_spec *spec, size_t nspec, size_t objsize,
		       const char *text, struct sysvipc_layout *ret_layout,
		       struct sysvipc_file_stats *ret_stats,
		       void (*add)(const void *obj, const struct sysvipc_layout *layout, void *userdata),
		       void *userdata);

/*
 * The same parse, reading the text from fd chunk bytes at a time, so
 * memory does not grow with the file (a line longer than chunk grows the
 * buffer).  Returns as sysvipc_parse_text, or -errno of a failed read.
 */
int sysvipc_parse_fd(int fd, size_t chunk, const struct field_spec *spec, size_t nspec,
		     size_t objsize, struct sysvipc_layout *ret_layout,
		     struct sysvipc_file_stats *ret_stats,
		     void (*add)(const void *obj, const struct sysvipc_layout *layout, void *userdata),
		     void *userdata);

/*
 * Reads a whole file below dirfd into a NUL-terminated buffer (the caller
 * frees *ret).  /proc files report size 0, so this reads until EOF.
 * Returns 0 or -errno.
 */
int read_whole_file_at(int dirfd, const char *path, char **ret, size_t *ret_len);

#endif

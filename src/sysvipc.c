/* /proc/sysvipc text parsing: see sysvipc.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "strutils.h"
#include "sysvipc.h"
#include "xalloc.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/*
 * Splits s in place on blanks (space, tab, and CR so that CRLF text
 * parses alike in every column); returns the number of words or -E2BIG.
 */
static int split_words(char *s, char **words, size_t max)
{
	size_t n = 0;

	for (;;) {
		while (is_blank(*s))
			s++;
		if (!*s || *s == '\n')
			break;
		if (n == max)
			return -E2BIG;
		words[n++] = s;
		while (*s && !is_blank(*s) && *s != '\n')
			s++;
		if (!*s)
			break;
		*s++ = '\0';
	}
	return (int)n;
}

int sysvipc_parse_header(const struct field_spec *spec, size_t nspec,
			 const char *line, struct sysvipc_layout *ret)
{
	_cleanup_free_ char *copy = xstrdup(line);
	char *words[SYSVIPC_MAX_COLUMNS];
	struct sysvipc_layout l = { 0 };
	int n, i;
	size_t f;

	n = split_words(copy, words, SYSVIPC_MAX_COLUMNS);
	if (n < 0)
		return n;
	for (i = 0; i < n; i++) {
		l.field_of_column[i] = -1;
		for (f = 0; f < nspec; f++) {
			if (strcmp(words[i], spec[f].name) != 0)
				continue;
			if (sysvipc_layout_has(&l, f))
				return -EINVAL;
			l.field_of_column[i] = (int)f;
			l.present |= UINT64_C(1) << f;
		}
	}
	for (f = 0; f < nspec; f++)
		if (!spec[f].optional && !sysvipc_layout_has(&l, f))
			return -EINVAL;
	l.ncolumns = (size_t)n;
	*ret = l;
	return 0;
}

union field_value {
	uint32_t u32;
	int i;
	unsigned mode;
	uint64_t u64;
	int64_t s64;
};

static int parse_field(enum field_type type, const char *word, union field_value *v)
{
	uint64_t u;
	int r;

	switch (type) {
	case FIELD_KEY:
		/* the kernel prints %d: accept only the signed int32 range */
		r = parse_s64(word, &v->s64);
		if (r < 0)
			return r;
		if (v->s64 < INT32_MIN || v->s64 > INT32_MAX)
			return -ERANGE;
		v->u32 = (uint32_t)(int32_t)v->s64;
		return 0;
	case FIELD_ID:
	case FIELD_PID:
		return parse_int(word, &v->i);
	case FIELD_MODE:
		return parse_octal(word, &v->mode);
	case FIELD_U64:
		return parse_u64(word, &v->u64);
	case FIELD_UID:
		r = parse_u64(word, &u);
		if (r < 0)
			return r;
		if (u > UINT32_MAX)
			return -ERANGE;
		v->u32 = (uint32_t)u;
		return 0;
	case FIELD_TIME:
		return parse_s64(word, &v->s64);
	}
	return -EINVAL;
}

static void store_field(enum field_type type, const union field_value *v, char *dst)
{
	switch (type) {
	case FIELD_KEY:
	case FIELD_UID:
		memcpy(dst, &v->u32, sizeof(v->u32));
		break;
	case FIELD_ID:
	case FIELD_PID:
		memcpy(dst, &v->i, sizeof(v->i));
		break;
	case FIELD_MODE:
		memcpy(dst, &v->mode, sizeof(v->mode));
		break;
	case FIELD_U64:
		memcpy(dst, &v->u64, sizeof(v->u64));
		break;
	case FIELD_TIME:
		memcpy(dst, &v->s64, sizeof(v->s64));
		break;
	}
}

int sysvipc_parse_line(const struct field_spec *spec, size_t nspec,
		       const struct sysvipc_layout *layout, const char *line, void *obj)
{
	_cleanup_free_ char *copy = xstrdup(line);
	char *words[SYSVIPC_MAX_COLUMNS];
	union field_value vals[SYSVIPC_MAX_COLUMNS];
	size_t i;
	int n, r;

	n = split_words(copy, words, SYSVIPC_MAX_COLUMNS);
	if (n < 0)
		return -EINVAL;
	if ((size_t)n != layout->ncolumns)
		return -EINVAL;
	for (i = 0; i < layout->ncolumns; i++) {
		int f = layout->field_of_column[i];

		if (f < 0 || (size_t)f >= nspec)
			continue;
		r = parse_field(spec[f].type, words[i], &vals[i]);
		if (r < 0)
			return r;
	}
	for (i = 0; i < layout->ncolumns; i++) {
		int f = layout->field_of_column[i];

		if (f < 0 || (size_t)f >= nspec)
			continue;
		store_field(spec[f].type, &vals[i], (char *)obj + spec[f].offset);
	}
	return 0;
}

/* The state of one file's parse, fed a line at a time. */
struct line_parser {
	const struct field_spec *spec;
	size_t nspec, objsize;
	void *obj;		/* scratch, objsize bytes */
	struct sysvipc_layout layout;
	struct sysvipc_file_stats stats;
	bool header;		/* the next line is the header */
	void (*add)(const void *obj, const struct sysvipc_layout *layout, void *userdata);
	void *userdata;
};

/* A parser for one file; the caller frees p.obj. */
static struct line_parser parser_new(const struct field_spec *spec, size_t nspec, size_t objsize,
				     void (*add)(const void *obj, const struct sysvipc_layout *layout,
						 void *userdata),
				     void *userdata)
{
	return (struct line_parser){
		.spec = spec, .nspec = nspec, .objsize = objsize, .obj = xmalloc(objsize),
		.header = true, .add = add, .userdata = userdata,
	};
}

/* One line, NUL-terminated, of length len; -EINVAL for a bad header. */
static int parser_line(struct line_parser *p, char *line, size_t len)
{
	if (p->header) {
		if (sysvipc_parse_header(p->spec, p->nspec, line, &p->layout) < 0)
			return -EINVAL;
		p->header = false;
		return 0;
	}
	if (strspn(line, " \t\r") == len)
		return 0;	/* blank line */
	memset(p->obj, 0, p->objsize);
	if (sysvipc_parse_line(p->spec, p->nspec, &p->layout, line, p->obj) < 0) {
		p->stats.skipped++;
		return 0;
	}
	p->stats.objects++;
	p->add(p->obj, &p->layout, p->userdata);
	return 0;
}

static int parser_end(struct line_parser *p, struct sysvipc_layout *ret_layout,
		      struct sysvipc_file_stats *ret_stats)
{
	if (p->header)
		return -EINVAL;	/* empty text: not even a header */
	*ret_layout = p->layout;
	*ret_stats = p->stats;
	return 0;
}

int sysvipc_parse_text(const struct field_spec *spec, size_t nspec, size_t objsize,
		       const char *text, struct sysvipc_layout *ret_layout,
		       struct sysvipc_file_stats *ret_stats,
		       void (*add)(const void *obj, const struct sysvipc_layout *layout, void *userdata),
		       void *userdata)
{
	struct line_parser p = parser_new(spec, nspec, objsize, add, userdata);
	_cleanup_free_ void *obj = p.obj;
	_cleanup_free_ char *line = NULL;
	const char *s = text, *nl;
	size_t linecap = 0;

	for (; *s; s = nl ? nl + 1 : s + strlen(s)) {
		size_t len;

		nl = strchr(s, '\n');
		len = nl ? (size_t)(nl - s) : strlen(s);
		if (len + 1 > linecap) {
			linecap = len + 1;
			line = xreallocarray(line, linecap, 1);
		}
		memcpy(line, s, len);
		line[len] = '\0';
		if (parser_line(&p, line, len) < 0)
			return -EINVAL;
	}
	return parser_end(&p, ret_layout, ret_stats);
}

int sysvipc_parse_fd(int fd, size_t chunk, const struct field_spec *spec, size_t nspec,
		     size_t objsize, struct sysvipc_layout *ret_layout,
		     struct sysvipc_file_stats *ret_stats,
		     void (*add)(const void *obj, const struct sysvipc_layout *layout, void *userdata),
		     void *userdata)
{
	struct line_parser p = parser_new(spec, nspec, objsize, add, userdata);
	_cleanup_free_ void *obj = p.obj;
	size_t cap = chunk ? chunk : 1, len = 0;	/* buf[0..len): not yet parsed */
	_cleanup_free_ char *buf = xmalloc(cap + 1);
	bool eof = false;

	while (!eof) {
		char *start, *nl, *nul;
		ssize_t n;

		if (len == cap) {	/* a line longer than the buffer */
			cap *= 2;
			buf = xreallocarray(buf, cap + 1, 1);
		}
		start = buf;
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		/* the text ends at EOF or, as for sysvipc_parse_text, a NUL */
		nul = memchr(buf + len, '\0', (size_t)n);
		if (nul)
			n = nul - (buf + len);
		eof = n == 0 || nul;
		len += (size_t)n;
		while ((nl = memchr(start, '\n', len - (size_t)(start - buf)))) {
			*nl = '\0';
			if (parser_line(&p, start, (size_t)(nl - start)) < 0)
				return -EINVAL;
			start = nl + 1;
		}
		len -= (size_t)(start - buf);
		memmove(buf, start, len);
	}
	if (len) {		/* the last line, without a newline */
		buf[len] = '\0';
		if (parser_line(&p, buf, len) < 0)
			return -EINVAL;
	}
	return parser_end(&p, ret_layout, ret_stats);
}

int read_whole_file_at(int dirfd, const char *path, char **ret, size_t *ret_len)
{
	size_t len = 0, cap = 0;
	char *buf = NULL;
	int fd;

	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t n;

		if (cap - len < 65536) {
			cap = cap ? cap * 2 : 131072;
			buf = xreallocarray(buf, cap, 1);
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0) {
			int e = errno;

			if (e == EINTR)
				continue;
			free(buf);
			close(fd);
			return -e;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	*ret = buf;
	if (ret_len)
		*ret_len = len;
	return 0;
}

/*
 * Kind "memfd": files made by memfd_create(2), the shared memory that
 * Wayland clients, PipeWire and systemd hand to each other as fds.  They
 * have no path: a memfd exists only while some process holds an fd on it
 * or maps it, so, like a pipe, it is always in use and never cleaned.
 * The process scan gives its fds ("/memfd:NAME (deleted)" links) and its
 * mappings (maps lines of the same text); the size and the seals are
 * read through one holder (doc/kernel-facts.md, "memfd").
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "act.h"
#include "jsonw.h"
#include "kind.h"
#include "model.h"
#include "owners.h"
#include "procparse.h"
#include "procscan.h"
#include "xalloc.h"

#ifndef F_GET_SEALS
#define F_GET_SEALS 1034
#endif

#define MEMFD_PREFIX "/memfd:"
#define DELETED_SUFFIX " (deleted)"
#define MEMFD_NAMED 3	/* holders named in the reasons; the rest are counted */

struct memfd_obj {
	uint64_t dev, ino;	/* the key: memfds live on the kernel's internal shmem
				 * (or hugetlbfs) mount */
	char *name;		/* as given to memfd_create, raw bytes; NULL if unread */
	bool has_size, has_seals;
	uint64_t size;
	unsigned seals;		/* F_SEAL_* as F_GET_SEALS gives them */
	struct holder *holders;	/* fds first (nfds), then mappings */
	size_t nholders, nfds;
	bool exhaustive;	/* every process was read: the holders are all */
	struct verdict verdict;
};

/* ---- the process scan's claims ------------------------------------------- */

/* "/memfd:NAME (deleted)" fd links; the target is a regular file */
static const struct scan_fd_claim memfd_fd_claim = {
	.prefix = MEMFD_PREFIX, .type = S_IFREG, .flags = CLAIM_MODE | CLAIM_PATH,
};

static int memfd_maps_key(const char *line, const struct scan_proc *p, uint64_t *ret_dev,
			  uint64_t *ret_ino)
{
	(void)p;
	return procparse_maps_key(line, ret_dev, ret_ino);
}

static const struct scan_maps_claim memfd_maps_claim = {
	.marker = " " MEMFD_PREFIX, .flags = CLAIM_PATH, .parse = memfd_maps_key,
};

/*
 * The name in "/memfd:NAME (deleted)" (an fd link, or the end of a maps
 * line): NAME, newly allocated, or NULL when text is not a memfd's.  The
 * kernel always adds " (deleted)": a memfd has no directory entry.
 */
static char *memfd_name_of(const char *text)
{
	size_t len, cut = sizeof(DELETED_SUFFIX) - 1;

	if (strncmp(text, MEMFD_PREFIX, sizeof(MEMFD_PREFIX) - 1) != 0)
		return NULL;
	text += sizeof(MEMFD_PREFIX) - 1;
	len = strlen(text);
	if (len >= cut && strcmp(text + len - cut, DELETED_SUFFIX) == 0)
		len -= cut;
	return xstrndup(text, len);
}

/* ---- collect -------------------------------------------------------------- */

/*
 * Size and seals through an fd on the memfd: path (below procfd) is
 * opened O_PATH first, which has no effect on any file, and reopened for
 * reading only once fstat shows it is still the memfd judged: (dev, ino).
 */
static void read_state(int procfd, const char *path, struct memfd_obj *m)
{
	struct stat st;
	char self[64];
	int pfd, fd, seals;

	pfd = openat(procfd, path, O_PATH | O_CLOEXEC);
	if (pfd < 0)
		return;
	if (fstat(pfd, &st) < 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_dev != m->dev ||
	    (uint64_t)st.st_ino != m->ino) {
		close(pfd);
		return;
	}
	m->has_size = true;
	m->size = (uint64_t)st.st_size;
	snprintf(self, sizeof(self), "self/fd/%d", pfd);
	fd = openat(procfd, self, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	close(pfd);
	if (fd < 0)
		return;
	seals = fcntl(fd, F_GET_SEALS);
	if (seals >= 0) {
		m->has_seals = true;
		m->seals = (unsigned)seals;
	}
	close(fd);
}

/*
 * A memfd only mapped (its fds closed): its name and address range from
 * the maps line the scan kept for it, then its state through map_files.
 */
static void read_mapped(int procfd, const struct scan_map *mp, struct memfd_obj *m)
{
	const char *mark = mp->line ? strstr(mp->line, " " MEMFD_PREFIX) : NULL;
	const char *blank;
	char path[96];

	if (!mark)
		return;
	m->name = memfd_name_of(mark + 1);
	blank = strchr(mp->line, ' ');
	if (blank && blank - mp->line < 48) {
		snprintf(path, sizeof(path), "%d/map_files/%.*s", mp->pid, (int)(blank - mp->line),
			 mp->line);
		read_state(procfd, path, m);
	}
}

static int cmp_key(uint64_t dev1, uint64_t ino1, uint64_t dev2, uint64_t ino2)
{
	if (dev1 != dev2)
		return dev1 < dev2 ? -1 : 1;
	return ino1 < ino2 ? -1 : ino1 > ino2;
}

/* One object per (dev, ino) of the two sorted indexes, merged. */
static int memfd_collect(const struct collect_ctx *ctx, struct kind_objs *ret)
{
	const struct vec *fds = procscan_claimed_fds(ctx->scan, &memfd_kind);
	const struct vec *maps = procscan_claimed_maps(ctx->scan, &memfd_kind);
	size_t i = 0, j = 0;

	while (i < fds->len || j < maps->len) {
		const struct scan_fd *f = i < fds->len ? vec_at(fds, i) : NULL;
		const struct scan_map *mp = j < maps->len ? vec_at(maps, j) : NULL;
		int c = !f ? 1 : !mp ? -1 : cmp_key(f->dev, f->ino, mp->dev, mp->ino);
		struct memfd_obj m = { .dev = c <= 0 ? f->dev : mp->dev,
				       .ino = c <= 0 ? f->ino : mp->ino };

		if (f && c <= 0) {
			char path[64];

			m.name = f->path ? memfd_name_of(f->path) : NULL;
			snprintf(path, sizeof(path), "%d/fd/%d", f->pid, f->fd);
			read_state(ctx->procfd, path, &m);
		} else {
			read_mapped(ctx->procfd, mp, &m);
		}
		while (i < fds->len && cmp_key(((const struct scan_fd *)vec_at(fds, i))->dev,
					       ((const struct scan_fd *)vec_at(fds, i))->ino,
					       m.dev, m.ino) == 0)
			i++;
		while (j < maps->len && cmp_key(((const struct scan_map *)vec_at(maps, j))->dev,
						((const struct scan_map *)vec_at(maps, j))->ino,
						m.dev, m.ino) == 0)
			j++;
		vec_push(&ret->objs, &m);
	}
	return 0;
}

static void memfd_free_obj(void *obj)
{
	struct memfd_obj *m = obj;

	free(m->name);
	free(m->holders);
}

/* ---- columns -------------------------------------------------------------- */

enum { COL_NAME, COL_INODE, COL_SIZE, COL_SEALS, COL_HOLDERS, COL_VERDICT };

static const struct {
	unsigned bit;
	const char *word;
} seal_words[] = {
	{ 0x0001, "seal" },		/* F_SEAL_SEAL: no more seals */
	{ 0x0002, "shrink" },		/* F_SEAL_SHRINK */
	{ 0x0004, "grow" },		/* F_SEAL_GROW */
	{ 0x0008, "write" },		/* F_SEAL_WRITE */
	{ 0x0010, "future-write" },	/* F_SEAL_FUTURE_WRITE */
	{ 0x0020, "exec" },		/* F_SEAL_EXEC */
};

static void seals_write_json(struct jw *w, const void *obj, const struct render_opts *opts)
{
	const struct memfd_obj *m = obj;
	size_t i;

	(void)opts;
	if (!m->has_seals) {
		jw_null(w);
		return;
	}
	jw_arr_begin(w);
	for (i = 0; i < sizeof(seal_words) / sizeof(seal_words[0]); i++)
		if (m->seals & seal_words[i].bit)
			jw_str(w, seal_words[i].word);
	jw_arr_end(w);
}

static char *seals_to_text(const void *obj, const struct render_opts *opts,
			   struct cell_list *ret_list)
{
	const struct memfd_obj *m = obj;
	char buf[64] = "";
	size_t i;

	(void)opts, (void)ret_list;
	if (!m->has_seals)
		return xstrdup("-");
	for (i = 0; i < sizeof(seal_words) / sizeof(seal_words[0]); i++)
		if (m->seals & seal_words[i].bit)
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s",
				 buf[0] ? "," : "", seal_words[i].word);
	return xstrdup(buf);
}

static const struct column memfd_columns[] = {
	[COL_NAME] = { "NAME", "name", "the name given to memfd_create, without \"memfd:\" (escaped)", 0.2, COL_WRAP, NULL, NULL, COLT_STRING },
	[COL_INODE] = { "INODE", "inode", "inode number", 8, COL_RIGHT, NULL, NULL, COLT_INTEGER },
	[COL_SIZE] = { "SIZE", "size", "size in bytes", 6, COL_RIGHT, NULL, NULL, COLT_SIZE },
	[COL_SEALS] = { "SEALS", "seals", "seals set with F_ADD_SEALS: seal, shrink, grow, write, future-write, exec", 8, 0, seals_write_json, seals_to_text, COLT_ARRAY },
	[COL_HOLDERS] = { "HOLDERS", "holders", "processes with an fd on it or mapping it: pid, comm, user, fd (none: a mapping)", 0.3, COL_LIST, NULL, NULL, COLT_ARRAY },
	VERDICT_COLUMNS,
};

static const char *const memfd_defaults[] = { "NAME", "INODE", "SIZE", "SEALS", "HOLDERS", NULL };

static void memfd_get(const void *obj, size_t col, struct value *ret)
{
	const struct memfd_obj *m = obj;

	switch (col) {
	case COL_NAME:
		if (m->name)
			VALUE_STR(ret, m->name);
		else
			value_set(ret, VAL_NULL);
		break;
	case COL_INODE:
		VALUE_U64(ret, m->ino);
		break;
	case COL_SIZE:
		if (m->has_size)
			VALUE_TYPED_U64(ret, VAL_SIZE, m->size);
		else
			value_set(ret, VAL_NULL);
		break;
	case COL_SEALS:
		value_set(ret, VAL_CUSTOM);
		break;
	case COL_HOLDERS:
		value_holders_fd_or_map(ret, m->holders, m->nholders, m->exhaustive);
		break;
	case COL_VERDICT:
	case COL_VERDICT + VCOL_REASONS:
	case COL_VERDICT + VCOL_AGE:
		verdict_get(&memfd_kind, &m->verdict, col - COL_VERDICT, ret);
		break;
	default:
		value_set(ret, VAL_NULL);
		break;
	}
}

/* ---- judge ---------------------------------------------------------------- */

static void memfd_gather(const void *obj, const struct owners *o, struct gather *g)
{
	const struct memfd_obj *m = obj;

	holders_want_file(o, &memfd_kind, m->dev, m->ino, g);
}

/* memfd's own reasons */
enum {
	MEMFD_R_HELD = REASON_KIND,	/* n: fds, aux: mapping processes, flag: all seen */
	MEMFD_R_MORE,			/* n: holders beyond the ones named */
};

static void memfd_reason_text(const struct reason *r, char *buf, size_t size)
{
	switch (r->code) {
	case MEMFD_R_HELD:
		snprintf(buf, size, "exists only while held: %" PRIu64 " fd%s, mapped by %" PRIu32
			 " process%s%s", r->n, r->n == 1 ? "" : "s", r->aux,
			 r->aux == 1 ? "" : "es", r->flag ? "" : " seen");
		break;
	case MEMFD_R_MORE:
		snprintf(buf, size, "and %" PRIu64 " more", r->n);
		break;
	}
}

/*
 * The scan found it held, and a memfd exists only while held: in use.
 * The holders are named; without every process read the counts are a
 * floor, and the reasons say why.
 */
static void memfd_decide(void *obj, const struct owners *o, struct verdict_work *w)
{
	struct memfd_obj *m = obj;
	struct reason *r = verdict_reason(w, MEMFD_R_HELD);
	size_t i;

	r->n = m->nfds;
	r->aux = (uint32_t)(m->nholders - m->nfds);
	r->flag = m->exhaustive;
	for (i = 0; i < m->nholders && i < MEMFD_NAMED; i++)
		verdict_reason(w, m->holders[i].fd >= 0 ? REASON_HELD_FD : REASON_MAPPED_BY)->ref =
			&m->holders[i];
	if (m->nholders > MEMFD_NAMED)
		verdict_reason(w, MEMFD_R_MORE)->n = m->nholders - MEMFD_NAMED;
	if (!m->exhaustive)
		verdict_note_unseen(w, &o->scan);
	w->in_use = true;
	verdict_finish(w, VERDICT_IN_USE);
}

static void memfd_judge(void *obj, const struct owners *o)
{
	struct memfd_obj *m = obj;
	struct verdict_work w;

	m->exhaustive = procscan_sees_all(&o->scan);
	m->nholders = holders_of_file(o, &memfd_kind, m->dev, m->ino, &m->holders, &m->nfds);
	verdict_begin(&w, &m->verdict, m, sizeof(*m), o->arena);
	memfd_decide(m, o, &w);
}

static bool memfd_involves(const void *obj, int pid)
{
	const struct memfd_obj *m = obj;
	size_t i;

	for (i = 0; i < m->nholders; i++)
		if (m->holders[i].pid == pid)
			return true;
	return false;
}

/* Who it is, for watch's matching: names repeat ("wayland-shm"), files do not. */
static void memfd_identify(const void *obj, struct obj_ident *ret)
{
	const struct memfd_obj *m = obj;

	ret->dev = m->dev;
	ret->ino = m->ino;
}

const struct ipc_kind memfd_kind = {
	.name = "memfd",
	.title = "memfd files",
	.source = "/proc/PID/fd and /proc/PID/maps",
	.columns = memfd_columns,
	.ncolumns = sizeof(memfd_columns) / sizeof(memfd_columns[0]),
	.defaults = memfd_defaults,
	.verdict_offset = offsetof(struct memfd_obj, verdict),
	.bytes_column = "size",
	.objsize = sizeof(struct memfd_obj),
	.needs_scan = true,
	.claim_fds = &memfd_fd_claim,
	.claim_maps = &memfd_maps_claim,
	.collect = memfd_collect,
	.get = memfd_get,
	.free_obj = memfd_free_obj,
	.gather = memfd_gather,
	.judge = memfd_judge,
	.decide = memfd_decide,
	.reason_text = memfd_reason_text,
	.involves = memfd_involves,
	.identify = memfd_identify,
	.clean_refusal = "a memfd exists only while held",
};

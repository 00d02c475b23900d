/*
 * Kind "unix": Unix domain sockets.  The process scan gives who holds
 * which socket inode (socket:[INODE] fd links); the kernel's
 * NETLINK_SOCK_DIAG unix dump gives every socket of this network
 * namespace with its type, state, name, bound file and peer, in one
 * request (ss does the same).  Where sock_diag is missing, /proc/net/unix
 * gives all but the peers.  Socket files under a --socket-dir that no
 * socket is bound to are listed too: the leftovers of a crashed server.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "act.h"
#include "facts.h"
#include "jsonw.h"
#include "kind.h"
#include "model.h"
#include "owners.h"
#include "procscan.h"
#include "strutils.h"
#include "sysvipc.h"
#include "unixsock.h"
#include "xalloc.h"

static void unix_free_obj(void *obj)
{
	struct unix_obj *u = obj;

	free(u->path);
	free(u->name);
	free(u->holders);
	free(u->peer_holders);
}

/* ---- reading the kernel's sockets ---------------------------------------- */

static int cmp_entry(const void *a, const void *b)
{
	const struct unix_diag_entry *x = a, *y = b;

	return (x->ino > y->ino) - (x->ino < y->ino);
}

int unix_diag_dump(struct vec *ret)
{
	struct {
		struct nlmsghdr h;
		struct unix_diag_req r;
	} req = {
		.h = { .nlmsg_len = sizeof(req), .nlmsg_type = SOCK_DIAG_BY_FAMILY,
		       .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP, .nlmsg_seq = 1 },
		.r = { .sdiag_family = AF_UNIX, .udiag_states = ~0u,
		       .udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_VFS | UDIAG_SHOW_PEER },
	};
	struct vec out = VEC_INIT(struct unix_diag_entry);
	_cleanup_free_ char *buf = xmalloc(65536);
	bool done = false;
	int fd, r = 0;

	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd < 0)
		return -errno;
	if (send(fd, &req, sizeof(req), 0) < 0)
		r = -errno;
	while (!r && !done) {
		ssize_t n = recv(fd, buf, 65536, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			r = n < 0 ? -errno : -EIO;
			break;
		}
		r = unix_parse_diag_reply(buf, (size_t)n, &out, &done);
	}
	close(fd);
	if (r < 0) {
		unix_diag_free(&out);
		return r;
	}
	vec_sort(&out, cmp_entry);
	*ret = out;
	return 0;
}

/* /proc/net/unix, where there is no sock_diag: no peers, no bound inode. */
static int proc_net_unix(int procfd, struct vec *ret)
{
	_cleanup_free_ char *text = NULL;
	struct vec out = VEC_INIT(struct unix_diag_entry);
	int r = read_whole_file_at(procfd, "net/unix", &text, NULL);

	if (r < 0)
		return r;
	unix_parse_net_unix(text, &out);
	vec_sort(&out, cmp_entry);
	*ret = out;
	return 0;
}

/* ---- collecting ----------------------------------------------------------- */

static const struct unix_diag_entry *entry_of(const struct vec *sockets, uint64_t ino)
{
	struct unix_diag_entry key = { .ino = ino };

	return vec_search(sockets, &key, cmp_entry);
}

static void add_socket(struct kind_objs *ret, const struct unix_diag_entry *e, bool peers_known,
		       bool exhaustive)
{
	struct unix_obj u = {
		.ino = e->ino, .type = e->type, .state = e->state, .has_vfs = e->has_vfs,
		.vfs_dev = e->vfs_dev, .vfs_ino = e->vfs_ino, .peer_ino = e->peer,
		.peers_known = peers_known, .exhaustive = exhaustive, .dirfd = -1,
	};

	if (e->name) {
		u.path = xmalloc(e->namelen + 1);
		memcpy(u.path, e->name, e->namelen + 1);
		u.pathlen = e->namelen;
	}
	vec_push(&ret->objs, &u);
}

/* Socket files of one --socket-dir that no socket is bound to. */
static void find_on_disk(const struct fifo_dir *d, const struct vec *sockets,
			 struct kind_objs *ret)
{
	struct dirent *de;
	DIR *dir;
	int fd = openat(d->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	size_t i;

	if (fd < 0 || !(dir = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((de = readdir(dir))) {
		struct stat st;
		bool bound = false;

		if (fstatat(d->fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISSOCK(st.st_mode))
			continue;
		for (i = 0; !bound && i < sockets->len; i++) {
			const struct unix_diag_entry *e = vec_at(sockets, i);

			bound = e->has_vfs && e->vfs_ino == (uint64_t)st.st_ino &&
				e->vfs_dev == (uint64_t)st.st_dev;
		}
		if (!bound) {
			struct unix_obj u = {
				.path = xasprintf("%s/%s", d->path, de->d_name), .on_disk = true,
				.dirfd = d->fd, .name = xstrdup(de->d_name), .uid = st.st_uid,
				.mtime = st.st_mtime, .ctime = st.st_ctime, .has_vfs = true,
				.vfs_dev = (uint64_t)st.st_dev, .vfs_ino = (uint64_t)st.st_ino,
				.exhaustive = true, .peers_known = true,
			};

			u.pathlen = strlen(u.path);
			vec_push(&ret->objs, &u);
		}
	}
	closedir(dir);
}

/* socket:[INODE] fd links (of every family: collect keeps the Unix ones) */
static const struct scan_fd_claim unix_claim = {
	.prefix = "socket:[", .parse = procscan_parse_socket_link,
};

/*
 * Whether a listener's path still names it, as its holder pid sees the
 * path (/proc/PID/root: a process in another mount namespace binds in its
 * own tree).  A relative path (relative to a cwd at bind time) or an
 * abstract name cannot be checked: no evidence either way.  Read here, in
 * the collect step, so that judging reads nothing.
 */
static bool path_names_it(const struct unix_obj *u, int pid)
{
	_cleanup_free_ char *path = NULL;
	struct stat st;

	if (!u->path || u->path[0] != '/' || !u->has_vfs)
		return true;
	path = xasprintf("/proc/%d/root%s", pid, u->path);
	if (lstat(path, &st) < 0)	/* not readable, or the holder gone: no evidence */
		return errno == EACCES || errno == ESRCH || errno == EPERM;
	return S_ISSOCK(st.st_mode) && (uint64_t)st.st_ino == u->vfs_ino &&
	       (uint64_t)st.st_dev == u->vfs_dev;
}

static int unix_collect(const struct collect_ctx *ctx, struct kind_objs *ret)
{
	const struct vec *held = procscan_claimed_fds(ctx->scan, &unix_kind);
	struct vec sockets;
	bool exhaustive = procscan_sees_all(ctx->scan), peers_known = true;
	size_t i;
	int r;

	r = unix_diag_dump(&sockets);
	if (r < 0) {
		peers_known = false;
		r = proc_net_unix(ctx->procfd, &sockets);
		if (r < 0)
			return r;
		vec_push(&ret->notes, &(char *){ xstrdup("Unix sockets: no sock_diag "
							  "(NETLINK_SOCK_DIAG): peers are not known") });
	}
	/* the scan's socket fds, sorted by inode: each Unix one once */
	for (i = 0; i < held->len; i++) {
		const struct scan_fd *f = vec_at(held, i);
		const struct unix_diag_entry *e;

		if (i && ((const struct scan_fd *)vec_at(held, i - 1))->ino == f->ino)
			continue;
		e = entry_of(&sockets, f->ino);
		if (e) {	/* else another family, or another network namespace */
			struct unix_obj *u;

			add_socket(ret, e, peers_known, exhaustive);
			u = vec_at(&ret->objs, ret->objs.len - 1);
			/* f: the socket's first holder, as the judge lists them */
			u->stale = u->state == TCP_LISTEN && !path_names_it(u, f->pid);
		}
	}
	/* which files are bound only sock_diag says: without it, none is listed */
	if (ctx->nsocket_dirs && !peers_known)
		vec_push(&ret->notes, &(char *){ xstrdup("--socket-dir: without sock_diag the "
							  "files sockets are bound to are not "
							  "known: no socket file is listed") });
	for (i = 0; peers_known && i < ctx->nsocket_dirs; i++)
		if (ctx->socket_dirs[i].fd >= 0)
			find_on_disk(&ctx->socket_dirs[i], &sockets, ret);
	unix_diag_free(&sockets);
	return 0;
}

/* ---- columns ----------------------------------------------------------------- */

static const char *type_name(unsigned type)
{
	switch (type) {
	case SOCK_STREAM:
		return "stream";
	case SOCK_DGRAM:
		return "dgram";
	case SOCK_SEQPACKET:
		return "seqpacket";
	}
	return NULL;
}

static const char *state_name(const struct unix_obj *u)
{
	if (u->on_disk)
		return NULL;
	switch (u->state) {
	case TCP_LISTEN:
		return "listen";
	case TCP_ESTABLISHED:
		return "connected";
	case TCP_SYN_SENT:
		return "connecting";
	case TCP_CLOSE:
		return "unconnected";
	}
	return "disconnecting";
}

static void path_write_json(struct jw *w, const void *obj, const struct render_opts *opts)
{
	const struct unix_obj *u = obj;

	(void)opts;
	if (u->path)
		jw_strn(w, u->path, u->pathlen);	/* NUL bytes of an abstract name too */
	else
		jw_null(w);
}

static char *path_to_text(const void *obj, const struct render_opts *opts,
			  struct cell_list *ret_list)
{
	const struct unix_obj *u = obj;
	char *text;
	size_t i;

	(void)opts, (void)ret_list;
	if (!u->path)
		return xstrdup("-");
	/* raw bytes, as every cell (libsmartcols encodes them); NUL as '@', as ss */
	text = xmalloc(u->pathlen + 1);
	for (i = 0; i < u->pathlen; i++)
		text[i] = u->path[i] ? u->path[i] : '@';
	text[u->pathlen] = '\0';
	return text;
}

static void peer_write_json(struct jw *w, const void *obj, const struct render_opts *opts)
{
	const struct unix_obj *u = obj;
	struct value v;

	if (!u->peers_known || !u->peer_ino) {
		jw_null(w);
		return;
	}
	jw_obj_begin(w);
	jw_key(w, "inode");
	jw_u64(w, u->peer_ino);
	jw_key(w, "holders");
	value_holders(&v, u->peer_holders, u->npeer_holders, u->exhaustive, true);
	value_write_json(w, &v, opts);
	jw_obj_end(w);
}

/*
 * "7473141 sshd[12]:4,sshd[13]:4": the peer's inode, then its holders; as
 * a list, the inode goes with the first holder, so it is never left out.
 */
static char *peer_to_text(const void *obj, const struct render_opts *opts,
			  struct cell_list *ret_list)
{
	const struct unix_obj *u = obj;
	struct value v;
	_cleanup_free_ char *who = NULL;

	if (!u->peers_known)
		return xstrdup("?");
	if (!u->peer_ino)
		return xstrdup("-");
	value_holders(&v, u->peer_holders, u->npeer_holders, u->exhaustive, true);
	if (ret_list && value_to_list(&v, opts, ret_list)) {
		char *first = xasprintf("%" PRIu64 " %s", u->peer_ino, ret_list->items[0]);

		free(ret_list->items[0]);
		ret_list->items[0] = first;
		return NULL;
	}
	who = value_to_text(&v, opts);
	return xasprintf("%" PRIu64 " %s", u->peer_ino, who);
}

enum {
	COL_INODE, COL_TYPE, COL_STATE, COL_PATH, COL_HOLDERS, COL_PEER, COL_ON_DISK, COL_VERDICT,
};

static const struct column unix_columns[] = {
	[COL_INODE] = { "INODE", "inode", "socket inode (null: a file nobody is bound to)", 8, COL_RIGHT, NULL, NULL, COLT_INTEGER },
	[COL_TYPE] = { "TYPE", "type", "stream, dgram or seqpacket", 6, 0, NULL, NULL, COLT_STRING },
	[COL_STATE] = { "STATE", "state", "listen, connected, unconnected, connecting or disconnecting", 8, 0, NULL, NULL, COLT_STRING },
	[COL_PATH] = { "PATH", "path", "bound name: a path, or @ and an abstract name (escaped); null: unbound", 0.3, COL_WRAP, path_write_json, path_to_text, COLT_STRING },
	[COL_HOLDERS] = { "HOLDERS", "holders", "processes holding it: pid, comm, user, fd", 0.2, COL_LIST, NULL, NULL, COLT_ARRAY },
	[COL_PEER] = { "PEER", "peer", "the connected peer: inode and holders (null: none, or unknown without sock_diag)", 0.2, COL_LIST, peer_write_json, peer_to_text, COLT_OBJECT },
	[COL_ON_DISK] = { "ON-DISK", "on_disk", "a socket file under a --socket-dir that nobody is bound to", 3, 0, NULL, NULL, COLT_BOOLEAN },
	VERDICT_COLUMNS,
};

static const char *const unix_defaults[] = {
	"INODE", "TYPE", "STATE", "PATH", "HOLDERS", "PEER", NULL
};

static const char *const unix_orphan_defaults[] = {
	"INODE", "PATH", "VERDICT", "REASONS", NULL
};

static void unix_get(const void *obj, size_t col, struct value *ret)
{
	const struct unix_obj *u = obj;
	const char *s;

	switch (col) {
	case COL_INODE:
		if (u->ino)
			VALUE_U64(ret, u->ino);
		else
			value_set(ret, VAL_NULL);
		break;
	case COL_TYPE:
	case COL_STATE:
		s = col == COL_TYPE ? type_name(u->type) : state_name(u);
		if (s)
			VALUE_STR(ret, s);
		else
			value_set(ret, VAL_NULL);
		break;
	case COL_PATH:
	case COL_PEER:
		value_set(ret, VAL_CUSTOM);
		break;
	case COL_HOLDERS:
		value_holders(ret, u->holders, u->nholders, u->exhaustive, true);
		break;
	case COL_ON_DISK:
		value_set(ret, VAL_BOOL);
		ret->u.b = u->on_disk;
		break;
	case COL_VERDICT:
	case COL_VERDICT + VCOL_REASONS:
	case COL_VERDICT + VCOL_AGE:
		verdict_get(&unix_kind, &u->verdict, col - COL_VERDICT, ret);
		break;
	default:
		value_set(ret, VAL_NULL);
		break;
	}
}

/* ---- judging ---------------------------------------------------------------- */

/* The holders of socket ino, as holder structs (caller frees). */
static struct holder *holders_of(const struct owners *o, uint64_t ino, size_t *ret_n)
{
	const struct scan_fd *f = NULL;
	size_t i, n = ino ? procscan_fds(&o->scan, &unix_kind, 0, ino, &f) : 0;
	struct holder *h = n ? xcalloc(n, sizeof(*h)) : NULL;

	for (i = 0; i < n; i++)
		h[i] = (struct holder){ .pid = f[i].pid, .fd = f[i].fd };
	holders_resolve(o, h, n);
	*ret_n = n;
	return h;
}

static void unix_gather(const void *obj, const struct owners *o, struct gather *g)
{
	const struct unix_obj *u = obj;
	const uint64_t inos[2] = { u->ino, u->peer_ino };
	size_t k, i;

	for (k = 0; k < 2; k++) {
		const struct scan_fd *f = NULL;
		size_t n = inos[k] ? procscan_fds(&o->scan, &unix_kind, 0, inos[k], &f) : 0;

		for (i = 0; i < n; i++)
			owners_want(&g->pids, f[i].pid);
	}
}

/* unix's own reasons. */
enum {
	UNIX_R_FILE_UNBOUND = REASON_KIND,	/* a socket file nobody is bound to */
	UNIX_R_HELD,		/* ref: the first holder; flag: and others */
	UNIX_R_STALE,		/* ref: the path (raw bytes, escaped with the rest) */
};

static void unix_reason_text(const struct reason *r, char *buf, size_t size)
{
	const struct holder *h = r->ref;

	switch (r->code) {
	case UNIX_R_FILE_UNBOUND:
		snprintf(buf, size, "a socket file nobody is bound to");
		break;
	case UNIX_R_HELD:
		snprintf(buf, size, "held by %s[%d] (fd %d)%s", h->proc ? h->proc->comm : "?",
			 h->pid, h->fd, r->flag ? " and others" : "");
		break;
	case UNIX_R_STALE:
		snprintf(buf, size, "listening on %s, which no longer names this socket: nobody "
			 "can connect to it", (const char *)r->ref);
		break;
	}
}

static void unix_decide(void *obj, const struct owners *o, struct verdict_work *w)
{
	struct unix_obj *u = obj;

	if (u->on_disk) {
		verdict_set_age(w->v, o->now, u->mtime, u->ctime, 0, 0);
		verdict_reason(w, UNIX_R_FILE_UNBOUND);
		verdict_finish(w, VERDICT_SUSPECT);
		return;
	}
	if (u->nholders) {
		struct reason *r = verdict_reason(w, UNIX_R_HELD);

		r->ref = &u->holders[0];
		r->flag = u->nholders > 1;
	}
	if (u->stale) {
		verdict_reason(w, UNIX_R_STALE)->ref = u->path;
		verdict_finish(w, VERDICT_SUSPECT);
		return;
	}
	w->in_use = u->nholders > 0;
	if (!u->nholders)	/* listed because some fd holds it: one we could not see */
		verdict_note_unseen(w, &o->scan);
	verdict_finish(w, VERDICT_SUSPECT);
}

static void unix_judge(void *obj, const struct owners *o)
{
	struct unix_obj *u = obj;
	struct verdict_work w;

	u->holders = holders_of(o, u->ino, &u->nholders);
	u->peer_holders = holders_of(o, u->peers_known ? u->peer_ino : 0, &u->npeer_holders);
	verdict_begin(&w, &u->verdict, u, sizeof(*u), o->arena);
	unix_decide(u, o, &w);
}

static bool unix_involves(const void *obj, int pid)
{
	const struct unix_obj *u = obj;
	size_t i;

	for (i = 0; i < u->nholders; i++)
		if (u->holders[i].pid == pid)
			return true;
	return false;
}

/* ---- the act phase: removal ---- */

/*
 * Whether some socket of this network namespace is bound to (dev, ino): 1,
 * 0, or -errno when that cannot be known (no sock_diag).
 */
static int socket_file_bound(uint64_t dev, uint64_t ino)
{
	struct vec sockets;
	size_t i;
	int r = unix_diag_dump(&sockets);

	if (r < 0)
		return r;
	for (i = 0; r == 0 && i < sockets.len; i++) {
		const struct unix_diag_entry *e = vec_at(&sockets, i);

		r = e->has_vfs && e->vfs_dev == dev && e->vfs_ino == ino;
	}
	unix_diag_free(&sockets);
	return r;
}

/*
 * A socket file under a --socket-dir: re-stat the entry in the directory
 * as read, then a fresh sock_diag dump must show no socket bound to it.
 */
static void unix_remove(const void *obj, const struct act_req *req, struct act_outcome *ret)
{
	const struct unix_obj *u = obj;
	int bound;

	(void)req;
	if (!u->on_disk)
		return act_outcome_set(ret, ACT_FAILED, xstrdup("a socket some process holds is "
								"never removed"));
	if (act_file_same(&(struct act_file){ .dirfd = u->dirfd, .entry = u->name,
					      .fmt = S_IFSOCK, .dev = u->vfs_dev,
					      .ino = u->vfs_ino, .uid = u->uid,
					      .what = "socket file" }, ret) < 0)
		return;
	bound = socket_file_bound(u->vfs_dev, u->vfs_ino);
	if (bound == 1)
		return act_outcome_set(ret, ACT_SKIPPED, xstrdup("a socket was bound to it since "
								 "it was judged"));
	if (bound < 0)
		return act_outcome_set(ret, ACT_SKIPPED, xstrdup("sock_diag cannot be read to "
								 "re-check that no socket is "
								 "bound to it"));
	if (unlinkat(u->dirfd, u->name, 0) < 0)
		return act_failed(ret, errno, "unlink");
	act_outcome_set(ret, ACT_REMOVED, NULL);
}

static void unix_identify(const void *obj, struct obj_ident *ret)
{
	const struct unix_obj *u = obj;

	ret->path = u->path;
	ret->dev = u->vfs_dev;
	ret->ino = u->vfs_ino;
	ret->uid = u->uid;
	ret->log_noun = "socket file";
	ret->cleanable = u->on_disk;
}

const struct ipc_kind unix_kind = {
	.name = "unix",
	.title = "Unix sockets",
	.source = "NETLINK_SOCK_DIAG",
	.columns = unix_columns,
	.ncolumns = sizeof(unix_columns) / sizeof(unix_columns[0]),
	.defaults = unix_defaults,
	.orphan_defaults = unix_orphan_defaults,
	.verdict_offset = offsetof(struct unix_obj, verdict),
	.objsize = sizeof(struct unix_obj),
	.needs_scan = true,
	.claim_fds = &unix_claim,
	.collect = unix_collect,
	.get = unix_get,
	.free_obj = unix_free_obj,
	.gather = unix_gather,
	.judge = unix_judge,
	.decide = unix_decide,
	.reason_text = unix_reason_text,
	.involves = unix_involves,
	.clean = KIND_CLEAN_SOCKET_DIR,
	.identify = unix_identify,
	.remove = unix_remove,
};

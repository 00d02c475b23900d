/*
 * rm's checks of its targets, made for every argument before anything is
 * removed (cmd_rm in cleanup.c): which object a target names, whether
 * we may remove it (CAP_SYS_ADMIN reaching the IPC namespace, or the
 * owner's or creator's uid) and whether it is in use.  See cleanup.h.
 */
#include "config.h"

#include <fcntl.h>
#include <inttypes.h>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "act.h"
#include "cleanup.h"
#include "procparse.h"
#include "render.h"
#include "strutils.h"
#include "sysvipc.h"
#include "xalloc.h"

#define USERNS_MAX_DEPTH 33	/* user namespaces nest 32 deep below the first */

/* Whether fd is the namespace st names. */
static bool ns_is(int fd, const struct stat *st)
{
	struct stat f;

	return fstat(fd, &f) == 0 && f.st_ino == st->st_ino && f.st_dev == st->st_dev;
}

/*
 * Whether our user namespace owns our IPC namespace or is an ancestor of
 * the one that does: the kernel checks CAP_SYS_ADMIN in the owner for
 * IPC_RMID, and a capability held in a user namespace reaches every one
 * below it, none above or beside it (doc/kernel-facts.md, "Capabilities
 * and user namespaces").  NS_GET_PARENT walks up from the owner; EPERM
 * means the walk left what we can see: the owner is not below ours.
 * Kernels without NS_GET_USERNS (before 4.9): assume it is.
 */
static bool ipc_ns_within_our_userns(void)
{
	struct stat mine;
	int ipc, fd, depth;
	bool ours = false;

	ipc = open("/proc/self/ns/ipc", O_RDONLY | O_CLOEXEC);
	if (ipc < 0)
		return true;
	fd = ioctl(ipc, NS_GET_USERNS);
	close(ipc);
	if (fd < 0)
		return true;
	if (stat("/proc/self/ns/user", &mine) < 0) {
		close(fd);
		return false;
	}
	for (depth = 0; depth <= USERNS_MAX_DEPTH; depth++) {
		int parent;

		if (ns_is(fd, &mine)) {
			ours = true;
			break;
		}
		parent = ioctl(fd, NS_GET_PARENT);
		if (parent < 0)
			break;
		close(fd);
		fd = parent;
	}
	close(fd);
	return ours;
}

/*
 * Whether CAP_SYS_ADMIN lets us remove anyone's object: in our effective
 * set, and our user namespace owns the IPC namespace or is above the one
 * that does.
 */
bool has_sys_admin(void)
{
	_cleanup_free_ char *text = NULL;
	uint64_t caps;

	if (!ipc_ns_within_our_userns())
		return false;
	if (read_whole_file_at(AT_FDCWD, "/proc/self/status", &text, NULL) < 0)
		return geteuid() == 0;
	return procparse_status_capeff(text, &caps) == 0 && (caps & (UINT64_C(1) << 21));
}

/* "shared memory segment": what rm calls an object of kind k. */
const char *kind_words(enum kind_id k)
{
	return ipc_kinds[k]->noun ? ipc_kinds[k]->noun : ipc_kinds[k]->name;
}

/* The object a target names, or NULL with *ret_problem set (allocated). */
const void *find_target(const struct snapshot *s, const struct rm_target *t,
			       char **ret_problem)
{
	const struct kind_objs *ko = &s->kinds[t->kind];
	const void *found = NULL;
	size_t j, n = 0;

	if (t->id == -2) {
		*ret_problem = xasprintf("invalid %s '%s'", t->by_key ? "key" : "id", t->arg);
		return NULL;
	}
	if (t->by_key && t->key == 0) {
		*ret_problem = xstrdup("key 0 (IPC_PRIVATE) names no single object: give the id");
		return NULL;
	}
	for (j = 0; ko->kind && j < ko->objs.len; j++) {
		struct obj_ident id;

		act_identify(ko->kind, vec_at(&ko->objs, j), &id);
		if (id.has_id && (t->by_key ? id.key == t->key : id.id == t->id)) {
			found = vec_at(&ko->objs, j);
			n++;
		}
	}
	if (!found)
		*ret_problem = xasprintf("no %s with %s %s", kind_words(t->kind),
					 t->by_key ? "key" : "id", t->arg);
	else if (n > 1)	/* a key is unique among live objects; never guess */
		*ret_problem = xasprintf("key %s names %zu objects", t->arg, n), found = NULL;
	return found;
}

char *rm_problem(const struct options *o, const struct ipc_kind *kind, const void *obj,
			bool admin)
{
	const struct verdict *v = kind_verdict(kind, obj);
	uint32_t euid = (uint32_t)geteuid();
	struct obj_ident id;

	act_identify(kind, obj, &id);
	if (!admin && euid != id.uid && !(id.has_cuid && euid == id.cuid))
		return xasprintf("permission denied: owned by uid %" PRIu32 ", created by uid %" PRIu32,
				 id.uid, id.cuid);
	/* in use: a live actor counts (doc/kernel-facts.md, "Pid reuse") */
	if (!o->force && v && v->value == VERDICT_IN_USE) {
		_cleanup_free_ char *text = verdict_words(kind, obj, true);

		return xasprintf("%s (remove it anyway with --force)", text);
	}
	return NULL;
}

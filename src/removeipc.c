/*
 * The RemoveIPC= audit (logind.h): which objects systemd-logind would
 * remove under a service still using them when their owner logs out.
 * removeipc_judge() is the rule, a pure function of the model and the
 * facts logind.c collected; removeipc_audit() runs the collector, the
 * rule and the warnings for a snapshot.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "act.h"
#include "idcache.h"
#include "kind.h"
#include "logind.h"
#include "owners.h"
#include "snapshot.h"
#include "xalloc.h"

/* What logind removes: SysV and mqueue objects of its IPC namespace, files of its /dev/shm. */
static bool kind_removed(const struct ipc_kind *kind, const struct logind_facts *lf)
{
	return (kind->policy & KIND_POLICY_IPC_NS) ||
	       (lf->dev_shm && (kind->policy & KIND_POLICY_DEV_SHM));
}

/* Whether a process of one of uid's login sessions holds, made or last used obj. */
static bool session_involved(const struct ipc_kind *kind, const void *obj, uint32_t uid,
			     const struct logind_facts *lf)
{
	size_t i;

	for (i = 0; kind->involves && i < lf->sessions.len; i++) {
		const struct logind_session_proc *sp = vec_at(&lf->sessions, i);

		if (sp->uid == uid && kind->involves(obj, sp->pid))
			return true;
	}
	return false;
}

/* Whether RemoveIPC= would take obj from under whoever uses it. */
static bool at_risk(const struct ipc_kind *kind, const void *obj, const struct verdict *v,
		    const struct logind_facts *lf, uint32_t *ret_uid)
{
	struct obj_ident id;
	bool holds_data;

	act_identify(kind, obj, &id);
	/* logind spares root, system users (uid_is_system()) and lingering users */
	if (id.uid == 0 || id.uid <= lf->sys_uid_max || logind_lingers(lf, id.uid))
		return false;
	holds_data = id.has_size && id.size > 0;
	if (v->value != VERDICT_IN_USE && !holds_data)
		return false;
	if (session_involved(kind, obj, id.uid, lf))
		return false;
	*ret_uid = id.uid;
	return true;
}

static void add_uid(struct vec *users, uint32_t uid)
{
	struct removeipc_user u = { .uid = uid, .objects = 1 };
	size_t i;

	for (i = 0; i < users->len; i++) {
		struct removeipc_user *have = vec_at(users, i);

		if (have->uid == uid) {
			have->objects++;
			return;
		}
	}
	vec_push(users, &u);
}

static int user_cmp(const void *a, const void *b)
{
	const struct removeipc_user *x = a, *y = b;

	return (x->uid > y->uid) - (x->uid < y->uid);
}

size_t removeipc_judge(struct kind_objs *kinds, size_t nkinds, const struct logind_facts *lf,
		       struct vec *ret_users)
{
	size_t i, j, n = 0;

	if (!lf->pid || !lf->remove_ipc)
		return 0;
	for (i = 0; i < nkinds; i++) {
		struct kind_objs *ko = &kinds[i];

		if (!ko->kind || !kind_removed(ko->kind, lf))
			continue;
		for (j = 0; j < ko->objs.len; j++) {
			void *obj = vec_at(&ko->objs, j);
			struct verdict *v = kind_verdict(ko->kind, obj);
			uint32_t uid;

			if (!v || v->value == VERDICT_NONE || !at_risk(ko->kind, obj, v, lf, &uid))
				continue;
			v->ctx |= VCTX_REMOVEIPC;
			v->owner_uid = uid;
			add_uid(ret_users, uid);
			n++;
		}
	}
	vec_sort(ret_users, user_cmp);
	return n;
}

/* systemd-logind, run by root in the IPC namespace inspected: its pid, or 0. */
static int find_logind(const struct owners *o, struct logind_facts *lf)
{
	size_t i;

	for (i = 0; o->has_ipc_ns && i < o->scan.procs.len; i++) {
		const struct scan_proc *p = vec_at(&o->scan.procs, i);

		if (strcmp(p->comm, "systemd-logind") != 0 || !p->has_uid || p->uid != 0 ||
		    !p->has_ipc_ns || p->ipc_ns != o->ipc_ns)
			continue;
		lf->dev_shm = o->has_mnt_ns && p->has_mnt_ns && p->mnt_ns == o->mnt_ns;
		return p->pid;
	}
	return 0;
}

/* One warning per user at risk, named as the table names owners. */
static void warn_users(struct snapshot *s, const struct vec *at_risk)
{
	struct idcache *users;
	size_t i;

	if (!at_risk->len)
		return;
	users = idcache_new(IDCACHE_USER);
	for (i = 0; i < at_risk->len; i++) {
		const struct removeipc_user *u = vec_at(at_risk, i);
		const char *name = idcache_name(users, u->uid);
		_cleanup_free_ char *who = name ? xasprintf("user %s (uid %" PRIu32 ")", name,
							    u->uid)
						: xasprintf("uid %" PRIu32, u->uid);
		bool one = u->objects == 1;
		char *msg = xasprintf("RemoveIPC=yes: %zu object%s of %s %s in use or hold%s data "
				      "outside the user's login sessions: systemd-logind removes "
				      "%s when the user's last session ends", u->objects,
				      one ? "" : "s", who, one ? "is" : "are", one ? "s" : "",
				      one ? "it" : "them");

		vec_push(&s->warnings, &msg);
	}
	idcache_free(users);
}

void removeipc_audit(struct snapshot *s, int procfd)
{
	struct logind_facts lf;
	struct vec uids = VEC_INIT(struct removeipc_user);
	char root[32];
	size_t i;
	int rootfd;

	if (!s->owners)
		return;
	logind_facts_init(&lf);
	lf.pid = find_logind(s->owners, &lf);
	if (!lf.pid)
		goto out;
	/* its settings as it reads them: from its own root */
	snprintf(root, sizeof(root), "%d/root", lf.pid);
	rootfd = openat(procfd, root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0) {
		int e = errno;
		char *msg = xasprintf("cannot read the settings of systemd-logind (pid %d): %s: "
				      "RemoveIPC= is not audited", lf.pid, strerror(e));

		vec_push(&s->warnings, &msg);
		goto out;
	}
	logind_read_config(rootfd, &lf);
	close(rootfd);
	for (i = 0; i < lf.notes.len; i++)
		vec_push(&s->warnings, vec_at(&lf.notes, i));
	lf.notes.len = 0;
	if (lf.remove_ipc)
		logind_sessions_from_facts(&s->owners->facts, &lf);
	removeipc_judge(s->kinds, KIND_COUNT, &lf, &uids);
	warn_users(s, &uids);
out:
	vec_free(&uids);
	logind_facts_free(&lf);
}

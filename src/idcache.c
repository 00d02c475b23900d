/* uid/gid name cache: see idcache.h.  A small open-addressing hash. */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "idcache.h"
#include "xalloc.h"

struct idcache_entry {
	uint32_t id;
	bool used;
	char *name;	/* NULL: the id has no name */
};

struct idcache {
	enum idcache_kind kind;
	struct idcache_entry *slots;
	size_t cap;	/* power of two */
	size_t len;
};

struct idcache *idcache_new(enum idcache_kind kind)
{
	struct idcache *c = xcalloc(1, sizeof(*c));

	c->kind = kind;
	c->cap = 64;
	c->slots = xcalloc(c->cap, sizeof(*c->slots));
	return c;
}

void idcache_free(struct idcache *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->cap; i++)
		free(c->slots[i].name);
	free(c->slots);
	free(c);
}

static char *lookup_name(enum idcache_kind kind, uint32_t id)
{
	long sz = sysconf(kind == IDCACHE_USER ? _SC_GETPW_R_SIZE_MAX : _SC_GETGR_R_SIZE_MAX);
	size_t bufsz = sz > 0 ? (size_t)sz : 1024;
	char *buf = NULL, *name = NULL;

	for (;;) {
		int r;

		buf = xreallocarray(buf, bufsz, 1);
		if (kind == IDCACHE_USER) {
			struct passwd pw, *res = NULL;

			r = getpwuid_r(id, &pw, buf, bufsz, &res);
			if (r == 0 && res)
				name = xstrdup(res->pw_name);
		} else {
			struct group gr, *res = NULL;

			r = getgrgid_r(id, &gr, buf, bufsz, &res);
			if (r == 0 && res)
				name = xstrdup(res->gr_name);
		}
		if (r != ERANGE || bufsz >= (1 << 20))
			break;
		bufsz *= 2;
	}
	free(buf);
	return name;
}

static size_t slot_of(const struct idcache *c, uint32_t id)
{
	size_t i = (id * UINT32_C(2654435761)) & (c->cap - 1);

	while (c->slots[i].used && c->slots[i].id != id)
		i = (i + 1) & (c->cap - 1);
	return i;
}

static void grow(struct idcache *c)
{
	struct idcache_entry *old = c->slots;
	size_t oldcap = c->cap, i;

	c->cap *= 2;
	c->slots = xcalloc(c->cap, sizeof(*c->slots));
	for (i = 0; i < oldcap; i++)
		if (old[i].used)
			c->slots[slot_of(c, old[i].id)] = old[i];
	free(old);
}

const char *idcache_name(struct idcache *c, uint32_t id)
{
	size_t i = slot_of(c, id);

	if (c->slots[i].used)
		return c->slots[i].name;
	if ((c->len + 1) * 2 > c->cap) {
		grow(c);
		i = slot_of(c, id);
	}
	c->slots[i].used = true;
	c->slots[i].id = id;
	c->slots[i].name = lookup_name(c->kind, id);
	c->len++;
	return c->slots[i].name;
}

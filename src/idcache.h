/*
 * uid -> user name and gid -> group name, each looked up once per run
 * (ipcs asks NSS again for every object; with 96,000 objects that is the
 * difference between milliseconds and seconds).
 */
#ifndef IPCINSPECT_IDCACHE_H
#define IPCINSPECT_IDCACHE_H

#include <stdint.h>

struct idcache;

enum idcache_kind { IDCACHE_USER, IDCACHE_GROUP };

/* Returns a new, empty cache; free with idcache_free(). */
struct idcache *idcache_new(enum idcache_kind kind);
void idcache_free(struct idcache *c);

/*
 * The name for id, or NULL when the id has no name.  The string belongs
 * to the cache and lives until idcache_free(); it is the raw NSS bytes
 * (escape before printing).
 */
const char *idcache_name(struct idcache *c, uint32_t id);

#endif

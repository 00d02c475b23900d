/*
 * A growable array of fixed-size elements, used for every object list of
 * the snapshot.  The vector owns its storage; elements are copied in.
 */
#ifndef IPCINSPECT_VEC_H
#define IPCINSPECT_VEC_H

#include <stddef.h>

struct vec {
	char *data;
	size_t len;
	size_t cap;
	size_t elsize;
};

#define VEC_INIT(type) { .data = NULL, .len = 0, .cap = 0, .elsize = sizeof(type) }

/* Copies *elem to the end; returns a pointer to the stored copy. */
void *vec_push(struct vec *v, const void *elem);

static inline void *vec_at(const struct vec *v, size_t i)
{
	return v->data + i * v->elsize;
}

/*
 * qsort and bsearch over the vector.  An empty vector has no storage, and
 * passing NULL to qsort or bsearch is undefined even with a count of 0.
 */
void vec_sort(struct vec *v, int (*cmp)(const void *, const void *));
void *vec_search(const struct vec *v, const void *key, int (*cmp)(const void *, const void *));

/*
 * In a sorted vector, drops each element that cmp finds equal to the one
 * kept before it, after merge(kept, dropped) (which frees what the
 * dropped one owns).
 */
void vec_unique(struct vec *v, int (*cmp)(const void *, const void *),
		void (*merge)(void *kept, void *dropped));

/* Frees the storage (not what elements point to) and empties the vector. */
void vec_free(struct vec *v);

#endif

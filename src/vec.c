/* Growable array: see vec.h. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "vec.h"
#include "xalloc.h"

void *vec_push(struct vec *v, const void *elem)
{
	void *slot;

	if (v->len == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 16;
		v->data = xreallocarray(v->data, v->cap, v->elsize);
	}
	slot = v->data + v->len * v->elsize;
	memcpy(slot, elem, v->elsize);
	v->len++;
	return slot;
}

void vec_free(struct vec *v)
{
	free(v->data);
	v->data = NULL;
	v->len = v->cap = 0;
}

void vec_sort(struct vec *v, int (*cmp)(const void *, const void *))
{
	if (v->len > 1)
		qsort(v->data, v->len, v->elsize, cmp);
}

void vec_unique(struct vec *v, int (*cmp)(const void *, const void *),
		void (*merge)(void *kept, void *dropped))
{
	char *end = v->data + v->len * v->elsize, *last = v->data, *p;

	if (v->len < 2)
		return;
	for (p = v->data + v->elsize; p < end; p += v->elsize) {
		if (cmp(last, p) == 0) {
			merge(last, p);
		} else {
			last += v->elsize;
			if (last != p)
				memcpy(last, p, v->elsize);
		}
	}
	v->len = (size_t)(last - v->data) / v->elsize + 1;
}

void *vec_search(const struct vec *v, const void *key, int (*cmp)(const void *, const void *))
{
	return v->len ? bsearch(key, v->data, v->len, v->elsize, cmp) : NULL;
}

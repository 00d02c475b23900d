/* Verdicts and their reasons: see verdict.h. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "procscan.h"
#include "verdict.h"
#include "xalloc.h"

/*
 * Packed reasons: the code as a varint, a byte saying which fields
 * follow, then those that are not 0 (role, flag, aux and n as varints).
 * Most reasons are a code alone, or a code and a small number: two to
 * five bytes rather than sizeof(struct reason).
 */
#define ARENA_BLOCK 65536
#define PACKED_MAX 24		/* one reason, at most: 3 + 1 + 1 + 1 + 5 + 10 */

enum { HAS_ROLE = 1, HAS_FLAG = 2, HAS_AUX = 4, HAS_N = 8 };

struct reason_block {
	struct reason_block *next;
	size_t used;
	uint8_t bytes[ARENA_BLOCK];
};

struct reason_arena {
	struct reason_block *head;	/* the block being filled; older ones follow */
};

struct reason_arena *reason_arena_new(void)
{
	return xcalloc(1, sizeof(struct reason_arena));
}

void reason_arena_free(struct reason_arena *a)
{
	struct reason_block *b, *next;

	if (!a)
		return;
	for (b = a->head; b; b = next) {
		next = b->next;
		free(b);
	}
	free(a);
}

static uint8_t *put_varint(uint8_t *p, uint64_t x)
{
	while (x >= 0x80) {
		*p++ = (uint8_t)(x | 0x80);
		x >>= 7;
	}
	*p++ = (uint8_t)x;
	return p;
}

static const uint8_t *get_varint(const uint8_t *p, uint64_t *ret)
{
	uint64_t x = 0;
	unsigned shift = 0;

	while (*p & 0x80) {
		x |= (uint64_t)(*p++ & 0x7f) << shift;
		shift += 7;
	}
	*ret = x | (uint64_t)*p++ << shift;
	return p;
}

static uint8_t *pack(uint8_t *p, const struct reason *r)
{
	uint8_t *mask;

	p = put_varint(p, r->code);
	mask = p++;
	*mask = 0;
	if (r->role) {
		*mask |= HAS_ROLE;
		*p++ = r->role;
	}
	if (r->flag) {
		*mask |= HAS_FLAG;
		*p++ = r->flag;
	}
	if (r->aux) {
		*mask |= HAS_AUX;
		p = put_varint(p, r->aux);
	}
	if (r->n) {
		*mask |= HAS_N;
		p = put_varint(p, r->n);
	}
	return p;
}

void verdict_reasons(const struct verdict *v, struct reason *ret)
{
	const uint8_t *p = v->reasons;
	uint64_t x;
	unsigned i, mask;

	for (i = 0; i < v->nreasons; i++) {
		struct reason *r = &ret[i];

		*r = (struct reason){ 0 };
		p = get_varint(p, &x);
		r->code = (uint16_t)x;
		mask = *p++;
		if (mask & HAS_ROLE)
			r->role = *p++;
		if (mask & HAS_FLAG)
			r->flag = *p++;
		if (mask & HAS_AUX) {
			p = get_varint(p, &x);
			r->aux = (uint32_t)x;
		}
		if (mask & HAS_N)
			p = get_varint(p, &r->n);
	}
}

void verdict_begin(struct verdict_work *w, struct verdict *v, const void *obj, size_t objsize,
		   struct reason_arena *arena)
{
	*w = (struct verdict_work){ .v = v, .obj = obj, .objsize = objsize, .arena = arena };
	v->reasons = NULL;
	v->nreasons = 0;
}

struct reason *verdict_reason(struct verdict_work *w, unsigned code)
{
	struct reason *r = w->n < VERDICT_MAX_REASONS ? &w->given[w->n++] : &w->dropped;

	*r = (struct reason){ .code = (uint16_t)code };
	return r;
}

bool verdict_note_actor(struct verdict_work *w, unsigned role, uint32_t aux, const struct actor *a)
{
	unsigned code;

	switch ((enum actor_state)a->state) {
	case ACTOR_UNJUDGED:
	case ACTOR_NONE:
		return false;
	case ACTOR_ALIVE:
		/* doc/kernel-facts.md, "Pid reuse": alive, and so evidence of use */
		code = a->reason == WHY_SAME_SECOND ? REASON_ACTOR_ALIVE_SAME_SECOND
						    : REASON_ACTOR_ALIVE;
		w->in_use = true;
		break;
	case ACTOR_GONE:
		code = a->reason == WHY_REUSED && a->reuser ? REASON_ACTOR_REUSED
							    : REASON_ACTOR_EXITED;
		break;
	case ACTOR_UNKNOWN:
		code = a->reason == WHY_NOT_VISIBLE ? REASON_ACTOR_NOT_VISIBLE : REASON_ACTOR_UNKNOWN;
		w->unknown = true;
		break;
	default:
		return false;
	}
	struct reason *r = verdict_reason(w, code);

	r->role = (uint8_t)role;
	r->aux = aux;
	if ((const char *)a >= w->obj && (const char *)a < w->obj + w->objsize) {
		r->flag = REASON_F_IN_OBJECT;
		r->n = (uint64_t)((const char *)a - w->obj);
	} else {
		r->ref = a;
	}
	return true;
}

void verdict_note_unseen(struct verdict_work *w, const struct procscan *s)
{
	if (s->child_pidns && !s->outside_ruled_out)
		verdict_reason(w, REASON_UNSEEN_OUTSIDE);
	if (s->unreadable)
		verdict_reason(w, REASON_UNSEEN_UNREADABLE)->n = s->unreadable;
	if (s->hidden_by)
		verdict_reason(w, REASON_UNSEEN_HIDDEN)->ref = s->hidden_by;
	w->unknown = true;
}

void verdict_finish(struct verdict_work *w, enum verdict_value otherwise)
{
	struct verdict *v = w->v;
	struct reason_block *b = w->arena->head;
	uint8_t *start, *p;
	unsigned i;

	v->value = w->in_use ? VERDICT_IN_USE : w->unknown ? VERDICT_UNKNOWN : otherwise;
	if (!w->n)
		return;
	if (!b || ARENA_BLOCK - b->used < w->n * PACKED_MAX) {
		b = xmalloc(sizeof(*b));
		b->next = w->arena->head;
		b->used = 0;
		w->arena->head = b;
	}
	start = p = b->bytes + b->used;
	for (i = 0; i < w->n; i++)
		p = pack(p, &w->given[i]);
	b->used += (size_t)(p - start);
	v->reasons = start;
	v->nreasons = (unsigned char)w->n;
}

void verdict_set_age(struct verdict *v, int64_t now, int64_t t1, int64_t t2, int64_t t3,
		     int64_t t4)
{
	int64_t t = t1;

	if (t2 > t)
		t = t2;
	if (t3 > t)
		t = t3;
	if (t4 > t)
		t = t4;
	v->has_age = t > 0;
	v->age = t > 0 && now > t ? (now - t > UINT32_MAX ? UINT32_MAX : (uint32_t)(now - t)) : 0;
}

void verdict_context_apply(struct verdict *v)
{
	if (v->value != VERDICT_SUSPECT && v->value != VERDICT_ORPHAN) {
		v->ctx &= (unsigned char)~VCTX_DURING_SCAN;
		free(v->sibling);
		v->sibling = NULL;
		return;
	}
	if (v->ctx & VCTX_DURING_SCAN)
		v->value = VERDICT_UNKNOWN;
	if (v->sibling)
		v->value = VERDICT_UNKNOWN;
}

void verdict_free_all(struct verdict *v)
{
	free(v->sibling);
	v->sibling = NULL;
	v->reasons = NULL;
	v->nreasons = 0;
}

const char *verdict_name(enum verdict_value v)
{
	switch (v) {
	case VERDICT_IN_USE:
		return "in-use";
	case VERDICT_ORPHAN:
		return "orphan";
	case VERDICT_SUSPECT:
		return "suspect";
	case VERDICT_UNKNOWN:
		return "unknown";
	case VERDICT_NONE:
		break;
	}
	return NULL;
}

/*
 * The object of the kind "pipe" (pipe.c).
 * Private to the kind: its file includes it, and so do its unit tests;
 * generic code reaches an object only through struct ipc_kind.
 */
#ifndef IPCINSPECT_PIPE_H
#define IPCINSPECT_PIPE_H

#include <stdbool.h>
#include <stdint.h>

#include "model.h"

/* An anonymous pipe, keyed by its pipefs inode; ends first (the ends_kind_* hooks of owners.h). */
struct pipe_obj {
	struct ends ends;
	uint64_t ino;
	unsigned self_mode;	/* HOLD_*: the ends ipcinspect itself holds (on an fd above 2) */
	struct verdict verdict;
};

#endif

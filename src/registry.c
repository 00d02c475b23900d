/* The kinds of registry.h, indexed by enum kind_id (kind.h). */
#include "config.h"

#include "kind.h"

#define KIND_ENTRY(id, name) [KIND_##id] = &name##_kind,
const struct ipc_kind *const ipc_kinds[KIND_COUNT] = { IPC_KINDS(KIND_ENTRY) };
#undef KIND_ENTRY

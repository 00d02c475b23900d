/*
 * Which container, pod or systemd unit a process belongs to, from the
 * text of its /proc/PID/cgroup (doc/kernel-facts.md, "A process's
 * cgroup").  A pure function of the text (no I/O), unit-tested on real
 * lines of each runtime (tests/test-cgroup.c) and fuzzed
 * (tests/fuzz-cgroup.c).  What the text does not say, or says in a shape
 * not known here, is left empty: never a guess.
 */
#ifndef IPCINSPECT_CGROUP_H
#define IPCINSPECT_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest path kept (PATH_MAX); a longer one is left out (NULL). */
#define CGROUP_PATH_MAX 4096
/* systemd's UNIT_NAME_MAX; a longer component is no unit */
#define CGROUP_NAME_MAX 256
/* a container id is 64 lowercase hex digits; 12 of them as `docker ps` shows */
#define CGROUP_ID_LEN 64
#define CGROUP_SHORT_ID_LEN 12
/* a pod UID is a UUID: 36 bytes */
#define CGROUP_POD_UID_LEN 36

enum cgroup_runtime {
	CGROUP_RT_NONE = 0,
	CGROUP_RT_DOCKER,	/* docker-<id>.scope, /docker/<id> */
	CGROUP_RT_CONTAINERD,	/* cri-containerd-<id>.scope */
	CGROUP_RT_CRIO,		/* crio-<id>.scope, crio-<id> */
	CGROUP_RT_PODMAN,	/* libpod-<id>.scope, libpod-<id> */
	CGROUP_RT_CRI,		/* /kubepods/.../pod<uid>/<id>: a CRI runtime, unnamed */
	CGROUP_RT_LXC,		/* lxc.payload.NAME, /lxc/NAME */
	CGROUP_RT_NSPAWN,	/* machine-NAME.scope */
};

enum cgroup_qos {
	CGROUP_QOS_NONE = 0,	/* not a pod */
	CGROUP_QOS_GUARANTEED,	/* kubepods-pod<uid>.slice, /kubepods/pod<uid> */
	CGROUP_QOS_BURSTABLE,
	CGROUP_QOS_BESTEFFORT,
};

struct cgroup_info {
	char *path;		/* the cgroup path, owned; NULL: no usable line */
	char unit[CGROUP_NAME_MAX];	/* the last *.service or *.scope; "" none */
	char slice[CGROUP_NAME_MAX];	/* the last *.slice; "" none */
	bool has_uid;		/* under user-UID.slice */
	uint32_t uid;
	char session[CGROUP_NAME_MAX];	/* N of session-N.scope right under user-UID.slice */
	enum cgroup_runtime runtime;
	char id[CGROUP_ID_LEN + 1];	/* lowercase hex, 64 digits; "" none (LXC, nspawn) */
	char name[CGROUP_NAME_MAX];	/* the LXC or nspawn container's name; "" none */
	char pod_uid[CGROUP_POD_UID_LEN + 1];	/* with '-', as kubectl shows it; "" none */
	enum cgroup_qos qos;
};

/*
 * Parses the len bytes of /proc/PID/cgroup text (may be cut anywhere,
 * hold NULs or garbage) into *ret, which is always written: with no line
 * it understands, everything empty.  The path is the cgroup v2 line's
 * ("0::PATH"), or the "name=systemd" line's on a v1 or hybrid host where
 * the v2 line is missing or says only "/"; " (deleted)" is dropped.
 * Free with cgroup_info_free().
 */
void cgroup_parse(const char *text, size_t len, struct cgroup_info *ret);

/* Frees what info owns (the path); accepts a zeroed struct. */
void cgroup_info_free(struct cgroup_info *info);

/* The runtime's name ("docker", "containerd", "crio", "podman", "cri", "lxc", "nspawn"), or NULL. */
const char *cgroup_runtime_name(enum cgroup_runtime rt);

/* The QoS class's name ("guaranteed", "burstable", "besteffort"), or NULL. */
const char *cgroup_qos_name(enum cgroup_qos qos);

/*
 * The container as people name it into buf: "RUNTIME:ID12" with the
 * first 12 hex digits of the id, as `docker ps` shows it, or
 * "RUNTIME:NAME" (LXC, nspawn); "" without a container.
 */
void cgroup_container_label(const struct cgroup_info *info, char *buf, size_t size);

/* Has info a container (a runtime with an id or a name)? */
bool cgroup_has_container(const struct cgroup_info *info);

#endif

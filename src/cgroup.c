/*
 * The parser of /proc/PID/cgroup (cgroup.h): which line is the path,
 * and what its components name.  Shapes known (doc/kernel-facts.md, "A
 * process's cgroup"):
 *
 *   docker-<id>.scope, /docker/<id>          docker (systemd, cgroupfs driver)
 *   cri-containerd-<id>.scope                containerd's CRI plugin
 *   crio-<id>.scope, crio-<id>               CRI-O
 *   libpod-<id>.scope, libpod-<id>           podman
 *   SLICE:RUNTIME:<id>                       runc's systemd path given to cgroupfs
 *   /kubepods/[QOS/]pod<uid>/<id>            kubelet's cgroupfs driver, runtime unnamed
 *   kubepods[-QOS]-pod<uid>.slice            kubelet's systemd driver ('_' for '-')
 *   lxc.payload.NAME, /lxc.payload/NAME      LXC 4, LXC 3.1
 *   machine-NAME.scope                       a machine of systemd-machined (nspawn)
 *
 * <id> is 64 lowercase hex digits; anything else is not an id.  The
 * outermost container is the one taken (the host's runtime names it);
 * the unit is the last *.service or *.scope component.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"
#include "xalloc.h"

struct span {
	const char *p;
	size_t n;
};

static bool span_is(struct span s, const char *word)
{
	return s.n == strlen(word) && memcmp(s.p, word, s.n) == 0;
}

static bool span_starts(struct span s, const char *prefix)
{
	size_t k = strlen(prefix);

	return s.n >= k && memcmp(s.p, prefix, k) == 0;
}

static bool span_ends(struct span s, const char *suffix)
{
	size_t k = strlen(suffix);

	return s.n >= k && memcmp(s.p + s.n - k, suffix, k) == 0;
}

static struct span span_mid(struct span s, size_t from, size_t cut_end)
{
	struct span r = { s.p + from, s.n - from - cut_end };

	return r;
}

/* Copies s into a buffer of size cap; false (nothing written) when it does not fit or holds a NUL. */
static bool span_copy(struct span s, char *buf, size_t cap)
{
	if (s.n >= cap || memchr(s.p, '\0', s.n))
		return false;
	memcpy(buf, s.p, s.n);
	buf[s.n] = '\0';
	return true;
}

static bool is_lower_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static bool span_is_id(struct span s)
{
	size_t i;

	if (s.n != CGROUP_ID_LEN)
		return false;
	for (i = 0; i < s.n; i++)
		if (!is_lower_hex(s.p[i]))
			return false;
	return true;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A name with systemd's "\xNN" escapes decoded into buf; false if it does not fit or is empty. */
static bool unescape_name(struct span s, char *buf, size_t cap)
{
	size_t i, k = 0;

	for (i = 0; i < s.n; i++) {
		char c = s.p[i];

		if (c == '\\' && i + 3 < s.n && s.p[i + 1] == 'x' && hexval(s.p[i + 2]) >= 0 &&
		    hexval(s.p[i + 3]) >= 0) {
			c = (char)(hexval(s.p[i + 2]) * 16 + hexval(s.p[i + 3]));
			i += 3;
		}
		if (c == '\0' || k + 1 >= cap)
			return false;
		buf[k++] = c;
	}
	buf[k] = '\0';
	return k > 0;
}

/* A pod UID: hex digits and '-' or '_' (turned into '-'), at most 36 bytes. */
static bool set_pod(struct span uid, enum cgroup_qos qos, struct cgroup_info *ret)
{
	size_t i;

	if (ret->pod_uid[0] || uid.n == 0 || uid.n > CGROUP_POD_UID_LEN)
		return false;
	for (i = 0; i < uid.n; i++)
		if (!is_lower_hex(uid.p[i]) && uid.p[i] != '-' && uid.p[i] != '_')
			return false;
	for (i = 0; i < uid.n; i++)
		ret->pod_uid[i] = uid.p[i] == '_' ? '-' : uid.p[i];
	ret->pod_uid[uid.n] = '\0';
	ret->qos = qos;
	return true;
}

static void set_container(enum cgroup_runtime rt, struct span id, struct cgroup_info *ret)
{
	if (ret->runtime != CGROUP_RT_NONE)
		return;		/* the outermost one stays */
	ret->runtime = rt;
	span_copy(id, ret->id, sizeof(ret->id));
}

static void set_named(enum cgroup_runtime rt, struct span name, struct cgroup_info *ret)
{
	if (ret->runtime != CGROUP_RT_NONE)
		return;
	if (unescape_name(name, ret->name, sizeof(ret->name)))
		ret->runtime = rt;
}

/* The runtimes whose leaf is PREFIX<id>[.scope] */
static const struct {
	const char *prefix;
	enum cgroup_runtime rt;
} leaf_prefixes[] = {
	{ "docker-", CGROUP_RT_DOCKER },
	{ "cri-containerd-", CGROUP_RT_CONTAINERD },
	{ "crio-", CGROUP_RT_CRIO },
	{ "libpod-", CGROUP_RT_PODMAN },
};

/* The runtime words of runc's "SLICE:PREFIX:ID" form */
static const struct {
	const char *word;
	enum cgroup_runtime rt;
} colon_words[] = {
	{ "docker", CGROUP_RT_DOCKER },
	{ "cri-containerd", CGROUP_RT_CONTAINERD },
	{ "crio", CGROUP_RT_CRIO },
	{ "libpod", CGROUP_RT_PODMAN },
};

static bool leaf_container(struct span c, struct cgroup_info *ret)
{
	struct span body = c;
	size_t i;

	if (span_ends(body, ".scope"))
		body.n -= strlen(".scope");
	for (i = 0; i < sizeof(leaf_prefixes) / sizeof(leaf_prefixes[0]); i++) {
		struct span id;

		if (!span_starts(body, leaf_prefixes[i].prefix))
			continue;
		id = span_mid(body, strlen(leaf_prefixes[i].prefix), 0);
		if (span_is_id(id)) {
			set_container(leaf_prefixes[i].rt, id, ret);
			return true;
		}
	}
	return false;
}

/* kubepods[-QOS]-pod<uid>.slice, also under a prefix (kubelet-kubepods-...) */
static void pod_slice(struct span c, struct cgroup_info *ret)
{
	const char *pod = NULL, *p;
	enum cgroup_qos qos = CGROUP_QOS_GUARANTEED;
	struct span body = span_mid(c, 0, strlen(".slice"));

	for (p = body.p; p + 4 <= body.p + body.n; p++)
		if (memcmp(p, "-pod", 4) == 0)
			pod = p;
	if (!pod || !memmem(body.p, (size_t)(pod - body.p), "kubepods", 8))
		return;
	if (pod - body.p >= 10 && memcmp(pod - 10, "-burstable", 10) == 0)
		qos = CGROUP_QOS_BURSTABLE;
	else if (pod - body.p >= 11 && memcmp(pod - 11, "-besteffort", 11) == 0)
		qos = CGROUP_QOS_BESTEFFORT;
	set_pod(span_mid(body, (size_t)(pod + 4 - body.p), 0), qos, ret);
}

/* "SLICE:WORD:ID": the slice part is read as a component of its own */
static bool colon_form(struct span c, struct cgroup_info *ret)
{
	const char *c1 = memchr(c.p, ':', c.n), *c2;
	struct span slice, word, id;
	size_t i;

	if (!c1)
		return false;
	c2 = memchr(c1 + 1, ':', c.n - (size_t)(c1 + 1 - c.p));
	if (!c2)
		return false;
	slice = (struct span){ c.p, (size_t)(c1 - c.p) };
	word = (struct span){ c1 + 1, (size_t)(c2 - c1 - 1) };
	id = (struct span){ c2 + 1, c.n - (size_t)(c2 + 1 - c.p) };
	if (span_ends(slice, ".slice"))
		pod_slice(slice, ret);
	for (i = 0; i < sizeof(colon_words) / sizeof(colon_words[0]); i++)
		if (span_is(word, colon_words[i].word) && span_is_id(id)) {
			set_container(colon_words[i].rt, id, ret);
			return true;
		}
	return false;
}

/* user-UID.slice: the uid */
static bool user_slice(struct span c, uint32_t *ret_uid)
{
	struct span num;
	uint64_t v = 0;
	size_t i;

	if (!span_starts(c, "user-") || !span_ends(c, ".slice"))
		return false;
	num = span_mid(c, strlen("user-"), strlen(".slice"));
	if (num.n == 0 || num.n > 10)
		return false;
	for (i = 0; i < num.n; i++) {
		if (num.p[i] < '0' || num.p[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(num.p[i] - '0');
	}
	if (v > UINT32_MAX)
		return false;
	*ret_uid = (uint32_t)v;
	return true;
}

/* What the parse of one path remembers of the component before */
enum prev {
	PREV_OTHER,
	PREV_USER_SLICE,	/* user-UID.slice */
	PREV_DOCKER,		/* "docker" */
	PREV_LXC,		/* "lxc.payload" or "lxc" */
	PREV_KUBEPODS,		/* "kubepods" or its QoS directory */
	PREV_POD,		/* pod<uid> under kubepods */
};

/* One component c of a path, after the one prev says */
static enum prev component(struct span c, enum prev prev, enum cgroup_qos *qos,
			   struct cgroup_info *ret)
{
	uint32_t uid;

	if (span_ends(c, ".slice") && !memchr(c.p, ':', c.n)) {
		span_copy(c, ret->slice, sizeof(ret->slice));
		pod_slice(c, ret);
		if (user_slice(c, &uid) && !ret->has_uid) {
			ret->has_uid = true;
			ret->uid = uid;
			return PREV_USER_SLICE;
		}
		return PREV_OTHER;
	}
	if (span_ends(c, ".scope") || span_ends(c, ".service")) {
		span_copy(c, ret->unit, sizeof(ret->unit));
		if (prev == PREV_USER_SLICE && span_starts(c, "session-") && span_ends(c, ".scope"))
			span_copy(span_mid(c, strlen("session-"), strlen(".scope")), ret->session,
				  sizeof(ret->session));
		if (span_starts(c, "machine-") && span_ends(c, ".scope"))
			set_named(CGROUP_RT_NSPAWN, span_mid(c, strlen("machine-"), strlen(".scope")),
				  ret);
		else
			leaf_container(c, ret);
		return PREV_OTHER;
	}
	if (colon_form(c, ret) || leaf_container(c, ret))
		return PREV_OTHER;
	if (span_starts(c, "lxc.payload.")) {
		set_named(CGROUP_RT_LXC, span_mid(c, strlen("lxc.payload."), 0), ret);
		return PREV_OTHER;
	}
	switch (prev) {
	case PREV_DOCKER:
		if (span_is_id(c))
			set_container(CGROUP_RT_DOCKER, c, ret);
		return PREV_OTHER;
	case PREV_LXC:
		set_named(CGROUP_RT_LXC, c, ret);
		return PREV_OTHER;
	case PREV_KUBEPODS:
		if (span_is(c, "burstable") || span_is(c, "besteffort")) {
			*qos = span_is(c, "burstable") ? CGROUP_QOS_BURSTABLE : CGROUP_QOS_BESTEFFORT;
			return PREV_KUBEPODS;
		}
		if (span_starts(c, "pod") && set_pod(span_mid(c, 3, 0), *qos, ret))
			return PREV_POD;
		return PREV_OTHER;
	case PREV_POD:
		if (span_is_id(c))
			set_container(CGROUP_RT_CRI, c, ret);
		return PREV_OTHER;
	default:
		break;
	}
	if (span_is(c, "docker"))
		return PREV_DOCKER;
	if (span_is(c, "lxc.payload") || span_is(c, "lxc"))
		return PREV_LXC;
	if (span_is(c, "kubepods")) {
		*qos = CGROUP_QOS_GUARANTEED;
		return PREV_KUBEPODS;
	}
	return PREV_OTHER;
}

/* Reads every component of path into ret */
static void parse_path(struct span path, struct cgroup_info *ret)
{
	enum prev prev = PREV_OTHER;
	enum cgroup_qos qos = CGROUP_QOS_GUARANTEED;
	size_t i = 0;

	while (i < path.n) {
		struct span c = { path.p + i, 0 };

		while (i < path.n && path.p[i] != '/')
			i++;
		c.n = (size_t)(path.p + i - c.p);
		i++;
		if (c.n == 0 || span_is(c, ".") || span_is(c, ".."))
			continue;
		prev = component(c, prev, &qos, ret);
	}
}

/* The three fields of one line: "ID:CONTROLLERS:PATH"; false when it has not three */
static bool split_line(struct span line, struct span *ret_ctl, struct span *ret_path)
{
	const char *c1 = memchr(line.p, ':', line.n), *c2;

	if (!c1)
		return false;
	c2 = memchr(c1 + 1, ':', line.n - (size_t)(c1 + 1 - line.p));
	if (!c2 || c2 + 1 >= line.p + line.n || c2[1] != '/')
		return false;
	*ret_ctl = (struct span){ c1 + 1, (size_t)(c2 - c1 - 1) };
	*ret_path = (struct span){ c2 + 1, line.n - (size_t)(c2 + 1 - line.p) };
	if (span_ends(*ret_path, " (deleted)"))
		ret_path->n -= strlen(" (deleted)");
	return true;
}

/* The next line of text at *pos (it ends at '\n', a NUL or the end) */
static bool next_line(const char *text, size_t len, size_t *pos, struct span *ret)
{
	size_t start = *pos, i = start;

	if (start >= len)
		return false;
	while (i < len && text[i] != '\n' && text[i] != '\0')
		i++;
	*ret = (struct span){ text + start, i - start };
	*pos = i + 1;
	return true;
}

void cgroup_parse(const char *text, size_t len, struct cgroup_info *ret)
{
	struct span line, ctl, path, v2 = { NULL, 0 }, sd = { NULL, 0 }, chosen = { NULL, 0 };
	size_t pos = 0;

	memset(ret, 0, sizeof(*ret));
	if (!text)
		return;
	while (next_line(text, len, &pos, &line))
		if (split_line(line, &ctl, &path)) {
			if (ctl.n == 0 && line.p[0] == '0' && line.p[1] == ':' && !v2.p)
				v2 = path;
			else if (span_is(ctl, "name=systemd") && !sd.p)
				sd = path;
		}
	/* on a hybrid host a runtime may join name=systemd only (docker with cgroupfs) */
	if (sd.p && !span_is(sd, "/"))
		chosen = sd;
	else if (v2.p)
		chosen = v2;
	else
		chosen = sd;
	if (chosen.p) {
		if (chosen.n <= CGROUP_PATH_MAX && !memchr(chosen.p, '\0', chosen.n))
			ret->path = xstrndup(chosen.p, chosen.n);
		parse_path(chosen, ret);
	}
	if (ret->runtime != CGROUP_RT_NONE)
		return;
	/* a v1 runtime that joined the controllers only: the container and pod, no unit */
	pos = 0;
	while (ret->runtime == CGROUP_RT_NONE && next_line(text, len, &pos, &line)) {
		struct cgroup_info own = { 0 };

		if (!split_line(line, &ctl, &path) || ctl.n == 0 || span_is(ctl, "name=systemd"))
			continue;
		parse_path(path, &own);
		if (own.runtime == CGROUP_RT_NONE)
			continue;
		ret->runtime = own.runtime;
		memcpy(ret->id, own.id, sizeof(ret->id));
		memcpy(ret->name, own.name, sizeof(ret->name));
		if (!ret->pod_uid[0]) {
			memcpy(ret->pod_uid, own.pod_uid, sizeof(ret->pod_uid));
			ret->qos = own.qos;
		}
	}
}

void cgroup_info_free(struct cgroup_info *info)
{
	free(info->path);
	info->path = NULL;
}

const char *cgroup_runtime_name(enum cgroup_runtime rt)
{
	static const char *const names[] = {
		[CGROUP_RT_DOCKER] = "docker", [CGROUP_RT_CONTAINERD] = "containerd",
		[CGROUP_RT_CRIO] = "crio", [CGROUP_RT_PODMAN] = "podman", [CGROUP_RT_CRI] = "cri",
		[CGROUP_RT_LXC] = "lxc", [CGROUP_RT_NSPAWN] = "nspawn",
	};

	if ((size_t)rt >= sizeof(names) / sizeof(names[0]))
		return NULL;
	return names[rt];
}

const char *cgroup_qos_name(enum cgroup_qos qos)
{
	switch (qos) {
	case CGROUP_QOS_GUARANTEED:
		return "guaranteed";
	case CGROUP_QOS_BURSTABLE:
		return "burstable";
	case CGROUP_QOS_BESTEFFORT:
		return "besteffort";
	default:
		return NULL;
	}
}

void cgroup_container_label(const struct cgroup_info *info, char *buf, size_t size)
{
	if (size == 0)
		return;
	buf[0] = '\0';
	if (!cgroup_has_container(info))
		return;
	if (info->id[0])
		snprintf(buf, size, "%s:%.*s", cgroup_runtime_name(info->runtime),
			 CGROUP_SHORT_ID_LEN, info->id);
	else
		snprintf(buf, size, "%s:%s", cgroup_runtime_name(info->runtime), info->name);
}

bool cgroup_has_container(const struct cgroup_info *info)
{
	return info->runtime != CGROUP_RT_NONE;
}

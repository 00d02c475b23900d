/* --container: which IPC namespace a container id or name selects; see container.h. */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "container.h"
#include "facts.h"

/* Is arg an id prefix: 4 to 64 hex digits (either case)? */
static bool is_id_prefix(const char *arg)
{
	size_t n = strlen(arg), i;

	if (n < CONTAINER_MIN_PREFIX || n > CGROUP_ID_LEN)
		return false;
	for (i = 0; i < n; i++)
		if (!isxdigit((unsigned char)arg[i]))
			return false;
	return true;
}

/*
 * Does ci match arg?  key receives what tells containers apart (the full
 * id, the name, or the unit), label what people call it ("" otherwise).
 */
static bool matches(const struct cgroup_info *ci, const char *arg, bool prefix, char *key,
		    char *label, size_t size)
{
	size_t i, n = strlen(arg);
	bool hit = false;

	key[0] = label[0] = '\0';
	if (prefix && ci->id[0]) {
		for (i = 0; i < n && tolower((unsigned char)arg[i]) == ci->id[i]; i++)
			;
		hit = i == n;
	}
	hit = hit || (ci->name[0] && strcmp(ci->name, arg) == 0) ||
	      (ci->unit[0] && strcmp(ci->unit, arg) == 0);
	if (!hit)
		return false;
	if (cgroup_has_container(ci)) {
		cgroup_container_label(ci, label, size);
		snprintf(key, size, "%s:%s", cgroup_runtime_name(ci->runtime),
			 ci->id[0] ? ci->id : ci->name);
	} else {
		snprintf(label, size, "%s", ci->unit);
		snprintf(key, size, "%s", ci->unit);
	}
	return true;
}

/* The IPC namespace inode of pid, or 0 when it cannot be read. */
static uint64_t ipc_ns_of(int procfd, int pid)
{
	char path[32];
	struct stat st;

	snprintf(path, sizeof(path), "%d/ns/ipc", pid);
	return fstatat(procfd, path, &st, 0) == 0 ? (uint64_t)st.st_ino : 0;
}

int container_find(int procfd, const char *arg, struct container_match *ret)
{
	bool prefix = is_id_prefix(arg);
	struct container_match m = { .pid = 0 };
	char first_key[sizeof(m.what)] = "";
	struct dirent *de;
	DIR *dir;
	int fd = openat(procfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0 || !(dir = fdopendir(fd))) {
		int e = errno;

		if (fd >= 0)
			close(fd);
		return -e;
	}
	while ((de = readdir(dir))) {
		struct cgroup_info ci;
		char key[sizeof(m.what)], label[sizeof(m.what)];
		char *end;
		long pid = strtol(de->d_name, &end, 10);
		bool hit;
		uint64_t ns;

		if (*end || pid <= 0 || facts_read_cgroup(procfd, (int)pid, &ci) < 0)
			continue;	/* not a pid, or gone */
		hit = matches(&ci, arg, prefix, key, label, sizeof(key));
		cgroup_info_free(&ci);
		if (!hit || !(ns = ipc_ns_of(procfd, (int)pid)))
			continue;	/* no match, or gone since */
		if (!m.pid) {
			m.pid = (int)pid;
			m.ipc_ns = ns;
			snprintf(first_key, sizeof(first_key), "%s", key);
			snprintf(m.what, sizeof(m.what), "%s", label);
		} else if (strcmp(key, first_key) != 0) {
			/* two containers: named so that they differ (the full ids if need be) */
			if (!m.other[0] && strcmp(label, m.what) == 0) {
				snprintf(m.what, sizeof(m.what), "%s", first_key);
				snprintf(m.other, sizeof(m.other), "%s", key);
			} else if (!m.other[0]) {
				snprintf(m.other, sizeof(m.other), "%s", label);
			}
		} else if (ns != m.ipc_ns) {
			m.other_ns = ns;
		} else if (pid < m.pid) {
			m.pid = (int)pid;
		}
	}
	closedir(dir);
	*ret = m;
	if (!m.pid)
		return -ENOENT;
	if (m.other[0])
		return -ENOTUNIQ;
	if (m.other_ns)
		return -EXDEV;
	return 0;
}

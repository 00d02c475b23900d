/*
 * The /proc/PID text parsers: see procparse.h.  Pure functions of their
 * input; the reads are procscan.c's, namespaces.c's and rm-check.c's.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "procparse.h"
#include "strutils.h"
#include "xalloc.h"

int procscan_parse_stat(const char *text, char *ret_state, char ret_comm[16],
			unsigned long *ret_flags, long *ret_threads)
{
	const char *open = strchr(text, '('), *close = strrchr(text, ')');
	char state = 0;
	unsigned long flags = 0;
	long threads = 0;
	size_t n;
	int field;
	const char *p;
	char *end;

	if (!open || !close || close < open || close[1] != ' ')
		return -EINVAL;
	/* fields after the last ')': 3 state ... 9 flags ... 20 num_threads */
	for (p = close + 2, field = 3; *p && field <= 20; field++) {
		bool last = field == 20;

		if (field == 3)
			state = *p;
		else if (field == 9 || field == 20) {
			errno = 0;
			if (field == 9)
				flags = strtoul(p, &end, 10);
			else
				threads = strtol(p, &end, 10);
			if (errno || end == p)
				return -EINVAL;
		}
		if (last) {
			field++;
			break;
		}
		p = strchr(p, ' ');
		if (!p)
			break;
		p++;
	}
	if (field <= 20 || !state)
		return -EINVAL;
	n = (size_t)(close - open - 1);
	if (n > 15)
		n = 15;
	memcpy(ret_comm, open + 1, n);
	ret_comm[n] = '\0';
	*ret_state = state;
	*ret_flags = flags;
	*ret_threads = threads;
	return 0;
}

int procparse_stat_start(const char *text, unsigned long long *ret_ticks)
{
	const char *close = strrchr(text, ')'), *p;
	unsigned long long ticks;
	int field;
	char *end;

	if (!close || close[1] != ' ')
		return -EINVAL;
	/* close + 2 is field 3 (state); field 22 follows 19 more blanks */
	for (p = close + 2, field = 3; field < 22; field++) {
		p = strchr(p, ' ');
		if (!p)
			return -EINVAL;
		p++;
	}
	if (*p < '0' || *p > '9')
		return -EINVAL;
	errno = 0;
	ticks = strtoull(p, &end, 10);
	if (errno || (*end != ' ' && *end != '\n' && *end != '\0'))
		return -EINVAL;
	*ret_ticks = ticks;
	return 0;
}

/* Field n (0: address) of a maps line "address perms offset dev inode path", or NULL. */
static const char *maps_field(const char *line, int n)
{
	const char *p = line;
	int i;

	for (i = 0; i < n; i++) {
		p = strchr(p, ' ');
		if (!p)
			return NULL;
		while (*p == ' ')
			p++;
	}
	return p;
}

int procscan_parse_maps_line(const char *line)
{
	const char *p = maps_field(line, 4);
	unsigned long long ino;
	char *end;

	if (!p)
		return -1;
	errno = 0;
	ino = strtoull(p, &end, 10);
	if (errno || end == p || *end != ' ' || ino > INT32_MAX)
		return -1;
	for (p = end; *p == ' '; p++)
		;
	/* "/SYSV%08x", then the end or " (deleted)" */
	if (strncmp(p, "/SYSV", 5) != 0 || strspn(p + 5, "0123456789abcdef") != 8 ||
	    (p[13] != '\0' && p[13] != ' ' && p[13] != '\n'))
		return -1;
	return (int)ino;
}

int procparse_maps_key(const char *line, uint64_t *ret_dev, uint64_t *ret_ino)
{
	const char *p = maps_field(line, 3);
	unsigned long long ino;
	unsigned long maj, min;
	char *end;

	if (!p)
		return -1;
	errno = 0;
	maj = strtoul(p, &end, 16);
	if (errno || end == p || *end != ':')
		return -1;
	p = end + 1;
	min = strtoul(p, &end, 16);
	if (errno || end == p || *end != ' ')
		return -1;
	p = end + 1;
	ino = strtoull(p, &end, 10);
	if (errno || end == p || *end != ' ' || ino == 0)
		return -1;
	*ret_dev = (uint64_t)makedev((unsigned)maj, (unsigned)min);
	*ret_ino = (uint64_t)ino;
	return 0;
}

int procscan_parse_maps_file(const char *line, uint64_t *ret_dev, uint64_t *ret_ino)
{
	const char *p = maps_field(line, 5);
	uint64_t dev, ino;

	if (!p || strncmp(p, "/dev/shm/", 9) != 0 || !p[9] || procparse_maps_key(line, &dev, &ino) < 0)
		return -1;
	*ret_dev = dev;
	*ret_ino = ino;
	return 0;
}

/* The inode of "PREFIX[N]" link text, or 0. */
static uint64_t bracket_link(const char *link, const char *prefix)
{
	size_t p = strlen(prefix), n;
	uint64_t ino;
	const char *close;
	char num[24];

	if (strncmp(link, prefix, p) != 0)
		return 0;
	close = strchr(link + p, ']');
	n = close ? (size_t)(close - link - p) : 0;
	if (!close || close[1] || n == 0 || n >= sizeof(num))
		return 0;
	memcpy(num, link + p, n);
	num[n] = '\0';
	return parse_u64(num, &ino) == 0 ? ino : 0;
}

uint64_t procscan_parse_pipe_link(const char *link)
{
	return bracket_link(link, "pipe:[");
}

uint64_t procscan_parse_socket_link(const char *link)
{
	return bracket_link(link, "socket:[");
}


const char *procparse_status_field(const char *text, const char *name)
{
	size_t n = strlen(name);
	const char *line;

	for (line = text; line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		if (strncmp(line, name, n) == 0 && line[n] == ':') {
			line += n + 1;
			return line + strspn(line, " \t");
		}
	}
	return NULL;
}

int procparse_status_capeff(const char *text, uint64_t *ret_caps)
{
	const char *v = procparse_status_field(text, "CapEff");
	size_t n;

	if (!v)
		return -ENOENT;
	n = strspn(v, "0123456789abcdefABCDEF");
	if (n == 0 || n > 16 || (v[n] != '\n' && v[n] != '\0'))
		return -EINVAL;
	*ret_caps = strtoull(v, NULL, 16);	/* at most 16 digits: no overflow */
	return 0;
}

int procparse_status_nspid(const char *text)
{
	const char *p = procparse_status_field(text, "NSpid");
	int last = 0;

	while (p && *p && *p != '\n') {
		size_t n = strspn(p, "0123456789");
		char num[12];
		int pid;

		if (n == 0 || n >= sizeof(num))
			return 0;
		memcpy(num, p, n);
		num[n] = '\0';
		if (parse_int(num, &pid) < 0)
			return 0;
		last = pid;
		p += n;
		p += strspn(p, " \t");
	}
	return last;
}

/* mountinfo's octal escapes (\040 for a space...) decoded; NULL for "\000". */
static char *mountinfo_unescape(const char *p)
{
	char *out = xmalloc(strlen(p) + 1), *q;

	for (q = out; *p; p++) {
		if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' && p[2] <= '7' &&
		    p[3] >= '0' && p[3] <= '7') {
			*q = (char)((p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0'));
			if (!*q++) {
				free(out);
				return NULL;	/* no path holds a NUL */
			}
			p += 3;
		} else {
			*q++ = *p;
		}
	}
	*q = '\0';
	return out;
}

/* The mount point of a mountinfo line of type mqueue (decoded), or NULL. */
static char *mountinfo_mqueue_line(char *line)
{
	char *sep = strstr(line, " - "), *p = line, *end;
	int i;

	if (!sep || strncmp(sep + 3, "mqueue ", 7) != 0)
		return NULL;
	/* ID PARENT MAJ:MIN ROOT MOUNTPOINT: the fifth field, before " - " */
	for (i = 0; i < 4 && p; i++) {
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	end = p ? strchr(p, ' ') : NULL;
	if (!end || end >= sep || end == p)
		return NULL;
	*end = '\0';
	return mountinfo_unescape(p);
}

char *procparse_mountinfo_mqueue(const char *text)
{
	_cleanup_free_ char *copy = xstrdup(text);
	char *line, *save = NULL, *found = NULL;

	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *mount = mountinfo_mqueue_line(line);

		if (mount && (!found || strcmp(mount, "/dev/mqueue") == 0)) {
			free(found);
			found = mount;
		} else {
			free(mount);
		}
	}
	return found;
}

/* One super option of a proc mount into *o; -EINVAL for a value we cannot read. */
static int proc_option(const char *opt, struct proc_mount_opts *o)
{
	static const char *const words[] = { "off", "noaccess", "invisible", NULL, "ptraceable" };
	uint64_t n;
	size_t i;

	if (strncmp(opt, "gid=", 4) == 0) {
		if (parse_u64(opt + 4, &n) < 0 || n > UINT32_MAX)
			return -EINVAL;
		o->gid = (uint32_t)n;
	} else if (strcmp(opt, "subset=pid") == 0) {
		o->subset_pid = true;
	} else if (strncmp(opt, "hidepid=", 8) == 0) {
		for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
			if (words[i] && strcmp(opt + 8, words[i]) == 0)
				break;
		if (i < sizeof(words) / sizeof(words[0]))
			o->hidepid = (unsigned)i;
		else if (parse_u64(opt + 8, &n) == 0 && (n <= 2 || n == 4))
			o->hidepid = (unsigned)n;
		else
			return -EINVAL;
	}
	return 0;
}

int procparse_mountinfo_proc(const char *text, unsigned major, unsigned minor,
			     struct proc_mount_opts *ret)
{
	_cleanup_free_ char *copy = xstrdup(text);
	char *line, *save = NULL, want[32];

	snprintf(want, sizeof(want), " %u:%u ", major, minor);
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct proc_mount_opts o = { 0 };
		char *sep = strstr(line, " - "), *dev = strchr(line, ' '), *opt, *osave = NULL;
		int r = 0;

		/* ID PARENT MAJ:MIN ...: the device after the second field */
		dev = dev ? strchr(dev + 1, ' ') : NULL;
		if (!sep || !dev || strncmp(dev, want, strlen(want)) != 0 ||
		    strncmp(sep + 3, "proc ", 5) != 0)
			continue;
		/* " - proc SOURCE OPTIONS" */
		opt = strchr(sep + 8, ' ');
		for (opt = opt ? strtok_r(opt + 1, ",", &osave) : NULL; opt;
		     opt = strtok_r(NULL, ",", &osave))
			if (proc_option(opt, &o) < 0)
				r = -EINVAL;
		*ret = o;
		return r;
	}
	return -ENOENT;
}

char **procparse_cmdline(const char *text, size_t len)
{
	size_t n = 0, i, k;
	char **argv;

	for (i = 0; i < len; i++)
		n += text[i] == '\0';
	if (len && text[len - 1] != '\0')
		n++;	/* the last argument without its NUL (a rewritten argv) */
	argv = xcalloc(n + 1, sizeof(*argv));
	for (i = 0, k = 0; k < n; k++) {
		size_t l = strnlen(text + i, len - i);

		argv[k] = xstrndup(text + i, l);
		i += l + 1;
	}
	return argv;
}

int procparse_sysctl_word(const char *text, int word, struct sysctl_value *ret)
{
	_cleanup_free_ char *copy = xstrdup(text);
	struct sysctl_value v = { 0 };
	char *save = NULL, *w;
	int i = 0, r;

	for (w = strtok_r(copy, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save), i++) {
		if (word >= 0 && i != word)
			continue;
		if (word < 0 && strtok_r(NULL, " \t\n", &save))
			return -EINVAL;	/* one value expected */
		if (w[0] == '-') {
			r = parse_s64(w, &v.svalue);
			v.negative = true;
		} else {
			r = parse_u64(w, &v.value);
		}
		if (r == 0)
			*ret = v;
		return r;
	}
	return -EINVAL;
}

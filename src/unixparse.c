/* sock_diag replies and /proc/net/unix, parsed: see unixparse.h. */
#include "config.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "unixparse.h"
#include "xalloc.h"

void unix_diag_free(struct vec *sockets)
{
	size_t i;

	for (i = 0; i < sockets->len; i++)
		free(((struct unix_diag_entry *)vec_at(sockets, i))->name);
	vec_free(sockets);
}

/* The kernel's dev_t (MINORBITS 20) as user space's st_dev. */
static uint64_t kernel_dev(uint32_t dev)
{
	return (uint64_t)makedev(dev >> 20, dev & 0xfffff);
}

/* One SOCK_DIAG_BY_FAMILY message, at least a unix_diag_msg long. */
static void parse_diag_msg(const struct nlmsghdr *h, struct vec *ret)
{
	const struct unix_diag_msg *m = NLMSG_DATA(h);
	struct unix_diag_entry e = { .ino = m->udiag_ino, .type = m->udiag_type,
				     .state = m->udiag_state };
	int len = (int)h->nlmsg_len - (int)NLMSG_LENGTH(sizeof(*m));
	const struct rtattr *a = (const struct rtattr *)(m + 1);

	for (; RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		size_t n = RTA_PAYLOAD(a);

		if (a->rta_type == UNIX_DIAG_NAME && n > 0) {
			const char *s = RTA_DATA(a);

			free(e.name);	/* a repeated attribute: the last one */
			/* an abstract name starts with NUL: "@" and the rest, as ss shows it */
			e.name = xmalloc(n + 1);
			memcpy(e.name, s, n);
			if (s[0] == '\0')
				e.name[0] = '@';
			else
				n = strnlen(s, n);	/* a path: up to its NUL */
			e.name[n] = '\0';
			e.namelen = n;
		} else if (a->rta_type == UNIX_DIAG_VFS && n >= sizeof(struct unix_diag_vfs)) {
			const struct unix_diag_vfs *v = RTA_DATA(a);

			e.has_vfs = true;
			e.vfs_ino = v->udiag_vfs_ino;
			e.vfs_dev = kernel_dev(v->udiag_vfs_dev);
		} else if (a->rta_type == UNIX_DIAG_PEER && n >= sizeof(uint32_t)) {
			e.peer = *(const uint32_t *)RTA_DATA(a);
		}
	}
	vec_push(ret, &e);
}

int unix_parse_diag_reply(const void *buf, size_t len, struct vec *ret, bool *ret_done)
{
	const struct nlmsghdr *h;
	int left = len > INT32_MAX ? INT32_MAX : (int)len;

	for (h = buf; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
		if (h->nlmsg_type == NLMSG_DONE) {
			*ret_done = true;
			break;
		}
		if (h->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = NLMSG_DATA(h);

			/* a negative errno, or the message is no error we know */
			if (h->nlmsg_len < NLMSG_LENGTH(sizeof(e->error)) || e->error >= 0 ||
			    e->error < -4095)
				return -EIO;
			return e->error;
		}
		if (h->nlmsg_type == SOCK_DIAG_BY_FAMILY &&
		    h->nlmsg_len >= NLMSG_LENGTH(sizeof(struct unix_diag_msg)))
			parse_diag_msg(h, ret);
	}
	return 0;
}

/* Flags 0x10000 (__SO_ACCEPTCON) is a listener; St is SS_UNCONNECTED 1, ... */
static unsigned char net_unix_state(unsigned long flags, unsigned long st)
{
	if (flags & 0x10000)
		return TCP_LISTEN;
	return st == 3 ? TCP_ESTABLISHED : st == 2 ? TCP_SYN_SENT : st == 1 ? TCP_CLOSE
									  : TCP_CLOSE_WAIT;
}

void unix_parse_net_unix(const char *text, struct vec *ret)
{
	_cleanup_free_ char *copy = xstrdup(text);
	char *line, *save = NULL;

	line = strtok_r(copy, "\n", &save);	/* the header */
	while ((line = strtok_r(NULL, "\n", &save))) {
		unsigned long flags, type, st;
		unsigned long long ino;
		int path = 0;
		struct unix_diag_entry e = { 0 };

		if (sscanf(line, "%*s %*s %*s %lx %lx %lx %llu %n", &flags, &type, &st, &ino,
			   &path) < 4)
			continue;
		e.ino = ino;
		e.type = (unsigned char)type;
		e.state = net_unix_state(flags, st);
		if (path && line[path]) {
			e.name = xstrdup(line + path);	/* abstract: "@" and NULs as "@" */
			e.namelen = strlen(e.name);
		}
		vec_push(ret, &e);
	}
}

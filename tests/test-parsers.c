/*
 * Unit tests of the parsers that came out of the readers for fuzzing
 * (procparse.h's status, mountinfo, cmdline and /proc/sys parsers, posixparse.h, unixparse.h),
 * with exact values; linked with src/libipciparse.a alone, as the fuzz
 * targets are.  stat, maps and link texts are tests/test-procscan.c's.
 */
#include "config.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "posixparse.h"
#include "procparse.h"
#include "tap.h"
#include "unixparse.h"

static void test_status(void)
{
	const char *real = "Name:\tcat\nUmask:\t0022\nNStgid:\t22511\t3\nNSpid:\t22511\t3\n"
			   "CapPrm:\t000001fffeffffff\nCapEff:\t000001fffeffffff\n";
	uint64_t caps = 7;

	is_int(procparse_status_capeff(real, &caps), 0, "status: CapEff parses");
	is_u64(caps, UINT64_C(0x1fffeffffff), "status: CapEff value");
	is_int(procparse_status_nspid(real), 3, "status: NSpid is the innermost pid");
	is_str(procparse_status_field(real, "Umask"), "0022\nNStgid:\t22511\t3\nNSpid:\t22511\t3\n"
	       "CapPrm:\t000001fffeffffff\nCapEff:\t000001fffeffffff\n", "status: a field's value");
	caps = 7;
	is_int(procparse_status_capeff("Name:\tx\nCapEff:\t0000000000000000\n", &caps), 0,
	       "status: no capabilities parse");
	is_u64(caps, 0, "status: no capabilities is 0");
	caps = 7;
	is_int(procparse_status_capeff("Name:\tx\n", &caps), -ENOENT, "status: no CapEff line");
	is_int(procparse_status_capeff("CapEff:\t1000001fffeffffff\n", &caps), -EINVAL,
	       "status: 17 hex digits are refused");
	is_int(procparse_status_capeff("CapEff:\t-1\n", &caps), -EINVAL, "status: a sign is refused");
	is_int(procparse_status_capeff("CapEff:\t1f zz\n", &caps), -EINVAL,
	       "status: junk after the digits is refused");
	is_u64(caps, 7, "status: a refused value writes nothing");
	is_int(procparse_status_capeff("XCapEff:\t1\nCapEffX:\t2\n", &caps), -ENOENT,
	       "status: only a line named CapEff counts");
	is_int(procparse_status_nspid("NSpid:\t1\n"), 1, "status: an init");
	is_int(procparse_status_nspid("NSpid:\t5\t2147483648\n"), 0, "status: a pid above INT_MAX");
	is_int(procparse_status_nspid("NSpid:\t5\t-3\n"), 0, "status: a negative pid");
	is_int(procparse_status_nspid("Name:\tNSpid:\t4\n"), 0, "status: NSpid inside a name");
}

static void check_mount(const char *text, const char *want, const char *what)
{
	char *got = procparse_mountinfo_mqueue(text);

	is_str(got, want, "mountinfo: %s", what);
	free(got);
}

static void test_mountinfo(void)
{
	check_mount("118 97 0:47 / /tmp/fz/m\\040q rw,relatime - mqueue none rw\n"
		    "119 97 0:47 / /tmp/fz/mq2 rw,relatime - mqueue none rw\n",
		    "/tmp/fz/m q", "the first mqueue mount, \\040 decoded");
	check_mount("118 97 0:47 / /x rw - mqueue none rw\n"
		    "130 23 0:48 / /dev/mqueue rw,relatime - mqueue mqueue rw\n",
		    "/dev/mqueue", "/dev/mqueue wins");
	check_mount("118 97 0:47 / /mq rw,relatime shared:5 master:3 - mqueue none rw",
		    "/mq", "optional fields, no newline");
	check_mount("24 23 0:22 / /dev/shm rw,relatime - tmpfs tmpfs rw\n", NULL, "no mqueue");
	check_mount("a b - mqueue x\n", NULL, "too few fields (crashed before)");
	check_mount("1 2 3:4 / - mqueue none rw\n", NULL, "no mount point before \" - \"");
	check_mount("1 2 3:4 / /a\\000b rw - mqueue none rw\n", NULL, "an escaped NUL");
	check_mount("1 2 3:4 / /q\\4\\777\\134 rw - mqueue none rw\n", "/q\\4\\777\\",
		    "bad escapes kept as they are, \\134 decoded");
}

static void test_cmdline(void)
{
	static const char real[] = "python3\0-c\0two\nlines\0\0\xc3\xa9";
	char **argv = procparse_cmdline(real, sizeof(real) - 1);
	size_t i;

	ok(argv[0] && argv[1] && argv[2] && argv[3] && argv[4] && !argv[5],
	   "cmdline: five arguments, the last without its NUL");
	if (argv[0] && argv[1] && argv[2] && argv[3] && argv[4]) {
		is_str(argv[0], "python3", "cmdline: argv[0]");
		is_str(argv[2], "two\nlines", "cmdline: a newline stays inside its argument");
		is_str(argv[3], "", "cmdline: an empty argument");
		is_str(argv[4], "\xc3\xa9", "cmdline: a last argument without its NUL");
	}
	for (i = 0; argv[i]; i++)
		free(argv[i]);
	free(argv);
	argv = procparse_cmdline(NULL, 0);
	ok(argv[0] == NULL, "cmdline: a kernel thread's is empty");
	free(argv);
}

static void check_sysctl(const char *text, int word, int r, bool negative, int64_t sv,
			 uint64_t v)
{
	struct sysctl_value got = { .svalue = 77, .value = 77 };
	int gr = procparse_sysctl_word(text, word, &got);

	if (r < 0) {
		ok(gr == r && got.svalue == 77 && got.value == 77,
		   "sysctl: '%.*s' word %d refused (%d)", (int)strcspn(text, "\n"), text, word, gr);
		return;
	}
	ok(gr == 0 && got.negative == negative && got.svalue == sv && got.value == v,
	   "sysctl: '%.*s' word %d (%d %d %" PRId64 " %" PRIu64 ")", (int)strcspn(text, "\n"), text,
	   word, gr, got.negative, got.svalue, got.value);
}

static void test_sysctl(void)
{
	check_sysctl("32000\t1024000000\t500\t32000\n", 1, 0, false, 0, 1024000000);
	check_sysctl("32000\t1024000000\t500\t32000\n", 3, 0, false, 0, 32000);
	check_sysctl("32000\t1024000000\t500\t32000\n", -1, -EINVAL, false, 0, 0);
	check_sysctl("1 2 3\n", 3, -EINVAL, false, 0, 0);
	check_sysctl("18446744073692774399\n", -1, 0, false, 0, UINT64_C(18446744073692774399));
	check_sysctl("18446744073709551616\n", -1, -ERANGE, false, 0, 0);
	check_sysctl("-1\n", -1, 0, true, -1, 0);
	check_sysctl("-9223372036854775809\n", -1, -ERANGE, false, 0, 0);
	check_sysctl("0x10\n", -1, -EINVAL, false, 0, 0);
	check_sysctl("", -1, -EINVAL, false, 0, 0);
}

static void test_mq_status(void)
{
	struct mq_status st;

	posix_parse_mq_status("QSIZE:105        NOTIFY:0     SIGNO:10    NOTIFY_PID:21277 \n", &st);
	ok(st.has_qsize && st.qsize == 105 && st.notify_pid == 21277,
	   "mq: a real status line (%d %" PRIu64 " %d)", st.has_qsize, st.qsize, st.notify_pid);
	posix_parse_mq_status("QSIZE:18446744073709551615 NOTIFY_PID:0\n", &st);
	ok(st.has_qsize && st.qsize == UINT64_MAX && st.notify_pid == 0, "mq: QSIZE at UINT64_MAX");
	posix_parse_mq_status("QSIZE:-5 NOTIFY:0 SIGNO:0 NOTIFY_PID:-1\n", &st);
	ok(!st.has_qsize && st.qsize == 0 && st.notify_pid == 0,
	   "mq: negative values are no values (%d %" PRIu64 " %d)", st.has_qsize, st.qsize,
	   st.notify_pid);
	posix_parse_mq_status("QSIZE:18446744073709551616 NOTIFY_PID:2147483648", &st);
	ok(!st.has_qsize && st.notify_pid == 0, "mq: values past the limits are no values");
	posix_parse_mq_status("NOTIFY_PID:9 SIGNO:0 QSIZE:12", &st);
	ok(st.has_qsize && st.qsize == 12 && st.notify_pid == 9, "mq: any order");
	posix_parse_mq_status("QSIZE:12NOTIFY_PID:3", &st);
	ok(!st.has_qsize && st.notify_pid == 0, "mq: words must be apart");
}

static void test_net_unix(void)
{
	struct vec v = VEC_INIT(struct unix_diag_entry);
	const struct unix_diag_entry *e;

	unix_parse_net_unix("Num       RefCount Protocol Flags    Type St Inode Path\n"
			    "000000007f527d18: 00000002 00000000 00010000 0001 01 86615 srv.sock\n"
			    "000000007db25a78: 00000003 00000000 00000000 0001 03 86620\n"
			    "junk\n"
			    "0000000090170b28: 00000002 00000000 00000000 0005 02 86618 @abs@nul\n",
			    &v);
	is_int(v.len, 3, "net/unix: three sockets, the junk line skipped");
	if (v.len != 3)
		goto out;
	e = vec_at(&v, 0);
	ok(e->ino == 86615 && e->type == 1 && e->state == TCP_LISTEN && e->namelen == 8 &&
	   strcmp(e->name, "srv.sock") == 0, "net/unix: a listener with its path");
	e = vec_at(&v, 1);
	ok(e->ino == 86620 && e->state == TCP_ESTABLISHED && !e->name, "net/unix: connected, no name");
	e = vec_at(&v, 2);
	ok(e->ino == 86618 && e->type == 5 && e->state == TCP_SYN_SENT &&
	   strcmp(e->name, "@abs@nul") == 0, "net/unix: abstract, connecting");
out:
	unix_diag_free(&v);
}

/* netlink messages built in buf; returns the length */
static size_t put_msg(char *buf, size_t off, unsigned type, const void *payload, size_t n)
{
	struct nlmsghdr h = { .nlmsg_len = (uint32_t)NLMSG_LENGTH(n), .nlmsg_type = (uint16_t)type };

	memcpy(buf + off, &h, sizeof(h));
	memcpy(buf + off + NLMSG_HDRLEN, payload, n);
	return off + NLMSG_ALIGN(h.nlmsg_len);
}

static size_t put_attr(char *buf, size_t off, unsigned type, const void *data, size_t n)
{
	struct rtattr a = { .rta_len = (unsigned short)RTA_LENGTH(n), .rta_type = (unsigned short)type };

	memcpy(buf + off, &a, sizeof(a));
	memcpy(buf + off + RTA_LENGTH(0), data, n);
	return off + RTA_ALIGN(a.rta_len);
}

static void test_sock_diag(void)
{
	static char buf[1024] __attribute__((aligned(8))), msg[512] __attribute__((aligned(8)));
	struct unix_diag_msg m = { .udiag_family = AF_UNIX, .udiag_type = 1, .udiag_state = 10,
				   .udiag_ino = 86615 };
	struct unix_diag_vfs vfs = { .udiag_vfs_ino = 99, .udiag_vfs_dev = (8u << 20) | 33 };
	uint32_t peer = 4242;
	struct vec v = VEC_INIT(struct unix_diag_entry);
	const struct unix_diag_entry *e;
	int error = -ENOENT, short_error = 0;
	bool done = false;
	size_t n, len;

	memcpy(msg, &m, sizeof(m));
	n = put_attr(msg, sizeof(m), UNIX_DIAG_NAME, "/a", 3);
	n = put_attr(msg, n, UNIX_DIAG_NAME, "/run/srv.sock", 14);	/* the last one counts */
	n = put_attr(msg, n, UNIX_DIAG_VFS, &vfs, sizeof(vfs));
	n = put_attr(msg, n, UNIX_DIAG_PEER, &peer, sizeof(peer));
	len = put_msg(buf, 0, SOCK_DIAG_BY_FAMILY, msg, n);
	m.udiag_ino = 7;
	memcpy(msg, &m, sizeof(m));
	n = put_attr(msg, sizeof(m), UNIX_DIAG_NAME, "\0ab\0c", 5);
	len = put_msg(buf, len, SOCK_DIAG_BY_FAMILY, msg, n);
	len = put_msg(buf, len, NLMSG_DONE, &short_error, sizeof(short_error));
	len = put_msg(buf, len, SOCK_DIAG_BY_FAMILY, msg, n);	/* after DONE: not read */
	is_int(unix_parse_diag_reply(buf, len, &v, &done), 0, "sock_diag: a reply parses");
	ok(done, "sock_diag: DONE seen");
	is_int(v.len, 2, "sock_diag: two sockets, none after DONE");
	if (v.len == 2) {
		e = vec_at(&v, 0);
		ok(e->ino == 86615 && e->type == 1 && e->state == 10 && e->namelen == 13 &&
		   strcmp(e->name, "/run/srv.sock") == 0, "sock_diag: a path name, the last given");
		ok(e->has_vfs && e->vfs_ino == 99 && e->vfs_dev == makedev(8, 33) && e->peer == 4242,
		   "sock_diag: bound inode, dev as st_dev, peer");
		e = vec_at(&v, 1);
		ok(e->ino == 7 && e->namelen == 5 && memcmp(e->name, "@ab\0c", 6) == 0 && !e->has_vfs,
		   "sock_diag: an abstract name, NULs kept");
	}
	unix_diag_free(&v);

	done = false;
	len = put_msg(buf, 0, NLMSG_ERROR, &error, sizeof(error));
	is_int(unix_parse_diag_reply(buf, len, &v, &done), -ENOENT, "sock_diag: an error reply");
	len = put_msg(buf, 0, NLMSG_ERROR, &error, 0);
	is_int(unix_parse_diag_reply(buf, len, &v, &done), -EIO,
	       "sock_diag: an error too short to hold its code");
	error = 5;
	len = put_msg(buf, 0, NLMSG_ERROR, &error, sizeof(error));
	is_int(unix_parse_diag_reply(buf, len, &v, &done), -EIO, "sock_diag: a positive error code");
	ok(!done && v.len == 0, "sock_diag: errors add nothing");
	unix_diag_free(&v);
}

int main(void)
{
	test_status();
	test_mountinfo();
	test_cmdline();
	test_sysctl();
	test_mq_status();
	test_net_unix();
	test_sock_diag();
	return tap_done();
}

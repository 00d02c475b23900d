/*
 * Unit tests of the process scan's pure parts (procscan.h): the parsers of
 * /proc/PID/stat, one /proc/PID/maps line, the open mode an fd link's
 * permission bits give (checked on real pipes and FIFOs too), a pipe's fd
 * link, each with real kernel text and the nasty cases; the sorted index
 * lookups; and the pid reuse rule of doc/kernel-facts.md, "Pid reuse" (owners.h)
 * on hand-built process facts, with every boundary and every reason text.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "facts.h"
#include "model.h"
#include "owners.h"
#include "procparse.h"
#include "prochide.h"
#include "procscan.h"
#include "reasons.h"
#include "tap.h"
#include "vec.h"
#include "verdict.h"

#define PF_KTHREAD 0x00200000UL	/* include/linux/sched.h */

/* ---- /proc/PID/stat ---- */

struct stat_result {
	int r;
	char state;
	char comm[16];
	unsigned long flags;
	long threads;
};

static struct stat_result parse_stat(const char *text)
{
	struct stat_result s;

	/* poison the outputs: a failed parse must not be mistaken for a result */
	memset(&s, 0x5a, sizeof(s));
	s.comm[15] = '\0';
	s.r = procscan_parse_stat(text, &s.state, s.comm, &s.flags, &s.threads);
	return s;
}

/* A stat line: pid, (comm), then fields 3.. as given. */
#define STAT_TAIL "S 1 1234 1234 34816 1234 4194304 103 0 0 0 0 0 0 0 20 0 3 0 217549 3133440 386 " \
	"18446744073709551615 94837646106624 94837646126505 140721521527760 0 0 0 0 0 0 0 0 0 " \
	"17 0 0 0 0 0 0 94837646142512 94837646144128 94838153326592 140721521535624 " \
	"140721521535644 140721521535644 140721521537003 0\n"

static void check_stat_ok(const char *text, char state, const char *comm, unsigned long flags,
			  long threads, const char *name)
{
	struct stat_result s = parse_stat(text);

	is_int(s.r, 0, "stat %s: parses", name);
	if (s.r != 0) {
		ok(false, "stat %s: state (no result)", name);
		ok(false, "stat %s: comm (no result)", name);
		ok(false, "stat %s: flags (no result)", name);
		ok(false, "stat %s: num_threads (no result)", name);
		return;
	}
	is_int(s.state, state, "stat %s: state '%c'", name, state);
	is_str(s.comm, comm, "stat %s: comm", name);
	is_u64(s.flags, flags, "stat %s: flags", name);
	is_int(s.threads, threads, "stat %s: num_threads", name);
}

static void check_stat_bad(const char *text, const char *name)
{
	struct stat_result s = parse_stat(text);

	is_int(s.r, -EINVAL, "stat %s: -EINVAL", name);
}

static void test_stat(void)
{
	struct stat_result s;

	/* real lines, as this kernel printed them */
	check_stat_ok("29780 (cat) R 29778 29778 24181 0 -1 4194304 103 0 0 0 0 0 0 0 20 0 1 0 "
		      "217549 3133440 386 18446744073709551615 94837646106624 94837646126505 "
		      "140721521527760 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 94837646142512 "
		      "94837646144128 94838153326592 140721521535624 140721521535644 "
		      "140721521535644 140721521537003 0\n",
		      'R', "cat", 4194304, 1, "real line of cat");
	check_stat_ok("2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 30 0 0 "
		      "18446744073709551615 0 0 0 0 0 0 0 2147483647 0 1 0 0 0 1 0 0 0 0 0 0 0 "
		      "0 0 0 0 0 0\n",
		      'S', "kthreadd", 2129984, 1, "real line of kthreadd");
	s = parse_stat("2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 30 0 0\n");
	ok(s.r == 0 && (s.flags & PF_KTHREAD), "stat kthreadd: flags carry PF_KTHREAD 0x00200000");
	check_stat_ok("1 (process_api) S 0 0 0 0 -1 4194560 49808 12557516 0 1385 163 541 22244 "
		      "5540 20 0 13 0 30 43806720 3318 18446744073709551615 1 1 0 0 0 0 0 4096 "
		      "1256 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
		      'S', "process_api", 4194560, 13, "real line with 13 threads");
	s = parse_stat("1 (process_api) S 0 0 0 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 13 0 30\n");
	ok(s.r == 0 && !(s.flags & PF_KTHREAD), "stat: a user process has no PF_KTHREAD");
	check_stat_ok("77 (kworker/0:1) I 2 0 0 0 -1 69238880 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0\n",
		      'I', "kworker/0:1", 69238880, 1, "kernel worker, flags 0x4208060");
	s = parse_stat("77 (kworker/0:1) I 2 0 0 0 -1 69238880 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0\n");
	ok(s.r == 0 && (s.flags & PF_KTHREAD), "stat kworker: flags carry PF_KTHREAD");
	check_stat_ok("88 (ghost) Z 1 88 88 0 -1 4227148 0 0 0 0 0 0 0 0 20 0 1 0 99 0 0 "
		      "18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 3 0 0 0 0 0 0 0 0 0 0 0 0 9\n",
		      'Z', "ghost", 4227148, 1, "zombie");

	/* comm: raw bytes between the FIRST '(' and the LAST ')' */
	check_stat_ok("1234 (tmux: server) " STAT_TAIL, 'S', "tmux: server", 4194304, 3,
		      "comm with a space");
	check_stat_ok("1234 () () " STAT_TAIL, 'S', ") (", 4194304, 3, "comm \") (\"");
	check_stat_ok("1234 ())) " STAT_TAIL, 'S', "))", 4194304, 3, "comm \"))\"");
	check_stat_ok("1234 (() " STAT_TAIL, 'S', "(", 4194304, 3, "comm \"(\"");
	check_stat_ok("1234 (a) S 1 (b) " STAT_TAIL, 'S', "a) S 1 (b", 4194304, 3,
		      "comm that looks like fields: \"a) S 1 (b\"");
	check_stat_ok("1234 (123456789abcdef) " STAT_TAIL, 'S', "123456789abcdef", 4194304, 3,
		      "comm of exactly 15 bytes");
	check_stat_ok("1234 (123456789abcdefg) " STAT_TAIL, 'S', "123456789abcdef", 4194304, 3,
		      "comm of 16 bytes is cut to 15");
	check_stat_ok("1234 () " STAT_TAIL, 'S', "", 4194304, 3, "empty comm \"()\"");
	check_stat_ok("1234 (\xff\xfe\x1b[2J\t) " STAT_TAIL, 'S', "\xff\xfe\x1b[2J\t", 4194304, 3,
		      "comm of raw bytes (invalid UTF-8, escape, tab) is kept raw");
	check_stat_ok("1234 (a\nb) " STAT_TAIL, 'S', "a\nb", 4194304, 3, "comm with a newline");

	/* the start time, field 22, after the last ')' as the rest */
	{
		static const struct { const char *text; int r; unsigned long long ticks; const char *name; } st[] = {
			{ "29780 (cat) R 29778 29778 24181 0 -1 4194304 103 0 0 0 0 0 0 0 20 0 1 0 "
			  "217549 3133440 386\n", 0, 217549, "real line of cat" },
			{ "1234 () () " STAT_TAIL, 0, 217549, "comm \") (\"" },
			{ "1234 (a) S 1 (b) " STAT_TAIL, 0, 217549, "comm that looks like fields" },
			{ "5 (x) S 1 5 5 0 -1 64 0 0 0 0 0 0 0 0 20 0 7 0 99", 0, 99,
			  "start is the last field, no newline" },
			{ "5 (x) S 1 5 5 0 -1 64 0 0 0 0 0 0 0 0 20 0 7 0 99\n", 0, 99,
			  "start is the last field, then a newline" },
			{ "5 (x) S 1 5 5 0 -1 64 0 0 0 0 0 0 0 0 20 0 7 0 18446744073709551615 1", 0,
			  UINT64_MAX, "start ULLONG_MAX" },
			{ "5 (x) S 1 5 5 0 -1 64 0 0 0 0 0 0 0 0 20 0 7 0 18446744073709551616 1", -EINVAL,
			  0, "start above ULLONG_MAX" },
			{ "5 (x) S 1 5 5 0 -1 64 0 0 0 0 0 0 0 0 20 0 7 0 -99 1", -EINVAL, 0,
			  "negative start" },
			{ "5 (x) S 1 5 5 0 -1 64 0 0 0 0 0 0 0 0 20 0 7 0 9x 1", -EINVAL, 0,
			  "start 9x" },
			{ "5 (x) S 1 5 5 0 -1 64 0 0 0 0 0 0 0 0 20 0 7 0", -EINVAL, 0,
			  "no field 22" },
			{ "5 (x) S 1 5 5 0 -1 64 0 0 0 0 0 0 0 0 20 0 7 0 ", -EINVAL, 0,
			  "field 22 empty" },
			{ "5 (x)S 1", -EINVAL, 0, "no blank after ')'" },
			{ "5 x S 1", -EINVAL, 0, "no ')'" },
		};
		size_t i;

		for (i = 0; i < sizeof(st) / sizeof(st[0]); i++) {
			unsigned long long ticks = 7;
			int r = procparse_stat_start(st[i].text, &ticks);

			is_int(r, st[i].r, "stat start %s: %d", st[i].name, st[i].r);
			is_u64(ticks, st[i].r ? 7 : st[i].ticks, "stat start %s: ticks%s", st[i].name,
			       st[i].r ? " untouched" : "");
		}
	}

	/* num_threads (field 20) may be the last field: no space after it */
	check_stat_ok("5 (x) S 1 5 5 0 -1 64 0 0 0 0 0 0 0 0 20 0 7", 'S', "x", 64, 7,
		      "num_threads is the last field, no newline");
	check_stat_ok("5 (x) S 1 5 5 0 -1 64 0 0 0 0 0 0 0 0 20 0 7\n", 'S', "x", 64, 7,
		      "num_threads is the last field, then a newline");
	check_stat_ok("5 (x) R 1 5 5 0 -1 0 0 0 0 0 0 0 0 0 20 0 2147483647 0 1", 'R', "x", 0,
		      2147483647, "flags 0, num_threads INT32_MAX");
	check_stat_ok("5 (x) S 1 5 5 0 -1 18446744073709551615 0 0 0 0 0 0 0 0 20 0 1 0", 'S', "x",
		      UINT64_C(18446744073709551615), 1, "flags ULONG_MAX");

	/* truncated lines and missing fields */
	check_stat_bad("", "empty text");
	check_stat_bad("5 (x) S 1 5 5 0 -1 64 0 0 0 0 0 0 0 0 20 0", "truncated before num_threads");
	check_stat_bad("5 (x) S 1 5 5 0 -1 64 0 0 0 0 0 0 0 0 20 0 ",
		       "truncated before num_threads, trailing space");
	check_stat_bad("5 (x) S 1 5 5 0 -1", "truncated before flags");
	check_stat_bad("5 (x) S", "state only");
	check_stat_bad("5 (x) ", "nothing after comm");
	check_stat_bad("5 (x)", "line ends at ')'");
	check_stat_bad("5 (x", "no ')'");
	check_stat_bad("5 x) S 1 5 5 0 -1 64 0 0 0 0 0 0 0 0 20 0 1 0", "no '('");
	check_stat_bad("5 (x)S 1 5 5 0 -1 64 0 0 0 0 0 0 0 0 20 0 1 0", "no space after ')'");
	check_stat_bad("5 )x( S 1 5 5 0 -1 64 0 0 0 0 0 0 0 0 20 0 1 0",
		       "')' before '(': no comm");
	check_stat_bad("5 (x) S 1 5 5 0 -1 abc 0 0 0 0 0 0 0 0 20 0 1 0", "non-numeric flags");
	check_stat_bad("5 (x) S 1 5 5 0 -1 - 0 0 0 0 0 0 0 0 20 0 1 0", "flags '-'");
	check_stat_bad("5 (x) S 1 5 5 0 -1 18446744073709551616 0 0 0 0 0 0 0 0 20 0 1 0",
		       "flags above ULONG_MAX");
	check_stat_bad("5 (x) S 1 5 5 0 -1 64 0 0 0 0 0 0 0 0 20 0 many 0",
		       "non-numeric num_threads");
	check_stat_bad("5 (x) S 1 5 5 0 -1 64 0 0 0 0 0 0 0 0 20 0 99999999999999999999 0",
		       "num_threads above LONG_MAX");

	/* a failed parse leaves the outputs alone */
	s = parse_stat("5 (x) S 1 5");
	ok(s.r == -EINVAL && s.state == 0x5a && s.threads == (long)0x5a5a5a5a5a5a5a5aLL,
	   "stat: outputs untouched on failure");
}

/* ---- /proc/PID/maps ---- */

static void check_maps(const char *line, int want, const char *name)
{
	is_int(procscan_parse_maps_line(line), want, "maps %s", name);
}

static void test_maps(void)
{
	/* real SysV lines (doc/kernel-facts.md, "Segment mappings"): the inode is the shmid */
	check_maps("7f7d607d1000-7f7d607d2000 rw-s 00000000 00:01 32768                      "
		   "/SYSV00000000 (deleted)", 32768, "real line, key 0");
	check_maps("7f7d607d1000-7f7d607d2000 rw-s 00000000 00:01 32768   /SYSV00000000 (deleted)",
		   32768, "real line, short padding");
	check_maps("7fe2a4a00000-7fe2a4a01000 r--s 00000000 00:01 0                          "
		   "/SYSV5e000001 (deleted)", 0, "shmid 0, read-only attach");
	check_maps("7fe2a4a00000-7fe2a4a01000 rw-s 00000000 00:05 65538                      "
		   "/SYSV9b573529 (deleted)", 65538, "key with the top bit set");
	check_maps("7fe2a4a00000-7fe2a4a01000 rw-s 00000000 00:05 65538 /SYSVffffffff (deleted)",
		   65538, "key 0xffffffff");
	check_maps("7fe2a4a00000-7fe2a4a01000 rw-s 00001000 00:05 7 /SYSV00001234 (deleted)",
		   7, "a mapping at an offset");
	check_maps("ffffffffff600000-ffffffffff601000 rw-s 00000000 00:01 2147483647 "
		   "/SYSV00000000 (deleted)", 2147483647, "inode INT32_MAX");
	check_maps("7fe2a4a00000-7fe2a4a01000 rw-s 00000000 00:01 2147483648 "
		   "/SYSV00000000 (deleted)", -1, "inode above INT32_MAX");
	check_maps("7fe2a4a00000-7fe2a4a01000 rw-s 00000000 00:01 18446744073709551615 "
		   "/SYSV00000000 (deleted)", -1, "inode UINT64_MAX");
	check_maps("7fe2a4a00000-7fe2a4a01000 rw-s 00000000 00:01 18446744073709551616 "
		   "/SYSV00000000 (deleted)", -1, "inode above UINT64_MAX");

	/* not SysV segments */
	check_maps("55d0c1a2b000-55d0c1a4c000 r-xp 00002000 fd:01 1311234                    "
		   "/usr/bin/bash", -1, "an executable");
	check_maps("7f7d60600000-7f7d60628000 r--p 00000000 fd:01 1315829                    "
		   "/usr/lib/x86_64-linux-gnu/libc.so.6", -1, "a library");
	check_maps("55d0c2c8e000-55d0c2e10000 rw-p 00000000 00:00 0                          "
		   "[heap]", -1, "[heap]");
	check_maps("7f7d607d3000-7f7d607d5000 rw-p 00000000 00:00 0 ", -1,
		   "anonymous: no path after the inode");
	check_maps("7f7d607d3000-7f7d607d5000 rw-p 00000000 00:00 0", -1,
		   "anonymous, no trailing blank");
	check_maps("7f7d607d3000-7f7d607d5000 rw-s 00000000 00:01 32768 ", -1,
		   "a shared mapping without a path");
	check_maps("7f0000000000-7f0000001000 rw-s 00000000 00:19 12 /dev/shm/SYSV00000000", -1,
		   "a POSIX shm file named SYSV00000000");
	check_maps("7f0000000000-7f0000001000 rw-s 00000000 00:19 12 /tmp/x/SYSV00000000", -1,
		   "\"/SYSV\" inside a longer path");
	check_maps("7f0000000000-7f0000001000 rw-s 00000000 00:01 12 /memfd:SYSV00000000 (deleted)",
		   -1, "a memfd named SYSV...");
	check_maps("7f0000000000-7f0000001000 rw-s 00000000 00:01 12 /SYSV0000000 (deleted)", -1,
		   "/SYSV with 7 hex digits");
	check_maps("7f0000000000-7f0000001000 rw-s 00000000 00:01 12 /SYSV000000000 (deleted)", -1,
		   "/SYSV with 9 hex digits");
	check_maps("7f0000000000-7f0000001000 rw-s 00000000 00:01 12 /SYSV9B573529 (deleted)", -1,
		   "/SYSV with upper-case hex (the kernel prints %08x)");
	check_maps("7f0000000000-7f0000001000 rw-s 00000000 00:01 12 /SYSV0000000g (deleted)", -1,
		   "/SYSV with a non-hex digit");
	check_maps("7f0000000000-7f0000001000 rw-s 00000000 00:01 12 /SYSV", -1,
		   "/SYSV without digits");
	check_maps("7f0000000000-7f0000001000 rw-s 00000000 00:01 12 /sysv00000000 (deleted)", -1,
		   "/sysv in lower case");
	check_maps("7f0000000000-7f0000001000 rw-s 00000000 00:01 12 /SYSV00000000.old", -1,
		   "/SYSV, 8 hex digits, then more of a file name");

	/* malformed lines */
	check_maps("", -1, "empty line");
	check_maps("/SYSV00000000 (deleted)", -1, "the path alone");
	check_maps("7f0000000000-7f0000001000 rw-s 00000000 00:01 /SYSV00000000 (deleted)", -1,
		   "no inode column");
	check_maps("7f0000000000-7f0000001000 rw-s 00000000 00:01 -5 /SYSV00000000 (deleted)", -1,
		   "negative inode");
	check_maps("7f0000000000-7f0000001000 rw-s 00000000 00:01 12x /SYSV00000000 (deleted)", -1,
		   "inode with a letter");
	check_maps("7f0000000000-7f0000001000 rw-s 00000000 00:01 12/SYSV00000000 (deleted)", -1,
		   "no blank between inode and path");
}

/* ---- the open mode of an fd, from its /proc link ---- */

/* HOLD_* of one of our own fds, as the scan reads it (lstat of the link). */
static unsigned own_fd_mode(int fd)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (lstat(path, &st) < 0)
		return 99;
	return procscan_link_mode(st.st_mode);
}

static void test_link_mode(void)
{
	const unsigned R = HOLD_READ, W = HOLD_WRITE, RW = HOLD_READ | HOLD_WRITE;
	char dir[] = "/tmp/test-procscan.XXXXXX", fifo[64];
	int p[2], rw, r, w, path;

	is_int(procscan_link_mode(S_IFLNK | 0500), R, "link mode 0500: read end");
	is_int(procscan_link_mode(S_IFLNK | 0300), W, "link mode 0300: write end");
	is_int(procscan_link_mode(S_IFLNK | 0700), RW, "link mode 0700: both ends");
	is_int(procscan_link_mode(S_IFLNK), 0, "link mode 0 (O_PATH): no end");
	is_int(procscan_link_mode(S_IFLNK | 0400), R, "S_IRUSR alone: read");
	is_int(procscan_link_mode(S_IFLNK | 0200), W, "S_IWUSR alone: write");
	is_int(procscan_link_mode(S_IFLNK | 0077), 0, "group and other bits mean nothing");

	/* the kernel fact itself, on fds of this process */
	if (pipe(p) < 0 || !mkdtemp(dir)) {
		ok(false, "pipe and mkdtemp");
		return;
	}
	is_int(own_fd_mode(p[0]), R, "a pipe's read end: read");
	is_int(own_fd_mode(p[1]), W, "a pipe's write end: write");
	snprintf(fifo, sizeof(fifo), "%s/f", dir);
	if (mkfifo(fifo, 0600) < 0) {
		ok(false, "mkfifo");
		return;
	}
	rw = open(fifo, O_RDWR | O_CLOEXEC);
	r = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	w = open(fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	path = open(fifo, O_PATH | O_CLOEXEC);
	is_int(own_fd_mode(rw), RW, "a FIFO opened O_RDWR: both ends");
	is_int(own_fd_mode(r), R, "a FIFO opened O_RDONLY: read");
	is_int(own_fd_mode(w), W, "a FIFO opened O_WRONLY: write");
	is_int(own_fd_mode(path), 0, "a FIFO opened O_PATH: no end (fdinfo flags would say read)");
	close(p[0]);
	close(p[1]);
	close(rw);
	close(r);
	close(w);
	close(path);
	unlink(fifo);
	rmdir(dir);
}

/* ---- fd links ---- */

static void check_pipe(const char *link, uint64_t want, const char *name)
{
	is_u64(procscan_parse_pipe_link(link), want, "pipe link %s", name);
}

static void test_pipe_link(void)
{
	check_pipe("pipe:[123]", 123, "pipe:[123]");
	check_pipe("pipe:[157668]", 157668, "real pipe:[157668]");
	check_pipe("pipe:[1]", 1, "pipe:[1]");
	check_pipe("pipe:[4294967296]", UINT64_C(4294967296), "inode above UINT32_MAX");
	check_pipe("pipe:[18446744073709551615]", UINT64_MAX, "inode UINT64_MAX");
	check_pipe("pipe:[18446744073709551616]", 0, "inode above UINT64_MAX: not a pipe");
	check_pipe("pipe:[00000000000000000000000123]", 0, "26 digits: longer than any inode");
	check_pipe("pipe:[]", 0, "pipe:[]");
	check_pipe("pipe:[12x]", 0, "pipe:[12x]");
	check_pipe("pipe:[x12]", 0, "pipe:[x12]");
	check_pipe("pipe:[-1]", 0, "pipe:[-1]");
	check_pipe("pipe:[+1]", 0, "pipe:[+1]");
	check_pipe("pipe:[ 1]", 0, "pipe:[ 1]");
	check_pipe("pipe:[123] ", 0, "pipe:[123] with a trailing blank");
	check_pipe("pipe:[123]]", 0, "pipe:[123]]");
	check_pipe("pipe:[123", 0, "no closing bracket");
	check_pipe("pipe:123", 0, "no brackets");
	check_pipe("pipe:[123] (deleted)", 0, "a suffix after the bracket");
	check_pipe("socket:[1]", 0, "socket:[1]");
	check_pipe("anon_inode:[pipe]", 0, "anon_inode:[pipe]");
	check_pipe("/tmp/pipe:[1]", 0, "a file named pipe:[1]");
	check_pipe("Pipe:[1]", 0, "Pipe:[1]");
	check_pipe("", 0, "empty link");
}

/* ---- index lookups ---- */

/* SysV shm mappings as the scan keeps them in shm's index: key (ipc_ns, shmid). */
static void push_shm(struct procscan *s, uint64_t ns, int shmid, int pid, unsigned mappings)
{
	struct scan_map m = { .dev = ns, .ino = (uint64_t)shmid, .pid = pid, .mappings = mappings };

	vec_push(&s->maps[KIND_SHM], &m);
}

/* "pid:mappings,..." of the n entries from first, or "-" */
static char *shm_range(const struct scan_map *first, size_t n)
{
	static char buf[256];
	size_t i, len = 0;

	if (!n)
		return strcpy(buf, first ? "(none, but first set)" : "-");
	buf[0] = '\0';
	for (i = 0; i < n && len < sizeof(buf) - 32; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%llu/%llu/%d:%u",
					i ? "," : "", (unsigned long long)first[i].dev,
					(unsigned long long)first[i].ino, first[i].pid,
					first[i].mappings);
	return buf;
}

static void check_shm(const struct procscan *s, uint64_t ns, int shmid, size_t want_n,
		      const char *want)
{
	const struct scan_map *first = (const struct scan_map *)(uintptr_t)1;	/* poison */
	size_t n = procscan_maps(s, &shm_kind, ns, (uint64_t)shmid, &first);

	is_int(n, want_n, "procscan_maps(shm, %llu, %d): %zu entries", (unsigned long long)ns,
	       shmid, want_n);
	is_str(shm_range(first, n), want, "procscan_maps(shm, %llu, %d): the entries",
	       (unsigned long long)ns, shmid);
}

/* Every index empty, as procscan_run starts. */
static struct procscan scan_empty(void)
{
	struct procscan s;

	procscan_init(&s);
	return s;
}

static void test_lookups(void)
{
	struct procscan s = scan_empty();
	struct procscan empty = s;
	const struct scan_map *first = (const struct scan_map *)(uintptr_t)1;
	const struct vec *shm = &s.maps[KIND_SHM];
	const struct scan_proc *p;
	struct scan_proc procs[] = {
		{ .pid = 1, .state = 'S', .comm = "init" },
		{ .pid = 7, .state = 'R', .comm = "seven" },
		{ .pid = 4194303, .state = 'Z', .comm = "last" },
	};
	size_t i;

	ok(procscan_claimed_maps(&s, &shm_kind) == shm &&
	   procscan_claimed_maps(&s, &pipe_kind) == &s.maps[KIND_PIPE] &&
	   procscan_claimed_maps(&s, &limits_kind) == NULL,
	   "procscan_claimed_maps: a kind's own index; NULL for a kind not in the registry");

	/*
	 * Sorted by (ipc_ns, shmid, pid) as procscan_run leaves it; shmids
	 * collide across namespaces (doc/kernel-facts.md, "Segment mappings"):
	 * 4026531839 is the
	 * host's usual namespace, the others private ones.
	 */
	push_shm(&s, 4026531839, 0, 10, 1);
	push_shm(&s, 4026531839, 0, 11, 2);
	push_shm(&s, 4026531839, 1, 10, 1);
	push_shm(&s, 4026531839, 32768, 12, 3);
	push_shm(&s, 4026532200, 0, 20, 1);
	push_shm(&s, 4026532200, 1, 21, 1);
	push_shm(&s, 4026532200, 1, 22, 4);
	push_shm(&s, 4026532200, 1, 23, 1);
	push_shm(&s, 4026532201, 0, 30, 2);
	push_shm(&s, UINT64_MAX, 0, 40, 1);

	check_shm(&s, 4026531839, 0, 2, "4026531839/0/10:1,4026531839/0/11:2");
	check_shm(&s, 4026531839, 1, 1, "4026531839/1/10:1");
	check_shm(&s, 4026531839, 32768, 1, "4026531839/32768/12:3");
	check_shm(&s, 4026532200, 0, 1, "4026532200/0/20:1");
	check_shm(&s, 4026532200, 1, 3, "4026532200/1/21:1,4026532200/1/22:4,4026532200/1/23:1");
	check_shm(&s, 4026532201, 0, 1, "4026532201/0/30:2");
	check_shm(&s, UINT64_MAX, 0, 1, "18446744073709551615/0/40:1");
	check_shm(&s, 4026531839, 2, 0, "-");
	check_shm(&s, 4026532200, 32768, 0, "-");
	check_shm(&s, 4026532201, 1, 0, "-");
	check_shm(&s, 4026532199, 0, 0, "-");
	check_shm(&s, 0, 0, 0, "-");
	check_shm(&s, 4026531839, -1, 0, "-");
	check_shm(&empty, 4026531839, 0, 0, "-");
	/* another kind's index is another index */
	is_int(procscan_maps(&s, &pshm_kind, 4026531839, 0, &first), 0,
	       "procscan_maps(pshm, ...): shm's entries are not pshm's");
	ok(first == NULL, "procscan_maps: no entry, first NULL");
	is_int(procscan_maps(&s, &limits_kind, 4026531839, 0, &first), 0,
	       "procscan_maps: a kind outside the registry has no entries");

	/* each shmid of each namespace is found whatever the search path */
	for (i = 0; i < shm->len; i++) {
		const struct scan_map *m = vec_at(shm, i);
		size_t n = procscan_maps(&s, &shm_kind, m->dev, m->ino, &first);

		if (!(n >= 1 && first <= m && m < first + n && first->dev == m->dev &&
		      first->ino == m->ino && (first == vec_at(shm, 0) ||
					       first[-1].dev != m->dev ||
					       first[-1].ino != m->ino)))
			break;
	}
	ok(i == shm->len, "procscan_maps: every entry lies in the range found for its key, "
	   "which starts at the key's first entry");

	for (i = 0; i < sizeof(procs) / sizeof(procs[0]); i++)
		vec_push(&s.procs, &procs[i]);
	p = procscan_proc(&s, 7);
	ok(p && p->pid == 7 && strcmp(p->comm, "seven") == 0, "procscan_proc: pid 7");
	p = procscan_proc(&s, 1);
	ok(p && p->pid == 1, "procscan_proc: the first pid");
	p = procscan_proc(&s, 4194303);
	ok(p && p->state == 'Z', "procscan_proc: the last pid");
	ok(procscan_proc(&s, 2) == NULL, "procscan_proc: absent pid: NULL");
	ok(procscan_proc(&s, 0) == NULL, "procscan_proc: pid 0: NULL");
	ok(procscan_proc(&empty, 1) == NULL, "procscan_proc: empty scan: NULL");

	procscan_free(&s);
}

/* ---- the kinds' claims of fd links ---- */

/* Offers our own fd to the claims as the scan would; the claimant or -1. */
static int claim_own(struct procscan *s, int dirfd, int fd)
{
	char name[16], link[4096];
	ssize_t n;

	snprintf(name, sizeof(name), "%d", fd);
	n = readlinkat(dirfd, name, link, sizeof(link) - 1);
	if (n < 0)
		return -99;
	link[n] = '\0';
	return procscan_claim_fd(s, dirfd, name, 4242, fd, link);
}

/* The last fd kind k claimed, as "dev/ino pid:fd mode path deleted". */
static const char *last_claimed(const struct procscan *s, int k)
{
	static char buf[512];
	const struct vec *v = &s->fds[k];
	const struct scan_fd *f;

	if (!v->len)
		return "-";
	f = vec_at(v, v->len - 1);
	snprintf(buf, sizeof(buf), "%llu/%llu %d:%d %u %s%s", (unsigned long long)f->dev,
		 (unsigned long long)f->ino, f->pid, f->fd, f->mode, f->path ? f->path : "(null)",
		 f->deleted ? " deleted" : "");
	return buf;
}

static char *expect(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *expect(const char *fmt, ...)
{
	static char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return buf;
}

static void test_claims(void)
{
	struct procscan s = scan_empty();
	char dir[] = "/tmp/test-procscan.XXXXXX", fifo[64], file[64], gone[64];
	int dirfd = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int p[2], sv[2], rw, gonefd, reg, mfd, dfd;
	struct stat st, dst;

	if (dirfd < 0 || pipe(p) < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0 ||
	    !mkdtemp(dir) || stat(dir, &dst) < 0) {
		ok(false, "pipe, socketpair, mkdtemp");
		return;
	}
	snprintf(fifo, sizeof(fifo), "%s/f", dir);
	snprintf(gone, sizeof(gone), "%s/g", dir);
	snprintf(file, sizeof(file), "%s/r", dir);
	if (mkfifo(fifo, 0600) < 0 || mkfifo(gone, 0600) < 0) {
		ok(false, "mkfifo");
		return;
	}
	rw = open(fifo, O_RDWR | O_CLOEXEC);
	gonefd = open(gone, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (gonefd < 0)	/* no reader: open both ends, then keep the write one */
		gonefd = open(gone, O_RDWR | O_CLOEXEC);
	unlink(gone);
	reg = open(file, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	mfd = memfd_create("test-procscan", MFD_CLOEXEC);
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	fstat(p[0], &st);
	is_int(claim_own(&s, dirfd, p[0]), KIND_PIPE, "pipe:[N] read end: claimed by pipe");
	is_str(last_claimed(&s, KIND_PIPE), expect("0/%llu 4242:%d 1 (null)",
						   (unsigned long long)st.st_ino, p[0]),
	       "pipe: keyed by the link's inode, dev 0, read end, no path");
	is_int(claim_own(&s, dirfd, p[1]), KIND_PIPE, "pipe:[N] write end: claimed by pipe");
	is_str(last_claimed(&s, KIND_PIPE), expect("0/%llu 4242:%d 2 (null)",
						   (unsigned long long)st.st_ino, p[1]),
	       "pipe: the write end");

	fstat(sv[0], &st);
	is_int(claim_own(&s, dirfd, sv[0]), KIND_UNIX, "socket:[N]: claimed by unix");
	is_str(last_claimed(&s, KIND_UNIX), expect("0/%llu 4242:%d 0 (null)",
						   (unsigned long long)st.st_ino, sv[0]),
	       "socket: keyed by the link's inode, no mode asked");

	fstat(rw, &st);
	is_int(claim_own(&s, dirfd, rw), KIND_FIFO, "a FIFO's path: claimed by fifo");
	is_str(last_claimed(&s, KIND_FIFO), expect("%llu/%llu 4242:%d 3 %s",
						   (unsigned long long)st.st_dev,
						   (unsigned long long)st.st_ino, rw, fifo),
	       "fifo: keyed by the target's (dev, ino), both ends, the path");
	fstat(gonefd, &st);
	is_int(claim_own(&s, dirfd, gonefd), KIND_FIFO, "an unlinked FIFO: claimed by fifo");
	is_str(last_claimed(&s, KIND_FIFO), expect("%llu/%llu 4242:%d %u %s deleted",
						   (unsigned long long)st.st_dev,
						   (unsigned long long)st.st_ino, gonefd,
						   own_fd_mode(gonefd), gone),
	       "fifo unlinked: the path without \" (deleted)\", marked deleted");

	is_int(claim_own(&s, dirfd, reg), -1, "a regular file off the targets: nobody's");
	s.targets = (struct scan_targets){ .dev = { (uint64_t)dst.st_dev }, .n = 1 };
	fstat(reg, &st);
	is_int(claim_own(&s, dirfd, reg), KIND_PSHM,
	       "a regular file on a target: the POSIX kinds' (pshm's index)");
	is_str(last_claimed(&s, KIND_PSHM), expect("%llu/%llu 4242:%d 3 (null)",
						   (unsigned long long)st.st_dev,
						   (unsigned long long)st.st_ino, reg),
	       "posix file: keyed by (dev, ino), its open mode");
	is_int(claim_own(&s, dirfd, dfd), -1, "a directory on a target: nobody's");
	fstat(mfd, &st);
	is_int(claim_own(&s, dirfd, mfd), KIND_MEMFD, "a memfd (\"/memfd:NAME (deleted)\"): memfd's");
	is_str(last_claimed(&s, KIND_MEMFD), expect("%llu/%llu 4242:%d 3 /memfd:test-procscan deleted",
						    (unsigned long long)st.st_dev,
						    (unsigned long long)st.st_ino, mfd),
	       "memfd: keyed by (dev, ino), its open mode, its link without \" (deleted)\"");
	is_int(claim_own(&s, dirfd, dirfd), -1, "a /proc directory: nobody's");
	is_int(procscan_claim_fd(&s, dirfd, "999999", 4242, 999999, "/tmp/x"), -1,
	       "a path that cannot be stat'ed: nobody's");
	is_int(procscan_claim_fd(&s, dirfd, "999999", 4242, 999999, "pipe:[x]"), -1,
	       "pipe:[x]: nobody's");
	is_int(procscan_claim_fd(&s, dirfd, "999999", 4242, 999999, "anon_inode:[eventfd]"), -1,
	       "anon_inode: nobody's");

	procscan_free(&s);
	close(p[0]);
	close(p[1]);
	close(sv[0]);
	close(sv[1]);
	close(rw);
	close(gonefd);
	close(reg);
	close(mfd);
	close(dfd);
	close(dirfd);
	unlink(fifo);
	unlink(file);
	rmdir(dir);
}

/* ---- grouping fds into the ends of one pipe or FIFO ---- */

static void push_fd(struct vec *v, uint64_t dev, uint64_t ino, int pid, int fd, unsigned mode)
{
	struct scan_fd f = { .dev = dev, .ino = ino, .pid = pid, .fd = fd, .mode = mode };

	vec_push(v, &f);
}

static char *ends_text(const struct holder *h, size_t n)
{
	static char buf[2][128];
	static int which;
	char *out = buf[which++ & 1];
	size_t i, len = 0;

	out[0] = '\0';
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(out + len, 128 - len, "%s%d:%d", i ? "," : "", h[i].pid,
					h[i].fd);
	return out;
}

static void test_ends(void)
{
	struct vec fds = VEC_INIT(struct scan_fd);
	struct ends e;
	size_t next;

	/* sorted by (dev, ino, pid, fd): a pipe (dev 0), then two FIFOs */
	push_fd(&fds, 0, 500, 10, 3, HOLD_READ);
	push_fd(&fds, 0, 500, 10, 4, HOLD_WRITE);
	push_fd(&fds, 0, 500, 11, 1, HOLD_WRITE);
	push_fd(&fds, 0, 501, 12, 0, HOLD_READ);
	push_fd(&fds, 2049, 501, 13, 5, HOLD_READ | HOLD_WRITE);
	push_fd(&fds, 2049, 501, 14, 0, HOLD_READ);

	next = ends_group_fds(&fds, 0, &e);
	is_int(next, 3, "ends_group_fds: the first group ends at index 3");
	is_str(ends_text(e.readers, e.nreaders), "10:3", "ends_group_fds: readers of pipe 500");
	is_str(ends_text(e.writers, e.nwriters), "10:4,11:1", "ends_group_fds: writers of pipe 500");
	ok(e.nreaders == 0 || e.readers[0].proc == NULL, "ends_group_fds: no facts yet");
	/* struct ends is the first member of fifo and pipe objects: the hook takes it */
	ok(ends_kind_involves(&e, 11) && ends_kind_involves(&e, 10) && !ends_kind_involves(&e, 12),
	   "ends_kind_involves: the holders of pipe 500 only");
	ends_free(&e);
	ok(e.readers == NULL && e.nreaders == 0 && e.nwriters == 0, "ends_free empties");

	next = ends_group_fds(&fds, next, &e);
	is_int(next, 4, "ends_group_fds: same inode, other dev is another object");
	is_str(ends_text(e.readers, e.nreaders), "12:0", "ends_group_fds: readers of pipe 501");
	is_int(e.nwriters, 0, "ends_group_fds: pipe 501 has no writer");
	ends_free(&e);

	next = ends_group_fds(&fds, next, &e);
	is_int(next, 6, "ends_group_fds: the last group ends at the end");
	is_str(ends_text(e.readers, e.nreaders), "13:5,14:0",
	       "ends_group_fds: an O_RDWR fd is a reader...");
	is_str(ends_text(e.writers, e.nwriters), "13:5", "...and a writer");
	ends_free(&e);
	vec_free(&fds);
}

/* ---- the pid reuse rule (doc/kernel-facts.md, "Pid reuse") ---- */

static struct proc_facts procs[] = {	/* sorted by pid, as facts_read leaves them */
	{ .pid = 100, .tgid = 100, .comm = (char *)"postgres", .state = 'S', .threads = 2,
	  .start_ms = INT64_C(1700000000500) },
	{ .pid = 101, .tgid = 100, .comm = (char *)"postgres", .state = 'R', .threads = 2,
	  .start_ms = INT64_C(1700000000500) },
	{ .pid = 200, .tgid = 200, .comm = (char *)"defunct", .state = 'Z', .threads = 1,
	  .start_ms = INT64_C(1700000000500) },
	{ .pid = 201, .tgid = 201, .comm = (char *)"dead", .state = 'X', .threads = 1,
	  .start_ms = INT64_C(1700000000500) },
	/* a zombie leader whose other threads run on: the process lives */
	{ .pid = 202, .tgid = 202, .comm = (char *)"threaded", .state = 'Z', .threads = 3,
	  .start_ms = INT64_C(1700000000500) },
	{ .pid = 203, .tgid = 203, .comm = (char *)"lastthread", .state = 'Z', .threads = 0,
	  .start_ms = INT64_C(1700000000500) },
	{ .pid = 300, .tgid = 300, .comm = (char *)"sleeper", .state = 'D', .threads = 1,
	  .start_ms = INT64_C(1700000000500) },
};

static const char *state_name(int s)
{
	switch (s) {
	case ACTOR_UNJUDGED: return "UNJUDGED";
	case ACTOR_NONE: return "NONE";
	case ACTOR_ALIVE: return "ALIVE";
	case ACTOR_GONE: return "GONE";
	case ACTOR_UNKNOWN: return "UNKNOWN";
	}
	return "?";
}

static const char *reason_name(int r)
{
	switch (r) {
	case WHY_NONE: return "NONE";
	case WHY_STARTED_BEFORE: return "STARTED_BEFORE";
	case WHY_SAME_SECOND: return "SAME_SECOND";
	case WHY_EXITED: return "EXITED";
	case WHY_ZOMBIE: return "ZOMBIE";
	case WHY_REUSED: return "REUSED";
	case WHY_NOT_VISIBLE: return "NOT_VISIBLE";
	case WHY_NO_TIME: return "NO_TIME";
	case WHY_UNREADABLE: return "UNREADABLE";
	case WHY_CLOCK_STEPPED: return "CLOCK_STEPPED";
	case WHY_HIDDEN: return "HIDDEN";
	}
	return "?";
}

/*
 * Judges (pid, t, event) and checks state, reason, the process (the facts
 * of pid when alive, else none) and the reuser (the facts of pid when it
 * was reused, else none) as one string, then the why text (NULL: no text).
 */
static void check_judge(const struct owners *o, int pid, int64_t t, const char *event,
			int want_state, int want_reason, const char *want_why, const char *name)
{
	struct actor a;
	char got[192], want[192];
	const struct proc_facts *want_proc = want_state == ACTOR_ALIVE ? facts_get(&o->facts, pid) : NULL;
	const struct proc_facts *want_reuser =
		want_reason == WHY_REUSED ? facts_get(&o->facts, pid) : NULL;
	char *why;

	memset(&a, 0x5a, sizeof(a));
	actor_judge(o, pid, t, event, &a);
	snprintf(got, sizeof(got), "pid %d %s/%s event %s proc %s reuser %s", a.pid,
		 state_name(a.state), reason_name(a.reason), a.event ? a.event : "(null)",
		 a.proc == NULL ? "none" : a.proc == want_proc ? "the pid's facts" : "WRONG",
		 a.reuser == NULL ? "none" : a.reuser == want_reuser ? "the pid's facts" : "WRONG");
	snprintf(want, sizeof(want), "pid %d %s/%s event %s proc %s reuser %s", pid,
		 state_name(want_state), reason_name(want_reason), event,
		 want_proc ? "the pid's facts" : "none", want_reuser ? "the pid's facts" : "none");
	is_str(got, want, "judge %s", name);
	why = actor_why(&a);
	is_str(why, want_why, "why %s", name);
	free(why);
}

/*
 * actor_decide() alone, on one hand-built process: (P, T, S, state) ->
 * (state, reason).  S is in epoch milliseconds, T in seconds.
 */
static void check_rule(int pid, int64_t t, int64_t start_ms, char state, bool seen, bool stepped,
		       int want_state, int want_reason, const char *name)
{
	struct proc_facts p = { .pid = pid, .tgid = pid, .comm = (char *)"x", .state = state,
				.threads = 1, .start_ms = start_ms };
	struct actor a;
	char got[96], want[96];

	actor_decide(pid, t, "ctime", state ? &p : NULL, seen, false, stepped, &a);
	snprintf(got, sizeof(got), "%s/%s alive %s", state_name(a.state), reason_name(a.reason),
		 a.state == ACTOR_ALIVE ? "true" : a.state == ACTOR_GONE ? "false" : "null");
	snprintf(want, sizeof(want), "%s/%s alive %s", state_name(want_state),
		 reason_name(want_reason), want_state == ACTOR_ALIVE ? "true" :
		 want_state == ACTOR_GONE ? "false" : "null");
	is_str(got, want, "rule: %s", name);
}

static void test_rule(void)
{
	const int64_t T = 1700000000, Tms = T * 1000;

	is_int(REUSE_MARGIN_MS, 20, "the margin e is 20 ms");
	/* the boundary T + 1 s + e, to the millisecond */
	check_rule(7, T, Tms + 1000 + 20, 'S', true, false, ACTOR_GONE, WHY_REUSED,
		   "S = T+1+e exactly: started after the event, pid reused");
	check_rule(7, T, Tms + 1000 + 19, 'S', true, false, ACTOR_ALIVE, WHY_SAME_SECOND,
		   "S = T+1+e-1ms: the same process, same second");
	check_rule(7, T, Tms + 1000, 'S', true, false, ACTOR_ALIVE, WHY_SAME_SECOND,
		   "S = T+1: within the margin, the same process");
	check_rule(7, T, Tms + 300, 'S', true, false, ACTOR_ALIVE, WHY_SAME_SECOND,
		   "S = T+0.3: a daemon that made it in its first second");
	check_rule(7, T, Tms, 'S', true, false, ACTOR_ALIVE, WHY_SAME_SECOND,
		   "S = T exactly: same second");
	check_rule(7, T, Tms - 1, 'S', true, false, ACTOR_ALIVE, WHY_STARTED_BEFORE,
		   "S = T-1ms: started before");
	check_rule(7, T, Tms - 86400000, 'S', true, false, ACTOR_ALIVE, WHY_STARTED_BEFORE,
		   "started a day before");
	check_rule(7, T, Tms + 1300, 'S', true, false, ACTOR_GONE, WHY_REUSED,
		   "S = T+1.3: reused 0.3 s after the event's second");
	check_rule(7, T, Tms + 2500, 'S', true, false, ACTOR_GONE, WHY_REUSED,
		   "S = T+2.5: reused");
	/* pid 0 */
	check_rule(0, 0, 0, 0, false, false, ACTOR_NONE, WHY_NONE, "P 0, T 0: nobody ever acted");
	check_rule(0, T, 0, 0, false, false, ACTOR_UNKNOWN, WHY_NOT_VISIBLE,
		   "P 0 with a time: not visible, alive null");
	/* the process */
	check_rule(7, T, Tms - 5000, 0, false, false, ACTOR_GONE, WHY_EXITED, "no process: exited");
	check_rule(7, T, Tms - 5000, 0, true, false, ACTOR_UNKNOWN, WHY_UNREADABLE,
		   "seen by the scan, no facts: unreadable, alive null");
	check_rule(7, T, Tms - 5000, 'Z', true, false, ACTOR_GONE, WHY_ZOMBIE, "zombie: gone");
	check_rule(7, T, Tms - 5000, 'X', true, false, ACTOR_GONE, WHY_ZOMBIE, "dead: gone");
	check_rule(7, T, Tms - 5000, 'D', true, false, ACTOR_ALIVE, WHY_STARTED_BEFORE,
		   "state D is alive");
	check_rule(7, 0, Tms, 'S', true, false, ACTOR_UNKNOWN, WHY_NO_TIME, "no time: unknown");
	/* the clock: no inference about a live pid */
	check_rule(7, T, Tms - 5000, 'S', true, true, ACTOR_UNKNOWN, WHY_CLOCK_STEPPED,
		   "clock stepped, started before: unknown");
	check_rule(7, T, Tms + 5000, 'S', true, true, ACTOR_UNKNOWN, WHY_CLOCK_STEPPED,
		   "clock stepped, started after: unknown");
	check_rule(7, T, Tms, 0, false, true, ACTOR_GONE, WHY_EXITED,
		   "clock stepped, no process: still exited");
	check_rule(7, T, Tms, 'Z', true, true, ACTOR_GONE, WHY_ZOMBIE,
		   "clock stepped, zombie: still gone");
}

static void test_judge(void)
{
	struct owners o;
	const int64_t S = 1700000000;	/* pids 100 and 101 started at S + 0.5 s */
	const char *same = "started in the same second as ctime";

	memset(&o, 0, sizeof(o));
	o.facts.procs = procs;
	o.facts.len = sizeof(procs) / sizeof(procs[0]);
	o.facts.boot_ms = INT64_C(1690000000000);
	o.clock_stepped = false;

	/* pid 0 */
	check_judge(&o, 0, 0, "atime", ACTOR_NONE, WHY_NONE, NULL,
		    "pid 0, t 0: nobody ever acted, no text");
	check_judge(&o, 0, S, "stime", ACTOR_UNKNOWN, WHY_NOT_VISIBLE,
		    "not visible in this pid namespace", "pid 0 with a time: not visible");
	check_judge(&o, 0, 1, "rtime", ACTOR_UNKNOWN, WHY_NOT_VISIBLE,
		    "not visible in this pid namespace", "pid 0, t 1");

	/* gone */
	check_judge(&o, 150, S, "ctime", ACTOR_GONE, WHY_EXITED, "exited", "pid absent: exited");
	check_judge(&o, 99, S, "ctime", ACTOR_GONE, WHY_EXITED, "exited",
		    "pid below every known pid: exited");
	check_judge(&o, 4194304, S, "ctime", ACTOR_GONE, WHY_EXITED, "exited",
		    "pid above every known pid: exited");
	check_judge(&o, 200, S + 100, "ctime", ACTOR_GONE, WHY_ZOMBIE,
		    "exited, not yet reaped (zombie)", "state Z: zombie");
	check_judge(&o, 201, S + 100, "ctime", ACTOR_GONE, WHY_ZOMBIE,
		    "exited, not yet reaped (zombie)", "state X: gone as a zombie");
	check_judge(&o, 200, 0, "ctime", ACTOR_GONE, WHY_ZOMBIE,
		    "exited, not yet reaped (zombie)", "zombie without a time");
	check_judge(&o, 203, S + 100, "ctime", ACTOR_GONE, WHY_ZOMBIE,
		    "exited, not yet reaped (zombie)", "state Z, thread count 0: zombie");
	check_judge(&o, 202, S + 100, "ctime", ACTOR_ALIVE, WHY_STARTED_BEFORE,
		    "started before ctime", "zombie leader with 3 threads: the process lives on");
	check_judge(&o, 202, S - 3, "ctime", ACTOR_GONE, WHY_REUSED,
		    "pid reused by a process started after ctime",
		    "zombie leader with 3 threads, started after t: reused");

	/* the start S + 0.5 against the event second t */
	check_judge(&o, 100, S - 100, "ctime", ACTOR_GONE, WHY_REUSED,
		    "pid reused by a process started after ctime", "start = t+100.5: reused");
	check_judge(&o, 100, S - 2, "ctime", ACTOR_GONE, WHY_REUSED,
		    "pid reused by a process started after ctime", "start = t+2.5: reused");
	check_judge(&o, 100, S - 1, "ctime", ACTOR_GONE, WHY_REUSED,
		    "pid reused by a process started after ctime", "start = t+1.5: reused");
	check_judge(&o, 100, S, "ctime", ACTOR_ALIVE, WHY_SAME_SECOND, same,
		    "start = t+0.5: the same second, alive");
	check_judge(&o, 100, S + 1, "ctime", ACTOR_ALIVE, WHY_STARTED_BEFORE,
		    "started before ctime", "start = t-0.5: started before");
	check_judge(&o, 100, INT64_C(4102444800), "ctime", ACTOR_ALIVE, WHY_STARTED_BEFORE,
		    "started before ctime", "t far after the start: started before");
	check_judge(&o, 300, S + 5, "dtime", ACTOR_ALIVE, WHY_STARTED_BEFORE,
		    "started before dtime", "state D is alive");

	/* the event name is the one given */
	check_judge(&o, 100, S + 2, "atime", ACTOR_ALIVE, WHY_STARTED_BEFORE,
		    "started before atime", "event atime");
	check_judge(&o, 100, S, "stime", ACTOR_ALIVE, WHY_SAME_SECOND,
		    "started in the same second as stime", "event stime");
	check_judge(&o, 100, S - 3, "otime", ACTOR_GONE, WHY_REUSED,
		    "pid reused by a process started after otime", "event otime");

	/* a thread id (lrpid may be one, doc/kernel-facts.md, "Thread ids"): its own facts, tgid 100 */
	check_judge(&o, 101, S + 10, "rtime", ACTOR_ALIVE, WHY_STARTED_BEFORE,
		    "started before rtime", "a thread id: alive");
	{
		struct actor a;

		actor_judge(&o, 101, S + 10, "rtime", &a);
		ok(a.proc && a.proc->pid == 101 && a.proc->tgid == 100,
		   "a thread id: its facts name the process (tgid 100)");
	}

	/* a pid but no time to judge it by */
	check_judge(&o, 100, 0, "ctime", ACTOR_UNKNOWN, WHY_NO_TIME,
		    "no ctime recorded to judge the pid by", "t 0 with a live pid: no time");
	check_judge(&o, 100, 0, "atime", ACTOR_UNKNOWN, WHY_NO_TIME,
		    "no atime recorded to judge the pid by", "t 0, event atime");
	check_judge(&o, 150, 0, "ctime", ACTOR_GONE, WHY_EXITED, "exited",
		    "t 0 with an absent pid: exited");

	/* the clock was stepped: no inference about a live pid holds */
	o.clock_stepped = true;
	check_judge(&o, 100, S + 100, "ctime", ACTOR_UNKNOWN, WHY_CLOCK_STEPPED,
		    "the clock was stepped since boot: pid reuse cannot be judged",
		    "clock stepped, started long before");
	check_judge(&o, 100, S, "ctime", ACTOR_UNKNOWN, WHY_CLOCK_STEPPED,
		    "the clock was stepped since boot: pid reuse cannot be judged",
		    "clock stepped, started in the same second");
	check_judge(&o, 100, S - 100, "ctime", ACTOR_UNKNOWN, WHY_CLOCK_STEPPED,
		    "the clock was stepped since boot: pid reuse cannot be judged",
		    "clock stepped, started after");
	check_judge(&o, 0, 0, "atime", ACTOR_NONE, WHY_NONE, NULL,
		    "clock stepped, pid 0 and t 0: still nobody");
	check_judge(&o, 0, S, "ctime", ACTOR_UNKNOWN, WHY_NOT_VISIBLE,
		    "not visible in this pid namespace", "clock stepped, pid 0 with a time");
	o.clock_stepped = false;

	/* no facts read at all (facts.procs NULL): every pid has exited */
	memset(&o, 0, sizeof(o));
	check_judge(&o, 100, S, "ctime", ACTOR_GONE, WHY_EXITED, "exited",
		    "no facts at all: exited");
}

/* ---- verdicts: the reasons a judged pid gives, and how they weigh ---- */

/* The reasons in words, "; " separated, then the two flags: one string to compare. */
static void check_work(const struct verdict_work *w, const char *want, const char *name)
{
	struct reason list[REASONS_LIST_MAX];
	char got[1024] = "";
	size_t i, n = verdict_reason_list(w->v, list);

	for (i = 0; i < n; i++) {
		char *words = reason_words(NULL, w->v, &list[i], NULL);

		if (i)
			strcat(got, "; ");
		strcat(got, words);
		free(words);
	}
	strcat(got, w->in_use ? " | in_use" : " | -");
	strcat(got, w->unknown ? " unknown" : " -");
	is_str(got, want, "%s", name);
}

static struct reason_arena *arena;

/* Judges (pid, t, event) as role and checks what verdict_note_actor adds. */
static void check_note(const struct owners *o, unsigned role, int pid, int64_t t,
		       const char *event, bool want_noted, const char *want, const char *name)
{
	struct verdict v = { 0 };
	struct verdict_work w;
	struct reason list[VERDICT_MAX_REASONS];
	struct actor a;
	bool noted;

	verdict_begin(&w, &v, &v, sizeof(v), arena);
	actor_judge(o, pid, t, event, &a);
	noted = verdict_note_actor(&w, role, 0, &a);
	ok(noted == want_noted, "note %s: %s", name, want_noted ? "noted" : "not noted (never acted)");
	verdict_finish(&w, VERDICT_SUSPECT);
	check_work(&w, want, name);
	verdict_reasons(&v, list);
	ok(!noted || (v.nreasons == 1 && list[0].ref == &a && list[0].role == role),
	   "note %s: one reason, the actor's, in its role", name);
}

static void check_finish(bool in_use, bool unknown, enum verdict_value otherwise,
			 enum verdict_value want, const char *name)
{
	struct verdict v = { 0 };
	struct verdict_work w;

	verdict_begin(&w, &v, &v, sizeof(v), arena);
	w.in_use = in_use;
	w.unknown = unknown;
	verdict_finish(&w, otherwise);
	is_str(verdict_name(v.value), verdict_name(want), "verdict_finish: %s", name);
}

static void check_age(int64_t now, int64_t t1, int64_t t2, int64_t t3, int64_t t4,
		      bool want_has, int64_t want_age, const char *name)
{
	struct verdict v;

	memset(&v, 0x5a, sizeof(v));
	verdict_set_age(&v, now, t1, t2, t3, t4);
	ok(v.has_age == want_has, "verdict_set_age %s: has_age %s", name, want_has ? "true" : "false");
	is_int(v.age, want_age, "verdict_set_age %s: age", name);
}

static void test_verdict(void)
{
	struct owners o;
	const int64_t S = 1700000000;	/* start of pids 100 and 101, as in test_judge */
	struct verdict v;
	struct verdict_work w;
	struct reason list[VERDICT_MAX_REASONS];
	struct actor a, b, c;
	int i;

	arena = reason_arena_new();
	memset(&o, 0, sizeof(o));
	o.facts.procs = procs;
	o.facts.len = sizeof(procs) / sizeof(procs[0]);
	o.facts.boot_ms = INT64_C(1690000000000);

	/* never acted: no reason, no weight, and the caller is told */
	check_note(&o, ROLE_LAST_USER, 0, 0, "atime", false, " | - -", "pid 0, t 0");
	memset(&v, 0, sizeof(v));
	verdict_begin(&w, &v, &v, sizeof(v), arena);
	a = (struct actor){ .pid = 100, .state = ACTOR_UNJUDGED, .event = "ctime" };
	ok(!verdict_note_actor(&w, ROLE_CREATOR, 0, &a) && v.nreasons == 0 && !w.in_use &&
	   !w.unknown, "note an unjudged actor (--no-owners): nothing");

	/* alive and started before: evidence of use */
	check_note(&o, ROLE_CREATOR, 100, S + 2, "ctime", true,
		   "creator 100 (postgres) is alive | in_use -", "started before: in use");
	check_note(&o, ROLE_LAST_USER, 300, S + 5, "dtime", true,
		   "last user 300 (sleeper) is alive | in_use -", "state D, started before: in use");
	/* alive, started in the event's second: the same process, in use */
	check_note(&o, ROLE_CREATOR, 100, S, "ctime", true,
		   "creator 100 (postgres) is alive: it started in the same second as ctime | in_use -",
		   "started in the same second: in use, alive and verdict agree");
	check_note(&o, ROLE_LAST_SENDER, 100, S - 1, "stime", true,
		   "last sender 100 exited: pid 100 now belongs to postgres, started after stime | - -",
		   "start = t+1.5: reused, gone");
	/* gone: a reason, no weight either way */
	check_note(&o, ROLE_CREATOR, 150, S, "ctime", true, "creator 150 exited | - -", "exited");
	check_note(&o, ROLE_LAST_RECEIVER, 200, S + 100, "rtime", true,
		   "last receiver 200 exited (zombie) | - -", "zombie");
	check_note(&o, ROLE_CREATOR, 100, S - 3, "ctime", true,
		   "creator 100 exited: pid 100 now belongs to postgres, started after ctime | - -",
		   "reused: who has the pid now");
	check_note(&o, ROLE_LAST_USER, 202, S - 3, "otime", true,
		   "last user 202 exited: pid 202 now belongs to threaded, started after otime | - -",
		   "reused by a zombie leader with live threads");
	/* cannot be judged: unknown */
	check_note(&o, ROLE_LAST_USER, 0, S, "atime", true,
		   "last user is not visible in this pid namespace | - unknown", "pid 0 with a time");
	check_note(&o, ROLE_CREATOR, 100, 0, "ctime", true,
		   "creator 100: no ctime recorded to judge the pid by | - unknown", "no time");
	o.clock_stepped = true;
	check_note(&o, ROLE_CREATOR, 100, S, "ctime", true,
		   "creator 100: the clock was stepped since boot: pid reuse cannot be judged | - unknown",
		   "clock stepped");
	check_note(&o, ROLE_CREATOR, 150, S, "ctime", true, "creator 150 exited | - -",
		   "clock stepped, pid absent: still exited");
	o.clock_stepped = false;

	/* reasons add up in order; the flags only ever get set */
	memset(&v, 0, sizeof(v));
	verdict_begin(&w, &v, &v, sizeof(v), arena);
	verdict_reason(&w, REASON_UNSEEN_UNREADABLE)->n = 2;
	actor_judge(&o, 100, S + 2, "ctime", &a);
	verdict_note_actor(&w, ROLE_CREATOR, 0, &a);
	actor_judge(&o, 0, S, "atime", &b);
	verdict_note_actor(&w, ROLE_LAST_USER, 0, &b);
	actor_judge(&o, 150, S, "atime", &c);
	verdict_note_actor(&w, ROLE_LAST_SENDER, 0, &c);
	verdict_finish(&w, VERDICT_ORPHAN);
	check_work(&w, "2 processes unreadable; creator 100 (postgres) is alive; last user is not "
		   "visible in this pid namespace; last sender 150 exited | in_use unknown",
		   "reasons in order, both flags");
	is_str(verdict_name(v.value), "in-use", "in use wins over unknown");
	verdict_reasons(&v, list);
	is_int(list[0].n, 2, "the codes and numbers: 2 unreadable");
	is_int(list[1].code, REASON_ACTOR_ALIVE, "alive");
	is_int(list[2].code, REASON_ACTOR_NOT_VISIBLE, "not visible");
	is_int(list[3].code, REASON_ACTOR_EXITED, "exited");
	ok(list[3].ref == &c && list[3].role == ROLE_LAST_SENDER, "the actor and its role");

	/* at most VERDICT_MAX_REASONS: the rest are dropped */
	memset(&v, 0, sizeof(v));
	verdict_begin(&w, &v, &v, sizeof(v), arena);
	for (i = 0; i < VERDICT_MAX_REASONS + 3; i++)
		verdict_reason(&w, REASON_UNSEEN_UNREADABLE)->n = (uint64_t)i;
	verdict_finish(&w, VERDICT_ORPHAN);
	is_int(v.nreasons, VERDICT_MAX_REASONS, "%d reasons kept of %d", VERDICT_MAX_REASONS,
	       VERDICT_MAX_REASONS + 3);
	verdict_reasons(&v, list);
	is_int((int)list[VERDICT_MAX_REASONS - 1].n, 7, "the last kept is the eighth");

	/* a verdict without reasons keeps none; the next one's start after the last kept */
	memset(&v, 0, sizeof(v));
	verdict_begin(&w, &v, &v, sizeof(v), arena);
	verdict_finish(&w, VERDICT_ORPHAN);
	ok(v.reasons == NULL && v.nreasons == 0, "no reasons: none kept");
	/* packed: a code alone is two bytes, the next verdict's follow */
	{
		struct verdict v2 = { 0 }, v3 = { 0 };
		struct verdict_work w2, w3;

		verdict_begin(&w2, &v2, &v2, sizeof(v2), arena);
		verdict_reason(&w2, REASON_UNSEEN_OUTSIDE);
		verdict_finish(&w2, VERDICT_ORPHAN);
		verdict_begin(&w3, &v3, &v3, sizeof(v3), arena);
		verdict_reason(&w3, REASON_UNSEEN_UNREADABLE)->n = 300;
		verdict_finish(&w3, VERDICT_ORPHAN);
		ok(v3.reasons == v2.reasons + 2, "a code alone: two bytes");
		verdict_reasons(&v2, list);
		ok(list[0].code == REASON_UNSEEN_OUTSIDE && list[0].n == 0,
		   "two verdicts: the first's reasons stay");
		verdict_reasons(&v3, list);
		ok(list[0].code == REASON_UNSEEN_UNREADABLE && list[0].n == 300,
		   "a number above 127 (two varint bytes) comes back");
	}
	/* every field, at its widest */
	{
		static const struct reason wide = { .code = 65535, .role = 255, .flag = 255,
						     .aux = UINT32_MAX, .n = UINT64_MAX };

		memset(&v, 0, sizeof(v));
		verdict_begin(&w, &v, &v, sizeof(v), arena);
		*verdict_reason(&w, wide.code) = wide;
		verdict_finish(&w, VERDICT_ORPHAN);
		verdict_reasons(&v, list);
		ok(memcmp(&list[0], &wide, sizeof(wide)) == 0, "every field at its widest comes back");
	}
	/* blocks: thousands of verdicts, each keeping its own */
	{
		static struct verdict many[9000];
		bool same = true;

		for (i = 0; i < 9000; i++) {
			verdict_begin(&w, &many[i], &many[i], sizeof(many[i]), arena);
			verdict_reason(&w, REASON_UNSEEN_UNREADABLE)->n = (uint64_t)i;
			verdict_reason(&w, REASON_UNSEEN_UNREADABLE)->n = (uint64_t)i + 1;
			verdict_reason(&w, REASON_UNSEEN_OUTSIDE);
			verdict_finish(&w, VERDICT_ORPHAN);
		}
		for (i = 0; i < 9000; i++) {
			verdict_reasons(&many[i], list);
			same &= many[i].nreasons == 3 && list[0].n == (uint64_t)i &&
				list[1].n == (uint64_t)i + 1 && list[2].code == REASON_UNSEEN_OUTSIDE;
		}
		ok(same, "9000 verdicts over several blocks: every one keeps its three reasons");
	}

	check_finish(false, false, VERDICT_ORPHAN, VERDICT_ORPHAN, "no evidence: otherwise (orphan)");
	check_finish(false, false, VERDICT_SUSPECT, VERDICT_SUSPECT, "no evidence: otherwise (suspect)");
	check_finish(true, false, VERDICT_ORPHAN, VERDICT_IN_USE, "in use");
	check_finish(false, true, VERDICT_ORPHAN, VERDICT_UNKNOWN, "a gap: unknown, not orphan");
	check_finish(false, true, VERDICT_SUSPECT, VERDICT_UNKNOWN, "a gap: unknown, not suspect");
	check_finish(true, true, VERDICT_SUSPECT, VERDICT_IN_USE, "in use and a gap: in use");
	check_finish(false, false, VERDICT_IN_USE, VERDICT_IN_USE, "otherwise in use (a pipe)");

	/* the age: from the latest of the times; 0 is never */
	check_age(S + 100, S, 0, 0, 0, true, 100, "one time");
	check_age(S + 100, S, S + 40, S + 10, 0, true, 60, "the latest of three");
	check_age(S + 100, 0, 0, 0, S + 90, true, 10, "the fourth only");
	check_age(S + 100, S + 100, 0, 0, 0, true, 0, "the latest is now");
	check_age(S + 100, S + 200, S, 0, 0, true, 0, "the latest is after now (clock): 0, not negative");
	check_age(S + 100, 0, 0, 0, 0, false, 0, "no time at all: no age");
	check_age(S + 100, -5, 0, 0, 0, false, 0, "a negative time is no time");
	reason_arena_free(arena);
}

static void test_why(void)
{
	static const struct {
		int reason;
		const char *event;
		const char *want;
	} cases[] = {
		{ WHY_NONE, "ctime", NULL },
		{ WHY_STARTED_BEFORE, "ctime", "started before ctime" },
		{ WHY_SAME_SECOND, "dtime", "started in the same second as dtime" },
		{ WHY_EXITED, "ctime", "exited" },
		{ WHY_ZOMBIE, "ctime", "exited, not yet reaped (zombie)" },
		{ WHY_REUSED, "rtime", "pid reused by a process started after rtime" },
		{ WHY_NOT_VISIBLE, "ctime", "not visible in this pid namespace" },
		{ WHY_NO_TIME, "otime", "no otime recorded to judge the pid by" },
		{ WHY_UNREADABLE, "ctime", "its process could not be read" },
		{ WHY_CLOCK_STEPPED, "ctime", "the clock was stepped since boot: pid reuse cannot be judged" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct actor a = { .pid = 42, .state = ACTOR_UNKNOWN, .reason = (unsigned char)cases[i].reason,
				   .event = cases[i].event };
		char *why = actor_why(&a);

		is_str(why, cases[i].want, "actor_why %s (%s)", reason_name(cases[i].reason),
		       cases[i].event);
		free(why);
	}
}

/*
 * event_latest (a last user: the later of its two events) and
 * event_earliest (a creation, at or before every later event:
 * kernel-facts.md, "Pid reuse"): 0 is never, equal ones give the first.
 */
static void test_pick(void)
{
	static const struct {
		bool earliest;
		int64_t t1, t2, want_t;
		const char *want_e, *name;
	} cases[] = {
		{ false, 100, 200, 200, "dtime", "second later" },
		{ false, 200, 100, 200, "atime", "first later" },
		{ false, 100, 100, 100, "atime", "equal: the first" },
		{ false, 0, 0, 0, "atime", "both never: 0, the first" },
		{ false, 0, 5, 5, "dtime", "first never" },
		{ false, 5, 0, 5, "atime", "second never" },
		{ false, INT64_MAX, INT64_MAX - 1, INT64_MAX, "atime", "INT64_MAX" },
		{ true, 200, 100, 100, "dtime", "second earlier" },
		{ true, 100, 200, 100, "atime", "first earlier" },
		{ true, 100, 100, 100, "atime", "equal: the first" },
		{ true, 100, 0, 100, "atime", "second never: left out" },
		{ true, 0, 5, 5, "dtime", "first never: left out" },
		{ true, 0, 0, 0, "atime", "both never: 0, the first" },
		{ true, INT64_MAX, INT64_MAX - 1, INT64_MAX - 1, "dtime", "INT64_MAX" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *fn = cases[i].earliest ? "event_earliest" : "event_latest";
		int64_t t = -42;
		const char *e = "(unset)";

		(cases[i].earliest ? event_earliest : event_latest)(cases[i].t1, "atime", cases[i].t2,
								    "dtime", &t, &e);
		is_int(t, cases[i].want_t, "%s %s: time", fn, cases[i].name);
		is_str(e, cases[i].want_e, "%s %s: event", fn, cases[i].name);
	}
}

/* ---- facts_read: the facts of the pids asked, once each ---- */

static pthread_mutex_t thread_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t thread_cond = PTHREAD_COND_INITIALIZER;
static int thread_tid;
static bool thread_done;

static void *thread_main(void *arg)
{
	(void)arg;
	pthread_setname_np(pthread_self(), "raw\x01thread");
	pthread_mutex_lock(&thread_lock);
	thread_tid = (int)gettid();
	pthread_cond_broadcast(&thread_cond);
	while (!thread_done)
		pthread_cond_wait(&thread_cond, &thread_lock);
	pthread_mutex_unlock(&thread_lock);
	return NULL;
}

static void test_facts(void)
{
	int self = (int)getpid(), tid;
	int pids[] = { self, 0, -1, self, self };
	const struct proc_facts *p;
	struct facts f;
	int64_t now = (int64_t)time(NULL);
	int procfd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	struct procscan scan = scan_empty();
	struct scan_proc sp = { .pid = self, .state = 'S', .comm = "\x1b[31mscan\xff", .threads = 2,
				.has_start = true, .start_ticks = 4242 };
	long hertz = sysconf(_SC_CLK_TCK);
	pthread_t t;

	/* nothing asked (an empty listing): no facts, and none looked up */
	is_int(facts_read(NULL, procfd, NULL, 0, &f), 0, "facts_read of no pid: 0");
	is_int(f.len, 0, "facts_read of no pid: no facts");
	ok(facts_get(&f, self) == NULL, "facts_read of no pid: facts_get finds nothing");
	facts_free(&f);

	/* duplicates are read once; 0 and negative pids are not pids */
	is_int(facts_read(NULL, procfd, pids, sizeof(pids) / sizeof(pids[0]), &f), 0, "facts_read of this process: 0");
	is_int(f.len, 1, "facts_read: one entry for this process asked three times, 0 and -1 ignored");
	p = facts_get(&f, self);
	ok(p && p->pid == self && p->tgid == self, "facts_get: this process, its own tgid");
	ok(p && p->euid == (uint32_t)geteuid(), "facts: euid");
	ok(p && p->state == 'R', "facts: state R (it is running)");
	ok(p && f.boot_ms > 0 && p->start_ms >= f.boot_ms && p->start_ms <= now * 1000 + 1000,
	   "facts: start between boot and now");
	ok(facts_get(&f, 0) == NULL && facts_get(&f, self + 1) == NULL,
	   "facts_get: a pid not read is NULL");
	facts_free(&f);
	is_int(f.len, 0, "facts_free empties");

	/*
	 * A process the scan read: its comm (raw bytes), state, threads and
	 * start are the scan's, not read again; libproc2 adds the ids.
	 */
	vec_push(&scan.procs, &sp);
	is_int(facts_read(&scan, procfd, &self, 1, &f), 0, "facts_read with the scan: 0");
	p = facts_get(&f, self);
	ok(p && strcmp(p->comm, "\x1b[31mscan\xff") == 0, "facts: the scan's raw comm, as it is");
	ok(p && p->state == 'S' && p->threads == 2, "facts: the scan's state and threads");
	is_int(p ? p->start_ms : 0, facts_start_ms(f.boot_ms, 4242, hertz),
	       "facts: the start time from the scan's ticks");
	ok(p && p->tgid == self && p->euid == (uint32_t)geteuid(), "facts: libproc2's ids");
	facts_free(&f);

	/* a thread id (lrpid may be one, doc/kernel-facts.md, "Thread ids"): tgid names the process */
	if (pthread_create(&t, NULL, thread_main, NULL) != 0) {
		ok(false, "pthread_create");
		return;
	}
	pthread_mutex_lock(&thread_lock);
	while (!thread_tid)
		pthread_cond_wait(&thread_cond, &thread_lock);
	tid = thread_tid;
	pthread_mutex_unlock(&thread_lock);
	is_int(facts_read(&scan, procfd, &tid, 1, &f), 0, "facts_read of a thread id: 0");
	p = facts_get(&f, tid);
	ok(p && p->pid == tid && p->tgid == self && tid != self,
	   "facts of a thread id: pid is the tid, tgid this process");
	ok(p && strcmp(p->comm, "raw\x01thread") == 0,
	   "facts of a thread id (not in the scan): its own raw comm, read from its stat");
	facts_free(&f);
	procscan_free(&scan);
	close(procfd);
	pthread_mutex_lock(&thread_lock);
	thread_done = true;
	pthread_cond_broadcast(&thread_cond);
	pthread_mutex_unlock(&thread_lock);
	pthread_join(t, NULL);
}

/* "R HIDEPID GID SUBSET" of procparse_mountinfo_proc(), *ret prefilled with 9 9 1. */
static const char *opts_of(const char *text, unsigned maj, unsigned min, char *buf, size_t size)
{
	struct proc_mount_opts o = { 9, 9, true };
	int r = procparse_mountinfo_proc(text, maj, min, &o);

	snprintf(buf, size, "%d %u %u %d", r, o.hidepid, o.gid, o.subset_pid);
	return buf;
}

/*
 * The proc mount's options in mountinfo (procparse_mountinfo_proc) and
 * whom they hide processes from (prochide_may_hide): doc/kernel-facts.md,
 * "Hidden processes".
 */
static void test_hidepid(void)
{
	static const char text[] =
		"22 1 0:21 / /proc rw,nosuid - proc proc rw\n"
		"30 22 0:40 / /proc rw,relatime shared:9 - proc proc rw,gid=1005,hidepid=invisible\n"
		"31 1 0:41 / /srv/p\\040-\\040x rw - proc none rw,hidepid=2,subset=pid\n"
		"32 1 0:42 / /q rw - proc proc rw,hidepid=ptraceable\n"
		"33 1 0:43 / /r rw - proc proc rw,hidepid=noaccess\n"
		"34 1 0:44 / /s rw - proc proc rw,hidepid=7\n"
		"35 1 0:45 / /t rw - tmpfs proc rw,hidepid=2\n";
	struct proc_mount_opts o;
	uint32_t mine[] = { 1000, 1005 }, root[] = { 0 };
	struct proc_caller user = { .init_userns = true, .gids = mine, .ngids = 1 };
	struct proc_caller member = { .init_userns = true, .gids = mine, .ngids = 2 };
	struct proc_caller tracer = { .init_userns = true, .cap_sys_ptrace = true, .gids = mine,
				      .ngids = 1 };
	struct proc_caller nsroot = { .cap_sys_ptrace = true, .gids = root, .ngids = 1 };
	struct proc_caller gid0 = { .init_userns = true, .gids = root, .ngids = 1 };
	char got[64];

#define OPTS(maj, min) opts_of(text, maj, min, got, sizeof(got))
	is_str(OPTS(0, 21), "0 0 0 0", "mountinfo: proc without options");
	is_str(OPTS(0, 40), "0 2 1005 0", "mountinfo: gid= and hidepid=invisible");
	is_str(OPTS(0, 41), "0 2 0 1", "mountinfo: hidepid=2 (before 5.8), subset=pid, a mount point with \" - \"");
	is_str(OPTS(0, 42), "0 4 0 0", "mountinfo: hidepid=ptraceable");
	is_str(OPTS(0, 43), "0 1 0 0", "mountinfo: hidepid=noaccess");
	is_str(OPTS(0, 44), "-22 0 0 0", "mountinfo: a hidepid= no kernel writes is -EINVAL");
	is_str(OPTS(0, 45), "-2 9 9 1", "mountinfo: a tmpfs of the device is not a proc mount");
	is_str(OPTS(0, 46), "-2 9 9 1", "mountinfo: no line of the device");
#undef OPTS

	o = (struct proc_mount_opts){ .hidepid = PROC_HIDEPID_INVISIBLE, .gid = 1005 };
	is_int(prochide_may_hide(&o, &user), 1, "invisible: hides from a user outside gid=");
	is_int(prochide_may_hide(&o, &member), 0, "invisible: not from a member of gid=");
	is_int(prochide_may_hide(&o, &tracer), 0, "invisible: not from CAP_SYS_PTRACE");
	is_int(prochide_may_hide(&o, &nsroot), 1,
	       "invisible: from CAP_SYS_PTRACE in a user namespace (not over the others')");
	is_int(prochide_may_hide(&o, &gid0), 1, "invisible, gid=1005: from group 0");
	o.gid = 0;
	is_int(prochide_may_hide(&o, &gid0), 0, "invisible without gid=: not from group 0 (the default gid)");
	o.hidepid = PROC_HIDEPID_NOACCESS;
	is_int(prochide_may_hide(&o, &user), 1, "noaccess: hides (unreadable) from a user");
	o = (struct proc_mount_opts){ .hidepid = PROC_HIDEPID_PTRACEABLE, .gid = 1005 };
	is_int(prochide_may_hide(&o, &member), 1, "ptraceable: gid= does not count");
	is_int(prochide_may_hide(&o, &tracer), 0, "ptraceable: not from CAP_SYS_PTRACE");
	o.hidepid = PROC_HIDEPID_OFF;
	is_int(prochide_may_hide(&o, &user), 0, "off: hides nothing");
}

/* A pid the scan did not list, where /proc may hide it: unknown, never gone. */
static void test_rule_hidden(void)
{
	struct actor a;

	actor_decide(42, 1700000000, "ctime", NULL, false, true, false, &a);
	is_str(state_name(a.state), state_name(ACTOR_UNKNOWN), "hidden: an unlisted pid is unknown");
	is_str(reason_name(a.reason), "HIDDEN", "hidden: the reason says why");
	actor_decide(42, 1700000000, "ctime", NULL, false, false, false, &a);
	is_str(reason_name(a.reason), "EXITED", "not hidden: an unlisted pid exited");
}

int main(void)
{
	test_stat();
	test_maps();
	test_link_mode();
	test_pipe_link();
	test_lookups();
	test_claims();
	test_ends();
	test_rule();
	test_rule_hidden();
	test_hidepid();
	test_judge();
	test_verdict();
	test_why();
	test_pick();
	test_facts();
	return tap_done();
}

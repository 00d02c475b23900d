/*
 * refuse: run a command with one system call refused by a seccomp filter
 * (the filter stays, for the command and its children), for the live
 * tests of what ipcinspect does without it.  Test-only, never installed.
 *
 *   refuse openat2 COMMAND [ARG]...   every openat2 fails with ENOSYS: a
 *       kernel before Linux 5.6 (doc/kernel-facts.md, "Another mount
 *       namespace's files")
 *   refuse kcmp COMMAND [ARG]...      every kcmp fails with EPERM: Docker's
 *       default profile for a container without CAP_SYS_PTRACE
 *       (doc/kernel-facts.md, "Fd tables of threads")
 *
 * Exit status: the command's; 127 when it cannot be run; 2 on bad usage;
 * 77 (a test's skip) when the filter cannot be installed here.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define THIS_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define THIS_ARCH AUDIT_ARCH_AARCH64
#endif

static const struct {
	const char *name;
	unsigned nr;
	unsigned err;
} calls[] = {
	{ "openat2", SYS_openat2, ENOSYS },
	{ "kcmp", SYS_kcmp, EPERM },
};

int main(int argc, char **argv)
{
#ifdef THIS_ARCH
	size_t i;

	for (i = 0; argc >= 3 && i < sizeof(calls) / sizeof(calls[0]); i++)
		if (strcmp(argv[1], calls[i].name) == 0)
			break;
	if (argc < 3 || i == sizeof(calls) / sizeof(calls[0])) {
		fprintf(stderr, "usage: refuse openat2|kcmp COMMAND [ARG]...\n");
		return 2;
	}
	struct sock_filter filter[] = {
		/* another architecture's calls (x32, i386 on x86_64): let them be */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, THIS_ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, calls[i].nr, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (calls[i].err & SECCOMP_RET_DATA)),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(filter) / sizeof(filter[0]), .filter = filter };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0) {
		fprintf(stderr, "refuse: seccomp: %s\n", strerror(errno));
		return 77;
	}
	execvp(argv[2], argv + 2);
	fprintf(stderr, "refuse: %s: %s\n", argv[2], strerror(errno));
	return 127;
#else
	(void)argc;
	(void)argv;
	fprintf(stderr, "refuse: no seccomp filter for this architecture\n");
	return 77;
#endif
}

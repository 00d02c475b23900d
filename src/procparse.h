/*
 * Parsers of the /proc texts that the process scan, the facts, the
 * limits and the namespace and privilege checks read: stat, maps lines,
 * fd link texts, status fields, the mqueue mount in mountinfo, cmdline
 * and /proc/sys numbers.  Pure functions of their input (no I/O), so each
 * is unit-tested and fuzzed alone (tests/fuzz-stat.c, fuzz-maps.c,
 * fuzz-fdlink.c, fuzz-status.c, fuzz-mountinfo.c, fuzz-cmdline.c,
 * fuzz-sysctl.c).  The procscan_ names are the scan's own parsers.
 */
#ifndef IPCINSPECT_PROCPARSE_H
#define IPCINSPECT_PROCPARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Parses /proc/PID/stat text: state, comm (raw, cut to 15 bytes), flags,
 * num_threads.  comm may hold spaces and parentheses: the fields are read
 * after the LAST ')'.  Returns 0 or -EINVAL.
 */
int procscan_parse_stat(const char *text, char *ret_state, char ret_comm[16],
			unsigned long *ret_flags, long *ret_threads);

/*
 * The start time of /proc/PID/stat text: field 22, clock ticks after
 * boot, read after the LAST ')' as procscan_parse_stat() reads.  Returns
 * 0 or -EINVAL.
 */
int procparse_stat_start(const char *text, unsigned long long *ret_ticks);

/*
 * Parses one /proc/PID/maps line.  Returns the shmid (>= 0) for a SysV
 * segment mapping ("/SYSV%08x", doc/kernel-facts.md, "Segment mappings"), -1
 * for any other line.
 */
int procscan_parse_maps_line(const char *line);

/*
 * Parses one /proc/PID/maps line naming a file under /dev/shm: its dev
 * ("MAJ:MIN" in hex, as makedev gives st_dev) and inode.  Returns 0, or
 * -1 for any other line.
 */
int procscan_parse_maps_file(const char *line, uint64_t *ret_dev, uint64_t *ret_ino);

/*
 * The file of one /proc/PID/maps line: its dev ("MAJ:MIN" in hex, as
 * makedev gives st_dev) and inode (not 0).  Returns 0, or -1 for a line
 * that maps no file.
 */
int procparse_maps_key(const char *line, uint64_t *ret_dev, uint64_t *ret_ino);

/* The inode of "pipe:[N]" link text, or 0 when it is not a pipe. */
uint64_t procscan_parse_pipe_link(const char *link);

/* The inode of "socket:[N]" link text, or 0 when it is not a socket. */
uint64_t procscan_parse_socket_link(const char *link);

/*
 * The value of the line "NAME:" of /proc/PID/status text, after the colon
 * and its blanks (it ends at the next '\n'), or NULL when there is none.
 */
const char *procparse_status_field(const char *text, const char *name);

/*
 * The effective capability set ("CapEff:", up to 16 hex digits).  Returns
 * 0, -ENOENT without the line, or -EINVAL when its value is not hex.
 */
int procparse_status_capeff(const char *text, uint64_t *ret_caps);

/*
 * The last pid of "NSpid:" (the pid in the innermost PID namespace: 1
 * for an init), or 0 without the line or when a field is not a pid.
 */
int procparse_status_nspid(const char *text);

/*
 * The mount point of the mqueue file system in /proc/PID/mountinfo text
 * (the fifth field of a line whose type after " - " is mqueue, its octal
 * escapes decoded): /dev/mqueue where that is one (the last, on top),
 * else the first found; NULL when there is none.  Caller frees.
 */
char *procparse_mountinfo_mqueue(const char *text);

/* A proc mount's hidepid= (doc/kernel-facts.md, "Hidden processes"). */
enum {
	PROC_HIDEPID_OFF = 0,
	PROC_HIDEPID_NOACCESS = 1,	/* listed, not readable */
	PROC_HIDEPID_INVISIBLE = 2,	/* not listed */
	PROC_HIDEPID_PTRACEABLE = 4,	/* listed only when ptraceable; gid= does not count */
};

struct proc_mount_opts {
	unsigned hidepid;	/* PROC_HIDEPID_* */
	uint32_t gid;		/* gid= (of the initial user namespace); 0 when not shown */
	bool subset_pid;	/* subset=pid: hides no process */
};

/*
 * The super options (after " - proc SOURCE ") of the proc mount of
 * device MAJOR:MINOR in /proc/PID/mountinfo text: hidepid= as a word
 * (off, noaccess, invisible, ptraceable) or a number (0, 1, 2, 4: before
 * Linux 5.8), gid=, subset=pid.  Returns 0, -ENOENT when no proc line
 * has that device, -EINVAL when hidepid= or gid= holds what no kernel
 * writes (then *ret has the rest, and hidepid must be taken as set).
 */
int procparse_mountinfo_proc(const char *text, unsigned major, unsigned minor,
			     struct proc_mount_opts *ret);

/*
 * argv from the len bytes of /proc/PID/cmdline, split on NUL only (an
 * argument may hold a newline; a last one may lack its NUL, when a
 * process rewrote its argv).  A NULL-terminated array; caller frees it
 * and every string.
 */
char **procparse_cmdline(const char *text, size_t len);

/* A number in a /proc/sys file: unsigned, or negative (e.g. next_id -1). */
struct sysctl_value {
	bool negative;		/* then svalue holds it, else value */
	int64_t svalue;
	uint64_t value;
};

/*
 * Parses word number word (0: the first; kernel/sem has 4), or with word
 * -1 the only word, of a /proc/sys file's text.  Returns 0, -EINVAL or
 * -ERANGE; *ret is written only on success.
 */
int procparse_sysctl_word(const char *text, int word, struct sysctl_value *ret);

#endif

/*
 * Parsers of the /proc/PID texts the process scan and the namespace and
 * privilege checks read: stat, maps lines, fd link texts, status fields
 * and the mqueue mount in mountinfo.  Pure functions of their input (no
 * I/O), so each is unit-tested and fuzzed alone (tests/fuzz-stat.c,
 * fuzz-maps.c, fuzz-fdlink.c, fuzz-status.c, fuzz-mountinfo.c).  The
 * procscan_ names are the scan's own parsers.
 */
#ifndef IPCINSPECT_PROCPARSE_H
#define IPCINSPECT_PROCPARSE_H

#include <stdint.h>

/*
 * Parses /proc/PID/stat text: state, comm (raw, cut to 15 bytes), flags,
 * num_threads.  comm may hold spaces and parentheses: the fields are read
 * after the LAST ')'.  Returns 0 or -EINVAL.
 */
int procscan_parse_stat(const char *text, char *ret_state, char ret_comm[16],
			unsigned long *ret_flags, long *ret_threads);

/*
 * Parses one /proc/PID/maps line.  Returns the shmid (>= 0) for a SysV
 * segment mapping ("/SYSV%08x", KERNEL-NOTES 3.1), -1 for any other line.
 */
int procscan_parse_maps_line(const char *line);

/*
 * Parses one /proc/PID/maps line naming a file under /dev/shm: its dev
 * ("MAJ:MIN" in hex, as makedev gives st_dev) and inode.  Returns 0, or
 * -1 for any other line.
 */
int procscan_parse_maps_file(const char *line, uint64_t *ret_dev, uint64_t *ret_ino);

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

#endif

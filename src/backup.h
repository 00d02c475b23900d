/*
 * Backups (part of the act phase): before act.c removes a SysV object it
 * can save it here, one entry per object, in the format of
 * doc/backup-format.md: manifest.json (what the listing shows, plus the
 * ids, mode and sizes restore needs), data (a segment's bytes, a queue's
 * messages) and SHA256SUMS.  An entry is written under a temporary name,
 * fsync'ed, and renamed into place, so an entry with its final name is
 * complete.  restore.c reads them back.
 */
#ifndef IPCINSPECT_BACKUP_H
#define IPCINSPECT_BACKUP_H

#include <stddef.h>
#include <stdint.h>

#include "backupfmt.h"
#include "column.h"
#include "kind.h"
#include "snapshot.h"

/* The directory backups go to, opened once. */
struct backup_dir {
	int fd;
	char *path;		/* as given, without trailing slashes or "/." */
};

/*
 * Opens arg for backups (as path_dir_normal() leaves it), refusing a
 * symbolic link, anything but a
 * directory, a directory not owned by the effective uid, and one that
 * group or others may write (backups can hold secrets).  Returns 0, or
 * -errno with *ret_why (caller frees) saying what is wrong.
 */
int backup_dir_open(const char *arg, struct backup_dir *ret, char **ret_why);
void backup_dir_close(struct backup_dir *d);

/*
 * Saves obj (of ko, shm, msg or sem) as judged in s into a new entry of
 * d: the content is read now (a segment attached read-only and detached,
 * a queue's messages copied with MSG_COPY, a set's values).  Returns 0
 * with *ret_entry (the entry's path, caller frees), or -errno with
 * *ret_why; nothing is left in d on failure.
 */
int backup_save(const struct backup_dir *d, const struct snapshot *s, const struct kind_objs *ko,
		const void *obj, const struct render_opts *ro, char **ret_entry, char **ret_why);

/* Lower-case hex SHA-256 of n bytes: out holds 65 bytes. */
void backup_sha256_hex(const void *data, size_t n, char out[65]);

/* The same of the file fd, read in pieces from offset 0 (pread), and its size; -errno. */
int backup_sha256_fd(int fd, uint64_t *ret_size, char ret_hex[65]);

#endif

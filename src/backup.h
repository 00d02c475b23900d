/*
 * Backups (part of the act phase): before act.c removes a SysV object it
 * can save it here, one entry per object, in the format of
 * doc/backup-format.md: manifest.json (what the listing shows, plus the
 * ids, mode and sizes restore needs), data (a segment's bytes, a queue's
 * messages) and SHA256SUMS.  An entry is written under a temporary name,
 * fsync'ed, and renamed into place, so an entry with its final name is
 * complete.  restore-read.c reads them back.
 */
#ifndef IPCINSPECT_BACKUP_H
#define IPCINSPECT_BACKUP_H

#include <stdbool.h>
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
 * Saves obj (of ko, a kind with a backup hook) as judged in s into a new
 * entry of d: the content is read now by the kind (a segment attached
 * read-only and detached, a queue's messages copied with MSG_COPY, a
 * set's values).  Returns 0 with *ret_entry (the entry's path, caller
 * frees); 1 with *ret_entry and *ret_why when the kind saw obj used
 * while it held the content (release() said how): the entry is written,
 * the object must stay; or -errno with *ret_why, and nothing is left in
 * d.
 */
int backup_save(const struct backup_dir *d, const struct snapshot *s, const struct kind_objs *ko,
		const void *obj, const struct render_opts *ro, char **ret_entry, char **ret_why);

struct jw;
struct restore_entry;

/* The content of one object as read for its backup entry. */
struct backup_content {
	const void *data;	/* the bytes of the data file (has_data) */
	size_t bytes;
	void *priv;		/* the kind's own, for its hooks; freed by release() */
	char *used;		/* set by release(): how obj was used while held, or NULL */
};

/*
 * A kind that can be backed up and restored (struct ipc_kind's backup):
 * the kind reads and writes its own part of an entry, and makes the
 * object again; backup.c and restore*.c do the rest.
 */
struct kind_backup {
	bool has_data;		/* its entries have a data file */
	bool force_uncopyable;	/* read() -ENOSYS: rm --force removes it without a backup */
	/*
	 * Reads obj's content now into *ret (zeroed before); 0, or -errno
	 * with *ret_why (caller frees).  release() is called after, either
	 * way; when it can tell that something else used obj while the
	 * content was held (a segment attached or detached meanwhile), it
	 * says how in c->used (backup_save's caller frees).
	 */
	int (*read)(const void *obj, struct backup_content *ret, char **ret_why);
	void (*release)(struct backup_content *c);
	/* the kind's members of the manifest's "ipc" and "content" objects */
	void (*write_ipc)(struct jw *w, const void *obj, const struct backup_content *c);
	void (*write_content)(struct jw *w, const struct backup_content *c);

	/* restore: the id holding key now, or -1 */
	int (*key_holder)(uint32_t key);
	/* IPC_RMID of id: 0 or -errno */
	int (*remove_id)(int id);
	/* the owner of id now and what shows it in use now (NULL: nothing); -errno */
	int (*live_use)(int id, unsigned *ret_uid, char **ret_use);
	/*
	 * Makes the verified entry e with flags (IPC_CREAT...): *ret_id as
	 * soon as it exists, then filled and given its owner and mode.  0,
	 * or -errno with *ret_why (caller frees); *ret_id stays untouched
	 * when the object could not be made at all.
	 */
	int (*create)(const struct restore_entry *e, int flags, int *ret_id, char **ret_why);
};

/*
 * For the SysV kinds' write_ipc hooks: the members every SysV entry has
 * (id, key, mode, uid, gid, cuid, cgid, ctime).
 */
struct ipc_common;
void backup_write_ipc_common(struct jw *w, const struct ipc_common *ic);

/* The kind of the registry named name that has a backup hook, or NULL. */
const struct ipc_kind *backup_kind(const char *name);

/* Lower-case hex SHA-256 of n bytes: out holds 65 bytes. */
void backup_sha256_hex(const void *data, size_t n, char out[65]);

/* The same of the file fd, read in pieces from offset 0 (pread), and its size; -errno. */
int backup_sha256_fd(int fd, uint64_t *ret_size, char ret_hex[65]);

#endif

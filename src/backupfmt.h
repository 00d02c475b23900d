/*
 * The backup format (doc/backup-format.md), as text: the one reader of
 * manifest.json and SHA256SUMS, and the writer of SHA256SUMS.  Pure
 * functions over buffers, no I/O, no kernel: restore-read.c reads the
 * files and checks the checksums, backup.c writes them, and the fuzz targets
 * (tests/fuzz-manifest.c, tests/fuzz-sha256sums.c) link this module alone
 * (with jansson, strutils and xalloc).
 */
#ifndef IPCINSPECT_BACKUPFMT_H
#define IPCINSPECT_BACKUPFMT_H

#include <stddef.h>
#include <stdint.h>

#define BACKUP_FORMAT "ipcinspect-backup"
#define BACKUP_VERSION 1

/* The largest manifest.json and SHA256SUMS a reader accepts. */
#define BACKUPFMT_MANIFEST_MAX (64 << 20)
#define BACKUPFMT_SUMS_MAX 4096

enum backupfmt_kind { BACKUPFMT_SHM, BACKUPFMT_MSG, BACKUPFMT_SEM };

/* What a manifest says, checked against itself (not against the data). */
struct backupfmt_manifest {
	enum backupfmt_kind kind;
	uint32_t key, uid, gid;
	int old_id;
	unsigned mode;		/* the permission bits, <= 0777 */
	uint64_t size;		/* shm: equals data_bytes */
	uint64_t qbytes;	/* msg */
	long *types;		/* msg: nmsgs of each (owned) */
	size_t *sizes;
	size_t nmsgs;
	unsigned short *values;	/* sem: nvalues (owned) */
	size_t nvalues;
	uint64_t data_bytes;	/* shm, msg: the size of the data file */
	char data_sha[65];	/* shm, msg: its SHA-256, lower-case hex */
};

/*
 * Parses len bytes of manifest.json (no NUL needed; a NUL inside is an
 * error) into *ret.  Returns 0, or -EBADMSG with *ret_why (caller frees)
 * saying what is wrong in one line; *ret then holds nothing to free.
 */
int backupfmt_parse_manifest(const char *text, size_t len, struct backupfmt_manifest *ret,
			     char **ret_why);
void backupfmt_manifest_free(struct backupfmt_manifest *m);

/* "shm", "msg", "sem". */
const char *backupfmt_kind_name(enum backupfmt_kind kind);

/* The lines of SHA256SUMS: the hash of manifest.json, and of data if listed. */
struct backupfmt_sums {
	char manifest_sha[65];
	char data_sha[65];	/* "" when data is not listed */
};

/*
 * Parses len bytes of SHA256SUMS: lines "HEX  NAME\n" (64 lower-case hex
 * digits, two spaces, a name), NAME manifest.json or data, each at most
 * once, manifest.json listed.  Returns 0, or -EBADMSG with *ret_why
 * (caller frees).
 */
int backupfmt_parse_sums(const char *text, size_t len, struct backupfmt_sums *ret,
			 char **ret_why);

/* The text of SHA256SUMS for these hashes (data_sha NULL: no data); caller frees. */
char *backupfmt_sums_text(const char *manifest_sha, const char *data_sha);

#endif

/*
 * --help, in util-linux's style (Documentation/boilerplate.c), and the
 * kind lists the command line's messages name.  Whatever --help says of
 * the kinds (their --type words, what they are, their columns) comes from
 * the registry, ipc_kinds[]: a new kind shows up here, and in the bash
 * completion that reads --help, without an edit.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attrib.h"
#include "cli.h"

unsigned cli_kinds_where(bool (*pick)(const struct ipc_kind *kind))
{
	unsigned mask = 0;
	size_t i;

	for (i = 0; i < KIND_COUNT; i++)
		if (pick(ipc_kinds[i]))
			mask |= 1u << i;
	return mask;
}

bool cli_kind_is_sysv(const struct ipc_kind *kind)
{
	return kind->sysv;
}

bool cli_kind_is_scanned(const struct ipc_kind *kind)
{
	return kind->needs_scan;
}

const char *cli_kind_names(char *buf, size_t size, unsigned mask, const char *sep,
			   const char *last)
{
	size_t i, len = 0;
	unsigned left = mask;

	buf[0] = '\0';
	for (i = 0; i < KIND_COUNT && len < size; i++) {
		if (!(mask & (1u << i)))
			continue;
		left &= ~(1u << i);
		len += (size_t)snprintf(buf + len, size - len, "%s%s", ipc_kinds[i]->name,
					!left ? "" : (left & (left - 1)) ? sep : last);
	}
	return buf;
}

/* The facts of a kind the command line acts on, as --help's Kinds list
 * says them in brackets (the completion reads them there). */
static void print_kind(FILE *out, const struct ipc_kind *kind)
{
	static const char *const clean_words[] = {
		[KIND_CLEAN_NEVER] = "clean: never",
		[KIND_CLEAN_ALWAYS] = "clean",
		[KIND_CLEAN_NAMED] = "clean: when named",
		[KIND_CLEAN_FIFO_DIR] = "clean: under --fifo-dir",
		[KIND_CLEAN_SOCKET_DIR] = "clean: under --socket-dir",
	};

	fprintf(out, " %-6s %s [%s%s%s%s]\n", kind->name, kind->title, kind->sysv ? "sysv; " : "",
		kind->needs_scan ? "scan; " : "", clean_words[kind->clean],
		kind->never_orphan ? "; orphans: when named" : "");
}

static void print_columns(FILE *out, const struct ipc_kind *kind)
{
	size_t i;

	fprintf(out, "\nColumns for %s (JSON key in brackets):\n", kind->name);
	for (i = 0; i < kind->ncolumns; i++)
		fprintf(out, " %12s  %s [%s]\n", kind->columns[i].name,
			kind->columns[i].help, kind->columns[i].json);
	for (i = 0; kind != &limits_kind && i < ATTRIB_NCOLUMNS; i++)
		fprintf(out, " %12s  %s [%s]\n", attrib_columns[i].name, attrib_columns[i].help,
			attrib_columns[i].json);
}

/* --help from the description to the heading of the Kinds list. */
static const char help_text[] =
	"\n"
	"Show the IPC objects of this IPC namespace, who holds them, and the kernel\n"
	"limits.\n"
	"\n"
	"Commands:\n"
	" list               the IPC objects of the kinds below and the processes that\n"
	"                      hold them (the default)\n"
	" limits             kernel IPC limits against current usage\n"
	" orphans            the objects judged orphan or suspect, with the evidence\n"
	" clean              remove orphans (a dry run unless --yes)\n"
	" rm                 remove the objects named, like ipcrm, checking all first\n"
	" restore            recreate objects saved by --backup (a dry run unless\n"
	"                      --yes); <path> is an entry or a directory of entries\n"
	"\n"
	"Options:\n"
	" -t, --type <list>  kinds to list, comma separated (the words under Kinds\n"
	"                      below; default: all)\n"
	" -J, --json         print one JSON document (see ipcinspect(1) for the schema)\n"
	" -o, --output <list>\n"
	"                    columns to show, comma separated; +<list> adds to\n"
	"                      the defaults\n"
	"     --raw          raw table: no alignment, blanks escaped\n"
	" -n, --noheadings   no section titles or column headers\n"
	" -b, --bytes        sizes in bytes, not in human units\n"
	" -i, --id <id>      only the objects with this id\n"
	"     --key <key>    only the objects with this key (0x1a2b or decimal)\n"
	" -u, --user <user>  only the objects owned by this user (name or uid)\n"
	" -p, --pid <pid>    only the objects this process holds, created or last used\n"
	"     --removeipc    only the objects systemd-logind's RemoveIPC= would remove\n"
	"                      while in use or holding data (see REMOVEIPC in the manual)\n"
	"     --no-owners    skip the process scan: no holders, and no kind marked\n"
	"                      scan under Kinds\n"
	"     --fifo-dir <dir>  also look for FIFO files in <dir> (not recursive;\n"
	"                      <dir> itself and its entries are never symlinks\n"
	"                      followed); repeatable\n"
	"     --socket-dir <dir>  also look for socket files in <dir> that no socket\n"
	"                      is bound to (as --fifo-dir); repeatable\n"
	"     --namespace <pid>  inspect (clean, rm: act on) the IPC namespace of\n"
	"                      process <pid> (root)\n"
	"     --container <id|name>  as --namespace, the IPC namespace of the\n"
	"                      container whose id starts with <id> (4 hex digits or\n"
	"                      more) or whose name or systemd unit is <name>\n"
	"     --all-namespaces  also every other IPC namespace in use, each as a\n"
	"                      section of its own (root)\n"
	"     --no-outside-holders  in a child PID namespace (a container): no\n"
	"                      process outside it holds these objects, so \"nobody\n"
	"                      holds it\" may be said (without it, such verdicts\n"
	"                      are unknown)\n"
	"\n"
	"Options for orphans, clean, rm and restore:\n"
	"     --check        orphans: exit 3 when an orphan exists\n"
	" -y, --yes          clean, restore: act; without it, a dry run\n"
	"     --min-age <time>  clean: only objects idle (POSIX shm and semaphores,\n"
	"                      FIFOs: unchanged) this long (default 10m; 90s, 10m,\n"
	"                      2h, 1d, 1h30m, or 0)\n"
	"     --suspects     clean: remove suspects too (never by default)\n"
	"     --include-root clean: also objects owned by root or system users\n"
	"     --even-if-owner-runs  clean --suspects: also suspects whose owner\n"
	"                      (not root) runs processes that could use them\n"
	" -f, --force        rm: remove objects in use (or maybe in use) too;\n"
	"                      restore --replace: also an object not proven unused\n"
	"     --no-syslog    clean, rm, restore: do not log to syslog\n"
	"     --backup <dir> clean, rm: save each object into <dir> before removing\n"
	"                      it; one that cannot be saved is not removed\n"
	"     --same-id      restore: also the old id (root; kernel.*_next_id)\n"
	"     --replace      restore: remove the object that holds the key now, if\n"
	"                      it is proven unused (or with --force)\n"
	" -m, --shmem-id <id>, -M, --shmem-key <key>\n"
	" -q, --queue-id <id>, -Q, --queue-key <key>\n"
	" -s, --semaphore-id <id>, -S, --semaphore-key <key>\n"
	"                    rm: the object to remove; repeatable\n"
	"\n"
	" -h, --help         display this help\n"
	" -V, --version      display version\n"
	"\n"
	"Kinds (the words of --type; sysv: System V, which --id, --key, --user and rm\n"
	"select; scan: found by the process scan; what clean takes of each, and\n"
	"whether orphans shows it without --type naming it):\n";

void cli_help(void)
{
	FILE *out = stdout;
	char sysv[128];
	size_t i;

	cli_kind_names(sysv, sizeof(sysv), cli_kinds_where(cli_kind_is_sysv), "|", "|");
	fprintf(out, "Usage:\n"
	      " ipcinspect [list] [options]\n"
	      " ipcinspect limits [options]\n"
	      " ipcinspect orphans [options]\n"
	      " ipcinspect clean [--yes] [options]\n"
	      " ipcinspect rm [options] -m|-M|-q|-Q|-s|-S <id|key>... | %s <id>...\n"
	      " ipcinspect restore [--yes] [--same-id] [--replace [--force]] <path>...\n", sysv);
	fputs(help_text, out);
	for (i = 0; i < KIND_COUNT; i++)
		print_kind(out, ipc_kinds[i]);
	for (i = 0; i < KIND_COUNT; i++)
		print_columns(out, ipc_kinds[i]);
	print_columns(out, &limits_kind);
	fputs("\nExit status:\n"
	      " 0  success (or nothing to do)\n"
	      " 1  the data could not be read, the output could not be written, or\n"
	      "    a removal failed (rm: an argument failed its check, or an object\n"
	      "    named was left in place because it changed; restore: a backup was\n"
	      "    refused, or an object was not recreated)\n"
	      " 2  bad command line\n"
	      " 3  orphans --check: orphans exist\n"
	      "\nFor more details see ipcinspect(1).\n", out);
	exit(EXIT_OK);
}

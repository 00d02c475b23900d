/*
 * --help, in util-linux's style (Documentation/boilerplate.c), and the
 * kind lists the command line's messages name.  Whatever --help says of
 * the kinds (their --type words and what they are) comes from the
 * registry, ipc_kinds[]: a new kind shows up here, and in the bash
 * completion that reads --help, without an edit.  The columns are -H's
 * (render-columns.c), not --help's: a page, not 260 lines.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

const char *cli_join_names(char *buf, size_t size, const struct ipc_kind *const *kinds, size_t n,
			   unsigned mask, const char *sep, const char *last)
{
	size_t i, len = 0;
	unsigned left = mask;

	buf[0] = '\0';
	for (i = 0; i < n && len < size; i++) {
		if (!(mask & (1u << i)))
			continue;
		left &= ~(1u << i);
		len += (size_t)snprintf(buf + len, size - len, "%s%s", kinds[i]->name,
					!left ? "" : (left & (left - 1)) ? sep : last);
	}
	return buf;
}

const char *cli_kind_names(char *buf, size_t size, unsigned mask, const char *sep,
			   const char *last)
{
	return cli_join_names(buf, size, ipc_kinds, KIND_COUNT, mask, sep, last);
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

/* --help from the description to the heading of the Kinds list. */
static const char help_text[] =
	"\n"
	"Show the IPC objects of this IPC namespace, who holds them, and the kernel\n"
	"limits.\n"
	"\n"
	"Commands:\n"
	" list               the objects of the kinds below and their holders (default)\n"
	" limits             kernel IPC limits against current usage\n"
	" orphans            the objects judged orphan or suspect, with the evidence\n"
	" clean              remove orphans (a dry run unless --yes)\n"
	" rm                 remove the objects named, like ipcrm, checking all first\n"
	" restore            recreate objects saved by --backup (dry run unless --yes)\n"
	" metrics            counts, limits and the scan in Prometheus's text format\n"
	" watch              one line per change of the objects, until stopped\n"
	"\n"
	"Options:\n"
	" -t, --type <list>  kinds to list, comma separated (see Kinds; default: all)\n"
	" -J, --json         print one JSON document (see ipcinspect-json(5))\n"
	" -o, --output <list>  columns, comma separated; +<list> adds (see -H)\n"
	" -H, --list-columns the columns of the kinds (of --type), with -J as JSON\n"
	" -r, --raw          raw tables: no titles, no alignment, blanks escaped; a\n"
	"                      KIND column first, a blank line between kinds\n"
	" -P, --pairs, -e, --export  NAME=\"value\" pairs, a KIND pair first\n"
	" -y, --shell        with --pairs: names fit for shell variables (clean and\n"
	"                      restore: -y is --yes)\n"
	"     --sort <column>  rows in the order of <column>, of every kind shown\n"
	"     --time-format short|full|iso  times in tables (JSON: epoch seconds)\n"
	" -n, --noheadings   no section titles or column headers\n"
	"     --notruncate   whole lists in the table, however wide the terminal\n"
	" -b, --bytes        sizes in bytes, not in human units\n"
	" -i, --id <id>      only the objects with this id\n"
	"     --key <key>    only the objects with this key (0x1a2b or decimal)\n"
	" -u, --user <user>  only the objects owned by this user (name or uid)\n"
	" -p, --pid <pid>    only the objects this process holds, created or last used\n"
	"     --removeipc    only what logind's RemoveIPC= would remove while in use\n"
	"     --no-owners    skip the process scan: no holders, no kind marked scan\n"
	"     --fifo-dir <dir>  also FIFO files in <dir> (no symlink); repeatable\n"
	"     --socket-dir <dir>  also unbound socket files in <dir>; repeatable\n"
	"     --namespace <pid>  the IPC namespace of process <pid> (root)\n"
	"     --container <id|name>  a container's (id prefix, name or unit) (root)\n"
	"     --all-namespaces  also every other IPC namespace in use (root)\n"
	"     --no-outside-holders  nobody outside our PID namespace holds any\n"
	"     --state <file>  a watcher's creators: kept by watch, shown once they exit\n"
	"\n"
	"Options for orphans, clean, rm, restore, metrics and watch:\n"
	"     --check        orphans: exit 3 when an orphan exists\n"
	" -y, --yes          clean, restore: act; without it, a dry run\n"
	"     --min-age <time>  clean: only objects idle (or unchanged) this long\n"
	"                      (default 10m; 90s, 10m, 2h, 1d, 1h30m, or 0)\n"
	"     --suspects     clean: remove suspects too (never by default)\n"
	"     --include-root clean: also objects owned by root or system users\n"
	"     --even-if-owner-runs  clean --suspects: even if the owner runs processes\n"
	" -f, --force        rm: remove objects in use (or maybe in use) too;\n"
	"                      restore --replace: also an object not proven unused\n"
	"     --no-syslog    clean, rm, restore: do not log to syslog\n"
	"     --textfile <dir>  metrics: write <dir>/ipcinspect.prom atomically\n"
	"     --interval <time>  watch: between two looks (default 1s; 500ms, 90s, 10m)\n"
	"     --backup <dir> clean, rm: save each object into <dir> before removing it\n"
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
	      " ipcinspect restore [--yes] [--same-id] [--replace [--force]] <path>...\n"
	      " ipcinspect metrics [--textfile <dir>] [--all-namespaces] [-t <list>]\n"
	      " ipcinspect watch [--interval <time>] [--json] [-t <list>]\n", sysv);
	fputs(help_text, out);
	for (i = 0; i < KIND_COUNT; i++)
		print_kind(out, ipc_kinds[i]);
	fputs("\nExit status:\n"
	      " 0  success (or nothing to do)\n"
	      " 1  data not read, output not written, or a removal failed (rm: an\n"
	      "    argument failed its check; restore: an object not recreated)\n"
	      " 2  bad command line, or a --pid, --fifo-dir or --socket-dir naming nothing\n"
	      " 3  orphans --check: orphans exist\n"
	      "\nFor more details see ipcinspect(1).\n", out);
	exit(EXIT_OK);
}

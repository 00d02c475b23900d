/*
 * The command line: one struct with everything the user asked for, filled
 * by cli_parse().  This layer may print and exit; nothing below it does.
 */
#ifndef IPCINSPECT_CLI_H
#define IPCINSPECT_CLI_H

#include <stdbool.h>

#include "column.h"
#include "kind.h"
#include "render.h"
#include "snapshot.h"

/* Exit statuses (documented in --help and the man page). */
#define EXIT_OK 0
#define EXIT_DATA 1	/* the data could not be read or written */
#define EXIT_USAGE 2	/* bad command line */

enum command { CMD_LIST, CMD_LIMITS };

struct options {
	enum command command;
	unsigned kinds;			/* bit (1 << enum kind_id) per kind to list */
	struct render_opts render;	/* json, raw, noheadings, bytes */
	bool no_owners;			/* --no-owners: no process scan */
	struct filter filter;
	struct colsel cols[KIND_COUNT];	/* table/JSON columns per kind */
	struct colsel limit_cols;
};

/* Parses argv into *ret; on a usage error prints one line and exits 2. */
void cli_parse(int argc, char **argv, struct options *ret);

#endif

/*
 * `ipcinspect metrics`: the snapshot in Prometheus's text exposition
 * format (ipcinspect(1), METRICS), on a stream or, for node_exporter's
 * textfile collector, into DIR/ipcinspect.prom, replaced atomically.
 */
#ifndef IPCINSPECT_METRICS_H
#define IPCINSPECT_METRICS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "snapshot.h"

/* What a run says of itself, beside the snapshot. */
struct metrics_run {
	bool up;		/* the collection succeeded: the snapshot is there */
	int64_t duration_ms;	/* the run's wall-clock time so far */
	int64_t timestamp_ms;	/* epoch milliseconds as the run ended */
	bool remembered;	/* --state: the remembered creators were attached */
};

/*
 * Writes the exposition of s (NULL when run->up is false: then only the
 * run's own series, ipcinspect_up 0 among them) to f.  Returns 0, or
 * -EIO when f has its error flag set afterwards.
 */
int metrics_write(FILE *f, const struct snapshot *s, const struct metrics_run *run);

/*
 * Writes the exposition into dir/ipcinspect.prom atomically: a temporary
 * file .ipcinspect.prom.XXXXXX in dir, written, synced and made 0644, is
 * renamed over it, and dir is synced.  On failure the temporary file is
 * removed and the old file, if any, stays.  Returns 0, or -errno with
 * *ret_step saying what failed ("cannot create a temporary file in it").
 */
int metrics_textfile(const char *dir, const struct snapshot *s, const struct metrics_run *run,
		     const char **ret_step);

/* A label value as the exposition format wants it, quotes included. */
void metrics_label_value(FILE *f, const char *s);

#endif

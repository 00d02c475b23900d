/*
 * measure: the benchmark's runner (tests/bench/run.sh).  It runs a list
 * of named entries round-robin, REPS rounds (each round starting one
 * entry later, so no entry always runs first), after one warm-up round
 * that is not counted, and prints one line per run and the median per
 * entry.  GNU time is not needed: wall time is CLOCK_MONOTONIC around
 * fork..wait4, CPU time is the child's user + system time and peak RSS
 * its ru_maxrss, both from wait4.  ru_maxrss includes the runner's own
 * RSS at the fork (Linux carries the old mm's high-water mark through
 * exec), about 1 MB: small RSS figures are inflated by that much.
 *
 *   usage: measure [-r REPS] [-w WARMUP] SPEC-FILE
 *
 * Each line of SPEC-FILE is NAME, a tab, then one or more commands
 * separated by " ; " (an entry of several commands is timed as one: the
 * walls and CPU times add up, the peak RSS is the largest).  Words are
 * split on blanks; there is no quoting.  Lines starting with '#' are
 * skipped.  Commands get /dev/null as stdin and stdout, keep stderr, and
 * inherit no other fd.  Output, tab separated (times in seconds, RSS in
 * KiB):
 *   run NAME ROUND WALL CPU RSS
 *   median NAME WALL CPU RSS WALL-MIN WALL-MAX
 * Exit status 1 (after the runs so far) when a command fails: a benchmark
 * of a failing command means nothing.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_ENTRIES 32
#define MAX_CMDS 8
#define MAX_WORDS 64

struct sample {
	double wall, cpu;
	long rss;
};

struct entry {
	char *name, *text;	/* text: the commands, which argv points into */
	char *argv[MAX_CMDS][MAX_WORDS + 1];	/* NULL-terminated, one per command */
	int ncmds;
	struct sample *runs;
};

static void __attribute__((noreturn)) fail(const char *what)
{
	fprintf(stderr, "measure: %s\n", what);
	exit(2);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double tv_seconds(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

/* Splits "cmd a b ; cmd2 c" (modified in place) into e's commands. */
static void parse_commands(struct entry *e, char *text)
{
	char *word, *save = NULL;
	int nwords = 0;

	e->ncmds = 1;
	for (word = strtok_r(text, " \t\n", &save); word; word = strtok_r(NULL, " \t\n", &save)) {
		if (strcmp(word, ";") == 0) {
			if (nwords == 0 || e->ncmds == MAX_CMDS)
				fail("bad spec: empty command, or too many commands");
			e->ncmds++;
			nwords = 0;
			continue;
		}
		if (nwords == MAX_WORDS)
			fail("bad spec: too many words");
		e->argv[e->ncmds - 1][nwords++] = word;
		e->argv[e->ncmds - 1][nwords] = NULL;
	}
	if (nwords == 0)
		fail("bad spec: empty command");
}

static int read_spec(const char *path, struct entry *entries)
{
	char line[8192], *tab;
	int n = 0;
	FILE *f = fopen(path, "re");

	if (!f)
		fail("cannot open the spec file");
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		tab = strchr(line, '\t');
		if (!tab || n == MAX_ENTRIES)
			fail("bad spec: a line without a tab, or too many entries");
		*tab = '\0';
		entries[n].name = strdup(line);
		entries[n].text = strdup(tab + 1);
		if (!entries[n].name || !entries[n].text)
			fail("out of memory");
		parse_commands(&entries[n], entries[n].text);
		n++;
	}
	fclose(f);
	return n;
}

static void __attribute__((noreturn)) exec_child(char **argv)
{
	int null = open("/dev/null", O_RDWR);

	if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0)
		_exit(127);
	close_range(3, ~0U, 0);
	execvp(argv[0], argv);
	fprintf(stderr, "measure: cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* Runs one command; returns 0, or -1 if it did not exit with status 0. */
static int run_one(char **argv, struct sample *s)
{
	struct rusage ru;
	double start = now();
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		fail("fork failed");
	if (pid == 0)
		exec_child(argv);
	while (wait4(pid, &status, 0, &ru) < 0)
		if (errno != EINTR)
			fail("wait4 failed");
	s->wall = now() - start;
	s->cpu = tv_seconds(ru.ru_utime) + tv_seconds(ru.ru_stime);
	s->rss = ru.ru_maxrss;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "measure: %s: %s %d\n", argv[0],
			WIFEXITED(status) ? "exit status" : "killed by signal",
			WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
		return -1;
	}
	return 0;
}

/* Runs every command of e once, as one sample. */
static int run_entry(const struct entry *e, struct sample *ret)
{
	struct sample total = { 0 }, s;
	int i;

	for (i = 0; i < e->ncmds; i++) {
		if (run_one((char **)e->argv[i], &s) < 0)
			return -1;
		total.wall += s.wall;
		total.cpu += s.cpu;
		if (s.rss > total.rss)
			total.rss = s.rss;
	}
	*ret = total;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median of n values (sorted in place): the mean of the middle two when n is even. */
static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void print_median(const struct entry *e, int reps)
{
	double *wall = calloc((size_t)reps, sizeof(double) * 3), *cpu = wall + reps;
	double *rss = cpu + reps;
	int r;

	if (!wall)
		fail("out of memory");
	for (r = 0; r < reps; r++) {
		wall[r] = e->runs[r].wall;
		cpu[r] = e->runs[r].cpu;
		rss[r] = (double)e->runs[r].rss;
	}
	printf("median\t%s\t%.6f\t%.6f\t%.0f", e->name, median(wall, reps), median(cpu, reps),
	       median(rss, reps));
	printf("\t%.6f\t%.6f\n", wall[0], wall[reps - 1]);	/* sorted by median() */
	free(wall);
}

/* Rounds of every entry, each round starting one entry later. */
static int run_rounds(struct entry *entries, int n, int warmup, int reps)
{
	struct sample s;
	int round, k;

	for (round = 0; round < warmup + reps; round++) {
		for (k = 0; k < n; k++) {
			struct entry *e = &entries[(round + k) % n];

			if (run_entry(e, &s) < 0)
				return -1;
			if (round < warmup)
				continue;
			e->runs[round - warmup] = s;
			printf("run\t%s\t%d\t%.6f\t%.6f\t%ld\n", e->name, round - warmup + 1, s.wall,
			       s.cpu, s.rss);
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct entry entries[MAX_ENTRIES] = { 0 };
	int opt, reps = 5, warmup = 1, n, i, r;

	while ((opt = getopt(argc, argv, "r:w:")) != -1) {
		if (opt == 'r')
			reps = atoi(optarg);
		else if (opt == 'w')
			warmup = atoi(optarg);
		else
			fail("usage: measure [-r REPS] [-w WARMUP] SPEC-FILE");
	}
	if (optind != argc - 1 || reps < 1 || reps > 1000 || warmup < 0)
		fail("usage: measure [-r REPS (1..1000)] [-w WARMUP] SPEC-FILE");
	n = read_spec(argv[optind], entries);
	if (n == 0)
		fail("the spec file names no entry");
	for (i = 0; i < n; i++)
		if (!(entries[i].runs = calloc((size_t)reps, sizeof(struct sample))))
			fail("out of memory");
	r = run_rounds(entries, n, warmup, reps);
	for (i = 0; r == 0 && i < n; i++)
		print_median(&entries[i], reps);
	for (i = 0; i < n; i++) {
		free(entries[i].name);
		free(entries[i].text);
		free(entries[i].runs);
	}
	return r == 0 ? 0 : 1;
}

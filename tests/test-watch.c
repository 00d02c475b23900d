/*
 * Unit tests of watch's pure parts (watch.h): the levels of a limit's
 * usage that its limit events cross, and the fingerprint of the
 * /proc/sysvipc tables, which must ignore a segment's rss and swap (they
 * change with mere use of its pages: no event, no process scan) and
 * nothing else.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "tap.h"
#include "watch.h"

#define SHM_HEAD "       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap\n"
#define SHM_LINE(nattch, rss, swap) \
	"         0          0   600                  4096     8     8      " nattch "     0     0     0     0 1796530637          0 1796530637                  " rss "                     " swap "\n"
/* a kernel before 4.12 (no rss, swap): every column counts */
#define OLD_HEAD "       key      shmid perms       size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime\n"

static uint64_t hash(const char *text)
{
	return watch_sysvipc_hash(0, text, strlen(text));
}

static void test_levels(void)
{
	is_int(watch_limit_level(5, 3), 0, "3 of 5: under 80 %%");
	is_int(watch_limit_level(5, 4), 1, "4 of 5: 80 %%");
	is_int(watch_limit_level(5, 5), 2, "5 of 5: 100 %%");
	is_int(watch_limit_level(5, 6), 2, "6 of 5: over 100 %%");
	is_int(watch_limit_level(10, 7), 0, "7 of 10: under 80 %%");
	is_int(watch_limit_level(10, 8), 1, "8 of 10: 80 %%");
	is_int(watch_limit_level(0, 0), 0, "a limit of 0: no level");
	is_int(watch_limit_level(UINT64_MAX, UINT64_MAX - 1), 1,
	       "near 2^64: 80 %% without overflow");
	is_int(watch_limit_level(UINT64_MAX, UINT64_MAX / 2), 0, "half of 2^64: under 80 %%");
}

static void test_tables(void)
{
	uint64_t base = hash(SHM_HEAD SHM_LINE("1", "4096", "0"));

	ok(hash(SHM_HEAD SHM_LINE("1", "8192", "0")) == base, "shm: rss changed, the same fingerprint");
	ok(hash(SHM_HEAD SHM_LINE("1", "4096", "4096")) == base,
	   "shm: swap changed, the same fingerprint");
	ok(hash(SHM_HEAD SHM_LINE("2", "4096", "0")) != base, "shm: nattch changed, another");
	ok(hash(SHM_HEAD SHM_LINE("1", "4096", "0") SHM_LINE("1", "4096", "0")) != base,
	   "shm: one more segment, another");
	ok(hash(SHM_HEAD) != base, "shm: no segment, another");
	ok(hash(SHM_HEAD SHM_LINE("1", "40960", "0")) == base,
	   "shm: rss one digit longer (its column shifted), the same");
	ok(hash(OLD_HEAD "         0          0   600       4096     8     8      1     0     0     0     0 1796530637          0 1796530637\n") !=
	   hash(OLD_HEAD "         0          0   600       4096     8     8      1     0     0     0     0 1796530637          0 1796530638\n"),
	   "a header without rss and swap: the last columns count");
	ok(hash("a b\n1 23\n") != hash("a b\n12 3\n"), "fields are not run together");
}

int main(void)
{
	test_levels();
	test_tables();
	return tap_done();
}

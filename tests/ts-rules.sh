#!/bin/bash
# contrib/prometheus/ipcinspect.rules.yml: promtool accepts the rules, and
# their unit tests (ipcinspect.rules.test.yml: each alert firing and not
# firing, exact labels and annotations) pass.  Nothing live: no namespace.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"	# bash, even where make runs /bin/sh
. "${TESTS_SRCDIR:?run the tests with make check}/lib.sh" || exit 99
command -v promtool >/dev/null || skip_all "promtool not installed (Debian: the prometheus package)"

R=${TOP_SRCDIR:?}/contrib/prometheus
said=$(promtool check rules "$R/ipcinspect.rules.yml" 2>&1)
ok $? "promtool check rules ipcinspect.rules.yml"
is "$(grep -o 'SUCCESS: [0-9]* rules found' <<<"$said")" "SUCCESS: 3 rules found" \
	"... three rules: IPCLimitNearlyReached, IPCOrphansOld, IPCInspectDown"
said=$(promtool test rules "$R/ipcinspect.rules.test.yml" 2>&1)
rc=$?
is "$rc" 0 "promtool test rules ipcinspect.rules.test.yml"
[ "$rc" -eq 0 ] || printf '%s\n' "$said" | sed 's/^/# /'
# the metric names the rules use are the ones ipcinspect writes
names=$(grep -o 'ipcinspect_[a-z_]*' "$R/ipcinspect.rules.yml" | sort -u)
missing=$(for n in $names; do grep -q "\"$n\"" "$TOP_SRCDIR/src/metrics.c" || echo "$n"; done)
is "$missing" "" "every series the rules read is one src/metrics.c writes"
done_testing

#!/bin/bash
# A real PostgreSQL (Debian's server package) in the test's private IPC +
# PID + mount + net namespace, with a private tmpfs on /dev/shm: the
# statistics workload of issue 13 (10,000 tables made and counted in one
# DO block each, autovacuum off) leaves PostgreSQL.N segments that no
# process maps between sessions.  No listing may call any of its objects
# suspect or orphan; `clean --yes --suspects --include-root --min-age 0
# --even-if-owner-runs` of every kind removes nothing of it, and `select 1`
# and a parallel query still work.  During a crash and restart cycle
# (a backend killed with SIGKILL), samples of the listing say the same.
# After SIGKILL of the postmaster and all its children, `orphans` lists
# exactly the leftovers (its SysV segment and its /dev/shm files), `clean`
# with -t shm,pshm and --suspects removes exactly them, and a restart is
# clean.  The server runs only here, as user postgres, on a Unix socket in
# the test's directory (no TCP), and is stopped at the end.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"	# bash, even where make runs /bin/sh
. "${TESTS_SRCDIR:?run the tests with make check}/lib.sh" || exit 99
ns_enter "$@"
ns_check_empty
command -v jq >/dev/null || skip_all "jq not installed"
command -v runuser >/dev/null || skip_all "runuser not installed"
[ -z "${IPCI_USERNS:-}" ] || skip_all "needs the real user postgres: not in a user namespace"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$PGBIN" ] && [ -x "$PGBIN/postgres" ] && [ -x "$PGBIN/initdb" ] && [ -x "$PGBIN/psql" ] ||
	skip_all "PostgreSQL server not installed (Debian: postgresql)"
id postgres >/dev/null 2>&1 || skip_all "no user postgres"
[ "$(ls -A /dev/shm)" = "" ] || bail "/dev/shm is not our empty tmpfs"

export LC_ALL=C TZ=UTC
T=$(mktemp -d)
chmod 755 "$T"
DATA=$T/data SOCK=$T/sock
mkdir "$SOCK" && chown postgres: "$T" "$SOCK" || bail "cannot give $T to postgres"
PGUID=$(id -u postgres)

pg_pids() {	# the postmaster and every process of user postgres here
	local p
	for p in /proc/[0-9]*; do
		[ "$(stat -c %u "$p" 2>/dev/null)" = "$PGUID" ] && echo "${p#/proc/}"
	done
}
stop_all() {
	timeout 20 runuser -u postgres -- "$PGBIN/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null 2>&1
	local p
	for p in $(pg_pids); do kill -9 "$p" 2>/dev/null; done
}
trap 'stop_all; rm -rf "$T"' EXIT
close_inherited_fds

pg_start() {
	timeout 60 runuser -u postgres -- "$PGBIN/pg_ctl" -D "$DATA" -l "$T/log" -w -t 50 \
		-o "-k $SOCK -c listen_addresses= -c autovacuum=off -c fsync=off -c synchronous_commit=off -c max_worker_processes=8 -c max_parallel_workers=4 -c restart_after_crash=on" \
		start >"$T/pg_ctl.out" 2>&1
}
psq() {	# psq SQL...: one psql session, output unaligned, tuples only
	timeout 120 runuser -u postgres -- "$PGBIN/psql" -X -h "$SOCK" -d postgres -Atq -v ON_ERROR_STOP=1 "$@" 2>&1
}
PARALLEL="set force_parallel_mode = on; set parallel_setup_cost = 0; set parallel_tuple_cost = 0; set min_parallel_table_scan_size = 0; set max_parallel_workers_per_gather = 2;"
parallel_query() {	# the plan's "Workers Launched" line, and the count
	psq -c "$PARALLEL explain (analyze, costs off, timing off, summary off) select count(*) from t1" \
		-c "$PARALLEL select count(*) from t1" | grep -E '^ *Workers Launched|^[0-9]+$' | sed 's/^ *//' | paste -sd'|'
}
# the objects some listing calls suspect or orphan, of every kind
bad_verdicts() {
	jq -c '[to_entries[] | select(.value | type == "array") | .key as $k | .value[]
		| select(type == "object" and (.verdict == "suspect" or .verdict == "orphan"))
		| [$k, (.name // .path // .id), .verdict]]' "$T/out"
}
shm_names() { (cd /dev/shm && ls | sort | paste -sd' '); }
sysv_shm_ids() { awk 'NR > 1 { print $2 }' /proc/sysvipc/shm | sort -n | paste -sd' '; }

# ---- a running server, the statistics workload -------------------------------
timeout 120 runuser -u postgres -- "$PGBIN/initdb" -D "$DATA" -A trust --no-sync -U postgres \
	>"$T/initdb.log" 2>&1 || { cat "$T/initdb.log"; bail "initdb failed"; }
pg_start || { cat "$T/pg_ctl.out" "$T/log"; bail "the server did not start"; }
is "$(psq -c 'select 1')" 1 "PostgreSQL runs here: select 1"
is "$(psq -c 'DO $$ BEGIN FOR i IN 1..10000 LOOP EXECUTE format($f$CREATE TABLE t%s (a int)$f$, i); END LOOP; END $$;' \
	-c 'DO $$ DECLARE n bigint; BEGIN FOR i IN 1..10000 LOOP EXECUTE format($f$SELECT count(*) FROM t%s$f$, i) INTO n; END LOOP; END $$;' \
	-c "select count(*) from pg_class where relname ~ '^t[0-9]+\$'")" 10000 \
	"the workload: 10,000 tables made and counted, each in one DO block"
sleep 2
ipci --json
is "$rc" 0 "list after the workload: exit 0"
is "$(bad_verdicts)" "[]" "no object of the running server is suspect or orphan"
unmapped=$(jq -r '[.pshm[] | select(.name | startswith("PostgreSQL.")) | select(.holders == []) | .name] | join(" ")' "$T/out")
ok "$([ -n "$unmapped" ]; echo $?)" "between sessions nobody maps some statistics segments: $unmapped"
for n in $unmapped; do
	is "$(jq -r --arg n "$n" '.pshm[] | select(.name == $n) | [.verdict, (.reasons[-1] | test("^a sibling \\(PostgreSQL\\.[0-9]+, mapped by postgres\\[[0-9]+\\]\\) is in use$"))] | @tsv' "$T/out")" \
		"unknown	true" "$n: unknown, a sibling in use"
done
is "$(parallel_query)" "Workers Launched: 2|0" "a parallel query runs with 2 workers"

# ---- clean of every kind removes nothing ---------------------------------------
before="$(shm_names)|$(sysv_shm_ids)"
for k in shm msg sem pshm psem pmq fifo unix; do
	ipci clean --json --yes --suspects --include-root --min-age 0 --even-if-owner-runs --no-syslog \
		-t "$k" --fifo-dir "$SOCK" --socket-dir "$SOCK" --fifo-dir "$DATA" --socket-dir "$DATA"
	is "$rc|$(jq -c '[.summary.removed, .summary.marked, .summary.failed]' "$T/out")" "0|[0,0,0]" \
		"clean --yes --suspects --include-root --min-age 0 --even-if-owner-runs -t $k: nothing removed"
done
for id in $(sysv_shm_ids); do
	ipci rm -m "$id" --no-syslog
	is "$rc|$(grep -c "rm shared memory segment $id: in-use" "$T/err")" "1|1" "rm -m $id without --force: refused, the segment is in use"
done
is "$(shm_names)|$(sysv_shm_ids)" "$before" "/dev/shm and the SysV segments unchanged: $before"
is "$(psq -c 'select 1')" 1 "after the cleans: select 1"
is "$(parallel_query)" "Workers Launched: 2|0" "after the cleans: a parallel query with 2 workers"
ok "$(! grep -q 'could not open shared memory segment' "$T/log"; echo $?)" "no 'could not open shared memory segment' in the server's log"

# ---- a crash and restart cycle, sampled -----------------------------------------
psq -c 'select pg_sleep(60)' >/dev/null &
sleeper=$!
for i in $(seq 100); do
	victim=$(psq -c "select pid from pg_stat_activity where query like 'select pg_sleep%' and pid <> pg_backend_pid()")
	[ -n "$victim" ] && break
	sleep 0.1
done
ok "$([ -n "$victim" ]; echo $?)" "a backend to kill: $victim"
kill -9 "$victim"
samples=0 bad=""
for i in $(seq 12); do
	ipci --json -t shm,pshm
	[ "$rc" -eq 0 ] || bad="$bad exit $rc;"
	b=$(bad_verdicts)
	[ "$b" = "[]" ] || bad="$bad $b"
	samples=$((samples + 1))
	sleep 0.15
done
wait "$sleeper" 2>/dev/null
for i in $(seq 100); do [ "$(psq -c 'select 1')" = 1 ] && break; sleep 0.2; done
is "$samples|$bad" "12|" "12 listings during crash recovery: none says suspect or orphan"
is "$(psq -c 'select 1')" 1 "the server recovered: select 1"
ok "$(grep -q 'terminated by signal 9' "$T/log"; echo $?)" "the server's log saw the crash"

# ---- SIGKILL of the postmaster and all its children --------------------------------
ipci --json
is "$(bad_verdicts)" "[]" "after recovery: no suspect or orphan"
# Once (on a loaded machine, in one full parallel run) the kill found no
# segment at all to leave behind; the server's log then goes into the TAP
# output, and the server is started and killed again (three tries).
for try in 1 2 3; do
	pids=$(pg_pids | paste -sd' ')
	kill -9 $pids
	for i in $(seq 100); do [ -z "$(pg_pids)" ] && break; sleep 0.1; done
	left_pshm=$(shm_names) left_shm=$(sysv_shm_ids)
	[ -n "$left_pshm" ] && [ -n "$left_shm" ] && break
	echo "# try $try: killed $pids, no leftovers (/dev/shm: '$left_pshm', SysV: '$left_shm'); the log's end:"
	tail -n 15 "$T/log" | sed 's/^/#   /'
	[ "$try" -lt 3 ] || break
	rm -f "$DATA/postmaster.pid"
	pg_start || break
	for i in $(seq 100); do [ "$(psq -c 'select 1')" = 1 ] && break; sleep 0.2; done
	sleep 1
done
is "$(pg_pids)" "" "postmaster and children killed: $pids"
ok "$([ -n "$left_pshm" ] && [ -n "$left_shm" ]; echo $?)" "leftovers (try $try): /dev/shm: $left_pshm; SysV: $left_shm"
ipci orphans --json
is "$rc" 0 "orphans: exit 0"
is "$(jq -r '[.pshm[] | select(.verdict == "suspect") | .name] | sort | join(" ")' "$T/out")|$(jq -r '[.shm[] | select(.verdict == "orphan") | .id] | sort | join(" ")' "$T/out")" \
	"$left_pshm|$left_shm" "orphans lists exactly the leftovers: pshm suspects, the SysV segment orphan"
is "$(jq -c '[to_entries[] | select(.value | type == "array") | select(.key != "pshm" and .key != "shm") | .value[] | select(type == "object")] | length' "$T/out")" 0 \
	"and nothing of any other kind"
# plain clean takes the SysV segment, and says what it left: PostgreSQL
# would find the old /dev/shm segments only through it
ipci clean --yes --include-root --min-age 0 --no-syslog
npshm=$(echo $left_pshm | wc -w)
is "$rc|$(grep -c '^removed shm ' "$T/out")|$(tail -n 1 "$T/out")|$(sysv_shm_ids)" \
	"0|$(echo $left_shm | wc -w)|not considered: orphans and suspects of kinds not taken: pshm $npshm: add -t pshm (and --suspects for suspects)|" \
	"clean --yes: removes the SysV segment, ends with the POSIX suspects it did not consider"
is "$(cat "$T/err")" "ipcinspect: warning: a removed SysV segment's owner has POSIX suspects left, which its program may have found only through that segment: $(for n in $left_pshm; do printf ' /dev/shm/%s' "$n"; done | cut -c2-)" \
	"and warns, naming them"
ipci clean --json --yes --suspects --include-root --min-age 0 --no-syslog -t pshm
is "$rc|$(jq -c '[.summary.removed, .summary.failed]' "$T/out")|$(jq -c .not_considered "$T/out")|$(shm_names)" \
	"0|[$npshm,0]|{\"suspects\":0,\"kinds\":{},\"stranded\":[]}|" \
	"clean --suspects --include-root -t pshm removes exactly the rest of the leftovers"

# ---- a restart is clean -----------------------------------------------------------
rm -f "$DATA/postmaster.pid"
pg_start || { cat "$T/pg_ctl.out"; tail -20 "$T/log"; }
is "$(psq -c 'select 1')" 1 "restarted: select 1"
is "$(parallel_query)" "Workers Launched: 2|0" "restarted: a parallel query with 2 workers"
ipci orphans --json
is "$rc|$(bad_verdicts)" "0|[]" "restarted: orphans lists nothing"
timeout 30 runuser -u postgres -- "$PGBIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null 2>&1
is "$(pg_pids)" "" "the server is stopped"

done_testing

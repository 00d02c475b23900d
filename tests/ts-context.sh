#!/bin/bash
# The context pass (src/context.h), live, in a private IPC + PID + mount
# namespace with a private tmpfs on /dev/shm: POSIX objects of one owner
# and one name family, one mapped, one not: the unmapped one is unknown
# ("a sibling (...) is in use"), not a suspect; a suspect whose owner runs
# processes says so and `clean --suspects` keeps it unless
# --even-if-owner-runs; clean says "unchanged for" for POSIX objects;
# orphans -t ends with the orphans and suspects of the kinds left out; and
# an object replaced while ipcinspect reads /dev/shm (after the process
# scan passed) is unknown, "created during the scan", not a suspect.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"	# bash, even where make runs /bin/sh
. "${TESTS_SRCDIR:?run the tests with make check}/lib.sh" || exit 99
ns_enter "$@"
ns_check_empty
command -v jq >/dev/null || skip_all "jq not installed"
command -v setpriv >/dev/null || skip_all "setpriv not installed"
[ -z "${IPCI_USERNS:-}" ] || skip_all "needs uid 4321: not in a user namespace"

export LC_ALL=C TZ=UTC
T=$(mktemp -d)
chmod 755 "$T"
trap 'rm -rf "$T"' EXIT
close_inherited_fds
U=4321

# verdict and reasons of the pshm object NAME, as JSON
vr() { jq -c --arg n "$1" '[.pshm[] | select(.name == $n) | .verdict, .reasons] | .[]' "$T/out" | paste -sd' '; }

# ---- siblings and the owner --------------------------------------------------
mkdir "$T/fifos" && chown "$U" "$T/fifos"
MKIPC_AS="setpriv --reuid=$U --regid=$U --clear-groups" mkipc_start \
	pshm:a,path=/app.1 pshm:b,path=/app.2,map pshm:c,path=/lone pshm:d,path=/xyz-a1b2c3 \
	"fifo:f1,path=$T/fifos/ctl.1" "fifo:f2,path=$T/fifos/ctl.2,open=rw" "fifo:f3,path=$T/fifos/other"
HELPER=$(mkipc_get b.map)
is "$(stat -c %u /dev/shm/app.1 /dev/shm/app.2 /dev/shm/lone | paste -sd' ')" "$U $U $U" \
	"the objects are uid $U's, and its helper $HELPER maps app.2"
ipci --json -t pshm
is "$rc" 0 "list: exit 0"
is "$(vr app.2)" "\"in-use\" [\"mapped by mkipc[$HELPER]\"]" "app.2: in use, mapped"
is "$(vr app.1)" "\"unknown\" [\"nobody holds it open or maps it\",\"a sibling (app.2, mapped by mkipc[$HELPER]) is in use\"]" \
	"app.1: a sibling of app.2 (family app.), which is in use: unknown, not suspect"
is "$(vr lone)" "\"suspect\" [\"nobody holds it open or maps it\",\"owner uid $U runs 1 process\"]" \
	"lone: no family; a suspect whose owner runs a process (the helper)"
is "$(vr xyz-a1b2c3)" "\"suspect\" [\"nobody holds it open or maps it\",\"owner uid $U runs 1 process\"]" \
	"xyz-a1b2c3: a random suffix, but no sibling in use: a suspect"

# FIFOs: one directory, one stem (ctl.), one held open
ipci --json -t fifo --fifo-dir "$T/fifos"
F2=$(mkipc_get f2.rw)
fvr() { jq -c --arg p "$T/fifos/$1" '[.fifo[] | select(.path == $p) | .verdict, .reasons] | .[]' "$T/out" | paste -sd' '; }
is "$(fvr ctl.1)" "\"unknown\" [\"nobody holds it open\",\"a sibling ($T/fifos/ctl.2, held open by mkipc[${F2%:*}]) is in use\"]" \
	"FIFO ctl.1: a sibling of ctl.2, held open: unknown"
is "$(fvr other)" "\"suspect\" [\"nobody holds it open\",\"owner uid $U runs 1 process\"]" \
	"FIFO other: another stem, a suspect whose owner runs a process"

# orphans -t: ends with what it left out (app.1 is unknown: not counted)
ipci orphans -t shm
is "$rc|$(out)" "0|Shared memory segments: 0
not considered: orphans and suspects of kinds not taken: pshm 2: add -t pshm" \
	"orphans -t shm: the two POSIX suspects left out, and the option"
ipci orphans -t shm --json
is "$(jq -c .warnings "$T/out")" '["not considered: orphans and suspects of kinds not taken: pshm 2: add -t pshm"]' \
	"orphans -t shm --json: the same as a warning of the document"

# clean: the owner's suspects stay without --even-if-owner-runs
ipci clean --json --suspects --include-root --min-age 0 -t pshm --yes --no-syslog
is "$rc" 0 "clean --suspects: exit 0"
is "$(jq -c '[.actions[] | [(.path | ltrimstr("/dev/shm/")), .action, .why]]' "$T/out")" \
	"[[\"lone\",\"kept\",\"owner uid $U runs 1 process: only with --even-if-owner-runs\"],[\"xyz-a1b2c3\",\"kept\",\"owner uid $U runs 1 process: only with --even-if-owner-runs\"]]" \
	"clean --suspects: the owner's suspects kept, saying why; app.1 (unknown) not taken"
# default --min-age: a POSIX object's age is not idleness
ipci clean --json --suspects --include-root --even-if-owner-runs -t pshm --no-syslog
why=$(jq -r '.actions[] | select(.path == "/dev/shm/lone") | .why' "$T/out")
ok "$(echo "$why" | grep -qxE 'unchanged for [0-9]s, less than --min-age 10m00s'; echo $?)" \
	"clean: POSIX shm 'unchanged for', not 'idle for' ($why)"
ipci clean --json --suspects --include-root --even-if-owner-runs --min-age 0 -t pshm --yes --no-syslog
is "$rc|$(jq -c '[.actions[] | [(.path | ltrimstr("/dev/shm/")), .action]]' "$T/out")|$(cd /dev/shm && ls | paste -sd' ')" \
	'0|[["lone","removed"],["xyz-a1b2c3","removed"]]|app.1 app.2' \
	"--even-if-owner-runs: the suspects go; app.1, a sibling of one in use, stays"
mkipc_stop

# ---- created during the scan ---------------------------------------------------
# Pause ipcinspect at its stat of /dev/shm/late (the process scan, in its
# thread, is over by then), and replace the file by a new object mapped by
# a process the scan could not see.
: >/dev/shm/late
cat >"$T/hook" <<'HOOK'
sleep 0.5
rm -f /dev/shm/late
mkfifo "$T/late.in"
"$MKIPC" pshm:l,path=/late,map <"$T/late.in" >"$T/late.out" 2>&1 &
LATE_PID=$!
exec 6>"$T/late.in"
for late_try in $(seq 100); do grep -qx ready "$T/late.out" && break; sleep 0.05; done
HOOK
export T MKIPC
[ -n "${IPCI_PRELOAD:-}" ] || skip_all "IPCI_PRELOAD not set"
ipci_race fstatat@late 1 '. "$T/hook"' --json -t pshm
is "$rc" 0 "list with a pause at /dev/shm/late: exit 0"
LATE_MAP=$(sed -n 's/^l.map=//p' "$T/late.out")
ok "$([ -n "$LATE_MAP" ]; echo $?)" "the new /late is mapped by $LATE_MAP"
is "$(vr late)" "\"unknown\" [\"nobody holds it open or maps it\",\"created during the scan (or changed since it started): its holders may not be listed\"]" \
	"an object made after the scan started: unknown, never suspect"
ipci --json -t pshm
is "$(vr late)" "\"in-use\" [\"mapped by mkipc[$LATE_MAP]\"]" "listed again: in use"
exec 6>&-
wait "$LATE_PID"
rm -f /dev/shm/late /dev/shm/app.1 /dev/shm/app.2

done_testing

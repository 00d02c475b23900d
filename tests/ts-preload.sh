#!/bin/bash
# The test-only preload library (tests/helpers/preload.c, loaded with
# LD_PRELOAD=$IPCI_PRELOAD) against the real ipcinspect, live, in a
# private IPC + PID + mount namespace: each of its mechanisms does what
# the other tests rely on - IPCI_COUNT counts calls exactly (bare and
# per-command names), IPCI_FAULT fails exactly the Nth call with the
# errno asked for (or every call with `*`), IPCI_PAUSE stops the command
# right before the Nth call until the test says go (lib.sh
# preload_pause_start / preload_wait_paused / preload_resume), and
# IPCI_DELAY slows every call down, IPCI_TRACE writes each call named
# with its argument and time, in order.  The library's own files (paused, go)
# are never counted.  And the product has no test hook of its own: no
# getenv of a test variable, nothing that runs a command.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"	# bash, even where make runs /bin/sh
. "${TESTS_SRCDIR:?run the tests with make check}/lib.sh" || exit 99
ns_enter "$@"
ns_check_empty
[ -n "${IPCI_PRELOAD:-}" ] || bail "IPCI_PRELOAD is not set"
command -v ipcmk >/dev/null || skip_all "ipcmk not installed"

export LC_ALL=C TZ=UTC
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

shmids() { awk 'NR > 1 { printf "%s%s", sep, $2; sep = " " } END { print "" }' /proc/sysvipc/shm; }
newshm() { ipcmk -M 4096 | sed -n 's/.*: *\([0-9]*\)$/\1/p'; }
# count NAME FILE: the count IPCI_COUNT wrote for NAME, or 0
count() { awk -v n="$1" '$1 == n { v = $2; f = 1 } END { print f ? v : 0 }' "$2"; }
rmshm() {	# rmshm ID: ipcinspect rm of one segment, output in $T/out, $T/err
	"$IPCINSPECT" rm -m "$1" --no-syslog </dev/null >"$T/out" 2>"$T/err"
}

# --- count: exact numbers, per command, and the bare name is their sum
A=$(newshm)
IPCI_COUNT="$T/count" LD_PRELOAD="$IPCI_PRELOAD" rmshm "$A"
is "$?" 0 "count: rm with the library loaded succeeds"
is "$(shmids)" "" "count: the segment is gone"
is "$(count shmctl.IPC_RMID "$T/count")" 1 "count: one shmctl(IPC_RMID)"
# SHM_STAT_ANY: the re-check, then the re-read after IPC_RMID (act.c): by
# index at both id layouts, the segment being gone, then IPC_STAT by id
is "$(count shmctl.SHM_STAT_ANY "$T/count")|$(count shmctl.IPC_STAT "$T/count")" "3|1" \
	"count: one re-check and one re-read after IPC_RMID (shmctl SHM_STAT_ANY, IPC_STAT)"
# SHM_INFO: the count of segments that decides the collect phase's threads
is "$(count shmctl.SHM_INFO "$T/count")" 1 "count: one shmctl(SHM_INFO)"
is "$(count shmctl "$T/count")" 6 "count: the bare name counts every command"
is "$(count semctl "$T/count")$(count msgctl "$T/count")" 00 "count: no call counted that was not made"
grep -qv '^[a-z0-9_]*\(\.[A-Z_]*\)\? [1-9][0-9]*$' "$T/count"
is "$?" 1 "count: every line is 'CALL COUNT' with a count above 0"
# a second run appends
A=$(newshm)
IPCI_COUNT="$T/count" LD_PRELOAD="$IPCI_PRELOAD" rmshm "$A"
is "$(grep -c '^shmctl.IPC_RMID 1$' "$T/count")" 2 "count: each run appends its own lines"

# --- fault: the Nth call only, with the errno asked for
A=$(newshm)
IPCI_FAULT=shmctl.IPC_RMID:1:EPERM LD_PRELOAD="$IPCI_PRELOAD" rmshm "$A"
is "$?" 1 "fault: rm exits 1 when IPC_RMID fails"
is "$(shmids)" "$A" "fault: the segment is still there"
grep -q 'IPC_RMID: permission denied' "$T/out" "$T/err"
is "$?" 0 "fault: the errno given (EPERM) is what ipcinspect saw"
IPCI_FAULT=shmctl.IPC_RMID:1:EIO LD_PRELOAD="$IPCI_PRELOAD" rmshm "$A"
grep -q 'IPC_RMID: Input/output error' "$T/out" "$T/err"
is "$?" 0 "fault: EIO by name"
is "$(shmids)" "$A" "fault: still there after EIO"
# the 2nd IPC_RMID of a run that makes one: nothing fails
IPCI_FAULT=shmctl.IPC_RMID:2:EIO LD_PRELOAD="$IPCI_PRELOAD" rmshm "$A"
is "$?" 0 "fault: N past the calls made fails nothing"
is "$(shmids)" "" "fault: removed when the fault is not reached"
# `*`: every call; the first re-check fails, so IPC_RMID is never made
A=$(newshm)
IPCI_COUNT="$T/count2" IPCI_FAULT='shmctl:*:EACCES' LD_PRELOAD="$IPCI_PRELOAD" rmshm "$A"
is "$?" 1 "fault: '*' fails every call"
is "$(shmids)" "$A" "fault: '*': the segment is still there"
is "$(count shmctl.IPC_RMID "$T/count2")" 0 "fault: '*': a failed call is counted, none made after"
# a fault list: the first item does not apply (the 5th IPC_RMID), the second does
IPCI_FAULT='shmctl.IPC_RMID:5:EIO,shmctl.IPC_RMID:1:ENOMEM' LD_PRELOAD="$IPCI_PRELOAD" rmshm "$A"
is "$?" 1 "fault: a list of faults"
grep -q 'Cannot allocate memory' "$T/out" "$T/err"
is "$?" 0 "fault: the item that applies gives its errno (ENOMEM)"
# a bad spec is refused before the command runs
IPCI_FAULT='shmctl:x:EIO' LD_PRELOAD="$IPCI_PRELOAD" rmshm "$A"
is "$?" 125 "fault: a bad call number: exit 125"
is "$(cat "$T/err")" "ipci-preload: bad IPCI_FAULT: x" "fault: a bad call number: one line"
is "$(shmids)" "$A" "fault: a bad spec: the command never ran"

# --- pause: right before the Nth call, until go
rmbg() { rmshm "$@"; }
preload_pause_start shmctl.IPC_RMID 1 rmbg "$A"
preload_wait_paused
is "$?" 0 "pause: the command pauses"
read -r c n pid <"$PRELOAD_DIR/paused"
is "$c $n $(cat "/proc/$pid/comm" 2>/dev/null)" "shmctl.IPC_RMID 1 ipcinspect" "pause: paused names the call, N and the pid"
sleep 0.2
is "$(shmids)" "$A" "pause: the call has not been made while paused"
kill -0 "$PRELOAD_PID" 2>/dev/null
is "$?" 0 "pause: the command is still running"
IPCI_COUNT_DIR=$PRELOAD_DIR
preload_resume
is "$PRELOAD_RC" 0 "pause: rm succeeds after go"
is "$(shmids)" "" "pause: the call is made after go"
is "$(ls -A "$IPCI_COUNT_DIR")" "" "pause: paused and go are cleaned up"
# the pause point is exact: before the re-check, a segment made in the
# pause is not what rm was asked for
A=$(newshm)
preload_pause_start shmctl.SHM_STAT_ANY 1 rmbg "$A"
preload_wait_paused
is "$?" 0 "pause: pauses before the re-check"
B=$(newshm)
ipcrm -m "$A"
preload_resume
is "$PRELOAD_RC" 0 "pause: the segment removed during the pause: rm says so"
is "$(grep -c "^gone shm $A key .*: already gone (" "$T/out")" 1 "pause: it is reported already gone"
is "$(shmids)" "$B" "pause: what was made during the pause is untouched"
ipcrm -m "$B"
# a pause at a call never made: the command ends without pausing
A=$(newshm)
preload_pause_start semctl.IPC_RMID 1 rmbg "$A"
preload_wait_paused
is "$?" 1 "pause: preload_wait_paused says 1 when the command never pauses"
preload_resume
is "$PRELOAD_RC" 0 "pause: that command ran to the end"
# the library's own files are not counted: no rename or write of its own
A=$(newshm)
IPCI_COUNT="$T/count3" preload_pause_start shmctl.IPC_RMID 1 rmbg "$A"
preload_wait_paused
preload_resume
is "$(count rename "$T/count3")" 0 "pause: the paused file's rename is not counted"
is "$(count open "$T/count3")" "$(count open "$T/count")" "pause: its open is not counted either"

# --- delay: every call of CALL sleeps first
A=$(newshm)
t0=$(date +%s%N)
IPCI_DELAY=shmctl:400 LD_PRELOAD="$IPCI_PRELOAD" rmshm "$A"
t1=$(date +%s%N)
is "$?" 0 "delay: rm still succeeds"
ms=$(((t1 - t0) / 1000000))
[ "$ms" -ge 800 ]
ok $? "delay: two shmctl calls of 400 ms take at least 800 ms (took $ms)"

# --- a path filter: openat@NAME counts only opens whose path ends in NAME
A=$(newshm)
IPCI_COUNT="$T/count4" IPCI_DELAY=open@/proc:0 LD_PRELOAD="$IPCI_PRELOAD" rmshm "$A"
n=$(count open@/proc "$T/count4")
[ "$n" -ge 1 ] && [ "$n" -lt "$(count open "$T/count4")" ]
ok $? "filter: open@/proc counts some opens but not all ($n of $(count open "$T/count4"))"

# --- @ID: a ctl call on one id (or index) only, and a list of pauses
A=$(newshm)
B=$(newshm)
rm2() { "$IPCINSPECT" rm -m "$A" -m "$B" --no-syslog </dev/null >"$T/out" 2>"$T/err"; }
IPCI_COUNT="$T/count5" preload_pauses_start "shmctl.IPC_RMID@$B:1,shmctl.IPC_RMID@$A:1" rm2
seen=""
for i in 1 2; do
	preload_wait_paused || break
	read -r c n _ <"$PRELOAD_DIR/paused"
	seen="$seen$c $n;"
	[ $i -eq 2 ] || preload_continue
done
preload_resume
is "$PRELOAD_RC|$seen" "0|shmctl.IPC_RMID@$A 1;shmctl.IPC_RMID@$B 1;" \
	"@ID and a list: one pause per segment, in the order rm removes them"
is "$(count "shmctl.IPC_RMID@$A" "$T/count5")$(count "shmctl.IPC_RMID@$B" "$T/count5")$(count shmctl.IPC_RMID "$T/count5")" 112 \
	"@ID: each id's own count, and the bare count of both"
is "$(shmids)" "" "@ID: both removed after the pauses"

# --- trace: one "SECONDS PID CALL ARG" line before each call named, in order
A=$(newshm)
B=$(newshm)
IPCI_TRACE=shmctl.SHM_STAT_ANY,shmctl.IPC_RMID IPCI_TRACE_FILE="$T/trace" \
	LD_PRELOAD="$IPCI_PRELOAD" rm2
is "$?|$(shmids)" "0|" "trace: rm succeeds with the trace on"
# act.c: per segment the re-check by index (SHM_STAT_ANY), IPC_RMID, the
# re-read after it (by index at both id layouts, then IPC_STAT: not traced)
want="shmctl.SHM_STAT_ANY $(sysv_idx "$A");shmctl.IPC_RMID $A;shmctl.SHM_STAT_ANY $(sysv_idx "$A");shmctl.SHM_STAT_ANY $A;"
want="${want}shmctl.SHM_STAT_ANY $(sysv_idx "$B");shmctl.IPC_RMID $B;shmctl.SHM_STAT_ANY $(sysv_idx "$B");shmctl.SHM_STAT_ANY $B;"
is "$(awk '{ printf "%s %s;", $3, $4 }' "$T/trace")" "$want" \
	"trace: the calls named, each with its id or index, in the order made"
is "$(awk '{ print $2 }' "$T/trace" | sort -u | wc -l)" 1 "trace: one pid, ipcinspect's"
sort -c -n -k1,1 "$T/trace" 2>/dev/null &&
	awk '{ n = split($1, p, ".") } n != 2 || length(p[2]) != 9 || p[1] !~ /^[0-9]+$/ { exit 1 }' \
		"$T/trace"
ok $? "trace: seconds with 9 decimals, rising"
IPCI_TRACE=shmctl.IPC_RMID LD_PRELOAD="$IPCI_PRELOAD" rmshm 1
is "$?|$(cat "$T/err")" "125|ipci-preload: bad IPCI_TRACE: IPCI_TRACE_FILE is not set" \
	"trace: without IPCI_TRACE_FILE: refused, one line"

# --- only ipcinspect: a wrapper (timeout) passes the library on untouched
A=$(newshm)
IPCI_COUNT="$T/count6" IPCI_FAULT=shmctl.IPC_RMID:1:EIO LD_PRELOAD="$IPCI_PRELOAD" \
	timeout 60 "$IPCINSPECT" rm -m "$A" --no-syslog </dev/null >"$T/out" 2>"$T/err"
is "$?|$(shmids)|$(grep -c '^shmctl.IPC_RMID 1$' "$T/count6")" "1|$A|1" \
	"through timeout(1): ipcinspect gets the fault and is counted, once"
LD_PRELOAD="$IPCI_PRELOAD" IPCI_COUNT="$T/count7" cat /dev/null
is "$([ -e "$T/count7" ]; echo $?)" 1 "another program (cat) is not counted by default"
LD_PRELOAD="$IPCI_PRELOAD" IPCI_COUNT="$T/count7" IPCI_PRELOAD_PROG=cat cat /dev/null
[ "$(count read "$T/count7")" -ge 1 ]
ok $? "IPCI_PRELOAD_PROG=cat: cat is counted"
ipcrm -m "$A"

# --- no test hook in the product --------------------------------------------
getenvs=$(grep -ho 'getenv *([^)]*)' "$TOP_SRCDIR"/src/*.c | sort -u | paste -sd' ')
is "$getenvs" "" "the product's sources read no environment variable (no hook, no test switch)"
runs=$(grep -nE '(^|[^a-z_])(execl|execlp|execle|execv|execvp|execve|execvpe|system|popen|posix_spawnp?|fork)\(' \
	"$TOP_SRCDIR"/src/*.c)
is "$runs" "" "the product's sources run no command"
if command -v nm >/dev/null; then
	is "$(nm -u "$IPCINSPECT" | grep -ow -E 'getenv|secure_getenv|execl|execlp|execv|execvp|execve|system|popen|posix_spawnp?' | sort -u | paste -sd' ')" "" \
		"the binary imports no getenv and nothing that runs a command"
else
	tap_n=$((tap_n + 1))
	echo "ok $tap_n # SKIP nm not installed"
fi
is "$(strings "$IPCINSPECT" | grep -c -E 'IPCINSPECT_TEST|IPCI_[A-Z]')" 0 "the binary holds no test variable's name"

done_testing

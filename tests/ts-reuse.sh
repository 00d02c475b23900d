#!/bin/bash
# The pid reuse rule (doc/kernel-facts.md, "Pid reuse"), live, in a
# private IPC + PID + mount namespace, with the pids taken over on purpose
# through /proc/sys/kernel/ns_last_pid:
# - a creator that makes its segment in its first second is alive, the
#   segment in use: clean keeps it, rm refuses it without --force;
# - a creator that started seconds before is alive, "started before";
# - a creator whose pid a new process took 0.3 s after the event (in the
#   event's second) cannot be told from the creator: alive, in use;
# - one whose pid was taken 2.5 s after the event is gone, "pid reused",
#   and its segment an orphan: clean removes exactly it, so does rm;
# - an IPC_SET (a no-op chmod) after the creator's pid was taken moves
#   ctime: a segment attached before it still dates its creation by the
#   attach (gone, "started after atime", an orphan), one never attached
#   has nothing else and its creator is taken for alive (the documented
#   undecidable case: in use, kept).
# In every object, alive and the verdict agree.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"	# bash, even where make runs /bin/sh
. "${TESTS_SRCDIR:?run the tests with make check}/lib.sh" || exit 99
ns_enter "$@"
ns_check_empty
command -v jq >/dev/null || skip_all "jq not installed"
[ "$$" -eq 1 ] || bail "not pid 1 of a private pid namespace"
[ -w /proc/sys/kernel/ns_last_pid ] || skip_all "cannot write /proc/sys/kernel/ns_last_pid"

export LC_ALL=C TZ=UTC
T=$(mktemp -d)
trap 'kill $R1 $R2 $R3 $R4 2>/dev/null; rm -rf "$T"' EXIT
export T MKIPC
close_inherited_fds
MC=${MKIPC##*/}
MC=${MC:0:15}
NP="no process of this IPC namespace maps it"

ids() {
	awk 'NR > 1 { printf "%s%s", sep, $2; sep = " " } END { print "" }' /proc/sysvipc/shm
}
# sleep_until MS: sleep until the epoch time MS (milliseconds)
sleep_until() {
	local d=$(($1 - $(date +%s%3N)))
	[ "$d" -gt 0 ] && sleep "$((d / 1000)).$(printf '%03d' $((d % 1000)))"
}
# take_pid PID: start a sleep that gets PID (the counter then goes back,
# so no other dead pid is handed out again); prints its pid
take_pid() {
	local last
	read -r last </proc/sys/kernel/ns_last_pid
	echo $(($1 - 1)) >/proc/sys/kernel/ns_last_pid
	sleep 1000 </dev/null >/dev/null 2>&1 7>&- 8>&- 9>&- &
	echo "$last" >/proc/sys/kernel/ns_last_pid
	echo $!
}
# shm_of ID: [creator.alive, creator.why, verdict, reasons] of segment ID
shm_of() {
	jq -c --argjson id "$1" '.shm[] | select(.id == $id) |
		[.creator.alive, .creator.why, .verdict, .reasons]' "$T/out"
}

# --- made in the first second, and pids taken 0.3 s and 2.5 s later -----------
# At a second's start the helper makes "first" itself; two children make
# "ra" and "rb" and exit.  Every ctime is that second, X.
# The pids must be taken at those moments: on a loaded machine a try that
# missed its moment (checked from the new processes' start times) is
# made again, up to three times.
attempt() {
	second_start
	X=$(date +%s)
	mkipc_start shm:first,key=0x7e01 shm:ra,key=0x7e02,creator=child shm:rb,key=0x7e03,creator=child
	H=$(mkipc_get pid) CA=$(mkipc_get ra.creator) CB=$(mkipc_get rb.creator)
	FIRST=$(mkipc_get first.id) RA=$(mkipc_get ra.id) RB=$(mkipc_get rb.id)
	sleep_until $((X * 1000 + 300))
	R1=$(take_pid "$CA")
	sleep_until $((X * 1000 + 2500))
	R2=$(take_pid "$CB")
	S1=$(start_ms_of "$R1") S2=$(start_ms_of "$R2")
	[ $((S1 - X * 1000)) -ge 250 ] && [ $((S1 - X * 1000)) -lt 950 ] && [ $((S2 - X * 1000)) -ge 2450 ]
}
for try in 1 2 3; do
	attempt && break
	[ "$try" -lt 3 ] || break
	kill -9 "$R1" "$R2" 2>/dev/null
	wait "$R1" "$R2" 2>/dev/null
	mkipc_stop
done
is "$R1 $R2" "$CA $CB" "ns_last_pid: new processes got the creators' pids, 0.3 s and 2.5 s after the second they made their segments in"
is "$(( S1 - X * 1000 >= 250 && S1 - X * 1000 < 950 )) $(( S2 - X * 1000 >= 2450 ))" "1 1" \
	"the premises (try $try): pid $CA taken within the event's second, pid $CB 2.5 s after it"

ipci --json -t shm
is "$rc|$(err)|$(jq -c '[.shm[].ctime] | unique' "$T/out")" "0||[$X]" \
	"list: exit 0, no warning; every segment made in second $X"
is "$(shm_of "$FIRST")" \
	"[true,\"started in the same second as ctime\",\"in-use\",[\"nattch 0\",\"$NP\",\"creator $H ($MC) is alive: it started in the same second as ctime\",\"never attached\"]]" \
	"made in the creator's first second: creator alive (same second), in use"
is "$(shm_of "$RA")" \
	"[true,\"started in the same second as ctime\",\"in-use\",[\"nattch 0\",\"$NP\",\"creator $CA (sleep) is alive: it started in the same second as ctime\",\"never attached\"]]" \
	"pid taken 0.3 s after the event: indistinguishable from the creator, alive, in use"
is "$(shm_of "$RB")" \
	"[false,\"pid reused by a process started after ctime\",\"orphan\",[\"nattch 0\",\"$NP\",\"creator $CB exited: pid $CB now belongs to sleep, started after ctime\",\"never attached\"]]" \
	"pid taken 2.5 s after the event: reused, the creator gone, an orphan"
is "$(jq -c '[.shm[] | select((.creator.alive == true) != (.verdict == "in-use"))] | length' "$T/out")" 0 \
	"alive and the verdict agree for every segment"

# clean: exactly the orphan
ipci clean --min-age 0 --include-root --no-syslog -t shm
is "$rc|$(out)" "0|would-remove shm $RB key 0x00007e03 owner root size 4K: orphan: nattch 0; $NP; creator $CB exited: pid $CB now belongs to sleep, started after ctime; never attached
dry run: 1 would be removed (4K), 0 kept; nothing was removed: run with --yes to remove them" \
	"clean (dry run): only the segment whose creator pid was reused"
# rm without --force: the in-use ones are refused, the orphan goes
ipci rm -m "$FIRST" --no-syslog
is "$rc|$(grep -c "^ipcinspect: rm shared memory segment $FIRST: in-use: .*creator $H ($MC) is alive: it started in the same second as ctime.*(remove it anyway with --force)\$" "$T/err")|$(ids)" \
	"1|1|$FIRST $RA $RB" "rm of the segment made in its creator's first second: refused, in use"
ipci rm -m "$RA" --no-syslog
is "$rc|$(ids)" "1|$FIRST $RA $RB" "rm of the segment whose creator pid was taken in the event's second: refused"
ipci rm -m "$RB" --no-syslog
is "$rc|$(ids)" "0|$FIRST $RA" "rm of the segment whose creator pid was reused 2.5 s later: removed"
ipci clean --yes --min-age 0 --include-root --no-syslog -t shm
is "$rc|$(ids)" "0|$FIRST $RA" "clean --yes: nothing left to remove, the in-use segments stay"
kill "$R1" "$R2" 2>/dev/null
wait "$R1" "$R2" 2>/dev/null
mkipc_stop

# --- a creator that started long before the event -----------------------------
mkipc_start sleep:2200 shm:late,key=0x7e04
H=$(mkipc_get pid) LATE=$(mkipc_get late.id)
ipci --json -t shm
is "$(shm_of "$LATE")" \
	"[true,\"started before ctime\",\"in-use\",[\"nattch 0\",\"$NP\",\"creator $H ($MC) is alive\",\"never attached\"]]" \
	"a creator that started 2.2 s before ctime: alive, started before, in use"
ok "$(( $(jq '.shm[0].ctime' "$T/out") * 1000 - $(start_ms_of "$H") >= 1000 ? 0 : 1 ))" \
	"the premise: the helper started a second or more before the segment's ctime"
ipci clean --yes --min-age 0 --include-root --no-syslog -t shm
is "$rc|$(ids)" "0|$LATE" "clean --yes keeps it"
mkipc_stop

# --- an IPC_SET after the creator's pid was taken (doc/kernel-facts.md) -------
# Two children make "na" and "at" in second X and exit; a third attaches
# "at" once and exits (atime, dtime and lpid).  2.5 s later new processes
# take both creators' pids, then, in a later second than they started in,
# a no-op IPC_SET of each segment moves its ctime past their start.
second_start
X=$(date +%s)
mkipc_start shm:na,key=0x7e05,creator=child shm:at,key=0x7e06,creator=child,attachexit
CN=$(mkipc_get na.creator) CT=$(mkipc_get at.creator) U=$(mkipc_get at.user)
NA=$(mkipc_get na.id) AT=$(mkipc_get at.id)
sleep_until $((X * 1000 + 2500))
R3=$(take_pid "$CN")
R4=$(take_pid "$CT")
S3=$(start_ms_of "$R3") S4=$(start_ms_of "$R4")
is "$R3 $R4" "$CN $CT" "ns_last_pid: new processes got the creators' pids"
ipci --json -t shm
is "$rc|$(err)|$(jq -c --argjson x "$X" --argjson s "$S3" '[.shm[] | [.ctime <= $x + 1, (([.ctime, .atime, .dtime] | max) + 1) * 1000 + 20 <= $s, .atime != null, .dtime != null]]' "$T/out")" \
	"0||[[true,true,false,false],[true,true,true,true]]" \
	"the premises: made in second X, at attached and detached, the pids taken more than T + 1.02 s after every event"
is "$(shm_of "$NA")" \
	"[false,\"pid reused by a process started after ctime\",\"orphan\",[\"nattch 0\",\"$NP\",\"creator $CN exited: pid $CN now belongs to sleep, started after ctime\",\"never attached\"]]" \
	"before the IPC_SET, never attached: creator gone (pid reused after ctime), an orphan"
is "$(shm_of "$AT")" \
	"[false,\"pid reused by a process started after ctime\",\"orphan\",[\"nattch 0\",\"$NP\",\"creator $CT exited: pid $CT now belongs to sleep, started after ctime\",\"last user $U exited\"]]" \
	"before the IPC_SET, attached once: creator gone (pid reused after ctime), an orphan"
late=$(( (S3 > S4 ? S3 : S4) / 1000 + 1 ))
sleep_until $((late * 1000 + 50))
echo "ipcset m $NA" >&9
echo "ipcset m $AT" >&9
mkipc_wait "ipcset.m.$AT" || bail "mkipc did not answer ipcset"
ipci --json -t shm
is "$rc|$(err)|$(jq -c '[.shm[] | .ctime >= '"$late"']' "$T/out")" "0||[true,true]" \
	"after the IPC_SET: every ctime is later than the new processes' start"
is "$(shm_of "$NA")" \
	"[true,\"started before ctime\",\"in-use\",[\"nattch 0\",\"$NP\",\"creator $CN (sleep) is alive\",\"never attached\"]]" \
	"after the IPC_SET, never attached: only ctime is left, the new process is taken for the creator (undecidable, in use)"
is "$(shm_of "$AT")" \
	"[false,\"pid reused by a process started after atime\",\"orphan\",[\"nattch 0\",\"$NP\",\"creator $CT exited: pid $CT now belongs to sleep, started after atime\",\"last user $U exited\"]]" \
	"after the IPC_SET, attached once: the creation dated by the attach, creator gone, still an orphan"
ipci orphans --json -t shm
is "$rc|$(jq -c '[.shm[].id]' "$T/out")" "0|[$AT]" "orphans: the attached segment whose ctime an IPC_SET moved"
ipci clean --yes --min-age 0 --include-root --no-syslog -t shm
is "$rc|$(ids)" "0|$NA" "clean --yes removes it, keeps the one judged in use"
kill "$R3" "$R4" 2>/dev/null
wait "$R3" "$R4" 2>/dev/null
mkipc_stop

done_testing

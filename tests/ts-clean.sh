#!/bin/bash
# orphans and clean, live, in a private IPC + PID + mount namespace: a
# population made by tests/helpers/mkipc whose every verdict is known in
# advance (segments whose creator exited, one attached and detached by a
# process that exited, one whose creator's pid was reused on purpose
# through /proc/sys/kernel/ns_last_pid, attached, removed but attached,
# a live creator, a creator too close in time to judge; queues and sets
# with dead and live users and waiters; root's and a system user's), then
# exactly what `orphans`, `orphans --check` and `clean` (dry run, --yes,
# --min-age, --suspects, --include-root, -t, -i, -u, --json) say and do,
# checked against /proc/sysvipc before and after.  Then the races on
# purpose while the test-only preload library holds clean right before
# its re-check (lib.sh ipci_races)
# (attached, used, operated on or removed between the listing and the
# removal), an unprivileged user cleaning another user's objects, FIFOs
# under --fifo-dir (symlinks never followed, a FIFO swapped for a file,
# the directory swapped for a symlink), and the syslog record, caught by
# tests/helpers/logsink bound over /dev/log in a mount namespace of our own.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"	# bash, even where make runs /bin/sh
. "${TESTS_SRCDIR:?run the tests with make check}/lib.sh" || exit 99
ns_enter "$@"
ns_check_empty
command -v jq >/dev/null || skip_all "jq not installed"
# this test writes /proc/sys/kernel/ns_last_pid and mounts over /dev/log:
# only as pid 1 of the private pid (and mount) namespace lib.sh made
[ "$$" -eq 1 ] || bail "not pid 1 of a private pid namespace: refusing to write /proc/sys or mount"
# objects of uids 1000 and 1001 need real uids: a user namespace maps only root
[ -z "${IPCI_USERNS:-}" ] || skip_all "needs uids 1000 and 1001: not in a user namespace"

export LC_ALL=C TZ=UTC
LOGSINK=${LOGSINK:-$(dirname "$MKIPC")/logsink}
T=$(mktemp -d)
chmod 755 "$T"	# the unprivileged runs read nothing here, but FIFO dirs live here
trap 'rm -rf "$T"' EXIT
export T MKIPC

close_inherited_fds

# Every removal passes --no-syslog except in the syslog section, where
# /dev/log is our own socket: nothing is ever written to the host's
# syslog.  (ipci and out: lib.sh.)

# The objects of this namespace, as the kernel lists them.
sysv() { cat /proc/sysvipc/shm /proc/sysvipc/msg /proc/sysvipc/sem; }
ids() {	# ids KIND: the ids, in order, on one line
	awk 'NR > 1 { printf "%s%s", sep, $2; sep = " " } END { print "" }' "/proc/sysvipc/$1"
}
ids_all() { echo "shm[$(ids shm)] msg[$(ids msg)] sem[$(ids sem)]"; }
# The latest recorded time of an object, as ipcinspect's age counts it.
last_time() {	# last_time KIND ID
	case $1 in
	shm) awk -v id="$2" '$2 == id { t = $12; if ($13 > t) t = $13; if ($14 > t) t = $14; print t }' /proc/sysvipc/shm ;;
	msg) awk -v id="$2" '$2 == id { t = $12; if ($13 > t) t = $13; if ($14 > t) t = $14; print t }' /proc/sysvipc/msg ;;
	sem) awk -v id="$2" '$2 == id { t = $9; if ($10 > t) t = $10; print t }' /proc/sysvipc/sem ;;
	esac
}
# "45s", "12m05s": a duration as ipcinspect prints it
dur() {
	if [ "$1" -lt 60 ]; then echo "${1}s"; else printf '%dm%02ds\n' $(($1 / 60)) $(($1 % 60)); fi
}

# is_at GOT NAME: GOT is what the function want_at prints for some NOW in
# [t0, t1], the seconds around the run (ages are counted from its clock).
is_at() {
	local got=$1 now want=
	shift
	for ((now = t0; now <= t1; now++)); do
		want=$(want_at "$now")
		[ "x$got" = "x$want" ] && break
	done
	is "$got" "$want" "$@"
}
run_timed() { t0=$(date +%s); ipci "$@"; t1=$(date +%s); }

# A user's name as ipcinspect shows it (the number when there is no name),
# and as JSON (null when there is no name).
uname_of() {
	local n
	n=$(getent passwd "$1" 2>/dev/null | cut -d: -f1)
	echo "${n:-$1}"
}
ujson() {
	local n
	n=$(getent passwd "$1" 2>/dev/null | cut -d: -f1)
	if [ -n "$n" ]; then echo "\"$n\""; else echo null; fi
}
# "orphan: a; b" -> ["orphan",["a","b"]]
vjson() {
	jq -nc --arg s "$1" '($s | index(": ")) as $i | [$s[:$i], ($s[$i + 2:] | split("; "))]'
}

U1=1000 U2=1001 SYS=999
N1=$(uname_of $U1) N2=$(uname_of $U2) NS=$(uname_of $SYS)
MC=${MKIPC##*/}
MC=${MC:0:15}
NP="no process of this IPC namespace maps it"

# ============================================================================
# 1. The population.  The helper, started at a second's start, makes one
# segment at once (its start and the segment's ctime are in the same
# second: the same process, alive), then sleeps 3.2 s so that whatever it
# does next it clearly does after it started (doc/kernel-facts.md).
# Sets come before segments: a waiting child detaches what it inherits.
# The helper's own attachments are dontfork: its later children change no
# lpid (doc/kernel-facts.md, "Last user of a segment").  It sleeps 3.5 s at
# the end, so that the process
# that takes over the creator pid of segment "reused" starts more than 2 s
# after that segment's ctime.
# ============================================================================
second_start
mkipc_start \
	shm:amb,uid=$U1 \
	sleep:3200 \
	sem:sdead,uid=$U1,childop=0 \
	sem:slive,uid=$U1,values=1 \
	sem:swait,uid=$U1,ncnt=0 \
	sem:snever,uid=$U1 \
	sem:sroot \
	msg:qdead,uid=$U1,childsend=1:8,childrecv=1 \
	msg:qmsg,uid=$U1,childsend=2:5 \
	msg:qlive,uid=$U1,send=1:8 \
	msg:qrecv,uid=$U1,childsend=3:6,recv=1 \
	msg:qnever,uid=$U1 \
	msg:qroot \
	shm:never,creator=child,uid=$U1 \
	shm:detached,creator=child,uid=$U1,attachexit \
	shm:reused,creator=child,uid=$U1 \
	shm:root,creator=child \
	shm:sys,creator=child,uid=$SYS \
	shm:inuse,uid=$U1,size=8192,attach=1,dontfork \
	shm:alive,uid=$U1 \
	shm:dest,uid=$U1,attach=1,dontfork,rmid \
	sleep:3500
H=$(mkipc_get pid)
is "$(ids_all)" "shm[0 1 2 3 4 5 6 7 8] msg[0 1 2 3 4 5] sem[0 1 2 3 4]" \
	"mkipc made 9 segments, 6 queues and 5 sets with the expected ids"
SA=$(mkipc_get sdead.actor) SW=$(mkipc_get swait.waiter)
QDS=$(mkipc_get qdead.sender) QDR=$(mkipc_get qdead.receiver)
QMS=$(mkipc_get qmsg.sender) QRS=$(mkipc_get qrecv.sender)
CN=$(mkipc_get never.creator) CD=$(mkipc_get detached.creator) UD=$(mkipc_get detached.user)
CR=$(mkipc_get reused.creator) CRT=$(mkipc_get root.creator) CS=$(mkipc_get sys.creator)
alive=0
for p in $SA $QDS $QDR $QMS $QRS $CN $CD $UD $CR $CRT $CS; do [ -d "/proc/$p" ] && alive=1; done
ok "$alive" \
	"every creator, sender, receiver and actor meant to exit has exited and been reaped"

# pid reuse on purpose: the next pid is the creator of "reused"; then the
# counter goes back, so no other dead pid is handed out again
read -r last_pid </proc/sys/kernel/ns_last_pid
echo $((CR - 1)) >/proc/sys/kernel/ns_last_pid
sleep 1000 </dev/null >/dev/null 2>&1 7>&- 9>&- &
R=$!
echo "$last_pid" >/proc/sys/kernel/ns_last_pid
is "$R" "$CR" "ns_last_pid: a sleep got the pid of the exited creator of segment 3"

# The verdicts, as "verdict: reason; reason" (the text clean prints).
V_shm0="in-use: nattch 0; $NP; creator $H ($MC) is alive: it started in the same second as ctime; never attached"
V_shm1="orphan: nattch 0; $NP; creator $CN exited; never attached"
V_shm2="orphan: nattch 0; $NP; creator $CD exited; last user $UD exited"
V_shm3="orphan: nattch 0; $NP; creator $CR exited: pid $CR now belongs to sleep, started after ctime; never attached"
V_shm4="orphan: nattch 0; $NP; creator $CRT exited; never attached"
V_shm5="orphan: nattch 0; $NP; creator $CS exited; never attached"
V_shm6="in-use: nattch 1; mapped by $MC[$H]; creator $H ($MC) is alive; last user $H ($MC) is alive"
V_shm7="in-use: nattch 0; $NP; creator $H ($MC) is alive; never attached"
V_shm8="in-use: removed: destroyed at its last detach (dest); nattch 1; mapped by $MC[$H]; creator $H ($MC) is alive; last user $H ($MC) is alive"
V_msg0="suspect: last sender $QDS exited; last receiver $QDR exited"
V_msg1="suspect: 1 message waiting; last sender $QMS exited"
V_msg2="in-use: 1 message waiting; last sender $H ($MC) is alive"
V_msg3="in-use: last sender $QRS exited; last receiver $H ($MC) is alive"
V_msg4="suspect: never used"
V_msg5="suspect: never used"
V_sem0="suspect: semaphore #0: last user $SA exited"
V_sem1="in-use: semaphore #0: last user $H ($MC) is alive"
V_sem2="in-use: 1 process waiting; no semaphore was ever operated on"
V_sem3="suspect: no semaphore was ever operated on"
V_sem4="suspect: no semaphore was ever operated on"
# what clean says an object is: kind id key owner [size]
I_shm1="shm 1 key 0x00000000 owner $N1 size 4K"
I_shm2="shm 2 key 0x00000000 owner $N1 size 4K"
I_shm3="shm 3 key 0x00000000 owner $N1 size 4K"
I_shm4="shm 4 key 0x00000000 owner root size 4K"
I_shm5="shm 5 key 0x00000000 owner $NS size 4K"
I_msg0="msg 0 key 0x00000000 owner $N1 size 0B"
I_msg1="msg 1 key 0x00000000 owner $N1 size 5B"
I_msg4="msg 4 key 0x00000000 owner $N1 size 0B"
I_msg5="msg 5 key 0x00000000 owner root size 0B"
I_sem0="sem 0 key 0x00000000 owner $N1"
I_sem3="sem 3 key 0x00000000 owner $N1"
I_sem4="sem 4 key 0x00000000 owner root"

# [[id, verdict, [reasons]], ...] of the objects named KIND:ID...
want_verdicts() {
	local k=$1 id v
	shift
	for id in "$@"; do
		v="V_${k}$id"
		echo "[$id,$(vjson "${!v}" | jq -c '.[0], .[1]' | paste -sd,)]"
	done | jq -sc .
}
got_verdicts() {	# got_verdicts KIND (from $T/out)
	jq -c --arg k "$1" '[.[$k][] | [.id, .verdict, .reasons]]' "$T/out"
}

# --- every verdict, with its age ---------------------------------------------
before=$(sysv)
ipci --json
is "$rc/$(cat "$T/err")" "0/" "list --json: exit 0, nothing on stderr"
is "$(got_verdicts shm)" "$(want_verdicts shm 0 1 2 3 4 5 6 7 8)" \
	"verdicts, shm: in-use (creator alive, made it in its first second), 5 orphans (creator exited, last user exited, creator pid reused), in-use (attached, creator alive, dest)"
is "$(got_verdicts msg)" "$(want_verdicts msg 0 1 2 3 4 5)" \
	"verdicts, msg: suspects when every recorded user is gone or none ever was, in-use with a live sender or receiver"
is "$(got_verdicts sem)" "$(want_verdicts sem 0 1 2 3 4)" \
	"verdicts, sem: suspects (last user exited, never operated on), in-use (live last user, a waiter)"
is "$(jq -c '[(.shm[] | .age == $t - ([.ctime, .atime, .dtime] | map(. // 0) | max))
	, (.msg[] | .age == $t - ([.ctime, .stime, .rtime] | map(. // 0) | max))
	, (.sem[] | .age == $t - ([.ctime, .otime] | map(. // 0) | max))] | unique' --argjson t "$(jq .time "$T/out")" "$T/out")" \
	'[true]' "age: the document's time minus each object's latest recorded time"

# --- orphans ---------------------------------------------------------------------
ipci orphans --json
is "$rc/$(cat "$T/err")" "0/" "orphans --json: exit 0, nothing on stderr"
is "$(got_verdicts shm)|$(got_verdicts msg)|$(got_verdicts sem)|$(jq -c '[.fifo, has("pipe")]' "$T/out")" \
	"$(want_verdicts shm 1 2 3 4 5)|$(want_verdicts msg 0 1 4 5)|$(want_verdicts sem 0 3 4)|[[],false]" \
	"orphans: exactly the orphans and suspects, nothing in use or unknown; no pipe member (never orphans)"
ipci orphans -n --raw -o ID,USER,VERDICT
is "$rc/$(out)" "0/shm 1 $N1 orphan
shm 2 $N1 orphan
shm 3 $N1 orphan
shm 4 root orphan
shm 5 $NS orphan

msg 0 $N1 suspect
msg 1 $N1 suspect
msg 4 $N1 suspect
msg 5 root suspect

sem 0 $N1 suspect
sem 3 $N1 suspect
sem 4 root suspect" "orphans, table: the same objects"
ipci orphans --check
is "$rc" 3 "orphans --check: exit 3 while an orphan exists"
ipci orphans --check -t msg,sem
is "$rc" 0 "orphans --check -t msg,sem: exit 0: suspects are not orphans"
is "$(sysv)" "$before" "orphans changed nothing"

# --- clean, dry runs ------------------------------------------------------------
want_at() {
	local id
	for id in 1 2 3 4 5; do
		local i="I_shm$id" v="V_shm$id"
		echo "kept ${!i}: idle for $(dur $(($1 - $(last_time shm $id)))), less than --min-age 10m00s (${!v})"
	done
	echo "dry run: 0 would be removed (0B), 5 kept; nothing was removed"
	echo "not considered: 7 suspects: add --suspects"
}
run_timed clean
is "$rc/$(cat "$T/err")" "0/" "clean: exit 0, nothing on stderr"
is_at "$(out)" "clean (default --min-age 10m): every orphan is kept as too young, with its idle time; suspects are not considered"
is "$(sysv)" "$before" "clean without --yes removed nothing"

ipci clean --min-age 0
is "$rc/$(out)" "0/would-remove $I_shm1: $V_shm1
would-remove $I_shm2: $V_shm2
would-remove $I_shm3: $V_shm3
kept $I_shm4: owned by root (uid 0): only with --include-root ($V_shm4)
kept $I_shm5: owned by a system user (uid $SYS): only with --include-root ($V_shm5)
dry run: 3 would be removed (12K), 2 kept; nothing was removed: run with --yes to remove them
not considered: 7 suspects: add --suspects" \
	"clean --min-age 0: the three orphans of uid $U1 would go, root's and a system user's are kept"
is "$(sysv)" "$before" "clean --min-age 0 without --yes removed nothing"
ipci clean --min-age 0 -b
is "$rc/$(out)" "0/would-remove ${I_shm1% 4K} 4096: $V_shm1
would-remove ${I_shm2% 4K} 4096: $V_shm2
would-remove ${I_shm3% 4K} 4096: $V_shm3
kept ${I_shm4% 4K} 4096: owned by root (uid 0): only with --include-root ($V_shm4)
kept ${I_shm5% 4K} 4096: owned by a system user (uid $SYS): only with --include-root ($V_shm5)
dry run: 3 would be removed (12288), 2 kept; nothing was removed: run with --yes to remove them
not considered: 7 suspects: add --suspects" \
	"clean --min-age 0 -b: sizes in bytes"

# the JSON report: every member of one action, then every action
ipci clean --min-age 0 --suspects --include-root --json
is "$rc/$(cat "$T/err")" "0/" "clean --json: exit 0, nothing on stderr"
is "$(jq -c '[.schema, .command, .dry_run, .warnings, (.time | type), (.ipc_ns == ($ns | tonumber))]' --arg ns "$(stat -L -c %i /proc/self/ns/ipc)" "$T/out")" \
	'[1,"clean",true,[],"number",true]' "clean --json: schema 1, command clean, dry_run true, no warnings, this IPC namespace"
is "$(jq -c '.actions[0]' "$T/out")" \
	"{\"kind\":\"shm\",\"id\":1,\"key\":\"0x00000000\",\"path\":null,\"uid\":$U1,\"user\":$(ujson $U1),\"size\":4096,\"verdict\":\"orphan\",\"reasons\":$(vjson "$V_shm1" | jq -c '.[1]'),\"action\":\"would-remove\",\"why\":null,\"backup\":null}" \
	"clean --json: one action, every member exact (no --backup: backup null)"
is "$(jq -c '[.actions[] | [.kind, .id, .uid, .size, .verdict, .action, .why]]' "$T/out")" \
	"$(jq -nc "[[\"shm\",1,$U1,4096,\"orphan\",\"would-remove\",null],[\"shm\",2,$U1,4096,\"orphan\",\"would-remove\",null],[\"shm\",3,$U1,4096,\"orphan\",\"would-remove\",null],[\"shm\",4,0,4096,\"orphan\",\"would-remove\",null],[\"shm\",5,$SYS,4096,\"orphan\",\"would-remove\",null],[\"msg\",0,$U1,0,\"suspect\",\"would-remove\",null],[\"msg\",1,$U1,5,\"suspect\",\"would-remove\",null],[\"msg\",4,$U1,0,\"suspect\",\"would-remove\",null],[\"msg\",5,0,0,\"suspect\",\"would-remove\",null],[\"sem\",0,$U1,null,\"suspect\",\"would-remove\",null],[\"sem\",3,$U1,null,\"suspect\",\"would-remove\",null],[\"sem\",4,0,null,\"suspect\",\"would-remove\",null]]")" \
	"clean --suspects --include-root --json: every orphan and suspect would go, in order, nothing in use or unknown"
is "$(jq -c '.summary' "$T/out")" \
	'{"removed":0,"marked":0,"would_remove":12,"kept":0,"skipped":0,"gone":0,"failed":0,"bytes_freed":20485}' \
	"clean --json: summary (bytes: 5 segments of 4096 and 5 bytes in queue 1)"
is "$(sysv)" "$before" "clean --json without --yes removed nothing"

# too young: the reason carries the idle time, from the document's own clock
ipci clean --min-age 1h --suspects --json
now=$(jq .time "$T/out")
want=$(for o in shm:1 shm:2 shm:3 shm:4 shm:5 msg:0 msg:1 msg:4 msg:5 sem:0 sem:3 sem:4; do
	echo "[\"${o%:*}\",${o#*:},\"kept\",\"idle for $(dur $((now - $(last_time "${o%:*}" "${o#*:}")))), less than --min-age 1h00m\"]"
done | jq -sc .)
is "$rc/$(jq -c '[.actions[] | [.kind, .id, .action, .why]]' "$T/out")/$(jq -c '.summary | [.would_remove, .kept, .bytes_freed]' "$T/out")" \
	"0/$want/[0,12,0]" "clean --min-age 1h --suspects: everything kept as too young (the age check comes first)"

# --- clean --yes -------------------------------------------------------------------
ipci clean --yes --no-syslog --min-age 0 -t shm -i 2
is "$rc/$(out)" "0/removed $I_shm2: $V_shm2
1 removed (4K freed), 0 marked, 0 kept, 0 skipped, 0 already gone, 0 failed" \
	"clean --yes -t shm -i 2: removes segment 2 alone"
is "$(ids_all)" "shm[0 1 3 4 5 6 7 8] msg[0 1 2 3 4 5] sem[0 1 2 3 4]" "clean -i 2: only segment 2 is gone"

ipci clean --yes --no-syslog --min-age 0
is "$rc/$(out)" "0/removed $I_shm1: $V_shm1
removed $I_shm3: $V_shm3
kept $I_shm4: owned by root (uid 0): only with --include-root ($V_shm4)
kept $I_shm5: owned by a system user (uid $SYS): only with --include-root ($V_shm5)
2 removed (8K freed), 0 marked, 2 kept, 0 skipped, 0 already gone, 0 failed
not considered: 7 suspects: add --suspects" \
	"clean --yes --min-age 0: removes the orphans of uid $U1 (the reused creator pid too), keeps root's and the system user's"
is "$(ids_all)" "shm[0 4 5 6 7 8] msg[0 1 2 3 4 5] sem[0 1 2 3 4]" \
	"clean --yes: exactly segments 1 and 3 are gone; in use, unknown and suspects stay"
ipci orphans --check
is "$rc" 3 "orphans --check: still exit 3 (root's orphans are left)"

ipci clean --yes --no-syslog --min-age 0 --include-root --json
is "$rc/$(jq -c '[.dry_run, [.actions[] | [.kind, .id, .action, .why]], .summary]' "$T/out")" \
	'0/[false,[["shm",4,"removed",null],["shm",5,"removed",null]],{"removed":2,"marked":0,"would_remove":0,"kept":0,"skipped":0,"gone":0,"failed":0,"bytes_freed":8192}]' \
	"clean --yes --include-root --json: root's and the system user's orphans removed, report exact"
is "$(ids_all)" "shm[0 6 7 8] msg[0 1 2 3 4 5] sem[0 1 2 3 4]" "clean --include-root: exactly segments 4 and 5 are gone"
ipci orphans --check
is "$rc" 0 "orphans --check: exit 0 once no orphan is left (suspects remain)"

ipci clean --yes --no-syslog --min-age 0 --suspects
is "$rc/$(out)" "0/removed $I_msg0: $V_msg0
removed $I_msg1: $V_msg1
removed $I_msg4: $V_msg4
kept $I_msg5: owned by root (uid 0): only with --include-root ($V_msg5)
removed $I_sem0: $V_sem0
removed $I_sem3: $V_sem3
kept $I_sem4: owned by root (uid 0): only with --include-root ($V_sem4)
5 removed (5B freed), 0 marked, 2 kept, 0 skipped, 0 already gone, 0 failed" \
	"clean --yes --suspects: removes the suspects of uid $U1, keeps root's"
is "$(ids_all)" "shm[0 6 7 8] msg[2 3 5] sem[1 2 4]" "clean --suspects: exactly queues 0, 1, 4 and sets 0, 3 are gone"

ipci clean --yes --no-syslog --min-age 0 --suspects --include-root -u 0
is "$rc/$(out)" "0/removed $I_msg5: $V_msg5
removed $I_sem4: $V_sem4
2 removed (0B freed), 0 marked, 0 kept, 0 skipped, 0 already gone, 0 failed" \
	"clean --suspects --include-root -u 0: root's suspects"
is "$(ids_all)" "shm[0 6 7 8] msg[2 3] sem[1 2]" \
	"what is left is exactly what is in use or unknown"
ipci clean --min-age 0 --suspects --include-root
is "$rc/$(out)" "0/dry run: 0 would be removed (0B), 0 kept; nothing was removed" \
	"clean: nothing left to remove"
ipci orphans --json
is "$rc/$(jq -c '[.shm, .msg, .sem, .fifo, has("pipe")]' "$T/out")" "0/[[],[],[],[],false]" "orphans: none left"

kill "$R"
wait "$R" 2>/dev/null
mkipc_stop
is "$(ids_all)" "shm[] msg[] sem[]" "the helper removed the rest"

# --- usage errors, and --key --------------------------------------------------------
ipci clean -t pipe
is "$rc/$(out)/$(cat "$T/err")" "2//ipcinspect: pipes exist only through their fds: they cannot be removed
Try 'ipcinspect --help' for more information." "clean -t pipe: exit 2"
ipci clean -t fifo
is "$rc/$(out)/$(cat "$T/err")" "2//ipcinspect: clean removes FIFO files only under a --fifo-dir
Try 'ipcinspect --help' for more information." "clean -t fifo without --fifo-dir: exit 2"
ipci orphans --yes
is "$rc/$(out)/$(cat "$T/err")" "2//ipcinspect: 'orphans' does not take --yes
Try 'ipcinspect --help' for more information." "orphans --yes: exit 2"
ipci clean --min-age 10x
is "$rc/$(cat "$T/err")" "2/ipcinspect: invalid duration '10x' (like 90s, 10m, 2h, 1d, 1h30m, or 0)
Try 'ipcinspect --help' for more information." "clean --min-age 10x: exit 2"

mkipc_start shm:k1,key=0x5151,creator=child,uid=$U1 shm:k2,key=0x5252,creator=child,uid=$U1
K1=$(mkipc_get k1.id) K2=$(mkipc_get k2.id)
ipci clean --yes --no-syslog --min-age 0 --key 0x5252
is "$rc/$(out)" "0/removed shm $K2 key 0x00005252 owner $N1 size 4K: orphan: nattch 0; $NP; creator $(mkipc_get k2.creator) exited; never attached
1 removed (4K freed), 0 marked, 0 kept, 0 skipped, 0 already gone, 0 failed" "clean --key: only the object with that key"
is "$(ids_all)" "shm[$K1] msg[] sem[]" "clean --key: the other orphan stays"
mkipc_stop

# ============================================================================
# 2. Races on purpose.  clean is paused right before each object's
# re-check (its first *_STAT_ANY call on the object's index) and the hook
# runs with IPCI_KIND and IPCI_ID: it attaches a segment (and stays attached),
# attaches and detaches another, removes a third, sends to a queue,
# removes another, operates on a set.  Each must be skipped or reported
# gone, and only the untouched orphan removed.
# ============================================================================
mkipc_start \
	shm:attach,creator=child,uid=$U1 \
	shm:touch,creator=child,uid=$U1 \
	shm:vanish,creator=child,uid=$U1 \
	shm:plain,creator=child,uid=$U1 \
	msg:qsend,uid=$U1 \
	msg:qvanish,uid=$U1 \
	sem:sop,uid=$U1
A=$(mkipc_get attach.id) B=$(mkipc_get touch.id) V=$(mkipc_get vanish.id) P=$(mkipc_get plain.id)
QS=$(mkipc_get qsend.id) QV=$(mkipc_get qvanish.id) SO=$(mkipc_get sop.id)
CA=$(mkipc_get attach.creator) CB=$(mkipc_get touch.creator) CV=$(mkipc_get vanish.creator) CP=$(mkipc_get plain.creator)
is "$(ids_all)" "shm[$A $B $V $P] msg[$QS $QV] sem[$SO]" "race objects made"

# The late attacher reads its stdin from $T/hold, which this shell keeps
# open for writing (fd 7): it stays attached until fd 7 is closed.
mkfifo "$T/hold"
exec 7<>"$T/hold"
cat >"$T/hook" <<EOF
echo "\$IPCI_KIND \$IPCI_ID" >>"$T/hook.log"
case \$IPCI_KIND/\$IPCI_ID in
shm/$A)
	"$MKIPC" "shm:late,id=\$IPCI_ID,attach=1" <"$T/hold" >"$T/late.out" 2>&1 &
	while ! grep -qx ready "$T/late.out" 2>/dev/null; do sleep 0.02; done ;;
shm/$B) "$MKIPC" "shm:touch,id=\$IPCI_ID,attach=1" </dev/null >/dev/null ;;
shm/$V) ipcrm -m "\$IPCI_ID" ;;
msg/$QS) "$MKIPC" "msg:late,id=\$IPCI_ID,send=7:3" </dev/null >/dev/null ;;
msg/$QV) ipcrm -q "\$IPCI_ID" ;;
sem/$SO) "$MKIPC" "sem:late,id=\$IPCI_ID,childop=0" </dev/null >/dev/null ;;
esac
EOF
O="$N1"
# the pauses: shm/msg/sem at SHM/MSG/SEM_STAT_ANY of its index
sysv_pauses=$(for o in shm/$A shm/$B shm/$V shm/$P msg/$QS msg/$QV sem/$SO; do
	case $o in
	shm/*) echo "shmctl.SHM_STAT_ANY@$(sysv_idx "${o#*/}"):1" ;;
	msg/*) echo "msgctl.MSG_STAT_ANY@$(sysv_idx "${o#*/}"):1" ;;
	sem/*) echo "semctl.SEM_STAT_ANY@$(sysv_idx "${o#*/}"):1" ;;
	esac
done | paste -sd,)
# at a pause: which object (the ids of one kind have distinct indexes)
sysv_paused() {
	local i=${IPCI_CALL#*@} o
	IPCI_KIND=$(case $IPCI_CALL in shmctl*) echo shm ;; msgctl*) echo msg ;; *) echo sem ;; esac)
	for o in $(ids "$IPCI_KIND"); do
		[ "$(sysv_idx "$o")" = "$i" ] && IPCI_ID=$o
	done
}
ipci_races "$sysv_pauses" 'sysv_paused; . "$T/hook"' clean --yes --no-syslog --min-age 0 --suspects
is "$rc/$(cat "$T/err")" "0/" "race: exit 0, nothing on stderr"
is "$(out)" "skipped shm $A key 0x00000000 owner $O size 4K: nattch is 1 now, was 0 (orphan: nattch 0; $NP; creator $CA exited; never attached)
skipped shm $B key 0x00000000 owner $O size 4K: attached or detached since it was judged (orphan: nattch 0; $NP; creator $CB exited; never attached)
gone shm $V key 0x00000000 owner $O size 4K: already gone (orphan: nattch 0; $NP; creator $CV exited; never attached)
removed shm $P key 0x00000000 owner $O size 4K: orphan: nattch 0; $NP; creator $CP exited; never attached
skipped msg $QS key 0x00000000 owner $O size 0B: used since it was judged (suspect: never used)
gone msg $QV key 0x00000000 owner $O size 0B: already gone (suspect: never used)
skipped sem $SO key 0x00000000 owner $O: operated on since it was judged (suspect: no semaphore was ever operated on)
1 removed (4K freed), 0 marked, 0 kept, 4 skipped, 2 already gone, 0 failed" \
	"race: attached, attached and detached, used or operated on since judged: skipped; removed meanwhile: gone; untouched: removed"
is "$(cat "$T/hook.log")" "shm $A
shm $B
shm $V
shm $P
msg $QS
msg $QV
sem $SO" "race: clean paused once right before each object's re-check, in order"
is "$(ids_all)" "shm[$A $B] msg[$QS] sem[$SO]" "race: the skipped objects are still there, and only they"
LATE=$(sed -n 's/^pid=//p' "$T/late.out")
is "$(awk -v id="$A" '$2 == id { print $6, $7 }' /proc/sysvipc/shm)" "$LATE 1" \
	"race: segment $A is attached (nattch 1) by the process that attached it in the window"
is "$(awk -v id="$QS" '$2 == id { print $5 }' /proc/sysvipc/msg)" 1 "race: queue $QS holds the message sent in the window"
exec 7>&-
wait_gone() { local i; for i in $(seq 200); do [ -d "/proc/$1" ] || return 0; sleep 0.05; done; return 1; }
wait_gone "$LATE"
ipci clean --yes --no-syslog --min-age 0 -t shm
is "$rc/$(out | cut -d: -f1)" "0/removed shm $A key 0x00000000 owner $O size 4K
removed shm $B key 0x00000000 owner $O size 4K
2 removed (8K freed), 0 marked, 0 kept, 0 skipped, 0 already gone, 0 failed
not considered" \
	"race: once the late attacher has gone, both skipped segments are orphans again and a clean removes them"
mkipc_stop
rm -f "$T/hook.log"

# ============================================================================
# 3. An unprivileged user (uid 1000) cleaning uid 1001's objects: each
# IPC_RMID fails on its own line, its own queue goes, nothing else changes.
# Root's processes cannot be read by that user, so a segment's verdict is
# unknown for it (never an orphan), and a set it may not read is unknown.
# ============================================================================
if setpriv --reuid=$U1 --regid=$U1 --clear-groups "$IPCINSPECT" --version >/dev/null 2>&1; then
	mkipc_start \
		shm:oshm,creator=child,uid=$U2 \
		msg:omsg,uid=$U2 \
		sem:osem,uid=$U2,mode=0644 \
		sem:osecret,uid=$U2 \
		msg:mine,uid=$U1
	OM=$(mkipc_get omsg.id) OS=$(mkipc_get osem.id) MI=$(mkipc_get mine.id)
	OSH=$(mkipc_get oshm.id) OSC=$(mkipc_get osecret.id) CO=$(mkipc_get oshm.creator)
	# every process but a zombie whose threads are gone is unreadable to
	# that user (ts-holders.sh)
	procs=(/proc/[0-9]*)
	N=${#procs[@]} NU=0
	for p in "${procs[@]}"; do
		[ "$(awk '$1 == "State:" {print $2} $1 == "Threads:" {print $2}' "$p/status" | tr '\n' ' ')" = "Z 1 " ] || NU=$((NU + 1))
	done
	before=$(sysv)
	after_mine=$(cat /proc/sysvipc/shm; awk -v id="$MI" '$2 != id' /proc/sysvipc/msg; cat /proc/sysvipc/sem)
	setpriv --reuid=$U1 --regid=$U1 --clear-groups "$IPCINSPECT" clean --yes --suspects --min-age 0 --no-syslog \
		</dev/null >"$T/out" 2>"$T/err" 7>&- 8>&- 9>&-
	rc=$?
	is "$rc" 1 "unprivileged clean: exit 1 (removals failed)"
	is "$(out)" "failed shm $OSH key 0x00000000 owner $N2 size 4K: IPC_RMID: permission denied (orphan: nattch 0; $NP; creator $CO exited; never attached)
failed msg $OM key 0x00000000 owner $N2 size 0B: IPC_RMID: permission denied (suspect: never used)
removed msg $MI key 0x00000000 owner $N1 size 0B: suspect: never used
failed sem $OS key 0x00000000 owner $N2: IPC_RMID: permission denied (suspect: no semaphore was ever operated on)
1 removed (0B freed), 0 marked, 0 kept, 0 skipped, 0 already gone, 3 failed" \
		"unprivileged clean: one 'failed ...: IPC_RMID: permission denied' line per object of uid $U2, its own queue removed"
	is "$(cat "$T/err")" "ipcinspect: warning: $NU of $N processes could not be read: holders may be missing (--json lists them under scan)
ipcinspect: clean: 3 of 4 removals failed" \
		"unprivileged clean: the unreadable processes are a warning on stderr, the failures counted last"
	is "$(sysv)" "$after_mine" \
		"unprivileged clean: nothing changed but its own queue being gone"
	setpriv --reuid=$U1 --regid=$U1 --clear-groups "$IPCINSPECT" --json </dev/null >"$T/out" 2>/dev/null 7>&- 8>&- 9>&-
	json_keep "$T/out" "$?" --json
	is "$(jq -c --argjson a "$OSH" --argjson b "$OSC" '[(.shm[] | select(.id == $a) | [.verdict, .reasons]), (.sem[] | select(.id == $b) | [.verdict, .reasons])]' "$T/out")" \
		"[[\"orphan\",[\"nattch 0\",\"$NP\",\"creator $CO exited\",\"never attached\"]],[\"unknown\",[\"semaphores could not be read: permission denied\"]]]" \
		"unprivileged: with root's processes unreadable a segment with nattch 0 is still an orphan (nattch is exact), a set it may not read unknown"
	mkipc_stop
else
	for _ in 1 2 3 4 5; do
		tap_n=$((tap_n + 1))
		echo "ok $tap_n # SKIP uid $U1 cannot execute $IPCINSPECT"
	done
fi

# ============================================================================
# 4. FIFOs under --fifo-dir.  D holds: free (nobody holds it: a suspect),
# held (the helper reads it: in use), race (swapped for a regular file in
# the window), gone (removed in the window), rootfifo (root's), a symlink
# to a FIFO elsewhere, and a regular file.  L is a symlink to a directory
# holding a FIFO.
# ============================================================================
D=$T/fifos E=$T/elsewhere
mkdir "$D" "$E"
for f in free race gone rootfifo; do mkfifo "$D/$f"; done
mkfifo "$E/target"
ln -s "$E/target" "$D/link"
ln -s "$E" "$T/fifolink"
echo text >"$D/plainfile"
chown $U1 "$D/free" "$D/race" "$D/gone" "$E/target"
mkipc_start "fifo:held,path=$D/held,open=r"
chown $U1 "$D/held"
H=$(mkipc_get pid)
ino() { stat -c %i "$1"; }
ls_d() { (cd "$1" && for f in *; do printf '%s:%s ' "$f" "$(stat -c %F "$f")"; done); echo; }

ipci orphans --fifo-dir "$D" --json
is "$rc/$(jq -c '[.fifo[] | [.path, .on_disk, .uid, .verdict, .reasons]] | sort' "$T/out")" \
	"0/[[\"$D/free\",true,$U1,\"suspect\",[\"nobody holds it open\"]],[\"$D/gone\",true,$U1,\"suspect\",[\"nobody holds it open\"]],[\"$D/race\",true,$U1,\"suspect\",[\"nobody holds it open\"]],[\"$D/rootfifo\",true,0,\"suspect\",[\"nobody holds it open\"]]]" \
	"orphans --fifo-dir: the FIFOs nobody holds are suspects; the symlink and the regular file are no FIFO entries"
ipci --fifo-dir "$D" --json -t fifo
is "$(jq -c --argjson i "$(ino "$D/held")" '[.fifo[] | select(.inode == $i) | [.path, .on_disk, .uid, .verdict, .reasons]]' "$T/out")" \
	"[[\"$D/held\",true,$U1,\"in-use\",[\"held open by $MC[$H]\"]]]" \
	"list --fifo-dir: a FIFO held open is in use, found on disk too"
is "$(jq -c --argjson i "$(ino "$E/target")" '[.fifo[] | select(.inode == $i)]' "$T/out")" "[]" \
	"list --fifo-dir: the FIFO a symlink in the directory points to is not listed (never followed)"

before_d=$(ls_d "$D")
ipci clean -t fifo --fifo-dir "$D"
is "$rc/$(out)" "0/dry run: 0 would be removed (0B), 0 kept; nothing was removed
not considered: 4 suspects: add --suspects" \
	"clean --fifo-dir without --suspects: FIFOs are suspects at best, none considered, and said so"
ipci clean -t fifo --fifo-dir "$D" --suspects --min-age 0
want=$(for f in free gone race rootfifo; do echo "$(ino "$D/$f") $f"; done | sort -n | while read -r _ f; do
	if [ $f = rootfifo ]; then
		echo "kept fifo $D/$f owner root: owned by root (uid 0): only with --include-root (suspect: nobody holds it open)"
	else
		echo "would-remove fifo $D/$f owner $N1: suspect: nobody holds it open"
	fi
done)
is "$rc/$(out)" "0/$want
dry run: 3 would be removed (0B), 1 kept; nothing was removed: run with --yes to remove them" \
	"clean --fifo-dir --suspects, dry run: the three of uid $U1 would go, root's is kept, the held one is not a candidate"
is "$(ls_d "$D")" "$before_d" "dry run: every file in the --fifo-dir is still there"

ipci clean -t fifo --fifo-dir "$T/fifolink" --suspects --min-age 0 --include-root --yes --no-syslog
is "$rc/$(cat "$T/err")/$(out)" \
	"0/ipcinspect: warning: --fifo-dir $T/fifolink: a symbolic link, not followed/0 removed (0B freed), 0 marked, 0 kept, 0 skipped, 0 already gone, 0 failed" \
	"--fifo-dir naming a symlink to a directory: a warning, not followed, nothing removed"
is "$(stat -c %F "$E/target")" fifo "the FIFO in the directory the symlink points to is still there"

cat >"$T/hook" <<EOF
echo "\$IPCI_KIND \$IPCI_ID" >>"$T/hook.log"
case \$IPCI_KIND/\$IPCI_ID in
fifo/$(ino "$D/race")) rm "$D/race" && echo text >"$D/race" ;;
fifo/$(ino "$D/gone")) rm "$D/gone" ;;
esac
EOF
want=$(for f in free gone race rootfifo; do echo "$(ino "$D/$f") $f"; done | sort -n | while read -r _ f; do
	case $f in
	rootfifo) echo "kept fifo $D/$f owner root: owned by root (uid 0): only with --include-root (suspect: nobody holds it open)" ;;
	free) echo "removed fifo $D/$f owner $N1: suspect: nobody holds it open" ;;
	gone) echo "gone fifo $D/$f owner $N1: already gone (suspect: nobody holds it open)" ;;
	race) echo "skipped fifo $D/$f owner $N1: not the same FIFO any more (suspect: nobody holds it open)" ;;
	esac
done)
hooked=$(for f in free gone race; do ino "$D/$f"; done | sort -n | sed 's/^/fifo /')
# a FIFO's re-check starts with its 2nd fstatat (the 1st: the listing)
fifo_paused() { IPCI_KIND=fifo IPCI_ID=$(ino "$D/${IPCI_CALL#*@}"); }
ipci_races "fstatat@free:2,fstatat@gone:2,fstatat@race:2" 'fifo_paused; . "$T/hook"' \
	clean -t fifo --fifo-dir "$D" --suspects --min-age 0 --yes --no-syslog
is "$rc/$(cat "$T/err")/$(out)" "0//$want
1 removed (0B freed), 0 marked, 1 kept, 1 skipped, 1 already gone, 0 failed" \
	"clean --fifo-dir --yes: the free FIFO removed; swapped for a file in the window: skipped; removed meanwhile: gone; root's kept"
is "$(cat "$T/hook.log")" "$hooked" "clean paused before each FIFO's re-check, in inode order"
is "$(ls_d "$D")" "held:fifo link:symbolic link plainfile:regular file race:regular file rootfifo:fifo " \
	"after clean: the held FIFO, the symlink, the regular files and root's FIFO are left"
is "$(stat -c %F "$E/target")" fifo "the FIFO the symlink points to is still there"
rm -f "$T/hook.log"

# The directory is opened once: if its path becomes a symlink to another
# directory in the window, the removal still happens where it was read.
mkdir "$T/swap" "$T/decoy"
mkfifo "$T/swap/x" "$T/decoy/x"
chown $U1 "$T/swap/x" "$T/decoy/x"
echo "mv '$T/swap' '$T/swap.real' && ln -s '$T/decoy' '$T/swap'" >"$T/hook"
ipci_race fstatat@x 2 '. "$T/hook"' clean -t fifo --fifo-dir "$T/swap" --suspects --min-age 0 --yes --no-syslog
is "$rc/$(out)" "0/removed fifo $T/swap/x owner $N1: suspect: nobody holds it open
1 removed (0B freed), 0 marked, 0 kept, 0 skipped, 0 already gone, 0 failed" \
	"--fifo-dir swapped for a symlink in the window: the FIFO that was judged is removed"
is "$(ls -A "$T/swap.real")|$(stat -c %F "$T/decoy/x")" "|fifo" \
	"it was removed in the directory that was read; the same name behind the new symlink is untouched"

# The same directory given twice is still one directory: each FIFO once.
mkdir "$T/twice"
for f in a b c d e f g h; do mkfifo "$T/twice/$f"; done
chown $U1 "$T/twice"/*
ipci orphans --fifo-dir "$T/twice" --fifo-dir "$T/twice" --json
is "$rc/$(jq -c '[.fifo[].path] | sort' "$T/out")" "0/$(cd "$T/twice" && printf "$T/twice/%s\n" * | jq -Rsc 'split("\n")[:-1]')" \
	"--fifo-dir DIR --fifo-dir DIR: each FIFO listed once (keyed by dev and inode)"
ipci clean -t fifo --fifo-dir "$T/twice" --fifo-dir "$T/twice" --suspects --min-age 0 --yes --no-syslog
is "$rc/$(tail -n 1 "$T/out")" "0/8 removed (0B freed), 0 marked, 0 kept, 0 skipped, 0 already gone, 0 failed" \
	"--fifo-dir DIR --fifo-dir DIR, clean: each FIFO removed once, none 'already gone'"

# A FIFO someone opens in the window is in use: the re-check must see it.
mkdir "$T/late"
mkfifo "$T/late/f"
chown $U1 "$T/late/f"
cat >"$T/hook" <<EOF
sleep 60 0<>"$T/late/f" >/dev/null 2>&1 &
echo \$! >"$T/opener"
while [ "\$(readlink /proc/\$!/fd/0)" != "$T/late/f" ]; do sleep 0.01; done
EOF
ipci_race fstatat@f 2 '. "$T/hook"' clean -t fifo --fifo-dir "$T/late" --suspects --min-age 0 --yes --no-syslog
is "$rc/$(head -n 1 "$T/out" | cut -d: -f1)/$(stat -c %F "$T/late/f" 2>&1)" "0/skipped fifo $T/late/f owner $N1/fifo" \
	"a FIFO opened by a process between the listing and the removal is not removed"
kill "$(cat "$T/opener")" 2>/dev/null

# A --fifo-dir that is a symlink is not followed, however it is spelled:
# "LINK/" (as shell completion writes it) resolves the link in open(2)
# even with O_NOFOLLOW.
mkdir "$T/tsreal"
mkfifo "$T/tsreal/f"
chown $U1 "$T/tsreal/f"
ln -s "$T/tsreal" "$T/tslink"
ipci clean -t fifo --fifo-dir "$T/tslink/" --suspects --min-age 0 --yes --no-syslog
is "$rc/$(cat "$T/err")/$(out)" \
	"0/ipcinspect: warning: --fifo-dir $T/tslink/: a symbolic link, not followed/0 removed (0B freed), 0 marked, 0 kept, 0 skipped, 0 already gone, 0 failed" \
	"--fifo-dir LINK/ (a trailing slash): still a symlink, not followed, nothing removed"
is "$(stat -c %F "$T/tsreal/f" 2>&1)" fifo "the FIFO behind LINK/ is still there"
mkipc_stop

# ============================================================================
# 5. The syslog record.  logsink binds a datagram socket in $T; a mount
# namespace of our own (inside the private one) puts it over /dev/log: a
# bind over /dev/log where there is one, else a tmpfs over /dev with the
# few device nodes bound in from the real /dev.  Nothing outside that
# namespace ever sees it; it ends with the command.
# ============================================================================
# with_devlog ARGS...: run ipcinspect ARGS with /dev/log our socket; its pid in $T/ipci.pid
with_devlog() {
	unshare --mount --propagation private bash -c '
		set -e
		sock=$1 dev=$2 pidfile=$3
		shift 3
		if [ ! -e /dev/log ]; then	# none, or a dangling symlink: a /dev of our own
			mount -t tmpfs -o mode=755,size=64k ipci-dev "$dev"
			for n in null zero full random urandom tty; do
				[ -e "/dev/$n" ] || continue
				: >"$dev/$n"
				mount --bind "/dev/$n" "$dev/$n"
			done
			ln -s /proc/self/fd "$dev/fd"
			ln -s fd/0 "$dev/stdin"
			ln -s fd/1 "$dev/stdout"
			ln -s fd/2 "$dev/stderr"
			: >"$dev/log"
			mount --move "$dev" /dev
		fi
		mount --bind "$sock" /dev/log
		echo $$ >"$pidfile"
		exec "$@"' with_devlog "$T/log.sock" "$T/dev" "$T/ipci.pid" "$IPCINSPECT" "$@" \
		</dev/null >"$T/out" 2>"$T/err" 7>&- 8>&- 9>&-
	rc=$?
	json_keep "$T/out" "$rc" "$@"
}
# records: what logsink got, the time stamp cut out
records() {
	sed -E 's/^(<[0-9]+>)[A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} /\1TIME /' "$T/log.out" | grep -vx ready
}
start_sink() {
	rm -f "$T/log.sock"
	"$LOGSINK" "$T/log.sock" 50 >"$T/log.out" 2>"$T/log.err" 7>&- 8>&- 9>&- &
	SINK=$!
	for _ in $(seq 200); do grep -qx ready "$T/log.out" 2>/dev/null && return 0; sleep 0.02; done
	bail "logsink did not start: $(cat "$T/log.err")"
}
stop_sink() { kill -TERM "$SINK"; wait "$SINK"; }

if [ ! -x "$LOGSINK" ]; then
	for _ in 1 2 3 4 5 6 7; do
		tap_n=$((tap_n + 1))
		echo "ok $tap_n # SKIP $LOGSINK not built"
	done
	done_testing
fi
mkdir "$T/dev" "$T/logfifo"
mkfifo "$T/logfifo/f"
chown $U1 "$T/logfifo/f"
FI=$(ino "$T/logfifo/f")
mkipc_start \
	shm:s,creator=child,uid=$U1,size=8192 \
	msg:q,key=0x5151,uid=$U1,childsend=1:11 \
	sem:m,nsems=3,uid=$U1 \
	shm:busy,key=0x4242,attach=1,dontfork \
	shm:quiet,creator=child
S=$(mkipc_get s.id) Q=$(mkipc_get q.id) M=$(mkipc_get m.id) BUSY=$(mkipc_get busy.id) QUIET=$(mkipc_get quiet.id)

start_sink
with_devlog clean --yes --min-age 0 --suspects --fifo-dir "$T/logfifo"
LP=$(cat "$T/ipci.pid")
stop_sink
is "$rc/$(cat "$T/err")/$(tail -n 1 "$T/out")" "0//4 removed (8K freed), 0 marked, 1 kept, 0 skipped, 0 already gone, 0 failed" \
	"syslog: clean --yes removed a segment, a queue, a set and a FIFO (root's segment kept)"
is "$(records)" "<85>TIME ipcinspect[$LP]: removed shm id=$S key=0x00000000 owner=$U1 size=8192 by uid=0
<85>TIME ipcinspect[$LP]: removed msg id=$Q key=0x00005151 owner=$U1 size=11 by uid=0
<85>TIME ipcinspect[$LP]: removed sem id=$M key=0x00000000 owner=$U1 nsems=3 by uid=0
<85>TIME ipcinspect[$LP]: removed fifo path=$T/logfifo/f inode=$FI owner=$U1 by uid=0" \
	"syslog: one record per removal, authpriv.notice (<85>), tagged ipcinspect[PID], exact text"
is "$(ids_all)" "shm[$BUSY $QUIET] msg[] sem[]" "syslog: the objects recorded are the ones gone"

start_sink
with_devlog clean --yes --min-age 0 --no-syslog --include-root -t shm
stop_sink
is "$rc/$(tail -n 1 "$T/out")/$(records | wc -l)" "0/1 removed (4K freed), 0 marked, 0 kept, 0 skipped, 0 already gone, 0 failed/0" \
	"syslog: --no-syslog removes and writes no record"
is "$(ids_all)" "shm[$BUSY] msg[] sem[]" "--no-syslog: the segment is gone all the same"

start_sink
with_devlog rm --force -m "$BUSY"
stop_sink
is "$rc/$(head -n 1 "$T/out" | cut -d: -f1)" "0/marked shm $BUSY key 0x00004242 owner root size 4K" \
	"syslog: rm --force of an attached segment marks it"
is "$(records | wc -l)/$(records | grep -c ': removed shm ')" "1/0" \
	"syslog: a segment only marked (still attached) has one record, and it does not say 'removed'"
mkipc_stop

# --- a FIFO opened right before the re-check by a thread whose leader exited --
# (issue 12, defect 1): clean paused right before its re-check (the
# preload library, at the second open of /proc: the first is the
# listing's), a second thread of a process whose main thread exited opens
# it: the re-check reads that process through its live thread and keeps it.
mkdir "$T/lfifo"
mkfifo "$T/lfifo/f"
mkipc_start "late:hf,path=$T/lfifo/f"
fifo_clean() {
	"$IPCINSPECT" clean -t fifo --fifo-dir "$T/lfifo" --suspects --include-root --min-age 0 --yes \
		--no-syslog "$@" 2>"$T/err" 7>&- 8>&- 9>&-
}
preload_pause_start open@/proc 2 fifo_clean </dev/null >"$T/out"
preload_wait_paused
ok $? "FIFO: clean paused right before its re-check"
echo "open hf" >&9
mkipc_wait hf.opened
preload_resume
is "$PRELOAD_RC|$(head -n 1 "$T/out")|$(stat -c %F "$T/lfifo/f")" \
	"0|skipped fifo $T/lfifo/f owner root: opened by a process since it was judged (suspect: nobody holds it open)|fifo" \
	"FIFO: opened by a thread of a process whose main thread exited, right before the re-check: kept"

# --- ipcinspect's own output on a FIFO is in use (issue 12, defect 9) ---------
# (the redirections on the command itself: on a shell function the shell
# would hold the FIFO too)
mkfifo "$T/lfifo/report"
"$IPCINSPECT" clean -t fifo --fifo-dir "$T/lfifo" --suspects --include-root --min-age 0 --yes \
	--no-syslog </dev/null 1<>"$T/lfifo/report" 2>"$T/err" 7>&- 8>&- 9>&-
is "$?|$(stat -c %F "$T/lfifo/report")|$(cat "$T/err")" "0|fifo|" \
	"clean --fifo-dir DIR --yes with its stdout on a FIFO in DIR: the FIFO is kept"
"$IPCINSPECT" list -t fifo --fifo-dir "$T/lfifo" --no-outside-holders -n --raw \
	-o PATH,READERS,WRITERS,VERDICT,REASONS 0<>"$T/lfifo/report" >"$T/out" 2>"$T/err" 7>&- 8>&- 9>&-
is "$?|$(grep -F "$T/lfifo/report" "$T/out")|$(cat "$T/err")" \
	"0|fifo $T/lfifo/report - - in-use held\\x20open\\x20by\\x20ipcinspect\\x20itself\\x20only\\x20(its\\x20input\\x20or\\x20output,\\x20or\\x20an\\x20fd\\x20it\\x20was\\x20started\\x20with)|" \
	"a FIFO in DIR held by ipcinspect alone (its stdin): in use, and the reason says who holds it"
"$IPCINSPECT" clean -t fifo --fifo-dir "$T/lfifo" --suspects --include-root --min-age 0 --yes \
	--no-syslog 0<>"$T/lfifo/report" >"$T/out" 2>"$T/err" 7>&- 8>&- 9>&-
is "$?|$(grep -cF "$T/lfifo/report" "$T/out")|$(stat -c %F "$T/lfifo/report")" "0|0|fifo" \
	"the same with its stdin on it: not a candidate, kept"

# --- a FIFO a daemon holds that ipcinspect inherited (review 19, finding 3) ---
# A daemon holds its control FIFO (read and write, as daemons do so that
# it never sees EOF) and leaks it to a child, which runs ipcinspect with it
# as fd 7: the FIFO is the daemon's, listed with it, in use, with or
# without --fifo-dir, and clean keeps it; a FIFO of the same directory
# that only ipcinspect holds (fd 6) is in use too, and not listed without
# --fifo-dir (a FIFO is known only through its holders, and ipcinspect
# never lists itself).  Before, both were "suspect: nobody holds it open".
mkdir "$T/dfifo"
mkfifo "$T/dfifo/ctl" "$T/dfifo/mine"
sleep 1000 <>"$T/dfifo/ctl" 6>&- 7>&- 8>&- 9>&- &
D=$!
until [ "$(readlink "/proc/$D/fd/0")" = "$T/dfifo/ctl" ]; do sleep 0.05; done
inherited() {	# ARGS: ipcinspect with ctl as fd 7 (as the daemon leaked it), mine as fd 6
	"$IPCINSPECT" "$@" --no-outside-holders </dev/null >"$T/out" 2>"$T/err" \
		6<>"$T/dfifo/mine" 7<>"$T/dfifo/ctl" 8>&- 9>&-
	rc=$?
}
daemon_row="fifo $T/dfifo/ctl sleep[$D]:0 sleep[$D]:0 in-use held\\x20open\\x20by\\x20sleep[$D]"
inherited list -t fifo -n --raw -o PATH,READERS,WRITERS,VERDICT,REASONS
is "$rc|$(grep -F "$T/dfifo/" "$T/out")|$(cat "$T/err")" "0|$daemon_row|" \
	"inherited FIFO, no --fifo-dir: listed with the daemon, in use; the one only ipcinspect holds is not listed"
inherited list -t fifo --fifo-dir "$T/dfifo" -n --raw -o PATH,READERS,WRITERS,VERDICT,REASONS
is "$rc|$(grep -F "$T/dfifo/" "$T/out")|$(cat "$T/err")" \
	"0|$daemon_row
fifo $T/dfifo/mine - - in-use held\\x20open\\x20by\\x20ipcinspect\\x20itself\\x20only\\x20(its\\x20input\\x20or\\x20output,\\x20or\\x20an\\x20fd\\x20it\\x20was\\x20started\\x20with)|" \
	"inherited FIFOs with --fifo-dir: the daemon's in use, held by it; ipcinspect's alone in use, said so"
inherited --json -t fifo --fifo-dir "$T/dfifo"
json_keep "$T/out" "$rc" --json -t fifo --fifo-dir "$T/dfifo"
is "$rc|$(jq -c --arg d "$T/dfifo/" '[.fifo[] | select(.path | startswith($d))
	| [.path, .on_disk, .readers, .writers, .verdict, .reasons]]' "$T/out")" \
	"0|[[\"$T/dfifo/ctl\",true,[{\"pid\":$D,\"comm\":\"sleep\",\"user\":\"root\",\"fd\":0}],[{\"pid\":$D,\"comm\":\"sleep\",\"user\":\"root\",\"fd\":0}],\"in-use\",[\"held open by sleep[$D]\"]],[\"$T/dfifo/mine\",true,[],[],\"in-use\",[\"held open by ipcinspect itself only (its input or output, or an fd it was started with)\"]]]" \
	"inherited FIFOs, --json: the same holders and verdicts"
inherited clean -t fifo --fifo-dir "$T/dfifo" --suspects --include-root --min-age 0 --yes --no-syslog
is "$rc|$(cat "$T/out")|$(cat "$T/err")|$(ls "$T/dfifo" | paste -sd,)" \
	"0|0 removed (0B freed), 0 marked, 0 kept, 0 skipped, 0 already gone, 0 failed||ctl,mine" \
	"clean --suspects --yes with both inherited: neither is a candidate, both kept"
# a pipe whose read end a process holds and whose write end only
# ipcinspect holds (fd 7, inherited): listed with its reader, and no
# "no-writers" flag (the write end is held); before, it was left out
( exec 6> >(exec sleep 1000 7>&- 8>&- 9>&-)
  exec "$IPCINSPECT" --json -t pipe --no-outside-holders </dev/null >"$T/out" 2>"$T/err" 7>&6 6>&- 8>&- 9>&- )
json_keep "$T/out" 0 --json -t pipe
sp=$(jq -r '.pipe[] | select(.readers[0].comm == "sleep") | .readers[0].pid' "$T/out")
is "$(jq -c '[.pipe[] | select(.readers[0].comm == "sleep") | [(.readers | map([.comm, .fd])), .writers, .flags, .verdict]]' "$T/out")|$(cat "$T/err")" \
	'[[[["sleep",0]],[],[],"in-use"]]|' \
	"a pipe whose write end ipcinspect inherited: listed with its reader, no 'no-writers' flag"
[ -n "$sp" ] && kill "$sp"
kill "$D"
wait "$D" 2>/dev/null
inherited clean -t fifo --fifo-dir "$T/dfifo" --suspects --include-root --min-age 0 --yes --no-syslog
is "$rc|$(cat "$T/out")|$(ls "$T/dfifo" | paste -sd,)" \
	"0|0 removed (0B freed), 0 marked, 0 kept, 0 skipped, 0 already gone, 0 failed|ctl,mine" \
	"the daemon gone, ctl held by ipcinspect alone: still in use, kept"

mkipc_stop

done_testing

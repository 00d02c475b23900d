#!/bin/bash
# Who holds what, live: processes made by tests/helpers/mkipc in a private
# IPC + PID + mount namespace, with exact pids, fds and mappings, against
# `ipcinspect --json` (and a few table lines).  Covers shm attachments
# (two processes, none, another IPC namespace reusing the same shmid, a
# process whose main thread exited), recorded pids judged by the pid reuse
# rule of doc/kernel-facts.md, "Pid reuse" (alive, exited, zombie, reused on
# purpose through
# /proc/sys/kernel/ns_last_pid), pipes and FIFOs with their flags, a FIFO
# path with a newline and invalid UTF-8, --pid, --no-owners, the processes
# and scan members, and a run by an unprivileged user.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"	# bash, even where make runs /bin/sh
. "${TESTS_SRCDIR:?run the tests with make check}/lib.sh" || exit 99
ns_enter "$@"
ns_check_empty
command -v jq >/dev/null || skip_all "jq not installed"
# this test writes /proc/sys/kernel/ns_last_pid: only as pid 1 of our own namespace
[ "$$" -eq 1 ] || bail "not pid 1 of a private pid namespace: refusing to write /proc/sys"

export LC_ALL=C TZ=UTC
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

close_inherited_fds


# mkipc_all NAME: every value the helper printed as NAME=value, one a line.
mkipc_all() {
	sed -n "s/^$1=//p" "$MKIPC_OUT"
}

# The reason an alive actor is given (doc/kernel-facts.md, "Pid reuse"):
# alive_why START-MS EVENT-TIME EVENT-NAME GOT: "started before" the event's
# second or "in the same second".  START-MS (start_ms_of) is right to about
# 20 ms, so within 50 ms of the second's start either answer is right:
# there GOT, what ipcinspect said, is taken if it is one of the two.
alive_why() {
	local before="started before $3" same="started in the same second as $3"
	if [ "$1" -lt $(($2 * 1000 - 50)) ]; then
		echo "$before"
	elif [ "$1" -ge $(($2 * 1000 + 50)) ]; then
		echo "$same"
	elif [ "$4" = "$before" ] || [ "$4" = "$same" ]; then
		echo "$4"
	else
		echo "$before or $same"
	fi
}

# The helper's comm: its file name, cut to 15 bytes (mkipc, or a renamed build).
MC=${MKIPC##*/}
MC=${MC:0:15}

# holder PID:FD -> the JSON of a holder by fd, for the helper's comm and user root
holder() {
	echo "{\"pid\":${1%%:*},\"comm\":\"$MC\",\"user\":\"root\",\"fd\":${1##*:}}"
}

# The objects of one kind, compact, selected by a jq filter.
sel() {	# sel KIND FILTER
	jq -c --arg k "$1" ".[\$k][] | select($2)" "$T/out"
}

# --- the objects ----------------------------------------------------------
# Segments 0-2 come first and 1-2 are made by children that exit.  Then the
# helper sleeps 4.2 s: whatever it does after that it does clearly after it
# started (doc/kernel-facts.md, "Pid reuse": "started before"), and the
# creator of segment 2
# exited long enough ago for its pid to be reused by a process that started
# more than 2 s after ctime.  Every attachment of the helper is dontfork, so
# its later children change no lpid (doc/kernel-facts.md, "Last user of a segment").
weird="$T/a b"$'\nc\xff'
weird_json='"'"$T"'/a b\nc\\xff"'	# the JSON string ipcinspect must print
weird_tbl="$T/a b\\x0ac\\xff"		# the table cell: libsmartcols encodes it
args=(
	shm:none
	shm:gone,creator=child
	shm:reused,creator=child
	sleep:4200
	shm:two,size=8192,attach=2,dontfork,children=1
	shm:lone,children=1,mainexit
	msg:q,send=1:10,send=2:0,childrecv=1
	msg:z,send=1:1,childrecv=1,zombie
	msg:t,threadrecv
	sem:s,nsems=3,values=5:7,childop=1
	sem:u,nsems=2,values=3
	pipe:pc,ends=child
	pipe:pb,ends=both
	pipe:pr,ends=read
	pipe:pw,ends=write
	pipe:pm,ends=both,mainexit
	"fifo:f1,path=$T/f1,open=r+cw"
	"fifo:f2,path=$T/f2,open=rw"
	"fifo:f3,path=$T/f3,open=r+w,unlink"
	"fifo:f4,path=$weird,open=rw"
)
mkipc_start "${args[@]}"
H=$(mkipc_get pid)
C1=$(mkipc_get gone.creator) C2=$(mkipc_get reused.creator)
K=$(mkipc_get two.child) L=$(mkipc_get lone.child)
QR=$(mkipc_get q.receiver) ZR=$(mkipc_get z.receiver) SA=$(mkipc_get s.actor)
TP=$(mkipc_get t.threadrecv) TT=$(mkipc_get t.receiver_tid)
PC=$(mkipc_get pc.child) PM=$(mkipc_get pm.child) F1=$(mkipc_get f1.child)
is "$(mkipc_get none.id) $(mkipc_get gone.id) $(mkipc_get reused.id) $(mkipc_get two.id) $(mkipc_get lone.id)/$(mkipc_get q.id) $(mkipc_get z.id) $(mkipc_get t.id)/$(mkipc_get s.id) $(mkipc_get u.id)" \
	"0 1 2 3 4/0 1 2/0 1" "mkipc made the objects with the expected ids"
is "$(mkipc_all two.child | wc -l) $(mkipc_all lone.child | wc -l)" "1 1" "mkipc started one attaching child per segment"
ok "$([ -d "/proc/$C1" ] || [ -d "/proc/$C2" ] || [ -d "/proc/$QR" ] || [ -d "/proc/$SA" ]; echo $((!$?)))" \
	"the creators of segments 1 and 2, the receiver of q and the actor of s have exited and been reaped"

# --- pid reuse on purpose: the next pid is the dead creator's ---------------
# Then put the counter back: no other dead pid (an exited creator, receiver
# or semop child) may be handed out again, not even to ipcinspect.
read -r last_pid </proc/sys/kernel/ns_last_pid
echo $((C2 - 1)) >/proc/sys/kernel/ns_last_pid
sleep 1000 </dev/null >/dev/null 2>&1 9>&- &
R=$!
echo "$last_pid" >/proc/sys/kernel/ns_last_pid
is "$R" "$C2" "ns_last_pid: the new process got the pid of the creator of segment 2"

# --- another IPC namespace, same pid namespace: its shmid 0 is not ours -------
mkfifo "$T/oin"
unshare --ipc "$MKIPC" shm:other,attach=1 <"$T/oin" >"$T/oout" 2>"$T/oerr" 9>&- &
O=$!
exec 8>"$T/oin"
for _ in $(seq 100); do grep -qx ready "$T/oout" && break; sleep 0.05; done
grep -qx ready "$T/oout" || bail "the helper in another IPC namespace did not get ready: $(cat "$T/oerr")"
ns_of() { stat -L -c %i "/proc/$1/ns/ipc"; }
is "$(sed -n 's/^other.id=//p' "$T/oout") $([ "$(ns_of "$O")" != "$(ns_of "$H")" ]; echo $?)" "0 0" \
	"a process in another IPC namespace made and attached its own segment 0"

# Every process of the namespace but the ipcinspect about to run.
procs=(/proc/[0-9]*)
N=${#procs[@]}
is "$N" 11 "the namespace holds 11 processes: this shell, the helper, its 7 live children, the reused pid, the other namespace's helper"

# --- one run as root ---------------------------------------------------------------
ipci --json
is "$rc/$(cat "$T/err")" "0/" "--json: exit status 0, nothing on stderr"
ok "$(jq -e . "$T/out" >/dev/null; echo $?)" "--json: valid JSON (with a newline and 0xff in a FIFO path)"

# start times: ipcinspect against the oracle of doc/kernel-facts.md
# ("Process start"), whole seconds in JSON: the second the oracle's start
# fell in, or the one before or after when the oracle is within 50 ms of a
# second's start (it reads /proc/uptime in 10 ms steps, so it may land just
# past a second the true start fell short of, or the reverse)
for p in $H $K $L $ZR $PC $PM $F1 $TT; do
	eval "S_$p=$(start_ms_of "$p")"
done
start_of() { eval echo "\$S_$1"; }
is "$(for p in $H $K $L $ZR $PC $PM $F1; do
	s=$(start_of "$p")
	jq -r --argjson p "$p" --argjson ms "$s" '.processes[] | select(.pid == $p) |
		if .start >= (($ms - 50) / 1000 | floor) and .start <= (($ms + 50) / 1000 | floor)
		then "ok" else "\(.pid) \(.start) \($ms)" end' "$T/out"
done | sort -u)" ok \
	"processes: start is the boot time from the clocks + starttime / CLK_TCK for every helper process"
time_of() {	# time_of KIND ID MEMBER
	jq -r --arg k "$1" --argjson id "$2" ".[\$k][] | select(.id == \$id) | .$3" "$T/out"
}

# shm 0: nobody attached; the helper created it before its sleep
ct=$(time_of shm 0 ctime)
is "$(sel shm '.id == 0' | jq -c '[.nattch, .attached, .creator, .last]')" \
	"[0,[],{\"pid\":$H,\"tgid\":$H,\"alive\":true,\"comm\":\"$MC\",\"why\":\"$(alive_why "$(start_of $H)" "$ct" ctime "$(sel shm '.id == 0' | jq -r .creator.why)")\"},null]" \
	"shm 0: attached [], creator the helper (alive), last null (never attached)"

# shm 1: its creator exited and was reaped
is "$(sel shm '.id == 1' | jq -c '[.cpid, .nattch, .attached, .creator, .last]')" \
	"[$C1,0,[],{\"pid\":$C1,\"tgid\":null,\"alive\":false,\"comm\":null,\"why\":\"exited\"},null]" \
	"shm 1: creator exited: pid, tgid null, alive false, comm null, why exited"

# shm 2: its creator's pid now belongs to a process started after ctime
ct2=$(time_of shm 2 ctime)
ok "$([ "$(start_ms_of "$R")" -ge $((ct2 * 1000 + 1050)) ]; echo $?)" \
	"the process now holding pid $C2 started more than 1 s + 20 ms after the segment's ctime second"
is "$(sel shm '.id == 2' | jq -c '[.cpid, .attached, .creator, .last]')" \
	"[$C2,[],{\"pid\":$C2,\"tgid\":null,\"alive\":false,\"comm\":null,\"why\":\"pid reused by a process started after ctime\"},null]" \
	"shm 2: creator pid reused: alive false, why 'pid reused by a process started after ctime'"

# shm 3: the helper twice, its child once; sorted by pid
at3=$(time_of shm 3 atime)
is "$(sel shm '.id == 3' | jq -c '[.nattch, .lpid, .attached]')" \
	"[3,$K,[{\"pid\":$H,\"comm\":\"$MC\",\"user\":\"root\",\"mappings\":2},{\"pid\":$K,\"comm\":\"$MC\",\"user\":\"root\",\"mappings\":1}]]" \
	"shm 3: attached by two processes, exact mappings (2 and 1), sorted by pid"
is "$(sel shm '.id == 3' | jq -c '[.creator, .last]')" \
	"[{\"pid\":$H,\"tgid\":$H,\"alive\":true,\"comm\":\"$MC\",\"why\":\"started before ctime\"},{\"pid\":$K,\"tgid\":$K,\"alive\":true,\"comm\":\"$MC\",\"why\":\"$(alive_why "$(start_of $K)" "$at3" atime "$(sel shm '.id == 3' | jq -r .last.why)")\"}]" \
	"shm 3: creator the helper (started before ctime), last the child (its attach)"

# shm 4: attached only by a child whose main thread exited; another thread lives
at4=$(time_of shm 4 atime)
is "$(sel shm '.id == 4' | jq -c '[.nattch, .attached, .last]')" \
	"[1,[{\"pid\":$L,\"comm\":\"$MC\",\"user\":\"root\",\"mappings\":1}],{\"pid\":$L,\"tgid\":$L,\"alive\":true,\"comm\":\"$MC\",\"why\":\"$(alive_why "$(start_of $L)" "$at4" atime "$(sel shm '.id == 4' | jq -r .last.why)")\"}]" \
	"shm 4: a process whose main thread exited is still seen attached (through its live thread), and alive"

# the other IPC namespace's helper maps a shmid 0 too, and is no holder here
is "$(jq -c "[.shm[].attached[]? | select(.pid == $O)]" "$T/out")" "[]" \
	"shm: a process of another IPC namespace mapping shmid 0 is attached to nothing here"

# msg: the helper sent (after its sleep); a child that exited received
is "$(sel msg '.id == 0' | jq -c '[.lspid, .lrpid, .last_sender, .last_receiver]')" \
	"[$H,$QR,{\"pid\":$H,\"tgid\":$H,\"alive\":true,\"comm\":\"$MC\",\"why\":\"started before stime\"},{\"pid\":$QR,\"tgid\":null,\"alive\":false,\"comm\":null,\"why\":\"exited\"}]" \
	"msg 0: last sender the helper (alive, started before stime), last receiver exited"
is "$(sel msg '.id == 1' | jq -c '[.lrpid, .last_receiver]')" \
	"[$ZR,{\"pid\":$ZR,\"tgid\":null,\"alive\":false,\"comm\":null,\"why\":\"exited, not yet reaped (zombie)\"}]" \
	"msg 1: last receiver a zombie: alive false, why zombie"
rt=$(time_of msg 2 rtime)
is "$(sel msg '.id == 2' | jq -c '[.lspid, .lrpid, .last_receiver]')" \
	"[$H,$TT,{\"pid\":$TT,\"tgid\":$TP,\"alive\":true,\"comm\":\"$MC\",\"why\":\"$(alive_why "$(start_of "$TT")" "$rt" rtime "$(sel msg '.id == 2' | jq -r .last_receiver.why)")\"}]" \
	"msg 2: a pipelined receive by a second thread: lrpid is its thread id, tgid its process (doc/kernel-facts.md, \"Thread ids\")"

# sem: #0 and #1 set by the helper, #1 then raised by a child that exited, #2 never touched
is "$(sel sem '.id == 0' | jq -c '[.semaphores[] | [.value, .pid, .last]]')" \
	"[[5,$H,{\"pid\":$H,\"tgid\":$H,\"alive\":true,\"comm\":\"$MC\",\"why\":\"started before otime\"}],[8,$SA,{\"pid\":$SA,\"tgid\":null,\"alive\":false,\"comm\":null,\"why\":\"exited\"}],[0,0,null]]" \
	"sem 0: each semaphore's last judged (helper alive, child exited); pid 0 is a semaphore nobody touched, even in a set with an otime: last null"
is "$(sel sem '.id == 1' | jq -c '[.otime, [.semaphores[] | [.value, .pid, .last]]]')" \
	"[null,[[3,$H,{\"pid\":$H,\"tgid\":$H,\"alive\":true,\"comm\":\"$MC\",\"why\":\"started before ctime\"}],[0,0,null]]]" \
	"sem 1: SETVAL by the helper judged against ctime; pid 0 in a set never semop'ed: last null"

# pipes: by inode, exact ends and flags
pipe_is() {	# pipe_is NAME READERS WRITERS FLAGS DESCRIPTION
	is "$(sel pipe ".inode == $(mkipc_get "$1.inode")" | jq -c '[.readers, .writers, .flags]')" \
		"[$2,$3,$4]" "$5"
}
pipe_is pc "[$(holder "$(mkipc_get pc.r)")]" "[$(holder "$(mkipc_get pc.w)")]" '[]' \
	"pipe between parent and child: reader the helper, writer the child, flags []"
pipe_is pb "[$(holder "$(mkipc_get pb.r)")]" "[$(holder "$(mkipc_get pb.w)")]" '["same-process"]' \
	"pipe with both ends in one process alone: flags [same-process]"
pipe_is pr "[$(holder "$(mkipc_get pr.r)")]" '[]' '["no-writers"]' \
	"pipe with only a reader: flags [no-writers]"
pipe_is pw '[]' "[$(holder "$(mkipc_get pw.w)")]" '["no-readers"]' \
	"pipe with only a writer: flags [no-readers]"
pipe_is pm "[$(holder "$(mkipc_get pm.r)")]" "[$(holder "$(mkipc_get pm.w)")]" '["same-process"]' \
	"pipe held by a process whose main thread exited: found through its live thread"
is "$(mkipc_get pc.r | cut -d: -f1) $(mkipc_get pc.w | cut -d: -f1) $(mkipc_get pm.r | cut -d: -f1)" "$H $PC $PM" \
	"mkipc: the pipe ends are where it says"
is "$(jq -c "[.pipe[] | select([.readers[], .writers[]] | any(.pid == $H or .pid == $PC or .pid == $PM)) | .inode] | sort" "$T/out")" \
	"$(echo "$(mkipc_get pc.inode) $(mkipc_get pb.inode) $(mkipc_get pr.inode) $(mkipc_get pw.inode) $(mkipc_get pm.inode)" | jq -sc 'sort')" \
	"pipes: the helper's processes hold exactly the five pipes it made"

# FIFOs: by inode, exact path, deleted, dev, ends
fifo_is() {	# fifo_is NAME PATH-JSON DELETED READERS WRITERS DESCRIPTION
	is "$(sel fifo ".inode == $(mkipc_get "$1.inode")" | jq -c '[.path, .deleted, .dev, .readers, .writers]')" \
		"[$2,$3,\"$(mkipc_get "$1.dev")\",$4,$5]" "$6"
}
fifo_is f1 "\"$T/f1\"" false "[$(holder "$(mkipc_get f1.r)")]" "[$(holder "$(mkipc_get f1.cw)")]" \
	"FIFO: a reader and a writer in two processes"
is "$(mkipc_get f1.cw | cut -d: -f1)" "$F1" "mkipc: the FIFO's writer is its child"
fifo_is f2 "\"$T/f2\"" false "[$(holder "$(mkipc_get f2.rw)")]" "[$(holder "$(mkipc_get f2.rw)")]" \
	"FIFO opened O_RDWR: the same holder among readers and writers"
fifo_is f3 "\"$T/f3\"" true "[$(holder "$(mkipc_get f3.r)")]" "[$(holder "$(mkipc_get f3.w)")]" \
	"FIFO unlinked after opening: deleted true, path without ' (deleted)'"
fifo_is f4 "$weird_json" false "[$(holder "$(mkipc_get f4.rw)")]" "[$(holder "$(mkipc_get f4.rw)")]" \
	"FIFO path with a blank, a newline and 0xff: escaped as \\n and \\\\xff in a valid JSON string"
in_ino=$(stat -c %i "$MKIPC_DIR/in")
is "$(sel fifo ".inode == $in_ino" | jq -c '[.path, .readers, .writers]')" \
	"[\"$MKIPC_DIR/in\",[$(holder "$H:0")],[{\"pid\":1,\"comm\":\"bash\",\"user\":\"root\",\"fd\":9}]]" \
	"FIFO: the helper's stdin, read by the helper (fd 0), written by this shell (fd 9)"
is "$(jq -c '[.fifo[].inode] | sort' "$T/out")" \
	"$(echo "$in_ino $(stat -c %i "$T/oin") $(mkipc_get f1.inode) $(mkipc_get f2.inode) $(mkipc_get f3.inode) $(mkipc_get f4.inode)" | jq -sc 'sort')" \
	"FIFOs: exactly the six held open in the namespace"

# processes: the exact facts of the helper's processes
argv_json=$(jq -nc '$ARGS.positional' --args "$MKIPC" "${args[@]//$'\xff'/\\xff}")
# (start: "S" when it is the start in whole seconds, as checked above)
start_s='def start_s($ms): if . >= (($ms - 50) / 1000 | floor) and . <= (($ms + 50) / 1000 | floor) then "S" else . end;'
# (the cgroup members are the test's own cgroup's: tests/ts-list.sh checks
# the path, tests/ts-container.sh the unit and container of cgroups made)
proc_is() {	# proc_is PID STATE ARGV DESCRIPTION
	is "$(jq -c --argjson ms "$(start_of "$1")" "$start_s"' .processes[] | select(.pid == '"$1"') | .start |= start_s($ms) |
		del(.cgroup, .unit, .slice, .container, .pod)' "$T/out")" \
		"{\"pid\":$1,\"tgid\":$1,\"comm\":\"$MC\",\"argv\":$3,\"uid\":0,\"user\":\"root\",\"state\":\"$2\",\"start\":\"S\"}" "$4"
}
proc_is "$H" S "$argv_json" "processes: the helper, argv exact (one element holds a newline and 0xff)"
# the forks share the helper's argv, whatever ipcinspect made of it (checked above)
argv_h=$(jq -c ".processes[] | select(.pid == $H) | .argv" "$T/out")
proc_is "$K" S "$argv_h" "processes: the helper's attaching child (a fork: the helper's argv)"
proc_is "$PC" S "$argv_h" "processes: the pipe's writing child"
proc_is "$F1" S "$argv_h" "processes: the FIFO's writing child"
is "$(jq -c --argjson ms "$(start_of "$TT")" "$start_s"' .processes[] | select(.pid == '"$TT"') | [.tgid, .comm, .argv == '"$argv_h"', .state, (.start | start_s($ms))]' "$T/out")" \
	"[$TP,\"$MC\",true,\"S\",\"S\"]" "processes: the receiving thread, by its thread id, with its process as tgid"
proc_is "$L" Z '[]' "processes: the child whose main thread exited: state Z, argv [] (its cmdline is empty)"
proc_is "$PM" Z '[]' "processes: the pipe holder whose main thread exited: state Z, argv []"
proc_is "$ZR" Z '[]' "processes: the zombie receiver: state Z, argv []"

# scan: every process but ipcinspect itself, all readable
is "$(jq -c '.scan | del(.pid_ns)' "$T/out")" "{\"processes\":$N,\"unreadable\":0,\"complete\":true,\"incomplete_because\":[],\"pid_ns_initial\":false,\"outside_ruled_out\":true,\"unreadable_processes\":[]}" \
	"scan: $N processes (all of the namespace but ipcinspect, zombies included), complete"
is "$(jq -c '[.. | objects | select(has("comm") and (has("fd") or has("mappings") or has("argv"))) | .comm] | any(. == "ipcinspect")' "$T/out")" \
	false "ipcinspect reports no fd, mapping or facts of its own"

# the pipe ipcinspect writes into is its own: left out, not shown without a writer
"$IPCINSPECT" --json -t pipe </dev/null 2>"$T/err" 8>&- 9>&- | cat >"$T/piped" 2>/dev/null
json_keep "$T/piped" "${PIPESTATUS[0]}" --json -t pipe
is "$(jq -c --arg mc "$MC" '[.pipe[] | [.readers[], .writers[]] | .[].comm] | [any(. == "cat"), any(. == $mc)]' "$T/piped")" '[false,true]' \
	"| cat: the pipe between ipcinspect and cat is left out, the helper's pipes are listed"

# --- tables -----------------------------------------------------------------------
ipci --raw --noheadings -t shm -o ID,NATTCH,CREATOR,ATTACHED
is "$rc/$(cat "$T/out")" "0/shm 0 0 ${MC}[$H] -
shm 1 0 $C1\\x20(exited) -
shm 2 0 $C2\\x20(reused) -
shm 3 3 ${MC}[$H] ${MC}[$H]x2,${MC}[$K]
shm 4 1 ${MC}[$H] ${MC}[$L]" "table: shm creators and attachments, raw"
ipci --raw --noheadings -t msg,sem -o ID,SENDER,RECEIVER
is "$rc/$(cat "$T/out")" "0/msg 0 ${MC}[$H] $QR\\x20(exited)
msg 1 ${MC}[$H] $ZR\\x20(zombie)
msg 2 ${MC}[$H] ${MC}[$TT]

sem 0
sem 1" "table: msg last sender and receiver, raw"
ipci --raw --noheadings -t pipe -o INODE,READERS,WRITERS,FLAGS
is "$(grep -E "^pipe ($(mkipc_get pc.inode)|$(mkipc_get pb.inode)|$(mkipc_get pr.inode)|$(mkipc_get pw.inode)|$(mkipc_get pm.inode)) " "$T/out" | sort)" \
	"$(sort <<EOF
pipe $(mkipc_get pc.inode) ${MC}[$H]:$(mkipc_get pc.r | cut -d: -f2) ${MC}[$PC]:$(mkipc_get pc.w | cut -d: -f2) -
pipe $(mkipc_get pb.inode) ${MC}[$H]:$(mkipc_get pb.r | cut -d: -f2) ${MC}[$H]:$(mkipc_get pb.w | cut -d: -f2) same-process
pipe $(mkipc_get pr.inode) ${MC}[$H]:$(mkipc_get pr.r | cut -d: -f2) - no-writers
pipe $(mkipc_get pw.inode) - ${MC}[$H]:$(mkipc_get pw.w | cut -d: -f2) no-readers
pipe $(mkipc_get pm.inode) ${MC}[$PM]:$(mkipc_get pm.r | cut -d: -f2) ${MC}[$PM]:$(mkipc_get pm.w | cut -d: -f2) same-process
EOF
)" "table: pipes, raw"
ipci -t fifo
is "$(grep -c "$(mkipc_get f4.inode)" "$T/out")" 1 "table: the FIFO with a newline in its path is one line"
is "$(grep -F "$weird_tbl" "$T/out" | awk '{ print $NF }')" "${MC}[$H]:$(mkipc_get f4.rw | cut -d: -f2)" \
	"table: its path encoded as \\x0a and \\xff by libsmartcols, then its holders"

# --- --pid --------------------------------------------------------------------------
# ids_for PID: the shm, msg and sem ids and the FIFO and pipe inodes --pid PID lists
ids_for() {
	ipci --json --pid "$1"
	[ "$rc" -eq 0 ] || { echo "exit status $rc"; return; }
	jq -c '{shm: [.shm[].id], msg: [.msg[].id], sem: [.sem[].id],
		fifo: ([.fifo[].inode] | sort), pipe: ([.pipe[].inode] | sort)}' "$T/out"
}
inos() { echo "$@" | jq -sc 'sort'; }
is "$(ids_for "$H")" \
	"{\"shm\":[0,3,4],\"msg\":[0,1,2],\"sem\":[0,1],\"fifo\":$(inos "$in_ino" "$(mkipc_get f1.inode)" "$(mkipc_get f2.inode)" "$(mkipc_get f3.inode)" "$(mkipc_get f4.inode)"),\"pipe\":$(inos "$(mkipc_get pc.inode)" "$(mkipc_get pb.inode)" "$(mkipc_get pr.inode)" "$(mkipc_get pw.inode)")}" \
	"--pid helper: what it created, sent to, set, and the FIFOs and pipes it holds"
is "$(ids_for "$K")" '{"shm":[3],"msg":[],"sem":[],"fifo":[],"pipe":[]}' "--pid of the attaching child: shm 3 only"
is "$(ids_for "$L")" '{"shm":[4],"msg":[],"sem":[],"fifo":[],"pipe":[]}' "--pid of the child whose main thread exited: shm 4"
is "$(ids_for "$PM")" "{\"shm\":[],\"msg\":[],\"sem\":[],\"fifo\":[],\"pipe\":$(inos "$(mkipc_get pm.inode)")}" \
	"--pid of the pipe holder whose main thread exited: its pipe"
is "$(ids_for "$F1")" "{\"shm\":[],\"msg\":[],\"sem\":[],\"fifo\":$(inos "$(mkipc_get f1.inode)"),\"pipe\":[]}" \
	"--pid of the FIFO's writing child: that FIFO"
is "$(ids_for "$C1")" '{"shm":[1],"msg":[],"sem":[],"fifo":[],"pipe":[]}' "--pid of the exited creator: the segment it created"
is "$(ids_for "$ZR")" '{"shm":[],"msg":[1],"sem":[],"fifo":[],"pipe":[]}' "--pid of the zombie receiver: its queue"
is "$(ids_for "$TP")" '{"shm":[],"msg":[2],"sem":[],"fifo":[],"pipe":[]}' \
	"--pid of the process whose thread received last: its queue (lrpid is the thread's id)"
is "$(ids_for "$SA")" '{"shm":[],"msg":[],"sem":[0],"fifo":[],"pipe":[]}' "--pid of the exited semop child: its set"
is "$(ids_for "$R")" '{"shm":[],"msg":[],"sem":[],"fifo":[],"pipe":[]}' \
	"--pid of the process that took over a creator's pid: it created nothing (the pid was reused)"
is "$(ids_for "$O")" "{\"shm\":[],\"msg\":[],\"sem\":[],\"fifo\":$(inos "$(stat -c %i "$T/oin")"),\"pipe\":[]}" \
	"--pid of the other IPC namespace's helper: no segment of ours, only its stdin FIFO"

# --- --no-owners --------------------------------------------------------------------
ipci --json --no-owners
is "$rc/$(cat "$T/err")" "0/" "--no-owners: exit status 0, nothing on stderr"
is "$(jq -c '[has("fifo"), has("pipe"), .scan, .processes]' "$T/out")" '[false,false,null,null]' \
	"--no-owners: scan null, processes null, no fifo or pipe member"
is "$(jq -c '[.shm[] | [.attached, .creator, .last]] | unique' "$T/out")" '[[null,null,null]]' \
	"--no-owners: every segment's attached, creator and last are null"
is "$(jq -c '[.msg[] | [.last_sender, .last_receiver]] | unique' "$T/out")" '[[null,null]]' \
	"--no-owners: every queue's last_sender and last_receiver are null"
is "$(jq -c '[.sem[].semaphores[].last] | unique' "$T/out")" '[null]' "--no-owners: every semaphore's last is null"
is "$(jq -c '[.shm[].cpid]' "$T/out")" "[$H,$C1,$C2,$H,$H]" "--no-owners: the recorded pids stay"

# --- as an unprivileged user, against root's processes --------------------------------
if setpriv --reuid=65534 --regid=65534 --clear-groups "$IPCINSPECT" --version >/dev/null 2>&1; then
	setpriv --reuid=65534 --regid=65534 --clear-groups "$IPCINSPECT" --json </dev/null >"$T/out" 2>"$T/err" 8>&- 9>&-
	rc=$?
	json_keep "$T/out" "$rc" --json
	is "$rc" 0 "as nobody: exit status 0"
	ok "$(jq -e . "$T/out" >/dev/null; echo $?)" "as nobody: valid JSON"
	# every process but a zombie whose threads are gone: that one holds
	# nothing (exit_files and exit_mm ran), whoever looks, so it is no blind spot
	blind=()
	for p in "${procs[@]}"; do
		st=$(awk '$1 == "State:" {print $2} $1 == "Threads:" {print $2}' "$p/status" | tr '\n' ' ')
		[ "$st" = "Z 1 " ] || blind+=("$p")
	done
	U=${#blind[@]}
	is "$((N - U))" 1 "as nobody: the namespace holds exactly one zombie (the unreaped receiver)"
	warning="$U of $N processes could not be read: holders may be missing (--json lists them under scan)"
	is "$(cat "$T/err")" "ipcinspect: warning: $warning" "as nobody: the warning on stderr, exact"
	is "$(jq -c '.warnings' "$T/out")" "$(jq -nc --arg w "$warning" '[$w]')" "as nobody: the same warning in JSON"
	is "$(jq -c '.scan | [.processes, .unreadable, .complete]' "$T/out")" "[$N,$U,false]" \
		"as nobody: every process of the namespace but the zombie unreadable, scan incomplete"
	want=$(for p in "${blind[@]}"; do
		p=${p#/proc/}
		printf '{"pid":%d,"comm":"%s","why":"ns/ipc: permission denied"}\n' "$p" "$(cat "/proc/$p/comm")"
	done | jq -sc 'sort_by(.pid)')
	is "$(jq -c '.scan.unreadable_processes' "$T/out")" "$want" \
		"as nobody: each process listed with why 'ns/ipc: permission denied'"
	is "$(jq -c '[(.fifo | length), (.pipe | length)]' "$T/out")" '[0,0]' "as nobody: no FIFO or pipe holder can be seen"
	# nattch 3 and no process readable: who maps it is unknown, not "nobody"
	is "$(sel shm '.id == 3' | jq -c '[.nattch, .attached]')" '[3,null]' \
		"as nobody: a mapped segment's attached is null (unknown), not [] (man: 'empty when nobody maps it')"
else
	for _ in 1 2 3 4 5 6 7 8 9; do
		tap_n=$((tap_n + 1))
		echo "ok $tap_n # SKIP nobody cannot execute $IPCINSPECT"
	done
fi

# --- the end -----------------------------------------------------------------------------
exec 8>&-
wait "$O"
kill "$R"
wait "$R" 2>/dev/null
mkipc_stop
procs=(/proc/[0-9]*)
is "${#procs[@]}" 1 "every helper process is gone: only this shell is left"
ipci --json
is "$rc/$(jq -c '[.shm, .msg, .sem, .fifo, .scan.processes]' "$T/out")" '0/[[],[],[],[],1]' \
	"after the helpers: nothing left, and no other process"

done_testing

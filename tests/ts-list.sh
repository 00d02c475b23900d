#!/bin/bash
# The listing on live objects: every field of the JSON contract, its type
# and its exact value for shm, msg and sem objects made by tests/helpers/mkipc
# in a private namespace, with the holders and judged pids the process scan
# adds; the FIFOs and pipes of the namespace against find(1) and fdinfo as
# the oracle; the filters (--id, --key, --user, --pid, --type, --no-owners),
# -o in JSON and in the table, --bytes against human sizes, an empty
# namespace, and what an unprivileged reader may not read.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"	# bash, even where make runs /bin/sh
. "${TESTS_SRCDIR:?run the tests with make check}/lib.sh" || exit 99
ns_enter "$@"
ns_check_empty
[ -z "${IPCI_USERNS:-}" ] ||
	skip_all "needs real root: owners 65534 and 4242 cannot be mapped in a user namespace"
command -v jq >/dev/null || skip_all "jq not installed"

export LC_ALL=C TZ=UTC
ps=$(getconf PAGESIZE)	# the one page the helper touches is resident
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# closed_run CMD...: run CMD with stdin /dev/null, stdout in $T/out, stderr
# in $T/err, status in $rc, and every other fd of this shell closed (the
# FIFO lib.sh writes mkipc's stdin through, pipes inherited from make):
# ipcinspect leaves out the pipes and FIFOs it holds itself, so what it
# inherits would change what it lists.
closed_run() {
	local closes=() f
	for f in /proc/$$/fd/*; do
		f=${f##*/}
		[ "$f" -gt 2 ] && closes+=("$f>&-")
	done
	eval '"$@" </dev/null >"$T/out" 2>"$T/err"' "${closes[*]}"
	rc=$?
	json_keep "$T/out" "$rc" "$@"
}

# ipci ARGS...: run ipcinspect that way
ipci() {
	closed_run "$IPCINSPECT" "$@"
}

# ipci_alone ARGS...: ipcinspect alone in a new PID namespace (same IPC
# namespace): the process scan sees no process at all
ipci_alone() {
	closed_run unshare --pid --fork --mount-proc "$IPCINSPECT" "$@"
}

nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)

# A judged pid (doc/kernel-facts.md, "Pid reuse") of a live mkipc process,
# as JSON: near PID EVENT: started in the same second as EVENT;
# before PID EVENT: started before EVENT's second.
near() {
	printf '{"pid":%d,"tgid":%d,"alive":true,"comm":"mkipc","why":"started in the same second as %s"}' \
		"$1" "$1" "$2"
}
before() {
	printf '{"pid":%d,"tgid":%d,"alive":true,"comm":"mkipc","why":"started before %s"}' "$1" "$1" "$2"
}


# fd_oracle: the pipe and FIFO fds of every process of the namespace, read
# with find(1) and grep(1) while ipcinspect is not running (nothing here
# is procscan.c), one line each, sorted:
#	pipe INODE PID FD MODE COMM  or  fifo PATH PID FD MODE COMM
# MODE is the fdinfo flags & 3 (doc/kernel-facts.md, "Open modes": 0 read, 1
# write, 2 both).
# The globs are expanded by this shell, so find and grep do not list
# themselves, and this shell holds no extra fd meanwhile.
fd_oracle() {
	find /proc/[0-9]*/fd -mindepth 1 -maxdepth 1 -printf '%h %f %Y %l\n' 2>/dev/null >"$T/links"
	grep -H '^flags:' /proc/[0-9]*/fdinfo/* 2>/dev/null >"$T/flags"
	awk '
	function octal(s,  v, i) {
		v = 0
		for (i = 1; i <= length(s); i++)
			v = v * 8 + substr(s, i, 1)
		return v
	}
	FNR == NR {
		split($0, a, ":"); split(a[1], p, "/")
		f = $0; sub(/^[^\t]*\t/, "", f)
		mode[p[3] " " p[5]] = octal(f) % 4
		next
	}
	$3 == "p" {
		split($1, p, "/"); pid = p[3]
		link = $0; sub(/^[^ ]* [^ ]* [^ ]* /, "", link)
		if (link ~ /^pipe:\[[0-9]+\]$/) {
			kind = "pipe"; key = substr(link, 7, length(link) - 7)
		} else {
			kind = "fifo"; key = link
		}
		if (!(pid in comm)) {
			getline c <("/proc/" pid "/comm"); comm[pid] = c
		}
		print kind, key, pid, $2, mode[pid " " $2], comm[pid]
	}' "$T/flags" "$T/links" | LC_ALL=C sort -k1,1 -k2,2 -k3,3n -k4,4n >"$T/oracle"
}

# The objects the oracle saw, one line each: "KIND KEY r=READERS w=WRITERS",
# each holder as comm[pid]:fd in (pid, fd) order; O_RDWR is both ends.
oracle_objects() {
	awk '{
		k = $1 " " $2
		if (!(k in seen)) { seen[k] = 1; order[++n] = k }
		h = $6 "[" $3 "]:" $4
		if ($5 != 1) r[k] = r[k] (r[k] == "" ? "" : ",") h
		if ($5 != 0) w[k] = w[k] (w[k] == "" ? "" : ",") h
	} END { for (i = 1; i <= n; i++) print order[i] " r=" r[order[i]] " w=" w[order[i]] }' "$T/oracle" |
		LC_ALL=C sort
}

# The same lines from the JSON in $T/out.
listed_objects() {
	jq -r 'def hs: [.[] | "\(.comm)[\(.pid)]:\(.fd)"] | join(",");
		((.fifo // [])[] | "fifo \(.path) r=\(.readers | hs) w=\(.writers | hs)"),
		((.pipe // [])[] | "pipe \(.inode) r=\(.readers | hs) w=\(.writers | hs)")' "$T/out" |
		LC_ALL=C sort
}

# How many objects of a kind the oracle saw.
oracle_count() {
	awk -v k="$1" '$1 == k { seen[$2] = 1 } END { n = 0; for (x in seen) n++; print n }' "$T/oracle"
}

# The object ids of each kind as one compact JSON object.
ids_of() {
	jq -c '{shm: (if has("shm") then [.shm[].id] else null end),
		msg: (if has("msg") then [.msg[].id] else null end),
		sem: (if has("sem") then [.sem[].id] else null end)}' "$T/out"
}

# "name:type ..." for every member of the objects selected by a jq path.
types_of() {	# types_of KIND ID
	jq -r --arg k "$1" --argjson id "$2" \
		'.[$k][] | select(.id == $id) | [to_entries[] | "\(.key):\(.value | type)"] | join(" ")' \
		"$T/out"
}

# One object, compact, with each time replaced by "T" when it is a number
# within [t0, t2], and the age replaced by "now-latest" when it is exactly
# the snapshot time minus the latest of the object's times: exact values
# and types of everything else.
object_of() {	# object_of KIND ID
	jq -c --arg k "$1" --argjson id "$2" --argjson t0 "$t0" --argjson t2 "$t2" '
		def tm: if type == "number" and . >= $t0 and . <= $t2 then "T" else . end;
		.time as $now |
		.[$k][] | select(.id == $id) |
		([.ctime, .atime, .dtime, .stime, .rtime, .otime] | map(select(. != null)) | max) as $latest |
		(if (.age | type) == "number" and .age == $now - $latest then .age = "now-latest" else . end) |
		with_entries(if (.key | test("^(ctime|atime|dtime|stime|rtime|otime)$"))
			then .value |= tm else . end)' "$T/out"
}

common_types='id:number key:string perms:string uid:number user:string gid:number group:string cuid:number cuser:string cgid:number cgroup:string ctime:number'

# --- an empty namespace ---------------------------------------------------
# Only this script runs in the namespace: the scan sees one process, which
# holds no FIFO; its pipes (if make gave it any) are whatever fd_oracle says.
fd_oracle
ipci --json
is "$rc" 0 "empty namespace: exit status 0"
is "$(jq -c '[.shm, .msg, .sem]' "$T/out")" '[[],[],[]]' "empty namespace: every SysV array is []"
is "$(jq -c '.warnings' "$T/out")" '[]' "empty namespace: warnings []"
is "$(jq -c '.scan | del(.pid_ns)' "$T/out")" '{"processes":1,"unreadable":0,"complete":true,"incomplete_because":[],"pid_ns_initial":false,"outside_ruled_out":true,"unreadable_processes":[]}' \
	"empty namespace: the scan read the one process there is, this script"
is "$(listed_objects)" "$(oracle_objects)" "empty namespace: the pipes and FIFOs are those of fd_oracle"
ipci_alone --json
is "$rc|$(cat "$T/err")" "0|" "alone in a PID namespace: exit status 0, nothing on stderr"
is "$(jq -c '[.shm, .msg, .sem, .fifo, .pipe, (.scan | del(.pid_ns)), .processes, .warnings]' "$T/out")" \
	'[[],[],[],[],[],{"processes":0,"unreadable":0,"complete":true,"incomplete_because":[],"pid_ns_initial":false,"outside_ruled_out":true,"unreadable_processes":[]},[],[]]' \
	"alone in a PID namespace: every array [], the scan saw no process"
ipci_alone
is "$rc|$(cat "$T/out")" "0|Shared memory segments: 0

Message queues: 0

Semaphore sets: 0

FIFOs (named pipes): 0

Pipes: 0

POSIX shared memory: 0

POSIX named semaphores: 0

POSIX message queues: 0

Unix sockets: 0

memfd files: 0" "empty namespace: table shows ten empty sections"
ipci_alone -n
is "$rc|$(wc -c <"$T/out")" "0|0" "empty namespace: --noheadings table prints nothing"
ipci --no-owners
is "$rc|$(cat "$T/out")" "0|Shared memory segments: 0

Message queues: 0

Semaphore sets: 0

POSIX shared memory: 0

POSIX named semaphores: 0

POSIX message queues: 0" "empty namespace, --no-owners: the SysV and POSIX sections (no fifo, pipe or unix)"
ipci --no-owners -n
is "$rc|$(wc -c <"$T/out")" "0|0" "empty namespace, --no-owners --noheadings: nothing"
ipci --no-owners --json
is "$rc|$(jq -c '[keys_unsorted[]], [.scan, .shm, .msg, .sem, .processes]' "$T/out" | tr '\n' ' ')" \
	'0|["schema","host","time","ipc_ns","warnings","scan","limits","shm","msg","sem","pshm","psem","pmq","processes"] [null,[],[],[],null] ' \
	"empty namespace, --no-owners --json: scan and processes null, no fifo or pipe"

# --- live objects -----------------------------------------------------------
# Semaphore sets first: their waiters are forked children, and a child that
# inherits attachments detaches them, which would change the segments'
# lpid and dtime (doc/kernel-facts.md, "Last user of a segment").  Started at
# a second's start, so that
# every recorded pid of the helper is judged "started in the same second".
mkipc_args=(
	sem:sw,key=0x5e000001,nsems=3,values=1:0:5,ncnt=1,zcnt=2,mode=0640
	sem:sr,key=0x9b573529,mode=0604,values=7
	sem:sq,nsems=2,mode=0600
	shm:att,key=0x9b573529,size=100,attach=2,mode=0640,uid=65534,gid=65534,fill=0x55
	shm:un,key=0x2000,size=5000,mode=0640,uid=4242,gid=4242
	shm:rm,key=0x3000,size=8192,attach=1,rmid
	shm:lk,key=0x4000,size=1,lock
	shm:dl,key=0x5000,attach=3,lock,rmid
	msg:q,key=0x1234,mode=0640,send=1:10,send=2:0,send=3:100,recv=1
	msg:e,key=0x6000,mode=0640,uid=65534,gid=65534
)
second_start
t0=$(date +%s)
mkipc_start "${mkipc_args[@]}"
P=$(mkipc_get pid)
sw=$(mkipc_get sw.id) sr=$(mkipc_get sr.id) sq=$(mkipc_get sq.id)
att=$(mkipc_get att.id) un=$(mkipc_get un.id) rm=$(mkipc_get rm.id)
lk=$(mkipc_get lk.id) dl=$(mkipc_get dl.id)
q=$(mkipc_get q.id) e=$(mkipc_get e.id)
is "$sw $sr $sq/$att $un $rm $lk $dl/$q $e" "0 1 2/0 1 2 3 4/0 1" "mkipc made the objects with the expected ids"
waiters=($(sed -n 's/^sw\.waiter=//p' "$MKIPC_OUT"))
is "${#waiters[@]}" 2 "mkipc started two waiters (ncnt and zcnt)"
procs=(/proc/[0-9]*)	# this script, the helper and its waiters
is "${#procs[@]}" 4 "four processes in the namespace"
S=$t0	# the second the helper started in (second_start)

fd_oracle
ipci --json
t2=$(date +%s)
is "$rc" 0 "--json: exit status 0"
is "$(cat "$T/err")" "" "--json: nothing on stderr"
ok "$(jq -e . "$T/out" >/dev/null; echo $?)" "--json: valid JSON"

# the envelope
is "$(jq -c '[keys_unsorted[]]' "$T/out")" \
	'["schema","host","time","ipc_ns","warnings","scan","limits","shm","msg","sem","fifo","pipe","pshm","psem","pmq","unix","memfd","processes"]' \
	"envelope: members in order"
is "$(jq -c '[.schema, .host, .warnings, (.scan | type), (.limits | type), (.shm | type), (.msg | type), (.sem | type), (.fifo | type), (.pipe | type), (.processes | type)]' "$T/out")" \
	"[1,\"$(uname -n)\",[],\"object\",\"object\",\"array\",\"array\",\"array\",\"array\",\"array\",\"array\"]" \
	"envelope: schema 1, host, warnings [], scan and limits objects, arrays"
is "$(jq -r '.time | if type == "number" and . >= '"$t0"' and . <= '"$t2"' then "in range" else tostring end' "$T/out")" \
	"in range" "envelope: time is a number within the run"
is "$(jq -c '.ipc_ns' "$T/out")" "$(stat -L -c %i /proc/self/ns/ipc)" "envelope: ipc_ns is the namespace inode"
is "$(jq -c '[.shm, .msg, .sem] | map(length)' "$T/out")" '[5,2,3]' "every object is listed once"
is "$(jq -c '.scan | del(.pid_ns)' "$T/out")" \
	'{"processes":4,"unreadable":0,"complete":true,"incomplete_because":[],"pid_ns_initial":false,"outside_ruled_out":true,"unreadable_processes":[]}' \
	"scan: every process but ipcinspect read, none unreadable"

# The helper's judged pids: it made every object within the second it
# started in (second_start), so each "started in the same second" as the event.
is "$(jq -r '[.shm[].ctime, .shm[].atime, .msg[].stime, .msg[].rtime, .sem[].ctime] | map(select(. != null)) |
	map(. - '"$S"') | map(select(. != 0)) | length' "$T/out")" 0 \
	"every IPC time of the helper is in the second it started in, $S (the premise of 'the same second')"
mk() {	# mk EVENT: the helper judged against EVENT
	near "$P" "$1"
}
mkattach() {	# mkattach N: the helper as a holder mapping it N times
	printf '{"pid":%d,"comm":"mkipc","user":"root","mappings":%d}' "$P" "$1"
}
# The verdicts' reasons about the helper: every pid it recorded started in
# the second of the event, so it is the same process, alive: in use.
mknear() {	# mknear ROLE EVENT
	printf '"%s %d (mkipc) is alive: it started in the same second as %s"' "$1" "$P" "$2"
}
nomap='"nattch 0","no process of this IPC namespace maps it"'
pages() {	# pages BYTES: what shmall counts, whole pages
	echo $((($1 + ps - 1) / ps))
}
verdict_types='verdict:string reasons:array age:number'

# shm: attached twice, owner nobody:nogroup, 100 bytes touched by the helper
is "$(types_of shm "$att")" "$common_types size:number nattch:number status:array cpid:number lpid:number atime:number dtime:null rss:number swap:number attached:array creator:object last:object frees_bytes:number frees_pages:number $verdict_types" \
	"shm attached: member names, order and types"
is "$(object_of shm "$att")" \
	"{\"id\":$att,\"key\":\"0x9b573529\",\"perms\":\"0640\",\"uid\":65534,\"user\":\"nobody\",\"gid\":65534,\"group\":\"nogroup\",\"cuid\":0,\"cuser\":\"root\",\"cgid\":0,\"cgroup\":\"root\",\"ctime\":\"T\",\"size\":100,\"nattch\":2,\"status\":[],\"cpid\":$P,\"lpid\":$P,\"atime\":\"T\",\"dtime\":null,\"rss\":$ps,\"swap\":0,\"attached\":[$(mkattach 2)],\"creator\":$(mk ctime),\"last\":$(mk atime),\"frees_bytes\":100,\"frees_pages\":1,\"verdict\":\"in-use\",\"reasons\":[\"nattch 2\",\"mapped by mkipc[$P]\",$(mknear creator ctime),$(mknear "last user" atime)],\"age\":\"now-latest\"}" \
	"shm attached (key with the top bit set): exact values, the helper holds two mappings; in use"

# shm: never attached, owner 4242:4242 (no names)
is "$(types_of shm "$un")" "id:number key:string perms:string uid:number user:null gid:number group:null cuid:number cuser:string cgid:number cgroup:string ctime:number size:number nattch:number status:array cpid:number lpid:number atime:null dtime:null rss:number swap:number attached:array creator:object last:null frees_bytes:number frees_pages:number $verdict_types" \
	"shm unattached, unnamed owner: member types"
is "$(object_of shm "$un")" \
	"{\"id\":$un,\"key\":\"0x00002000\",\"perms\":\"0640\",\"uid\":4242,\"user\":null,\"gid\":4242,\"group\":null,\"cuid\":0,\"cuser\":\"root\",\"cgid\":0,\"cgroup\":\"root\",\"ctime\":\"T\",\"size\":5000,\"nattch\":0,\"status\":[],\"cpid\":$P,\"lpid\":0,\"atime\":null,\"dtime\":null,\"rss\":0,\"swap\":0,\"attached\":[],\"creator\":$(mk ctime),\"last\":null,\"frees_bytes\":5000,\"frees_pages\":$(pages 5000),\"verdict\":\"in-use\",\"reasons\":[$nomap,$(mknear creator ctime),\"never attached\"],\"age\":\"now-latest\"}" \
	"shm unattached: lpid 0, atime and dtime null, user and group null, attached [], last null; in use: the creator is alive"

# shm: removed while attached
is "$(object_of shm "$rm")" \
	"{\"id\":$rm,\"key\":\"0x00000000\",\"perms\":\"0600\",\"uid\":0,\"user\":\"root\",\"gid\":0,\"group\":\"root\",\"cuid\":0,\"cuser\":\"root\",\"cgid\":0,\"cgroup\":\"root\",\"ctime\":\"T\",\"size\":8192,\"nattch\":1,\"status\":[\"dest\"],\"cpid\":$P,\"lpid\":$P,\"atime\":\"T\",\"dtime\":null,\"rss\":0,\"swap\":0,\"attached\":[$(mkattach 1)],\"creator\":$(mk ctime),\"last\":$(mk atime),\"frees_bytes\":8192,\"frees_pages\":$(pages 8192),\"verdict\":\"in-use\",\"reasons\":[\"removed: destroyed at its last detach (dest)\",\"nattch 1\",\"mapped by mkipc[$P]\",$(mknear creator ctime),$(mknear "last user" atime)],\"age\":\"now-latest\"}" \
	"shm removed while attached: key 0x00000000, status [dest], still attached by the helper; in use"

# shm: locked, never attached
is "$(object_of shm "$lk")" \
	"{\"id\":$lk,\"key\":\"0x00004000\",\"perms\":\"0600\",\"uid\":0,\"user\":\"root\",\"gid\":0,\"group\":\"root\",\"cuid\":0,\"cuser\":\"root\",\"cgid\":0,\"cgroup\":\"root\",\"ctime\":\"T\",\"size\":1,\"nattch\":0,\"status\":[\"locked\"],\"cpid\":$P,\"lpid\":0,\"atime\":null,\"dtime\":null,\"rss\":0,\"swap\":0,\"attached\":[],\"creator\":$(mk ctime),\"last\":null,\"frees_bytes\":1,\"frees_pages\":1,\"verdict\":\"in-use\",\"reasons\":[$nomap,$(mknear creator ctime),\"never attached\"],\"age\":\"now-latest\"}" \
	"shm locked: status [locked]"

# shm: locked, attached three times, then removed
is "$(jq -c --argjson id "$dl" '.shm[] | select(.id == $id) | [.key, .nattch, .status, .lpid, .attached, .creator, .last, .frees_bytes, .frees_pages, .verdict, .reasons]' "$T/out")" \
	"[\"0x00000000\",3,[\"dest\",\"locked\"],$P,[$(mkattach 3)],$(mk ctime),$(mk atime),4096,$(pages 4096),\"in-use\",[\"removed: destroyed at its last detach (dest)\",\"nattch 3\",\"mapped by mkipc[$P]\",$(mknear creator ctime),$(mknear "last user" atime)]]" \
	"shm locked and removed: nattch 3, status [dest,locked], three mappings of one process; in use"
is "$(jq -c '[.shm[] | (.attached | map(.mappings) | add // 0) == .nattch] | all' "$T/out")" true \
	"shm: the mappings of the attached processes add up to nattch (doc/kernel-facts.md, \"Attachment count\")"

# msg: sent 10, 0 and 100 bytes, received the first
is "$(types_of msg "$q")" "$common_types used_bytes:number messages:number lspid:number lrpid:number stime:number rtime:number last_sender:object last_receiver:object frees_bytes:number $verdict_types" \
	"msg with traffic: member names, order and types"
is "$(object_of msg "$q")" \
	"{\"id\":$q,\"key\":\"0x00001234\",\"perms\":\"0640\",\"uid\":0,\"user\":\"root\",\"gid\":0,\"group\":\"root\",\"cuid\":0,\"cuser\":\"root\",\"cgid\":0,\"cgroup\":\"root\",\"ctime\":\"T\",\"used_bytes\":100,\"messages\":2,\"lspid\":$P,\"lrpid\":$P,\"stime\":\"T\",\"rtime\":\"T\",\"last_sender\":$(mk stime),\"last_receiver\":$(mk rtime),\"frees_bytes\":100,\"verdict\":\"in-use\",\"reasons\":[\"2 messages waiting\",$(mknear "last sender" stime),$(mknear "last receiver" rtime)],\"age\":\"now-latest\"}" \
	"msg with traffic: used_bytes 100, messages 2 (one empty), lspid and lrpid the helper, judged; in use"

# msg: never used, owner nobody
is "$(types_of msg "$e")" "$common_types used_bytes:number messages:number lspid:number lrpid:number stime:null rtime:null last_sender:null last_receiver:null frees_bytes:number $verdict_types" \
	"msg never used: member types"
is "$(object_of msg "$e")" \
	"{\"id\":$e,\"key\":\"0x00006000\",\"perms\":\"0640\",\"uid\":65534,\"user\":\"nobody\",\"gid\":65534,\"group\":\"nogroup\",\"cuid\":0,\"cuser\":\"root\",\"cgid\":0,\"cgroup\":\"root\",\"ctime\":\"T\",\"used_bytes\":0,\"messages\":0,\"lspid\":0,\"lrpid\":0,\"stime\":null,\"rtime\":null,\"last_sender\":null,\"last_receiver\":null,\"frees_bytes\":0,\"verdict\":\"suspect\",\"reasons\":[\"never used\"],\"age\":\"now-latest\"}" \
	"msg never used: zero counts, pids 0, times null, nobody sent or received; a suspect"

# sem: values 1:0:5, one waiter for an increase of #1, one for zero of #2
sems_types="semaphores:array semaphores_error:null $verdict_types"
is "$(types_of sem "$sw")" "$common_types nsems:number otime:null waiters:number $sems_types" \
	"sem with waiters: member names, order and types"
is "$(jq -r --argjson id "$sw" '.sem[] | select(.id == $id) | [.semaphores[] | [to_entries[] | "\(.key):\(.value | type)"] | join(" ")] | unique[]' "$T/out")" \
	"num:number value:number pid:number ncnt:number zcnt:number last:object" "sem with waiters: semaphore member names and types"
# SETVAL records the helper as each semaphore's pid and sets ctime; no
# semop completed (otime null), so each pid is judged against ctime
is "$(object_of sem "$sw")" \
	"{\"id\":$sw,\"key\":\"0x5e000001\",\"perms\":\"0640\",\"uid\":0,\"user\":\"root\",\"gid\":0,\"group\":\"root\",\"cuid\":0,\"cuser\":\"root\",\"cgid\":0,\"cgroup\":\"root\",\"ctime\":\"T\",\"nsems\":3,\"otime\":null,\"waiters\":2,\"semaphores\":[{\"num\":0,\"value\":1,\"pid\":$P,\"ncnt\":0,\"zcnt\":0,\"last\":$(mk ctime)},{\"num\":1,\"value\":0,\"pid\":$P,\"ncnt\":1,\"zcnt\":0,\"last\":$(mk ctime)},{\"num\":2,\"value\":5,\"pid\":$P,\"ncnt\":0,\"zcnt\":1,\"last\":$(mk ctime)}],\"semaphores_error\":null,\"verdict\":\"in-use\",\"reasons\":[\"2 processes waiting\",$(mknear "semaphore #0: last user" ctime)],\"age\":\"now-latest\"}" \
	"sem with waiters: values 1,0,5, waiters 2, exact ncnt/zcnt and pids, each judged; waiters: in use, one reason per distinct pid"
is "$(object_of sem "$sr")" \
	"{\"id\":$sr,\"key\":\"0x9b573529\",\"perms\":\"0604\",\"uid\":0,\"user\":\"root\",\"gid\":0,\"group\":\"root\",\"cuid\":0,\"cuser\":\"root\",\"cgid\":0,\"cgroup\":\"root\",\"ctime\":\"T\",\"nsems\":1,\"otime\":null,\"waiters\":0,\"semaphores\":[{\"num\":0,\"value\":7,\"pid\":$P,\"ncnt\":0,\"zcnt\":0,\"last\":$(mk ctime)}],\"semaphores_error\":null,\"verdict\":\"in-use\",\"reasons\":[$(mknear "semaphore #0: last user" ctime)],\"age\":\"now-latest\"}" \
	"sem with a top-bit key: value 7, no waiters; in use (its last user is alive)"
# pid 0 in a set nobody ever operated on: nobody touched it, last null
is "$(object_of sem "$sq")" \
	"{\"id\":$sq,\"key\":\"0x00000000\",\"perms\":\"0600\",\"uid\":0,\"user\":\"root\",\"gid\":0,\"group\":\"root\",\"cuid\":0,\"cuser\":\"root\",\"cgid\":0,\"cgroup\":\"root\",\"ctime\":\"T\",\"nsems\":2,\"otime\":null,\"waiters\":0,\"semaphores\":[{\"num\":0,\"value\":0,\"pid\":0,\"ncnt\":0,\"zcnt\":0,\"last\":null},{\"num\":1,\"value\":0,\"pid\":0,\"ncnt\":0,\"zcnt\":0,\"last\":null}],\"semaphores_error\":null,\"verdict\":\"suspect\",\"reasons\":[\"no semaphore was ever operated on\"],\"age\":\"now-latest\"}" \
	"sem never set: values 0, pid 0, last null; a suspect"

# FIFOs and pipes: exactly what the namespace's processes hold, by the
# oracle; among them the FIFO lib.sh feeds the helper's stdin through
is "$(listed_objects)" "$(oracle_objects)" "fifo and pipe: the objects, readers and writers fd_oracle sees"
fifo_path=$(readlink -f "$MKIPC_DIR/in")
is "$(jq -c --arg p "$fifo_path" '[.fifo[] | select(.path == $p)]' "$T/out")" \
	"[{\"path\":\"$fifo_path\",\"deleted\":false,\"dev\":\"$(stat -c '%Hd:%Ld' "$fifo_path")\",\"inode\":$(stat -c %i "$fifo_path"),\"readers\":[{\"pid\":$P,\"comm\":\"mkipc\",\"user\":\"root\",\"fd\":0}],\"writers\":[{\"pid\":1,\"comm\":\"bash\",\"user\":\"root\",\"fd\":9}],\"on_disk\":false,\"uid\":null,\"user\":null,\"verdict\":\"in-use\",\"reasons\":[\"held open by mkipc[$P] and others\"],\"age\":null}]" \
	"fifo: the helper's stdin, read by the helper on fd 0, written by this script on fd 9, dev and inode as stat says; in use, not looked for on disk: no owner, no age"
is "$(jq -c '[.pipe[] | .flags == ([if (.readers | length) == 0 then "no-readers" else empty end,
	if (.writers | length) == 0 then "no-writers" else empty end,
	if (.readers | length) > 0 and (.writers | length) > 0 and ([.readers[], .writers[] | .pid] | unique | length) == 1
	then "same-process" else empty end])] | all' "$T/out")" true \
	"pipe: every pipe's flags follow from its readers and writers"
is "$(jq -c '[.pipe[] | [.verdict, .reasons, .age] == ["in-use",
	["held by \(.readers | length) reader fd\(if (.readers | length) == 1 then "" else "s" end) and \(.writers | length) writer fd\(if (.writers | length) == 1 then "" else "s" end)"],
	null]] | all' "$T/out")" true \
	"pipe: every pipe is in use, its reason counts its reader and writer fds, no age"
is "$(jq -c '[.fifo[] | [.verdict, .reasons, .on_disk, .uid, .user, .age] == ["in-use",
	["held open by \((.readers + .writers)[0] | "\(.comm)[\(.pid)]")\(if (.readers + .writers | length) > 1 then " and others" else "" end)"],
	false, null, null, null]] | all' "$T/out")" true \
	"fifo: every FIFO held open is in use, named by its first reader (else writer)"

# processes: the facts of every process referred to
is "$(jq -c '[.processes[].pid]' "$T/out")" \
	"$({ awk '{ print $3 }' "$T/oracle"; echo "$P"; } | sort -nu | jq -sc .)" \
	"processes: the holders of FIFOs and pipes and the helper, by pid"
is "$(jq -c --argjson p "$P" '.processes[] | select(.pid == $p) |
	del(.cgroup, .unit, .slice, .container, .pod)' "$T/out")" \
	"$(jq -nc --argjson p "$P" --argjson s "$S" --arg mkipc "$MKIPC" '{pid: $p, tgid: $p, comm: "mkipc", argv: ([$mkipc] + $ARGS.positional), uid: 0, user: "root", state: "S", start: $s}' \
		--args "${mkipc_args[@]}")" \
	"processes: the helper, with argv, blocked reading stdin, started in the second it was started"
# its cgroup as /proc/PID/cgroup says it: the name=systemd line's path when
# it says more than "/", else the v2 line's (tests/ts-container.sh checks
# the unit and container of cgroups made for it)
cg_sd=$(sed -n 's/^[0-9]*:name=systemd://p' "/proc/$P/cgroup")
cg_v2=$(sed -n 's/^0:://p' "/proc/$P/cgroup")
if [ -n "$cg_sd" ] && [ "$cg_sd" != / ]; then cg_want=$cg_sd; else cg_want=${cg_v2:-$cg_sd}; fi
is "$(jq -r --argjson p "$P" '.processes[] | select(.pid == $p) | .cgroup' "$T/out")" "$cg_want" \
	"processes: the helper's cgroup path, as /proc/PID/cgroup has it"
is "$(jq -c '.processes[] | select(.pid == 1) | [.tgid, .comm, .uid, .user, .state]' "$T/out")" '[1,"bash",0,"root","S"]' \
	"processes: this script, waiting for ipcinspect"

# --- filters ------------------------------------------------------------------
# --id, --key and --user select SysV objects: without --type the listing is
# shm, msg and sem only (the scan still runs: scan and processes are there)
sysv_keys='["schema","host","time","ipc_ns","warnings","scan","limits","shm","msg","sem","processes"]'
ipci --json --id "$un"
is "$rc/$(ids_of)" '0/{"shm":[1],"msg":[1],"sem":[1]}' "--id 1: id 1 of every kind"
is "$(jq -c '[keys_unsorted[]]' "$T/out")" "$sysv_keys" "--id 1: SysV kinds only, with scan and processes"
is "$(jq -c '.scan.processes' "$T/out")" 4 "--id 1: the scan ran"
ipci --json --id "$dl"
is "$rc/$(ids_of)" '0/{"shm":[4],"msg":[],"sem":[]}' "--id 4: only the shm; empty arrays stay []"
ipci --json --id 99
is "$rc/$(ids_of)" '0/{"shm":[],"msg":[],"sem":[]}' "--id 99: nothing matches"
ipci --json --key 0x9b573529
is "$rc/$(ids_of)" '0/{"shm":[0],"msg":[],"sem":[1]}' "--key 0x9b573529 (hex)"
is "$(jq -c '[keys_unsorted[]]' "$T/out")" "$sysv_keys" "--key: SysV kinds only"
ipci --json --key 0x9B573529
is "$rc/$(ids_of)" '0/{"shm":[0],"msg":[],"sem":[1]}' "--key 0x9B573529 (upper-case hex)"
ipci --json --key -1688783575
is "$rc/$(ids_of)" '0/{"shm":[0],"msg":[],"sem":[1]}' "--key -1688783575 (negative decimal, as /proc prints it)"
ipci --json --key 4660
is "$rc/$(ids_of)" '0/{"shm":[],"msg":[0],"sem":[]}' "--key 4660 (decimal of 0x1234)"
ipci --json --key 0
is "$rc/$(ids_of)" '0/{"shm":[2,4],"msg":[],"sem":[2]}' "--key 0: private and removed objects"
ipci --json -u nobody
is "$rc/$(ids_of)" '0/{"shm":[0],"msg":[1],"sem":[]}' "-u nobody"
is "$(jq -c '[keys_unsorted[]]' "$T/out")" "$sysv_keys" "-u: SysV kinds only"
ipci --json -u 65534
is "$rc/$(ids_of)" '0/{"shm":[0],"msg":[1],"sem":[]}' "-u 65534"
ipci --json --user 4242
is "$rc/$(ids_of)" '0/{"shm":[1],"msg":[],"sem":[]}' "--user 4242 (no name)"
ipci --json -u root --key 0
is "$rc/$(ids_of)" '0/{"shm":[2,4],"msg":[],"sem":[2]}' "-u root --key 0: filters combine"
ipci --json -u nobody --key 0x6000
is "$rc/$(ids_of)" '0/{"shm":[],"msg":[1],"sem":[]}' "-u nobody --key 0x6000"

ipci --json -t shm,sem
is "$rc/$(jq -c '[keys_unsorted[]]' "$T/out")" '0/["schema","host","time","ipc_ns","warnings","scan","limits","shm","sem","processes"]' \
	"-t shm,sem: no msg, fifo or pipe member"
is "$(ids_of)" '{"shm":[0,1,2,3,4],"msg":null,"sem":[0,1,2]}' "-t shm,sem: all shm and sem objects"
ipci --json -t shm,sem --id 99
is "$rc/$(jq -c '[.shm, .sem, has("msg"), has("fifo"), has("pipe")]' "$T/out")" '0/[[],[],false,false,false]' \
	"-t shm,sem with nothing matching: [] and []"
ipci --json -t msg
is "$(jq -c '[keys_unsorted[]]' "$T/out")" '["schema","host","time","ipc_ns","warnings","scan","limits","msg","processes"]' "-t msg: only msg"
ipci --json -t fifo,pipe
is "$rc/$(jq -c '[keys_unsorted[]]' "$T/out")" \
	'0/["schema","host","time","ipc_ns","warnings","scan","limits","fifo","pipe","processes"]' "-t fifo,pipe: only fifo and pipe"
is "$(listed_objects)" "$(oracle_objects)" "-t fifo,pipe: the same objects as the full listing's"
ipci --json -t pipe,fifo,pipe
is "$rc/$(jq -c '[keys_unsorted[]]' "$T/out")" \
	'0/["schema","host","time","ipc_ns","warnings","scan","limits","fifo","pipe","processes"]' \
	"-t pipe,fifo,pipe: kinds in their fixed order, once each"

# --pid: the objects the process holds, created or last used
ipci --json --pid "$P"
is "$rc/$(ids_of)" '0/{"shm":[0,1,2,3,4],"msg":[0],"sem":[0,1]}' \
	"--pid of the helper: every segment it made, the queue it used, the sets it set"
is "$(jq -c '[keys_unsorted[]]' "$T/out")" \
	'["schema","host","time","ipc_ns","warnings","scan","limits","shm","msg","sem","fifo","pipe","pshm","psem","pmq","unix","memfd","processes"]' \
	"--pid: every kind (it is not a SysV-only filter)"
is "$(jq -c --arg p "$fifo_path" '[.fifo[].path] | index($p) != null' "$T/out")" true \
	"--pid of the helper: the FIFO it reads"
is "$(jq -c --argjson p "$P" '[(.fifo, .pipe)[] | [.readers[], .writers[]] | any(.pid == $p)] | all' "$T/out")" true \
	"--pid of the helper: every FIFO and pipe listed is one it holds"
is "$(jq -c '[.pipe[].inode]' "$T/out")" \
	"$(awk -v p="$P" '$1 == "pipe" && $3 == p { print $2 }' "$T/oracle" | sort -nu | jq -sc .)" \
	"--pid of the helper: exactly the pipes fd_oracle sees it hold"
ipci --json -t shm,msg,sem,fifo -p "${waiters[0]}"
is "$rc/$(ids_of)/$(jq -c '[.fifo[] | [.readers[], .writers[]] | any(.pid == '"${waiters[0]}"')] | all' "$T/out")" \
	'0/{"shm":[],"msg":[],"sem":[]}/true' \
	"-p of a waiter: it blocks in semop (no pid recorded), maps nothing; only FIFOs it holds"
ipci --json -t fifo -p 1
is "$rc/$(jq -c --arg p "$fifo_path" '[.fifo[].path] | index($p) != null' "$T/out")" "0/true" \
	"-t fifo -p 1: the FIFO this script writes"
ipci --json -t shm,msg,sem -p 1
is "$rc/$(ids_of)" '0/{"shm":[],"msg":[],"sem":[]}' "-p 1: this script made no SysV object"
ipci --json -p 2147483647
is "$rc|$(wc -c <"$T/out")|$(err)" \
	"2|0|ipcinspect: --pid 2147483647: no such process, and no object records it" \
	"--pid of no process that no object records: a usage error (exit 2), no document"
ipci --json --pid "$P" --id 1
is "$rc/$(ids_of)/$(jq -c '[keys_unsorted[]]' "$T/out")" "0/{\"shm\":[1],\"msg\":[],\"sem\":[1]}/$sysv_keys" \
	"--pid with --id: both must match; SysV kinds only"
ipci --json -p "$P" --key 0x9b573529 -t sem
is "$rc/$(jq -c '[.sem[].id]' "$T/out")" "0/[$sr]" "-p with --key and -t sem"

# --no-owners: no scan; holders and judged pids null, fifo and pipe absent
ipci --json --no-owners
is "$rc|$(cat "$T/err")|$(jq -c '[keys_unsorted[]]' "$T/out")" \
	'0||["schema","host","time","ipc_ns","warnings","scan","limits","shm","msg","sem","pshm","psem","pmq","processes"]' \
	"--no-owners: SysV and POSIX kinds (no fifo, pipe or unix), no warning"
is "$(jq -c '[.scan, .processes, ([.shm, .msg, .sem] | map(length))]' "$T/out")" '[null,null,[5,2,3]]' \
	"--no-owners: scan and processes null, every SysV object"
is "$(object_of shm "$att")" \
	"{\"id\":$att,\"key\":\"0x9b573529\",\"perms\":\"0640\",\"uid\":65534,\"user\":\"nobody\",\"gid\":65534,\"group\":\"nogroup\",\"cuid\":0,\"cuser\":\"root\",\"cgid\":0,\"cgroup\":\"root\",\"ctime\":\"T\",\"size\":100,\"nattch\":2,\"status\":[],\"cpid\":$P,\"lpid\":$P,\"atime\":\"T\",\"dtime\":null,\"rss\":$ps,\"swap\":0,\"attached\":null,\"creator\":null,\"last\":null,\"frees_bytes\":100,\"frees_pages\":1,\"verdict\":null,\"reasons\":null,\"age\":null}" \
	"--no-owners: shm attached, creator and last null; not judged: no verdict, reasons or age"
is "$(jq -c '[.msg[] | [.last_sender, .last_receiver]], [.sem[].semaphores[].last] ' "$T/out" | tr '\n' ' ')" \
	'[[null,null],[null,null]] [null,null,null,null,null,null] ' "--no-owners: msg and sem actors null"
is "$(jq -c '[(.shm, .msg, .sem)[] | [.verdict, .reasons, .age]] | unique' "$T/out")" '[[null,null,null]]' \
	"--no-owners: no object has a verdict, reasons or an age"
ipci --json --no-owners -t shm --id "$att"
is "$rc/$(jq -c '[keys_unsorted[]], [.shm[].id]' "$T/out" | tr '\n' ' ')" \
	'0/["schema","host","time","ipc_ns","warnings","scan","limits","shm","processes"] [0] ' \
	"--no-owners with -t shm and --id"

# --- -o in JSON -----------------------------------------------------------
ipci --json -o ID,KEY
is "$rc/$(jq -c '[(.shm, .msg, .sem)[] | keys_unsorted] | unique' "$T/out")" '0/[["id","key"]]' \
	"-o ID,KEY: every object has exactly id and key"
is "$(jq -c '[has("fifo"), has("pipe")]' "$T/out")" '[false,false]' "-o ID,KEY: fifo and pipe have neither: left out"
is "$(jq -c '[.shm[0], .msg[0], .sem[0]]' "$T/out")" \
	'[{"id":0,"key":"0x9b573529"},{"id":0,"key":"0x00001234"},{"id":0,"key":"0x5e000001"}]' "-o ID,KEY: values"
ipci --json -o key,Status,id -t shm
is "$(jq -c '.shm[4]' "$T/out")" '{"key":"0x00000000","status":["dest","locked"],"id":4}' \
	"-o names are case-insensitive and keep their order"
ipci --json -o ID,NATTCH
is "$(jq -c '[(.shm[0] | keys_unsorted), (.msg[0] | keys_unsorted), (.sem[0] | keys_unsorted)]' "$T/out")" \
	'[["id","nattch"],["id"],["id"]]' "-o ID,NATTCH: each kind gets the columns it has"
ipci --json -o NATTCH,STATUS
is "$rc/$(jq -c '[keys_unsorted[]], .shm[4]' "$T/out" | tr '\n' ' ')" \
	'0/["schema","host","time","ipc_ns","warnings","scan","limits","shm","processes"] {"nattch":3,"status":["dest","locked"]} ' \
	"-o NATTCH,STATUS: kinds without those columns are left out"
ipci --json -o ID,CREATOR,ATTACHED -t shm --id "$att"
is "$(jq -c '.shm' "$T/out")" "[{\"id\":$att,\"creator\":$(mk ctime),\"attached\":[$(mkattach 2)]}]" \
	"-o ID,CREATOR,ATTACHED: the judged creator and the holders"
ipci --json -o SENDER,RECEIVER -t msg --id "$q"
is "$(jq -c '.msg' "$T/out")" "[{\"last_sender\":$(mk stime),\"last_receiver\":$(mk rtime)}]" \
	"-o SENDER,RECEIVER: the judged last sender and receiver"
ipci --json -o INODE,READERS
is "$rc/$(jq -c '[keys_unsorted[]]' "$T/out")/$(jq -c '[(.fifo, .pipe)[] | keys_unsorted] | unique' "$T/out")" \
	'0/["schema","host","time","ipc_ns","warnings","scan","limits","fifo","pipe","pshm","psem","pmq","unix","memfd","processes"]/[["inode","readers"]]' \
	"-o INODE,READERS: fifo and pipe have both, POSIX kinds and memfd INODE, SysV kinds neither and are left out"

# --- table ------------------------------------------------------------------
ipci --raw --noheadings -o ID,KEY,NATTCH -t shm
is "$rc/$(cat "$T/out")" "0/shm 0 0x9b573529 2
shm 1 0x00002000 0
shm 2 0x00000000 1
shm 3 0x00004000 0
shm 4 0x00000000 3" "table: --raw --noheadings -o ID,KEY,NATTCH -t shm: the kind first"
ipci --raw -t shm
is "$(cat "$T/out")" "KIND ID KEY USER PERMS SIZE NATTCH STATUS CREATOR ATTACHED
shm 0 0x9b573529 nobody 0640 100B 2 - mkipc[$P] mkipc[$P]x2
shm 1 0x00002000 4242 0640 4.9K 0 - mkipc[$P] -
shm 2 0x00000000 root 0600 8K 1 dest mkipc[$P] mkipc[$P]
shm 3 0x00004000 root 0600 1B 0 locked mkipc[$P] -
shm 4 0x00000000 root 0600 4K 3 dest,locked mkipc[$P] mkipc[$P]x3" "table: default shm columns, raw (no title, the kind first)"
ipci --raw -t shm --no-owners -o ID,CPID,LPID,CREATOR,LAST,ATTACHED
is "$rc/$(cat "$T/out")" "0/KIND ID CPID LPID CREATOR LAST ATTACHED
shm 0 $P $P $P $P ?
shm 1 $P 0 $P - ?
shm 2 $P $P $P $P ?
shm 3 $P 0 $P - ?
shm 4 $P $P $P $P ?" "table --no-owners: CREATOR and LAST are the recorded pids, '-' for 0; ATTACHED unknown (?)"
ipci --raw -t msg
is "$(cat "$T/out")" "KIND ID KEY USER PERMS USED-BYTES MESSAGES SENDER RECEIVER
msg 0 0x00001234 root 0640 100B 2 mkipc[$P] mkipc[$P]
msg 1 0x00006000 nobody 0640 0B 0 - -" "table: default msg columns, raw"
ipci --raw -t msg --no-owners
is "$(cat "$T/out")" "KIND ID KEY USER PERMS USED-BYTES MESSAGES SENDER RECEIVER
msg 0 0x00001234 root 0640 100B 2 $P $P
msg 1 0x00006000 nobody 0640 0B 0 - -" "table --no-owners: SENDER and RECEIVER are the recorded pids"
ipci --raw -t sem
is "$(cat "$T/out")" "KIND ID KEY USER PERMS NSEMS WAITERS OTIME SEMAPHORES
sem 0 0x5e000001 root 0640 3 2 - 1,0,5
sem 1 0x9b573529 root 0604 1 0 - 7
sem 2 0x00000000 root 0600 2 0 - 0,0" "table: default sem columns, raw"
ipci -t fifo
is "$(sed -n '1p' "$T/out")" "FIFOs (named pipes): $(oracle_count fifo)" "table: fifo title with the count"
ipci --raw -t fifo
is "$(sed -n '1p' "$T/out")" "KIND PATH DELETED INODE READERS WRITERS" "table: fifo default columns, raw"
is "$(grep -F " $fifo_path " "$T/out")" "fifo $fifo_path no $(stat -c %i "$fifo_path") mkipc[$P]:0 bash[1]:9" \
	"table: the helper's FIFO, readers and writers as comm[pid]:fd"
ipci
is "$(grep -E '^(Shared memory segments|Message queues|Semaphore sets|FIFOs \(named pipes\)|Pipes): ' "$T/out")" \
	"Shared memory segments: 5
Message queues: 2
Semaphore sets: 3
FIFOs (named pipes): $(oracle_count fifo)
Pipes: $(oracle_count pipe)" "table: the default listing has five sections, with their counts"
ipci --raw --noheadings -o ID,USER,GROUP,UID,CUSER -t shm,msg
is "$(cat "$T/out")" "shm 0 nobody nogroup 65534 root
shm 1 4242 4242 4242 root
shm 2 root root 0 root
shm 3 root root 0 root
shm 4 root root 0 root

msg 0 root root 0 root
msg 1 nobody nogroup 65534 root" "table: names, or the number where there is none"
ipci --raw --noheadings -o ID,SIZE,USED-BYTES -t shm,msg
is "$(cat "$T/out")" "shm 0 100B
shm 1 4.9K
shm 2 8K
shm 3 1B
shm 4 4K

msg 0 100B
msg 1 0B" "table: human sizes by default"
ipci --raw --noheadings -b -o ID,SIZE,USED-BYTES -t shm,msg
is "$(cat "$T/out")" "shm 0 100
shm 1 5000
shm 2 8192
shm 3 1
shm 4 4096

msg 0 100
msg 1 0" "table: -b gives bytes"
ipci --raw --noheadings -o ID,RSS,SWAP -t shm
is "$(cat "$T/out")" "shm 0 $((ps / 1024))K 0B
shm 1 0B 0B
shm 2 0B 0B
shm 3 0B 0B
shm 4 0B 0B" "table: rss and swap"
ipci --raw --noheadings -o ID,ATIME,DTIME -t shm --id "$un"
is "$(cat "$T/out")" "shm 1 - -" "table: never is '-'"
ipci --raw --noheadings -o ID,VERDICT,FREES,PAGES -t shm
is "$rc|$(cat "$T/out")" "0|shm 0 in-use 100B 1
shm 1 in-use 4.9K $(pages 5000)
shm 2 in-use 8K $(pages 8192)
shm 3 in-use 1B 1
shm 4 in-use 4K $(pages 4096)" "table: VERDICT, FREES in human units, PAGES"
ipci --raw --noheadings -b -o ID,FREES -t shm,msg
is "$rc|$(cat "$T/out")" "0|shm 0 100
shm 1 5000
shm 2 8192
shm 3 1
shm 4 4096

msg 0 100
msg 1 0" "table: -b gives FREES in bytes (a queue frees its messages' bytes)"
ipci --raw --noheadings -o ID,VERDICT,REASONS -t msg,sem --id "$e"
is "$rc|$(cat "$T/out")" '0|msg 1 suspect never\x20used

sem 1 in-use semaphore\x20#0:\x20last\x20user\x20'"$P"'\x20(mkipc)\x20is\x20alive:\x20it\x20started\x20in\x20the\x20same\x20second\x20as\x20ctime' \
	"table: VERDICT and REASONS"
ipci --raw --noheadings -o ID,REASONS -t shm --id "$un"
is "$rc|$(cat "$T/out")" "0|shm 1 nattch\\x200;\\x20no\\x20process\\x20of\\x20this\\x20IPC\\x20namespace\\x20maps\\x20it;\\x20creator\\x20$P\\x20(mkipc)\\x20is\\x20alive:\\x20it\\x20started\\x20in\\x20the\\x20same\\x20second\\x20as\\x20ctime;\\x20never\\x20attached" \
	"table: REASONS joined by '; '"

# --- what ipcinspect holds itself: listed with the other holders -------------
# Run without closing fd 9, ipcinspect inherits this script's write end of
# the helper's FIFO (as a child inherits what a daemon leaks): the FIFO is
# listed with the processes that hold it, as without the inherited fd,
# ipcinspect's own fd left out (it never reports itself).
"$IPCINSPECT" --json -t fifo </dev/null >"$T/out" 2>"$T/err"
rc=$?
json_keep "$T/out" "$rc" --json -t fifo
is "$rc|$(jq -c --arg p "$fifo_path" '[.fifo[] | select(.path == $p) | [.readers, .writers, .verdict, .reasons]]' "$T/out")" \
	"0|[[[{\"pid\":$P,\"comm\":\"mkipc\",\"user\":\"root\",\"fd\":0}],[{\"pid\":1,\"comm\":\"bash\",\"user\":\"root\",\"fd\":9}],\"in-use\",[\"held open by mkipc[$P] and others\"]]]" \
	"a FIFO ipcinspect itself holds (inherited fd 9) is listed with its other holders"

# --- what the reader may not read ----------------------------------------------
if "${nobody[@]}" "$IPCINSPECT" --version >/dev/null 2>&1; then
	procs=(/proc/[0-9]*)
	n=${#procs[@]}
	unreadable=$(for d in "${procs[@]}"; do
		read -r c <"$d/comm"
		printf '{"pid":%d,"comm":"%s","why":"ns/ipc: permission denied"}\n' "${d#/proc/}" "$c"
	done | jq -sc 'sort_by(.pid)')
	warning="$n of $n processes could not be read: holders may be missing (--json lists them under scan)"
	closed_run "${nobody[@]}" "$IPCINSPECT" --json -t sem
	is "$n" 4 "as nobody: four processes in the namespace, all root's"
	is "$rc/$(cat "$T/err")" "0/ipcinspect: warning: $warning" \
		"as nobody: exit status 0, one warning: no process could be read"
	is "$(jq -c '.warnings' "$T/out")" "[\"$warning\"]" "as nobody: the same warning in JSON"
	is "$(jq -c '.scan | del(.pid_ns)' "$T/out")" \
		"{\"processes\":$n,\"unreadable\":$n,\"complete\":false,\"incomplete_because\":[\"unreadable-processes\"],\"pid_ns_initial\":false,\"outside_ruled_out\":true,\"unreadable_processes\":$unreadable}" \
		"as nobody: scan lists every process as unreadable, with comm and why"
	is "$(jq -c '[.sem[].id]' "$T/out")" '[0,1,2]' "as nobody: every set is still listed"
	is "$(types_of sem "$sq")" "$common_types nsems:number otime:null waiters:null semaphores:null semaphores_error:string $verdict_types" \
		"as nobody, mode 0600 root set: member types"
	is "$(object_of sem "$sq")" \
		"{\"id\":$sq,\"key\":\"0x00000000\",\"perms\":\"0600\",\"uid\":0,\"user\":\"root\",\"gid\":0,\"group\":\"root\",\"cuid\":0,\"cuser\":\"root\",\"cgid\":0,\"cgroup\":\"root\",\"ctime\":\"T\",\"nsems\":2,\"otime\":null,\"waiters\":null,\"semaphores\":null,\"semaphores_error\":\"permission denied\",\"verdict\":\"unknown\",\"reasons\":[\"semaphores could not be read: permission denied\"],\"age\":\"now-latest\"}" \
		"as nobody, mode 0600 root set: semaphores null, permission denied, waiters null; unknown"
	is "$(jq -c --argjson id "$sw" '.sem[] | select(.id == $id) | [.nsems, .waiters, .semaphores, .semaphores_error]' "$T/out")" \
		'[3,null,null,"permission denied"]' "as nobody, mode 0640 root:root set: permission denied"
	is "$(jq -c --argjson id "$sr" '.sem[] | select(.id == $id) | [.waiters, .semaphores, .semaphores_error]' "$T/out")" \
		"[0,[{\"num\":0,\"value\":7,\"pid\":$P,\"ncnt\":0,\"zcnt\":0,\"last\":$(mk ctime)}],null]" \
		"as nobody, mode 0604 set: readable, its pid judged (stat is world-readable)"
	is "$(jq -c '[.processes[].pid]' "$T/out")" "[$P]" "as nobody: processes has the one pid referred to"
	closed_run "${nobody[@]}" "$IPCINSPECT" --raw -t sem -o ID,WAITERS,SEMAPHORES,SEM-ERROR
	is "$rc|$(cat "$T/err")" "0|ipcinspect: warning: $warning" "as nobody, table: the warning on stderr"
	is "$(cat "$T/out")" "KIND ID WAITERS SEMAPHORES SEM-ERROR
sem 0 - - permission\\x20denied
sem 1 0 7 -
sem 2 - - permission\\x20denied" "as nobody: the table says why"
	closed_run "${nobody[@]}" "$IPCINSPECT" --raw -t shm --no-owners -o ID,CREATOR,ATTACHED
	is "$rc|$(cat "$T/err")|$(sed -n 2p "$T/out")" "0||shm 0 $P ?" \
		"as nobody, --no-owners: no scan, no warning; ATTACHED unknown (?)"
else
	for i in $(seq 13); do
		tap_n=$((tap_n + 1))
		echo "ok $tap_n # SKIP nobody cannot execute $IPCINSPECT"
	done
fi

mkipc_stop

# --- a fork of an attached process (doc/kernel-facts.md, "Last user of a segment") ---
# The segment comes first, so the waiter inherits the attachment and
# detaches it: the kernel records the child as the last user.  The helper
# starts 3 s before it makes anything (a wrapper sleeps, then execs it: the
# start time is the fork's), so its pid is judged "started before ctime";
# the waiter forks and detaches at once: "started in the same second as dtime".
printf '#!/bin/sh\nsleep 3\nexec "%s" "$@"\n' "$MKIPC" >"$T/mkipc-late"
chmod 755 "$T/mkipc-late"
second_start
MKIPC=$T/mkipc-late mkipc_start shm:f,key=0x7000,attach=1 sem:w,ncnt=0
P=$(mkipc_get pid) W=$(mkipc_get w.waiter)
ipci --json -t shm
is "$(jq -c '.shm[0] | [.nattch, .cpid, .lpid, (.dtime | type)]' "$T/out")" \
	"[1,$P,$W,\"number\"]" \
	"a waiter that inherited the attachment detached it: lpid is its pid, dtime is set"
# The fork counted as an attach by the helper (atime), the waiter's detach
# set dtime: lpid is judged against the later, atime on a tie (same second)
last_event=$(jq -r '.shm[0] | if .dtime > .atime then "dtime" else "atime" end' "$T/out")
is "$(jq -c '.shm[0] | [.creator, .last, .attached]' "$T/out")" \
	"[$(before "$P" ctime),$(near "$W" "$last_event"),[$(mkattach 1)]]" \
	"helper started 3 s early: creator started before ctime; the waiter last, started in the same second as $last_event"
is "$(jq -c '.shm[0] | [.ctime * 1000 - '"$(start_ms_of "$P")"' >= 2000, ([.atime, .dtime] | max) == '"$(( $(start_ms_of "$W") / 1000 ))"']' "$T/out")" \
	'[true,true]' "the premises: ctime 2 s or more after the helper's start, the last event in the waiter's start second"
mkipc_stop

# --- arguments that name nothing --------------------------------------------
# A creator that exited is still a pid the listing records: -p finds its
# segment; only a pid that is neither alive nor recorded is refused.
mkipc_start shm:gone,key=0x7100,creator=child
C=$(mkipc_get gone.creator) G=$(mkipc_get gone.id)
[ -e "/proc/$C" ] && bail "the creator $C is still there"
ipci --json -p "$C"
is "$rc|$(jq -c '[.shm[] | [.id, .cpid]], [.msg, .sem, .fifo, .pipe]' "$T/out" | tr '\n' ' ')" \
	"0|[[$G,$C]] [[],[],[],[]] " "-p of a creator that exited: its segment (the pid is recorded)"
mkipc_stop
ipci --fifo-dir "$T/no-such-dir"
is "$rc|$(wc -c <"$T/out")|$(err)" "2|0|ipcinspect: --fifo-dir $T/no-such-dir: No such file or directory" \
	"--fifo-dir of no directory: exit 2, one line, nothing listed"
ipci -t shm --socket-dir /etc/passwd --json
is "$rc|$(wc -c <"$T/out")|$(err)" "2|0|ipcinspect: --socket-dir /etc/passwd: Not a directory" \
	"--socket-dir of a file: exit 2, one line, no document"
mkdir -m 700 "$T/closed"
closed_run "${nobody[@]}" "$IPCINSPECT" -t fifo --fifo-dir "$T/closed"
is "$rc|$(wc -c <"$T/out")|$(err)" "2|0|ipcinspect: --fifo-dir $T/closed: Permission denied" \
	"--fifo-dir its user cannot read: exit 2, one line"
# -o without --type: the kinds with none of the columns are left out, and said
ipci --json -o ID,KEY
is "$rc|$(jq -c '[keys_unsorted[] | select(. != "schema" and . != "host" and . != "time" and . != "ipc_ns" and . != "warnings" and . != "scan" and . != "limits" and . != "processes")]' "$T/out")|$(err)" \
	'0|["shm","msg","sem"]|ipcinspect: warning: --output ID,KEY: not shown: fifo, pipe, pshm, psem, pmq, unix and memfd (none of these columns)' \
	"-o ID,KEY without --type: the SysV kinds, and a warning naming the kinds left out"

# --- empty again ----------------------------------------------------------------
ipci --json
is "$rc/$(jq -c '[.shm, .msg, .sem]' "$T/out")" '0/[[],[],[]]' "after the helper removed everything: []"
fd_oracle
is "$(listed_objects)" "$(oracle_objects)" "after the helper: the FIFO is gone, pipes as fd_oracle says"

done_testing

#!/bin/bash
# The listing on live objects: every field of the JSON contract, its type
# and its exact value for shm, msg and sem objects made by tests/helpers/mkipc
# in a private namespace; the filters (--id, --key, --user, --type), -o in
# JSON and in the table, --bytes against human sizes, an empty namespace,
# and a semaphore set an unprivileged reader may not read.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"	# bash, even where make runs /bin/sh
. "$TESTS_SRCDIR/lib.sh"
ns_enter "$@"
ns_check_empty
[ -z "${IPCI_USERNS:-}" ] ||
	skip_all "needs real root: owners 65534 and 4242 cannot be mapped in a user namespace"
command -v jq >/dev/null || skip_all "jq not installed"

export LC_ALL=C TZ=UTC
ps=$(getconf PAGESIZE)	# the one page the helper touches is resident
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# ipci ARGS...: run ipcinspect; stdout in $T/out, stderr in $T/err, status in $rc
ipci() {
	"$IPCINSPECT" "$@" >"$T/out" 2>"$T/err"
	rc=$?
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
# within [t0, t2]: exact values and types of everything else.
object_of() {	# object_of KIND ID
	jq -c --arg k "$1" --argjson id "$2" --argjson t0 "$t0" --argjson t2 "$t2" '
		def tm: if type == "number" and . >= $t0 and . <= $t2 then "T" else . end;
		.[$k][] | select(.id == $id) |
		with_entries(if (.key | test("^(ctime|atime|dtime|stime|rtime|otime)$"))
			then .value |= tm else . end)' "$T/out"
}

common_types='id:number key:string perms:string uid:number user:string gid:number group:string cuid:number cuser:string cgid:number cgroup:string ctime:number'

# --- an empty namespace ---------------------------------------------------
ipci --json
is "$rc" 0 "empty namespace: exit status 0"
is "$(jq -c '[.shm, .msg, .sem]' "$T/out")" '[[],[],[]]' "empty namespace: every array is []"
is "$(jq -c '.warnings' "$T/out")" '[]' "empty namespace: warnings []"
ipci
is "$(cat "$T/out")" "Shared memory segments: 0

Message queues: 0

Semaphore sets: 0" "empty namespace: table shows three empty sections"
ipci -n
is "$(wc -c <"$T/out")" 0 "empty namespace: --noheadings table prints nothing"

# --- live objects -----------------------------------------------------------
# Semaphore sets first: their waiters are forked children, and a child that
# inherits attachments detaches them, which would change the segments'
# lpid and dtime (KERNEL-NOTES 1.8).
t0=$(date +%s)
mkipc_start \
	sem:sw,key=0x5e000001,nsems=3,values=1:0:5,ncnt=1,zcnt=2,mode=0640 \
	sem:sr,key=0x9b573529,mode=0604,values=7 \
	sem:sq,nsems=2,mode=0600 \
	shm:att,key=0x9b573529,size=100,attach=2,mode=0640,uid=65534,gid=65534,fill=0x55 \
	shm:un,key=0x2000,size=5000,mode=0640,uid=4242,gid=4242 \
	shm:rm,key=0x3000,size=8192,attach=1,rmid \
	shm:lk,key=0x4000,size=1,lock \
	shm:dl,key=0x5000,attach=3,lock,rmid \
	msg:q,key=0x1234,mode=0640,send=1:10,send=2:0,send=3:100,recv=1 \
	msg:e,key=0x6000,mode=0640,uid=65534,gid=65534
P=$(mkipc_get pid)
sw=$(mkipc_get sw.id) sr=$(mkipc_get sr.id) sq=$(mkipc_get sq.id)
att=$(mkipc_get att.id) un=$(mkipc_get un.id) rm=$(mkipc_get rm.id)
lk=$(mkipc_get lk.id) dl=$(mkipc_get dl.id)
q=$(mkipc_get q.id) e=$(mkipc_get e.id)
is "$sw $sr $sq/$att $un $rm $lk $dl/$q $e" "0 1 2/0 1 2 3 4/0 1" "mkipc made the objects with the expected ids"

ipci --json
t2=$(date +%s)
is "$rc" 0 "--json: exit status 0"
is "$(cat "$T/err")" "" "--json: nothing on stderr"
ok "$(jq -e . "$T/out" >/dev/null; echo $?)" "--json: valid JSON"

# the envelope
is "$(jq -c '[keys_unsorted[]]' "$T/out")" '["schema","host","time","ipc_ns","warnings","limits","shm","msg","sem"]' \
	"envelope: members in order"
is "$(jq -c '[.schema, .host, .warnings, (.limits | type), (.shm | type), (.msg | type), (.sem | type)]' "$T/out")" \
	"[1,\"$(uname -n)\",[],\"object\",\"array\",\"array\",\"array\"]" \
	"envelope: schema 1, host, warnings [], limits object, arrays"
is "$(jq -r '.time | if type == "number" and . >= '"$t0"' and . <= '"$t2"' then "in range" else tostring end' "$T/out")" \
	"in range" "envelope: time is a number within the run"
is "$(jq -c '.ipc_ns' "$T/out")" "$(stat -L -c %i /proc/self/ns/ipc)" "envelope: ipc_ns is the namespace inode"
is "$(jq -c '[.shm, .msg, .sem] | map(length)' "$T/out")" '[5,2,3]' "every object is listed once"

# shm: attached twice, owner nobody:nogroup, 100 bytes touched by the helper
is "$(types_of shm "$att")" "$common_types size:number nattch:number status:array cpid:number lpid:number atime:number dtime:null rss:number swap:number" \
	"shm attached: member names, order and types"
is "$(object_of shm "$att")" \
	"{\"id\":$att,\"key\":\"0x9b573529\",\"perms\":\"0640\",\"uid\":65534,\"user\":\"nobody\",\"gid\":65534,\"group\":\"nogroup\",\"cuid\":0,\"cuser\":\"root\",\"cgid\":0,\"cgroup\":\"root\",\"ctime\":\"T\",\"size\":100,\"nattch\":2,\"status\":[],\"cpid\":$P,\"lpid\":$P,\"atime\":\"T\",\"dtime\":null,\"rss\":$ps,\"swap\":0}" \
	"shm attached (key with the top bit set): exact values"

# shm: never attached, owner 4242:4242 (no names)
is "$(types_of shm "$un")" "id:number key:string perms:string uid:number user:null gid:number group:null cuid:number cuser:string cgid:number cgroup:string ctime:number size:number nattch:number status:array cpid:number lpid:number atime:null dtime:null rss:number swap:number" \
	"shm unattached, unnamed owner: member types"
is "$(object_of shm "$un")" \
	"{\"id\":$un,\"key\":\"0x00002000\",\"perms\":\"0640\",\"uid\":4242,\"user\":null,\"gid\":4242,\"group\":null,\"cuid\":0,\"cuser\":\"root\",\"cgid\":0,\"cgroup\":\"root\",\"ctime\":\"T\",\"size\":5000,\"nattch\":0,\"status\":[],\"cpid\":$P,\"lpid\":0,\"atime\":null,\"dtime\":null,\"rss\":0,\"swap\":0}" \
	"shm unattached: lpid 0, atime and dtime null, user and group null"

# shm: removed while attached
is "$(object_of shm "$rm")" \
	"{\"id\":$rm,\"key\":\"0x00000000\",\"perms\":\"0600\",\"uid\":0,\"user\":\"root\",\"gid\":0,\"group\":\"root\",\"cuid\":0,\"cuser\":\"root\",\"cgid\":0,\"cgroup\":\"root\",\"ctime\":\"T\",\"size\":8192,\"nattch\":1,\"status\":[\"dest\"],\"cpid\":$P,\"lpid\":$P,\"atime\":\"T\",\"dtime\":null,\"rss\":0,\"swap\":0}" \
	"shm removed while attached: key 0x00000000, status [dest]"

# shm: locked, never attached
is "$(object_of shm "$lk")" \
	"{\"id\":$lk,\"key\":\"0x00004000\",\"perms\":\"0600\",\"uid\":0,\"user\":\"root\",\"gid\":0,\"group\":\"root\",\"cuid\":0,\"cuser\":\"root\",\"cgid\":0,\"cgroup\":\"root\",\"ctime\":\"T\",\"size\":1,\"nattch\":0,\"status\":[\"locked\"],\"cpid\":$P,\"lpid\":0,\"atime\":null,\"dtime\":null,\"rss\":0,\"swap\":0}" \
	"shm locked: status [locked]"

# shm: locked, attached three times, then removed
is "$(jq -c --argjson id "$dl" '.shm[] | select(.id == $id) | [.key, .nattch, .status, .lpid]' "$T/out")" \
	"[\"0x00000000\",3,[\"dest\",\"locked\"],$P]" "shm locked and removed: nattch 3, status [dest,locked]"

# msg: sent 10, 0 and 100 bytes, received the first
is "$(types_of msg "$q")" "$common_types used_bytes:number messages:number lspid:number lrpid:number stime:number rtime:number" \
	"msg with traffic: member names, order and types"
is "$(object_of msg "$q")" \
	"{\"id\":$q,\"key\":\"0x00001234\",\"perms\":\"0640\",\"uid\":0,\"user\":\"root\",\"gid\":0,\"group\":\"root\",\"cuid\":0,\"cuser\":\"root\",\"cgid\":0,\"cgroup\":\"root\",\"ctime\":\"T\",\"used_bytes\":100,\"messages\":2,\"lspid\":$P,\"lrpid\":$P,\"stime\":\"T\",\"rtime\":\"T\"}" \
	"msg with traffic: used_bytes 100, messages 2 (one empty), lspid and lrpid the helper"

# msg: never used, owner nobody
is "$(types_of msg "$e")" "$common_types used_bytes:number messages:number lspid:number lrpid:number stime:null rtime:null" \
	"msg never used: member types"
is "$(object_of msg "$e")" \
	"{\"id\":$e,\"key\":\"0x00006000\",\"perms\":\"0640\",\"uid\":65534,\"user\":\"nobody\",\"gid\":65534,\"group\":\"nogroup\",\"cuid\":0,\"cuser\":\"root\",\"cgid\":0,\"cgroup\":\"root\",\"ctime\":\"T\",\"used_bytes\":0,\"messages\":0,\"lspid\":0,\"lrpid\":0,\"stime\":null,\"rtime\":null}" \
	"msg never used: zero counts, pids 0, times null"

# sem: values 1:0:5, one waiter for an increase of #1, one for zero of #2
sems_types='semaphores:array semaphores_error:null'
is "$(types_of sem "$sw")" "$common_types nsems:number otime:null waiters:number $sems_types" \
	"sem with waiters: member names, order and types"
is "$(jq -r --argjson id "$sw" '.sem[] | select(.id == $id) | [.semaphores[] | [to_entries[] | "\(.key):\(.value | type)"] | join(" ")] | unique[]' "$T/out")" \
	"num:number value:number pid:number ncnt:number zcnt:number" "sem with waiters: semaphore member names and types"
is "$(object_of sem "$sw")" \
	"{\"id\":$sw,\"key\":\"0x5e000001\",\"perms\":\"0640\",\"uid\":0,\"user\":\"root\",\"gid\":0,\"group\":\"root\",\"cuid\":0,\"cuser\":\"root\",\"cgid\":0,\"cgroup\":\"root\",\"ctime\":\"T\",\"nsems\":3,\"otime\":null,\"waiters\":2,\"semaphores\":[{\"num\":0,\"value\":1,\"pid\":$P,\"ncnt\":0,\"zcnt\":0},{\"num\":1,\"value\":0,\"pid\":$P,\"ncnt\":1,\"zcnt\":0},{\"num\":2,\"value\":5,\"pid\":$P,\"ncnt\":0,\"zcnt\":1}],\"semaphores_error\":null}" \
	"sem with waiters: values 1,0,5, waiters 2, exact ncnt/zcnt and pids"
is "$(object_of sem "$sr")" \
	"{\"id\":$sr,\"key\":\"0x9b573529\",\"perms\":\"0604\",\"uid\":0,\"user\":\"root\",\"gid\":0,\"group\":\"root\",\"cuid\":0,\"cuser\":\"root\",\"cgid\":0,\"cgroup\":\"root\",\"ctime\":\"T\",\"nsems\":1,\"otime\":null,\"waiters\":0,\"semaphores\":[{\"num\":0,\"value\":7,\"pid\":$P,\"ncnt\":0,\"zcnt\":0}],\"semaphores_error\":null}" \
	"sem with a top-bit key: value 7, no waiters"
is "$(object_of sem "$sq")" \
	"{\"id\":$sq,\"key\":\"0x00000000\",\"perms\":\"0600\",\"uid\":0,\"user\":\"root\",\"gid\":0,\"group\":\"root\",\"cuid\":0,\"cuser\":\"root\",\"cgid\":0,\"cgroup\":\"root\",\"ctime\":\"T\",\"nsems\":2,\"otime\":null,\"waiters\":0,\"semaphores\":[{\"num\":0,\"value\":0,\"pid\":0,\"ncnt\":0,\"zcnt\":0},{\"num\":1,\"value\":0,\"pid\":0,\"ncnt\":0,\"zcnt\":0}],\"semaphores_error\":null}" \
	"sem never set: values 0, pid 0"

# --- filters ------------------------------------------------------------------
ipci --json --id "$un"
is "$rc/$(ids_of)" '0/{"shm":[1],"msg":[1],"sem":[1]}' "--id 1: id 1 of every kind"
ipci --json --id "$dl"
is "$rc/$(ids_of)" '0/{"shm":[4],"msg":[],"sem":[]}' "--id 4: only the shm; empty arrays stay []"
ipci --json --id 99
is "$rc/$(ids_of)" '0/{"shm":[],"msg":[],"sem":[]}' "--id 99: nothing matches"
ipci --json --key 0x9b573529
is "$rc/$(ids_of)" '0/{"shm":[0],"msg":[],"sem":[1]}' "--key 0x9b573529 (hex)"
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
ipci --json -u 65534
is "$rc/$(ids_of)" '0/{"shm":[0],"msg":[1],"sem":[]}' "-u 65534"
ipci --json --user 4242
is "$rc/$(ids_of)" '0/{"shm":[1],"msg":[],"sem":[]}' "--user 4242 (no name)"
ipci --json -u root --key 0
is "$rc/$(ids_of)" '0/{"shm":[2,4],"msg":[],"sem":[2]}' "-u root --key 0: filters combine"
ipci --json -u nobody --key 0x6000
is "$rc/$(ids_of)" '0/{"shm":[],"msg":[1],"sem":[]}' "-u nobody --key 0x6000"

ipci --json -t shm,sem
is "$rc/$(jq -c '[keys_unsorted[]]' "$T/out")" '0/["schema","host","time","ipc_ns","warnings","limits","shm","sem"]' \
	"-t shm,sem: no msg member"
is "$(ids_of)" '{"shm":[0,1,2,3,4],"msg":null,"sem":[0,1,2]}' "-t shm,sem: all shm and sem objects"
ipci --json -t shm,sem --id 99
is "$rc/$(jq -c '[.shm, .sem, has("msg")]' "$T/out")" '0/[[],[],false]' "-t shm,sem with nothing matching: [] and []"
ipci --json -t msg
is "$(jq -c '[keys_unsorted[]]' "$T/out")" '["schema","host","time","ipc_ns","warnings","limits","msg"]' "-t msg: only msg"

# --- -o in JSON -----------------------------------------------------------
ipci --json -o ID,KEY
is "$rc/$(jq -c '[(.shm, .msg, .sem)[] | keys_unsorted] | unique' "$T/out")" '0/[["id","key"]]' \
	"-o ID,KEY: every object has exactly id and key"
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
	'0/["schema","host","time","ipc_ns","warnings","limits","shm"] {"nattch":3,"status":["dest","locked"]} ' \
	"-o NATTCH,STATUS: kinds without those columns are left out"

# --- table ------------------------------------------------------------------
ipci --raw --noheadings -o ID,KEY,NATTCH -t shm
is "$rc/$(cat "$T/out")" "0/0 0x9b573529 2
1 0x00002000 0
2 0x00000000 1
3 0x00004000 0
4 0x00000000 3" "table: --raw --noheadings -o ID,KEY,NATTCH -t shm"
ipci --raw -t shm
is "$(cat "$T/out")" "Shared memory segments: 5
ID KEY USER PERMS SIZE NATTCH STATUS CPID LPID
0 0x9b573529 nobody 0640 100B 2 - $P $P
1 0x00002000 4242 0640 4.9K 0 - $P 0
2 0x00000000 root 0600 8K 1 dest $P $P
3 0x00004000 root 0600 1B 0 locked $P 0
4 0x00000000 root 0600 4K 3 dest,locked $P $P" "table: default shm columns, raw"
ipci --raw -t sem
is "$(cat "$T/out")" "Semaphore sets: 3
ID KEY USER PERMS NSEMS WAITERS OTIME SEMAPHORES
0 0x5e000001 root 0640 3 2 - 1,0,5
1 0x9b573529 root 0604 1 0 - 7
2 0x00000000 root 0600 2 0 - 0,0" "table: default sem columns, raw"
ipci --raw --noheadings -o ID,USER,GROUP,UID,CUSER -t shm,msg
is "$(cat "$T/out")" "0 nobody nogroup 65534 root
1 4242 4242 4242 root
2 root root 0 root
3 root root 0 root
4 root root 0 root
0 root root 0 root
1 nobody nogroup 65534 root" "table: names, or the number where there is none"
ipci --raw --noheadings -o ID,SIZE,USED-BYTES -t shm,msg
is "$(cat "$T/out")" "0 100B
1 4.9K
2 8K
3 1B
4 4K
0 100B
1 0B" "table: human sizes by default"
ipci --raw --noheadings -b -o ID,SIZE,USED-BYTES -t shm,msg
is "$(cat "$T/out")" "0 100
1 5000
2 8192
3 1
4 4096
0 100
1 0" "table: -b gives bytes"
ipci --raw --noheadings -o ID,RSS,SWAP -t shm
is "$(cat "$T/out")" "0 $((ps / 1024))K 0B
1 0B 0B
2 0B 0B
3 0B 0B
4 0B 0B" "table: rss and swap"
ipci --raw --noheadings -o ID,ATIME,DTIME -t shm --id "$un"
is "$(cat "$T/out")" "1 - -" "table: never is '-'"

# --- a set the reader may not read --------------------------------------------
if setpriv --reuid=65534 --regid=65534 --clear-groups "$IPCINSPECT" --version >/dev/null 2>&1; then
	setpriv --reuid=65534 --regid=65534 --clear-groups "$IPCINSPECT" --json -t sem >"$T/out" 2>"$T/err"
	rc=$?
	is "$rc/$(cat "$T/err")" "0/" "as nobody: exit status 0, nothing on stderr"
	is "$(jq -c '[.sem[].id]' "$T/out")" '[0,1,2]' "as nobody: every set is still listed"
	is "$(types_of sem "$sq")" "$common_types nsems:number otime:null waiters:null semaphores:null semaphores_error:string" \
		"as nobody, mode 0600 root set: member types"
	is "$(object_of sem "$sq")" \
		"{\"id\":$sq,\"key\":\"0x00000000\",\"perms\":\"0600\",\"uid\":0,\"user\":\"root\",\"gid\":0,\"group\":\"root\",\"cuid\":0,\"cuser\":\"root\",\"cgid\":0,\"cgroup\":\"root\",\"ctime\":\"T\",\"nsems\":2,\"otime\":null,\"waiters\":null,\"semaphores\":null,\"semaphores_error\":\"permission denied\"}" \
		"as nobody, mode 0600 root set: semaphores null, permission denied, waiters null"
	is "$(jq -c --argjson id "$sw" '.sem[] | select(.id == $id) | [.nsems, .waiters, .semaphores, .semaphores_error]' "$T/out")" \
		'[3,null,null,"permission denied"]' "as nobody, mode 0640 root:root set: permission denied"
	is "$(jq -c --argjson id "$sr" '.sem[] | select(.id == $id) | [.waiters, .semaphores, .semaphores_error]' "$T/out")" \
		"[0,[{\"num\":0,\"value\":7,\"pid\":$P,\"ncnt\":0,\"zcnt\":0}],null]" "as nobody, mode 0604 set: readable"
	setpriv --reuid=65534 --regid=65534 --clear-groups "$IPCINSPECT" --raw -t sem -o ID,WAITERS,SEMAPHORES,SEM-ERROR >"$T/out" 2>&1
	is "$(cat "$T/out")" "Semaphore sets: 3
ID WAITERS SEMAPHORES SEM-ERROR
0 - - permission\\x20denied
1 0 7 -
2 - - permission\\x20denied" "as nobody: the table says why"
else
	for i in 1 2 3 4 5 6 7; do
		tap_n=$((tap_n + 1))
		echo "ok $tap_n # SKIP nobody cannot execute $IPCINSPECT"
	done
fi

mkipc_stop

# --- a fork of an attached process (KERNEL-NOTES 1.8) ---------------------------
# The segment comes first, so the waiter inherits the attachment and
# detaches it: the kernel records the child as the last user.
mkipc_start shm:f,key=0x7000,attach=1 sem:w,ncnt=0
ipci --json -t shm
is "$(jq -c '.shm[0] | [.nattch, .cpid, .lpid, (.dtime | type)]' "$T/out")" \
	"[1,$(mkipc_get pid),$(mkipc_get w.waiter),\"number\"]" \
	"a waiter that inherited the attachment detached it: lpid is its pid, dtime is set"
mkipc_stop

# --- empty again ----------------------------------------------------------------
ipci --json
is "$rc/$(jq -c '[.shm, .msg, .sem]' "$T/out")" '0/[[],[],[]]' "after the helper removed everything: []"

done_testing

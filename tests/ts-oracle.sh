#!/bin/bash
# ipcinspect against util-linux, an oracle nobody here wrote: every object
# and every field that ipcs (-m/-q/-s, -p, -c, -i ID) and lsipc --json show
# for the same private namespace must equal what ipcinspect --json says.
# Each comparison is one line of text per object, built from each tool's
# output with awk/jq, so any differing field fails that object's check.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"	# bash, even where make runs /bin/sh
. "${TESTS_SRCDIR:?run the tests with make check}/lib.sh" || exit 99
ns_enter "$@"
ns_check_empty
[ -z "${IPCI_USERNS:-}" ] ||
	skip_all "needs real root: owners 65534 and 4242 cannot be mapped in a user namespace"
command -v jq >/dev/null || skip_all "jq not installed"
command -v ipcs >/dev/null || skip_all "ipcs not installed"
command -v lsipc >/dev/null || skip_all "lsipc not installed"

# Both tools print local time; UTC makes lsipc's ISO offset +00:00.
export LC_ALL=C TZ=UTC
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# The segment "early" comes before the sets with waiters: the forked
# waiters inherit and detach it, so it has a detach time and an lpid that
# is not the helper's (doc/kernel-facts.md, "Last user of a segment").
mkipc_start \
	shm:early,key=0x100,size=3000,attach=1,mode=0644 \
	sem:sw,key=0x5e000001,nsems=3,values=1:0:5,ncnt=1,zcnt=2,mode=0640 \
	sem:sr,key=0x9b573529,mode=0604,values=7 \
	sem:so,nsems=4,values=0:1:2:3,uid=65534,gid=65534,mode=0660,zcnt=3 \
	shm:att,key=0x9b573529,size=100,attach=2,mode=0640,uid=65534,gid=65534,fill=1 \
	shm:un,key=0x2000,size=5000,mode=0640,uid=4242,gid=4242 \
	shm:rm,size=8192,attach=1,rmid \
	shm:lk,key=0x4000,size=1,lock \
	shm:dl,key=0x5000,size=70000,attach=3,lock,rmid,mode=0666 \
	msg:q,key=0x1234,mode=0640,send=1:10,send=2:0,send=3:100,recv=1 \
	msg:e,key=0x6000,mode=0620,uid=65534,gid=65534 \
	msg:f,key=-5,send=7:4000,send=8:1,uid=4242,gid=4242
NSHM=6 NMSG=3 NSEM=3

"$IPCINSPECT" --json >"$T/ours.json" 2>"$T/err"
rc=$?
json_keep "$T/ours.json" "$rc" --json
is "$rc/$(cat "$T/err")" "0/" "ipcinspect --json: exit status 0, nothing on stderr"
is "$(jq -c '[.shm, .msg, .sem] | map(length)' "$T/ours.json")" "[$NSHM,$NMSG,$NSEM]" "ipcinspect lists every object"

# ours JQ-PROGRAM > FILE: one line per object from our JSON
ours() {
	jq -r "$1" "$T/ours.json"
}

# compare NAME N THEIRS OURS: the same ids (N of them), then each object
compare() {
	local name=$1 n=$2 theirs=$3 mine=$4 id
	is "$(cut -d' ' -f1 "$theirs" | sort -n | tr '\n' ' ')" \
		"$(cut -d' ' -f1 "$mine" | sort -n | tr '\n' ' ')" "$name: the same ids"
	is "$(wc -l <"$theirs")" "$n" "$name: lists $n objects"
	for id in $(cut -d' ' -f1 "$mine"); do
		is "$(grep "^$id " "$theirs")" "$(grep "^$id " "$mine")" "$name: object $id, every field"
	done
}

# Epoch seconds of a ctime(3)-style date from ipcs, "null" for "Not set".
epoch() {
	local v
	v=$(echo $1)	# trim the padding
	if [ "$v" = "Not set" ] || [ -z "$v" ]; then
		echo null
	else
		date -d "$v" +%s
	fi
}

# perms=0640 status=dest,locked from an octal mode with the SHM flags.
mode_fields() {
	local m=$((8#$1)) st=""
	[ $((m & 01000)) -ne 0 ] && st=dest
	[ $((m & 02000)) -ne 0 ] && st=${st:+$st,}locked
	printf 'perms=%04o status=%s' $((m & 0777)) "$st"
}

# The "key=value" words and "name=time" lines of an ipcs -i report, one
# per line as NAME VALUE (times already in epoch seconds).
ipcs_details() {	# ipcs_details -m|-q|-s ID
	ipcs "$1" -i "$2" | sed -e 's/ = /=/' -e 's/,//' | while IFS= read -r line; do
		case $line in
		*time=*)
			echo "${line%%=*} $(epoch "${line#*=}")" ;;
		*=*)
			for w in $line; do echo "${w%%=*} ${w#*=}"; done ;;
		esac
	done
}

# v NAME: the value of NAME in the last ipcs_details output ($T/d)
v() {
	awk -v k="$1" '$1 == k { print $2; exit }' "$T/d"
}

# --- ipcs -m, -q, -s: the default listings ----------------------------------
LC_ALL=C ipcs -m | awk '$1 ~ /^0x/ {
	s = ""; for (i = 7; i <= NF; i++) s = s (s == "" ? "" : ",") $i
	print $2, "key=" $1, "owner=" $3, "perms=" $4, "bytes=" $5, "nattch=" $6, "status=" s }' >"$T/theirs"
ours '.shm[] | "\(.id) key=\(.key) owner=\(.user // .uid) perms=\(.perms | ltrimstr("0")) bytes=\(.size) nattch=\(.nattch) status=\(.status | join(","))"' >"$T/mine"
compare "ipcs -m" $NSHM "$T/theirs" "$T/mine"

ipcs -q | awk '$1 ~ /^0x/ { print $2, "key=" $1, "owner=" $3, "perms=" $4, "used-bytes=" $5, "messages=" $6 }' >"$T/theirs"
ours '.msg[] | "\(.id) key=\(.key) owner=\(.user // .uid) perms=\(.perms | ltrimstr("0")) used-bytes=\(.used_bytes) messages=\(.messages)"' >"$T/mine"
compare "ipcs -q" $NMSG "$T/theirs" "$T/mine"

ipcs -s | awk '$1 ~ /^0x/ { print $2, "key=" $1, "owner=" $3, "perms=" $4, "nsems=" $5 }' >"$T/theirs"
ours '.sem[] | "\(.id) key=\(.key) owner=\(.user // .uid) perms=\(.perms | ltrimstr("0")) nsems=\(.nsems)"' >"$T/mine"
compare "ipcs -s" $NSEM "$T/theirs" "$T/mine"

# --- ipcs -p: pids ----------------------------------------------------------------
ipcs -m -p | awk 'NF == 4 && $1 ~ /^[0-9]+$/ { print $1, "owner=" $2, "cpid=" $3, "lpid=" $4 }' >"$T/theirs"
ours '.shm[] | "\(.id) owner=\(.user // .uid) cpid=\(.cpid) lpid=\(.lpid)"' >"$T/mine"
compare "ipcs -m -p" $NSHM "$T/theirs" "$T/mine"

ipcs -q -p | awk 'NF == 4 && $1 ~ /^[0-9]+$/ { print $1, "owner=" $2, "lspid=" $3, "lrpid=" $4 }' >"$T/theirs"
ours '.msg[] | "\(.id) owner=\(.user // .uid) lspid=\(.lspid) lrpid=\(.lrpid)"' >"$T/mine"
compare "ipcs -q -p" $NMSG "$T/theirs" "$T/mine"

# --- ipcs -c: creators and owners, as names ----------------------------------------
for kind in m q s; do
	case $kind in m) k=shm n=$NSHM ;; q) k=msg n=$NMSG ;; s) k=sem n=$NSEM ;; esac
	ipcs -$kind -c | awk 'NF == 6 && $1 ~ /^[0-9]+$/ {
		print $1, "perms=" $2, "cuid=" $3, "cgid=" $4, "uid=" $5, "gid=" $6 }' >"$T/theirs"
	ours ".$k[]"' | "\(.id) perms=\(.perms | ltrimstr("0")) cuid=\(.cuser // .cuid) cgid=\(.cgroup // .cgid) uid=\(.user // .uid) gid=\(.group // .gid)"' >"$T/mine"
	compare "ipcs -$kind -c" "$n" "$T/theirs" "$T/mine"
done

# --- ipcs -m -i: numeric owners, mode with flags, pids, times ------------------------
: >"$T/theirs"
for id in $(ours '.shm[].id'); do
	ipcs_details -m "$id" >"$T/d"
	echo "$id uid=$(v uid) gid=$(v gid) cuid=$(v cuid) cgid=$(v cgid) $(mode_fields "$(v mode)") bytes=$(v bytes) lpid=$(v lpid) cpid=$(v cpid) nattch=$(v nattch) atime=$(v att_time) dtime=$(v det_time) ctime=$(v change_time)" >>"$T/theirs"
done
ours '.shm[] | "\(.id) uid=\(.uid) gid=\(.gid) cuid=\(.cuid) cgid=\(.cgid) perms=\(.perms) status=\(.status | join(",")) bytes=\(.size) lpid=\(.lpid) cpid=\(.cpid) nattch=\(.nattch) atime=\(.atime) dtime=\(.dtime) ctime=\(.ctime)"' >"$T/mine"
compare "ipcs -m -i" $NSHM "$T/theirs" "$T/mine"

# --- ipcs -q -i -----------------------------------------------------------------------
: >"$T/theirs"
for id in $(ours '.msg[].id'); do
	ipcs_details -q "$id" >"$T/d"
	echo "$id uid=$(v uid) gid=$(v gid) cuid=$(v cuid) cgid=$(v cgid) $(mode_fields "$(v mode)" | sed 's/ status=.*//') cbytes=$(v cbytes) qnum=$(v qnum) lspid=$(v lspid) lrpid=$(v lrpid) stime=$(v send_time) rtime=$(v rcv_time) ctime=$(v change_time)" >>"$T/theirs"
done
ours '.msg[] | "\(.id) uid=\(.uid) gid=\(.gid) cuid=\(.cuid) cgid=\(.cgid) perms=\(.perms) cbytes=\(.used_bytes) qnum=\(.messages) lspid=\(.lspid) lrpid=\(.lrpid) stime=\(.stime) rtime=\(.rtime) ctime=\(.ctime)"' >"$T/mine"
compare "ipcs -q -i" $NMSG "$T/theirs" "$T/mine"

# --- ipcs -s -i: the set, then each semaphore (value, ncount, zcount, pid) ---------------
: >"$T/theirs"
for id in $(ours '.sem[].id'); do
	ipcs_details -s "$id" >"$T/d"
	sems=$(ipcs -s -i "$id" | awk '/^semnum/ { t = 1; next } t && NF == 5 {
		printf "%s%s:value=%s,ncnt=%s,zcnt=%s,pid=%s", sep, $1, $2, $3, $4, $5; sep = ";" }')
	echo "$id uid=$(v uid) gid=$(v gid) cuid=$(v cuid) cgid=$(v cgid) $(mode_fields "$(v mode)" | sed 's/ status=.*//') nsems=$(v nsems) otime=$(v otime) ctime=$(v ctime) waiters=$(ipcs -s -i "$id" | awk '/^semnum/ { t = 1; next } t && NF == 5 { n += $3 + $4 } END { print n + 0 }') sems=$sems" >>"$T/theirs"
done
ours '.sem[] | "\(.id) uid=\(.uid) gid=\(.gid) cuid=\(.cuid) cgid=\(.cgid) perms=\(.perms) nsems=\(.nsems) otime=\(.otime) ctime=\(.ctime) waiters=\(.waiters) sems=\([.semaphores[] | "\(.num):value=\(.value),ncnt=\(.ncnt),zcnt=\(.zcnt),pid=\(.pid)"] | join(";"))"' >"$T/mine"
compare "ipcs -s -i" $NSEM "$T/theirs" "$T/mine"

# --- lsipc --json: every column it has for each kind --------------------------------------
# lsipc prints every value as a string; -b for sizes in bytes, -P for octal
# perms, ISO times (UTC here), null for never and for no name.
iso='def t: if . == null then null else sub("\\+00:00$"; "Z") | fromdateiso8601 end;'
common_cols=KEY,ID,OWNER,PERMS,CUID,CUSER,CGID,CGROUP,UID,USER,GID,GROUP,CTIME
common_fmt='key=\(.key) owner=\(.owner) perms=\(.perms) cuid=\(.cuid) cuser=\(.cuser) cgid=\(.cgid) cgroup=\(.cgroup) uid=\(.uid) user=\(.user) gid=\(.gid) group=\(.group) ctime=\(.ctime | t)'
ours_common='key=\(.key) owner=\(.user // .uid) perms=\(.perms) cuid=\(.cuid) cuser=\(.cuser) cgid=\(.cgid) cgroup=\(.cgroup) uid=\(.uid) user=\(.user) gid=\(.gid) group=\(.group) ctime=\(.ctime)'

lsipc -m -J -b -P --time-format=iso -o $common_cols,SIZE,NATTCH,STATUS,ATTACH,DETACH,CPID,LPID >"$T/ls.json"
jq -r "$iso"'.sharedmemory[] | "\(.id) '"$common_fmt"' size=\(.size) nattch=\(.nattch) status=\(.status // "") atime=\(.attach | t) dtime=\(.detach | t) cpid=\(.cpid) lpid=\(.lpid)"' "$T/ls.json" >"$T/theirs"
ours '.shm[] | "\(.id) '"$ours_common"' size=\(.size) nattch=\(.nattch) status=\(.status | join(",")) atime=\(.atime) dtime=\(.dtime) cpid=\(.cpid) lpid=\(.lpid)"' >"$T/mine"
compare "lsipc -m" $NSHM "$T/theirs" "$T/mine"

# util-linux 2.38.1 prints an empty PERMS for queues with -P (null in
# JSON): take the symbolic form and turn it into octal here.
sym2oct='def oct: . as $s | "0" + ([0, 3, 6] | map($s[.:. + 3] |
	(if .[0:1] != "-" then 4 else 0 end) + (if .[1:2] != "-" then 2 else 0 end) +
	(if .[2:3] != "-" then 1 else 0 end) | tostring) | join(""));'
lsipc -q -J -b --time-format=iso -o $common_cols,USEDBYTES,MSGS,SEND,RECV,LSPID,LRPID >"$T/ls.json"
jq -r "$iso$sym2oct"'.messages[] | .perms |= oct | "\(.id) '"$common_fmt"' used=\(.usedbytes) msgs=\(.msgs) stime=\(.send | t) rtime=\(.recv | t) lspid=\(.lspid) lrpid=\(.lrpid)"' "$T/ls.json" >"$T/theirs"
ours '.msg[] | "\(.id) '"$ours_common"' used=\(.used_bytes) msgs=\(.messages) stime=\(.stime) rtime=\(.rtime) lspid=\(.lspid) lrpid=\(.lrpid)"' >"$T/mine"
compare "lsipc -q" $NMSG "$T/theirs" "$T/mine"

lsipc -s -J -b -P --time-format=iso -o $common_cols,NSEMS,OTIME >"$T/ls.json"
jq -r "$iso"'.semaphores[] | "\(.id) '"$common_fmt"' nsems=\(.nsems) otime=\(.otime | t)"' "$T/ls.json" >"$T/theirs"
ours '.sem[] | "\(.id) '"$ours_common"' nsems=\(.nsems) otime=\(.otime)"' >"$T/mine"
compare "lsipc -s" $NSEM "$T/theirs" "$T/mine"

mkipc_stop
done_testing

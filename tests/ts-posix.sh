#!/bin/bash
# POSIX IPC, live (/tmp/posix-spec.md, issue 7): shared memory (pshm),
# named semaphores (psem) and message queues (pmq) made by
# tests/helpers/mkipc in a private IPC + PID + mount namespace, on a
# tmpfs of our own over /dev/shm and an mqueue file system of our own.
# Each object is checked member by member against stat(1), the mount
# table and what the helper printed: name (escaped), path, dev, inode,
# size, perms, owner, mtime, holders (fds and mappings, a child's too),
# verdict and reasons, a semaphore's value and waiters (a real waiter,
# and crafted sem_t files), a queue's used bytes and notify pid.  Then
# /dev/shm with entries that are not POSIX objects (a symlink to a
# root-only file, a directory, a FIFO, a device) and a zero-length
# sem.X: skipped with one warning each, never followed, never opened;
# no mqueue file system mounted; --no-owners; the table; a run by an
# unprivileged user; clean: without -t nothing POSIX is touched, with -t
# exactly the suspects go (root's only with --include-root), and an
# object replaced or opened between the listing and the removal is kept.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"	# bash, even where make runs /bin/sh
. "${TESTS_SRCDIR:?run the tests with make check}/lib.sh" || exit 99
ns_enter "$@"
ns_check_empty
command -v jq >/dev/null || skip_all "jq not installed"
command -v timeout >/dev/null || skip_all "timeout not installed"
# this test mounts over /dev/shm and unmounts mqueue file systems: only as
# pid 1 of the private pid (and mount) namespace lib.sh made
[ "$$" -eq 1 ] || bail "not pid 1 of a private pid namespace: refusing to mount"
# an object of uid 1000 needs a real uid: a user namespace maps only root
[ -z "${IPCI_USERNS:-}" ] || skip_all "needs uid 1000: not in a user namespace"

export LC_ALL=C TZ=UTC
T=$(mktemp -d)
chmod 755 "$T"
trap 'umount "$T/mqueue" 2>/dev/null; rm -rf "$T"' EXIT
export T MKIPC

close_inherited_fds

# ============================================================================
# 0. Our own /dev/shm and mqueue file system.  The mount namespace is
# private: the host's /dev/shm is only hidden here, never written.  Every
# mqueue mount copied from the host's mount table goes first (it would
# show the host's queues).  The queues are mounted on /dev/mqueue when
# that directory exists; else on a directory of ours (no mkdir in /dev:
# /dev is usually a devtmpfs that the host shares whatever the mount
# namespace).  ipcinspect finds it through /proc/self/mountinfo either way.
# ============================================================================
SHM=/dev/shm
# the entries of a directory (dot files too), escaped, sorted, on one line
names() { (cd "$1" && ls -A --quoting-style=escape | sort | paste -sd' '); }
mount -t tmpfs -o mode=1777 shmtest "$SHM" || bail "cannot mount a tmpfs over $SHM"
umount -a -t mqueue 2>/dev/null
if [ -d /dev/mqueue ]; then MQ=/dev/mqueue; else MQ=$T/mqueue && mkdir "$MQ"; fi
mount -t mqueue mqtest "$MQ" || bail "cannot mount an mqueue file system on $MQ"
# the last mount on a mount point (the one on top): MAJ:MIN, source, type
mnt_of() { awk -v m="$1" '$5 == m { for (i = 7; $i != "-"; i++); d = $3 " " $(i + 2) " " $(i + 1) } END { print d }' /proc/self/mountinfo; }
is "$(mnt_of "$SHM" | cut -d' ' -f2-)|$(mnt_of "$MQ" | cut -d' ' -f2-)|$(names "$SHM")|$(names "$MQ")" \
	"shmtest tmpfs|mqtest mqueue||" "our tmpfs is on $SHM, our mqueue file system on $MQ, both empty"
is "$(grep -c ' - mqueue ' /proc/self/mountinfo)" 1 "one mqueue file system mounted in this namespace: ours"
SHMDEV=$(mnt_of "$SHM" | cut -d' ' -f1) MQDEV=$(mnt_of "$MQ" | cut -d' ' -f1)

# ipct ARGS...: ipci (lib.sh) bounded in time: a read of a FIFO or of a
# symlink's target that blocks is a failure, not a hung test
ipct() {
	timeout 60 "$IPCINSPECT" "$@" </dev/null >"$T/out" 2>"$T/err" 7>&- 8>&- 9>&-
	rc=$?
	json_keep "$T/out" "$rc" "$@"
}
uname_of() {
	local n
	n=$(getent passwd "$1" 2>/dev/null | cut -d: -f1)
	echo "${n:-$1}"
}
ujson() {	# a user's name as JSON (null when it has none)
	local n
	n=$(getent passwd "$1" 2>/dev/null | cut -d: -f1)
	if [ -n "$n" ]; then echo "\"$n\""; else echo null; fi
}
gjson() {	# a group's name as JSON (null when it has none)
	local n
	n=$(getent group "$1" 2>/dev/null | cut -d: -f1)
	if [ -n "$n" ]; then echo "\"$n\""; else echo null; fi
}
# pobj KIND NAME: the object of that kind and name, compact (from $T/out)
pobj() { jq -c --arg k "$1" --arg n "$2" '.[$k][]? | select(.name == $n)' "$T/out"; }
# the members of an object a file gives: name, path, dev, inode, size,
# perms, uid, user, gid, group, mtime, as stat(1) sees the file now
# (dev: the device of the file system, major:minor in decimal)
want_ident() {	# want_ident NAME-JSON PATH-JSON FILE
	local dev ino size mode uid gid mtime
	read -r dev ino size mode uid gid mtime < <(stat -c '%Hd:%Ld %i %s %a %u %g %Y' -- "$3")
	printf '[%s,%s,"%s",%s,%s,"%04o",%s,%s,%s,%s,%s]\n' "$1" "$2" "$dev" "$ino" "$size" "0$mode" \
		"$uid" "$(ujson "$uid")" "$gid" "$(gjson "$gid")" "$mtime"
}
IDENT='[.name, .path, .dev, .inode, .size, .perms, .uid, .user, .gid, .group, .mtime]'
ident_is() {	# ident_is KIND NAME NAME-JSON PATH-JSON FILE DESCRIPTION
	is "$(pobj "$1" "$2" | jq -c "$IDENT")" "$(want_ident "$3" "$4" "$5")" "$6"
}
# holders, in a fixed order (the spec sets none), keys sorted
hsort='sort_by(.pid, (.fd // -1)) | map(to_entries | sort_by(.key) | from_entries)'
holders_of() { pobj "$1" "$2" | jq -cS ".holders | if . == null then null else $hsort end"; }
want_holders() { jq -cS -n "[$(IFS=,; echo "$*")] | $hsort"; }
# hfd PID:FD, hmap PID: a holder by fd, by mapping (the helper's comm, root)
hfd() { echo "{\"pid\":${1%%:*},\"comm\":\"$MC\",\"user\":\"root\",\"fd\":${1##*:},\"mapped\":false}"; }
hmap() { echo "{\"pid\":$1,\"comm\":\"$MC\",\"user\":\"root\",\"fd\":null,\"mapped\":true}"; }
# [verdict, reasons are a non-empty list of non-empty strings]
verdict_of() { pobj "$1" "$2" | jq -c '[.verdict, (.reasons | type == "array" and length > 0 and all(type == "string" and length > 0))]'; }

MC=${MKIPC##*/}
MC=${MC:0:15}
U1=1000
NU1=$(uname_of $U1)
# the JSON members the spec gives each kind
M_ALL='"name","path","dev","inode","size","perms","uid","user","gid","group","mtime","holders","verdict","reasons","age"'
M_PSHM="[$M_ALL]" M_PSEM="[$M_ALL,\"value\",\"waiters\"]" M_PMQ="[$M_ALL,\"used_bytes\",\"notify_pid\"]"
SUSPECT_WHY="nobody holds it open or maps it"
MQ_WARN="POSIX message queues: no mqueue file system is mounted: they cannot be listed"
skip_warn() { echo "$SHM/$1: $2, not POSIX shared memory: skipped"; }

# ============================================================================
# 1. The population, every holding known in advance:
#   pshm held (the helper's fd), mapped (the helper's mapping, fd closed),
#        both (fd and mapping), kid (a child's fd and mapping), free
#        (nobody, mode 0640, 12345 bytes), owned (nobody, chowned to uid
#        1000 below), odd (nobody; a name with a blank, a double quote,
#        a newline and the byte 0xff)
#   psem sheld (value 3, mapped by the helper), sfree (value 5, closed:
#        nobody), swait (a child blocked in sem_wait: waiters 1; the
#        helper closed it, the waiter maps it)
#   pmq  qheld (3 messages, the helper's fd), qnotify (empty, the helper
#        registered with mq_notify), qfree (2 messages, mode 0640,
#        closed), qempty (closed, never used)
# ============================================================================
ODD=$'odd name"\nx\xff'
ODD_JSON='"odd name\"\nx\\xff"'	# as ipcinspect must print it
ODD_DEC=$'odd name"\nx\\xff'		# and what that JSON string decodes to
mkipc_start \
	psem:swait,path=/swait,wait,close \
	psem:sheld,path=/sheld,value=3 \
	psem:sfree,path=/sfree,value=5,close \
	pshm:held,path=/held,size=8192,fd \
	pshm:mapped,path=/mapped,size=100,map \
	pshm:both,path=/both,fd,map \
	pshm:kid,path=/kid,fd,map,child \
	pshm:free,path=/free,size=12345,mode=0640 \
	pshm:owned,path=/owned \
	"pshm:odd,path=/$ODD" \
	pmq:qheld,path=/qheld,send=3 \
	pmq:qnotify,path=/qnotify,notify \
	pmq:qfree,path=/qfree,send=2,mode=0640,close \
	pmq:qempty,path=/qempty,close
H=$(mkipc_get pid)
K=$(mkipc_get kid.child) W=$(mkipc_get swait.waiter)
chown $U1:$U1 "$SHM/owned"
is "$(names "$SHM")|$(names "$MQ")" \
	'both free held kid mapped odd\ name"\nx\377 owned sem.sfree sem.sheld sem.swait|qempty qfree qheld qnotify' \
	"mkipc made 7 shared memory objects and 3 semaphores in $SHM, 4 queues in $MQ"
# what the helper says against stat(1): the same device and inode
ok_dev=0
for o in held:held mapped:mapped both:both kid:kid free:free owned:owned "odd:$ODD" sheld:sem.sheld \
	sfree:sem.sfree swait:sem.swait; do
	[ "$(mkipc_get "${o%%:*}.dev") $(mkipc_get "${o%%:*}.inode")" = "$(stat -c '%Hd:%Ld %i' -- "$SHM/${o#*:}")" ] || ok_dev=1
	[ "$(mkipc_get "${o%%:*}.dev")" = "$SHMDEV" ] || ok_dev=1
done
for o in qheld qnotify qfree qempty; do
	[ "$(mkipc_get "$o.dev") $(mkipc_get "$o.inode")" = "$(stat -c '%Hd:%Ld %i' -- "$MQ/$o")" ] || ok_dev=1
	[ "$(mkipc_get "$o.dev")" = "$MQDEV" ] || ok_dev=1
done
ok $ok_dev "mkipc's dev and inode of every object are stat(1)'s, and the devices those of our two mounts"
is "$(grep -o 'NOTIFY_PID:[0-9]*' "$MQ/qnotify" | cut -d: -f2)|$(tr -s ' ' <"$MQ/qheld" | sed 's/ $//')" \
	"$H|QSIZE:30 NOTIFY:0 SIGNO:0 NOTIFY_PID:0" \
	"the mqueue files: qnotify names the helper as NOTIFY_PID, qheld holds 30 bytes"
is "$(od -An -tx8 -N8 "$SHM/sem.swait" | tr -d ' ')|$(od -An -tx8 -N8 "$SHM/sem.sheld" | tr -d ' ')" \
	"0000000100000000|0000000000000003" "the sem_t files: swait has one waiter and value 0, sheld value 3"

# --- one listing ---------------------------------------------------------------
ipct --json -t pshm,psem,pmq
is "$rc|$(err)|$(jq -c '[.warnings, .scan.complete]' "$T/out" 2>&1)" "0||[[],true]" \
	"--json -t pshm,psem,pmq: exit 0, nothing on stderr, no warnings, a complete scan"
is "$(jq -c '[.pshm, .psem, .pmq | map(.name) | sort]' "$T/out")" \
	"[[\"both\",\"free\",\"held\",\"kid\",\"mapped\",$ODD_JSON,\"owned\"],[\"sfree\",\"sheld\",\"swait\"],[\"qempty\",\"qfree\",\"qheld\",\"qnotify\"]]" \
	"exactly the objects made, by name: shm_open's without the /, sem_open's without sem."
is "$(jq -c --argjson a "$M_PSHM" --argjson b "$M_PSEM" --argjson c "$M_PMQ" \
	'[(.pshm | all(. as $o | $a | all(. as $k | $o | has($k)))), (.psem | all(. as $o | $b | all(. as $k | $o | has($k)))), (.pmq | all(. as $o | $c | all(. as $k | $o | has($k))))]' "$T/out")" \
	"[true,true,true]" "every object has every member the spec gives its kind"
is "$(jq -c '[.pshm, .psem, .pmq | .[] | .age | type == "number" and . >= 0] | unique' "$T/out")" "[true]" \
	"age: a number of seconds, never negative"

# pshm: name, path, dev, inode, size, perms, owner, mtime
for n in held mapped both kid free; do
	ident_is pshm $n "\"$n\"" "\"$SHM/$n\"" "$SHM/$n" "pshm $n: name, path, dev, inode, size, perms, owner, mtime as stat(1) says"
done
ident_is pshm owned '"owned"' "\"$SHM/owned\"" "$SHM/owned" \
	"pshm owned: owner uid $U1 ($NU1), as stat(1) says"
ident_is pshm "$ODD_DEC" "$ODD_JSON" "\"$SHM/${ODD_JSON:1}" "$SHM/$ODD" \
	"pshm with a blank, a quote, a newline and 0xff in its name: escaped in name and path (\\\", \\n, \\\\xff)"
is "$(pobj pshm free | jq -c '[.size, .perms, .uid]')|$(pobj pshm held | jq -c '[.size, .perms]')" \
	'[12345,"0640",0]|[8192,"0600"]' "pshm: sizes and perms as made (12345 bytes 0640, 8192 bytes 0600)"
is "$(pobj pshm owned | jq -c '[.uid, .gid]')" "[$U1,$U1]" "pshm owned: uid and gid $U1"

# pshm: holders and verdicts
is "$(holders_of pshm held)" "$(want_holders "$(hfd "$(mkipc_get held.fd)")")" \
	"pshm held: one holder, the helper's fd (mapped false)"
is "$(holders_of pshm mapped)" "$(want_holders "$(hmap "$(mkipc_get mapped.map)")")" \
	"pshm mapped: one holder, the helper's mapping (fd null, mapped true)"
is "$(holders_of pshm both)" "$(want_holders "$(hfd "$(mkipc_get both.fd)")" "$(hmap "$(mkipc_get both.map)")")" \
	"pshm both: the helper twice, once by fd and once by its mapping"
is "$(holders_of pshm kid)" "$(want_holders "$(hfd "$(mkipc_get kid.fd)")" "$(hmap "$K")")" \
	"pshm kid: the child (pid $K) by fd and by mapping, not the helper"
is "$(mkipc_get kid.fd | cut -d: -f1)/$(mkipc_get kid.map)/$(mkipc_get held.fd | cut -d: -f1)" "$K/$K/$H" \
	"mkipc: the child holds kid, the helper held"
for n in held mapped both kid; do
	is "$(verdict_of pshm $n)" '["in-use",true]' "pshm $n: verdict in-use, with reasons"
done
for n in free owned "$ODD_DEC"; do
	is "$(holders_of pshm "$n")|$(verdict_of pshm "$n")" '[]|["suspect",true]' \
		"pshm $(printf %q "$n"): nobody holds it: holders [], verdict suspect, with reasons"
done
is "$(pobj pshm free | jq -c --arg w "$SUSPECT_WHY" '.reasons | index($w) != null')" true \
	"pshm free: the reasons of a suspect say \"$SUSPECT_WHY\""

# psem
for n in sheld sfree swait; do
	ident_is psem $n "\"$n\"" "\"$SHM/sem.$n\"" "$SHM/sem.$n" \
		"psem $n: name without sem., path $SHM/sem.$n, dev, inode, size, perms, owner, mtime as stat(1) says"
done
is "$(pobj psem sheld | jq -c '[.value, .waiters, .size]')" '[3,0,32]' "psem sheld: value 3, waiters 0, a 32-byte file"
is "$(pobj psem sfree | jq -c '[.value, .waiters]')" '[5,0]' "psem sfree: value 5, waiters 0"
is "$(pobj psem swait | jq -c '[.value, .waiters]')" '[0,1]' "psem swait: value 0, waiters 1 (a child in sem_wait)"
is "$(holders_of psem sheld)|$(verdict_of psem sheld)" "$(want_holders "$(hmap "$H")")|[\"in-use\",true]" \
	"psem sheld: the helper maps it (glibc maps it under a temporary name: matched by dev and inode): in-use"
is "$(holders_of psem swait)|$(verdict_of psem swait)" "$(want_holders "$(hmap "$W")")|[\"in-use\",true]" \
	"psem swait: the waiter maps it, not the helper (it closed it): in-use"
is "$(holders_of psem sfree)|$(verdict_of psem sfree)" '[]|["suspect",true]' \
	"psem sfree: closed, nobody maps it: holders [], suspect"

# pmq
for n in qheld qnotify qfree qempty; do
	ident_is pmq $n "\"$n\"" "\"$MQ/$n\"" "$MQ/$n" "pmq $n: name, path $MQ/$n, dev, inode, size, perms, owner, mtime as stat(1) says"
done
is "$(jq -c '[.pmq | sort_by(.name)[] | [.name, .used_bytes, .notify_pid]]' "$T/out")" \
	"[[\"qempty\",0,null],[\"qfree\",20,null],[\"qheld\",30,null],[\"qnotify\",0,$H]]" \
	"pmq: used_bytes 10 per message sent, notify_pid the helper's for qnotify, null for the rest"
is "$(pobj pmq qfree | jq -c .perms)" '"0640"' "pmq qfree: perms 0640"
is "$(holders_of pmq qheld)|$(verdict_of pmq qheld)" "$(want_holders "$(hfd "$(mkipc_get qheld.fd)")")|[\"in-use\",true]" \
	"pmq qheld: the helper's fd: in-use"
is "$(holders_of pmq qnotify)|$(verdict_of pmq qnotify)" "$(want_holders "$(hfd "$(mkipc_get qnotify.fd)")")|[\"in-use\",true]" \
	"pmq qnotify: the helper's fd, registered for notification: in-use"
for n in qfree qempty; do
	is "$(holders_of pmq $n)|$(verdict_of pmq $n)" '[]|["suspect",true]' "pmq $n: closed, nobody holds it: holders [], suspect"
done

# --- the default listing, the table, --no-owners ---------------------------------
ipct --json
is "$rc|$(jq -c '[(.pshm | length), (.psem | length), (.pmq | length)]' "$T/out")" "0|[7,3,4]" \
	"--json without -t: the three POSIX kinds are listed too"
ipct -t pshm
is "$rc|$(head -n 1 "$T/out" | grep -c '^POSIX[^:]*: 7$')" "0|1" \
	"-t pshm, table: exit 0, a section titled POSIX ...: 7 (the number of objects, as the other sections)"
ok "$(for n in held mapped both kid free owned; do grep -qw -- "$n" "$T/out" || echo "$n"; done | grep -c .)" \
	"-t pshm, table: every name is in it"
is "$(for n in held kid free owned; do awk -v n="$n" '$1 == n' "$T/out" | grep -ow 'in-use\|suspect'; done | paste -sd' ')" \
	"in-use in-use suspect suspect" "-t pshm, table: each object's row carries its verdict"
ok "$(grep -qE 'sheld|qheld' "$T/out"; echo $((!$?)))" "-t pshm, table: no semaphore or queue in it"
ipct -t pshm,psem,pmq
is "$rc|$(grep '^POSIX[^:]*: [0-9]*$' "$T/out" | sed 's/.*: //' | paste -sd' ')" "0|7 3 4" \
	"-t pshm,psem,pmq, table: exit 0, three POSIX sections of 7, 3 and 4 objects"
ok "$(for n in sheld sfree swait qheld qnotify qfree qempty; do grep -qw -- "$n" "$T/out" || echo "$n"; done | grep -c .)" \
	"-t pshm,psem,pmq, table: every semaphore and queue name is in it"

ipct --json --no-owners -t pshm,psem,pmq
is "$rc|$(jq -c '[.pshm, .psem, .pmq | .[] | [.holders, .verdict]] | unique' "$T/out")" "0|[[null,null]]" \
	"--no-owners: holders null and verdict null for every POSIX object"
is "$(jq -c '[(.pshm | map(.name) | sort), (.psem[] | select(.name == "sheld") | [.value, .waiters]), (.pmq[] | select(.name == "qheld") | .used_bytes)]' "$T/out")" \
	"[[\"both\",\"free\",\"held\",\"kid\",\"mapped\",$ODD_JSON,\"owned\"],[3,0],30]" \
	"--no-owners: the same objects, values and used bytes"

# --- an unprivileged user: root's processes cannot be read -------------------------
if setpriv --reuid=$U1 --regid=$U1 --clear-groups "$IPCINSPECT" --version >/dev/null 2>&1; then
	setpriv --reuid=$U1 --regid=$U1 --clear-groups timeout 60 "$IPCINSPECT" --json -t pshm \
		</dev/null >"$T/out" 2>"$T/err" 7>&- 8>&- 9>&-
	rc=$?
	json_keep "$T/out" "$rc" --json -t pshm
	is "$rc|$(pobj pshm free | jq -c '[.holders, .verdict]')|$(pobj pshm held | jq -c '[.holders, .verdict]')" \
		'0|[null,"unknown"]|[null,"unknown"]' \
		"as uid $U1: no holder found and the scan incomplete: holders null, verdict unknown (never suspect)"
else
	tap_n=$((tap_n + 1))
	echo "ok $tap_n # SKIP uid $U1 cannot execute $IPCINSPECT"
fi

# ============================================================================
# 2. What else /dev/shm may hold: a zero-length sem.bad (sem_open and
# sem_getvalue on it would die of SIGBUS), crafted sem_t files (a stale
# waiter count nobody maps, a value, a file of 31 bytes), a symlink to a
# root-only file, a directory, a FIFO nobody writes (opening it for
# reading would block), a device.  None is followed or opened but the
# sem.* files, read.
# ============================================================================
: >"$SHM/sem.bad"
printf '\0\0\0\0\1\0\0\0' >"$SHM/sem.stale" && head -c 24 /dev/zero >>"$SHM/sem.stale"
printf '\7\0\0\0\0\0\0\0' >"$SHM/sem.seven" && head -c 24 /dev/zero >>"$SHM/sem.seven"
head -c 31 /dev/zero >"$SHM/sem.short"
mkdir -m 0700 "$SHM/adir"
echo "secret-content" >"$SHM/adir/secret"
chmod 0600 "$SHM/adir/secret"
touch -a -d '2000-01-01 00:00:00' "$SHM/adir/secret"
SECRET_ATIME=$(stat -c %X "$SHM/adir/secret")
ln -s "$SHM/adir/secret" "$SHM/evil"
mkfifo "$SHM/afifo"
DEVN=
mknod "$SHM/anull" c 1 3 2>/dev/null && DEVN="anull "

ipct --json -t pshm,psem,pmq
is "$rc|$(jq -e . "$T/out" >/dev/null 2>&1; echo $?)" "0|0" \
	"/dev/shm with odd entries: exit 0 (no crash, no hang), valid JSON"
is "$(jq -c '[.pshm, .psem | .[] | .name | select(test("evil|adir|afifo|anull|secret"))]' "$T/out")" "[]" \
	"no object is made of the symlink, the directory, the FIFO, the device or what the symlink points to"
is "$(stat -c %X "$SHM/adir/secret")" "$SECRET_ATIME" "the symlink's target was never read (its atime did not move)"
want_w=$( {
	skip_warn evil "a symbolic link"
	skip_warn adir "a directory"
	skip_warn afifo "a FIFO"
	[ -z "$DEVN" ] || skip_warn anull "a device"
} | sort)
is "$(jq -r '.warnings[] | select(test("evil|adir|afifo|anull"))' "$T/out" | sort)" "$want_w" \
	"one warning per entry skipped, naming it and what it is (JSON)"
is "$(sed -n 's/^ipcinspect: warning: //p' "$T/err" | grep -E 'evil|adir|afifo|anull' | sort)" "$want_w" \
	"the same warnings on stderr"
is "$(jq -c '[.psem | sort_by(.name)[] | select(.name | test("^(bad|stale|seven|short)$")) | [.name, .path, .size, .value, .waiters]]' "$T/out")" \
	"[[\"bad\",\"$SHM/sem.bad\",0,null,null],[\"seven\",\"$SHM/sem.seven\",32,7,0],[\"short\",\"$SHM/sem.short\",31,null,null],[\"stale\",\"$SHM/sem.stale\",32,0,1]]" \
	"psem: a zero-length and a 31-byte file are listed with value and waiters null; crafted 32-byte sem_t files read exactly"
is "$(verdict_of psem stale)|$(holders_of psem stale)" '["in-use",true]|[]' \
	"psem with waiters 1 in the file and nobody mapping it: in-use (waiters > 0)"
is "$(verdict_of psem bad)|$(verdict_of psem seven)" '["suspect",true]|["suspect",true]' \
	"psem bad and seven: nobody maps them: suspect"
is "$(jq -c '[(.pshm | length), (.psem | length), (.pmq | length)]' "$T/out")" "[7,7,4]" \
	"the objects made before are all still listed"

# --- no mqueue file system mounted --------------------------------------------------
umount "$MQ" || bail "cannot unmount $MQ"
ipct --json -t pshm,psem,pmq
is "$rc|$(jq -c '[.pmq, (.pshm | length), (.psem | length)]' "$T/out")" "0|[null,7,7]" \
	"no mqueue file system mounted: exit 0, \"pmq\": null (not []), shared memory and semaphores still listed"
is "$(jq -c --arg w "$MQ_WARN" '[.warnings[] | select(. == $w)] | length' "$T/out")|$(grep -cxF "ipcinspect: warning: $MQ_WARN" "$T/err")" \
	"1|1" "no mqueue file system mounted: the warning, once, in JSON and on stderr"
ipct --json -t pmq
is "$rc|$(jq -c '[.pmq, (.warnings | index($w) != null)]' --arg w "$MQ_WARN" "$T/out")" "0|[null,true]" \
	"-t pmq alone, nothing mounted: pmq null and the warning"
mount -t mqueue mqtest "$MQ" || bail "cannot mount the mqueue file system again on $MQ"
ipct --json -t pmq
is "$rc|$(jq -c '[(.pmq | map(.name) | sort), (.warnings | length)]' "$T/out")" '0|[["qempty","qfree","qheld","qnotify"],0]' \
	"mounted again: the same queues (they belong to the IPC namespace, not to the mount), no warning"

# ============================================================================
# 3. clean.  The suspects: pshm free, owned, odd; psem sfree, bad, seven,
# short; pmq qfree, qempty.  In use: the rest.  Not objects: evil, adir,
# afifo, anull.
# ============================================================================
before_shm=$(names "$SHM") before_mq=$(names "$MQ")
ipct clean --yes --suspects --min-age 0 --include-root --no-syslog
is "$rc|$(names "$SHM")|$(names "$MQ")" "0|$before_shm|$before_mq" \
	"clean --yes --suspects --min-age 0 --include-root without -t: exit 0, every POSIX object left in place"
ipct clean --suspects --min-age 0 --include-root -t pshm,psem,pmq
is "$rc|$(names "$SHM")|$(names "$MQ")" "0|$before_shm|$before_mq" "clean -t pshm,psem,pmq without --yes: nothing removed"
ipct clean --suspects --min-age 0 --include-root -t pshm,psem,pmq --json
is "$rc|$(jq -c '.summary | [.would_remove, .removed, .failed]' "$T/out")" "0|[9,0,0]" \
	"clean --json dry run: 9 would be removed (the suspects), none removed"

ipct clean --yes --suspects --min-age 0 --no-syslog -t pshm,psem,pmq
is "$rc|$(names "$SHM")|$(names "$MQ")" "0|${before_shm/ owned / }|$before_mq" \
	"clean --yes -t pshm,psem,pmq without --include-root: only the suspect of uid $U1 is gone, root's are kept"

ipct clean --suspects -t pshm,psem,pmq --min-age 0 --yes --no-syslog --include-root --json
is "$rc|$(jq -c '.summary | [.removed, .failed]' "$T/out")" "0|[8,0]" \
	"clean --yes --include-root -t pshm,psem,pmq --json: 8 removed, none failed"
is "$(names "$SHM")" "adir afifo ${DEVN}both evil held kid mapped sem.sheld sem.stale sem.swait" \
	"clean: in $SHM, the suspects are gone; what is held, mapped or waited on stays, and so do the entries that are no objects"
is "$(names "$MQ")" "qheld qnotify" "clean: in $MQ, the closed queues are gone, the held ones stay"
is "$(stat -c '%F %s' "$SHM/adir/secret")" "regular file 15" "clean: the file the symlink points to is still there"

# --- an object changed between the listing and the removal ------------------------
# race1 is replaced by another file (another inode), race2 opened by a
# process that starts in the window: both must be kept
echo one >"$SHM/race1"
echo two >"$SHM/race2"
ino1=$(stat -c %i "$SHM/race1")
cat >"$T/hook" <<EOF
[ -e "$T/hook.done" ] && exit 0
: >"$T/hook.done"
rm "$SHM/race1" && echo new >"$SHM/race1.new" && mv "$SHM/race1.new" "$SHM/race1"
sleep 1000 <"$SHM/race2" >/dev/null 2>&1 &
echo \$! >"$T/hook.pid"
# the redirection happens in the child: wait until it holds the file
while [ "\$(readlink /proc/\$!/fd/0)" != "$SHM/race2" ]; do sleep 0.01; done
EOF
# paused before each re-check (the 2nd fstatat of the entry, the 1st is
# the listing): the hook acts at the first, whichever comes first
ipci_races "fstatat@race1:2,fstatat@race2:2" 'sh "$T/hook"' \
	clean --yes --suspects --min-age 0 --include-root --no-syslog -t pshm --json
HP=$(cat "$T/hook.pid" 2>/dev/null)
is "$rc|$([ -e "$T/hook.done" ]; echo $?)" "0|0" "race: clean paused before its re-check and the hook ran there, exit 0"
is "$(cat "$SHM/race1" 2>&1)|$([ "$(stat -c %i "$SHM/race1")" != "$ino1" ]; echo $?)|$(cat "$SHM/race2" 2>&1)|$(jq -c .summary.removed "$T/out")" \
	"new|0|two|0" "race: the file that replaced race1 and race2, opened in the window, are both kept; nothing removed"
[ -n "$HP" ] && kill "$HP" && wait "$HP" 2>/dev/null
rm -f "$T/hook.done"
ipct clean --yes --suspects --min-age 0 --include-root --no-syslog -t pshm
is "$rc|$(ls "$SHM/race1" "$SHM/race2" 2>/dev/null | wc -l)" "0|0" "race: once nobody holds them, a clean removes both"

mkipc_stop
is "$(names "$SHM" | sed 's/anull //')|$(names "$MQ")" "adir afifo evil sem.stale|" \
	"mkipc removed what it made at its end (quietly where clean had removed it): only the test's own entries are left"

# --- a holder whose main thread exited (issue 12, defect 1) ----------------------
# Each victim is a suspect (nobody holds it) when clean lists it; clean is
# paused right before its re-check (the open of /proc for the fresh walk,
# by the preload library: the second open of "/proc", the first is the
# listing's) and a second thread of a process whose main
# thread has exited opens it (or maps it) then: the re-check must read that
# process through its live thread, as the first scan does, and keep it.
mkipc_start "pshm:pv,path=/victim" "late:hv,path=$SHM/victim" \
	"psem:sv,path=/svictim,close" "late:hs,path=$SHM/sem.svictim,map" \
	"pmq:qv,path=/qvictim,close" "late:hq,path=$MQ/qvictim"
late_clean() {
	"$IPCINSPECT" clean --suspects --include-root --min-age 0 -t "$1" --yes --no-syslog --json \
		</dev/null >"$T/out" 2>"$T/err" 7>&- 8>&- 9>&-
	local r=$?
	json_keep "$T/out" "$r" clean --json
	return "$r"
}
for k in "pshm hv $SHM/victim" "psem hs $SHM/sem.svictim" "pmq hq $MQ/qvictim"; do
	set -- $k
	preload_pause_start open@/proc 2 late_clean "$1"
	preload_wait_paused
	ok $? "$1: clean paused right before its re-check"
	echo "open $2" >&9
	mkipc_wait "$2.opened"
	preload_resume
	is "$PRELOAD_RC|$(jq -c '[.actions[] | [.kind, .action, .why]]' "$T/out")|$(stat -c %F "$3" 2>&1)" \
		"0|[[\"$1\",\"skipped\",\"opened or mapped by a process since it was judged\"]]|regular file" \
		"$1: opened by a thread of a process whose main thread exited, right before the re-check: kept"
done

# --- ipcinspect's own output (issue 12, defect 9) ----------------------------------
# Redirected into /dev/shm it is a POSIX shared memory object that only
# ipcinspect holds: in use (the judge says so: review 19, finding 3),
# never a candidate, never removed.
"$IPCINSPECT" clean -t pshm --suspects --include-root --min-age 0 --yes --no-syslog \
	</dev/null >"$SHM/report.txt" 2>"$T/err" 7>&- 8>&- 9>&-
rc=$?
is "$rc|$(stat -c %F "$SHM/report.txt" 2>&1)|$(grep -c "$SHM/report.txt" "$SHM/report.txt")" \
	"0|regular file|0" "clean -t pshm --yes > $SHM/report.txt: its own report is kept, not a candidate"
"$IPCINSPECT" --json -t pshm --no-outside-holders </dev/null >"$SHM/report.txt" 2>"$T/err" 7>&- 8>&- 9>&-
rc=$?
cp "$SHM/report.txt" "$T/out"
json_keep "$T/out" "$rc" --json -t pshm
is "$rc|$(jq -c '[.pshm[] | select(.name == "report.txt") | [.holders, .verdict, .reasons]]' "$T/out")" \
	'0|[[[],"in-use",["held open by ipcinspect itself only (its input or output, or an fd it was started with)"]]]' \
	"list --json > $SHM/report.txt: in use, held by ipcinspect alone, and said so"
cp "$SHM/report.txt" "$T/report.txt"; rm -f "$SHM/report.txt"
mkipc_stop

# --- opened between the re-check and the unlink (the window no re-check closes) ---
# clean pauses right before unlinkat; a process opens the file then.  It
# is unlinked, and the report says what a walk after the unlink shows:
# marked-in-use, the process named, exit 1 - not "removed".
: >"$SHM/gap"
gap_hook() {
	sleep 1000 5<"$SHM/gap" </dev/null >/dev/null 2>&1 &
	GAP=$!
	while [ "$(readlink "/proc/$GAP/fd/5" 2>/dev/null)" != "$SHM/gap" ]; do sleep 0.01; done
}
ipci_races "unlinkat:1" gap_hook clean -t pshm --suspects --include-root --min-age 0 --yes --no-syslog --json
is "$rc|$(jq -c '[.actions[] | [.action, .why]]' "$T/out")|$([ -e "$SHM/gap" ]; echo $?)|$(readlink "/proc/$GAP/fd/5")" \
	"1|[[\"marked-in-use\",\"unlinked, but process $GAP opened it after the re-check: it lives on, unnamed, until it lets go\"]]|1|$SHM/gap (deleted)" \
	"opened between the re-check and the unlink: unlinked, reported marked-in-use with the opener, exit 1"
kill "$GAP"
wait "$GAP" 2>/dev/null

# --- removed by someone else between the re-check and the unlink ------------------
# clean pauses right before unlinkat; the file is removed then.  unlinkat
# says ENOENT: already gone, as for a SysV object removed meanwhile: not a
# failure, exit 0 (before the fix: "failed ... unlink: No such file or
# directory", exit 1).
: >"$SHM/gone"
ipci_races "unlinkat:1" 'rm "$SHM/gone"' clean -t pshm --suspects --include-root --min-age 0 --yes --no-syslog --json
is "$rc|$(jq -c '[.actions[] | [.path, .action, .why]] + [.summary.failed]' "$T/out")|$(grep -c gone "$T/err")" \
	"0|[[\"$SHM/gone\",\"gone\",\"already gone\"],0]|0" \
	"removed by someone else between the re-check and the unlink: gone, not failed, exit 0"
done_testing

#!/bin/bash
# Data errors end to end, in the private mount namespace: /proc/sysvipc
# hidden under a tmpfs (exit 1, one message, no partial output), and
# crafted text bind-mounted over /proc/sysvipc/{shm,msg,sem}: garbage,
# missing and extra columns, the old 14-column shm layout, negative keys,
# values above INT64_MAX, wide values, empty and header-only files, and
# semaphore sets that semctl says do not exist.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"	# bash, even where make runs /bin/sh
. "$TESTS_SRCDIR/lib.sh"
ns_enter "$@"
ns_check_empty
command -v jq >/dev/null || skip_all "jq not installed"
# Mounts go over /proc: only ever in the namespace lib.sh made, where this
# script is pid 1 of its own PID namespace (and its own mount namespace).
[ "$$" -eq 1 ] || bail "not inside the private namespace (pid $$): refusing to mount over /proc"

export LC_ALL=C TZ=UTC
T=$(mktemp -d)
chmod 755 "$T"
trap 'umount /proc/sysvipc/shm /proc/sysvipc/msg /proc/sysvipc/sem /proc/sysvipc 2>/dev/null; rm -rf "$T"' EXIT

ipci() {
	"$IPCINSPECT" "$@" >"$T/out" 2>"$T/err"
	rc=$?
}
# what a failed run must look like: status 1, exactly one line on stderr, no stdout
failed_run() {	# failed_run NAME MESSAGE ARGS...
	local name=$1 msg=$2; shift 2
	ipci "$@"
	is "$rc|$(cat "$T/err")|$(wc -c <"$T/out")" "1|$msg|0" "$name: exit 1, one message, empty stdout"
}

# --- (a) /proc/sysvipc hidden -----------------------------------------------
if mount -t tmpfs none /proc/sysvipc 2>/dev/null; then
	nofile="No such file or directory"
	failed_run "no /proc/sysvipc, table" "ipcinspect: cannot read /proc/sysvipc/shm: $nofile"
	failed_run "no /proc/sysvipc, --json" "ipcinspect: cannot read /proc/sysvipc/shm: $nofile" --json
	failed_run "no /proc/sysvipc, -t msg" "ipcinspect: cannot read /proc/sysvipc/msg: $nofile" -t msg
	failed_run "no /proc/sysvipc, -t sem --json" "ipcinspect: cannot read /proc/sysvipc/sem: $nofile" -t sem --json
	failed_run "no /proc/sysvipc, -t sem,msg" "ipcinspect: cannot read /proc/sysvipc/msg: $nofile" -t sem,msg
	ipci limits --json
	is "$rc|$(cat "$T/err")|$(jq -c '.limits.shmmni | type' "$T/out")" '0||"object"' \
		"no /proc/sysvipc: limits does not need it"
	umount /proc/sysvipc
else
	for i in 1 2 3 4 5 6; do
		tap_n=$((tap_n + 1)); echo "ok $tap_n # SKIP cannot mount a tmpfs over /proc/sysvipc"
	done
fi

# --- (b) crafted files -----------------------------------------------------------
# A real set for the crafted sem lines to point at (sets are re-read with
# semctl); made before the files are mounted.
mkipc_start sem:real,nsems=2,values=4:2,mode=0600
real=$(mkipc_get real.id)
P=$(mkipc_get pid)

shm_header='       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap'
msg_header='       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid  cgid      stime      rtime      ctime'
sem_header='       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime'
echo "$shm_header" >"$T/shm"
echo "$msg_header" >"$T/msg"
echo "$sem_header" >"$T/sem"
for k in shm msg sem; do
	mount --bind "$T/$k" "/proc/sysvipc/$k" 2>/dev/null ||
		skip_all "cannot bind-mount over /proc/sysvipc/$k"
done
# The files are rewritten in place from here on: the mounts follow the inode.

# header only: nothing, and no complaint
ipci --json
is "$rc|$(cat "$T/err")|$(jq -c '[.shm, .msg, .sem, .warnings]' "$T/out")" '0||[[],[],[],[]]' \
	"header-only files: exit 0, empty arrays, no warnings"
ipci
is "$rc|$(cat "$T/out")" "0|Shared memory segments: 0

Message queues: 0

Semaphore sets: 0" "header-only files: empty table sections"

# shm: two good lines (a negative key, a size of UINT64_MAX, wide pids and
# uids, flags, values above INT64_MAX and around 2^53), a garbage line, a
# line with an extra column, and blank lines that are not data
{
	echo "$shm_header"
	echo '-1688783575          7   640  18446744073709551615   123   456      3 65534 65534     0     0 1700000000 1700000100 1699999999                  8192                     0'
	echo 'this is not a line of the shm table at all'
	echo ''
	printf '         1\t8\t3600 9007199254740993 4194304 4194303 1 4294967294 4242 0 0 0 0 1700000000 9223372036854775808 9007199254740992\n'
	echo '      4096          9   600                  4096     1     1      0     0     0     0     0          0          0 1700000000                     0                     0   12'
	echo '   '
} >"$T/shm"
# msg: two good lines (one with tabs), a line with missing columns, a uid
# above UINT32_MAX
{
	echo "$msg_header"
	echo '      4660          5   666  18446744073709551615          3 4194304     0  4242  4242     0     0 1700000000          0 1700000000'
	echo '      4660          6   666'
	printf -- '-2147483648\t7\t600\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t1700000000\n'
	echo '         1          9   600           0          0     0     0 4294967296     0     0     0          0          0          1'
} >"$T/msg"

shm_warn="/proc/sysvipc/shm: 2 lines not understood, skipped"
msg_warn="/proc/sysvipc/msg: 2 lines not understood, skipped"
ipci --json
is "$rc" 0 "crafted shm and msg: exit status 0"
ok "$(jq -e . "$T/out" >/dev/null; echo $?)" "crafted shm and msg: stdout is valid JSON"
is "$(cat "$T/err")" "ipcinspect: warning: $shm_warn
ipcinspect: warning: $msg_warn" "crafted shm and msg: one warning per file on stderr"
is "$(jq -c .warnings "$T/out")" "[\"$shm_warn\",\"$msg_warn\"]" "crafted shm and msg: the same warnings in JSON"
is "$(jq -c '[.shm[].id, .msg[].id]' "$T/out")" '[7,8,5,7]' "crafted shm and msg: only the good lines are objects"
is "$(jq -c '.shm[] | select(.id == 7)' "$T/out")" \
	'{"id":7,"key":"0x9b573529","perms":"0640","uid":65534,"user":"nobody","gid":65534,"group":"nogroup","cuid":0,"cuser":"root","cgid":0,"cgroup":"root","ctime":1699999999,"size":"18446744073709551615","nattch":3,"status":[],"cpid":123,"lpid":456,"atime":1700000000,"dtime":1700000100,"rss":8192,"swap":0}' \
	"crafted shm 7: negative key, size UINT64_MAX as the exact string, every field"
is "$(jq -c '.shm[] | select(.id == 8)' "$T/out")" \
	'{"id":8,"key":"0x00000001","perms":"0600","uid":4294967294,"user":null,"gid":4242,"group":null,"cuid":0,"cuser":"root","cgid":0,"cgroup":"root","ctime":1700000000,"size":"9007199254740993","nattch":1,"status":["dest","locked"],"cpid":4194304,"lpid":4194303,"atime":null,"dtime":null,"rss":"9223372036854775808","swap":9007199254740992}' \
	"crafted shm 8: tabs, wide values, flags, 2^53+1 and INT64_MAX+1 strings, 2^53 a number"
grep -F '"id": 8,' "$T/out" >"$T/line"
ok "$(grep -qF '"size": "9007199254740993",' "$T/line" && grep -qF '"rss": "9223372036854775808", "swap": 9007199254740992}' "$T/line"; echo $?)" \
	"crafted shm 8: the JSON text has the exact digits"
is "$(jq -c '.msg[] | select(.id == 5)' "$T/out")" \
	'{"id":5,"key":"0x00001234","perms":"0666","uid":4242,"user":null,"gid":4242,"group":null,"cuid":0,"cuser":"root","cgid":0,"cgroup":"root","ctime":1700000000,"used_bytes":"18446744073709551615","messages":3,"lspid":4194304,"lrpid":0,"stime":1700000000,"rtime":null}' \
	"crafted msg 5: every field"
is "$(jq -c '.msg[] | select(.id == 7) | [.key, .perms, .ctime, .stime]' "$T/out")" '["0x80000000","0600",1700000000,null]' \
	"crafted msg 7: INT32_MIN key, tab separated"

ipci --raw --noheadings -b -o ID,KEY,SIZE,CPID,UID,USER,STATUS -t shm
is "$rc|$(cat "$T/out")" "0|7 0x9b573529 18446744073709551615 123 65534 nobody -
8 0x00000001 9007199254740993 4194304 4294967294 4294967294 dest,locked" "crafted shm, table -b: exact values"
is "$(cat "$T/err")" "ipcinspect: warning: $shm_warn" "crafted shm, table: the warning on stderr, only for what was read"
ipci --raw --noheadings -o ID,SIZE,RSS,SWAP -t shm
is "$(cat "$T/out")" "7 16E 8K 0B
8 8P 8E 8P" "crafted shm, table: human sizes of huge values"

# the old layout: 14 columns, no rss and swap
{
	echo '       key      shmid perms       size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime'
	echo '         0          3   600       4096    10    11      1     0     0     0     0 1700000000          0 1700000000'
	echo '         0          4   600       4096    10    11      1     0     0     0     0 1700000000          0 1700000000 0 0'
} >"$T/shm"
ipci --json -t shm
is "$rc|$(jq -c '.warnings' "$T/out")" '0|["/proc/sysvipc/shm: 1 line not understood, skipped"]' \
	"14-column shm: a 16-column line does not fit (one line, singular)"
is "$(jq -c '.shm' "$T/out")" \
	'[{"id":3,"key":"0x00000000","perms":"0600","uid":0,"user":"root","gid":0,"group":"root","cuid":0,"cuser":"root","cgid":0,"cgroup":"root","ctime":1700000000,"size":4096,"nattch":1,"status":[],"cpid":10,"lpid":11,"atime":1700000000,"dtime":null,"rss":null,"swap":null}]' \
	"14-column shm: rss and swap null"
ipci --raw --noheadings -o ID,RSS,SWAP -t shm
is "$(cat "$T/out")" "3 - -" "14-column shm, table: rss and swap '-'"

# files that cannot be understood at all
: >"$T/shm"
failed_run "empty shm file, table" "ipcinspect: cannot read /proc/sysvipc/shm: unexpected format"
failed_run "empty shm file, --json" "ipcinspect: cannot read /proc/sysvipc/shm: unexpected format" --json
ipci --json -t msg,sem
is "$rc|$(jq -c '[has("shm"), (.msg | length)]' "$T/out")" "0|[false,2]" "empty shm file: -t msg,sem does not read it"
echo 'key shmid perms size cpid lpid uid gid cuid cgid atime dtime ctime rss swap' >"$T/shm"
failed_run "shm header without nattch" "ipcinspect: cannot read /proc/sysvipc/shm: unexpected format" --json
echo '-1688783575 7 640 100 1 1 0 0 0 0 0 0 0 1 0 0' >"$T/shm"
failed_run "shm without a header line" "ipcinspect: cannot read /proc/sysvipc/shm: unexpected format" --json
echo "$shm_header" >"$T/shm"
printf 'key msqid perms cbytes qnum lspid lrpid uid gid cuid cgid stime rtime ctime perms\n' >"$T/msg"
failed_run "msg header naming perms twice" "ipcinspect: cannot read /proc/sysvipc/msg: unexpected format" --json -t msg

# The kernel prints keys with %d: a positive key above INT32_MAX is not
# something it writes, and sysvipc.c says it accepts only the int32 range.
{
	echo "$msg_header"
	echo ' 2147483648 10 600 0 0 0 0 0 0 0 0 0 0 1'
	echo '0x1234 11 600 0 0 0 0 0 0 0 0 0 0 1'
} >"$T/msg"
ipci --json -t msg
is "$rc|$(jq -c '[.msg[].id]' "$T/out")|$(jq -c .warnings "$T/out")" \
	'0|[]|["/proc/sysvipc/msg: 2 lines not understood, skipped"]' \
	"msg keys 2147483648 and 0x1234: not the kernel's %d, not understood"

# CRLF line ends: CR is a blank like space and tab (the last column parses)
printf '%s\r\n      4660         12   600           5          1     7     8     0     0     0     0          3          4          5\r\n\r\n' \
	"$msg_header" >"$T/msg"
ipci --json -t msg
is "$rc|$(jq -c '[.warnings, (.msg[] | [.id, .key, .used_bytes, .messages, .lspid, .lrpid, .stime, .rtime, .ctime])]' "$T/out")" \
	'0|[[],[12,"0x00001234",5,1,7,8,3,4,5]]' "CRLF msg file: parsed like LF, the CR-only line is blank"
echo "$msg_header" >"$T/msg"

# --- sem: the text is re-checked with semctl ----------------------------------------
# A fake id (IPC_STAT: EINVAL) stays listed as of the text, as a segment
# or queue removed during the scan does, with semaphores null and the
# reason; so does the real id with another nsems (the set is not the one
# the line describes: never sized from the text, no overflow).  The real
# line is kept with the kernel's values.
{
	echo "$sem_header"
	echo "         0      32767   600          1     0     0     0     0          0 1700000000"
	echo "       291 $real 640 2 4242 4242 0 0 1700000005 1700000000"
	echo "         0 $real 600 5 0 0 0 0 0 1700000000"
	echo "         0 $real 600 1 0 0 0 0 0 1700000000"
	echo "         0      99999"
} >"$T/sem"
ipci --json -t sem
is "$rc|$(cat "$T/err")" "0|ipcinspect: warning: /proc/sysvipc/sem: 1 line not understood, skipped" \
	"crafted sem: exit 0, the short line is the only warning"
is "$(jq -c '[.sem[0] | .id, .nsems, .waiters, .semaphores, .semaphores_error]' "$T/out")" \
	'[32767,1,null,null,"removed during the scan"]' \
	"crafted sem: a set semctl cannot find is listed, with the reason"
is "$(jq -c '.sem[1]' "$T/out")" \
	"{\"id\":$real,\"key\":\"0x00000123\",\"perms\":\"0640\",\"uid\":4242,\"user\":null,\"gid\":4242,\"group\":null,\"cuid\":0,\"cuser\":\"root\",\"cgid\":0,\"cgroup\":\"root\",\"ctime\":1700000000,\"nsems\":2,\"otime\":1700000005,\"waiters\":0,\"semaphores\":[{\"num\":0,\"value\":4,\"pid\":$P,\"ncnt\":0,\"zcnt\":0},{\"num\":1,\"value\":2,\"pid\":$P,\"ncnt\":0,\"zcnt\":0}],\"semaphores_error\":null}" \
	"crafted sem: the real id keeps the text's fields and the kernel's values"
is "$(jq -c '[.sem[2,3] | .id, .nsems, .semaphores, .semaphores_error]' "$T/out")" \
	"[$real,5,null,\"semctl and /proc disagree on the number of semaphores\",$real,1,null,\"semctl and /proc disagree on the number of semaphores\"]" \
	"crafted sem: a wrong nsems is listed without semaphores, with the reason"
ipci --raw --noheadings -o ID,NSEMS,SEMAPHORES -t sem
is "$rc|$(cat "$T/out")" "0|32767 1 -
$real 2 4,2
$real 5 -
$real 1 -" "crafted sem, table: the same"

# unreadable source: the error names the file and the reason
echo "$shm_header" >"$T/shm"
chmod 000 "$T/shm"
if setpriv --reuid=65534 --regid=65534 --clear-groups "$IPCINSPECT" --version >/dev/null 2>&1; then
	setpriv --reuid=65534 --regid=65534 --clear-groups "$IPCINSPECT" --json >"$T/out" 2>"$T/err"
	is "$?|$(cat "$T/err")|$(wc -c <"$T/out")" "1|ipcinspect: cannot read /proc/sysvipc/shm: Permission denied|0" \
		"unreadable /proc/sysvipc/shm: exit 1, Permission denied, empty stdout"
else
	tap_n=$((tap_n + 1)); echo "ok $tap_n # SKIP nobody cannot execute $IPCINSPECT"
fi
chmod 644 "$T/shm"

umount /proc/sysvipc/shm /proc/sysvipc/msg /proc/sysvipc/sem
mkipc_stop
ipci --json
is "$rc|$(jq -c '[.shm, .msg, .sem, .warnings]' "$T/out")" '0|[[],[],[],[]]' "the real files are back: empty namespace"
done_testing

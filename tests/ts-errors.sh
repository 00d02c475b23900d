#!/bin/bash
# Data errors end to end, in the private mount namespace: /proc/sysvipc
# hidden under a tmpfs (exit 1, one message, no partial output), and
# crafted text bind-mounted over /proc/sysvipc/{shm,msg,sem}: garbage,
# missing and extra columns, the old 14-column shm layout, negative keys,
# values above INT64_MAX, wide values, empty and header-only files, and
# semaphore sets that semctl says do not exist.  Parsing is checked with
# --no-owners (no process scan); the recorded pids of crafted lines are
# then judged (doc/kernel-facts.md, "Pid reuse") against times set around a live process's
# start: every boundary of the 2 s tolerance, a zombie, an exited pid and
# a clock stepped back before boot.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"	# bash, even where make runs /bin/sh
. "${TESTS_SRCDIR:?run the tests with make check}/lib.sh" || exit 99
ns_enter "$@"
ns_check_empty
command -v jq >/dev/null || skip_all "jq not installed"
# Mounts go over /proc: only ever in the namespace lib.sh made, where this
# script is pid 1 of its own PID namespace (and its own mount namespace).
[ "$$" -eq 1 ] || bail "not inside the private namespace (pid $$): refusing to mount over /proc"

export LC_ALL=C TZ=UTC
ps=$(getconf PAGESIZE)	# frees_pages: a segment's size in pages, rounded up
T=$(mktemp -d)
chmod 755 "$T"
trap 'umount /proc/sysvipc/shm /proc/sysvipc/msg /proc/sysvipc/sem /proc/sysvipc 2>/dev/null; rm -rf "$T"' EXIT

ids_of() { awk 'NR > 1 { printf "%s%s", sep, $2; sep = " " }' "/proc/sysvipc/$1"; }

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
	failed_run "no /proc/sysvipc, --no-owners" "ipcinspect: cannot read /proc/sysvipc/shm: $nofile" --no-owners
	failed_run "no /proc/sysvipc, -t pipe,sem" "ipcinspect: cannot read /proc/sysvipc/sem: $nofile" -t pipe,sem --json
	ipci limits --json
	is "$rc|$(cat "$T/err")|$(jq -c '.limits.shmmni | type' "$T/out")" '0||"object"' \
		"no /proc/sysvipc: limits does not need it"
	ipci --json -t fifo,pipe
	is "$rc|$(cat "$T/err")|$(jq -c '[keys_unsorted[]]' "$T/out")" \
		'0||["schema","host","time","ipc_ns","warnings","scan","limits","fifo","pipe","processes"]' \
		"no /proc/sysvipc: -t fifo,pipe does not need it"
	umount /proc/sysvipc
else
	for i in 1 2 3 4 5 6 7 8 9; do
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
ipci --no-owners -t shm,msg,sem
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

# UINT64_MAX bytes in pages, rounded up: 2^64 / ps for a power-of-two page
# size (bash arithmetic is signed 64-bit: 2^62 / ps * 4)
max_pages=$(((1 << 62) / ps * 4))
shm_warn="/proc/sysvipc/shm: 2 lines not understood, skipped"
msg_warn="/proc/sysvipc/msg: 2 lines not understood, skipped"
clock_warn="an IPC time is earlier than the boot time: the clock was stepped, so recorded pids cannot be judged"
ipci --json --no-owners
is "$rc" 0 "crafted shm and msg: exit status 0"
ok "$(jq -e . "$T/out" >/dev/null; echo $?)" "crafted shm and msg: stdout is valid JSON"
is "$(cat "$T/err")" "ipcinspect: warning: $shm_warn
ipcinspect: warning: $msg_warn" "crafted shm and msg: one warning per file on stderr"
is "$(jq -c .warnings "$T/out")" "[\"$shm_warn\",\"$msg_warn\"]" "crafted shm and msg: the same warnings in JSON"
is "$(jq -c '[.shm[].id, .msg[].id]' "$T/out")" '[7,8,5,7]' "crafted shm and msg: only the good lines are objects"
is "$(jq -c '.shm[] | select(.id == 7)' "$T/out")" \
	'{"id":7,"key":"0x9b573529","perms":"0640","uid":65534,"user":"nobody","gid":65534,"group":"nogroup","cuid":0,"cuser":"root","cgid":0,"cgroup":"root","ctime":1699999999,"size":"18446744073709551615","nattch":3,"status":[],"cpid":123,"lpid":456,"atime":1700000000,"dtime":1700000100,"rss":8192,"swap":0,"attached":null,"creator":null,"last":null,"frees_bytes":"18446744073709551615","frees_pages":'"$max_pages"',"verdict":null,"reasons":null,"age":null}' \
	"crafted shm 7: negative key, size UINT64_MAX as the exact string, every field; no scan: no verdict"
is "$(jq -c '.shm[] | select(.id == 8)' "$T/out")" \
	'{"id":8,"key":"0x00000001","perms":"0600","uid":4294967294,"user":null,"gid":4242,"group":null,"cuid":0,"cuser":"root","cgid":0,"cgroup":"root","ctime":1700000000,"size":"9007199254740993","nattch":1,"status":["dest","locked"],"cpid":4194304,"lpid":4194303,"atime":null,"dtime":null,"rss":"9223372036854775808","swap":9007199254740992,"attached":null,"creator":null,"last":null,"frees_bytes":"9007199254740993","frees_pages":'"$(((1 << 53) / ps + 1))"',"verdict":null,"reasons":null,"age":null}' \
	"crafted shm 8: tabs, wide values, flags, 2^53+1 and INT64_MAX+1 strings, 2^53 a number"
grep -F '"id": 8,' "$T/out" >"$T/line"
ok "$(grep -qF '"size": "9007199254740993",' "$T/line" && grep -qF '"rss": "9223372036854775808", "swap": 9007199254740992, ' "$T/line"; echo $?)" \
	"crafted shm 8: the JSON text has the exact digits"
is "$(jq -c '.msg[] | select(.id == 5)' "$T/out")" \
	'{"id":5,"key":"0x00001234","perms":"0666","uid":4242,"user":null,"gid":4242,"group":null,"cuid":0,"cuser":"root","cgid":0,"cgroup":"root","ctime":1700000000,"used_bytes":"18446744073709551615","messages":3,"lspid":4194304,"lrpid":0,"stime":1700000000,"rtime":null,"last_sender":null,"last_receiver":null,"frees_bytes":"18446744073709551615","verdict":null,"reasons":null,"age":null}' \
	"crafted msg 5: every field"
is "$(jq -c '.msg[] | select(.id == 7) | [.key, .perms, .ctime, .stime]' "$T/out")" '["0x80000000","0600",1700000000,null]' \
	"crafted msg 7: INT32_MIN key, tab separated"
is "$(jq -c '[.scan, .processes, has("fifo"), has("pipe")]' "$T/out")" '[null,null,false,false]' \
	"crafted, --no-owners: no scan, no processes, no fifo or pipe"

# The same files with the process scan: times of 2023 are before this
# boot, so the clock was stepped (doc/kernel-facts.md, "Pid reuse").  pid 4194304 cannot
# exist (PID_MAX_LIMIT) and 4194303 does not in a new PID namespace: they
# have exited, clock or not; nobody maps the crafted shmids here.
ipci --json
is "$rc|$(cat "$T/err")" "0|ipcinspect: warning: $shm_warn
ipcinspect: warning: $msg_warn
ipcinspect: warning: $clock_warn" "crafted, with the scan: a third warning, the clock was stepped"
is "$(jq -c .warnings "$T/out")" "[\"$shm_warn\",\"$msg_warn\",\"$clock_warn\"]" \
	"crafted, with the scan: the same three warnings in JSON"
is "$(jq -c '.shm[] | select(.id == 8) | [.attached, .creator, .last]' "$T/out")" \
	'[[],{"pid":4194304,"tgid":null,"alive":false,"comm":null,"why":"exited"},{"pid":4194303,"tgid":null,"alive":false,"comm":null,"why":"exited"}]' \
	"crafted shm 8, with the scan: attached [], creator and last exited though the clock was stepped"
is "$(jq -c '.shm[] | select(.id == 7) | .attached' "$T/out")" '[]' \
	"crafted shm 7: nattch 3 but nobody here maps shmid 7: attached []"
is "$(jq -c '.msg[] | select(.id == 5) | [.last_sender, .last_receiver]' "$T/out")" \
	'[{"pid":4194304,"tgid":null,"alive":false,"comm":null,"why":"exited"},null]' \
	"crafted msg 5, with the scan: the sender exited; lrpid 0 and no rtime: nobody received"
ipci --raw --noheadings -o ID,CPID,CREATOR,LAST -t shm --id 8
is "$rc|$(cat "$T/out")" '0|shm 8 4194304 4194304\x20(exited) 4194303\x20(exited)' \
	"crafted shm 8, table: pid (exited), blanks escaped in raw mode"

ipci --raw --noheadings -b -o ID,KEY,SIZE,CPID,UID,USER,STATUS -t shm --no-owners
is "$rc|$(cat "$T/out")" "0|shm 7 0x9b573529 18446744073709551615 123 65534 nobody -
shm 8 0x00000001 9007199254740993 4194304 4294967294 4294967294 dest,locked" "crafted shm, table -b: exact values"
is "$(cat "$T/err")" "ipcinspect: warning: $shm_warn" "crafted shm, table: the warning on stderr, only for what was read"
ipci --raw --noheadings -o ID,SIZE,RSS,SWAP -t shm
is "$(cat "$T/out")" "shm 7 16E 8K 0B
shm 8 8P 8E 8P" "crafted shm, table: human sizes of huge values"

# the old layout: 14 columns, no rss and swap
{
	echo '       key      shmid perms       size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime'
	echo '         0          3   600       4096    10    11      1     0     0     0     0 1700000000          0 1700000000'
	echo '         0          4   600       4096    10    11      1     0     0     0     0 1700000000          0 1700000000 0 0'
} >"$T/shm"
ipci --json -t shm --no-owners
is "$rc|$(jq -c '.warnings' "$T/out")" '0|["/proc/sysvipc/shm: 1 line not understood, skipped"]' \
	"14-column shm: a 16-column line does not fit (one line, singular)"
is "$(jq -c '.shm' "$T/out")" \
	'[{"id":3,"key":"0x00000000","perms":"0600","uid":0,"user":"root","gid":0,"group":"root","cuid":0,"cuser":"root","cgid":0,"cgroup":"root","ctime":1700000000,"size":4096,"nattch":1,"status":[],"cpid":10,"lpid":11,"atime":1700000000,"dtime":null,"rss":null,"swap":null,"attached":null,"creator":null,"last":null,"frees_bytes":4096,"frees_pages":'"$(((4096 + ps - 1) / ps))"',"verdict":null,"reasons":null,"age":null}]' \
	"14-column shm: rss and swap null"
ipci --raw --noheadings -o ID,RSS,SWAP -t shm --no-owners
is "$(cat "$T/out")" "shm 3 - -" "14-column shm, table: rss and swap '-'"

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
ipci --json -t msg --no-owners
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
ipci --json -t sem --no-owners
is "$rc|$(cat "$T/err")" "0|ipcinspect: warning: /proc/sysvipc/sem: 1 line not understood, skipped" \
	"crafted sem: exit 0, the short line is the only warning"
is "$(jq -c '[.sem[0] | .id, .nsems, .waiters, .semaphores, .semaphores_error]' "$T/out")" \
	'[32767,1,null,null,"removed during the scan"]' \
	"crafted sem: a set semctl cannot find is listed, with the reason"
is "$(jq -c '.sem[1]' "$T/out")" \
	"{\"id\":$real,\"key\":\"0x00000123\",\"perms\":\"0640\",\"uid\":4242,\"user\":null,\"gid\":4242,\"group\":null,\"cuid\":0,\"cuser\":\"root\",\"cgid\":0,\"cgroup\":\"root\",\"ctime\":1700000000,\"nsems\":2,\"otime\":1700000005,\"waiters\":0,\"semaphores\":[{\"num\":0,\"value\":4,\"pid\":$P,\"ncnt\":0,\"zcnt\":0,\"last\":null},{\"num\":1,\"value\":2,\"pid\":$P,\"ncnt\":0,\"zcnt\":0,\"last\":null}],\"semaphores_error\":null,\"verdict\":null,\"reasons\":null,\"age\":null}" \
	"crafted sem: the real id keeps the text's fields and the kernel's values"
is "$(jq -c '[.sem[2,3] | .id, .nsems, .semaphores, .semaphores_error]' "$T/out")" \
	"[$real,5,null,\"semctl and /proc disagree on the number of semaphores\",$real,1,null,\"semctl and /proc disagree on the number of semaphores\"]" \
	"crafted sem: a wrong nsems is listed without semaphores, with the reason"
ipci --raw --noheadings -o ID,NSEMS,SEMAPHORES -t sem
is "$rc|$(cat "$T/out")" "0|sem 32767 1 -
sem $real 2 4,2
sem $real 5 -
sem $real 1 -" "crafted sem, table: the same"
# with the scan: the helper's pid exists, but times of 2023 mean a stepped
# clock, so whether it is the process that acted is unknown
ipci --json -t sem
is "$rc|$(cat "$T/err")" "0|ipcinspect: warning: /proc/sysvipc/sem: 1 line not understood, skipped
ipcinspect: warning: $clock_warn" "crafted sem, with the scan: the clock was stepped"
is "$(jq -c '[.sem[1].semaphores[].last]' "$T/out")" \
	"[{\"pid\":$P,\"tgid\":null,\"alive\":null,\"comm\":null,\"why\":\"the clock was stepped since boot: pid reuse cannot be judged\"},{\"pid\":$P,\"tgid\":null,\"alive\":null,\"comm\":null,\"why\":\"the clock was stepped since boot: pid reuse cannot be judged\"}]" \
	"crafted sem, with the scan: a live pid under a stepped clock is unknown"

# --- (c) recorded pids judged against crafted times (doc/kernel-facts.md) -----
# S is the second the helper started in, as ipcinspect reads its start
# (right to a tick, in "processes"); the crafted times are set around S
# where the rule's answer does not depend on where in its second the
# helper started: t <= S-2 reused (it started at least 1 s + 20 ms after
# t's second), t = S the same second (alive), t > S started before.  The
# exact boundary, T + 1 s + 20 ms, is test-procscan's.  A zombie (a
# subshell that exits once its parent has stopped itself, so nobody reaps
# it) and pid 4194304, which cannot exist, are gone.  All times are after
# boot and not after now: the clock is not stepped.
btime=$(sed -n 's/^btime //p' /proc/stat)
"$IPCINSPECT" --json -t shm,msg,sem </dev/null >"$T/start.json" 2>/dev/null 7>&- 8>&- 9>&-
json_keep "$T/start.json" "$?" --json -t shm,msg,sem
S=$(jq --argjson p "$P" '.processes[] | select(.pid == $p) | .start' "$T/start.json")
S_ms=$(start_ms_of "$P")
is "$(( S_ms / 1000 - S >= -1 && S_ms / 1000 - S <= 1 ))" 1 \
	"the helper's start in processes is its start from /proc/$P/stat and the clocks ($S_ms ms)"
[ $((S - 3)) -ge "$btime" ] || bail "the helper started less than 3 s after boot"
while [ "$(date +%s)" -le $((S + 4)) ]; do sleep 0.2; done	# S + 3 is in the past
sh -c 'p=$$
	(while [ "$(cut -d" " -f3 /proc/$p/stat)" != T ]; do sleep 0.01; done) &
	echo $! >"$1"
	kill -STOP $$' sh "$T/zpid" </dev/null >/dev/null 2>&1 &
zparent=$!
for i in $(seq 200); do
	Z=$(cat "$T/zpid" 2>/dev/null)
	[ -n "$Z" ] && [ "$(sed 's/.*) //' "/proc/$Z/stat" 2>/dev/null | cut -d' ' -f1)" = Z ] && break
	sleep 0.05
done
is "$(sed 's/.*) //' "/proc/$Z/stat" | cut -d' ' -f1)" Z "a zombie to judge: pid $Z, not reaped by its parent"

{
	echo "$shm_header"
	#     key shmid perms size cpid lpid     nattch uid gid cuid cgid atime        dtime        ctime        rss swap
	echo "  0 20    600   4096 $P    0        0      0   0   0    0    0            0            $((S - 3)) 0   0"
	echo "  0 21    600   4096 $P    $P       0      0   0   0    0    $S           0            $S         0   0"
	echo "  0 22    600   4096 $P    $P       0      0   0   0    0    $((S + 1))   $((S + 2))   $S         0   0"
	echo "  0 23    600   4096 $P    $P       0      0   0   0    0    $((S + 3))   $((S + 1))   $((S - 2)) 0   0"
	echo "  0 24    600   4096 $P    $P       0      0   0   0    0    0            0            $((S + 1)) 0   0"
	echo "  0 25    600   4096 $P    0        0      0   0   0    0    $((S + 3))   0            $((S + 2)) 0   0"
	echo "  0 26    600   4096 $Z    4194304  0      0   0   0    0    $((S + 3))   0            $((S + 3)) 0   0"
} >"$T/shm"
{
	echo "$msg_header"
	#     key msqid perms cbytes qnum lspid    lrpid uid gid cuid cgid stime        rtime        ctime
	echo "  0 30    600   0      0    $P       $Z    0   0   0    0    $((S + 2))   $((S + 3))   $S"
	echo "  0 31    600   0      0    4194304  $P    0   0   0    0    $S           $((S - 3))   $S"
	echo "  0 32    600   0      0    0        0     0   0   0    0    0            0            $S"
} >"$T/msg"
{
	echo "$sem_header"
	# the helper SETVAL'ed both semaphores of the real set: their pid is P
	echo "  0 $real 600 2 0 0 0 0 $((S + 2)) $S"
	echo "  0 $real 600 2 0 0 0 0 0 $((S - 3))"
} >"$T/sem"

gone() {	# gone PID WHY: a judged pid that is gone, as JSON
	printf '{"pid":%d,"tgid":null,"alive":false,"comm":null,"why":"%s"}' "$1" "$2"
}
unknown() {	# unknown PID WHY
	printf '{"pid":%d,"tgid":null,"alive":null,"comm":null,"why":"%s"}' "$1" "$2"
}
alive() {	# alive WHY
	printf '{"pid":%d,"tgid":%d,"alive":true,"comm":"mkipc","why":"%s"}' "$P" "$P" "$1"
}
same() {	# same EVENT
	alive "started in the same second as $1"
}

ipci --json
is "$rc|$(cat "$T/err")" "0|" "judged: exit status 0, no warning (no time before boot)"
is "$(jq -c '[.shm[] | [.id, .creator, .last]]' "$T/out")" \
	"[[20,$(gone "$P" "pid reused by a process started after ctime"),null],[21,$(same ctime),$(same atime)],[22,$(same ctime),$(alive "started before dtime")],[23,$(gone "$P" "pid reused by a process started after ctime"),$(alive "started before atime")],[24,$(alive "started before ctime"),$(unknown "$P" "no atime recorded to judge the pid by")],[25,$(alive "started before ctime"),$(unknown 0 "not visible in this pid namespace")],[26,$(gone "$Z" "exited, not yet reaped (zombie)"),$(gone 4194304 exited)]]" \
	"judged shm: t = S-3 and S-2 reused, t = S the same second, t > S before; no time; pid 0; zombie; exited"
is "$(jq -c '[.shm[].attached]' "$T/out")" '[[],[],[],[],[],[],[]]' "judged shm: nobody maps the crafted shmids"
is "$(jq -c '[.msg[] | [.id, .last_sender, .last_receiver]]' "$T/out")" \
	"[[30,$(alive "started before stime"),$(gone "$Z" "exited, not yet reaped (zombie)")],[31,$(gone 4194304 exited),$(gone "$P" "pid reused by a process started after rtime")],[32,null,null]]" \
	"judged msg: sender and receiver by stime and rtime"
is "$(jq -c '[.sem[] | [.semaphores[].last]]' "$T/out")" \
	"[[$(alive "started before otime"),$(alive "started before otime")],[$(gone "$P" "pid reused by a process started after ctime"),$(gone "$P" "pid reused by a process started after ctime")]]" \
	"judged sem: each semaphore's pid by the later of otime and ctime"
# (the zombie's start: the second its start falls in, or the next or
# previous one within 50 ms of a second's start, where start_ms_of may err)
is "$(jq -c --argjson p "$P" --argjson z "$Z" --argjson zms "$(start_ms_of "$Z")" '[.processes[] | select(.pid == $p or .pid == $z) |
	[.pid, .tgid, .comm, .state, (if .pid == $z and (.start >= (($zms - 50) / 1000 | floor) and .start <= (($zms + 50) / 1000 | floor)) then "Z-start" else .start end)]]' "$T/out")" \
	"[[$P,$P,\"mkipc\",\"S\",$S],[$Z,$Z,\"sh\",\"Z\",\"Z-start\"]]" \
	"judged: processes gives the helper and the zombie, with the start times the rule used"
is "$(jq -c '[.processes[].pid] | index(4194304)' "$T/out")" null "judged: a pid that does not exist has no facts"

# The verdicts from the same evidence: each judged pid in words, in order
# (a reused pid names who has it now); alive (started before, or in the
# same second) is use, a pid that cannot be judged is a gap (unknown), gone
# is neither.  Segments need all of nattch 0, nobody mapping them here and
# no live creator or last user to be orphans; queues and sets are at best
# suspects.  The age is the snapshot time minus the latest IPC time, 0
# when that time is in the future (shm 25 and msg 30 may still be).
verdicts() {	# [id, verdict, reasons, age is time - latest] of every SysV object
	jq -c '.time as $now |
		def latest: [.ctime, .atime, .dtime, .stime, .rtime, .otime] | map(select(. != null)) | max;
		[(.shm[], .msg[], .sem[]) | [.id, .verdict, .reasons, (.age == ([$now - latest, 0] | max))]]' "$T/out"
}
nomap='"nattch 0","no process of this IPC namespace maps it"'
mk_same() {	# mk_same ROLE EVENT
	printf '"%s %d (mkipc) is alive: it started in the same second as %s"' "$1" "$P" "$2"
}
mk_alive() {	# mk_alive ROLE
	printf '"%s %d (mkipc) is alive"' "$1" "$P"
}
mk_reused() {	# mk_reused ROLE EVENT
	printf '"%s %d exited: pid %d now belongs to mkipc, started after %s"' "$1" "$P" "$P" "$2"
}
# 20 and 23: one creator pid, gone, ctimes a second apart: siblings, and
# 23 is in use (its last user lives), so 20 is no orphan (context.h)
is "$(verdicts)" "[[20,\"unknown\",[$nomap,$(mk_reused creator ctime),\"never attached\",\"a sibling (shmid 23, last user mkipc[$P] is alive) is in use\"],true],\
[21,\"in-use\",[$nomap,$(mk_same creator ctime),$(mk_same "last user" atime)],true],\
[22,\"in-use\",[$nomap,$(mk_same creator ctime),$(mk_alive "last user")],true],\
[23,\"in-use\",[$nomap,$(mk_reused creator ctime),$(mk_alive "last user")],true],\
[24,\"in-use\",[$nomap,$(mk_alive creator),\"last user $P: no atime recorded to judge the pid by\"],true],\
[25,\"in-use\",[$nomap,$(mk_alive creator),\"last user is not visible in this pid namespace\"],true],\
[26,\"orphan\",[$nomap,\"creator $Z exited (zombie)\",\"last user 4194304 exited\"],true],\
[30,\"in-use\",[$(mk_alive "last sender"),\"last receiver $Z exited (zombie)\"],true],\
[31,\"suspect\",[\"last sender 4194304 exited\",$(mk_reused "last receiver" rtime)],true],\
[32,\"suspect\",[\"never used\"],true],\
[$real,\"in-use\",[$(mk_alive "semaphore #0: last user")],true],\
[$real,\"suspect\",[$(mk_reused "semaphore #0: last user" ctime)],true]]" \
	"judged: verdicts and reasons from the judged pids; age is time - latest IPC time"
ipci --raw --noheadings -o ID,VERDICT -t shm,msg
is "$rc|$(cat "$T/out" | tr '\n' ' ')" "0|shm 20 unknown shm 21 in-use shm 22 in-use shm 23 in-use shm 24 in-use shm 25 in-use shm 26 orphan  msg 30 in-use msg 31 suspect msg 32 suspect " \
	"judged, table: the verdicts"
ipci --raw --noheadings -o ID,REASONS -t msg --id 31
is "$rc|$(cat "$T/out")" "0|msg 31 last\\x20sender\\x204194304\\x20exited;\\x20last\\x20receiver\\x20$P\\x20exited:\\x20pid\\x20$P\\x20now\\x20belongs\\x20to\\x20mkipc,\\x20started\\x20after\\x20rtime" \
	"judged, table: the reasons joined by '; '"
ipci --raw --noheadings -o ID,CREATOR,LAST -t shm
is "$rc|$(cat "$T/out")" "0|shm 20 $P\\x20(reused) -
shm 21 mkipc[$P] mkipc[$P]
shm 22 mkipc[$P] mkipc[$P]
shm 23 $P\\x20(reused) mkipc[$P]
shm 24 mkipc[$P] $P\\x20(?)
shm 25 mkipc[$P] 0\\x20(?)
shm 26 $Z\\x20(zombie) 4194304\\x20(exited)" "judged shm, table: comm[pid] alive, pid (why) otherwise"
ipci --raw --noheadings -o ID,SENDER,RECEIVER -t msg
is "$rc|$(cat "$T/out")" "0|msg 30 mkipc[$P] $Z\\x20(zombie)
msg 31 4194304\\x20(exited) $P\\x20(reused)
msg 32 - -" "judged msg, table"
ipci --json -t shm,msg,sem --pid "$Z"
is "$rc|$(jq -c '[.shm[].id, .msg[].id, .sem[].id]' "$T/out")" "0|[26,30]" \
	"--pid of the zombie: the objects that recorded it"
ipci --json -t shm,msg --pid 4194304
is "$rc|$(jq -c '[.shm[].id, .msg[].id]' "$T/out")" "0|[26,31]" \
	"--pid of a pid that cannot exist: the objects that recorded it"

# the clock stepped back: an IPC time before boot.  A pid that exists may
# or may not be the actor (unknown); one that is gone or a zombie is gone.
{
	echo "$shm_header"
	echo "  0 40 600 4096 $P $Z 0 0 0 0 0 $((btime - 10)) 0 $((btime - 10)) 0 0"
	echo "  0 41 600 4096 4194304 0 0 0 0 0 0 0 0 $((S + 100)) 0 0"
} >"$T/shm"
echo "$msg_header" >"$T/msg"
echo "$sem_header" >"$T/sem"
ipci --json
is "$rc|$(cat "$T/err")" "0|ipcinspect: warning: $clock_warn" "stepped clock: the warning"
is "$(jq -c '[.shm[] | [.id, .creator, .last]]' "$T/out")" \
	"[[40,$(unknown "$P" "the clock was stepped since boot: pid reuse cannot be judged"),$(gone "$Z" "exited, not yet reaped (zombie)")],[41,$(gone 4194304 exited),null]]" \
	"stepped clock: a live pid is unknown, a zombie and an exited pid are still gone"
is "$(verdicts)" "[[40,\"unknown\",[$nomap,\"creator $P: the clock was stepped since boot: pid reuse cannot be judged\",\"last user $Z exited (zombie)\"],true],\
[41,\"orphan\",[$nomap,\"creator 4194304 exited\",\"never attached\"],true]]" \
	"stepped clock: a pid that cannot be judged makes unknown; gone pids still make an orphan"
is "$(jq -c '[.shm[] | select(.id == 41) | .age, (.ctime > $now)] | tostring' --argjson now "$(date +%s)" "$T/out")" '"[0,true]"' \
	"stepped clock: shm 41's ctime is in the future: age 0"

ipci --json --no-owners
is "$rc|$(cat "$T/err")|$(jq -c '[.warnings, .shm[].creator]' "$T/out")" '0||[[],null,null]' \
	"stepped clock, --no-owners: nothing judged, no warning"

# the clock stepped back after an event: an IPC time later than now.  The
# offset of today's clocks no longer dates that event: a live pid is unknown.
{
	echo "$shm_header"
	echo "  0 42 600 4096 $P 0 0 0 0 0 0 0 0 $(($(date +%s) + 100)) 0 0"
} >"$T/shm"
ipci --json -t shm
is "$rc|$(cat "$T/err")" "0|ipcinspect: warning: an IPC time is later than now: the clock was stepped back, so recorded pids cannot be judged" \
	"clock stepped back: the warning"
is "$(jq -c '[.shm[] | [.id, .creator.alive, .creator.why, .verdict]]' "$T/out")" \
	'[[42,null,"the clock was stepped since boot: pid reuse cannot be judged","unknown"]]' \
	"clock stepped back: a live creator is unknown (alive null), and so is the verdict"
kill -KILL "$zparent"	# stopped: only SIGKILL ends it; this shell reaps the zombie
wait "$zparent" 2>/dev/null
echo "$shm_header" >"$T/shm"

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

# --- (d) the command line, with an orphan present ---------------------------------
# The check that a command takes an option used to stop after 64 options:
# `clean --min-age 0 --fifo-dir /tmp (64 times) -m 1 --yes` took -m and
# removed every orphan.  The FIFO directory here is the test's own, not
# /tmp: a regression must not reach the host's files.
mkipc_start shm:orphan,size=4096,uid=1000,creator=child
orphan=$(mkipc_get orphan.id)
mkdir "$T/fifos"
ipci orphans --json -t shm
is "$(jq -c '[.shm[] | [.id, .verdict]]' "$T/out")" "[[$orphan,\"orphan\"]]" \
	"an orphan to keep: shm $orphan, its creator gone"
ipci clean --min-age 0 $(printf -- "--fifo-dir $T/fifos %.0s" $(seq 64)) -m 1 --yes
is "$rc|$(cat "$T/err")|$(wc -c <"$T/out")" \
	"2|ipcinspect: 'clean' does not take -m
Try 'ipcinspect --help' for more information.|0" \
	"clean, 64 --fifo-dir, -m 1 --yes: refused, exit 2, nothing on stdout"
is "$(ids_of shm)" "$orphan" "clean, 64 --fifo-dir, -m 1 --yes: the orphan is still there"
# any number: 1000 of one option, then one the command does not take; the
# first such option in argv order is the one named
many() { local i; for ((i = 0; i < $1; i++)); do printf '%s\n' "${@:2}"; done; }
mapfile -t dirs < <(many 1000 --fifo-dir "$T/fifos")
mapfile -t jsons < <(many 1000 -J)
while IFS='|' read -r name want args; do
	# shellcheck disable=SC2086 # args: several words
	ipci $args
	is "$rc|$(cat "$T/err")|$(wc -c <"$T/out")|$(ids_of shm)" "2|ipcinspect: $want
Try 'ipcinspect --help' for more information.|0|$orphan" \
		"$name: refused (exit 2), nothing on stdout, the orphan is still there"
done <<EOF2
clean, 1000 --fifo-dir, -m 1 --yes|'clean' does not take -m|clean --min-age 0 ${dirs[*]} -m 1 --yes
clean, 1000 --fifo-dir, --force --yes|'clean' does not take --force|clean --min-age 0 ${dirs[*]} --force --yes
clean, 1000 -J, --shmem-id 1 --yes|'clean' does not take --shmem-id|clean ${jsons[*]} --min-age 0 --shmem-id 1 --yes
clean, 1000 --fifo-dir, --check then -m|'clean' does not take --check|clean ${dirs[*]} --check -m 1 --yes
orphans, 1000 --fifo-dir, --yes|'orphans' does not take --yes|orphans ${dirs[*]} --yes
rm, 1000 -J, --yes|'rm' does not take --yes|rm ${jsons[*]} --yes -m $orphan
EOF2

# --- (e) standard output cannot be written ----------------------------------------
# Every command, with stdout /dev/full: exit 1 and one message (the man
# page's EXIT STATUS), also when objects were removed: the removal
# happened, the status says its report is missing.
full_write="ipcinspect: write error: No space left on device"
to_full() {	# to_full ARGS...: ipcinspect ARGS >/dev/full; rc and $T/err
	"$IPCINSPECT" "$@" </dev/null >/dev/full 2>"$T/err" 7>&- 8>&- 9>&-
	rc=$?
}
for args in --help -V --version "list" "list --json" "-t shm -o ID,KEY,SIZE,NATTCH" \
	"limits" "limits --json" "orphans" "orphans --json" "orphans --check" \
	"clean --min-age 0" "clean --min-age 0 --json"; do
	# shellcheck disable=SC2086 # args: several words
	to_full $args
	is "$rc|$(cat "$T/err")" "1|$full_write" "$args >/dev/full: exit 1, '$full_write'"
done
is "$(ids_of shm)" "$orphan" "the dry runs removed nothing"

# clean --yes: the orphan is gone, and the exit is still 1
to_full clean --min-age 0 --yes --no-syslog
is "$rc|$(cat "$T/err")|$(ids_of shm)" "1|$full_write|" \
	"clean --yes >/dev/full: the orphan is removed, exit 1, '$full_write'"
mkipc_stop
# rm --backup, then restore of that backup, as a dry run and for real
mkipc_start shm:victim,size=4096,uid=1000,creator=child,fill=pattern
victim=$(mkipc_get victim.id)
mkdir -m 0700 "$T/saved"
to_full rm --no-syslog --backup "$T/saved" -m "$victim"
is "$rc|$(cat "$T/err")|$(ids_of shm)|$(ls "$T/saved")" "1|$full_write||shm-$victim" \
	"rm --backup >/dev/full: saved and removed, exit 1, '$full_write'"
to_full restore --no-syslog "$T/saved"
is "$rc|$(cat "$T/err")|$(ids_of shm)" "1|$full_write|" \
	"restore (dry run) >/dev/full: nothing made, exit 1, '$full_write'"
to_full restore --no-syslog --yes --json "$T/saved"
is "$rc|$(cat "$T/err")|$(wc -w <<<"$(ids_of shm)")" "1|$full_write|1" \
	"restore --yes --json >/dev/full: the segment is back, exit 1, '$full_write'"
to_full rm --no-syslog shm "$(ids_of shm)"
is "$rc|$(cat "$T/err")|$(ids_of shm)" "1|$full_write|" \
	"rm shm ID >/dev/full: removed, exit 1, '$full_write'"
mkipc_stop

# --- (f) bidi controls in a name ----------------------------------------------
# U+202E (right-to-left override) shown raw would make "abc<U+202E>fdp.exe"
# read as "abcexe.pdf": escaped like a control byte in the table, even in
# a UTF-8 locale, and as \u202E in JSON (which decodes back to the name).
rlo=$'\xe2\x80\xae'
printf x >"/dev/shm/abc${rlo}fdp.exe"
if LC_ALL=C.UTF-8 locale charmap 2>/dev/null | grep -qx UTF-8; then
	LC_ALL=C.UTF-8 ipci -t pshm -o NAME,PATH --noheadings
	is "$rc|$(cat "$T/err")|$(out | tr -s ' ')" '0||abc\xe2\x80\xaefdp.exe /dev/shm/abc\xe2\x80\xaefdp.exe' \
		"U+202E in a /dev/shm name, C.UTF-8 table: escaped as \\xe2\\x80\\xae in NAME and PATH"
	LC_ALL=C.UTF-8 ipci -t pshm -o NAME --raw --noheadings
	is "$rc|$(out)" '0|pshm abc\xe2\x80\xaefdp.exe' "U+202E, C.UTF-8 --raw table: escaped"
	LC_ALL=C.UTF-8 ipci -t pshm -o NAME --json
	is "$rc|$(grep -o '"name": "[^"]*"' "$T/out")|$(jq -r '.pshm[0].name' "$T/out")" \
		"0|\"name\": \"abc\\u202Efdp.exe\"|abc${rlo}fdp.exe" "U+202E, JSON: \\u202E, which decodes back to the name"
else
	tap_n=$((tap_n + 3)); for i in 3 2 1; do echo "ok $((tap_n - i + 1)) # SKIP no C.UTF-8 locale"; done
fi
ipci -t pshm -o NAME --noheadings
is "$rc|$(out)" '0|abc\xe2\x80\xaefdp.exe' "U+202E, C locale table: escaped"
rm -f "/dev/shm/abc${rlo}fdp.exe"

# --- (g) a --fifo-dir that opens but cannot then be read --------------------
# The directory is opened at the start and read when the FIFOs are
# collected: a failure then (the openat of "." that reads it, failed here
# with EMFILE; the first such openat is the process scan's, of /proc) is a
# warning, never a silently empty directory.
[ -n "${IPCI_PRELOAD:-}" ] || bail "IPCI_PRELOAD is not set"
mkdir "$T/unread" && mkfifo "$T/unread/f1" || bail "mkfifo failed"
unread="--fifo-dir $T/unread: cannot be read: Too many open files: its FIFOs may not all be listed"
IPCI_FAULT='openat@.:2:EMFILE' LD_PRELOAD="$IPCI_PRELOAD" ipci -t fifo --fifo-dir "$T/unread" --json
is "$rc|$(err)|$(jq -c '[.warnings, .fifo]' "$T/out" 2>&1)" \
	"0|ipcinspect: warning: $unread|[[\"$unread\"],[]]" \
	"--fifo-dir read fails (EMFILE): exit 0, the warning on stderr and in JSON, no FIFO"
ipci -t fifo --fifo-dir "$T/unread" -o PATH --noheadings
is "$rc|$(err)|$(out)" "0||$T/unread/f1" "--fifo-dir read without the fault: its FIFO, no warning"
rm -rf "$T/unread"

# a closed pipe is not an error (util-linux's close_stdout): with SIGPIPE
# ignored the write fails with EPIPE, and the exit status is what it was
( trap '' PIPE; "$IPCINSPECT" --help 2>"$T/err" 7>&- 8>&- 9>&- | true; echo "${PIPESTATUS[0]}" >"$T/rc" )
is "$(cat "$T/rc")|$(cat "$T/err")" "0|" "--help into a closed pipe, SIGPIPE ignored: exit 0, no message"
done_testing

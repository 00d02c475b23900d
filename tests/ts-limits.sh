#!/bin/bash
# `ipcinspect limits`: known values written to the per-namespace
# /proc/sys/kernel files, known objects, and the exact JSON (value, used,
# use_percent, unlimited; numbers above 2^53 as strings), the table and -o,
# compared with ipcs -l, ipcs -u and lsipc -g where they show the same
# figures.  fs/mqueue and fs/pipe-* are only read.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"	# bash, even where make runs /bin/sh
. "${TESTS_SRCDIR:?run the tests with make check}/lib.sh" || exit 99
ns_enter "$@"
ns_check_empty
command -v jq >/dev/null || skip_all "jq not installed"
# The sysctls below are written: only ever in the namespace lib.sh made,
# where this script is pid 1 of its own PID namespace.
[ "$$" -eq 1 ] || bail "not inside the private namespace (pid $$): refusing to write /proc/sys"

export LC_ALL=C TZ=UTC
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
K=/proc/sys/kernel


# lim NAME JQ: a jq expression on one limit of the last output
lim() {
	jq -c --arg n "$1" ".limits[\$n] | $2" "$T/out"
}

# Only the ipc namespace's own values are written; writing them may need
# privileges a user namespace lacks.
{
	echo 8 >$K/shmmni && echo 9 >$K/shmall && echo 3 >$K/msgmni &&
		echo 4000 >$K/msgmax && echo 12000 >$K/msgmnb &&
		printf '250 32000 32 128\n' >$K/sem && echo 1 >$K/shm_rmid_forced &&
		echo 77 >$K/msg_next_id
} 2>/dev/null || skip_all "cannot write the IPC sysctls of the namespace"

ps=$(getconf PAGESIZE)
mkipc_start shm:a,size=1 shm:b,size=4097 msg:q,key=0x77 sem:s1,nsems=3 sem:s2,nsems=6
echo 5 >$K/sem_next_id
echo 3000 >$K/shm_next_id
is "$(mkipc_get q.id) $(cat $K/msg_next_id)" "77 -1" "msg_next_id gave the queue id 77, then went back to -1"

# expected shm pages: each segment rounds up to whole pages (1 + 2 with 4 KiB)
pages=$(( (1 + ps - 1) / ps + (4097 + ps - 1) / ps ))
# use% rounded half up to two decimals, as the table shows it ...
pct2() {	# pct2 USED LIMIT
	local h=$(( ($1 * 10000 + $2 / 2) / $2 ))
	printf '%d.%02d' $((h / 100)) $((h % 100))
}
# ... and as jq -c prints the JSON number (25.0 -> 25, 33.30 -> 33.3)
pct() {
	pct2 "$@" | sed 's/0*$//; s/\.$//'
}

ipci limits --json
is "$rc/$(cat "$T/err")" "0/" "limits --json: exit status 0, nothing on stderr"
is "$(jq -c '[keys_unsorted[]]' "$T/out")" '["schema","host","time","ipc_ns","warnings","limits"]' \
	"limits --json: the envelope and limits only"
is "$(jq -c '.limits | keys_unsorted' "$T/out")" \
	'["shmmax","shmall","shmmni","shm_rmid_forced","shm_next_id","msgmax","msgmnb","msgmni","msg_next_id","semmsl","semmns","semopm","semmni","sem_next_id","mqueue_queues_max","mqueue_msg_max","mqueue_msgsize_max","mqueue_msg_default","mqueue_msgsize_default","pipe_max_size","pipe_user_pages_soft","pipe_user_pages_hard"]' \
	"limits --json: every limit, in order"
is "$(jq -c '[.limits[] | keys_unsorted] | unique' "$T/out")" \
	'[["value","unit","used","use_percent","unlimited","description","source"]]' "limits --json: every member of each limit"
is "$(jq -r '.limits | to_entries[] | "\(.key) \(.value.unit) \(.value.source)"' "$T/out")" \
"shmmax bytes /proc/sys/kernel/shmmax
shmall pages /proc/sys/kernel/shmall
shmmni segments /proc/sys/kernel/shmmni
shm_rmid_forced boolean /proc/sys/kernel/shm_rmid_forced
shm_next_id id /proc/sys/kernel/shm_next_id
msgmax bytes /proc/sys/kernel/msgmax
msgmnb bytes /proc/sys/kernel/msgmnb
msgmni queues /proc/sys/kernel/msgmni
msg_next_id id /proc/sys/kernel/msg_next_id
semmsl semaphores /proc/sys/kernel/sem
semmns semaphores /proc/sys/kernel/sem
semopm operations /proc/sys/kernel/sem
semmni sets /proc/sys/kernel/sem
sem_next_id id /proc/sys/kernel/sem_next_id
mqueue_queues_max queues /proc/sys/fs/mqueue/queues_max
mqueue_msg_max messages /proc/sys/fs/mqueue/msg_max
mqueue_msgsize_max bytes /proc/sys/fs/mqueue/msgsize_max
mqueue_msg_default messages /proc/sys/fs/mqueue/msg_default
mqueue_msgsize_default bytes /proc/sys/fs/mqueue/msgsize_default
pipe_max_size bytes /proc/sys/fs/pipe-max-size
pipe_user_pages_soft pages /proc/sys/fs/pipe-user-pages-soft
pipe_user_pages_hard pages /proc/sys/fs/pipe-user-pages-hard" "limits --json: unit and source of each"

# [value, used, use_percent, unlimited] of the SysV limits
check() {	# check NAME EXPECTED
	is "$(lim "$1" '[.value, .used, .use_percent, .unlimited]')" "$2" "limits --json: $1 = $2"
}
check shmmax '["18446744073692774399",null,null,true]'
check shmall "[9,$pages,$(pct "$pages" 9),false]"
check shmmni '[8,2,25,false]'
check shm_rmid_forced '[1,null,null,false]'
check shm_next_id '[3000,null,null,false]'
check msgmax '[4000,null,null,false]'
check msgmnb '[12000,null,null,false]'
check msgmni '[3,1,33.33,false]'
check msg_next_id '[-1,null,null,false]'
check semmsl '[250,null,null,false]'
check semmns '[32000,9,0.03,false]'
check semopm '[32,null,null,false]'
check semmni '[128,2,1.56,false]'
check sem_next_id '[5,null,null,false]'

# the JSON text itself: a percentage is a real, the huge value a string
grep -F '"shmmni": {' "$T/out" >"$T/line"
ok "$(grep -qF '"value": 8, "unit": "segments", "used": 2, "use_percent": 25.0, "unlimited": false' "$T/line"; echo $?)" \
	"limits --json text: shmmni use_percent is written 25.0"
grep -F '"msgmni": {' "$T/out" >"$T/line"
ok "$(grep -qF '"use_percent": 33.33,' "$T/line"; echo $?)" "limits --json text: msgmni use_percent is written 33.33"
grep -F '"shmmax": {' "$T/out" >"$T/line"
ok "$(grep -qF '"value": "18446744073692774399",' "$T/line"; echo $?)" \
	"limits --json text: shmmax 18446744073692774399 is the exact string"

# fs/mqueue and fs/pipe-*: only read; each equals its file
for name in mqueue_queues_max mqueue_msg_max mqueue_msgsize_max mqueue_msg_default \
	mqueue_msgsize_default pipe_max_size pipe_user_pages_soft pipe_user_pages_hard; do
	file=$(lim "$name" .source | tr -d '"')
	want=$(cat "$file")
	unl=false
	case $name in pipe_user_pages_*) [ "$want" -eq 0 ] && unl=true ;; esac
	is "$(lim "$name" '[.value, .used, .use_percent, .unlimited]')" "[$want,null,null,$unl]" \
		"limits --json: $name equals $file ($want)"
done

# --- ipcs -l and ipcs -u -------------------------------------------------------------
LC_ALL=C ipcs -l -b >"$T/ipcs"
ipcs_l() {	# the value after "TEXT = "
	awk -v t="$1" 'index($0, t " = ") == 1 { print substr($0, length(t) + 4) }' "$T/ipcs"
}
v() {	# the value of a limit as text
	jq -r --arg n "$1" '.limits[$n].value' "$T/out"
}
u() {
	jq -r --arg n "$1" '.limits[$n].used' "$T/out"
}
is "$(ipcs_l 'max queues system wide')" "$(v msgmni)" "ipcs -l: msgmni"
is "$(ipcs_l 'max size of message (bytes)')" "$(v msgmax)" "ipcs -l: msgmax"
is "$(ipcs_l 'default max size of queue (bytes)')" "$(v msgmnb)" "ipcs -l: msgmnb"
is "$(ipcs_l 'max number of segments')" "$(v shmmni)" "ipcs -l: shmmni"
is "$(ipcs_l 'max seg size (bytes)')" "$(v shmmax)" "ipcs -l: shmmax (the exact 20-digit value)"
is "$(ipcs_l 'max total shared memory (bytes)')" "$(( $(v shmall) * ps ))" "ipcs -l: shmall times the page size"
is "$(ipcs_l 'max number of arrays')" "$(v semmni)" "ipcs -l: semmni"
is "$(ipcs_l 'max semaphores per array')" "$(v semmsl)" "ipcs -l: semmsl"
is "$(ipcs_l 'max semaphores system wide')" "$(v semmns)" "ipcs -l: semmns"
is "$(ipcs_l 'max ops per semop call')" "$(v semopm)" "ipcs -l: semopm"

LC_ALL=C ipcs -u >"$T/ipcs"
is "$(ipcs_l 'allocated queues')" "$(u msgmni)" "ipcs -u: queues in use"
is "$(awk '/^segments allocated/ { print $3 }' "$T/ipcs")" "$(u shmmni)" "ipcs -u: segments in use"
is "$(awk '/^pages allocated/ { print $3 }' "$T/ipcs")" "$(u shmall)" "ipcs -u: shm pages in use"
is "$(ipcs_l 'used arrays')" "$(u semmni)" "ipcs -u: sets in use"
is "$(ipcs_l 'allocated semaphores')" "$(u semmns)" "ipcs -u: semaphores in use"

# --- lsipc -g ----------------------------------------------------------------------
# lsipc 2.38.1 computes two USED figures its own way, which differ from the
# kernel's counters: SHMALL is the sum of all sizes divided by the page size
# (not each segment rounded up), SEMMNS is the first set's nsems times the
# number of sets.  Only the figures that mean the same thing are compared.
if command -v lsipc >/dev/null; then
	LC_ALL=C lsipc -g -J -b >"$T/lsipc"
	"$IPCINSPECT" limits --raw --noheadings -o NAME,USE% >"$T/pct"
	for pair in MSGMNI:msgmni MSGMAX:msgmax MSGMNB:msgmnb SHMMNI:shmmni SHMALL:shmall \
		SHMMAX:shmmax SEMMNI:semmni SEMMNS:semmns SEMMSL:semmsl SEMOPM:semopm; do
		is "$(jq -r --arg r "${pair%%:*}" '.ipclimits[] | select(.resource == $r) | .limit' "$T/lsipc")" \
			"$(v "${pair#*:}")" "lsipc -g: ${pair%%:*} limit"
	done
	for pair in MSGMNI:msgmni SHMMNI:shmmni SEMMNI:semmni; do
		is "$(jq -r --arg r "${pair%%:*}" '.ipclimits[] | select(.resource == $r) | "\(.used) \(."use%")"' "$T/lsipc")" \
			"$(u "${pair#*:}") $(awk -v n="${pair#*:}" '$1 == n { print $2 }' "$T/pct")" \
			"lsipc -g: ${pair%%:*} used and use%"
	done
else
	for i in $(seq 13); do
		tap_n=$((tap_n + 1)); echo "ok $tap_n # SKIP lsipc not installed"
	done
fi

# --- the table ----------------------------------------------------------------------
ipci limits --raw
is "$rc/$(head -n 1 "$T/out")" "0/NAME VALUE UNIT USED USE% DESCRIPTION" "limits table: default columns"
ipci limits --raw --noheadings -o NAME,VALUE,USED
is "$(head -n 14 "$T/out")" "shmmax unlimited -
shmall 9 $pages
shmmni 8 2
shm_rmid_forced 1 -
shm_next_id 3000 -
msgmax 3.9K -
msgmnb 11.7K -
msgmni 3 1
msg_next_id -1 -
semmsl 250 -
semmns 32000 9
semopm 32 -
semmni 128 2
sem_next_id 5 -" "limits table: NAME,VALUE,USED (human sizes, unlimited, -1)"
ipci limits --raw --noheadings -b -o NAME,VALUE
is "$(grep -E '^(shmmax|msgmax|msgmnb) ' "$T/out")" "shmmax unlimited
msgmax 4000
msgmnb 12000" "limits table: -b gives bytes"
ipci limits --raw --noheadings -o NAME,USE%,UNLIMITED
is "$(grep -E '^(shmmax|shmall|shmmni|msgmni|semmns|semmni|pipe_user_pages_hard) ' "$T/out")" "shmmax - yes
shmall $(pct2 "$pages" 9)% no
shmmni 25.00% no
msgmni 33.33% no
semmns 0.03% no
semmni 1.56% no
pipe_user_pages_hard - $([ "$(cat /proc/sys/fs/pipe-user-pages-hard)" -eq 0 ] && echo yes || echo no)" \
	"limits table: USE% with two decimals, UNLIMITED yes/no"

# --- -o in JSON ---------------------------------------------------------------------
ipci limits --json -o VALUE,USED
is "$rc/$(jq -c '[.limits[] | keys_unsorted] | unique' "$T/out")" '0/[["value","used"]]' \
	"limits --json -o VALUE,USED: only those members"
is "$(lim shmmni .)" '{"value":8,"used":2}' "limits --json -o VALUE,USED: shmmni"
ipci limits --json -o unlimited,SOURCE
is "$(lim shmmax .)" '{"unlimited":true,"source":"/proc/sys/kernel/shmmax"}' \
	"limits --json -o unlimited,SOURCE: case-insensitive, in the given order"

# --- around 2^53 and the kernel's "unlimited" ---------------------------------------------
# jq reads numbers as doubles, so the JSON text is checked too.
text_of() {	# the "NAME": {...} line of the last output
	grep -F "\"$1\": {" "$T/out" | sed 's/^ *//; s/,$//'
}
echo 9007199254740993 >$K/shmmax
echo 9007199254740992 >$K/shmall
ipci limits --json -o VALUE,UNLIMITED
is "$(text_of shmmax)" '"shmmax": {"value": "9007199254740993", "unlimited": false}' "2^53+1 is a string"
is "$(text_of shmall)" '"shmall": {"value": 9007199254740992, "unlimited": false}' "2^53 is a number"
LC_ALL=C ipcs -l -b >"$T/ipcs"
is "$(ipcs_l 'max seg size (bytes)')" 9007199254740993 "ipcs -l agrees on shmmax 2^53+1"

echo 9007199254740992 >$K/shmmax
echo 9007199254740993 >$K/shmall
ipci limits --json -o VALUE,UNLIMITED,USE%
is "$(text_of shmmax)" '"shmmax": {"value": 9007199254740992, "unlimited": false, "use_percent": null}' "shmmax 2^53: a number"
is "$(text_of shmall)" '"shmall": {"value": "9007199254740993", "unlimited": false, "use_percent": 0.0}' \
	"shmall 2^53+1: a string, use_percent 0.0"

echo 18446744073692774398 >$K/shmmax
echo 18446744073692774399 >$K/shmall
ipci limits --json -o VALUE,USED,UNLIMITED,USE%
is "$(text_of shmmax)" '"shmmax": {"value": "18446744073692774398", "used": null, "unlimited": false, "use_percent": null}' \
	"shmmax one below the kernel default: not unlimited"
is "$(text_of shmall)" "\"shmall\": {\"value\": \"18446744073692774399\", \"used\": $pages, \"unlimited\": true, \"use_percent\": null}" \
	"shmall at the kernel default: unlimited, the exact string, no use_percent"
ipci limits --raw --noheadings -o NAME,VALUE,USED
is "$(grep -E '^shm(max|all) ' "$T/out")" "shmmax 16E -
shmall unlimited $pages" "limits table: one below the default is a size, the default is unlimited"

echo 18446744073709551615 >$K/shmmax
ipci limits --json -o VALUE,UNLIMITED
is "$(text_of shmmax)" '"shmmax": {"value": "18446744073709551615", "unlimited": true}' "shmmax ULONG_MAX: unlimited, exact string"

mkipc_stop
done_testing

#!/bin/bash
# --namespace PID and --all-namespaces, live, in a private IPC + PID +
# mount namespace.  Inside it, two more IPC namespaces: A (unshare --ipc:
# the same PID and mount namespaces as ours, so it has no init of its own)
# and B (unshare --ipc --pid --fork --mount-proc: its init is the helper,
# with an mqueue file system of its own), each holding SysV objects made by
# tests/helpers/mkipc run inside it and by ipcmk(1) run there with
# nsenter(1), ids colliding with ours (every namespace counts from 0), keys
# and sizes distinct.  Checked against the kernel seen from inside each
# namespace (/proc/sysvipc through nsenter, stat -L of /proc/PID/ns/ipc):
# --all-namespaces lists each object once, under its own namespace (ours at
# the top level), with the namespace's lowest pid, its init, its limits,
# and attachments matched within it only; the table with its section
# headings; --namespace lists, limits, cleans and removes in that
# namespace only; the usage errors; and an unprivileged user.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"	# bash, even where make runs /bin/sh
. "${TESTS_SRCDIR:?run the tests with make check}/lib.sh" || exit 99
ns_enter "$@"
ns_check_empty
command -v jq >/dev/null || skip_all "jq not installed"
command -v nsenter >/dev/null || skip_all "nsenter not installed"
command -v ipcmk >/dev/null || skip_all "ipcmk not installed"
command -v ps >/dev/null || skip_all "ps not installed"
# this test mounts an mqueue file system (in B's mount namespace) and
# writes /proc/sys/kernel/msgmni (in A): only as pid 1 of the private pid
# (and mount) namespace lib.sh made
[ "$$" -eq 1 ] || bail "not pid 1 of a private pid namespace: refusing to mount or write /proc/sys"

export LC_ALL=C TZ=UTC
T=$(mktemp -d)
chmod 755 "$T"
STARTED=()	# every process this test started that may still run
trap 'for p in "${STARTED[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$T"' EXIT
export T MKIPC

close_inherited_fds

skip_unless_sibling_setns

MC=${MKIPC##*/}
MC=${MC:0:15}
NP="no process of this IPC namespace maps it"
TRY="Try 'ipcinspect --help' for more information."
PAGE=$(getconf PAGESIZE)
pages() { local s n=0; for s; do n=$((n + (s + PAGE - 1) / PAGE)); done; echo $n; }	# pages SIZE...
U1=1000

# ============================================================================
# 0. Helpers in three IPC namespaces.  Each waits on a FIFO held on its own
# fd (ours 9, A's 8, B's 7: ipci closes them all) and never inherits the
# others' (so closing one ends that helper alone).
# ============================================================================
# start_in NAME FD COMMAND...: COMMAND (one that ends in mkipc) in the
# background, stdin a FIFO held open here on FD, output in $T/NAME.out
start_in() {
	local name=$1 fd=$2 pid
	shift 2
	mkfifo "$T/$name.in"
	"$@" <"$T/$name.in" >"$T/$name.out" 2>"$T/$name.err" 7>&- 8>&- 9>&- &
	pid=$!
	STARTED+=("$pid")
	eval "exec $fd>\"\$T/$name.in\""
	printf -v "P_$name" %s "$pid"
}
wait_ready() {	# wait_ready NAME: until its helper printed "ready"
	local i=0 p="P_$1"
	while ! grep -qx ready "$T/$1.out" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 200 ] || ! kill -0 "${!p}" 2>/dev/null; then
			cat "$T/$1.err" >&2
			bail "helper $1 did not get ready"
		fi
		sleep 0.05
	done
}
get() { sed -n "s/^$2=//p" "$T/$1.out" | head -n 1; }	# get NAME FIELD
stop_in() {	# stop_in NAME FD: EOF to its helper, then wait for it
	local p="P_$1"
	eval "exec $2>&-"
	wait "${!p}" 2>/dev/null
}
in_ns() {	# in_ns PID COMMAND...: COMMAND in the IPC namespace of PID
	local p=$1
	shift
	nsenter --ipc="/proc/$p/ns/ipc" "$@" </dev/null 7>&- 8>&- 9>&-
}
ns_of() { stat -L -c %i "/proc/$1/ns/ipc"; }

# Every helper sleeps first, so that what it makes is clearly made after it
# started (doc/kernel-facts.md, "Pid reuse"): its live objects are in use, not unknown.
#   ours  shm 0 (key 0x1100, 4096 bytes), POSIX queue /ownq (held)
#   A     shm 0 (key 0x2200, 8192 bytes, attached by the helper), msg 0
#         (key 0x2201, 1 message from the helper)
#   B     shm 0 (key 0x3300, 12288 bytes), sem 0 (key 0x3301, 3
#         semaphores), POSIX queue /inb (held) on B's own mqueue mount
start_in own 9 "$MKIPC" sleep:3200 shm:own,key=0x1100,size=4096 pmq:ownq,path=/ownq
start_in a 8 unshare --ipc "$MKIPC" sleep:3200 shm:a,key=0x2200,size=8192,attach=1,dontfork \
	msg:qa,key=0x2201,send=1:8
# shellcheck disable=SC2016
start_in b 7 unshare --ipc --pid --fork --mount-proc \
	sh -c 'mount -t mqueue ipci-mqueue-b "$IPCI_MQUEUE" && exec "$@"' sh \
	"$MKIPC" sleep:3200 shm:b,key=0x3300,size=12288 sem:sb,key=0x3301,nsems=3 pmq:inb,path=/inb
wait_ready own
wait_ready a
wait_ready b
# shellcheck disable=SC2154 # set by start_in
H=$P_own HA=$P_a PB=$P_b
IB=$(ps -o pid= --ppid "$PB" | tr -d ' ')	# B's init: unshare's child, the helper
is "$(get own pid)|$(get a pid)|$(get b pid)|$(ps -o comm= -p "$IB")|$(ps -o comm= -p "$PB")" \
	"$H|$HA|1|$MC|unshare" \
	"the helpers: ours and A's are the processes started, B's is pid 1 of its PID namespace (an unshare's child)"
N0=$(ns_of $$) NA=$(ns_of "$HA") NB=$(ns_of "$PB")
is "$(ns_of "$H")|$(ns_of "$IB")|$([ "$N0" != "$NA" ] && [ "$N0" != "$NB" ] && [ "$NA" != "$NB" ] && echo distinct)" \
	"$N0|$NB|distinct" "three IPC namespaces: ours (our helper's), A's and B's (B's unshare and its init)"

# ipcmk(1) in each namespace: a segment (creator exited: an orphan), a
# queue and a set never used (suspects).  A's msgmni differs from ours.
in_ns $$ ipcmk -M 16384 >/dev/null && in_ns $$ ipcmk -Q >/dev/null && in_ns $$ ipcmk -S 2 >/dev/null ||
	bail "ipcmk in our namespace"
in_ns "$HA" ipcmk -M 20480 >/dev/null && in_ns "$HA" ipcmk -Q >/dev/null &&
	in_ns "$HA" ipcmk -S 1 >/dev/null || bail "ipcmk in A"
in_ns "$PB" ipcmk -M 24576 >/dev/null && in_ns "$PB" ipcmk -Q >/dev/null || bail "ipcmk in B"
in_ns "$HA" sh -c 'echo 1234 >/proc/sys/kernel/msgmni' || bail "cannot write msgmni in A"

# The kernel's view from inside a namespace: "shm[ID:KEY:SIZE ...]
# msg[ID:KEY ...] sem[ID:KEY:NSEMS ...]", keys as ipcinspect writes them.
kview() {	# kview PID
	local kind k id n out="" sep
	for kind in shm msg sem; do
		out+="${kind}["
		sep=
		while read -r k id n; do
			out+="$sep$id:$(printf '0x%08x' $((k & 0xffffffff)))"
			[ "$kind" = msg ] || out+=":$n"
			sep=" "
		done < <(in_ns "$1" awk 'NR > 1 { print $1, $2, $4 }' "/proc/sysvipc/$kind")
		out+="] "
	done
	echo "${out% }"
}
# the same from the JSON in $T/out: FILTER selects the namespace's object
JVIEW='"shm[" + ([.shm[] | "\(.id):\(.key):\(.size)"] | join(" ")) + "] msg[" + ([.msg[] | "\(.id):\(.key)"] | join(" ")) + "] sem[" + ([.sem[] | "\(.id):\(.key):\(.nsems)"] | join(" ")) + "]"'
jview() { jq -r "$1 | $JVIEW" "$T/out"; }
sec() { echo ".namespaces[] | select(.ipc_ns == $1)"; }	# sec NS: that section
# the creator of a segment, from inside its namespace (our pid numbers)
cpid_of() {	# cpid_of PID ID
	in_ns "$1" awk -v id="$2" 'NR > 1 && $2 == id { print $5 }' /proc/sysvipc/shm
}
key_of() {	# key_of PID KIND ID
	local k
	k=$(in_ns "$1" awk -v id="$3" 'NR > 1 && $2 == id { print $1 }' "/proc/sysvipc/$2")
	printf '0x%08x' $((k & 0xffffffff))
}

K0=$(kview $$) KA=$(kview "$HA") KB=$(kview "$PB")
KEY0=$(key_of $$ shm 1) KEYA=$(key_of "$HA" shm 1) KEYB=$(key_of "$PB" shm 1)
ok "$([[ $K0 == "shm[0:0x00001100:4096 1:$KEY0:16384] msg[0:0x"*"] sem[0:0x"*":2]" &&
	$KA == "shm[0:0x00002200:8192 1:$KEYA:20480] msg[0:0x00002201 1:0x"*"] sem[0:0x"*":1]" &&
	$KB == "shm[0:0x00003300:12288 1:$KEYB:24576] msg[0:0x"*"] sem[0:0x00003301:3]" ]]; echo $?)" \
	"the kernel, from inside each: ids from 0 in every namespace (shm 0 and 1, msg 0, sem 0 in all three), distinct keys and sizes"

# ============================================================================
# 1. --all-namespaces --json
# ============================================================================
# lowest_in NS: the lowest pid whose IPC namespace is NS (stat(1) of the links)
lowest_in() {
	local p
	for p in /proc/[0-9]*; do
		[ "$(stat -L -c %i "$p/ns/ipc" 2>/dev/null)" = "$1" ] && echo "${p#/proc/}"
	done | sort -n | head -n 1
}
is "$(lowest_in "$NA")|$(lowest_in "$NB")" "$HA|$PB" \
	"oracle: A's lowest pid is its helper, B's the unshare (its init's parent)"

ipci --all-namespaces --json
# A shares our mount namespace: the mqueue mount it sees is ours, not its own
WA="POSIX message queues of IPC namespace $NA: no mqueue mount of its own is visible: they cannot be listed"
is "$rc|$(err)|$(jq -c .warnings "$T/out")|$(jq .ipc_ns "$T/out")" "0|ipcinspect: warning: $WA|[\"$WA\"]|$N0" \
	"--all-namespaces --json: exit 0, one warning (A's queues cannot be seen), ipc_ns ours"
is "$(jq -c '[.namespaces[] | [.ipc_ns, .pid, .comm, .init, .error]]' "$T/out")" \
	"[[$NA,$HA,\"$MC\",null,null],[$NB,$PB,\"unshare\",{\"pid\":$IB,\"comm\":\"$MC\"},null]]" \
	"namespaces: A and B only, by lowest pid: ipc_ns (stat -L of /proc/PID/ns/ipc), pid, comm, init (B's only), no error"
is "$(jq -c '[.namespaces[] | keys_unsorted] | unique' "$T/out")" \
	'[["ipc_ns","pid","comm","init","container","unit","error","limits","shm","msg","sem","pmq"]]' \
	"each namespace: ipc_ns, pid, comm, init, container, unit, error, limits, then its SysV kinds and its POSIX queues"
is "$(jview .)" "$K0" "our objects stay at the top level: exactly what the kernel lists in our namespace"
is "$(jview "$(sec "$NA")")" "$KA" "A's section: exactly what the kernel lists inside A"
is "$(jview "$(sec "$NB")")" "$KB" "B's section: exactly what the kernel lists inside B"
is "$(jq -c '[.shm[0], (.namespaces[] | .shm[0]) | [.id, .key, .nattch, .attached]]' "$T/out")" \
	"[[0,\"0x00001100\",0,[]],[0,\"0x00002200\",1,[{\"pid\":$HA,\"comm\":\"$MC\",\"user\":\"root\",\"mappings\":1}]],[0,\"0x00003300\",0,[]]]" \
	"attachments within each namespace: A's helper maps A's segment 0 only; our segment 0 and B's show nobody"
is "$(jq -r '.shm[0], (.namespaces[] | .shm[0]) | "\(.verdict): \(.reasons | join("; "))"' "$T/out")" \
	"in-use: nattch 0; $NP; creator $H ($MC) is alive; never attached
in-use: nattch 1; mapped by $MC[$HA]; creator $HA ($MC) is alive; last user $HA ($MC) is alive
in-use: nattch 0; $NP; creator $IB ($MC) is alive; never attached" \
	"segment 0 of each, judged in its own namespace (B's creator as our pid namespace numbers it)"
is "$(jq -r "$(sec "$NA") | .msg[0] | \"\(.verdict): \(.reasons | join(\"; \"))\"" "$T/out")" \
	"in-use: 1 message waiting; last sender $HA ($MC) is alive" "A's queue 0: in use, A's helper sent to it"

# limits, read inside each: counts of its own objects, A's msgmni of its own
lim() { jq -c "$1 | .limits | [.shmmni.used, .shmall.used, .msgmni.value, .msgmni.used, .semmni.used, .semmns.used]" "$T/out"; }
MSGMNI=$(cat /proc/sys/kernel/msgmni)
is "$(lim .)|$(lim "$(sec "$NA")")|$(lim "$(sec "$NB")")" \
	"[2,$(pages 4096 16384),$MSGMNI,1,1,2]|[2,$(pages 8192 20480),1234,2,1,1]|[2,$(pages 12288 24576),$MSGMNI,1,1,3]" \
	"limits of each namespace, read inside it: segments, pages, msgmni (1234 in A only), queues, sets, semaphores"

# POSIX queues: B's own, read through the mqueue mount its process sees
is "$(jq -c "[$(sec "$NB") | .pmq[] | [.name, .path]]" "$T/out")" "[[\"inb\",\"/proc/$PB/root$IPCI_MQUEUE/inb\"]]" \
	"B's POSIX queues: /inb, through B's own mqueue mount as B's process sees it"
is "$(jq -c "[$(sec "$NB") | .pmq[] | [.holders, .verdict]]" "$T/out")" \
	"[[[{\"pid\":$IB,\"comm\":\"$MC\",\"user\":\"root\",\"fd\":$(get b inb.fd | cut -d: -f2),\"mapped\":false}],\"in-use\"]]" \
	"B's queue /inb: held by B's helper, in use (its mount's holders looked for once B was found)"
is "$(jq -c '[.pmq[].name, (.namespaces[] | [.ipc_ns, (.pmq | if . == null then null else .[].name end)])]' "$T/out")" \
	"[\"ownq\",[$NA,null],[$NB,\"inb\"]]" \
	"each POSIX queue once: ours at the top level; A has no mqueue mount of its own: null, not ours again"

# orphans: each namespace's orphans and suspects, in its own section
ipci orphans --all-namespaces --json -t shm,msg,sem
OV='[.shm[], .msg[], .sem[] | [.id, .key, .verdict]]'
is "$rc|$(jq -c "[($OV), (.namespaces[] | [.ipc_ns, $OV])]" "$T/out")" \
	"0|[[[1,\"$KEY0\",\"orphan\"],[0,\"$(key_of $$ msg 0)\",\"suspect\"],[0,\"$(key_of $$ sem 0)\",\"suspect\"]],[$NA,[[1,\"$KEYA\",\"orphan\"],[1,\"$(key_of "$HA" msg 1)\",\"suspect\"],[0,\"$(key_of "$HA" sem 0)\",\"suspect\"]]],[$NB,[[1,\"$KEYB\",\"orphan\"],[0,\"$(key_of "$PB" msg 0)\",\"suspect\"],[0,\"0x00003301\",\"suspect\"]]]]" \
	"orphans --all-namespaces: ipcmk's objects of each namespace (and B's set, never operated on), under it; nothing in use"
is "$(jq -r "$(sec "$NA") | .shm[0] | \"\(.verdict): \(.reasons | join(\"; \"))\"" "$T/out")" \
	"orphan: nattch 0; $NP; creator $(cpid_of "$HA" 1) exited; never attached" \
	"orphans: A's ipcmk segment, its creator gone"

# without --all-namespaces: no namespaces member, our objects only
ipci --json -t shm,msg,sem
is "$rc|$(jq -c 'has("namespaces")' "$T/out")|$(jview .)" "0|false|$K0" \
	"without --all-namespaces: no namespaces member, our objects only"

# ============================================================================
# 2. The table: our kinds, then each namespace under its heading.
# ============================================================================
# the heading names the container of each namespace's process, or the
# host: what the JSON says of it (tests/ts-container.sh checks that
# against cgroups made for it; these processes are in the test's own)
ipci --all-namespaces -J -t shm
where_of() {	# where_of NS: "host" or "container RUNTIME:ID12"
	out | jq -r --arg ns "$1" '.namespaces[] | select(.ipc_ns == ($ns | tonumber)) |
		if .container == null then "host"
		else "container \(.container.runtime):\(.container.id // .container.name | .[0:12])" end'
}
WHERE_A=$(where_of "$NA") WHERE_B=$(where_of "$NB")
ipci --all-namespaces -t shm,msg,sem -o ID,KEY,VERDICT
is "$rc|$(err)" "0|" "--all-namespaces, table: exit 0, nothing on stderr"
# (the aligned table, blanks squeezed: raw rows do not say their namespace)
is "$(out | tr -s ' ' | sed 's/^ //')" "Shared memory segments: 2
ID KEY VERDICT
0 0x00001100 in-use
1 $KEY0 orphan

Message queues: 1
ID KEY VERDICT
0 $(key_of $$ msg 0) suspect

Semaphore sets: 1
ID KEY VERDICT
0 $(key_of $$ sem 0) suspect

== IPC namespace $NA, $WHERE_A (process $HA $MC)

Shared memory segments: 2
ID KEY VERDICT
0 0x00002200 in-use
1 $KEYA orphan

Message queues: 2
ID KEY VERDICT
0 0x00002201 in-use
1 $(key_of "$HA" msg 1) suspect

Semaphore sets: 1
ID KEY VERDICT
0 $(key_of "$HA" sem 0) suspect

== IPC namespace $NB, $WHERE_B (process $PB unshare, init $IB $MC)

Shared memory segments: 2
ID KEY VERDICT
0 0x00003300 in-use
1 $KEYB orphan

Message queues: 1
ID KEY VERDICT
0 $(key_of "$PB" msg 0) suspect

Semaphore sets: 1
ID KEY VERDICT
0 0x00003301 suspect" \
	"--all-namespaces, table: our kinds, then '== IPC namespace N (process P COMM[, init Q COMM])' and that namespace's kinds"
ipci --all-namespaces -t shm -n -o ID,KEY,SIZE,ATTACHED
is "$(out)" " 0 0x00001100   4K -
 1 $KEY0  16K -
 0 0x00002200   8K $MC[$HA]
 1 $KEYA  20K -
 0 0x00003300  12K -
 1 $KEYB  24K -" \
	"--all-namespaces -n: no headings, the rows of every namespace in turn; segment 0 attached in A only"

# ============================================================================
# 3. --namespace PID: list, limits, clean and rm inside that namespace.
# ============================================================================
ipci --namespace "$HA" --json -t shm,msg,sem
is "$rc|$(err)|$(jq -c '[.ipc_ns, has("namespaces")]' "$T/out")|$(jview .)" "0||[$NA,false]|$KA" \
	"--namespace A --json: ipc_ns A's, no namespaces member, exactly A's objects at the top level"
is "$(jq -c '.shm[0].attached' "$T/out")" "[{\"pid\":$HA,\"comm\":\"$MC\",\"user\":\"root\",\"mappings\":1}]" \
	"--namespace A: A's segment 0 is mapped by A's helper"
ipci --namespace "$IB" --json -t shm,msg,sem,pmq
is "$rc|$(err)|$(jq -c '[.ipc_ns, has("namespaces")]' "$T/out")|$(jview .)" "0||[$NB,false]|$KB" \
	"--namespace B's init --json: exactly B's objects"
is "$(jq -c "[.shm[0].attached, [.pmq[] | [.name, .path, .verdict, [.holders[].pid]]]]" "$T/out")" \
	"[[],[[\"inb\",\"/proc/$IB/root$IPCI_MQUEUE/inb\",\"in-use\",[$IB]]]]" \
	"--namespace B: B's segment 0 mapped by nobody; B's queue /inb through B's mount, held by B's helper"
ipci --namespace "$HA" limits --json
is "$rc|$(jq .ipc_ns "$T/out")|$(lim .)" "0|$NA|[2,$(pages 8192 20480),1234,2,1,1]" \
	"--namespace A limits: A's limits and usage"

# clean: A's orphan and suspects go, nothing else anywhere
CA=$(cpid_of "$HA" 1)
want="removed shm 1 key $KEYA owner root size 20K: orphan: nattch 0; $NP; creator $CA exited; never attached
removed msg 1 key $(key_of "$HA" msg 1) owner root size 0B: suspect: never used
removed sem 0 key $(key_of "$HA" sem 0) owner root: suspect: no semaphore was ever operated on
3 removed (20K freed), 0 marked, 0 kept, 0 skipped, 0 already gone, 0 failed"
ipci --namespace "$HA" clean --yes --min-age 0 --include-root --suspects --no-syslog
is "$rc|$(err)|$(out)" "0||$want" \
	"--namespace A clean --yes --suspects --include-root: A's orphan segment, queue 1 and set 0 removed, the rest kept"
KA2="shm[0:0x00002200:8192] msg[0:0x00002201] sem[]"
is "$(kview $$)|$(kview "$HA")|$(kview "$PB")" "$K0|$KA2|$KB" \
	"after the clean, the kernel: A lost those three; ours and B's (same ids) untouched"
ipci --all-namespaces --json -t shm,msg,sem
is "$(jview .)|$(jview "$(sec "$NA")")|$(jview "$(sec "$NB")")" "$K0|$KA2|$KB" \
	"after the clean, --all-namespaces says the same"

# rm: ids that exist in every namespace, removed in B's only
want="removed shm 1 key $KEYB owner root size 24K: orphan: nattch 0; $NP; creator $(cpid_of "$PB" 1) exited; never attached
removed msg 0 key $(key_of "$PB" msg 0) owner root size 0B: suspect: never used
2 removed (24K freed), 0 marked, 0 kept, 0 skipped, 0 already gone, 0 failed"
ipci --namespace "$PB" rm -m 1 -q 0 --no-syslog
is "$rc|$(err)|$(out)" "0||$want" "--namespace B rm -m 1 -q 0: B's segment 1 and queue 0 removed"
KB2="shm[0:0x00003300:12288] msg[] sem[0:0x00003301:3]"
is "$(kview $$)|$(kview "$HA")|$(kview "$PB")" "$K0|$KA2|$KB2" \
	"after the rm, the kernel: our segment 1 and queue 0, and A's queue 0, untouched"
ipci --namespace "$HA" rm shm 1 --no-syslog
is "$rc|$(out)|$(err)" "1||ipcinspect: rm shared memory segment 1: no shared memory segment with id 1
ipcinspect: rm: 1 of 1 argument failed the checks: nothing was removed" \
	"--namespace A rm shm 1: A's segment 1 is gone (ours is not): nothing removed, exit 1"
is "$(kview $$)" "$K0" "and our segment 1 is still there"

# ============================================================================
# 4. Errors.
# ============================================================================
[ -e /proc/999999 ] && bail "pid 999999 exists"
ipci --namespace 999999
is "$rc|$(out)|$(err)" "1||ipcinspect: --namespace 999999: no process 999999" \
	"--namespace 999999: exit 1, one line: no process 999999"
ipci --namespace x
is "$rc|$(out)|$(err)" "2||ipcinspect: invalid pid 'x' for --namespace
$TRY" "--namespace x: usage error, exit 2"
ipci --namespace 0
is "$rc|$(err)" "2|ipcinspect: invalid pid '0' for --namespace
$TRY" "--namespace 0: usage error, exit 2"
ipci --all-namespaces --no-owners
is "$rc|$(out)|$(err)" "2||ipcinspect: --all-namespaces finds the namespaces with the process scan: it cannot go with --no-owners
$TRY" "--all-namespaces --no-owners: usage error, exit 2"
ipci --all-namespaces --namespace 1
is "$rc|$(out)|$(err)" "2||ipcinspect: --namespace and --all-namespaces cannot be used together
$TRY" "--all-namespaces --namespace 1: usage error, exit 2"
ipci limits --all-namespaces
is "$rc|$(err)" "2|ipcinspect: 'limits' does not take --all-namespaces
$TRY" "limits --all-namespaces: usage error, exit 2"

# ============================================================================
# 5. An unprivileged user (uid 1000).  It cannot read root's processes,
# so it sees no other namespace; with a process of its own in A it sees A
# but may not enter it.
# ============================================================================
asuser=(setpriv --reuid="$U1" --regid="$U1" --clear-groups)
if [ -z "${IPCI_USERNS:-}" ] && "${asuser[@]}" "$IPCINSPECT" --version >/dev/null 2>&1; then
	ipcu() { "${asuser[@]}" "$IPCINSPECT" "$@" </dev/null >"$T/out" 2>"$T/err" 7>&- 8>&- 9>&-; rc=$?; json_keep "$T/out" "$rc" "$@"; }
	ipcu --all-namespaces --json -t shm,msg,sem
	is "$rc|$(jq -c .namespaces "$T/out")|$(jview .)" "0|[]|$K0" \
		"unprivileged --all-namespaces: exit 0, our namespace only"
	is "$(grep -c '^ipcinspect: warning: --all-namespaces: .*needs root' "$T/err")" 1 \
		"unprivileged --all-namespaces: a warning that it needs root"
	ipcu --namespace "$HA"
	is "$rc|$(out)|$(wc -l <"$T/err")|$(grep -c "^ipcinspect: --namespace $HA: .*root" "$T/err")" "1||1|1" \
		"unprivileged --namespace (a root process): exit 1, one line naming root"

	# a process of uid 1000 in A: the scan sees A
	nsenter --ipc="/proc/$HA/ns/ipc" "${asuser[@]}" sleep 1000 </dev/null >/dev/null 2>&1 7>&- 8>&- 9>&- &
	S=$!
	STARTED+=("$S")
	for _ in $(seq 100); do [ "$(ns_of "$S" 2>/dev/null)" = "$NA" ] && [ "$(ps -o comm= -p "$S")" = sleep ] && break; sleep 0.05; done
	is "$(ns_of "$S")|$(ps -o uid=,comm= -p "$S" | tr -s ' ')" "$NA| $U1 sleep" "a sleep of uid $U1 in A"
	ipcu --all-namespaces --json -t shm,msg,sem
	is "$rc|$(jq -c .namespaces "$T/out")|$(jview .)" "0|[]|$K0" \
		"unprivileged --all-namespaces, with a process of its own in A: exit 0, our namespace only"
	is "$(grep -- '--all-namespaces' "$T/err")|$(jq -c '[.warnings[] | select(startswith("--all-namespaces"))]' "$T/out")" \
		"ipcinspect: warning: --all-namespaces: entering another IPC namespace needs root: only this one is listed|[\"--all-namespaces: entering another IPC namespace needs root: only this one is listed\"]" \
		"and a warning: entering another namespace needs root"
	ipcu --namespace "$S"
	is "$rc|$(out)|$(err)" "1||ipcinspect: --namespace $S: entering the IPC namespace of process $S needs root (CAP_SYS_ADMIN)" \
		"unprivileged --namespace (its own process in A): exit 1, one line naming root"
	kill "$S"
	wait "$S" 2>/dev/null
else
	for _ in 1 2 3 4 5 6 7; do
		tap_n=$((tap_n + 1))
		echo "ok $tap_n # SKIP uid $U1 cannot run $IPCINSPECT here"
	done
fi

# ============================================================================
# 6. The end: once their last process is gone, A and B are gone.
# ============================================================================
stop_in b 7
stop_in a 8
ipci --all-namespaces --json -t shm,msg,sem
is "$rc|$(jq -c .namespaces "$T/out")|$(jview .)" "0|[]|$K0" \
	"once the helpers of A and B exited: no other namespace, ours unchanged"
stop_in own 9
STARTED=()	# all ended
in_ns $$ ipcrm -m 1 -q 0 -s 0 || bail "ipcrm of ipcmk's objects"
is "$(kview $$)" "shm[] msg[] sem[]" "our namespace is empty again"

done_testing

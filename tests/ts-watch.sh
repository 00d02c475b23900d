#!/bin/bash
# `ipcinspect watch`, live, in a private IPC + PID + mount namespace: two
# watchers (JSON Lines and text) run while the script creates a segment,
# attaches a second process, detaches it, kills the creator, removes the
# segment; creates and removes a message queue, a semaphore set and a
# POSIX segment with a hostile name; fills kernel.shmmni (lowered to 5 in
# this namespace) past 80 % and 100 % and back.  After each step the
# script waits (bounded) until both watchers printed what it expects;
# then the whole event list is compared, in order, field by field, and
# every line must be one JSON object (ts-schema validates each against
# the schema) or one line of text.  SIGTERM and SIGINT end a watcher with
# exit 0 and a whole last line; `watch | head -1` ends at once; bad
# arguments exit 2 with one line; /dev/full exits 1 with one line.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"	# bash, even where make runs /bin/sh
. "${TESTS_SRCDIR:?run the tests with make check}/lib.sh" || exit 99
ns_enter "$@"
ns_check_empty
command -v jq >/dev/null || skip_all "jq not installed"
command -v ipcmk >/dev/null || skip_all "ipcmk not installed"
[ "$$" -eq 1 ] || bail "not inside the private namespace (pid $$)"

export LC_ALL=C TZ=UTC
T=$(mktemp -d)
WJ= WT= HB=
trap 'for p in $WJ $WT $HB; do kill -9 "$p" 2>/dev/null; done; rm -rf "$T"' EXIT

echo 5 >/proc/sys/kernel/shmmni || bail "cannot lower kernel.shmmni in the namespace"

# wait_lines N: until both watchers printed N lines (10 s at most)
wait_lines() {
	local i=0
	while [ "$(wc -l <"$T/w.json")" -lt "$1" ] || [ "$(wc -l <"$T/w.txt")" -lt "$1" ]; do
		i=$((i + 1))
		if [ $i -gt 1000 ]; then
			echo "# timeout waiting for $1 events; JSON has $(wc -l <"$T/w.json"):"
			sed 's/^/#   /' "$T/w.json" | cut -c1-200
			return 1
		fi
		sleep 0.01
	done
}

# helper NAME ARGS...: a mkipc of our own (several at once), fd 3N its stdin
start_helper() {
	local name=$1
	shift
	mkfifo "$T/$name.in"
	"$MKIPC" "$@" <"$T/$name.in" >"$T/$name.out" 2>"$T/$name.err" &
	eval "${name}_pid=$!"
	eval "exec {${name}_fd}>\"\$T/\$name.in\""
	helper_wait_ready "$!" "$T/$name.out" "$T/$name.err" "$name"
}
helper_val() { sed -n "s/^$2=//p" "$T/$1.out" | head -n 1; }

# the files first: a background job's redirection may come after the
# first wc of a wait (a missing file ends the wait at once)
: >"$T/w.json"
: >"$T/w.txt"
"$IPCINSPECT" watch --json --interval 200ms >"$T/w.json" 2>"$T/w.json.err" </dev/null &
WJ=$!
"$IPCINSPECT" watch --interval 200ms >"$T/w.txt" 2>"$T/w.txt.err" </dev/null &
WT=$!
sleep 0.5	# nothing yet: an empty namespace has no event
n=0

# a segment, its creator alive and attached
start_helper a shm:a,attach=1
ID=$(helper_val a a.id)
A=$a_pid
wait_lines $((n += 1))
# a second process attaches it, then detaches (it exits)
start_helper b "shm:b,id=$ID,size=4096,attach=1"
B=$b_pid
wait_lines $((n += 1))
eval "exec ${b_fd}>&-"
wait "$B"
wait_lines $((n += 2))	# B detached, and B (its last user) exited
# the creator is killed: its attachment goes, it exited, the verdict turns
kill -9 "$A"
wait "$A" 2>/dev/null
eval "exec ${a_fd}>&-"
wait_lines $((n += 3))
ipcrm -m "$ID"
wait_lines $((n += 1))

Q=$(ipcmk -Q | sed -n 's/.*id: //p')
wait_lines $((n += 1))
ipcrm -q "$Q"
wait_lines $((n += 1))
S=$(ipcmk -S 1 | sed -n 's/.*id: //p')
wait_lines $((n += 1))
ipcrm -s "$S"
wait_lines $((n += 1))

hostile=$'w\n\e[31mx'
: >"/dev/shm/$hostile"
wait_lines $((n += 1))
rm -f "/dev/shm/$hostile"
wait_lines $((n += 1))

# kernel.shmmni is 5: the fourth segment reaches 80 %, the fifth 100 %
for i in 1 2 3 4; do
	M[i]=$(ipcmk -M 4096 | sed -n 's/.*id: //p')
done
wait_lines $((n += 5))
M[5]=$(ipcmk -M 4096 | sed -n 's/.*id: //p')
wait_lines $((n += 2))
ipcrm -m "${M[1]}" -m "${M[2]}"	# 3 of 5: back below 80 %
wait_lines $((n += 3))
ipcrm -m "${M[3]}" -m "${M[4]}" -m "${M[5]}"
wait_lines $((n += 3))
sleep 0.5	# and nothing more comes

kill -TERM "$WJ"
wait "$WJ"
is "$?" 0 "watch --json: SIGTERM ends it with exit 0"
WJ=
kill -INT "$WT"
wait "$WT"
is "$?" 0 "watch (text): SIGINT ends it with exit 0"
WT=
is "$(cat "$T/w.json.err" "$T/w.txt.err")" "" "nothing on stderr"
json_keep "$T/w.json" 0 watch --json

# the whole list, one summary line per event
SUMMARY='[.event, .kind, (.id // .name // .limit.name | tostring),
	((.pids // []) | map(.pid | tostring) | join(",")),
	(.actor.pid // "" | tostring), ((.actor.roles // []) | join(",")),
	(.previous.verdict // ""), (if .event == "verdict-changed" then .verdict else "" end),
	(.previous.nattch // "" | tostring), (.nattch // "" | tostring),
	(.limit.threshold // "" | tostring), (.limit.direction // "")] | join(" ")'
got=$(jq -r "$SUMMARY" "$T/w.json" 2>&1)
# ev EVENT KIND ID PIDS ACTOR ROLES WAS VERDICT NATTCH_WAS NATTCH THRESHOLD DIRECTION
ev() {
	local IFS=' '
	echo "$*"
}
want=$(
	ev created shm "$ID" "" "" "" "" "" "" 1 "" ""
	ev attached shm "$ID" "$B" "" "" "" "" 1 2 "" ""
	ev detached shm "$ID" "$B" "" "" "" "" 2 1 "" ""
	ev last-user-exited shm "$ID" "" "$B" last "" "" "" 1 "" ""
	ev detached shm "$ID" "$A" "" "" "" "" 1 0 "" ""
	ev creator-exited shm "$ID" "" "$A" creator "" "" "" 0 "" ""
	ev verdict-changed shm "$ID" "" "" "" in-use orphan "" 0 "" ""
	ev removed shm "$ID" "" "" "" "" "" "" 0 "" ""
	ev created msg "$Q" "" "" "" "" "" "" "" "" ""
	ev removed msg "$Q" "" "" "" "" "" "" "" "" ""
	ev created sem "$S" "" "" "" "" "" "" "" "" ""
	ev removed sem "$S" "" "" "" "" "" "" "" "" ""
	ev created pshm "$hostile" "" "" "" "" "" "" "" "" ""
	ev removed pshm "$hostile" "" "" "" "" "" "" "" "" ""
	for i in 1 2 3 4; do
		ev created shm "${M[i]}" "" "" "" "" "" "" 0 "" ""
	done
	ev limit limits shmmni "" "" "" "" "" "" "" 80 up
	ev created shm "${M[5]}" "" "" "" "" "" "" 0 "" ""
	ev limit limits shmmni "" "" "" "" "" "" "" 100 up
	ev removed shm "${M[1]}" "" "" "" "" "" "" 0 "" ""
	ev removed shm "${M[2]}" "" "" "" "" "" "" 0 "" ""
	ev limit limits shmmni "" "" "" "" "" "" "" 80 down
	for i in 3 4 5; do
		ev removed shm "${M[i]}" "" "" "" "" "" "" 0 "" ""
	done
)
is "$got" "$want" "every event once, in order, with its fields"
is "$(jq -c 'select(.event == "limit") | .limit | [.name, .value, .used, .threshold, .direction]' \
	"$T/w.json" | tr '\n' ' ')" \
	'["shmmni",5,4,80,"up"] ["shmmni",5,5,100,"up"] ["shmmni",5,3,80,"down"] ' \
	"limit events: value, usage, threshold and direction"
is "$(jq -r 'select(.event == "creator-exited") | .actor.comm, .creator.alive' "$T/w.json" |
	tr '\n' ' ')" "mkipc false " "creator-exited names the comm it had; the object says it is gone"
is "$(jq -r 'select(.event == "attached") | [.attached[].pid] | join(",")' "$T/w.json")" \
	"$A,$B" "attached: the object as list shows it, both holders"
is "$(jq -c 'select(.kind != "limits") | keys' "$T/w.json" | jq -s -c 'map(index("event") != null and
	index("time") != null and index("ipc_ns") != null) | unique')" "[true]" \
	"every event has event, time and ipc_ns"

# the text watcher: the same events, one line each, untrusted bytes escaped
is "$(wc -l <"$T/w.txt")" "$(wc -l <"$T/w.json")" "text: one line per event"
is "$(cut -d' ' -f2-4 "$T/w.txt")" \
	"$(jq -r '[.event, .kind, (.id // .name // .limit.name | tostring |
		gsub("\n"; "\\n") | gsub("\u001b"; "\\x1b"))] | join(" ")' "$T/w.json")" \
	"text: the same events in the same order, the name escaped"
is "$(grep -c $'\e' "$T/w.txt")" 0 "text: no escape character reaches the terminal"
is "$(grep -c '^20[0-9-]*T[0-9:]*[+-][0-9:]* ' "$T/w.txt")" "$(wc -l <"$T/w.txt")" \
	"text: every line starts with an ISO time"
is "$(grep '^[^ ]* creator-exited ' "$T/w.txt" | cut -d' ' -f2-)" \
	"creator-exited shm $ID creator $A (mkipc) exited" "text: creator-exited names pid and comm"

# present: what exists at the start
ipcmk -M 4096 >/dev/null
: >"$T/p.json"
"$IPCINSPECT" watch --json --interval 200ms >"$T/p.json" 2>"$T/p.err" </dev/null &
WJ=$!
i=0
while [ "$(wc -l <"$T/p.json")" -lt 1 ] && [ $i -lt 1000 ]; do sleep 0.01; i=$((i + 1)); done
kill -TERM "$WJ"
wait "$WJ"
is "$?/$(jq -r '.event + " " + .kind' "$T/p.json")" "0/present shm" "at the start: a present event"
WJ=
json_keep "$T/p.json" 0 watch --json
ipcrm -a

# the cadence: with a few objects the tables are read every interval, so
# an attachment that changes no count is seen at the next one (within 7 s
# at 2 s; were they read every 10 intervals, it would take up to 20 s)
start_helper c shm:c,attach=1
CID=$(helper_val c c.id)
: >"$T/c.json"
"$IPCINSPECT" watch --json --interval 2s >"$T/c.json" 2>"$T/c.err" </dev/null &
WJ=$!
i=0
while [ "$(wc -l <"$T/c.json")" -lt 1 ] && [ $i -lt 1000 ]; do sleep 0.01; i=$((i + 1)); done
sleep 2.5	# past the look that follows the first
start_helper d "shm:d,id=$CID,size=4096,attach=1"
i=0
while ! grep -q '"event":"attached"' "$T/c.json" && [ $i -lt 700 ]; do sleep 0.01; i=$((i + 1)); done
is "$(jq -r '.event' "$T/c.json" | tr '\n' ' ')" "present attached " \
	"a few objects: an attachment that changes no count is seen within an interval or two"
kill -TERM "$WJ"
wait "$WJ"
WJ=
eval "exec ${d_fd}>&- ${c_fd}>&-"
wait "$d_pid" "$c_pid"
ipcrm -a

# a look that fails after the first is said once and tried again: the
# watch goes on (/proc/sysvipc hidden for a while, as a failing read)
P0=$(ipcmk -M 4096 | sed -n 's/.*id: //p')
: >"$T/f.json"
"$IPCINSPECT" watch --json --interval 100ms >"$T/f.json" 2>"$T/f.err" </dev/null &
WJ=$!
i=0
while [ "$(wc -l <"$T/f.json")" -lt 1 ] && [ $i -lt 1000 ]; do sleep 0.01; i=$((i + 1)); done
mount -t tmpfs ipci-hide /proc/sysvipc || bail "cannot hide /proc/sysvipc"
i=0
while ! grep -q "cannot read" "$T/f.err" && [ $i -lt 700 ]; do sleep 0.01; i=$((i + 1)); done
sleep 0.5	# five more failing looks
umount /proc/sysvipc
# made by a helper that stays, not by ipcmk: a creator that exits right
# after would add creator-exited and verdict-changed, or not, by timing
start_helper g shm:g
F=$(helper_val g g.id)
i=0
while ! grep -q '"event":"created"' "$T/f.json" && [ $i -lt 700 ]; do sleep 0.01; i=$((i + 1)); done
kill -TERM "$WJ"
wait "$WJ"
is "$?|$(cat "$T/f.err")|$(jq -r '.event + " " + (.id | tostring)' "$T/f.json" | tr '\n' ' ')" \
	"0|ipcinspect: cannot read /proc/sysvipc/shm: No such file or directory|present $P0 created $F " \
	"a look that fails later: said once, the watch goes on and sees what comes next"
WJ=
eval "exec ${g_fd}>&-"
wait "$g_pid"
ipcrm -a

# a reader that leaves: the watch ends at once, idle or not
ipcmk -M 4096 >/dev/null
start=$SECONDS
timeout 10 "$IPCINSPECT" watch --interval 1s </dev/null 2>"$T/h.err" | head -n 1 >"$T/h.out"
st=("${PIPESTATUS[@]}")
case ${st[0]} in 0 | 141) st=ok ;; *) st=${st[0]} ;; esac
is "$(cut -d' ' -f2-3 "$T/h.out")/$st/$(cat "$T/h.err")" "present shm/ok/" \
	"watch | head -1: one line, then exit 0 (the reader left) or SIGPIPE"
(trap '' PIPE; timeout 10 "$IPCINSPECT" watch --interval 1s </dev/null 2>"$T/h.err" |
	head -n 1 >/dev/null; exit "${PIPESTATUS[0]}")
is "$?/$(cat "$T/h.err")" "0/" "watch | head -1 with SIGPIPE ignored: exit 0, nothing said"
[ $((SECONDS - start)) -lt 8 ]
ok $? "both ended promptly"
ipcrm -a

# bad input
for args in "--interval 0" "--interval x" "--interval 1h30" "--interval -1s" "extra" \
	"-o ID" "--raw" "--sort ID" "--pairs" "--no-owners" "--interval 90000s"; do
	# shellcheck disable=SC2086
	timeout 10 "$IPCINSPECT_BIN" watch $args </dev/null >"$T/out" 2>"$T/err"
	is "$?/$(wc -l <"$T/out")/$(grep -c . "$T/err")" "2/0/2" "watch $args: exit 2, one line (and the hint)"
done
is "$(head -n 1 "$T/err")" "ipcinspect: invalid interval '90000s' (like 500ms, 1s, 90s, 10m; not 0)" \
	"an interval over a day is refused"
timeout 10 "$IPCINSPECT_BIN" watch --raw </dev/null 2>&1 >/dev/null | head -n 1 >"$T/err"
is "$(cat "$T/err")" "ipcinspect: 'watch' does not take --raw" "--raw: said as the other commands say it"
ipcmk -M 4096 >/dev/null
timeout 10 "$IPCINSPECT" watch --json </dev/null >/dev/full 2>"$T/err"
is "$?/$(cat "$T/err")" "1/ipcinspect: write error: No space left on device" \
	"watch --json >/dev/full: exit 1, one line"
ipcrm -a

done_testing

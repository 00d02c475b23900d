#!/bin/bash
# The table and the terminal's width, live (ipcinspect(1), "Table width"):
# one population of every kind, made by tests/helpers/mkipc in private
# namespaces (a segment attached by 14, a set of 250 semaphores, pipes and
# a FIFO with several ends, the POSIX kinds, a listening Unix socket and
# its connections, a memfd, actors that exited), listed in JSON, then as
# a table through a real pty (script(1)) at 80 and 200 columns, through
# $COLUMNS where the pty has no size, at 40, with --notruncate, and into
# a file.  For every object of the JSON, its row is found in the table and
# checked by tests/helpers/table-check.py: every id, key and inode whole,
# every pid a cell shows whole and the pid of the JSON at that place, each
# list its first items in order and then exactly "+N more" with N the
# holders left out (SEMAPHORES ",… (250)"), no line longer than the
# terminal, and with --notruncate or no terminal every list whole.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"	# bash, even where make runs /bin/sh
. "${TESTS_SRCDIR:?run the tests with make check}/lib.sh" || exit 99
ns_enter "$@"
ns_check_empty
command -v jq >/dev/null || skip_all "jq not installed"
command -v python3 >/dev/null || skip_all "python3 not installed"
command -v script >/dev/null || skip_all "script (util-linux) not installed"

# C.UTF-8 where there is one: the ellipsis of SEMAPHORES, one cell
if locale -a 2>/dev/null | grep -qix 'c.utf-\?8'; then
	export LC_ALL=C.UTF-8 ELLIPSIS=$'\u2026'
else
	export LC_ALL=C ELLIPSIS=...
fi
export TZ=UTC
# short paths: at 80 columns the FIFO and socket rows leave room for lists
T=$(mktemp -d /tmp/t.XXXX)
trap 'rm -rf "$T"' EXIT
export T MKIPC

close_inherited_fds
CHECK="$TESTS_SRCDIR/helpers/table-check.py"

mkipc_start "sem:s,nsems=250,values=$(seq -s: 0 249)" \
	"shm:a,attach=2,children=12" "shm:c,creator=child" \
	"msg:q,childsend=1:10,childrecv=1" \
	"pipe:p,ends=both" "pipe:pc,ends=child" \
	"fifo:f,path=$T/f,open=r+w+cr+cw" \
	"pshm:x,path=/x,fd,map" "psem:y,path=/y,wait" "pmq:z,path=/z,send=2,notify" \
	"unix:u,kind=listen,path=$T/s,clients=5" "memfd:m,map"
# the objects the checker looks at: the pipes the helper made (the
# shell's own come and go), everything else in the namespace
export PIPES="$(mkipc_get p.inode) $(mkipc_get pc.inode)"

ipci -J
is "$rc" 0 "list -J: exit 0"
cp "$T/out" "$T/json"
is "$(jq -c '[([.shm[].attached | length] | max), (.sem[0].semaphores | length),
	.msg[0].last_sender.alive, (.unix | length)]' "$T/json")" "[13,250,false,11]" \
	"the population: 13 processes attaching a segment, 250 semaphores, a sender gone, 11 sockets"

# pty WIDTH ARGS...: the table as a terminal of WIDTH columns shows it
# (its stdin /dev/null, fd 9 closed: no holder of the helper's FIFO)
pty() {
	local w=$1
	shift
	(
		exec 9>&-
		script -qec "stty cols $w; exec $IPCINSPECT $*" /dev/null </dev/null |
			tr -d '\r' >"$T/table"
	)
}

# check MODE WIDTH NAME: the table in $T/table against the JSON
check() {
	local line
	while IFS= read -r line; do
		case $line in
		"ok "*) ok 0 "$3: ${line#ok }" ;;
		"not ok "*) ok 1 "$3: ${line#not ok }" ;;
		*) echo "# $line" ;;
		esac
	done < <(python3 "$CHECK" "$1" "$2" "$T/json" "$T/table")
}

for w in 80 200; do
	pty "$w"
	check fit "$w" "pty of $w columns"
done
pty 80
grep -q " +1[0-9] more$" "$T/table"
ok $? "pty of 80 columns: ATTACHED ends with its count"
grep -q ",$ELLIPSIS (250)$" "$T/table"
ok $? "pty of 80 columns: SEMAPHORES ends with ,$ELLIPSIS (250)"

# no size on the pty: libsmartcols reads $COLUMNS
(
	exec 9>&-
	script -qec "stty cols 0 rows 0; COLUMNS=80 exec $IPCINSPECT" /dev/null </dev/null |
		tr -d '\r' >"$T/table"
)
check fit 80 "pty without a size, COLUMNS=80"
cp "$T/table" "$T/columns80"
pty 80
# the same table but for the pipes, some of which the shell and script(1)
# of each run hold
no_pipes() { sed '/^Pipes: /,/^$/d' "$1"; }
is "$(no_pipes "$T/columns80")" "$(no_pipes "$T/table")" \
	"COLUMNS=80 on a pty without a size: the table of an 80-column pty"

# too narrow for even the first item: it is shown, whole, and the lines
# grow; ids, keys and pids still whole
pty 40
check narrow 40 "pty of 40 columns"

# --notruncate: every list whole, whatever the width
pty 80 --notruncate
check whole 80 "pty of 80 columns, --notruncate"
is "$(grep -c "^ *0 0x00000000 .*,[0-9]*,[0-9]*$" "$T/table")" 1 \
	"--notruncate: the 250 values on the set's line"

# not a terminal: nothing shortened, as libsmartcols, with any COLUMNS
COLUMNS=80 "$IPCINSPECT" </dev/null >"$T/table" 9>&-
is "$?" 0 "into a file: exit 0"
check whole 80 "into a file, COLUMNS=80"

# the JSON is never shortened: the same document with --notruncate, byte
# for byte but for the snapshot's time and the ages, which move with the
# clock between the runs (and for pmq with each run's own read of the
# queue's file)
clockless() { sed -E 's/"(time|age)": [0-9]+/"\1": N/g' "$1"; }
ipci -J
clockless "$T/out" >"$T/json1"
ipci -J --notruncate
clockless "$T/out" >"$T/json2"
cmp -s "$T/json1" "$T/json2"
ok $? "-J and -J --notruncate: the same bytes, times and ages aside"
diff "$T/json1" "$T/json2" | head -n 6 | sed 's/^/# /'
is "$(grep -o '"\(age\|time\)": N' "$T/json1" | wc -l)" \
	"$(jq '[.. | objects | select(.age | type == "number")] | length + 1' "$T/out")" \
	"-J: only the ages and the time set aside"

mkipc_stop
done_testing

#!/bin/bash
# Pipe and FIFO holders against util-linux lsfd, an oracle nobody here
# wrote: for the same processes of a private namespace, every pipe or FIFO
# fd lsfd reports (pid, fd, read/write mode) is reported by ipcinspect
# under the same inode (and, for FIFOs, device, path and deleted flag), and
# nothing more.  One line of text per pipe or FIFO from each tool; any
# holder that differs fails that object's check.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"	# bash, even where make runs /bin/sh
. "${TESTS_SRCDIR:?run the tests with make check}/lib.sh" || exit 99
ns_enter "$@"
ns_check_empty
command -v jq >/dev/null || skip_all "jq not installed"
command -v lsfd >/dev/null || skip_all "lsfd (util-linux 2.38+) not installed"
lsfd --json -o PID -p $$ >/dev/null 2>&1 || skip_all "lsfd cannot read this namespace"

export LC_ALL=C TZ=UTC
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

close_inherited_fds

# Every kind of end: a pipe between two processes, both ends in one, only
# a reader, only a writer, ends held by processes whose main thread exited
# (lsfd needs --threads for those: a zombie leader's own fd directory is
# empty), FIFOs read and written across processes, O_RDWR in two
# processes, unlinked while open, and written with nobody reading.
mkipc_start \
	pipe:pc,ends=child \
	pipe:pb,ends=both \
	pipe:pr,ends=read \
	pipe:pw,ends=write \
	pipe:pm,ends=both,mainexit \
	pipe:pcm,ends=child,mainexit \
	"fifo:f1,path=$T/f1,open=r+cw" \
	"fifo:f2,path=$T/f2,open=rw+crw" \
	"fifo:f3,path=$T/f3,open=r+w+cr,unlink" \
	"fifo:f4,path=$T/f4,open=w+w"

# The processes compared: everything in the namespace now (this shell, the
# helper and its children), not the tools about to run.
procs=(/proc/[0-9]*)
pids="${procs[*]#/proc/}"
pids_json=$(echo "$pids" | jq -sc '.')

# lsfd: one line per pipe or FIFO, "pipe INODE" or "fifo DEV INODE deleted
# PATH", then its holders "pid:fd:mode" sorted (mode r, w or rw).  With
# --threads a process's fds show once per thread: unique per (pid, fd).
lsfd --threads --json -o PID,ASSOC,MODE,TYPE,DEV,INODE,NAME,DELETED -p "$pids" \
	</dev/null >"$T/lsfd.json" 2>"$T/lsfd.err" 9>&-
is "$?/$(cat "$T/lsfd.err")" "0/" "lsfd: exit status 0, nothing on stderr"
jq -r '
	[.lsfd[] | select(.type == "FIFO" and (.assoc | test("^[0-9]+$")))
	 | {pid, fd: (.assoc | tonumber), dev, inode, deleted,
	    pipe: (.name | startswith("pipe:[")),
	    path: (.name | if endswith(" (deleted)") then .[:-10] else . end),
	    m: ({"r--": "r", "-w-": "w", "rw-": "rw"}[.mode] // .mode)}]
	| unique_by([.pid, .fd])
	| group_by([.dev, .inode])[]
	| (if .[0].pipe then "pipe \(.[0].inode)"
	   else "fifo \(.[0].dev) \(.[0].inode) \(.[0].deleted) \(.[0].path)" end)
	  + " " + (sort_by([.pid, .fd]) | map("\(.pid):\(.fd):\(.m)") | join(" "))
' "$T/lsfd.json" | sort >"$T/theirs"

# ipcinspect: the same lines from --json, holders of the same processes.
"$IPCINSPECT" --json -t fifo,pipe </dev/null >"$T/ours.json" 2>"$T/err" 9>&-
rc=$?
json_keep "$T/ours.json" "$rc" --json -t fifo,pipe
is "$rc/$(cat "$T/err")" "0/" "ipcinspect: exit status 0, nothing on stderr"
jq -r --argjson pids "$pids_json" '
	def holders: [(.readers[] | {pid, fd, m: "r"}), (.writers[] | {pid, fd, m: "w"})]
		| map(select(.pid as $p | $pids | index($p)))
		| group_by([.pid, .fd])
		| map({pid: .[0].pid, fd: .[0].fd, m: (map(.m) | sort | join(""))})
		| sort_by([.pid, .fd])
		| map("\(.pid):\(.fd):\(.m)") | join(" ");
	(.pipe[] | select(holders != "") | "pipe \(.inode) \(holders)"),
	(.fifo[] | select(holders != "") | "fifo \(.dev) \(.inode) \(.deleted) \(.path) \(holders)")
' "$T/ours.json" | sort >"$T/mine"

# lsfd must have seen what the helper made, or the comparison proves nothing
for name in pc pb pr pw pm pcm; do
	ino=$(mkipc_get "$name.inode")
	grep -q "^pipe $ino " "$T/theirs" || echo "pipe $name ($ino)"
done >"$T/missing"
for name in f1 f2 f3 f4; do
	ino=$(mkipc_get "$name.inode")
	grep -q "^fifo $(mkipc_get "$name.dev") $ino " "$T/theirs" || echo "fifo $name ($ino)"
done >>"$T/missing"
is "$(cat "$T/missing")" "" "lsfd reports every pipe and FIFO the helper made"

# the same objects, keyed by kind and inode
keys() { awk '{ print ($1 == "pipe") ? $1 " " $2 : $1 " " $2 " " $3 }' "$1"; }
is "$(keys "$T/mine" | tr '\n' ',')" "$(keys "$T/theirs" | tr '\n' ',')" \
	"the same pipes and FIFOs, by inode, held by the namespace's processes"

# one check per object: its holders, pid, fd and mode, must be the same
while read -r kind a b _; do
	if [ "$kind" = pipe ]; then
		key="pipe $a "
	else
		key="fifo $a $b "
	fi
	is "$(grep -F "$key" "$T/mine")" "$(grep -F "$key" "$T/theirs")" "${key% }: the same holders as lsfd"
done <"$T/theirs"

# spot checks of the comparison itself: the modes are what the helper opened
is "$(grep "^fifo $(mkipc_get f2.dev) $(mkipc_get f2.inode) " "$T/theirs" | cut -d' ' -f6-)" \
	"$(mkipc_get f2.rw):rw $(mkipc_get f2.crw):rw" "lsfd: the FIFO opened O_RDWR in two processes is rw in both"
is "$(grep "^fifo $(mkipc_get f3.dev) $(mkipc_get f3.inode) " "$T/theirs" | cut -d' ' -f4,5)" \
	"true $T/f3" "lsfd: the unlinked FIFO is deleted, its name without ' (deleted)'"
is "$(grep "^pipe $(mkipc_get pcm.inode) " "$T/theirs" | cut -d' ' -f3-)" \
	"$(mkipc_get pcm.r):r $(mkipc_get pcm.w):w" "lsfd --threads: the writer whose main thread exited is seen"

mkipc_stop
done_testing

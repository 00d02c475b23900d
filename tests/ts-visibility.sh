#!/bin/bash
# Visibility (doc/kernel-facts.md, "Visibility"), live: objects held only
# by processes of this test's PID namespace, listed from a child PID
# namespace (where those processes are not visible) and from this one.
# - a pipe whose writer is outside and whose reader is inside;
# - a FIFO and a POSIX shm object held open only from outside;
# - a SysV segment attached only from outside (nattch 1).
# From inside: no absence is claimed (no no-writers flag, holders null
# rather than [], unknown rather than suspect, the reason given, a
# warning, scan.incomplete_because), and clean removes nothing.  From
# outside: every holder named.  --no-outside-holders inside gives the
# verdicts of a host again.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"	# bash, even where make runs /bin/sh
. "${TESTS_SRCDIR:?run the tests with make check}/lib.sh" || exit 99
ns_enter "$@"
ns_check_empty
command -v jq >/dev/null || skip_all "jq not installed"
command -v nsenter >/dev/null || skip_all "nsenter not installed"
[ "$$" -eq 1 ] || bail "not pid 1 of a private pid namespace"

export LC_ALL=C TZ=UTC
T=$(mktemp -d)
STARTED=()
trap 'kill -9 "${STARTED[@]}" 2>/dev/null; rm -rf "$T"' EXIT
export T MKIPC
close_inherited_fds
NOTVIS="processes outside this PID namespace are not visible"

# The objects, held from this namespace only.
mkdir "$T/fd"
mkfifo "$T/fd/vis.fifo"
: >/dev/shm/vis
sleep 1000 5<>/dev/shm/vis 6<>"$T/fd/vis.fifo" </dev/null >/dev/null 2>&1 7>&- 8>&- 9>&- &
HOLDER=$!
STARTED+=("$HOLDER")
mkipc_start shm:att,key=0x7f01,attach=1
H=$(mkipc_get pid) ATT=$(mkipc_get att.id)
# the pipe: its writer here, its reader pid 1 of a child PID namespace
# (unshare itself, here, holds the read end too)
unshare --pid --fork --mount-proc sleep 1000 < <(exec sleep 1000 2>/dev/null 7>&- 8>&- 9>&-) \
	>/dev/null 2>&1 7>&- 8>&- 9>&- &
STARTED+=("$!")
# the reader: a sleep in another PID namespace; the pipe's ends as an
# oracle: every process here with fd 0 (readers) or fd 1 (writer) on it
ours=$(stat -L -c %i /proc/self/ns/pid)
for _ in $(seq 100); do
	IN=
	for p in /proc/[0-9]*; do
		[ "$(cat "$p/comm" 2>/dev/null)" = sleep ] &&
			[ "$(stat -L -c %i "$p/ns/pid" 2>/dev/null)" != "$ours" ] && IN=${p#/proc/}
	done
	[ -n "$IN" ] && break
	sleep 0.05
done
[ -n "$IN" ] || bail "the reader in a child PID namespace did not start"
STARTED+=("$IN")
PIPE=$(stat -L -c %i "/proc/$IN/fd/0")
holding() {	# holding FD: the pids here whose fd FD is the pipe, sorted
	local p
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/fd/$1" 2>/dev/null)" = "pipe:[$PIPE]" ] && echo "${p#/proc/}"
	done | sort -n | paste -sd,
}
RD=$(holding 0) WR=$(holding 1)
ok "$([ -n "$WR" ] && [ "${WR#*,}" = "$WR" ]; echo $?)" \
	"the pipe's reader $IN is in a child PID namespace, its writer $WR here"

# inside ARGS...: ipcinspect (without --no-outside-holders) in the reader's
# PID and mount namespaces: it sees the reader, pid 1, alone
inside() {
	nsenter -t "$IN" -p -m "$IPCINSPECT_BIN" "$@" </dev/null >"$T/out" 2>"$T/err" 7>&- 8>&- 9>&-
	rc=$?
	json_keep "$T/out" "$rc" "$@"
}
sel() {	# sel KIND FILTER: the object, compact
	jq -c --arg k "$1" ".[\$k][] | select($2)" "$T/out"
}

# --- from inside ------------------------------------------------------------------
inside --json -t shm,pipe,fifo,pshm --fifo-dir "$T/fd"
is "$rc|$(err)" "0|ipcinspect: warning: ipcinspect runs in a child PID namespace: processes outside it are not visible, so no object is said to have no holders (--no-outside-holders rules them out)" \
	"inside: exit 0, a warning that the outside is not visible"
is "$(jq -c '.scan | [.processes, .complete, .incomplete_because, .pid_ns_initial, .outside_ruled_out]' "$T/out")" \
	'[1,false,["child-pid-namespace"],false,false]' \
	"inside: scan sees 1 process, says it is incomplete and why"
# (the reader holds the pipe twice: fd 0 and bash's fd 63 of "< <(...)")
is "$(sel pipe ".inode == $PIPE" | jq -c '[([.readers[] | [.pid, .fd]]), .writers, .flags, .verdict, .reasons]')" \
	"[[[1,0],[1,63]],null,[],\"in-use\",[\"held by 2 reader fds and 0 writer fds seen\",\"$NOTVIS\"]]" \
	"inside: the pipe's reader named, writers null (not []), no no-writers flag, the reason"
is "$(sel fifo '.path | endswith("/vis.fifo")' | jq -c '[.readers, .writers, .verdict, .reasons]')" \
	"[null,null,\"unknown\",[\"$NOTVIS\"]]" \
	"inside: a FIFO held only from outside is unknown, not suspect, its holders null"
is "$(sel pshm '.name == "vis"' | jq -c '[.holders, .verdict, (.reasons | index("'"$NOTVIS"'") != null)]')" \
	'[null,"unknown",true]' \
	"inside: a POSIX shm object held only from outside is unknown, its holders null"
is "$(sel shm ".id == $ATT" | jq -c '[.nattch, .attached, .creator.alive, .verdict, .reasons]')" \
	"[1,null,null,\"in-use\",[\"nattch 1\",\"attached by a process outside this PID namespace: not visible\",\"creator is not visible in this pid namespace\",\"last user is not visible in this pid namespace\"]]" \
	"inside: a segment attached only from outside: in use, its attacher named not visible"
inside --raw -t pipe -o INODE,READERS,WRITERS,FLAGS
is "$(grep "^pipe $PIPE " "$T/out")" "pipe $PIPE sleep[1]:0,sleep[1]:63 ? -" "inside, table: writers '?', no flag"
inside clean --yes --suspects --include-root --min-age 0 --no-syslog -t fifo,pshm --fifo-dir "$T/fd"
is "$rc|$(ls "$T/fd")|$(ls /dev/shm)" "0|vis.fifo|vis" \
	"inside: clean --yes --suspects removes neither the FIFO nor the POSIX object"

# --no-outside-holders: the user rules the outside out; absence is claimed
inside --json --no-outside-holders -t pipe,fifo,pshm --fifo-dir "$T/fd"
is "$rc|$(err)|$(jq -c '.scan | [.complete, .incomplete_because, .outside_ruled_out]' "$T/out")" \
	'0||[true,[],true]' "inside, --no-outside-holders: no warning, the scan complete"
is "$(sel pipe ".inode == $PIPE" | jq -c '[.writers, .flags]')|$(sel fifo '.path | endswith("/vis.fifo")' | jq -c .verdict)" \
	'[[],["no-writers"]]|"suspect"' "inside, --no-outside-holders: no-writers, the FIFO a suspect"

# --- from outside: every end and holder named ----------------------------------
ipci --json -t shm,pipe,fifo,pshm --fifo-dir "$T/fd"
is "$(sel pipe ".inode == $PIPE" | jq -c '[([.readers[].pid] | unique), [.writers[].pid], .flags, .verdict]')" \
	"[[$RD],[$WR],[],\"in-use\"]" \
	"outside: the pipe's readers ($RD: unshare and the reader) and writer named"
is "$(sel fifo '.path | endswith("/vis.fifo")' | jq -c '[[.readers[].pid], [.writers[].pid], .verdict]')" \
	"[[$HOLDER],[$HOLDER],\"in-use\"]" "outside: the FIFO held open by its holder, in use"
is "$(sel pshm '.name == "vis"' | jq -c '[[.holders[].pid], .verdict]')" \
	"[[$HOLDER],\"in-use\"]" "outside: the POSIX object held by its holder, in use"
is "$(sel shm ".id == $ATT" | jq -c '[[.attached[].pid], .verdict]')" \
	"[[$H],\"in-use\"]" "outside: the segment's attacher named"

# --- from a child PID namespace, with this namespace's /proc ---------------------
# (unshare --pid --fork without --mount-proc): there ipcinspect's getpid()
# is 1, this shell's pid in the /proc it reads; ipcinspect is what /proc's
# self names, and this shell a process like any other
: >/dev/shm/own
exec 5<>/dev/shm/own
other_proc() {
	unshare --pid --fork "$IPCINSPECT" "$@" </dev/null >"$T/out" 2>"$T/err" 5>&- 7>&- 8>&- 9>&-
	rc=$?
	json_keep "$T/out" "$rc" "$@"
}
other_proc --json --no-outside-holders -t pshm
is "$rc|$(sel pshm '.name == "own"' | jq -c '[[.holders[] | [.pid, .fd]], .verdict]')" \
	"0|[[[1,5]],\"in-use\"]" "another PID namespace's /proc: pid 1 there (this shell) holds the object, not taken for ipcinspect"
other_proc clean --no-outside-holders --yes --suspects --include-root --min-age 0 --no-syslog -t pshm
is "$rc|$(ls /dev/shm | tr '\n' ' ')" "0|own vis " "... and clean keeps it"
exec 5>&-
rm -f /dev/shm/own

mkipc_stop
# SIGKILL: a PID namespace's init ignores other signals from outside
kill -9 "${STARTED[@]}" "$WR" 2>/dev/null
wait "${STARTED[@]}" 2>/dev/null
rm -f /dev/shm/vis
done_testing

#!/bin/bash
# Pinning the process another namespace is reached through
# (doc/kernel-facts.md, "Pinning a process"), live, in the private
# namespaces lib.sh makes, with pids taken over on purpose through
# /proc/sys/kernel/ns_last_pid while ipcinspect is paused (the preload
# library) between naming the process and using it:
# - clean --namespace A, paused before it opens A's root: A exits and a
#   "container" B (an IPC and mount namespace of its own, an orphan file
#   in its own /dev/shm) takes A's pid.  Nothing of B is listed, judged
#   or removed: A's POSIX objects are said not listed, B's file stays.
# - list --all-namespaces, paused before it enters the namespace of P
#   (the scan saw it there): P exits and a process in a new IPC namespace
#   takes P's pid; or P moves to a new IPC namespace (unshare(2)).  The
#   section says why it was not entered; the other namespace's segment is
#   not shown under P's namespace.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"	# bash, even where make runs /bin/sh
. "${TESTS_SRCDIR:?run the tests with make check}/lib.sh" || exit 99
ns_enter "$@"
ns_check_empty
command -v jq >/dev/null || skip_all "jq not installed"
command -v nsenter >/dev/null || skip_all "nsenter not installed"
command -v ipcmk >/dev/null || skip_all "ipcmk not installed"
# mounts are made only in mount namespaces this test made, and the pid
# counter written only in the pid namespace lib.sh made
[ "$$" -eq 1 ] || bail "not pid 1 of a private pid namespace"
[ -w /proc/sys/kernel/ns_last_pid ] || skip_all "cannot write /proc/sys/kernel/ns_last_pid"

export LC_ALL=C TZ=UTC
T=$(mktemp -d)
chmod 755 "$T"
STARTED=()
trap 'for p in "${STARTED[@]}"; do kill -9 "$p" 2>/dev/null; done; rm -rf "$T"' EXIT
export T
close_inherited_fds

skip_unless_sibling_setns

# box NAME: start a "container" in the background, an IPC and mount
# namespace of its own with a tmpfs on /dev/shm holding a file NAME that
# nobody holds; its one process (unshare and sh exec) is BOX, ready when
# the file is seen through its root
box() {
	local i=0
	unshare --ipc --mount --propagation private sh -c \
		"mount -t tmpfs -o mode=1777,size=1m ipci-pin /dev/shm && echo $1 >/dev/shm/$1 && exec sleep 1000" \
		</dev/null >/dev/null 2>"$T/$1.err" &
	BOX=$!
	STARTED+=("$BOX")
	until [ -e "/proc/$BOX/root/dev/shm/$1" ] && [ "$(cat "/proc/$BOX/comm")" = sleep ]; do
		i=$((i + 1))
		[ $i -le 400 ] && kill -0 "$BOX" 2>/dev/null && { sleep 0.01; continue; }
		cat "$T/$1.err" >&2
		bail "container $1 did not get ready"
	done
}
# reuse PID CMD...: end process PID (a child of ours), then start CMD in
# the background so that it gets PID (the counter is set back after);
# CMD's pid is left in NEW
reuse() {
	local pid=$1 last
	shift
	kill -9 "$pid"
	wait "$pid" 2>/dev/null
	read -r last </proc/sys/kernel/ns_last_pid
	echo $((pid - 1)) >/proc/sys/kernel/ns_last_pid
	"$@"
	echo "$last" >/proc/sys/kernel/ns_last_pid
}
ns_of() { stat -L -c %i "/proc/$1/ns/ipc"; }

# ---------------------------------------------------------------------------
# clean --namespace A: A's pid taken by B before A's root is opened
# ---------------------------------------------------------------------------
box afile
A=$BOX
hook_a() {
	box bfile
	NEW=$BOX
}
# the first openat of a path ending in "root": the root of A, under which
# /dev/shm is opened (after A is pinned and its IPC namespace entered)
ipci_race openat@root 1 'reuse "$A" hook_a' \
	clean --namespace "$A" --yes --min-age 0 --suspects --include-root --no-syslog -t pshm --json
is "$NEW|$(cat "/proc/$NEW/root/dev/shm/bfile" 2>&1)" "$A|bfile" \
	"a container B took A's pid while clean --namespace A was paused; B's orphan file is there"
is "$rc|$(jq -c '[.actions, .summary.removed]' "$T/out")" "0|[[],0]" \
	"clean --namespace A, A gone: nothing judged, nothing removed (not B's orphan)"
is "$(jq -r '.warnings[]' "$T/out")" \
	"/proc/$A/root/dev/shm: cannot be read: the root of process $A: No such process: pshm objects are not listed" \
	"and a warning: A's root can no longer be opened"
is "$(cat "/proc/$A/root/dev/shm/bfile")" bfile "B's file is still there"
kill -9 "$A"
wait "$A" 2>/dev/null

# ---------------------------------------------------------------------------
# --all-namespaces: P's pid taken by a process of a new IPC namespace before
# P's is entered (P's namespace is freed: the new one may even get its
# inode number, so only P's start tells them apart)
# ---------------------------------------------------------------------------
# seg SIZE: start a process in the background in a new IPC namespace of
# its own, holding nothing, with one segment of SIZE bytes made there;
# SEG is its pid, ready once it sleeps
seg() {
	unshare --ipc sh -c "ipcmk -M $1 >/dev/null && exec sleep 1000" </dev/null >/dev/null 2>&1 &
	SEG=$!
	STARTED+=("$SEG")
	for _ in $(seq 400); do
		[ "$(cat "/proc/$SEG/comm")" = sleep ] && return
		sleep 0.01
	done
	bail "the process of a new IPC namespace did not get ready"
}
seg 4096
P=$SEG
NP=$(ns_of "$P")
hook_p() {
	seg 8192
	NEW=$SEG
}
# the open of /proc/P: the pin, right before P's namespace is entered
ipci_race "open@/proc/$P" 1 'reuse "$P" hook_p' list --all-namespaces --json -t shm
is "$NEW|$(nsenter --ipc="/proc/$NEW/ns/ipc" ipcs -m | grep -c ' 8192 ')" "$P|1" \
	"a process of a new IPC namespace, with a segment of 8192 bytes, took P's pid while list --all-namespaces was paused"
is "$rc|$(jq -c '[.namespaces[] | [.ipc_ns, .pid, .error, (.shm | length)]]' "$T/out")" \
	"0|[[$NP,$P,\"cannot enter it: process $P has exited\",0]]" \
	"P's namespace: not entered, and why; the new namespace's segment is not shown as P's"
kill -9 "$NEW"
wait "$NEW" 2>/dev/null

# ---------------------------------------------------------------------------
# --all-namespaces: P moves to a new IPC namespace of its own (unshare(2))
# before its namespace is entered, which another process keeps
# ---------------------------------------------------------------------------
if command -v python3 >/dev/null; then
	mkfifo "$T/mv.in"
	# shellcheck disable=SC2016
	unshare --ipc python3 -c '
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
print("ready", flush=True)
sys.stdin.readline()
if libc.unshare(0x08000000) != 0:	# CLONE_NEWIPC
    sys.exit("unshare: " + os.strerror(ctypes.get_errno()))
print("moved", flush=True)
sys.stdin.readline()' <"$T/mv.in" >"$T/mv.out" 2>"$T/mv.err" &
	P=$!
	STARTED+=("$P")
	exec 6>"$T/mv.in"
	# python prints ready after unshare(1) made its namespace: read it
	# then, and enter it then
	for _ in $(seq 400); do
		grep -qx ready "$T/mv.out" && break
		sleep 0.01
	done
	NP=$(ns_of "$P")
	# a second process of P's namespace keeps it, with a segment
	nsenter --ipc="/proc/$P/ns/ipc" sh -c 'ipcmk -M 4096 >/dev/null && exec sleep 1000' \
		</dev/null >/dev/null 2>&1 6>&- &
	K=$!
	STARTED+=("$K")
	for _ in $(seq 400); do
		[ "$(cat "/proc/$K/comm")" = sleep ] && break
		sleep 0.01
	done
	hook_m() {
		echo go >&6
		for _ in $(seq 400); do
			grep -qx moved "$T/mv.out" && return
			sleep 0.01
		done
	}
	ipci_race "open@/proc/$P" 1 hook_m list --all-namespaces --json -t shm
	NM=$(ns_of "$P")
	is "$(cat "$T/mv.out" "$T/mv.err" | tr '\n' ' ')|$([ "$NM" != "$NP" ] && echo moved)" "ready moved |moved" \
		"P moved to an IPC namespace of its own while list --all-namespaces was paused"
	is "$rc|$(jq -c '[.namespaces[] | [.ipc_ns, .pid, .error, (.shm | length)]]' "$T/out")" \
		"0|[[$NP,$P,\"cannot enter it: process $P is no longer in IPC namespace $NP (now $NM)\",0]]" \
		"P's old namespace: not entered through P, and why (its new one has nothing the scan saw)"
	exec 6>&-
else
	tap_n=$((tap_n + 1))
	echo "ok $tap_n # SKIP python3 not installed"
	tap_n=$((tap_n + 1))
	echo "ok $tap_n # SKIP python3 not installed"
fi

done_testing

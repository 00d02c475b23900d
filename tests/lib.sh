# Shared by the shell tests: TAP output and private namespaces.
#
# A test sources this file, calls ns_enter "$@" first if it needs live IPC
# objects (the script re-runs itself inside a new IPC + PID + mount
# namespace, so the host's objects are never seen or touched), then uses
# ok/is and ends with done_testing, which prints the plan.  Where no
# namespace can be made the script prints "1..0 # SKIP why" and exits 77.

: "${IPCINSPECT:?IPCINSPECT must name the ipcinspect binary}"
: "${MKIPC:=}"

tap_n=0
tap_failed=0

ok() {	# ok CONDITION-STATUS NAME: "ok" when the status is 0
	local status=$1; shift
	tap_n=$((tap_n + 1))
	if [ "$status" -eq 0 ]; then
		echo "ok $tap_n - $*"
	else
		echo "not ok $tap_n - $*"
		tap_failed=$((tap_failed + 1))
	fi
}

is() {	# is GOT WANT NAME
	local got=$1 want=$2; shift 2
	if [ "x$got" = "x$want" ]; then
		ok 0 "$*"
	else
		ok 1 "$*"
		printf '#   got:  %s\n#   want: %s\n' "$got" "$want" | sed 's/^/#/' | sed 's/^##/#/'
	fi
}

skip_all() {
	echo "1..0 # SKIP $*"
	exit 77
}

done_testing() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
	exit $?
}

bail() {
	echo "Bail out! $*"
	exit 99
}

# Re-run the calling script inside a private IPC + PID + mount + network
# namespace (with /proc remounted for the new PID namespace; the network
# namespace holds the Unix sockets and abstract names the tests make).  Root makes them
# directly; anyone else tries a user namespace mapped to root.
ns_enter() {
	if [ -n "${IPCI_IN_NS:-}" ]; then
		ns_private_posix
		ns_trusted_ipcinspect
		return 0
	fi
	command -v unshare >/dev/null || skip_all "unshare not installed"
	if unshare --ipc --pid --mount --net --fork --mount-proc true 2>/dev/null; then
		IPCI_IN_NS=1 exec unshare --ipc --pid --mount --net --fork --mount-proc \
			"${BASH:-sh}" "$0" "$@"
	fi
	if unshare --user --map-root-user --ipc --pid --mount --net --fork --mount-proc true \
		2>/dev/null; then
		IPCI_IN_NS=1 IPCI_USERNS=1 exec unshare --user --map-root-user --ipc --pid \
			--mount --net --fork --mount-proc "${BASH:-sh}" "$0" "$@"
	fi
	skip_all "cannot create a private IPC+PID+mount namespace"
}

# start_ms_of PID: the start of PID in epoch milliseconds as ipcinspect
# reads it (doc/kernel-facts.md, "Process start"): the boot time from the
# clocks now (CLOCK_REALTIME from $EPOCHREALTIME, CLOCK_BOOTTIME from
# /proc/uptime in 10 ms steps, both read by the shell itself, a few
# microseconds apart, read again until they are) plus field 22 of
# /proc/PID/stat in clock ticks.  Right to about 20 ms: tests use it away
# from the rule's boundaries.
start_ms_of() {
	local up now before stat ticks hz i
	# the two clocks read within 2 ms of each other: on a loaded machine
	# the shell may be stopped between the reads, and the boot time is then
	# off by as long (read again, ten times at the most)
	for i in 1 2 3 4 5 6 7 8 9 10; do
		before=${EPOCHREALTIME/./}
		read -r up _ </proc/uptime
		now=${EPOCHREALTIME/./}
		[ $((now - before)) -lt 2000 ] && break
	done
	read -r stat <"/proc/$1/stat"
	stat=${stat##*) }
	set -- $stat
	ticks=${20}
	hz=$(getconf CLK_TCK)
	echo $((now / 1000 - ${up%.*} * 1000 - 10#${up#*.} * 10 + ticks * 1000 / hz))
}

# second_start: sleep until just after the next whole second, so that a
# helper started now makes its objects within the second it started in:
# every IPC time T is then the second its start S falls in, and the rule
# says "started in the same second", whatever the rounding
second_start() {
	local ns ms
	ns=$(date +%N)
	ms=$(((1000000000 - 10#$ns) / 1000000 + 1))
	sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
}

# Inside its own PID namespace, ipcinspect cannot see who outside holds
# an object, and says "unknown" rather than "nobody" (ipcinspect(1),
# VISIBILITY).  The test made the namespace and knows nobody outside holds
# what it makes: $IPCINSPECT says so with --no-outside-holders (see
# tests/helpers/ns-ipcinspect); $IPCINSPECT_BIN is the binary alone, for
# the tests of that default.
ns_trusted_ipcinspect() {
	IPCINSPECT_BIN=${IPCINSPECT_BIN:-$IPCINSPECT}
	IPCINSPECT=${TESTS_SRCDIR:?}/helpers/ns-ipcinspect
	export IPCINSPECT_BIN IPCINSPECT
}

# POSIX IPC lives in /dev/shm (a mount of the mount namespace) and in the
# mqueue mount (it shows the queues of the IPC namespace that mounted it):
# inside the namespace both are mounted afresh, so the host's objects are
# never seen (doc/kernel-facts.md, "POSIX objects").  Mounts made here stay private
# (unshare makes the new mount namespace's propagation private), but a
# directory made is not (/dev is the host's devtmpfs, /tmp the host's
# /tmp): where there is no /dev/mqueue, the queues are mounted over
# /media, an existing directory this namespace does not otherwise use.
ns_private_posix() {
	mount -t tmpfs -o mode=1777,size=16m ipci-shm /dev/shm 2>/dev/null ||
		skip_all "cannot mount a private tmpfs on /dev/shm"
	umount -a -t mqueue 2>/dev/null	# the host's queues, if mounted
	IPCI_MQUEUE=/dev/mqueue
	[ -d "$IPCI_MQUEUE" ] || IPCI_MQUEUE=/media
	mount -t mqueue ipci-mqueue "$IPCI_MQUEUE" 2>/dev/null ||
		skip_all "cannot mount a private mqueue file system"
	export IPCI_MQUEUE
}

# skip_unless_sibling_setns: skip the test where an IPC namespace made here
# cannot be entered (in a user namespace setns into a sibling may be
# refused).  Needs nsenter.
skip_unless_sibling_setns() {
	local probe probe_rc
	unshare --ipc sleep 60 </dev/null >/dev/null 2>&1 &
	probe=$!
	sleep 0.2
	nsenter --ipc="/proc/$probe/ns/ipc" true 2>/dev/null
	probe_rc=$?
	kill "$probe" 2>/dev/null
	wait "$probe" 2>/dev/null
	[ "$probe_rc" -eq 0 ] || skip_all "cannot setns into a sibling IPC namespace here"
}

# Exact fd lists need a clean start: close what the harness handed down
# (make's jobserver, a runner's pipes), all but stdio and the script.
close_inherited_fds() {
	local f n
	for f in /proc/$$/fd/*; do
		n=${f##*/}
		case $n in 0 | 1 | 2 | 255) continue ;; esac
		[ "$(readlink "$f" 2>/dev/null)" = "$(readlink -f "$0")" ] && continue
		eval "exec $n>&-" 2>/dev/null
	done
}

# ipci ARGS...: run ipcinspect with stdin /dev/null; stdout in $T/out,
# stderr in $T/err, status in $rc.  It never inherits the write ends of the
# helpers' stdin FIFOs (fds 7, 8 and 9): ipcinspect leaves out the pipes
# and FIFOs it holds itself, and a FIFO held open would keep a helper up.
ipci() {
	"$IPCINSPECT" "$@" </dev/null >"$T/out" 2>"$T/err" 7>&- 8>&- 9>&-
	rc=$?
	json_keep "$T/out" "$rc" "$@"
}

# json_keep FILE STATUS ARGS...: after an ipcinspect run with ARGS that
# wrote FILE and exited with STATUS, keep a copy of FILE in $IPCI_JSON_DIR
# when ARGS ask for JSON (-J, --json) and the run ended by itself (not a
# usage error, not a timeout or signal) with something written:
# tests/ts-schema.sh validates every copy against doc/ipcinspect.schema.json
# once the other tests are done.  The copy is made after the run, so the
# run itself is the same with or without it.
json_keep() {
	local file=$1 status=$2 a json= copy
	shift 2
	[ -n "${IPCI_JSON_DIR:-}" ] && [ -d "$IPCI_JSON_DIR" ] && [ -s "$file" ] || return 0
	[ "$status" -ne 2 ] && [ "$status" -lt 124 ] || return 0
	for a in "$@"; do
		case $a in
		--json) json=1 ;;
		--*) ;;
		-*J*) json=1 ;;
		esac
	done
	[ -n "$json" ] || return 0
	# a caller's LD_PRELOAD (the preload library, a sanitizer's runtime)
	# is for ipcinspect, not for these tools
	copy=$(LD_PRELOAD= mktemp "$IPCI_JSON_DIR/${0##*/}.XXXXXX") || return 0
	LD_PRELOAD= cp "$file" "$copy.json" && printf '%s\n' "$*" >"$copy.args"
	LD_PRELOAD= rm -f "$copy"
	return 0
}
out() { cat "$T/out"; }
err() { cat "$T/err"; }

# Inside the namespace, there must be nothing but what the test makes.
ns_check_empty() {
	local n
	n=$(cat /proc/sysvipc/shm /proc/sysvipc/msg /proc/sysvipc/sem | grep -vc 'key')
	[ "$n" -eq 0 ] || bail "namespace is not private: $n objects already exist"
}

# mkipc_start ARGS...: start the helper (see tests/helpers/mkipc.c) with a
# FIFO as its stdin so it waits, and read what it printed up to "ready"
# into the file $MKIPC_OUT.  mkipc_stop ends it.
mkipc_start() {
	[ -n "$MKIPC" ] || bail "MKIPC is not set"
	MKIPC_DIR=$(mktemp -d)
	MKIPC_OUT=$MKIPC_DIR/out
	mkfifo "$MKIPC_DIR/in"
	# MKIPC_AS: a command that runs the helper as another user (setpriv ...)
	${MKIPC_AS:-} "$MKIPC" "$@" <"$MKIPC_DIR/in" >"$MKIPC_OUT" 2>"$MKIPC_DIR/err" &
	MKIPC_PID=$!
	exec 9>"$MKIPC_DIR/in"
	helper_wait_ready "$MKIPC_PID" "$MKIPC_OUT" "$MKIPC_DIR/err" mkipc
}

# helper_wait_ready PID OUT ERR NAME: wait (10 s at most) until the helper PID
# printed "ready" into OUT; bail with its ERR if it died or never did.
helper_wait_ready() {
	local i=0
	while ! grep -qx ready "$2" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 200 ] || ! kill -0 "$1" 2>/dev/null; then
			cat "$3" >&2
			bail "$4 did not get ready"
		fi
		sleep 0.05
	done
}

mkipc_stop() {
	exec 9>&-
	wait "$MKIPC_PID" 2>/dev/null
	rm -rf "$MKIPC_DIR"
}

# mkipc_get NAME: the value the helper printed as "NAME=value".
mkipc_get() {
	sed -n "s/^$1=//p" "$MKIPC_OUT" | head -n 1
}

# mkipc_wait NAME: wait (5 s at most) until the helper printed NAME=..., the
# answer to a command sent on its stdin (echo "open x" >&9); 1 on timeout.
mkipc_wait() {
	local i=0
	while ! grep -q "^$1=" "$MKIPC_OUT"; do
		i=$((i + 1))
		[ $i -le 500 ] || return 1
		sleep 0.01
	done
}

# The test-only preload library (tests/helpers/preload.c, $IPCI_PRELOAD):
# LD_PRELOAD="$IPCI_PRELOAD" on an ipcinspect command counts (IPCI_COUNT),
# delays (IPCI_DELAY), pauses (IPCI_PAUSE, IPCI_PAUSE_DIR) or fails
# (IPCI_FAULT) chosen calls of it.  In a sanitizer build the sanitizer's
# runtime must be loaded first, so $IPCI_PRELOAD then holds two paths
# (LD_PRELOAD takes a list): always use it whole, never test it with -f.
if [ -n "${IPCI_PRELOAD:-}" ] && [ "${IPCI_PRELOAD#* }" = "$IPCI_PRELOAD" ]; then
	ipci_asan_rt=$(ldd "$IPCINSPECT" 2>/dev/null | sed -n 's/.*=> \(\/[^ ]*libasan[^ ]*\) .*/\1/p')
	[ -z "$ipci_asan_rt" ] || IPCI_PRELOAD="$ipci_asan_rt $IPCI_PRELOAD"
	export IPCI_PRELOAD
	unset ipci_asan_rt
fi

# preload_pause_start CALL N CMD...: start CMD in the background with the
# preload library pausing it right before the Nth call of CALL; sets
# PRELOAD_PID and PRELOAD_DIR (a fresh directory under $T, or under
# $TMPDIR when the test has no $T).  CMD's output goes where the caller's
# goes: wrap CMD in a function that redirects it to files.
preload_pause_start() {
	local call=$1 n=$2
	shift 2
	[ -n "${IPCI_PRELOAD:-}" ] || bail "IPCI_PRELOAD is not set"
	PRELOAD_DIR=$(mktemp -d "${T:-${TMPDIR:-/tmp}}/preload.XXXXXX") ||
		bail "cannot make a pause directory"
	LD_PRELOAD="$IPCI_PRELOAD" IPCI_PAUSE="$call:$n" IPCI_PAUSE_DIR="$PRELOAD_DIR" "$@" &
	PRELOAD_PID=$!
}

# preload_pauses_start "CALL:N[,CALL:N...]" CMD...: the same with a list
# of pauses (one after the other: preload_continue between them).
preload_pauses_start() {
	local list=$1
	shift
	preload_pause_start "${list%:*}" "${list##*:}" "$@"
}

# preload_wait_paused: wait (10 s at most) until the command is paused;
# 1 on timeout or when it ended without pausing.
preload_wait_paused() {
	local i=0
	while [ ! -e "$PRELOAD_DIR/paused" ]; do
		i=$((i + 1))
		if [ $i -gt 1000 ] || ! kill -0 "$PRELOAD_PID" 2>/dev/null; then
			[ -e "$PRELOAD_DIR/paused" ] && return 0
			return 1
		fi
		sleep 0.01
	done
	return 0
}

# preload_resume: let the paused command go on, wait for it; its exit
# status is left in PRELOAD_RC.
preload_resume() {
	: >"$PRELOAD_DIR/go"
	wait "$PRELOAD_PID"
	PRELOAD_RC=$?
}

# preload_continue: with a list of pauses (IPCI_PAUSE="CALL:N,CALL:M"),
# let the command go on to its next pause; returns once it has taken the
# go (10 s at most, else 1), so preload_wait_paused then waits for the
# next pause, not the last one.
preload_continue() {
	local i=0
	: >"$PRELOAD_DIR/go"
	while [ -e "$PRELOAD_DIR/go" ]; do
		i=$((i + 1))
		[ $i -le 1000 ] && kill -0 "$PRELOAD_PID" 2>/dev/null || return 1
		sleep 0.01
	done
}

# ipci_races "CALL:N[,CALL:N...]" HOOK ARGS...: run ipcinspect ARGS as ipci
# does ($T/out, $T/err, $rc) with the preload library pausing it right
# before each of those calls; at each pause, eval the shell code HOOK in
# this shell with IPCI_CALL and IPCI_N set to the call it paused at, then
# let it go on (the hook runs with fds 7, 8 and 9 closed, as ipci runs
# ipcinspect, so nothing it starts holds a helper's stdin FIFO open).  This is how a test changes an object between the
# judgement and the re-check on purpose.  If a pause is never reached, a
# TAP comment says so and rc is 98.
ipci_races() {
	local pauses=$1 hook=$2 i=0 total
	shift 2
	total=$(echo "$pauses" | tr , '\n' | wc -l)
	preload_pauses_start "$pauses" ipci_status "$@"
	while [ $i -lt "$total" ] && preload_wait_paused; do
		read -r IPCI_CALL IPCI_N _ <"$PRELOAD_DIR/paused"
		# what the hook starts must not hold the helpers' stdin FIFOs
		eval "$hook" 7>&- 8>&- 9>&-
		i=$((i + 1))
		[ $i -lt "$total" ] && preload_continue
	done
	preload_resume
	rc=$PRELOAD_RC
	if [ $i -ne "$total" ]; then
		echo "# ipci_races: $i of $total pauses reached ($pauses)"
		rc=98
	fi
}
ipci_race() {	# ipci_race CALL N HOOK ARGS...: ipci_races with one pause
	local call=$1 n=$2
	shift 2
	ipci_races "$call:$n" "$@"
}
ipci_status() { ipci "$@"; return "$rc"; }

# sysv_idx ID: the index a *_STAT_ANY call takes for ID, the first call of
# ipcinspect's re-check of that object (doc/kernel-facts.md, "Ids")
sysv_idx() { echo $(($1 & 32767)); }

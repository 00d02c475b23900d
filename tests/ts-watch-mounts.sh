#!/bin/bash
# `ipcinspect watch` with the same path on two mounts, live, in a private
# IPC + PID + mount namespace (review 19, finding 4): two mount namespaces
# of our own each mount a fresh tmpfs on the same directory and hold a
# FIFO of the same name there, so both FIFOs have the same path and (a
# fresh tmpfs) the same inode, on two devices.  The holder of one is
# killed: watch must say that one FIFO was removed, and nothing of the
# other (before, it matched objects by path and inode alone, and said the
# other was removed, then that it lost and gained holders).  The whole
# JSON Lines output is compared, event by event.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"	# bash, even where make runs /bin/sh
. "${TESTS_SRCDIR:?run the tests with make check}/lib.sh" || exit 99
ns_enter "$@"
command -v jq >/dev/null || skip_all "jq not installed"
[ "$$" -eq 1 ] || bail "not inside the private namespace (pid $$)"

export LC_ALL=C TZ=UTC
T=$(mktemp -d)
H1= H2= WJ=
trap 'for p in $WJ $H1 $H2; do kill -9 "$p" 2>/dev/null; done; rm -rf "$T"' EXIT
close_inherited_fds

# hold WHO: a mount namespace with a tmpfs on $T/x and FIFO $T/x/f held
# open (read and write) by a sleep; its pid in $T/WHO.pid, its device
# and inode in $T/WHO.id
mkdir "$T/x"
hold() {
	unshare --mount --propagation private sh -c '
		mount -t tmpfs t "$1" || exit 1
		mkfifo "$1/f" || exit 1
		stat -c "%Hd:%Ld %i" "$1/f" >"$2.id"
		echo $$ >"$2.pid"
		exec sleep 1000 <>"$1/f"' sh "$T/x" "$T/$1" </dev/null >/dev/null 2>"$T/$1.err" &
	local i=0
	until [ -s "$T/$1.pid" ] && [ "$(readlink "/proc/$(cat "$T/$1.pid")/fd/0" 2>/dev/null)" = "$T/x/f" ]; do
		i=$((i + 1))
		[ $i -le 500 ] || skip_all "cannot mount a tmpfs in a new mount namespace: $(cat "$T/$1.err")"
		sleep 0.01
	done
}
hold one
hold two
H1=$(cat "$T/one.pid") H2=$(cat "$T/two.pid")
read -r D1 I1 <"$T/one.id"
read -r D2 I2 <"$T/two.id"
is "$I1|$([ "$D1" != "$D2" ] && echo differ)" "$I2|differ" \
	"two FIFOs of path $T/x/f: the same inode, two devices"

# wait_events N: until the watcher printed N lines (10 s at most)
wait_events() {
	local i=0
	while [ "$(wc -l <"$T/w.json")" -lt "$1" ]; do
		i=$((i + 1))
		[ $i -le 1000 ] || { echo "# timeout waiting for $1 events"; sed 's/^/#   /' "$T/w.json"; return 1; }
		sleep 0.01
	done
}
: >"$T/w.json"
"$IPCINSPECT" watch --json --no-outside-holders -t fifo --interval 200ms \
	</dev/null >"$T/w.json" 2>"$T/w.err" &
WJ=$!
wait_events 2
{ kill -9 "$H1" && wait "$H1"; } 2>/dev/null
H1=
wait_events 3
sleep 1	# nothing more comes
kill -TERM "$WJ"
wait "$WJ"
is "$?|$(cat "$T/w.err")" "0|" "watch: SIGTERM ends it with exit 0, nothing on stderr"
WJ=
json_keep "$T/w.json" 0 watch --json

# each event: what it is, the FIFO's device and inode, and its holders
got=$(jq -r '[.event, .path, .dev, (.inode | tostring),
	((.readers // []) | map(.pid | tostring) | join(",")),
	((.pids // []) | map(.pid | tostring) | join(","))] | join(" ")' "$T/w.json")
# the present ones in the order watch lists them: by path, then device
P1=$(cat "$T/one.pid")
want="$(printf 'present %s %s %s %s \n' "$T/x/f" "$D1" "$I1" "$P1" "$T/x/f" "$D2" "$I2" "$H2" |
	sort -t' ' -k3,3V)
removed $T/x/f $D1 $I1 $P1 "
is "$got" "$want" "one FIFO's holder killed: that FIFO removed, the other untouched"

done_testing

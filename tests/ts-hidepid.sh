#!/bin/bash
# Hidden processes (doc/kernel-facts.md, "Hidden processes"), live: the
# private /proc of the test's namespaces remounted with hidepid=; alice
# (uid 1001) owns /dev/shm/shared, a process of bob's (uid 1000) holds it
# open, and bob's helper made a SysV segment (its creator alive).
# - as alice without hidepid: unknown (bob's process is unreadable);
# - as alice with hidepid=2: not "nobody holds it" nor "creator exited":
#   unknown with the reason, the warning once, scan.complete false with
#   "hidden-processes", ipcinspect_scan_complete 0; clean --yes removes
#   nothing;
# - as root (CAP_SYS_PTRACE) with hidepid=2: every holder seen;
# - as alice in the group of gid=: nothing hidden (only unreadable).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"	# bash, even where make runs /bin/sh
. "${TESTS_SRCDIR:?run the tests with make check}/lib.sh" || exit 99
ns_enter "$@"
ns_check_empty
command -v jq >/dev/null || skip_all "jq not installed"
command -v setpriv >/dev/null || skip_all "setpriv not installed"
[ "$$" -eq 1 ] || bail "not pid 1 of a private pid namespace: refusing to remount /proc"
[ -z "${IPCI_USERNS:-}" ] || skip_all "needs uids 1000 and 1001: not in a user namespace"
# /proc here is the private mount ns_enter made (--mount-proc), of this
# PID namespace only: remounting it changes no other /proc
[ "$(awk '$5 == "/proc" { print $9 }' /proc/self/mountinfo | tail -n 1)" = proc ] ||
	bail "no proc mount on /proc"

export LC_ALL=C TZ=UTC
T=$(mktemp -d)
chmod 755 "$T"
trap 'kill -9 $BOB 2>/dev/null; mount -o remount,hidepid=0,gid=0 /proc; rm -rf "$T"' EXIT
export T MKIPC
close_inherited_fds

ALICE="setpriv --reuid=1001 --regid=1001 --clear-groups"
# as USER ARGS...: ipcinspect as that user ($T/out, $T/err, $rc)
as() {
	local who=$1
	shift
	$who "$IPCINSPECT" "$@" </dev/null >"$T/out" 2>"$T/err" 7>&- 8>&- 9>&-
	rc=$?
	json_keep "$T/out" "$rc" "$@"
}
$ALICE sh -c 'umask 0; head -c 4096 /dev/zero >/dev/shm/shared' || bail "alice cannot write /dev/shm"
setpriv --reuid=1000 --regid=1000 --clear-groups sleep 1000 5</dev/shm/shared \
	</dev/null >/dev/null 2>&1 7>&- 8>&- 9>&- &
BOB=$!
MKIPC_AS="setpriv --reuid=1000 --regid=1000 --clear-groups" mkipc_start shm:seg,key=0x7f21,mode=0666
SEG=$(mkipc_get seg.id) MK=$(mkipc_get pid)
for _ in $(seq 100); do [ "$(readlink "/proc/$BOB/fd/5")" = /dev/shm/shared ] && break; sleep 0.05; done
# the pshm object and the segment: verdict|reasons
pshm() { jq -r '.pshm[] | select(.name == "shared") | "\(.verdict)|\(.reasons | join("; "))"' "$T/out"; }
seg() { jq -r --argjson id "$SEG" '.shm[] | select(.id == $id) | .verdict' "$T/out"; }
scan() { jq -c '.scan | [.complete, .incomplete_because]' "$T/out"; }
warnings() { grep -c 'hidepid' "$T/err"; }

as "$ALICE" --json -t pshm,shm
is "$rc|$(pshm | cut -d'|' -f1)|$(scan)" '0|unknown|[false,["unreadable-processes"]]' \
	"alice, no hidepid: bob's process is unreadable, so unknown"

mount -o remount,hidepid=2 /proc || bail "cannot remount /proc with hidepid=2"
is "$(awk '$5 == "/proc" { print $NF }' /proc/self/mountinfo | tail -n 1)" "rw,hidepid=invisible" \
	"oracle: /proc is mounted hidepid=invisible"
is "$($ALICE sh -c "test -e /proc/$BOB && echo seen || echo hidden")" hidden \
	"oracle: alice does not see bob's process"
as "$ALICE" --json -t pshm,shm
is "$rc|$(pshm)|$(scan)|$(warnings)" \
	"0|unknown|/proc (hidepid=invisible) hides other users' processes|[false,[\"hidden-processes\"]]|1" \
	"alice, hidepid=2: the object bob holds is unknown, with the reason, once warned"
is "$(seg)|$(jq -r --argjson id "$SEG" '.shm[] | select(.id == $id) | .reasons | join("; ")' "$T/out")" \
	"unknown|nattch 0; no process of this IPC namespace maps it; creator $MK: not listed, but /proc may hide it (hidepid=); never attached" \
	"alice, hidepid=2: the segment's creator (bob's, alive) is not said to have exited"
as "$ALICE" metrics -t pshm
is "$rc|$(grep '^ipcinspect_scan_complete ' "$T/out")" "0|ipcinspect_scan_complete 0" \
	"alice, hidepid=2: metrics say the scan is not complete"
as "$ALICE" clean --suspects -t pshm,shm --min-age 0 --yes --no-syslog
is "$rc|$(tail -n 1 "$T/out")|$(ls /dev/shm)|$(ipcs -m | grep -c 0x00007f21)" \
	"0|0 removed (0B freed), 0 marked, 0 kept, 0 skipped, 0 already gone, 0 failed|shared|1" \
	"alice, hidepid=2: clean --suspects --yes removes nothing"

as "" --json -t pshm
is "$rc|$(pshm)|$(scan)|$(warnings)" \
	"0|in-use|held open by sleep[$BOB] (fd 5)|[true,[]]|0" \
	"root (CAP_SYS_PTRACE), hidepid=2: nothing hidden, the holder seen"

mount -o remount,hidepid=2,gid=1002 /proc || bail "cannot remount /proc with gid="
as "setpriv --reuid=1001 --regid=1001 --groups=1002" --json -t pshm
is "$rc|$(pshm | cut -d'|' -f1)|$(scan)|$(warnings)" '0|unknown|[false,["unreadable-processes"]]|0' \
	"alice in the group of gid=: nothing hidden, bob's process unreadable"
mount -o remount,hidepid=0,gid=0 /proc
mkipc_stop
done_testing

#!/bin/bash
# Fault injection walk, live, in a private IPC + PID + mount namespace,
# with the test-only preload library (tests/helpers/preload.c): for each
# of `clean --backup DIR --yes`, `rm --backup DIR` (of two objects) and
# `restore DIR --yes` on a populated namespace (a filled segment, a queue
# of messages with distinct bodies, a set with values: orphans made by
# ipcmk and filled by mkipc runs that exit), it first counts the calls
# the command makes (IPCI_COUNT), then runs it again once per call N of
# read, openat, write, fsync, renameat2, rename, mkdirat, shmat, shmctl,
# msgrcv, msgctl and semctl, failing that Nth call (IPCI_FAULT) with
# EIO, ENOSPC, ENOMEM, EINTR or EACCES in turn.  After each run:
#   - no object is gone without a complete backup entry (sha256sum -c of
#     its SHA256SUMS passes, and its files hash as the fault-free run's);
#   - restore leaves no half-made object: what exists is exactly what was
#     saved (ipcdump: key, mode, owner, size, content, values);
#   - whenever the command did not do all it was asked, it exits non-zero
#     with a message on stderr;
#   - stderr holds no sanitizer report.
# The population is made afresh before each run.  Bounded: every call of
# the mutating functions is walked; read and openat (many calls: the /proc
# scan) are walked in full up to 12 calls, then on a stride that keeps
# 12 of them.  Prints "# faults injected: N, objects removed without
# backup: N, half-made objects: N, silent failures: N".
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"	# bash, even where make runs /bin/sh
: "${TESTS_SRCDIR:?}"
. "$TESTS_SRCDIR/lib.sh" || exit 99
ns_enter "$@"
# it removes every object it sees: only ever as pid 1 of its own namespace
[ "$$" -eq 1 ] && [ -n "${IPCI_IN_NS:-}" ] || bail "not pid 1 of a private namespace"
ns_check_empty
[ -n "${IPCI_PRELOAD:-}" ] || bail "IPCI_PRELOAD is not set"
command -v ipcmk >/dev/null || skip_all "ipcmk not installed"
command -v sha256sum >/dev/null || skip_all "sha256sum not installed"
command -v jq >/dev/null || skip_all "jq not installed"

export LC_ALL=C TZ=UTC
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
close_inherited_fds

CALLS="${FAULT_CALLS:-read openat write fsync renameat2 rename mkdirat shmat shmctl msgrcv msgctl semctl}"
ERRNOS=(EIO ENOSPC ENOMEM EINTR EACCES)
SAMPLE=12

side() { "$MKIPC" "$@" </dev/null >/dev/null 2>"$T/side.err" || bail "mkipc $*: $(cat "$T/side.err")"; }
dump() { "$IPCDUMP" "$@" 2>&1; }
ids() { awk 'NR > 1 { printf "%s%s", sep, $2; sep = " " } END { print "" }' "/proc/sysvipc/$1"; }
rm_all() {
	local id
	for id in $(ids shm); do ipcrm -m "$id"; done
	for id in $(ids msg); do ipcrm -q "$id"; done
	for id in $(ids sem); do ipcrm -s "$id"; done
}
mkid() { "$@" | sed -n 's/.*: *\([0-9]*\)$/\1/p'; }
# populate: one object of each kind, S Q M their ids
populate() {
	rm_all
	S=$(mkid ipcmk -M 12000 -p 0640)
	Q=$(mkid ipcmk -Q -p 0640)
	M=$(mkid ipcmk -S 3 -p 0640)
	side "shm:x,id=$S,size=12000,attach=1,fill=pattern"
	side "msg:x,id=$Q,body=pattern,send=1:100,send=5:0,send=2:3000"
	side "sem:x,id=$M,nsems=3,values=3:0:7"
}
# what an object holds, without its id (a restored one has another)
state() { dump "$1" "$2" | grep -v '^id='; }
# what an entry saved: the sha256 of its data (shm, msg), its values (sem)
# and its mode (the manifest also holds keys, ids and times: new each run)
entry_sums() {
	jq -c '[.kind, .ipc.mode, .content.values]' "$1/manifest.json" 2>&1
	[ ! -e "$1/data" ] || sha256sum <"$1/data"
}

# run_cmd KIND: the command under test, output in $T/out, $T/err, $rc
run_cmd() {
	case $1 in
	clean) "$IPCINSPECT" clean --backup "$B" --yes --min-age 0 --suspects --include-root --no-syslog ;;
	rm) "$IPCINSPECT" rm --backup "$B" --no-syslog -m "$S" -q "$Q" ;;
	restore) "$IPCINSPECT" restore "$R" --yes --no-syslog ;;
	esac </dev/null >"$T/out" 2>"$T/err"
	rc=$?
}

# --- the fault-free runs: the reference entries and states, and the counts
populate
REF_shm=$(state shm "$S") REF_msg=$(state msg "$Q") REF_sem=$(state sem "$M")
B=$T/ref
mkdir -m 0700 "$B"
IPCI_COUNT="$T/count.clean" LD_PRELOAD="$IPCI_PRELOAD" run_cmd clean
is "$rc|$(cat "$T/err")|$(ids shm)$(ids msg)$(ids sem)" "0||" "fault-free clean --backup --yes: every object saved and removed"
for k in shm msg sem; do
	id=$(case $k in shm) echo "$S" ;; msg) echo "$Q" ;; sem) echo "$M" ;; esac)
	declare "SUMS_$k=$(entry_sums "$B/$k-$id")"
done
R=$B
IPCI_COUNT="$T/count.restore" LD_PRELOAD="$IPCI_PRELOAD" run_cmd restore
is "$rc|$(cat "$T/err")" "0|" "fault-free restore --yes"
is "$(state shm "$(ids shm)")|$(state msg "$(ids msg)")|$(state sem "$(ids sem)")" "$REF_shm|$REF_msg|$REF_sem" \
	"fault-free restore: each object as it was"
populate
B=$T/ref-rm
mkdir -m 0700 "$B"
IPCI_COUNT="$T/count.rm" LD_PRELOAD="$IPCI_PRELOAD" run_cmd rm
is "$rc|$(cat "$T/err")|$(ids shm)$(ids msg)|$(ids sem)" "0|||$M" "fault-free rm --backup: the two objects named saved and removed"

# count CMD CALL: how many CALL calls the fault-free CMD made
count() { awk -v n="$2" '$1 == n { v = $2 } END { print v + 0 }' "$T/count.$1"; }

injected=0 unsaved=0 halfmade=0 silent=0 sanitizer=0 stdout_only=0 e=0
# check_removal: every object gone has a verified entry with the reference content
check_removal() {
	local k id what=$1 bad=0
	for k in shm msg sem; do
		id=$(case $k in shm) echo "$S" ;; msg) echo "$Q" ;; sem) echo "$M" ;; esac)
		grep -q "^$id\$" <(ids "$k" | tr ' ' '\n') && continue
		local ent=$B/$k-$id sums="SUMS_$k"
		if ! [ -d "$ent" ] || ! (cd "$ent" && sha256sum -c --strict --quiet SHA256SUMS >/dev/null 2>&1) ||
			[ "$(entry_sums "$ent")" != "${!sums}" ]; then
			echo "# $what: $k $id removed without a complete, verified backup"
			bad=1
		fi
	done
	return $bad
}
# check_made: every object restore left is exactly what was saved
check_made() {
	local k id ref bad=0
	for k in shm msg sem; do
		ref="REF_$k"
		for id in $(ids "$k"); do
			if [ "$(state "$k" "$id")" != "${!ref}" ]; then
				echo "# $1: a half-made $k $id was left"
				bad=1
			fi
		done
	done
	return $bad
}
# all_done CMD: whether CMD did all it was asked
all_done() {
	case $1 in
	clean) [ -z "$(ids shm)$(ids msg)$(ids sem)" ] ;;
	rm) [ -z "$(ids shm)$(ids msg)" ] ;;
	restore) [ -n "$(ids shm)" ] && [ -n "$(ids msg)" ] && [ -n "$(ids sem)" ] ;;
	esac
}

walk() {	# walk CMD: every call of every function in CALLS, one fault each
	local cmd=$1 call n total stride what failures=0
	for call in $CALLS; do
		total=$(count "$cmd" "$call")
		stride=1
		case $call in read | openat)
			[ "$total" -le $SAMPLE ] || stride=$(((total + SAMPLE - 1) / SAMPLE)) ;;
		esac
		for ((n = 1; n <= total; n += stride)); do
			local errno=${ERRNOS[e % ${#ERRNOS[@]}]}
			e=$((e + 1))
			what="$cmd $call:$n:$errno"
			if [ "$cmd" = restore ]; then
				rm_all
			else
				populate
				B=$T/b.$cmd.$call.$n
				mkdir -m 0700 "$B"
			fi
			IPCI_FAULT="$call:$n:$errno" LD_PRELOAD="$IPCI_PRELOAD" run_cmd "$cmd"
			injected=$((injected + 1))
			if [ "$cmd" != restore ] && ! check_removal "$what"; then
				unsaved=$((unsaved + 1))
				failures=$((failures + 1))
			fi
			if [ "$cmd" = restore ] && ! check_made "$what"; then
				halfmade=$((halfmade + 1))
				failures=$((failures + 1))
			fi
			# a message: on stderr, or a failed/skipped line of the report
			if ! all_done "$cmd" && [ ! -s "$T/err" ] && [ "$rc" -ne 0 ]; then
				stdout_only=$((stdout_only + 1))
			fi
			if ! all_done "$cmd" && [ ! -s "$T/err" ] &&
				{ [ "$rc" -eq 0 ] || ! grep -qE '^(failed|skipped) ' "$T/out"; }; then
				echo "# $what: not all done, but exit $rc and stderr: $(head -c 200 "$T/err")"
				sed 's/^/#   out: /' "$T/out" | head -5
				silent=$((silent + 1))
				failures=$((failures + 1))
			fi
			if grep -qE 'Sanitizer|runtime error:' "$T/err"; then
				echo "# $what: sanitizer report"
				sed 's/^/#   /' "$T/err" | head -20
				sanitizer=$((sanitizer + 1))
				failures=$((failures + 1))
			fi
			[ "$cmd" = restore ] || rm -rf "$B"
		done
	done
	return $((failures > 0))
}

B=$T/ref R=$T/ref
walk clean
ok $? "clean --backup --yes: every fault leaves no unsaved removal, and says so when it did not do everything"
walk rm
ok $? "rm --backup: the same for each fault"
walk restore
ok $? "restore --yes: every fault leaves no half-made object, and says so when it did not do everything"
rm_all
echo "# faults injected: $injected, objects removed without backup: $unsaved, half-made objects: $halfmade, silent failures: $silent, sanitizer reports: $sanitizer, failures reported on stdout only: $stdout_only"
[ "$injected" -gt 50 ]
ok $? "at least 50 faults were injected ($injected)"

done_testing

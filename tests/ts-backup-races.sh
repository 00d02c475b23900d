#!/bin/bash
# --backup against objects that change while the backup is written, live,
# in a private IPC + PID + mount namespace (issue 12, defects 2 and 3).
# The test-only preload library (tests/helpers/preload.c) holds ipcinspect
# at a chosen call of the backup while the test changes the object:
#  1. rm --force --backup of a segment a process keeps writing: rm is held
#     right before its first write(2) (the data file is created, empty),
#     the writer (tests/helpers/mkipc `fill NAME BYTE`) rewrites the whole
#     segment with another byte, rm goes on.  The entry must verify
#     (sha256sum -c in it, restore's dry run), its data must be one state
#     of the segment (every byte the same: the new fill), and the report
#     must say what happened (marked: the writer is still attached).
#     Before the fix the hash was taken from the live segment before the
#     write: an entry that fails its own checksum, reported as a success.
#  2. clean --backup --yes of a set that gains a waiter (semop -1) while
#     the backup is written (held at its first fsync): the set is kept
#     (skipped: it changed), the waiter is still blocked (no EIDRM), and
#     once released it takes the semaphore.  Before the fix only otime and
#     ctime were compared after the backup: the set was removed.
#  3. The same for a segment attached while its backup is written.
#  4. The same for a segment that a process attaches, writes and detaches
#     while its backup is written, and lives on.  clean's own attachment
#     lasts the whole copy, so its detach is the last: lpid is clean's
#     again and nattch as before.  Before the fix any attach and detach
#     time within the backup's seconds passed: the segment was removed.
# Every wait is bounded (ipcinspect runs under timeout 20, polls stop after
# a few seconds), so a bug fails the test instead of hanging make check.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"	# bash, even where make runs /bin/sh
. "${TESTS_SRCDIR:?run the tests with make check}/lib.sh" || exit 99
ns_enter "$@"
ns_check_empty
[ -n "${IPCI_PRELOAD:-}" ] || bail "IPCI_PRELOAD is not set"
command -v jq >/dev/null || skip_all "jq not installed"
command -v sha256sum >/dev/null || skip_all "sha256sum not installed"
command -v timeout >/dev/null || skip_all "timeout not installed"

export LC_ALL=C TZ=UTC
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export T MKIPC

close_inherited_fds

# ipct ARGS...: ipci (lib.sh), but ended after 20 s whatever happens
ipct() {
	timeout 20 "$IPCINSPECT" "$@" </dev/null >"$T/out" 2>"$T/err" 7>&- 8>&- 9>&-
	rc=$?
	json_keep "$T/out" "$rc" "$@"
}
ipct_status() { ipct "$@"; return "$rc"; }
ids() { awk 'NR > 1 { printf "%s%s", sep, $2; sep = " " } END { print "" }' "/proc/sysvipc/$1"; }
names() { (cd "$1" && ls -A | paste -sd' '); }
sums_ok() { (cd "$1" && sha256sum -c --strict --quiet SHA256SUMS >/dev/null 2>&1); }
sha() { sha256sum <"$1" | cut -d' ' -f1; }
# the state letter of process $1 (R, S, Z, ...), or "gone"
pstate() { sed -n 's/.*) \([A-Za-z]\) .*/\1/p' "/proc/$1/stat" 2>/dev/null || echo gone; }
exited() { case $(pstate "$1") in Z | gone) return 0 ;; esac; return 1; }
awake() { [ "$(pstate "$1")" != S ]; }
# until COMMAND...: poll COMMAND every 0.05 s, 10 s at most; 1 on timeout
until_ok() {
	local i=0
	until "$@"; do
		i=$((i + 1))
		[ $i -le 200 ] || return 1
		sleep 0.05
	done
}

# late_start ARGS...: a second mkipc (tests/helpers/mkipc.c) that acts on
# an object of the first (id=) and stays until late_stop.  Its stdin is a
# FIFO this shell holds open read-write on fd 8 (an open that never
# blocks), and only this shell: the helper inherits neither fd 8 (it would
# never see EOF) nor fd 9 (the first helper's stdin, which mkipc_stop must
# be able to close for good) nor fd 7.  Sets LATE_OUT and LATE_PID; 1 when
# it did not print ready within 10 s.
late_start() {
	LATE_OUT=$T/late.out
	rm -f "$T/late.in" "$LATE_OUT"
	mkfifo "$T/late.in"
	exec 8<>"$T/late.in"
	"$MKIPC" "$@" <"$T/late.in" >"$LATE_OUT" 2>"$T/late.err" 7>&- 8>&- 9>&- &
	LATE_PID=$!
	until_ok grep -qx ready "$LATE_OUT"
}
late_get() { sed -n "s/^$1=//p" "$LATE_OUT" | head -n 1; }
# late_stop: EOF on its stdin; it ends its children and exits (10 s at
# most: then it is killed).  Exited, it is a zombie until the wait.
late_stop() {
	exec 8>&-
	until_ok exited "$LATE_PID" || kill -9 "$LATE_PID"
	wait "$LATE_PID" 2>/dev/null
}
# paused_at CALL N ARGS...: start ipcinspect ARGS (as ipct) held by the
# preload library right before its Nth call of CALL; 0 once it is held
# there, with PAUSED_PID its pid (lib.sh preload_*)
paused_at() {
	local call=$1 n=$2 c k
	shift 2
	preload_pause_start "$call" "$n" ipct_status "$@"
	preload_wait_paused || return 1
	read -r c k PAUSED_PID _ <"$PRELOAD_DIR/paused"
	[ "$c $k" = "$call $n" ]
}
# resumed: let it go on; its status in rc once it ended (20 s at most)
resumed() {
	preload_resume
	rc=$PRELOAD_RC
}
# actions: what the --json report says was done, one [kind, id, action,
# why, backup] an object
actions() { jq -c '[.actions[] | [.kind, .id, .action, .why, .backup]]' "$T/out"; }

# ============================================================================
# 1. rm --force --backup of a segment being written (defect 2)
# ============================================================================
SIZE=65536
mkipc_start "shm:w,size=$SIZE,attach=1,fill=0x11"
W=$(mkipc_get w.id)
B=$T/b1
mkdir -m 0700 "$B"
paused_at write 1 rm --force -m "$W" --no-syslog --backup "$B" --json
is "$?" 0 "rm --force --backup: held right before its first write"
is "$(names "$B")|$(stat -c %s "$B/.shm-$W.tmp.$PAUSED_PID/data" 2>&1)" ".shm-$W.tmp.$PAUSED_PID|0" \
	"rm --force --backup: at that moment the entry is being written: its data file is made, still empty"
# the writer rewrites the whole segment now, between what rm read so far
# (the segment's state when it attached it) and the write
echo "fill w 0x22" >&9
mkipc_wait w.filled
is "$(mkipc_get w.filled)" 34 "the writer filled the whole segment with 0x22 while rm was held"
resumed
is "$rc|$(err)" "0|" "rm --force --backup of a segment written meanwhile: exit 0, nothing on stderr"
is "$(actions)" \
	"[[\"shm\",$W,\"marked\",\"still attached: removed at its last detach\",\"$B/shm-$W\"]]" \
	"rm --force --backup: the report: marked (the writer is still attached), the entry named"
is "$(awk -v id="$W" 'NR > 1 && $2 == id { print $1, $3, $7 }' /proc/sysvipc/shm)" "0 1600 1" \
	"rm --force --backup: the kernel agrees: the segment is marked (key 0, SHM_DEST), attached once"
E=$B/shm-$W
is "$(names "$B")|$(names "$E")" "shm-$W|SHA256SUMS data manifest.json" "rm --force --backup: one complete entry"
sums_ok "$E"
ok $? "rm --force --backup: sha256sum -c SHA256SUMS passes in the entry"
head -c "$SIZE" /dev/zero | tr '\000' '\042' >"$T/want"
cmp -s "$T/want" "$E/data"
ok $? "rm --force --backup: the data is one state of the segment: $SIZE bytes, all 0x22 (the fill made while rm was held)"
is "$(jq -c '[.content.bytes, .content.sha256]' "$E/manifest.json" 2>&1)" "[$SIZE,\"$(sha "$E/data")\"]" \
	"rm --force --backup: the manifest's size and SHA-256 are the data file's"
ipct restore --no-syslog "$B"
is "$rc|$(err)|$(out | head -n 1)" "0||would-restore shm $W key 0x00000000 from $E" \
	"rm --force --backup: restore's dry run verifies the entry"
mkipc_stop
is "$(ids shm)" "" "the marked segment went with the writer's detach"

# ============================================================================
# 2. clean --backup --yes of a set that gains a waiter during the backup
# (defect 3).  Held at its first fsync: the set's values are read, the
# manifest written; then a process blocks in semop(-1) on semaphore 0.
# ============================================================================
CLEAN="clean --yes --suspects --include-root --min-age 0 --no-syslog --json"
mkipc_start sem:s,key=0x0000b201
M=$(mkipc_get s.id)
B=$T/b2
mkdir -m 0700 "$B"
ipct -t sem --json
is "$(jq -c '[.sem[] | [.id, .verdict, .waiters]]' "$T/out")" "[[$M,\"suspect\",0]]" \
	"set $M: a suspect, nobody waiting"
paused_at fsync 1 $CLEAN --backup "$B" -t sem
is "$?" 0 "clean --backup: held at its first fsync"
is "$(names "$B")|$(names "$B/.sem-$M.tmp.$PAUSED_PID")" ".sem-$M.tmp.$PAUSED_PID|manifest.json" \
	"clean --backup: at that moment the set's entry is being written"
late_start "sem:x,id=$M,ncnt=0"
is "$?" 0 "a process blocks in semop(-1) on semaphore 0 of set $M while clean is held"
WAITER=$(late_get x.waiter)
resumed
is "$rc|$(err)" "0|" "clean --backup, a waiter came during the backup: exit 0 (a skipped object is no failure for clean)"
is "$(actions)" \
	"[[\"sem\",$M,\"skipped\",\"waited on or used while it was backed up\",\"$B/sem-$M\"]]" \
	"clean --backup: the set is skipped, the reason says it was waited on during the backup"
is "$(jq -c '[.summary.removed, .summary.skipped, .summary.failed]' "$T/out")" "[0,1,0]" \
	"clean --backup: summary: 0 removed, 1 skipped, 0 failed"
is "$(ids sem)|$(pstate "$WAITER")" "$M|S" "the set is still there, the waiter still sleeps (no EIDRM)"
ipct -t sem --json
is "$(jq -c '[.sem[] | [.id, .waiters, .semaphores[0].value, .semaphores[0].ncnt]]' "$T/out")" "[[$M,1,0,1]]" \
	"ipcinspect lists the set with its waiter: value 0, ncnt 1"
# release it: one +1 from a process that exits; the waiter takes it
"$MKIPC" "sem:y,id=$M,childop=0" </dev/null >/dev/null 2>"$T/side.err" 7>&- 8>&- 9>&-
is "$?|$(cat "$T/side.err")" "0|" "a process adds 1 to semaphore 0 of set $M, to release the waiter"
until_ok awake "$WAITER"
ipct -t sem --json
is "$(pstate "$WAITER")|$(jq -c '[.sem[] | [.waiters, .semaphores[0].value, .semaphores[0].pid]]' "$T/out")" \
	"Z|[[0,0,$WAITER]]" \
	"released, the waiter's semop(-1) succeeded: it exited, value 0 again, the last semop is its"
late_stop
mkipc_stop

# ============================================================================
# 3. clean --backup --yes of a segment attached during the backup.  Held
# at its first fsync (the data file's): clean has the segment attached.
# ============================================================================
# held_backup KEY DIR: an orphan segment of KEY (its creator gone), 8192
# bytes, S its id; clean --backup DIR of it started, held at its first
# fsync (the data file's: the segment is attached for the copy)
held_backup() {
	mkipc_start "shm:o,key=$1,size=8192,creator=child"
	S=$(mkipc_get o.id)
	B=$T/$2
	mkdir -m 0700 "$B"
	paused_at fsync 1 $CLEAN --backup "$B" -t shm
	is "$?" 0 "clean --backup of segment $S: held at its first fsync"
}
held_backup 0x0000b301 b3
is "$(awk -v id="$S" 'NR > 1 && $2 == id { print $7, $6 }' /proc/sysvipc/shm)" "1 $PAUSED_PID" \
	"clean --backup: at that moment clean has the segment attached for its copy"
late_start "shm:x,id=$S,attach=1"
is "$?" 0 "a process attaches the segment while clean is held"
ATT=$(late_get pid)
resumed
is "$rc|$(err)" "0|" "clean --backup, attached during the backup: exit 0"
is "$(actions)" \
	"[[\"shm\",$S,\"skipped\",\"nattch is 1 now, was 0\",\"$B/shm-$S\"]]" \
	"clean --backup: the segment is skipped: attached once more than at the re-check"
is "$(awk -v id="$S" 'NR > 1 && $2 == id { print $1, $7 }' /proc/sysvipc/shm)" "$((0xb301)) 1" \
	"the segment is still there, not marked (its key), attached once"
is "$(grep -c "/SYSV0000b301 " "/proc/$ATT/maps")" 1 "... by the process that attached it during the backup"
late_stop
mkipc_stop

# ============================================================================
# 4. clean --backup --yes of a segment attached, written and detached during
# the backup by a process that lives on.  Held at its first fsync.
# ============================================================================
held_backup 0x0000b401 b4
late_start "shm:x,id=$S,size=8192,use,fill=0x5a"
is "$?" 0 "a process attaches the segment, fills it with 0x5a and detaches it while clean is held"
USER=$(late_get x.used)
is "$(awk -v id="$S" 'NR > 1 && $2 == id { print $7, $6 }' /proc/sysvipc/shm)" "1 $USER" \
	"at that moment only clean has it attached; the last to attach or detach is that process"
resumed
is "$rc|$(err)" "0|" "clean --backup, attached and detached during the backup: exit 0"
is "$(actions)" \
	"[[\"shm\",$S,\"skipped\",\"attached or detached while it was backed up\",\"$B/shm-$S\"]]" \
	"clean --backup: the segment is skipped: used while it was backed up"
is "$(awk -v id="$S" 'NR > 1 && $2 == id { print $1, $7 }' /proc/sysvipc/shm)|$(exited "$USER" || echo alive)" \
	"$((0xb401)) 0|alive" "the segment is still there (its key), nobody attached; its user lives on"
late_stop
mkipc_stop

done_testing

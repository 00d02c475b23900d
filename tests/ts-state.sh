#!/bin/bash
# The creators state file (--state, ipcinspect(1) "The state file"),
# live, in a private IPC + PID + mount namespace.  A watcher's look is
# tests/helpers/creators-record (creators_load, creators_record on a
# whole judged snapshot, creators_save), as `ipcinspect watch` makes it:
# - a segment's creator seen alive, then killed (SIGKILL: the segment
#   stays): the file (mode 0600) has it once; list --state shows
#   creator.remembered with its exact pid, start, comm, argv, uid, user
#   and unit, the table "PID exited (was ARGV...)", orphans's reason and
#   clean's dry run the same words, metrics counts it in
#   ipcinspect_orphans_remembered; without --state nothing changes;
# - id reuse: the segment removed, a new one with the same id
#   (kernel.shm_next_id), a later ctime and even the same creator pid
#   (ns_last_pid) is not attributed to the old creator; the next look
#   prunes the old entry;
# - refusals, exit 1, one line each, the file never modified: truncated,
#   owned by another uid, mode 0644, a symbolic link, above 64 MiB
#   (sparse), not a regular file; --state with --no-owners, exit 2;
# - an atomic save into a read-only directory fails and leaves the old
#   file and no temporary file.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"	# bash, even where make runs /bin/sh
. "${TESTS_SRCDIR:?run the tests with make check}/lib.sh" || exit 99
ns_enter "$@"
ns_check_empty
command -v jq >/dev/null || skip_all "jq not installed"
[ "$$" -eq 1 ] || bail "not pid 1 of a private pid namespace: refusing to write /proc/sys"
: "${CREATORS_RECORD:?run the tests with make check}"

export LC_ALL=C TZ=UTC
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
close_inherited_fds
MC=${MKIPC##*/}
MC=${MC:0:15}
mkdir -m 0700 "$T/state"
S=$T/state/creators.json

# record [FILE]: one look of a watcher; prints "STATUS OUTPUT"
record() {
	"$CREATORS_RECORD" "${1:-$S}" </dev/null >"$T/rec" 2>&1 7>&- 8>&- 9>&-
	echo "$? $(cat "$T/rec")"
}
# --- a creator seen alive, then killed ------------------------------------
mkipc_start shm:x,key=0x5e01
H=$(mkipc_get pid) ID=$(mkipc_get x.id)
ARGV=$(tr '\0' '\n' <"/proc/$H/cmdline" | jq -R . | jq -sc .)
WORDS=$(tr '\0' ' ' <"/proc/$H/cmdline")
WORDS=${WORDS% }
ORACLE=$(start_ms_of "$H")
ipci list --json -t shm
UNIT=$(jq -c '.shm[0].unit[0] // null' "$T/out")
T0=$(date +%s)
is "$(record)" "0 changed 1" "a look with the creator alive records it"
T1=$(date +%s)
is "$(stat -c %a "$S")" "600" "the state file is mode 0600"
is "$(record)" "0 unchanged 1" "the next look changes nothing: the file is not written"
SEEN=$(jq '.entries[0].seen' "$S")
if python3 -c 'import jsonschema' 2>/dev/null; then
	is "$(python3 - "$TOP_SRCDIR/doc/ipcinspect-creators.schema.json" "$S" <<'PY'
import json, sys
from jsonschema import Draft202012Validator
schema = json.load(open(sys.argv[1]))
Draft202012Validator.check_schema(schema)
errors = list(Draft202012Validator(schema).iter_errors(json.load(open(sys.argv[2]))))
print("valid" if not errors else errors[0].message)
PY
)" "valid" "the file is valid against doc/ipcinspect-creators.schema.json"
else
	tap_n=$((tap_n + 1))
	echo "ok $tap_n # SKIP python3-jsonschema is not installed"
fi
ok "$([ "$SEEN" -ge "$T0" ] && [ "$SEEN" -le "$T1" ]; echo $?)" "seen is the time of the look ($SEEN)"
kill -9 "$H"
wait "$MKIPC_PID" 2>/dev/null
exec 9>&-
rm -rf "$MKIPC_DIR"

ipci list --state "$S" --json -t shm
is "$rc" 0 "list --state: exit 0"
is "$(jq -c '.shm[0].creator | del(.remembered.start)' "$T/out")" \
	"{\"pid\":$H,\"tgid\":null,\"alive\":false,\"comm\":null,\"why\":\"exited\",\"remembered\":{\"pid\":$H,\"comm\":\"$MC\",\"argv\":$ARGV,\"uid\":0,\"user\":\"root\",\"unit\":$UNIT,\"container\":null,\"seen\":$SEEN}}" \
	"creator.remembered: pid, comm, argv, uid, user, unit, seen"
START_MS=$(jq '.entries[0].start_ms' "$S")
D=$((START_MS - ORACLE))
ok "$([ "${D#-}" -le 250 ]; echo $?)" "the file's start_ms is the creator's start ($START_MS, the oracle $ORACLE)"
is "$(jq '.shm[0].creator.remembered.start' "$T/out")" "$((START_MS / 1000))" \
	"creator.remembered.start: the second of start_ms"
is "$(jq -r '.shm[0].verdict' "$T/out")" "orphan" "the verdict is the same: orphan"
U=$(jq -r '.shm[0].unit[0] // empty' "$T/out")
WAS="was $WORDS${U:+, unit $U}"
ipci list --state "$S" -t shm -n -o CREATOR --notruncate
is "$(out)" "$H exited ($WAS)" "the CREATOR cell names what was remembered"
ipci list -t shm -n -o CREATOR --notruncate
is "$(out)" "$H (exited)" "without --state: as before"
ipci list --json -t shm
is "$(jq -c '.shm[0].creator | has("remembered")' "$T/out")" "false" \
	"without --state: no remembered member"
ipci orphans --state "$S" --json -t shm
is "$(jq -c '.shm[0].reasons' "$T/out")" \
	"[\"nattch 0\",\"no process of this IPC namespace maps it\",\"creator $H exited ($WAS)\",\"never attached\"]" \
	"orphans: the reason names what was remembered"
ipci clean --state "$S" --min-age 0 --include-root --no-syslog -t shm
is "$(grep -cF "creator $H exited ($WAS)" "$T/out")" 1 "clean's dry run says it too"
ipci metrics --state "$S" -t shm
is "$(grep '^ipcinspect_orphans_remembered' "$T/out")" 'ipcinspect_orphans_remembered{kind="shm"} 1' \
	"metrics --state: one orphan whose creator is remembered"
ipci metrics -t shm
is "$(grep -c 'ipcinspect_orphans_remembered' "$T/out")" 0 "metrics without --state: no such series"

# --- id reuse: same id, same pid, later ctime ------------------------------
cp -p "$S" "$T/old.json"
ipcrm -m "$ID"
second_start
echo "$ID" >/proc/sys/kernel/shm_next_id
mkfifo "$T/in2"
read -r last </proc/sys/kernel/ns_last_pid
echo $((H - 1)) >/proc/sys/kernel/ns_last_pid
"$MKIPC" shm:y,key=0x5e02 <"$T/in2" >"$T/out2" 2>"$T/err2" &
H2=$!
echo "$last" >/proc/sys/kernel/ns_last_pid
exec 8>"$T/in2"
helper_wait_ready "$H2" "$T/out2" "$T/err2" mkipc
is "$H2 $(sed -n 's/^y.id=//p' "$T/out2")" "$H $ID" "the new segment has the old id, its creator the old pid"
kill -9 "$H2"
wait "$H2" 2>/dev/null
exec 8>&-
ipci list --state "$T/old.json" --json -t shm
is "$(jq -c '[.shm[0].id, .shm[0].creator.pid, (.shm[0].creator | has("remembered"))]' "$T/out")" \
	"[$ID,$H,false]" "a later ctime: not attributed to the old creator"
ipci list --state "$T/old.json" -t shm -n -o CREATOR --notruncate
is "$(out)" "$H (exited)" "the table says only exited"
ipci metrics --state "$T/old.json" -t shm
is "$(grep '^ipcinspect_orphans_remembered' "$T/out")" 'ipcinspect_orphans_remembered{kind="shm"} 0' \
	"metrics: the new segment's creator is not remembered"
cp -p "$T/old.json" "$S"
is "$(record)" "0 changed 0" "the next look prunes the entry of the removed segment"
is "$(jq -c '.entries' "$S")" "[]" "the file has no entry left"

# --- refusals ------------------------------------------------------------
cp -p "$T/old.json" "$S"
# refused FILE WANT NAME: list --state FILE exits 1 with WANT, FILE unchanged
refused() {
	local sum=
	# a FIFO's open would wait for a writer
	[ -f "$1" ] && [ ! -L "$1" ] && sum=$(sha256sum <"$1")
	ipci list --state "$1" -t shm
	is "$rc|$(out)|$(err)" "1||ipcinspect: --state $1: $2" "$3: refused, exit 1"
	[ -z "$sum" ] || is "$(sha256sum <"$1")" "$sum" "$3: the file is not modified"
}
head -c -2 "$S" >"$T/trunc.json"	# without its last "}\n"
chmod 0600 "$T/trunc.json"
refused "$T/trunc.json" "not JSON (line 8: '}' expected near end of file)" "truncated"
cp -p "$S" "$T/mode.json"
chmod 0644 "$T/mode.json"
refused "$T/mode.json" "mode 0644: others than its owner may read or write it (0600 at most)" \
	"mode 0644"
ln -s "$S" "$T/link.json"
refused "$T/link.json" "a symbolic link: not followed" "a symbolic link"
truncate -s 65M "$T/huge.json"
chmod 0600 "$T/huge.json"
refused "$T/huge.json" "larger than 64 MiB" "a sparse file of 65 MiB"
mkfifo -m 0600 "$T/fifo.json"
refused "$T/fifo.json" "not a regular file" "a FIFO"
if [ -z "${IPCI_USERNS:-}" ]; then
	cp -p "$S" "$T/other.json"
	chown 1000 "$T/other.json"
	refused "$T/other.json" "owned by uid 1000, not by root" "a file of uid 1000"
fi
ipci list --state "$S" --no-owners -t shm
is "$rc|$(head -n 1 "$T/err")" \
	"2|ipcinspect: --state tells of creators the process scan finds gone: it cannot go with --no-owners" \
	"--state with --no-owners: a usage error"

# --- an atomic save that fails ----------------------------------------------
mkdir "$T/ro"
mount -t tmpfs -o size=1m,mode=0700 tmpfs "$T/ro"
cp -p "$T/old.json" "$T/ro/creators.json"
mount -o remount,ro "$T/ro"
is "$(record "$T/ro/creators.json")" \
	"1 creators-record: cannot create a temporary file beside it: Read-only file system" \
	"a look whose save fails says why"
is "$(cmp "$T/old.json" "$T/ro/creators.json" && ls -A "$T/ro")" "creators.json" \
	"the old file is as it was, and no temporary file is left"
umount "$T/ro"

ipcrm -m "$ID"

# --- the watcher itself: watch --state --------------------------------------
# until CMD succeeds (10 s at most)
until_true() {
	local i
	for i in $(seq 500); do
		eval "$1" && return 0
		sleep 0.02
	done
	return 1
}
mkdir -m 0700 "$T/w"
WS=$T/w/creators.json
cp -p "$T/old.json" "$WS"	# an entry of the segment removed above
"$IPCINSPECT" watch --json --interval 100ms --state "$WS" >"$T/w.json" 2>"$T/w.err" </dev/null \
	7>&- 8>&- 9>&- &
WP=$!
mkipc_start shm:z,key=0x5e03
H3=$(mkipc_get pid) ID3=$(mkipc_get z.id)
ARGV3=$(tr '\0' '\n' <"/proc/$H3/cmdline" | jq -R . | jq -sc .)
WORDS3=$(tr '\0' ' ' <"/proc/$H3/cmdline")
WORDS3=${WORDS3% }
until_true '[ "$(jq -c ".entries | map([.kind, .id, .pid])" "$WS" 2>/dev/null)" = "[[\"shm\",$ID3,$H3]]" ]'
ok $? "watch --state: the file has the live creator of the new segment alone (the old entry pruned)"
is "$(stat -c %a "$WS")" 600 "watch --state: the file is mode 0600"
kill -9 "$H3"
wait "$MKIPC_PID" 2>/dev/null
exec 9>&-
rm -rf "$MKIPC_DIR"
until_true 'grep -q "\"event\":\"creator-exited\"" "$T/w.json"'
is "$(jq -c 'select(.event == "creator-exited") | [.id, .creator.pid, .creator.remembered.comm, .creator.remembered.argv]' "$T/w.json")" \
	"[$ID3,$H3,\"$MC\",$ARGV3]" "watch: the creator-exited event names what it remembered of the creator"
ipci list --state "$WS" -t shm -n -o CREATOR --notruncate
U3=$(jq -r '.entries[0].unit // empty' "$WS")
is "$(out)" "$H3 exited (was $WORDS3${U3:+, unit $U3})" \
	"list --state on the watcher's file: the creator that exited, as the watcher saw it alive"
# removed: the event shows the segment as the last look saw it, its
# creator's memory too, though the look that sees it gone prunes the entry
ipcrm -m "$ID3"
until_true 'grep -q "\"event\":\"removed\"" "$T/w.json"'
is "$(jq -c 'select(.event == "removed") | [.id, .creator.remembered.pid, .creator.remembered.argv]' "$T/w.json")" \
	"[$ID3,$H3,$ARGV3]" "watch: the removed event still names the remembered creator"
until_true '[ "$(jq -c .entries "$WS")" = "[]" ]'
ok $? "watch --state: the removed segment's entry is pruned"
kill -TERM "$WP"
wait "$WP"
is "$?|$(cat "$T/w.err")" "0|" "watch --state: SIGTERM ends it, exit 0, nothing on stderr"
json_keep "$T/w.json" 0 watch --json --state
done_testing

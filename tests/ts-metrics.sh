#!/bin/bash
# `ipcinspect metrics`, live, in a private IPC + PID + mount namespace
# populated by mkipc (SysV objects in use and orphaned, POSIX objects,
# a pipe, a FIFO with a hostile name): the output passes `promtool check
# metrics`, and every value equals what jq computes from `list --json`
# of the same state (objects and bytes by kind and verdict, the oldest
# orphan and suspect ages, limits and usage, the scan), with
# --all-namespaces too, each namespace under its label.  --textfile
# replaces DIR/ipcinspect.prom atomically: the file is complete, 0644,
# replaced by a second run, no temporary file remains, and a directory
# that cannot be written (read-only, full) exits 1 with one line and
# leaves the old file.  A failed collection still says ipcinspect_up 0.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"	# bash, even where make runs /bin/sh
. "${TESTS_SRCDIR:?run the tests with make check}/lib.sh" || exit 99
ns_enter "$@"
ns_check_empty
command -v jq >/dev/null || skip_all "jq not installed"
command -v promtool >/dev/null || skip_all "promtool not installed (Debian: the prometheus package)"
command -v ipcmk >/dev/null || skip_all "ipcmk not installed"
# Mounts go over /proc and under $T: only ever in the namespace lib.sh made.
[ "$$" -eq 1 ] || bail "not inside the private namespace (pid $$): refusing to mount"

export LC_ALL=C TZ=UTC
T=$(mktemp -d)
OTHER=
trap '[ -n "$OTHER" ] && kill "$OTHER" 2>/dev/null; umount /proc/sysvipc "$T/ro" "$T/full" 2>/dev/null; rm -rf "$T"' EXIT

# check_metrics FILE: promtool's verdict on FILE (status, then what it said)
check_metrics() {
	local said
	said=$(promtool check metrics <"$1" 2>&1)
	echo "$?:$said"
}

# the samples of family NAME in FILE, as "name{labels} value" lines
family() { grep "^$2[{ ]" "$1"; }

# --- a populated namespace --------------------------------------------------
mkdir "$T/fifos"
hostile=$'a"b\\c\nd'
mkipc_start shm:a,size=5000,attach=1 shm:o1,size=12345,creator=child \
	shm:o2,size=100,creator=child msg:q,send=1:10 msg:e sem:s,nsems=2 \
	pshm:p,path=/px,size=3000 pshm:h,path=/ph,size=4096,fd psem:ps,path=/ps \
	pmq:m,path=/pm,send=2 pipe:pp,ends=both "fifo:f,path=$T/fifos/$hostile"

ipci list --json --fifo-dir "$T/fifos"
cp "$T/out" "$T/list.json"
is "$rc/$(err)" "0/" "list --json of the populated namespace"
ipci metrics --fifo-dir "$T/fifos"
cp "$T/out" "$T/m.prom"
is "$rc/$(err)" "0/" "metrics: exit 0, nothing on stderr"
is "$(check_metrics "$T/m.prom")" "0:" "metrics: promtool check metrics has nothing to say"
is "$(jq -r '[.shm[], .msg[] | select(.verdict == "orphan")] | length' "$T/list.json")" 2 \
	"the state has two orphans (the segments whose creators exited)"

# What the metrics must say, computed by jq from a listing's document:
# each scope is the document (or one of its --all-namespaces sections)
# with its namespace label (null: none); the kinds are its arrays.
JQ_LIB='
def kinds: [to_entries[] | select((.value | type) == "array" and
	.key != "warnings" and .key != "processes" and .key != "namespaces") | .key];
def verdicts: ["in-use", "orphan", "suspect", "unknown"];
# the bytes an object holds: these kinds sizes, the queues bytes queued
def bytes: {"shm": "size", "msg": "used_bytes", "pshm": "size", "pmq": "used_bytes", "memfd": "size"};
def scopes: if .namespaces then [[., "host"]] +
	[.namespaces[] | select(.error == null) | [., (.ipc_ns | tostring)]] else [[., null]] end;
def lab($ns): if $ns == null then "" else "namespace=\"\($ns)\"," end;
def objects: scopes[] as [$d, $ns] | $d | kinds[] as $k | verdicts[] as $v |
	"ipcinspect_objects{\(lab($ns))kind=\"\($k)\",verdict=\"\($v)\"} \([$d[$k][] | select(.verdict == $v)] | length)";
def object_bytes: scopes[] as [$d, $ns] | $d | kinds[] as $k | select(bytes[$k]) | verdicts[] as $v |
	"ipcinspect_object_bytes{\(lab($ns))kind=\"\($k)\",verdict=\"\($v)\"} \([$d[$k][] | select(.verdict == $v) | .[bytes[$k]] // 0] | add // 0)";
def quantities: .limits | to_entries[] | select(.value.unit != "id" and .value.unit != "boolean" and
	(.value.unlimited | not) and .value.value != null);
def limit: scopes[] as [$d, $ns] | $d | quantities |
	"ipcinspect_limit{\(lab($ns))limit=\"\(.key)\"} \(.value.value)";
def limit_usage: scopes[] as [$d, $ns] | $d | quantities | select(.value.used != null) |
	"ipcinspect_limit_usage{\(lab($ns))limit=\"\(.key)\"} \(.value.used)";
'
expect() { jq -r "$JQ_LIB $1" "$2"; }	# expect JQ-FUNCTION LISTING

is "$(family "$T/m.prom" ipcinspect_objects)" "$(expect objects "$T/list.json")" \
	"ipcinspect_objects: every kind x verdict, zeros included, as counted in the JSON"
is "$(family "$T/m.prom" ipcinspect_object_bytes)" "$(expect object_bytes "$T/list.json")" \
	"ipcinspect_object_bytes: sizes and bytes queued by kind and verdict, as summed from the JSON"
is "$(family "$T/m.prom" ipcinspect_object_bytes | grep -c 'verdict="orphan"} 12445$')" 1 \
	"ipcinspect_object_bytes: the two orphaned segments' 12345 + 100 bytes"

# ages move with the clock between the two runs: the metrics' age is the
# JSON's plus at most the seconds between the JSON's time and the end of
# the metrics run
t_json=$(jq .time "$T/list.json")
t_end=$(family "$T/m.prom" ipcinspect_last_run_timestamp_seconds | awk '{ print int($2) + 1 }')
for v in orphan suspect; do
	want=$(jq -r --arg v "$v" "$JQ_LIB"'kinds[] as $k | [.[$k][] | select(.verdict == $v and .age != null) | .age] |
		select(length > 0) | "\($k) \(max)"' "$T/list.json")
	got=$(family "$T/m.prom" "ipcinspect_oldest_${v}_age_seconds" |
		sed 's/^[^"]*"\([^"]*\)"} / \1 /; s/^ //')
	is "$(cut -d' ' -f1 <<<"$got")" "$(cut -d' ' -f1 <<<"$want")" \
		"ipcinspect_oldest_${v}_age_seconds: the kinds with ${v}s, and only those"
	bad=$(paste -d' ' <(cut -d' ' -f2 <<<"$want") <(cut -d' ' -f2 <<<"$got") |
		awk -v d=$((t_end - t_json)) '$2 < $1 || $2 > $1 + d')
	is "$bad" "" "ipcinspect_oldest_${v}_age_seconds: the JSON's oldest age, give or take the time between the runs"
done

is "$(family "$T/m.prom" ipcinspect_limit)" "$(expect limit "$T/list.json")" \
	"ipcinspect_limit: every limited quantity of the JSON, with its value"
is "$(family "$T/m.prom" ipcinspect_limit_usage)" "$(expect limit_usage "$T/list.json")" \
	"ipcinspect_limit_usage: the usage the kernel counts, as in the JSON"
is "$(family "$T/m.prom" ipcinspect_limit_usage | grep -c '^ipcinspect_limit_usage{limit="shmmni"} 3$')" 1 \
	"ipcinspect_limit_usage: shmmni's usage is the three segments"
is "$(family "$T/m.prom" 'ipcinspect_scan_[a-z_]*')" \
	"$(jq -r '.scan | "ipcinspect_scan_processes \(.processes)\nipcinspect_scan_unreadable_processes \(.unreadable)\nipcinspect_scan_complete \(if .complete then 1 else 0 end)"' "$T/list.json")" \
	"ipcinspect_scan_*: the scan's counts and completeness, as in the JSON"
is "$(family "$T/m.prom" ipcinspect_up)|$(family "$T/m.prom" ipcinspect_build_info)" \
	"ipcinspect_up 1|ipcinspect_build_info{version=\"$("$IPCINSPECT_BIN" --version | cut -d' ' -f2)\"} 1" \
	"ipcinspect_up 1, and the version as build_info's label"
# by design no label holds untrusted bytes (a FIFO's name is in the
# listing, never in a label): every label value is a word of ours
is "$(grep -v '^#' "$T/m.prom" | grep -o '="[^"]*"' | sort -u | grep -cv '^="[a-z0-9_.-]*"$')" 0 \
	"no label value but words of ipcinspect's own, with a FIFO named $(printf %q "$hostile") listed"
is "$(grep -c 'kind="fifo",verdict="suspect"} 1$' "$T/m.prom")" 1 "... and that FIFO counted"

# --- --textfile ---------------------------------------------------------------
# what may change between two runs: the run's own times, and the ages
strip_run() {
	grep -v '^ipcinspect_\(last_run_timestamp_seconds\|run_duration_seconds\|oldest_[a-z]*_age_seconds\)[{ ]' "$1"
}
mkdir "$T/tf"
ipci metrics --fifo-dir "$T/fifos" --textfile "$T/tf"
is "$rc/$(out)/$(err)" "0//" "--textfile: exit 0, nothing on stdout or stderr"
is "$(ls -A "$T/tf")" "ipcinspect.prom" "--textfile: ipcinspect.prom alone, no temporary file left"
is "$(check_metrics "$T/tf/ipcinspect.prom")" "0:" "--textfile: promtool check metrics on the file"
is "$(stat -c %a "$T/tf/ipcinspect.prom")" 644 "--textfile: the file is 0644, for node_exporter"
is "$(strip_run "$T/tf/ipcinspect.prom")" "$(strip_run "$T/m.prom")" \
	"--textfile: the same exposition as on stdout (but times and ages)"
ino=$(stat -c %i "$T/tf/ipcinspect.prom")
ipci metrics -t shm --textfile "$T/tf"
is "$rc|$(ls -A "$T/tf")|$(grep -c 'kind="msg"' "$T/tf/ipcinspect.prom")" "0|ipcinspect.prom|0" \
	"a second run (-t shm) replaces the file, and leaves no temporary file"
[ "$(stat -c %i "$T/tf/ipcinspect.prom")" != "$ino" ]
ok $? "... by a rename: a new file, never the old one rewritten in place"

mkdir "$T/ro"
mount -t tmpfs -o size=64k ipci-ro "$T/ro" || bail "cannot mount a tmpfs under $T"
cp "$T/tf/ipcinspect.prom" "$T/ro/" && mount -o remount,ro "$T/ro"
ipci metrics --textfile "$T/ro"
is "$rc|$(out)|$(err)" \
	"1||ipcinspect: --textfile $T/ro: cannot create a temporary file in it: Read-only file system" \
	"a read-only directory: exit 1, one line"
cmp -s "$T/ro/ipcinspect.prom" "$T/tf/ipcinspect.prom"
ok $? "... the old file stays as it was"

# a file system with room for the old file only: the write fails midway
mkdir "$T/full"
mount -t tmpfs -o size=4k ipci-full "$T/full" || bail "cannot mount a tmpfs under $T"
cp "$T/tf/ipcinspect.prom" "$T/full/"
ipci metrics --textfile "$T/full"
is "$rc|$(out)|$(err)" \
	"1||ipcinspect: --textfile $T/full: cannot write the temporary file: No space left on device" \
	"a full file system: exit 1, one line"
is "$(ls -A "$T/full")" "ipcinspect.prom" "... the temporary file is removed"
cmp -s "$T/full/ipcinspect.prom" "$T/tf/ipcinspect.prom"
ok $? "... and the old file stays as it was"
ipci metrics --textfile "$T/nonexistent"
is "$rc|$(err)" \
	"1|ipcinspect: --textfile $T/nonexistent: cannot create a temporary file in it: No such file or directory" \
	"a directory that does not exist: exit 1, one line"
# the directory cannot be synced after the rename: the new file is in
# place, so that is not a failure; the file itself cannot be synced: it is
mkdir "$T/sync"
echo old >"$T/sync/ipcinspect.prom"
LD_PRELOAD="$IPCI_PRELOAD" IPCI_FAULT=fsync:2:EIO ipci metrics --textfile "$T/sync"
is "$rc|$(out)|$(err)|$(ls -A "$T/sync")|$(family "$T/sync/ipcinspect.prom" ipcinspect_up)" \
	"0|||ipcinspect.prom|ipcinspect_up 1" \
	"the directory's fsync fails after the rename: exit 0, the new file in place"
echo old >"$T/sync/ipcinspect.prom"
LD_PRELOAD="$IPCI_PRELOAD" IPCI_FAULT=fsync:1:EIO ipci metrics --textfile "$T/sync"
is "$rc|$(out)|$(err)|$(ls -A "$T/sync")|$(cat "$T/sync/ipcinspect.prom")" \
	"1||ipcinspect: --textfile $T/sync: cannot write the temporary file: Input/output error|ipcinspect.prom|old" \
	"the temporary file's fsync fails: exit 1, one line, the old file stays, no temporary file"

# --- a failed collection --------------------------------------------------------
mount -t tmpfs ipci-hide /proc/sysvipc || bail "cannot hide /proc/sysvipc"
ipci metrics
is "$rc|$(err)" "1|ipcinspect: cannot read /proc/sysvipc/shm: No such file or directory" \
	"/proc/sysvipc hidden: exit 1, the reason on stderr"
is "$(check_metrics "$T/out")" "0:" "... and still a valid exposition"
is "$(grep -v '^#' "$T/out" | sed 's/ .*//' | tr '\n' ' ')" \
	"ipcinspect_up ipcinspect_build_info{version=\"$("$IPCINSPECT_BIN" --version | cut -d' ' -f2)\"} ipcinspect_last_run_timestamp_seconds ipcinspect_run_duration_seconds " \
	"... of the run's own series alone"
is "$(family "$T/out" ipcinspect_up)" "ipcinspect_up 0" "... with ipcinspect_up 0"
ipci metrics --textfile "$T/tf"
is "$rc|$(family "$T/tf/ipcinspect.prom" ipcinspect_up)|$(ls -A "$T/tf")" \
	"1|ipcinspect_up 0|ipcinspect.prom" "--textfile: the file says ipcinspect_up 0, so the alert fires"
umount /proc/sysvipc
# a namespace that cannot be entered is a failed collection too
ipci metrics --namespace 99999
is "$rc|$(family "$T/out" ipcinspect_up)|$(wc -l <"$T/err")" "1|ipcinspect_up 0|1" \
	"--namespace of no process: exit 1, one line on stderr, ipcinspect_up 0"

# --- --all-namespaces ------------------------------------------------------------
# another IPC namespace, with a segment whose creator (ipcmk) exited
unshare --ipc sh -c 'ipcmk -M 4096 >/dev/null && exec sleep 300' </dev/null >/dev/null 2>&1 &
OTHER=$!
i=0
until [ "$(cat "/proc/$OTHER/comm" 2>/dev/null)" = sleep ]; do
	i=$((i + 1))
	[ $i -le 100 ] || bail "the process of the other IPC namespace did not start"
	sleep 0.05
done
other_ns=$(stat -L -c %i "/proc/$OTHER/ns/ipc")
ipci list --json --all-namespaces --fifo-dir "$T/fifos"
cp "$T/out" "$T/all.json"
ipci metrics --all-namespaces --fifo-dir "$T/fifos"
cp "$T/out" "$T/all.prom"
kill "$OTHER"
wait "$OTHER" 2>/dev/null
is "$rc|$(check_metrics "$T/all.prom")" "0|0:" "--all-namespaces: exit 0, and promtool has nothing to say"
is "$(jq '[.namespaces[] | select(.ipc_ns == '"$other_ns"' and .error == null)] | length' "$T/all.json")" 1 \
	"--all-namespaces: the listing has the other namespace"
for f in objects object_bytes limit limit_usage; do
	fam=ipcinspect_$f
	is "$(family "$T/all.prom" "$fam")" "$(expect "$f" "$T/all.json")" \
		"--all-namespaces: $fam of every namespace as in the JSON, labelled host or by inode"
done
is "$(grep -c "^ipcinspect_objects{namespace=\"$other_ns\",kind=\"shm\",verdict=\"orphan\"} 1\$" "$T/all.prom")" 1 \
	"--all-namespaces: the other namespace's orphaned segment, under its inode"
is "$(grep -c '^ipcinspect_objects{kind=' "$T/all.prom")" 0 "--all-namespaces: every object sample has its namespace"

# --- the command line -------------------------------------------------------------
for a in --json -J --output=id --raw --bytes --no-owners; do
	ipci metrics "$a"
	long=${a%%=*}
	[ "$long" = -J ] && long=--json
	is "$rc|$(out)|$(head -n 1 "$T/err")" "2||ipcinspect: 'metrics' does not take $long" \
		"metrics $a: refused, exit 2"
done
ipci metrics --textfile
is "$rc|$(head -n 1 "$T/err")" "2|ipcinspect: option '--textfile' requires an argument" \
	"--textfile without a directory: exit 2"
ipci metrics --textfile ''
is "$rc|$(head -n 1 "$T/err")" "2|ipcinspect: --textfile needs a directory" \
	"--textfile '': exit 2"
ipci list --textfile "$T/tf"
is "$rc|$(head -n 1 "$T/err")" "2|ipcinspect: 'list' does not take --textfile" \
	"--textfile is metrics' alone"

mkipc_stop
done_testing

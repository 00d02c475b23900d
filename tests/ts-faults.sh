#!/bin/bash
# Fault injection walk, live, in a private IPC + PID + mount namespace,
# with the test-only preload library (tests/helpers/preload.c): for each
# of `clean --backup DIR --yes`, `rm --backup DIR` (of two objects) and
# `restore DIR --yes` on a populated namespace (a filled segment, a queue
# of messages with distinct bodies, a set with values: orphans made by
# ipcmk and filled by a mkipc run, both of which exit), it first counts
# the calls the command makes (IPCI_COUNT), then runs it again once per
# call N of read, openat, write, fsync, renameat2, rename, mkdirat, shmat,
# shmctl, msgrcv, msgctl and semctl, failing that Nth call (IPCI_FAULT)
# with EIO, ENOSPC, ENOMEM, EINTR or EACCES in turn.  After each run:
#   - no object is gone without a complete backup entry (sha256sum -c of
#     its SHA256SUMS passes, and it saved what the fault-free run saved:
#     kind, mode, values, the sha256 of its data); checked for all the
#     runs of a walk at its end, with one sha256sum and one jq;
#   - restore leaves no half-made object: what exists is exactly what was
#     saved (ipcdump: key, mode, owner, size, content, values);
#   - whenever the command did not do all it was asked, it says so: a
#     failure is a non-zero exit and a line on stderr (not only a `failed`
#     line of the report on stdout); an object kept because it could not
#     be read (not proven removable: its verdict is unknown) is exit 0 and
#     a warning on stderr, or for a semaphore set read with EACCES the
#     SEM-ERROR "permission denied" of the listing, as for a set one may
#     not read; clean leaves an object that changed since it was judged
#     with exit 0 and a `skipped` line;
#   - stderr holds no sanitizer report.
# Then one fault each for the defects the walk found, with exact words.
# The population is made afresh before each run.  Bounded (about 190
# runs, ~40 s on 2 cores): every call of every function but read and
# openat is walked, the mutating ones (write, fsync, renameat2, rename,
# mkdirat, shmctl, msgctl, semctl) among them; read and openat (many
# calls: the /proc scan) are walked in full up to 12 calls, then on a
# stride that keeps 12 of them.
# Prints "# CMD: calls faulted/made: CALL N/TOTAL ...; S s" per walk and
# "# faults injected: N, objects removed without backup: N, half-made
# objects: N, silent failures: N, sanitizer reports: N, failures reported
# on stdout only: N" (CI prints that line); each count but the first must
# be 0.  FAULT_CALLS="CALL ..." in the environment walks only those.
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

# Each run of the walk costs the command itself and what the test spawns
# around it, which was most of the time: the helpers start as few
# programs as they can (/proc/sysvipc is read by the shell, one ipcmk
# makes the three objects, one mkipc fills them), and the backups of a
# whole walk are checked at its end, with one sha256sum and one jq.
side() { "$MKIPC" "$@" </dev/null >/dev/null 2>"$T/side.err" || bail "mkipc $*: $(cat "$T/side.err")"; }
dump() { "$IPCDUMP" "$@" 2>&1; }
# ids_into VAR KIND: VAR is the ids in /proc/sysvipc/KIND, space separated
ids_into() {
	local -n ids_ret=$1
	local line id
	ids_ret=
	{
		read -r line
		while read -r _ id _; do ids_ret+=${ids_ret:+ }$id; done
	} <"/proc/sysvipc/$2"
}
ids() { local v; ids_into v "$1"; echo "$v"; }
# now: NOW_shm, NOW_msg, NOW_sem are the ids there are now
now() { ids_into NOW_shm shm; ids_into NOW_msg msg; ids_into NOW_sem sem; }
rm_all() { ipcrm --all 2>/dev/null; }
# populate: one object of each kind, S Q M their ids, made by ipcmk
# (which exits: orphans) and filled by a mkipc run that exits too
populate() {
	rm_all
	ipcmk -M 12000 -Q -S 3 -p 0640 >/dev/null || bail "ipcmk failed"
	ids_into S shm
	ids_into Q msg
	ids_into M sem
	side "shm:x,id=$S,size=12000,attach=1,fill=pattern" \
		"msg:y,id=$Q,body=pattern,send=1:100,send=5:0,send=2:3000" \
		"sem:z,id=$M,nsems=3,values=3:0:7"
}
# obj_id KIND: the id of the populated object of KIND
obj_id() { case $1 in shm) echo "$S" ;; msg) echo "$Q" ;; sem) echo "$M" ;; esac; }
# what an object holds, without its id (a restored one has another)
state() {
	local line out=
	while IFS= read -r line; do [[ $line == id=* ]] || out+=$line$'\n'; done < <(dump "$1" "$2")
	printf '%s' "$out"
}

# entries_check ENTRY...: prints each ENTRY that is not complete and
# verified, with what it saved: its SHA256SUMS lists its manifest.json,
# every file it lists has that sha256 (sha256sum -c), and its kind, mode
# and values (manifest.json, which also holds keys, ids and times, new
# each run) and the sha256 of its data are the reference entry's, SUMS_KIND
entries_check() {
	local ent h f list= kind line bad=()
	local -A data=() saved=() failed=()
	for ent; do
		if [ ! -f "$ent/SHA256SUMS" ] || [ ! -f "$ent/manifest.json" ]; then
			failed[$ent]=1
			continue
		fi
		data[$ent]=- failed[$ent]=1	# until its manifest.json is listed
		while read -r h f; do
			[[ $h =~ ^[0-9a-f]{64}$ ]] || failed[$ent]=1	# no line of SHA256SUMS' form
			list+="$h  $ent/$f"$'\n'
			case $f in manifest.json) unset "failed[$ent]" ;; data) data[$ent]=$h ;; esac
		done <"$ent/SHA256SUMS"
	done
	# sha256sum -c --quiet: "PATH: FAILED" (or "FAILED open or read")
	while IFS= read -r line; do
		failed[${line%/*}]=1
	done < <(printf '%s' "$list" | sha256sum -c --strict --quiet 2>/dev/null | grep ': FAILED')
	entries_saved "$@"
	for ent; do
		kind=${ent##*/}
		kind=SUMS_${kind%%-*}
		[ -z "${failed[$ent]:-}" ] && [ "${saved[$ent]:-} ${data[$ent]:-}" = "${!kind}" ] ||
			echo "$ent"
	done
}
# entries_saved ENTRY...: saved[ENTRY] is what its manifest says it saved
# (in the caller's associative array saved): one jq for all, or one each
# when one of them cannot be read (jq stops at the first)
entries_saved() {
	local ent line manifests=()
	for ent; do [ ! -f "$ent/manifest.json" ] || manifests+=("$ent/manifest.json"); done
	[ ${#manifests[@]} -gt 0 ] || return 0
	if ! line=$(jq -c '[input_filename, .kind, .ipc.mode, .content.values] | "\(.[0]) \(.[1:])"' \
		-r "${manifests[@]}" 2>/dev/null); then
		line=
		for ent in "${manifests[@]}"; do
			line+=$(jq -c '[input_filename, .kind, .ipc.mode, .content.values] | "\(.[0]) \(.[1:])"' \
				-r "$ent" 2>/dev/null)$'\n'
		done
	fi
	while read -r ent line; do
		[ -n "$ent" ] && saved[${ent%/manifest.json}]=$line
	done <<<"$line"
}
# entry_ref KIND: SUMS_KIND, what the reference entry of KIND saved
entry_ref() {
	local ent=$B/$1-$(obj_id "$1")
	local -A saved=()
	entries_saved "$ent"
	local h f data=-
	while read -r h f; do [ "$f" != data ] || data=$h; done <"$ent/SHA256SUMS"
	declare -g "SUMS_$1=${saved[$ent]} $data"
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
REF_S=$S REF_Q=$Q REF_M=$M	# the names of the reference entries
B=$T/ref
mkdir -m 0700 "$B"
IPCI_COUNT="$T/count.clean" LD_PRELOAD="$IPCI_PRELOAD" run_cmd clean
is "$rc|$(cat "$T/err")|$(ids shm)$(ids msg)$(ids sem)" "0||" "fault-free clean --backup --yes: every object saved and removed"
for k in shm msg sem; do entry_ref $k; done
is "$(entries_check "$B/shm-$S" "$B/msg-$Q" "$B/sem-$M")" "" "fault-free clean: each entry verifies"
# the check itself: it must see a damaged entry, and one half written
mkdir -m 0700 "$T/damaged"
cp -r "$B/shm-$S" "$B/msg-$Q" "$B/sem-$M" "$T/damaged/"
printf 'x' | dd of="$T/damaged/shm-$S/data" bs=1 seek=100 conv=notrunc status=none
rm "$T/damaged/msg-$Q/SHA256SUMS"
jq '.content.values[2] = 6' "$B/sem-$M/manifest.json" >"$T/damaged/sem-$M/manifest.json"
(cd "$T/damaged/sem-$M" && sha256sum manifest.json >SHA256SUMS)	# consistent, but not what was saved
is "$(entries_check "$T/damaged/shm-$S" "$T/damaged/msg-$Q" "$T/damaged/sem-$M" "$B/shm-$S")" \
	"$T/damaged/shm-$S
$T/damaged/msg-$Q
$T/damaged/sem-$M" "the check of entries sees a byte changed, a SHA256SUMS missing, other values"
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
# note_removal WHAT: the entries of the objects gone (after now) go to
# GONE, "WHAT|ENTRY", all checked at the end of the walk (check_removals)
note_removal() {
	local k id
	for k in shm msg sem; do
		id=$(obj_id $k)
		local -n ids_now=NOW_$k
		[[ " $ids_now " == *" $id "* ]] && continue
		GONE+=("$1|$B/$k-$id")
	done
}
# check_removals: every object gone has a complete, verified entry with
# the reference content; unsaved counts the runs where one has not
check_removals() {
	local g ents=() bad runs=
	for g in "${GONE[@]}"; do ents+=("${g#*|}"); done
	[ ${#ents[@]} -gt 0 ] || return 0
	while IFS= read -r bad; do
		for g in "${GONE[@]}"; do
			[ "${g#*|}" = "$bad" ] || continue
			echo "# ${g%%|*}: ${bad##*/} removed without a complete, verified backup"
			[[ $runs == *"|${g%%|*}|"* ]] || { runs+="|${g%%|*}|"; unsaved=$((unsaved + 1)); }
		done
	done < <(entries_check "${ents[@]}")
	[ -z "$runs" ]
}
# check_made: every object restore left is exactly what was saved
check_made() {
	local k id ref bad=0
	for k in shm msg sem; do
		ref="REF_$k"
		local -n ids_now=NOW_$k
		for id in $ids_now; do
			if [ "$(state "$k" "$id")" != "${!ref}" ]; then
				echo "# $1: a half-made $k $id was left"
				bad=1
			fi
		done
	done
	return $bad
}
# all_done CMD: whether CMD did all it was asked (after now)
all_done() {
	case $1 in
	clean) [ -z "$NOW_shm$NOW_msg$NOW_sem" ] ;;
	rm) [ -z "$NOW_shm$NOW_msg" ] ;;
	restore) [ -n "$NOW_shm" ] && [ -n "$NOW_msg" ] && [ -n "$NOW_sem" ] ;;
	esac
}

# sem_unreadable: clean kept the set, which it judged unknown as its
# semaphores "may not be read": EACCES is the normal answer for a set
# one has no read permission on, data (SEM-ERROR), not a warning; clean
# keeps such a set, as an unprivileged clean keeps other users' sets
sem_unreadable() {
	[ "$NOW_sem" = "$M" ] && [[ $out != *" sem $M "* ]]
}

# plan CMD: the faults to inject into CMD, "CALL:N" words, in PLAN
plan() {
	local call n total stride
	PLAN=() WALKED=
	for call in $CALLS; do
		total=$(count "$1" "$call")
		stride=1
		case $call in read | openat)
			[ "$total" -le $SAMPLE ] || stride=$(((total + SAMPLE - 1) / SAMPLE)) ;;
		esac
		[ "$total" -eq 0 ] || WALKED+=" $call $(((total + stride - 1) / stride))/$total"
		for ((n = 1; n <= total; n += stride)); do PLAN+=("$call:$n"); done
	done
}

walk() {	# walk CMD: every call of every function in CALLS, one fault each
	local cmd=$1 call n i what failures=0 t0=$SECONDS out err
	GONE=()
	plan "$cmd"
	# the backup directories of the runs, made at once
	[ "$cmd" = restore ] || mkdir -m 0700 $(for ((i = 0; i < ${#PLAN[@]}; i++)); do echo "$T/b.$cmd.$i"; done)
	for ((i = 0; i < ${#PLAN[@]}; i++)); do
		call=${PLAN[i]%:*} n=${PLAN[i]#*:}
		local errno=${ERRNOS[e % ${#ERRNOS[@]}]}
		e=$((e + 1))
		what="$cmd $call:$n:$errno"
		if [ "$cmd" = restore ]; then
			rm_all
		else
			populate
			B=$T/b.$cmd.$i
		fi
		IPCI_FAULT="$call:$n:$errno" LD_PRELOAD="$IPCI_PRELOAD" run_cmd "$cmd"
		out=$(<"$T/out") err=$(<"$T/err")
		now
		injected=$((injected + 1))
		[ "$cmd" = restore ] || note_removal "$what"
		if [ "$cmd" = restore ] && ! check_made "$what"; then
			halfmade=$((halfmade + 1))
			failures=$((failures + 1))
		fi
		if [[ $err == *Sanitizer* || $err == *"runtime error:"* ]]; then
			echo "# $what: sanitizer report"
			sed 's/^/#   /' "$T/err" | head -20
			sanitizer=$((sanitizer + 1))
			failures=$((failures + 1))
		fi
		all_done "$cmd" && continue
		# not all done: a failure is exit 1 and a line on stderr; an
		# object kept because it could not be read (not proven
		# removable) is exit 0 and a warning; clean leaves an object
		# that changed since it was judged with exit 0, a skipped line
		if [ "$rc" -ne 0 ] && ! grep -v '^ipcinspect: warning: ' "$T/err" | grep -q '^ipcinspect: '; then
			echo "# $what: exit $rc, but the failure is on stdout only"
			stdout_only=$((stdout_only + 1))
			failures=$((failures + 1))
		fi
		if [ "$rc" -eq 0 ] && [[ $'\n'$err != *$'\n'"ipcinspect: warning: "* ]] &&
			! { [ "$cmd" = clean ] && [[ $'\n'$out == *$'\n'"skipped "* ]]; } &&
			! { [ "$cmd" = clean ] && [ "$call" = semctl ] && [ "$errno" = EACCES ] && sem_unreadable; }; then
			echo "# $what: not all done, but exit 0 and stderr: ${err:0:200}"
			sed 's/^/#   out: /' "$T/out" | head -5
			silent=$((silent + 1))
			failures=$((failures + 1))
		fi
	done
	check_removals || failures=$((failures + 1))
	echo "# $cmd: calls faulted/made:$WALKED; $((SECONDS - t0)) s"
	return $((failures > 0))
}

B=$T/ref R=$T/ref
walk clean
ok $? "clean --backup --yes: every fault leaves no unsaved removal, and says so when it did not do everything"
walk rm
ok $? "rm --backup: the same for each fault"
walk restore
ok $? "restore --yes: every fault leaves no half-made object, and says so when it did not do everything"
# --- the defects the walk found, one fault each, with the exact words
# restore: an entry directory that cannot be opened, or whose manifest
# cannot be looked at, is refused: all or nothing, exit 1, the entry named
rm_all
R=$T/ref
IPCI_FAULT="openat@sem-$REF_M:1:EACCES" LD_PRELOAD="$IPCI_PRELOAD" run_cmd restore
is "$rc|$(cat "$T/err")|$(cat "$T/out")|$(ids shm)$(ids msg)$(ids sem)" \
	"1|ipcinspect: restore $R/sem-$REF_M: cannot open: Permission denied
ipcinspect: restore: 1 of the backups was refused: nothing was created||" \
	"restore, an entry that cannot be opened (EACCES): refused by name, exit 1, nothing created"
rm_all
IPCI_FAULT="fstatat@manifest.json:2:EIO" LD_PRELOAD="$IPCI_PRELOAD" run_cmd restore
is "$rc|$(cat "$T/err")|$(cat "$T/out")|$(ids shm)$(ids msg)$(ids sem)" \
	"1|ipcinspect: restore $R/msg-$REF_Q: manifest.json: Input/output error
ipcinspect: restore: 1 of the backups was refused: nothing was created||" \
	"restore, an entry whose manifest.json cannot be looked at (EIO): refused by name, exit 1"
# clean: a set whose semaphores cannot be read (not permission) is
# unknown, so kept, and a warning says so; the others go, exit 0
populate
B=$T/b.getall
mkdir -m 0700 "$B"
IPCI_FAULT="semctl.GETALL:1:EIO" LD_PRELOAD="$IPCI_PRELOAD" run_cmd clean
is "$rc|$(cat "$T/err")|$(ids shm)|$(ids msg)|$(ids sem)|$(grep -c '^removed ' "$T/out")" \
	"0|ipcinspect: warning: semaphore set $M: semctl failed: Input/output error: its semaphores and verdict are unknown|||$M|2" \
	"clean, semctl GETALL fails (EIO): the set kept, with a warning naming it and the error; the others removed"
rm_all
echo "# faults injected: $injected, objects removed without backup: $unsaved, half-made objects: $halfmade, silent failures: $silent, sanitizer reports: $sanitizer, failures reported on stdout only: $stdout_only"
[ "$injected" -gt 50 ]
ok $? "at least 50 faults were injected ($injected)"
is "$unsaved|$halfmade|$silent|$sanitizer|$stdout_only" "0|0|0|0|0" \
	"no unsaved removal, no half-made object, no silent failure, no sanitizer report, no failure on stdout only"

done_testing

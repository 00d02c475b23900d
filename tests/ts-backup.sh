#!/bin/bash
# clean/rm --backup DIR and restore, live, in a private IPC + PID + mount
# namespace (/tmp/backup-spec.md, issue 6).  Orphans of each kind (a
# segment filled with a pattern, a queue whose messages differ in type,
# size and body, one of them empty, a set with distinct values), owned by
# uid 4242 and gid 4343 with mode 0640, are backed up and removed by clean;
# the entries are checked file by file (modes, SHA256SUMS, every manifest
# member that is known in advance, the data against the pattern); then
# restore: a dry run creates nothing, --yes gives back objects that
# tests/helpers/ipcdump cannot tell from the originals but by the id,
# --same-id gives back the id too (and fails cleanly when that id is
# taken), a key that exists now is skipped unless --replace; corrupted
# entries (a byte flipped, truncated, manifest edited or not JSON) are
# refused and one bad entry keeps every other from being restored; a full
# file system (a 64 KiB tmpfs) makes clean keep the object and fail; a
# DIR that is group- or world-writable, another user's, a symlink, missing
# or a file is refused before anything is removed; a FIFO is never backed
# up, so clean --backup keeps it.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"	# bash, even where make runs /bin/sh
. "${TESTS_SRCDIR:?run the tests with make check}/lib.sh" || exit 99
ns_enter "$@"
ns_check_empty
command -v jq >/dev/null || skip_all "jq not installed"
command -v sha256sum >/dev/null || skip_all "sha256sum not installed"
command -v ipcrm >/dev/null || skip_all "ipcrm not installed"
command -v ipcmk >/dev/null || skip_all "ipcmk not installed"
command -v perl >/dev/null || skip_all "perl not installed"
: "${IPCDUMP:=$(dirname "$MKIPC")/ipcdump}"
[ -x "$IPCDUMP" ] || bail "IPCDUMP ($IPCDUMP) is not built"
# this test writes /proc/sys/kernel/{shm,msg,sem}_next_id of the private
# IPC namespace and mounts a tmpfs: only as pid 1 of the namespaces lib.sh made
[ "$$" -eq 1 ] || bail "not pid 1 of a private pid namespace: refusing to write /proc/sys or mount"
# objects and directories of uid 4242 need a real uid: a user namespace maps only root
[ -z "${IPCI_USERNS:-}" ] || skip_all "needs uid 4242: not in a user namespace"

export LC_ALL=C TZ=UTC
T=$(mktemp -d)
trap 'umount "$T/full" 2>/dev/null; rm -rf "$T"' EXIT
export T MKIPC

close_inherited_fds

# Every removal and every restore passes --no-syslog: nothing goes to the
# host's log.  (ipci, out and err: lib.sh.)
# side ARGS...: mkipc run to its end at once (stdin /dev/null): it acts on
# existing objects (id=) and exits, so that the last user of each is gone
side() {
	"$MKIPC" "$@" </dev/null >/dev/null 2>"$T/side.err" 7>&- 8>&- 9>&- ||
		bail "mkipc $*: $(cat "$T/side.err")"
}
dump() { "$IPCDUMP" "$@" 2>&1 7>&- 8>&- 9>&-; }

sysv() { cat /proc/sysvipc/shm /proc/sysvipc/msg /proc/sysvipc/sem; }
ids() {	# ids KIND: the ids, in order, on one line
	awk 'NR > 1 { printf "%s%s", sep, $2; sep = " " } END { print "" }' "/proc/sysvipc/$1"
}
ids_all() { echo "shm[$(ids shm)] msg[$(ids msg)] sem[$(ids sem)]"; }
id_of() {	# id_of KIND KEY: the id of the object with that key (keys here are small)
	awk -v k="$(($2))" 'NR > 1 && $1 == k { print $2 }' "/proc/sysvipc/$1"
}
ctime_of() {	# ctime_of KIND ID
	case $1 in
	shm | msg) awk -v id="$2" 'NR > 1 && $2 == id { print $14 }' "/proc/sysvipc/$1" ;;
	sem) awk -v id="$2" 'NR > 1 && $2 == id { print $10 }' /proc/sysvipc/sem ;;
	esac
}
next_ids() { cat /proc/sys/kernel/shm_next_id /proc/sys/kernel/msg_next_id /proc/sys/kernel/sem_next_id | paste -sd' '; }
# remove every object of this (private) namespace: all were made here
rm_all() {
	local id
	for id in $(ids shm); do ipcrm -m "$id"; done
	for id in $(ids msg); do ipcrm -q "$id"; done
	for id in $(ids sem); do ipcrm -s "$id"; done
}
uname_of() {
	local n
	n=$(getent passwd "$1" 2>/dev/null | cut -d: -f1)
	echo "${n:-$1}"
}
# the names in directory $1 (dot files too), one line, sorted
names() { (cd "$1" && ls -A | paste -sd' '); }
# "NAME MODE UID" of every file in entry $1
files_of() { (cd "$1" && stat -c '%n %a %u' -- * | paste -sd,); }
# the names SHA256SUMS lists, sorted, when every line is "HEX  NAME"
sums_names() { sed -n 's/^[0-9a-f]\{64\}  //p' "$1/SHA256SUMS" | sort | paste -sd' '; }
sums_ok() { (cd "$1" && sha256sum -c --strict --quiet SHA256SUMS >/dev/null 2>&1); }
sha() { sha256sum <"$1" | cut -d' ' -f1; }
# flip_byte FILE OFFSET: invert the bits of one byte in place
flip_byte() {
	perl -e 'open(my $f, "+<", $ARGV[0]) or die; seek($f, $ARGV[1], 0); read($f, my $b, 1) == 1 or die;
		seek($f, $ARGV[1], 0); print $f chr(~ord($b) & 255); close($f) or die' "$1" "$2"
}
# redo_sums ENTRY: rewrite SHA256SUMS to match the files as they are now
redo_sums() { (cd "$1" && sha256sum $(sed 's/^[0-9a-f]*  //' SHA256SUMS) >SHA256SUMS.new && mv SHA256SUMS.new SHA256SUMS); }
# copy_entries DIR ENTRY...: a new backup directory (0700) holding copies
copy_entries() {
	local d=$1
	shift
	mkdir -m 0700 "$d"
	for e in "$@"; do cp -a "$B/$e" "$d/"; done
}

U=4242 G=4343
NU=$(uname_of $U)
TRY="Try 'ipcinspect --help' for more information."
KS=0x0000b001 KQ=0x0000b002 KM=0x0000b003
IPCNS=$(stat -L -c %i /proc/self/ns/ipc)
MSGMNB=$(cat /proc/sys/kernel/msgmnb)
B=$T/backup
mkdir -m 0700 "$B"
# the members of a restore summary the spec names (more may follow)
SUMMARY='.summary | {restored, would_restore, skipped, failed}'

# ============================================================================
# 1. Three orphans, backed up and removed by clean.  The segment's creator
# is a child that exited; the content, the messages and the values are
# put there by mkipc runs that exit (side): the last user of each is gone.
# 12000 bytes: not a multiple of the page size.
# ============================================================================
mkipc_start \
	sem:m,key=$KM,mode=0640,uid=$U,gid=$G,nsems=4 \
	msg:q,key=$KQ,mode=0640,uid=$U,gid=$G \
	shm:s,key=$KS,size=12000,mode=0640,uid=$U,gid=$G,creator=child
S=$(mkipc_get s.id) Q=$(mkipc_get q.id) M=$(mkipc_get m.id)
side "shm:x,id=$S,size=12000,attach=1,fill=pattern"
side "msg:x,id=$Q,body=pattern,send=1:100,send=5:0,send=2:3000,send=5:17,send=9:1"
side "sem:x,id=$M,nsems=4,values=3:0:7:1"
is "$(ids_all)" "shm[$S] msg[$Q] sem[$M]" "mkipc made one segment, one queue and one set"

dump shm "$S" >"$T/shm.before"
dump msg "$Q" >"$T/msg.before"
dump sem "$M" >"$T/sem.before"
is "$(grep -v '^bytes\.' "$T/shm.before" | paste -sd' ')/$(grep -c '^bytes\.' "$T/shm.before")" \
	"key=$KS mode=0640 uid=$U gid=$G size=12000/3" "ipcdump shm: key, mode, owner, size, and the content (3 lines)"
is "$(sed -n 's/^bytes\.head=//p' "$T/shm.before")" "030a11181f262d343b424950575e656c" \
	"ipcdump shm: the segment holds the pattern (byte i = (i * 7 + 3) & 0xff)"
is "$(sed -E 's/^(msg\.[0-9]+=[0-9]+:[0-9]+):.*/\1/' "$T/msg.before" | paste -sd' ')" \
	"key=$KQ mode=0640 uid=$U gid=$G qbytes=$MSGMNB qnum=5 cbytes=3118 msg.0=1:100 msg.1=5:0 msg.2=2:3000 msg.3=5:17 msg.4=9:1" \
	"ipcdump msg: five messages in order, types and sizes as sent, one empty"
is "$(sed -n 's/^msg\.4=//p' "$T/msg.before")|$(grep -c '^msg\.1=5:0:$' "$T/msg.before")" "9:1:a3|1" \
	"ipcdump msg: the bodies (the fifth message: the pattern shifted by 4 * 40), the empty one"
is "$(paste -sd' ' "$T/sem.before")" "key=$KM mode=0640 uid=$U gid=$G nsems=4 values=3,0,7,1" \
	"ipcdump sem: key, mode, owner, values"
dump msg "$Q" >"$T/msg.again"
is "$(cat "$T/msg.again")" "$(cat "$T/msg.before")" "ipcdump msg reads the messages without consuming them"
CT_S=$(ctime_of shm "$S") CT_Q=$(ctime_of msg "$Q") CT_M=$(ctime_of sem "$M")

# --- a dry run with --backup writes nothing ------------------------------------------
before=$(sysv)
ipci clean --suspects --min-age 0 --backup "$B" -t shm,msg,sem --json
is "$rc|$(err)" "0|" "clean --backup, dry run: exit 0, nothing on stderr"
is "$(jq -c '[.actions[] | [.kind, .id, .action, .backup]]' "$T/out")" \
	"[[\"shm\",$S,\"would-remove\",null],[\"msg\",$Q,\"would-remove\",null],[\"sem\",$M,\"would-remove\",null]]" \
	"clean --backup, dry run: the three would go; each action has a member backup, null"
is "$(names "$B")|$(sysv)" "|$before" "clean --backup, dry run: nothing written in DIR, nothing removed"

# --- clean --yes --backup -------------------------------------------------------------
t0=$(date +%s)
ipci clean --yes --suspects --min-age 0 --no-syslog --backup "$B" -t shm,msg,sem --json
t1=$(date +%s)
is "$rc|$(err)" "0|" "clean --yes --backup: exit 0, nothing on stderr"
is "$(jq -c '[.actions[] | [.kind, .id, .action, .why, .backup]]' "$T/out")" \
	"[[\"shm\",$S,\"removed\",null,\"$B/shm-$S\"],[\"msg\",$Q,\"removed\",null,\"$B/msg-$Q\"],[\"sem\",$M,\"removed\",null,\"$B/sem-$M\"]]" \
	"clean --yes --backup --json: each object removed, backup names the entry written (DIR/KIND-ID)"
is "$(jq -c '[.summary.removed, .summary.failed]' "$T/out")" "[3,0]" "clean --yes --backup: summary: 3 removed, 0 failed"
is "$(ids_all)" "shm[] msg[] sem[]" "clean --yes --backup: the three objects are gone"
# the helper made them; they are gone: it must not outlive them (a restore
# with --same-id would give its ids back, and it would remove them at the end)
mkipc_stop

is "$(names "$B")" "msg-$Q sem-$M shm-$S" "DIR holds one entry per object, KIND-ID, nothing else (no temporary left)"
is "$(stat -c '%a %u' "$B/shm-$S" "$B/msg-$Q" "$B/sem-$M" | paste -sd,)" "700 0,700 0,700 0" \
	"each entry is a directory of mode 0700, owned by the user who ran clean"
is "$(files_of "$B/shm-$S")" "SHA256SUMS 600 0,data 600 0,manifest.json 600 0" "shm entry: manifest.json, data, SHA256SUMS, all 0600"
is "$(files_of "$B/msg-$Q")" "SHA256SUMS 600 0,data 600 0,manifest.json 600 0" "msg entry: manifest.json, data, SHA256SUMS, all 0600"
is "$(files_of "$B/sem-$M")" "SHA256SUMS 600 0,manifest.json 600 0" "sem entry: manifest.json and SHA256SUMS (no data), 0600"
is "$(sums_names "$B/shm-$S")|$(sums_names "$B/msg-$Q")|$(sums_names "$B/sem-$M")" \
	"data manifest.json|data manifest.json|manifest.json" 'SHA256SUMS: one "HEX  NAME" line per file'
for e in "shm-$S" "msg-$Q" "sem-$M"; do
	sums_ok "$B/$e"
	ok $? "sha256sum -c SHA256SUMS passes in $e"
done

# the data files, readable without ipcinspect
perl -e 'print pack("C*", map { ($_ * 7 + 3) & 255 } 0 .. 11999)' >"$T/shm.want"
cmp -s "$T/shm.want" "$B/shm-$S/data"
ok $? "shm data: the segment's 12000 bytes, exactly"
is "$(od -An -tx1 -v "$B/msg-$Q/data" | tr -d ' \n')" \
	"$(sed -n 's/^msg\.[0-9]*=[0-9]*:[0-9]*://p' "$T/msg.before" | tr -d '\n')" \
	"msg data: the message bodies one after another, in queue order"

# the manifests (members compared with sorted keys: their order is free)
js() { jq -cS . <<<"$1"; }
HOST=$(uname -n)
man() { jq -cS "$2" --argjson ns "$IPCNS" --arg host "$HOST" --argjson t0 "$t0" --argjson t1 "$t1" "$B/$1/manifest.json" 2>&1; }
is "$(man "shm-$S" '[.format, .version, .kind, (.saved | [(.time >= $t0 and .time <= $t1), .host == $host, .ipc_ns == $ns, .by_uid])]')" \
	"[\"ipcinspect-backup\",1,\"shm\",[true,true,true,0]]" \
	"shm manifest: format, version 1, kind; saved: time of the run, host, this IPC namespace, by uid 0"
is "$(man "shm-$S" '.ipc')" \
	"$(js "{\"id\":$S,\"key\":\"$KS\",\"mode\":\"0640\",\"uid\":$U,\"gid\":$G,\"cuid\":0,\"cgid\":0,\"ctime\":$CT_S,\"size\":12000}")" \
	"shm manifest: ipc: id, key, mode (permission bits), owner, creator, ctime, size"
is "$(man "shm-$S" '.content')" "$(js "{\"file\":\"data\",\"bytes\":12000,\"sha256\":\"$(sha "$T/shm.want")\"}")" \
	"shm manifest: content: file data, 12000 bytes, its SHA-256"
is "$(man "shm-$S" '[.listing.id, .listing.key, .listing.uid, .listing.size]')" "[$S,\"$KS\",$U,12000]" \
	"shm manifest: listing: the segment as ipcinspect --json lists it"
is "$(man "msg-$Q" '[.format, .version, .kind, .saved.by_uid, .ipc]')" \
	"$(js "[\"ipcinspect-backup\",1,\"msg\",0,{\"id\":$Q,\"key\":\"$KQ\",\"mode\":\"0640\",\"uid\":$U,\"gid\":$G,\"cuid\":0,\"cgid\":0,\"ctime\":$CT_Q,\"qbytes\":$MSGMNB,\"qnum\":5,\"cbytes\":3118}]")" \
	"msg manifest: format, kind, ipc: id, key, mode, owner, creator, ctime, qbytes, qnum, cbytes"
is "$(man "msg-$Q" '.content')" \
	"$(js "{\"file\":\"data\",\"bytes\":3118,\"sha256\":\"$(sha "$B/msg-$Q/data")\",\"messages\":[{\"type\":1,\"bytes\":100},{\"type\":5,\"bytes\":0},{\"type\":2,\"bytes\":3000},{\"type\":5,\"bytes\":17},{\"type\":9,\"bytes\":1}]}")" \
	"msg manifest: content: 3118 bytes, SHA-256, every message's type and size in order (the empty one too)"
is "$(man "sem-$M" '[.format, .version, .kind, .saved.by_uid, .ipc, .content, .listing.id]')" \
	"$(js "[\"ipcinspect-backup\",1,\"sem\",0,{\"id\":$M,\"key\":\"$KM\",\"mode\":\"0640\",\"uid\":$U,\"gid\":$G,\"cuid\":0,\"cgid\":0,\"ctime\":$CT_M,\"nsems\":4},{\"values\":[3,0,7,1]},$M]")" \
	"sem manifest: ipc: id, key, mode, owner, creator, ctime, nsems; content: the values"
all_entries=$(cd "$B" && for e in *; do cat "$e/manifest.json" "$e/SHA256SUMS"; [ -e "$e/data" ] && cat "$e/data"; done | sha256sum)

# ============================================================================
# 2. restore without --yes: a dry run
# ============================================================================
ipci restore --no-syslog "$B"
is "$rc|$(err)" "0|" "restore (dry run): exit 0, nothing on stderr"
is "$(grep '^would-restore ' "$T/out" | sort | paste -sd,)" \
	"would-restore msg $Q key $KQ from $B/msg-$Q,would-restore sem $M key $KM from $B/sem-$M,would-restore shm $S key $KS from $B/shm-$S" \
	"restore (dry run): one 'would-restore KIND OLDID key KEY from ENTRY' line per entry"
is "$(grep -c '^restored' "$T/out")" 0 "restore (dry run): no line says restored"
is "$(ids_all)|$(next_ids)" "shm[] msg[] sem[]|-1 -1 -1" \
	"restore (dry run): nothing created, no *_next_id left set"

ipci restore --no-syslog --json "$B"
is "$rc|$(err)|$(jq -s length "$T/out")" "0||1" "restore --json (dry run): exit 0, one JSON document"
is "$(jq -c '[.schema, .command, .dry_run, .warnings, (.time | type), (.host | type), .ipc_ns, .problems]' "$T/out")" \
	"[1,\"restore\",true,[],\"number\",\"string\",$IPCNS,[]]" \
	"restore --json: the usual header (schema, time, host, this ipc_ns, no warnings), command restore, dry_run true, no problems"
is "$(jq -c '[.actions[] | [.kind, .entry, .key, .old_id, .id, .action]] | sort' "$T/out")" \
	"[[\"msg\",\"$B/msg-$Q\",\"$KQ\",$Q,null,\"would-restore\"],[\"sem\",\"$B/sem-$M\",\"$KM\",$M,null,\"would-restore\"],[\"shm\",\"$B/shm-$S\",\"$KS\",$S,null,\"would-restore\"]]" \
	"restore --json (dry run): one would-restore action per entry: kind, entry path, key, old id, no new id"
is "$(jq -c "$SUMMARY" "$T/out")" '{"restored":0,"would_restore":3,"skipped":0,"failed":0}' \
	"restore --json (dry run): summary"
is "$(ids_all)" "shm[] msg[] sem[]" "restore --json (dry run): nothing created"

# ============================================================================
# 3. restore --yes: the same objects, but for the id
# ============================================================================
ipci restore --yes --no-syslog "$B"
S2=$(id_of shm $KS) Q2=$(id_of msg $KQ) M2=$(id_of sem $KM)
is "$rc|$(err)" "0|" "restore --yes: exit 0, nothing on stderr"
is "$(ids_all)" "shm[$S2] msg[$Q2] sem[$M2]" "restore --yes: one object of each kind, with the keys saved"
is "$(grep '^restored ' "$T/out" | sort | paste -sd,)" \
	"restored msg $Q key $KQ as id $Q2 from $B/msg-$Q,restored sem $M key $KM as id $M2 from $B/sem-$M,restored shm $S key $KS as id $S2 from $B/shm-$S" \
	"restore --yes: one 'restored KIND OLDID key KEY as id NEWID from ENTRY' line per entry"
is "$(dump shm "$S2")" "$(cat "$T/shm.before")" "restore --yes: the segment: same key, mode, owner, size and every byte"
is "$(dump msg "$Q2")" "$(cat "$T/msg.before")" "restore --yes: the queue: same key, mode, owner, qbytes, and every message (type, size, body, order)"
is "$(dump sem "$M2")" "$(cat "$T/sem.before")" "restore --yes: the set: same key, mode, owner, values"
is "$(awk -v id="$S2" 'NR > 1 && $2 == id { print $10, $11, $7 }' /proc/sysvipc/shm)" "0 0 0" \
	"restore --yes: the segment's creator is the restorer (cuid, cgid 0), nobody attached now"
is "$(next_ids)" "-1 -1 -1" "restore --yes: no *_next_id left set"
is "$(cd "$B" && for e in *; do cat "$e/manifest.json" "$e/SHA256SUMS"; [ -e "$e/data" ] && cat "$e/data"; done | sha256sum)" \
	"$all_entries" "restore leaves the backup as it was"

# ============================================================================
# 4. --same-id: the old ids
# ============================================================================
ipcrm -m "$S2" -q "$Q2" -s "$M2"
ipci restore --yes --same-id --no-syslog --json "$B"
is "$rc|$(err)" "0|" "restore --yes --same-id: exit 0, nothing on stderr"
is "$(jq -c '[.dry_run, ([.actions[] | [.kind, .old_id, .id, .action, .why]] | sort)]' "$T/out")" \
	"[false,[[\"msg\",$Q,$Q,\"restored\",null],[\"sem\",$M,$M,\"restored\",null],[\"shm\",$S,$S,\"restored\",null]]]" \
	"restore --same-id --json: each object restored with its old id"
is "$(jq -c "$SUMMARY" "$T/out")" '{"restored":3,"would_restore":0,"skipped":0,"failed":0}' "restore --same-id --json: summary"
is "$(ids_all)" "shm[$S] msg[$Q] sem[$M]" "restore --same-id: the kernel lists the old ids"
is "$(dump shm "$S")|$(dump msg "$Q")|$(dump sem "$M")" \
	"$(cat "$T/shm.before")|$(cat "$T/msg.before")|$(cat "$T/sem.before")" \
	"restore --same-id: same content as before the backup"
is "$(next_ids)" "-1 -1 -1" "restore --same-id: every *_next_id is back to -1"

# the old id is taken by another segment: that entry fails, nothing else changes
ipcrm -m "$S"
echo "$S" >/proc/sys/kernel/shm_next_id
X=$(ipcmk -M 4096 2>&1 7>&- 8>&- 9>&- | sed -n 's/^Shared memory id: //p')
is "$X" "$S" "a segment with another key (0) takes the old id $S"
before=$(sysv)
ipci restore --yes --same-id --no-syslog --json "$B/shm-$S"
is "$rc" 1 "restore --same-id, id taken: exit 1"
is "$(jq -c '[.actions[] | [.kind, .entry, .old_id, .id, .action, (.why | type)]]' "$T/out")" \
	"[[\"shm\",\"$B/shm-$S\",$S,null,\"failed\",\"string\"]]" \
	"restore --same-id, id taken: the entry (given as a path to one entry) failed, with a why"
is "$(jq -r '.actions[0].why | length > 0' "$T/out")" true "restore --same-id, id taken: the why is not empty"
is "$(sysv)|$(id_of shm $KS)" "$before|" \
	"restore --same-id, id taken: the segment holding it is untouched, no segment with key $KS created"
is "$(next_ids)" "-1 -1 -1" "restore --same-id, id taken: no *_next_id left set"
ipcrm -m "$S"

# ============================================================================
# 5. A key that exists now: skipped; --replace
# ============================================================================
# now: the queue and the set restored (keys $KQ, $KM); a different segment
# with key $KS; the queue goes, so that only its entry can be restored
mkipc_start shm:c,key=$KS,size=4096
C=$(mkipc_get c.id)
ipcrm -q "$Q"
before_sm=$(cat /proc/sysvipc/shm /proc/sysvipc/sem)
ipci restore --yes --no-syslog --json "$B"
Q3=$(id_of msg $KQ)
is "$rc|$(err)" "1|ipcinspect: restore: 2 of 3 entries not restored (2 skipped)" \
	"restore, two keys exist now: exit 1, and stderr says so (not the report alone)"
is "$(jq -c '[.actions[] | [.kind, .old_id, .id, .action, .why]] | sort' "$T/out")" \
	"[[\"msg\",$Q,$Q3,\"restored\",null],[\"sem\",$M,null,\"skipped\",\"key $KM exists now (id $M): --replace removes that object first\"],[\"shm\",$S,null,\"skipped\",\"key $KS exists now (id $C): --replace removes that object first\"]]" \
	"restore: the entries whose key exists now are skipped (why names the key and the id there), the other is restored"
is "$(jq -c "$SUMMARY" "$T/out")" '{"restored":1,"would_restore":0,"skipped":2,"failed":0}' "restore with keys that exist: summary"
is "$(cat /proc/sysvipc/shm /proc/sysvipc/sem)" "$before_sm" "restore: the existing segment and set are untouched"
is "$(dump msg "$Q3")" "$(cat "$T/msg.before")" "restore: the queue restored alongside is the one saved"

# the segment there now is not proven unused (its creator, the helper, is alive)
ipci restore --yes --replace --no-syslog "$B/shm-$S"
is "$rc|$(grep -c "^skipped shm $S key $KS from $B/shm-$S (key $KS is held by id $C key $KS owner uid 0, \(in-use\|unknown\): " "$T/out")|$(ids shm)" \
	"1|1|$C" "restore --replace, the key's holder not proven unused: skipped (naming it), it stays"
ipci restore --yes --replace --force --no-syslog "$B/shm-$S"
S4=$(id_of shm $KS)
is "$rc|$(err)" "0|" "restore --replace --force of one entry: exit 0, nothing on stderr"
is "$(grep '^restored ' "$T/out" | sed 's/ (replaced id [0-9]* .*)$//')" "restored shm $S key $KS as id $S4 from $B/shm-$S" \
	"restore --replace: the segment restored (a note in brackets names what it replaced)"
is "$(ids shm)|$(dump shm "$C" | head -n 1)" "$S4|ipcdump: shm $C: shmctl IPC_STAT: Invalid argument" \
	"restore --replace: the segment that had the key was removed first"
is "$(dump shm "$S4")" "$(cat "$T/shm.before")" "restore --replace: the segment now with the key is the one saved"
mkipc_stop
rm_all
is "$(ids_all)" "shm[] msg[] sem[]" "all restored objects removed"

# ============================================================================
# 6. Corrupted backups: refused, and nothing at all is created
# ============================================================================
# refused NAME ENTRY [WHAT]: the last restore exited 1, said one line
# "ipcinspect: restore ENTRY: ..." on stderr (mentioning WHAT, a regex,
# when given), about no other entry, and created nothing
refused() {
	local name=$1 entry=$2 what=${3:-}
	is "$rc|$(grep -c "^ipcinspect: restore $T/" "$T/err")|$(grep -c '^restored' "$T/out")" "1|1|0" \
		"$name: exit 1, one line about one entry on stderr, nothing restored"
	is "$(grep -ciE "^ipcinspect: restore $entry: .*${what}" "$T/err")" 1 \
		"$name: the line names the entry${what:+ and says $what}"
	is "$(ids_all)|$(next_ids)" "shm[] msg[] sem[]|-1 -1 -1" "$name: nothing created"
}
copy_entries "$T/x1" "shm-$S"
flip_byte "$T/x1/shm-$S/data" 5000
ipci restore --yes --no-syslog "$T/x1/shm-$S"
refused "one byte of shm data flipped" "$T/x1/shm-$S" "sha-?256"
ipci restore --no-syslog "$T/x1"
refused "one byte flipped, dry run of the directory" "$T/x1/shm-$S" "sha-?256"

copy_entries "$T/x2" "msg-$Q"
truncate -s -1 "$T/x2/msg-$Q/data"
ipci restore --yes --no-syslog "$T/x2"
refused "msg data truncated by one byte" "$T/x2/msg-$Q"

copy_entries "$T/x3" "sem-$M"
sed -i 's/"0640"/"0666"/' "$T/x3/sem-$M/manifest.json"
is "$(jq -r .ipc.mode "$T/x3/sem-$M/manifest.json")" 0666 "manifest.json edited: mode 0666"
ipci restore --yes --no-syslog "$T/x3"
refused "manifest.json edited (SHA256SUMS does not match)" "$T/x3/sem-$M"

# data changed and SHA256SUMS rewritten to match: the manifest's sha256 still differs
copy_entries "$T/x4" "shm-$S"
flip_byte "$T/x4/shm-$S/data" 0
redo_sums "$T/x4/shm-$S"
ipci restore --yes --no-syslog "$T/x4"
refused "data changed, SHA256SUMS rewritten, manifest content.sha256 not" "$T/x4/shm-$S" "sha-?256"

# manifest.json not JSON (SHA256SUMS rewritten to match)
copy_entries "$T/x5" "sem-$M"
head -c 40 "$B/sem-$M/manifest.json" >"$T/x5/sem-$M/manifest.json"
redo_sums "$T/x5/sem-$M"
ipci restore --yes --no-syslog "$T/x5"
refused "manifest.json cut short (not JSON), SHA256SUMS matching" "$T/x5/sem-$M"

copy_entries "$T/x6" "shm-$S"
rm "$T/x6/shm-$S/data"
ipci restore --yes --no-syslog "$T/x6"
refused "shm data missing" "$T/x6/shm-$S"

# one good entry and one bad: neither is restored
copy_entries "$T/x7" "shm-$S" "msg-$Q"
flip_byte "$T/x7/msg-$Q/data" 1500
ipci restore --yes --no-syslog "$T/x7"
refused "two entries, the queue's data flipped" "$T/x7/msg-$Q" "sha-?256"
ipci restore --yes --no-syslog --json "$T/x7"
is "$rc|$(jq -c '[.command, ([.actions[] | select(.action == "restored")] | length), .summary.restored]' "$T/out")" \
	'1|["restore",0,0]' "two entries, one bad, --json: exit 1, still one document, nothing restored"
is "$(ids_all)" "shm[] msg[] sem[]" "two entries, one bad, --json: nothing created"

# ============================================================================
# 7. No room in DIR: a 64 KiB tmpfs, a 1 MiB segment: clean keeps it, fails
# ============================================================================
F=$T/full
mkdir "$F"
mount -t tmpfs -o size=64k,mode=0700 ipci-backup-full "$F" || bail "cannot mount a tmpfs on $F"
mkipc_start shm:big,key=0x0000b0f0,size=1048576,mode=0640,uid=$U,gid=$G,creator=child
BIG=$(mkipc_get big.id)
side "shm:x,id=$BIG,size=1048576,attach=1,fill=pattern"
dump shm "$BIG" >"$T/big.before"
ipci clean --yes --min-age 0 --no-syslog --backup "$F" -t shm --json
is "$rc" 1 "clean --backup, DIR full: exit 1"
is "$(jq -c '[.actions[] | [.kind, .id, .action, (.why | tostring | startswith("backup: ")), .backup]]' "$T/out")" \
	"[[\"shm\",$BIG,\"failed\",true,null]]" \
	"clean --backup, DIR full: the segment's action failed, why 'backup: ...', no backup entry"
is "$(jq -c '[.summary.removed, .summary.failed, .summary.bytes_freed]' "$T/out")" "[0,1,0]" \
	"clean --backup, DIR full: summary: nothing removed, 1 failed, nothing freed"
is "$(ids shm)|$(dump shm "$BIG")" "$BIG|$(cat "$T/big.before")" \
	"clean --backup, DIR full: the segment is still there, same id, same content"
is "$(find "$F" -mindepth 2 -maxdepth 2 -name manifest.json ! -path "$F/.*")" "" \
	"clean --backup, DIR full: no complete entry in DIR (no KIND-ID directory holding a manifest.json)"
ipci clean --yes --min-age 0 --no-syslog --backup "$F" -t shm
is "$rc|$(grep -cE "^failed shm $BIG key 0x0000b0f0 owner $NU [^:]*: backup: " "$T/out")" "1|1" \
	"clean --backup, DIR full, text: exit 1, 'failed shm ID key ... : backup: ...'"
is "$(err)" "ipcinspect: clean: 1 of 1 removal failed" \
	"clean --backup, DIR full: stderr says it too, after the report (not the report's line alone)"
is "$(ids shm)|$(dump shm "$BIG")" "$BIG|$(cat "$T/big.before")" "... and the segment is still there, unchanged"
mkipc_stop
umount "$F"

# ============================================================================
# 8. DIR must be a directory of the invoking user, not group- or
# world-writable, not a symlink: else exit 2, nothing removed
# ============================================================================
# make_o: the segment the removals are tried on; "before" is the state
make_o() {
	mkipc_start shm:o,key=0x0000b0d0,mode=0640,uid=$U,gid=$G,creator=child
	O=$(mkipc_get o.id)
	before=$(sysv)
}
make_o
GOOD=$T/good
mkdir -m 0700 "$GOOD" "$T/ww" "$T/gw" "$T/sticky" "$T/other"
chmod 0777 "$T/ww"
chmod 0770 "$T/gw"
chmod 1777 "$T/sticky"
chown $U "$T/other"
ln -s "$GOOD" "$T/link"
echo text >"$T/file"
# bad_dir NAME DIR ARGS...: ipcinspect ARGS --backup DIR is refused
bad_dir() {
	local name=$1 d=$2
	shift 2
	ipci "$@" --backup "$d"
	is "$rc|$(out)|$(grep -vxF "$TRY" "$T/err" | wc -l)|$(grep -c "^ipcinspect: --backup $d: " "$T/err")" "2||1|1" \
		"--backup $name: exit 2, nothing on stdout, one line 'ipcinspect: --backup DIR: ...' on stderr"
	is "$(sysv)|$(names "$GOOD")" "$before|" "--backup $name: nothing removed, nothing written"
	if [ -z "$(ids shm)" ]; then	# it was not refused: start again for the next case
		mkipc_stop
		rm -rf "${GOOD:?}"/*
		make_o
	fi
}
CLEAN="clean --yes --min-age 0 --no-syslog -t shm"
bad_dir "a world-writable DIR (0777)" "$T/ww" $CLEAN
bad_dir "a group-writable DIR (0770)" "$T/gw" $CLEAN
bad_dir "a world-writable sticky DIR (1777)" "$T/sticky" $CLEAN
bad_dir "a DIR owned by uid $U" "$T/other" $CLEAN
bad_dir "a symlink to a good directory" "$T/link" $CLEAN
bad_dir "a symlink to a good directory, with a trailing slash" "$T/link/" $CLEAN
bad_dir "a DIR that does not exist" "$T/nowhere" $CLEAN
bad_dir "a regular file" "$T/file" $CLEAN
bad_dir "a world-writable DIR, with rm" "$T/ww" rm -m "$O" --no-syslog
bad_dir "a world-writable DIR, clean dry run" "$T/ww" clean --min-age 0 -t shm
is "$(names "$T/ww")$(names "$T/gw")$(names "$T/sticky")$(names "$T/other")" "" "nothing was written in any refused DIR"

# a good DIR, with rm; KIND-ID taken already: KIND-ID.1
mkdir -m 0700 "$GOOD/shm-$O"
ipci rm -m "$O" --no-syslog --backup "$GOOD" --json
is "$rc|$(err)" "0|" "rm --backup: exit 0, nothing on stderr"
is "$(jq -c '[.actions[] | [.kind, .id, .action, .backup]]' "$T/out")" "[[\"shm\",$O,\"removed\",\"$GOOD/shm-$O.1\"]]" \
	"rm --backup --json: removed; KIND-ID exists already, so the entry is KIND-ID.1"
is "$(ids_all)|$(names "$GOOD")|$(names "$GOOD/shm-$O")" "shm[] msg[] sem[]|shm-$O shm-$O.1|" \
	"rm --backup: the segment is gone; the existing KIND-ID directory untouched"
sums_ok "$GOOD/shm-$O.1"
ok $? "rm --backup: sha256sum -c SHA256SUMS passes in shm-$O.1"
is "$(jq -c '[.kind, .ipc.id, .ipc.key, .ipc.uid, .content.bytes]' "$GOOD/shm-$O.1/manifest.json" 2>&1)" \
	"[\"shm\",$O,\"0x0000b0d0\",$U,4096]" "rm --backup: the manifest of shm-$O.1"
mkipc_stop

# a FIFO is never backed up: clean --backup keeps it
mkdir "$T/fifos"
mkfifo "$T/fifos/f"
chown $U "$T/fifos/f"
ipci clean -t fifo --fifo-dir "$T/fifos" --suspects --min-age 0 --yes --no-syslog --backup "$GOOD" --json
is "$rc|$(err)" "0|" "clean --backup of a FIFO: exit 0, nothing on stderr"
is "$(jq -c '[.actions[] | [.kind, .path, .action, (.why | tostring | startswith("no backup for FIFOs: ")), .backup]]' "$T/out")" \
	"[[\"fifo\",\"$T/fifos/f\",\"kept\",true,null]]" \
	"clean --backup of a FIFO: kept, why 'no backup for FIFOs: ...', no backup"
is "$(stat -c %F "$T/fifos/f")|$(names "$GOOD")" "fifo|shm-$O shm-$O.1" "clean --backup of a FIFO: the FIFO is still there, nothing written"

done_testing

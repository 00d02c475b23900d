#!/bin/bash
# Another IPC namespace's POSIX objects (issue 16), live, in the private
# namespaces lib.sh makes.  Inside them, a "container": a process in an
# IPC and mount namespace of its own, with its own tmpfs on /dev/shm and
# its own mqueue mount, holding POSIX objects and a SysV segment
# (tests/helpers/mkipc), beside objects nobody holds; its /dev/shm also
# holds symbolic links to "/" and to "../../etc".  A second one lives in a
# root directory of its own whose dev is a link leading, by "..", out of
# that root.  From the test's own namespace: --all-namespaces lists each
# container's objects in its section, with their holders, and ours (one
# of the same name) at the top level only; no link is followed out of a
# container's root; `clean --namespace PID` removes the container's
# objects nobody holds, with the re-check, and nothing of ours.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"	# bash, even where make runs /bin/sh
. "${TESTS_SRCDIR:?run the tests with make check}/lib.sh" || exit 99
ns_enter "$@"
ns_check_empty
command -v jq >/dev/null || skip_all "jq not installed"
command -v nsenter >/dev/null || skip_all "nsenter not installed"
# mounts are made only in mount namespaces this test made
[ "$$" -eq 1 ] || bail "not pid 1 of a private pid namespace: refusing to mount"

export LC_ALL=C TZ=UTC
T=$(mktemp -d)
chmod 755 "$T"
STARTED=()
trap 'for p in "${STARTED[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$T"' EXIT
export T MKIPC
close_inherited_fds

MC=${MKIPC##*/}
MC=${MC:0:15}
SHM=/dev/shm	# the test's own private tmpfs (lib.sh ns_private_posix)
NU="nobody holds it open or maps it"

# ready NAME PID: wait until the container started as PID printed "ready"
# into $T/NAME.out (its stdin a FIFO held here, so it waits there)
ready() {
	local i=0
	until grep -qx ready "$T/$1.out" 2>/dev/null; do
		i=$((i + 1))
		[ $i -le 200 ] && kill -0 "$2" 2>/dev/null && { sleep 0.05; continue; }
		cat "$T/$1.err" >&2
		bail "container $1 did not get ready"
	done
}

# Ours: one object named like the container's orphan, nobody holds it.
echo ours >"$SHM/orphan"
ours_before=$(stat -c '%n %i %s' "$SHM"/* | sort)

# ---------------------------------------------------------------------------
# The container: its own IPC and mount namespaces, a tmpfs on its /dev/shm
# and an mqueue file system (mounted where lib.sh mounted ours: the mount
# is its namespace's own, ours is untouched), the links, then the helper.
# ---------------------------------------------------------------------------
mkfifo "$T/c.in"
# shellcheck disable=SC2016
unshare --ipc --mount --propagation private sh -c '
	mount -t tmpfs -o mode=1777,size=4m ipci-cshm /dev/shm &&
	mount -t mqueue ipci-cmq "$IPCI_MQUEUE" &&
	ln -s / /dev/shm/toroot && ln -s ../../etc /dev/shm/toetc &&
	exec "$MKIPC" sleep:1200 pshm:held,path=/held,fd pshm:mapped,path=/mapped,map \
		psem:hsem,path=/hsem pmq:hq,path=/hq shm:sv,key=0x5500,size=8192,attach=1 \
		pshm:orphan,path=/orphan psem:osem,path=/osem,close pmq:oq,path=/oq,close' \
	<"$T/c.in" >"$T/c.out" 2>"$T/c.err" 9>&- &
CU=$!
STARTED+=("$CU")
exec 9>"$T/c.in"
ready c "$CU"
cget() { sed -n "s/^$1=//p" "$T/c.out" | head -n 1; }
CP=$(cget held.fd)
CP=${CP%%:*}
is "$CP" "$CU" "the container is one process: the helper (unshare and sh exec'ed it)"
CNS=$(stat -L -c %i "/proc/$CP/ns/ipc")
in_c() { nsenter --mount="/proc/$CP/ns/mnt" "$@" </dev/null 9>&-; }
is "$(in_c ls -A /dev/shm | tr '\n' ' ')|$(ls -A "$SHM" | tr '\n' ' ')" \
	"held mapped orphan sem.hsem sem.osem toetc toroot |orphan " \
	"the container's /dev/shm has its objects and the links, ours only ours"

# ---------------------------------------------------------------------------
# --all-namespaces: the container's section
# ---------------------------------------------------------------------------
ipci --all-namespaces --json
sec() { jq -c --argjson ns "$CNS" ".namespaces[] | select(.ipc_ns == \$ns) | $1" "$T/out"; }
hsort='sort_by(.pid, (.fd // -1)) | map(to_entries | sort_by(.key) | from_entries)'
hfd() { echo "{\"pid\":${1%%:*},\"comm\":\"$MC\",\"user\":\"root\",\"fd\":${1##*:},\"mapped\":false}"; }
hmap() { echo "{\"pid\":$1,\"comm\":\"$MC\",\"user\":\"root\",\"fd\":null,\"mapped\":true}"; }
is "$rc|$(sec '[.pid, (.pshm | map(.name)), (.psem | map(.name)), (.pmq | map(.name)), (.shm | map(.key))]')" \
	"0|[$CP,[\"held\",\"mapped\",\"orphan\"],[\"hsem\",\"osem\"],[\"hq\",\"oq\"],[\"0x00005500\"]]" \
	"--all-namespaces: the container's section has exactly its POSIX objects and its segment"
is "$(sec '[.pshm[], .psem[], .pmq[]] | map(.path)')" \
	"[\"/proc/$CP/root/dev/shm/held\",\"/proc/$CP/root/dev/shm/mapped\",\"/proc/$CP/root/dev/shm/orphan\",\"/proc/$CP/root/dev/shm/sem.hsem\",\"/proc/$CP/root/dev/shm/sem.osem\",\"/proc/$CP/root$IPCI_MQUEUE/hq\",\"/proc/$CP/root$IPCI_MQUEUE/oq\"]" \
	"the paths name the files through the container's root"
is "$(sec "[(.pshm[] | select(.name == \"held\") | .holders | $hsort), (.pshm[] | select(.name == \"mapped\") | .holders | $hsort), (.psem[] | select(.name == \"hsem\") | .holders | $hsort), (.pmq[] | select(.name == \"hq\") | .holders | $hsort)]" | jq -cS .)" \
	"$(jq -cS -n "[[$(hfd "$(cget held.fd)")], [$(hmap "$(cget mapped.map)")], [$(hmap "$(cget hsem.map)")], [$(hfd "$(cget hq.fd)")]]")" \
	"the holders of the container's files, by fd and by mapping: the helper, exact pid and fd"
is "$(sec '[.pshm[], .psem[], .pmq[]] | map([.name, .verdict, .reasons[0]])')" \
	"[[\"held\",\"in-use\",\"held open by $MC[$CP] (fd $(cget held.fd | cut -d: -f2))\"],[\"mapped\",\"in-use\",\"mapped by $MC[$CP]\"],[\"orphan\",\"suspect\",\"$NU\"],[\"hsem\",\"in-use\",\"mapped by $MC[$CP]\"],[\"osem\",\"suspect\",\"$NU\"],[\"hq\",\"in-use\",\"held open by $MC[$CP] (fd $(cget hq.fd | cut -d: -f2))\"],[\"oq\",\"suspect\",\"$NU\"]]" \
	"judged within the namespace: held ones in use, the others suspect (nobody holds them)"
is "$(jq -c '[(.pshm | map([.name, .inode])), (.psem | length), .pmq]' "$T/out")" \
	"[[[\"orphan\",$(stat -c %i "$SHM/orphan")]],0,[]]" \
	"the top level lists ours only: our orphan (its inode), none of the container's"
is "$(jq -c '[.warnings[] | select(test("toroot|toetc"))]' "$T/out")" \
	"[\"/proc/$CP/root/dev/shm/toetc: a symbolic link, not POSIX shared memory: skipped\",\"/proc/$CP/root/dev/shm/toroot: a symbolic link, not POSIX shared memory: skipped\"]" \
	"the links in the container's /dev/shm are said and never followed"

# the table: the section's heading, then its POSIX objects
ipci --all-namespaces -t pshm,psem,pmq -o NAME,VERDICT
is "$rc|$(sed -n "/^== IPC namespace $CNS[ ,]/,\$p" "$T/out" | awk '$1 ~ /^(held|mapped|orphan|hsem|osem|hq|oq)$/ { print $1, $NF }' | tr '\n' ' ')" \
	"0|held in-use mapped in-use orphan suspect hsem in-use osem suspect hq in-use oq suspect " \
	"the table lists the container's POSIX objects under its section's heading"

# a holder in our IPC namespace that sees the container's /dev/shm (its
# mount namespace): found too
in_c sh -c 'echo x >/dev/shm/mnt'
nsenter --mount="/proc/$CP/ns/mnt" sh -c 'exec sleep 1000 5</dev/shm/mnt' </dev/null 9>&- &
MP=$!
STARTED+=("$MP")
while [ "$(readlink "/proc/$MP/fd/5" 2>/dev/null)" != /dev/shm/mnt ]; do sleep 0.01; done
ipci --all-namespaces --json -t pshm
is "$rc|$(sec '.pshm[] | select(.name == "mnt") | [.holders, .verdict]')" \
	"0|[[{\"pid\":$MP,\"comm\":\"sleep\",\"user\":\"root\",\"fd\":5,\"mapped\":false}],\"in-use\"]" \
	"a holder in another IPC namespace but the container's mount namespace is found"
kill "$MP"
wait "$MP" 2>/dev/null
in_c rm /dev/shm/mnt

# ---------------------------------------------------------------------------
# As on a kernel without openat2 (tests/helpers/refuse openat2: a seccomp
# filter says ENOSYS): nothing is opened under another process's root,
# and the objects there are said not to be listed
# ---------------------------------------------------------------------------
nocall() {
	"$REFUSE" openat2 "$IPCINSPECT" "$@" </dev/null >"$T/out" 2>"$T/err" 9>&-
	rc=$?
	json_keep "$T/out" "$rc" "$@"
}
NO="this kernel has no openat2 (Linux 5.6): another mount namespace's files are not opened"
nocall --all-namespaces --json
is "$rc|$(sec '[.pshm, .psem, .pmq, (.shm | map(.key))]')|$(jq -c '.pshm | map(.name)' "$T/out")" \
	"0|[null,null,null,[\"0x00005500\"]]|[\"orphan\"]" \
	"without openat2: the section's POSIX kinds are null, its segment and our objects listed"
is "$(jq -c --arg ns "$CNS" '[.warnings[] | select(contains("IPC namespace " + $ns + ":"))]' "$T/out")" \
	"[\"POSIX shared memory of IPC namespace $CNS: $NO: they cannot be listed\",\"POSIX named semaphores of IPC namespace $CNS: $NO: they cannot be listed\",\"POSIX message queues of IPC namespace $CNS: $NO: they cannot be listed\"]" \
	"without openat2: a warning for each"
nocall --namespace "$CP" -t pshm --json
is "$rc|$(jq -c '[.pshm, .warnings]' "$T/out")" \
	"0|[null,[\"/proc/$CP/root/dev/shm: cannot be read: $NO: pshm objects are not listed\"]]" \
	"without openat2: --namespace lists none of its /dev/shm, and says why"

# ---------------------------------------------------------------------------
# A container (one process, chrooted) whose /dev is a link that leads out of its root by "..":
# under its root, dev/shm is a tmpfs holding "inside"; out of it (where
# /proc/PID/root/dev/shm would lead), one holding "escaped".
# ---------------------------------------------------------------------------
R=$T/croot
mkdir -p "$R/usr" "$R$T/esc/shm" "$T/esc/shm"
ln -s usr/bin "$R/bin"; ln -s usr/lib "$R/lib"; ln -s usr/lib64 "$R/lib64"
ln -s "../../../../../../../../../../..$T/esc" "$R/dev"
mkfifo "$T/e.in"
# shellcheck disable=SC2016
unshare --ipc --mount --propagation private sh -c '
	mount --bind /usr "$1/usr" &&
	mount -t tmpfs ipci-in "$1$T/esc/shm" && echo in >"$1$T/esc/shm/inside" &&
	mount -t tmpfs ipci-out "$T/esc/shm" && echo out >"$T/esc/shm/escaped" &&
	exec chroot "$1" /bin/sh -c "echo ready; exec cat >/dev/null"' sh "$R" \
	<"$T/e.in" >"$T/e.out" 2>"$T/e.err" 9>&- 8>&- &
EU=$!
STARTED+=("$EU")
exec 8>"$T/e.in"
ready e "$EU"
EP=$EU	# unshare, sh, chroot and sh exec'ed cat
ENS=$(stat -L -c %i "/proc/$EP/ns/ipc")
ipci --all-namespaces --json -t pshm
is "$rc|$(jq -c --argjson ns "$ENS" '.namespaces[] | select(.ipc_ns == $ns) | .pshm | map(.name)' "$T/out")" \
	"0|[\"inside\"]" \
	"a link leading out of the container's root by '..' stays in its root: its /dev/shm is what it sees, not ours"
# its /dev/shm made a link (to the tmpfs it saw): not followed, said so
rm "$R/dev"
mkdir "$R/dev"
ln -s "../../../../../../../../../..$T/esc/shm" "$R/dev/shm"
ipci --all-namespaces --json -t pshm
is "$rc|$(jq -c --argjson ns "$ENS" '.namespaces[] | select(.ipc_ns == $ns) | .pshm' "$T/out")|$(jq -c --arg ns "$ENS" '[.warnings[] | select(contains("IPC namespace " + $ns + ":"))]' "$T/out")" \
	"0|null|[\"POSIX shared memory of IPC namespace $ENS: not a directory, or a symbolic link (not followed): they cannot be listed\"]" \
	"a container whose /dev/shm is a symbolic link: not followed, its objects said not listed"
exec 8>&-
wait "$EU" 2>/dev/null

# ---------------------------------------------------------------------------
# clean there: what nobody holds goes, the held stays, ours stays; a file
# opened between the judgement and the re-check stays.
# ---------------------------------------------------------------------------
CLEAN=(--namespace "$CP" --yes --min-age 0 --suspects --include-root --no-syslog)
in_c sh -c 'echo late >/dev/shm/late'
late_clean() {
	"$IPCINSPECT" clean "${CLEAN[@]}" -t pshm --json </dev/null >"$T/out" 2>"$T/err" 9>&-
	local r=$?
	json_keep "$T/out" "$r" clean --json
	return "$r"
}
# paused right before the re-check's fresh walk of /proc (the 2nd open of
# /proc; the 1st is the listing's) of the first object (late): a process
# in the container opens it then
preload_pause_start open@/proc 2 late_clean
preload_wait_paused
ok $? "clean --namespace paused right before its re-check"
# nsenter execs sh, which execs sleep: one pid
nsenter --mount="/proc/$CP/ns/mnt" sh -c 'exec sleep 1000 5</dev/shm/late' </dev/null 9>&- &
LP=$!
STARTED+=("$LP")
while [ "$(readlink "/proc/$LP/fd/5" 2>/dev/null)" != /dev/shm/late ]; do sleep 0.01; done
preload_resume
is "$PRELOAD_RC|$(jq -c '[.actions[] | [.kind, .path, .action, .why]]' "$T/out")" \
	"0|[[\"pshm\",\"/proc/$CP/root/dev/shm/late\",\"skipped\",\"opened or mapped by a process since it was judged\"],[\"pshm\",\"/proc/$CP/root/dev/shm/orphan\",\"removed\",null]]" \
	"re-check: the file opened in the container meanwhile is kept, the other orphan removed"
kill "$LP"
wait "$LP" 2>/dev/null

# --backup: POSIX objects have no backup; the container's are kept, said so
mkdir "$T/bk"
ipci clean "${CLEAN[@]}" -t psem --backup "$T/bk" --json
is "$rc|$(jq -c '[.actions[] | [.kind, .path, .action, .why]]' "$T/out")|$(in_c ls /dev/shm/sem.osem)" \
	"0|[[\"psem\",\"/proc/$CP/root/dev/shm/sem.osem\",\"kept\",\"no backup for psem objects yet, and --backup removes nothing it cannot save\"]]|/dev/shm/sem.osem" \
	"clean --namespace --backup: a POSIX object of the container is refused, and stays"

ipci clean "${CLEAN[@]}" -t pshm,psem,pmq --json
is "$rc|$(jq -c '[.actions[] | [.kind, .path, .action]]' "$T/out")" \
	"0|[[\"pshm\",\"/proc/$CP/root/dev/shm/late\",\"removed\"],[\"psem\",\"/proc/$CP/root/dev/shm/sem.osem\",\"removed\"],[\"pmq\",\"/proc/$CP/root$IPCI_MQUEUE/oq\",\"removed\"]]" \
	"clean --namespace: the container's objects nobody holds are removed"
is "$(in_c ls -A /dev/shm | tr '\n' ' ')|$(in_c ls -A "$IPCI_MQUEUE" | tr '\n' ' ')" \
	"held mapped sem.hsem toetc toroot |hq " \
	"the container keeps what is held, and the links"
is "$(stat -c '%n %i %s' "$SHM"/* | sort)|$(cat "$SHM/orphan")|$(ls -A "$IPCI_MQUEUE" | wc -l)" \
	"$ours_before|ours|0" "our own /dev/shm and mqueue are untouched (our orphan of the same name too)"

exec 9>&-
wait "$CU" 2>/dev/null
rm -f "$SHM/orphan"
done_testing

#!/bin/bash
# The RemoveIPC= audit (ipcinspect(1), REMOVEIPC) on live objects: a fake
# systemd-logind (a copy of sleep(1) by that name, run by root in the
# namespace) and its settings in a mount namespace of our own (tmpfs over
# /etc/systemd and the other drop-in directories, files bound over
# /etc/login.defs and /etc/passwd, so nothing of the host's logind is
# read): objects of a regular user held or holding data outside a login
# session get the reason and the warning, with RemoveIPC=yes, by default,
# and through a drop-in over logind.conf; none with RemoveIPC=no, for a
# system user, for a lingering user, or without logind; --removeipc lists
# exactly those; a holder moved into a cgroup named
# user-1000.slice/session-9.scope spares its segment (cgroup v2 only).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"	# bash, even where make runs /bin/sh
. "${TESTS_SRCDIR:?run the tests with make check}/lib.sh" || exit 99
ns_enter "$@"
ns_check_empty
[ -z "${IPCI_USERNS:-}" ] ||
	skip_all "needs real root: owners 999 and 1000 cannot be mapped in a user namespace"
command -v jq >/dev/null || skip_all "jq not installed"
[ -d /etc/systemd ] || skip_all "no /etc/systemd to put a logind.conf over"
[ -f /etc/login.defs ] || skip_all "no /etc/login.defs to put ours over"

export LC_ALL=C TZ=UTC
T=$(mktemp -d)
CG=
cleanup() {
	[ -z "$LOGIND" ] || kill "$LOGIND" 2>/dev/null
	# the session scope's holder has ended with mkipc: the cgroups are empty
	[ -z "$CG" ] || rmdir "$CG/user.slice/user-1000.slice/session-9.scope" \
		"$CG/user.slice/user-1000.slice" "$CG/user.slice" "$CG" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

# Our own logind settings and users, in this mount namespace only.
mount -t tmpfs -o mode=0755,size=1m ipci-etc-systemd /etc/systemd || bail "cannot mount /etc/systemd"
mkdir /etc/systemd/logind.conf.d
for d in /run/systemd/logind.conf.d /usr/local/lib/systemd/logind.conf.d \
	/usr/lib/systemd/logind.conf.d /var/lib/systemd; do
	[ ! -d "$d" ] || mount -t tmpfs -o mode=0755,size=1m ipci-hide "$d" || bail "cannot hide $d"
done
printf 'root:x:0:0:root:/root:/bin/sh\nsysu:x:999:999::/:/bin/false\nalice:x:1000:1000::/home/alice:/bin/sh\n' \
	>"$T/passwd"
: >"$T/login.defs"
mount --bind "$T/passwd" /etc/passwd || bail "cannot bind /etc/passwd"
mount --bind "$T/login.defs" /etc/login.defs || bail "cannot bind /etc/login.defs"

mkipc_start shm:a,size=4096,uid=1000,attach=1 shm:s,size=4096,uid=999,attach=1 \
	shm:o,size=4096,uid=1000,creator=child \
	msg:q,uid=1000 msg:m,uid=1000,send=1:10 pshm:p,path=/ipci-ri,fd
A=$(mkipc_get a.id) S=$(mkipc_get s.id) Q=$(mkipc_get q.id) M=$(mkipc_get m.id)
O=$(mkipc_get o.id) OC=$(mkipc_get o.creator)
chown 1000 /dev/shm/ipci-ri || bail "cannot chown /dev/shm/ipci-ri"

REASON='removed by systemd-logind when alice logs out (RemoveIPC=yes)'
WARN='RemoveIPC=yes: 4 objects of user alice (uid 1000) are in use or hold data outside the user'"'"'s login sessions: systemd-logind removes them when the user'"'"'s last session ends'

# risky: the objects of the JSON document that have the reason, "kind:id|name"
risky() {
	jq -r --arg r "$REASON" '[to_entries[] | select(.value | type == "array") | .key as $k |
		.value[] | select(.reasons? // [] | index($r)) | "\($k):\(.id // .name)"] | join(" ")' \
		"$T/out"
}
listing() { ipci list -t shm,msg,pshm -J "$@"; }

listing
is "$rc|$(risky)|$(jq -c .warnings "$T/out")" "0||[]" "no systemd-logind: nothing audited"

cp "$(command -v sleep)" "$T/systemd-logind" || bail "cannot copy sleep"
"$T/systemd-logind" 1000 </dev/null >/dev/null 2>&1 7>&- 8>&- 9>&- &
LOGIND=$!

listing
is "$rc|$(risky)" "0|shm:$A shm:$O msg:$M pshm:ipci-ri" \
	"RemoveIPC by default: alice's segment and file held outside a session, her orphan segment, her queue with data"
is "$(jq -c .warnings "$T/out")" "[$(jq -cn --arg w "$WARN" '$w')]" "one warning for alice, in JSON"
is "$(jq -r --argjson i "$A" '.shm[] | select(.id == $i) | .verdict + "|" + .reasons[0] + "|" + .reasons[-1]' "$T/out")" \
	"in-use|nattch 1|$REASON" "the reason comes last; the verdict stays in-use"
is "$(jq -r --argjson i "$S" '.shm[] | select(.id == $i) | .verdict + "|" + .reasons[0] + "|" + (.reasons | index("'"$REASON"'") | tostring)' "$T/out")" \
	"in-use|nattch 1|null" "a system user's segment: no reason"
is "$(jq -r --argjson i "$Q" '.msg[] | select(.id == $i) | .reasons | index("'"$REASON"'")' "$T/out")" \
	"null" "an empty queue nobody uses: no reason"

ipci list -t shm,msg,pshm
is "$rc|$(err)" "0|ipcinspect: warning: $WARN" "the table: the warning on stderr"

listing --removeipc
is "$rc|$(jq -c '[.shm[].id, .msg[].id, .pshm[].name]' "$T/out")" "0|[$A,$O,$M,\"ipci-ri\"]" \
	"--removeipc lists exactly the objects at risk"
ipci orphans -t shm,msg,pshm --removeipc -J
is "$rc|$(jq -c '[.shm[] | .id, .verdict, .reasons[-1]], [.msg[].id, .pshm[].name]' "$T/out")" \
	"0|[$O,\"orphan\",\"$REASON\"]
[]" "orphans --removeipc: the orphan segment alone, its data lost at logout"
ipci list -t pshm --removeipc
is "$rc|$(err)" "0|ipcinspect: warning: RemoveIPC=yes: 1 object of user alice (uid 1000) is in use or holds data outside the user's login sessions: systemd-logind removes it when the user's last session ends" \
	"one object: the warning says so"
ipci list --removeipc --no-owners
is "$rc|$(err | head -n 1)" "2|ipcinspect: --removeipc needs the process scan: it cannot go with --no-owners" \
	"--removeipc needs the scan"

printf '[Login]\nRemoveIPC=no\n' >/etc/systemd/logind.conf
listing
is "$rc|$(risky)|$(jq -c .warnings "$T/out")" "0||[]" "RemoveIPC=no in logind.conf: no reason, no warning"
listing --removeipc
is "$rc|$(jq -c '[.shm[], .msg[], .pshm[]] | length' "$T/out")" "0|0" "RemoveIPC=no: --removeipc lists nothing"

printf '# ours\n[Login]\nRemoveIPC = yes\n' >/etc/systemd/logind.conf.d/50-ipci.conf
listing
is "$rc|$(risky)" "0|shm:$A shm:$O msg:$M pshm:ipci-ri" "a drop-in with yes overrides logind.conf"

printf '[Login]\nRemoveIPC=perhaps\n' >/etc/systemd/logind.conf.d/60-ipci.conf
listing
is "$rc|$(risky)" "0|shm:$A shm:$O msg:$M pshm:ipci-ri" "a bad value in a later drop-in is ignored"
is "$(jq -c '.warnings[0]' "$T/out")" \
	'"/etc/systemd/logind.conf.d/60-ipci.conf: 1 line ignored, as systemd-logind ignores them"' \
	"the bad value is a warning naming the file"
printf '[Login]\nRemoveIPC=off\n' >/etc/systemd/logind.conf.d/60-ipci.conf
listing
is "$rc|$(risky)|$(jq -c .warnings "$T/out")" "0||[]" "a later drop-in with off wins"
rm /etc/systemd/logind.conf.d/60-ipci.conf

printf 'SYS_UID_MAX\t1000\n' >/etc/login.defs
listing
is "$rc|$(risky)" "0|" "SYS_UID_MAX 1000 in login.defs: alice is a system user"
: >/etc/login.defs

if [ -d /var/lib/systemd ]; then
	mkdir /var/lib/systemd/linger && : >/var/lib/systemd/linger/alice
	listing
	is "$rc|$(risky)" "0|" "alice lingers: she never logs out"
	rm -r /var/lib/systemd/linger
fi

kill "$LOGIND" && wait "$LOGIND" 2>/dev/null
LOGIND=
listing
is "$rc|$(risky)" "0|" "systemd-logind gone: nothing audited"
"$T/systemd-logind" 1000 </dev/null >/dev/null 2>&1 7>&- 8>&- 9>&- &
LOGIND=$!

# A holder in alice's session scope: cgroup v2, a tree of ours under it.
if [ "$(stat -f -c %T /sys/fs/cgroup 2>/dev/null)" = cgroup2fs ] &&
	CG=/sys/fs/cgroup/ipci-test-$$ && mkdir "$CG" 2>/dev/null; then
	mkdir -p "$CG/user.slice/user-1000.slice/session-9.scope" &&
		echo "$MKIPC_PID" >"$CG/user.slice/user-1000.slice/session-9.scope/cgroup.procs" ||
		bail "cannot move mkipc into $CG"
	listing
	is "$rc|$(risky)" "0|" \
		"mkipc in user-1000.slice/session-9.scope: what it holds, or last sent to, is spared"
	is "$(grep -c 'user-1000.slice/session-9.scope' "/proc/$MKIPC_PID/cgroup")" 1 \
		"the holder was in the session scope"
else
	CG=
	tap_n=$((tap_n + 1))
	echo "ok $tap_n # SKIP no writable cgroup v2 hierarchy for a session scope"
fi

mkipc_stop
done_testing

#!/bin/bash
# Unix domain sockets, live (/tmp/unix-spec.md, issue 7): sockets made by
# tests/helpers/mkipc in a private IPC + PID + mount namespace and, since
# Unix sockets belong to the network namespace, a network namespace of
# our own: neither the test nor ipcinspect ever sees the host's sockets.
# Checked member by member against what the helper printed, and every
# socket against ss(8) (type, state, path, peer inode, holders): a
# socketpair split between the helper and a child; a listener with two
# clients, each client's peer its accepted end and back; a client nobody
# accepted yet (its peer has no inode: null); a seqpacket
# listener; a bound and an unbound datagram socket; an abstract name
# holding 0xff, NUL and a backslash; listeners whose path was unlinked,
# bound again by another listener or by a process that exited, or
# replaced by a regular file (suspect); --socket-dir with socket files
# nobody is bound to (suspect, on_disk; matched by dev and inode, not by
# path), a symlink, a FIFO and a regular file in it; a
# --socket-dir that is a symlink (refused); clean, which removes only the
# socket files nobody is bound to and only with --socket-dir, and keeps one
# when a listener binds the path between the listing and the removal;
# the table.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"	# bash, even where make runs /bin/sh
. "${TESTS_SRCDIR:?run the tests with make check}/lib.sh" || exit 99
ns_enter "$@"	# a network namespace of our own too: no socket of the host's in it
ns_check_empty
command -v jq >/dev/null || skip_all "jq not installed"
command -v ss >/dev/null || skip_all "ss (iproute2) not installed"
command -v timeout >/dev/null || skip_all "timeout not installed"
[ "$$" -eq 1 ] || bail "not pid 1 of a private pid namespace"

export LC_ALL=C TZ=UTC
T=$(mktemp -d)
chmod 755 "$T"
trap 'rm -rf "$T"' EXIT
export T MKIPC

close_inherited_fds

# ipct ARGS...: ipci (lib.sh) bounded in time
ipct() {
	timeout 60 "$IPCINSPECT" "$@" </dev/null >"$T/out" 2>"$T/err" 7>&- 8>&- 9>&-
	rc=$?
	json_keep "$T/out" "$rc" "$@"
}
# ss -xapn, no header: Netid State Recv-Q Send-Q Local Port Peer Port Process
ssx() { ss -xapnH 2>/dev/null; }
[ "$(ssx | wc -l)" -eq 0 ] || bail "the network namespace is not private: ss -xa sees Unix sockets already"
is "$(ssx | wc -l)|$(tail -n +2 /proc/net/unix | wc -l)" "0|0" \
	"a network namespace of our own: ss -xa and /proc/net/unix show no Unix socket before the test makes one"

MC=${MKIPC##*/}
MC=${MC:0:15}
# uobj INODE: the entry of .unix with that inode, compact (from $T/out)
uobj() { jq -c --argjson i "$1" '.unix[]? | select(.inode == $i)' "$T/out"; }
# upath PATH: the entries with that path, compact
upath() { jq -c --arg p "$1" '.unix[]? | select(.path == $p)' "$T/out"; }
# holders, in a fixed order (the spec sets none), keys sorted
hsort='sort_by(.pid, .fd) | map(to_entries | sort_by(.key) | from_entries)'
hnorm="if . == null then null else $hsort end"
holders_of() { uobj "$1" | jq -cS ".holders | $hnorm"; }
# the peer, its holders in that order
peer_of() { uobj "$1" | jq -cS ".peer | if . == null then null else {inode, holders: (.holders | $hnorm)} end"; }
# hfd PID:FD: the helper's holder by fd; want_holders HOLDER...; want_peer INODE HOLDER...
hfd() { echo "{\"pid\":${1%%:*},\"comm\":\"$MC\",\"user\":\"root\",\"fd\":${1##*:}}"; }
want_holders() { jq -cS -n "[$(IFS=,; echo "$*")] | $hsort"; }
want_peer() { local i=$1; shift; jq -cS -n "{inode: $i, holders: ([$(IFS=,; echo "$*")] | $hsort)}"; }
# [type, state, path, on_disk, age]
basics() { uobj "$1" | jq -c '[.type, .state, .path, .on_disk, .age]'; }
# [verdict, reasons are a non-empty list of non-empty strings]
verdict_of() { uobj "$1" | jq -c '[.verdict, (.reasons | type == "array" and length > 0 and all(type == "string" and length > 0))]'; }
# has_reason INODE TEXT: a reason of that socket starts with TEXT
has_reason() { uobj "$1" | jq -c --arg w "$2" '.reasons | any(startswith($w))'; }
# the parts of a helper's INODE:PID:FD
ino() { echo "${1%%:*}"; }
pfd() { echo "${1#*:}"; }
# the entries of a directory with their file types, sorted
# (but the test's own files in $T: out, err, hook*, hin, hout)
ls_d() {
	(cd "$1" && for f in * .[!.]*; do
		case $1/$f in "$T"/out | "$T"/err | "$T"/hook* | "$T"/hin | "$T"/hout) continue ;; esac
		[ -e "$f" ] || [ -L "$f" ] && printf '%s:%s ' "$f" "$(stat -c %F "$f")"
	done)
	echo
}

STALE_WHY="a socket file nobody is bound to"
gone_why() { echo "listening on $1, which no longer names this socket"; }
# the JSON members the spec gives the kind
M_UNIX='["inode","type","state","path","holders","peer","on_disk","verdict","reasons","age"]'

# ============================================================================
# 1. The population.  D is the --socket-dir, E a directory elsewhere that a
# symlink in D and a symlink to a directory point to.
#   p     a socketpair: end 0 the helper's, end 1 a child's
#   l     a stream listener on $T/l.sock with two clients (in the helper)
#   bl    a listener on $T/bl.sock with two clients, only the first accepted
#   sp    a seqpacket listener on $T/sp.sock with one client
#   d     a datagram socket bound to $T/d.sock; u one never bound
#   a     a listener on the abstract name "x" 0xff NUL "y" "\" "z"
#   g     a listener on $D/gone.sock with one client; the file is unlinked
#   old   a listener on $D/re.sock, unlinked; new binds $D/re.sock again
#   rf    a listener on $D/file.sock, which the test replaces by a file
#   live  a listener on $D/live.sock
#   gh    a listener on $D/ghost.sock, unlinked; ghs binds $D/ghost.sock
#         again in a child that exits: the file's path is gh's name, but
#         nobody is bound to the file (matched by dev and inode, not path)
#   stale $D/stale.sock, bound by a child that exited: nobody is bound to it
#   far   $E/far.sock, the same; $D/link.sock is a symlink to it
#   race  $T/race/r.sock, the same, in a --socket-dir of its own
# ============================================================================
D=$T/socks E=$T/elsewhere
mkdir "$D" "$E" "$T/race"
ln -s "$E/far.sock" "$D/link.sock"
ln -s "$E" "$T/dirlink"
mkfifo "$D/fifo"
echo text >"$D/plain"
ABS_HEX=78ff00795c7a
ABS_JSON='"@x\\xff\\x00y\\\\z"'	# as ipcinspect must print it
mkipc_start \
	unix:p,kind=pair \
	"unix:l,kind=listen,path=$T/l.sock,clients=2" \
	"unix:bl,kind=listen,path=$T/bl.sock,clients=2,accept=1" \
	"unix:sp,kind=listen,type=seqpacket,path=$T/sp.sock,clients=1" \
	"unix:d,kind=dgram,path=$T/d.sock" \
	unix:u,kind=dgram \
	unix:a,kind=listen,abstract=$ABS_HEX \
	"unix:g,kind=listen,path=$D/gone.sock,clients=1,unlink" \
	"unix:old,kind=listen,path=$D/re.sock,unlink" \
	"unix:new,kind=listen,path=$D/re.sock" \
	"unix:rf,kind=listen,path=$D/file.sock" \
	"unix:live,kind=listen,path=$D/live.sock" \
	"unix:gh,kind=listen,path=$D/ghost.sock,unlink" \
	"unix:ghs,kind=stale,path=$D/ghost.sock" \
	"unix:stale,kind=stale,path=$D/stale.sock" \
	"unix:far,kind=stale,path=$E/far.sock" \
	"unix:race,kind=stale,path=$T/race/r.sock"
H=$(mkipc_get pid)
PC=$(mkipc_get p.child)
rm "$D/file.sock" && echo text >"$D/file.sock"

# every socket the helper made, by inode, one a line
INODES=$(sed -n 's/^[a-z]*\.\(inode[01]\?\|client\.[0-9]*\|accepted\.[0-9]*\)=\([0-9]*\).*/\2/p' "$MKIPC_OUT" | sort -n)
NSOCK=$(echo "$INODES" | wc -l)
is "$NSOCK" 25 "mkipc made 25 sockets: 2 + 5 + 4 + 3 + 1 + 1 + 1 + 3 + 1 + 1 + 1 + 1 + 1"
is "$(ssx | awk '{ print $6 }' | sort -n)" "$INODES" "ss -xa: the sockets of this network namespace are exactly the helper's"
is "$(mkipc_get p.fd0 | cut -d: -f1)/$(mkipc_get p.fd1 | cut -d: -f1)" "$H/$PC" "mkipc: the pair's end 0 is the helper's, end 1 its child's"
is "$(ls_d "$D")" "fifo:fifo file.sock:regular file ghost.sock:socket link.sock:symbolic link live.sock:socket plain:regular file re.sock:socket stale.sock:socket " \
	"$D: the socket files of new, live, ghs and stale, a regular file where rf was bound, a symlink, a FIFO, a regular file"
is "$(stat -c %i "$D/re.sock")|$(stat -c %i "$D/live.sock")|$(stat -c %i "$D/stale.sock")" \
	"$(mkipc_get new.file_inode)|$(mkipc_get live.file_inode)|$(mkipc_get stale.file_inode)" \
	"mkipc's file inodes are stat(1)'s: $D/re.sock is the file new bound"

# --- one listing ---------------------------------------------------------------------
ipct --json -t unix
is "$rc|$(cat "$T/err")|$(jq -e . "$T/out" >/dev/null 2>&1; echo $?)" "0||0" \
	"--json -t unix: exit 0, nothing on stderr, valid JSON (an abstract name with 0xff and NUL in it)"
is "$(jq -c '[.unix[].inode]' "$T/out")" "$(echo "$INODES" | jq -sc .)" \
	"exactly the helper's $NSOCK sockets, sorted by inode; nothing for the socket files nobody is bound to"
is "$(jq -c --argjson m "$M_UNIX" '[.unix[] | . as $o | $m | all(. as $k | $o | has($k))] | unique' "$T/out")" "[true]" \
	"every socket has every member the spec gives the kind"
is "$(jq -c '[.unix[] | [.on_disk, .age]] | unique' "$T/out")" "[[false,null]]" \
	"without --socket-dir: on_disk false and age null for every socket"
is "$(jq -c '[.unix[] | .holders | type == "array" and length > 0] | unique' "$T/out")" "[true]" \
	"every socket listed has a holder"

# --- ss(8) as the oracle: every socket's type, state, path, peer and holders --------
# one line a socket: INODE TYPE STATE PATH PEER PID:FD,...  (an abstract
# name as @, no path as *, no peer as 0)
from_ss() {
	ssx | awk '
	BEGIN { t["u_str"] = "stream"; t["u_dgr"] = "dgram"; t["u_seq"] = "seqpacket"
		s["ESTAB"] = "connected"; s["LISTEN"] = "listen"; s["UNCONN"] = "unconnected" }
	{
		path = $5; if (path ~ /^@/) path = "@"
		h = ""; rest = $9
		while (match(rest, /pid=[0-9]+,fd=[0-9]+/)) {
			x = substr(rest, RSTART + 4, RLENGTH - 4); sub(/,fd=/, ":", x)
			h = h (h == "" ? "" : ",") x; rest = substr(rest, RSTART + RLENGTH)
		}
		print $6, t[$1], s[$2], path, $8, h
	}' | sort -n
}
from_json() {
	jq -r '.unix[] | [.inode, .type, .state,
		(if .path == null then "*" elif (.path | startswith("@")) then "@" else .path end),
		(.peer.inode // 0),
		([.holders[] | [.pid, .fd]] | sort | map("\(.[0]):\(.[1])") | join(","))] | join(" ")' "$T/out" | sort -n
}
is "$(from_json)" "$(from_ss)" "every socket as ss -xapn sees it: inode, type, state, path, peer inode, holders (pid, fd)"
ss_peer() { ssx | awk -v i="$1" '$6 == i { print $8 }'; }

# --- the socketpair ------------------------------------------------------------------
P0=$(mkipc_get p.inode0) P1=$(mkipc_get p.inode1)
HP0=$(hfd "$(mkipc_get p.fd0)") HP1=$(hfd "$(mkipc_get p.fd1)")
is "$(basics "$P0")|$(basics "$P1")" '["stream","connected",null,false,null]|["stream","connected",null,false,null]' \
	"pair: both ends listed: type stream, state connected, path null (unbound)"
is "$(holders_of "$P0")|$(holders_of "$P1")" "$(want_holders "$HP0")|$(want_holders "$HP1")" \
	"pair: end 0 held by the helper, end 1 by its child (pid $PC), with their fds"
is "$(peer_of "$P0")" "$(want_peer "$P1" "$HP1")" "pair: end 0's peer is end 1, with the child as its holder"
is "$(peer_of "$P1")" "$(want_peer "$P0" "$HP0")" "pair: end 1's peer is end 0, with the helper as its holder"
is "$(ss_peer "$P0") $(ss_peer "$P1")" "$P1 $P0" "pair: ss agrees on both peers"
is "$(verdict_of "$P0")|$(verdict_of "$P1")" '["in-use",true]|["in-use",true]' "pair: both ends in-use, with reasons"

# --- the listener and its two clients ------------------------------------------------
L=$(mkipc_get l.inode) HL=$(hfd "$(mkipc_get l.fd)")
is "$(basics "$L")|$(holders_of "$L")|$(peer_of "$L")" \
	"[\"stream\",\"listen\",\"$T/l.sock\",false,null]|$(want_holders "$HL")|null" \
	"listener: state listen, its path, the helper's fd, peer null"
is "$(verdict_of "$L")" '["in-use",true]' "listener: in-use (its path still names it)"
for k in 1 2; do
	C=$(mkipc_get l.client.$k) A=$(mkipc_get l.accepted.$k)
	is "$(basics "$(ino "$C")")|$(holders_of "$(ino "$C")")" \
		"[\"stream\",\"connected\",null,false,null]|$(want_holders "$(hfd "$(pfd "$C")")")" \
		"client $k: connected, unbound (path null), the helper's fd"
	is "$(uobj "$(ino "$A")" | jq -c '[.type, .state, .path]')|$(holders_of "$(ino "$A")")" \
		"[\"stream\",\"connected\",\"$T/l.sock\"]|$(want_holders "$(hfd "$(pfd "$A")")")" \
		"accepted end $k: connected, the listener's name (as the kernel gives it), the helper's fd"
	is "$(peer_of "$(ino "$C")")" "$(want_peer "$(ino "$A")" "$(hfd "$(pfd "$A")")")" \
		"client $k: its peer is the accepted end $k (inode and holder)"
	is "$(peer_of "$(ino "$A")")" "$(want_peer "$(ino "$C")" "$(hfd "$(pfd "$C")")")" \
		"accepted end $k: its peer is client $k (inode and holder)"
	is "$(ss_peer "$(ino "$C")") $(ss_peer "$(ino "$A")")" "$(ino "$A") $(ino "$C")" \
		"client $k and accepted end $k: ss pairs them the same way"
	is "$(verdict_of "$(ino "$C")")|$(verdict_of "$(ino "$A")")" '["in-use",true]|["in-use",true]' \
		"client $k and accepted end $k: in-use"
done

# --- a client nobody accepted yet ---------------------------------------------------------
BC1=$(mkipc_get bl.client.1) BA1=$(mkipc_get bl.accepted.1) BC2=$(mkipc_get bl.client.2)
is "$(mkipc_get bl.accepted.2)|$(ss_peer "$(ino "$BC2")")" "|0" \
	"bl: client 2 was not accepted: ss gives its peer no inode (the server's end has no socket yet)"
is "$(basics "$(ino "$BC2")")|$(holders_of "$(ino "$BC2")")|$(peer_of "$(ino "$BC2")")|$(verdict_of "$(ino "$BC2")")" \
	"[\"stream\",\"connected\",null,false,null]|$(want_holders "$(hfd "$(pfd "$BC2")")")|null|[\"in-use\",true]" \
	"bl: the client nobody accepted: connected, the helper's fd, peer null (no inode to name), in-use"
is "$(peer_of "$(ino "$BC1")")|$(peer_of "$(ino "$BA1")" | jq -c .inode)" \
	"$(want_peer "$(ino "$BA1")" "$(hfd "$(pfd "$BA1")")")|$(ino "$BC1")" "bl: the client accepted and its accepted end: each other's peer"
is "$(basics "$(mkipc_get bl.inode)")|$(verdict_of "$(mkipc_get bl.inode)")" "[\"stream\",\"listen\",\"$T/bl.sock\",false,null]|[\"in-use\",true]" \
	"bl: the listener with a connection waiting: listen, in-use"

# --- seqpacket ---------------------------------------------------------------------------
SL=$(mkipc_get sp.inode) SC=$(mkipc_get sp.client.1) SA=$(mkipc_get sp.accepted.1)
is "$(basics "$SL")|$(basics "$(ino "$SC")")|$(uobj "$(ino "$SA")" | jq -c '[.type, .state]')" \
	"[\"seqpacket\",\"listen\",\"$T/sp.sock\",false,null]|[\"seqpacket\",\"connected\",null,false,null]|[\"seqpacket\",\"connected\"]" \
	"seqpacket: the listener, its client and the accepted end are type seqpacket"
is "$(peer_of "$(ino "$SC")" | jq -c .inode)|$(peer_of "$(ino "$SA")" | jq -c .inode)" "$(ino "$SA")|$(ino "$SC")" \
	"seqpacket: the client and the accepted end are each other's peer"

# --- datagram sockets ----------------------------------------------------------------------
DG=$(mkipc_get d.inode) UG=$(mkipc_get u.inode)
is "$(basics "$DG")|$(holders_of "$DG")|$(peer_of "$DG")" \
	"[\"dgram\",\"unconnected\",\"$T/d.sock\",false,null]|$(want_holders "$(hfd "$(mkipc_get d.fd)")")|null" \
	"dgram bound to a path: type dgram, state unconnected, its path, the helper's fd, peer null"
is "$(basics "$UG")|$(holders_of "$UG")|$(peer_of "$UG")" \
	"[\"dgram\",\"unconnected\",null,false,null]|$(want_holders "$(hfd "$(mkipc_get u.fd)")")|null" \
	"dgram never bound: path null, peer null"
is "$(verdict_of "$DG")|$(verdict_of "$UG")" '["in-use",true]|["in-use",true]' "dgram sockets: in-use"

# --- the abstract name ---------------------------------------------------------------------
AB=$(mkipc_get a.inode)
is "$(uobj "$AB" | jq -c .path)" "$ABS_JSON" \
	"abstract name x 0xff NUL y \\ z: path \"@\" and the name, 0xff and NUL as \\xff and \\x00, the backslash as \\\\"
is "$(grep -c "$(printf '\377')" "$T/out")|$(tr -d '\n' <"$T/out" | tr -cd '\000' | wc -c)" "0|0" \
	"abstract name: no raw 0xff or NUL byte in the JSON text"
is "$(basics "$AB" | jq -c '.[0:2]')|$(holders_of "$AB")|$(verdict_of "$AB")" \
	"[\"stream\",\"listen\"]|$(want_holders "$(hfd "$(mkipc_get a.fd)")")|[\"in-use\",true]" \
	"abstract listener: listen, the helper's fd, in-use (no file to lose)"
is "$(ssx | awk -v i="$AB" '$6 == i { printf "%s", $5 }' | od -An -c | tr -s ' ' | sed 's/^ //')" '@ x 377 @ y \ z' \
	"ss sees the same abstract name (its NUL as @)"

# --- listeners whose path no longer names them -------------------------------------------
GL=$(mkipc_get g.inode) OL=$(mkipc_get old.inode) NL=$(mkipc_get new.inode) RL=$(mkipc_get rf.inode)
LV=$(mkipc_get live.inode) GH=$(mkipc_get gh.inode)
GC=$(mkipc_get g.client.1) GA=$(mkipc_get g.accepted.1)
for x in "g:$GL:$D/gone.sock:the file was unlinked" "old:$OL:$D/re.sock:the path names the file another listener bound" \
	"rf:$RL:$D/file.sock:the path names a regular file now" \
	"gh:$GH:$D/ghost.sock:the path names a socket file a child bound and left"; do
	IFS=: read -r n i p why <<<"$x"
	is "$(basics "$i")|$(verdict_of "$i")|$(has_reason "$i" "$(gone_why "$p")")" \
		"[\"stream\",\"listen\",\"$p\",false,null]|[\"suspect\",true]|true" \
		"listener $n ($why): suspect, \"$(gone_why "$p")\""
	is "$(holders_of "$i")" "$(want_holders "$(hfd "$(mkipc_get $n.fd)")")" "listener $n: still held by the helper"
done
is "$(basics "$NL")|$(verdict_of "$NL")|$(has_reason "$NL" "$(gone_why "$D/re.sock")")" \
	"[\"stream\",\"listen\",\"$D/re.sock\",false,null]|[\"in-use\",true]|false" \
	"listener new, bound to the path after old's file was unlinked: in-use"
is "$(basics "$LV")|$(verdict_of "$LV")" "[\"stream\",\"listen\",\"$D/live.sock\",false,null]|[\"in-use\",true]" \
	"listener live: in-use"
is "$(verdict_of "$(ino "$GC")")|$(verdict_of "$(ino "$GA")")|$(uobj "$(ino "$GA")" | jq -c .path)" \
	"[\"in-use\",true]|[\"in-use\",true]|\"$D/gone.sock\"" \
	"the connection to the unlinked listener: both ends in-use (only a listener is judged by its path)"
is "$(jq -c '[.unix[] | select(.verdict == "suspect") | .inode] | sort' "$T/out")" "$(echo "$GL $OL $RL $GH" | jq -sc sort)" \
	"exactly four suspects: the listeners g, old, rf and gh; every other socket in-use"
is "$(jq -c '[.unix[].verdict] | unique' "$T/out")" '["in-use","suspect"]' "no verdict but in-use and suspect"

# --- the default listing, --pid, the table -----------------------------------------------
ipct --json
is "$rc|$(jq -c '[.unix[].inode]' "$T/out")" "0|$(echo "$INODES" | jq -sc .)" "--json without -t: the Unix sockets are listed too"
ipct --json -t unix --pid "$PC"
is "$rc|$(jq -c '[.unix[].inode]' "$T/out")" "0|[$P1]" "--pid of the pair's child: only the end it holds"
ipct -t unix
is "$rc|$(head -n 1 "$T/out")" "0|Unix sockets: $NSOCK" "-t unix, table: exit 0, the section \"Unix sockets: $NSOCK\""
ok "$(for i in $INODES; do grep -qw "$i" "$T/out" || echo "$i"; done | grep -c .)" "-t unix, table: every socket's inode is in it"
is "$(grep -c "$(printf '\377')" "$T/out")|$(grep -cF '@x\xff' "$T/out")" "0|1" \
	"-t unix, table: the abstract name escaped (\\xff), on one line, no raw 0xff"
ipct -t shm,unix
is "$rc|$(grep -c '^Unix sockets: ' "$T/out")|$(grep -c '^Shared memory segments: 0$' "$T/out")" "0|1|1" \
	"-t shm,unix, table: a Unix sockets section next to the others"

# ============================================================================
# 2. --socket-dir.  In D: stale.sock and ghost.sock (nobody bound to them:
# listed, suspect), live.sock and re.sock (bound by live sockets: no entry
# of their own), gone.sock (unlinked: not there), file.sock (a regular
# file), link.sock (a symlink to E/far.sock: never followed), a FIFO, a
# regular file.
# ============================================================================
ST=$(stat -c %i "$D/stale.sock")
ipct --json -t unix --socket-dir "$D"
is "$rc|$(cat "$T/err")" "0|" "--socket-dir: exit 0, nothing on stderr"
is "$(upath "$D/stale.sock" | jq -c '[.on_disk, .holders, .peer, .verdict, (.reasons | index($w) != null)]' --arg w "$STALE_WHY")" \
	"[true,[],null,\"suspect\",true]" \
	"--socket-dir: the socket file nobody is bound to: on_disk true, holders [], peer null, suspect, \"$STALE_WHY\""
# no socket: no socket inode (the file's inode, $ST, is another number,
# never to be joined with socket:[INODE] fd links)
is "$(upath "$D/stale.sock" | jq -c '[.inode, .type, .state]')" "[null,null,null]" \
	"--socket-dir: a file nobody is bound to has no socket inode, type or state (file inode $ST)"
is "$(upath "$D/ghost.sock" | jq -c '[.on_disk, (.holders | length), .verdict, (.reasons | index($w) != null)]' --arg w "$STALE_WHY" | sort | paste -sd' ')" \
	"[false,1,\"suspect\",false] [true,0,\"suspect\",true]" \
	"--socket-dir: ghost.sock, whose path is still listener gh's name: the file is listed as nobody's (matched by dev and inode, not by path)"
is "$(jq -c '[.unix[] | select(.on_disk) | .path] | sort' "$T/out")" "[\"$D/ghost.sock\",\"$D/stale.sock\"]" \
	"--socket-dir: on_disk true for exactly the two socket files nobody is bound to; the far one behind the symlink is not followed"
is "$(jq -c '[.unix[] | select(.on_disk) | [.holders, .peer]] | unique' "$T/out")" "[[[],null]]" \
	"--socket-dir: those files have holders [] and peer null"
is "$(jq -c --arg d "$D" '[.unix[] | select((.path // "") | startswith($d + "/") and test("link|far|fifo|plain"))]' "$T/out")" "[]" \
	"--socket-dir: the symlink, the FIFO and the regular file are no socket entries"
is "$(jq -c '[.unix[] | select(.on_disk | not) | .inode]' "$T/out")" "$(echo "$INODES" | jq -sc .)" \
	"--socket-dir: the $NSOCK sockets are still listed, each once"
is "$(jq -c '.unix | length' "$T/out")" $((NSOCK + 2)) "--socket-dir: $((NSOCK + 2)) entries: no entry of its own for a file a live socket is bound to"
is "$(jq -c --arg p "$D/re.sock" '[.unix[] | select(.path == $p) | [.inode, .on_disk, .verdict]] | sort' "$T/out")" \
	"$(echo "[[$NL,false,\"in-use\"],[$OL,false,\"suspect\"]]" | jq -c sort)" \
	"--socket-dir: re.sock is the file of listener new (in-use): no entry of its own; old, which lost it, stays suspect"
is "$(jq -c '[.unix[] | select(.inode == ($i | tonumber)) | .verdict]' --arg i "$RL" "$T/out")|$(jq -c '[.unix[] | select(.on_disk and .path == $p)]' --arg p "$D/file.sock" "$T/out")" \
	'["suspect"]|[]' "--socket-dir: file.sock, a regular file now: rf stays suspect, the file itself is no entry"
ipct orphans --json -t unix --socket-dir "$D"
is "$rc|$(jq -c '[.unix[] | [.path, .verdict, (.holders | length > 0)]] | sort' "$T/out")" \
	"0|[[\"$D/file.sock\",\"suspect\",true],[\"$D/ghost.sock\",\"suspect\",false],[\"$D/ghost.sock\",\"suspect\",true],[\"$D/gone.sock\",\"suspect\",true],[\"$D/re.sock\",\"suspect\",true],[\"$D/stale.sock\",\"suspect\",false]]" \
	"orphans --socket-dir: the four listeners that lost their path (held) and the two files nobody is bound to"

# --- a --socket-dir that is a symlink -----------------------------------------------------
for link in "$T/dirlink" "$T/dirlink/"; do
	ipct --json -t unix --socket-dir "$link"
	is "$rc|$(cat "$T/err")|$(jq -c --arg w "--socket-dir $link: a symbolic link, not followed" '.warnings | index($w) != null' "$T/out")" \
		"0|ipcinspect: warning: --socket-dir $link: a symbolic link, not followed|true" \
		"--socket-dir $link: a symlink to a directory: a warning (stderr and JSON), not followed"
	is "$(jq -c '[.unix[] | select(.on_disk)]' "$T/out")" "[]" "--socket-dir $link: nothing found behind it"
done

# ============================================================================
# 3. clean.  Only socket files nobody is bound to are candidates, and only
# under a --socket-dir.
# ============================================================================
before_d=$(ls_d "$D") before_e=$(ls_d "$E") before_t=$(ls_d "$T")
unchanged() { [ "$(ls_d "$D")|$(ls_d "$E")|$(ls_d "$T")" = "$before_d|$before_e|$before_t" ] && echo same || echo changed; }
ipct clean --suspects --min-age 0 --yes --no-syslog --include-root
is "$rc|$(unchanged)" "0|same" "clean --yes --suspects --include-root without -t and --socket-dir: exit 0, no socket file touched"
ipct clean --suspects -t unix --min-age 0 --yes --no-syslog --include-root
is "$(unchanged)" "same" "clean -t unix --yes without --socket-dir: no socket file touched (exit $rc)"
ipct clean --suspects -t unix --socket-dir "$D" --min-age 0 --include-root
is "$rc|$(unchanged)" "0|same" "clean -t unix --socket-dir without --yes: a dry run, nothing removed"
ipct clean --suspects -t unix --socket-dir "$D" --min-age 0 --include-root --json
is "$rc|$(jq -c '.summary | [.would_remove, .removed, .failed]' "$T/out")" "0|[2,0,0]" \
	"clean --json dry run: 2 would be removed (the files nobody is bound to), none removed"
ipct clean --suspects -t unix --socket-dir "$T/dirlink" --min-age 0 --yes --no-syslog --include-root
is "$rc|$(cat "$T/err")|$(unchanged)" "0|ipcinspect: warning: --socket-dir $T/dirlink: a symbolic link, not followed|same" \
	"clean --socket-dir naming a symlink: a warning, not followed, nothing removed"

ipct clean --suspects -t unix --socket-dir "$D" --min-age 0 --yes --no-syslog --include-root --json
is "$rc|$(jq -c '.summary | [.removed, .failed]' "$T/out")" "0|[2,0]" "clean --socket-dir --yes: 2 removed, none failed"
before_d=${before_d/stale.sock:socket /}
is "$(ls_d "$D")" "${before_d/ghost.sock:socket /}" \
	"clean: only stale.sock and ghost.sock are gone; the files of live sockets, the regular files, the symlink and the FIFO stay"
is "$(ls_d "$E")|$(ls_d "$T")" "$before_e|$before_t" "clean: nothing outside $D was touched (the symlink's target stays)"
is "$(stat -c %i "$D/re.sock")|$(stat -c %i "$D/live.sock")" "$(mkipc_get new.file_inode)|$(mkipc_get live.file_inode)" \
	"clean: re.sock (old's lost path, new's file) and live.sock are the same files"
ipct --json -t unix --socket-dir "$D"
is "$rc|$(jq -c '[.unix[] | select(.on_disk | not) | .inode]' "$T/out")|$(jq -c '[.unix[] | select(.on_disk and (.holders | length) == 0)]' "$T/out")" \
	"0|$(echo "$INODES" | jq -sc .)|[]" "after clean: every socket is still there, no socket file nobody is bound to"
is "$(from_json)" "$(from_ss)" "after clean: ss still agrees on every socket"

# --- a listener binds the path between the listing and the removal ------------------------
R0=$(stat -c %i "$T/race/r.sock")
cat >"$T/hook" <<EOF
[ -e "$T/hook.done" ] && exit 0
: >"$T/hook.done"
stat -c "unix %i" "$T/race/r.sock" >"$T/hook.log"
rm "$T/race/r.sock"
mkfifo "$T/hin"
"$MKIPC" "unix:rb,kind=listen,path=$T/race/r.sock" <"$T/hin" >"$T/hout" 2>&1 &
echo \$! >"$T/hook.pid"
sleep 1000 >"$T/hin" 2>/dev/null </dev/null &
echo \$! >"$T/hook.writer"
i=0
while ! grep -qx ready "$T/hout" 2>/dev/null && [ \$i -lt 200 ]; do i=\$((i + 1)); sleep 0.05; done
EOF
# paused before the re-check: the 2nd fstatat of r.sock (the 1st is the
# listing); the hook logs the inode the file has in that pause
ipci_race fstatat@r.sock 2 'sh "$T/hook"' \
	clean --suspects -t unix --socket-dir "$T/race" --min-age 0 --yes --no-syslog --include-root --json
RB=$(sed -n 's/^rb.inode=//p' "$T/hout" 2>/dev/null)
is "$rc|$(cat "$T/hook.log" 2>/dev/null)|$(grep -cx ready "$T/hout" 2>/dev/null)" "0|unix $R0|1" \
	"race: clean paused before its re-check (the file still the one listed), a listener bound the path meanwhile"
is "$(jq -c '.summary.removed' "$T/out")|$(stat -c '%F %i' "$T/race/r.sock" 2>&1)" \
	"0|socket $(sed -n 's/^rb.file_inode=//p' "$T/hout")" \
	"race: the new listener's socket file is kept; nothing removed"
ipct --json -t unix --socket-dir "$T/race"
is "$(upath "$T/race/r.sock" | jq -c '[.inode, .state, .on_disk, .verdict]')" "[$RB,\"listen\",false,\"in-use\"]" \
	"race: the new listener is listed, bound to that file, in-use; the file has no entry of its own"
# its helper ends at EOF: it closes its socket and unlinks its file
kill "$(cat "$T/hook.writer")"
i=0
while [ -e "$T/race/r.sock" ] && [ $i -lt 200 ]; do i=$((i + 1)); sleep 0.05; done

# --- the file removed by someone else between the re-check and the unlink ----------
# a socket file nobody is bound to (a second helper's, kept until EOF on
# fd 8); clean pauses right before unlinkat, the test removes the file:
# ENOENT is "already gone", exit 0, as for a SysV object removed meanwhile
mkdir "$T/gone"
mkfifo "$T/gin"
"$MKIPC" "unix:gs,kind=stale,path=$T/gone/g.sock" <"$T/gin" >"$T/gout" 2>&1 7>&- 8>&- 9>&- &
GH=$!
exec 8>"$T/gin"
i=0
while ! grep -qx ready "$T/gout" 2>/dev/null && [ $i -lt 200 ]; do i=$((i + 1)); sleep 0.05; done
ipci_race unlinkat 1 'rm "$T/gone/g.sock"' \
	clean --suspects -t unix --socket-dir "$T/gone" --min-age 0 --yes --no-syslog --include-root --json
is "$rc|$(jq -c '[.actions[] | [.path, .action, .why]] + [.summary.failed]' "$T/out")|$(cat "$T/err")" \
	"0|[[\"$T/gone/g.sock\",\"gone\",\"already gone\"],0]|" \
	"a socket file removed between the re-check and the unlink: gone, not failed, exit 0"
exec 8>&-
wait "$GH"

# ============================================================================
# 4. The end: the helper closes its sockets and unlinks the files it bound.
# ============================================================================
mkipc_stop
is "$(ssx | wc -l)" 0 "after the helpers: ss -xa sees no socket"
ipct --json -t unix
is "$rc|$(jq -c .unix "$T/out")" "0|[]" "after the helpers: \"unix\": [] (an empty list, not null)"
is "$(ls_d "$D")|$(ls_d "$E")|$(ls -A "$T/race")" "fifo:fifo file.sock:regular file link.sock:symbolic link plain:regular file ||" \
	"the helpers unlinked the socket files they bound; the test's own files are left"
done_testing

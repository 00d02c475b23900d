#!/bin/bash
# memfd, live: files made by memfd_create in tests/helpers/mkipc, in a
# private IPC + PID + mount namespace: one passed to a child over a Unix
# socket (SCM_RIGHTS) and mapped there, one held only by a mapping, one
# held only by an fd, one sealed against writes and mapped read-only, one
# with a hostile name.  Each is checked member by member against what the
# helper printed and against stat(1) of its /proc/PID/fd link: name,
# inode, size, seals, holders (fds and mappings), verdict and reasons;
# then the table, --pid, a holder that exits, the default in a child PID
# namespace (holders outside not seen), and `clean`, which never touches
# a memfd.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"	# bash, even where make runs /bin/sh
. "${TESTS_SRCDIR:?run the tests with make check}/lib.sh" || exit 99
ns_enter "$@"
ns_check_empty
command -v jq >/dev/null || skip_all "jq not installed"

export LC_ALL=C TZ=UTC
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export T MKIPC

close_inherited_fds

MC=${MKIPC##*/}
MC=${MC:0:15}
# hfd PID:FD, hmap PID: a holder by fd, by mapping (the helper's comm, root)
hfd() { echo "{\"pid\":${1%%:*},\"comm\":\"$MC\",\"user\":\"root\",\"fd\":${1##*:},\"mapped\":false}"; }
hmap() { echo "{\"pid\":$1,\"comm\":\"$MC\",\"user\":\"root\",\"fd\":null,\"mapped\":true}"; }
# mobj INODE: the memfd with that inode, compact (from $T/out)
mobj() { jq -c --argjson i "$1" '.memfd[]? | select(.inode == $i)' "$T/out"; }
# [name, inode, size, seals] of it, and its holders sorted by (pid, fd)
ident_of() { mobj "$1" | jq -c '[.name, .inode, .size, .seals]'; }
holders_of() { mobj "$1" | jq -c '.holders | sort_by(.pid, (.fd // -1))'; }
reasons_of() { mobj "$1" | jq -c '[.verdict, .reasons]'; }
# stat_of PID FD: [inode, size] of what /proc/PID/fd/FD opens, by stat(1)
stat_of() { stat -L -c '[%i,%s]' "/proc/$1/fd/$2"; }

# ============================================================================
# 1. The population:
#   a  "wl shm" (a blank in the name), 8 KiB, sealed against growing and
#      shrinking, passed to a child that maps it and keeps the fd
#   b  12 KiB, mapped by the helper, its fd closed: only the mapping holds it
#   c  4 KiB, the helper's fd only
#   w  sealed against writes (and against further seals), mapped read-only
#      by the helper, fd kept
#   h  a name with a tab, a backslash and a byte that is not UTF-8
# ============================================================================
HNAME=$'h\tx\\y\xff'
mkipc_start "memfd:a,name=wl shm,size=8192,seals=grow+shrink,map,pass" \
	"memfd:b,size=12288,map,close" "memfd:c" "memfd:w,seals=write+seal,map" \
	"memfd:h,name=$HNAME"
HELPER=$(mkipc_get pid)
for x in a b c w h; do
	eval "I_$x=\$(mkipc_get $x.inode)"
done
CHILD=$(mkipc_get a.child)

ipci -t memfd --json
is "$rc" 0 "list -t memfd: exit 0"
is "$(jq -c '[(.memfd | length), (.memfd | map(.inode) | sort)]' "$T/out")" \
	"[5,$(printf '%s\n' "$I_a" "$I_b" "$I_c" "$I_w" "$I_h" | sort -n | jq -sc .)]" \
	"every memfd made is listed, and nothing else"
is "$(jq -c '.memfd[0] | keys_unsorted' "$T/out")" \
	'["name","inode","size","seals","holders","verdict","reasons","age"]' "the members of a memfd"

is "$(ident_of "$I_a")" "[\"wl shm\",$I_a,8192,[\"shrink\",\"grow\"]]" "a: name, inode, size, seals"
is "$(ident_of "$I_b")" "[\"b\",$I_b,12288,[]]" "b: name and size read through the mapping alone"
is "$(ident_of "$I_c")" "[\"c\",$I_c,4096,[]]" "c: name, inode, size, no seals"
is "$(ident_of "$I_w")" "[\"w\",$I_w,4096,[\"seal\",\"write\"]]" "w: the write seal and the seal seal"
is "$(mobj "$I_h" | jq -c '.name')" '"h\tx\\\\y\\xff"' \
	"h: the hostile name escaped: the tab by JSON, the backslash doubled, the byte that is not UTF-8 as \\xff"

# the oracle: stat(1) of the fd links
is "$(mobj "$I_a" | jq -c '[.inode, .size]')" "$(stat_of "$CHILD" "$(mkipc_get a.fd | cut -d: -f2)")" \
	"a: inode and size as stat(1) sees the child's fd"
is "$(mobj "$I_c" | jq -c '[.inode, .size]')" "$(stat_of "$HELPER" "$(mkipc_get c.fd | cut -d: -f2)")" \
	"c: inode and size as stat(1) sees the helper's fd"

is "$(holders_of "$I_a")" "[$(hmap "$CHILD"),$(hfd "$(mkipc_get a.fd)")]" \
	"a: held by the child it was passed to, by fd and by mapping; the helper let go"
is "$(holders_of "$I_b")" "[$(hmap "$HELPER")]" "b: held by the helper's mapping only"
is "$(holders_of "$I_c")" "[$(hfd "$(mkipc_get c.fd)")]" "c: held by the helper's fd only"
is "$(holders_of "$I_w")" "[$(hmap "$HELPER"),$(hfd "$(mkipc_get w.fd)")]" "w: the helper's fd and read-only mapping"

is "$(reasons_of "$I_a")" "[\"in-use\",[\"exists only while held: 1 fd, mapped by 1 process\",\"held open by $MC[$CHILD] (fd $(mkipc_get a.fd | cut -d: -f2))\",\"mapped by $MC[$CHILD]\"]]" \
	"a: in use, with its holders named"
is "$(reasons_of "$I_b")" "[\"in-use\",[\"exists only while held: 0 fds, mapped by 1 process\",\"mapped by $MC[$HELPER]\"]]" \
	"b: in use through its mapping"
is "$(mobj "$I_c" | jq -c '.age')" null "no age: a memfd records no times of use"

# ============================================================================
# 2. The table, --pid, the columns
# ============================================================================
ipci -t memfd
is "$(head -n 2 "$T/out" | sed 's/  */ /g')" "memfd files: 5
NAME INODE SIZE SEALS HOLDERS" "the table: its title and default columns"
is "$(awk -v i="$I_c" '$2 == i { print $1, $3, $4 }' "$T/out")" "c 4K $MC[$HELPER]:$(mkipc_get c.fd | cut -d: -f2)" \
	"a row of the table: name, size, no seals (blank), the holder as pid and fd"
ipci -t memfd -p "$CHILD" --json
is "$(jq -c '[.memfd[].inode]' "$T/out")" "[$I_a]" "--pid of the child: the memfd it was passed only"
ipci -t memfd -o NAME,SEALS,INODE --raw --noheadings
is "$(grep -c . "$T/out")" 5 "-o NAME,SEALS,INODE --raw --noheadings: one line a memfd"
is "$(grep '^memfd [cw] ' "$T/out" | sort)" "memfd c  $I_c
memfd w seal,write $I_w" "--raw: no seals blank, the seals as a comma list"

# ============================================================================
# 3. clean never touches a memfd: it exists only while held
# ============================================================================
ipci clean --yes -t memfd
is "$rc|$(head -n 1 "$T/err")" "2|ipcinspect: a memfd exists only while held: they cannot be removed" \
	"clean -t memfd --yes: refused (exit 2), with why"
ipci clean --yes
is "$rc" 0 "clean --yes of every kind it may: exit 0"
ipci -t memfd --json
is "$(jq -c '.memfd | length' "$T/out")" 5 "clean left every memfd alone"

# ============================================================================
# 4. A holder exits: its memfd goes with it
# ============================================================================
kill -KILL "$CHILD"
i=0
while [ -d "/proc/$CHILD/fd" ] && [ $i -lt 200 ]; do i=$((i + 1)); sleep 0.05; done
ipci -t memfd --json
is "$(jq -c '[.memfd[].inode] | index('"$I_a"')' "$T/out")" null \
	"a is gone with the last process that held it"

# ============================================================================
# 5. Without --no-outside-holders (a child PID namespace): the counts are
# what was seen, the verdict still in use (it was seen held)
# ============================================================================
"$IPCINSPECT_BIN" -t memfd --json </dev/null >"$T/out" 2>"$T/err" 7>&- 8>&- 9>&-
json_keep "$T/out" "$?" -t memfd --json
is "$(reasons_of "$I_c")" "[\"in-use\",[\"exists only while held: 1 fd, mapped by 0 processes seen\",\"held open by $MC[$HELPER] (fd $(mkipc_get c.fd | cut -d: -f2))\",\"processes outside this PID namespace are not visible\"]]" \
	"in a child PID namespace: in use, the counts marked seen, and why"

mkipc_stop
ipci -t memfd --json
is "$(jq -c '.memfd' "$T/out")" "[]" "the helper gone: no memfd left"

done_testing

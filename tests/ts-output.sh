#!/bin/bash
# ts-output: the output options a util-linux user expects, on live
# objects made by tests/helpers/mkipc in a private namespace: --raw (no
# titles; a KIND column first; a blank line between kinds), --pairs and
# --pairs --shell parsed back by the shell (eval in a subshell, hostile
# names included: eval gives back the bytes as the tool escaped them and
# runs nothing), --time-format against date(1), --sort (numeric and text
# columns, table and JSON), -H and -H --json (each column's type against
# the JSON values of real objects), and -y by command.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"	# bash, even where make runs /bin/sh
. "${TESTS_SRCDIR:?run the tests with make check}/lib.sh" || exit 99
ns_enter "$@"
ns_check_empty
command -v jq >/dev/null || skip_all "jq not installed"

export LC_ALL=C TZ=UTC
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
MKIPC=${MKIPC:-$TESTS_BUILDDIR/helpers/mkipc}

# hostile names: quotes, $, `, \, a newline, a space, a command substitution
hostile='a"b$c`d\e
f g$(touch pwned)h'
mkdir "$T/fifos" "$T/eval" || bail "mkdir failed"
fifo_path=$T/fifos/$hostile
mkipc_start shm:big,key=0x30,size=8192 shm:small,key=0x10,size=100 shm:mid,key=0x20,size=4096 \
	msg:q,key=0x40,send=1:10 sem:s,key=0x50,nsems=3 \
	pipe:p,ends=both "fifo:f,path=$fifo_path,open=r+w" \
	pshm:pb,path=/b,fd pshm:pa,path=/a,fd "pshm:ph,path=/$hostile,fd" pshm:pc,path=/c,fd pshm:lone,path=/lone \
	psem:e,path=/e pmq:m,path=/m
big=$(mkipc_get big.id) small=$(mkipc_get small.id) mid=$(mkipc_get mid.id)
q=$(mkipc_get q.id) s=$(mkipc_get s.id)

# --- --raw: no titles, a KIND column, one table per kind -----------------
ipci -r -t shm,msg,sem -o ID,KEY,PERMS
is "$rc" 0 "--raw: exit status 0"
is "$(out)" "KIND ID KEY PERMS
shm $big 0x00000030 0600
shm $small 0x00000010 0600
shm $mid 0x00000020 0600

KIND ID KEY PERMS
msg $q 0x00000040 0600

KIND ID KEY PERMS
sem $s 0x00000050 0600" "--raw: each kind's table, its header, KIND first, a blank line between"
ipci -r -n -t shm,msg,sem -o ID,KEY
is "$(out)" "shm $big 0x00000030
shm $small 0x00000010
shm $mid 0x00000020

msg $q 0x00000040

sem $s 0x00000050" "--raw -n: no header lines"
# every kind, default columns: no title, each row's first field a kind
ipci -r
is "$rc" 0 "--raw, every kind: exit status 0"
grep -E '^[A-Z][A-Za-z ()]*: [0-9]+$' "$T/out" >"$T/titles"
is "$(cat "$T/titles")" "" "--raw, every kind: no section title"
is "$(awk 'NF && $1 != "KIND" { print $1 }' "$T/out" | uniq | tr '\n' ' ')" \
	"shm msg sem fifo pipe pshm psem pmq " "--raw, every kind: each row starts with its kind, in order"
is "$(grep -c '^KIND ' "$T/out")" 8 "--raw, every kind: one header per kind that has objects"
is "$(grep -c '^$' "$T/out")" 7 "--raw, every kind: a blank line between two tables"
# an empty kind prints nothing
ipci -r -t unix,memfd
is "$rc" 0 "--raw, kinds without objects: exit status 0"
is "$(wc -c <"$T/out")" 0 "--raw, kinds without objects: nothing printed"

# --- --pairs, --shell: eval gives the bytes back, runs nothing ----------

# the escaping of the tool (libsmartcols' export): printable ASCII but
# " \ ` $ as itself, every other byte \xHH
expect_escaped() {
	local LC_ALL=C s=$1 i c out=
	for ((i = 0; i < ${#s}; i++)); do
		c=${s:i:1}
		case $c in
		[\"\\\`\$]) out+=$(printf '\\x%02x' "'$c") ;;
		[[:print:]]) out+=$c ;;
		*) out+=$(printf '\\x%02x' "'$c") ;;
		esac
	done
	printf '%s' "$out"
}

# eval_rows VAR...: eval each line of $T/out in a subshell in $T/eval and
# print VAR's values, one line per row, "|" between them
eval_rows() {
	local line
	while IFS= read -r line; do
		(
			cd "$T/eval" || exit 1
			eval "$line" || exit 1
			v=
			for n in "$@"; do v+="${!n}|"; done
			printf '%s\n' "$v"
		) || echo "EVAL FAILED: $line"
	done <"$T/out"
}

ipci -P -t fifo -o PATH,INODE
is "$rc" 0 "--pairs, fifo: exit status 0"
# (the FIFO lib.sh feeds mkipc through is listed too)
eval_rows KIND PATH INODE >"$T/rows"
grep -Fxq "fifo|$(expect_escaped "$fifo_path")|$(mkipc_get f.inode)|" "$T/rows"
ok $? "--pairs, a FIFO of a hostile path: eval gives the escaped path back"
is "$(grep -c EVAL "$T/rows")" 0 "--pairs, fifo: every row evals"
ipci -P -t pshm -o NAME,SIZE --bytes --sort NAME
is "$(eval_rows KIND NAME SIZE)" "pshm|a|4096|
pshm|$(expect_escaped "$hostile")|4096|
pshm|b|4096|
pshm|c|4096|
pshm|lone|4096|" "--pairs --sort NAME: POSIX names in byte order (a before a\"...), hostile one escaped"
is "$(ls -A "$T/eval")" "" "--pairs: eval ran nothing (no file made)"
[ ! -e pwned ] && [ ! -e "$T/pwned" ]
ok $? "--pairs: no pwned file anywhere the test ran"

# every row of every kind evals, with and without --shell
ipci -P -y
is "$rc" 0 "--pairs --shell, every kind: exit status 0"
is "$(eval_rows KIND | tr -d '|' | uniq | tr '\n' ' ')" "shm msg sem fifo pipe pshm psem pmq " \
	"--pairs --shell, every kind: every row evals, KIND first"
# without --shell a name like USED-BYTES is no shell variable (as lsblk -P)
ipci -P -t msg -o ID,USED-BYTES --bytes
is "$(out)" "KIND=\"msg\" ID=\"$q\" USED-BYTES=\"10\"" "--pairs: the names as they are"
ipci -P -y -t msg -o ID,USED-BYTES --bytes
is "$(out)" "KIND=\"msg\" ID=\"$q\" USED_BYTES=\"10\"" "--pairs --shell: USED-BYTES as USED_BYTES"
is "$(eval_rows KIND ID USED_BYTES)" "msg|$q|10|" "--pairs --shell: evals"
ipci limits -P --shell -o NAME,USE%
is "$(head -n 1 "$T/out" | sed 's/=.*//')" "NAME" "limits --pairs --shell: no KIND column"
is "$(eval_rows NAME | head -n 1)" "shmmax|" "limits --pairs --shell: evals"
ipci -e -t sem -o ID,NSEMS
is "$(out)" "KIND=\"sem\" ID=\"$s\" NSEMS=\"3\"" "--export is --pairs"
is "$(ls -A "$T/eval")" "" "--pairs, every kind: eval ran nothing"

# orphans: what -t left out is said on stderr, the rows stay rows
ipci orphans -t shm -P -y
is "$rc|$(wc -c <"$T/out")" "0|0" "orphans -t shm --pairs: no shm orphan, nothing on stdout"
is "$(cat "$T/err")" "not considered: orphans and suspects of kinds not taken: sem 1, pshm 1: add -t sem,pshm" \
	"orphans -t shm --pairs: the left-out line on stderr"
ipci orphans -t pshm -r -n
is "$(cut -d' ' -f1-2 "$T/out")" "pshm lone" "orphans -t pshm --raw: the suspect, its kind first"

# --- --time-format --------------------------------------------------------
ipci -J -t shm -o ID,CTIME
ctime=$(jq ".shm[] | select(.id == $big) | .ctime" "$T/out")
[ "$ctime" -gt 0 ] 2>/dev/null || bail "no ctime in the JSON"
export TZ=XYZ-01:30	# an hour and a half east of UTC, without tzdata
for f in full iso short; do
	case $f in
	full) want=$(date -d "@$ctime" '+%a %b %e %H:%M:%S %Y') ;;
	iso) want=$(date -d "@$ctime" '+%Y-%m-%dT%H:%M:%S%:z') ;;
	short) want=$(date -d "@$ctime" '+%H:%M:%S') ;;
	esac
	ipci -P -t shm -i "$big" -o CTIME --time-format "$f"
	is "$(eval_rows CTIME)" "$want|" "--time-format $f: CTIME as date(1) writes it"
done
ipci -J -t shm,msg,sem -o ID,KEY,CTIME
jq -c 'del(.time)' "$T/out" >"$T/json-plain"
ipci -J -t shm,msg,sem -o ID,KEY,CTIME --time-format iso
jq -c 'del(.time)' "$T/out" >"$T/json-iso"
cmp -s "$T/json-plain" "$T/json-iso"
ok $? "--time-format iso: the JSON is the same (epoch seconds)"
export TZ=UTC

# --- --sort ---------------------------------------------------------------
ipci -r -n -t shm -o ID,SIZE --bytes --sort SIZE
is "$(out)" "shm $small 100
shm $mid 4096
shm $big 8192" "--sort SIZE: by size, a number"
ipci -r -n -t shm -o ID --sort key
is "$(out)" "shm $small
shm $mid
shm $big" "--sort key: by key (case-insensitive name), the column need not be shown"
ipci -J -t shm --sort SIZE
is "$(jq -c '[.shm[].id]' "$T/out")" "[$small,$mid,$big]" "--sort SIZE: the JSON array in that order"
ipci -r -n -t shm,msg,sem -o ID,KEY --sort ID
is "$(grep -c . "$T/out")" 5 "--sort ID over three kinds: each kind sorted, all rows shown"

# --- -H, --list-columns -------------------------------------------------
ipci -H -t msg
is "$rc" 0 "-H -t msg: exit status 0"
is "$(sed -n '1,3p' "$T/out")" "msg: Message queues
 ID           integer  identifier of the queue
 KEY          string   key (0x00000000: IPC_PRIVATE or removed)" "-H -t msg: heading, then NAME TYPE DESCRIPTION"
is "$(grep -c '^[a-z]' "$T/out")" 1 "-H -t msg: msg only"
ipci -H
is "$(grep '^[a-z0-9]*: ' "$T/out" | cut -d: -f1 | tr '\n' ' ')" \
	"shm msg sem fifo pipe pshm psem pmq unix memfd " "-H: a heading per kind"
ipci limits -H
is "$(head -n 1 "$T/out")" "limits: Kernel limits" "limits -H: the limits columns"
ipci -H -J -t msg
is "$(jq -c '.columns.msg[0]' "$T/out")" \
	'{"name":"ID","json":"id","type":"integer","description":"identifier of the queue"}' \
	"-H -J -t msg: one object per column"
is "$(jq -r '.columns | keys_unsorted | join(" ")' "$T/out")" "msg" "-H -J -t msg: msg only"

# each column's type against the JSON of real objects (every column)
ipci -H -J
cp "$T/out" "$T/cols.json"
# every column -H lists, the shared UNIT and CONTAINER too (the JSON's
# default is each kind's own columns)
ipci -J -o "$(jq -r '[.columns[][].name] | unique | join(",")' "$T/cols.json")"
cp "$T/out" "$T/list.json"
bad=$(jq -n -r --slurpfile c "$T/cols.json" --slurpfile l "$T/list.json" '
	def jtype(t): {integer: ["number"], number: ["number"], size: ["number"],
		time: ["number"], duration: ["number"], string: ["string"],
		boolean: ["boolean"], array: ["array"], object: ["object"]}[t];
	$c[0].columns | to_entries[] | .key as $k | .value[] | . as $col |
	($l[0][$k] // [] | if type == "object" then [.[]] else . end)[] |
	(if $col.json == "id" and ($l[0][$k] | type) == "object" then null
	 else .[$col.json] end) as $v |
	select($v != null and ((jtype($col.type)) | index($v | type)) == null) |
	"\($k) \($col.name): \($col.type) but \($v | type)"' | sort -u)
is "$bad" "" "-H: every column's type is the type of its JSON values"
for k in shm msg sem fifo pipe pshm psem pmq; do
	is "$(jq -r ".$k | if type == \"object\" then [.[]] else . end | .[0] | keys | join(\" \")" "$T/list.json")" \
		"$(jq -r ".columns.$k | map(.json) | sort | join(\" \")" "$T/cols.json")" \
		"-H -J: the columns of $k are the members of its JSON objects"
done

# --- -y: --yes for clean, --shell for the listings ------------------------
ipci clean -y --min-age 0
is "$rc" 0 "clean -y: exit status 0"
grep -q '^dry run' "$T/out"
ok $((!$?)) "clean -y: acts (no dry run line): -y is still --yes there"
ipci clean --min-age 0
grep -q '^dry run' "$T/out"
ok $? "clean: a dry run without -y"
is "$(mkipc_get big.id)" "$big" "clean -y left the objects in use"
ipci -t shm -y
is "$rc" 2 "list -y: --shell without --pairs is refused"
is "$(head -n 1 "$T/err")" "ipcinspect: --shell goes with --pairs" "list -y: says why"

mkipc_stop
done_testing

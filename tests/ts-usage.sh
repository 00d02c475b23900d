#!/bin/bash
# ts-usage: the command line.  Every bad option or value exits 2 with
# nothing on stdout and exactly two lines on stderr (what is wrong, then
# the pointer to --help); --help lists every option and every column;
# --version prints the version.  Makes no IPC objects and never looks at
# the host's: no namespace needed.

[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "${TESTS_SRCDIR:?run the tests with make check}/lib.sh" || exit 99

top_srcdir=${TOP_SRCDIR:-$TESTS_SRCDIR/..}
cli_c=$top_srcdir/src/cli.c
[ -r "$cli_c" ] || bail "cannot read $cli_c"
commands_c=$top_srcdir/src/cli-commands.c
[ -r "$commands_c" ] || bail "cannot read $commands_c"

tmp=$(mktemp -d) || bail "mktemp failed"
trap 'rm -rf "$tmp"' EXIT

try_help="Try 'ipcinspect --help' for more information."

# run ARGS...: runs ipcinspect with argv[0] "ipcinspect" (as when found in
# PATH; getopt's messages start with argv[0]) in the C locale (getopt's
# messages are translated); sets rc, $tmp/out, $tmp/err.
run() {
	( cd "$tmp" && LC_ALL=C exec -a ipcinspect "$IPCINSPECT" "$@" ) >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

nbytes() { wc -c <"$1" | tr -d ' '; }
nlines() { wc -l <"$1" | tr -d ' '; }

# bad_usage NAME FIRST-LINE ARGS...
bad_usage() {
	local name=$1 want=$2
	shift 2
	run "$@"
	is "$rc" 2 "$name: exit status 2"
	is "$(nbytes "$tmp/out")" 0 "$name: nothing on stdout"
	is "$(nlines "$tmp/err")" 2 "$name: two lines on stderr"
	is "$(sed -n 1p "$tmp/err")" "$want" "$name: says what is wrong"
	is "$(sed -n 2p "$tmp/err")" "$try_help" "$name: points to --help"
}

# -- options getopt rejects
bad_usage "unknown long option" "ipcinspect: unrecognized option '--frobnicate'" --frobnicate
bad_usage "unknown short option" "ipcinspect: invalid option -- 'Z'" -Z
bad_usage "-t without argument" "ipcinspect: option requires an argument -- 't'" -t
bad_usage "--type without argument" "ipcinspect: option '--type' requires an argument" --type
bad_usage "--json with an argument" "ipcinspect: option '--json' doesn't allow an argument" --json=yes
bad_usage "-p without argument" "ipcinspect: option requires an argument -- 'p'" -p
bad_usage "--pid without argument" "ipcinspect: option '--pid' requires an argument" --pid
bad_usage "--no-owners with an argument" "ipcinspect: option '--no-owners' doesn't allow an argument" --no-owners=yes

# -- bad values
known="(known: shm, msg, sem, fifo, pipe, pshm, psem, pmq, unix, memfd)"
bad_usage "--type foo" "ipcinspect: unknown type 'foo' $known" --type foo
bad_usage "--type shm,foo" "ipcinspect: unknown type 'foo' $known" --type shm,foo
bad_usage "--type FIFO" "ipcinspect: unknown type 'FIFO' $known" --type FIFO
bad_usage "--type pipes" "ipcinspect: unknown type 'pipes' $known" --type pipes
bad_usage "--type fifo,limits" "ipcinspect: unknown type 'limits' $known" --type fifo,limits
bad_usage "--type ''" "ipcinspect: --type needs at least one of shm, msg, sem, fifo, pipe, pshm, psem, pmq, unix, memfd" --type ""
bad_usage "-t ," "ipcinspect: empty item in --type list ','" -t ,

# An empty item is a typo ("shm,,", ",shm"), not a separator to skip.
run -t "shm,,"
is "$rc" 2 "-t 'shm,,': exit status 2"
is "$(nbytes "$tmp/out")" 0 "-t 'shm,,': nothing on stdout"
is "$(nlines "$tmp/err")" 2 "-t 'shm,,': two lines on stderr"
case $(sed -n 1p "$tmp/err") in
"ipcinspect: "*type*) ok 0 "-t 'shm,,': says the type is wrong" ;;
*) ok 1 "-t 'shm,,': says the type is wrong" ;;
esac
is "$(sed -n 2p "$tmp/err")" "$try_help" "-t 'shm,,': points to --help"
for arg in ",shm" "shm,,msg"; do
	run -t "$arg"
	is "$rc" 2 "-t '$arg': exit status 2"
done

bad_usage "--id -1" "ipcinspect: invalid id '-1'" --id -1
bad_usage "--id abc" "ipcinspect: invalid id 'abc'" --id abc
bad_usage "--id 99999999999" "ipcinspect: invalid id '99999999999': out of range" --id 99999999999
bad_usage "--id ''" "ipcinspect: invalid id ''" --id ""
bad_usage "-i 1x" "ipcinspect: invalid id '1x'" -i 1x
bad_usage "--key 0xZZ" "ipcinspect: invalid key '0xZZ'" --key 0xZZ
bad_usage "--key 0x123456789" "ipcinspect: invalid key '0x123456789': out of range" --key 0x123456789
bad_usage "--key 4294967296" "ipcinspect: invalid key '4294967296': out of range" --key 4294967296
bad_usage "--key -2147483649" "ipcinspect: invalid key '-2147483649': out of range" --key -2147483649
bad_usage "--key 0x" "ipcinspect: invalid key '0x'" --key 0x
bad_usage "-u unknown user" "ipcinspect: unknown user 'no_such_user_xyz'" -u no_such_user_xyz
bad_usage "--user 4294967295" "ipcinspect: unknown user '4294967295'" --user 4294967295
bad_usage "-p x" "ipcinspect: invalid pid 'x'" -p x
bad_usage "--pid 0" "ipcinspect: invalid pid '0'" --pid 0
bad_usage "--pid 00" "ipcinspect: invalid pid '00'" --pid 00
bad_usage "--pid -1" "ipcinspect: invalid pid '-1'" --pid -1
bad_usage "--pid +5" "ipcinspect: invalid pid '+5'" --pid +5
bad_usage "--pid ''" "ipcinspect: invalid pid ''" --pid ""
bad_usage "-p 12x" "ipcinspect: invalid pid '12x'" -p 12x
bad_usage "-p ' 12'" "ipcinspect: invalid pid ' 12'" -p " 12"
bad_usage "--pid 0x10" "ipcinspect: invalid pid '0x10'" --pid 0x10
bad_usage "--pid 2147483648" "ipcinspect: invalid pid '2147483648': out of range" --pid 2147483648
bad_usage "--pid 99999999999" "ipcinspect: invalid pid '99999999999': out of range" --pid 99999999999
bad_usage "--pid=x" "ipcinspect: invalid pid 'x'" --pid=x
bad_usage "-o NOPE" "ipcinspect: unknown column 'NOPE'" -o NOPE
bad_usage "-o +NOPE" "ipcinspect: unknown column 'NOPE'" -o +NOPE
bad_usage "-o ID,NOPE" "ipcinspect: unknown column 'NOPE'" -o ID,NOPE
bad_usage "-t shm -o NSEMS" "ipcinspect: unknown column 'NSEMS' for shm (a column of sem)" -t shm -o NSEMS
# a column of some kinds: the kinds that lack it are named, and those that have it
bad_usage "-t msg -o +CPID" "ipcinspect: unknown column 'CPID' for msg (a column of shm)" -t msg -o +CPID
bad_usage "-t msg,sem -o NATTCH" "ipcinspect: unknown column 'NATTCH' for msg and sem (a column of shm)" \
	-t msg,sem -o NATTCH
# --type named the kinds: each must take one of the columns at least, or
# the listing would silently miss what was asked for
bad_usage "-t msg,shm -o +CPID" \
	"ipcinspect: --output +CPID: msg has none of these columns (named by --type)" -t msg,shm -o +CPID
bad_usage "-t shm,msg,sem,fifo -o NATTCH,NSEMS" \
	"ipcinspect: --output NATTCH,NSEMS: msg and fifo have none of these columns (named by --type)" \
	-t shm,msg,sem,fifo -o NATTCH,NSEMS
# -t given again adds its kinds (ipcs -m -q); -o given again replaces (lsfd, lsipc)
bad_usage "-t shm -t msg -o NSEMS" "ipcinspect: unknown column 'NSEMS' for shm and msg (a column of sem)" \
	-t shm -t msg -o NSEMS
bad_usage "-t pmq -t shm,fifo -o NATTCH,NSEMS" \
	"ipcinspect: unknown column 'NSEMS' for shm, fifo and pmq (a column of sem)" -t pmq -t shm,fifo -o NATTCH,NSEMS
bad_usage "-t shm -o NSEMS -o BOGUS" "ipcinspect: unknown column 'BOGUS'" -t shm -o NSEMS -o BOGUS
bad_usage "-o ," "ipcinspect: empty item in --output list ','" -o ,

# -- commands and combinations
bad_usage "unknown command" "ipcinspect: unknown command 'frob'" frob
bad_usage "list extra" "ipcinspect: unexpected argument 'extra'" list extra
bad_usage "limits extra" "ipcinspect: unexpected argument 'extra'" limits extra
bad_usage "--json --raw" "ipcinspect: --json and --raw cannot be used together" --json --raw
bad_usage "limits -J --raw" "ipcinspect: --json and --raw cannot be used together" limits -J --raw
bad_usage "limits --type shm" "ipcinspect: 'limits' does not take --type" limits --type shm
limits_filters="ipcinspect: 'limits' does not take --id, --key, --user or --pid"
bad_usage "limits --id 1" "$limits_filters" limits --id 1
bad_usage "limits --key 1" "$limits_filters" limits --key 1
bad_usage "limits -u root" "$limits_filters" limits -u root
bad_usage "limits --pid 1" "$limits_filters" limits --pid 1
bad_usage "limits -p 1" "$limits_filters" limits -p 1
bad_usage "-p 1 limits (options before the command)" "$limits_filters" -p 1 limits
bad_usage "limits --type fifo" "ipcinspect: 'limits' does not take --type" limits --type fifo
bad_usage "limits -o NATTCH" "ipcinspect: unknown column 'NATTCH' for limits (a column of shm)" limits -o NATTCH

# -- the process scan: --pid needs it; fifo and pipe exist only through it;
# --id, --key and --user select SysV objects only
no_scan_pid="ipcinspect: --pid needs the process scan: it cannot go with --no-owners"
no_scan_kinds="ipcinspect: fifo, pipe, unix and memfd are found by the process scan: they cannot go with --no-owners"
sysv_only="ipcinspect: --id, --key and --user select SysV objects: they cannot go with --type fifo, pipe, pshm, psem, pmq, unix or memfd"
bad_usage "--pid 1 --no-owners" "$no_scan_pid" --pid 1 --no-owners
bad_usage "--no-owners -p 1" "$no_scan_pid" --no-owners -p 1
bad_usage "--no-owners -p 1 -t shm" "$no_scan_pid" --no-owners -p 1 -t shm
bad_usage "--no-owners -p 1 -t fifo (--pid is checked first)" "$no_scan_pid" --no-owners -p 1 -t fifo
bad_usage "list --json --no-owners --pid 7" "$no_scan_pid" list --json --no-owners --pid 7
bad_usage "--no-owners -t fifo" "$no_scan_kinds" --no-owners -t fifo
bad_usage "--no-owners -t pipe" "$no_scan_kinds" --no-owners -t pipe
bad_usage "-t fifo,pipe --no-owners" "$no_scan_kinds" -t fifo,pipe --no-owners
bad_usage "--no-owners -t shm,msg,sem,pipe" "$no_scan_kinds" --no-owners -t shm,msg,sem,pipe
bad_usage "--no-owners -t fifo --id 1 (--no-owners is checked first)" "$no_scan_kinds" --no-owners -t fifo --id 1
bad_usage "--id 1 -t fifo" "$sysv_only" --id 1 -t fifo
bad_usage "--key 0x10 -t pipe" "$sysv_only" --key 0x10 -t pipe
bad_usage "-u root -t shm,fifo" "$sysv_only" -u root -t shm,fifo
bad_usage "-t sem,pipe --user 0" "$sysv_only" -t sem,pipe --user 0
bad_usage "--id 1 -p 1 -t pipe" "$sysv_only" --id 1 -p 1 -t pipe
bad_usage "--pid 1 --json --raw (checked before the scan options)" \
	"ipcinspect: --json and --raw cannot be used together" --pid 1 --json --raw
bad_usage "-p 1 -t fifo -o NATTCH" "ipcinspect: unknown column 'NATTCH' for fifo (a column of shm)" \
	-p 1 -t fifo -o NATTCH
bad_usage "-t pipe -o PATH" \
	"ipcinspect: unknown column 'PATH' for pipe (a column of fifo, pshm, psem, pmq and unix)" -t pipe -o PATH
bad_usage "options before the command" "ipcinspect: 'limits' does not take --type" --type shm limits

# -- which command takes which option.  Every option given to a command
# that does not take it is refused by name, before anything is read (a
# run that got through would read the host's objects: none may).
# Each line: the option and its argument | the name the message uses |
# the commands that take it.  --json and --bytes go with every command.
options_table='
-t shm|--type|list orphans clean
--type shm|--type|list orphans clean
-o ID|--output|list orphans limits
--output ID|--output|list orphans limits
--raw|--raw|list orphans limits
-r|--raw|list orphans limits
-P|--pairs|list orphans limits
--pairs|--pairs|list orphans limits
-e|--export|list orphans limits
--export|--export|list orphans limits
--shell|--shell|list orphans limits
--time-format iso|--time-format|list orphans limits
--sort ID|--sort|list orphans limits
-H|--list-columns|list orphans limits
--list-columns|--list-columns|list orphans limits
-n|--noheadings|list orphans limits
--noheadings|--noheadings|list orphans limits
-i 1|--id|list orphans clean
--id 1|--id|list orphans clean
--key 0x10|--key|list orphans clean
-u root|--user|list orphans clean
--user root|--user|list orphans clean
-p 1|--pid|list orphans
--pid 1|--pid|list orphans
--no-owners|--no-owners|list limits
--fifo-dir /nonexistent|--fifo-dir|list orphans clean
--check|--check|orphans
--yes|--yes|clean
--min-age 10m|--min-age|clean
--suspects|--suspects|clean
--include-root|--include-root|clean
-f|--force|rm
--force|--force|rm
--no-syslog|--no-syslog|clean rm
-m 1|-m|rm
--shmem-id 1|--shmem-id|rm
-M 0x10|-M|rm
--shmem-key 0x10|--shmem-key|rm
-q 1|-q|rm
--queue-id 1|--queue-id|rm
-Q 0x10|-Q|rm
--queue-key 0x10|--queue-key|rm
-s 1|-s|rm
--semaphore-id 1|--semaphore-id|rm
-S 0x10|-S|rm
--semaphore-key 0x10|--semaphore-key|rm
'
limits_filters="ipcinspect: 'limits' does not take --id, --key, --user or --pid"
while IFS='|' read -r opt name takers; do
	[ -n "$opt" ] || continue
	for cmd in list limits orphans clean rm; do
		case " $takers " in *" $cmd "*) continue ;; esac
		want="ipcinspect: '$cmd' does not take $name"
		# limits names its four filters together
		[ "$cmd" = limits ] && case $name in --id | --key | --user | --pid) want=$limits_filters ;; esac
		# shellcheck disable=SC2086 # the option and its argument are two words
		bad_usage "$cmd $opt" "$want" $cmd $opt
	done
done <<<"$options_table"
# the option may come first, and the command defaults to list
bad_usage "--check list (option first)" "ipcinspect: 'list' does not take --check" --check list
bad_usage "--check (no command: list)" "ipcinspect: 'list' does not take --check" --check
bad_usage "-y (no command: list): --shell" "ipcinspect: --shell goes with --pairs" -y
bad_usage "--force -J (no command: list)" "ipcinspect: 'list' does not take --force" --force -J
bad_usage "-m 1 orphans (option first)" "ipcinspect: 'orphans' does not take -m" -m 1 orphans
bad_usage "--yes --force clean (option first)" "ipcinspect: 'clean' does not take --force" --yes --force clean
# the first option not taken is the one named
bad_usage "clean --check --force" "ipcinspect: 'clean' does not take --check" clean --check --force
bad_usage "rm --force --yes -m 1" "ipcinspect: 'rm' does not take --yes" rm --force --yes -m 1
bad_usage "orphans --check -o ID --no-owners" "ipcinspect: 'orphans' does not take --no-owners" \
	orphans --check -o ID --no-owners
# --json and --raw is refused by every command, before what it takes
bad_usage "clean --json --raw" "ipcinspect: --json and --raw cannot be used together" clean --json --raw
bad_usage "orphans -J --raw" "ipcinspect: --json and --raw cannot be used together" orphans -J --raw

# -y is --yes for clean and restore, --shell for list, orphans and limits
# (which need --pairs with it); rm takes neither
bad_usage "rm -y -m 1" "ipcinspect: 'rm' does not take --yes" rm -y -m 1
bad_usage "-y rm -m 1 (option first)" "ipcinspect: 'rm' does not take --yes" -y rm -m 1
bad_usage "clean --shell" "ipcinspect: 'clean' does not take --shell" clean --shell
bad_usage "clean -y --shell: -y is --yes, --shell refused" "ipcinspect: 'clean' does not take --shell" clean -y --shell
bad_usage "restore -P x" "ipcinspect: 'restore' does not take --pairs" restore -P x
bad_usage "restore --sort ID x" "ipcinspect: 'restore' does not take --sort" restore --sort ID x
for cmd in list orphans limits; do
	bad_usage "$cmd -y" "ipcinspect: --shell goes with --pairs" $cmd -y
	bad_usage "$cmd --shell" "ipcinspect: --shell goes with --pairs" $cmd --shell
	bad_usage "$cmd -r -y" "ipcinspect: --shell goes with --pairs" $cmd -r -y
done

# --json, --raw and --pairs (--export) exclude each other
for pair in "--json --pairs|--json and --pairs" "-J -P|--json and --pairs" "-P -J|--json and --pairs" \
	"--json --export|--json and --export" "-e -J|--json and --export" \
	"--raw --pairs|--raw and --pairs" "-P -r|--raw and --pairs" "-r -e|--raw and --export" \
	"--export --raw|--raw and --export"; do
	for cmd in list orphans limits; do
		# shellcheck disable=SC2086 # two options
		bad_usage "$cmd ${pair%%|*}" "ipcinspect: ${pair#*|} cannot be used together" $cmd ${pair%%|*}
	done
done
# raw rows and pairs do not say their namespace
for o in "--raw|-r" "--pairs|-P" "--export|-e"; do
	bad_usage "--all-namespaces ${o#*|}" \
		"ipcinspect: --all-namespaces cannot go with ${o%|*}: use the table or --json" --all-namespaces "${o#*|}"
done
bad_usage "clean -J -P (the conflict first)" "ipcinspect: --json and --pairs cannot be used together" clean -J -P

# --time-format: short, full or iso
for word in "" long ISO "iso " fulls; do
	bad_usage "--time-format '$word'" "ipcinspect: invalid time format '$word' (short, full or iso)" \
		--time-format "$word"
done
bad_usage "--time-format without argument" "ipcinspect: option '--time-format' requires an argument" --time-format

# --sort: a column of every kind shown
bad_usage "--sort ''" "ipcinspect: --sort needs a column" --sort ""
bad_usage "--sort NOPE" "ipcinspect: --sort NOPE: unknown column" --sort NOPE
bad_usage "--sort NATTCH (all kinds)" \
	"ipcinspect: --sort NATTCH: no such column for msg, sem, fifo, pipe, pshm, psem, pmq, unix, memfd (it exists for shm)" \
	--sort NATTCH
bad_usage "-t msg,shm --sort NATTCH" "ipcinspect: --sort NATTCH: no such column for msg (it exists for shm)" \
	-t msg,shm --sort NATTCH
bad_usage "-t shm,fifo,sem --sort SIZE" \
	"ipcinspect: --sort SIZE: no such column for sem, fifo (it exists for shm)" -t shm,fifo,sem --sort SIZE
bad_usage "orphans -t msg --sort NATTCH" "ipcinspect: --sort NATTCH: unknown column" orphans -t msg --sort NATTCH
bad_usage "limits --sort ID" "ipcinspect: --sort ID: unknown column" limits --sort ID
bad_usage "--sort without argument" "ipcinspect: option '--sort' requires an argument" --sort

# Accepted where they should be: with -H nothing is read, so each new
# option runs here; the output is -H's, the same with or without it.
for cmd in list orphans limits; do
	sel=(-t shm) col=ID
	[ "$cmd" = limits ] && sel=() col=NAME
	run $cmd "${sel[@]}" -H
	cp "$tmp/out" "$tmp/H"
	is "$rc" 0 "$cmd ${sel[*]} -H: exit status 0"
	for opt in -r --raw -P --pairs -e --export "-P -y" "--pairs --shell" "-e -y" "--time-format short" \
		"--time-format full" "--time-format iso" "--sort $col" "--sort ${col,,}" "-n -b"; do
		# shellcheck disable=SC2086 # options and their arguments are words
		run $cmd "${sel[@]}" $opt -H
		is "$rc:$(nbytes "$tmp/err")" "0:0" "$cmd $opt: accepted"
		cmp -s "$tmp/out" "$tmp/H"
		ok $? "$cmd $opt -H: the columns, as -H alone prints them"
	done
	run $cmd "${sel[@]}" --list-columns -J
	is "$rc" 0 "$cmd --list-columns -J: exit status 0"
	is "$(sed -n 2p "$tmp/out")" '  "columns": {' "$cmd --list-columns -J: a columns document"
done

# the new options: getopt's own messages
bad_usage "--min-age without argument" "ipcinspect: option '--min-age' requires an argument" clean --min-age
bad_usage "--fifo-dir without argument" "ipcinspect: option '--fifo-dir' requires an argument" --fifo-dir
bad_usage "-m without argument" "ipcinspect: option requires an argument -- 'm'" rm -m
bad_usage "-S without argument" "ipcinspect: option requires an argument -- 'S'" rm -S
bad_usage "--shmem-key without argument" "ipcinspect: option '--shmem-key' requires an argument" rm --shmem-key
bad_usage "--check with an argument" "ipcinspect: option '--check' doesn't allow an argument" orphans --check=1
bad_usage "--yes with an argument" "ipcinspect: option '--yes' doesn't allow an argument" clean --yes=no
bad_usage "--force with an argument" "ipcinspect: option '--force' doesn't allow an argument" rm --force=1 -m 1
bad_usage "--no-syslog with an argument" "ipcinspect: option '--no-syslog' doesn't allow an argument" clean --no-syslog=1

# --min-age: a number of seconds, or numbers each with a unit (d, h, m, s)
duration_help="(like 90s, 10m, 2h, 1d, 1h30m, or 0)"
for age in "" 10x m 1h30 -5 1.5h 10M " 10m" 9223372036854775807d; do
	bad_usage "clean --min-age '$age'" "ipcinspect: invalid duration '$age' $duration_help" clean --min-age "$age"
done
bad_usage "--min-age=1h30" "ipcinspect: invalid duration '1h30' $duration_help" clean --min-age=1h30
bad_usage "list --min-age 10x (the value is checked first)" \
	"ipcinspect: invalid duration '10x' $duration_help" list --min-age 10x

# clean: pipes cannot be removed; FIFOs only under a --fifo-dir
no_pipes="ipcinspect: pipes exist only through their fds: they cannot be removed"
fifo_dir_only="ipcinspect: clean removes FIFO files only under a --fifo-dir"
bad_usage "clean -t pipe" "$no_pipes" clean -t pipe
bad_usage "clean -t shm,pipe" "$no_pipes" clean -t shm,pipe
bad_usage "clean -t pipe --fifo-dir /nonexistent" "$no_pipes" clean -t pipe --fifo-dir /nonexistent
bad_usage "clean -t fifo" "$fifo_dir_only" clean -t fifo
bad_usage "clean --type shm,fifo" "$fifo_dir_only" clean --type shm,fifo
bad_usage "clean -t fifo --yes" "$fifo_dir_only" clean -t fifo --yes
bad_usage "clean extra" "ipcinspect: unexpected argument 'extra'" clean extra
bad_usage "orphans extra" "ipcinspect: unexpected argument 'extra'" orphans extra

# rm: what to remove, as ipcrm takes it or as TYPE ID...
rm_needs="ipcinspect: rm needs an object: -m, -M, -q, -Q, -s or -S, or shm|msg|sem ID..."
bad_usage "rm without a target" "$rm_needs" rm
bad_usage "rm --force without a target" "$rm_needs" rm --force
bad_usage "rm --no-syslog -J without a target" "$rm_needs" rm --no-syslog -J
rm_types="(shm, msg or sem)"
bad_usage "rm foo 1" "ipcinspect: unknown type 'foo' for rm $rm_types" rm foo 1
bad_usage "rm foo" "ipcinspect: unknown type 'foo' for rm $rm_types" rm foo
bad_usage "rm SHM 1" "ipcinspect: unknown type 'SHM' for rm $rm_types" rm SHM 1
bad_usage "rm fifo 1" "ipcinspect: unknown type 'fifo' for rm $rm_types" rm fifo 1
bad_usage "rm -m 1 pipe 2" "ipcinspect: unknown type 'pipe' for rm $rm_types" rm -m 1 pipe 2
for t in shm msg sem; do
	bad_usage "rm $t without an id" "ipcinspect: rm $t needs at least one id" rm "$t"
done
bad_usage "rm --force shm (options first)" "ipcinspect: rm shm needs at least one id" rm --force shm
bad_usage "rm -t msg shm 1" "ipcinspect: 'rm' does not take --type" rm -t msg shm 1

# -- --help
run --help
is "$rc" 0 "--help: exit status 0"
is "$(nbytes "$tmp/err")" 0 "--help: nothing on stderr"
cp "$tmp/out" "$tmp/help"
is "$(sed -n 1p "$tmp/help")" "Usage:" "--help: starts with Usage:"

run -h
is "$rc" 0 "-h: exit status 0"
cmp -s "$tmp/out" "$tmp/help"
ok $? "-h prints the same as --help"

run list --help
is "$rc" 0 "list --help: exit status 0"

# every long option of cli.c's cli_opts[]
longopts=$(sed -n '/cli_opts\[\] = {/,/^};/s/^[[:space:]]*{ "\([a-z-]*\)", .*/\1/p' "$cli_c")
[ -n "$longopts" ] || bail "no long options found in $cli_c"
for opt in $longopts; do
	grep -q -- "--$opt\\b" "$tmp/help"
	ok $? "--help lists --$opt"
done

# every short option of cli_opts[] (its getopt value a letter), as
# "-c, --long" with the long option of the same row
optstring=$(sed -n "/cli_opts\[\] = {/,/^};/s/^[[:space:]]*{ \"[a-z-]*\", [a-z_]*, '\(.\)',.*/\1/p" "$cli_c" | tr -d '\n')
[ "${#optstring}" -ge 10 ] || bail "no short options found in $cli_c"
for c in $(printf '%s' "$optstring" | fold -w1); do
	long=$(sed -n "/cli_opts\[\] = {/,/^};/s/^[[:space:]]*{ \"\([a-z-]*\)\", [a-z_]*, '$c',.*/\1/p" "$cli_c")
	[ -n "$long" ] && grep -qE -- "(^ *|, )-$c, --$long\b" "$tmp/help"
	ok $? "--help lists -$c with its long form${long:+ --$long}"
done

# every command of cli-commands.c's commands[], in the usage lines and
# under Commands (one line each, name first)
commands=$(grep -o '\[CMD_[A-Z]*\] = { "[a-z]*"' "$commands_c" | sed 's/.*"\([a-z]*\)"/\1/')
is "$(echo $commands)" "list limits orphans clean rm restore metrics watch" "cli-commands.c names eight commands"
for cmd in $commands; do
	grep -qE "^ ipcinspect (\[$cmd\]|$cmd) " "$tmp/help"
	ok $? "--help: a usage line for $cmd"
	sed -n '/^Commands:$/,/^$/p' "$tmp/help" | grep -qE "^ $cmd +[a-z]"
	ok $? "--help: $cmd under Commands"
done
is "$(sed -n '/^Exit status:$/,/^$/p' "$tmp/help" | grep -oE '^ [0-9]+ ' | tr -d ' ' | tr '\n' ' ')" "0 1 2 3 " \
	"--help: exit statuses 0 to 3"
grep -q '^ 3  orphans --check: orphans exist$' "$tmp/help"
ok $? "--help: exit status 3 is orphans --check finding orphans"

# every column of every kind, with its JSON key: the column tables in src/
# and the column lines of -H -J are the same set
run -H -J
cp "$tmp/out" "$tmp/columns.json"
run limits -H -J
for kind in shm msg sem fifo pipe; do
	is "$(jq -r ".columns.$kind | length > 3" "$tmp/columns.json")" true "-H has the columns of $kind"
done
is "$(jq -r '.columns | keys_unsorted | join(" ")' "$tmp/out")" limits "limits -H: the limits columns"
grep -ho '{ "[A-Z%-]*", "[a-z_]*",' "$top_srcdir"/src/*.[ch] |
	sed 's/{ "\([^"]*\)", "\([^"]*\)",/\1 \2/' | sort -u >"$tmp/src-columns"
jq -r '.columns[][] | "\(.name) \(.json)"' "$tmp/columns.json" "$tmp/out" | sort -u >"$tmp/help-columns"
ok $([ "$(nlines "$tmp/src-columns")" -ge 40 ]; echo $?) \
	"column tables found in src/ ($(nlines "$tmp/src-columns") columns)"
while read -r name key; do
	grep -qx "$name $key" "$tmp/help-columns"
	ok $? "-H lists column $name [$key]"
done <"$tmp/src-columns"
diff "$tmp/src-columns" "$tmp/help-columns" >"$tmp/diff"
ok $? "-H lists no column that src/ does not define"
[ -s "$tmp/diff" ] && sed 's/^/# /' "$tmp/diff"
# --help is a page again: no column list (-H has them)
ok $([ "$(nlines "$tmp/help")" -lt 100 ]; echo $?) "--help is a page ($(nlines "$tmp/help") lines)"
grep -q '^Columns for' "$tmp/help"
ok $((!$?)) "--help lists no columns"

# -- --version
version=$(sed -n 's/^AC_INIT(\[ipcinspect\], \[\([^]]*\)\].*/\1/p' "$top_srcdir/configure.ac")
[ -n "$version" ] || bail "no version in configure.ac"
for opt in -V --version; do
	run $opt
	is "$rc" 0 "$opt: exit status 0"
	is "$(cat "$tmp/out")" "ipcinspect $version" "$opt: prints the name and the version"
	is "$(nlines "$tmp/out")" 1 "$opt: one line"
	is "$(nbytes "$tmp/err")" 0 "$opt: nothing on stderr"
done

done_testing

#!/bin/bash
# ts-docs: the man pages, the bash completion and the README must not
# drift from the tool.  `ipcinspect --help` is printed from the same
# option and column tables the program uses, so it is the reference:
# every long option it lists must be in the man page and the completion,
# and every option the README names must be one of them; every column
# and its JSON key must be in the man page; both man pages must lint
# clean; the completion must parse and must complete; the README stays
# under 250 lines and its links lead to files; every comment that cites
# doc/kernel-facts.md names one of its sections.
# Needs no namespace and no IPC object.

# bash features below: under another sh (SH_LOG_COMPILER is $(SHELL)),
# run again with bash
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

# shellcheck source=tests/lib.sh
. "${TESTS_SRCDIR:?run the tests with make check}/lib.sh" || exit 99
: "${TOP_SRCDIR:?TOP_SRCDIR must name the source tree}"

MAN=$TOP_SRCDIR/man/ipcinspect.1
MAN_JSON=$TOP_SRCDIR/man/ipcinspect-json.5
KERNEL_FACTS=$TOP_SRCDIR/doc/kernel-facts.md
COMPLETION=$TOP_SRCDIR/completions/ipcinspect.bash
README=$TOP_SRCDIR/README.md

# The manuals the page may refer to with .Xr; add one here with each new
# .Xr.  The lint check runs against stubs of exactly these, so its result
# does not depend on which manuals the build host has installed, and a
# misspelt reference still fails.
KNOWN_XR=(ipcinspect.1 ipcinspect-json.5 ipcrm.1 ipcs.1 jq.1 lsblk.8 lsfd.1 lsipc.1 nsenter.1
	memfd_create.2 msgctl.2 msgget.2 msgrcv.2 msgsnd.2 semctl.2 semget.2 semop.2
	shmctl.2 shmget.2 uname.2 proc.5 logind.conf.5 sysvipc.7 systemd.exec.5 systemd.timer.5)

TMP=$(mktemp -d) || bail "mktemp failed"
trap 'rm -rf "$TMP"' EXIT

skip_one() {	# skip_one WHY: one skipped test
	tap_n=$((tap_n + 1))
	echo "ok $tap_n # SKIP $*"
}

for f in "$MAN" "$MAN_JSON" "$COMPLETION" "$README" "$KERNEL_FACTS"; do
	[ -r "$f" ] || bail "cannot read $f"
done

help=$("$IPCINSPECT" --help) || bail "$IPCINSPECT --help failed"

# "-t, --type <list>  ..." and "     --raw  ...": the option lines.
long_opts=$(printf '%s\n' "$help" |
	sed -n 's/^ \{1,\}\(-[A-Za-z], \)\{0,1\}--\([a-z][a-z0-9-]*\).*/\2/p')
short_opts=$(printf '%s\n' "$help" | sed -n 's/^ \{1,\}-\([A-Za-z]\), --.*/\1/p')
# a second option on the line: " -P, --pairs, -e, --export  ..."
long_opts+=$'\n'$(printf '%s\n' "$help" |
	sed -n 's/^ \{1,\}-[A-Za-z], --[a-z-]*, -[A-Za-z], --\([a-z][a-z0-9-]*\).*/\1/p')
short_opts+=$'\n'$(printf '%s\n' "$help" |
	sed -n 's/^ \{1,\}-[A-Za-z], --[a-z-]*, -\([A-Za-z]\), --.*/\1/p')
# The columns and their JSON keys, from -H (of every kind, and of limits).
command -v jq >/dev/null || bail "jq not installed"
columns=$({ "$IPCINSPECT" -H -J && "$IPCINSPECT" limits -H -J; } |
	jq -r '.columns[][] | "\(.name) \(.json)"' | sort -u)

[ "$(printf '%s\n' "$long_opts" | grep -c .)" -ge 10 ] ||
	bail "could not find the options in --help"
[ "$(printf '%s\n' "$columns" | grep -c .)" -ge 40 ] ||
	bail "could not find the columns in -H"

# The man page source with "\-" as "-", so ".Fl \-type" reads ".Fl --type".
man_text=$(sed 's/\\-/-/g' "$MAN")

# --- the man page lints clean -------------------------------------------

man_lint() {	# man_lint PAGE
	local page=$1 mp=$TMP/manpath xr name sec makewhatis
	# Debian puts it in /usr/sbin, which a user's PATH may lack
	makewhatis=$(command -v makewhatis)
	for xr in /usr/sbin/makewhatis /usr/bin/makewhatis; do
		[ -z "$makewhatis" ] && [ -x "$xr" ] && makewhatis=$xr
	done
	if [ -n "$makewhatis" ]; then
		for xr in "${KNOWN_XR[@]}"; do
			name=${xr%.*}
			sec=${xr##*.}
			mkdir -p "$mp/man$sec"
			printf '.Dd November 21, 2026\n.Dt %s %s\n.Os\n.Sh NAME\n.Nm %s\n.Nd stub\n' \
				"$name" "$sec" "$name" >"$mp/man$sec/$name.$sec"
		done
		"$makewhatis" "$mp" >/dev/null 2>&1 || true
		MANPATH=$mp mandoc -Tlint -Wstyle "$page" 2>&1
	else
		# whether a referenced manual is installed is the host's business
		mandoc -Tlint -Wstyle "$page" 2>&1 |
			grep -v -e 'outdated mandoc.db' -e 'referenced manual not found'
	fi
	return 0
}

for page in "$MAN" "$MAN_JSON"; do
	if command -v mandoc >/dev/null; then
		lint=$(man_lint "$page")
		is "$lint" "" "mandoc -Tlint -Wstyle man/${page##*/} is clean"
	else
		skip_one "mandoc not installed"
	fi
done

for xr in $(sed -n 's/^\.Xr \([a-z0-9_-]*\) \([0-9]\).*/\1.\2/p' "$MAN" "$MAN_JSON" | sort -u); do
	case " ${KNOWN_XR[*]} " in
	*" $xr "*) ok 0 "the man pages refer to known manual $xr" ;;
	*) ok 1 "a man page refers to $xr: add it to KNOWN_XR if it is right" ;;
	esac
done

# --- options -------------------------------------------------------------

for o in $long_opts; do
	printf '%s\n' "$man_text" | grep -Eq "(Fl -|--)$o([^a-z0-9-]|\$)"
	ok $? "man page documents --$o"
	grep -Eq -- "(^|[^a-z0-9-])--$o([^a-z0-9-]|\$)" "$COMPLETION"
	ok $? "completion offers --$o"
done

# --- the README: short, and true ----------------------------------------

# (the options of the unshare command line it quotes are unshare's)
for o in $(sed 's/`unshare [^`]*`//g' "$README" | grep -Eo -- '(^|[^a-z0-9-])--[a-z][a-z0-9-]*' |
	sed 's/^[^-]*--//' | sort -u); do
	printf '%s\n' "$long_opts" | grep -qx -- "$o"
	ok $? "README names --$o, an option of --help"
done
lines=$(wc -l <"$README")
[ "$lines" -lt 250 ]
ok $? "README is under 250 lines ($lines)"
for link in $(grep -Eo '\]\([^)#]+\)' "$README" | sed 's/^](//; s/)$//' | sort -u); do
	case $link in *://*) continue ;; esac
	[ -e "$TOP_SRCDIR/$link" ]
	ok $? "README links to $link, which exists"
done

for s in $short_opts; do
	printf '%s\n' "$man_text" | grep -Eq "^\.It Fl $s( |\$)"
	ok $? "man page documents -$s"
	grep -Eq -- "(^|[^a-zA-Z0-9-])-$s([^a-zA-Z0-9-]|\$)" "$COMPLETION"
	ok $? "completion offers -$s"
done

# --- columns -------------------------------------------------------------

printf '%s\n' "$columns" | while read -r name key; do
	printf '%s\n' "$man_text" | grep -Fq ".It Cm $name Pq Li $key"
	echo "$? $name $key"
done >"$TMP/columns"
while read -r status name key; do
	ok "$status" "man page documents column $name with JSON key $key"
done <"$TMP/columns"

# --- the completion works ------------------------------------------------

bash -n "$COMPLETION"
ok $? "bash -n completions/ipcinspect.bash"

# The completion reads the kinds and columns from `ipcinspect --help`: the
# binary under test is the ipcinspect on its PATH.
mkdir "$TMP/bin" && ln -s "${IPCINSPECT_BIN:-$IPCINSPECT}" "$TMP/bin/ipcinspect" ||
	bail "cannot put ipcinspect on a PATH"

# complete_line BASH-COMPLETION-FILE-OR-EMPTY LINE: what the completion
# offers at the end of LINE, sorted, on one line, in a fresh bash.
complete_line() {
	PATH=$TMP/bin:$PATH BC=$1 COMPLETION=$COMPLETION LINE=$2 bash --norc --noprofile -c '
		[ -n "$BC" ] && . "$BC"
		. "$COMPLETION" || exit 1
		fn=$(complete -p ipcinspect 2>/dev/null | sed -n "s/.* -F \([^ ]*\) .*/\1/p")
		[ -n "$fn" ] || { echo "no complete -F for ipcinspect"; exit 1; }
		# split like readline does with the default COMP_WORDBREAKS
		l=${LINE//=/ = }
		read -ra COMP_WORDS <<<"$l"
		case $LINE in *" " | *=) COMP_WORDS+=("") ;; esac
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE=$LINE
		COMP_POINT=${#LINE}
		COMP_TYPE=9
		COMPREPLY=()
		prev=
		[ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD - 1]}
		"$fn" ipcinspect "${COMP_WORDS[COMP_CWORD]}" "$prev"
		[ ${#COMPREPLY[@]} -gt 0 ] && printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " " | sed "s/ \$//"
		exit 0
	' 2>&1
}

check_completion() {	# check_completion BASH-COMPLETION-FILE-OR-EMPTY HOW
	local bc=$1 how=$2
	is "$(complete_line "$bc" 'ipcinspect --ty')" "--type" "$how: ipcinspect --ty<TAB> gives --type"
	is "$(complete_line "$bc" 'ipcinspect -t s')" "sem shm" "$how: ipcinspect -t s<TAB> gives shm and sem"
	is "$(complete_line "$bc" 'ipcinspect -t shm,')" "shm,fifo shm,memfd shm,msg shm,pipe shm,pmq shm,psem shm,pshm shm,sem shm,unix" "$how: ipcinspect -t shm,<TAB> goes on after the comma"
	is "$(complete_line "$bc" 'ipcinspect --type=m')" "memfd msg" "$how: ipcinspect --type=m<TAB> gives memfd and msg"
	is "$(complete_line "$bc" 'ipcinspect -o NATT')" "NATTCH" "$how: ipcinspect -o NATT<TAB> gives NATTCH"
	is "$(complete_line "$bc" 'ipcinspect -o +ID,NATT')" "+ID,NATTCH" "$how: ipcinspect -o +ID,NATT<TAB> keeps the + and the list"
	is "$(complete_line "$bc" 'ipcinspect --type=msg -o LR')" "LRPID" "$how: ipcinspect --type=msg -o LR<TAB> gives the columns of msg"
	is "$(complete_line "$bc" 'ipcinspect limits -o USE')" "USE% USED" "$how: ipcinspect limits -o USE<TAB> gives limits columns"
	is "$(complete_line "$bc" 'ipcinspect li')" "limits list" "$how: ipcinspect li<TAB> gives limits (and list)"
	is "$(complete_line "$bc" 'ipcinspect --time-format ')" "full iso short" "$how: --time-format <TAB> gives its words"
	is "$(complete_line "$bc" 'ipcinspect -t msg --sort LS')" "LSPID" "$how: -t msg --sort LS<TAB> gives a column of msg"
	is "$(complete_line "$bc" 'ipcinspect --sort=natt')" "NATTCH" "$how: --sort=natt<TAB>: one column, any case"
	is "$(complete_line "$bc" 'ipcinspect limits --sort USE')" "USE% USED" "$how: limits --sort USE<TAB> gives limits columns"
	is "$(complete_line "$bc" 'ipcinspect --pa')" "--pairs" "$how: ipcinspect --pa<TAB> gives --pairs"
	is "$(complete_line "$bc" 'ipcinspect clean --sh')" "" "$how: clean --sh<TAB>: clean takes no --shell"
	is "$(complete_line "$bc" 'ipcinspect lim')" "limits" "$how: ipcinspect lim<TAB> gives limits"
	is "$(complete_line "$bc" 'ipcinspect me')" "metrics" "$how: ipcinspect me<TAB> gives metrics"
	is "$(complete_line "$bc" 'ipcinspect metrics --t')" "--textfile --type" \
		"$how: ipcinspect metrics --t<TAB> gives --textfile and --type"
	is "$(complete_line "$bc" 'ipcinspect metrics -')" \
		"--all-namespaces --fifo-dir --help --namespace --no-outside-holders --socket-dir --state --textfile --type --version -V -h -t" \
		"$how: ipcinspect metrics -<TAB> gives metrics' options alone"
	is "$(complete_line "$bc" "ipcinspect metrics --textfile $TOP_SRCDIR/contri")" "$TOP_SRCDIR/contrib" \
		"$how: ipcinspect metrics --textfile DIR<TAB> completes a directory"
}

# --- kernel facts: cited by section, all inside the repository ------------

# Each citation 'doc/kernel-facts.md, "SECTION"' (or '"A", "B" and "C"')
# in a comment or test of src/ and tests/, with comment leaders and line
# breaks taken out, must name a "## SECTION" heading of the file.
cites=$(cd "$TOP_SRCDIR" && python3 - src tests <<'PY'
import os, re, sys
for top in sys.argv[1:]:
    for d, _, files in os.walk(top):
        for f in files:
            if not f.endswith(('.c', '.h', '.sh')) or f == 'ts-docs.sh':
                continue
            text = open(os.path.join(d, f), errors='replace').read()
            flat = re.sub(r'\n[ \t]*(?:\*|#|//)?[ \t]*', ' ', text)
            for m in re.finditer(r'doc/kernel-facts\.md, ((?:\\?"[^"\\]+\\?"(?:, | and )?)+)', flat):
                for name in re.findall(r'"([^"\\]+)\\?"', m.group(1)):
                    print('%s/%s\t%s' % (d, f, name))
PY
) || bail "python3 failed to read the citations"
[ "$(printf '%s\n' "$cites" | grep -c .)" -ge 40 ] || bail "found too few citations of doc/kernel-facts.md"
printf '%s\n' "$cites" | cut -f2 | sort -u | while read -r name; do
	grep -qxF "## $name" "$KERNEL_FACTS"
	echo "$? $name"
done >"$TMP/cites"
while read -r status name; do
	ok "$status" "doc/kernel-facts.md has the section \"$name\" that comments cite"
done <"$TMP/cites"
is "$(cd "$TOP_SRCDIR" && grep -rl --exclude=ts-docs.sh 'KERNEL-NOTES' src tests)" "" \
	"no comment cites KERNEL-NOTES, a file outside the repository"

check_completion "" "without bash-completion"

# every column -H lists is offered by -o: of a kind, with no --type;
# of limits, under "limits"
offered=" $(complete_line "" 'ipcinspect -o ') $(complete_line "" 'ipcinspect limits -o ') "
for name in $(printf '%s\n' "$columns" | cut -d' ' -f1 | sort -u); do
	case $offered in
	*" $name "*) ok 0 "completion offers column $name" ;;
	*) ok 1 "completion offers column $name" ;;
	esac
done
# the kinds, from --help's Kinds list: all for list, SysV ones with --id,
# those found without the scan with --no-owners, not pipe for clean, and
# the SysV ones after rm
is "$(complete_line "" 'ipcinspect -t ')" "fifo memfd msg pipe pmq psem pshm sem shm unix" \
	"ipcinspect -t <TAB> gives every kind"
is "$(complete_line "" 'ipcinspect --id 1 -t ')" "msg sem shm" \
	"ipcinspect --id 1 -t <TAB> gives the SysV kinds"
is "$(complete_line "" 'ipcinspect --no-owners -t ')" "msg pmq psem pshm sem shm" \
	"ipcinspect --no-owners -t <TAB> gives the kinds found without the scan"
is "$(complete_line "" 'ipcinspect clean -t ')" "fifo msg pmq psem pshm sem shm unix" \
	"ipcinspect clean -t <TAB> gives the kinds clean can remove"
is "$(complete_line "" 'ipcinspect rm ')" "msg sem shm" "ipcinspect rm <TAB> gives the SysV kinds"
is "$(complete_line "" 'ipcinspect -t pipe -o ')" "AGE CONTAINER FLAGS INODE READERS REASONS UNIT VERDICT WRITERS" \
	"ipcinspect -t pipe -o <TAB> gives the columns of pipe"
# A kind added to ipcinspect is completed with no edit to the script: an
# ipcinspect whose --help has one more kind (in the Kinds list) and whose
# -H has its columns gets it offered, with its columns, and not where its
# facts say no.
mkdir "$TMP/newkind" || bail "mkdir failed"
cat >"$TMP/newkind/ipcinspect" <<NEWKIND
#!/bin/bash
bin="${IPCINSPECT_BIN:-$IPCINSPECT}"
case " \$* " in
*" limits "*) exec "\$bin" "\$@" ;;
*" -H "*) "\$bin" "\$@" && printf '\\nmfake: A kind to come\\n SEALS        array    the seals\\n' ;;
*) "\$bin" --help | sed -e '/^ unix /a\\
 mfake  a kind to come [scan; clean: never]' ;;
esac
NEWKIND
chmod +x "$TMP/newkind/ipcinspect"
new_kind_line() {	# new_kind_line LINE: complete_line with the new kind's ipcinspect
	local saved=$TMP/bin
	mv "$TMP/bin" "$TMP/bin.real" && mv "$TMP/newkind" "$TMP/bin" &&
		complete_line "" "$1"
	mv "$TMP/bin" "$TMP/newkind" && mv "$TMP/bin.real" "$saved"
}
is "$(new_kind_line 'ipcinspect -t m')" "memfd mfake msg" "a new kind in --help: -t m<TAB> offers it"
is "$(new_kind_line 'ipcinspect -t mfake -o SE')" "SEALS" "a new kind in --help: its columns are offered"
is "$(new_kind_line 'ipcinspect --no-owners -t m')" "msg" "a new kind found by the scan: not offered with --no-owners"
is "$(new_kind_line 'ipcinspect clean -t m')" "msg" "a new kind clean never removes: not offered for clean"

BASH_COMPLETION_FILE=/usr/share/bash-completion/bash_completion
if [ -r "$BASH_COMPLETION_FILE" ]; then
	check_completion "$BASH_COMPLETION_FILE" "with bash-completion"
else
	skip_one "bash-completion not installed"
fi

done_testing

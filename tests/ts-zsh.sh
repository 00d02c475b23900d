#!/bin/bash
# ts-zsh: the zsh completion (completions/_ipcinspect) offers what the bash
# one offers: the commands, the options of each command (every option
# --help lists is in it), the kinds of --type and the columns of --output
# as comma lists, read from the ipcinspect on the PATH (from -H where it
# has -H, and a kind added to --help with no edit), and the live ids and
# keys of rm.  The completion runs in a real interactive zsh in a
# pseudo-terminal (tests/helpers/zsh-complete.zsh); the live ids are those
# of objects made here, inside a private IPC namespace.  Skipped without
# zsh or its zpty module.

[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

# shellcheck source=tests/lib.sh
. "${TESTS_SRCDIR:?run the tests with make check}/lib.sh" || exit 99
: "${TOP_SRCDIR:?TOP_SRCDIR must name the source tree}"

command -v zsh >/dev/null || skip_all "zsh not installed"
zsh -fc 'zmodload zsh/zpty' 2>/dev/null || skip_all "zsh has no zsh/zpty module"
ns_enter "$@"

COMPLETION=$TOP_SRCDIR/completions/_ipcinspect
DRIVER=$TESTS_SRCDIR/helpers/zsh-complete.zsh
[ -r "$COMPLETION" ] && [ -r "$DRIVER" ] || bail "cannot read $COMPLETION or $DRIVER"

TMP=$(mktemp -d) || bail "mktemp failed"
trap 'rm -rf "$TMP"' EXIT
# the completion runs `ipcinspect --help`: the binary under test, on the PATH
mkdir "$TMP/bin" && ln -s "${IPCINSPECT_BIN:-$IPCINSPECT}" "$TMP/bin/ipcinspect" ||
	bail "cannot put ipcinspect on a PATH"
mkdir "$TMP/fpath" && cp "$COMPLETION" "$TMP/fpath/" || bail "cannot copy the completion"

# complete BIN-DIR LINE...: the matches at the end of each LINE, one line each
complete() {
	local bin=$1
	shift
	HOME=$TMP PATH=$bin:$PATH timeout 120 zsh -f "$DRIVER" "$TMP/fpath" "$@" 2>&1
}

zsh -n "$COMPLETION"
ok $? "zsh -n completions/_ipcinspect"

# --- every option of --help is in the completion ---------------------------

help=$("${IPCINSPECT_BIN:-$IPCINSPECT}" --help) || bail "ipcinspect --help failed"
long_opts=$(printf '%s\n' "$help" |
	sed -n 's/^ \{1,\}\(-[A-Za-z], \)\{0,1\}--\([a-z][a-z0-9-]*\).*/\2/p')
short_opts=$(printf '%s\n' "$help" | sed -n 's/^ \{1,\}-\([A-Za-z]\), --.*/\1/p')
[ "$(printf '%s\n' "$long_opts" | grep -c .)" -ge 10 ] || bail "no options found in --help"
for o in $long_opts; do
	grep -Eq -- "(^|[^a-z0-9-])--$o([^a-z0-9-]|\$)" "$COMPLETION"
	ok $? "zsh completion offers --$o"
done
for s in $short_opts; do
	grep -Eq -- "(^|[^a-zA-Z0-9-])-$s([^a-zA-Z0-9-]|\$)" "$COMPLETION"
	ok $? "zsh completion offers -$s"
done

# --- live ids and keys -------------------------------------------------------

mkipc_start shm:s1,key=0x5a000001 shm:s2,key=0x5a000002 msg:q1,key=0x5a000011 \
	sem:m1,key=0x5a000021
S1=$(mkipc_get s1.id) S2=$(mkipc_get s2.id) Q1=$(mkipc_get q1.id) M1=$(mkipc_get m1.id)
[ -n "$S1" ] && [ -n "$S2" ] && [ -n "$Q1" ] && [ -n "$M1" ] || bail "mkipc printed no ids"
shm_ids=$(printf '%s\n' "$S1" "$S2" | sort | tr '\n' ' ')

# line -> what it must offer, in one zsh
lines=(
	'ipcinspect '
	'ipcinspect li'
	'ipcinspect clean -'
	'ipcinspect restore --'
	'ipcinspect -t '
	'ipcinspect -t s'
	'ipcinspect -t shm,'
	'ipcinspect --type=m'
	'ipcinspect --id 1 -t '
	'ipcinspect --no-owners -t '
	'ipcinspect clean -t '
	'ipcinspect -t msg -o '
	'ipcinspect -t pipe -o '
	'ipcinspect -o +ID,natt'
	'ipcinspect limits -o USE'
	'ipcinspect rm '
	'ipcinspect rm -m '
	'ipcinspect rm -M '
	'ipcinspect rm --queue-id '
	'ipcinspect rm -S '
	'ipcinspect rm shm '
	'ipcinspect --key '
)
mapfile -t got < <(complete "$TMP/bin" "${lines[@]}")
[ "${#got[@]}" -eq "${#lines[@]}" ] ||
	{ printf '# %s\n' "${got[@]}"; bail "the zsh driver answered ${#got[@]} of ${#lines[@]} lines"; }
want=(
	"clean limits list metrics orphans restore rm watch"
	"limits list"
	"--backup --bytes --container --even-if-owner-runs --fifo-dir --help --id --include-root --json --key --min-age --namespace --no-outside-holders --no-syslog --socket-dir --state --suspects --type --user --version --yes -J -V -b -h -i -t -u -y"
	"--force --help --json --no-outside-holders --no-syslog --replace --same-id --version --yes"
	"fifo memfd msg pipe pmq psem pshm sem shm unix"
	"sem shm"
	"shm,fifo shm,memfd shm,msg shm,pipe shm,pmq shm,psem shm,pshm shm,sem shm,unix"
	"--type=memfd --type=msg"
	"msg sem shm"
	"msg pmq psem pshm sem shm"
	"fifo msg pmq psem pshm sem shm unix"
	"AGE CGID CGROUP CONTAINER CTIME CUID CUSER FREES GID GROUP ID KEY LRPID LSPID MESSAGES PERMS REASONS RECEIVER RTIME SENDER STIME UID UNIT USED-BYTES USER VERDICT"
	"AGE CONTAINER FLAGS INODE READERS REASONS UNIT VERDICT WRITERS"
	"+ID,NATTCH"
	"USE% USED"
	"msg sem shm"
	"${shm_ids% }"
	"0x5a000001 0x5a000002"
	"$Q1"
	"0x5a000021"
	"${shm_ids% }"
	"0x5a000001 0x5a000002 0x5a000011 0x5a000021"
)
for i in "${!lines[@]}"; do
	is "${got[i]}" "${want[i]}" "zsh: ${lines[i]}<TAB>"
done
mkipc_stop

# --- columns from -H, and a kind added to --help -----------------------------

# An ipcinspect with -H (--list-columns): --help without its "Columns for"
# lists, -H with one more msg column than the real one has.  The columns
# then come from -H alone.
mkdir "$TMP/withH" || bail "mkdir failed"
cat >"$TMP/withH/ipcinspect" <<EOS
#!/bin/sh
real="${IPCINSPECT_BIN:-$IPCINSPECT}"
case "\$1" in
-H) printf 'shm: Shared memory segments\n ID           integer  identifier\n\nmsg: Message queues\n ID           integer  identifier\n QFAKE        string   a column only -H has\n' ;;
limits) [ "\$2" = -H ] && printf 'limits: Limits\n NAME         string   name\n' ;;
--help) "\$real" --help | sed '/^Columns for/,/^\$/d' ;;
*) exec "\$real" "\$@" ;;
esac
EOS
# An ipcinspect with one more kind: its facts in --help, its columns in -H.
mkdir "$TMP/newkind" || bail "mkdir failed"
cat >"$TMP/newkind/ipcinspect" <<EOS
#!/bin/sh
real="${IPCINSPECT_BIN:-$IPCINSPECT}"
case "\$1" in
--help) "\$real" --help | sed -e '/^ unix /a\\
 mfake  a kind to come [scan; clean: never]' ;;
-H) "\$real" -H; printf '\nmfake: A kind to come\n SEALS        array    the seals\n' ;;
*) exec "\$real" "\$@" ;;
esac
EOS
chmod +x "$TMP/withH/ipcinspect" "$TMP/newkind/ipcinspect"
"$TMP/withH/ipcinspect" --help | grep -q '^Columns for' && bail "the -H stand-in kept --help's columns"

mapfile -t got < <(complete "$TMP/withH" 'ipcinspect -t msg -o ' 'ipcinspect limits -o ' 'ipcinspect -t m')
is "${got[0]-}" "ID QFAKE" "with -H: the columns of msg come from -H"
is "${got[1]-}" "NAME" "with -H: the limits columns come from limits -H"
is "${got[2]-}" "memfd msg" "with -H: the kinds still come from --help"
mapfile -t got < <(complete "$TMP/newkind" 'ipcinspect -t m' 'ipcinspect -t mfake -o SE' \
	'ipcinspect --no-owners -t m' 'ipcinspect clean -t m')
is "${got[0]-}" "memfd mfake msg" "a new kind in --help: -t m<TAB> offers it"
is "${got[1]-}" "SEALS" "a new kind in --help: its columns are offered"
is "${got[2]-}" "msg" "a new kind found by the scan: not offered with --no-owners"
is "${got[3]-}" "msg" "a new kind clean never removes: not offered for clean"

done_testing

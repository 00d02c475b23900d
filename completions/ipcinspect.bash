# bash completion for ipcinspect(1)
#
# Completes the command (list, limits, orphans, clean, rm, restore,
# metrics), the
# options each command takes, the kinds of --type (not those clean can
# never remove, for clean), the column names of --output (comma lists,
# with the leading "+" allowed; the limits columns under "limits",
# otherwise the columns of the kinds chosen with --type, or of the kinds
# listed by default), user names for --user, the ids and keys of
# /proc/sysvipc for --id and --key, the pids of /proc for --pid and
# --namespace, directories for --fifo-dir, --socket-dir, --backup and
# metrics' --textfile, a few
# durations for --min-age, the words of --time-format, one column for
# --sort (as -o, without the list), for rm the ids (-m, -q, -s) and keys (-M, -Q,
# -S) of the kind named, after "rm KIND" (a System V kind) the ids of that
# kind, and directories for the paths of restore (a backup entry, or a
# directory of entries).  With --id, --key or --user on the line only the
# System V kinds are offered: they select System V objects.  With
# --no-owners only the kinds found without the process scan are offered.
# The kinds and what each is (System V, found by the process scan, what
# clean takes) are read from `ipcinspect --help`, their columns from
# `ipcinspect -H` (and `ipcinspect limits -H`), at completion time; the
# option lists below must match --help (tests/ts-docs.sh checks that).  Uses _init_completion from bash-completion when it is
# loaded and works without it.

# _ipcinspect_read_help CMD: reads what `CMD --help` says of the kinds (its
# Kinds list: the --type words, each with its facts in brackets) into
# _ipcinspect_kinds (every kind), _ipcinspect_sysv_kinds ("sysv"),
# _ipcinspect_noscan_kinds (no "scan": listed with --no-owners) and
# _ipcinspect_clean_kinds (not "clean: never"), and what `CMD -H` and
# `CMD limits -H` say of the columns ("KIND: title" headings, then one
# line a column, its name first) into _ipcinspect_columns (kind -> its
# column names, the limits columns under "limits").  A kind added to
# ipcinspect is completed with no edit here.
_ipcinspect_read_help()
{
	local line section='' kind facts re_kind re_head re_col
	re_kind='^ ([a-z0-9]+) +.*\[([^]]*)\]$'
	re_head='^([a-z0-9]+): '
	re_col='^ ([A-Z][A-Z0-9%-]*) '
	_ipcinspect_kinds=() _ipcinspect_sysv_kinds=() _ipcinspect_noscan_kinds=()
	_ipcinspect_clean_kinds=()
	declare -gA _ipcinspect_columns=()
	while IFS= read -r line; do
		case $line in
		'') section='' ;;
		Kinds*) section=kinds ;;
		*)
			if [[ $section == kinds && $line =~ $re_kind ]]; then
				kind=${BASH_REMATCH[1]}
				facts="; ${BASH_REMATCH[2]};"
				_ipcinspect_kinds+=("$kind")
				[[ $facts == *"; sysv;"* ]] && _ipcinspect_sysv_kinds+=("$kind")
				[[ $facts == *"; scan;"* ]] || _ipcinspect_noscan_kinds+=("$kind")
				[[ $facts == *"; clean: never;"* ]] || _ipcinspect_clean_kinds+=("$kind")
			fi
			;;
		esac
	done < <(LC_ALL=C "$1" --help 2>/dev/null)
	while IFS= read -r line; do
		if [[ $line =~ $re_head ]]; then
			kind=${BASH_REMATCH[1]}
		elif [[ -n $kind && $line =~ $re_col ]]; then
			_ipcinspect_columns[$kind]+=" ${BASH_REMATCH[1]}"
		fi
	done < <(LC_ALL=C "$1" -H 2>/dev/null; LC_ALL=C "$1" limits -H 2>/dev/null)
	return 0
}

_ipcinspect_commands=(list limits orphans clean rm restore metrics watch)

_ipcinspect_output_options=(-r --raw -P --pairs -e --export -y --shell --time-format --sort
	-H --list-columns)
_ipcinspect_list_options=(-t --type -J --json -o --output "${_ipcinspect_output_options[@]}"
	-n --noheadings --notruncate -b --bytes
	-i --id --key -u --user -p --pid --removeipc --no-owners --fifo-dir --socket-dir
	--namespace --container --all-namespaces --no-outside-holders --state -h --help -V --version)
_ipcinspect_limits_options=(-J --json -o --output "${_ipcinspect_output_options[@]}"
	-n --noheadings --notruncate -b --bytes
	--namespace --container --no-outside-holders -h --help -V --version)
_ipcinspect_orphans_options=(-t --type -J --json -o --output "${_ipcinspect_output_options[@]}"
	-n --noheadings --notruncate -b --bytes
	-i --id --key -u --user -p --pid --removeipc --fifo-dir --socket-dir --check
	--namespace --container --all-namespaces --no-outside-holders --state -h --help -V --version)
_ipcinspect_clean_options=(-t --type -J --json -b --bytes -i --id --key -u --user
	--fifo-dir --socket-dir -y --yes --min-age --suspects --include-root --even-if-owner-runs
	--no-syslog --backup
	--namespace --container --no-outside-holders --state -h --help -V --version)
_ipcinspect_rm_options=(-J --json -b --bytes -f --force --no-syslog --backup --namespace --container
	-m --shmem-id -M --shmem-key -q --queue-id -Q --queue-key
	-s --semaphore-id -S --semaphore-key --no-outside-holders -h --help -V --version)
_ipcinspect_restore_options=(-J --json -y --yes --same-id --replace -f --force --no-syslog --no-outside-holders
	-h --help -V --version)
_ipcinspect_metrics_options=(-t --type --fifo-dir --socket-dir --namespace --all-namespaces
	--no-outside-holders --textfile --state -h --help -V --version)
_ipcinspect_watch_options=(-t --type -J --json --interval --state --fifo-dir --socket-dir --namespace
	--container --all-namespaces --no-outside-holders -h --help -V --version)

# _ipcinspect_comma_list CUR WORDS...: sets COMPREPLY to CUR completed as
# a comma separated list of WORDS; a leading "+" is kept, words already in
# the list are not offered again, and matching ignores letter case.
_ipcinspect_comma_list()
{
	local cur=$1 plus='' head='' last w seen
	shift
	if [[ $cur == +* ]]; then
		plus=+
		cur=${cur#+}
	fi
	if [[ $cur == *,* ]]; then
		head=${cur%,*},
		last=${cur##*,}
	else
		last=$cur
	fi
	COMPREPLY=()
	for w in "$@"; do
		seen=",${head^^}"
		[[ $seen == *",${w^^},"* ]] && continue
		if [[ ${w^^} == "${last^^}"* ]]; then
			COMPREPLY+=("$plus$head$w")
		fi
	done
	# let the user go on with a comma
	type compopt &>/dev/null && compopt -o nospace 2>/dev/null
	return 0
}

# _ipcinspect_dirs CUR: sets COMPREPLY to the directories that start with
# CUR, completed as file names (quoted, with a slash to go on).
_ipcinspect_dirs()
{
	mapfile -t COMPREPLY < <(compgen -d -- "$1")
	type compopt &>/dev/null && compopt -o filenames 2>/dev/null
	return 0
}

# _ipcinspect_ids FILE...: the ids (second column) of /proc/sysvipc files.
_ipcinspect_ids()
{
	awk 'FNR > 1 { print $2 }' "$@" 2>/dev/null | sort -un
}

# _ipcinspect_keys FILE...: the keys of /proc/sysvipc files, as 0x%08x
# (/proc prints them as signed decimal); key 0 is left out.
_ipcinspect_keys()
{
	awk 'FNR > 1 { k = $1 + 0; if (k < 0) k += 4294967296;
		if (k != 0) printf "0x%08x\n", k }' "$@" 2>/dev/null | sort -u
}

_ipcinspect()
{
	local cur prev words cword split=false
	local i w command='' rmkind='' eqprefix='' sysv_only=false no_scan=false
	local -a kinds=()

	if declare -F _init_completion >/dev/null 2>&1; then
		_init_completion -s || return
	else
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
		cur=${words[cword]}
		prev=''
		((cword > 0)) && prev=${words[cword - 1]}
		# "--type=sh" split at "=" by COMP_WORDBREAKS: words "--type" "=" "sh"
		if [[ $cur == = ]]; then
			cur=''
			split=true
		elif [[ $prev == = ]] && ((cword > 1)); then
			prev=${words[cword - 2]}
			split=true
		elif [[ $cur == --*=* ]]; then
			prev=${cur%%=*}
			cur=${cur#*=}
			eqprefix=$prev=
			split=true
		fi
	fi

	# The command (and for rm the kind word), the kinds of --type, and
	# whether the listing is SysV only, wherever they are on the line.
	for ((i = 1; i < ${#words[@]}; i++)); do
		w=${words[i]}
		((i == cword)) && continue
		case $w in
		-t | --type)
			# "--type=shm" as three words: "--type" "=" "shm"
			[[ ${words[i + 1]-} == = ]] && ((i++))
			((i + 1 != cword)) && IFS=, read -ra kinds <<<"${words[i + 1]-}"
			((i++))
			;;
		--type=*) IFS=, read -ra kinds <<<"${w#--type=}" ;;
		-t?*) IFS=, read -ra kinds <<<"${w#-t}" ;;
		-i | --id | --key | -u | --user)
			sysv_only=true
			((i++))
			;;
		--id=* | --key=* | --user=* | -i?* | -u?*) sysv_only=true ;;
		--no-owners) no_scan=true ;;
		-o | --output | --sort | --time-format | -p | --pid | --namespace | --container | --fifo-dir | --socket-dir | --min-age | \
			--backup | --textfile | --interval | --state | -m | --shmem-id | -M | --shmem-key | -q | --queue-id | -Q | --queue-key | \
			-s | --semaphore-id | -S | --semaphore-key)
			[[ ${words[i + 1]-} == = ]] && ((i++))
			((i++))
			;;
		-*) ;;
		=) ;;
		*)
			# the value of a split "--opt=value" is no command
			[[ ${words[i - 1]} == = ]] && continue
			if [[ -z $command ]]; then
				command=$w
			elif [[ $command == rm && -z $rmkind ]]; then
				rmkind=$w
			fi
			;;
		esac
	done

	case $prev in
	-t | --type | -o | --output | --sort)
		_ipcinspect_read_help "${words[0]}"
		;;
	esac
	case $prev in
	-t | --type)
		if $sysv_only; then
			_ipcinspect_comma_list "$cur" "${_ipcinspect_sysv_kinds[@]}"
		elif $no_scan; then
			_ipcinspect_comma_list "$cur" "${_ipcinspect_noscan_kinds[@]}"
		elif [[ $command == clean ]]; then
			_ipcinspect_comma_list "$cur" "${_ipcinspect_clean_kinds[@]}"
		else
			_ipcinspect_comma_list "$cur" "${_ipcinspect_kinds[@]}"
		fi
		[[ -n $eqprefix ]] && COMPREPLY=("${COMPREPLY[@]/#/$eqprefix}")
		return 0
		;;
	-o | --output | --sort)
		local -a cols=()
		local k c
		if [[ $command == limits ]]; then
			# shellcheck disable=SC2206 # the names are words
			cols=(${_ipcinspect_columns[limits]-})
		else
			if ((${#kinds[@]} == 0)); then
				if $sysv_only; then
					kinds=("${_ipcinspect_sysv_kinds[@]}")
				elif $no_scan; then
					kinds=("${_ipcinspect_noscan_kinds[@]}")
				else
					kinds=("${_ipcinspect_kinds[@]}")
				fi
			fi
			for k in "${kinds[@]}"; do
				[[ -n $k && $k != limits ]] || continue
				# shellcheck disable=SC2206 # the names are words
				cols+=(${_ipcinspect_columns[$k]-})
			done
			# each name once, in order
			mapfile -t cols < <(for c in "${cols[@]}"; do echo "$c"; done | awk '!seen[$0]++')
		fi
		if [[ $prev == --sort ]]; then
			# one column; names are matched whatever their case
			COMPREPLY=()
			for c in "${cols[@]}"; do
				[[ ${c^^} == "${cur^^}"* ]] && COMPREPLY+=("$c")
			done
		else
			_ipcinspect_comma_list "$cur" "${cols[@]}"
		fi
		[[ -n $eqprefix ]] && COMPREPLY=("${COMPREPLY[@]/#/$eqprefix}")
		return 0
		;;
	--time-format)
		mapfile -t COMPREPLY < <(compgen -W "short full iso" -- "$cur")
		[[ -n $eqprefix ]] && COMPREPLY=("${COMPREPLY[@]/#/$eqprefix}")
		return 0
		;;
	-u | --user)
		mapfile -t COMPREPLY < <(compgen -u -- "$cur")
		[[ -n $eqprefix ]] && COMPREPLY=("${COMPREPLY[@]/#/$eqprefix}")
		return 0
		;;
	-p | --pid | --namespace)
		local -a pids=(/proc/[0-9]*)
		pids=("${pids[@]#/proc/}")
		mapfile -t COMPREPLY < <(compgen -W "${pids[*]}" -- "$cur")
		[[ -n $eqprefix ]] && COMPREPLY=("${COMPREPLY[@]/#/$eqprefix}")
		return 0
		;;
	-i | --id)
		mapfile -t COMPREPLY < <(compgen -W "$(_ipcinspect_ids \
			/proc/sysvipc/shm /proc/sysvipc/msg /proc/sysvipc/sem)" -- "$cur")
		[[ -n $eqprefix ]] && COMPREPLY=("${COMPREPLY[@]/#/$eqprefix}")
		return 0
		;;
	--key)
		mapfile -t COMPREPLY < <(compgen -W "$(_ipcinspect_keys \
			/proc/sysvipc/shm /proc/sysvipc/msg /proc/sysvipc/sem)" -- "$cur")
		[[ -n $eqprefix ]] && COMPREPLY=("${COMPREPLY[@]/#/$eqprefix}")
		return 0
		;;
	-m | --shmem-id | -q | --queue-id | -s | --semaphore-id)
		local f=shm
		[[ $prev == -q || $prev == --queue-id ]] && f=msg
		[[ $prev == -s || $prev == --semaphore-id ]] && f=sem
		mapfile -t COMPREPLY < <(compgen -W "$(_ipcinspect_ids /proc/sysvipc/$f)" -- "$cur")
		[[ -n $eqprefix ]] && COMPREPLY=("${COMPREPLY[@]/#/$eqprefix}")
		return 0
		;;
	-M | --shmem-key | -Q | --queue-key | -S | --semaphore-key)
		local f=shm
		[[ $prev == -Q || $prev == --queue-key ]] && f=msg
		[[ $prev == -S || $prev == --semaphore-key ]] && f=sem
		mapfile -t COMPREPLY < <(compgen -W "$(_ipcinspect_keys /proc/sysvipc/$f)" -- "$cur")
		[[ -n $eqprefix ]] && COMPREPLY=("${COMPREPLY[@]/#/$eqprefix}")
		return 0
		;;
	--fifo-dir | --socket-dir | --textfile)
		mapfile -t COMPREPLY < <(compgen -d -- "$cur")
		[[ -n $eqprefix ]] && COMPREPLY=("${COMPREPLY[@]/#/$eqprefix}")
		return 0
		;;
	--state)
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		[[ -n $eqprefix ]] && COMPREPLY=("${COMPREPLY[@]/#/$eqprefix}")
		return 0
		;;
	--backup)
		if [[ -n $eqprefix ]]; then
			# one word "--backup=DIR": no file name quoting of the prefix
			mapfile -t COMPREPLY < <(compgen -d -- "$cur")
			COMPREPLY=("${COMPREPLY[@]/#/$eqprefix}")
		else
			_ipcinspect_dirs "$cur"
		fi
		return 0
		;;
	--interval)
		mapfile -t COMPREPLY < <(compgen -W "500ms 1s 5s 30s 1m" -- "$cur")
		[[ -n $eqprefix ]] && COMPREPLY=("${COMPREPLY[@]/#/$eqprefix}")
		return 0
		;;
	--min-age)
		mapfile -t COMPREPLY < <(compgen -W "0 90s 10m 1h 1d" -- "$cur")
		[[ -n $eqprefix ]] && COMPREPLY=("${COMPREPLY[@]/#/$eqprefix}")
		return 0
		;;
	-h | --help | -V | --version)
		return 0
		;;
	esac
	$split && return 0

	if [[ $cur == -* ]]; then
		local -a opts
		case $command in
		limits) opts=("${_ipcinspect_limits_options[@]}") ;;
		orphans) opts=("${_ipcinspect_orphans_options[@]}") ;;
		clean) opts=("${_ipcinspect_clean_options[@]}") ;;
		rm) opts=("${_ipcinspect_rm_options[@]}") ;;
		restore) opts=("${_ipcinspect_restore_options[@]}") ;;
		metrics) opts=("${_ipcinspect_metrics_options[@]}") ;;
		watch) opts=("${_ipcinspect_watch_options[@]}") ;;
		*) opts=("${_ipcinspect_list_options[@]}") ;;
		esac
		mapfile -t COMPREPLY < <(compgen -W "${opts[*]}" -- "$cur")
		return 0
	fi
	if [[ -z $command ]]; then
		mapfile -t COMPREPLY < <(compgen -W "${_ipcinspect_commands[*]}" -- "$cur")
	elif [[ $command == restore ]]; then
		# PATH...: a backup entry, or a directory of entries
		_ipcinspect_dirs "$cur"
	elif [[ $command == rm ]]; then
		_ipcinspect_read_help "${words[0]}"
		if [[ -z $rmkind ]]; then
			# "rm shm ID...", unless the objects come with -m ... -S
			mapfile -t COMPREPLY < <(compgen -W "${_ipcinspect_sysv_kinds[*]}" -- "$cur")
		else
			# the ids of a System V kind are in /proc/sysvipc/KIND
			[[ " ${_ipcinspect_sysv_kinds[*]} " == *" $rmkind "* ]] &&
				mapfile -t COMPREPLY < <(compgen -W "$(_ipcinspect_ids \
					"/proc/sysvipc/$rmkind")" -- "$cur")
		fi
	fi
	return 0
}

complete -F _ipcinspect ipcinspect

# bash completion for ipcinspect(1)
#
# Completes the command (list, limits), every option, the kinds of
# --type, the column names of --output (comma lists, with the leading "+"
# allowed; the limits columns under "limits", otherwise the columns of the
# kinds chosen with --type, or of the kinds listed by default), user names
# for --user, the ids and keys of /proc/sysvipc for --id and --key, and
# the pids of /proc for --pid.  With --no-owners, --id, --key or --user on
# the line only the System V kinds are offered: fifo and pipe need the
# process scan and have no id, key or owner.  Uses _init_completion from
# bash-completion when it is loaded and works without it.  The lists
# below must match `ipcinspect --help`; tests/ts-docs.sh checks that.

_ipcinspect_kinds=(shm msg sem fifo pipe)
_ipcinspect_sysv_kinds=(shm msg sem)

_ipcinspect_common_columns=(ID KEY PERMS UID USER GID GROUP CUID CUSER CGID CGROUP CTIME)
_ipcinspect_shm_columns=("${_ipcinspect_common_columns[@]}"
	SIZE NATTCH STATUS CPID LPID ATIME DTIME RSS SWAP ATTACHED CREATOR LAST)
_ipcinspect_msg_columns=("${_ipcinspect_common_columns[@]}"
	USED-BYTES MESSAGES LSPID LRPID STIME RTIME SENDER RECEIVER)
_ipcinspect_sem_columns=("${_ipcinspect_common_columns[@]}"
	NSEMS OTIME WAITERS SEMAPHORES SEM-ERROR)
_ipcinspect_fifo_columns=(PATH DELETED DEV INODE READERS WRITERS)
_ipcinspect_pipe_columns=(INODE READERS WRITERS FLAGS)
_ipcinspect_limits_columns=(NAME VALUE UNIT USED USE% UNLIMITED DESCRIPTION SOURCE)

_ipcinspect_list_options=(-t --type -J --json -o --output --raw -n --noheadings -b --bytes
	-i --id --key -u --user -p --pid --no-owners -h --help -V --version)
_ipcinspect_limits_options=(-J --json -o --output --raw -n --noheadings -b --bytes
	-h --help -V --version)

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

_ipcinspect()
{
	local cur prev words cword split=false
	local i w command='' eqprefix='' sysv_only=false
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

	# The command, the kinds of --type, and whether the listing is SysV
	# only, wherever they are on the line.
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
		--no-owners) sysv_only=true ;;
		-o | --output | -p | --pid) ((i++)) ;;
		-*) ;;
		=) ;;
		*)
			# the value of a split "--opt=value" is no command
			[[ ${words[i - 1]} == = ]] && continue
			[[ -z $command ]] && command=$w
			;;
		esac
	done

	case $prev in
	-t | --type)
		if $sysv_only; then
			_ipcinspect_comma_list "$cur" "${_ipcinspect_sysv_kinds[@]}"
		else
			_ipcinspect_comma_list "$cur" "${_ipcinspect_kinds[@]}"
		fi
		[[ -n $eqprefix ]] && COMPREPLY=("${COMPREPLY[@]/#/$eqprefix}")
		return 0
		;;
	-o | --output)
		local -a cols=()
		local k c
		if [[ $command == limits ]]; then
			cols=("${_ipcinspect_limits_columns[@]}")
		else
			if ((${#kinds[@]} == 0)); then
				if $sysv_only; then
					kinds=("${_ipcinspect_sysv_kinds[@]}")
				else
					kinds=("${_ipcinspect_kinds[@]}")
				fi
			fi
			for k in "${kinds[@]}"; do
				case $k in
				shm) cols+=("${_ipcinspect_shm_columns[@]}") ;;
				msg) cols+=("${_ipcinspect_msg_columns[@]}") ;;
				sem) cols+=("${_ipcinspect_sem_columns[@]}") ;;
				fifo) cols+=("${_ipcinspect_fifo_columns[@]}") ;;
				pipe) cols+=("${_ipcinspect_pipe_columns[@]}") ;;
				esac
			done
			# each name once, in order
			mapfile -t cols < <(for c in "${cols[@]}"; do echo "$c"; done | awk '!seen[$0]++')
		fi
		_ipcinspect_comma_list "$cur" "${cols[@]}"
		[[ -n $eqprefix ]] && COMPREPLY=("${COMPREPLY[@]/#/$eqprefix}")
		return 0
		;;
	-u | --user)
		mapfile -t COMPREPLY < <(compgen -u -- "$cur")
		[[ -n $eqprefix ]] && COMPREPLY=("${COMPREPLY[@]/#/$eqprefix}")
		return 0
		;;
	-p | --pid)
		local -a pids=(/proc/[0-9]*)
		pids=("${pids[@]#/proc/}")
		mapfile -t COMPREPLY < <(compgen -W "${pids[*]}" -- "$cur")
		[[ -n $eqprefix ]] && COMPREPLY=("${COMPREPLY[@]/#/$eqprefix}")
		return 0
		;;
	-i | --id)
		mapfile -t COMPREPLY < <(compgen -W "$(awk 'FNR > 1 { print $2 }' \
			/proc/sysvipc/shm /proc/sysvipc/msg /proc/sysvipc/sem 2>/dev/null |
			sort -un)" -- "$cur")
		[[ -n $eqprefix ]] && COMPREPLY=("${COMPREPLY[@]/#/$eqprefix}")
		return 0
		;;
	--key)
		# /proc prints keys as signed decimal: offer them as 0x%08x
		mapfile -t COMPREPLY < <(compgen -W "$(awk 'FNR > 1 { k = $1 + 0; if (k < 0) k += 4294967296;
			printf "0x%08x\n", k }' \
			/proc/sysvipc/shm /proc/sysvipc/msg /proc/sysvipc/sem 2>/dev/null |
			sort -u)" -- "$cur")
		[[ -n $eqprefix ]] && COMPREPLY=("${COMPREPLY[@]/#/$eqprefix}")
		return 0
		;;
	-h | --help | -V | --version)
		return 0
		;;
	esac
	$split && return 0

	if [[ $cur == -* ]]; then
		if [[ $command == limits ]]; then
			mapfile -t COMPREPLY < <(compgen -W "${_ipcinspect_limits_options[*]}" -- "$cur")
		else
			mapfile -t COMPREPLY < <(compgen -W "${_ipcinspect_list_options[*]}" -- "$cur")
		fi
		return 0
	fi
	if [[ -z $command ]]; then
		mapfile -t COMPREPLY < <(compgen -W 'list limits' -- "$cur")
	fi
	return 0
}

complete -F _ipcinspect ipcinspect

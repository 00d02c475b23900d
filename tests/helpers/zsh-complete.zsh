# zsh-complete.zsh: what zsh's completion offers at the end of each LINE,
# for tests/ts-zsh.sh.  Usage: zsh -f zsh-complete.zsh FPATH-DIR LINE...
#
# An interactive zsh in a pseudo-terminal (zsh/zpty) loads compinit with
# FPATH-DIR first in $fpath and binds TAB to a completion widget; each
# LINE is typed with a TAB after it.  compadd is wrapped: every match a
# completion function adds (after zsh's own matching against the word on
# the line) is printed with a marker, together with the ignored prefix
# ($IPREFIX: "shm," of "-t shm,"), and then added as usual; after the
# completion the widget inserts and lists nothing, prints an end marker,
# and the line is erased.  Prints, for each LINE, its matches sorted and
# unique on one line (an empty line when there are none).  Exit 3 without
# zsh/zpty, 1 when the shell does not answer within 20 s.
zmodload zsh/zpty || { print -u2 "zsh/zpty is not available"; exit 3 }
zmodload zsh/datetime || exit 3
compdir=$1
shift

# read_until MARK: the terminal's output up to MARK into $out
read_until() {
	local chunk deadline=$(( EPOCHREALTIME + 20 ))
	out=
	while [[ $out != *$1* ]]; do
		if zpty -r -t z chunk; then
			out+=$chunk
		elif (( EPOCHREALTIME < deadline )); then
			sleep 0.02
		else
			print -u2 -r -- "no $1 from zsh; it wrote: ${(q+)out}"
			return 1
		fi
	done
}

# (the markers are written split in the commands, so the terminal's echo
# of a command never contains one)
zpty z zsh -f -i || exit 1
zpty -w z "PS1= PS2= RPS1=; bindkey -e; unsetopt beep"
zpty -w z "fpath=(${(q)compdir} \$fpath); autoload -Uz compinit; compinit -u -D"
# (compadd -O, -A or -D is a query that adds nothing: _describe makes them;
# no comments in what is typed: an interactive zsh -f does not take them)
zpty -w z 'compadd() {
	local -a __m
	local __w __n=${@[(i)--]}
	if (( ${${(@)@[1,__n-1]}[(I)-[OAD]*]} )); then builtin compadd "$@"; return; fi
	builtin compadd -O __m "$@"
	for __w in $__m; do print -r -- "<M""M>$IPREFIX$__w"; done
	builtin compadd "$@"
}'
# (_main_complete empties comppostfuncs after each use: set it each time)
zpty -w z '_t_end() { compstate[insert]=; compstate[list]=; print -r -- "<E""ND>"; }'
zpty -w z '_t_complete() { comppostfuncs=(_t_end); _main_complete "$@"; }'
zpty -w z 'zle -C t-complete complete-word _t_complete; bindkey "^I" t-complete'
zpty -w z 'print -r -- "<RE""ADY>"'
read_until '<READY>' || exit 1

local -a chunks matches
local line c
for line; do
	zpty -w -n z "$line"$'\t'
	read_until '<END>' || exit 1
	chunks=(${(s:<MM>:)${:-x${out//$'\r'/$'\n'}}})
	matches=()
	for c in $chunks[2,-1]; do matches+=("${c%%$'\n'*}"); done
	print -r -- ${(j: :)${(ou)matches}}
	zpty -w -n z $'\C-u'
done
zpty -d z
exit 0

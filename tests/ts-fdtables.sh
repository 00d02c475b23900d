#!/bin/bash
# Fd tables of threads (doc/kernel-facts.md, "Fd tables of threads"),
# live: a POSIX queue, a POSIX shm object and a FIFO held open only by a
# thread that unshared its fd table (tests/helpers/fdthread), in the
# variants that matter to the walk:
# - the thread's own table only: held, by that process, with the fd;
#   clean --suspects --yes removes none of them;
# - the leader's fds copied into the thread's table (-k): one holder
#   entry per fd, not one per table;
# - the leader exited (-z) and a third thread shares the thread's table
#   (-s): still held;
# - opened by such a thread while clean is paused before its re-check:
#   kept.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"	# bash, even where make runs /bin/sh
. "${TESTS_SRCDIR:?run the tests with make check}/lib.sh" || exit 99
ns_enter "$@"
ns_check_empty
command -v jq >/dev/null || skip_all "jq not installed"
[ -n "${FDTHREAD:-}" ] || bail "FDTHREAD is not set"
[ "$$" -eq 1 ] || bail "not pid 1 of a private pid namespace"

export LC_ALL=C TZ=UTC
T=$(mktemp -d)
trap 'exec 8>&-; rm -rf "$T"' EXIT
export T
close_inherited_fds
mkdir "$T/ff"

# fdthread_start FLAGS...: the helper with a FIFO as stdin (fd 8), its
# output in $T/ft; ft_get NAME: what it printed as NAME=
fdthread_start() {
	rm -f "$T/ft.in"
	mkfifo "$T/ft.in"
	"$FDTHREAD" "$@" <"$T/ft.in" >"$T/ft" 2>"$T/ft.err" 7>&- 9>&- &
	FT_PID=$!
	exec 8>"$T/ft.in"
	helper_wait_ready "$FT_PID" "$T/ft" "$T/ft.err" fdthread
}
fdthread_stop() {
	exec 8>&-
	wait "$FT_PID"
}
ft_get() { sed -n "s|^$1=||p" "$T/ft" | head -n 1; }
# the three objects: name, verdict, holders (a FIFO's readers: the
# helper opens it read-write) as PID:FD
objects() {
	jq -r --arg f "$T/ff/f" '(.pmq[], .pshm[], (.fifo[] | select(.path == $f))) |
		[(.name // .path), .verdict, ((.holders // .readers // []) |
		map("\(.pid):\(.fd)") | join(","))] | join(" ")' "$T/out"
}
# held_by PID: objects() when PID holds all three, with the fds it printed
held_by() {
	printf 'jobs in-use %s:%s\nstate in-use %s:%s\n%s in-use %s:%s\n' "$1" "$(ft_get /jobs.fd)" \
		"$1" "$(ft_get /state.fd)" "$T/ff/f" "$1" "$(ft_get "$T/ff/f.fd")"
}
list_all() {
	ipci --json -t pmq,pshm,fifo --fifo-dir "$T/ff" 8>&-
}
clean_all() {
	ipci clean --suspects -t pmq,pshm,fifo --fifo-dir "$T/ff" --min-age 0 --include-root \
		--yes --no-syslog 8>&-
}
left() { echo "$(ls "$IPCI_MQUEUE") $(ls /dev/shm) $(ls "$T/ff")"; }

# --- held only in the thread's own table ---------------------------------------
fdthread_start pmq:/jobs pshm:/state "fifo:$T/ff/f"
P=$(ft_get pid) TID=$(ft_get tid)
is "$(readlink "/proc/$P/task/$TID/fd/$(ft_get /jobs.fd)")|$(ls "/proc/$P/fd" | sort -n | paste -sd,)" \
	"/jobs|0,1,2" "oracle: the queue is in the thread's table, the leader holds stdio only"
list_all
is "$rc|$(objects)" "0|$(held_by "$P")" \
	"list: the objects only a thread with its own fd table holds are in use, held by its process"
clean_all
is "$rc|$(tail -n 1 "$T/out")|$(left)" \
	"0|0 removed (0B freed), 0 marked, 0 kept, 0 skipped, 0 already gone, 0 failed|jobs state f" \
	"clean --suspects --yes: removes none of them"
fdthread_stop

# --- the leader's fds copied into the thread's table ---------------------------------
fdthread_start -k pmq:/jobs pshm:/state "fifo:$T/ff/f"
P=$(ft_get pid)
list_all
is "$rc|$(objects)" "0|$(held_by "$P")" \
	"list: an fd in both the leader's table and the thread's copy is one holder"
fdthread_stop

# --- the leader exited; two threads share the other table ------------------------------
fdthread_start -z -s pmq:/jobs pshm:/state "fifo:$T/ff/f"
P=$(ft_get pid)
is "$(awk '/^State:/ { print $2 }' "/proc/$P/status")|$(ls "/proc/$P/task" | wc -l)" "Z|3" \
	"oracle: the leader is a zombie, two threads live on"
list_all
is "$rc|$(objects)" "0|$(held_by "$P")" \
	"list: a zombie leader's threads that share a table of their own hold the objects"
clean_all
is "$rc|$(left)" "0|jobs state f" "clean --suspects --yes: removes none of them"
fdthread_stop
is "$(left)" "  " "the helper removed what it made"

# --- kcmp refused (a seccomp profile): tables read one by one, up to 16 threads --------
nokcmp() {	# nokcmp ARGS...: ipci, with every kcmp refused
	"$REFUSE" kcmp "$IPCINSPECT" "$@" </dev/null >"$T/out" 2>"$T/err" 7>&- 8>&- 9>&-
	rc=$?
	json_keep "$T/out" "$rc" "$@"
}
fdthread_start pmq:/jobs pshm:/state "fifo:$T/ff/f"
P=$(ft_get pid)
nokcmp --json -t pmq,pshm,fifo --fifo-dir "$T/ff"
is "$rc|$(objects)" "0|$(held_by "$P")" \
	"kcmp refused, 2 threads: each thread's table read, the objects in use, held by its process"
fdthread_stop
fdthread_start -n 20 pmq:/jobs pshm:/state "fifo:$T/ff/f"
P=$(ft_get pid)
is "$(ls "/proc/$P/task" | wc -l)" 22 "oracle: a process of 22 threads, one with a table of its own"
list_all
is "$rc|$(objects)" "0|$(held_by "$P")" \
	"kcmp allowed, 22 threads: the table of its own found, the objects in use"
nokcmp --json -t pmq,pshm,fifo --fifo-dir "$T/ff"
is "$rc|$(objects | tr '\n' '|')$(jq -c '[.scan.unreadable, .scan.complete, .pmq[0].reasons]' "$T/out")" \
	"0|jobs unknown |state unknown |$T/ff/f unknown |[1,false,[\"1 process unreadable\"]]" \
	"kcmp refused, 22 threads: that process unreadable, the objects unknown, never unheld"
nokcmp clean --suspects -t pmq,pshm,fifo --fifo-dir "$T/ff" --min-age 0 --include-root --yes --no-syslog
is "$rc|$(left)" "0|jobs state f" "kcmp refused: clean --suspects --yes removes none of them"
fdthread_stop

# --- opened by such a thread right before clean's re-check -----------------------------
# clean pauses right before its re-check (the second open of /proc: the
# first is the listing's); then a thread with its own table opens the
# object, which nobody held when it was judged
: >/dev/shm/late
pshm_clean() {
	"$IPCINSPECT" clean -t pshm --suspects --include-root --min-age 0 --yes --no-syslog \
		</dev/null >"$T/out" 2>"$T/err" 7>&- 8>&- 9>&-
}
preload_pause_start open@/proc 2 pshm_clean
preload_wait_paused
ok $? "clean paused right before its re-check"
fdthread_start pshm:/late
preload_resume
is "$PRELOAD_RC|$(head -n 1 "$T/out")|$(ls /dev/shm)" \
	"0|skipped pshm /dev/shm/late owner root size 0B: opened or mapped by a process since it was judged (suspect: nobody holds it open or maps it)|late" \
	"clean: an object a thread with its own table opened before the re-check is kept"
fdthread_stop

done_testing

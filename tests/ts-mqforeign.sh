#!/bin/bash
# An mqueue mount is one IPC namespace's (doc/kernel-facts.md, "POSIX
# objects"), live, in the private namespaces lib.sh makes: after
# `unshare --ipc` without a new mount, the mqueue mount seen is the
# parent namespace's.  ipcinspect run in such a child namespace (through
# nsenter, or with --namespace from the parent) must not list the
# parent's queues as the child's, nor clean them: pmq is unavailable
# with a warning.  Told by an mq_open (read-only) of a queue of the
# directory from inside the namespace: not found there (ENOENT), or a
# queue of the same name on another device.  An empty directory says
# nothing wrong and lists nothing; the parent lists its own queues.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"	# bash, even where make runs /bin/sh
. "${TESTS_SRCDIR:?run the tests with make check}/lib.sh" || exit 99
ns_enter "$@"
ns_check_empty
command -v jq >/dev/null || skip_all "jq not installed"
command -v nsenter >/dev/null || skip_all "nsenter not installed"

export LC_ALL=C TZ=UTC
T=$(mktemp -d)
STARTED=()
trap 'for p in "${STARTED[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$T"' EXIT
export T MKIPC
close_inherited_fds
MQ=${IPCI_MQUEUE:-/dev/mqueue}
FOREIGN="another IPC namespace's mqueue file system (a queue in it is not one of this namespace's): pmq objects are not listed"

# A child IPC namespace, same mount namespace: one process keeps it.
unshare --ipc sleep 1000 </dev/null >/dev/null 2>&1 9>&- &
C=$!
STARTED+=("$C")
for i in $(seq 100); do
	[ "$(stat -L -c %i "/proc/$C/ns/ipc" 2>/dev/null)" != "$(stat -L -c %i /proc/self/ns/ipc)" ] && break
	sleep 0.05
done
ok "$([ "$(stat -L -c %i "/proc/$C/ns/ipc")" != "$(stat -L -c %i /proc/self/ns/ipc)" ]; echo $?)" \
	"process $C is in an IPC namespace of its own"
in_child() { nsenter --ipc="/proc/$C/ns/ipc" "$@"; }

# --- an empty directory: nothing can be wrong -----------------------------------
in_child "$IPCINSPECT" --json -t pmq </dev/null >"$T/out" 2>"$T/err" 9>&-
rc=$?
json_keep "$T/out" "$rc" --json -t pmq
is "$rc|$(jq -c '[.warnings, .pmq]' "$T/out")" "0|[[],[]]" \
	"child, the parent's mount empty: no queue, no warning of it"

# --- the parent's queue, nobody holds it ----------------------------------------
mkipc_start pmq:pq,path=/parentq,close
ipci --json -t pmq
is "$rc|$(jq -c '[.warnings, [.pmq[] | [.name, .verdict]]]' "$T/out")" \
	"0|[[],[[\"parentq\",\"suspect\"]]]" "the parent lists its queue: a suspect"

in_child "$IPCINSPECT" --json -t pmq </dev/null >"$T/out" 2>"$T/err" 9>&-
rc=$?
json_keep "$T/out" "$rc" --json -t pmq
is "$rc|$(jq -c '[.warnings, .pmq]' "$T/out")" "0|[[\"$MQ: $FOREIGN\"],null]" \
	"child: the mount is the parent's (mq_open finds no parentq here): pmq unavailable, a warning"
in_child "$IPCINSPECT" --noheadings -t pmq </dev/null >"$T/out" 2>"$T/err" 9>&-
is "$?|$(cat "$T/out")|$(grep -c "^ipcinspect: warning: $MQ: another IPC namespace's" "$T/err")" \
	"0||1" "child, table: no queue listed, the warning on stderr"
ipci --namespace "$C" --json -t pmq
is "$rc|$(jq -c '[.warnings, .pmq]' "$T/out")" \
	"0|[[\"/proc/$C/root$MQ: $FOREIGN\"],null]" \
	"--namespace $C from the parent: the same, through its root"
in_child "$IPCINSPECT" clean --yes --suspects -t pmq --min-age 0 --include-root --no-syslog \
	</dev/null >"$T/out" 2>"$T/err" 9>&-
is "$?|$(cat "$T/out")|$(ls -A "$MQ")" \
	"0|0 removed (0B freed), 0 marked, 0 kept, 0 skipped, 0 already gone, 0 failed|parentq" \
	"child, clean --yes --suspects: the parent's queue is not removed"

# --- a queue of the same name in the child: another device ----------------------
mkfifo "$T/c.in"
in_child "$MKIPC" pmq:cq,path=/parentq,close <"$T/c.in" >"$T/c.out" 2>"$T/c.err" 9>&- &
CM=$!
STARTED+=("$CM")
exec 8>"$T/c.in"
helper_wait_ready "$CM" "$T/c.out" "$T/c.err" "the child's mkipc"
PD=$(mkipc_get pq.dev) CD=$(sed -n 's/^cq.dev=//p' "$T/c.out")
ok "$([ -n "$CD" ] && [ -n "$PD" ] && [ "$CD" != "$PD" ]; echo $?)" \
	"the child's /parentq is on another device ($CD) than the parent's ($PD)"
is "$(ls -A "$MQ")" parentq "the mount still shows the parent's queue only"
in_child "$IPCINSPECT" --json -t pmq </dev/null >"$T/out" 2>"$T/err" 9>&-
rc=$?
json_keep "$T/out" "$rc" --json -t pmq
is "$rc|$(jq -c '[.warnings, .pmq]' "$T/out")" "0|[[\"$MQ: $FOREIGN\"],null]" \
	"child with its own /parentq: opened, on another device: still the parent's mount, unavailable"
in_child "$IPCINSPECT" clean --yes --suspects -t pmq --min-age 0 --include-root --no-syslog \
	</dev/null >"$T/out" 2>"$T/err" 9>&-
is "$?|$(ls -A "$MQ")" "0|parentq" "child, clean --yes --suspects: the parent's queue is still not removed"
exec 8>&-
wait "$CM"
mkipc_stop

done_testing

#!/bin/bash
# A real Apache httpd (Debian's apache2) in the test's private IPC + PID +
# mount + net namespace: the prefork MPM with two Listen lines on
# 127.0.0.1 (our own loopback) and `Mutex sysvsem default`, which makes
# the accept mutex a SysV semaphore set (the classic "Couldn't create
# accept lock" leak).  While it runs, the set is in use and no clean
# removes it; after SIGKILL of all its processes it is a suspect,
# `clean --suspects --include-root` removes it, and Apache starts again.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"	# bash, even where make runs /bin/sh
. "${TESTS_SRCDIR:?run the tests with make check}/lib.sh" || exit 99
ns_enter "$@"
ns_check_empty
command -v jq >/dev/null || skip_all "jq not installed"
APACHE=$(command -v apache2 || ls /usr/sbin/apache2 2>/dev/null)
MODS=/usr/lib/apache2/modules
[ -n "$APACHE" ] && [ -f "$MODS/mod_mpm_prefork.so" ] || skip_all "Apache not installed (Debian: apache2)"
command -v ip >/dev/null || skip_all "ip not installed"
[ -z "${IPCI_USERNS:-}" ] || skip_all "needs the real user www-data: not in a user namespace"
id www-data >/dev/null 2>&1 || skip_all "no user www-data"
ip link set lo up || bail "cannot bring up lo in our net namespace"

export LC_ALL=C TZ=UTC
T=$(mktemp -d)
chmod 755 "$T"
mkdir "$T/htdocs" && echo hello >"$T/htdocs/index.html"
cat >"$T/httpd.conf" <<CONF
ServerRoot "$T"
ServerName localhost
PidFile $T/httpd.pid
ErrorLog $T/error.log
LoadModule mpm_prefork_module $MODS/mod_mpm_prefork.so
LoadModule authz_core_module $MODS/mod_authz_core.so
User www-data
Group www-data
Listen 127.0.0.1:18080
Listen 127.0.0.1:18081
Mutex sysvsem default
StartServers 2
MinSpareServers 1
MaxSpareServers 3
DocumentRoot "$T/htdocs"
CONF

apache_pids() {	# every apache2 process of this PID namespace
	local p
	for p in /proc/[0-9]*; do
		[ "$(cat "$p/comm" 2>/dev/null)" = apache2 ] && echo "${p#/proc/}"
	done
}
stop_all() { local p; for p in $(apache_pids); do kill -9 "$p" 2>/dev/null; done; }
trap 'stop_all; rm -rf "$T"' EXIT
close_inherited_fds

apache_start() {
	rm -f "$T/httpd.pid"
	timeout 30 "$APACHE" -f "$T/httpd.conf" -k start >"$T/start.out" 2>&1 || return 1
	local i
	for i in $(seq 100); do [ -s "$T/httpd.pid" ] && return 0; sleep 0.1; done
	return 1
}
get() {	# get PORT: the body of GET /index.html on 127.0.0.1:PORT
	timeout 10 bash -c 'exec 3<>/dev/tcp/127.0.0.1/$1 && printf "GET /index.html HTTP/1.0\r\nHost: localhost\r\n\r\n" >&3 && cat <&3' sh "$1" 2>/dev/null | tail -n 1
}
sem_ids() { awk 'NR > 1 { print $2 }' /proc/sysvipc/sem | paste -sd' '; }

apache_start || { cat "$T/start.out" "$T/error.log"; bail "Apache did not start"; }
is "$(get 18080)|$(get 18081)" "hello|hello" "Apache answers on both ports"
SEM=$(sem_ids)
is "$(awk 'NR > 1 { print $4, $5 }' /proc/sysvipc/sem)" "1 $(id -u www-data)" \
	"its accept mutex: one SysV semaphore set (id $SEM) of one semaphore, owned by www-data"
ipci --json -t sem
is "$rc|$(jq -r '.sem[0].verdict' "$T/out")" "0|in-use" "while Apache runs, the set is in use"
ipci clean --json --yes --suspects --include-root --min-age 0 --even-if-owner-runs --no-syslog -t sem
is "$rc|$(jq -c '[.summary.removed, .summary.marked]' "$T/out")|$(sem_ids)" "0|[0,0]|$SEM" \
	"clean --yes --suspects --include-root --min-age 0 --even-if-owner-runs: the set stays"
ipci rm -s "$SEM" --no-syslog
is "$rc|$(grep -c "rm semaphore set $SEM: in-use" "$T/err")|$(sem_ids)" "1|1|$SEM" "rm -s without --force: refused, the set is in use"
is "$(get 18080)|$(get 18081)" "hello|hello" "Apache still answers on both ports"

pids=$(apache_pids | paste -sd' ')
kill -9 $pids
for i in $(seq 100); do [ -z "$(apache_pids)" ] && break; sleep 0.1; done
is "$(apache_pids)" "" "all of Apache killed with SIGKILL: $pids"
is "$(sem_ids)" "$SEM" "its semaphore set is left behind"
ipci orphans --json -t sem
is "$rc|$(jq -c '[.sem[] | [.id, .verdict]]' "$T/out")" "0|[[$SEM,\"suspect\"]]" "orphans: the set is a suspect"
ipci clean --json --yes --suspects --include-root --min-age 0 --no-syslog -t sem
is "$rc|$(jq -c '[.actions[] | [.id, .action]]' "$T/out")|$(sem_ids)" "0|[[$SEM,\"removed\"]]|" \
	"clean --suspects --include-root removes it"
apache_start || { cat "$T/start.out"; tail -5 "$T/error.log"; }
is "$(get 18080)|$(get 18081)" "hello|hello" "Apache starts again and answers"
ipci --json -t sem
is "$(jq -c '[.sem[] | .verdict]' "$T/out")" '["in-use"]' "its new set is in use"
timeout 30 "$APACHE" -f "$T/httpd.conf" -k stop >/dev/null 2>&1
for i in $(seq 100); do [ -z "$(apache_pids)" ] && break; sleep 0.1; done
is "$(apache_pids)|$(sem_ids)" "|" "Apache stopped, and removed its set itself"

done_testing

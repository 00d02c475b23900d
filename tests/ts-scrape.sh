#!/bin/bash
# A live scrape: inside the test's private network namespace, Debian's
# prometheus-node-exporter listens on 127.0.0.1 with only its textfile
# collector, pointed at the directory `ipcinspect metrics --textfile`
# writes; curl scrapes it and finds ipcinspect's series with the values
# of the namespace's objects, and no textfile error.  The exporter is
# stopped at the end; the host's (if any) is never touched: its port is
# in another network namespace.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"	# bash, even where make runs /bin/sh
. "${TESTS_SRCDIR:?run the tests with make check}/lib.sh" || exit 99
ns_enter "$@"
ns_check_empty
NODE_EXPORTER=$(command -v prometheus-node-exporter || command -v node_exporter) ||
	skip_all "node exporter not installed (Debian: prometheus-node-exporter)"
command -v curl >/dev/null || skip_all "curl not installed"
command -v ip >/dev/null || skip_all "ip not installed (Debian: iproute2)"
# A listener on loopback and a mount over /proc: only in the namespaces
# lib.sh made.
[ "$$" -eq 1 ] || bail "not inside the private namespace (pid $$): refusing to listen"

export LC_ALL=C TZ=UTC
T=$(mktemp -d)
NE_PID=
stop_exporter() {
	[ -n "$NE_PID" ] || return 0
	kill "$NE_PID" 2>/dev/null
	wait "$NE_PID" 2>/dev/null
	NE_PID=
}
trap 'stop_exporter; rm -rf "$T"' EXIT

ip link set lo up || skip_all "cannot bring up loopback in the private network namespace"
# the namespace is ours alone: nothing else listens in it, any port is free
PORT=19417
mkdir "$T/textfile"

mkipc_start shm:a,size=5000,attach=1 shm:o,size=12345,creator=child msg:q,send=1:10
ipci metrics --textfile "$T/textfile"
is "$rc/$(err)" "0/" "metrics --textfile into the exporter's directory"

"$NODE_EXPORTER" --web.listen-address="127.0.0.1:$PORT" --collector.disable-defaults \
	--collector.textfile --collector.textfile.directory="$T/textfile" \
	>"$T/ne.log" 2>&1 &
NE_PID=$!
i=0
until curl -sf -o "$T/scrape" "http://127.0.0.1:$PORT/metrics"; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 "$NE_PID" 2>/dev/null; then
		sed 's/^/# /' "$T/ne.log"
		bail "node exporter did not answer on 127.0.0.1:$PORT"
	fi
	sleep 0.1
done
ok 0 "node exporter answers on 127.0.0.1:$PORT in the private network namespace"

series() { grep "^$1 " "$T/scrape" | awk '{ print $2 }'; }
is "$(series ipcinspect_up)" 1 "the scrape has ipcinspect_up 1"
is "$(series 'ipcinspect_objects{kind="shm",verdict="orphan"}')" 1 \
	"the scrape has the orphaned segment in ipcinspect_objects"
is "$(series 'ipcinspect_objects{kind="shm",verdict="in-use"}')" 1 \
	"... and the segment in use"
is "$(series 'ipcinspect_object_bytes{kind="msg",verdict="in-use"}')" 10 \
	"... and the 10 bytes queued in ipcinspect_object_bytes"
is "$(series node_textfile_scrape_error)" 0 "node_textfile_scrape_error 0"
is "$(grep -c '^ipcinspect_' "$T/scrape")" "$(grep -c '^ipcinspect_' "$T/textfile/ipcinspect.prom")" \
	"every sample of the textfile is in the scrape"

# a failed run's file is scraped too: the alert's ipcinspect_up 0
mount -t tmpfs ipci-hide /proc/sysvipc || bail "cannot hide /proc/sysvipc"
ipci metrics --textfile "$T/textfile"
umount /proc/sysvipc
curl -sf -o "$T/scrape" "http://127.0.0.1:$PORT/metrics"
is "$rc|$(series ipcinspect_up)|$(series node_textfile_scrape_error)" "1|0|0" \
	"after a failed collection the scrape has ipcinspect_up 0, and no textfile error"

pid=$NE_PID
stop_exporter
kill -0 "$pid" 2>/dev/null
is "$?" 1 "the exporter is stopped"
mkipc_stop
done_testing

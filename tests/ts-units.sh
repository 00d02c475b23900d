#!/bin/bash
# ts-units: the systemd units `make install` installs pass `systemd-analyze
# verify` with the ipcinspect they name installed beside them, run the
# commands the units promise (metrics into node_exporter's textfile
# directory, a dry-run clean), never both timers enabled by themselves, and
# keep their sandbox (the exposure `systemd-analyze security` scores).
# The units are installed into a scratch root (DESTDIR) with the system's
# own targets copied in, and verified with --root: no systemd as PID 1 is
# needed, and the host's unit directory is never read for them or written.
# Needs no namespace and no IPC object; skipped without systemd-analyze,
# or when configure was told to install no units.

[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

# shellcheck source=tests/lib.sh
. "${TESTS_SRCDIR:?run the tests with make check}/lib.sh" || exit 99

command -v systemd-analyze >/dev/null || skip_all "systemd-analyze not installed"
builddir=${IPCINSPECT%/src/ipcinspect}
# a make of its own: not the jobs, flags and variables of the make check
# that runs this test
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
[ -f "$builddir/Makefile" ] || bail "no Makefile beside $IPCINSPECT"
unitdir=$(make -s -C "$builddir" --no-print-directory print-systemdsystemunitdir 2>/dev/null)
[ -n "$unitdir" ] || bail "make print-systemdsystemunitdir said nothing"
[ "$unitdir" != no ] || skip_all "configured --with-systemdsystemunitdir=no"

TMP=$(mktemp -d) || bail "mktemp failed"
trap 'rm -rf "$TMP"' EXIT
root=$TMP/root

make -s -C "$builddir" --no-print-directory install DESTDIR="$root" >"$TMP/install.log" 2>&1
st=$?
ok $st "make install DESTDIR=... installs"
[ $st -eq 0 ] || sed 's/^/# /' "$TMP/install.log"
bindir=$(make -s -C "$builddir" --no-print-directory print-bindir 2>/dev/null)

units="ipcinspect-metrics.service ipcinspect-metrics.timer ipcinspect-clean.service ipcinspect-clean.timer
	ipcinspect-watch.service"
for u in $units; do
	[ -f "$root$unitdir/$u" ]
	ok $? "$u is installed in $unitdir"
done
is "$(cd "$root$unitdir" && ls)" "$(printf '%s\n' $units | sort)" "exactly the five units are installed"
[ -x "$root$bindir/ipcinspect" ] || bail "no $bindir/ipcinspect under the install root"

# what the units start
is "$(grep '^ExecStart=' "$root$unitdir/ipcinspect-metrics.service")" \
	"ExecStart=$bindir/ipcinspect metrics --all-namespaces --textfile /var/lib/prometheus/node-exporter" \
	"the metrics service writes into node_exporter's textfile directory"
is "$(grep '^ExecStart=' "$root$unitdir/ipcinspect-clean.service")" \
	"ExecStart=$bindir/ipcinspect clean" "the clean service is a dry run"
is "$(grep '^ExecStart=' "$root$unitdir/ipcinspect-watch.service")" \
	"ExecStart=$bindir/ipcinspect watch --state /var/lib/ipcinspect/creators.json" \
	"the watch service writes its events to the journal, as text, and keeps the creators in its state directory"
is "$(grep -e '^StateDirectory' -e '^Restart=' -e '^Type=' "$root$unitdir/ipcinspect-watch.service" |
	tr '\n' ' ')" "Type=simple Restart=on-failure StateDirectory=ipcinspect StateDirectoryMode=0700 " \
	"the watch service: simple, restarted on failure, a state directory of root's alone"
is "$(grep -c '@[a-z]*@' "$root$unitdir"/*.service)" "$(printf '%s\n' \
	"$root$unitdir/ipcinspect-clean.service:0" "$root$unitdir/ipcinspect-metrics.service:0" \
	"$root$unitdir/ipcinspect-watch.service:0")" \
	"no @placeholder@ is left in the services"
is "$(sed -n 's/^#   ExecStart=\(.\)/\1/p' "$root$unitdir/ipcinspect-clean.service")" \
	"$bindir/ipcinspect clean --yes --backup /var/lib/ipcinspect/backup" \
	"the clean service's comment shows the override that acts, with --backup"
is "$(grep -h -e '^OnUnitActiveSec=' -e '^OnCalendar=' "$root$unitdir"/*.timer | sort | tr '\n' ' ')" \
	"OnCalendar=daily OnUnitActiveSec=1min " "metrics every minute, clean daily"

# verify_root UNIT...: tests/helpers/verify-units.sh in the scratch root
verify_root() {
	bash "$TESTS_SRCDIR/helpers/verify-units.sh" "$root" "$unitdir" "$@"
}
# shellcheck disable=SC2086 # the unit names are words
is "$(verify_root $units)" "exit 0" "systemd-analyze verify passes on the five units"

# the check has teeth: a misspelt key and a missing binary are found
cp "$root$unitdir/ipcinspect-clean.service" "$TMP/clean.service"
sed -i 's/^Nice=/Nicety=/' "$root$unitdir/ipcinspect-clean.service"
verify_root ipcinspect-clean.service | grep -q "Unknown key 'Nicety'"
ok $? "systemd-analyze verify reports a misspelt key"
cp "$TMP/clean.service" "$root$unitdir/ipcinspect-clean.service"
mv "$root$bindir/ipcinspect" "$TMP/ipcinspect"
verify_root ipcinspect-metrics.service | grep -q "is not executable"
ok $? "systemd-analyze verify reports the binary missing"
mv "$TMP/ipcinspect" "$root$bindir/ipcinspect"

# The sandbox stays: each service scores 2.5 or less ("OK") in systemd's
# exposure scale (0 is best, 10 worst; the metrics file must be readable by
# node_exporter's user, and its UMask=0022 costs 0.1); offline scoring
# needs systemd >= 250.
for s in metrics clean watch; do
	if ! systemd-analyze --help 2>/dev/null | grep -q -- '--offline'; then
		tap_n=$((tap_n + 1))
		echo "ok $tap_n # SKIP systemd-analyze security --offline is not in this systemd"
		continue
	fi
	score=$(systemd-analyze security --offline=true "$root$unitdir/ipcinspect-$s.service" 2>&1 |
		sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
	awk -v s="$score" 'BEGIN { exit !(s != "" && s <= 2.5) }'
	ok $? "ipcinspect-$s.service exposure ${score:-(none)} <= 2.5"
done

done_testing

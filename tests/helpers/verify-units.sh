#!/bin/bash
# verify-units.sh ROOT UNITDIR UNIT...: systemd-analyze verify of the units
# installed under ROOT (a DESTDIR, or a package unpacked with dpkg-deb -x)
# in UNITDIR, with --root=ROOT, so no systemd as PID 1 is needed and the
# host's unit directory is never read for them.  The system's own targets
# (sysinit.target, timers.target, ...) the units' defaults pull in are
# copied into ROOT first, from where this systemd keeps them.  Prints what
# systemd-analyze says (every line a finding: it only warns about an
# unknown key) and "exit N", its status.  Used by tests/ts-units.sh and by
# the package stage of .ci/run.
root=${1:?usage: verify-units.sh ROOT UNITDIR UNIT...}
unitdir=${2:?usage: verify-units.sh ROOT UNITDIR UNIT...}
shift 2
sysunits=$(pkg-config --variable=systemdsystemunitdir systemd 2>/dev/null)
for d in "$sysunits" /usr/lib/systemd/system /lib/systemd/system; do
	[ -n "$d" ] && [ -f "$d/sysinit.target" ] && { sysunits=$d; break; }
done
[ -f "$sysunits/sysinit.target" ] || { echo "cannot find the system's sysinit.target"; echo "exit 1"; exit 0; }
mkdir -p "$root/usr/lib/systemd/system" || { echo "exit 1"; exit 0; }
for t in "$sysunits"/*.target; do
	# (a unit of ours the host has installed too is not copied over ours)
	[ -e "$root$unitdir/${t##*/}" ] || cp "$t" "$root/usr/lib/systemd/system/"
done
# systemd-analyze --root finds units only in systemd's own directories:
# those installed elsewhere (a prefix of make distcheck) are verified from
# a copy in ROOT's /etc/systemd/system
case $unitdir in
/lib/systemd/system | /usr/lib/systemd/system | /etc/systemd/system) ;;
*)
	mkdir -p "$root/etc/systemd/system" &&
		for u; do cp "$root$unitdir/$u" "$root/etc/systemd/system/" || exit 1; done
	unitdir=/etc/systemd/system
	;;
esac
paths=()
for u; do paths+=("$unitdir/$u"); done
systemd-analyze verify --man=no --root="$root" "${paths[@]}" 2>&1
echo "exit $?"

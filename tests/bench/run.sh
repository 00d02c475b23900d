#!/bin/sh
# The benchmark (make bench): ipcinspect against a floor program and its
# peers, on a load made by tests/bench/loadgen inside a private IPC + PID
# + mount namespace, so the host's objects are never seen or touched.
#
#   run.sh [small|medium|large [REPS]]     (default: small 5)
#   env: IPCINSPECT  the ipcinspect binary
#        BENCH_BIN   the directory holding loadgen, floor and measure
#        RESULTS_DIR where SCALE.txt, SCALE.json and SCALE.runs go
#                    (default: ./bench-results)
#   Paths must not hold blanks: measure splits the timed commands on them.
#   Needs bash (inside the namespace), jq, util-linux (lsipc, ipcs, lsfd).
#
# Steps: make the load; check that ipcinspect --json lists exactly what
# loadgen made (and that the floor read it all); then time every entry
# round-robin with tests/bench/measure, REPS rounds after one warm-up, and
# write the medians and their ratios to the floor and to the peers; then
# the CPU an idle `ipcinspect watch` takes per interval.  The
# machine may be shared and noisy: only ratios within one run mean much.
# Exit 0 (after a SKIP line) where no namespace can be made; 1 when the
# check or a command fails; 2 on bad usage.
set -u

scale=${1:-small}
reps=${2:-5}
: "${RESULTS_DIR:=$PWD/bench-results}"

die() {
	echo "bench: $*" >&2
	exit 1
}

case $scale in small | medium | large) ;; *) echo "usage: run.sh [small|medium|large [REPS]]" >&2; exit 2 ;; esac
case $reps in '' | *[!0-9]*) echo "run.sh: REPS must be a positive number" >&2; exit 2 ;; esac
[ "$reps" -ge 1 ] || { echo "run.sh: REPS must be at least 1" >&2; exit 2; }
[ -x "${IPCINSPECT:-}" ] || die "IPCINSPECT must name the ipcinspect binary"
for p in loadgen floor measure; do
	[ -x "${BENCH_BIN:-}/$p" ] || die "BENCH_BIN must hold $p (make bench builds it)"
done
for t in bash jq lsipc ipcs lsfd unshare mount; do
	command -v "$t" >/dev/null || die "$t is not installed"
done

# Re-run this script as pid 1 of a private IPC + PID + mount namespace;
# root makes them directly, anyone else through a user namespace.  Inside,
# it runs under bash: dash cannot close fds above 9 (exec 10>&- runs a
# command named 10 and the shell exits 127).
ns_run() { unshare --ipc --pid --mount --net --fork --mount-proc "$@"; }
if [ -z "${BENCH_IN_NS:-}" ]; then
	BENCH_IN_NS=1
	export BENCH_IN_NS
	if ns_run true 2>/dev/null; then
		ns_run bash "$0" "$scale" "$reps"
		exit $?
	elif ns_run --user --map-root-user true 2>/dev/null; then
		ns_run --user --map-root-user bash "$0" "$scale" "$reps"
		exit $?
	fi
	echo "bench: SKIP: cannot create a private IPC+PID+mount namespace"
	exit 0
fi

# --- inside the namespace ---------------------------------------------------

# Close what make handed down (jobserver pipes), so the listing holds only
# the load and this script's own FIFO.
for f in "/proc/$$/fd/"*; do
	n=${f##*/}
	case $n in 0 | 1 | 2 | 255) continue ;; esac
	[ "$(readlink "$f" 2>/dev/null)" = "$(readlink -f "$0")" ] && continue
	eval "exec $n>&-" 2>/dev/null
done
[ "$(cat /proc/sysvipc/shm /proc/sysvipc/msg /proc/sysvipc/sem | grep -vc key)" -eq 0 ] ||
	die "the IPC namespace is not empty: not a private one"
# POSIX IPC: a private /dev/shm and mqueue mount, so the host's are never
# seen (the mount namespace is private: the host sees neither)
mount -t tmpfs -o mode=1777 bench-shm /dev/shm || die "cannot mount a tmpfs on /dev/shm"
umount -a -t mqueue 2>/dev/null
# /dev and /tmp are the host's: never make a directory there (/media is
# covered in this namespace only)
mq=/dev/mqueue
[ -d "$mq" ] || mq=/media
mount -t mqueue bench-mqueue "$mq" || die "cannot mount an mqueue file system"

# Everything made on disk (FIFOs, listings) goes to a tmpfs of this mount
# namespace only.
work=$(mktemp -d) || die "mktemp failed"
lg_pid=
cleanup() {
	exec 9>&- 2>/dev/null
	[ -n "$lg_pid" ] && wait "$lg_pid" 2>/dev/null
	umount "$work" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM	# pid 1 of a namespace ignores signals it has no handler for
mount -t tmpfs -o mode=0700 bench "$work" || die "cannot mount a tmpfs on $work"
mkdir "$work/fifos" "$RESULTS_DIR" 2>/dev/null
[ -d "$RESULTS_DIR" ] || die "cannot make $RESULTS_DIR"

# Start loadgen with a FIFO as stdin (it ends when fd 9 closes) and wait
# for "ready".
start=$(date +%s.%N)
mkfifo "$work/ctl"
"$BENCH_BIN/loadgen" "$scale" "$work/fifos" <"$work/ctl" >"$work/load" 2>"$work/load.err" &
lg_pid=$!
exec 9>"$work/ctl"
i=0
until grep -qx ready "$work/load"; do
	i=$((i + 1))
	if [ $i -gt 3000 ] || ! kill -0 "$lg_pid" 2>/dev/null; then
		cat "$work/load.err" >&2
		die "loadgen did not get ready"
	fi
	sleep 0.1
done
made_in=$(echo "$start $(date +%s.%N)" | awk '{ printf "%.1f", $2 - $1 }')
load() { sed -n "s/^$1=//p" "$work/load"; }

# --- the check: what ipcinspect lists is what loadgen made ------------------
# The load lives in a PID namespace of the benchmark's own, where nothing
# outside holds it: say so (--no-outside-holders), so that ipcinspect
# does the work of a host's listing.  A binary from before the option
# (a baseline build) does that work anyway.
ipci=$IPCINSPECT
"$IPCINSPECT" --help 2>/dev/null | grep -q -e --no-outside-holders &&
	ipci="$IPCINSPECT --no-outside-holders"

status=0
check() {	# check NAME GOT WANT
	if [ "$2" = "$3" ]; then
		printf '  %-22s %10s  ok\n' "$1" "$2"
	else
		printf '  %-22s %10s  MISMATCH: loadgen made %s\n' "$1" "$2" "$3"
		status=1
	fi
}

$ipci --json >"$work/list.json" || die "ipcinspect --json failed"
# Pipes and FIFOs are loadgen's when every holder is one of its holders
# (this script's FIFO to loadgen is not).
jq -r '
	def mine: ([.readers[], .writers[]] | length > 0) and
		all(.readers[], .writers[]; .comm == "lg-holder");
	[.pipe[] | select(mine)] as $p | [.fifo[] | select(mine)] as $f |
	"shm \(.shm | length)",
	"shm_orphans \([.shm[] | select(.nattch == 0 and .creator.alive == false)] | length)",
	"attachments \([.shm[].attached[].mappings] | add // 0)",
	"shm_removed_attached \([.shm[] | select(.status | index("dest"))] | length)",
	"msg \(.msg | length)",
	"messages \([.msg[].messages] | add // 0)",
	"msg_bytes \([.msg[].used_bytes] | add // 0)",
	"sem \(.sem | length)",
	"semaphores \([.sem[].semaphores[]] | length)",
	"sem_waiters \([.sem[].waiters] | add // 0)",
	"pipes \($p | length)",
	"pipe_readers \([$p[].readers[]] | length)",
	"pipe_writers \([$p[].writers[]] | length)",
	"fifos \($f | length)",
	"fifos_deleted \([$f[] | select(.deleted)] | length)",
	"fifo_readers \([$f[].readers[]] | length)",
	"fifo_writers \([$f[].writers[]] | length)"
' "$work/list.json" >"$work/counts" || die "jq could not read ipcinspect's JSON"
echo "bench: scale $scale, load made in ${made_in}s; ipcinspect --json lists:"
while read -r name got; do
	check "$name" "$got" "$(load "$name")"
done <"$work/counts"

$ipci --json --no-owners -t shm,msg,sem >"$work/sysv.json" ||
	die "ipcinspect --json --no-owners failed"
jq -r '"shm \(.shm | length)", "msg \(.msg | length)", "sem \(.sem | length)",
	"semaphores \([.sem[].semaphores[]] | length)"' "$work/sysv.json" >"$work/counts" ||
	die "jq could not read ipcinspect's JSON"
echo "bench: ipcinspect --json --no-owners -t shm,msg,sem lists:"
while read -r name got; do
	check "$name" "$got" "$(load "$name")"
done <"$work/counts"

# The floor must have read it all too (it counts the harness's pipes and
# this script's FIFO as well, hence "at least" for those).
"$BENCH_BIN/floor" >"$work/floor" || die "floor failed"
floor() { sed -n "s/^$1=//p" "$work/floor"; }
echo "bench: the floor reads:"
for k in shm msg sem semaphores attachments; do
	check "$k" "$(floor $k)" "$(load $k)"
done
check waiters "$(floor waiters)" "$(load sem_waiters)"
for k in pipes fifos; do
	got=$(floor $k) want=$(load $k)
	[ "$got" -ge "$want" ] && want=$got
	check "$k (at least)" "$got" "$want"
done
[ $status -eq 0 ] || die "the check failed: not timing a tool that does not list the load"

# --- the timings -------------------------------------------------------------

sysv="-t shm,msg,sem"
tab=$(printf '\t')
cat >"$work/spec" <<EOF
ipcinspect --json${tab}$ipci --json
ipcinspect --json --no-owners $sysv${tab}$ipci --json --no-owners $sysv
floor${tab}$BENCH_BIN/floor
floor --no-owners${tab}$BENCH_BIN/floor --no-owners
lsipc -m/-q/-s --json${tab}lsipc -m --json ; lsipc -q --json ; lsipc -s --json
lsipc -m --json${tab}lsipc -m --json
ipcs -a${tab}ipcs -a
lsfd --json${tab}lsfd --json
EOF
# Counted from the spec (measure skips blank and '#' lines), so the count
# cannot drift from it.
echo "bench: timing $(grep -vc -e '^#' -e '^$' "$work/spec") entries, $reps rounds after one warm-up ..."
t0=$(date +%s.%N)
"$BENCH_BIN/measure" -r "$reps" "$work/spec" >"$work/measure" || die "a timed command failed"
took=$(echo "$t0 $(date +%s.%N)" | awk '{ printf "%.1f", $2 - $1 }')
grep '^run' "$work/measure" >"$RESULTS_DIR/$scale.runs"

# --- watch: what an idle watch costs per interval (issue 18) ---------------
# Not a timed test: a watch of the load, which nothing changes, every
# 100 ms for 15 s after its first look; the CPU time it took over that
# span (utime + stime of /proc/PID/stat) per interval, cheap looks and
# the judged look every 60 intervals together.  The cost of an interval
# does not depend on its length, so at 1 s it is that over 1000 ms.
watch_ms=null watch_events=0
watch_iv=100 watch_secs=15
if "$IPCINSPECT" --help 2>/dev/null | grep -q '^ ipcinspect watch '; then
	cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }
	$ipci watch --interval "${watch_iv}ms" </dev/null >"$work/watch.out" 2>"$work/watch.err" &
	wp=$!
	# its first look is done when what it printed stopped growing for 1 s
	last=-1 i=0
	while :; do
		size=$(stat -c %s "$work/watch.out")
		[ "$size" -gt 0 ] && [ "$size" = "$last" ] && break
		last=$size i=$((i + 1))
		[ $i -le 300 ] && kill -0 "$wp" 2>/dev/null || die "watch did not start: $(cat "$work/watch.err")"
		sleep 1
	done
	lines=$(wc -l <"$work/watch.out")
	t1=$(cpu_ticks "$wp") s1=$(date +%s.%N)
	sleep "$watch_secs"
	t2=$(cpu_ticks "$wp") s2=$(date +%s.%N)
	kill -TERM "$wp"
	wait "$wp" || die "watch did not end with exit 0 on SIGTERM"
	watch_events=$(($(wc -l <"$work/watch.out") - lines))
	watch_ms=$(awk -v t="$((t2 - t1))" -v hz="$(getconf CLK_TCK)" -v s1="$s1" -v s2="$s2" \
		-v iv="$watch_iv" 'BEGIN { printf "%.3f", t * 1000 / hz / ((s2 - s1) * 1000 / iv) }')
	echo "bench: watch, idle: $watch_ms ms of CPU per interval; $watch_events events while idle"
fi

# --- the report ----------------------------------------------------------------

# The scaling target of issue 5 needs the other run of medium and large,
# from its JSON if an earlier run left one.  Each run is taken against its
# own floor, so the two runs need not have seen the same machine speed
# (they may be hours apart); the note names the files and the other one's
# date, since a run of an older build would pair just as silently.
case $scale in large) other=medium ;; medium) other=large ;; *) other= ;; esac
other_ii='' other_floor='' other_note=''
if [ -n "$other" ] && [ -f "$RESULTS_DIR/$other.json" ]; then
	walls=$(jq -r --arg s "$other" '
		def wall(n): [.entries[] | select(.name == n) | .wall | numbers | select(. > 0)][0];
		select(.scale == $s) | [wall("ipcinspect --json"), wall("floor")] |
		select(all(. != null)) | "\(.[0]) \(.[1])"' "$RESULTS_DIR/$other.json" 2>/dev/null)
	if [ -n "$walls" ]; then
		other_ii=${walls% *} other_floor=${walls#* }
		# (awk -v turns the \\n into a line break)
		other_note="$scale: $RESULTS_DIR/$scale.json (this run)\\n$other: $RESULTS_DIR/$other.json"
		other_note="$other_note (of $(date -r "$RESULTS_DIR/$other.json" '+%Y-%m-%d %H:%M'))"
	else
		echo "bench: $RESULTS_DIR/$other.json has no $other medians of ipcinspect --json and floor: no scaling target" >&2
	fi
fi
[ -n "$other_ii" ] || other=	# no scaling target in this run

# The table of medians and ratios; the ratios also go to $work/ratios
# (label, then wall, cpu, rss, paired wall, paired cpu) for the JSON.
# A ratio of medians divides two medians; a paired ratio is the median
# over rounds of the ratio within each round (entries of one round ran
# seconds apart, so a noisy neighbour or a CPU clock change that hits a
# whole round cancels out).
# shellcheck disable=SC2016
report_awk='
$1 == "run" { rw[$2, $3] = $4; rc[$2, $3] = $5; if ($3 > rounds) rounds = $3 }
$1 == "median" { n++; name[n] = $2; wall[$2] = $3; cpu[$2] = $4; rss[$2] = $5; lo[$2] = $6; hi[$2] = $7 }
function r(a, b) { return b > 0 ? sprintf("%.2f", a / b) : "null" }
function med(v, k,    i, j, t) {	# median of v[1..k], sorted in place
	for (i = 2; i <= k; i++)
		for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
	return k % 2 ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2
}
function paired(t, x, y1, y2,    i, k, d, v) {	# t: rw or rc
	k = 0
	for (i = 1; i <= rounds; i++) {
		d = (t == "w" ? rw[y1, i] + (y2 != "" ? rw[y2, i] : 0) : rc[y1, i] + (y2 != "" ? rc[y2, i] : 0))
		if (d > 0)
			v[++k] = (t == "w" ? rw[x, i] : rc[x, i]) / d
	}
	return k ? sprintf("%.2f", med(v, k)) : "null"
}
# x over y1, or over y1 + y2: walls and CPU times add up, the RSS is the larger
function ratio(label, x, y1, y2,    w, c, m, pw, pc) {
	w = wall[y1] + (y2 != "" ? wall[y2] : 0); c = cpu[y1] + (y2 != "" ? cpu[y2] : 0)
	m = (y2 != "" && rss[y2] > rss[y1]) ? rss[y2] : rss[y1]
	pw = paired("w", x, y1, y2); pc = paired("c", x, y1, y2)
	printf "%-46s %6s %6s %6s %8s %8s\n", label, r(wall[x], w), r(cpu[x], c), r(rss[x], m), pw, pc
	printf "%s\t%s\t%s\t%s\t%s\t%s\n", label, r(wall[x], w), r(cpu[x], c), r(rss[x], m), pw, pc > ratios
}
# One target of issue 5: its line, the lines of NOTE (if any) indented
# below it, and in $work/targets what (with the note on the same line),
# value, limit, met, scale for the JSON.  Met is judged on the value as
# printed, so no line reads "1.20 <= 1.2 NOT met".
function target(what, v, limit, sc, note,    met, w, k, l, i) {
	if (!ntargets++)
		printf "\n%-54s %6s    %s\n", "targets (issues 5, 18) at scale " scale, "value", "limit"
	met = v != "null" && v + 0 <= limit
	printf "%-54s %6s <= %-5s %s\n", what, v, limit, met ? "met" : "NOT met"
	w = what
	k = note != "" ? split(note, l, "\n") : 0
	for (i = 1; i <= k; i++) {
		printf "%s%s\n", (i == 1 ? "  " : "    "), l[i]
		w = w (i > 1 && l[i - 1] ~ /:$/ ? " " : "; ") l[i]
	}
	printf "%s\t%s\t%s\t%s\t%s\n", w, v, limit, (met ? "true" : "false"), sc > targets
}
END {
	f = "floor"; fs = "floor --no-owners"; ii = "ipcinspect --json"
	is = "ipcinspect --json --no-owners -t shm,msg,sem"
	lsipc = "lsipc -m/-q/-s --json"; lsfd = "lsfd --json"
	print "ipcinspect benchmark: " info "\n"
	printf "%-44s %8s %8s %8s %8s %7s %6s %6s %6s\n", "entry (medians)", "wall ms", "min",
		"max", "cpu ms", "rss MiB", "wall/", "cpu/", "rss/"
	printf "%-44s %8s %8s %8s %8s %7s %6s %6s %6s\n", "", "", "", "", "", "", "floor",
		"floor", "floor"
	for (i = 1; i <= n; i++) {
		e = name[i]
		printf "%-44s %8.1f %8.1f %8.1f %8.1f %7.1f %6s %6s %6s\n", e, wall[e] * 1000,
			lo[e] * 1000, hi[e] * 1000, cpu[e] * 1000, rss[e] / 1024,
			r(wall[e], wall[f]), r(cpu[e], cpu[f]), r(rss[e], rss[f])
	}
	printf "\n%-46s %6s %6s %6s %8s %8s\n", "ratios", "wall", "cpu", "rss", "paired", "paired"
	printf "%-46s %6s %6s %6s %8s %8s\n", "", "", "", "", "wall", "cpu"
	ratio("ipcinspect --json / floor", ii, f, "")
	ratio("ipcinspect --json / lsipc -m/-q/-s", ii, lsipc, "")
	ratio("ipcinspect --json / lsipc -m --json", ii, "lsipc -m --json", "")
	ratio("ipcinspect --json / (lsipc -m/-q/-s + lsfd)", ii, lsipc, lsfd)
	ratio("ipcinspect --json / lsfd", ii, lsfd, "")
	ratio("ipcinspect --no-owners / floor --no-owners", is, fs, "")
	ratio("ipcinspect --no-owners / lsipc -m/-q/-s", is, lsipc, "")
	ratio("ipcinspect --no-owners / ipcs -a", is, "ipcs -a", "")
	ratio("floor / (lsipc -m/-q/-s + lsfd)", f, lsipc, lsfd)
	print "(wall, cpu, rss: ratios of medians; paired: median of the ratios within each round)"
	# watch (issue 18): the CPU an idle watch takes per interval
	if (watch_ms != "null") {
		printf "\nwatch, idle, every %d ms for %d s: %.3f ms of CPU per interval (%d events)\n",
			watch_iv, watch_secs, watch_ms, watch_events
		printf "  at a 1 s interval: %.3f %% of one core; a judged look (ipcinspect --json): %.1f ms of CPU\n",
			watch_ms / 10, cpu[ii] * 1000
		if (scale == "medium")
			target("watch, idle: % of one core at a 1 s interval", sprintf("%.2f", watch_ms / 10), 1,
				scale)
	}
	# The targets of the current scale only: the ratios of medians, as in
	# the table; the RSS as the table shows it (measure adds about 1 MB
	# of its own, so this errs against ipcinspect).
	if (scale == "large") {
		target("ipcinspect --json / floor, wall", r(wall[ii], wall[f]), 1.2, scale)
		target("ipcinspect --json / (lsipc -m/-q/-s + lsfd), wall",
			r(wall[ii], wall[lsipc] + wall[lsfd]), 0.25, scale)
		target("ipcinspect --no-owners / lsipc -m/-q/-s, wall", r(wall[is], wall[lsipc]), 0.5, scale)
		target("ipcinspect --json peak RSS, MiB", sprintf("%.1f", rss[ii] / 1024), 32, scale)
	} else if (scale == "small")
		target("ipcinspect --json / lsipc -m --json, wall", r(wall[ii], wall["lsipc -m --json"]), 1.5,
			scale)
	# Scaling: ipcinspect/floor at large over ipcinspect/floor at medium,
	# 1 when the cost of ipcinspect grows just like the work of the floor.
	if (other != "") {
		if (scale == "large") { li = wall[ii]; lf = wall[f]; mi = other_ii; mf = other_floor }
		else { li = other_ii; lf = other_floor; mi = wall[ii]; mf = wall[f] }
		target("scaling: ipcinspect --json / floor, wall, large/medium", r(li * mf, mi * lf), 1.2,
			"large/medium", "combines two runs, each against its own floor:\n" other_note)
	}
}'
info="scale=$scale reps=$reps kernel=$(uname -r) cpus=$(nproc) timing=${took}s"
info="$info $("$IPCINSPECT" --version | head -n 1)"
: >"$work/targets"
awk -F '\t' -v info="$info" -v ratios="$work/ratios" -v targets="$work/targets" -v scale="$scale" \
	-v other="$other" -v other_ii="$other_ii" -v other_floor="$other_floor" -v other_note="$other_note" \
	-v watch_ms="$watch_ms" -v watch_iv="$watch_iv" -v watch_secs="$watch_secs" -v watch_events="$watch_events" \
	"$report_awk" "$work/measure" >"$RESULTS_DIR/$scale.txt" || die "awk could not write the table"
{
	echo
	echo "load made (loadgen):"
	grep -v -e '^ready$' -e '^pid=' "$work/load" | tr '\n' ' ' | fold -s -w 78 | sed 's/^/  /'
	echo
} >>"$RESULTS_DIR/$scale.txt"

# The same as JSON: entries with their ratios to the floor, the ratios
# table, the targets, and what loadgen made.
{ grep '^median' "$work/measure"; sed 's/^/ratio\t/' "$work/ratios"; sed 's/^/target\t/' "$work/targets"; } |
	jq -R -s --arg info "$info" --arg scale "$scale" --argjson reps "$reps" \
		--rawfile load "$work/load" '
	def per(a; b): if b > 0 then a / b else null end;
	[split("\n")[] | select(length > 0) | split("\t")] as $rows |
	[$rows[] | select(.[0] == "median") |
	 {name: .[1], wall: (.[2] | tonumber), cpu: (.[3] | tonumber), rss_kib: (.[4] | tonumber),
	  wall_min: (.[5] | tonumber), wall_max: (.[6] | tonumber)}] as $e |
	($e | map(select(.name == "floor"))[0]) as $f |
	{scale: $scale, reps: $reps, info: $info, units: "wall and cpu in seconds, rss in KiB",
	 load: ([$load | split("\n")[] | select(test("^[a-z_]+=[0-9]+$")) | split("=") |
		 {(.[0]): (.[1] | tonumber)}] | add),
	 entries: [$e[] | . + {per_floor: {wall: per(.wall; $f.wall), cpu: per(.cpu; $f.cpu),
					   rss: per(.rss_kib; $f.rss_kib)}}],
	 ratios: [$rows[] | select(.[0] == "ratio") |
		  {what: .[1], wall: (.[2] | fromjson), cpu: (.[3] | fromjson),
		   rss: (.[4] | fromjson), paired_wall: (.[5] | fromjson),
		   paired_cpu: (.[6] | fromjson)}],
	 targets: [$rows[] | select(.[0] == "target") |
		   {what: .[1], value: (.[2] | fromjson), limit: (.[3] | tonumber),
		    met: (.[4] == "true"), scale: .[5]}]}
' >"$RESULTS_DIR/$scale.json" || die "jq could not write $RESULTS_DIR/$scale.json"
cat "$RESULTS_DIR/$scale.txt"
echo "bench: written to $RESULTS_DIR/$scale.txt, $scale.json and $scale.runs"

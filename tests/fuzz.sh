#!/bin/sh
# The libFuzzer builds of the fuzz targets and their bounded runs, for
# `make fuzz` and `make fuzz-run` (tests/Makemodule.am passes the lists).
#
#   fuzz.sh build TOP_SRCDIR OUTDIR "PARSER_SOURCES" "TARGETS" "LIBS"
#     compiles the parser library's .c files with $FUZZ_CC
#     -fsanitize=fuzzer-no-link,$FUZZ_SANITIZE into OUTDIR/obj, and each
#     tests/fuzz-NAME into OUTDIR/NAME (-fsanitize=fuzzer,..., and
#     -DIPCI_LIBFUZZER: libFuzzer's main, not the corpus runner's).
#   fuzz.sh run TOP_SRCDIR OUTDIR "TARGETS" SECONDS
#     runs each target for SECONDS from a fresh copy of its corpus
#     tests/corpus/NAME (the source corpus is never written to), prints
#     one line per target and then "fuzz: N targets, N inputs executed,
#     N crashes"; every crash, leak or timeout libFuzzer keeps is copied
#     into tests/corpus/NAME/ (so `make check` replays it from then on)
#     and the run fails.
set -u
cmd=$1 top=$2 out=$3

build() {
	sources=$1 targets=$2 libs=$3
	cc=${FUZZ_CC:-clang}
	san=${FUZZ_SANITIZE:-address,undefined}
	flags="-std=gnu11 -g -O1 -fno-omit-frame-pointer -fno-sanitize-recover=all ${FUZZ_CFLAGS:-}"
	inc="-I. -I$top -I$top/src -I$top/tests"
	command -v "$cc" >/dev/null 2>&1 || {
		echo "fuzz: $cc not found (install clang, or make fuzz FUZZ_CC=...)" >&2
		return 1
	}
	mkdir -p "$out/obj" || return 1
	objs=
	for src in $sources; do
		case $src in *.c) ;; *) continue ;; esac
		o=$out/obj/$(basename "$src" .c).o
		echo "  FUZZCC   $o"
		$cc $flags -fsanitize=fuzzer-no-link,"$san" $inc -c "$top/$src" -o "$o" || return 1
		objs="$objs $o"
	done
	rm -f "$out/libipciparse.a"
	ar rcs "$out/libipciparse.a" $objs || return 1
	for t in $targets; do
		name=${t#tests/fuzz-}
		echo "  FUZZLD   $out/$name"
		$cc $flags -fsanitize=fuzzer,"$san" -DIPCI_LIBFUZZER $inc "$top/$t.c" \
			"$out/libipciparse.a" $libs -o "$out/$name" || return 1
	done
}

run() {
	targets=$1 seconds=$2
	ntargets=0 execs=0 crashes=0 failed=0
	for t in $targets; do
		name=${t#tests/fuzz-}
		dir=$out/run/$name
		rm -rf "$dir"
		mkdir -p "$dir/corpus" "$dir/artifacts" || return 1
		cp "$top/tests/corpus/$name"/* "$dir/corpus/" || return 1
		"$out/$name" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
			-print_final_stats=1 -artifact_prefix="$dir/artifacts/" \
			"$dir/corpus" >"$dir/log" 2>&1
		rc=$?
		n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -n 1)
		kept=0
		for a in "$dir/artifacts"/*; do
			[ -f "$a" ] || continue
			cp "$a" "$top/tests/corpus/$name/" || return 1
			echo "fuzz: $name: kept $(basename "$a") in tests/corpus/$name/"
			kept=$((kept + 1))
		done
		if [ "$rc" -ne 0 ] || [ "$kept" -ne 0 ]; then
			failed=$((failed + 1))
			[ "$kept" -ne 0 ] || kept=1	# it stopped without an artifact: a crash all the same
			grep -E 'ERROR|SUMMARY|broken invariant|runtime error' "$dir/log" | head -n 20
		fi
		echo "fuzz: $name: ${n:-0} inputs in ${seconds}s, $(ls "$dir/corpus" | wc -l) in the corpus after, exit $rc"
		ntargets=$((ntargets + 1)) execs=$((execs + ${n:-0})) crashes=$((crashes + kept))
	done
	echo "fuzz: $ntargets targets, $execs inputs executed, $crashes crashes"
	[ "$failed" -eq 0 ]
}

case $cmd in
build) build "$4" "$5" "$6" ;;
run) run "$4" "$5" ;;
*) echo "usage: fuzz.sh build|run ..." >&2; exit 2 ;;
esac

#!/bin/sh
# fuzz.sh — runs heft's libFuzzer targets (tests/fuzz/) one after the other,
# each for SECONDS, and says per target how many inputs it ran and what it
# found. What `make fuzz` (FUZZ_TIME) and `make check` (FUZZ_SMOKE) run.
#
#   usage: sh scripts/fuzz.sh SECONDS TARGET...
#
# A target's corpus grows in build/fuzz/corpus/TARGET (its seeds, made by
# scripts/fuzz-seeds.sh, stay in build/fuzz/seeds/TARGET); a crash, sanitizer
# report, leak, timeout (-timeout=10) or allocation past -rss_limit_mb=2048
# is saved in build/fuzz/findings/TARGET/, and the target's whole log in
# build/fuzz/logs/TARGET.log. Every run is added to build/fuzz/runs.tsv
# (date, target, executions, seconds, finding or "-"), which the README's
# table is counted from. Exit status 1 when any target found something.
set -u

SECONDS_EACH=$1
shift
B=build/fuzz
# The targets write a file or two per input (a snapshot saved and read back):
# in memory, not on the disk, where each save's fsync is a write to wait for.
[ -d /dev/shm ] && [ -w /dev/shm ] && export TMPDIR=/dev/shm
mkdir -p $B/logs
status=0
for t in "$@"; do
    mkdir -p $B/corpus/$t $B/findings/$t
    log=$B/logs/$t.log
    before=$(ls $B/findings/$t | wc -l)
    start=$(date +%s)
    # A 16 MiB quarantine (ASan's default is 256) keeps freed memory hot:
    # about a third more inputs a second; reproducing uses the default.
    ASAN_OPTIONS=${ASAN_OPTIONS:-quarantine_size_mb=16} UBSAN_OPTIONS=print_stacktrace=1 $B/fuzz_$t -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix=$B/findings/$t/ $B/corpus/$t $B/seeds/$t > "$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    # After a finding there are no final stats: the last status line says.
    [ -n "$runs" ] || runs=$(sed -n 's/^#\([0-9]*\).*/\1/p' "$log" | tail -n 1)
    secs=$(( $(date +%s) - start ))
    found=$(ls -t $B/findings/$t | head -n $(( $(ls $B/findings/$t | wc -l) - before )) | sed "s|^|$B/findings/$t/|")
    if [ $rc -eq 0 ] && [ -z "$found" ]; then
        printf '%-9s %10s runs in %s s (%s/s), no finding\n' "$t" "${runs:-0}" "$secs" \
            "$(( ${runs:-0} / (secs > 0 ? secs : 1) ))"
        printf '%s\t%s\t%s\t%s\t-\n' "$(date -u +%F)" "$t" "${runs:-0}" "$secs" >> $B/runs.tsv
    else
        status=1
        printf '%-9s %10s runs, FINDING (exit %s): %s\n' "$t" "${runs:-0}" "$rc" "${found:-see $log}"
        grep -m 3 -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$log" | sed 's/^/          /'
        for f in $found; do
            echo "          reproduce: $B/fuzz_$t $f"
        done
        printf '%s\t%s\t%s\t%s\t%s\n' "$(date -u +%F)" "$t" "${runs:-0}" "$secs" "${found:-exit $rc}" >> $B/runs.tsv
    fi
done
exit $status

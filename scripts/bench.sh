#!/bin/sh
# bench.sh — how fast heft is, and how much memory it takes, on the largest
# binaries on the machine (the Rust toolchain's own libraries and cargo),
# against `nm -S -C --size-sort` as the reference (also for `heft monos`, which
# demangles and groups every code symbol's name), `heft dups` against
# `objdump -d`, `cargo heft` with a cargo that has just built the file, the
# reference graph (`heft garbage`, `heft why`) against `heft symbols`, and
# `heft units`/`heft files` on the toolchain's cargo (it has line tables for
# std) against `readelf --debug-dump=info` on the same file.
#
#   usage: sh scripts/bench.sh [path/to/heft]      (what `make bench` runs)
#
# Every command runs 3 times; the best wall time is kept, and the highest peak
# RSS of the 3. A missing input is reported and skipped: this is a benchmark,
# not a test, so it only fails (status 1) when heft itself is missing.
# At the end, the goals (issue 15: each a ratio against a reference measured in
# the same run, on librustc_driver, libLLVM and cargo) with their verdicts, and
# a last line naming those that fall short.
# Environment: BENCH_RUNS (default 3), BENCH_FILES (space-separated list of
# files to use instead of the toolchain's), BENCH_BASELINE (another heft, e.g.
# the last release's: every view's JSON on every file must be byte-identical
# to its, the version field aside; a difference counts as short of goal).
set -u

HEFT=${1:-build/heft}
RUNS=${BENCH_RUNS:-3}

echo "# reproduce: make bench    (= sh scripts/bench.sh $HEFT)"

case $HEFT in
    */*) ;;
    *) HEFT=./$HEFT ;;
esac
if [ ! -x "$HEFT" ]; then
    echo "bench: $HEFT: not found or not executable (run 'make build/heft')" >&2
    exit 1
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/heft-bench.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
trap 'rm -rf "$TMP"; exit 130' INT TERM

# --- how we time ------------------------------------------------------------
# Peak RSS comes from GNU time (%M, KiB). Wall time comes from `date +%s%N`
# when it has nanoseconds (GNU date), since %e only has 10 ms resolution; else
# from %e. Without /usr/bin/time there is no peak RSS ("-").
if [ -x /usr/bin/time ] && /usr/bin/time -f '%e %M' -o "$TMP/probe" true 2>/dev/null; then
    HAVE_TIME=1
else
    HAVE_TIME=0
fi
case $(date +%N 2>/dev/null) in
    ''|*[!0-9]*) HAVE_NS=0 ;;
    *) HAVE_NS=1 ;;
esac
if [ $HAVE_TIME = 1 ]; then
    if [ $HAVE_NS = 1 ]; then
        echo "# timing: wall clock from date +%s%N, peak RSS from /usr/bin/time %M; best of $RUNS"
    else
        echo "# timing: /usr/bin/time -f '%e %M' (10 ms resolution); best of $RUNS"
    fi
elif [ $HAVE_NS = 1 ]; then
    echo "# timing: /usr/bin/time is missing: wall clock from date +%s%N, no peak RSS; best of $RUNS"
else
    echo "# timing: /usr/bin/time is missing and date has no %N: 1 s resolution, no peak RSS; best of $RUNS"
fi

now_ns() {
    if [ $HAVE_NS = 1 ]; then date +%s%N; else echo "$(date +%s)000000000"; fi
}

# measure OUT CMD...: runs CMD (stdout to OUT, stderr kept in $TMP/err) RUNS
# times; sets M_SEC (best wall seconds), M_KIB (highest peak RSS in KiB, or -)
# and M_STATUS (the exit status of the last non-zero run, else 0).
measure() {
    m_out=$1
    shift
    M_SEC=""
    M_KIB="-"
    M_STATUS=0
    i=0
    while [ "$i" -lt "$RUNS" ]; do
        i=$((i + 1))
        t0=$(now_ns)
        if [ $HAVE_TIME = 1 ]; then
            /usr/bin/time -f '%e %M' -o "$TMP/time" "$@" >"$m_out" 2>"$TMP/err"
            st=$?
        else
            "$@" >"$m_out" 2>"$TMP/err"
            st=$?
        fi
        t1=$(now_ns)
        [ $st -ne 0 ] && M_STATUS=$st
        if [ $HAVE_TIME = 1 ] && [ -s "$TMP/time" ]; then
            # GNU time writes "Command exited with non-zero status N" first
            # when the command fails: the numbers are on the last line.
            line=$(tail -n 1 "$TMP/time")
            e=${line% *}
            k=${line#* }
        else
            e=""
            k="-"
        fi
        if [ $HAVE_NS = 1 ] || [ -z "$e" ]; then
            e=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
        fi
        if [ -z "$M_SEC" ] || awk -v a="$e" -v b="$M_SEC" 'BEGIN { exit !(a < b) }'; then
            M_SEC=$e
        fi
        case $k in
            ''|*[!0-9]*) ;;
            *) if [ "$M_KIB" = "-" ] || [ "$k" -gt "$M_KIB" ]; then M_KIB=$k; fi ;;
        esac
    done
}

# --- which files --------------------------------------------------------------
RUSTC=$(command -v rustc 2>/dev/null || true)
[ -z "$RUSTC" ] && [ -x "$HOME/.cargo/bin/rustc" ] && RUSTC=$HOME/.cargo/bin/rustc
SYSROOT=""
[ -n "$RUSTC" ] && SYSROOT=$("$RUSTC" --print sysroot 2>/dev/null)

if [ -n "${BENCH_FILES:-}" ]; then
    CANDIDATES=$BENCH_FILES
elif [ -n "$SYSROOT" ]; then
    # Globs that match nothing stay as they are and are reported as missing.
    CANDIDATES=$(printf '%s\n' "$SYSROOT"/lib/librustc_driver-*.so "$SYSROOT"/lib/libLLVM* "$SYSROOT/bin/cargo")
    # Static libraries (ar archives): std's rlib, and glibc's libc.a when installed.
    CANDIDATES="$CANDIDATES $(printf '%s\n' "$SYSROOT"/lib/rustlib/x86_64-unknown-linux-gnu/lib/libstd-*.rlib \
        /usr/lib/x86_64-linux-gnu/libc.a)"
else
    echo "bench: rustc not found: no Rust toolchain to measure" >&2
    CANDIDATES=""
fi

MIN_SIZE=1048576 # skip linker scripts such as libLLVM-NN-rust-*.so (42 bytes)
FILES=""
SEEN=" "
for c in $CANDIDATES; do
    f=$(readlink -f "$c" 2>/dev/null || echo "$c")
    if [ ! -f "$f" ]; then
        echo "# skipped $c: no such file"
        continue
    fi
    if [ ! -r "$f" ]; then
        echo "# skipped $c: not readable"
        continue
    fi
    sz=$(wc -c <"$f" | tr -d ' ')
    if [ "$sz" -lt $MIN_SIZE ]; then
        echo "# skipped $c: $sz bytes (< 1 MB, not a binary)"
        continue
    fi
    case $SEEN in
        *" $f "*) continue ;; # a symlink to a file already listed
    esac
    SEEN="$SEEN$f "
    FILES="$FILES $f"
done

if [ -z "$FILES" ]; then
    echo "bench: no input files found; nothing to measure"
    exit 0
fi
if ! command -v nm >/dev/null 2>&1; then
    echo "# nm is missing: no reference times (ratios shown as -)"
    HAVE_NM=0
else
    HAVE_NM=1
fi

# cargo heft's report on the built file: a cargo that says at once that the
# build is done and made $BENCH_BUILT, and a rustc beside it that gives the
# real rustc's target-libdir at once, so that what is timed is heft's own
# work (the sysroot's rlibs read for their crate ids, then the report).
STANDIN=$TMP/standin
mkdir -p "$STANDIN"
LIBDIR=""
[ -n "$RUSTC" ] && LIBDIR=$("$RUSTC" --print target-libdir 2>/dev/null)
cat >"$STANDIN/cargo" <<'EOF'
#!/bin/sh
id='bench 0.0.0 (path+file:///bench)'
case $1 in
metadata)
    printf '{"packages":[{"name":"bench","version":"0.0.0","id":"%s","manifest_path":"/bench/Cargo.toml",' "$id"
    printf '"targets":[{"name":"bench","kind":["bin"],"crate_types":["bin"]}]}],"workspace_members":["%s"],' "$id"
    printf '"workspace_root":"/bench","target_directory":"/bench/target"}\n' ;;
build)
    printf '{"reason":"compiler-artifact","package_id":"%s","target":{"name":"bench","kind":["bin"],' "$id"
    printf '"crate_types":["bin"]},"profile":{"debuginfo":0,"test":false},"executable":"%s","fresh":true}\n' \
        "$BENCH_BUILT"
    printf '{"reason":"build-finished","success":true}\n' ;;
esac
EOF
printf '#!/bin/sh\necho "%s"\n' "$LIBDIR" >"$STANDIN/rustc"
chmod +x "$STANDIN/cargo" "$STANDIN/rustc"

# --- measuring ------------------------------------------------------------------
ROWS=$TMP/rows
VERDICTS=$TMP/verdicts
GOALS=$TMP/goals
SHORT=$TMP/short
: >"$ROWS"
: >"$VERDICTS"
: >"$GOALS"
: >"$SHORT"
FMT='%-36s %9s %9s  %-31s %8s %9s %7s %9s\n'

# row FILE SIZE_MB SYMS TOOL SEC KIB STATUS NM_SEC FILE_BYTES
row() {
    awk -v f="$1" -v mb="$2" -v syms="$3" -v tool="$4" -v sec="$5" -v kib="$6" \
        -v st="$7" -v nmsec="$8" -v bytes="$9" -v fmt="$FMT" 'BEGIN {
        if (kib == "-") { mib = "-"; frac = "-" }
        else { mib = sprintf("%.1f", kib / 1024); frac = sprintf("%.3f", kib * 1024 / bytes) }
        if (st != 0) sec = "FAIL:" st
        if (st != 0 || nmsec == "" || nmsec == "-" || tool ~ /^nm/) ratio = (tool ~ /^nm/ ? "1.00" : "-")
        else if (nmsec + 0 == 0) ratio = "-"
        else ratio = sprintf("%.2f", sec / nmsec)
        printf fmt, f, mb, syms, tool, sec, mib, ratio, frac
    }' >>"$ROWS"
}

# goal FILE WHAT VALUE REF LIMIT UNIT: one of issue 15's goals, VALUE / REF
# against LIMIT ("x" for a time ratio, "of file" for memory); a failed run or
# a missing reference counts as short.
goal() {
    awk -v f="$1" -v what="$2" -v v="$3" -v r="$4" -v lim="$5" -v unit="$6" 'BEGIN {
        if (v == "" || v == "-" || v ~ /FAIL/ || r == "" || r == "-" || r + 0 == 0) {
            printf "%-28s %-44s %9s  goal <= %-5s %-8s SHORT (not measured)\n", f, what, "-", lim, unit
            exit 1
        }
        q = v / r
        ok = q <= lim + 1e-9
        printf "%-28s %-44s %9.3f  goal <= %-5s %-8s %s\n", f, what, q, lim, unit, ok ? "ok" : "SHORT"
        exit !ok
    }' >>"$GOALS" || echo "$1: $2" >>"$SHORT"
}

# Issue 15's goals are set on the toolchain's three large binaries.
is_goal_file() {
    case $(basename "$1") in librustc_driver-*|libLLVM*|cargo) return 0 ;; *) return 1 ;; esac
}

for f in $FILES; do
    base=$(basename "$f")
    bytes=$(wc -c <"$f" | tr -d ' ')
    mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
    echo "# measuring $base ($mb MB) ..." >&2

    # Symbol count: heft's symbol leaves (JSON rows of kind "symbol"); nm's
    # count of sized symbols if heft fails.
    "$HEFT" symbols -n 0 "$f" --format json >"$TMP/json" 2>"$TMP/err"
    hst=$?
    if [ $hst -eq 0 ]; then
        syms=$(grep -o '"kind": *"symbol"' "$TMP/json" | wc -l | tr -d ' ')
    elif [ $HAVE_NM = 1 ]; then
        syms=$(nm -S --size-sort "$f" 2>/dev/null | wc -l | tr -d ' ')
        [ "$syms" = 0 ] && syms=$(nm -D -S --size-sort "$f" 2>/dev/null | wc -l | tr -d ' ')
        syms="nm:$syms"
    else
        syms="?"
    fi
    rm -f "$TMP/json"

    nm_sec="-"
    if [ $HAVE_NM = 1 ]; then
        measure /dev/null nm -S -C --size-sort "$f"
        nm_sec=$M_SEC
        [ "$M_STATUS" -ne 0 ] && nm_sec="-"
        row "$base" "$mb" "$syms" "nm -S -C --size-sort" "$M_SEC" "$M_KIB" "$M_STATUS" "$nm_sec" "$bytes"
    fi
    re_sec="-"
    if command -v readelf >/dev/null 2>&1; then
        measure /dev/null readelf -S -W "$f"
        [ "$M_STATUS" -eq 0 ] && re_sec=$M_SEC
        row "$base" "$mb" "$syms" "readelf -S -W" "$M_SEC" "$M_KIB" "$M_STATUS" "$nm_sec" "$bytes"
    fi

    heft_failed=""
    sym20_sec="-"
    for view in summary symbols20 symbols json crates sections segments monos; do
        case $view in
            summary)   label="heft (summary)";                 set -- "$f" ;;
            symbols20) label="heft symbols -n 20";             set -- symbols -n 20 "$f" ;;
            symbols)   label="heft symbols -n0";               set -- symbols -n 0 "$f" ;;
            json)      label="heft symbols -n0 --format json"; set -- symbols -n 0 "$f" --format json ;;
            crates)    label="heft crates";                    set -- crates "$f" ;;
            sections)  label="heft sections";                  set -- sections "$f" ;;
            segments)  label="heft segments";                  set -- segments "$f" ;;
            monos)     label="heft monos";                     set -- monos "$f" ;;
        esac
        measure /dev/null "$HEFT" "$@"
        [ "$M_STATUS" -ne 0 ] && heft_failed="$heft_failed $view(status $M_STATUS: $(head -n 1 "$TMP/err"))"
        row "$base" "$mb" "$syms" "$label" "$M_SEC" "$M_KIB" "$M_STATUS" "$nm_sec" "$bytes"
        sec=$M_SEC
        [ "$M_STATUS" -ne 0 ] && sec=FAIL
        [ "$view" = symbols20 ] && sym20_sec=$sec
        if is_goal_file "$f"; then
            case $view in
                summary|symbols20|crates) goal "$base" "$label vs nm -C --size-sort" "$sec" "$nm_sec" 0.25 x ;;
                sections|segments) goal "$base" "$label vs readelf -S -W" "$sec" "$re_sec" 3 x ;;
                monos) goal "$base" "$label vs nm -C --size-sort" "$sec" "$nm_sec" 1 x ;;
            esac
            # The memory goal is set on libLLVM, the largest (a fixed cost weighs
            # more on a smaller file).
            case $base:$view in
                libLLVM*:summary|libLLVM*:symbols20|libLLVM*:crates|libLLVM*:sections|libLLVM*:segments)
                    kib=$M_KIB
                    [ "$M_STATUS" -ne 0 ] && kib=FAIL
                    goal "$base" "$label peak memory" "$(awk -v k="$kib" 'BEGIN { print k ~ /^[0-9]+$/ ? k * 1024 : k }')" \
                        "$bytes" 0.4 "of file" ;;
            esac
        fi
    done
    if is_goal_file "$f"; then
        measure /dev/null env CARGO="$STANDIN/cargo" RUSTC="$STANDIN/rustc" BENCH_BUILT="$f" "$HEFT" cargo --release
        [ "$M_STATUS" -ne 0 ] && heft_failed="$heft_failed cargo(status $M_STATUS: $(head -n 1 "$TMP/err"))"
        row "$base" "$mb" "$syms" "cargo heft (report; build done)" "$M_SEC" "$M_KIB" "$M_STATUS" "$nm_sec" "$bytes"
        sec=$M_SEC
        [ "$M_STATUS" -ne 0 ] && sec=FAIL
        goal "$base" "cargo heft's report vs nm -C --size-sort" "$sec" "$nm_sec" 0.25 x
    fi
    # The reference graph (issue 16), against heft symbols -n 20 in the same
    # run: garbage builds it and walks it once; why also finds chains.
    case $base in librustc_driver-*)
        for cmd in garbage why; do
            if [ $cmd = garbage ]; then set -- garbage -n 20 "$f"; lim=5; else set -- why "$f" rustc_driver_impl::main; lim=6; fi
            measure /dev/null "$HEFT" "$@"
            [ "$M_STATUS" -ne 0 ] && heft_failed="$heft_failed $cmd(status $M_STATUS: $(head -n 1 "$TMP/err"))"
            row "$base" "$mb" "$syms" "heft $cmd (reference graph)" "$M_SEC" "$M_KIB" "$M_STATUS" "$nm_sec" "$bytes"
            sec=$M_SEC
            [ "$M_STATUS" -ne 0 ] && sec=FAIL
            goal "$base" "heft $cmd vs heft symbols -n 20" "$sec" "$sym20_sec" $lim x
        done
        # Owners with the graph: measured, no goal of its own (the graph's are above).
        measure /dev/null "$HEFT" crates --refs "$f"
        [ "$M_STATUS" -ne 0 ] && heft_failed="$heft_failed crates-refs(status $M_STATUS: $(head -n 1 "$TMP/err"))"
        row "$base" "$mb" "$syms" "heft crates --refs (reference graph)" "$M_SEC" "$M_KIB" "$M_STATUS" "$nm_sec" "$bytes" ;;
    esac
    [ -n "$heft_failed" ] && echo "$base: heft FAILED:$heft_failed" >>"$VERDICTS"

    # Faster must not mean different: every view's JSON against the baseline's.
    if [ -n "${BENCH_BASELINE:-}" ]; then
        differ=""
        for view in summary symbols crates sections segments monos dups; do
            "$HEFT" $view -n 0 --format json "$f" 2>&1 | sed 's/"heft_version": "[^"]*", //' >"$TMP/new.json"
            "$BENCH_BASELINE" $view -n 0 --format json "$f" 2>&1 | sed 's/"heft_version": "[^"]*", //' >"$TMP/old.json"
            cmp -s "$TMP/new.json" "$TMP/old.json" || differ="$differ $view"
        done
        if [ -n "$differ" ]; then
            echo "$base: JSON differs from $BENCH_BASELINE's:$differ" >>"$VERDICTS"
            echo "$base: JSON differs from the baseline's ($differ )" >>"$SHORT"
        else
            echo "$base: JSON of every view identical to $BENCH_BASELINE's" >>"$VERDICTS"
        fi
    fi

    # heft dups disassembles every function once; objdump -d disassembling the
    # same file is shown beside it (one run: it takes minutes on the
    # toolchain's libraries). The goal is against nm -C, on libLLVM.
    measure /dev/null "$HEFT" dups -n 0 "$f"
    dups_sec=$M_SEC
    [ "$M_STATUS" -ne 0 ] && dups_sec=FAIL
    row "$base" "$mb" "$syms" "heft dups -n0" "$M_SEC" "$M_KIB" "$M_STATUS" "$nm_sec" "$bytes"
    case $base in libLLVM*) goal "$base" "heft dups -n0 vs nm -C --size-sort" "$dups_sec" "$nm_sec" 5 x ;; esac
    if command -v objdump >/dev/null 2>&1; then
        runs_all=$RUNS
        RUNS=1
        measure /dev/null objdump -d --no-show-raw-insn "$f"
        RUNS=$runs_all
        row "$base" "$mb" "$syms" "objdump -d --no-show-raw-insn" "$M_SEC" "$M_KIB" "$M_STATUS" "$nm_sec" "$bytes"
    fi
done

# heft diff of librustc_driver against itself: must be zero (no changed row);
# the goal is against nm -C of one side, in the same run.
for f in $FILES; do
    case $(basename "$f") in librustc_driver-*) ;; *) continue ;; esac
    base=$(basename "$f")
    bytes=$(wc -c <"$f" | tr -d ' ')
    mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
    echo "# measuring heft diff on $base ..." >&2
    nm_sec="-"
    if [ $HAVE_NM = 1 ]; then
        measure /dev/null nm -S -C --size-sort "$f"
        [ "$M_STATUS" -eq 0 ] && nm_sec=$M_SEC
    fi
    measure "$TMP/diff.csv" "$HEFT" diff --by symbol -n 0 --format csv "$f" "$f"
    row "$base" "$mb" "-" "heft diff FILE FILE" "$M_SEC" "$M_KIB" "$M_STATUS" "$nm_sec" "$bytes"
    sec=$M_SEC
    kib=$M_KIB
    [ "$M_STATUS" -ne 0 ] && sec=FAIL && kib=FAIL
    goal "$base" "heft diff FILE FILE vs nm -C of one side" "$sec" "$nm_sec" 1 x
    goal "$base" "heft diff FILE FILE peak memory" \
        "$(awk -v k="$kib" 'BEGIN { print k ~ /^[0-9]+$/ ? k * 1024 : k }')" "$((2 * bytes))" 0.8 "of both"
    changed=$(($(wc -l <"$TMP/diff.csv") - 1))
    if [ "$M_STATUS" -ne 0 ]; then
        echo "$base: heft diff FAILED (status $M_STATUS: $(head -n 1 "$TMP/err"))" >>"$VERDICTS"
    elif [ "$changed" -eq 0 ]; then
        echo "$base: heft diff against itself is zero (0 changed symbols)" >>"$VERDICTS"
    else
        echo "$base: heft diff against itself is NOT zero ($changed changed symbols)" >>"$VERDICTS"
    fi
    measure "$TMP/monos.csv" "$HEFT" diff --by monos -n 0 --format csv "$f" "$f"
    row "$base" "$mb" "-" "heft diff --by monos FILE FILE" "$M_SEC" "$M_KIB" "$M_STATUS" "$nm_sec" "$bytes"
    changed=$(($(wc -l <"$TMP/monos.csv") - 1))
    if [ "$M_STATUS" -ne 0 ] || [ "$changed" -ne 0 ]; then
        echo "$base: heft diff --by monos against itself is NOT zero (status $M_STATUS, $changed rows)" >>"$VERDICTS"
    else
        echo "$base: heft diff --by monos against itself is zero" >>"$VERDICTS"
    fi
done

# cargo heft profiles --full: the whole matrix (48 profiles, two builds each)
# on a fresh copy of the test fixture crate, once, against the reference of one
# plain `cargo build --release` of the same crate from scratch in the same run.
CARGO_BIN=${CARGO:-$(command -v cargo || echo "$HOME/.cargo/bin/cargo")}
SRC_DIR=$(dirname "$0")/../tests/fixtures/profiles
if [ -x "$CARGO_BIN" ] && [ -d "$SRC_DIR" ]; then
    echo "# measuring cargo heft profiles --full on tests/fixtures/profiles ..." >&2
    cp -r "$SRC_DIR" "$TMP/prof" && cp -r "$SRC_DIR" "$TMP/prof-ref"
    runs_all=$RUNS
    RUNS=1
    measure /dev/null "$CARGO_BIN" build --release --offline --locked --quiet \
        --manifest-path "$TMP/prof-ref/Cargo.toml"
    ref_sec=$M_SEC
    pbytes=$(wc -c <"$TMP/prof-ref/target/release/profsum" 2>/dev/null | tr -d ' ')
    [ -n "$pbytes" ] && [ "$pbytes" -gt 0 ] || pbytes=1
    pmb=$(awk -v b="$pbytes" 'BEGIN { printf "%.1f", b / 1e6 }')
    row profsum "$pmb" "-" "cargo build --release (1 build)" "$M_SEC" "$M_KIB" "$M_STATUS" "-" "$pbytes"
    measure "$TMP/full.csv" env CARGO="$CARGO_BIN" "$HEFT" cargo profiles --full --offline --locked \
        --format csv --manifest-path "$TMP/prof/Cargo.toml"
    row profsum "$pmb" "-" "cargo heft profiles --full" "$M_SEC" "$M_KIB" "$M_STATUS" "-" "$pbytes"
    RUNS=$runs_all
    if [ "$M_STATUS" -ne 0 ]; then
        echo "profiles --full FAILED (status $M_STATUS: $(head -n 1 "$TMP/err"))" >>"$VERDICTS"
    else
        awk -F, -v t="$M_SEC" -v r="$ref_sec" 'NR > 1 { n++; if ($2 == "ok") ok++ } END {
            printf "profiles --full: %d profiles (%d built, %d failed), %d cargo builds in %.1f s; " \
                   "one plain cargo build --release: %.2f s (%.1f plain builds of time per profile)\n",
                   n, ok, n - ok, 2 * n, t, r, (r > 0 && n) ? t / r / n : 0
        }' "$TMP/full.csv" >>"$VERDICTS"
    fi
fi

echo
# shellcheck disable=SC2059
printf "$FMT" file "size MB" symbols tool seconds "peak MiB" "x nm" "mem/file"
cat "$ROWS"
echo
echo "verdict:"
sed 's/^/  /' "$VERDICTS"

# --- debug info: units and files against readelf --------------------------------
DBG=""
[ -n "$SYSROOT" ] && DBG=$(readlink -f "$SYSROOT/bin/cargo" 2>/dev/null)
[ -n "${BENCH_DEBUG_FILE:-}" ] && DBG=$BENCH_DEBUG_FILE
echo
if [ -z "$DBG" ] || [ ! -f "$DBG" ]; then
    echo "debug info: no cargo binary to measure (set BENCH_DEBUG_FILE)"
elif ! command -v readelf >/dev/null 2>&1 || ! readelf -SW "$DBG" | grep -q '\.debug_line'; then
    echo "debug info: $DBG has no .debug_line (or readelf is missing); skipped"
else
    base=$(basename "$DBG")
    echo "# measuring debug info of $base ..." >&2
    measure /dev/null readelf --debug-dump=info "$DBG"
    re_sec=$M_SEC
    re_st=$M_STATUS
    printf '%-36s %-34s %8s %9s %9s\n' file tool seconds "peak MiB" "x readelf"
    printf '%-36s %-34s %8s %9s %9s\n' "$base" "readelf --debug-dump=info" "$re_sec" \
        "$(awk -v k="$M_KIB" 'BEGIN { print k == "-" ? "-" : sprintf("%.1f", k / 1024) }')" "1.00"
    [ "$re_st" -ne 0 ] && re_sec="-"
    for cmd in units files; do
        measure /dev/null "$HEFT" $cmd -n 0 "$DBG"
        printf '%-36s %-34s %8s %9s %9s\n' "$base" "heft $cmd -n0" \
            "$([ "$M_STATUS" -ne 0 ] && echo "FAIL:$M_STATUS" || echo "$M_SEC")" \
            "$(awk -v k="$M_KIB" 'BEGIN { print k == "-" ? "-" : sprintf("%.1f", k / 1024) }')" \
            "$(awk -v a="$M_SEC" -v b="$re_sec" 'BEGIN { print (b == "-" || b + 0 == 0) ? "-" : sprintf("%.2f", a / b) }')"
        sec=$M_SEC
        [ "$M_STATUS" -ne 0 ] && sec=FAIL
        goal "$base" "heft $cmd -n0 vs readelf --debug-dump=info" "$sec" "$re_sec" 1 x
    done
fi

# --- issue 15's goals, and the last line: those that fall short ----------------
echo
echo "goals (ratio measured in this run, against its reference in the same run):"
sed 's/^/  /' "$GOALS"
if [ -s "$SHORT" ]; then
    echo "short of goal ($(wc -l <"$SHORT" | tr -d ' ')): $(paste -sd';' "$SHORT" | sed 's/;/; /g')"
elif [ -s "$GOALS" ]; then
    echo "short of goal: none"
else
    echo "short of goal: nothing measured (no toolchain binaries found)"
fi

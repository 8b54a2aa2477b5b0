#!/bin/sh
# fuzz-seeds.sh — the fuzz targets' first inputs (tests/fuzz/), built from
# what the repository already has, so that no binary is committed:
#
#   elf       the C, C++ and dups fixtures' sources built with gcc and g++
#             (executable, object, stripped), as objects for other
#             machines and byte orders with clang, and linked for 32-bit
#             Arm and AArch64 with the cross compilers
#   ar        ar archives of the archive fixture's objects (with a long
#             member name and a text member)
#   dwarf     the debug-info fixture's sources with DWARF 4 and 5, clang's,
#             zlib- and zstd-compressed debug sections
#   names     mangled names from the unit tests, and every symbol of the above
#   snapshot  snapshots taken by heft of the above, as OLD NUL NEW (JSON) or
#             as heft writes them (gzip)
#   budget    the README's budget and each of its tables alone
#   cargo     cargo's JSON messages and metadata for the cargo fixture's
#             workspace (built offline in OUTDIR.cargo, kept for the next time)
#
#   usage: sh scripts/fuzz-seeds.sh HEFT CARGO OUTDIR
# A seed whose tool is missing (a cross target clang cannot build, no cargo)
# is skipped with a note; the targets run from the others.
set -eu

HEFT=$1
CARGO=$2
OUT=$3
W=$OUT/.work
rm -rf "$OUT"
mkdir -p "$W"
for t in elf ar dwarf names snapshot budget cargo; do
    mkdir -p "$OUT/$t"
done
skip() { echo "fuzz-seeds: skipped $1" >&2; }

FIX=tests/fixtures
C=$FIX/c/sizes.c
CFLAGS="-O2 -g0 -fno-lto"

# elf
gcc $CFLAGS -o "$OUT/elf/c-exe" $C
gcc $CFLAGS -c -o "$OUT/elf/c-obj.o" $C
gcc $CFLAGS -rdynamic -s -o "$OUT/elf/c-stripped" $C
gcc -O0 -g0 -o "$OUT/elf/c-exe-O0" $C
g++ $CFLAGS -o "$OUT/elf/cxx-exe" $FIX/cxx/shapes.cpp
g++ -O1 -g0 -c -o "$OUT/elf/templates.o" $FIX/monos/templates.cpp
gcc $CFLAGS -o "$OUT/elf/dups" $FIX/dups/dups.c
for t in aarch64-linux-gnu arm-linux-gnueabihf powerpc-linux-gnu aarch64_be-linux-gnu i386-linux-gnu; do
    clang --target=$t $CFLAGS -DFREESTANDING -ffreestanding -c -o "$OUT/elf/c-$t.o" $C 2>/dev/null || skip "elf/c-$t.o"
done
# Linked for other machines, whose code the reference graph reads: 32-bit Arm
# in T32 (position-independent) and in A32 at a fixed address, and AArch64.
arm-linux-gnueabihf-gcc $CFLAGS -o "$OUT/elf/why-t32" $FIX/c/why.c 2>/dev/null || skip elf/why-t32
arm-linux-gnueabihf-gcc $CFLAGS -marm -no-pie -o "$OUT/elf/why-a32-fixed" $FIX/c/why.c 2>/dev/null ||
    skip elf/why-a32-fixed
aarch64-linux-gnu-gcc $CFLAGS -o "$OUT/elf/why-a64" $FIX/c/why.c 2>/dev/null || skip elf/why-a64

# ar
for f in ar_one ar_two a_member_with_a_long_name; do
    gcc $CFLAGS -c -o "$W/$f.o" $FIX/archive/$f.c
    gcc $CFLAGS -ffunction-sections -fdata-sections -c -o "$W/fs-$f.o" $FIX/archive/$f.c
done
(cd "$W" && ar rcsD ../ar/c.a ar_one.o ar_two.o a_member_with_a_long_name.o)
(cd "$W" && ar rcsD ../ar/c-fs.a fs-ar_one.o fs-ar_two.o fs-a_member_with_a_long_name.o)
cp $FIX/archive/notes.txt "$W/notes.txt"
(cd "$W" && ar rcsD ../ar/mixed.a ar_one.o notes.txt)

# dwarf: linked files (heft reads no debug info from relocatable objects)
DW="$FIX/dwarf/c/alpha.c $FIX/dwarf/c/beta.c"
gcc -O1 -fno-lto -g -gdwarf-4 -o "$OUT/dwarf/c4" $DW
gcc -O1 -fno-lto -g -gdwarf-5 -o "$OUT/dwarf/c5" $DW
gcc -O1 -fno-lto -g -gdwarf-5 -gz=zlib -o "$OUT/dwarf/cz" $DW
gcc -O1 -fno-lto -g -gdwarf-5 -ffunction-sections -fno-toplevel-reorder -o "$OUT/dwarf/seq" $FIX/dwarf/c/seq.c
clang -O1 -g -gdwarf-5 -o "$OUT/dwarf/clang" $DW 2>/dev/null || skip dwarf/clang
objcopy --compress-debug-sections=zstd "$OUT/dwarf/c5" "$OUT/dwarf/zstd" 2>/dev/null || skip dwarf/zstd
g++ -O1 -g -o "$OUT/dwarf/cxx" $FIX/monos/templates.cpp 2>/dev/null || skip dwarf/cxx

# names: one a file, without a newline
{
    grep -ohE '"_(R|Z)[A-Za-z0-9_$.]*"' tests/unit/*.c | tr -d '"'
    for f in "$OUT"/elf/* "$OUT"/dwarf/*; do
        nm "$f" 2>/dev/null | awk '{ print $NF }'
    done
} | sort -u | awk -v d="$OUT/names" 'NF { f = sprintf("%s/n%04d", d, NR); printf "%s", $0 > f; close(f) }'

# snapshot: OLD NUL NEW as JSON, and one as heft writes it
snap() { "$HEFT" snapshot "$1" -o "$W/$2.gz" 2>/dev/null && gzip -dc "$W/$2.gz" > "$W/$2"; }
pair() {
    if snap "$1" a && snap "$2" b; then
        { cat "$W/a"; printf '\0'; cat "$W/b"; } > "$OUT/snapshot/$3"
    else
        skip "snapshot/$3"
    fi
}
pair "$OUT/elf/c-exe-O0" "$OUT/elf/c-exe" c-O0-O2
pair "$OUT/dwarf/c4" "$OUT/dwarf/c5" dwarf-c4-c5
pair "$OUT/elf/cxx-exe" "$OUT/dwarf/cxx" cxx
pair "$OUT/ar/c.a" "$OUT/ar/c-fs.a" ar
"$HEFT" snapshot "$OUT/elf/dups" -o "$OUT/snapshot/dups.gz" 2>/dev/null || skip snapshot/dups.gz

# budget: the README's example, whole and table by table
awk '/^```toml/ { on = 1; next } /^```/ { on = 0 } on' README.md > "$OUT/budget/readme.toml"
awk -v d="$OUT/budget" '/^\[/ { n++ } n { f = sprintf("%s/table%d.toml", d, n); print > f }' "$OUT/budget/readme.toml"

# cargo: a build's messages NUL its metadata
if command -v "$CARGO" >/dev/null 2>&1; then
    M=$FIX/cargo/Cargo.toml
    if CARGO_TARGET_DIR="$OUT.cargo" "$CARGO" build --offline --quiet --workspace --all-targets \
           --message-format=json-render-diagnostics --manifest-path $M > "$W/build.json" 2>/dev/null &&
       "$CARGO" metadata --offline --format-version 1 --manifest-path $M > "$W/meta.json" 2>/dev/null; then
        { cat "$W/build.json"; printf '\0'; cat "$W/meta.json"; } > "$OUT/cargo/workspace"
        cp "$W/build.json" "$OUT/cargo/messages"
    else
        skip "cargo (cargo build or metadata failed)"
    fi
else
    skip "cargo (no cargo)"
fi
rm -rf "$W"
for t in elf ar dwarf names snapshot budget cargo; do
    printf '%s: %s seeds\n' "$t" "$(ls "$OUT/$t" | wc -l)"
done

#!/bin/sh
# deps.sh — install what heft needs to build, test and demo, when it is missing.
# Called by the Makefile before every build; cheap when all is present.
#
#   sh scripts/deps.sh          to build heft
#   sh scripts/deps.sh test     and to build and run the tests
#   sh scripts/deps.sh demo     and to build the demo (a Rust project)
#
# The Rust toolchain: a cargo on PATH or rustup's ~/.cargo/bin/cargo is used
# as it is, when it is new enough. Where there is none, Debian 12's rustc-web
# and cargo-web are installed: Debian's plain rustc/cargo (1.63/0.66) cannot
# read the fixtures' lock files nor build their code.
set -e
rust_min=1.85
need=""
have_pc() { pkg-config --exists "$1" 2>/dev/null; }
command -v pkg-config >/dev/null 2>&1 || need="$need pkg-config"
command -v cc >/dev/null 2>&1 || need="$need gcc"
have_pc libelf || need="$need libelf-dev"
have_pc libdw || need="$need libdw-dev"
have_pc capstone || need="$need libcapstone-dev"
have_pc libzstd || need="$need libzstd-dev"
have_pc jansson || need="$need libjansson-dev"
have_pc zlib || need="$need zlib1g-dev"
have_pc libpcre2-8 || need="$need libpcre2-dev"
[ -f /usr/include/libiberty/demangle.h ] || need="$need libiberty-dev"
if [ "${1:-}" = test ]; then
    have_pc criterion || need="$need libcriterion-dev"
    command -v g++ >/dev/null 2>&1 || need="$need g++"
    command -v clang >/dev/null 2>&1 || need="$need clang"
    # libFuzzer and the sanitizers' runtimes for clang (make fuzz, tests/fuzz/)
    dpkg -s libclang-rt-14-dev >/dev/null 2>&1 || need="$need libclang-rt-14-dev"
    command -v ld.lld >/dev/null 2>&1 || need="$need lld"
    # the line tables the debug-info tests compare with (tests/e2e/test_realworld_dwarf.c)
    command -v llvm-dwarfdump-14 >/dev/null 2>&1 || need="$need llvm-14"
    command -v nm >/dev/null 2>&1 || need="$need binutils"
    command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 || need="$need gcc-aarch64-linux-gnu"
    command -v arm-linux-gnueabihf-gcc >/dev/null 2>&1 || need="$need gcc-arm-linux-gnueabihf"
    command -v xmllint >/dev/null 2>&1 || need="$need libxml2-utils"
    # the crates of tests/fixtures/realworld (their own dependencies come along)
    for p in serde serde-derive serde-json clap clap-derive regex anyhow thiserror log; do
        dpkg -s "librust-$p-dev" >/dev/null 2>&1 || need="$need librust-$p-dev"
    done
fi
if [ "${1:-}" = test ] || [ "${1:-}" = demo ]; then
    cargo=$(command -v cargo 2>/dev/null || true)
    [ -n "$cargo" ] || { [ -x "$HOME/.cargo/bin/cargo" ] && cargo=$HOME/.cargo/bin/cargo; } || true
    if [ -z "$cargo" ]; then
        need="$need rustc-web cargo-web"
    else
        # "cargo 1.95.0 (…)"; Debian's old cargo says "cargo 0.66.0".
        ver=$("$cargo" --version 2>/dev/null | sed -n 's/^cargo \([0-9]*\.[0-9]*\).*/\1/p')
        if [ -z "$ver" ] || [ "$(printf '%s\n%s\n' "$rust_min" "$ver" | sort -V | head -1)" != "$rust_min" ]; then
            echo "heft: $cargo is ${ver:-of unknown version}; the tests and the demo need Rust $rust_min or newer." >&2
            echo "  hint: apt-get install rustc-web cargo-web (they replace Debian's rustc and cargo), or use rustup" >&2
            exit 1
        fi
    fi
fi
[ -z "$need" ] && exit 0
if [ "$(id -u)" != 0 ]; then
    echo "heft: missing packages:$need (run 'make' as root to install them, or apt-get install them)" >&2
    exit 1
fi
echo "installing:$need"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq $need

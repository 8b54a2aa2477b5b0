#!/bin/sh
# deps.sh — install what heft needs to build and test, when it is missing.
# Called by the Makefile before every build; cheap when all is present.
set -e
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
[ -f /usr/include/libiberty/demangle.h ] || need="$need libiberty-dev"
if [ "${1:-}" = test ]; then
    have_pc criterion || need="$need libcriterion-dev"
    command -v g++ >/dev/null 2>&1 || need="$need g++"
    command -v clang >/dev/null 2>&1 || need="$need clang"
    command -v ld.lld >/dev/null 2>&1 || need="$need lld"
    command -v nm >/dev/null 2>&1 || need="$need binutils"
    command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 || need="$need gcc-aarch64-linux-gnu"
    command -v arm-linux-gnueabihf-gcc >/dev/null 2>&1 || need="$need gcc-arm-linux-gnueabihf"
    command -v xmllint >/dev/null 2>&1 || need="$need libxml2-utils"
fi
if [ "${1:-}" = test ] || [ "${1:-}" = demo ]; then
    command -v cargo >/dev/null 2>&1 || [ -x "$HOME/.cargo/bin/cargo" ] || need="$need cargo"
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

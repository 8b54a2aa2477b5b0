# heft — build, test, demo and benchmark. `make check` and `make demo` install
# what is missing (Debian packages, as root) through scripts/deps.sh.

CC      ?= gcc
PKGS    := libelf jansson capstone zlib libdw libzstd libpcre2-8
TPKGS   := jansson criterion
# Recursive (=) so pkg-config runs after scripts/deps.sh has installed things.
CFLAGS_BASE = -std=c11 -D_GNU_SOURCE -pthread -Wall -Wextra -Werror -g $(shell pkg-config --cflags $(PKGS))
CFLAGS  ?= -O2
LIBS    = $(shell pkg-config --libs $(PKGS)) -liberty -lm -pthread
TLIBS   = $(LIBS) $(shell pkg-config --libs $(TPKGS))
SAN     := -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

SRC     := $(sort $(wildcard src/*.c))
LIBSRC  := $(filter-out src/main.c,$(SRC))
HDR     := $(wildcard src/*.h)
TSRC    := $(sort $(wildcard tests/*.c tests/unit/*.c tests/e2e/*.c))
THDR    := $(wildcard tests/e2e/*.h tests/unit/*.h)

PREFIX  ?= /usr/local
# A cargo on PATH, else rustup's; the tests run with its directory first on
# PATH so that they and the fixtures see one toolchain (its rustc, its sysroot).
CARGO   ?= $(shell command -v cargo 2>/dev/null || echo $(HOME)/.cargo/bin/cargo)
RUST_PATH = $(patsubst %/,%,$(dir $(CARGO))):$(PATH)

.PHONY: all deps test-deps demo-deps check check-run test unit demo demo-run bench fixtures clean install fuzz fuzz-run

all: build/heft build/heft-measure build/cargo-heft

deps:
	@sh scripts/deps.sh

test-deps:
	@sh scripts/deps.sh test

demo-deps:
	@sh scripts/deps.sh demo

build/heft: $(SRC) $(HDR) | deps
	@mkdir -p build
	$(CC) $(CFLAGS_BASE) $(CFLAGS) -o $@ $(SRC) $(LIBS)

build/asan/heft: $(SRC) $(HDR) | deps
	@mkdir -p build/asan
	$(CC) $(CFLAGS_BASE) $(SAN) -o $@ $(SRC) $(LIBS)

# The helper that runs --bench commands (src/measure.h): libc only, and never
# sanitized, so that what it starts is measured from a small image.
build/heft-measure build/asan/heft-measure: src/helper/heft-measure.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -O2 -o $@ $<

build/tests: $(LIBSRC) $(HDR) $(TSRC) $(THDR) | test-deps
	@mkdir -p build
	$(CC) $(CFLAGS_BASE) $(CFLAGS) -Isrc $(shell pkg-config --cflags $(TPKGS)) -o $@ $(LIBSRC) $(TSRC) $(TLIBS)

build/asan/tests: $(LIBSRC) $(HDR) $(TSRC) $(THDR) | test-deps
	@mkdir -p build/asan
	$(CC) $(CFLAGS_BASE) $(SAN) -Isrc $(shell pkg-config --cflags $(TPKGS)) -o $@ $(LIBSRC) $(TSRC) $(TLIBS)

include tests/fixtures/fixtures.mk

# Fuzzing (README "Fuzzing"): one libFuzzer target per input kind
# (tests/fuzz/fuzz_KIND.c), built with clang under ASan and UBSan; the
# library with fuzzer-no-link, so that coverage guides the fuzzer through it.
# Seeds are built from the fixtures' sources (scripts/fuzz-seeds.sh).
FUZZ_CC      ?= clang
FUZZ_TARGETS := elf ar dwarf names snapshot budget cargo
FUZZ_SMOKE_TARGETS := $(FUZZ_TARGETS)
FUZZ_TIME    ?= 600
FUZZ_SMOKE   ?= 30
FUZZ_SAN     := -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_OBJ     := $(patsubst src/%.c,build/fuzz/obj/%.o,$(LIBSRC))
FUZZ_BINS    := $(addprefix build/fuzz/fuzz_,$(FUZZ_TARGETS))
FUZZ_SEEDS   := $(wildcard tests/fixtures/c/* tests/fixtures/cxx/* tests/fixtures/dups/*.c tests/fixtures/monos/*.cpp \
                  tests/fixtures/archive/*.c tests/fixtures/dwarf/c/* tests/unit/*.c tests/fixtures/cargo/Cargo.* \
                  tests/fixtures/cargo/*/Cargo.toml tests/fixtures/cargo/*/src/*.rs) README.md

build/fuzz/obj/%.o: src/%.c $(HDR) | test-deps
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CFLAGS_BASE) $(FUZZ_SAN) -fsanitize=fuzzer-no-link -c -o $@ $<

build/fuzz/libheft.a: $(FUZZ_OBJ)
	rm -f $@ && ar rcs $@ $^

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_util.c tests/fuzz/fuzz.h build/fuzz/libheft.a
	$(FUZZ_CC) $(CFLAGS_BASE) $(FUZZ_SAN) -fsanitize=fuzzer -Isrc -o $@ $< tests/fuzz/fuzz_util.c \
	  build/fuzz/libheft.a $(LIBS)

build/fuzz/seeds/.built: build/heft scripts/fuzz-seeds.sh $(FUZZ_SEEDS)
	sh scripts/fuzz-seeds.sh build/heft $(CARGO) build/fuzz/seeds
	@touch $@

# Each target for FUZZ_TIME seconds, one after the other; findings fail it.
fuzz: test-deps
	@$(MAKE) --no-print-directory fuzz-run

fuzz-run: $(FUZZ_BINS) build/fuzz/seeds/.built
	sh scripts/fuzz.sh $(FUZZ_TIME) $(FUZZ_TARGETS)

# `check` and `demo` install what is missing first, then run make again: make
# reads its variables (the path to cargo above all) before any recipe runs, so
# a second make is the one that sees what deps.sh installed.
check: test-deps
	@$(MAKE) --no-print-directory check-run

# Each fuzz target (FUZZ_SMOKE_TARGETS) first runs for FUZZ_SMOKE seconds, where a crash or a
# timeout fails the check. Then the suite runs twice: as built, then
# everything (heft included) under AddressSanitizer and
# UndefinedBehaviorSanitizer; the last summary covers both.
check-run: build/heft build/heft-measure build/tests build/asan/heft build/asan/heft-measure build/asan/tests fixtures \
           $(FUZZ_BINS) build/fuzz/seeds/.built
	sh scripts/fuzz.sh $(FUZZ_SMOKE) $(FUZZ_SMOKE_TARGETS)
	PATH="$(RUST_PATH)" HEFT=$(CURDIR)/build/heft FIXTURES=$(CURDIR)/build/fixtures build/tests
	PATH="$(RUST_PATH)" HEFT=$(CURDIR)/build/asan/heft FIXTURES=$(CURDIR)/build/fixtures \
	  ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 build/asan/tests

test: check

demo: demo-deps
	@$(MAKE) --no-print-directory demo-run

demo-run: build/heft
	cd examples/demo && $(CARGO) build --release --offline --quiet --locked
	build/heft examples/demo/target/release/demo
	@echo
	build/heft crates -n 12 examples/demo/target/release/demo
	@echo
	build/heft monos -n 5 examples/demo/target/release/demo

bench: build/heft
	sh scripts/bench.sh build/heft

# cargo runs `cargo heft` as cargo-heft: the same program under a second name.
build/cargo-heft: build/heft
	ln -sf heft $@

install: build/heft build/heft-measure
	install -D -m 755 build/heft $(DESTDIR)$(PREFIX)/bin/heft
	install -D -m 755 build/heft-measure $(DESTDIR)$(PREFIX)/libexec/heft/heft-measure
	ln -sf heft $(DESTDIR)$(PREFIX)/bin/cargo-heft

clean:
	rm -rf build examples/demo/target

/* fixture_util.h — what the fixture tests share beyond harness.h: the
 * reference numbers from binutils (readelf -sW, -SW, -lW), sums over heft's
 * rows, and the "everything adds up" check.
 *
 * readelf is the reference on purpose: it is independent of heft (no libelf)
 * and reads every machine and byte order. */
#ifndef HEFT_TEST_FIXTURE_UTIL_H
#define HEFT_TEST_FIXTURE_UTIL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct FxSym {
    char *name;
    char type[16];  /* FUNC, OBJECT, TLS, NOTYPE, SECTION, FILE, ... */
    char bind[16];  /* LOCAL, GLOBAL, WEAK, ... */
    char ndx[16];   /* section index, or UND, ABS, COM */
    uint64_t value; /* st_value (Thumb bit cleared when asked) */
    uint64_t size;
} FxSym;

typedef struct FxSection {
    unsigned index;
    char *name;
    char type[32];  /* as readelf prints it: PROGBITS, NOBITS, ... */
    char flags[16]; /* A, W, X, T, ... ("" when none) */
    uint64_t addr, offset, size;
} FxSection;

typedef struct FxLoad {
    uint64_t offset, vaddr, filesz, memsz;
} FxLoad;

typedef struct FxElf {
    FxSym *syms;
    size_t nsyms;
    FxSection *secs;
    size_t nsecs;
    FxLoad *loads;
    size_t nloads;
    bool relocatable;
} FxElf;

/* Reads the symbols of table (".symtab" or ".dynsym"; NULL: none), the sections and the
 * PT_LOAD headers of path with readelf. clear_thumb: clear bit 0 of FUNC
 * values (32-bit ARM). Fails the test if readelf fails. */
void fx_elf_read(FxElf *e, const char *path, const char *table, bool clear_thumb);
void fx_elf_free(FxElf *e);
const FxSection *fx_section_by_index(const FxElf *e, const char *ndx);
const FxSection *fx_section_named(const FxElf *e, const char *name);
/* Number of sections with that name (relocatable objects repeat some). */
size_t fx_section_count(const FxElf *e, const char *name);
/* Size of the loaded image: the union of the PT_LOAD [vaddr, vaddr+memsz);
 * for a relocatable object, the sum of its SHF_ALLOC sections' sizes. */
uint64_t fx_vm_size(const FxElf *e);
/* Bytes of the file in no PT_LOAD's [offset, offset+filesz). */
uint64_t fx_unloaded_file_bytes(const FxElf *e, uint64_t file_size);

/* True when symbol i shares its range with no symbol but its aliases (same
 * section, address and size) and overlaps no other sized symbol. */
bool fx_sym_alone(const FxElf *e, size_t i);
/* True for the symbols heft accounts: defined, sized, not SECTION/FILE. */
bool fx_sym_sized(const FxSym *s);

/* Sums over j["rows"]; a row's "owned" counts in both sizes. */
typedef struct FxSum {
    uint64_t file_size, vm_size;
    size_t rows;
} FxSum;
FxSum fx_rows_sum(json_t *j);
/* A rest or filtered_out object as an FxSum, its "owned" counted in both sizes. */
FxSum fx_sum_of(json_t *sum);
/* The row whose "raw" is raw (symbols view), or NULL; fails the test if more
 * than one row has it. */
json_t *fx_row_raw(json_t *rows, const char *raw);
/* The string field of obj, or "" when missing or null. */
const char *fx_str(json_t *obj, const char *key);
/* True when the row's "aliases" array holds name. */
bool fx_has_alias(json_t *row, const char *name);
size_t fx_naliases(json_t *row);

/* Runs `heft --format json VIEW -n 0 EXTRA PATH` and checks that the rows add
 * up: file_size is the file's size, the rows sum to file_size and vm_size,
 * rest and filtered_out are empty, and vm_size is the loaded image's size
 * from readelf. Returns the parsed JSON (caller decrefs). */
json_t *fx_check_adds_up(const char *path, const char *view, const char *extra);

/* Path of a fixture, failing the test with a clear message if it is absent. */
const char *fx_need(const char *name);

/* A real file of the Rust toolchain that `rustc` on PATH belongs to (rustup's
 * or Debian's), malloc'd; fails the test with a clear message if there is none:
 *   "cargo"          the cargo beside rustc (sysroot/bin/cargo, else cargo on PATH)
 *   "rustc_driver"   the librustc_driver-*.so rustc links (ldd)
 *   "std_rlib"       libstd-*.rlib in `rustc --print target-libdir` */
char *fx_toolchain_file(const char *what);
/* The system's C++ runtime, libstdc++.so.6, as g++ finds it (malloc'd): a
 * real C++ library on every machine the suite runs on (.dynsym only). */
char *fx_libstdcxx(void);

/* A fresh copy of the source tree tests/fixtures/DIR in a new temporary
 * directory, so that a build there starts from an empty target/ and never
 * writes into the tree; its malloc'd absolute path. */
char *fx_source_copy(const char *dir);

/* A copy of path run through `strip OPTIONS`, in a new temporary file whose
 * malloc'd path is returned (the caller unlinks and frees it). */
char *fx_stripped_copy(const char *path, const char *options);

/* Splits text into lines (modifies it); returns the count. */
size_t fx_lines(char *text, char ***lines);

#endif

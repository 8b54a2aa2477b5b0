/* test_snapshot.c — snapshot files written and read back, without a binary. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "snapshot.h"

/* A snapshot read from a heft.snapshot/1 file holds the first four views
 * only; `heft snapshot OLD -o NEW` saves it again, and heft must read that
 * (found by tests/fuzz/fuzz_snapshot: it was written as /2 without the
 * generics a /2 file must hold). */
Test(diff_snapshot_unit, v1_snapshot_saved_again_reads_back)
{
    Arena *a = arena_new();
    SnapRow sections[] = {{".text", ".text", NULL, NULL, 10, 4, 0}};
    SnapRow segments[] = {{"LOAD #0", "LOAD #0", NULL, NULL, 10, 4, 0}};
    SnapRow crates[] = {{"[C]", "[C]", NULL, NULL, 10, 4, 0}};
    SnapRow symbols[] = {{"main", "main", "[C]", ".text", 10, 4, 0}};
    Snapshot s = {.tool = "heft 0.1.0", .source = "x", .schema = SNAPSHOT_SCHEMA_V1, .file_size = 10, .vm_size = 4};
    SnapRow *rows[] = {sections, segments, crates, symbols};
    for (SnapView k = 0; k < SNAP_MONOS; k++) {
        s.rows[k] = rows[k];
        s.nrows[k] = 1;
        s.has[k] = true;
    }
    char path[] = "/tmp/heft-snapshot-unit-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    char err[512];
    cr_assert_eq(snapshot_save(&s, path, err, sizeof err), 0, "%s", err);
    Snapshot back;
    int rc = snapshot_load(a, path, &back, err, sizeof err);
    unlink(path);
    cr_assert_eq(rc, 0, "%s", err);
    cr_assert_str_eq(back.schema, SNAPSHOT_SCHEMA_V1);
    cr_assert(!back.has[SNAP_MONOS]);
    for (SnapView k = 0; k < SNAP_MONOS; k++) {
        cr_assert_eq(back.nrows[k], 1);
        cr_assert_str_eq(back.rows[k][0].name, rows[k][0].name);
        cr_assert_eq(back.rows[k][0].file_size, 10);
        cr_assert_eq(back.rows[k][0].vm_size, 4);
    }
    cr_assert_str_eq(back.rows[SNAP_SYMBOLS][0].crate, "[C]");
    cr_assert_str_eq(back.rows[SNAP_SYMBOLS][0].section, ".text");
    arena_free(a);
}

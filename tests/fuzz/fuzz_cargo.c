/* fuzz_cargo.c — libFuzzer target: what heft reads from cargo. The input
 * is MESSAGES, or MESSAGES NUL METADATA: the stdout of `cargo build
 * --message-format=json-render-diagnostics` (one JSON message a line) and
 * of `cargo metadata --format-version 1`. The metadata is read first, and
 * when it reads, its workspace members select the artifacts, as in cargo
 * heft.
 * Reproduce a finding: build/fuzz/fuzz_cargo FILE. */
#include "cargo.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *meta_text;
    size_t nmeta;
    size_t nmsgs = fuzz_split(data, size, &meta_text, &nmeta);
    Arena *a = arena_new();
    CargoMeta meta;
    bool have_meta = meta_text && cargo_parse_metadata(a, (const char *)meta_text, nmeta, &meta);
    CargoBuild b = {0};
    cargo_parse_messages(a, (const char *)data, nmsgs, have_meta ? &meta : NULL, &b);
    for (size_t i = 0; i < b.narts; i++)
        cargo_is_member(have_meta ? &meta : NULL, b.arts[i].package_id);
    arena_free(a);
    return 0;
}

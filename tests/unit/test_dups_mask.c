/* test_dups_mask.c — the masking behind `heft dups` on hand-assembled
 * instructions: exactly the placement-dependent fields are cleared, nothing
 * else; and the minimal generic-name key. */
#include <criterion/criterion.h>
#include <elf.h>
#include <string.h>

#include "dups.h"

static void expect_mask(uint16_t machine, const uint8_t *in, const uint8_t *want, size_t n, uint64_t addr,
                        long want_bad)
{
    uint8_t out[64];
    cr_assert(n <= sizeof out);
    long bad = dups_mask(machine, in, n, addr, out);
    cr_assert_eq(bad, want_bad, "undecodable bytes: %ld, want %ld", bad, want_bad);
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(out[i], want[i], "byte %zu: %02x, want %02x", i, out[i], want[i]);
}

Test(dups_mask, x86_calls_and_jumps_leaving_the_function)
{
    const uint8_t in[] = {
        0xe8, 0x10, 0x20, 0x30, 0x40,       /* call far away */
        0x0f, 0x84, 0x01, 0x02, 0x03, 0x04, /* je far away */
        0xeb, 0x00,                         /* jmp to the next instruction: inside, kept */
        0x74, 0xf1,                         /* je back to offset 0: inside, kept */
        0xe9, 0x00, 0x01, 0x00, 0x00,       /* jmp past the end */
        0xc3,
    };
    const uint8_t want[] = {
        0xe8, 0, 0, 0, 0, 0x0f, 0x84, 0, 0, 0, 0, 0xeb, 0x00, 0x74, 0xf1, 0xe9, 0, 0, 0, 0, 0xc3,
    };
    expect_mask(EM_X86_64, in, want, sizeof in, 0x1000, 0);
}

Test(dups_mask, x86_rip_relative_displacement_only)
{
    const uint8_t in[] = {
        0x48, 0x8d, 0x05, 0x11, 0x22, 0x33, 0x44,                   /* lea rax, [rip+x] */
        0xc7, 0x05, 0x11, 0x22, 0x33, 0x44, 0x05, 0x00, 0x00, 0x00, /* mov dword [rip+x], 5: imm kept */
        0x8b, 0x47, 0x10,                                           /* mov eax, [rdi+16]: not RIP, kept */
        0x48, 0x8b, 0x04, 0x25, 0x10, 0x20, 0x00, 0x00,             /* mov rax, [0x2010]: absolute, kept */
        0xff, 0x25, 0x01, 0x02, 0x03, 0x04,                         /* jmp [rip+x] */
    };
    const uint8_t want[] = {
        0x48, 0x8d, 0x05, 0, 0, 0, 0, 0xc7, 0x05, 0, 0, 0, 0, 0x05, 0x00, 0x00, 0x00, 0x8b, 0x47, 0x10,
        0x48, 0x8b, 0x04, 0x25, 0x10, 0x20, 0x00, 0x00, 0xff, 0x25, 0, 0, 0, 0,
    };
    expect_mask(EM_X86_64, in, want, sizeof in, 0x401000, 0);
}

Test(dups_mask, x86_undecodable_bytes_kept)
{
    const uint8_t in[] = {0x06, 0xe8, 0x10, 0x20, 0x30, 0x40, 0x0f};
    const uint8_t want[] = {0x06, 0xe8, 0, 0, 0, 0, 0x0f};
    expect_mask(EM_X86_64, in, want, sizeof in, 0x1000, 2);
}

#define A64(w) (uint8_t)(w), (uint8_t)((w) >> 8), (uint8_t)((w) >> 16), (uint8_t)((w) >> 24)

Test(dups_mask, a64_branches_and_adrp_pairs)
{
    const uint8_t in[] = {
        A64(0x97ffffdau), /* bl far back: imm26 cleared */
        A64(0x54000040u), /* b.eq +8: inside, kept */
        A64(0x90000106u), /* adrp x6, page: immhi/immlo cleared */
        A64(0x910180c5u), /* add x5, x6, #0x60: x6 from ADRP, imm12 cleared */
        A64(0x910180e5u), /* add x5, x7, #0x60: x7 not from ADRP, kept */
        A64(0xb9400cc0u), /* ldr w0, [x6, #12]: imm12 cleared */
        A64(0x36000400u), /* tbz w0, #0, +128: outside, imm14 cleared */
        A64(0x58000041u), /* ldr x1, literal +8: imm19 cleared even inside */
        A64(0x10000002u), /* adr x2, . : cleared */
        A64(0xd65f03c0u), /* ret */
        0xaa, 0xbb,       /* a tail shorter than an instruction */
    };
    const uint8_t want[] = {
        A64(0x94000000u), A64(0x54000040u), A64(0x90000006u), A64(0x910000c5u), A64(0x910180e5u),
        A64(0xb94000c0u), A64(0x36000000u), A64(0x58000001u), A64(0x10000002u), A64(0xd65f03c0u), 0xaa, 0xbb,
    };
    expect_mask(EM_AARCH64, in, want, sizeof in, 0x8c0, 2);
}

Test(dups_mask, unsupported_machine)
{
    uint8_t in[4] = {1, 2, 3, 4}, out[4];
    cr_assert_eq(dups_mask(EM_ARM, in, 4, 0, out), -1);
}

/* generics.c's key, with the legacy hash dropped too. */
Test(dups_mask, generic_key)
{
    Arena *a = arena_new();
    cr_assert_str_eq(dups_generic_key(a, "core::ptr::drop_in_place<alloc::vec::Vec<u8>>", NAME_RUST_LEGACY),
                     "core::ptr::drop_in_place");
    cr_assert_str_eq(dups_generic_key(a, "dupsrs::id_len::<alloc::vec::Vec<u8>>", NAME_RUST_V0), "dupsrs::id_len");
    cr_assert_str_eq(dups_generic_key(a, "<alloc::vec::Vec<T> as core::ops::drop::Drop>::drop", NAME_RUST_LEGACY),
                     "<alloc::vec::Vec<_> as core::ops::drop::Drop>::drop");
    cr_assert_str_eq(dups_generic_key(a, "app::f::<fn() -> u8>", NAME_RUST_V0), "app::f");
    cr_assert_str_eq(dups_generic_key(a, "app::run::h0123456789abcdef", NAME_RUST_LEGACY), "app::run");
    cr_assert_str_eq(dups_generic_key(a, "int ns::max<int>(int, int)", NAME_CXX), "ns::max");
    cr_assert_str_eq(dups_generic_key(a, "(anonymous namespace)::f<long>()", NAME_CXX), "(anonymous namespace)::f");
    cr_assert_null(dups_generic_key(a, "main", NAME_C));
    cr_assert_null(dups_generic_key(a, "bool operator<(A const&, A const&)", NAME_CXX));
    cr_assert_null(dups_generic_key(a, "app::run", NAME_RUST_V0));
    arena_free(a);
}

/* test_x86refs.c — the hand-written x86-64 reference decoder (x86refs.c)
 * against capstone, on every function of real programs: the Rust workspace,
 * heft itself (C), the C++ fixture, and the system's libstdc++ and LLVM
 * (when installed). For each function the two must name the same addresses
 * in the same order: calls, jumps and RIP-relative operands. Where capstone
 * 4 disagrees (it drops the RIP-relative operand of some AVX2 forms, such as
 * vpbroadcastb), objdump -d decides, and x86refs must agree with it. */
#include <capstone/capstone.h>
#include <criterion/criterion.h>
#include <elf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "account.h"
#include "elffile.h"
#include "fixture_util.h"
#include "harness.h"
#include "x86refs.h"

typedef struct Targets {
    uint64_t *p;
    size_t n, cap;
} Targets;

static void push(Targets *t, uint64_t v)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 64;
        t->p = realloc(t->p, t->cap * sizeof *t->p);
        cr_assert(t->p);
    }
    t->p[t->n++] = v;
}

static void on_target(void *ctx, uint64_t target)
{
    push(ctx, target);
}

/* What capstone says the instructions name, skipping a byte where it
 * cannot decode, as x86refs does. */
static void capstone_targets(csh cs, cs_insn *insn, const uint8_t *code, size_t n, uint64_t addr, Targets *t)
{
    const uint8_t *p = code;
    size_t left = n;
    uint64_t pc = addr;
    while (left) {
        if (!cs_disasm_iter(cs, &p, &left, &pc, insn)) {
            p++, left--, pc++;
            continue;
        }
        const cs_x86 *x = &insn->detail->x86;
        for (uint8_t i = 0; i < x->op_count; i++) {
            const cs_x86_op *op = &x->operands[i];
            if (op->type == X86_OP_MEM && op->mem.base == X86_REG_RIP)
                push(t, pc + (uint64_t)op->mem.disp);
            else if (op->type == X86_OP_IMM && x->encoding.imm_offset &&
                     cs_insn_group(cs, insn, CS_GRP_BRANCH_RELATIVE))
                push(t, (uint64_t)op->imm);
        }
    }
}

/* What objdump -d says the instructions of [addr, addr + n) name: branch
 * targets ("jne 4010 <f+0x10>") and RIP-relative addresses ("# 4010 <x>"). */
static void objdump_targets(const char *path, uint64_t addr, uint64_t n, Targets *t)
{
    Run r = run_cmd("objdump -d --no-show-raw-insn --start-address=%#" PRIx64 " --stop-address=%#" PRIx64 " '%s'",
                    addr, addr + n, path);
    char *save;
    for (char *line = strtok_r(r.out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *tab = strchr(line, '\t');
        if (!tab || !strchr(line, ':'))
            continue;
        char *hash = strstr(tab, "# "), *end;
        uint64_t v;
        if (hash && (v = strtoull(hash + 2, &end, 16), end > hash + 2 && end[0] == ' ' && end[1] == '<')) {
            push(t, v);
            continue;
        }
        /* A direct branch: the mnemonic (after any bnd/notrack prefix), then a
         * bare hex address. */
        char mn[32], arg[64];
        const char *ins = tab + 1;
        while (!strncmp(ins, "bnd ", 4) || !strncmp(ins, "notrack ", 8) || !strncmp(ins, "data16 ", 7) ||
               !strncmp(ins, "cs ", 3) || !strncmp(ins, "ds ", 3))
            ins = strchr(ins, ' ') + 1;
        if (sscanf(ins, "%31s %63s", mn, arg) == 2 &&
            (mn[0] == 'j' || !strncmp(mn, "call", 4) || !strncmp(mn, "loop", 4) || !strcmp(mn, "xbegin")) &&
            (v = strtoull(arg, &end, 16), end > arg && *end == '\0'))
            push(t, v);
    }
    run_free(&r);
}

static bool same(const Targets *a, const Targets *b)
{
    return a->n == b->n && (!a->n || memcmp(a->p, b->p, a->n * sizeof *a->p) == 0);
}

/* Compares the two on every function of path; returns how many. */
static size_t compare(const char *path)
{
    Arena *a = arena_new();
    Image img;
    char err[256];
    cr_assert_eq(elffile_open(a, path, &img, err, sizeof err), 0, "%s: %s", path, err);
    Account acct;
    account_build(a, &img, ACCT_NO_DEMANGLE, &acct);
    csh cs;
    cr_assert_eq(cs_open(CS_ARCH_X86, CS_MODE_64, &cs), CS_ERR_OK);
    cs_option(cs, CS_OPT_DETAIL, CS_OPT_ON);
    cs_insn *insn = cs_malloc(cs);
    size_t funcs = 0, refs = 0, objdump_decided = 0;
    Targets want = {0}, got = {0};
    for (uint32_t i = 0; i < acct.nleaves; i++) {
        const Leaf *l = &acct.leaves[i];
        if (l->kind != LEAF_SYMBOL || !l->file_size || l->section >= img.nsections)
            continue;
        const Section *s = &img.sections[l->section];
        if (!(s->flags & SHF_EXECINSTR) || l->addr < s->addr || l->addr - s->addr >= s->file_size)
            continue;
        uint64_t off = l->addr - s->addr, n = l->sym_size < s->file_size - off ? l->sym_size : s->file_size - off;
        const uint8_t *code = img.data + s->offset + off;
        want.n = got.n = 0;
        capstone_targets(cs, insn, code, n, l->addr, &want);
        x86refs_scan(code, n, l->addr, on_target, &got);
        if (!same(&want, &got)) {
            Targets od = {0};
            objdump_targets(path, l->addr, n, &od);
            size_t k = 0;
            while (k < od.n && k < got.n && od.p[k] == got.p[k])
                k++;
            cr_assert(same(&od, &got),
                      "%s: %s at %#" PRIx64 ": reference %zu: objdump %#" PRIx64 ", x86refs %#" PRIx64
                      " (capstone: %zu references)",
                      path, l->raw, l->addr, k, k < od.n ? od.p[k] : 0, k < got.n ? got.p[k] : 0, want.n);
            free(od.p);
            objdump_decided++;
        }
        funcs++;
        refs += want.n;
    }
    cr_log_info("%s: %zu functions, %zu references; %zu functions where capstone differs, objdump agreeing with "
                "x86refs",
                path, funcs, refs, objdump_decided);
    free(want.p);
    free(got.p);
    cs_free(insn, 1);
    cs_close(&cs);
    arena_free(a);
    return funcs;
}

Test(x86refs, rust_workspace) { cr_assert_gt(compare(fx_need("realworld-release")), 2000); }
Test(x86refs, heft_itself) { cr_assert_gt(compare(fx_need("heft-gc-off")), 300); }
Test(x86refs, cxx_fixture) { cr_assert_gt(compare(fx_need("cxx-shapes")), 10); }

Test(x86refs, system_libraries)
{
    /* libstdc++ comes with g++, which builds the fixtures; LLVM with clang. */
    static const char *const libs[] = {"/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
                                       "/usr/lib/x86_64-linux-gnu/libLLVM-14.so.1",
                                       "/usr/lib/x86_64-linux-gnu/libLLVM-15.so.1"};
    size_t seen = 0;
    for (size_t i = 0; i < sizeof libs / sizeof *libs; i++)
        if (access(libs[i], R_OK) == 0)
            seen += compare(libs[i]) > 0;
    cr_assert_geq(seen, 1, "neither libstdc++ nor LLVM 14 is installed");
}

static void count(void *ctx, uint64_t target)
{
    (void)target;
    ++*(size_t *)ctx;
}

/* Hostile bytes: every length and every cut, read within the buffer (the
 * suite also runs under AddressSanitizer, which sees a byte past it). */
Test(x86refs, random_bytes_stay_in_bounds)
{
    enum { N = 1 << 20 };
    uint8_t *buf = malloc(N);
    cr_assert(buf);
    uint64_t x = 0x9e3779b97f4a7c15u;
    for (size_t i = 0; i < N; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        buf[i] = (uint8_t)x;
    }
    size_t refs = 0;
    for (size_t cut = 0; cut < 64; cut++) {
        uint8_t *tail = malloc(cut ? cut : 1); /* exactly cut bytes: ASan sees a read past them */
        memcpy(tail, buf + cut * 97, cut);
        x86refs_scan(tail, cut, 0x1000, count, &refs);
        free(tail);
    }
    x86refs_scan(buf, N, 0x400000, count, &refs);
    cr_assert_gt(refs, 1000, "random bytes name only %zu addresses", refs);
    free(buf);
}

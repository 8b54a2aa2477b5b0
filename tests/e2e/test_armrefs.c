/* test_armrefs.c — the hand-written 32-bit Arm reference decoder
 * (armrefs.c) against capstone, on Debian's libc.a linked -static for
 * armhf (the c-why-arm-static-gc-off fixture: about 250 KB of T32 and A32
 * code, the states as its mapping symbols mark them): every branch and call
 * capstone decodes to an immediate target, armrefs names too. And on random
 * bytes, in both states, it reads nothing outside the bytes given (ASan). */
#include <capstone/capstone.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "armrefs.h"
#include "fixture_util.h"
#include "harness.h"

typedef struct Targets {
    uint64_t *p;
    size_t n, cap;
} Targets;

static void on_target(void *ctx, uint64_t target)
{
    Targets *t = ctx;
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 64;
        t->p = realloc(t->p, t->cap * sizeof *t->p);
        cr_assert(t->p);
    }
    t->p[t->n++] = target;
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

static bool has(const Targets *t, uint64_t v)
{
    return t->n && bsearch(&v, t->p, t->n, sizeof *t->p, cmp_u64) != NULL;
}

static unsigned char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f, "%s", path);
    cr_assert(fseek(f, 0, SEEK_END) == 0);
    long n = ftell(f);
    cr_assert(n > 0 && fseek(f, 0, SEEK_SET) == 0);
    unsigned char *b = malloc((size_t)n);
    cr_assert(b && fread(b, 1, (size_t)n, f) == (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return b;
}

typedef struct Mark {
    uint64_t addr;
    char kind;
} Mark;

static int cmp_mark(const void *x, const void *y)
{
    return cmp_u64(&((const Mark *)x)->addr, &((const Mark *)y)->addr);
}

/* Capstone's immediate branch targets in code[begin..end) must all be in t. */
static size_t check_region(csh cs, cs_insn *insn, const uint8_t *code, uint64_t addr, size_t begin, size_t end,
                           bool thumb, const Targets *t)
{
    const uint8_t *p = code + begin;
    size_t left = end - begin, checked = 0;
    uint64_t pc = addr + begin;
    cs_option(cs, CS_OPT_MODE, thumb ? CS_MODE_THUMB : CS_MODE_ARM);
    while (left >= 2) {
        if (!cs_disasm_iter(cs, &p, &left, &pc, insn)) {
            size_t step = thumb ? 2 : 4;
            if (left < step)
                break;
            p += step, left -= step, pc += step;
            continue;
        }
        bool branch = false;
        for (uint8_t g = 0; g < insn->detail->groups_count; g++)
            branch |= insn->detail->groups[g] == CS_GRP_JUMP || insn->detail->groups[g] == CS_GRP_CALL;
        const cs_arm *a = &insn->detail->arm;
        if (!branch || a->op_count != 1 || a->operands[0].type != ARM_OP_IMM)
            continue;
        uint64_t target = (uint32_t)a->operands[0].imm;
        cr_assert(has(t, target), "%s %s at %#llx: armrefs does not name %#llx", insn->mnemonic, insn->op_str,
                  (unsigned long long)insn->address, (unsigned long long)target);
        checked++;
    }
    return checked;
}

Test(armrefs, static_libc_branches_as_capstone)
{
    const char *path = fx_need("c-why-arm-static-gc-off");
    FxElf e;
    fx_elf_read(&e, path, ".symtab", false);
    size_t len;
    unsigned char *file = read_all(path, &len);
    csh cs;
    cr_assert_eq(cs_open(CS_ARCH_ARM, CS_MODE_THUMB, &cs), CS_ERR_OK);
    cs_option(cs, CS_OPT_DETAIL, CS_OPT_ON);
    cs_insn *insn = cs_malloc(cs);
    size_t checked = 0, thumb_regions = 0, arm_regions = 0;
    for (size_t k = 0; k < e.nsecs; k++) {
        const FxSection *s = &e.secs[k];
        if (!strchr(s->flags, 'X') || strcmp(s->type, "PROGBITS") != 0)
            continue;
        cr_assert_leq(s->offset + s->size, len);
        Mark *m = malloc((e.nsyms + 1) * sizeof *m);
        size_t nm = 0;
        char ndx[16];
        snprintf(ndx, sizeof ndx, "%u", s->index);
        for (size_t i = 0; i < e.nsyms; i++) {
            const char *n = e.syms[i].name;
            if (strcmp(e.syms[i].ndx, ndx) == 0 && n[0] == '$' && strchr("atd", n[1]) && (!n[2] || n[2] == '.'))
                m[nm++] = (Mark){e.syms[i].value, n[1]};
        }
        qsort(m, nm, sizeof *m, cmp_mark);
        const uint8_t *code = file + s->offset;
        for (size_t i = 0; i < nm; i++) {
            if (m[i].kind == 'd' || m[i].addr < s->addr)
                continue;
            size_t begin = m[i].addr - s->addr, end = i + 1 < nm ? m[i + 1].addr - s->addr : s->size;
            if (end > s->size || end <= begin)
                continue;
            bool thumb = m[i].kind == 't';
            Targets t = {0};
            armrefs_scan(code, s->size, s->addr, begin, end, ARMREFS_ABSOLUTE | (thumb ? ARMREFS_THUMB : 0),
                         on_target, &t);
            if (t.n)
                qsort(t.p, t.n, sizeof *t.p, cmp_u64);
            checked += check_region(cs, insn, code, s->addr, begin, end, thumb, &t);
            thumb_regions += thumb;
            arm_regions += !thumb;
            free(t.p);
        }
        free(m);
    }
    cr_assert_geq(checked, 3000, "only %zu branches checked", checked);
    cr_assert_geq(thumb_regions, 100);
    cr_assert_geq(arm_regions, 10, "no A32 code (the string functions are A32 in glibc)");
    cr_log_info("armrefs: %zu branches as capstone, in %zu T32 and %zu A32 stretches", checked, thumb_regions,
                arm_regions);
    cs_free(insn, 1);
    cs_close(&cs);
    free(file);
    fx_elf_free(&e);
}

Test(armrefs, random_bytes_stay_in_bounds)
{
    enum { N = 1 << 20 };
    uint8_t *code = malloc(N);
    cr_assert(code);
    srand(7);
    for (size_t i = 0; i < N; i++)
        code[i] = (uint8_t)rand();
    for (unsigned flags = 0; flags < 8; flags++) {
        Targets t = {0};
        /* Odd bounds: the last instruction is cut short. */
        armrefs_scan(code, N - 1, 0x8000, 1, N - 1, flags, on_target, &t);
        cr_assert_gt(t.n, 1000u, "flags %u: only %zu targets in 1 MiB of random bytes", flags, t.n);
        free(t.p);
    }
    free(code);
}

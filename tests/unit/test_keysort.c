/* test_keysort.c — keysort orders by key and keeps equal keys in their order,
 * for the record sizes heft sorts (KeyVal, Claim-sized) and for the keys it
 * meets: addresses sharing high bytes, keys differing only in the top byte,
 * all keys equal. Checked against a stable reference: qsort on (key, index). */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>

#include "keysort.h"

typedef struct Rec24 {
    uint64_t key;
    uint64_t payload;
    uint32_t index, pad;
} Rec24;

static int by_key_then_index(const void *a, const void *b)
{
    const KeyVal *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->val < y->val ? -1 : x->val > y->val;
}

static uint64_t next_random(uint64_t *s)
{
    *s ^= *s << 13, *s ^= *s >> 7, *s ^= *s << 17;
    return *s;
}

/* Keys of n records drawn by kind: 0 addresses in a 256 MiB library, 1 few
 * distinct keys (many ties), 2 only the top byte varies, 3 one key. */
static uint64_t key_of(int kind, uint64_t *s)
{
    switch (kind) {
    case 0: return 0x7f0000000000ull + (next_random(s) & 0xfffffff);
    case 1: return next_random(s) % 5;
    case 2: return (next_random(s) & 0xff) << 56;
    default: return 42;
    }
}

static void check_keyval(int kind, size_t n)
{
    uint64_t seed = 0x9e3779b97f4a7c15ull + n;
    KeyVal *v = malloc((n ? n : 1) * sizeof *v), *ref = malloc((n ? n : 1) * sizeof *ref);
    for (size_t i = 0; i < n; i++)
        v[i] = ref[i] = (KeyVal){key_of(kind, &seed), (uint32_t)i};
    keysort(v, n, sizeof *v);
    qsort(ref, n, sizeof *ref, by_key_then_index);
    for (size_t i = 0; i < n; i++) {
        cr_assert_eq(v[i].key, ref[i].key, "kind %d n %zu: key at %zu", kind, n, i);
        cr_assert_eq(v[i].val, ref[i].val, "kind %d n %zu: equal keys out of order at %zu", kind, n, i);
    }
    free(v);
    free(ref);
}

Test(keysort, orders_keyvals_stably)
{
    static const size_t sizes[] = {0, 1, 2, 3, 255, 256, 257, 100000};
    for (int kind = 0; kind < 4; kind++)
        for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++)
            check_keyval(kind, sizes[s]);
}

Test(keysort, moves_whole_24_byte_records)
{
    enum { N = 5000 };
    uint64_t seed = 7;
    Rec24 *v = malloc(N * sizeof *v);
    KeyVal *ref = malloc(N * sizeof *ref);
    for (uint32_t i = 0; i < N; i++) {
        uint64_t k = key_of(1, &seed);
        v[i] = (Rec24){k, k * 1000003u + i, i, 0};
        ref[i] = (KeyVal){k, i};
    }
    keysort(v, N, sizeof *v);
    qsort(ref, N, sizeof *ref, by_key_then_index);
    for (uint32_t i = 0; i < N; i++) {
        cr_assert_eq(v[i].index, ref[i].val, "record %u", i);
        cr_assert_eq(v[i].key, ref[i].key);
        cr_assert_eq(v[i].payload, v[i].key * 1000003u + v[i].index, "record %u came apart", i);
    }
    free(v);
    free(ref);
}

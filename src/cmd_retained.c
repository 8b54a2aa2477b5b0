/* cmd_retained.c — `heft retained FILE`: per symbol, the bytes only it keeps
 * alive (its subtree in the dominator tree of the reference graph); with
 * --crates, per crate, what removing the crate would save (the bytes no root
 * reaches once its symbols are gone). */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char help_text[] =
    "usage: heft retained [OPTIONS] FILE\n"
    "\n"
    "Retained size: the bytes a symbol keeps in the binary, itself and every\n"
    "function and constant that only it leads to, so that removing it (and its\n"
    "callers' references to it) would remove them all. It is its subtree in the\n"
    "dominator tree of the reference graph (references and roots as heft why\n"
    "--help describes them). Largest first; Own is the symbol's own size with\n"
    "the unwind record, exception table and relocations it owns (heft symbols'\n"
    "File + Owned).\n"
    "\n"
    "With --crates: per crate, what removing it would save: its bytes and those\n"
    "of every symbol no root reaches without it. Computed for the -n largest\n"
    "crates (by their own bytes; at most 200), one reachability pass each, and\n"
    "shown by saving.\n"
    "\n"
    "Options:\n"
    "  -n N            rows to show (default 20); 0 = all\n"
    "  --crates        per crate instead of per symbol\n"
    "  --crate NAME    only symbols of this crate (per symbol)\n"
    "  --format FMT    table (default) or json\n"
    "  -h, --help      this text\n";

enum { OPT_CRATES = 256, OPT_CRATE, OPT_FORMAT };

#define MAX_CRATES 200

typedef struct Item {
    const char *name, *crate;
    uint64_t own, retained; /* file bytes */
    uint32_t index;
} Item;

static int by_retained(const void *x, const void *y)
{
    const Item *a = x, *b = y;
    if (a->retained != b->retained)
        return a->retained > b->retained ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

static void print_items(const char *path, const Item *items, size_t n, size_t shown, bool crates, bool json,
                        uint64_t total)
{
    if (json) {
        fputs("{\"file\": ", stdout);
        render_json_string(stdout, path);
        fprintf(stdout, ", \"reached_bytes\": %" PRIu64 ", \"rows\": [", total);
        for (size_t i = 0; i < shown; i++) {
            fputs(i ? ",\n    {\"name\": " : "\n    {\"name\": ", stdout);
            render_json_string(stdout, items[i].name);
            if (!crates) {
                fputs(", \"crate\": ", stdout);
                render_json_string(stdout, items[i].crate);
            }
            fprintf(stdout, ", \"own\": %" PRIu64 ", \"%s\": %" PRIu64 "}", items[i].own,
                    crates ? "saving" : "retained", items[i].retained);
        }
        fputs("\n]}\n", stdout);
        return;
    }
    size_t w = strlen("Crate");
    for (size_t i = 0; !crates && i < shown; i++)
        w = render_text_width(items[i].crate) > w ? render_text_width(items[i].crate) : w;
    printf("%10s %10s  ", crates ? "Saving" : "Retained", "Own");
    if (!crates)
        printf("%-*s  ", (int)w, "Crate");
    puts("Name");
    for (size_t i = 0; i < shown; i++) {
        char r[32], o[32];
        render_human(r, sizeof r, items[i].retained);
        render_human(o, sizeof o, items[i].own);
        printf("%10s %10s  ", r, o);
        if (!crates) {
            render_text(stdout, items[i].crate);
            printf("%*s", (int)(w + 2 - render_text_width(items[i].crate)), "");
        }
        render_text(stdout, items[i].name);
        fputc('\n', stdout);
    }
    if (shown < n)
        printf("%zu more rows not shown (-n 0 shows all)\n", n - shown);
    char t[32];
    render_human(t, sizeof t, total);
    printf("file bytes the roots reach: %s\n", t);
}

/* Per symbol: subtree sums over the dominator tree. */
static size_t symbols(Arena *a, const Graph *g, const uint64_t *size, const char *crate, Item **out, uint64_t *total)
{
    uint32_t *idom, *order, n;
    graph_dominators(a, g, &idom, &order, &n);
    uint64_t *ret = arena_array(a, g->n ? g->n : 1, sizeof *ret);
    memset(ret, 0, (size_t)g->n * sizeof *ret);
    *total = 0;
    for (uint32_t i = 0; i < n; i++)
        ret[order[i]] = size[order[i]], *total += size[order[i]];
    /* Children come after their dominator in order: sum from the back. */
    for (uint32_t i = n; i-- > 0;) {
        uint32_t v = order[i];
        if (idom[v] < g->n)
            ret[idom[v]] += ret[v];
    }
    const Account *acct = g->acct;
    Item *items = arena_array(a, n ? n : 1, sizeof *items);
    size_t m = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t v = order[i];
        if (v >= g->nleaves || acct->leaves[v].kind != LEAF_SYMBOL)
            continue;
        const Leaf *l = &acct->leaves[v];
        if (crate && strcmp(l->crate, crate) != 0)
            continue;
        items[m++] = (Item){l->name, l->crate, size[v], ret[v], v};
    }
    qsort(items, m, sizeof *items, by_retained);
    *out = items;
    return m;
}

/* Per crate: the bytes reached with all nodes versus without the crate's. */
static size_t crates(Arena *a, const Graph *g, const uint64_t *size, size_t limit, Item **out, uint64_t *total)
{
    const Account *acct = g->acct;
    uint32_t *depth, *parent;
    graph_reach(a, g, NULL, &depth, &parent);
    *total = 0;
    for (uint32_t v = 0; v < g->n; v++)
        if (depth[v] != GRAPH_UNREACHED)
            *total += size[v];
    /* The crates by their own reached bytes (crate names are interned:
     * one row per distinct pointer would split none). */
    View cv;
    Filter f = {0};
    view_build(a, acct, VIEW_CRATES, &f, SORT_SIZE, 0, &cv);
    Item *items = arena_array(a, cv.nrows ? cv.nrows : 1, sizeof *items);
    size_t m = 0;
    for (size_t i = 0; i < cv.nrows; i++)
        if (cv.rows[i].name[0] != '[')
            items[m++] = (Item){cv.rows[i].name, cv.rows[i].name, cv.rows[i].file_size, 0, (uint32_t)i};
    /* A pass over the whole graph per crate: at most MAX_CRATES of them,
     * whatever -n asks, so that no file can make this quadratic. */
    size_t shown = limit && limit < m ? limit : m;
    shown = shown < MAX_CRATES ? shown : MAX_CRATES;
    uint8_t *skip = arena_array(a, g->n ? g->n : 1, 1);
    for (size_t i = 0; i < shown; i++) {
        for (uint32_t v = 0; v < g->n; v++)
            skip[v] = v < g->nleaves && acct->leaves[v].kind == LEAF_SYMBOL &&
                      strcmp(acct->leaves[v].crate, items[i].name) == 0;
        uint32_t *d2, *p2;
        graph_reach(a, g, skip, &d2, &p2);
        uint64_t lost = 0, own = 0;
        for (uint32_t v = 0; v < g->n; v++)
            if (depth[v] != GRAPH_UNREACHED) {
                lost += d2[v] == GRAPH_UNREACHED ? size[v] : 0;
                own += skip[v] ? size[v] : 0;
            }
        items[i].retained = lost, items[i].own = own;
    }
    qsort(items, shown, sizeof *items, by_retained);
    *out = items;
    return m;
}

int cmd_retained(Arena *a, int argc, char **argv)
{
    static const struct option longs[] = {{"crates", no_argument, 0, OPT_CRATES},
                                          {"crate", required_argument, 0, OPT_CRATE},
                                          {"format", required_argument, 0, OPT_FORMAT},
                                          {"help", no_argument, 0, 'h'},
                                          {0, 0, 0, 0}};
    size_t limit = 20;
    const char *format = "table", *crate = NULL;
    bool by_crate = false;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":n:h", longs, NULL)) != -1) {
        switch (c) {
        case 'n': limit = cli_parse_limit(optarg); break;
        case OPT_CRATES: by_crate = true; break;
        case OPT_CRATE: crate = optarg; break;
        case OPT_FORMAT: format = optarg; break;
        case 'h': fputs(help_text, stdout); exit(0);
        case ':': cli_usage_error("option '%s' needs a value", argv[optind - 1]); break;
        default: cli_usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (strcmp(format, "table") != 0 && strcmp(format, "json") != 0)
        cli_usage_error("--format takes table or json, not '%s'", format);
    if (argc - optind != 1)
        cli_usage_error("%s", "heft retained takes one FILE (heft retained --help)");
    const char *path = argv[optind];
    Image img;
    Account acct;
    Graph g;
    cli_open_graph(a, path, CLI_OWNERS, &img, &acct, &g);
    if (!g.code) {
        fprintf(stderr,
                "heft: %s: references are read from x86-64, AArch64 and 32-bit Arm code only, not yet from this file's machine\n",
                path);
        return EXIT_USAGE;
    }
    uint64_t *file, *vm;
    graph_sizes(a, &g, &file, &vm);
    /* A symbol costs its unwind record, exception table and relocations too
     * (owners.h); they leave their [section …] leaves. A leaf's anchors and
     * its padding can overlap in code no symbol covers: never below 0. */
    for (uint32_t v = 0; acct.shift && v < g.nleaves; v++) {
        int64_t s = (int64_t)file[v] + acct.shift[v];
        file[v] = s > 0 ? (uint64_t)s : 0;
    }
    Item *items;
    uint64_t total;
    size_t n = by_crate ? crates(a, &g, file, limit, &items, &total) : symbols(a, &g, file, crate, &items, &total);
    size_t shown = limit && limit < n ? limit : n;
    if (by_crate && shown > MAX_CRATES)
        shown = MAX_CRATES;
    print_items(path, items, n, shown, by_crate, strcmp(format, "json") == 0, total);
    return 0;
}

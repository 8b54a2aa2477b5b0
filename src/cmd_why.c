/* cmd_why.c — `heft why FILE NAME`: the chains of references from the
 * file's roots (entry point, init and fini code, exports) to a symbol, so
 * that a user sees what keeps it in the binary. */
#include <elf.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "render.h"

static const char help_text[] =
    "usage: heft why [OPTIONS] FILE NAME\n"
    "\n"
    "Why NAME is in FILE: the shortest chains of references that reach it from\n"
    "a root (the entry point, init and fini code, the functions an init or fini\n"
    "array names, loaded notes, the personality routines .eh_frame names, and\n"
    "the symbols the dynamic symbol table exports; in an object or archive,\n"
    "every global symbol), one chain through each of the symbols that refer\n"
    "to it, nearest first. NAME is a symbol's name as heft shows it; when no\n"
    "name is exactly NAME, every symbol whose name contains NAME (the largest\n"
    "first).\n"
    "\n"
    "References: calls, jumps and address operands in code (x86-64, AArch64,\n"
    "32-bit Arm), and the pointers the file's dynamic relocations fill in\n"
    "(vtables, function tables, init arrays), or in a file loaded at a fixed\n"
    "address the words of its data that hold addresses. In an object or an\n"
    "archive (.o, .a, a Rust staticlib), its relocation sections. A symbol no\n"
    "chain reaches may still be used through an address the code computes;\n"
    "heft says which symbols refer to it.\n"
    "\n"
    "With --crate NAME instead of a NAME: the references that enter the crate\n"
    "from outside it (from another crate's symbol, or from unnamed data such as\n"
    "a vtable), those to its code first, nearest to a root first, and the chain\n"
    "to the first.\n"
    "\n"
    "Options:\n"
    "  -n N           chains to show per symbol (default 3); 0 = all\n"
    "  --crate NAME   what keeps a whole crate: the references into it\n"
    "  --max N        symbols to show when NAME matches several (default 10)\n"
    "  --format FMT   table (default) or json\n"
    "  -h, --help     this text\n";

enum { OPT_MAX = 256, OPT_FORMAT, OPT_CRATE };

typedef struct Why {
    const Account *acct;
    const Graph *g;
    const uint32_t *depth, *parent;
    size_t chains;
    bool json;
    uint32_t *chain; /* room for the longest chain (g->n nodes), shared by every symbol shown */
} Why;

static const char *leaf_crate(const Leaf *l)
{
    return l->kind == LEAF_SYMBOL && l->crate ? l->crate : "-";
}

/* The referrers of t that a root reaches, nearest first (then by leaf). */
static const Why *sort_ctx;

static int by_depth(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    if (sort_ctx->depth[a] != sort_ctx->depth[b])
        return sort_ctx->depth[a] < sort_ctx->depth[b] ? -1 : 1;
    return a < b ? -1 : a > b;
}

/* The chain from a root to v (v last), in chain[0..return). */
static size_t chain_to(const Why *w, uint32_t v, uint32_t *chain)
{
    size_t n = w->depth[v] + 1;
    for (size_t i = n; i-- > 0;) {
        chain[i] = v;
        v = w->parent[v];
    }
    return n;
}

/* A node's name, crate and address: a leaf's own, or for an anchor (unnamed
 * data code refers to) its section and address. */
static void node(const Why *w, uint32_t v, char *buf, size_t len, const char **name, const char **crate,
                 uint64_t *addr)
{
    if (v < w->g->nleaves) {
        const Leaf *l = &w->acct->leaves[v];
        *name = l->name, *crate = leaf_crate(l), *addr = l->addr;
        return;
    }
    const GraphAnchor *an = &w->g->anchors[v - w->g->nleaves];
    snprintf(buf, len, "[%s at %#" PRIx64 "]", image_section_name(w->acct->img, w->acct->leaves[an->leaf].section),
             an->addr);
    *name = buf, *crate = "-", *addr = an->addr;
}

static void print_hop(FILE *out, const Why *w, uint32_t v, bool first, bool json)
{
    char buf[128];
    const char *name, *crate;
    uint64_t addr;
    node(w, v, buf, sizeof buf, &name, &crate, &addr);
    if (json) {
        fputs(first ? "" : ", ", out);
        fputs("{\"name\": ", out);
        render_json_string(out, name);
        fputs(", \"crate\": ", out);
        render_json_string(out, crate);
        fprintf(out, ", \"address\": %" PRIu64 "}", addr);
        return;
    }
    fputs(first ? "      " : "   -> ", out);
    render_text(out, name);
    fputs("  ", out);
    render_text(out, crate);
    fputc('\n', out);
}

static void why_one(FILE *out, Arena *a, const Why *w, uint32_t t, bool first)
{
    const Graph *g = w->g;
    const Leaf *l = &w->acct->leaves[t];
    uint32_t nin = g->in_off[t + 1] - g->in_off[t];
    uint32_t *via = arena_array(a, nin ? nin : 1, sizeof *via);
    size_t nvia = 0;
    for (uint32_t k = g->in_off[t]; k < g->in_off[t + 1]; k++)
        if (w->depth[g->in[k]] != GRAPH_UNREACHED)
            via[nvia++] = g->in[k];
    sort_ctx = w;
    qsort(via, nvia, sizeof *via, by_depth);
    bool root = w->depth[t] == 0, reached = w->depth[t] != GRAPH_UNREACHED;
    size_t show = root ? 1 : w->chains && w->chains < nvia ? w->chains : nvia;
    uint32_t *chain = w->chain;
    if (w->json) {
        fputs(first ? "\n    {\"name\": " : ",\n    {\"name\": ", out);
        render_json_string(out, l->name);
        fputs(", \"crate\": ", out);
        render_json_string(out, leaf_crate(l));
        fprintf(out, ", \"size\": %" PRIu64 ", \"referrers\": %" PRIu32 ", \"reached\": %s, \"root\": %s, "
                     "\"chains\": [",
                l->file_size > l->vm_size ? l->file_size : l->vm_size, nin, reached ? "true" : "false",
                root ? "true" : "false");
        for (size_t c = 0; c < show; c++) {
            size_t n = root ? chain_to(w, t, chain) : chain_to(w, via[c], chain);
            fputs(c ? ", [" : "[", out);
            for (size_t i = 0; i < n; i++)
                print_hop(out, w, chain[i], i == 0, true);
            if (!root)
                print_hop(out, w, t, false, true);
            fputs("]", out);
        }
        fputs("]}", out);
        return;
    }
    char size[32];
    render_human(size, sizeof size, l->file_size > l->vm_size ? l->file_size : l->vm_size);
    fputs(first ? "" : "\n", out);
    render_text(out, l->name);
    fputs("  ", out);
    render_text(out, leaf_crate(l));
    fprintf(out, "  %s\n", size);
    if (root) {
        fputs(w->acct->img->archive || w->acct->img->kind == ET_REL
                  ? "  a root: a global symbol, which what the object is linked with may refer to\n"
                  : "  a root: the loader, the unwinder or another module reaches it without a reference\n",
              out);
        return;
    }
    if (!nin) {
        fputs("  nothing refers to it: no chain of references keeps it\n", out);
        return;
    }
    fprintf(out, "  referred to by %" PRIu32 " symbol%s", nin, nin == 1 ? "" : "s");
    if (!reached) {
        fputs(", none of them reached from a root: no chain of references keeps it\n", out);
        for (uint32_t k = g->in_off[t]; k < g->in_off[t + 1] && k < g->in_off[t] + 10; k++)
            print_hop(out, w, g->in[k], true, false);
        return;
    }
    fprintf(out, "; %zu reached from a root. Shortest chain%s (%" PRIu32 " reference%s):\n", nvia,
            show == 1 ? "" : "s, nearest first", w->depth[t], w->depth[t] == 1 ? "" : "s");
    for (size_t c = 0; c < show; c++) {
        size_t n = chain_to(w, via[c], chain);
        fprintf(out, "  #%zu\n", c + 1);
        for (size_t i = 0; i < n; i++)
            print_hop(out, w, chain[i], i == 0, false);
        print_hop(out, w, t, false, false);
    }
    if (show < nvia)
        fprintf(out, "  (%zu more: -n 0 shows every one)\n", nvia - show);
}

/* Leaves whose name is NAME, else whose name contains it, largest first. */
static const Account *match_acct;

static int by_size(const void *x, const void *y)
{
    const Leaf *a = &match_acct->leaves[*(const uint32_t *)x], *b = &match_acct->leaves[*(const uint32_t *)y];
    if (a->file_size != b->file_size)
        return a->file_size > b->file_size ? -1 : 1;
    return *(const uint32_t *)x < *(const uint32_t *)y ? -1 : 1;
}

static size_t find(Arena *a, const Account *acct, const char *name, uint32_t **out)
{
    uint32_t *m = arena_array(a, acct->nleaves ? acct->nleaves : 1, sizeof *m);
    size_t n = 0;
    for (int pass = 0; pass < 2 && !n; pass++)
        for (uint32_t i = 0; i < acct->nleaves; i++) {
            const Leaf *l = &acct->leaves[i];
            if (l->kind != LEAF_SYMBOL || (!l->file_size && !l->vm_size))
                continue;
            bool hit = pass ? strstr(l->name, name) != NULL : strcmp(l->name, name) == 0;
            for (uint32_t k = 0; !hit && k < l->naliases; k++)
                hit = pass ? strstr(l->aliases[k], name) != NULL : strcmp(l->aliases[k], name) == 0;
            if (hit)
                m[n++] = i;
        }
    match_acct = acct;
    qsort(m, n, sizeof *m, by_size);
    *out = m;
    return n;
}

/* ---- --crate: the references into a crate ---- */

typedef struct Entry {
    uint32_t from, to;
} Entry;

/* Whether leaf v is code (else data: constants, vtables). */
static bool is_code(const Why *w, uint32_t v)
{
    const Leaf *l = &w->acct->leaves[v];
    return l->section < w->acct->img->nsections && (w->acct->img->sections[l->section].flags & SHF_EXECINSTR);
}

/* References to the crate's code first (calls into it), then to its data;
 * each nearest to a root first. */
static int by_entry(const void *x, const void *y)
{
    const Entry *a = x, *b = y;
    bool ca = is_code(sort_ctx, a->to), cb = is_code(sort_ctx, b->to);
    if (ca != cb)
        return ca ? -1 : 1;
    uint32_t da = sort_ctx->depth[a->from], db = sort_ctx->depth[b->from];
    if (da != db)
        return da < db ? -1 : 1;
    if (a->from != b->from)
        return a->from < b->from ? -1 : 1;
    return a->to < b->to ? -1 : a->to > b->to;
}

static bool in_crate(const Why *w, uint32_t v, const char *crate)
{
    return v < w->g->nleaves && w->acct->leaves[v].kind == LEAF_SYMBOL && strcmp(w->acct->leaves[v].crate, crate) == 0;
}

static int why_crate(Arena *a, const Why *w, const char *path, const char *crate, size_t max)
{
    const Graph *g = w->g;
    bool any = false;
    for (uint32_t v = 0; v < g->nleaves && !any; v++)
        any = in_crate(w, v, crate);
    if (!any) {
        fprintf(stderr, "heft: %s: no symbol belongs to crate '%s' (heft crates lists them)\n", path, crate);
        return EXIT_USAGE;
    }
    size_t n = 0;
    for (uint32_t u = 0; u < g->n; u++)
        for (uint32_t k = g->out_off[u]; k < g->out_off[u + 1]; k++)
            n += in_crate(w, g->out[k], crate) && !in_crate(w, u, crate);
    Entry *e = arena_array(a, n ? n : 1, sizeof *e);
    n = 0;
    for (uint32_t u = 0; u < g->n; u++)
        for (uint32_t k = g->out_off[u]; k < g->out_off[u + 1]; k++)
            if (in_crate(w, g->out[k], crate) && !in_crate(w, u, crate))
                e[n++] = (Entry){u, g->out[k]};
    sort_ctx = w;
    qsort(e, n, sizeof *e, by_entry);
    size_t show = max && max < n ? max : n;
    uint32_t *chain = w->chain;
    bool reached = n && w->depth[e[0].from] != GRAPH_UNREACHED;
    size_t len = reached ? chain_to(w, e[0].from, chain) : 0;
    if (w->json) {
        fputs("{\"file\": ", stdout);
        render_json_string(stdout, path);
        fputs(", \"crate\": ", stdout);
        render_json_string(stdout, crate);
        fprintf(stdout, ", \"references\": %zu, \"edges\": [", n);
        for (size_t i = 0; i < show; i++) {
            fputs(i ? ",\n    {\"from\": " : "\n    {\"from\": ", stdout);
            print_hop(stdout, w, e[i].from, true, true);
            fputs(", \"to\": ", stdout);
            print_hop(stdout, w, e[i].to, true, true);
            fprintf(stdout, ", \"reached\": %s}", w->depth[e[i].from] != GRAPH_UNREACHED ? "true" : "false");
        }
        fputs("\n], \"chain\": [", stdout);
        for (size_t i = 0; i < len; i++)
            print_hop(stdout, w, chain[i], i == 0, true);
        if (len)
            print_hop(stdout, w, e[0].to, false, true);
        fputs("]}\n", stdout);
        return 0;
    }
    size_t ncode = 0;
    for (size_t i = 0; i < n; i++)
        ncode += is_code(w, e[i].to);
    printf("%zu reference%s into %s from outside it (%zu to its code, %zu to its data)", n, n == 1 ? "" : "s", crate,
           ncode, n - ncode);
    puts(n ? "; code first, nearest to a root first:" : ": nothing outside it refers to it");
    for (size_t i = 0; i < show; i++) {
        printf("  %s", w->depth[e[i].from] != GRAPH_UNREACHED ? "" : "(unreached) ");
        char buf[128];
        const char *name, *c;
        uint64_t addr;
        node(w, e[i].from, buf, sizeof buf, &name, &c, &addr);
        render_text(stdout, name);
        fputs("  ", stdout);
        render_text(stdout, c);
        fputs("\n     -> ", stdout);
        render_text(stdout, w->acct->leaves[e[i].to].name);
        fputc('\n', stdout);
    }
    if (show < n)
        printf("  (%zu more: --max 0 shows every one)\n", n - show);
    if (len) {
        puts("The chain to the nearest:");
        for (size_t i = 0; i < len; i++)
            print_hop(stdout, w, chain[i], i == 0, false);
        print_hop(stdout, w, e[0].to, false, false);
    }
    return 0;
}

int cmd_why(Arena *a, int argc, char **argv)
{
    static const struct option longs[] = {{"max", required_argument, 0, OPT_MAX},
                                          {"format", required_argument, 0, OPT_FORMAT},
                                          {"crate", required_argument, 0, OPT_CRATE},
                                          {"help", no_argument, 0, 'h'},
                                          {0, 0, 0, 0}};
    size_t chains = 3, max = 10;
    const char *format = "table", *crate = NULL;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":n:h", longs, NULL)) != -1) {
        switch (c) {
        case 'n': chains = cli_parse_limit(optarg); break;
        case OPT_MAX: max = cli_parse_limit(optarg); break;
        case OPT_FORMAT: format = optarg; break;
        case OPT_CRATE: crate = optarg; break;
        case 'h': fputs(help_text, stdout); exit(0);
        case ':': cli_usage_error("option '%s' needs a value", argv[optind - 1]); break;
        default: cli_usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (strcmp(format, "table") != 0 && strcmp(format, "json") != 0)
        cli_usage_error("--format takes table or json, not '%s'", format);
    if (argc - optind != (crate ? 1 : 2))
        cli_usage_error("%s", crate ? "heft why --crate NAME takes one FILE (heft why --help)"
                                    : "heft why takes a FILE and a NAME (heft why --help)");
    const char *path = argv[optind], *name = argv[optind + 1];
    Image img;
    Account acct;
    Graph g;
    cli_open_graph(a, path, 0, &img, &acct, &g);
    if (crate) {
        Why w = {&acct, &g, NULL, NULL, chains, strcmp(format, "json") == 0,
                 arena_array(a, (size_t)g.n + 1, sizeof(uint32_t))};
        uint32_t *depth, *parent;
        graph_reach(a, &g, NULL, &depth, &parent);
        w.depth = depth, w.parent = parent;
        return why_crate(a, &w, path, crate, max);
    }
    uint32_t *targets;
    size_t n = find(a, &acct, name, &targets);
    if (!n) {
        fprintf(stderr, "heft: %s: no symbol is named '%s' or has it in its name (heft symbols lists them)\n", path,
                name);
        return EXIT_USAGE;
    }
    Why w = {&acct, &g, NULL, NULL, chains, strcmp(format, "json") == 0,
             arena_array(a, (size_t)g.n + 1, sizeof(uint32_t))};
    uint32_t *depth, *parent;
    graph_reach(a, &g, NULL, &depth, &parent);
    w.depth = depth, w.parent = parent;
    size_t show = max && max < n ? max : n;
    if (w.json) {
        fputs("{\"file\": ", stdout);
        render_json_string(stdout, path);
        fprintf(stdout, ", \"roots\": %" PRIu32 ", \"references\": %zu, \"code_read\": %s, \"symbols\": [", g.nroots,
                g.nedges, g.code ? "true" : "false");
    }
    else if (!g.code)
        fputs("(code references are read from x86-64, AArch64 and 32-bit Arm code only: these chains follow data pointers)\n",
              stdout);
    for (size_t i = 0; i < show; i++)
        why_one(stdout, a, &w, targets[i], i == 0);
    if (w.json)
        fputs("\n]}\n", stdout);
    else if (show < n)
        fprintf(stdout, "\n(%zu more symbols match '%s': --max 0 shows every one)\n", n - show, name);
    return 0;
}

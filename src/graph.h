/* graph.h — the reference graph over an accounting's leaves: an edge from
 * leaf A to leaf B when A's code or data holds an address inside B. Code is
 * read by disassembling every function (x86-64: calls, jumps and
 * RIP-relative operands); data through the pointers the file's relocations
 * record (elfrefs.h). Roots are what the loader or other modules start from:
 * the entry point, init and fini code, exported symbols. */
#ifndef HEFT_GRAPH_H
#define HEFT_GRAPH_H

#include "account.h"

#define GRAPH_UNREACHED UINT32_MAX

/* A node for unnamed data that code refers to (see graph.c): from addr up
 * to the next anchor, within leaf (a [section ...] leaf). */
typedef struct GraphAnchor {
    uint64_t addr;
    uint32_t leaf;
} GraphAnchor;

typedef struct Graph {
    const Account *acct;
    /* Nodes: the accounting's leaves by index (0 .. nleaves - 1), then the
     * anchors (node nleaves + i is anchors[i]). */
    uint32_t n, nleaves;
    GraphAnchor *anchors; /* sorted by address */
    uint32_t nanchors;
    /* Edges as two compressed adjacency tables: leaf i refers to
     * out[out_off[i] .. out_off[i + 1]) and is referred to by
     * in[in_off[i] .. in_off[i + 1]); each list sorted, each leaf once. */
    uint32_t *out_off, *out, *in_off, *in;
    size_t nedges;
    uint32_t *roots; /* sorted, each once */
    uint32_t nroots;
    Mapping *maps; /* the image's mappings, by address */
    uint32_t nmaps;
    bool code;           /* code's references were read: decoded, or an object's relocations (else data only) */
    uint64_t code_bytes; /* bytes of code disassembled */
} Graph;

/* Builds the graph of acct's file. Returns 0, or -1 with a one-line reason
 * in err (a file whose references heft cannot read). Time and memory are
 * linear in the code's size and the number of references found. */
int graph_build(Arena *a, const Account *acct, Graph *g, char *err, size_t errlen);

/* Breadth first from the roots: depth[i] is the fewest references from a
 * root to node i (GRAPH_UNREACHED if none), parent[i] the node before it on
 * one such chain (a root's is itself). Nodes with skip[i] set (skip may be
 * NULL) are left out, as if removed. Ties go to the lower node index, so
 * the answer does not depend on anything but the file. */
void graph_reach(Arena *a, const Graph *g, const uint8_t *skip, uint32_t **depth, uint32_t **parent);

/* Each node's bytes: a leaf's accounted file and VM sizes less what its
 * anchors take, an anchor's the bytes of its leaf from its address up to
 * the next anchor (or the end of its mapping). They add up to the leaves'. */
void graph_sizes(Arena *a, const Graph *g, uint64_t **file, uint64_t **vm);

/* The dominator tree of the nodes the roots reach (Lengauer and Tarjan,
 * with path compression: O(m log n)): idom[i] is the node every chain from
 * a root to i passes through last, GRAPH_ROOTS for a node only the roots
 * themselves lead to (a root, or one two roots reach apart), or
 * GRAPH_UNREACHED. order[0 .. *n) lists the reached nodes so that each comes
 * after its dominator. */
#define GRAPH_ROOTS (UINT32_MAX - 1)
void graph_dominators(Arena *a, const Graph *g, uint32_t **idom, uint32_t **order, uint32_t *n);

/* The leaf holding VM address addr, or IMG_NONE; and the node (an anchor
 * where one holds it). */
uint32_t graph_leaf_at(const Graph *g, uint64_t addr);
uint32_t graph_node_at(const Graph *g, uint64_t addr);

#endif

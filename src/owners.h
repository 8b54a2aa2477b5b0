/* owners.h — bytes that are there for a symbol without lying inside it.
 *
 * In a linked file, a function brings more than its code: its unwind record
 * (an FDE in .eh_frame and an entry in .eh_frame_hdr's search table), its
 * exception table (an LSDA in .gcc_except_table), and the dynamic
 * relocations that fill in its data's pointers. No symbol covers those
 * bytes, so without this they are [section .eh_frame], [section .rela.dyn]
 * … rows that belong to no crate. Owners are found from what the file
 * records:
 *   - an FDE and its search-table entry: the symbol holding the start of
 *     the code the FDE covers;
 *   - an LSDA (from its FDE, up to the next LSDA): that FDE's symbol;
 *   - 32-bit Arm's own unwind tables: an .ARM.exidx entry, and the
 *     .ARM.extab entry it names (up to the next), the symbol of the
 *     function the entry covers;
 *   - a relocation: the symbol holding the word it patches; for a word no
 *     symbol holds (a GOT slot, an unnamed table) the symbol it points to;
 *   - a gap between functions shorter than 64 bytes that ends on a boundary
 *     it pads to: [padding], not unclaimed code;
 *   - with the reference graph (graph.h), unnamed data that code refers to
 *     (string literals, jump and lookup tables, vtables: the graph's
 *     anchors): the one symbol that refers to it, directly or through other
 *     unnamed data; "[constants of CRATE]" when several symbols of one crate
 *     do; "[constants of several crates]" (crate [shared]) when crates share
 *     it. Relocations inside such data follow it.
 * A section's bytes move only when its [section …] leaf holds all of them
 * (no symbol lies inside) and they are loaded once, so that each moved byte
 * counts once in the file and once in the loaded image. */
#ifndef HEFT_OWNERS_H
#define HEFT_OWNERS_H

#include "account.h"
#include "graph.h"

/* Sets acct->shift (see account.h) for a lone linked file; leaves it NULL
 * for archives and relocatable objects, whose tables name no addresses yet.
 * g (NULL: none) is acct's reference graph; the leaves for constants shared
 * within a crate or across crates are added to acct then. Work is linear in
 * the tables' sizes and the graph's edges, plus a binary search per record. */
void owners_build(Arena *a, Account *acct, const Graph *g);

#endif

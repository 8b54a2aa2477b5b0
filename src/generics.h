/* generics.h — a demangled name split into its generic key (the path with
 * the type arguments taken out) and its type arguments, so that the copies
 * the compiler made of one generic function can be grouped.
 *
 * The rules (README "Generics: heft monos"):
 *   - a turbofish `::<A, B>` is removed from the key: `core::ptr::drop_in_place::<String>`
 *     has key `core::ptr::drop_in_place`, arguments [String];
 *   - a type's argument list becomes `<_>`: `<Vec<u8> as Debug>::fmt` has key
 *     `<Vec<_> as Debug>::fmt`, so the impl of one method for Vec<u8> and
 *     Vec<i32> are copies of one generic impl;
 *   - in the Self position of `<Self as Trait>`, references, pointers, slices,
 *     arrays, tuples and fn pointers become their shape (`&_`, `[_]`, `(_, _)`)
 *     with the inner types as arguments; a primitive or plain path Self stays,
 *     since `impl Debug for u8` and `impl Debug for u16` are separate impls;
 *   - for code written in a trait (GENERICS_SELF_ARG) the leading Self is an
 *     argument too: `<_ as Shape>::describe`, Self [Circle];
 *   - C++: the parameter list, the qualifiers after it and the return type are
 *     dropped, and the final template argument list removed:
 *     `void geo::scale<float>(float*, int)` has key `geo::scale`, arguments [float];
 *   - Rust legacy names carry the impl's parameter names (`Stack<T>::new`), not
 *     arguments: only a final list (`drop_in_place<String>`) gives arguments.
 * Plain C names are their own key, with no arguments. */
#ifndef HEFT_GENERICS_H
#define HEFT_GENERICS_H

#include <stdint.h>

#include "arena.h"
#include "names.h"

typedef struct GenericName {
    const char *key;   /* in the arena */
    const char **args; /* each trimmed, in order of appearance (at most 256); NULL when nargs is 0 */
    uint32_t nargs;
} GenericName;

/* The name is code written in a trait, instantiated for the Self of its
 * leading `<Self as Trait>` (a v0 Y path: names_v0_trait_item): Self is then
 * an argument like any other, `<_ as Trait>::method`, as the legacy name
 * `Trait::method` groups the copies too. */
#define GENERICS_SELF_ARG 1u

/* Splits a demangled (display) name of the given language. Never fails: an
 * unbalanced name gives a key and whatever arguments could be read. */
void generics_split(Arena *a, const char *display, NameLang lang, unsigned flags, GenericName *out);

/* "A, B, C" in the arena ("" for none). */
const char *generics_join(Arena *a, const char *const *args, uint32_t nargs);

#endif

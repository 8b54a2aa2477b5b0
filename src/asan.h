/* asan.h — whether this build runs under AddressSanitizer.
 *
 * gcc says so with __SANITIZE_ADDRESS__, clang 14 only through
 * __has_feature; HEFT_ASAN is 1 under either, else 0. */
#ifndef HEFT_ASAN_H
#define HEFT_ASAN_H

#if defined(__SANITIZE_ADDRESS__)
#define HEFT_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HEFT_ASAN 1
#endif
#endif
#ifndef HEFT_ASAN
#define HEFT_ASAN 0
#endif

#endif

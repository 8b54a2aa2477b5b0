/* version.h — heft's version, reported by --version and in JSON output. */
#ifndef HEFT_VERSION_H
#define HEFT_VERSION_H
#define HEFT_VERSION "0.1.0"
#endif

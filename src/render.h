/* render.h — formatting rows for people (aligned tables) and programs (JSON,
 * CSV, TSV). Renderers never compute sizes; they print what views give them. */
#ifndef HEFT_RENDER_H
#define HEFT_RENDER_H

#include <stdio.h>

#include "view.h"

typedef enum { FMT_TABLE, FMT_JSON, FMT_CSV, FMT_TSV, FMT_MARKDOWN } Format;

typedef struct RenderOpts {
    Format format;
    bool color; /* ANSI attributes on a terminal without NO_COLOR */
    int width;  /* terminal width for cutting names; 0: never cut (--wide, or not a terminal) */
} RenderOpts;

void render_view(FILE *out, const Account *acct, const View *v, const RenderOpts *o);
/* The default view: the file's totals, then sections, crates and symbols. */
void render_summary(FILE *out, const Account *acct, const View *sections, const View *crates, const View *symbols,
                    const RenderOpts *o);

/* A table's title line ("Sections", "Members", …), bold on a terminal. */
void render_heading(FILE *out, const char *title, const RenderOpts *o);
/* "512 B", "1.5 KiB", "12.3 MiB". */
void render_human(char *buf, size_t len, uint64_t bytes);

/* Pieces for other commands' renderers: a JSON string (U+FFFD for bytes that
 * are not UTF-8), a CSV or TSV field, a name cut to room columns with "…".
 *
 * Every name, path or other text from a file that a table or TSV shows goes
 * through render_text, render_cut or render_sv_field: they write each byte
 * that is not printable UTF-8 (controls, DEL, C1, bytes outside a valid
 * sequence) as \xHH, so that a file cannot send the terminal escape
 * sequences or forge rows. */
void render_json_string(FILE *out, const char *s);
void render_sv_field(FILE *out, const char *s, Format f);
void render_text(FILE *out, const char *s);
void render_cut(FILE *out, const char *s, int room);
/* As much of s as fits in room columns; returns the columns written. */
size_t render_text_upto(FILE *out, const char *s, size_t room);
/* Display width of a string as render_text writes it, in code points. */
size_t render_text_width(const char *s);

#endif

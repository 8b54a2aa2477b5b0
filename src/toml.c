/* toml.c — the TOML subset of toml.h, written by hand: Debian 12 packages no
 * C TOML library (tomlc99 is not packaged; libtoml11-dev and
 * libtomlplusplus-dev are C++), and a budget file needs only tables and
 * scalar keys. Anything outside the subset is an error, never a guess, so a
 * budget file that parses here means the same to any TOML reader. */
#include "toml.h"

#include <errno.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Duplicates are looked for by comparing with every earlier key, so the
 * counts are bounded; a budget has tens. */
#define TOML_MAX_ENTRIES 4096

typedef struct Parser {
    Arena *a;
    const char *p, *end;
    int line;
    char *err;
    size_t errlen;
} Parser;

static int perr(Parser *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int perr(Parser *ps, const char *fmt, ...)
{
    int k = snprintf(ps->err, ps->errlen, "line %d: ", ps->line);
    va_list ap;
    va_start(ap, fmt);
    if (k >= 0 && (size_t)k < ps->errlen)
        vsnprintf(ps->err + k, ps->errlen - (size_t)k, fmt, ap);
    va_end(ap);
    return -1;
}

static void skip_ws(Parser *ps)
{
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t'))
        ps->p++;
}

/* After a value or header: blanks, an optional comment, then the line's end. */
static int end_of_line(Parser *ps)
{
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == '#')
        while (ps->p < ps->end && *ps->p != '\n')
            ps->p++;
    if (ps->p < ps->end && *ps->p == '\r')
        ps->p++;
    if (ps->p < ps->end && *ps->p != '\n')
        return perr(ps, "unexpected '%c' after the value", *ps->p);
    if (ps->p < ps->end) {
        ps->p++;
        ps->line++;
    }
    return 0;
}

static void put_utf8(char *o, size_t *n, unsigned long c)
{
    if (c < 0x80) {
        o[(*n)++] = (char)c;
    } else if (c < 0x800) {
        o[(*n)++] = (char)(0xc0 | (c >> 6));
        o[(*n)++] = (char)(0x80 | (c & 0x3f));
    } else if (c < 0x10000) {
        o[(*n)++] = (char)(0xe0 | (c >> 12));
        o[(*n)++] = (char)(0x80 | ((c >> 6) & 0x3f));
        o[(*n)++] = (char)(0x80 | (c & 0x3f));
    } else {
        o[(*n)++] = (char)(0xf0 | (c >> 18));
        o[(*n)++] = (char)(0x80 | ((c >> 12) & 0x3f));
        o[(*n)++] = (char)(0x80 | ((c >> 6) & 0x3f));
        o[(*n)++] = (char)(0x80 | (c & 0x3f));
    }
}

/* A "basic" or 'literal' string at ps->p (on the quote). */
static int parse_string(Parser *ps, const char **out)
{
    char q = *ps->p++;
    if (ps->end - ps->p >= 2 && ps->p[0] == q && ps->p[1] == q)
        return perr(ps, "%s", "multi-line strings are not supported");
    const char *start = ps->p;
    while (ps->p < ps->end && *ps->p != q && *ps->p != '\n')
        ps->p += (q == '"' && *ps->p == '\\' && ps->p + 1 < ps->end) ? 2 : 1;
    if (ps->p >= ps->end || *ps->p != q)
        return perr(ps, "%s", "unterminated string");
    size_t raw = (size_t)(ps->p - start);
    ps->p++;
    char *o = arena_alloc(ps->a, raw + 1);
    size_t n = 0;
    for (const char *s = start; s < start + raw; s++) {
        if (q == '\'' || *s != '\\') {
            o[n++] = *s;
            continue;
        }
        char e = *++s;
        switch (e) {
        case 'n': o[n++] = '\n'; break;
        case 't': o[n++] = '\t'; break;
        case 'r': o[n++] = '\r'; break;
        case 'b': o[n++] = '\b'; break;
        case 'f': o[n++] = '\f'; break;
        case '"': o[n++] = '"'; break;
        case '\\': o[n++] = '\\'; break;
        case 'u':
        case 'U': {
            int digits = e == 'u' ? 4 : 8;
            unsigned long c = 0;
            for (int k = 1; k <= digits; k++) {
                char h = s + k < start + raw ? s[k] : '\0';
                int v = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10
                        : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
                if (v < 0)
                    return perr(ps, "%s", "bad \\u escape");
                c = c * 16 + (unsigned long)v;
            }
            if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff) || c == 0)
                return perr(ps, "%s", "\\u escape is not a Unicode scalar value");
            /* 4 or 8 hex digits always take at least as many bytes as the UTF-8 form. */
            put_utf8(o, &n, c);
            s += digits;
            break;
        }
        default: return perr(ps, "unknown escape '\\%c'", e ? e : '0');
        }
    }
    o[n] = '\0';
    *out = o;
    return 0;
}

static bool bare_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static int parse_key(Parser *ps, const char **out)
{
    if (ps->p < ps->end && (*ps->p == '"' || *ps->p == '\''))
        return parse_string(ps, out);
    const char *s = ps->p;
    while (ps->p < ps->end && bare_char(*ps->p))
        ps->p++;
    if (ps->p == s)
        return perr(ps, "%s", "expected a key");
    *out = arena_strndup(ps->a, s, (size_t)(ps->p - s));
    return 0;
}

static int parse_header(Parser *ps, const char ***table, size_t *ntable)
{
    ps->p++; /* '[' */
    if (ps->p < ps->end && *ps->p == '[')
        return perr(ps, "%s", "arrays of tables ([[...]]) are not supported");
    size_t cap = 4, n = 0;
    const char **keys = arena_array(ps->a, cap, sizeof *keys);
    for (;;) {
        skip_ws(ps);
        if (n == cap) {
            const char **more = arena_array(ps->a, cap * 2, sizeof *more);
            memcpy(more, keys, cap * sizeof *keys);
            keys = more, cap *= 2;
        }
        if (parse_key(ps, &keys[n++]) != 0)
            return -1;
        skip_ws(ps);
        if (ps->p < ps->end && *ps->p == '.') {
            ps->p++;
            continue;
        }
        if (ps->p < ps->end && *ps->p == ']') {
            ps->p++;
            break;
        }
        return perr(ps, "%s", "expected '.' or ']' in the table header");
    }
    *table = keys;
    *ntable = n;
    return 0;
}

static int parse_number(Parser *ps, TomlEntry *e)
{
    const char *s = ps->p;
    while (ps->p < ps->end && (bare_char(*ps->p) || *ps->p == '+' || *ps->p == '.'))
        ps->p++;
    size_t n = (size_t)(ps->p - s);
    char buf[64];
    size_t k = 0;
    bool is_float = false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '_') {
            if (i == 0 || i + 1 == n || !(s[i - 1] >= '0' && s[i - 1] <= '9') || !(s[i + 1] >= '0' && s[i + 1] <= '9'))
                return perr(ps, "%s", "'_' must stand between digits");
            continue;
        }
        if (k + 1 >= sizeof buf)
            return perr(ps, "%s", "number too long");
        if (s[i] == '.' || s[i] == 'e' || s[i] == 'E')
            is_float = true;
        buf[k++] = s[i];
    }
    buf[k] = '\0';
    if (k == 0)
        return perr(ps, "%s", "expected a value");
    if (strcmp(buf, "true") == 0 || strcmp(buf, "false") == 0) {
        e->type = TOML_BOOL;
        e->i = buf[0] == 't';
        return 0;
    }
    char *end;
    errno = 0;
    if (is_float) {
        e->type = TOML_FLOAT;
        e->f = strtod(buf, &end);
    } else {
        e->type = TOML_INT;
        e->i = strtoll(buf, &end, 10);
        const char *digits = buf + (buf[0] == '+' || buf[0] == '-');
        if (digits[0] == '0' && digits[1])
            return perr(ps, "'%s': leading zeros and 0x/0o/0b numbers are not supported", buf);
    }
    if (*end || errno == ERANGE || !((buf[0] >= '0' && buf[0] <= '9') || buf[0] == '+' || buf[0] == '-'))
        return perr(ps, "'%s' is not a string, number or boolean", buf);
    return 0;
}

static int parse_value(Parser *ps, TomlEntry *e)
{
    if (ps->p >= ps->end || *ps->p == '\n')
        return perr(ps, "%s", "expected a value");
    if (*ps->p == '"' || *ps->p == '\'') {
        e->type = TOML_STRING;
        return parse_string(ps, &e->str);
    }
    if (*ps->p == '[' || *ps->p == '{')
        return perr(ps, "%s", "arrays and inline tables are not supported");
    return parse_number(ps, e);
}

static bool same_table(const TomlEntry *e, const char **t, size_t n)
{
    if (e->ntable != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (strcmp(e->table[i], t[i]) != 0)
            return false;
    return true;
}

int toml_parse(Arena *a, const char *text, size_t len, TomlEntry **out, size_t *nout, char *err, size_t errlen)
{
    Parser ps = {a, text, text + len, 1, err, errlen};
    if (memchr(text, '\0', len))
        return perr(&ps, "%s", "the file contains a NUL byte");
    size_t cap = 16, n = 0;
    TomlEntry *es = arena_array(a, cap, sizeof *es);
    const char **table = NULL;
    size_t ntable = 0;
    /* Table headers seen, to refuse a table defined twice. */
    size_t hcap = 8, nh = 0;
    TomlEntry *headers = arena_array(a, hcap, sizeof *headers);
    while (ps.p < ps.end) {
        skip_ws(&ps);
        if (ps.p >= ps.end)
            break;
        char c = *ps.p;
        if (c == '\n' || c == '#' || c == '\r') {
            if (end_of_line(&ps) != 0)
                return -1;
        } else if (c == '[') {
            if (parse_header(&ps, &table, &ntable) != 0)
                return -1;
            for (size_t i = 0; i < nh; i++)
                if (same_table(&headers[i], table, ntable))
                    return perr(&ps, "table [%s…] is defined twice", table[0]);
            if (nh == TOML_MAX_ENTRIES)
                return perr(&ps, "more than %d tables", TOML_MAX_ENTRIES);
            if (end_of_line(&ps) != 0)
                return -1;
            if (nh == hcap) {
                TomlEntry *more = arena_array(a, hcap * 2, sizeof *more);
                memcpy(more, headers, hcap * sizeof *headers);
                headers = more, hcap *= 2;
            }
            headers[nh++] = (TomlEntry){.table = table, .ntable = ntable};
        } else {
            TomlEntry e = {.table = table, .ntable = ntable, .line = ps.line};
            if (parse_key(&ps, &e.key) != 0)
                return -1;
            skip_ws(&ps);
            if (ps.p < ps.end && *ps.p == '.')
                return perr(&ps, "%s", "dotted keys are not supported; use a [table]");
            if (ps.p >= ps.end || *ps.p != '=')
                return perr(&ps, "expected '=' after '%s'", e.key);
            ps.p++;
            skip_ws(&ps);
            if (parse_value(&ps, &e) != 0)
                return -1;
            for (size_t i = 0; i < n; i++)
                if (same_table(&es[i], table, ntable) && strcmp(es[i].key, e.key) == 0)
                    return perr(&ps, "key '%s' is defined twice", e.key);
            if (n == TOML_MAX_ENTRIES)
                return perr(&ps, "more than %d keys", TOML_MAX_ENTRIES);
            if (end_of_line(&ps) != 0)
                return -1;
            if (n == cap) {
                TomlEntry *more = arena_array(a, cap * 2, sizeof *more);
                memcpy(more, es, cap * sizeof *es);
                es = more, cap *= 2;
            }
            es[n++] = e;
        }
    }
    *out = es;
    *nout = n;
    return 0;
}

/* plot.c — the SVG chart of `cargo heft profiles --plot`, written by hand:
 * one scatter plot with a staircase is a few dozen elements, and no C
 * plotting library is worth a dependency for it. Size runs along x, time up
 * y; smaller and faster is the lower left. */
#include "plot.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define W 760.0
#define H 500.0
#define ML 90.0 /* margins: room for the tick labels and axis titles */
#define MR 40.0
#define MT 74.0
#define MB 70.0

static double time_of(const Profile *p, bool by_runtime)
{
    return by_runtime ? (p->benched ? p->run_median : NAN) : (p->build_known ? p->build_secs : NAN);
}

/* A tick step of 1, 2 or 5 × 10^k giving about five ticks over span. */
static double nice_step(double span)
{
    double raw = span / 5, mag = pow(10, floor(log10(raw)));
    double f = raw / mag;
    return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag;
}

static void xml_text(FILE *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '<') fputs("&lt;", out);
        else if (*s == '>') fputs("&gt;", out);
        else if (*s == '&') fputs("&amp;", out);
        else if (*s == '"') fputs("&quot;", out);
        else fputc(*s, out);
    }
}

/* Widens [lo, hi] to tick boundaries, with room when all values are equal. */
static void axis_range(double *lo, double *hi, double *step)
{
    if (*hi - *lo < 1e-12 * (fabs(*hi) + 1)) {
        double d = *hi ? fabs(*hi) * 0.1 : 1;
        *lo -= d, *hi += d;
    }
    double pad = (*hi - *lo) * 0.08;
    *step = nice_step(*hi - *lo + 2 * pad);
    *lo = floor((*lo - pad) / *step) * *step;
    if (*lo < 0)
        *lo = 0;
    *hi = ceil((*hi + pad) / *step) * *step;
}

void plot_profiles_svg(FILE *out, const ProfReport *r)
{
    double xmin = INFINITY, xmax = -INFINITY, ymin = INFINITY, ymax = -INFINITY;
    size_t npts = 0;
    for (size_t i = 0; i < r->n; i++) {
        const Profile *p = &r->p[i];
        double t = time_of(p, r->by_runtime);
        if (p->status != PROF_OK || isnan(t))
            continue;
        xmin = fmin(xmin, (double)profiles_size(p)), xmax = fmax(xmax, (double)profiles_size(p));
        ymin = fmin(ymin, t), ymax = fmax(ymax, t);
        npts++;
    }
    fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                 "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
                 "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
                 "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
            W, H, W, H);
    const char *what = r->by_runtime ? "runtime, median" : "build time";
    fprintf(out, "<text x=\"%.0f\" y=\"28\" font-size=\"16\" font-weight=\"bold\" text-anchor=\"middle\">"
                 "Compile profiles: size without symbols against %s</text>\n", W / 2, r->by_runtime ? "runtime" : "build time");
    if (!npts) {
        fprintf(out, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\">no profile with a size and a time</text>\n"
                     "</svg>\n", W / 2, H / 2);
        return;
    }
    /* Units: KiB or MiB along x; µs, ms or s up y. */
    double xdiv = xmax >= 4 * 1048576.0 ? 1048576.0 : 1024.0, ydiv = ymax < 2e-3 ? 1e-6 : ymax < 2 ? 1e-3 : 1;
    const char *xu = xdiv > 1024 ? "MiB" : "KiB", *yu = ydiv == 1e-6 ? "µs" : ydiv == 1e-3 ? "ms" : "s";
    double x0 = xmin / xdiv, x1 = xmax / xdiv, y0 = ymin / ydiv, y1 = ymax / ydiv, xs, ys;
    axis_range(&x0, &x1, &xs);
    axis_range(&y0, &y1, &ys);
    double pw = W - ML - MR, ph = H - MT - MB;
#define PX(v) (ML + ((v) / xdiv - x0) / (x1 - x0) * pw)
#define PY(v) (MT + ph - ((v) / ydiv - y0) / (y1 - y0) * ph)
    /* Grid and ticks. */
    fputs("<g stroke=\"#e3e3e3\" stroke-width=\"1\">\n", out);
    for (double v = x0; v <= x1 + xs / 2; v += xs)
        fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", PX(v * xdiv), MT, PX(v * xdiv),
                MT + ph);
    for (double v = y0; v <= y1 + ys / 2; v += ys)
        fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", ML, PY(v * ydiv), ML + pw,
                PY(v * ydiv));
    fputs("</g>\n<g fill=\"#333\">\n", out);
    int xdec = xs < 1 ? (xs < 0.1 ? 2 : 1) : 0, ydec = ys < 1 ? (ys < 0.1 ? 2 : 1) : 0;
    for (double v = x0; v <= x1 + xs / 2; v += xs)
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%.*f</text>\n", PX(v * xdiv), MT + ph + 18,
                xdec, v);
    for (double v = y0; v <= y1 + ys / 2; v += ys)
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%.*f</text>\n", ML - 8, PY(v * ydiv) + 4,
                ydec, v);
    fputs("</g>\n", out);
    fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"#555\"/>\n", ML,
            MT, pw, ph);
    fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"13\">size without symbols (%s)</text>\n",
            ML + pw / 2, H - 22, xu);
    fprintf(out, "<text transform=\"translate(22 %.1f) rotate(-90)\" text-anchor=\"middle\" font-size=\"13\">%s (%s)"
                 "</text>\n", MT + ph / 2, what, yu);
    /* The frontier: Pareto points by size (their times fall as size grows),
     * joined as a staircase — what is achievable at each size. */
    fputs("<polyline fill=\"none\" stroke=\"#d9480f\" stroke-width=\"2\" stroke-dasharray=\"6 3\" points=\"", out);
    bool first = true;
    double prev_y = 0;
    for (size_t i = 0; i < r->n; i++) {
        const Profile *p = &r->p[i];
        double t = time_of(p, r->by_runtime);
        if (!p->pareto || isnan(t))
            continue;
        if (!first)
            fprintf(out, " %.1f,%.1f", PX((double)profiles_size(p)), prev_y);
        fprintf(out, "%s%.1f,%.1f", first ? "" : " ", PX((double)profiles_size(p)), PY(t));
        prev_y = PY(t);
        first = false;
    }
    fputs("\"/>\n", out);
    /* Points, then labels: each at the first of eight places around its
     * point where it overlaps no point and no label placed before it (text
     * width estimated at 7 px a character), else right of the point. */
    double (*box)[4] = calloc(4 * r->n + 1, sizeof *box);
    size_t nbox = 0;
    /* the frontier's segments, so that no label sits on the line */
    double px = NAN, py = NAN;
    for (size_t i = 0; i < r->n && box; i++) {
        const Profile *p = &r->p[i];
        double t = time_of(p, r->by_runtime);
        if (!p->pareto || isnan(t))
            continue;
        double x = PX((double)profiles_size(p)), y = PY(t);
        if (!isnan(px)) {
            box[nbox][0] = px, box[nbox][1] = py - 2, box[nbox][2] = x, box[nbox][3] = py + 2;
            nbox++;
            box[nbox][0] = x - 2, box[nbox][1] = fmin(py, y), box[nbox][2] = x + 2, box[nbox][3] = fmax(py, y);
            nbox++;
        }
        px = x, py = y;
    }
    for (size_t i = 0; i < r->n; i++) {
        const Profile *p = &r->p[i];
        double t = time_of(p, r->by_runtime);
        if (p->status != PROF_OK || isnan(t) || !box)
            continue;
        double x = PX((double)profiles_size(p)), y = PY(t);
        box[nbox][0] = x - 6, box[nbox][1] = y - 6, box[nbox][2] = x + 6, box[nbox][3] = y + 6;
        nbox++;
        fprintf(out, "<circle class=\"point\" cx=\"%.1f\" cy=\"%.1f\" r=\"%s\" fill=\"%s\" stroke=\"#222\">"
                     "<title>", x, y, p->pareto ? "6" : "4.5", p->pareto ? "#d9480f" : "#adb5bd");
        xml_text(out, p->name);
        fprintf(out, ": %llu bytes</title></circle>\n", (unsigned long long)profiles_size(p));
    }
    for (size_t i = 0; i < r->n; i++) {
        const Profile *p = &r->p[i];
        double t = time_of(p, r->by_runtime);
        if (p->status != PROF_OK || isnan(t) || !box)
            continue;
        double x = PX((double)profiles_size(p)), y = PY(t), tw = 7.0 * (double)strlen(p->name), th = 13;
        /* Candidates (left edge, baseline) in rings growing 15 px at a
         * time: right, left, above, below, then the corners. The first
         * clear one wins, else the one overlapping least; a label away
         * from its point gets a leader line. */
        double best_l = x + 9, best_b = y + 4, best_cost = INFINITY;
        int best_ring = 0;
        for (int ring = 0; ring < 5 && best_cost > 0; ring++) {
            double d = 15.0 * ring;
            const double cand[8][2] = {{x + 9 + d, y + 4},          {x - 9 - tw - d, y + 4},
                                       {x - tw / 2, y - 10 - d},     {x - tw / 2, y + 19 + d},
                                       {x + 7 + d, y - 8 - d},       {x - 7 - tw - d, y - 8 - d},
                                       {x + 7 + d, y + 17 + d},      {x - 7 - tw - d, y + 17 + d}};
            for (size_t k = 0; k < 8 && best_cost > 0; k++) {
                double l = cand[k][0], bl = cand[k][1], rr = l + tw, tp = bl - th + 3;
                if (l < ML || rr > ML + pw || tp < MT || bl > MT + ph)
                    continue;
                double cost = 0;
                for (size_t j = 0; j < nbox; j++) {
                    double ox = fmin(rr, box[j][2]) - fmax(l, box[j][0]), oy = fmin(bl, box[j][3]) - fmax(tp, box[j][1]);
                    if (ox > 0 && oy > 0)
                        cost += ox * oy;
                }
                if (cost < best_cost)
                    best_cost = cost, best_l = l, best_b = bl, best_ring = ring;
            }
        }
        double l = best_l, b = best_b;
        box[nbox][0] = l, box[nbox][1] = b - th + 3, box[nbox][2] = l + tw, box[nbox][3] = b;
        nbox++;
        if (best_ring > 0) {
            double lx = fmin(fmax(x, l), l + tw), ly = fmin(fmax(y, b - th + 3), b);
            fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#868e96\" "
                         "stroke-width=\"0.8\"/>\n", x, y, lx, ly);
        }
        fprintf(out, "<text class=\"label\" x=\"%.1f\" y=\"%.1f\"%s>", l, b,
                p->pareto ? " font-weight=\"bold\"" : "");
        xml_text(out, p->name);
        fputs("</text>\n", out);
    }
    free(box);
#undef PX
#undef PY
    /* Legend, between the title and the plot. */
    fprintf(out, "<g font-size=\"12\" transform=\"translate(%.1f 52)\">\n"
                 "<circle cx=\"0\" cy=\"-4\" r=\"6\" fill=\"#d9480f\" stroke=\"#222\"/>"
                 "<text x=\"10\" y=\"0\">Pareto-optimal: nothing else is both smaller and faster</text>\n"
                 "<circle cx=\"360\" cy=\"-4\" r=\"4.5\" fill=\"#adb5bd\" stroke=\"#222\"/>"
                 "<text x=\"370\" y=\"0\">dominated</text>\n"
                 "<line x1=\"450\" y1=\"-4\" x2=\"480\" y2=\"-4\" stroke=\"#d9480f\" stroke-width=\"2\" "
                 "stroke-dasharray=\"6 3\"/><text x=\"486\" y=\"0\">frontier</text>\n</g>\n",
            ML);
    fputs("</svg>\n", out);
}

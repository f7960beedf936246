"""Numbers and coefficient tables printed the way R 4.2 prints them.

A Python port of what summary(lm(...)) / summary(glm(...)) use: formatReal()
and scientific() (src/main/format.c: a numeric vector is printed in one
common format, fixed unless scientific is narrower), zapsmall(), format.pval(),
printCoefmat() and print.default() of a named vector.  Quotes in the
significance legend are ASCII, as R prints them in the C locale.
"""
import math
import sys

import numpy as np

EPS = sys.float_info.epsilon
LEGEND = "Signif. codes:  0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1"


def _scientific(x, digits):
    """R's scientific(): (negative, kpower, nsig, rounding widens the fixed form)."""
    if x == 0:
        return False, 0, 1, False
    r = abs(x)
    mant, _, expo = f"{r:.{digits - 1}e}".partition("e")
    kpower = int(expo)
    sig = digits
    digs = mant.replace(".", "")
    while sig > 1 and digs[sig - 1] == "0":
        sig -= 1
    rgt = min(max(digits - kpower, 0), 22)
    widens = 0 < kpower <= 22 and r < 10.0 ** kpower - 0.5 / 10.0 ** rgt
    return x < 0, kpower, sig, widens


def _format_spec(values, digits):
    """R's formatReal(): ('f', decimals) or ('e', mantissa decimals)."""
    neg = False
    rgt = mxl = mxsl = mxns = mxe = -(2 ** 31)
    mne = 2 ** 31
    for x in values:
        if not math.isfinite(x):
            continue
        neg_i, kpower, nsig, widens = _scientific(x, digits)
        left = kpower + 1 - (1 if widens else 0)
        sleft = neg_i + (1 if left <= 0 else left)
        neg |= neg_i
        rgt, mxl = max(rgt, nsig - left), max(mxl, left)
        mxsl, mxns = max(mxsl, sleft), max(mxns, nsig)
        mxe, mne = max(mxe, kpower), min(mne, kpower)
    if mxl == -(2 ** 31):
        return "f", 0
    if mxl < 0:
        mxsl = 1 + neg
    rgt = max(rgt, 0)
    width_fixed = mxsl + rgt + (rgt != 0)
    e = 2 if (mxe >= 100 or mne <= -99) else 1
    d = mxns - 1
    width_sci = neg + (d > 0) + d + 4 + e
    return ("f", rgt) if width_fixed <= width_sci else ("e", d)


def _encode(x, spec, na="NA"):
    if x is None:
        return na
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Inf" if x > 0 else "-Inf"
    if x == 0:
        x = 0.0
    kind, d = spec
    if kind == "f":
        return f"{x:.{d}f}"
    s = f"{x:.{d}e}"  # Python and C agree: at least two exponent digits
    return s


def format_vector(values, digits=7):
    """format(x, digits = digits) of a numeric vector: one common format."""
    vals = [float(v) for v in values]
    spec = _format_spec(vals, digits)
    return [_encode(v, spec) for v in vals]


def format_num(x, digits=7):
    return format_vector([x], digits)[0]


def r_round(x, d):
    """R's round(x, d), through correctly rounded decimal text."""
    if not math.isfinite(x):
        return x
    return float(f"{x:.{d}f}") if d >= 0 else float(round(x, d))


def signif(x, d):
    if not math.isfinite(x) or x == 0:
        return x
    return float(f"{x:.{d - 1}e}")


def zapsmall(values, digits):
    finite = [abs(v) for v in values if math.isfinite(v)]
    mx = max(finite) if finite else 0.0
    d = digits
    if mx > 0:
        d = max(0, int(math.floor(digits - math.log10(mx) + 0.5)))
    return [r_round(v, d) for v in values]


def format_pval(pv, digits):
    """format.pval(pv, digits, eps = .Machine$double.eps); NaN gives "NA"."""
    cells = [""] * len(pv)
    nc = 0
    any_rest = False
    for fixed_pass in (True, False):
        idx = []
        for i, p in enumerate(pv):
            if math.isnan(p) or p < EPS:
                continue
            expo = math.floor(math.log10(p))
            fixp = expo >= -3 or (expo == -4 and digits > 1)
            if fixp == fixed_pass:
                idx.append(i)
        for i, s in zip(idx, format_vector([pv[i] for i in idx], digits)):
            cells[i] = s
            nc = max(nc, len(s))
            any_rest = True
    d0 = max(1, digits - 2)
    if any_rest:
        if d0 > 1 and d0 + 6 > nc:
            d0 = max(1, nc - 7)
        sep = "" if (d0 == 1 and nc <= 6) else " "
    else:
        sep = "" if d0 == 1 else " "
    eps = format_num(EPS, d0)
    for i, p in enumerate(pv):
        if math.isnan(p):
            cells[i] = "NA"
        elif p < EPS:
            cells[i] = f"<{sep}{eps}"
    return cells


def _stars(p):
    if math.isnan(p):
        return ""
    for cut, s in ((0.001, "***"), (0.01, "**"), (0.05, "*"), (0.1, ".")):
        if p <= cut:
            return s
    return " "


def coef_table(names, est, se, stat=None, pval=None, aliased=None, z=False, digits=4):
    """printCoefmat(): lines of the coefficient table (and the legend)."""
    k = len(names)
    aliased = list(aliased) if aliased is not None else [False] * k
    est, se = [float(v) for v in est], [float(v) for v in se]
    ncol = 2 if stat is None else 4
    cols = [est, se] + ([] if stat is None else [[float(v) for v in stat], [float(v) for v in pval]])
    for c in cols:
        for j in range(k):
            if aliased[j]:
                c[j] = math.nan
    cells = [[""] * k for _ in range(5)]
    # estimates and std. errors: rounded to a common number of decimals, then formatted together
    both = est + se
    finite = [abs(v) for v in both if math.isfinite(v)]
    if finite:
        nonzero = [a for a in finite if a != 0]
        digmin = 1 + (math.floor(math.log10(min(nonzero))) if nonzero else 0)
        rnd = max(1, digits - digmin)
        out = format_vector([r_round(v, rnd) for v in both], digits)
        redo = [i for i, v in enumerate(both) if not math.isnan(v) and (v == 0) != (float(out[i]) == 0)]
        for i, s in zip(redo, format_vector([both[i] for i in redo], max(1, digits - 1))):
            out[i] = s
        cells[0], cells[1] = out[:k], out[k:]
    show_stars = False
    if ncol == 4:
        dig_tst = max(1, min(5, digits - 1))
        cells[2] = format_vector([r_round(v, dig_tst) for v in cols[2]], digits)
        cells[3] = format_pval(cols[3], dig_tst)
        show_stars = any(p < 0.1 for p in cols[3] if not math.isnan(p))
        if show_stars:
            st = [_stars(p) for p in cols[3]]
            w = max(len(s) for s in st)
            cells[4] = [s.ljust(w) for s in st]  # format() pads left-justified
    for c in range(ncol):
        for j in range(k):
            if math.isnan(cols[c][j]):
                cells[c][j] = "NA" if aliased[j] else "NaN"
    head = ["Estimate", "Std. Error", "z value" if z else "t value", "Pr(>|z|)" if z else "Pr(>|t|)", ""]
    used = list(range(ncol)) + ([4] if show_stars else [])
    widths = {c: max([len(head[c])] + [len(s) for s in cells[c]]) for c in used}
    rw = max(len(n) for n in names) if names else 0
    lines = [" " * rw + "".join(" " + head[c].rjust(widths[c]) for c in used)]
    for j in range(k):
        lines.append(names[j].ljust(rw) + "".join(" " + cells[c][j].rjust(widths[c]) for c in used))
    if show_stars:
        lines += ["---", LEGEND]
    return lines


def named_vector(names, values, digits=4, gap=1, width=80):
    """print.default() of a named numeric vector: lines."""
    cells = format_vector(values, digits)
    w = max([len(s) for s in cells] + [len(s) for s in names] + [0])
    per = max(1, width // (w + gap))
    lines = []
    for start in range(0, len(cells), per):
        sl = slice(start, start + per)
        lines.append("".join(n.rjust(w) + " " * gap for n in names[sl]))
        lines.append("".join(c.rjust(w) + " " * gap for c in cells[sl]))
    return lines


def residual_block(resid, df_residual, digits=4, glm=False):
    """The residual lines of print.summary.lm (glm=False) or print.summary.glm."""
    resid = np.asarray(resid, dtype=float)
    gap = 2 if glm else 1
    n = resid.size
    if glm and not df_residual > 0 and n > 0:
        df_residual = 0.5  # summary.glm prints the residuals even then
    if not df_residual > 0:
        return [f"ALL {n} residuals are 0: no residual degrees of freedom!"]
    if df_residual > 5:
        q = [float(v) for v in np.quantile(resid, [0, 0.25, 0.5, 0.75, 1.0])]  # R's type 7
        return named_vector(["Min", "1Q", "Median", "3Q", "Max"], zapsmall(q, digits + 1), digits, gap)
    vals = [float(v) for v in resid]
    if glm:
        vals = zapsmall(vals, digits + 1)
    return named_vector([str(i + 1) for i in range(n)], vals, digits, gap)


def formatc(x, digits=4):
    """formatC(x, digits = digits) for a double: "%<digits+1>.<digits>g"."""
    if math.isnan(x):
        return "NaN".rjust(digits + 1)
    if math.isinf(x):
        return ("Inf" if x > 0 else "-Inf").rjust(digits + 1)
    return f"{x:{digits + 1}.{digits}g}"

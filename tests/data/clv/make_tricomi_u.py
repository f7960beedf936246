#!/usr/bin/python3
"""Reference values of g(s, z) = z^(s-1) U(s, s, z) = U(1, 2-s, z) for
tests/check_tricomi_u.c, with mpmath at 50 significant digits.

Each value is computed twice: mpmath.hyperu(s, s, z) * z^(s-1) and the
defining integral Int_0^inf e^{-z t} (1+t)^-s dt by mpmath.quad; the script
stops if they disagree beyond 1e-40 relative.  Output: tricomi_u.json
(log g as a 30-digit string, and log U(s, s, z)).  "cell_rows": the same
at z drawn log-uniformly in (1e-6, 1) (random.Random(13), 17 digits), the
range occam__tricomi_table interpolates, checked against
e^z z^(s-1) Gamma(1-s, z).
Run: /usr/bin/python3 tests/data/clv/make_tricomi_u.py > tests/data/clv/tricomi_u.json
"""
import json
import random
import mpmath as mp

mp.mp.dps = 50

S = ["0.01", "0.1", "0.5", "0.606", "0.999999999", "1", "1.000000001", "1.5",
     "2", "2.5", "3", "7.25", "30"]
Z = ["1e-12", "1e-6", "0.001", "0.05", "0.5", "0.999", "1", "1.001", "3", "10",
     "100", "1e4", "1e6", "1e9"]


def integral(s, z):
    f = lambda t: mp.exp(-z * t) * (1 + t) ** (-s)
    pts = [0, 1 / z, 10 / z, 100 / z, mp.inf]
    if z < 1:
        pts = [0] + [mp.mpf(10) ** k for k in range(0, 16) if mp.mpf(10) ** k < 200 / z] + [mp.inf]
    return mp.quad(f, pts, maxdegree=10)


rows = []
for s_txt in S:
    for z_txt in Z:
        s, z = mp.mpf(s_txt), mp.mpf(z_txt)
        g1 = mp.hyperu(s, s, z) * z ** (s - 1)
        if z >= mp.mpf("1e-6") and z <= 1e6:
            g2 = integral(s, z)
            if abs(g1 / g2 - 1) > mp.mpf("1e-40"):
                raise SystemExit("disagree at s=%s z=%s: %s vs %s" % (s_txt, z_txt, g1, g2))
        else:  # a second closed form: e^z z^(s-1) Gamma(1-s, z) (s = 1: E1)
            g2 = mp.exp(z) * z ** (s - 1) * mp.gammainc(1 - s, z) if s != 1 else mp.exp(z) * mp.e1(z)
            if abs(g1 / g2 - 1) > mp.mpf("1e-40"):
                raise SystemExit("disagree at s=%s z=%s: %s vs %s" % (s_txt, z_txt, g1, g2))
        lg = mp.log(g1)
        rows.append({"s": s_txt, "z": z_txt, "log_g": mp.nstr(lg, 30),
                     "log_u_ss": mp.nstr(lg + (1 - s) * mp.log(z), 30)})

cell_rows = []
rng = random.Random(13)
for s_txt in S:
    for _ in range(12):
        z_txt = "%.17g" % (10 ** rng.uniform(-6, 0))
        s, z = mp.mpf(s_txt), mp.mpf(z_txt)
        g1 = mp.hyperu(s, s, z) * z ** (s - 1)
        g2 = mp.exp(z) * z ** (s - 1) * mp.gammainc(1 - s, z) if s != 1 else mp.exp(z) * mp.e1(z)
        if abs(g1 / g2 - 1) > mp.mpf("1e-40"):
            raise SystemExit("disagree at s=%s z=%s: %s vs %s" % (s_txt, z_txt, g1, g2))
        cell_rows.append({"s": s_txt, "z": z_txt, "log_g": mp.nstr(mp.log(g1), 30)})

print(json.dumps({"generated_by": "tests/data/clv/make_tricomi_u.py (mpmath %s, 50 digits)" % mp.__version__,
                  "function": "g(s,z) = z^(s-1) U(s,s,z) = Int_0^inf exp(-z t) (1+t)^-s dt",
                  "rows": rows, "cell_rows": cell_rows}, indent=1))

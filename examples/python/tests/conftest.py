"""Shared test helpers: paths, reference fixtures, tolerance checks.

Run with Debian's interpreter from the repository root:
    OCCAM_LIBRARY=build/liboccam.so /usr/bin/python3 -m pytest examples/python/tests
(tests/sh/test_python.sh does exactly this under ctest).
"""
import json
import os
import re
import sys
from pathlib import Path

import numpy as np
import pytest

PKG_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PKG_DIR))

REPO = PKG_DIR.parents[1]
TEST_DATA = REPO / "tests" / "data"
DATA = REPO / "data"


def read_json(path):
    with open(path) as f:
        return json.load(f)


def read_csv(path):
    """(header, float matrix) of a numeric CSV with a header row."""
    with open(path) as f:
        header = f.readline().strip().split(",")
    return header, np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)


def assert_rel(got, want, rtol, what=""):
    """Relative comparison |got - want| <= rtol * |want| (absolute when want = 0);
    None in a reference is R's NA and must be NaN here; "Inf"/"-Inf" strings are infinities."""
    got = np.atleast_1d(np.asarray(got, dtype=float))
    want = np.atleast_1d(np.array([np.nan if w is None else w for w in np.ravel(want)], dtype=float)).reshape(
        np.shape(want) if np.ndim(want) else (1,))
    assert got.shape == want.shape, f"{what}: shape {got.shape} != {want.shape}"
    both_nan = np.isnan(got) & np.isnan(want)
    with np.errstate(invalid="ignore"):
        err = np.abs(got - want)
    bound = rtol * np.where(want == 0, 1.0, np.abs(want))
    bad = ~both_nan & (got != want) & ~(err <= bound)  # equal infinities pass
    assert not bad.any(), (f"{what}: got {got[bad]} want {want[bad]} (rel tol {rtol}; "
                           f"worst rel err {np.max(err[bad] / np.where(want[bad] == 0, 1, np.abs(want[bad]))):.3g})")


class GlmCase:
    """One R glm() reference case (schema: tests/data/glm/REFERENCE_README.md)."""

    def __init__(self, path):
        self.path = Path(path)
        self.id = self.path.stem
        self.ref = j = read_json(path)
        rel = lambda p: TEST_DATA / (p[len("shared/data/"):] if p.startswith("shared/data/") else "glm/" + p)
        xh, X = read_csv(rel(j["x_csv"]))
        yh, Y = read_csv(rel(j["y_csv"]))
        if j["has_intercept"]:
            assert xh[0] == "Intercept"
            xh, X = xh[1:], X[:, 1:]
        self.names, self.X = xh, np.asfortranarray(X)
        col = {h: Y[:, i] for i, h in enumerate(yh)}
        self.y = col["y"]
        self.weights = col.get("weights") if j["has_prior_weights"] else None
        self.offset = col.get("offset") if j["has_offset"] else None
        call = j["r_call"]
        m = re.search(r"epsilon = ([0-9.e+-]+)", call)
        self.epsilon = float(m.group(1)) if m else 1e-8
        m = re.search(r"maxit = ([0-9]+)", call)
        self.maxit = int(m.group(1)) if m else 25
        self.start = j["start"]
        self.family, self.link, self.intercept = j["family"], j["link"], j["has_intercept"]
        self.halve_on_increase = bool(j.get("halve_on_increase", False))  # cases fitted with glm2's rule

    def fit(self, occam, X=None, **kw):
        m = occam.GLM(self.family, self.link)
        return m.fit(self.X if X is None else X, self.y, weights=self.weights, offset=self.offset,
                     intercept=self.intercept, epsilon=self.epsilon, maxit=self.maxit, start=self.start,
                     halve_on_increase=self.halve_on_increase, names=self.names, **kw)


def glm_case_paths(extra=False):
    """The shared R cases (tests/data/glm), or the extra ones (glm/extra and
    glm/glm2: cases fitted with glm2's halving rule)."""
    if not extra:
        return sorted((TEST_DATA / "glm").glob("*.json"))
    return sorted((TEST_DATA / "glm" / "extra").glob("*.json")) + sorted((TEST_DATA / "glm" / "glm2").glob("*.json"))


@pytest.fixture(scope="session")
def occam():
    import occam as mod
    return mod


@pytest.fixture(scope="session")
def cli():
    path = os.environ.get("OCCAM_CLI")
    if not path or not os.path.exists(path):
        pytest.skip("OCCAM_CLI (the occam command-line tool) not set: C cross-checks skipped")
    return path

"""NumPy arrays cross into C without copies in C or Fortran order (and
slices of either), with the layout and leading dimension of their memory.

Reference: R's lm(sr ~ pop15 + pop75 + dpi + ddpi, LifeCycleSavings)
(tests/data/glm/lifecyclesavings_gaussian_identity.json, "lm"): every
layout must reproduce it to the linear contract (coefficients 1e-9), and
predictions of one model are bit-identical whatever the layout (the
library predicts with a fixed-order loop, docs/api.md).
"""
import numpy as np
import pytest

from conftest import TEST_DATA, GlmCase, assert_rel

CASE = TEST_DATA / "glm" / "lifecyclesavings_gaussian_identity.json"


@pytest.fixture(scope="module")
def lcs():
    case = GlmCase(CASE)
    return case, np.ascontiguousarray(case.X)


def view(X):
    from occam import _arrays
    return _arrays.matrix(X)


def test_c_order_in_place(lcs):
    _, X = lcs
    v = view(X)
    assert (v.ptr, v.layout, v.ld, v.copied) == (X.ctypes.data, 101, 4, False)


def test_fortran_order_in_place(lcs):
    _, X = lcs
    F = np.asfortranarray(X)
    v = view(F)
    assert (v.ptr, v.layout, v.ld, v.copied) == (F.ctypes.data, 102, 50, False)
    v = view(X.T)  # the transpose of a C array is Fortran-ordered memory
    assert (v.ptr, v.layout, v.ld, v.n, v.p) == (X.ctypes.data, 102, 4, 4, 50)


def test_slices_in_place(lcs):
    _, X = lcs
    wide = np.zeros((50, 7))
    wide[:, 2:6] = X
    sub = wide[:, 2:6]  # columns of a C array: rows 7 apart
    v = view(sub)
    assert (v.ptr, v.layout, v.ld, v.copied) == (sub.ctypes.data, 101, 7, False)
    tall = np.zeros((60, 4), order="F")
    tall[5:55] = X
    sub = tall[5:55]  # rows of a Fortran array: columns 60 apart
    v = view(sub)
    assert (v.ptr, v.layout, v.ld, v.copied) == (sub.ctypes.data, 102, 60, False)
    every2 = X[::2]  # every other row of a C array
    v = view(every2)
    assert (v.layout, v.ld, v.copied) == (101, 8, False)


def test_copies_only_when_needed(lcs):
    _, X = lcs
    assert view(X.astype(np.float32)).copied
    assert view(X[::-1]).copied  # negative stride
    assert view(X[:, ::2]).copied  # columns 16 bytes apart in a row-major array
    assert view(X.astype(">f8")).copied  # byte-swapped


@pytest.mark.parametrize("layout", ["C", "F", "C-slice", "F-slice", "reversed-twice", "transposed"])
def test_every_layout_fits_r(occam, lcs, layout):
    case, X = lcs
    lm = case.ref["lm"]
    if layout == "C":
        A = X
    elif layout == "F":
        A = np.asfortranarray(X)
    elif layout == "C-slice":
        A = np.hstack([np.zeros((50, 1)), X, np.zeros((50, 2))])[:, 1:5]
    elif layout == "F-slice":
        A = np.asfortranarray(np.vstack([np.zeros((3, 4)), X]))[3:]
    elif layout == "reversed-twice":
        A = X[::-1][::-1]
    else:
        A = np.ascontiguousarray(X.T).T
    m = occam.Linear().fit(A, case.y)
    assert_rel(m.coef, lm["coefficients"], 1e-9, f"{layout} coefficients")
    ref = occam.Linear().fit(X, case.y)
    assert np.array_equal(m.predict(A), ref.predict(X))


def test_vector_lengths_checked_before_c(occam, lcs):
    case, X = lcs
    with pytest.raises(ValueError, match="y must have 50 values"):
        occam.Linear().fit(X, case.y[:49])
    with pytest.raises(ValueError, match="weights must have 50 values"):
        occam.Linear().fit(X, case.y, weights=np.ones(51))
    with pytest.raises(ValueError, match="2-D"):
        occam.Linear().fit(np.zeros((2, 2, 2)), [1.0, 2.0])


def test_integer_arrays_converted(occam):
    """cars (integer speed and dist) as int64 arrays: converted once, R's
    lm(dist ~ speed) to 1e-9 (tests/data/linear/linear_reference.json)."""
    from conftest import DATA, read_csv, read_json
    ref = read_json(TEST_DATA / "linear" / "linear_reference.json")["cars_predict_se"]
    _, d = read_csv(DATA / "glm" / "cars.csv")
    speed, dist = d[:, 0].astype(np.int64), d[:, 1].astype(np.int64)
    assert view(speed).copied
    m = occam.Linear().fit(speed, dist)
    assert_rel(m.coef, ref["coefficients"], 1e-9, "coefficients")


def test_misaligned_vector_is_copied(lcs):
    """A float64 vector at an odd address (NumPy rebuilds received buffers
    in place, as Dask's transfers do) is copied to aligned memory: C reads
    doubles at 8-byte alignment (UBSan flags the misaligned load).  R's lm()
    coefficients from it to the linear contract, 1e-9."""
    from occam import _arrays
    case, X = lcs
    raw = bytearray(case.y.size * 8 + 4)
    y = np.frombuffer(raw, dtype=np.float64, count=case.y.size, offset=4)
    y[:] = case.y
    assert not y.flags.aligned
    v = _arrays.vector(y, case.y.size, "y")
    assert v.flags.aligned and v.ctypes.data % 8 == 0 and np.array_equal(v, case.y)
    import occam
    assert_rel(occam.Linear().fit(X, y).coef, case.ref["lm"]["coefficients"], 1e-9, "coefficients")


def test_misaligned_matrix_is_copied(lcs):
    """The same for X: a C-ordered float64 matrix at an odd address is
    copied (it was passed in place); R's lm() coefficients to 1e-9."""
    case, X = lcs
    raw = bytearray(X.size * 8 + 4)
    M = np.frombuffer(raw, dtype=np.float64, count=X.size, offset=4).reshape(X.shape)
    M[:] = X
    assert not M.flags.aligned
    v = view(M)
    assert v.copied and v.ptr % 8 == 0 and np.array_equal(v.array, X)
    import occam
    assert_rel(occam.Linear().fit(M, case.y).coef, case.ref["lm"]["coefficients"], 1e-9, "coefficients")

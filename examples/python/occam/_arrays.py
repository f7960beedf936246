"""NumPy arrays to occam's (data, n, p, ld, layout) matrix views, without copies.

A 2-D float64 array whose memory is a row-major or column-major grid with
8-byte elements (C order, Fortran order, or a slice of either, e.g.
``X[:, :3]`` or ``X[::2]``) is passed in place: the layout and leading
dimension come from its strides.  Anything else (other dtypes, negative or
zero strides, byte-swapped or misaligned data) is converted once to a
C-ordered float64 copy.
"""
import numpy as np

from ._lib import Layout

_ITEM = 8  # sizeof(double)


class Matrix:
    """A matrix argument: keeps the array alive while its address is used."""

    __slots__ = ("array", "ptr", "n", "p", "ld", "layout", "copied")

    def __init__(self, array, n, p, ld, layout, copied):
        self.array, self.n, self.p, self.ld, self.layout, self.copied = array, n, p, ld, layout, copied
        self.ptr = array.ctypes.data


def _grid(a):
    """(layout, ld) under which a's memory is read in place, or None."""
    n, p = a.shape
    s0, s1 = a.strides
    # row-major: consecutive elements of a row are adjacent, rows ld apart
    if (p <= 1 or s1 == _ITEM) and (n <= 1 or (s0 > 0 and s0 % _ITEM == 0 and s0 >= _ITEM * p)):
        return Layout.ROW_MAJOR, (s0 // _ITEM if n > 1 else max(p, 1))
    # column-major: consecutive elements of a column are adjacent, columns ld apart
    if (n <= 1 or s0 == _ITEM) and (p <= 1 or (s1 > 0 and s1 % _ITEM == 0 and s1 >= _ITEM * n)):
        return Layout.COL_MAJOR, (s1 // _ITEM if p > 1 else max(n, 1))
    return None


def _usable(a):
    return (a.dtype == np.float64 and a.dtype.isnative and a.flags.aligned)


def matrix(X, name="X"):
    """Matrix view of X (2-D, or 1-D meaning one column)."""
    a = np.asarray(X)
    if a.ndim == 1:
        a = a.reshape(-1, 1)
    if a.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array (n rows x p columns), got {a.ndim} dimensions")
    copied = False
    if not _usable(a):  # a fresh C-ordered copy (ascontiguousarray keeps a misaligned array as it is)
        a = np.array(a, dtype=np.float64, order="C", copy=True)
        copied = True
    grid = _grid(a)
    if grid is None:
        a = np.ascontiguousarray(a)
        copied = True
        grid = _grid(a)
    layout, ld = grid
    return Matrix(a, a.shape[0], a.shape[1], ld, int(layout), copied)


def vector(v, n, name):
    """Contiguous, aligned, native float64 vector of length n (None stays
    None): a view of v when it is one, else a copy (e.g. of an array NumPy
    rebuilt at an odd offset of a received buffer, as Dask's transfers do)."""
    if v is None:
        return None
    a = np.asarray(v)
    if a.ndim == 0:
        raise ValueError(f"{name} must be a 1-D array of length {n}, got a scalar")
    a = np.ascontiguousarray(a.reshape(-1) if a.ndim == 2 and 1 in a.shape else a, dtype=np.float64)
    if not _usable(a):
        a = np.array(a, dtype=np.float64, order="C", copy=True)
    if a.ndim != 1 or a.shape[0] != n:
        raise ValueError(f"{name} must have {n} values (one per row of X), got shape {np.shape(v)}")
    return a


def address(a):
    """Address of a vector for a C call (None for None)."""
    return None if a is None else a.ctypes.data

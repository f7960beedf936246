"""The ctypes layer: library loading, constants and signatures against the
header, status/message plumbing into exceptions and warnings."""
import ctypes
import re
import warnings

import numpy as np
import pytest

from conftest import REPO, TEST_DATA, read_json, assert_rel

HEADER = REPO / "include" / "occam.h"


def _cffi_header():
    """cffi's C parser on occam.h (preprocessor lines, extern "C" and the
    export macro removed): an independent reading of the declarations."""
    cffi = pytest.importorskip("cffi")
    text = []
    for line in HEADER.read_text().splitlines():
        if line.lstrip().startswith("#") or line.strip() in ('extern "C" {', "}"):
            continue
        text.append(line.replace("OCCAM_API ", ""))
    src = re.sub(r"/\*.*?\*/", "", "\n".join(text), flags=re.S)
    # continuation lines of multi-line #defines have been dropped with their first line
    src = "\n".join(l for l in src.splitlines() if not l.strip().startswith("(OCCAM_VERSION"))
    ffi = cffi.FFI()
    ffi.cdef(src)
    return ffi


def test_version_matches_header(occam):
    want = re.search(r'#define OCCAM_VERSION_STRING "([^"]+)"', HEADER.read_text()).group(1)
    assert occam.version() == want


def test_enums_match_header(occam):
    from occam import _lib
    ffi = _cffi_header()
    for enum_name, (cls, prefix) in _lib.HEADER_ENUMS.items():
        header = dict(ffi.typeof(f"enum {enum_name}").relements)
        ours = {prefix + m.name: int(m) for m in cls}
        assert ours == header, f"enum {enum_name}: Python {ours} != header {header}"


_KIND = {ctypes.c_int: "int", ctypes.c_int64: "int64_t", ctypes.c_double: "double", ctypes.c_size_t: "size_t"}


def _cffi_kind(t):
    if t.kind == "pointer" or t.kind == "array":
        return "pointer"
    if t.kind == "enum":
        return "int"
    return {"int": "int", "int64_t": "int64_t", "double": "double", "size_t": "size_t"}.get(t.cname, t.cname)


def test_signatures_match_header(occam):
    """Every declared argtype/restype has the width and kind of the header's
    declaration (a mismatch would corrupt the call silently)."""
    from occam import _lib
    ffi = _cffi_header()
    lib = ffi.dlopen(_lib.library_path)
    for name, (res, args) in _lib._SIGNATURES.items():
        t = ffi.typeof(getattr(lib, name))
        want_args = [_cffi_kind(a) for a in t.args]
        ours = ["pointer" if (a in (ctypes.c_void_p, ctypes.c_char_p) or hasattr(a, "_type_") and
                              not a in _KIND) else _KIND[a] for a in args]
        assert ours == want_args, f"{name}: ctypes {ours} != header {want_args}"
        want_res = "void" if t.result.cname == "void" else _cffi_kind(t.result)
        ours_res = "void" if res is None else ("pointer" if res is ctypes.c_char_p else _KIND[res])
        assert ours_res == want_res, f"{name}: result {ours_res} != {want_res}"


def test_error_carries_status_and_detail(occam):
    X = np.array([[1.0], [np.nan], [3.0]])
    with pytest.raises(occam.OccamError) as e:
        occam.Linear().fit(X, [1.0, 2.0, 3.0])
    err = e.value
    assert err.status == -4 and err.name == "OCCAM_E_NONFINITE"
    assert "row 2" in err.detail and "NaN" in err.detail
    assert "OCCAM_E_NONFINITE" in str(err) and err.function == "occam_model_fit"


def test_error_statuses(occam):
    m = occam.Linear()
    with pytest.raises(occam.OccamError) as e:
        m.predict(np.ones((2, 1)))
    assert e.value.name == "OCCAM_E_NOT_FITTED"
    m.fit(np.arange(5.0), np.arange(5.0) * 2 + 1)
    with pytest.raises(occam.OccamError) as e:
        m.predict(np.ones((2, 3)))  # 3 columns, the fit had 1
    assert e.value.name == "OCCAM_E_DIM_MISMATCH"
    with pytest.raises(occam.OccamError) as e:
        occam.Linear().fit(np.ones((3, 1)), [1.0, 2.0, 3.0], weights=[1.0, -1.0, 1.0])
    assert e.value.name == "OCCAM_E_BAD_WEIGHTS"
    with pytest.raises(occam.OccamError) as e:
        occam.GLM("poisson", "logit")
    assert e.value.name == "OCCAM_E_BAD_LINK"
    with pytest.raises(occam.OccamError) as e:
        occam.GLM("negative.binomial")
    assert e.value.name == "OCCAM_E_UNKNOWN_ENUM"
    with pytest.raises(occam.OccamError) as e:
        occam.loads(b"not a model")
    assert e.value.name in ("OCCAM_E_FORMAT", "OCCAM_E_CHECKSUM")


def test_failed_refit_keeps_the_model(occam):
    m = occam.Linear().fit(np.arange(5.0), np.arange(5.0) * 2 + 1)
    before = m.coef.copy()
    with pytest.raises(occam.OccamError):
        m.fit(np.array([1.0, np.inf, 2.0]), [1.0, 2.0, 3.0])
    assert np.array_equal(m.coef, before)


def test_rank_deficiency_warns_with_status(occam):
    """R's lm(dist ~ speed + speed2) with speed2 = speed: NA for speed2
    (tests/data/linear/linear_reference.json, R 4.2.2); coefficients 1e-9."""
    from conftest import read_csv
    ref = read_json(TEST_DATA / "linear" / "linear_reference.json")["cars_duplicated_column"]
    _, d = read_csv(REPO / "data" / "glm" / "cars.csv")
    X = np.column_stack([d[:, 0], d[:, 0]])
    with pytest.warns(occam.OccamWarning) as w:
        m = occam.Linear().fit(X, d[:, 1])
    assert [x.message.status for x in w] == [5] and w[0].message.name == "OCCAM_W_RANK_DEFICIENT"
    assert_rel(m.coef, ref["coefficients"], 1e-9, "coefficients")
    assert list(m.aliased) == [False, False, True]
    assert m.conditions == ["OCCAM_W_RANK_DEFICIENT"]

"""Loading liboccam and declaring its C functions (ctypes, no compiler needed).

The shared library is found, in this order:

1. the path in the environment variable ``OCCAM_LIBRARY`` (only that one);
2. ``liboccam.so.0`` inside this package: the copy ``pip install`` puts there
   (setup.py, docs/python.md "Installing with pip");
3. the build tree of the source checkout this package sits in
   (``<repo>/build/liboccam.so.0``, what ``cmake -S . -B build`` produces);
4. ``ctypes.util.find_library("occam")``: the system library path, e.g.
   after ``cmake --install build`` into ``/usr/local`` and ``ldconfig``.

Every function is declared with its exact ``argtypes``/``restype`` from
``include/occam.h``: array arguments are ``c_void_p`` (the wrappers pass the
address of NumPy memory together with n, p, ld and layout), handles are
``c_void_p``.  Enumerations are restated as ``IntEnum`` classes; a test
checks every value against the header.
"""
import ctypes
import ctypes.util
import enum
import os
import warnings
from pathlib import Path

__all__ = ["lib", "library_path", "OccamError", "OccamWarning", "check"]

_REPO = Path(__file__).resolve().parents[3]


def _find_library():
    env = os.environ.get("OCCAM_LIBRARY")
    if env:
        return env
    bundled = Path(__file__).resolve().parent / "liboccam.so.0"
    if bundled.exists():
        return str(bundled)
    in_tree = _REPO / "build" / "liboccam.so.0"
    if in_tree.exists() and (_REPO / "include" / "occam.h").exists():
        return str(in_tree)
    found = ctypes.util.find_library("occam")
    if found:
        return found
    raise OSError(
        "liboccam not found: set OCCAM_LIBRARY to the path of liboccam.so, build the "
        "source tree into ./build (cmake -S . -B build && cmake --build build), or install "
        "it (cmake --install build) where the dynamic linker finds it")


library_path = _find_library()
lib = ctypes.CDLL(library_path)

# ---------------------------------------------------------------- enumerations


class Status(enum.IntEnum):
    OK = 0
    W_NOT_CONVERGED = 1
    W_BOUNDARY = 2
    W_FITTED_01 = 3
    W_FITTED_ZERO = 4
    W_RANK_DEFICIENT = 5
    W_NON_INTEGER = 6
    W_STEP_DIVERGENCE = 7
    W_STEP_OUT_OF_BOUNDS = 8
    W_ZERO_WEIGHTS = 9
    W_PERFECT_FIT = 10
    W_OVERFLOW = 11
    W_NO_DROPOUT = 12
    E_NULL = -1
    E_INVALID_ARG = -2
    E_NO_DATA = -3
    E_NONFINITE = -4
    E_BAD_WEIGHTS = -5
    E_DOMAIN = -6
    E_DIM_MISMATCH = -7
    E_UNKNOWN_ENUM = -8
    E_NOT_FITTED = -9
    E_WRONG_MODEL = -10
    E_NOMEM = -11
    E_TOO_LARGE = -12
    E_BUFFER_TOO_SMALL = -13
    E_FORMAT = -14
    E_VERSION = -15
    E_CHECKSUM = -16
    E_IO = -17
    E_NUMERIC = -18
    E_BAD_LINK = -19
    E_LAPACK = -20
    E_INTERNAL = -21


class Layout(enum.IntEnum):
    ROW_MAJOR = 101
    COL_MAJOR = 102


class ModelKind(enum.IntEnum):
    LINEAR = 1
    GLM = 2
    PNBD = 3
    GG = 4


class Option(enum.IntEnum):
    EPSILON = 1
    MAXIT = 2
    RANK_TOL = 3
    SOLVER = 4
    INTERCEPT = 5
    HALVE_ON_INCREASE = 6
    GRAD_TOL = 7
    COLLAPSE = 8
    THREADS = 9
    FAST = 10
    KEEP_DATA = 11


class Solver(enum.IntEnum):
    QR = 1
    CHOLESKY = 2
    AUTO = 3


class Predict(enum.IntEnum):
    RESPONSE = 1
    LINK = 2
    PALIVE = 3
    EXPECTED = 4
    LOGLIK = 5
    EXPECTED_NEW = 6
    PROB_N = 7
    SPEND = 8
    DERT = 9


class CoefColumn(enum.IntEnum):
    ESTIMATE = 1
    STD_ERROR = 2
    STATISTIC = 3
    P_VALUE = 4


class Info(enum.IntEnum):
    NOBS = 1
    RANK = 2
    DF_RESIDUAL = 3
    DF_NULL = 4
    DEVIANCE = 5
    NULL_DEVIANCE = 6
    AIC = 7
    LOGLIK = 8
    DISPERSION = 9
    ITER = 10
    CONVERGED = 11
    PEARSON_CHI2 = 12
    SIGMA = 13
    R_SQUARED = 14
    ADJ_R_SQUARED = 15
    FSTATISTIC = 16
    F_NUMDF = 17
    F_DENDF = 18
    F_P_VALUE = 19
    T_STATISTIC = 20
    INTERCEPT = 21
    FAMILY = 22
    LINK = 23
    BOUNDARY = 24
    GRAD_NORM = 25
    SOLVER = 26
    CORRELATION = 27
    FAST = 28


class StreamInput(enum.IntEnum):
    WEIGHTS = 1
    OFFSET = 2


class Rows(enum.IntEnum):
    FITTED = 1
    LINEAR_PREDICTOR = 2
    RESID_RESPONSE = 3
    RESID_WORKING = 4
    RESID_PEARSON = 5
    RESID_DEVIANCE = 6
    WORKING_WEIGHTS = 7
    PRIOR_WEIGHTS = 8


# header enum name -> Python class, for the consistency test
HEADER_ENUMS = {
    "occam_status": (Status, "OCCAM_"),
    "occam_layout": (Layout, "OCCAM_"),
    "occam_model_kind": (ModelKind, "OCCAM_MODEL_"),
    "occam_option": (Option, "OCCAM_OPT_"),
    "occam_solver": (Solver, "OCCAM_SOLVER_"),
    "occam_predict_type": (Predict, "OCCAM_PREDICT_"),
    "occam_coef_column": (CoefColumn, "OCCAM_COEF_"),
    "occam_info": (Info, "OCCAM_INFO_"),
    "occam_rows": (Rows, "OCCAM_ROWS_"),
    "occam_stream_input": (StreamInput, "OCCAM_STREAM_"),
}

# ------------------------------------------------------------------ signatures

_int, _i64, _dbl, _sz = ctypes.c_int, ctypes.c_int64, ctypes.c_double, ctypes.c_size_t
_ptr, _str = ctypes.c_void_p, ctypes.c_char_p
_pptr = ctypes.POINTER(ctypes.c_void_p)
_pint, _pi64 = ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_int64)
_pdbl, _psz = ctypes.POINTER(ctypes.c_double), ctypes.POINTER(ctypes.c_size_t)

_SIGNATURES = {
    "occam_version_number": (_int, []),
    "occam_version_string": (_str, []),
    "occam_strerror": (_str, [_int]),
    "occam_status_name": (_str, [_int]),
    "occam_last_error": (_str, []),
    "occam_family_name": (_str, [_int]),
    "occam_link_name": (_str, [_int]),
    "occam_family_parse": (_int, [_str, _pint]),
    "occam_link_parse": (_int, [_str, _pint]),
    "occam_opts_new": (_int, [_pptr]),
    "occam_opts_free": (None, [_ptr]),
    "occam_opts_set_int": (_int, [_ptr, _int, _i64]),
    "occam_opts_set_double": (_int, [_ptr, _int, _dbl]),
    "occam_linear_new": (_int, [_pptr]),
    "occam_linear_set_coef": (_int, [_ptr, _int, _dbl, _ptr, _i64]),
    "occam_glm_new": (_int, [_int, _int, _pptr]),
    "occam_glm_set_start": (_int, [_ptr, _ptr, _i64]),
    "occam_pnbd_new": (_int, [_pptr]),
    "occam_pnbd_set_params": (_int, [_ptr, _dbl, _dbl, _dbl, _dbl]),
    "occam_gg_new": (_int, [_pptr]),
    "occam_gg_set_params": (_int, [_ptr, _dbl, _dbl, _dbl]),
    "occam_model_free": (None, [_ptr]),
    # m, opts, X, n, p, ldx, layout, y, weights, offset
    "occam_model_fit": (_int, [_ptr, _ptr, _ptr, _i64, _i64, _i64, _int, _ptr, _ptr, _ptr]),
    # m, type, horizon, X, n, p, ldx, layout, offset, out, se_out, out_len
    "occam_model_predict": (_int, [_ptr, _int, _dbl, _ptr, _i64, _i64, _i64, _int, _ptr, _ptr, _ptr, _i64]),
    "occam_model_serialize": (_int, [_ptr, _ptr, _sz, _psz]),
    "occam_model_deserialize": (_int, [_ptr, _sz, _pptr]),
    "occam_model_save": (_int, [_ptr, _str]),
    "occam_model_load": (_int, [_str, _pptr]),
    "occam_model_kind": (_int, [_ptr]),
    "occam_model_is_fitted": (_int, [_ptr]),
    "occam_model_dims": (_int, [_ptr, _pi64, _pi64]),
    "occam_model_coef": (_int, [_ptr, _int, _ptr, _i64]),
    "occam_model_aliased": (_int, [_ptr, _ptr, _i64]),
    "occam_model_vcov": (_int, [_ptr, _ptr, _i64]),
    "occam_model_info": (_int, [_ptr, _int, _pdbl]),
    "occam_model_conditions": (_int, [_ptr, _pint]),
    "occam_model_rows": (_int, [_ptr, _int, _ptr, _i64]),
    "occam_model_nrows": (_int, [_ptr, _pi64]),
    "occam_model_set_names": (_int, [_ptr, ctypes.POINTER(ctypes.c_char_p), _i64]),
    "occam_model_coef_name": (_int, [_ptr, _i64, _ptr, _sz, _psz]),
    "occam_model_column_name": (_int, [_ptr, _i64, _ptr, _sz, _psz]),
    # the context of a Pareto/NBD or Gamma-Gamma model (unit, days per unit, calibration end)
    "occam_model_set_time_unit": (_int, [_ptr, _int, _dbl]),
    "occam_model_time_unit": (_int, [_ptr, _pint, _pdbl]),
    "occam_time_unit_name": (_str, [_int]),
    "occam_model_set_calibration_end": (_int, [_ptr, _dbl, _str]),
    "occam_model_calibration_end": (_int, [_ptr, _pdbl, _ptr, _sz, _psz]),
    "occam_model_check_time_unit": (_int, [_ptr, _int, _dbl]),
    # r, alpha, s, beta, X, n, ldx, layout, weights, loglik, grad
    "occam_pnbd_loglik": (_int, [_dbl, _dbl, _dbl, _dbl, _ptr, _i64, _i64, _int, _ptr, _pdbl, _ptr]),
    # ids, times, n_events, cal_end, merge_period, cust_ids, summary, first, x_star, cap, n_customers
    "occam_pnbd_summarize_events": (_int, [_ptr, _ptr, _i64, _dbl, _dbl, _ptr, _ptr, _ptr, _ptr, _i64, _pi64]),
    "occam_iso_date_days": (_int, [_str, _pdbl]),
    # pnbd, gg, X, n, ldx, layout, delta, margin, horizon, p_alive, expected, dert, spend, clv, out_len
    "occam_clv_table": (_int, [_ptr, _ptr, _ptr, _i64, _i64, _int, _dbl, _dbl, _dbl, _ptr, _ptr, _ptr, _ptr, _ptr, _i64]),
    # streaming and partial results (docs/scale.md): m, opts, p, inputs, out
    "occam_stream_new": (_int, [_ptr, _ptr, _i64, _int, _pptr]),
    "occam_stream_next": (_int, [_ptr, _pint]),
    # s, X, nrows, ld, layout, y, weights, offset
    "occam_stream_update": (_int, [_ptr, _ptr, _i64, _i64, _int, _ptr, _ptr, _ptr]),
    "occam_stream_finish": (_int, [_ptr]),
    "occam_stream_free": (None, [_ptr]),
    "occam_stream_pass": (_int, [_ptr, _pi64, _pi64]),
    "occam_partial_fork": (_int, [_ptr, _pptr]),
    "occam_partial_add": (_int, [_ptr, _ptr, _i64, _i64, _int, _ptr, _ptr, _ptr]),
    "occam_partial_merge": (_int, [_ptr, _ptr]),
    "occam_stream_absorb": (_int, [_ptr, _ptr]),
    "occam_partial_rows": (_int, [_ptr, _pi64]),
    "occam_partial_serialize": (_int, [_ptr, _ptr, _sz, _psz]),
    "occam_partial_deserialize": (_int, [_ptr, _sz, _pptr]),
    "occam_partial_free": (None, [_ptr]),
}

for _name, (_res, _args) in _SIGNATURES.items():
    _f = getattr(lib, _name)
    _f.restype = _res
    _f.argtypes = _args

# ---------------------------------------------------------------------- errors


def _text(b):
    return b.decode("utf-8", "replace") if b else ""


class OccamError(Exception):
    """A call into occam failed.

    Attributes: ``status`` (the negative OCCAM_E_* code), ``name``
    ("OCCAM_E_NONFINITE"), ``reason`` (occam_strerror text), ``detail``
    (occam_last_error: which argument, row or column), ``function``.
    """

    def __init__(self, status, function="", detail=None):
        self.status = int(status)
        self.name = _text(lib.occam_status_name(self.status))
        self.reason = _text(lib.occam_strerror(self.status))
        self.detail = _text(lib.occam_last_error()) if detail is None else detail
        self.function = function
        where = f"{function}: " if function else ""
        extra = f" ({self.detail})" if self.detail else ""
        super().__init__(f"{where}{self.name}: {self.reason}{extra}")


class OccamWarning(UserWarning):
    """A call completed with a warning status (OCCAM_W_*): results are valid."""

    def __init__(self, status, message):
        self.status = int(status)
        self.name = _text(lib.occam_status_name(self.status))
        super().__init__(message)


def check(status, function, stacklevel=3):
    """Raise OccamError for a negative status, warn for a positive one."""
    if status < 0:
        raise OccamError(status, function)
    if status > 0:
        warn(status, _text(lib.occam_last_error()), stacklevel=stacklevel + 1)
    return status


def warn(status, detail, stacklevel=3):
    reason = _text(lib.occam_strerror(status))
    name = _text(lib.occam_status_name(status))
    msg = f"{name}: {reason}" + (f" ({detail})" if detail else "")
    warnings.warn(OccamWarning(status, msg), stacklevel=stacklevel)


def version():
    """The library's version string, e.g. "0.1.0"."""
    return _text(lib.occam_version_string())

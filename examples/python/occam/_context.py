"""The context a Pareto/NBD or Gamma-Gamma model records (issue 13 point 3):
its time unit, the unit's length in days and the calibration end
(occam_model_time_unit, occam_model_calibration_end; docs/format.md 1.2).
A model from a file written before format 1.2 has time_unit "unknown"."""
import ctypes
import math

from ._lib import check, lib

_UNITS = {"unknown": 0, "weeks": 1, "days": 2, "other": 3}


class _Context:
    """Mixin of ParetoNBD and GammaGamma."""

    def _unit(self):
        u, d = ctypes.c_int(), ctypes.c_double()
        check(lib.occam_model_time_unit(self._h, ctypes.byref(u), ctypes.byref(d)), "occam_model_time_unit")
        return u.value, d.value

    @property
    def time_unit(self):
        """'weeks', 'days', 'other' or 'unknown'."""
        return lib.occam_time_unit_name(self._unit()[0]).decode()

    @property
    def unit_days(self):
        """The time unit's length in days (7.0, 1.0, the 'other' length), NaN when unknown."""
        return self._unit()[1]

    def _cal_end(self):
        t, need = ctypes.c_double(), ctypes.c_size_t(0)
        lib.occam_model_calibration_end(self._h, ctypes.byref(t), None, 0, ctypes.byref(need))
        buf = ctypes.create_string_buffer(max(need.value, 1))
        check(lib.occam_model_calibration_end(self._h, ctypes.byref(t), buf, len(buf), None),
              "occam_model_calibration_end")
        return t.value, buf.value.decode("utf-8") or None

    @property
    def calibration_end(self):
        """The calibration end on the model's time axis (NaN when unknown)."""
        return self._cal_end()[0]

    @property
    def calibration_end_text(self):
        """The calibration end as given to the fit (e.g. '1997-09-30'), or None."""
        return self._cal_end()[1]

    def set_context(self, time_unit="unknown", unit_days=math.nan, calibration_end=math.nan,
                    calibration_end_text=None):
        """Record the time unit ('weeks', 'days', 'other' with unit_days, or
        'unknown') and the calibration end (a time and/or its text); kept by
        save()/to_bytes().  Returns self."""
        if time_unit not in _UNITS:
            raise ValueError(f"time_unit must be one of {sorted(_UNITS)}, got {time_unit!r}")
        check(lib.occam_model_set_time_unit(self._h, _UNITS[time_unit], float(unit_days)),
              "occam_model_set_time_unit")
        text = None if calibration_end_text is None else str(calibration_end_text).encode("utf-8")
        check(lib.occam_model_set_calibration_end(self._h, float(calibration_end), text),
              "occam_model_set_calibration_end")
        return self

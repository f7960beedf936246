"""The context of Pareto/NBD and Gamma-Gamma models (issue 13 point 3): a
format 1.1 file (tests/data/format_1_1, written before the change) reads
with time_unit 'unknown' and predicts what the old binary printed (bit for
bit: 17 significant digits read back exactly); set_context survives
to_bytes/loads and pickle; bad values raise."""
import math
import pickle

import numpy as np
import pytest

from conftest import TEST_DATA, read_csv

OLD = TEST_DATA / "format_1_1"


def test_context(occam):
    m = occam.load(str(OLD / "pnbd_events.occam"))
    assert (m.time_unit, math.isnan(m.unit_days), math.isnan(m.calibration_end), m.calibration_end_text) == \
        ("unknown", True, True, None)
    _, d = read_csv(OLD / "events_summary.csv")
    _, want = read_csv(OLD / "pnbd_events_palive.csv")
    assert np.array_equal(m.p_alive(d[:, 1], d[:, 2], d[:, 3]), want[:, 1])

    m.set_context("weeks", calibration_end=1447.7142857142858, calibration_end_text="1997-09-30")
    for r in (occam.loads(m.to_bytes()), pickle.loads(pickle.dumps(m))):
        assert (r.time_unit, r.unit_days, r.calibration_end, r.calibration_end_text) == \
            ("weeks", 7.0, 1447.7142857142858, "1997-09-30")
    g = occam.load(str(OLD / "gg_spend.occam")).set_context("other", unit_days=30.4375)
    g = occam.loads(g.to_bytes())
    assert (g.time_unit, g.unit_days, g.calibration_end_text) == ("other", 30.4375, None)
    with pytest.raises(ValueError):
        g.set_context("months")
    with pytest.raises(occam.OccamError):
        g.set_context("other", unit_days=-1.0)
    assert g.unit_days == 30.4375  # unchanged

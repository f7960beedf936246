"""Saving, loading and pickling models, and agreement with the C library as
used by the occam command-line tool (OCCAM_CLI, set by ctest).

Cross-checks with the C tool are exact: the CLI parses CSV numbers with
strtod and Python writes them with repr (both round-trip doubles exactly),
both call the same library, and predictions are deterministic (docs/api.md:
a model and its deserialized copy predict bit-identically; the CLI prints
%.17g, which round-trips).
"""
import pickle
import subprocess

import numpy as np
import pytest

from conftest import DATA, TEST_DATA, GlmCase, read_csv


def _models(occam):
    _, cars = read_csv(DATA / "glm" / "cars.csv")
    lin = occam.Linear().fit(cars[:, :1], cars[:, 1], names=["speed"])
    case = GlmCase(TEST_DATA / "glm" / "insurance_poisson_log_offset.json")
    glm = case.fit(occam)
    _, cd = read_csv(DATA / "cdnow_summary.csv")
    pnbd = occam.ParetoNBD().fit(cd[:, 1:])
    return [(lin, cars[:, :1], {}), (glm, case.X, {"offset": case.offset}), (pnbd, cd[:, 1:], None)]


def _predict(m, X, kw):
    return m.p_alive(X) if kw is None else m.predict(X, **kw)


@pytest.fixture(scope="module")
def models(occam):
    return _models(occam)


def test_pickle_round_trip(occam, models):
    for m, X, kw in models:
        copy = pickle.loads(pickle.dumps(m))
        assert type(copy) is type(m) and copy.kind == m.kind
        assert np.array_equal(copy.coef, m.coef) and np.array_equal(copy.vcov(), m.vcov(), equal_nan=True)
        assert np.array_equal(_predict(copy, X, kw), _predict(m, X, kw))
        coefs = lambda text: text[text.index("Coefficients:"):]  # per-row residuals are not saved
        assert coefs(str(copy)) == coefs(str(m))


def test_save_load_and_bytes(occam, models, tmp_path):
    for i, (m, X, kw) in enumerate(models):
        path = tmp_path / f"model{i}.occam"
        m.save(path)
        for copy in (occam.load(path), occam.loads(m.to_bytes())):
            assert type(copy) is type(m)
            assert copy.coef_names == m.coef_names
            assert np.array_equal(_predict(copy, X, kw), _predict(m, X, kw))
        assert path.read_bytes() == m.to_bytes()


def test_corruption_is_detected(occam, models):
    data = bytearray(models[0][0].to_bytes())
    data[len(data) // 2] ^= 0x01
    with pytest.raises(occam.OccamError) as e:
        occam.loads(bytes(data))
    assert e.value.name == "OCCAM_E_CHECKSUM"
    with pytest.raises(occam.OccamError) as e:
        occam.load("/nonexistent/model.occam")
    assert e.value.name == "OCCAM_E_IO"
    with pytest.raises(occam.OccamError) as e:  # a linear model's state into a GLM object
        occam.GLM.__new__(occam.GLM).__setstate__(models[0][0].__getstate__())
    assert e.value.name == "OCCAM_E_WRONG_MODEL"


def _run(cli, *args):
    r = subprocess.run([cli, *map(str, args)], capture_output=True, text=True)
    assert r.returncode == 0, f"occam {' '.join(map(str, args))}: {r.stderr}"
    return r.stdout


def _cli_predictions(cli, *args):
    lines = _run(cli, "predict", *args).split()
    assert lines[0] == "prediction"
    return np.array([float(v) for v in lines[1:]])


def _write_csv(path, names, columns):
    with open(path, "w") as f:
        f.write(",".join(names) + "\n")
        for row in zip(*columns):
            f.write(",".join(repr(float(v)) for v in row) + "\n")


def test_cli_linear_fit_equals_python(occam, cli, tmp_path):
    """occam fit linear on cars.csv: the saved model loads in Python with the
    coefficients of Python's own fit, and the CLI's predictions equal
    Python's, exactly."""
    cars_csv = DATA / "glm" / "cars.csv"
    _, cars = read_csv(cars_csv)
    _run(cli, "fit", "linear", "--data", cars_csv, "--y", "dist", "--save", tmp_path / "c.occam")
    from_cli = occam.load(tmp_path / "c.occam")
    mine = occam.Linear().fit(cars[:, :1], cars[:, 1])
    assert isinstance(from_cli, occam.Linear) and from_cli.coef_names == ["(Intercept)", "speed"]
    assert np.array_equal(from_cli.coef, mine.coef) and np.array_equal(from_cli.std_errors, mine.std_errors)
    assert np.array_equal(_cli_predictions(cli, tmp_path / "c.occam", "--data", cars_csv), mine.predict(cars[:, :1]))


def test_cli_glm_fit_equals_python(occam, cli, tmp_path):
    """occam fit glm (poisson, offset log(Holders), R's Insurance case) from
    a CSV of the same numbers: the same coefficients and deviance, exactly;
    the Python-saved model predicts the same link values in the CLI."""
    case = GlmCase(TEST_DATA / "glm" / "insurance_poisson_log_offset.json")
    csv = tmp_path / "ins.csv"
    _write_csv(csv, case.names + ["y", "off"], [*case.X.T, case.y, case.offset])
    _run(cli, "fit", "glm", "--family", "poisson", "--data", csv, "--y", "y", "--offset", "off",
         "--save", tmp_path / "g.occam")
    from_cli = occam.load(tmp_path / "g.occam")
    mine = case.fit(occam)
    assert isinstance(from_cli, occam.GLM) and (from_cli.family, from_cli.link) == ("poisson", "log")
    assert np.array_equal(from_cli.coef, mine.coef) and from_cli.deviance == mine.deviance
    mine.save(tmp_path / "mine.occam")
    got = _cli_predictions(cli, tmp_path / "mine.occam", "--data", csv, "--type", "link", "--offset", "off")
    assert np.array_equal(got, mine.predict(case.X, type="link", offset=case.offset))


def test_cli_predicts_python_pnbd(occam, cli, tmp_path):
    """A Pareto/NBD model fitted and saved from Python: the CLI's P(alive)
    and 39-week expectations on cdnow_summary.csv equal Python's exactly."""
    cd_csv = DATA / "cdnow_summary.csv"
    _, cd = read_csv(cd_csv)
    m = occam.ParetoNBD().fit(cd[:, 1:])
    m.save(tmp_path / "p.occam")
    assert np.array_equal(_cli_predictions(cli, tmp_path / "p.occam", "--data", cd_csv), m.p_alive(cd[:, 1:]))
    got = _cli_predictions(cli, tmp_path / "p.occam", "--data", cd_csv, "--type", "expected", "--horizon", 39)
    assert np.array_equal(got, m.conditional_expected(39, cd[:, 1:]))

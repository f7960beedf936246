"""occam.dask on distributed.LocalCluster (worker processes) against the
in-memory Python fits and the R / mpmath references (issue 12, points 2-4).

Contract (issue 12): a fit on 1 and on 2 workers agree to 1e-13 relative --
here they must be bitwise identical, the model's serialized bytes equal
(the same partitions merge in the same fixed tree, whichever worker
computes what) -- and with the single-process fit to 1e-10 relative
(estimates, standard errors, deviance, null deviance, AIC, dispersion,
log-likelihood; iterations, rank, aliased set and conditions exactly).
Tying the fits to an independent source: GLM estimates and SEs equal R
4.2.2's glm() to 1e-6, its deviance to 1e-8 (test_glm.py's tolerances, and its rule for entries that are zero in exact
arithmetic);
lm() to 1e-9 / 1e-7 (test_linear.py's); the CDNOW Pareto/NBD MLE equals
the mpmath reference (tests/data/pnbd/cdnow_reference.json) to 1e-7
(parameters) and 1e-10 (log-likelihood).  Faults: bad rows in one
partition raise the in-memory fit's OccamError (same status and detail,
rows numbered from the collection's first); a worker SIGKILLed mid-fit
leaves the fit's bytes identical.

One cluster of each size per module (startup is about a second); workers
are processes, no dashboard, a temporary local directory.
"""
import logging
import os
import shutil
import signal
import tempfile
import threading
import time
import warnings

import numpy as np
import pandas as pd
import pytest

import dask.array as da
import dask.dataframe as dd
from distributed import Client, LocalCluster

from conftest import DATA, PKG_DIR, TEST_DATA, GlmCase, assert_rel, glm_case_paths, read_csv, read_json
from test_glm import assert_scaled

SHARED = glm_case_paths()
# the extra R cases that add what the shared ones lack: aliased columns, an
# offset without intercept and with probit, zero weights, step-halving,
# non-convergence, start values, glm2's halving rule
EXTRA = [p for p in glm_case_paths(extra=True) if p.stem.split("_")[0] in
         ("rankdef", "offset", "zeroweights", "nonconv", "start", "increase")]
# (not separation_binomial_logit: no finite MLE, 25 iterations towards infinity
# amplify the rounding of the merges to 4e-10 relative, docs/scale.md; not the
# boundary_* cases: a hundred step-halving passes, slow through a scheduler)
NPART = 4


def _start(n_workers, tmp):
    cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                           local_directory=tmp, memory_limit=0, silence_logs=logging.CRITICAL)
    return cluster, Client(cluster, set_as_default=False)


@pytest.fixture(scope="module")
def tmpdir_module():
    old = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = str(PKG_DIR) + (os.pathsep + old if old else "")  # workers import occam
    tmp = tempfile.mkdtemp(prefix="occam-dask-")
    yield tmp
    shutil.rmtree(tmp, ignore_errors=True)
    if old is None:
        os.environ.pop("PYTHONPATH", None)
    else:
        os.environ["PYTHONPATH"] = old


@pytest.fixture(scope="module")
def clients(tmpdir_module):
    started = {k: _start(k, tmpdir_module) for k in (1, 2)}
    yield {k: c for k, (_, c) in started.items()}
    for cluster, client in started.values():
        client.close()
        cluster.close()


@pytest.fixture(scope="module")
def odask():
    import occam.dask
    return occam.dask


def _frame(case):
    cols = [f"c{j}" for j in range(case.X.shape[1])]
    pdf = pd.DataFrame(case.X, columns=cols)
    pdf["y"] = case.y
    if case.weights is not None:
        pdf["w"] = case.weights
    if case.offset is not None:
        pdf["off"] = case.offset
    return cols, dd.from_pandas(pdf, npartitions=NPART, sort=False)


def _record(fn):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        m = fn()
    return m, sorted(str(w.message) for w in caught)


def _dask_glm(odask, case, client):
    cols, ddf = _frame(case)
    return _record(lambda: odask.fit_glm(
        ddf, "y", case.family, case.link, x=cols, weights="w" if case.weights is not None else None,
        offset="off" if case.offset is not None else None, intercept=case.intercept, epsilon=case.epsilon,
        maxit=case.maxit, start=case.start, halve_on_increase=case.halve_on_increase, names=case.names,
        client=client))


def _same_fit(got, want, scalars):
    """got (a Dask fit) against want (the in-memory fit) to 1e-10 relative;
    an estimate that is zero in exact arithmetic (below 1e-10 of its SE:
    rounding noise in both) absolutely to 1e-10 of its SE."""
    assert list(got.aliased) == list(want.aliased)
    assert got.conditions == want.conditions
    assert got.coef_names == want.coef_names
    assert_scaled(got.coef, want.coef, 1e-10, want.std_errors, "estimates")
    assert_rel(got.std_errors, want.std_errors, 1e-10, "std errors")
    v = want.vcov()
    sd = np.sqrt(np.abs(np.diag(v)))
    assert_scaled(got.vcov().ravel(), v.ravel(), 1e-10, np.outer(sd, sd).ravel(), "vcov")
    for attr in scalars:
        assert_rel(getattr(got, attr), getattr(want, attr), 1e-10, attr)


GLM_SCALARS = ("deviance", "null_deviance", "aic", "dispersion", "pearson_chi2", "df_residual", "df_null",
               "rank", "iter", "converged", "boundary", "nobs")


@pytest.mark.parametrize("path", SHARED + EXTRA, ids=lambda p: p.stem)
def test_glm_on_1_and_2_workers(occam, odask, clients, path):
    case = GlmCase(path)
    want, want_warn = _record(lambda: case.fit(occam))
    got2, warn2 = _dask_glm(odask, case, clients[2])
    got1, warn1 = _dask_glm(odask, case, clients[1])
    assert isinstance(got2, occam.GLM)
    assert got1.to_bytes() == got2.to_bytes(), "1 and 2 workers differ"
    assert warn1 == warn2 and [w.split(" (")[0] for w in warn2] == [w.split(" (")[0] for w in want_warn]
    _same_fit(got2, want, GLM_SCALARS)
    j = case.ref
    ok = [c is not None for c in j["coefficients"]]
    assert_scaled(got2.coef[ok], np.array(j["coefficients"], dtype=float)[ok], 1e-6,
                  np.array(j["std_errors"], dtype=float)[ok], "R estimates")
    assert_rel(got2.std_errors[ok], np.array(j["std_errors"], dtype=float)[ok], 1e-6, "R std errors")
    assert_rel(got2.deviance, j["deviance"], 1e-8, "R deviance")


def test_glm_from_arrays(occam, odask, clients):
    """Dask Arrays (X chunked by 9 rows, y/weights/offset as NumPy vectors
    rechunked to X): R's insurance Poisson fit with an offset and budworm's
    weighted binomial."""
    for name in ("insurance_poisson_log_offset", "budworm_binomial_logit"):
        case = GlmCase(TEST_DATA / "glm" / f"{name}.json")
        want = case.fit(occam)
        fits = [odask.fit_glm(da.from_array(case.X, chunks=(9, -1)), case.y, case.family, case.link,
                              weights=case.weights, offset=case.offset, names=case.names, client=clients[k])
                for k in (1, 2)]
        assert fits[0].to_bytes() == fits[1].to_bytes()
        _same_fit(fits[1], want, GLM_SCALARS)


def test_glm_model_saves_predicts_and_prints(occam, odask, clients, tmp_path):
    case = GlmCase(TEST_DATA / "glm" / "insurance_poisson_log_offset.json")
    want = case.fit(occam)
    got, _ = _dask_glm(odask, case, clients[2])
    path = tmp_path / "m.occam"
    got.save(path)
    loaded = occam.load(path)
    assert isinstance(loaded, occam.GLM) and loaded.to_bytes() == got.to_bytes()
    for t in ("link", "response"):
        fit, se = loaded.predict(case.X, type=t, offset=case.offset, se_fit=True)
        wfit, wse = want.predict(case.X, type=t, offset=case.offset, se_fit=True)
        assert_rel(fit, wfit, 1e-10, f"predict {t}")
        assert_rel(se, wse, 1e-10, f"se {t}")
    text, want_text = str(got), str(want)
    # the coefficient table and everything after it print the same digits
    assert text[text.index("Coefficients:"):] == want_text[want_text.index("Coefficients:"):]


LINEAR = read_json(TEST_DATA / "linear" / "linear_reference.json")


@pytest.mark.parametrize("which", ["cars", "cars_duplicated_column", "cars_offset", "weighted"])
def test_linear_on_1_and_2_workers(occam, odask, clients, which):
    """R's lm() on cars (tests/data/linear/linear_reference.json, and the
    weighted cars GLM case's lm block) with an aliased duplicated column,
    an offset, weights."""
    _, d = read_csv(DATA / "glm" / "cars.csv")
    speed, dist = d[:, 0], d[:, 1]
    X, w, off = speed[:, None], None, None
    if which == "cars_duplicated_column":
        X = np.column_stack([speed, speed])
    if which == "cars_offset":
        off = 2 * speed  # make_reference.R: lm(dist ~ speed + offset(2 * speed))
    if which in ("cars", "weighted"):
        case = GlmCase(TEST_DATA / "glm" / ("cars_weighted_gaussian_identity.json" if which == "weighted"
                                            else "cars_gaussian_identity.json"))
        X, dist, w, ref = case.X, case.y, case.weights, case.ref["lm"]
    else:
        ref = LINEAR[which]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = occam.Linear().fit(X, dist, weights=w, offset=off)
        fits = [odask.fit_linear(da.from_array(np.asfortranarray(X), chunks=(13, -1)), dist, weights=w, offset=off,
                                 client=clients[k]) for k in (1, 2)]
    assert isinstance(fits[1], occam.Linear)
    assert fits[0].to_bytes() == fits[1].to_bytes()
    _same_fit(fits[1], want, ("deviance", "sigma", "r_squared", "adj_r_squared", "df_residual", "rank", "nobs"))
    assert_rel(fits[1].coef, ref["coefficients"], 1e-9, "R estimates")
    assert_rel(fits[1].std_errors, ref["std_errors"], 1e-7, "R std errors")
    assert_rel(fits[1].sigma, ref["sigma"], 1e-7, "R sigma")


def test_linear_from_dataframe(occam, odask, clients):
    case = GlmCase(TEST_DATA / "glm" / "mtcars_gaussian_identity.json")
    cols, ddf = _frame(case)
    want = occam.Linear().fit(case.X, case.y, names=case.names)
    got = odask.fit_linear(ddf, "y", x=cols, names=case.names, client=clients[2])
    _same_fit(got, want, ("deviance", "sigma", "r_squared", "df_residual", "rank"))
    assert_rel(got.coef, case.ref["lm"]["coefficients"], 1e-9, "R estimates")


# ---------------------------------------------------------------- Pareto/NBD

CDNOW_REF = read_json(TEST_DATA / "pnbd" / "cdnow_reference.json")["mle"]["cdnow_summary"]


def _same_pnbd(got, want):
    assert_rel(got.coef, want.coef, 1e-10, "r, alpha, s, beta")
    assert_rel(got.std_errors, want.std_errors, 1e-10, "std errors")
    assert_rel(got.loglik, want.loglik, 1e-10, "loglik")
    assert got.nobs == want.nobs and got.iter == want.iter and got.conditions == want.conditions


def _mpmath_ref(m):
    ref = CDNOW_REF
    assert_rel(m.coef, [float(ref["params"][k]) for k in ("r", "alpha", "s", "beta")], 1e-7, "mpmath MLE")
    assert_rel(m.loglik, float(ref["loglik"]), 1e-10, "mpmath loglik")


def test_pnbd_from_summary_rows(occam, odask, clients):
    """CDNOW's (x, t_x, T) rows (data/cdnow_summary.csv, weeks) as a
    DataFrame of 5 partitions, and collapsed to patterns with counts as an
    Array with weights."""
    header, d = read_csv(DATA / "cdnow_summary.csv")
    S = d[:, 1:4]
    want = occam.ParetoNBD().fit(S)
    ddf = dd.from_pandas(pd.DataFrame(S, columns=["x", "t_x", "T"]), npartitions=5, sort=False)
    fits = [odask.fit_pnbd(ddf, client=clients[k]) for k in (1, 2)]
    assert isinstance(fits[1], occam.ParetoNBD)
    assert fits[0].to_bytes() == fits[1].to_bytes()
    _same_pnbd(fits[1], want)
    _mpmath_ref(fits[1])
    rows, counts = np.unique(S, axis=0, return_counts=True)
    order = np.random.default_rng(12).permutation(rows.shape[0])  # any row order: the table is canonical
    weights = counts[order].astype(float)
    got = odask.fit_pnbd(da.from_array(rows[order], chunks=(100, 3)), weights=weights, client=clients[2])
    # in memory: the 1016 rows (nobs) in canonical order, the stream's table
    _same_pnbd(got, occam.ParetoNBD().fit(rows, weights=counts.astype(float)))
    assert_rel(got.coef, want.coef, 1e-10, "weighted patterns: r, alpha, s, beta")


def _cdnow_log():
    tx = pd.read_csv(DATA / "cdnow_transactions.csv", usecols=["id", "date"])
    return tx


def test_pnbd_from_transactions(occam, odask, clients):
    """The CDNOW log (data/cdnow_transactions.csv) cut at 1997-09-30, one
    transaction per day, in weeks (as `occam fit pnbd --events ...
    --calibration-end 1997-09-30 --unit weeks`) against summarize_events()
    + ParetoNBD().fit() in memory; integer ids and text ids."""
    from occam.pnbd import summarize_events
    tx = _cdnow_log()
    s = summarize_events(tx["id"].to_numpy(), tx["date"].to_numpy(), "1997-09-30", merge_period=1)
    want = occam.ParetoNBD().fit(s["x"], s["t_x"] / 7, s["T"] / 7)
    log = dd.from_pandas(tx, npartitions=4, sort=False)
    fits = [odask.fit_pnbd_events(log, "id", "date", "1997-09-30", client=clients[k]) for k in (1, 2)]
    assert fits[0].to_bytes() == fits[1].to_bytes()
    _same_pnbd(fits[1], want)
    text = tx.assign(id="customer-" + tx["id"].astype(str))
    got = odask.fit_pnbd_events(dd.from_pandas(text, npartitions=3, sort=False), "id", "date", "1997-09-30",
                                unit="weeks", client=clients[2])
    _same_pnbd(got, want)


# --------------------------------------------------------------------- faults


def _error(fn):
    with pytest.raises(Exception) as e:
        fn()
    return e.value


@pytest.mark.parametrize("fault", ["y_domain", "x_nan", "negative_weight", "binomial_y", "gamma_zero"])
def test_bad_partition_fails_like_in_memory(occam, odask, clients, fault):
    """One bad row in the third of four partitions: the OccamError of the
    in-memory fit (status, name, detail with the same row number)."""
    rng = np.random.default_rng(5)
    n = 41
    X = rng.normal(size=(n, 2))
    y = rng.poisson(3.0, n) + 1.0
    w = np.ones(n)
    family, bad = "poisson", 25  # row 26: in the third partition
    if fault == "y_domain":
        y[bad] = -1
    elif fault == "x_nan":
        X[bad, 1] = np.nan
    elif fault == "negative_weight":
        w[bad] = -2
    elif fault == "binomial_y":
        family, y = "binomial", rng.uniform(size=n)
        y[bad] = 1.5
    elif fault == "gamma_zero":
        family, y[bad] = "Gamma", 0.0
    want = _error(lambda: occam.GLM(family).fit(X, y, weights=w))
    pdf = pd.DataFrame(X, columns=["a", "b"]).assign(y=y, w=w)
    got = _error(lambda: odask.fit_glm(dd.from_pandas(pdf, npartitions=4, sort=False), "y", family, weights="w",
                                       client=clients[2]))
    assert isinstance(got, occam.OccamError) and isinstance(want, occam.OccamError)
    assert (got.status, got.name, got.detail) == (want.status, want.name, want.detail)
    assert f"row {bad + 1}" in got.detail


def test_bad_pnbd_row_fails_like_in_memory(occam, odask, clients):
    header, d = read_csv(DATA / "cdnow_summary.csv")
    S = d[:, 1:4].copy()
    S[2000, 1] = S[2000, 2] + 1  # t_x > T
    want = _error(lambda: occam.ParetoNBD().fit(S))
    ddf = dd.from_pandas(pd.DataFrame(S, columns=["x", "t_x", "T"]), npartitions=5, sort=False)
    got = _error(lambda: odask.fit_pnbd(ddf, client=clients[2]))
    assert (got.status, got.detail) == (want.status, want.detail) and "row 2001" in got.detail


def _slow(df):
    time.sleep(0.1)  # a partition that takes time to produce (read, parse)
    return df


def test_killed_worker_recomputes_identical_fit(occam, odask, clients, tmpdir_module):
    """SIGKILL one of two worker processes while a pass runs (its persisted
    partitions and running tasks are lost): Dask recomputes them and the fit
    ends with the bytes of the undisturbed fit."""
    rng = np.random.default_rng(12)
    n = 4000
    X = rng.normal(size=(n, 3))
    y = rng.poisson(np.exp(0.3 + X @ np.array([0.2, -0.1, 0.05]))).astype(float)
    pdf = pd.DataFrame(X, columns=["a", "b", "c"]).assign(y=y)
    ddf = dd.from_pandas(pdf, npartitions=8, sort=False)
    want = odask.fit_glm(ddf, "y", "poisson", client=clients[2])
    cluster, client = _start(2, tmpdir_module)
    try:
        persisted = client.persist(ddf)
        pids = client.run(os.getpid)
        victim = sorted(pids.values())[0]
        passes, killed_in = [], []

        def kill():
            killed_in.append(passes[-1])
            os.kill(victim, signal.SIGKILL)

        def progress(k):
            passes.append(k)
            if k == 2:
                threading.Timer(0.15, kill).start()  # while pass 2's tasks run

        got = odask.fit_glm(persisted.map_partitions(_slow), "y", "poisson", client=client, progress=progress)
        deadline = time.time() + 30
        while time.time() < deadline:  # the nanny restarts the killed worker
            now = set(client.run(os.getpid).values())
            if victim not in now and len(now) == 2:
                break
            time.sleep(0.2)
        assert victim not in set(client.run(os.getpid).values()), "the worker was not killed"
        assert killed_in == [2] and passes[-1] > 2, f"killed in pass {killed_in}, passes {passes}"
        assert got.to_bytes() == want.to_bytes()
        assert_rel(got.coef, occam.GLM("poisson").fit(X, y).coef, 1e-10, "in memory")
    finally:
        client.close()
        cluster.close()

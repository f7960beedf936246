#!/usr/bin/env bash
# pip install ./examples/python into a fresh venv, offline, as docs/python.md
# says: /usr/bin/python3 -m venv --system-site-packages (Debian's numpy,
# patsy, pandas visible), pip install --no-build-isolation --no-index with
# Debian's setuptools, the liboccam.so.0 of this build bundled into the wheel
# (OCCAM_BUILD_DIR).  Then, from outside the source tree and without
# OCCAM_LIBRARY: the package imports from the venv, loads the bundled
# library, fits warpbreaks by formula and predicts from a DataFrame (values
# against R 4.2.2, tests/data/python), and the array interface works.  A copy
# of examples/python is installed so that the source tree stays clean.
# Sanitized builds preload the ASan/UBSan runtimes (sanitize_preload.sh).
set -euo pipefail
: "${OCCAM_SOURCE_DIR:?}" "${OCCAM_BINARY_DIR:?}"
# shellcheck source=sanitize_preload.sh
source "$(dirname "$0")/sanitize_preload.sh"
py=/usr/bin/python3
for mod in venv ensurepip setuptools wheel numpy patsy pandas; do
  if ! "$py" -c "import $mod" 2> /dev/null; then
    echo "FAIL: $py lacks $mod: python3-venv python3-setuptools python3-wheel python3-numpy python3-patsy python3-pandas (tools/install-deps.sh)"
    exit 1
  fi
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$OCCAM_SOURCE_DIR/examples/python" "$tmp/src"
rm -rf "$tmp/src/build" "$tmp/src"/*.egg-info "$tmp/src/occam/liboccam.so.0"
"$py" -m venv --system-site-packages "$tmp/venv"
env -u OCCAM_LIBRARY OCCAM_BUILD_DIR="$OCCAM_BINARY_DIR" PIP_NO_CACHE_DIR=1 \
  "$tmp/venv/bin/pip" install --no-build-isolation --no-index --disable-pip-version-check -q "$tmp/src" \
  > "$tmp/pip.log" 2>&1 || { cat "$tmp/pip.log"; echo "FAIL: pip install"; exit 1; }
echo "pip install: ok"
cd "$tmp"
env -u OCCAM_LIBRARY -u PYTHONPATH PYTHONDONTWRITEBYTECODE=1 "${SAN_ENV[@]}" \
  OCCAM_REF="$OCCAM_SOURCE_DIR/tests/data/python" "$tmp/venv/bin/python" - << 'PY'
import json, os, sys
import numpy as np, pandas as pd
import occam

venv = os.path.realpath(sys.prefix)
assert os.path.realpath(occam.__file__).startswith(venv), occam.__file__
assert os.path.realpath(occam.library_path) == os.path.join(os.path.dirname(os.path.realpath(occam.__file__)),
                                                            "liboccam.so.0"), occam.library_path
ref_dir = os.environ["OCCAM_REF"]
with open(os.path.join(ref_dir, "warpbreaks_poisson_wool_x_tension.json")) as f:
    ref = json.load(f)
df = pd.read_csv(os.path.join(ref_dir, "warpbreaks.csv"))
df["tension"] = pd.Categorical(df["tension"], categories=ref["levels"]["tension"])
fit = occam.glm("breaks ~ wool * tension", data=df, family="poisson")


def rel(got, want, tol, what):
    got, want = np.asarray(got, float), np.asarray(want, float)
    err = np.max(np.abs(got - want) / np.abs(want))
    assert err <= tol, f"{what}: relative error {err:.3g} > {tol}"


rel(fit.params.to_numpy(), ref["coefficients"], 1e-8, "coefficients vs R")
rel(fit.bse.to_numpy(), ref["std_errors"], 1e-6, "std errors vs R")
nd = df.iloc[[i - 1 for i in ref["newdata_rows"]]]
rel(fit.predict(nd).to_numpy(), ref["predict_response"], 1e-8, "predict(DataFrame) vs R")
assert "Generalized Linear Model Regression Results" in fit.summary()
X = np.column_stack([(df["wool"] == "B"), (df["tension"] == "M"), (df["tension"] == "H")]).astype(float)
m = occam.GLM("poisson").fit(X, df["breaks"].to_numpy(), names=["woolB", "tensionM", "tensionH"])
assert m.coef_names == ["(Intercept)", "woolB", "tensionM", "tensionH"]
print(f"venv import from {os.path.dirname(occam.__file__)}, library {occam.library_path}: "
      f"formula fit, predict(DataFrame) and array fit ok")
PY

#!/usr/bin/env bash
# Install the Debian 12 packages occam needs to build, test and run its demos.
# Runs apt-get as root (directly, or through sudo when not root).
# tools/check-deps.py (run by tools/test.sh and by ctest as test_deps) fails,
# naming the package, when a file under tests/, examples/, bench/ or tools/
# imports a Python module, loads an R package or runs a command that this
# list does not install: keep one package per need here.
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
packages=(
  build-essential cmake pkg-config            # toolchain (g++ for the CLI's cli_number.cc)
  libopenblas-dev liblapacke-dev zlib1g-dev   # the library: BLAS, LAPACKE, crc32
  libxxhash-dev                               # the library, build only: xxhash.h (header-only XXH3 for text ids)
  libcsv-dev                                  # the occam CLI: CSV output quoting
  libfast-float-dev                           # the occam CLI: number parsing (header-only, its one C++ file)
  check libcjson-dev python3                  # tests: Check, cJSON fixtures, CLI checks
  python3-statsmodels                         # tests: no-intercept OLS reference (test_cli_linear); bench/glm_py.py
  python3-mpmath                              # tests/data/pnbd/make_hard_cases.py (fixture generator)
  python3-numpy python3-cffi python3-pytest   # the Python binding and its tests
  python3-dask python3-distributed            # occam.dask and its tests (LocalCluster)
  python3-patsy                               # occam.glm/occam.lm formulas (examples/python/occam/formula.py)
  python3-scipy                               # Linear.conf_int's t quantiles (also a dependency of statsmodels)
  python3-venv python3-setuptools python3-wheel  # pip install ./examples/python into a venv (test_python_pip)
  r-base-core r-base-dev r-cran-jsonlite      # the R package and its tests
  r-cran-mass                                 # R package tests: MASS's Insurance, confint.glm (R < 4.4: MASS's profile) as reference
  python3-pandas r-cran-data.table            # bench/ingest: the peers timed in the same run; pandas: formula results
  gnuplot-nox                                 # occam plot (optional at run time: the CLI draws when gnuplot is on PATH), its tests
  python3-sklearn                             # bench/glm_py.py (bench_glm): sklearn timed in the same run
  libopenmpi-dev openmpi-bin                  # occam_mpi and occam-mpi (optional, -DOCCAM_MPI), their tests (mpirun)
)
if [ "${OCCAM_DEPS_QUIET:-1}" = "1" ]; then q="-qq"; else q=""; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update $q
$SUDO apt-get install -y $q --no-install-recommends "${packages[@]}" "$@"

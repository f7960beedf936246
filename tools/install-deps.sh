#!/usr/bin/env bash
# Install the Debian 12 packages occam needs to build, test and run its demos.
# Runs apt-get as root (directly, or through sudo when not root).
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
packages=(
  build-essential cmake pkg-config            # toolchain
  libopenblas-dev liblapacke-dev zlib1g-dev   # the library: BLAS, LAPACKE, crc32
  libcsv-dev                                  # the occam CLI: CSV parsing
  check libcjson-dev python3                  # tests: Check, cJSON fixtures, CLI checks
  python3-numpy python3-cffi python3-pytest   # the Python binding and its tests
  r-base-core r-base-dev r-cran-jsonlite      # the R package and its tests
)
if [ "${OCCAM_DEPS_QUIET:-1}" = "1" ]; then q="-qq"; else q=""; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update $q
$SUDO apt-get install -y $q --no-install-recommends "${packages[@]}" "$@"

# Sourced by test_python.sh and test_r.sh.  In a sanitized build
# (OCCAM_SANITIZE=ON) liboccam is instrumented with gcc's ASan and UBSan, and
# an uninstrumented interpreter (python3, R) can only load it when those
# runtimes are preloaded: set SAN_ENV to the environment that does that (leak
# detection off: the interpreters keep memory until exit), or leave it empty
# in a normal build.  Exits 0 with a reason when the runtimes are not found.
SAN_ENV=()
if [ "${OCCAM_SANITIZE:-OFF}" = "ON" ]; then
  asan=$(${CC:-gcc} -print-file-name=libasan.so 2> /dev/null || true)
  ubsan=$(${CC:-gcc} -print-file-name=libubsan.so 2> /dev/null || true)
  if [ ! -f "$asan" ] || [ ! -f "$ubsan" ]; then
    echo "skipped: sanitized build, and gcc's libasan/libubsan were not found to preload into the interpreter"
    exit 0
  fi
  SAN_ENV=(LD_PRELOAD="$asan $ubsan" ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1)
  echo "sanitized build: running with $asan and $ubsan preloaded"
fi

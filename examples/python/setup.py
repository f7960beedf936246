"""Packaging step of pyproject.toml: put a built liboccam.so into the package.

The wheel carries a copy of the shared library, named occam/liboccam.so.0,
taken from the first of:

1. OCCAM_LIBRARY (at install time): the path of a liboccam.so;
2. OCCAM_BUILD_DIR: a CMake build directory holding liboccam.so.0;
3. <source tree>/build/liboccam.so.0, when this directory is examples/python
   of an occam checkout built with `cmake -S . -B build`.

When none exists and the system's dynamic linker finds liboccam (installed
by `cmake --install`), nothing is copied and the package loads that one at
run time; otherwise the install fails and says how to build the library.
The package never compiles C itself.  Only the standard library and
setuptools are used (Debian's python3-setuptools, no network).
"""
import ctypes.util
import os
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.dist import Distribution

HERE = Path(__file__).resolve().parent
BUNDLED = "liboccam.so.0"


def find_built_library():
    """Path of the liboccam.so to copy into the wheel, or None (system library)."""
    env = os.environ.get("OCCAM_LIBRARY")
    if env:
        if not Path(env).is_file():
            raise SystemExit(f"occam: OCCAM_LIBRARY={env} is not a file")
        return Path(env)
    build_dir = os.environ.get("OCCAM_BUILD_DIR")
    if build_dir:
        lib = Path(build_dir) / BUNDLED
        if not lib.is_file():
            raise SystemExit(f"occam: OCCAM_BUILD_DIR={build_dir} has no {BUNDLED} "
                             "(cmake -S . -B DIR && cmake --build DIR)")
        return lib
    repo = HERE.parents[1]
    in_tree = repo / "build" / BUNDLED
    if in_tree.is_file() and (repo / "include" / "occam.h").is_file():
        return in_tree
    if ctypes.util.find_library("occam"):
        return None
    raise SystemExit("occam: no liboccam to install with the package: build it first "
                     "(cmake -S . -B build && cmake --build build, from the source tree), "
                     "or name it with OCCAM_BUILD_DIR=DIR or OCCAM_LIBRARY=FILE, or install it "
                     "system-wide (cmake --install build)")


class BuildPyWithLibrary(build_py):
    """build_py, then the shared library copied next to the modules."""

    def run(self):
        super().run()
        lib = find_built_library()
        if lib is not None:
            target = Path(self.build_lib) / "occam" / BUNDLED
            self.announce(f"occam: bundling {lib} as {target}", level=2)
            shutil.copyfile(lib.resolve(), target)


class BinaryDistribution(Distribution):
    """The wheel holds a native library: tag it for this platform, not 'any'."""

    def has_ext_modules(self):
        return True


setup(cmdclass={"build_py": BuildPyWithLibrary}, distclass=BinaryDistribution)

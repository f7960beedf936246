#!/usr/bin/python3
"""Check that tools/install-deps.sh installs everything the tree uses.

Static check (always): every Python module imported, every R package loaded
and every external command run by a file under tests/, examples/, bench/ or
tools/ must come from the standard library, from this tree, or from a Debian
package named in the packages=( ... ) list of tools/install-deps.sh.  A
missing one is reported with the file and line that uses it and the package
to add, e.g.

  tests/sh/test_cli_linear.sh:155: imports Python module 'statsmodels'
      (Debian package python3-statsmodels), which tools/install-deps.sh does
      not install: add python3-statsmodels to its packages list

--installed also checks with dpkg-query that every listed package is
installed on this machine (run tools/install-deps.sh when one is not).
--deps FILE reads the packages list from FILE instead (the self-test of
tests/sh/test_deps.sh uses it on an edited copy).

Exit status: 0 when everything is covered, 1 otherwise.  Standard library
only: it runs under Debian's /usr/bin/python3 before any test does.
"""
import ast
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCANNED = ("tests", "examples", "bench", "tools")
SKIP_DIRS = {"__pycache__", ".git", "corpus"}

# Debian packages Python modules come from when the name is not
# python3-<module> (the Debian convention for the rest).
PY_PACKAGES = {"sklearn": "python3-sklearn", "yaml": "python3-yaml",
               "dateutil": "python3-dateutil", "distributed": "python3-distributed"}
# R packages that ship with r-base-core; the rest are r-cran-<lower(name)>.
R_BASE = {"base", "compiler", "datasets", "grDevices", "graphics", "grid",
          "methods", "parallel", "splines", "stats", "stats4", "tcltk",
          "tools", "utils"}
# External commands the shell scripts run, and the packages that provide them.
# (Only names that are not also English words; R itself counts as "R CMD".)
COMMANDS = {"Rscript": "r-base-core", "R CMD": "r-base-core", "cmake": "cmake",
            "pkg-config": "pkg-config", "ctest": "cmake", "gcc": "build-essential",
            "g++": "build-essential", "readelf": "build-essential",
            "valgrind": "valgrind", "mpirun": "openmpi-bin", "gnuplot": "gnuplot-nox",
            "debootstrap": "debootstrap", "hyperfine": "hyperfine"}
# Commands a script uses only when present, saying so when it is not.
OPTIONAL_COMMANDS = {
    "clang": "tests/sh/test_header.sh also compiles occam.h with clang when present",
    "clang++": "tests/sh/test_header.sh also compiles occam.h with clang++ when present",
    "debootstrap": "tools/fresh-debian.sh installs it itself on the host",
}


def listed_packages(path):
    """The words of the packages=( ... ) array of tools/install-deps.sh."""
    text = open(path, encoding="utf-8").read()
    m = re.search(r"^packages=\((.*?)^\)", text, re.S | re.M)
    if not m:
        sys.exit("check-deps: no packages=( ... ) list in %s" % path)
    words = []
    for line in m.group(1).splitlines():
        words += line.split("#", 1)[0].split()
    return set(words)


def scanned_files():
    for top in SCANNED:
        for dirpath, dirnames, filenames in os.walk(os.path.join(ROOT, top)):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
            for name in sorted(filenames):
                if name.endswith((".py", ".sh", ".R")) or name in ("run", "DESCRIPTION"):
                    yield os.path.join(dirpath, name)


def local_python_modules():
    """Modules and packages defined in this tree (occam, conftest, ...)."""
    names = set()
    for path in scanned_files():
        if path.endswith(".py"):
            base = os.path.basename(path)[:-3]
            names.add(os.path.basename(os.path.dirname(path)) if base == "__init__" else base)
    return names


def python_imports_ast(text):
    """(line, top-level module) of each absolute import in Python source."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return python_imports_regex(text)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name.split(".")[0]) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module.split(".")[0]))
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "importorskip"
              and node.args and isinstance(node.args[0], ast.Constant)):
            found.append((node.lineno, str(node.args[0].value).split(".")[0]))
    return found


PY_IMPORT = re.compile(r"^\s*(?:import\s+([\w., ]+)|from\s+(\w+)[\w.]*\s+import\b)")


def python_imports_regex(text):
    """Imports in Python embedded in shell scripts (heredocs, -c strings)."""
    found = []
    for no, line in enumerate(text.splitlines(), 1):
        m = PY_IMPORT.match(line)
        if not m:
            continue
        names = m.group(1).split(",") if m.group(1) else [m.group(2)]
        for name in names:
            name = name.strip().split(" ")[0].split(".")[0]
            if name:
                found.append((no, name))
    return found


R_LOAD = re.compile(r"\b(?:library|require|requireNamespace|loadNamespace)\(\s*[\"']?([A-Za-z][A-Za-z0-9.]*)")
R_COLONS = re.compile(r"\b([A-Za-z][A-Za-z0-9.]*):::?[A-Za-z.]")


def r_packages(path, text):
    found = []
    for no, line in enumerate(text.splitlines(), 1):
        code = line.split("#", 1)[0] if path.endswith(".R") else line
        found += [(no, m.group(1)) for m in R_LOAD.finditer(code)]
        if path.endswith(".R"):
            found += [(no, m.group(1)) for m in R_COLONS.finditer(code)]
    return found


def description_packages(text):
    """Imports/Depends/Suggests/LinkingTo of an R DESCRIPTION file."""
    found = []
    fields = re.findall(r"^(?:Depends|Imports|Suggests|LinkingTo):((?:.*\n?)(?:[ \t].*\n?)*)", text, re.M)
    for field in fields:
        for item in field.split(","):
            name = item.strip().split("(")[0].strip()
            if name and name != "R":
                found.append((1, name))
    return found


def commands(text):
    """(line, command) for each known command run in a shell script."""
    found = []
    names = "|".join(re.escape(c) for c in sorted(set(COMMANDS) | set(OPTIONAL_COMMANDS), key=len, reverse=True))
    pattern = re.compile(r"(?:^|[\s;|&(`$])(" + names + r")(?=[\s;|&)`]|$)")
    for no, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("#") or stripped.startswith("echo"):
            continue
        found += [(no, m.group(1)) for m in pattern.finditer(line)]
    return found


def requirements():
    """Yield (where, what, package) for every external thing the tree uses."""
    local = local_python_modules()
    stdlib = set(sys.stdlib_module_names)
    for path in scanned_files():
        rel = os.path.relpath(path, ROOT)
        if rel == os.path.join("tools", "check-deps.py"):
            continue  # this file names packages in its tables, it uses none
        text = open(path, encoding="utf-8", errors="replace").read()
        if path.endswith(".py"):
            imports = python_imports_ast(text)
        elif path.endswith(".sh") or os.path.basename(path) == "run":
            imports = python_imports_regex(text)
        else:
            imports = []
        for no, mod in imports:
            if mod not in stdlib and mod not in local:
                yield "%s:%d" % (rel, no), "imports Python module '%s'" % mod, PY_PACKAGES.get(mod, "python3-" + mod.lower())
        loads = description_packages(text) if os.path.basename(path) == "DESCRIPTION" else \
            r_packages(path, text) if path.endswith((".R", ".sh")) else []
        for no, pkg in loads:
            if pkg not in R_BASE and pkg != "occam":
                yield "%s:%d" % (rel, no), "loads R package '%s'" % pkg, "r-cran-" + pkg.lower()
        if path.endswith(".sh") or os.path.basename(path) == "run":
            for no, cmd in commands(text):
                if cmd in OPTIONAL_COMMANDS:
                    continue
                yield "%s:%d" % (rel, no), "runs command '%s'" % cmd, COMMANDS[cmd]


def installed(packages):
    """The subset of packages that dpkg reports as not installed."""
    missing = []
    for pkg in sorted(packages):
        r = subprocess.run(["dpkg-query", "-W", "-f=${db:Status-Status}", pkg],
                           capture_output=True, text=True)
        if r.returncode != 0 or r.stdout.strip() != "installed":
            missing.append(pkg)
    return missing


def main(argv):
    deps = os.path.join(ROOT, "tools", "install-deps.sh")
    if "--deps" in argv:
        deps = argv[argv.index("--deps") + 1]
    listed = listed_packages(deps)
    problems, uses = [], {}
    for where, what, pkg in requirements():
        if pkg not in listed:
            uses.setdefault(pkg, []).append("%s %s" % (where, what))
    for pkg in sorted(uses):
        more = len(uses[pkg]) - 1
        problems.append("Debian package %s is needed but tools/install-deps.sh does not install it: "
                        "add %s to its packages list. Needed by %s%s" % (
                            pkg, pkg, uses[pkg][0], " and %d more: %s%s" % (more, "; ".join(uses[pkg][1:4]), "; ..." if more > 3 else "")
                            if more else ""))
    if "--installed" in argv:
        for pkg in installed(listed):
            problems.append("Debian package %s (listed in tools/install-deps.sh) is not installed "
                            "on this machine: run bash tools/install-deps.sh" % pkg)
    for p in problems:
        print("check-deps: " + p)
    if problems:
        print("check-deps: %d problem(s)" % len(problems))
        return 1
    print("check-deps: every Python module, R package and command used under %s is installed "
          "by tools/install-deps.sh (%d packages)%s" % (", ".join(SCANNED), len(listed),
                                                        ", all installed" if "--installed" in argv else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

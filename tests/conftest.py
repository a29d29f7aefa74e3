"""Fixtures every test shares: a real book file per test, frozen time, a fixed time zone; the demo
book built once per test process; a copy of the code that the `nobody` user can run; how many
processes run the suite."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import stat
import subprocess
import sys
import sysconfig
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pendulum
import pytest
from hypothesis import settings as _hypothesis

from storage.reads.coaching import cadences
from storage.book.opening import close_book, open_book

TZ = "Europe/Paris"
# A Monday morning in the rep's zone: the moment every test and snapshot lives in.
FROZEN = pendulum.datetime(2026, 11, 23, 9, 30, tz=TZ)
ROOT = Path(__file__).resolve().parents[1]


# --- how many test processes ------------------------------------------------------------------


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """`-n auto` (pyproject's addopts). Tests named one by one (`path::name`) run in this process,
    where a breakpoint works and nothing is spawned. Otherwise two processes more than cores: the
    desk's tests wait for the screen about half their time, and the others use the waits (on 2 cores
    the whole suite took 74-80 s with 4 processes, 80-105 s with 3, 95-128 s with 2)."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # xdist's own rule reads it
    if config.args and all("::" in arg for arg in config.args):
        return 0
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return cores + 2


# --- every test -------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    """Nothing a test does touches the developer's own book, folders or zone."""
    monkeypatch.setenv("FOLLOWUP_TZ", TZ)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("FOLLOWUP_DB", raising=False)
    cadences.cache_clear()  # each test reads the cadences of its own config folder
    yield
    close_book()


@pytest.fixture
def frozen():
    with pendulum.travel_to(FROZEN, freeze=True):
        yield FROZEN


@pytest.fixture
def book(tmp_path):
    """A new, empty book on disk."""
    path = tmp_path / "book.db"
    db = open_book(path)
    yield db
    db.close()


# --- the demo book, built once ----------------------------------------------------------------

DEMO_NOW = dt.datetime(2026, 11, 23, 8, 30)  # FROZEN in naive UTC, as the book stores it


@pytest.fixture(scope="session")
def _demo_book_file(tmp_path_factory) -> Path:
    """The demo book (DEMO_SEED, placed around FROZEN, in TZ) as a test with `frozen` would build
    it, built once per test process (each xdist worker has its own) and closed, so that its file
    alone is the whole book."""
    from storage.demo import DEMO_SEED, build_demo

    folder = tmp_path_factory.mktemp("demo-cache")
    path = folder / "demo.db"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("FOLLOWUP_TZ", TZ)
        env.setenv("XDG_DATA_HOME", str(folder / "data"))
        env.setenv("XDG_CONFIG_HOME", str(folder / "config"))
        env.delenv("FOLLOWUP_DB", raising=False)
        cadences.cache_clear()
        with pendulum.travel_to(FROZEN, freeze=True):  # any clock read while building: the tests' moment
            open_book(path)
            try:
                build_demo(seed=DEMO_SEED, now=DEMO_NOW, tz=TZ)
            finally:
                close_book()
                cadences.cache_clear()
    leftovers = sorted(p.name for p in folder.iterdir() if p.name.startswith("demo.db-"))
    assert leftovers == [], f"the closed demo book left {leftovers}: its file is not the whole book"
    return path


@pytest.fixture
def demo_book(_demo_book_file, tmp_path) -> Path:
    """A private copy of the demo book (closed) in this test's folder: open it, change it at will."""
    path = tmp_path / "demo.db"
    shutil.copy(_demo_book_file, path)  # keeps the owner-only mode
    return path


# --- running Python as another user -----------------------------------------------------------

# What the child does, run first as ourselves to learn which modules it loads.
_PROBE = """
import json, os, site, sys
from tui.cli import main
main(["--db", sys.argv[2], "due"])
from storage.book.opening import close_book
close_book()
stdlib = os.path.realpath(os.path.dirname(os.__file__))
sites = [os.path.realpath(p) + os.sep for p in site.getsitepackages()]

def ours(place):  # not the standard library (where, without a venv, site-packages also lives)
    real = os.path.realpath(place)
    return not real.startswith(stdlib + os.sep) or any(real.startswith(s) for s in sites)

tops = {}
for name in list(sys.modules):
    top = name.partition(".")[0]
    module = sys.modules.get(top)
    if top in sys.stdlib_module_names or top == "__main__" or module is None:
        continue
    places = list(getattr(module, "__path__", None) or [])
    if not places and getattr(module, "__file__", None):
        places = [module.__file__]
    places = [p for p in places if ours(p)]
    if places:
        tops[top] = places
with open(sys.argv[1], "w") as out:
    json.dump(tops, out)
"""


@dataclass(frozen=True)
class OtherUser:
    """Runs Python as `nobody`, on copies of the code it needs that `nobody` can read: a checkout
    or a virtual environment under a home folder (0700) is out of its reach."""

    uid: int
    gid: int
    python: str  # an interpreter `nobody` can execute, of the same version and extension ABI as ours
    site: Path  # storage/, tui/ and the third-party packages they load: the child's only imports
    scratch: Path  # a folder `nobody` can walk into, for the tests' own folders

    def run(self, *argv: str, cwd: str | Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        """`python ARGV…` as nobody. -S: no site-packages of that interpreter; -P: not the
        working folder either, so whatever the child imports comes from `site`."""
        child_env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "HOME": str(self.scratch),
            "PYTHONPATH": str(self.site),
            "PYTHONDONTWRITEBYTECODE": "1",
            "FOLLOWUP_TZ": os.environ.get("FOLLOWUP_TZ", TZ),
            **(env or {}),
        }
        command = ["setpriv", f"--reuid={self.uid}", f"--regid={self.gid}", "--clear-groups", self.python, "-S", "-P", *argv]
        return subprocess.run(command, capture_output=True, text=True, env=child_env, cwd=str(cwd or self.scratch),
                              stdin=subprocess.DEVNULL, timeout=60)


def _reachable_by_all(folder: Path) -> bool:
    """Every folder from / down to this one lets others in (the x bit)."""
    folder = folder.resolve()
    return all(os.stat(part).st_mode & stat.S_IXOTH for part in (folder, *folder.parents))


def _open_to_all(top: Path) -> None:
    """Folders 0755 and files 0644 (0755 if executable), whatever our umask made them."""
    for folder, dirs, files in os.walk(top):
        os.chmod(folder, 0o755)
        for name in files:
            path = os.path.join(folder, name)
            os.chmod(path, 0o755 if os.stat(path).st_mode & stat.S_IXUSR else 0o644)


def _nobody_python(uid: int, gid: int, cwd: Path) -> tuple[str | None, list[str]]:
    """The first interpreter `nobody` can run that loads our compiled extensions; what failed."""
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    ext = sysconfig.get_config_var("EXT_SUFFIX")
    candidates = [os.path.realpath(sys.executable), os.path.realpath(getattr(sys, "_base_executable", sys.executable))]
    candidates += [f"{prefix}/bin/python{version}" for prefix in ("/usr", "/usr/local")]
    tried = []
    for python in dict.fromkeys(candidates):
        if not os.path.isfile(python):
            continue
        check = subprocess.run(
            ["setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups", python, "-S", "-P", "-c",
             "import sysconfig; print(sysconfig.get_config_var('EXT_SUFFIX'))"],
            capture_output=True, text=True, cwd=cwd, env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
            stdin=subprocess.DEVNULL, timeout=60,
        )
        said = (check.stderr.strip().splitlines() or [f"exit {check.returncode}"])[-1]
        if check.returncode != 0:
            tried.append(f"{python}: {said}")
        elif check.stdout.strip() != ext:
            tried.append(f"{python}: extensions {check.stdout.strip()}, ours are {ext}")
        else:
            return python, tried
    return None, tried


@pytest.fixture(scope="session")
def nobody(tmp_path_factory) -> OtherUser:
    """File modes bind only a user who is not root: the tests that need that run as `nobody`."""
    import pwd

    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to run as another user")
    try:
        entry = pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("this machine has no user named nobody")
    tops = [Path(tempfile.gettempdir()), Path("/tmp"), Path("/var/tmp"), Path("/dev/shm")]
    top = next((t for t in tops if t.is_dir() and _reachable_by_all(t)), None)
    if top is None:
        pytest.skip(f"no temporary folder that nobody can enter: {', '.join(map(str, dict.fromkeys(tops)))}")

    base = Path(tempfile.mkdtemp(prefix="followup-nobody-", dir=top))
    try:
        os.chmod(base, 0o755)
        python, tried = _nobody_python(entry.pw_uid, entry.pw_gid, base)
        if python is None:
            pytest.skip(f"no Python {sys.version_info.major}.{sys.version_info.minor} that nobody can run: " + "; ".join(tried))

        probe = tmp_path_factory.mktemp("nobody-probe")
        found = subprocess.run(
            [sys.executable, "-c", _PROBE, str(probe / "modules.json"), str(probe / "book.db")],
            capture_output=True, text=True, cwd=probe, stdin=subprocess.DEVNULL, timeout=60,
            env={**os.environ, "PYTHONPATH": str(ROOT), "XDG_DATA_HOME": str(probe / "data"),
                 "XDG_CONFIG_HOME": str(probe / "config"), "FOLLOWUP_TZ": TZ},
        )
        assert found.returncode == 0, found.stderr
        site = base / "site"
        site.mkdir()
        for name, places in json.loads((probe / "modules.json").read_text()).items():
            for place in places:
                if os.path.isdir(place):
                    shutil.copytree(place, site / name, dirs_exist_ok=True,
                                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
                else:
                    shutil.copy(place, site / os.path.basename(place))
        scratch = base / "scratch"
        scratch.mkdir()
        _open_to_all(base)
        yield OtherUser(entry.pw_uid, entry.pw_gid, python, site, scratch)
    finally:
        shutil.rmtree(base, ignore_errors=True)


# Hypothesis: the suite is a gate, so the same examples every run (a red run does not land on a
# chance draw); FOLLOWUP_HYPOTHESIS=explore draws new ones, for a hunt.

_hypothesis.register_profile("suite", derandomize=True, print_blob=True)
_hypothesis.register_profile("explore", derandomize=False)
_hypothesis.load_profile(os.environ.get("FOLLOWUP_HYPOTHESIS", "suite"))

"""The house's arrows hold, and the check that guards them can fail: the import contracts in
pyproject.toml ([tool.importlinter], run by `lint-imports`), shown catching a broken import in a
copy of the tree; and importing storage loads no Textual."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT = [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"]


def lint(tree: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(LINT, cwd=tree, env=env, capture_output=True, text=True, timeout=120)


def copy_tree(tmp_path: Path) -> Path:
    tree = tmp_path / "tree"
    for part in ("storage", "tui", "bench"):
        shutil.copytree(ROOT / part, tree / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    return tree


@pytest.mark.timeout(180)
def test_the_contracts_hold_on_this_tree():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.timeout(180)
@pytest.mark.parametrize(
    "module, line, contract",
    [
        ("storage/rules/text.py", "from textual.content import Content", "storage never imports Textual"),
        ("storage/rules/dates.py", "import peewee", "pure rules import no database"),
        ("tui/widgets/detail_pane.py", "from storage.book.models import Prospect", "the desk: no models"),
        ("tui/screens/drop.py", "from storage.book.opening import connection", "screens and widgets never open the book"),
    ],
)
def test_a_broken_import_fails_the_contracts(tmp_path, module, line, contract):
    tree = copy_tree(tmp_path)
    path = tree / module
    text = path.read_text()
    head, sep, rest = text.partition("from __future__ import annotations\n")
    path.write_text(head + sep + line + "\n" + rest)
    result = lint(tree)
    assert result.returncode != 0
    broken = [row for row in result.stdout.splitlines() if row.endswith("BROKEN")]
    assert any(contract in row for row in broken), result.stdout


def test_importing_storage_loads_no_textual():
    """Every storage module, imported in a fresh interpreter: no Textual, no Rich comes with it."""
    code = (
        "import importlib, pkgutil, sys, storage\n"
        "for info in pkgutil.walk_packages(storage.__path__, 'storage.'):\n"
        "    importlib.import_module(info.name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich', 'tui'))\n"
        "print(len([m for m in sys.modules if m.startswith('storage.')]), bad)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    count, bad = result.stdout.split(" ", 1)
    assert int(count) > 30 and bad.strip() == "[]", result.stdout

"""The desk starts without its dialogs' modules (~20 ms of every start); each comes in as it first
opens (tui/screens/dialogs.py). In a fresh process: the import order is the desk's own."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOADED = (
    "import sys, tui.app; "
    "print(sorted(m.rsplit('.', 1)[1] for m in sys.modules if m.startswith('tui.screens.') and not m.startswith('tui.screens.desk')))"
)


def test_the_desk_starts_without_its_dialogs():
    done = subprocess.run([sys.executable, "-c", LOADED], capture_output=True, text=True, timeout=120, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    loaded = set(ast.literal_eval(done.stdout))
    from tui.screens import dialogs

    lazy = set(dialogs._HOMES.values())
    assert lazy and not loaded & lazy, loaded & lazy


def test_every_dialog_named_there_is_where_it_says():
    from tui.screens import dialogs

    for name in dialogs._HOMES:
        assert getattr(dialogs, name).__name__ == name
    with pytest.raises(AttributeError):
        dialogs.NoSuchScreen  # noqa: B018

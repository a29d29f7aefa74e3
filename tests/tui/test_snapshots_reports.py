"""Snapshots of the reports screen (`r`, issue 17) on the demo book, time frozen: two columns of
figures at 160×45, one column that scrolls at 80×24, told apart without colour too."""

from __future__ import annotations

import pytest

from tests.tui.conftest import desk_app
from tests.tui.test_snapshots import SIZES, after, demo  # noqa: F401 (a fixture)


@pytest.mark.parametrize("size", SIZES)
def test_reports(demo, snap_compare, size):  # noqa: F811
    assert snap_compare(desk_app(), terminal_size=size, run_before=after("r"))


def test_reports_whole_book_without_colour(demo, snap_compare, monkeypatch):  # noqa: F811
    """NO_COLOR: Textual draws in greys; each series keeps its own marker (█ ░ ▒) and the legend."""
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(desk_app(), terminal_size=(160, 45), run_before=after("r", "4"))

"""Snapshots of every dialog with its longest message, at the two small sizes the desk promises
(usable at 80×24, and still at 60×20): nothing cut, nothing overlapping (issue 14). The demo book
and frozen time of tests/tui/test_snapshots.py."""

from __future__ import annotations

import pytest

from tests.tui.conftest import desk_app, until
from tests.tui.test_snapshots import after, demo  # noqa: F401  (demo: the fixture)

SMALL = [pytest.param((80, 24), id="80x24"), pytest.param((60, 20), id="60x20")]
# a date nobody can read: its error quotes 30 characters of it, the longest a date error gets
NONSENSE = "whenever the budget gets signed"
CLEAR = ("ctrl+a", "ctrl+k")  # empties a one-line field, whatever it held


def snap(snap_compare, size, *keys: str) -> bool:
    return snap_compare(desk_app(), terminal_size=size, run_before=after(*keys))


@pytest.mark.parametrize("size", SMALL)
def test_log_form_with_a_date_error(demo, snap_compare, size):
    assert snap(snap_compare, size, "l", *"Left a message", "tab", *CLEAR, *NONSENSE, "ctrl+s")


@pytest.mark.parametrize("size", SMALL)
def test_log_form_two_day_rule(demo, snap_compare, size):
    # no answer, and the next follow-up tomorrow: the question over the form
    assert snap(snap_compare, size, "l", *"No answer again", "tab", *CLEAR, *"tomorrow", "ctrl+s")


@pytest.mark.parametrize("size", SMALL)
def test_discard_question(demo, snap_compare, size):
    assert snap(snap_compare, size, "l", *"Half a thought", "escape")


@pytest.mark.parametrize("size", SMALL)
def test_next_step_with_a_date_error(demo, snap_compare, size):
    assert snap(snap_compare, size, "d", *CLEAR, *NONSENSE, "ctrl+s")


@pytest.mark.parametrize("size", SMALL)
def test_snooze_with_a_date_error(demo, snap_compare, size):
    assert snap(snap_compare, size, "s", "tab", *NONSENSE, "ctrl+s")


@pytest.mark.parametrize("size", SMALL)
def test_won_with_a_date_error(demo, snap_compare, size):
    assert snap(snap_compare, size, "w", "tab", *CLEAR, *NONSENSE, "ctrl+s")


@pytest.mark.parametrize("size", SMALL)
def test_drop_with_the_reason_list_open(demo, snap_compare, size):
    assert snap(snap_compare, size, "x", "y", "enter")


@pytest.mark.parametrize("size", SMALL)
def test_new_prospect_with_errors(demo, snap_compare, size):
    # the zone asks which city, the amount is no amount, the referrer matches nobody; saved: refused
    keys = ("n", *"Ada Lovelace", *("tab",) * 6, *"US", "tab", *"lots", *("tab",) * 5, *"zzq", "ctrl+s")
    assert snap(snap_compare, size, *keys)


@pytest.mark.parametrize("size", SMALL)
def test_search_with_more_than_a_page(demo, snap_compare, size):
    async def counted(pilot) -> None:  # the count comes once the rep has stopped typing
        await after("slash", *"call")(pilot)
        await until(pilot.app, pilot, lambda: pilot.app.screen.counted is not None)

    assert snap_compare(desk_app(), terminal_size=size, run_before=counted)


@pytest.mark.parametrize("size", SMALL)
def test_help_every_key(demo, snap_compare, size):
    assert snap(snap_compare, size, "question_mark")


def test_closed_book_at_60x20(demo, snap_compare):
    assert snap(snap_compare, (60, 20), "c", "j")

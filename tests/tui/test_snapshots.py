"""Snapshots of the real screens on the demo book, with time frozen and a fixed seed, at the
two sizes the desk promises: pleasant at 160×45, usable at 80×24."""

from __future__ import annotations

import datetime as dt

import pytest

from storage.book.opening import open_book
from tests.conftest import FROZEN
from tests.tui.conftest import desk_app, desk_ready, settle

SIZES = [pytest.param((160, 45), id="160x45"), pytest.param((80, 24), id="80x24")]
NOW = dt.datetime(2026, 11, 23, 8, 30)  # FROZEN, in naive UTC


async def ready(pilot) -> None:
    """The desk as a rep first sees it: its first reads back from their workers."""
    await desk_ready(pilot.app, pilot)


def after(*keys: str):
    """Keys pressed on the ready desk, and what they read back from the book."""

    async def press(pilot) -> None:
        await ready(pilot)
        await pilot.press(*keys)
        await settle(pilot.app, pilot)

    return press


@pytest.fixture
def demo(demo_book, frozen):
    """The demo book around FROZEN (built once per test process, copied for each test)."""
    assert FROZEN.in_timezone("UTC").naive() == NOW
    open_book(demo_book)


@pytest.mark.parametrize("size", [*SIZES, pytest.param((60, 20), id="60x20")])  # the smallest it is made for
def test_desk(demo, snap_compare, size):
    assert snap_compare(desk_app(), terminal_size=size, run_before=after("j", "j"))


@pytest.mark.parametrize("size", SIZES)
def test_quick_log_form(demo, snap_compare, size):
    assert snap_compare(desk_app(), terminal_size=size, run_before=after("l", *"Sent the revised quote"))


@pytest.mark.parametrize("size", SIZES)
def test_log_form_inbound_meeting_booked(demo, snap_compare, size):
    # they got in touch (F9), yesterday; meeting booked (F6): the next step is the meeting, at its time
    keys = ("l", *"They rang back: demo for the team", "f9", "f6", "shift+tab", "shift+tab", "ctrl+a", "ctrl+k",
            *"yesterday 4pm", "tab", "tab", "tab", *"thu 10am")
    assert snap_compare(desk_app(), terminal_size=size, run_before=after(*keys))


@pytest.mark.parametrize("size", SIZES)
def test_drop_dialog(demo, snap_compare, size):
    # the reason picked from the list (typing finds it), the rep's words, a date to revisit
    keys = ("x", "y", "enter", *"budget", "enter", "tab", *"Budget frozen until Q3", "tab", "tab", *"3m")
    assert snap_compare(desk_app(), terminal_size=size, run_before=after(*keys))


@pytest.mark.parametrize("size", SIZES)
def test_won_dialog(demo, snap_compare, size):
    # one choice (a thank-you first), the final amount as the deal's value, a closing note
    keys = ("w", "tab", "tab", "tab", *"Signed for two years")
    assert snap_compare(desk_app(), terminal_size=size, run_before=after(*keys))


@pytest.mark.parametrize("size", SIZES)
def test_next_step_dialog(demo, snap_compare, size):
    """`d` on the first promise of the queue: its own date kept (late), channel, what, kind, promised."""
    assert snap_compare(desk_app(), terminal_size=size, run_before=after("d"))


@pytest.mark.parametrize("size", SIZES)
def test_closed_book(demo, snap_compare, size):
    """Won and dropped, newest closed first; the cursor one row down."""
    assert snap_compare(desk_app(), terminal_size=size, run_before=after("c", "j"))


@pytest.mark.parametrize("size", SIZES)
def test_touch_undone(demo, snap_compare, size):
    """A touch logged to the first of the queue, then ctrl+z: the desk as it was, and the toast."""
    logged = after("l", *"Sent the revised quote", "ctrl+s")

    async def then_undone(pilot) -> None:
        await logged(pilot)  # saved, the dialog closed: ctrl+z is the desk's
        pilot.app.clear_notifications()  # the save's own toast is the log form's snapshot
        await pilot.press("ctrl+z")
        await settle(pilot.app, pilot)

    assert snap_compare(desk_app(), terminal_size=size, run_before=then_undone)


@pytest.mark.parametrize("size", SIZES)
def test_help(demo, snap_compare, size):
    assert snap_compare(desk_app(), terminal_size=size, run_before=after("question_mark"))


def test_empty_book(book, frozen, snap_compare):
    assert snap_compare(desk_app(), terminal_size=(80, 24), run_before=ready)


@pytest.fixture
def coached(book, frozen):
    """One prospect with everything the coaching shows: promises kept and late, a silent run,
    replies on one channel, a best time, tags and a referral."""
    from storage import actions
    from storage.actions import NextStep

    def at(days: int, hour: int = 9) -> dt.datetime:
        return NOW + dt.timedelta(days=days, hours=hour - 8)

    ann = actions.add_prospect(
        {"name": "Ann Coached", "company": "Northwind Bakery", "title": "Owner", "email": "ann@northwind.example",
         "best_time": "weekdays 8-10am", "timezone": "America/New_York", "deal_value": 12000, "source": "trade show"},
        NextStep(due_at=at(-40), has_time=True, promised=True, what="Send the price list"), now=at(-41))
    actions.log_touch(ann, channel="email", outcome="replied", note="Price list sent. They compare with Contoso #competitor #price",
                      next_step=NextStep(due_at=at(-20), has_time=True, promised=True, what="Call back about delivery"),
                      at=at(-40), now=at(-40))
    actions.log_touch(ann, channel="call", outcome="talked", note="Delivery dates agreed, late by a day #feedback",
                      next_step=NextStep(due_at=at(-14), what="Follow up on the quote"), at=at(-18), now=at(-18))
    for n, day in enumerate((-14, -10, -5)):
        actions.log_touch(ann, channel="call", outcome="no answer", note=f"Voicemail {n + 1}",
                          next_step=NextStep(due_at=at(day + 4), what="Try again"), at=at(day), now=at(day))
    actions.set_next_step(ann, NextStep(due_at=at(1, 15), has_time=True, channel="email", promised=True,
                                        what="Send the revised quote"), now=at(-1))
    actions.add_prospect({"name": "Ben Referred", "referred_by": ann}, NextStep(due_at=at(3)), now=at(-2))


@pytest.mark.parametrize("size", SIZES)
def test_detail_pane_with_promises_persistence_and_channels(coached, snap_compare, size):
    assert snap_compare(desk_app(), terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", [pytest.param((80, 24), id="80x24"), pytest.param((60, 20), id="60x20")])
def test_drop_warning(demo, snap_compare, size):
    # the whole warning, wrapped inside the dialog, down to "Drop anyway?" (issue 14)
    assert snap_compare(desk_app(), terminal_size=size, run_before=after("x"))

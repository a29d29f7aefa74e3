"""A day is a day on the desk (issue 15, point 2): a follow-up set in Paris for Thu 3 Dec without a
time is Thu 3 Dec on a desk in Honolulu (UTC-10) or Kiritimati (UTC+14) too: the queue row, the
detail pane's next step and its promise line. (Kept as Paris midnight, it was Wed 2 Dec 13:00 in
Honolulu: "today" there on the Wednesday.)"""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest

from storage import actions
from storage.actions import NextStep
from storage.rules.dates import When, stored
from tests.tui.conftest import DeskForTests, queue_lines, screen_text, settle

THU = dt.date(2026, 12, 3)


@pytest.mark.parametrize("zone", ["Pacific/Honolulu", "Pacific/Kiritimati", "Europe/Paris"])
async def test_a_date_set_in_paris_is_the_same_date_on_a_desk_elsewhere(book, zone):
    with pendulum.travel_to(pendulum.datetime(2026, 11, 30, 10, tz="Europe/Paris"), freeze=True):
        actions.add_prospect({"name": "Ada Lovelace"}, NextStep(due_at=stored(When(THU, None), "Europe/Paris"),
                                                                channel="call", promised=True))
    # Wednesday 2 Dec, 20:00 where the desk is: Thursday is tomorrow
    with pendulum.travel_to(pendulum.datetime(2026, 12, 2, 20, tz=zone), freeze=True):
        app = DeskForTests(zone, book_label="test")
        async with app.run_test(size=(160, 45)) as pilot:
            await settle(app, pilot)
            row = next(line for line in queue_lines(app) if "Ada Lovelace" in line)
            assert "tomorrow" in row
            text = screen_text(app)
            assert "★ promised tomorrow · call" in text
            assert "★ Thu 3 Dec open" in text


async def test_the_two_day_rule_counts_a_date_by_its_date_far_east(book):
    """Kiritimati (UTC+14), Thu 3 Dec 23:30: a call went unanswered at 23:00; snoozing to tomorrow
    (Fri 4 Dec, a date) is one day after it, and the desk asks first. (Read as a moment, Fri 4 Dec
    at noon UTC is Saturday there: two days, and it did not ask.)"""
    zone = "Pacific/Kiritimati"
    with pendulum.travel_to(pendulum.datetime(2026, 11, 30, 10, tz=zone), freeze=True):
        pid = actions.add_prospect({"name": "Sue Snooze"}, NextStep(due_at=stored(When(THU, None), zone), channel="call"))
    with pendulum.travel_to(pendulum.datetime(2026, 12, 3, 23, 0, tz=zone), freeze=True):
        actions.log_touch(pid, channel="call", outcome="no answer", tz=zone,
                          next_step=NextStep(due_at=stored(When(THU, dt.time(23, 45)), zone), has_time=True,
                                             channel="call"))
    with pendulum.travel_to(pendulum.datetime(2026, 12, 3, 23, 30, tz=zone), freeze=True):
        app = DeskForTests(zone, book_label="test")
        async with app.run_test(size=(160, 45)) as pilot:
            await settle(app, pilot)
            await pilot.press("s", "1")
            await pilot.pause()
            assert "Daily notes are a poor strategy" in screen_text(app)


async def test_the_agendas_day_shows_what_it_counted_far_east(book):
    """Kiritimati (UTC+14): Thursday holds a date-only step (Thu 3 Dec) and a call at 01:00 on
    Friday does not; enter on Thursday in the agenda shows the one it counted. (Cut by the day's
    moments in UTC alone, Thursday held neither: the date at noon UTC is Friday 02:00 there.)"""
    zone = "Pacific/Kiritimati"
    with pendulum.travel_to(pendulum.datetime(2026, 11, 30, 10, tz=zone), freeze=True):
        actions.add_prospect({"name": "Dora Date"}, NextStep(due_at=stored(When(THU, None), zone), channel="call"))
        actions.add_prospect({"name": "Fred Friday"}, NextStep(
            due_at=stored(When(dt.date(2026, 12, 4), dt.time(1)), zone), has_time=True, channel="call"))
        app = DeskForTests(zone, book_label="test")
        async with app.run_test(size=(160, 45)) as pilot:
            await settle(app, pilot)
            await pilot.press("a")
            await settle(app, pilot)
            await pilot.press("down", "down", "down", "enter")
            await settle(app, pilot)
            rows = [line for line in queue_lines(app) if line.startswith("  ")]
            assert len(rows) == 1 and "Dora Date" in rows[0], rows
            assert "due Thu 3 Dec" in str(app.screen.query_one("#queue-pane").border_title)

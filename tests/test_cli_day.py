"""A day is a day (issue 15, point 2): a follow-up set for Thu 3 Dec without a time is Thu 3 Dec in
the queue, `followup due`, the CSV and the calendar (all-day), whatever zone it was set in and
whatever zone the rep is in now (Paris, Kiritimati UTC+14, Honolulu UTC-10). A timed one is its
moment, shown on the rep's clock."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import icalendar
import pendulum
import pytest

from storage import actions
from storage.actions import NextStep
from storage.book.models import Prospect
from storage.book.opening import close_book, open_book
from storage.reads import queue
from storage.rules.dates import When, stored
from tui.cli import main

ZONES = ("Europe/Paris", "Pacific/Kiritimati", "Pacific/Honolulu")
THU = dt.date(2026, 12, 3)


@pytest.fixture(params=ZONES)
def set_in(request):
    """The zone the desk was in when the rep set the follow-ups."""
    return request.param


@pytest.fixture(params=ZONES)
def seen_in(request, monkeypatch):
    """The rep's --tz now; FOLLOWUP_TZ names another zone (tests/conftest.py's Paris is one of ours)."""
    monkeypatch.setenv("FOLLOWUP_TZ", "Asia/Kolkata")
    return request.param


@pytest.fixture
def book_of(tmp_path, set_in):
    """Ada: Thu 3 Dec, a day (as the desk's date field stores it); Bo: Thu 3 Dec 09:00, promised."""
    path = tmp_path / "book.db"
    with pendulum.travel_to(pendulum.datetime(2026, 11, 30, 10, tz=set_in), freeze=True):
        open_book(path)
        actions.add_prospect({"name": "Ada"}, NextStep(due_at=stored(When(THU, None), set_in), channel="call"))
        actions.add_prospect({"name": "Bo"}, NextStep(due_at=stored(When(THU, dt.time(9)), set_in), has_time=True,
                                                      channel="call", promised=True))
        close_book()
    return path


def cli(*argv: str) -> None:
    assert main(list(argv)) == 0


def test_the_csv_has_the_date_whatever_the_zone(book_of, seen_in, tmp_path):
    out = tmp_path / "out.csv"
    cli("--db", str(book_of), "--tz", seen_in, "export", "--format", "csv", "--out", str(out))
    table = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert {r["Name"]: r["Next Follow-up"] for r in table}["Ada"] == "2026-12-03"


def test_the_calendar_has_an_all_day_event_on_the_date_whatever_the_zone(book_of, seen_in, tmp_path):
    out = tmp_path / "out.ics"
    cli("--db", str(book_of), "--tz", seen_in, "export", "--format", "ics", "--out", str(out))
    text = out.read_bytes().decode("utf-8")
    assert "DTSTART;VALUE=DATE:20261203\r\n" in text
    [ada] = [e for e in icalendar.Calendar.from_ical(text).walk("VEVENT") if "Ada" in str(e["SUMMARY"])]
    assert (ada.decoded("DTSTART"), ada.decoded("DTEND")) == (THU, dt.date(2026, 12, 4))
    assert not isinstance(ada.decoded("DTSTART"), dt.datetime)


@pytest.mark.parametrize("hour, minute", [(0, 0), (12, 0), (23, 59)])
def test_due_lists_it_as_today_all_that_day_whatever_the_zone(book_of, seen_in, capsys, hour, minute):
    with pendulum.travel_to(pendulum.datetime(2026, 12, 3, hour, minute, tz=seen_in), freeze=True):
        cli("--db", str(book_of), "--tz", seen_in, "due", "--json")
    today = json.loads(capsys.readouterr().out)["today"]
    assert [(r["name"], r["due"], r["due_label"]) for r in today] == [("Ada", "2026-12-03", "today")]


def test_due_lists_it_late_from_the_next_day_and_not_before_its_day(book_of, seen_in, capsys):
    with pendulum.travel_to(pendulum.datetime(2026, 12, 4, 0, 0, tz=seen_in), freeze=True):
        cli("--db", str(book_of), "--tz", seen_in, "due", "--json")
    overdue = json.loads(capsys.readouterr().out)["overdue"]
    assert [(r["name"], r["due_label"]) for r in overdue] == [("Ada", "1d late")]
    with pendulum.travel_to(pendulum.datetime(2026, 12, 2, 23, 59, tz=seen_in), freeze=True):
        cli("--db", str(book_of), "--tz", seen_in, "due", "--json")
    sections = json.loads(capsys.readouterr().out)
    assert "Ada" not in [r["name"] for rows in sections.values() for r in rows]


def test_the_queue_cuts_date_only_steps_by_their_date_and_timed_ones_by_their_moment(book_of, set_in, seen_in):
    open_book(book_of)
    try:
        ada, bo = (p.id for p in Prospect.select().order_by(Prospect.name))

        def where(prospect_id, moment):
            return queue.locate(prospect_id, moment, seen_in)[0]

        # the date: upcoming to the last second of Wednesday, today all Thursday, overdue on Friday
        moments = [(2026, 12, 2, 23, 59, 59), (2026, 12, 3), (2026, 12, 3, 23, 59, 59), (2026, 12, 4)]
        assert [where(ada, pendulum.datetime(*m, tz=seen_in)) for m in moments] == [
            "upcoming", "today", "today", "overdue"]
        # Bo, promised for 09:00 where it was set, is late from then, on the rep's clock now
        nine = pendulum.datetime(2026, 12, 3, 9, tz=set_in).in_timezone(seen_in)
        due = Prospect.get_by_id(bo).next_due_at
        assert [queue.is_late(due, True, m, seen_in) for m in (nine.subtract(minutes=1), nine.add(minutes=1))] == [
            False, True]
    finally:
        close_book()

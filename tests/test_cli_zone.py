"""`followup export` and `followup due` under `--tz`: the day in the file and on the terminal is the
day the rep set on the desk in that zone, whatever FOLLOWUP_TZ and the machine say."""

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
from storage.book.opening import close_book, open_book
from storage.rules.dates import When, stored
from tui.cli import main

# Far from each other: a day set in one is the day before or after in another.
ZONES = ("Europe/Paris", "Pacific/Kiritimati", "Pacific/Honolulu")
ELSEWHERE = {"Europe/Paris": "Pacific/Honolulu", "Pacific/Kiritimati": "Pacific/Honolulu",
             "Pacific/Honolulu": "Pacific/Kiritimati"}
THU = dt.date(2026, 12, 3)


@pytest.fixture(params=ZONES)
def zone(request, monkeypatch):
    """The rep's --tz; FOLLOWUP_TZ and the machine name another zone, a day away."""
    other = ELSEWHERE[request.param]
    monkeypatch.setenv("FOLLOWUP_TZ", other)
    monkeypatch.setenv("TZ", other)
    pendulum.set_local_timezone(pendulum.timezone(other))
    yield request.param
    pendulum.set_local_timezone()


@pytest.fixture
def book_of(tmp_path, zone):
    """A book where the rep, on a desk in `zone`, set Ada for Thu 3 Dec (a day) and Bo for
    Thu 3 Dec at 09:00 (as the desk's date field stores them: tui/widgets/date_field.py)."""
    path = tmp_path / "book.db"
    with pendulum.travel_to(pendulum.datetime(2026, 11, 30, 10, tz=zone), freeze=True):
        open_book(path)
        actions.add_prospect({"name": "Ada"}, NextStep(due_at=stored(When(THU, None), zone), channel="call"))
        actions.add_prospect({"name": "Bo"}, NextStep(due_at=stored(When(THU, dt.time(9)), zone), has_time=True,
                                                      channel="call", promised=True))
        close_book()
    return path


def cli(*argv: str) -> None:
    assert main(list(argv)) == 0


def test_the_csv_export_has_the_day_set_on_the_desk(book_of, zone, tmp_path):
    out = tmp_path / "out.csv"
    cli("--db", str(book_of), "--tz", zone, "export", "--format", "csv", "--out", str(out))
    table = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert {r["Name"]: r["Next Follow-up"] for r in table} == {"Ada": "2026-12-03", "Bo": "2026-12-03 09:00"}


def test_the_calendar_export_has_the_day_set_on_the_desk(book_of, zone, tmp_path):
    out = tmp_path / "out.ics"
    cli("--db", str(book_of), "--tz", zone, "export", "--format", "ics", "--out", str(out))
    text = out.read_bytes().decode("utf-8")
    assert "DTSTART;VALUE=DATE:20261203\r\n" in text
    assert f"DTSTART;TZID={zone}:20261203T090000\r\n" in text
    [timezone] = icalendar.Calendar.from_ical(text).walk("VTIMEZONE")
    assert timezone["TZID"] == zone


def test_due_on_that_day_lists_both_as_today(book_of, zone, capsys):
    with pendulum.travel_to(pendulum.datetime(2026, 12, 3, 8, tz=zone), freeze=True):
        cli("--db", str(book_of), "--tz", zone, "due", "--json")
    sections = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in sections["today"]] == ["Ada"]
    assert [(r["name"], r["due_label"]) for r in sections["promised"]] == [("Bo", "today 09:00")]
    assert sections["today"][0]["due"][:10] == "2026-12-03"  # its day, however a day is written

def test_due_the_day_before_lists_nothing(book_of, zone, capsys):
    with pendulum.travel_to(pendulum.datetime(2026, 12, 2, 23, 30, tz=zone), freeze=True):
        cli("--db", str(book_of), "--tz", zone, "due")
    assert capsys.readouterr().out == "Nothing promised, overdue or due today.\n"

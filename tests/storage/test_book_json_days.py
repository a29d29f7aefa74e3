"""The desk's JSON file and a follow-up without a time (issue 15, point 2): version 2 writes its day
("2026-12-03"), the same in every zone, and reads it back as that day; a version-1 file, which wrote
the moment of the rep's local midnight, is read in the rep's zone, so no date moves on import."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest

from storage import actions
from storage.actions import NextStep
from storage.book.models import FollowUp, Prospect
from storage.book.opening import close_book, open_book
from storage.exchange.json_in import import_json
from storage.exchange.json_out import FORMAT, write_json
from storage.rules.dates import When, stored

THU = dt.date(2026, 12, 3)
NOON = dt.datetime(2026, 12, 3, 12, 0)  # Thu 3 Dec as the book keeps a date (dates.stored)


def _file(version: int, due_at: str) -> dict:
    step = {"due_at": due_at, "has_time": False, "channel": "call", "created_at": "2026-11-01T09:00:00Z"}
    return {"format": FORMAT, "version": version, "exported_at": "2026-11-23T08:30:00Z", "prospects": [{
        "id": 1, "name": "Ada", "company": "", "email": "", "status": "active",
        "created_at": "2026-11-01T09:00:00Z", "updated_at": "2026-11-01T09:00:00Z",
        "followups": [step], "touches": [],
    }]}


def _due_of_ada() -> tuple[dt.datetime, bool]:
    step = FollowUp.get(FollowUp.prospect == Prospect.get(Prospect.name == "Ada").id)
    return step.due_at, step.has_time


def test_a_date_only_step_is_written_as_its_day_and_read_back_as_that_day(book, tmp_path):
    actions.add_prospect({"name": "Ada"}, NextStep(due_at=stored(When(THU, None), "Pacific/Kiritimati"), channel="call"))
    out = io.StringIO()
    write_json(out)
    data = json.loads(out.getvalue())
    assert (data["version"], data["prospects"][0]["followups"][0]["due_at"]) == (2, "2026-12-03")
    close_book()
    open_book(tmp_path / "other.db")  # another rep's book, far west
    import_json(data, tz="Pacific/Honolulu")
    assert _due_of_ada() == (NOON, False)


@pytest.mark.parametrize("zone, midnight", [
    ("Europe/Paris", "2026-12-02T23:00:00Z"),
    ("Pacific/Kiritimati", "2026-12-02T10:00:00Z"),
    ("Pacific/Honolulu", "2026-12-03T10:00:00Z"),
])
def test_a_version_1_file_keeps_its_dates_read_in_the_reps_zone(book, zone, midnight):
    import_json(_file(1, midnight), tz=zone)
    assert _due_of_ada() == (NOON, False)


def test_a_day_that_is_not_one_is_said_for_that_prospect(book):
    report = import_json(_file(2, "2026-02-30"), tz="Europe/Paris")
    assert [p.reason for p in report.problems] == [
        "prospect 1 in the file (Ada): due_at is not a date ('2026-02-30')."]

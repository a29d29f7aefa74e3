"""`followup report [--json | --csv [--out FILE]] [--period 30d|90d|1y|all]`: the rep's figures
(issue 17) as text, each with its numbers, as JSON of a stable schema (a script), or as CSV (a
manager's spreadsheet: tui/report_csv.py's rows, the shape in its docstring; to stdout, or to FILE
written whole and owner-only). The figures are storage/reads/reports.py's, and the hours of each
kind (report_hours.kinds_hours) for the text and JSON; this only says them."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from storage.book.clock import local_now
from storage.book.errors import InvalidInput
from storage.book.opening import checked_reads
from storage.exchange.exports import private_file
from storage.reads import reports
from storage.reads.report_hours import MIN_SAMPLE, HourCell, HourGrid, kinds_hours
from storage.reads.reports import GIVE_UP_TOUCH, PERIODS, Report
from storage.book.vocabulary import CHANNELS
from storage.reads.report_activity import ActivityWeek
from storage.reads.report_pipeline import PipelineGroup
from storage.reads.queue import SECTION_TITLES
from storage.rules.dates import WEEKDAY_NAMES, from_utc
from storage.rules.text import visible
from tui.report_csv import report_rows, write_rows
from tui.report_text import give_up_sentence, number, percent, reason, spread

DEFAULT_PERIOD = "90d"
SCHEMA_VERSION = 1  # a key renamed or removed is a new version; a key added is not


def add_commands(sub: argparse._SubParsersAction) -> None:
    rep = sub.add_parser("report", help="your figures: persistence, promises, channels, outcomes, hours, "
                                        "activity, pipeline")
    how = rep.add_mutually_exclusive_group()
    how.add_argument("--json", action="store_true", help="as JSON")
    how.add_argument("--csv", action="store_true", help="as CSV (figure,key,subkey,measure,value)")
    rep.add_argument("--out", metavar="FILE", help="with --csv: write it to FILE (default: print it)")
    rep.add_argument("--period", choices=tuple(PERIODS), default=DEFAULT_PERIOD,
                     help=f"how far back from now (default {DEFAULT_PERIOD})")


def run(args: argparse.Namespace, tz: str) -> int:
    """With the book open: read every figure (the book's check passing first), then print."""
    if args.out is not None and not args.csv:
        raise InvalidInput("out", "--out is where the CSV goes: add --csv.")
    period = reports.Period.back_from(args.period, local_now(tz), tz)
    with checked_reads():
        found = reports.report(period, tz)
        kinds = {} if args.csv else kinds_hours(period, tz)
    if args.csv:
        return _write_csv(report_rows(found, tz), args.out)
    if args.json:
        print(json.dumps(as_json(found, tz, kinds), ensure_ascii=False, indent=2))
    else:
        print("\n".join(as_text(found, tz) + more_text(found, kinds)))
    return 0


def _write_csv(rows: list[list[str]], out: str | None) -> int:
    if out is None:
        write_rows(rows, sys.stdout)
        return 0
    with private_file(out) as stream:
        count = write_rows(rows, stream)
    print(f"{count:,} rows written to {visible(out, one_line=True)}.")
    return 0


def _share(part: float | None) -> float | None:
    return None if part is None else round(part, 4)


def as_json(found: Report, tz: str, kinds: dict[str, HourGrid] | None = None) -> dict[str, Any]:
    period, keep, out = found.period, found.persistence, found.outcomes
    return {
        "schema": SCHEMA_VERSION,
        "period": {
            "name": period.name,
            "from": period.first_day.isoformat() if period.first_day else None,  # the rep's date
            "to": from_utc(period.end, tz).isoformat(),
            "timezone": tz,
        },
        "persistence": {
            "won": [{"touches": t, "prospects": n} for t, n in keep.won.items()],
            "won_median_touches": keep.won_median,
            "dropped": [{"touches": t, "prospects": n} for t, n in keep.dropped.items()],
            "dropped_total": keep.dropped_total,
            "dropped_before_fifth_touch": keep.dropped_early,
            "dropped_before_fifth_touch_share": _share(keep.dropped_early_share),
        },
        "promises": [{"week": w.week, "kept": w.kept, "late": w.late, "open": w.open} for w in found.promises],
        "channels": [{"channel": c.channel, "out": c.out, "replies": c.replies, "answered": c.answered,
                      "reply_rate": _share(c.reply_rate)}
                     for c in found.channels],
        "outcomes": {
            "won": out.won,
            "dropped": out.dropped,
            "close_rate": _share(out.close_rate),
            "value_won": out.value_won,
            "median_days_to_close": out.median_days_to_close,
            "drop_reasons": [{"reason": reason(r), "count": n} for r, n in out.reasons.items()],
        },
        **more_json(found, kinds or {}),
    }


def as_text(found: Report, tz: str) -> list[str]:
    period, keep, out = found.period, found.persistence, found.outcomes
    since = f"since {period.first_day:%a %-d %b %Y}" if period.first_day else "the whole book"
    lines = [f"Report: {since}, to {from_utc(period.end, tz):%a %-d %b %Y %H:%M} ({tz})", "", f"Persistence (touches: prospects; ‖ the {GIVE_UP_TOUCH}-touch line)"]
    lines.append("  " + give_up_sentence(keep))
    lines.append(f"  Won, touches before the win:   {spread(keep.won, '‖')}")
    lines.append(f"  Dropped, at touch number:      {spread(keep.dropped, '‖')}")
    lines += ["", "Promises by week (kept on time / late / open)"]
    lines += [f"  {w.week}   {w.kept:>4} / {w.late:>4} / {w.open:>4}" for w in found.promises] or ["  No promises."]
    lines += ["", "Channels (touches out, answered, reply rate: answered per touch out; replies of theirs)"]
    lines += [f"  {c.channel:<8} {c.out:>6} {c.answered:>6}   {percent(c.reply_rate):>5}   {c.replies - c.answered:>4}"
              for c in found.channels] \
        or ["  No touches."]
    lines += ["", "Outcomes"]
    days = "–" if out.median_days_to_close is None else number(out.median_days_to_close)
    lines.append(f"  Close rate {percent(out.close_rate)} ({out.won} won, {out.dropped} dropped) · "
                 f"value won {out.value_won:,} · median days to close {days}")
    lines.append("  Drop reasons:" + ("" if out.reasons else " none"))
    lines += [f"  {n:>6}  {reason(r)}" for r, n in out.reasons.items()]
    return lines


# --- hours, activity, pipeline -------------------------------------------------------------------


def _cell_json(cell: HourCell) -> dict[str, Any]:
    return {"weekday": WEEKDAY_NAMES[cell.weekday], "hour": cell.hour, "out": cell.out, "replies": cell.replies,
            "answered": cell.answered, "reply_rate": _share(cell.reply_rate)}


def _hours_json(grid: HourGrid) -> dict[str, Any]:
    return {"cells": [_cell_json(c) for c in grid.cells()], "best": [_cell_json(c) for c in grid.best()]}


def _groups_json(groups: list[PipelineGroup], key: str) -> list[dict[str, Any]]:
    return [{key: g.key, "prospects": g.prospects, "value": g.value} for g in groups]


def more_json(found: Report, kinds: dict[str, HourGrid]) -> dict[str, Any]:
    """The keys schema 1 gained with the hours, activity and pipeline (added keys: still 1)."""
    pipe = found.pipeline
    return {
        "hours": {"min_sample": MIN_SAMPLE, **_hours_json(found.hours)},
        "hours_by_kind": {kind: _hours_json(grid) for kind, grid in kinds.items()},
        "activity": [{"week": w.week, "from": w.first_day.isoformat(), "out": w.out, "total_out": w.total_out,
                      "due": w.due} for w in found.activity],
        "pipeline": {"prospects": pipe.prospects, "value": pipe.value,
                     "sections": _groups_json(pipe.sections, "section"), "kinds": _groups_json(pipe.kinds, "kind")},
    }


def _when(cell: HourCell) -> str:
    """"Tue 10h 60% (12/20)": the reply rate, and the answered touches out it comes from."""
    return f"{WEEKDAY_NAMES[cell.weekday]} {cell.hour}h {percent(cell.reply_rate)} ({cell.answered}/{cell.out})"


def _best(grid: HourGrid) -> str:
    best = grid.best()
    return " · ".join(_when(c) for c in best) if best else f"not enough yet ({MIN_SAMPLE} touches out in an hour at least)"


def _grid_lines(grid: HourGrid) -> list[str]:
    """Replies per weekday and hour, the hours that saw a touch; · a touch without a reply."""
    used = sorted({c.hour for c in grid.cells()})
    if not used:
        return ["  No touches."]
    width = max(2, *(len(str(c.replies)) for c in grid.cells())) + 1
    lines = ["       " + "".join(f"{h:>{width}}" for h in used)]
    for day, name in enumerate(WEEKDAY_NAMES):
        row = [grid.cell(day, h) for h in used]
        marks = [str(c.replies) if c.replies else ("·" if c.out else "") for c in row]
        lines.append((f"  {name}  " + "".join(f"{m:>{width}}" for m in marks)).rstrip())
    return lines


def _activity_lines(weeks: list[ActivityWeek]) -> list[str]:
    """A table: each week's out / due, then a column for each channel used in the period."""
    if not weeks:
        return ["  Nothing yet."]
    used = [c for c in CHANNELS if any(c in w.out for w in weeks)]
    lines = ["  week       out / due   " + " ".join(used)]
    for w in weeks:
        counts = " ".join(f"{w.out.get(c, 0) or '':>{len(c)}}" for c in used)
        lines.append(f"  {w.week} {w.total_out:>5} / {w.due:<5} {counts}".rstrip())
    return lines


def more_text(found: Report, kinds: dict[str, HourGrid]) -> list[str]:
    lines = ["", "Hours (replies by weekday and hour, your time; · touched, no reply)"]
    lines += _grid_lines(found.hours)
    lines += ["", "Best times (reply rate, answered/touches out)", f"  {'all':<14}{_best(found.hours)}"]
    lines += [f"  {kind:<14}{_best(grid)}" for kind, grid in kinds.items()]
    lines += ["", "Activity by week (touches out / follow-ups due; out by channel)"]
    lines += _activity_lines(found.activity)
    pipe = found.pipeline
    lines += ["", f"Pipeline now ({pipe.prospects:,} open prospects, value {pipe.value:,})"]
    lines += [f"  {SECTION_TITLES[g.key]:<14} {g.prospects:>6}  {g.value:>12,}" for g in pipe.sections]
    lines += ["  By kind:"] + [f"  {g.key:<14} {g.prospects:>6}  {g.value:>12,}" for g in pipe.kinds]
    return lines

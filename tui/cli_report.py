"""`followup report [--json] [--period 30d|90d|1y|all]`: the rep's figures (issue 17) as text, each
with its numbers, or as JSON of a stable schema (a script, a manager's spreadsheet). The figures
are storage/reads/reports.py's; this only says them."""

from __future__ import annotations

import argparse
import json
from typing import Any

from storage.book.clock import local_now
from storage.book.opening import checked_reads
from storage.reads import reports
from storage.reads.reports import GIVE_UP_TOUCH, PERIODS, Report
from storage.rules.dates import from_utc
from storage.rules.text import visible

DEFAULT_PERIOD = "90d"
SCHEMA_VERSION = 1  # a key renamed or removed is a new version; a key added is not


def add_commands(sub: argparse._SubParsersAction) -> None:
    rep = sub.add_parser("report", help="your figures: persistence, promises, channels, outcomes")
    rep.add_argument("--json", action="store_true", help="as JSON")
    rep.add_argument("--period", choices=tuple(PERIODS), default=DEFAULT_PERIOD,
                     help=f"how far back from now (default {DEFAULT_PERIOD})")


def run(args: argparse.Namespace, tz: str) -> int:
    """With the book open: read every figure (the book's check passing first), then print."""
    period = reports.Period.back_from(args.period, local_now(tz), tz)
    with checked_reads():
        found = reports.report(period, tz)
    if args.json:
        print(json.dumps(as_json(found, tz), ensure_ascii=False, indent=2))
    else:
        print("\n".join(as_text(found, tz)))
    return 0


def _share(part: float | None) -> float | None:
    return None if part is None else round(part, 4)


def _reason(label: str) -> str:
    return visible(label, one_line=True)  # the rep's own words: printed as typed, never run


def as_json(found: Report, tz: str) -> dict[str, Any]:
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
        "channels": [{"channel": c.channel, "out": c.out, "replies": c.replies, "reply_rate": _share(c.reply_rate)}
                     for c in found.channels],
        "outcomes": {
            "won": out.won,
            "dropped": out.dropped,
            "close_rate": _share(out.close_rate),
            "value_won": out.value_won,
            "median_days_to_close": out.median_days_to_close,
            "drop_reasons": [{"reason": _reason(r), "count": n} for r, n in out.reasons.items()],
        },
    }


def _number(value: float) -> str:
    return f"{value:g}" if value != int(value) else f"{int(value)}"


def _percent(share: float | None) -> str:
    return "–" if share is None else f"{share:.0%}"


def _spread(counts: dict[int, int]) -> str:
    """"touches: prospects" pairs, the fifth-touch line drawn as ‖ between those below and the rest."""
    if not counts:
        return "none"
    below = [f"{t}: {n}" for t, n in counts.items() if t < GIVE_UP_TOUCH]
    rest = [f"{t}: {n}" for t, n in counts.items() if t >= GIVE_UP_TOUCH]
    return "  ".join(below + ["‖"] + rest)


def as_text(found: Report, tz: str) -> list[str]:
    period, keep, out = found.period, found.persistence, found.outcomes
    since = f"since {period.first_day:%a %-d %b %Y}" if period.first_day else "the whole book"
    lines = [f"Report: {since}, to {from_utc(period.end, tz):%a %-d %b %Y %H:%M} ({tz})", "", f"Persistence (touches: prospects; ‖ the {GIVE_UP_TOUCH}-touch line)"]
    said = []
    if keep.dropped_total:
        said.append(f"you dropped {_percent(keep.dropped_early_share)} of prospects before the fifth touch "
                    f"({keep.dropped_early} of {keep.dropped_total})")
    if keep.won_median is not None:
        said.append(f"prospects won needed a median of {_number(keep.won_median)} touches")
    sentence = "; ".join(said)
    lines.append("  " + (sentence[0].upper() + sentence[1:] + "." if said else "Nothing won or dropped in this period."))
    lines.append(f"  Won, touches before the win:   {_spread(keep.won)}")
    lines.append(f"  Dropped, at touch number:      {_spread(keep.dropped)}")
    lines += ["", "Promises by week (kept on time / late / open)"]
    lines += [f"  {w.week}   {w.kept:>4} / {w.late:>4} / {w.open:>4}" for w in found.promises] or ["  No promises."]
    lines += ["", "Channels (touches out, replies, replies per touch out)"]
    lines += [f"  {c.channel:<8} {c.out:>6} {c.replies:>6}   {_percent(c.reply_rate):>5}" for c in found.channels] \
        or ["  No touches."]
    lines += ["", "Outcomes"]
    days = "–" if out.median_days_to_close is None else _number(out.median_days_to_close)
    lines.append(f"  Close rate {_percent(out.close_rate)} ({out.won} won, {out.dropped} dropped) · "
                 f"value won {out.value_won:,} · median days to close {days}")
    lines.append("  Drop reasons:" + ("" if out.reasons else " none"))
    lines += [f"  {n:>6}  {_reason(r)}" for r, n in out.reasons.items()]
    return lines

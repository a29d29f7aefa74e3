"""`followup away D1 D2` and `followup catch-up`: the plan printed, a question, then one action (so
`ctrl+z` on the desk puts every follow-up back). `--yes` applies without asking (a script)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from storage import actions
from storage.book.clock import local_now
from storage.book.opening import checked_reads
from storage.reads import plans
from storage.rules.dates import DateError, parse_when
from storage.rules.text import visible
from tui.plan_text import plan_text

def add_commands(sub: argparse._SubParsersAction) -> None:
    away = sub.add_parser("away", help="move what falls due while you're away to the working days after, by capacity")
    away.add_argument("first", help="your first day away (dec 7, mon, 2026-12-07…)")
    away.add_argument("last", help="your last day away")
    away.add_argument("--yes", action="store_true", help="apply the plan without asking")
    catch = sub.add_parser("catch-up", help="spread the overdue (not the promised) over the next working days")
    catch.add_argument("--yes", action="store_true", help="apply the plan without asking")


def _day(text: str, tz: str) -> dt.date:
    when = parse_when(text, local_now(tz), allow_past=True)
    return when.day


def run(args: argparse.Namespace, tz: str) -> int:
    """With the book open: the plan, the question, the action. Exit 2 on input that cannot be."""
    from tui.config import ConfigFileError, work_settings

    try:
        week, capacity = work_settings()
        with checked_reads():
            if args.command == "away":
                first, last = _day(args.first, tz), _day(args.last, tz)
                if last < first:
                    raise ValueError("The last day away comes before the first.")
                plan = plans.plan_away(first, last, tz, week, capacity)
            else:
                plan = plans.plan_catch_up(local_now(tz), tz, week, capacity)
    except (ConfigFileError, DateError, ValueError) as exc:
        print(f"followup: {visible(str(exc), one_line=True)}", file=sys.stderr)
        return 2
    if not plan.moves:
        print("Nothing to move." if args.command == "away" else "Nothing overdue: you are up to date.")
        return 0
    print(plan_text(plan))
    if not args.yes and input("Apply this plan? [y/N] ").strip().lower() not in ("y", "yes"):
        print("Nothing moved.")
        return 0
    moved = actions.apply_plan(plan, tz=tz)
    print(f"Moved {moved} follow-up(s); ctrl+z on the desk puts them back.")
    return 0

"""The `followup` command: choose the book, open it, then start the desk or print what is due.

Every problem with the book is one line on stderr and a non-zero exit, before any screen opens."""

from __future__ import annotations

import argparse
import json
import os
import sys

from storage.reads import queue
from storage.book.clock import local_now
from storage.rules.dates import due_label, from_utc
from storage.book.opening import check_before_the_desk, checked_reads, close_book, found_damaged, open_book, shown_url
from storage.book.errors import BookError
from storage.book.locations import data_dir
from storage.rules.text import visible

DUE_SECTIONS = ("promised", "overdue", "today")
FILE_COMMANDS = ("import", "export", "backup", "restore")
PLAN_COMMANDS = ("away", "catch-up")  # tui/cli_plans.py
PAGE = 500


def book_path(args: argparse.Namespace) -> str:
    if args.db:
        return args.db
    if args.demo:
        return str(data_dir() / "demo.db")
    return os.environ.get("FOLLOWUP_DB") or str(data_dir() / "book.db")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="followup", description="A desk for sales follow-ups.")
    p.add_argument("--db", metavar="PATH", help="the book to open (default: FOLLOWUP_DB or your data folder)")
    p.add_argument("--demo", action="store_true", help="open a generated demo book (kept, so your changes stay)")
    p.add_argument("--tz", metavar="ZONE", help="your time zone, e.g. Europe/Paris (default: FOLLOWUP_TZ, then [desk] timezone in config.toml, then the machine's)")
    sub = p.add_subparsers(dest="command")
    due = sub.add_parser("due", help="print what is promised, overdue and due today")
    due.add_argument("--json", action="store_true", help="as JSON")
    from tui.cli_files import add_commands

    add_commands(sub)
    from tui.cli_plans import add_commands as add_plan_commands

    add_plan_commands(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    from tui.config import rep_zone

    found = rep_zone(args.tz)  # the one zone of this run: every screen, command, export and rule gets it
    if args.tz and found.source != "--tz":  # asked for on this very line: refused, not passed over
        shown = visible(args.tz, one_line=True)
        print(f"followup: unknown time zone {shown!r}; use a city (Paris) or a name like Europe/Paris.", file=sys.stderr)
        return 2
    for problem in found.problems:
        print(f"followup: {problem} (using {found.name}, from {found.source})", file=sys.stderr)
    tz = found.name
    path = book_path(args)
    try:
        from storage.rules.cadence import CadenceFileError
        from storage.reads.coaching import cadences

        cadences()  # a mistake in the rep's cadences.toml is said now, in one line
    except CadenceFileError as exc:
        print(f"followup: {exc}", file=sys.stderr)
        return 2
    if args.command in FILE_COMMANDS:
        from tui.cli_files import run

        try:
            return run(args, path, tz)
        except BookError as exc:
            print(f"followup: {visible(str(exc), one_line=True)}", file=sys.stderr)
            return 2
        finally:
            close_book()
    try:
        # a big book is checked while the desk starts, or while `due` reads (writes wait for it)
        open_book(path, check_aside=True, gently=args.command is None)
        if args.demo:
            _fill_demo(tz)
        if args.command == "due":
            return print_due(tz, as_json=args.json)
        if args.command in PLAN_COMMANDS:
            from tui.cli_plans import run as run_plan

            return run_plan(args, tz)
        check_before_the_desk()  # a damaged book is said here, before any screen
    except BookError as exc:
        close_book()
        print(f"followup: {visible(str(exc), one_line=True)}", file=sys.stderr)
        return 2
    finally:
        if args.command == "due" or args.command in PLAN_COMMANDS:
            close_book()
    from tui.first_read import start_first_read

    first = start_first_read(tz)  # while Textual loads
    from tui.app import FollowupApp

    app = FollowupApp(tz, book_label=("demo · " if args.demo else "") + shown_url(path), first_read=first,
                      zone_problems=found.problems)
    try:
        app.run()
        damage = found_damaged()  # what a big book's check found while the desk was up
    finally:
        close_book()
    if damage is not None and not app.return_code:
        print(f"followup: {visible(str(damage), one_line=True)}", file=sys.stderr)
        return 2
    if app.return_code:  # an error ended the desk: one line here, its traceback in the log
        print(f"followup: {app.stopped_by or 'the desk stopped on an error'}", file=sys.stderr)
        return app.return_code
    return 0


def _fill_demo(tz: str) -> None:
    from storage.reads import prospect as reads
    from storage.demo import build_demo

    if reads.prospect_count() == 0:
        build_demo(tz=tz)


def due_rows(tz: str) -> dict[str, list[dict]]:
    now = local_now(tz)
    result: dict[str, list[dict]] = {}
    for section in DUE_SECTIONS:
        rows, offset = [], 0
        while True:
            page = queue.page(section, offset, PAGE, now, tz)
            rows += page
            offset += PAGE
            if len(page) < PAGE:
                break
        if section == "promised":  # promised ones count here only when they are due by today
            tomorrow = now.start_of("day").add(days=1)
            rows = [r for r in rows if r.due_at and from_utc(r.due_at, tz) < tomorrow]
        result[section] = [
            {
                "id": r.prospect_id,
                "name": visible(r.name, one_line=True),
                "company": visible(r.company, one_line=True),
                "due": from_utc(r.due_at, tz).isoformat() if r.due_at else None,
                "due_label": due_label(from_utc(r.due_at, tz), r.has_time, now) if r.due_at else "",
                "channel": r.channel,
                "kind": r.kind,
                "promised": r.promised,
                "touches": r.touch_count,
            }
            for r in rows
        ]
    return result


def print_due(tz: str, *, as_json: bool) -> int:
    with checked_reads():  # the book's check runs meanwhile: nothing is printed before it passed
        sections = due_rows(tz)
    if as_json:
        print(json.dumps(sections, ensure_ascii=False, indent=2))
        return 0
    if not any(sections.values()):
        print("Nothing promised, overdue or due today.")
        return 0
    for section, rows in sections.items():
        if not rows:
            continue
        print(f"{queue.SECTION_TITLES[section]} ({len(rows)})")
        for r in rows:
            who = r["name"] + (f" · {r['company']}" if r["company"] else "")
            print(f"  {'★' if r['promised'] else ' '} {r['due_label']:<11} {who}  ({r['channel']}, {r['kind']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The `followup` command: choose the book, open it, then start the desk or print what is due.

Every problem with the book is one line on stderr and a non-zero exit, before any screen opens."""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys

from storage.reads import queue
from storage.book.clock import local_now
from storage.rules.dates import due_day, due_label, local_due
from storage.book.opening import (
    check_before_the_desk, checked_reads, close_book, file_of, found_damaged, open_book, password_in, shown_url,
)
from storage.book.errors import BookError
from storage.book.locations import data_dir
from storage.rules.text import visible
from tui.heaps import share_thread_heaps

DUE_SECTIONS = ("promised", "overdue", "today")
FILE_COMMANDS = ("import", "export", "backup", "restore")
PLAN_COMMANDS = ("away", "catch-up")  # tui/cli_plans.py
REPORT_COMMANDS = ("report",)  # tui/cli_report.py
# What a missing book cannot give: these say how to start one rather than make an empty one
# (the desk, `import` and `restore` make it).
NEEDS_A_BOOK = ("due", "export", "backup", *PLAN_COMMANDS, *REPORT_COMMANDS)
PAGE = 500


def book_path(args: argparse.Namespace) -> str:
    if args.db:
        return args.db
    if args.demo:
        return str(data_dir() / "demo.db")
    return os.environ.get("FOLLOWUP_DB") or str(data_dir() / "book.db")


def _global_options(p: argparse.ArgumentParser, *, top: bool) -> None:
    """--db, --demo and --tz, taken before or after the subcommand (`followup due --db X`): the
    top parser holds the defaults; a subcommand's copy sets them only when given there (SUPPRESS),
    so it never writes its own default over what came before the subcommand."""
    unset = {} if top else {"default": argparse.SUPPRESS}
    p.add_argument("--db", metavar="PATH", help="the book to open (default: FOLLOWUP_DB or your data folder)", **unset)
    p.add_argument("--demo", action="store_true", help="open a generated demo book (kept, so your changes stay)", **unset)
    p.add_argument("--tz", metavar="ZONE", help="your time zone, e.g. Europe/Paris (default: FOLLOWUP_TZ, then [desk] timezone in config.toml, then the machine's)", **unset)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="followup", description="A desk for sales follow-ups.")
    _global_options(p, top=True)
    sub = p.add_subparsers(dest="command")
    due = sub.add_parser("due", help="print what is promised, overdue and due today")
    due.add_argument("--json", action="store_true", help="as JSON")
    from tui.cli_files import add_commands

    add_commands(sub)
    from tui.cli_plans import add_commands as add_plan_commands

    add_plan_commands(sub)
    from tui.cli_report import add_commands as add_report_commands

    add_report_commands(sub)
    from tui.cli_copy import add_commands as add_copy_commands

    add_copy_commands(sub)
    for command in {id(c): c for c in sub.choices.values()}.values():  # every subcommand, a new one too
        _global_options(command, top=False)
    return p


def main(argv: list[str] | None = None) -> int:
    try:
        code = _main(argv)
        sys.stdout.flush()  # inside the try: a pipe closed early is met here, not at exit
        return code
    except BrokenPipeError:
        # `followup due | head`: the reader has what it wanted; the rest goes nowhere, quietly
        # (Python's own flush at exit would say it again). 128 + SIGPIPE, as a C tool ends.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


def _main(argv: list[str] | None) -> int:
    share_thread_heaps()  # before any thread of ours starts (tui/heaps.py)
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
    if args.db and password_in(args.db):
        print("followup: a password in --db is seen by anyone who lists this machine's processes and stays in your "
              "shell's history: put it in ~/.pgpass (or PGPASSFILE, or a service file) and leave it out of the URL.",
              file=sys.stderr)
        return 2
    if args.command == "copy":  # two books named on the line, not the --db one: tui/cli_copy.py
        from tui.cli_copy import run as run_copy

        return run_copy(args, tz)
    path = book_path(args)
    from storage.reads.coaching import cadence_problem

    problem = cadence_problem()  # a mistake in the rep's cadences.toml: one line, and the defaults
    if problem:  # a cron line goes on
        print(f"followup: {problem} (using the default cadences)", file=sys.stderr)
    if args.command in NEEDS_A_BOOK and not args.demo and _no_book_at(path):
        print(f"followup: {_how_to_start(path, args.db)}", file=sys.stderr)
        return 2
    if args.command in FILE_COMMANDS:
        from tui.cli_files import run

        try:
            if args.demo and args.command != "restore":  # a restore replaces it anyway
                open_book(path, tz=tz)
                _fill_demo(tz)
                close_book()
            return run(args, path, tz)
        except BookError as exc:
            print(f"followup: {visible(str(exc), one_line=True)}", file=sys.stderr)
            return 2
        finally:
            close_book()
    try:
        # a big book is checked while the desk starts, or while `due` reads (writes wait for it)
        open_book(path, check_aside=True, gently=args.command is None, tz=tz)
        if args.demo:
            _fill_demo(tz)
        if args.command == "due":
            return print_due(tz, as_json=args.json)
        if args.command in PLAN_COMMANDS:
            from tui.cli_plans import run as run_plan

            return run_plan(args, tz)
        if args.command in REPORT_COMMANDS:
            from tui.cli_report import run as run_report

            return run_report(args, tz)
        check_before_the_desk()  # a damaged book is said here, before any screen
    except BookError as exc:
        close_book()
        print(f"followup: {visible(str(exc), one_line=True)}", file=sys.stderr)
        return 2
    finally:
        if args.command == "due" or args.command in PLAN_COMMANDS or args.command in REPORT_COMMANDS:
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


def _no_book_at(target: str) -> bool:
    path = file_of(target)
    if path is None:  # a server's book is the server's to have
        return False
    try:
        path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return True
    except OSError:  # a folder we may not enter: opening it says so, in its own words
        return False
    return False


def _how_to_start(target: str, db: str | None) -> str:
    command = "followup" + (f" --db {shlex.quote(db)}" if db else "")
    return (
        f"There is no book at {file_of(target)} yet (nothing was created). To start: "
        f"`followup --demo` to try the demo book, `{command}` then n for your first prospect, "
        f"or `{command} import FILE` to bring in your contacts (CSV, vCard)."
    )


def _fill_demo(tz: str) -> None:
    from storage.reads import prospect as reads
    from storage.demo import build_demo

    if reads.prospect_count() == 0:
        build_demo(tz=tz)


def _due_text(due_at, has_time: bool, tz: str) -> str:
    return local_due(due_at, has_time, tz).isoformat() if has_time else due_day(due_at, False, tz).isoformat()


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
            rows = [r for r in rows if r.due_at and local_due(r.due_at, r.has_time, tz) < tomorrow]
        result[section] = [
            {
                "id": r.prospect_id,
                "name": visible(r.name, one_line=True),
                "company": visible(r.company, one_line=True),
                # a date-only step is its date ("2026-12-03"), the same in every zone
                "due": _due_text(r.due_at, r.has_time, tz) if r.due_at else None,
                "due_label": due_label(local_due(r.due_at, r.has_time, tz), r.has_time, now) if r.due_at else "",
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

"""The command line's files in and out: `followup import`, `export`, `backup` and `restore`.

Each prints what it did in a few lines; a problem is one line on stderr and exit status 2."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, TextIO

from storage.book.files import Contents, backup_file, check_backup, contents, new_backup, restore_file
from storage.book.opening import close_book, file_of, open_book, server_refusal
from storage.book.errors import InvalidInput
from storage.exchange.incoming import DUPLICATE_CHOICES, ImportReport
from storage.rules.dates import from_utc
from storage.rules.text import visible

# The readers and writers (csv, vobject, icalendar…) load only when a file command runs: the
# desk's start-up builds this parser too, and pays for nothing it does not use.
EXPORTS = {"csv": "prospect", "json": "prospect", "ics": "follow-up", "deals": "closed deal"}
PROBLEMS_SHOWN = 20


def add_commands(sub: argparse._SubParsersAction) -> None:
    imp = sub.add_parser("import", help="bring prospects in from a CSV, a vCard address book or a JSON export")
    imp.add_argument("file")
    imp.add_argument("--dry-run", action="store_true", help="say what would happen; write nothing")
    imp.add_argument("--map", action="append", default=[], metavar="COLUMN=FIELD",
                     help="read a CSV column as this field (or 'ignore'); repeat for each")
    imp.add_argument("--on-duplicate", choices=DUPLICATE_CHOICES,
                     help="a person already in the book: skip them or merge into them (asked when not given)")
    imp.add_argument("--encoding", help="the file's encoding (a CSV or an address book), when the guess is wrong "
                     "(e.g. cp1252, latin-1, mac-roman, utf-16)")
    imp.add_argument("--delimiter", help="the CSV's delimiter, when the guess is wrong (e.g. ';' or tab)")
    imp.add_argument("--yes", action="store_true", help="do not ask before writing")
    exp = sub.add_parser("export", help="write prospects (csv, json), follow-ups (ics) or closed deals (deals)")
    exp.add_argument("kind", nargs="?", choices=tuple(EXPORTS), metavar="FORMAT", help="csv, json, ics or deals")
    exp.add_argument("--format", choices=tuple(EXPORTS), help="the same, as an option")
    exp.add_argument("--out", metavar="FILE", help="write here (owner-only) instead of to the terminal")
    back = sub.add_parser("backup", help="a consistent copy of the book, even while a desk has it open")
    back.add_argument("--out", metavar="FILE", help="default: backups/ beside your book, named by the time")
    back.add_argument("--force", action="store_true", help="replace the file at --out if there is one")
    rest = sub.add_parser("restore", help="put a backup back in place of the book (after checking it)")
    rest.add_argument("file")
    rest.add_argument("--yes", action="store_true", help="do not ask before replacing the book")


def run(args: argparse.Namespace, book: str, tz: str) -> int:
    """The file command named in args, on the book at `book` (not yet opened)."""
    if args.command in ("backup", "restore"):
        path = file_of(book)
        if path is None:  # a server book: its copies are the server's business
            raise server_refusal(book, f"followup {args.command}")
        if args.command == "backup":
            return backup(path, args.out, tz, args.force)
        return restore(path, Path(args.file), args.yes, tz)
    if args.command == "export":
        kind = _export_kind(args)
        open_book(book, tz=tz)
        return export(kind, args.out, tz)
    open_book(book, tz=tz)
    return import_file(args, tz)


# --- import ------------------------------------------------------------------------------------


def import_file(args: argparse.Namespace, tz: str) -> int:
    from storage.exchange.sources import open_source

    overrides = dict(_pair(text) for text in args.map)
    delimiter = "\t" if args.delimiter in ("tab", "\\t") else args.delimiter
    source = open_source(args.file, tz, encoding=args.encoding, delimiter=delimiter, overrides=overrides)
    print(visible(source.describe(), one_line=True))
    if note := source.encoding_note():  # a guess that could garble: the rep sees a line as read
        print(visible(note, one_line=True))
        print("  (if that line looks wrong, read the file otherwise: --encoding NAME, e.g. utf-8, cp1252, latin-1, mac-roman)")
    for header, target in source.mapped():
        print(f"  {visible(header, one_line=True):<28} → {target}")
    if source.table is not None:
        print("  (change one with --map 'COLUMN=FIELD', FIELD as printed here: --map 'Position=Job title')")
    plan = source.run(on_duplicate=args.on_duplicate or "skip", dry_run=True)
    print_report(plan, shown=None if args.dry_run else PROBLEMS_SHOWN)  # --dry-run: every one of them
    if args.dry_run:
        return 0
    if plan.added + plan.merged + len(plan.skipped) == 0:
        print("Nothing to import.")
        return 0
    choice = args.on_duplicate
    if plan.skipped and choice is None:
        choice = _ask_duplicates(len(plan.skipped)) if sys.stdin.isatty() and not args.yes else "skip"
    if choice == "merge":
        plan = source.run(on_duplicate="merge", dry_run=True)
    if not args.yes and sys.stdin.isatty():
        if not _confirm(f"Write this to the book ({plan.added:,} new, {plan.merged:,} merged)? [y/N] "):
            print("Nothing written.")
            return 1
    with _progress(source.size) as progress:
        report = source.run(on_duplicate=choice or "skip", progress=progress)
    print_report(report)
    return 0


def _pair(text: str) -> tuple[str, str]:
    header, sep, target = text.rpartition("=")
    if not sep or not header.strip():
        raise InvalidInput("map", f"--map takes COLUMN=FIELD, like 'Account Name=company' (got {text!r}).")
    return header.strip(), target.strip()


def print_report(report: ImportReport, out: TextIO | None = None, shown: int | None = PROBLEMS_SHOWN) -> None:
    """The summary, then who was skipped, each record not imported and each cell left empty, by
    line: the first `shown` of each (None: all of them), and how many more."""
    out = out or sys.stdout
    print(report.summary(), file=out)
    listed = (
        ("already in the book, skipped", [f"line {line}: {who}" for line, who in report.skipped], "already in the book"),
        ("not imported", [str(problem) for problem in report.problems], "rows not imported"),
        ("imported without a cell", [str(warning) for warning in report.warnings], "cells left empty"),
    )
    for said, items, more in listed:
        for item in items[:shown]:
            print(f"  {said}: {visible(item, one_line=True)}", file=out)
        if shown is not None and len(items) > shown:
            print(f"  … and {len(items) - shown:,} more {more} (--dry-run lists them all)", file=out)


def _ask_duplicates(count: int) -> str:
    answer = input(f"{count:,} of them are already in the book: [s]kip them or [m]erge into them? [s/m] ")
    return "merge" if answer.strip().lower().startswith("m") else "skip"


def _confirm(question: str) -> bool:
    return input(question).strip().lower() in ("y", "yes")


@contextmanager
def _progress(total: int) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr for a long import (stdout stays the report)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    console = Console(stderr=True)
    if total < 1000 or not console.is_terminal:
        yield lambda done, all_: None
        return
    with Progress(TextColumn("Importing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=console) as bar:
        task = bar.add_task("import", total=total)
        yield lambda done, all_: bar.update(task, completed=done, total=all_)


# --- export, backup, restore -----------------------------------------------------------------


def _export_kind(args: argparse.Namespace) -> str:
    """`export csv` or `export --format csv`: either, once."""
    if args.kind and args.format and args.kind != args.format:
        raise InvalidInput("format", f"Two formats given ({args.kind} and {args.format}): export one at a time.")
    if not (args.kind or args.format):
        raise InvalidInput("format", f"Say which export: followup export {'|'.join(EXPORTS)} [--out FILE].")
    return args.kind or args.format


def export(kind: str, out: str | None, tz: str) -> int:
    from storage.exchange.exports import private_file, writer

    what, write = EXPORTS[kind], writer(kind, tz)
    if out is None:
        count = write(sys.stdout)
        print(f"{count:,} {what}{'' if count == 1 else 's'} written.", file=sys.stderr)
        return 0
    with private_file(out) as stream:
        count = write(stream)
    print(f"{count:,} {what}{'' if count == 1 else 's'} written to {out}.")
    return 0


def backup(path: Path, out: str | None, tz: str | None = None, force: bool = False) -> int:
    dest = Path(out) if out else None
    if dest is not None and dest.exists() and dest.resolve() == path.resolve():
        raise InvalidInput("out", f"{dest} is the book itself; back it up to another file.")
    if dest is not None and dest.exists() and not force:  # said before the book is opened and copied
        raise InvalidInput("out", f"{dest} already exists; nothing was written (add --force to replace it).")
    open_book(path, tz=tz)  # a book of ours, whole (checked), migrated, before we copy it
    close_book()
    try:
        dest = backup_file(path, dest, replace=force) if dest is not None else new_backup(path)
    except FileExistsError:  # it came meanwhile
        raise InvalidInput("out", f"{dest} already exists; nothing was written (add --force to replace it).") from None
    print(f"Backed up {path} to {dest}.")
    return 0


def restore(book: Path, candidate: Path, yes: bool, tz: str) -> int:
    version = check_backup(candidate, book)
    print(f"{candidate} is a whole Followup Desk book (schema {version}).")
    print(what_it_replaces(book, candidate, tz))
    if not yes and not sys.stdin.isatty():  # a pipe, cron: nobody to ask, so nothing is replaced
        print("followup: restore replaces the book and there is no terminal to ask; nothing changed "
              "(add --yes to restore without asking).", file=sys.stderr)
        return 2
    if not yes and not _confirm(f"Replace the book at {book} with it? [y/N] "):
        print("Nothing changed.")
        return 1
    kept = restore_file(candidate, book)
    open_book(book, tz=tz)  # an older backup is brought up to date now, not when the desk opens
    close_book()
    print(f"Restored {book} from {candidate}." + (f" The book as it was is kept in {kept}." if kept else ""))
    return 0


def what_it_replaces(book: Path, candidate: Path, tz: str) -> str:
    """The book and the backup side by side (counts, the newest touch), so that the rep sees what
    a restore would take away before saying yes."""
    backup = contents(candidate)
    now = contents(book, after=backup.newest_at if backup else None)
    if now is None:
        said = "there is no book there yet" if not book.exists() else "it cannot be read (kept as it is, beside it)"
        return f"It replaces the book at {book}: {said}.\n  the backup:   {_held(backup, tz)}"
    lines = [f"It replaces the book at {book}:", f"  the book now: {_held(now, tz)}", f"  the backup:   {_held(backup, tz)}"]
    if now.touches_after:
        lines.append(f"  {now.touches_after:,} touch{'' if now.touches_after == 1 else 'es'} in the book "
                     "came after the backup's newest; the book as it is now is kept beside it first.")
    return "\n".join(lines)


def _held(found: Contents | None, tz: str) -> str:
    if found is None:
        return "it cannot be read"
    counts = f"{found.prospects:,} prospect{'' if found.prospects == 1 else 's'}, {found.touches:,} touch{'' if found.touches == 1 else 'es'}"
    if found.newest_at is None:
        return counts
    when = from_utc(found.newest_at, tz).format("YYYY-MM-DD HH:mm")
    return f"{counts}; the newest {when} with {visible(found.newest_with, one_line=True)}"

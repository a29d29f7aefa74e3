"""`followup copy --from SOURCE --to TARGET [--owner ROLE | --shared]`: a rep's whole book moved
between a file and a team's server (either way), ids and journal kept
(storage/exchange/copy.py does the copying; this opens the two books and says what happened).
Progress on stderr for a big book, one summary line on stdout; a server's password never shown."""

from __future__ import annotations

import argparse
import sys

from storage.book.errors import BookError
from storage.book.opening import _close, close_book, file_of, open_book, shown_url
from storage.exchange.copy import SHARED, WORDS, copy_book
from storage.rules.text import visible

EVERY = 10_000  # rows of a table between two progress lines


def add_commands(sub: argparse._SubParsersAction) -> None:
    cp = sub.add_parser("copy", help="move a whole book between a file and a server (postgresql://…), ids and journal kept")
    cp.add_argument("--from", dest="source", required=True, metavar="SOURCE", help="the book to copy: a file or postgresql://…")
    cp.add_argument("--to", dest="target", required=True, metavar="TARGET",
                    help="a new, empty book: a file (made if need be) or postgresql://… (its tables made if need be)")
    whose = cp.add_mutually_exclusive_group()
    whose.add_argument("--owner", metavar="ROLE", help="on a server: the rep the prospects belong to (default: the role you connect as)")
    whose.add_argument("--shared", action="store_true", help="on a server: the prospects belong to nobody (the team shares them)")


def _say(line: str) -> None:
    print(f"followup: {visible(line, one_line=True)}", file=sys.stderr)


def refusal(args: argparse.Namespace) -> str | None:
    """What is wrong with the command as typed, before any book is opened."""
    for place in (args.source, args.target):
        if shown_url(place) != place:
            return ("a password in a book's URL is seen by anyone who lists this machine's processes: put it in "
                    "~/.pgpass (or PGPASSFILE, or a service file) and leave it out of the URL.")
    source, target = file_of(args.source), file_of(args.target)
    if source is not None and not source.is_file():
        return f"There is no book at {source}; nothing was copied."
    if (args.owner or args.shared) and target is not None:
        return "--owner and --shared are for a book on a server: a book in a file has one rep."
    if args.source == args.target or (source is not None and target is not None and target.exists()
                                      and source.resolve() == target.resolve()):
        return "--from and --to name the same book."
    return None


def run(args: argparse.Namespace, tz: str) -> int:
    problem = refusal(args)
    if problem:
        _say(problem)
        return 2
    shown = shown_url(args.target)

    def progress(table: str, rows: int) -> None:
        print(f"followup copy: {rows:,} {WORDS[table][rows != 1]}…", file=sys.stderr, flush=True)

    source = None
    try:
        source = open_book(args.source, tz=tz)
        target = open_book(args.target, tz=tz)  # the models are bound to it from here on
        owner = SHARED if args.shared else args.owner
        copied = copy_book(source, target, target_name=shown, owner=owner, progress=progress, every=EVERY)
    except BookError as exc:
        _say(str(exc))
        return 2
    finally:
        close_book()
        if source is not None:
            _close(source)  # the source was opened first: the models no longer name it
    whose = ""
    if file_of(args.target) is None:
        whose = f", owned by {copied.owner}" if copied.owner else ", shared by the team"
    print(visible(f"Copied {copied.said()} to {shown}{whose}.", one_line=True))
    return 0

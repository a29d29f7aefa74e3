"""`python -m bench.bigbook --db PATH --prospects N --touches M [--seed S] [--now ISO] [--tz ZONE]`."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from bench.bigbook.writing import BookNotEmpty, build_big_book
from storage.book.errors import BookError


def _parse_now(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text)
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bigbook", description="Write a big, realistic book.")
    parser.add_argument("--db", required=True, help="the book file to create (must have no prospects)")
    parser.add_argument("--prospects", type=int, required=True)
    parser.add_argument("--touches", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--now", type=_parse_now, default=None, help="ISO moment the book is placed around (UTC if naive)")
    parser.add_argument("--tz", default=None, help="the rep's time zone (default: as the followup command finds it: FOLLOWUP_TZ, config.toml, the machine)")
    args = parser.parse_args(argv)
    try:
        result = build_big_book(args.db, args.prospects, args.touches, seed=args.seed, now=args.now, tz=args.tz)
    except (BookNotEmpty, ValueError) as exc:
        print(f"bigbook: {exc}", file=sys.stderr)
        return 2
    except BookError as exc:
        print(f"bigbook: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 1
    print(
        f"Wrote {result['prospects']:,} prospects, {result['touches']:,} touches, {result['follow_ups']:,} follow-ups"
        f" and {result['tags']:,} tags to {result['path']} in {result['seconds']:.1f} s"
        f" (generate {result['generate_seconds']:.1f} s, write {result['write_seconds']:.1f} s;"
        f" {result['rows_per_second']:,} rows/s; search index {result['search_index_seconds']:.1f} s)"
    )
    return 0

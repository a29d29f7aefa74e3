"""The reports' figures timed on a bench book (issue 17, point 3: each ≤ 200 ms on the 100k book):
every figure of storage/reads/reports.py (and its report_hours, report_activity, report_pipeline)
for every period, best of a few runs, in this process (the book opened, read, closed); the hours
of one kind twice, for a small kind and for the book's biggest. `python -m bench` adds the table;
alone, on one book or more (the bench's are kept in its --dir):
`python -m bench.report_timing BOOK [BOOK …]` (a file, or a server's postgresql:// URL)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

TZ = "Europe/Paris"
FIGURES = ("persistence", "promises", "channels", "outcomes", "hours", "hours: referral", "hours: new prospect",
           "activity", "pipeline")
TARGET_MS = 200


def time_reports(book: Path | str, runs: int = 3) -> dict[str, dict[str, float]]:
    """{period: {figure: best ms}} on `book` (left as it was: the reports only read)."""
    from storage.book.clock import local_now
    from storage.book.opening import close_book, open_book
    from storage.reads import reports

    open_book(book, tz=TZ)
    try:
        found: dict[str, dict[str, float]] = {}
        for name in reports.PERIODS:
            period = reports.Period.back_from(name, local_now(TZ), TZ)
            found[name] = {}
            for figure in FIGURES:
                read = _reader(figure, period)
                best = float("inf")
                try:
                    for _ in range(runs):
                        start = time.perf_counter()
                        read()
                        best = min(best, time.perf_counter() - start)
                except Exception:  # a figure this engine cannot read yet (NaN: shown as —)
                    best = float("nan")
                found[name][figure] = best * 1000
        return found
    finally:
        close_book()


def _reader(figure: str, period):
    """The read a figure's line times, as the reports screen and `followup report` call it."""
    import pendulum

    from storage.reads import reports

    if figure.startswith("hours: "):  # one kind's hours
        return lambda: reports.hours(period, TZ, figure.removeprefix("hours: "))
    if figure == "pipeline":  # the book now, at the period's end
        return lambda: reports.pipeline(pendulum.instance(period.end, tz="UTC"), TZ)
    read = getattr(reports, figure)
    zoned = figure in ("promises", "hours", "activity")
    return (lambda: read(period, TZ)) if zoned else (lambda: read(period))


def report_table(rows: list[dict]) -> str:
    """One line per book and figure, the periods side by side (rows without figures are left out)."""
    lines = ["| book | report figure | " + " | ".join(f"{p} ms" for p in ("30d", "90d", "1y", "all")) + " |",
             "|" + "---|" * 6]
    for row in rows:
        timed = row.get("reports")
        if not timed:
            continue
        for figure in FIGURES:
            cells = " | ".join("—" if timed[p][figure] != timed[p][figure] else f"{timed[p][figure]:.1f}" for p in timed)
            lines.append(f"| {row['size']}{row.get('on', '')} | {figure} | {cells} |")
    lines += ["", f"Reports: each figure read 3 times in the bench process (the book opened there), the best kept. Target: ≤ {TARGET_MS} ms on 100k."]
    return "\n".join(lines)


if __name__ == "__main__":
    # a file's path, or a server's URL (postgresql://…: a Path would fold its '//')
    books = [(name, name) if "://" in name else (Path(name).name, Path(name)) for name in sys.argv[1:]]
    print(report_table([{"size": shown, "reports": time_reports(book)} for shown, book in books]))

"""`python -m bench`: how the desk feels on books of 1k, 10k and 100k prospects, side by side with
a bare Textual app measured in the same run. Builds each big book once (kept in --dir) and prints
median and p95 of every figure. Not a test: the suite stays fast; this is run by hand."""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path

from storage.book.migrations import LATEST

SIZES = {"1k": (1_000, 10_000), "10k": (10_000, 100_000), "100k": (100_000, 1_000_000)}
SEED = 7
COLUMNS, LINES = 160, 45
# words a rep types: a surname, a company word, a common and a rarer note word, a tag, a mail domain
SEARCH_WORDS = "martin,dupont,price,budget,#competitor,gmail"
TARGETS = ("targets on 100k: start ≤ 1.6× bare · j median ≤ 2× bare, p95 ≤ 3× bare · save ≤ 50 ms median, "
           "≤ 100 ms p95 · search p95 ≤ 50 ms · dialog open ≤ 50 ms · memory ≤ bare + 30 MiB")


def spawn(probe_args: list[str], timeout: float = 600.0) -> dict:
    """Run bench.probe on a real terminal of COLUMNS×LINES and return what it measured."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        out_path = out.name
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
    drained = threading.Thread(target=_drain, args=(master,), daemon=True)
    drained.start()
    # BENCH_PTY: the probe writes its keys to the terminal's master side, as the rep's terminal does
    env = {**os.environ, "TERM": "xterm-256color", "BENCH_SPAWNED_AT": repr(time.monotonic()), "BENCH_PTY": str(master)}
    # As on a rep's machine, the program's compiled bytecode is kept and used (the first, uncounted
    # run of each app writes it): with PYTHONDONTWRITEBYTECODE set, as some shells and CI set it,
    # every start compiled the desk's ~200 modules again (~260 ms of the start figure) while the
    # bare app's Textual came precompiled by pip.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "bench.probe", "--out", out_path, *probe_args],
            stdin=slave, stdout=slave, stderr=slave, env=env, timeout=timeout, start_new_session=True, pass_fds=(master,),
        )
        text = Path(out_path).read_text()
        if proc.returncode != 0 or not text:
            raise RuntimeError(f"bench.probe {' '.join(probe_args)} failed (exit {proc.returncode})")
        return json.loads(text)
    finally:
        os.close(slave)
        os.close(master)
        os.unlink(out_path)


def _drain(fd: int) -> None:
    try:
        while os.read(fd, 65536):
            pass
    except OSError:
        pass


def book_for(size: str, folder: Path) -> Path:
    """The big book of that size, built once and kept (its name carries the schema version)."""
    prospects, touches = SIZES[size]
    path = folder / f"book-{prospects}-{touches}-s{SEED}-v{LATEST}.db"
    if not path.exists():
        from bench.bigbook import build_big_book

        print(f"building the {size} book ({prospects:,} prospects, {touches:,} touches) in {path} …", flush=True)
        tmp = path.with_name(path.name + ".building")
        for leftover in folder.glob(tmp.name + "*"):
            leftover.unlink()
        took = build_big_book(tmp, prospects, touches, seed=SEED)["seconds"]
        from storage.book.opening import close_book

        close_book()
        for suffix in ("-wal", "-shm"):
            Path(str(tmp) + suffix).unlink(missing_ok=True)
        tmp.rename(path)
        print(f"  built in {took:.1f} s", flush=True)
    return path


def ms(values: list[float]) -> tuple[float, float]:
    """Median and p95 in milliseconds (p95 by nearest rank)."""
    ordered = sorted(values)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return statistics.median(ordered) * 1000, p95 * 1000


def show(values: list[float]) -> str:
    if not values:
        return "—"
    median, p95 = ms(values)
    return f"{median:.1f} / {p95:.1f}"


def measure(size: str, book: Path | str, args: argparse.Namespace, server: str | None = None) -> dict:
    """Cold starts of the desk and of the bare app, alternating; then one session of each.
    `server`: `book` is the name of a database there (bench.server), not a file."""
    starts: dict[str, list[float]] = {"desk": [], "bare": []}
    peaks: dict[str, list[float]] = {"desk": [], "bare": []}
    firsts: dict[str, list[float]] = {"first_l": [], "first_n": [], "first_o": []}  # a dialog's first open
    from bench.server import work_book

    copy = work_book(size, book, server)  # the saves write to a copy: the kept book stays as built
    work = copy.__enter__()
    try:
        for run in range(args.runs + 1):  # the first of each warms the file cache, and is not counted
            for app in ("bare", "desk"):
                # each fresh session also opens its first dialog: the log form and the new-prospect
                # form in turn (the bare app: its trivial one), once the desk has been up a moment
                first = "o" if app == "bare" else "ln"[run % 2]
                found = spawn(["--app", app, "--first", first] + (["--db", str(work)] if app == "desk" else []))
                if "error" in found:
                    raise RuntimeError(found["error"])
                if run:
                    starts[app].append(found["start"])
                    peaks[app].append(found["start_peak_mib"])
                    firsts[f"first_{first}"] += found[f"first_{first}"]
        bare = spawn(["--app", "bare", "--keys", str(args.keys), "--opens", str(args.opens)])
        desk = spawn([
            "--app", "desk", "--db", str(work), "--keys", str(args.keys), "--opens", str(args.opens),
            "--search", SEARCH_WORDS, "--search-rounds", str(args.search_rounds), "--saves", str(args.saves),
        ])
        from bench.report_timing import time_reports

        timed = time_reports(work)  # the reports' figures (issue 17)
    finally:
        copy.__exit__(None, None, None)
    if "error" in desk or "error" in bare:
        raise RuntimeError(desk.get("error") or bare.get("error"))
    return {
        "size": size, "starts": starts, "start_peaks": peaks, "bare": bare, "desk": desk, "firsts": firsts,
        "reports": timed, "engine": "PostgreSQL" if server else "SQLite",
    }


def report(rows: list[dict]) -> str:
    head = (
        "| book (prospects / touches) | start desk ms | start bare ms | ratio | key j → detail ms | key j, bare app ms "
        "| save → queue ms | search key → results ms | peak MiB desk | peak MiB bare | ratio |"
    )
    lines = [head, "|" + "---|" * 11]
    for row in rows:
        prospects, touches = SIZES[row["size"]]
        desk_start, bare_start = statistics.median(row["starts"]["desk"]), statistics.median(row["starts"]["bare"])
        desk_peak = max(row["desk"]["peak_mib"], max(row["start_peaks"]["desk"]))
        bare_peak = max(row["bare"]["peak_mib"], max(row["start_peaks"]["bare"]))
        lines.append(
            f"| {prospects:,} / {touches:,}{row.get('on', '')} | {show(row['starts']['desk'])} | {show(row['starts']['bare'])} "
            f"| {desk_start / bare_start:.2f}× | {show(row['desk'].get('key', []))} | {show(row['bare'].get('key', []))} "
            f"| {show(row['desk'].get('save', []))} | {show(row['desk'].get('search', []))} "
            f"| {desk_peak:.0f} | {bare_peak:.0f} | {desk_peak / bare_peak:.2f}× (+{desk_peak - bare_peak:.0f}) |"
        )
    lines.append("")
    lines.append("Each cell: median / p95. " + TARGETS + ".")
    extra = [f"key j → detail ready (before the frame), {row['size']}: {show(row['desk'].get('key_ready', []))} ms" for row in rows]
    from bench.report_timing import report_table

    return "\n".join(lines + extra + ["", dialog_report(rows), "", report_table(rows)])


def dialog_report(rows: list[dict]) -> str:
    """Key written to the terminal → the frame with the dialog and the cursor in its first field."""
    lines = [
        "| book | first open, log form (l) ms | first open, new prospect (n) ms | later open l ms | later open n ms "
        "| bare app, first push ms | bare app, later push ms |",
        "|" + "---|" * 7,
    ]
    for row in rows:
        prospects, touches = SIZES[row["size"]]
        firsts = row.get("firsts", {})
        lines.append(
            f"| {prospects:,} / {touches:,}{row.get('on', '')} | {show(firsts.get('first_l', []))} | {show(firsts.get('first_n', []))} "
            f"| {show(row['desk'].get('open_l', []))} | {show(row['desk'].get('open_n', []))} "
            f"| {show(firsts.get('first_o', []))} | {show(row['bare'].get('open_o', []))} |"
        )
    lines.append("")
    lines.append("Dialog open: the key written to the pty → the frame showing the dialog with the cursor in its first "
                 "field; the first of a fresh session, pressed once the desk has been up 1 s. Target: ≤ 50 ms.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    p.add_argument("--sizes", default="1k,10k,100k", help="which books, of: " + ", ".join(SIZES))
    p.add_argument("--dir", default=str(Path(tempfile.gettempdir()) / "followup-bench"), help="where the big books are kept")
    p.add_argument("--runs", type=int, default=9, help="cold starts of each app per book")
    p.add_argument("--keys", type=int, default=200, help="j presses timed per book")
    p.add_argument("--saves", type=int, default=20, help="quick logs timed per book")
    p.add_argument("--search-rounds", type=int, default=3, help="times each search word is typed")
    p.add_argument("--opens", type=int, default=10, help="later opens of each dialog timed per book")
    p.add_argument("--json", metavar="FILE", help="also write every sample here")
    p.add_argument("--server", metavar="URL", help="also build each book on this PostgreSQL server and measure it "
                   "there, beside SQLite (a role that may CREATE DATABASE; default: $FOLLOWUP_BENCH_PG)")
    args = p.parse_args(argv)
    from bench.server import server_book_for, server_of

    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for size in args.sizes.split(","):
        book = book_for(size, folder)
        print(f"measuring the {size} book …", flush=True)
        rows.append(measure(size, book, args))
        server = server_of(args.server)
        if server:  # the same book on the server, side by side (issue 18, point 7)
            rows[-1]["on"] = " · SQLite"
            name = server_book_for(size, server, SIZES, SEED)
            print(f"measuring the {size} book on the server …", flush=True)
            rows.append({**measure(size, name, args, server=server), "on": " · PostgreSQL"})
    print()
    print(f"Followup Desk benchmark · {time.strftime('%Y-%m-%d')} · Python {sys.version.split()[0]} · "
          f"{os.cpu_count()} CPUs · terminal {COLUMNS}×{LINES}")
    print(report(rows))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

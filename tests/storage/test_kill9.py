"""kill -9 loses nothing that was saved (PRODUCT.md §8, issue 12): a child process does what a rep
does (storage.actions: add_prospect, log_touch with a next follow-up) on a real book and prints
each new id once its action has returned, that is once its transaction is committed; it also
prints a mark as each SQL statement starts (SQLite's trace callback). The parent kills it with
SIGKILL at a random point (seeded): after a random number of saved actions, at a random statement
of the next one (BEGIN, a write, the COMMIT, or just after it). Several kills over the same book;
after each, every printed id must be in the book, every action whole (its rows, its derived
fields and its journal entry, or none of them), and PRAGMA integrity_check ok. No sleeps: the
parent waits on the child's output."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEED = 20261130
KILLS = 8

CHILD = """
import datetime as dt, random, sys
from storage import actions
from storage.actions import NextStep
from storage.book.opening import open_book
from storage.book.models import Prospect, database

open_book(sys.argv[1])
database.connection().set_trace_callback(lambda sql: print("sql", flush=True))
rng = random.Random(int(sys.argv[2]))
prospects = [p.id for p in Prospect.select(Prospect.id)]
now = dt.datetime(2026, 11, 23, 8, 30)
print("ready", flush=True)
n = 0
while True:
    n += 1
    step = NextStep(due_at=now + dt.timedelta(days=rng.randint(1, 30)), has_time=False, channel="call")
    if not prospects or rng.random() < 0.3:
        pid = actions.add_prospect({"name": f"Run {sys.argv[2]} prospect {n}", "notes": "x" * rng.randint(0, 3000)}, step)
        prospects.append(pid)
        print(f"prospect {pid}", flush=True)
    else:
        tid = actions.log_touch(rng.choice(prospects), channel="call", outcome="talked",
                                note=" ".join(rng.choice(("price", "budget", "call back", "#hot")) for _ in range(rng.randint(1, 400))),
                                next_step=step)
        print(f"touch {tid}", flush=True)
"""


def run_and_kill(book: Path, seed: int, after: int, statements: int) -> dict[str, list[int]]:
    """Start the child, let it report `after` saved actions, then SIGKILL it as the `statements`-th
    statement after them starts; every id it printed."""
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(book), str(seed)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    printed: dict[str, list[int]] = {"prospect": [], "touch": []}
    try:
        while child.stdout.readline() not in ("ready\n", ""):
            pass  # the statements of opening the book
        saved = started = 0
        while saved < after or started < statements:
            line = child.stdout.readline()
            assert line, f"the child stopped: {child.stderr.read()}"
            if line == "sql\n":
                started += saved >= after
                continue
            kind, number = line.split()
            printed[kind].append(int(number))
            saved += 1
        os.kill(child.pid, signal.SIGKILL)  # while that statement runs, or just after it
    finally:
        if child.poll() is None:
            child.kill()
        rest = child.stdout.read()  # what it printed before the kill reached it: committed too
        child.wait()
        child.stdout.close()
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL
    for line in rest.splitlines():
        if line != "sql":
            kind, number = line.split()
            printed[kind].append(int(number))
    return printed


def book_state(book: Path) -> dict:
    with contextlib.closing(sqlite3.connect(book)) as conn:
        return {
            "integrity": conn.execute("PRAGMA integrity_check").fetchone()[0],
            "prospects": {row[0] for row in conn.execute("SELECT id FROM prospect")},
            "touches": {row[0] for row in conn.execute("SELECT id FROM touch")},
            # derived fields written in the action's transaction: a half action would leave them off
            "off_count": conn.execute(
                "SELECT COUNT(*) FROM prospect p WHERE p.touch_count != (SELECT COUNT(*) FROM touch t WHERE t.prospect_id = p.id)"
            ).fetchone()[0],
            "open_steps": conn.execute(
                "SELECT COUNT(*) FROM (SELECT prospect_id FROM follow_up WHERE done_at IS NULL GROUP BY prospect_id HAVING COUNT(*) != 1)"
            ).fetchone()[0],
            "without_step": conn.execute(
                "SELECT COUNT(*) FROM prospect p WHERE NOT EXISTS (SELECT 1 FROM follow_up f WHERE f.prospect_id = p.id AND f.done_at IS NULL)"
            ).fetchone()[0],
            "journal": dict(conn.execute("SELECT action, COUNT(*) FROM journal GROUP BY action").fetchall()),
        }


@pytest.mark.timeout(300)
def test_kill_9_at_random_points_loses_no_saved_action_and_leaves_the_book_whole(tmp_path):
    from storage.book.opening import close_book, open_book

    book = tmp_path / "book.db"
    open_book(book).close()  # a new book, closed: only the children write
    close_book()
    rng = random.Random(SEED)
    acked: dict[str, set[int]] = {"prospect": set(), "touch": set()}
    runs = []
    for kill in range(KILLS):
        after, statements = rng.randint(1, 60), rng.randint(1, 30)
        printed = run_and_kill(book, rng.randrange(10**6), after, statements)
        for kind, ids in printed.items():
            acked[kind].update(ids)
        state = book_state(book)
        runs.append((after, statements, sum(map(len, printed.values()))))
        assert state["integrity"] == "ok", (kill, state["integrity"])
        assert acked["prospect"] <= state["prospects"], (kill, sorted(acked["prospect"] - state["prospects"]))
        assert acked["touch"] <= state["touches"], (kill, sorted(acked["touch"] - state["touches"]))
        # each action whole or absent: at most the one the kill interrupted was lost, never half of it
        assert state["off_count"] == 0 and state["open_steps"] == 0 and state["without_step"] == 0, (kill, state)
        assert state["journal"].get("add_prospect", 0) == len(state["prospects"]), (kill, state["journal"])
        assert state["journal"].get("log_touch", 0) == len(state["touches"]), (kill, state["journal"])
        assert len(state["prospects"]) - len(acked["prospect"]) + len(state["touches"]) - len(acked["touch"]) <= kill + 1
    # the book opens as a book after it all (its check passes)
    open_book(book)
    close_book()
    assert sum(n for *_, n in runs) >= KILLS

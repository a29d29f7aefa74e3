"""bench/bigbook/: the big-book generator for benchmarks (small sizes here, same code path)."""

from __future__ import annotations

import ast
import contextlib
import importlib
import inspect
import json
import datetime as dt
import os
import sqlite3
import stat
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pendulum
import pytest

from bench.bigbook import BookNotEmpty, build_big_book, main
from storage.reads import queue
from tests.book_checks import derived_mismatches
from storage.book.files import APPLICATION_ID
from storage.book.opening import open_book
from storage.book.models import Prospect
from storage.book.vocabulary import CHANNELS, DIRECTIONS, KINDS, OUTCOMES, STATUSES
from storage.rules.tags import tags_in

NOW = dt.datetime(2026, 11, 23, 8, 30)  # naive UTC: Monday 09:30 in Paris (conftest's FROZEN)
TZ = "Europe/Paris"
PROSPECTS, TOUCHES, SEED = 300, 3000, 5
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    path = tmp_path_factory.mktemp("big") / "big.db"
    result = build_big_book(path, PROSPECTS, TOUCHES, seed=SEED, now=NOW, tz=TZ)
    return path, result


@contextlib.contextmanager
def raw(path: Path):
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        yield conn


def one(conn: sqlite3.Connection, sql: str, *args):
    return conn.execute(sql, args).fetchone()[0]


def dump(path: Path) -> list[str]:
    with raw(path) as conn:
        return list(conn.iterdump())


def test_counts_match_the_arguments_and_ids_are_dense(big):
    path, result = big
    assert (result["prospects"], result["touches"]) == (PROSPECTS, TOUCHES)
    assert result["seconds"] > 0 and result["rows"] == sum(result[k] for k in ("prospects", "touches", "follow_ups", "tags"))
    with raw(path) as conn:
        for table, key in (("prospect", "prospects"), ("touch", "touches"), ("follow_up", "follow_ups"), ("tag", "tags")):
            count, low, high = conn.execute(f'SELECT COUNT(*), MIN(id), MAX(id) FROM "{table}"').fetchone()
            assert count == result[key] and low == 1 and high == count, table


def test_derived_fields_are_what_the_rule_computes(big):
    path, _ = big
    open_book(path)
    assert Prospect.select().count() == PROSPECTS
    assert derived_mismatches() == {}


def test_the_book_checks_out(big):
    path, _ = big
    with raw(path) as conn:
        assert one(conn, "PRAGMA integrity_check") == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert one(conn, "PRAGMA application_id") == APPLICATION_ID
        assert one(conn, "PRAGMA journal_mode") == "wal"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_indexes_and_tables_are_a_fresh_books(big, book):
    path, _ = big
    fresh = book.execute_sql("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").fetchall()
    with raw(path) as conn:
        loaded = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").fetchall()
    assert loaded == fresh
    assert any(row[0] == "index" for row in fresh)


def test_follow_ups_one_open_at_most_none_for_the_dropped(big):
    path, _ = big
    with raw(path) as conn:
        most = one(conn, "SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM follow_up WHERE done_at IS NULL GROUP BY prospect_id)")
        assert most == 1
        assert one(conn, "SELECT COUNT(*) FROM follow_up f JOIN prospect p ON p.id = f.prospect_id"
                         " WHERE f.done_at IS NULL AND p.status = 'dropped'") == 0
        # every follow-up answered by a touch was done by it, at its time
        assert one(conn, "SELECT COUNT(*) FROM touch t JOIN follow_up f ON f.id = t.followup_id"
                         " WHERE f.done_at != t.at OR f.resolution != 'done' OR f.prospect_id != t.prospect_id") == 0
        resolutions = {r for (r,) in conn.execute("SELECT DISTINCT resolution FROM follow_up")}
        assert resolutions == {None, "done", "snoozed", "rescheduled", "closed"}
        assert one(conn, "SELECT COUNT(*) FROM follow_up WHERE promised AND done_at IS NOT NULL AND kept IS NOT NULL") > 0
        assert one(conn, "SELECT COUNT(*) FROM follow_up WHERE created_at > ?", str(NOW)) == 0


def test_touches_in_time_per_prospect_and_in_the_past(big):
    path, _ = big
    with raw(path) as conn:
        rows = conn.execute("SELECT prospect_id, at FROM touch ORDER BY prospect_id, id").fetchall()
        assert one(conn, "SELECT MAX(at) FROM touch") < str(NOW)
        assert one(conn, "SELECT COUNT(*) FROM prospect p WHERE created_at > (SELECT MIN(at) FROM touch t"
                         " WHERE t.prospect_id = p.id)") == 0
        # ids follow time across the book too, as in a book that grew by use
        ats = [at for (at,) in conn.execute("SELECT at FROM touch ORDER BY id")]
        created = [c for (c,) in conn.execute("SELECT created_at FROM prospect ORDER BY id")]
    assert ats == sorted(ats) and created == sorted(created)
    for (p1, a1), (p2, a2) in zip(rows, rows[1:]):
        assert p1 != p2 or a1 <= a2


def test_every_word_of_the_vocabulary_and_every_queue_section_appears(big):
    path, _ = big
    with raw(path) as conn:
        def distinct(sql):
            return {value for (value,) in conn.execute(sql)}

        assert distinct("SELECT DISTINCT status FROM prospect") == set(STATUSES)
        assert distinct("SELECT DISTINCT kind FROM follow_up") == set(KINDS)
        assert distinct("SELECT DISTINCT channel FROM touch") == set(CHANNELS)
        assert distinct("SELECT DISTINCT outcome FROM touch") == set(OUTCOMES)
        assert distinct("SELECT DISTINCT direction FROM touch") == set(DIRECTIONS)
        assert distinct("SELECT DISTINCT channel FROM follow_up") <= set(CHANNELS)
        # won with check-ins, dropped with revisit dates, promised and date-only and timed steps
        assert one(conn, "SELECT COUNT(*) FROM prospect WHERE status = 'won' AND next_kind = 'check-in'") > 0
        assert one(conn, "SELECT COUNT(*) FROM prospect WHERE status = 'dropped' AND revisit_on > ?", str(NOW.date())) > 0
        assert one(conn, "SELECT COUNT(*) FROM prospect WHERE status = 'dropped' AND drop_reason = ''") == 0
        assert one(conn, "SELECT COUNT(*) FROM prospect WHERE status != 'active' AND closed_at IS NULL") == 0
        assert one(conn, "SELECT COUNT(*) FROM prospect WHERE referred_by_id IS NOT NULL") > 0
        assert one(conn, "SELECT COUNT(DISTINCT has_time) FROM follow_up WHERE done_at IS NULL") == 2
        lengths = [n for (n,) in conn.execute("SELECT LENGTH(note) FROM touch")]
    assert min(lengths) == 0 and max(lengths) > 1000 and sum(1 for n in lengths if 40 < n < 400) > TOUCHES // 4
    open_book(path)
    counts = queue.counts(pendulum.instance(NOW, tz="UTC"), TZ)
    assert all(counts[section] > 0 for section in queue.SECTIONS), counts


def test_touches_are_skewed_across_prospects(big):
    path, _ = big
    with raw(path) as conn:
        per = Counter(dict(conn.execute("SELECT id, touch_count FROM prospect")))
    counts = sorted(per.values())
    assert sum(counts) == TOUCHES and max(counts) <= 60
    assert sum(1 for c in counts if c <= 5) > PROSPECTS * 0.4  # many with a few
    assert sum(1 for c in counts if c >= 20) > PROSPECTS * 0.05  # some with 20-60


def test_tags_are_every_tag_of_every_note(big):
    path, _ = big
    with raw(path) as conn:
        expected = sorted(
            (prospect_id, touch_id, name)
            for touch_id, prospect_id, note in conn.execute("SELECT id, prospect_id, note FROM touch")
            for name in tags_in(note)
        )
        stored = sorted(conn.execute("SELECT prospect_id, touch_id, name FROM tag").fetchall())
    assert stored == expected and len(stored) > 100
    assert {"competitor", "price", "feedback"} <= {name for _, _, name in stored}


def test_one_journal_entry_names_the_inserted_id_ranges(big):
    path, result = big
    with raw(path) as conn:
        entries = conn.execute("SELECT action, at, prospect, changes FROM journal").fetchall()
    assert len(entries) == 1
    action, at, prospect, changes = entries[0]
    assert (action, at, prospect) == ("build_big_book", str(NOW), None)
    inserted = {change["table"]: change["inserted"] for change in json.loads(changes)}
    assert inserted == {"prospect": [[1, PROSPECTS]], "follow_up": [[1, result["follow_ups"]]], "touch": [[1, TOUCHES]]}


def _private_names_of_storage(path: Path) -> list[str]:
    """Every `_private` name of a storage module that a file imports or reads: `from storage.x
    import _y`, a `storage._x` module, or `m._y` on a storage module `m` it imported."""
    found: list[str] = []
    modules: dict[str, str] = {}  # local name -> the storage module it is bound to
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))

    def private(name: str) -> bool:
        return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "storage":
                    found += [alias.name for part in alias.name.split(".") if private(part)]
                    if alias.asname:  # import storage.x as y
                        modules[alias.asname] = alias.name
                    else:  # import storage.x binds storage
                        modules["storage"] = "storage"
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "storage":
            found += [node.module for part in node.module.split(".") if private(part)]
            for alias in node.names:
                if private(alias.name):
                    found.append(f"{node.module}.{alias.name}")
                elif inspect.ismodule(getattr(importlib.import_module(node.module), alias.name, None)):
                    modules[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            chain, value = [node.attr], node.value
            while isinstance(value, ast.Attribute):
                chain.insert(0, value.attr)
                value = value.value
            if isinstance(value, ast.Name) and value.id in modules and any(private(part) for part in chain):
                found.append(f"{modules[value.id]}.{'.'.join(chain)} (line {node.lineno})")
    return found


def test_the_big_book_uses_public_names_of_storage_only():
    files = sorted((ROOT / "bench" / "bigbook").glob("*.py"))
    assert len(files) > 3
    assert {str(f.relative_to(ROOT)): _private_names_of_storage(f) for f in files} == {
        str(f.relative_to(ROOT)): [] for f in files
    }


def test_the_public_names_check_finds_private_ones(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import storage.demo as vocab\n"
        "from storage import search\n"
        "from storage.demo.people import _NOT_IN_DOMAINS, slug\n"
        "x = vocab.material._NOTES, search._note_hits, slug('a'), search.reindex\n",
        encoding="utf-8",
    )
    assert _private_names_of_storage(sample) == [
        "storage.demo.people._NOT_IN_DOMAINS",
        "storage.demo.material._NOTES (line 4)",
        "storage.search._note_hits (line 4)",
    ]


def test_same_seed_same_book_other_seed_other_book(tmp_path):
    a, b, c = tmp_path / "a.db", tmp_path / "b.db", tmp_path / "c.db"
    build_big_book(a, 60, 400, seed=11, now=NOW, tz=TZ)
    build_big_book(b, 60, 400, seed=11, now=NOW, tz=TZ)
    build_big_book(c, 60, 400, seed=12, now=NOW, tz=TZ)
    assert dump(a) == dump(b)
    assert dump(a) != dump(c)


def test_now_defaults_to_the_clock(tmp_path, frozen):
    result = build_big_book(tmp_path / "now.db", 10, 40, tz=TZ)
    assert result["prospects"] == 10
    with raw(tmp_path / "now.db") as conn:
        assert {u for (u,) in conn.execute("SELECT DISTINCT updated_at FROM prospect")} == {"2026-11-23 08:30:00"}


def test_an_empty_book_and_zero_touches_work(tmp_path):
    assert build_big_book(tmp_path / "zero.db", 0, 0, now=NOW, tz=TZ)["prospects"] == 0
    result = build_big_book(tmp_path / "few.db", 20, 0, now=NOW, tz=TZ)
    assert (result["prospects"], result["touches"]) == (20, 0)
    with pytest.raises(ValueError):
        build_big_book(tmp_path / "bad.db", 0, 5, now=NOW, tz=TZ)


def test_refuses_a_book_with_prospects(big):
    path, _ = big
    before = dump(path)
    with pytest.raises(BookNotEmpty):
        build_big_book(path, 5, 10, now=NOW, tz=TZ)
    assert dump(path) == before


def test_cli_writes_and_prints_one_line(tmp_path, capsys):
    assert main(["--db", str(tmp_path / "cli.db"), "--prospects", "30", "--touches", "200", "--seed", "3",
                 "--now", "2026-11-23T08:30:00", "--tz", TZ]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "30 prospects" in out and "200 touches" in out and "rows/s" in out


def test_cli_refuses_a_non_empty_book_with_exit_2_and_one_line(big):
    path, _ = big
    before = dump(path)
    done = subprocess.run(
        [sys.executable, "-m", "bench.bigbook", "--db", str(path), "--prospects", "5", "--touches", "10"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and "already has prospects" in done.stderr
    assert dump(path) == before

"""The storage suite runs on both engines: a test that takes `book` runs once on a SQLite file and,
in the modules of ON_BOTH_ENGINES, once more on a database of a PostgreSQL server
(tests/server_books.py). Tests read what is committed through a second connection of the book's
own engine (tests/storage/on_disk.py), tell desks apart as the engine does (desks.py: a role on a
server), and check plans with either engine's EXPLAIN (query_plans.py). A test about what only a
file has (WAL, pragmas, the file's mode and header, a full disk, a copy of the file) takes
`file_book`. Every module whose tests take `book` is here but test_team (its book test is about
a file's one rep; the team's are on a server only); the others take
`file_book` or no book at all (the rules)."""

from __future__ import annotations

import pytest

from storage.book.opening import open_book
from tests.server_books import server_book_url, server_template  # noqa: F401  (fixtures)

ON_BOTH_ENGINES = {
    "test_concurrency", "test_concurrency_schema", "test_demo", "test_exports", "test_import_csv", "test_import_real_csv", "test_import_vcard",
    "test_import_vcard_real", "test_last_touch", "test_log_touch", "test_plans", "test_queue_order", "test_queue_counts", "test_stopping",
    "test_rep_zone_rules", "test_search", "test_search_input",
    # the rest of the suite (their helpers read the book through the engine: on_disk.py)
    "test_actions", "test_undo", "test_next_step", "test_closing", "test_drop_reasons", "test_journal",
    "test_drafts", "test_imports", "test_queue", "test_closed", "test_today_progress", "test_filters",
    "test_book_json_days", "test_state_machine", "test_state_machine_undo", "test_db", "test_changes",
    "test_refused_half_way", "test_book_json", "test_reports", "test_report_figures",
}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "book" in metafunc.fixturenames:
        module = metafunc.module.__name__.rpartition(".")[2]
        engines = ["sqlite", "postgresql"] if module in ON_BOTH_ENGINES else ["sqlite"]
        metafunc.parametrize("book", engines, indirect=True)


@pytest.fixture
def file_book(tmp_path):
    """A new, empty book in a SQLite file."""
    db = open_book(tmp_path / "book.db")
    yield db
    db.close()


@pytest.fixture
def book(request, tmp_path):
    """A new, empty book: a SQLite file, or a database on the PostgreSQL server."""
    if getattr(request, "param", "sqlite") == "sqlite":
        db = open_book(tmp_path / "book.db")
    else:
        db = open_book(request.getfixturevalue("server_book_url"))
    yield db
    db.close()

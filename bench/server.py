"""The bench on a PostgreSQL server (issue 18, point 7): `python -m bench --server URL` (or
FOLLOWUP_BENCH_PG) builds each big book on the server too, a database of its own, and measures the
same figures against it beside SQLite's.

URL names a server and a database the bench may connect to as a role that can CREATE DATABASE
(e.g. the `postgres` maintenance database). Each big book is written once by bench.bigbook through
the book's own bulk load (the engine's insert_rows), then VACUUM ANALYZE'd as a server that has run
a while would have it, and kept under a name that carries its size, seed and schema version. The
saves write to a copy (CREATE DATABASE … TEMPLATE: the kept book stays as built), dropped after."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

from storage.book.migrations import LATEST

ENV = "FOLLOWUP_BENCH_PG"


def server_of(given: str | None) -> str | None:
    return given or os.environ.get(ENV) or None


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def _admin(url: str, *statements: str) -> list[tuple]:
    """Statements outside a transaction (CREATE/DROP DATABASE, VACUUM); the last one's rows."""
    import psycopg

    rows: list[tuple] = []
    with psycopg.connect(url, autocommit=True) as conn:
        for sql in statements:
            cur = conn.execute(sql)
            rows = cur.fetchall() if cur.description else []
    return rows


def _exists(url: str, name: str) -> bool:
    return bool(_admin(url, f"SELECT 1 FROM pg_database WHERE datname = '{name}'"))


def server_book_for(size: str, url: str, sizes: dict[str, tuple[int, int]], seed: int) -> str:
    """The name of the big book of that size on the server, built once and kept."""
    prospects, touches = sizes[size]
    name = f"followup_bench_{prospects}_{touches}_s{seed}_v{LATEST}"
    if _exists(url, name):
        return name
    from bench.bigbook import build_big_book
    from storage.book.opening import close_book, shown_url

    building = name + "_building"
    print(f"building the {size} book on {shown_url(url)} ({prospects:,} prospects, {touches:,} touches) as {name} …",
          flush=True)
    _admin(url, f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)', f'CREATE DATABASE "{building}"')
    took = build_big_book(with_database(url, building), prospects, touches, seed=seed)["seconds"]
    close_book()
    started = time.perf_counter()
    _admin(with_database(url, building), "VACUUM ANALYZE")
    _admin(url, f'ALTER DATABASE "{building}" RENAME TO "{name}"')
    print(f"  built in {took:.1f} s, VACUUM ANALYZE {time.perf_counter() - started:.1f} s", flush=True)
    return name


@contextmanager
def work_copy(url: str, name: str, size: str) -> Iterator[str]:
    """A copy of the kept book for the saves to write to: its URL, dropped after."""
    work = f"followup_bench_work_{size}"
    _admin(url, f'DROP DATABASE IF EXISTS "{work}" WITH (FORCE)', f'CREATE DATABASE "{work}" TEMPLATE "{name}"')
    try:
        yield with_database(url, work)
    finally:
        from storage.book.opening import close_book

        close_book()
        _admin(url, f'DROP DATABASE IF EXISTS "{work}" WITH (FORCE)')


@contextmanager
def work_book(size: str, book, server: str | None = None) -> Iterator[str]:
    """What a bench run writes to: a copy of the kept book (a file beside it, or a database on the
    server made from it), removed after; the kept book stays as built."""
    if server is not None:
        with work_copy(server, book, size) as url:
            yield url
        return
    import shutil
    from pathlib import Path

    work = Path(book).with_name(f"work-{size}.db")
    for suffix in ("", "-wal", "-shm"):
        Path(str(work) + suffix).unlink(missing_ok=True)
    shutil.copyfile(book, work)
    os.chmod(work, 0o600)
    try:
        yield str(work)
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(str(work) + suffix).unlink(missing_ok=True)

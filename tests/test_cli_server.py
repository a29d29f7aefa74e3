"""The command line on a server book (issue 18, point 1): credentials come from libpq's standard
places (~/.pgpass or PGPASSFILE, a service file), never from the command line; the book's URL is
never shown with a password."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.server_books import server_book_url, server_template  # noqa: F401  (fixtures)
from tui.cli import main

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("url", ["postgresql://rep:s3cret@localhost:1/book", "postgres://rep:s3cret@/book?host=/tmp",
                                 "postgresql://localhost:1/book?password=s3cret"])
def test_a_password_on_the_command_line_is_refused_before_any_connection(url, capsys, tmp_path):
    assert main(["--db", url, "due"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "~/.pgpass" in err and "s3cret" not in err, err


def test_the_book_is_reached_through_a_service_file_and_a_password_file(server_book_url, tmp_path, monkeypatch, capsys):
    parts = urlsplit(server_book_url)
    services = tmp_path / "pg_service.conf"
    services.write_text(f"[team]\nhost={parts.hostname}\nport={parts.port}\ndbname={parts.path.lstrip('/')}\n"
                        f"user={parts.username}\n")
    passwords = tmp_path / "pgpass"  # libpq reads it (the test server trusts, so any password does)
    passwords.write_text(f"{parts.hostname}:{parts.port}:*:{parts.username}:from-the-file\n")
    passwords.chmod(0o600)
    monkeypatch.setenv("PGSERVICEFILE", str(services))
    monkeypatch.setenv("PGPASSFILE", str(passwords))
    assert main(["--db", "postgresql:///?service=team", "due", "--json"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("{") and "from-the-file" not in out + err, err


def test_only_postgresql_servers_are_books(capsys):
    assert main(["--db", "mysql://rep@host/book", "due"]) == 2
    err = capsys.readouterr().err
    assert "mysql:// is not supported" in err and err.count("\n") == 1, err


# Peewee imports psycopg as it is imported; storage keeps it out of sight (storage/__init__.py), so
# a desk on a file starts without the driver (60 ms, ~10 MiB), and a server book brings its own
# (storage/book/server_driver.py). Each in a fresh process: the import order is the command's own.
WHAT_WAS_LOADED = (
    "import sys; from tui.cli import main; code = main(sys.argv[1:]); import peewee; "
    "print('driver:', sorted({m.split('.')[0] for m in sys.modules if m.startswith('psycopg')}), "
    "'peewee saw it:', peewee.psycopg is not None); sys.exit(code)"
)


def _fresh_process(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", WHAT_WAS_LOADED, *args], capture_output=True, text=True, timeout=120,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdin=subprocess.DEVNULL)


def test_a_book_in_a_file_never_loads_the_server_driver(tmp_path):
    done = _fresh_process("--demo", "--db", str(tmp_path / "demo.db"), "due", "--json")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("{") and done.stdout.rstrip().endswith("driver: [] peewee saw it: False"), done.stdout[-200:]


def test_a_server_book_brings_its_driver_though_peewee_never_saw_it(server_book_url):
    done = _fresh_process("--db", server_book_url, "due", "--json")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("{") and "driver: ['psycopg'" in done.stdout and "peewee saw it: False" in done.stdout, done.stdout[-300:]

"""The desk's first read runs on a thread of its own (tui/first_read.py): whatever goes wrong there,
closing its connection included, waits in its future for the desk, and nothing escapes the thread."""

from __future__ import annotations

import contextlib
import threading

import pytest

from tui import first_read


def test_a_failure_closing_the_connection_waits_in_the_future(book, monkeypatch):
    escaped: list = []
    monkeypatch.setattr(threading, "excepthook", escaped.append)

    @contextlib.contextmanager
    def closed_meanwhile():
        yield
        raise IndexError("pop from empty list")  # what peewee says when the book closed while it read

    monkeypatch.setattr(first_read, "connection", closed_meanwhile)
    future = first_read.start_first_read("Europe/Paris")
    with pytest.raises(IndexError):
        future.result(timeout=30)
    for thread in threading.enumerate():
        if thread.name == "first read":
            thread.join(30)
    assert escaped == []

"""Snapshots of the real screens on the demo book, with time frozen and a fixed seed, at the
two sizes the desk promises: pleasant at 160×45, usable at 80×24."""

from __future__ import annotations

import datetime as dt

import pytest

from storage.db import open_book
from storage.demo import DEMO_SEED, build_demo
from tests.conftest import FROZEN
from tests.tui.conftest import desk_app

SIZES = [pytest.param((160, 45), id="160x45"), pytest.param((80, 24), id="80x24")]
NOW = dt.datetime(2026, 11, 23, 8, 30)  # FROZEN, in naive UTC


@pytest.fixture
def demo(tmp_path, frozen):
    assert FROZEN.in_timezone("UTC").naive() == NOW
    open_book(tmp_path / "demo.db")
    build_demo(seed=DEMO_SEED, now=NOW)


@pytest.mark.parametrize("size", SIZES)
def test_desk(demo, snap_compare, size):
    assert snap_compare(desk_app(), terminal_size=size, press=["j", "j"])


@pytest.mark.parametrize("size", SIZES)
def test_quick_log_form(demo, snap_compare, size):
    assert snap_compare(desk_app(), terminal_size=size, press=["l", *"Sent the revised quote"])


@pytest.mark.parametrize("size", SIZES)
def test_drop_dialog(demo, snap_compare, size):
    assert snap_compare(desk_app(), terminal_size=size, press=["x", *"Budget frozen", "tab", "tab", *"3m"])


@pytest.mark.parametrize("size", SIZES)
def test_help(demo, snap_compare, size):
    assert snap_compare(desk_app(), terminal_size=size, press=["question_mark"])


def test_empty_book(book, frozen, snap_compare):
    assert snap_compare(desk_app(), terminal_size=(80, 24))

"""A team's desks writing at once, each as its own server role (issue 18: "N desks × M writes … as
different roles"): two reps and a manager, each desk a process of its own connected as its rep,
logging touches to the team's shared prospects at the same moment. Nothing lost or doubled, each
rep's entries under their own name, one open follow-up per prospect. Server only: a file has one
rep."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import uuid
from collections import Counter
from urllib.parse import urlsplit

import pytest

from storage import actions
from storage.actions import NextStep
from storage.actions.owners import assign
from storage.book.models import FollowUp, Journal, Prospect, Touch
from storage.book.opening import close_book, open_book
from tests.book_checks import derived_mismatches
from tests.server_books import admin
from tests.team_books import SERVER_ROLES, as_user

pytestmark = SERVER_ROLES

NOW = dt.datetime(2026, 11, 23, 8, 30)
PROSPECTS, WRITES = 3, 6  # each desk logs WRITES touches to each shared prospect

# one rep's desk: opens the book as its role, waits for the word, logs, says what it did
_DESK = """
import datetime as dt, sys
from storage import actions
from storage.actions import NextStep
from storage.book.opening import open_book, close_book

url, people, writes = sys.argv[1], [int(p) for p in sys.argv[2].split(",")], int(sys.argv[3])
now = dt.datetime(2026, 11, 23, 8, 30)
open_book(url)
print("ready", flush=True)
sys.stdin.readline()
for write in range(writes):
    for prospect in people[write % len(people):] + people[:write % len(people)]:
        actions.log_touch(prospect, channel="call", outcome="no answer", note=f"#{write}",
                          next_step=NextStep(due_at=now + dt.timedelta(days=2 + write)), now=now)
close_book()
print("done", flush=True)
"""


@pytest.fixture
def reps(server_book_url):
    tag = uuid.uuid4().hex[:6]
    names = {f"alice_{tag}": "followup_rep", f"bob_{tag}": "followup_rep", f"maria_{tag}": "followup_manager"}
    for name, group in names.items():
        admin(f"CREATE ROLE {name} LOGIN IN ROLE {group}")
    try:
        yield server_book_url, list(names)
    finally:
        close_book()
        database = urlsplit(server_book_url).path.lstrip("/")
        admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')  # before its roles
        for name in names:
            admin(f"DROP ROLE IF EXISTS {name}")


def test_two_reps_and_a_manager_logging_to_shared_prospects_at_once_lose_and_double_nothing(reps):
    url, names = reps
    open_book(url)  # the team's administrator shares the prospects
    people = [actions.add_prospect({"name": f"Shared {n}"}, NextStep(due_at=NOW + dt.timedelta(days=1)), now=NOW)
              for n in range(PROSPECTS)]
    for prospect in people:
        assign(prospect, None, now=NOW)
    close_book()
    desks = [subprocess.Popen([sys.executable, "-c", _DESK, as_user(url, name), ",".join(map(str, people)), str(WRITES)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for name in names]
    for desk in desks:
        assert desk.stdout.readline().strip() == "ready", desk.stderr.read()[-600:]
    for desk in desks:  # all at once, each with its book open
        desk.stdin.write("go\n")
        desk.stdin.flush()
    results = [desk.communicate(timeout=300) for desk in desks]
    assert [out.strip() for out, _ in results] == ["done"] * len(names), [err[-600:] for _, err in results]

    open_book(url)
    each = len(names) * WRITES
    assert Counter(p for (p,) in Touch.select(Touch.prospect).tuples()) == {p: each for p in people}
    assert {p.id: p.touch_count for p in Prospect.select()} == {p: each for p in people}
    logged = Journal.select(Journal.who).where(Journal.action == "log_touch").tuples()
    assert Counter(who for (who,) in logged) == {name: PROSPECTS * WRITES for name in names}
    assert Counter(s.prospect_id for s in FollowUp.select().where(FollowUp.done_at.is_null())) == {p: 1 for p in people}
    assert derived_mismatches() == {}

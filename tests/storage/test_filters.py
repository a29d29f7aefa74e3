"""storage.queue.Filter: each way of narrowing the queue, alone and together, through indexes."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest

from storage import actions
from storage.reads import queue
from storage.actions import NextStep
from storage.book.models import Prospect, database
from storage.reads.queue import Filter
from tests.storage.query_plans import plan_of

TZ = "Europe/Paris"
NOW = pendulum.datetime(2026, 11, 23, 9, 30, tz=TZ)
UTC_NOW = dt.datetime(2026, 11, 23, 8, 30)


def due(days: int, **kw) -> NextStep:
    return NextStep(due_at=UTC_NOW + dt.timedelta(days=days), **kw)


@pytest.fixture
def people(book):
    ids = {
        "ann": actions.add_prospect({"name": "Ann", "deal_value": 500}, due(1, channel="email", kind="referral"), now=UTC_NOW),
        "bob": actions.add_prospect({"name": "Bob", "deal_value": 5000}, due(-2, channel="call", promised=True), now=UTC_NOW),
        "cy": actions.add_prospect({"name": "Cy", "deal_value": 50000}, due(10, channel="email"), now=UTC_NOW),
        "dee": actions.add_prospect({"name": "Dee", "deal_value": 800}, due(30, channel="text", kind="check-in"), now=UTC_NOW),
        "eve": actions.add_prospect({"name": "Eve", "deal_value": 900}, now=UTC_NOW),
    }
    actions.log_touch(ids["cy"], channel="call", outcome="talked", note="Contoso is cheaper #competitor",
                      next_step=due(10, channel="email"), now=UTC_NOW)
    actions.close_won(ids["dee"], due(30, channel="text", kind="check-in"), now=UTC_NOW)
    return ids


def names(narrow: Filter) -> set[str]:
    found = set()
    for section in queue.SECTIONS:
        found |= {row.name for row in queue.page(section, 0, 100, NOW, TZ, narrow)}
    counted = sum(queue.counts(NOW, TZ, narrow).values())
    assert counted == len(found)  # the counts agree with the pages
    return found


@pytest.mark.parametrize(
    "narrow, expected",
    [
        (Filter(), {"Ann", "Bob", "Cy", "Dee", "Eve"}),
        (Filter(kind="referral"), {"Ann"}),
        (Filter(channel="email"), {"Ann", "Cy"}),
        (Filter(status="won"), {"Dee"}),
        (Filter(tag="competitor"), {"Cy"}),
        (Filter(tag="#Competitor"), {"Cy"}),
        (Filter(promised_only=True), {"Bob"}),
        (Filter(min_value=900), {"Bob", "Cy", "Eve"}),
        (Filter(max_value=800), {"Ann", "Dee"}),
        (Filter(min_value=600, max_value=5000), {"Bob", "Dee", "Eve"}),
        (Filter(channel="email", min_value=1000), {"Cy"}),
        (Filter(kind="referral", channel="call"), set()),
    ],
)
def test_each_filter_narrows_the_queue_and_its_counts(people, narrow, expected):
    assert names(narrow) == expected


def test_a_filter_describes_itself_for_the_queue_title():
    assert Filter(kind="referral", tag="price", promised_only=True, min_value=1000).describe() == (
        "referral · #price · promised · value 1,000–…"
    )
    assert not Filter()


def test_locate_respects_the_filter(people):
    assert queue.locate(people["cy"], NOW, TZ, Filter(channel="email")) == ("later", 0)
    assert queue.locate(people["bob"], NOW, TZ, Filter(channel="email")) is None


def test_filtered_queue_queries_use_indexes(people):
    narrow = Filter(kind="referral", channel="email", tag="competitor", min_value=10)
    bounds = queue.section_bounds(NOW, TZ)
    query = Prospect.select().where(queue._where("later", bounds, narrow)).order_by(*queue._order("later"))
    sql, params = query.sql()
    plan = plan_of(database.obj, sql, params)  # tests/storage/query_plans.py: either engine's plan
    assert not plan.full_scans, plan

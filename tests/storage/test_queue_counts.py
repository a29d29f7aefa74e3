"""How the queue's sections are counted (storage/reads/queue.py `counts`): in parts, the middle of
each dated section a bare range of the queue index, which a book of 100,000 prospects counts in
9 ms instead of 13 (issue 14, point 7: the queue is read again after every save). The parts must
add up to exactly the rule the sections are read by (`section_condition`), in every zone, at every
moment of the day, with date-only and timed steps crowding each edge."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from storage.book.models import Prospect
from storage.reads import queue
from tests.storage.test_queue import put

# Zones at the far ends of the offsets and across a DST change: each section's edges then lie
# up to 14 hours either side of its dates.
ZONES = ("UTC", "Europe/Paris", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Etc/GMT+12", "America/St_Johns",
         "Australia/Lord_Howe", "Asia/Kathmandu")
FIRST = dt.datetime(2026, 11, 18)


@pytest.fixture(autouse=True)
def _still(frozen):
    yield


def _crowded_edges() -> None:
    """Every 5 hours for 17 days, from 5 days before the moments the test takes: a timed step on
    the hour, one on the hour's last second, and a date-only step for each day, some promised."""
    for hour in range(0, 17 * 24, 5):
        moment = FIRST + dt.timedelta(hours=hour)
        put(f"t{hour}", moment, has_time=True, promised=hour % 35 == 0)
        put(f"s{hour}", moment + dt.timedelta(seconds=-1), has_time=True)
        if hour % 24 < 5:
            put(f"d{hour}", dt.datetime(moment.year, moment.month, moment.day, 12), promised=hour % 48 == 0)
    put("no step")


def _by_the_rule(now: pendulum.DateTime, tz: str) -> dict[str, int]:
    return {section: Prospect.select().where(queue.section_condition(section, now, tz)).count() for section in queue.SECTIONS}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    minutes=st.integers(min_value=5 * 24 * 60, max_value=11 * 24 * 60),
    seconds=st.sampled_from([0, 1, 59]),
    tz=st.sampled_from(ZONES),
)
@example(minutes=5 * 24 * 60, seconds=0, tz="Pacific/Kiritimati")  # the first moment, at +14
@example(minutes=6 * 24 * 60 + 23 * 60 + 59, seconds=59, tz="Etc/GMT+12")  # a day's last second, at -12
def test_the_counts_in_parts_add_up_to_each_sections_rule(book, minutes, seconds, tz):
    if Prospect.select().count() == 0:  # the book is the fixture's, for all examples
        _crowded_edges()
    now = pendulum.instance(FIRST, tz="UTC").add(minutes=minutes, seconds=seconds).in_timezone(tz)
    counted = queue.counts(now, tz)
    assert counted == _by_the_rule(now, tz)
    assert sum(counted.values()) == Prospect.select().count()  # everyone is in one section


def test_a_filtered_queue_is_counted_in_parts_too(book):
    _crowded_edges()
    narrow = queue.Filter(promised_only=False, min_value=0, kind="new prospect")
    now = pendulum.datetime(2026, 11, 24, 23, 30, tz="Asia/Kathmandu")
    counted = queue.counts(now, "Asia/Kathmandu", narrow)
    assert counted == {
        section: Prospect.select().where(queue.section_condition(section, now, "Asia/Kathmandu", narrow)).count()
        for section in queue.SECTIONS
    }
    assert counted["later"] > 0 and counted["overdue"] > 0 and counted["today"] > 0


def test_the_middle_of_a_section_is_counted_without_testing_each_step(file_book):
    """SQLite's own count of the instructions it ran (a progress handler called at each): a
    count that tests every step's has_time and bounds ran 14 instructions a step (measured);
    the middle of a section, read as a bare range of the index, runs 5."""
    steps = 3000
    start = dt.datetime(2026, 12, 10)  # a Thursday past the week ahead: all in Later
    with file_book.atomic():
        for number in range(steps):
            has_time = number % 2 == 0
            due = start + dt.timedelta(minutes=37 * number) if has_time else dt.datetime(2026, 12, 10 + number % 15, 12)
            put(f"p{number}", due, has_time=has_time)
    now = pendulum.datetime(2026, 11, 23, 9, 30, tz="Europe/Paris")
    ran = [0]

    def tick() -> int:
        ran[0] += 1
        return 0

    file_book.connection().set_progress_handler(tick, 1)
    try:
        counted = queue.counts(now, "Europe/Paris")
    finally:
        file_book.connection().set_progress_handler(None, 1)
    assert counted["later"] == steps
    assert ran[0] < 8 * steps, f"{ran[0]} instructions to count {steps} steps"

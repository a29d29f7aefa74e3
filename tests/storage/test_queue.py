"""storage/queue.py (and the reads the desk makes beside it): which section each follow-up is in,
in what order, a page at a time, seen from the rep's own time zone; and every one of those reads goes
through an index (PRODUCT.md §2, §4, §8)."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Iterator

import peewee as pw
import pendulum
import pytest

from storage import actions
from storage.reads import queue
from storage.reads import prospect as reads
from storage.actions import NextStep
from storage.book.models import Prospect
from tests.storage.desks import rep_of
from tests.storage.query_plans import Plan, plan_of

TZ = "Europe/Paris"
NOW = pendulum.datetime(2026, 11, 23, 9, 30, tz=TZ)  # Monday
ADDED = dt.datetime(2026, 11, 1, 9, 0)  # when the test prospects were entered (naive UTC)


@pytest.fixture(autouse=True)
def _still(frozen):
    """The queue takes `now` explicitly; the clock is frozen too, so nothing can read the real one."""
    yield


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, *, tz: str = TZ) -> dt.datetime:
    """A local wall-clock moment in `tz` as the naive UTC the book stores."""
    moment = pendulum.datetime(year, month, day, hour, minute, second, tz=tz).in_timezone("UTC")
    return dt.datetime(moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def day(year: int, month: int, day: int) -> dt.datetime:
    """A date-only due as the book keeps it: the date, the same in every zone (dates.stored)."""
    return dt.datetime(year, month, day, 12)


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, *, tz: str = TZ) -> pendulum.DateTime:
    return pendulum.datetime(year, month, day, hour, minute, second, tz=tz)


def put(
    name: str,
    due: dt.datetime | None = None,
    *,
    has_time: bool = False,
    promised: bool = False,
    value: int = 0,
    status: str = "active",
    channel: str = "call",
    kind: str = "new prospect",
) -> int:
    """A prospect with its next step due at `due` (naive UTC); won prospects keep it as a check-in."""
    step = None if due is None else NextStep(due_at=due, has_time=has_time, promised=promised, channel=channel, kind=kind)
    if status == "active":
        return actions.add_prospect({"name": name, "deal_value": value, "preferred_channel": "email"}, step, now=ADDED)
    prospect_id = actions.add_prospect({"name": name, "deal_value": value}, None, now=ADDED)
    if status == "won":
        actions.close_won(prospect_id, step, now=ADDED)
    else:
        assert step is None, "a dropped prospect has no next step"
        actions.drop(prospect_id, "No budget", now=ADDED)
    return prospect_id


def names(section: str, now: pendulum.DateTime = NOW, tz: str = TZ, offset: int = 0, limit: int = 1000) -> list[str]:
    return [row.name for row in queue.page(section, offset, limit, now, tz)]


def section_of(prospect_id: int, now: pendulum.DateTime, tz: str = TZ) -> str | None:
    found = queue.locate(prospect_id, now, tz)
    return found[0] if found else None


def whole_queue(now: pendulum.DateTime = NOW, tz: str = TZ) -> dict[str, list[str]]:
    return {section: names(section, now, tz) for section in queue.SECTIONS}


# --- a populated book, Monday 23 November 2026, 09:30 in Paris ---------------------------------


@pytest.fixture
def desk(book) -> dict[str, int]:
    ids = {}
    # promised: whatever their date, and whatever the prospect's status
    ids["promised-late"] = put("promised-late", utc(2026, 11, 20, 10), has_time=True, promised=True, value=100)
    ids["promised-far"] = put("promised-far", day(2026, 12, 20), promised=True)
    ids["promised-won"] = put("promised-won", day(2026, 12, 1), promised=True, status="won", kind="check-in")
    # overdue: before today's local midnight
    ids["overdue-old"] = put("overdue-old", day(2026, 11, 2))
    ids["overdue-yesterday"] = put("overdue-yesterday", day(2026, 11, 22))
    ids["overdue-last-minute"] = put("overdue-last-minute", utc(2026, 11, 22, 23, 59, 59), has_time=True)
    # and a timed step of today whose time has passed (08:00, at 09:30)
    ids["overdue-this-morning"] = put("overdue-this-morning", utc(2026, 11, 23, 8), has_time=True)
    # today: from local midnight to the next; a timed step until its time has passed
    ids["today-midnight"] = put("today-midnight", day(2026, 11, 23))
    ids["today-evening"] = put("today-evening", utc(2026, 11, 23, 18), has_time=True, value=50)
    ids["today-last"] = put("today-last", utc(2026, 11, 23, 23, 59, 59), has_time=True)
    # upcoming: the next 7 days, Tuesday 24 to Monday 30
    ids["upcoming-first"] = put("upcoming-first", day(2026, 11, 24))
    ids["won-checkin"] = put("won-checkin", utc(2026, 11, 25, 11), has_time=True, status="won", kind="check-in")
    ids["upcoming-last"] = put("upcoming-last", utc(2026, 11, 30, 23, 59, 59), has_time=True)
    # later: from Tuesday 1 December
    ids["later-first"] = put("later-first", day(2026, 12, 1))
    ids["later-far"] = put("later-far", day(2027, 6, 1))
    # no next step: active only
    ids["no-step-small"] = put("no-step-small", value=500)
    ids["no-step-big"] = put("no-step-big", value=9000)
    # not queued at all
    ids["won-done"] = put("won-done", status="won")
    ids["dropped"] = put("dropped", status="dropped")
    return ids


EXPECTED = {
    "promised": ["promised-late", "promised-won", "promised-far"],
    "overdue": ["overdue-old", "overdue-yesterday", "overdue-last-minute", "overdue-this-morning"],
    "today": ["today-midnight", "today-evening", "today-last"],
    "upcoming": ["upcoming-first", "won-checkin", "upcoming-last"],
    "later": ["later-first", "later-far"],
    "no_step": ["no-step-big", "no-step-small"],
}


def test_each_section_holds_exactly_its_follow_ups_in_order(desk):
    assert whole_queue() == EXPECTED


def test_counts_agree_with_the_sections(desk):
    assert queue.counts(NOW, TZ) == {section: len(rows) for section, rows in EXPECTED.items()}
    assert list(queue.counts(NOW, TZ)) == list(queue.SECTIONS)


def test_promised_follow_ups_go_to_promised_whatever_their_date(desk):
    for name in ("promised-late", "promised-far", "promised-won"):
        assert section_of(desk[name], NOW) == "promised"
    # and nowhere else
    dated = [n for s in ("overdue", "today", "upcoming", "later") for n in names(s)]
    assert not [n for n in dated if n.startswith("promised")]


def test_no_next_step_holds_only_active_prospects_without_a_follow_up(desk):
    rows = queue.page("no_step", 0, 100, NOW, TZ)
    assert [r.name for r in rows] == ["no-step-big", "no-step-small"]
    assert {r.status for r in rows} == {"active"}
    assert section_of(desk["won-done"], NOW) is None
    assert section_of(desk["dropped"], NOW) is None
    everything = [n for rows in whole_queue().values() for n in rows]
    assert "won-done" not in everything and "dropped" not in everything


def test_a_won_prospect_with_a_check_in_appears_in_a_dated_section(desk):
    assert section_of(desk["won-checkin"], NOW) == "upcoming"
    [row] = [r for r in queue.page("upcoming", 0, 100, NOW, TZ) if r.prospect_id == desk["won-checkin"]]
    assert (row.status, row.kind, row.has_time, row.due_at) == ("won", "check-in", True, utc(2026, 11, 25, 11))


def test_a_queue_row_carries_what_the_desk_shows(desk, book):
    [row] = [r for r in queue.page("promised", 0, 100, NOW, TZ) if r.name == "promised-late"]
    # whose it is: nobody's on a file (one rep); on a server, the rep who added it (the connected role)
    owner = None if isinstance(book, pw.SqliteDatabase) else rep_of(book)
    assert row == queue.QueueRow(
        prospect_id=desk["promised-late"],
        name="promised-late",
        company="",
        status="active",
        deal_value=100,
        touch_count=0,
        unanswered_streak=0,
        due_at=utc(2026, 11, 20, 10),
        has_time=True,
        promised=True,
        channel="call",
        kind="new prospect",
        owner=owner,
    )
    [no_step] = [r for r in queue.page("no_step", 0, 100, NOW, TZ) if r.name == "no-step-big"]
    assert (no_step.due_at, no_step.has_time, no_step.promised, no_step.channel, no_step.kind) == (None, False, False, "email", "")


def test_locate_gives_the_page_position_of_every_queued_prospect(desk):
    queued = 0
    for name, prospect_id in desk.items():
        found = queue.locate(prospect_id, NOW, TZ)
        if found is None:
            assert name in ("won-done", "dropped")
            continue
        section, offset = found
        assert (section, offset) == (section, EXPECTED[section].index(name))
        [row] = queue.page(section, offset, 1, NOW, TZ)
        assert row.prospect_id == prospect_id
        queued += 1
    assert queued == sum(queue.counts(NOW, TZ).values())
    assert queue.locate(99999, NOW, TZ) is None


# --- order within a section -------------------------------------------------------------------


def test_a_section_is_ordered_by_due_time_then_largest_deal_then_id(book):
    ten = utc(2026, 11, 23, 10)
    small = put("ten-small", ten, has_time=True, value=100)
    put("ten-big-first", ten, has_time=True, value=5000)
    put("ten-big-second", ten, has_time=True, value=5000)
    put("nine-tiny", utc(2026, 11, 23, 9, 45), has_time=True, value=1)
    put("eleven-huge", utc(2026, 11, 23, 11), has_time=True, value=10**9)
    assert names("today") == ["nine-tiny", "ten-big-first", "ten-big-second", "ten-small", "eleven-huge"]
    assert queue.locate(small, NOW, TZ) == ("today", 3)


def test_promised_is_ordered_by_due_time_then_largest_deal(book):
    put("p-next-week", day(2026, 11, 30), promised=True, value=10**6)
    put("p-overdue-small", day(2026, 11, 20), promised=True, value=10)
    put("p-overdue-big", day(2026, 11, 20), promised=True, value=20)
    assert names("promised") == ["p-overdue-big", "p-overdue-small", "p-next-week"]


def test_no_next_step_is_ordered_by_largest_deal_then_id(book):
    put("a-small", value=1)
    put("b-big", value=700)
    put("c-big", value=700)
    put("d-mid", value=300)
    assert names("no_step") == ["b-big", "c-big", "d-mid", "a-small"]


# --- paging -----------------------------------------------------------------------------------


def test_pages_are_consecutive_slices_that_together_make_the_whole_section(book):
    for number in range(23):
        put(f"u{number:02}", utc(2026, 11, 24 + number % 5, 9 + number % 3), has_time=True, value=(number * 37) % 11)
    for number in range(9):
        put(f"n{number}", value=number % 3)
    for section in ("upcoming", "no_step"):
        whole = queue.page(section, 0, 1000, NOW, TZ)
        assert len(whole) == queue.counts(NOW, TZ)[section] == {"upcoming": 23, "no_step": 9}[section]
        for limit in (1, 4, 5, 7, 23, 50):
            pieces = []
            for offset in range(0, len(whole), limit):
                piece = queue.page(section, offset, limit, NOW, TZ)
                assert len(piece) == min(limit, len(whole) - offset), (section, limit, offset)
                pieces.extend(piece)
            assert pieces == whole, (section, limit)
            assert queue.page(section, len(whole), limit, NOW, TZ) == []
        for row in whole:
            section_found, offset = queue.locate(row.prospect_id, NOW, TZ)
            assert (section_found, whole[offset].prospect_id) == (section, row.prospect_id)


def test_an_empty_book_has_empty_sections(book):
    assert queue.counts(NOW, TZ) == dict.fromkeys(queue.SECTIONS, 0)
    assert whole_queue() == {section: [] for section in queue.SECTIONS}


# --- day boundaries are the rep's local midnight ----------------------------------------------


def test_a_date_only_step_due_tomorrow_is_upcoming_at_23_59_and_today_at_00_01(book):
    prospect_id = put("tomorrow", day(2026, 11, 24))
    assert section_of(prospect_id, local(2026, 11, 23, 23, 59)) == "upcoming"
    assert section_of(prospect_id, local(2026, 11, 23, 23, 59, 59)) == "upcoming"
    assert section_of(prospect_id, local(2026, 11, 24, 0, 0, 0)) == "today"
    assert section_of(prospect_id, local(2026, 11, 24, 0, 1)) == "today"
    assert names("today", local(2026, 11, 24, 0, 1)) == ["tomorrow"]


def test_a_step_at_23_30_today_is_today_at_23_00_and_overdue_once_its_time_has_passed(book):
    prospect_id = put("late call", utc(2026, 11, 23, 23, 30), has_time=True)
    assert section_of(prospect_id, local(2026, 11, 23, 23, 0)) == "today"
    assert section_of(prospect_id, local(2026, 11, 23, 23, 30)) == "today"  # on the minute: not late yet
    assert section_of(prospect_id, local(2026, 11, 23, 23, 45)) == "overdue"  # late: its time has passed
    assert section_of(prospect_id, local(2026, 11, 24, 0, 10)) == "overdue"
    assert queue.counts(local(2026, 11, 24, 0, 10), TZ)["overdue"] == 1


def test_the_same_moments_fall_into_different_sections_for_reps_in_different_zones(book):
    now = pendulum.datetime(2026, 11, 23, 23, 30, tz="UTC")  # Paris 00:30 Tue; LA 15:30 Mon; Auckland 12:30 Tue
    moments = {
        "a": dt.datetime(2026, 11, 23, 10, 0),  # Paris Mon 11:00 · LA Mon 02:00 · Auckland Mon 23:00
        "b": dt.datetime(2026, 11, 23, 12, 0),  # Paris Mon 13:00 · LA Mon 04:00 · Auckland Tue 01:00
        "c": dt.datetime(2026, 11, 24, 10, 0),  # Paris Tue 11:00 · LA Tue 02:00 · Auckland Tue 23:00
        "d": dt.datetime(2026, 11, 24, 12, 0),  # Paris Tue 13:00 · LA Tue 04:00 · Auckland Wed 01:00
        "e": dt.datetime(2026, 11, 30, 23, 30),  # Paris Tue 1 Dec 00:30 · LA Mon 30 15:30 · Auckland Tue 1 Dec 12:30
    }
    ids = {name: put(name, moment, has_time=True) for name, moment in moments.items()}
    expected = {
        "Europe/Paris": {"a": "overdue", "b": "overdue", "c": "today", "d": "today", "e": "upcoming"},
        # LA's "a" and "b" are today's, at times that have passed: overdue too; Auckland's "b" as well
        "America/Los_Angeles": {"a": "overdue", "b": "overdue", "c": "upcoming", "d": "upcoming", "e": "upcoming"},
        "Pacific/Auckland": {"a": "overdue", "b": "overdue", "c": "today", "d": "upcoming", "e": "upcoming"},
    }
    for tz, sections in expected.items():
        assert {name: section_of(prospect_id, now, tz) for name, prospect_id in ids.items()} == sections, tz
        counts = queue.counts(now, tz)
        for section in ("overdue", "today", "upcoming"):
            assert counts[section] == list(sections.values()).count(section), (tz, section)
    # a week from Monday in LA ends at LA's midnight; in Paris "e" is already past it
    assert section_of(ids["e"], pendulum.datetime(2026, 11, 23, 8, 30, tz="UTC"), "Europe/Paris") == "later"


@pytest.mark.parametrize("time_of_day", [(0, 0, 0), (9, 30, 0), (23, 59, 59)], ids=["00:00:00", "09:30", "23:59:59"])
def test_upcoming_is_exactly_the_next_seven_days(book, time_of_day):
    now = local(2026, 11, 23, *time_of_day)
    items = {
        "end of today": (utc(2026, 11, 23, 23, 59, 59), "today"),
        "start of tomorrow": (utc(2026, 11, 24), "upcoming"),
        "end of day 7": (utc(2026, 11, 30, 23, 59, 59), "upcoming"),
        "start of day 8": (utc(2026, 12, 1), "later"),
    }
    ids = {name: put(name, due, has_time=True) for name, (due, _) in items.items()}
    assert {name: section_of(ids[name], now) for name in items} == {name: section for name, (_, section) in items.items()}
    upcoming = queue.section_bounds(now, TZ)["upcoming"]
    assert (upcoming.moments_from, upcoming.moments_before) == (utc(2026, 11, 24), utc(2026, 12, 1))
    assert (upcoming.dates_from, upcoming.dates_before) == (dt.datetime(2026, 11, 24), dt.datetime(2026, 12, 1))
    assert upcoming.moments_before - upcoming.moments_from == dt.timedelta(days=7)


def test_a_dst_spring_forward_week_keeps_its_boundaries_at_local_midnight(book):
    # Europe/Paris goes from UTC+1 to UTC+2 at 02:00 on Sunday 29 March 2026.
    friday = local(2026, 3, 27, 10, 0)
    ids = {
        "sun 00:30": put("sun 00:30", utc(2026, 3, 29, 0, 30), has_time=True),
        "fri 3 apr 23:30": put("fri 3 apr 23:30", utc(2026, 4, 3, 23, 30), has_time=True),
        "sat 4 apr 00:00": put("sat 4 apr 00:00", day(2026, 4, 4)),
        "sat 4 apr 00:30": put("sat 4 apr 00:30", utc(2026, 4, 4, 0, 30), has_time=True),  # 22:30 UTC on the 3rd
    }
    assert {name: section_of(i, friday) for name, i in ids.items()} == {
        "sun 00:30": "upcoming",
        "fri 3 apr 23:30": "upcoming",
        "sat 4 apr 00:00": "later",
        "sat 4 apr 00:30": "later",
    }
    upcoming = queue.section_bounds(friday, TZ)["upcoming"]
    assert (upcoming.moments_from, upcoming.moments_before) == (utc(2026, 3, 28), utc(2026, 4, 4))

    # on the 23-hour Sunday itself
    sunday = local(2026, 3, 29, 0, 15)  # before any of its timed steps is due
    steps = {
        "sat 23:30": put("sat 23:30", utc(2026, 3, 28, 23, 30), has_time=True),
        "sun 00:30 again": put("sun 00:30 again", utc(2026, 3, 29, 0, 30), has_time=True),
        "sun 23:30": put("sun 23:30", utc(2026, 3, 29, 23, 30), has_time=True),
        "mon 00:30": put("mon 00:30", utc(2026, 3, 30, 0, 30), has_time=True),
    }
    assert {name: section_of(i, sunday) for name, i in steps.items()} == {
        "sat 23:30": "overdue",
        "sun 00:30 again": "today",
        "sun 23:30": "today",
        "mon 00:30": "upcoming",
    }
    whole = queue.days_span(dt.date(2026, 3, 29), dt.date(2026, 3, 30), TZ)
    lo, hi = whole.moments_from, whole.moments_before
    assert (lo, hi) == (dt.datetime(2026, 3, 28, 23, 0), dt.datetime(2026, 3, 29, 22, 0))
    assert hi - lo == dt.timedelta(hours=23)
    assert queue.section_bounds(sunday, TZ)["today"].moments_before == hi


def test_a_dst_fall_back_day_keeps_its_boundaries_at_local_midnight(book):
    # Europe/Paris goes from UTC+2 to UTC+1 at 03:00 on Sunday 25 October 2026: a 25-hour day.
    sunday = local(2026, 10, 25, 0, 15)  # before any of its timed steps is due
    ids = {
        "sat 23:30": put("sat 23:30", utc(2026, 10, 24, 23, 30), has_time=True),
        "sun 00:30": put("sun 00:30", utc(2026, 10, 25, 0, 30), has_time=True),
        "sun 23:30": put("sun 23:30", utc(2026, 10, 25, 23, 30), has_time=True),
        "mon 00:30": put("mon 00:30", utc(2026, 10, 26, 0, 30), has_time=True),
    }
    assert {name: section_of(i, sunday) for name, i in ids.items()} == {
        "sat 23:30": "overdue",
        "sun 00:30": "today",
        "sun 23:30": "today",
        "mon 00:30": "upcoming",
    }
    whole = queue.days_span(dt.date(2026, 10, 25), dt.date(2026, 10, 26), TZ)
    assert whole.moments_before - whole.moments_from == dt.timedelta(hours=25)
    assert queue.section_bounds(sunday, TZ)["today"].moments_before == whole.moments_before


# --- every hot read goes through an index -----------------------------------------------------

class _Statements(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.seen: list[tuple[str, tuple]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if isinstance(record.msg, tuple) and len(record.msg) == 2:
            self.seen.append((record.msg[0], tuple(record.msg[1] or ())))


@contextlib.contextmanager
def _recorded() -> Iterator[_Statements]:
    logger = logging.getLogger("peewee")
    handler = _Statements()
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)


def _full_scans(book, sql: str, params: tuple) -> tuple[list[str], Plan]:
    plan = plan_of(book, sql, params)  # tests/storage/query_plans.py: either engine's plan
    return plan.full_scans, plan




def test_every_hot_query_reads_through_an_index(book):
    """The SQL that the queue and the prospect on screen really send (recorded from peewee), each explained by
    the book's engine: no full scan of prospect, follow_up or touch, and no sort of a whole section."""
    referrer = put("referrer", utc(2026, 11, 23, 10), has_time=True)
    made = [referrer]
    for number in range(40):
        due = None if number % 6 == 0 else utc(2026, 11, 20) + dt.timedelta(hours=7 * number)
        made.append(put(f"p{number}", due, has_time=True, promised=number % 7 == 0, value=number % 5))
    actions.edit_prospect(made[3], {"referred_by": referrer}, now=ADDED)
    for number in range(5):
        actions.log_touch(made[3], channel="call", outcome="no answer", note=f"n{number}", next_step=NextStep(due_at=utc(2026, 11, 25)), now=ADDED + dt.timedelta(hours=number))
    actions.close_won(made[5], now=ADDED)

    recorded_by: dict[str, list[tuple[str, tuple]]] = {}
    with _recorded() as handler:

        def record(what: str, call) -> None:
            before = len(handler.seen)
            call()
            recorded_by[what] = handler.seen[before:]

        record("counts", lambda: queue.counts(NOW, TZ))
        for section in queue.SECTIONS:
            record(f"page {section}", lambda: queue.page(section, 2, 5, NOW, TZ))
        for prospect_id in made:
            record(f"locate {prospect_id}", lambda: queue.locate(prospect_id, NOW, TZ))
        record("history_page", lambda: (reads.history_page(made[3], 0, 2), reads.history_page(made[3], 2, 2)))
        record("view", lambda: reads.view(made[3]))

    for what, statements in recorded_by.items():
        assert statements, f"{what} sent no query (the recorder is broken)"
    assert len(recorded_by["counts"]) == 1  # every section counted in one statement, each through its index
    assert len(recorded_by["view"]) >= 8  # prospect, open step, referrer, history, channels, promises…

    problems = []
    for what, statements in recorded_by.items():
        for sql, params in statements:
            assert sql.lstrip().upper().startswith("SELECT"), (what, sql)
            scans, plan = _full_scans(book, sql, params)
            if scans:
                problems.append(f"{what}: {sql}\n    {plan}")
            if what.startswith("page") or what == "history_page":
                if plan.sorts:  # on a server too, with migration 18's indexes
                    problems.append(f"{what} sorts outside an index: {sql}\n    {plan}")
    assert problems == [], "\n".join(problems)


def test_the_index_check_itself_catches_a_full_scan(book):
    """Keep the test above honest: an unindexed filter is reported."""
    query = Prospect.select(Prospect.id).where(Prospect.best_time == "mornings")
    sql, params = query.sql()
    scans, plan = _full_scans(book, sql, tuple(params))
    assert scans, plan

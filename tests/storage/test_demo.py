"""storage/demo/: the generated demo book behind `followup --demo` (PRODUCT.md §7).

One demo book is built per module (about half a second) and reopened read-only-in-spirit by
each test; the tests that need another book build their own."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pendulum
import pytest

from tests.book_checks import derived_mismatches
from storage import actions
from storage.reads import queue
from storage.book.opening import close_book, open_book
from storage.demo import DEMO_SEED, build_demo
from storage.book.models import FollowUp, Journal, Prospect, Touch, database
from storage.book.vocabulary import CHANNELS, DIRECTIONS, KINDS, OUTCOMES, STATUSES
from storage.actions.journal import changes_of
from storage.rules.text import visible

NOW = dt.datetime(2026, 11, 23, 8, 30)  # naive UTC: Monday 09:30 in Paris
TZ = "Europe/Paris"
TABLES = tuple(model._meta.table_name for model in (Prospect, FollowUp, Touch))
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def dump() -> dict[str, list[tuple]]:
    db = database.obj
    return {table: db.execute_sql(f"SELECT * FROM {table} ORDER BY id").fetchall() for table in TABLES}


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    db = open_book(path)
    assert build_demo(now=NOW) == 300
    db.close()
    return path


@pytest.fixture
def demo(demo_path):
    db = open_book(demo_path)
    yield db
    db.close()


def local(moment: dt.datetime) -> pendulum.DateTime:
    return pendulum.instance(moment, tz="UTC").in_timezone(TZ)


# --- determinism -------------------------------------------------------------------------------


def test_same_seed_and_now_give_the_same_book(demo, tmp_path):
    first = dump()
    close_book()
    open_book(tmp_path / "again.db")
    build_demo(seed=DEMO_SEED, now=NOW)
    assert dump() == first


def test_a_different_seed_gives_a_different_book(demo, tmp_path):
    first = dump()
    close_book()
    open_book(tmp_path / "other.db")
    build_demo(seed=DEMO_SEED + 1, now=NOW)
    other = dump()
    assert other["prospect"] != first["prospect"]
    assert other["touch"] != first["touch"]


# --- realism -----------------------------------------------------------------------------------


def test_every_status_kind_channel_direction_and_outcome_occurs(demo):
    assert set(Counter(p.status for p in Prospect.select())) == set(STATUSES)
    open_kinds = {f.kind for f in FollowUp.select().where(FollowUp.done_at.is_null())}
    assert open_kinds == set(KINDS)
    assert {t.channel for t in Touch.select()} == set(CHANNELS)
    assert {t.outcome for t in Touch.select()} == set(OUTCOMES)
    assert {t.direction for t in Touch.select()} == set(DIRECTIONS)
    assert {f.channel for f in FollowUp.select()} <= set(CHANNELS)
    assert {f.kind for f in FollowUp.select()} <= set(KINDS)


def test_status_shares(demo):
    statuses = Counter(p.status for p in Prospect.select())
    assert sum(statuses.values()) == 300
    assert 0.65 <= statuses["active"] / 300 <= 0.75
    assert 0.14 <= statuses["won"] / 300 <= 0.22
    assert 0.08 <= statuses["dropped"] / 300 <= 0.16


def test_every_queue_section_has_rows(demo):
    counts = queue.counts(pendulum.instance(NOW, tz="UTC"), TZ)
    assert set(counts) == set(queue.SECTIONS)
    assert all(counts[section] > 0 for section in queue.SECTIONS), counts
    active = Prospect.select().where(Prospect.status == "active").count()
    assert counts["no_step"] <= 0.1 * active
    assert counts["overdue"] >= 0.1 * active


def test_promised_ones_include_overdue_and_today(demo):
    now = pendulum.instance(NOW, tz="UTC")
    promised = list(Prospect.select().where(Prospect.next_promised == True))  # noqa: E712
    assert any(queue.is_late(p.next_due_at, p.next_has_time, now, TZ) for p in promised)  # the loud ones
    today = queue.days_span(now.in_timezone(TZ).date(), now.in_timezone(TZ).date() + dt.timedelta(days=1), TZ)
    assert Prospect.select().where((Prospect.next_promised == True) & today.condition()).exists()  # noqa: E712
    timed_today = FollowUp.select().where(
        FollowUp.done_at.is_null() & FollowUp.has_time & (FollowUp.due_at >= today.moments_from)
        & (FollowUp.due_at < today.moments_before)
    )
    assert timed_today.count() > 0


def test_touch_counts_show_the_long_follow_up(demo):
    counts = [p.touch_count for p in Prospect.select()]
    assert max(counts) <= 14
    assert sum(1 for c in counts if 1 <= c <= 4) >= 0.3 * len(counts)
    assert sum(1 for c in counts if 5 <= c <= 12) >= 0.3 * len(counts)
    assert sum(1 for c in counts if c >= 5) >= 0.3 * len(counts)


def test_history_spans_months_oldest_first_and_in_the_past(demo):
    first, last = Touch.select().order_by(Touch.at).first().at, Touch.select().order_by(Touch.at.desc()).first().at
    assert (NOW - first).days >= 150
    assert last < NOW
    previous: dict[int, dt.datetime] = {}
    for touch in Touch.select().order_by(Touch.id):  # ids follow time, and every touch is distinct in time
        assert previous.get(touch.prospect_id, dt.datetime.min) < touch.at
        previous[touch.prospect_id] = touch.at
    for p in Prospect.select():
        assert p.created_at <= NOW
        if p.touch_count:
            assert p.created_at < Touch.select().where(Touch.prospect == p.id).order_by(Touch.at).first().at


def test_notes_are_realistic(demo):
    notes = [t.note for t in Touch.select()]
    for tag in ("#competitor", "#price", "#feedback"):
        assert any(tag in note for note in notes), tag
    assert any("\n" in note for note in notes)
    assert any(note == "" for note in notes)
    assert any("Contoso" in note for note in notes)


def test_prospect_facts_are_varied_and_form_valid(demo):
    prospects = list(Prospect.select())
    for p in prospects:
        fields = {name: getattr(p, name) for name in actions.PROSPECT_FIELDS if name != "referred_by"}
        assert actions.check_prospect_fields(fields) == fields, p.name
        assert 0 <= p.deal_value <= 80_000
        assert p.preferred_channel in (*CHANNELS, None)
    zones = Counter(p.timezone for p in prospects)
    assert zones.most_common(1)[0][0] == "Europe/Paris"
    assert {"Europe/London", "America/New_York", "Asia/Tokyo"} <= set(zones)
    assert {p.source for p in prospects} == {"website", "referral", "trade show", "cold list", "LinkedIn"}
    assert any(p.best_time == "" for p in prospects) and any(p.best_time for p in prospects)
    assert len({p.name for p in prospects}) >= 0.95 * len(prospects)
    assert len({p.company for p in prospects}) >= 0.8 * len(prospects)
    names = {p.name for p in prospects}
    assert {"Zoë Müller", "José Núñez"} <= names
    assert sum(1 for name in names if name != name.encode("ascii", "ignore").decode()) >= 20
    referred = [p for p in prospects if p.referred_by_id]
    assert referred and all(p.referred_by_id < p.id for p in referred)


def test_hostile_text_is_stored_literally(demo):
    ada = Prospect.select().where(Prospect.name == "[bold]Ada[/bold] Lovelace")
    assert ada.count() == 1
    red = Prospect.select().where(Prospect.company == "\u241b[31mRed Corp")
    assert red.count() == 1
    for p in Prospect.select():
        for name in ("name", "company", "title", "email", "phone", "best_time", "timezone", "source", "drop_reason"):
            value = getattr(p, name)
            assert visible(value, one_line=True) == value, (name, value)
    for t in Touch.select():
        assert not CONTROL.search(t.note)
    for f in FollowUp.select():
        assert visible(f.what, one_line=True) == f.what


# --- consistency -------------------------------------------------------------------------------


def test_derived_fields_are_what_the_rule_computes(demo):
    assert derived_mismatches() == {}


def test_follow_ups_are_consistent(demo):
    open_steps = Counter(f.prospect_id for f in FollowUp.select().where(FollowUp.done_at.is_null()))
    assert max(open_steps.values()) == 1
    statuses = {p.id: p.status for p in Prospect.select()}
    assert not [pid for pid in open_steps if statuses[pid] == "dropped"]
    dates = set()
    for f in FollowUp.select():
        assert f.created_at <= NOW
        if f.done_at is None:
            assert f.resolution is None
        else:
            assert f.resolution in ("done", "closed") and f.created_at <= f.done_at <= NOW
        assert f.due_at >= f.created_at or f.done_at is None and f.due_at < NOW
        if not f.has_time:
            dates.add(f.due_at)
    for due in dates:  # a date-only step is its date, at noon with no zone (dates.stored)
        assert (due.hour, due.minute, due.second) == (12, 0, 0), due
    steps = {f.id: f for f in FollowUp.select()}
    linked = list(Touch.select().where(Touch.followup.is_null(False)))
    assert linked
    for t in linked:
        step = steps[t.followup_id]
        assert step.prospect_id == t.prospect_id and step.done_at == t.at and step.resolution == "done"


def test_statuses_are_consistent(demo):
    for p in Prospect.select():
        if p.status == "active":
            assert p.closed_at is None and p.drop_reason == "" and p.revisit_on is None
        elif p.status == "won":
            assert p.closed_at is not None and p.closed_at <= NOW and p.drop_reason == ""
        else:
            assert p.closed_at is not None and p.drop_reason
            assert p.revisit_on is None or p.revisit_on > NOW.date()
    dropped = Prospect.select().where(Prospect.status == "dropped")
    assert dropped.where(Prospect.revisit_on.is_null(False)).count() > 0
    won_with_checkin = (
        FollowUp.select()
        .join(Prospect)
        .where((Prospect.status == "won") & FollowUp.done_at.is_null() & (FollowUp.kind == "check-in"))
    )
    assert won_with_checkin.count() > 0
    assert Prospect.select().where((Prospect.status == "won") & Prospect.next_due_at.is_null()).count() > 0


def test_building_writes_one_journal_entry_naming_the_inserted_id_ranges(demo):
    entries = list(Journal.select())
    assert len(entries) == 1
    entry = entries[0]
    assert (entry.action, entry.at, entry.prospect) == ("build_demo", NOW, None)
    assert entry.summary == "The demo book: 300 prospects"
    inserted = {change["table"]: change["inserted"] for change in changes_of(entry)}
    assert set(inserted) == set(TABLES)  # tags are derived from the notes: not journalled
    for table, ranges in inserted.items():
        ids = [row[0] for row in demo.execute_sql(f'SELECT id FROM "{table}" ORDER BY id').fetchall()]
        named = [i for first, last in ranges for i in range(first, last + 1)]
        assert named == ids and len(ranges) == 1, table


def test_book_integrity(demo):
    assert demo.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert demo.execute_sql("PRAGMA foreign_key_check").fetchall() == []


# --- edges -------------------------------------------------------------------------------------


def test_refuses_a_book_that_has_prospects(demo):
    before = dump()
    with pytest.raises(ValueError, match="already has prospects"):
        build_demo(now=NOW)
    assert dump() == before


def test_refuses_a_book_with_one_prospect_and_writes_nothing(book):
    actions.add_prospect({"name": "Rita Rep"}, now=NOW)
    with pytest.raises(ValueError):
        build_demo(now=NOW)
    assert Prospect.select().count() == 1
    assert FollowUp.select().count() == Touch.select().count() == 0


def test_small_demo_defaults_to_now(book, frozen):
    assert build_demo(prospects=12) == 12
    now = dt.datetime(2026, 11, 23, 8, 30)  # the frozen moment, in UTC
    assert {p.updated_at for p in Prospect.select()} == {now}
    assert Prospect.select().where(Prospect.name == "[bold]Ada[/bold] Lovelace").count() == 1
    assert max(t.at for t in Touch.select()) < now
    assert max(FollowUp.select().where(FollowUp.done_at.is_null()).count(), 0) <= 12


def test_empty_demo_writes_nothing(book):
    assert build_demo(now=NOW, prospects=0) == 0
    assert Prospect.select().count() == 0

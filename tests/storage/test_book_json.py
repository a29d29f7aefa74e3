"""storage/exchange/json_out.py and json_in.py: the desk's own JSON export and its import, on real
book files.

The round trip is the contract: the demo book exported, imported into an empty book, gives the
same book (rows, derived fields, tags, search), and importing it again never doubles anything."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from collections import defaultdict
from collections.abc import Iterator

import peewee as pw
import pytest

from tests.book_checks import derived_mismatches
from storage import actions
from storage import search
from storage.actions import NextStep
from storage.exchange.json_in import import_json, read_json
from storage.exchange.json_out import FORMAT, VERSION, write_json
from storage.book.opening import close_book, open_book
from storage.demo import build_demo
from storage.book.errors import BookError, BookFull, InvalidInput
from storage.exchange.exports import private_file
from storage.book.models import FollowUp, Prospect, Tag, Touch, database
from tests.storage.test_imports import changed_rows, entries_after, inserted, last_entry
from tests.storage import on_disk
from tests.storage.test_search import index_matches_the_book

NOW = dt.datetime(2026, 11, 23, 8, 30)  # naive UTC: Monday 09:30 in Paris
LATER = dt.datetime(2026, 11, 24, 8, 0)
WORDS = ("contoso", "zoe", "florists", "brochure", "ada", "competitor", "0102")


# --- the book as content, whatever its ids -------------------------------------------------


def content() -> dict:
    """Every row of every table, by prospect (name, company, email), with ids replaced by what
    they point to: the referrer's key, the follow-up's place in its prospect's list."""
    people = {p.id: p for p in Prospect.select()}
    key = {pid: (p.name, p.company, p.email) for pid, p in people.items()}
    assert len(set(key.values())) == len(key)
    steps = defaultdict(list)
    for step in FollowUp.select().order_by(FollowUp.id):
        steps[step.prospect_id].append(step)
    place = {step.id: n for rows in steps.values() for n, step in enumerate(rows)}
    touches = defaultdict(list)
    for touch in Touch.select().order_by(Touch.at, Touch.id):
        touches[touch.prospect_id].append(touch)
    touch_place = {t.id: n for rows in touches.values() for n, t in enumerate(rows)}
    tags = defaultdict(list)
    for tag in Tag.select():
        tags[tag.prospect_id].append((touch_place[tag.touch_id], tag.name))
    book = {}
    for pid, p in people.items():
        row = {name: getattr(p, name) for name in Prospect._meta.fields if name not in ("id", "referred_by")}
        row["referred_by"] = key.get(p.referred_by_id)
        book[key[pid]] = {
            "prospect": row,
            "followups": [
                {name: getattr(s, name) for name in FollowUp._meta.fields if name not in ("id", "prospect")}
                for s in steps[pid]
            ],
            "touches": [
                (t.at, t.channel, t.direction, t.outcome, t.note, place.get(t.followup_id), t.kind)
                for t in touches[pid]
            ],
            "tags": sorted(tags[pid]),
        }
    return book


def found(words=WORDS) -> dict[str, list]:
    keys = {p.id: (p.name, p.company, p.email) for p in Prospect.select()}
    return {word: sorted(keys[hit.prospect_id] for hit in search.search(word, limit=500)) for word in words}


def integrity_ok() -> None:
    if isinstance(database.obj, pw.SqliteDatabase):  # a server checks its pages and foreign keys itself
        assert database.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert database.execute_sql("PRAGMA foreign_key_check").fetchall() == []
    index_matches_the_book()


def dump() -> dict[str, list]:
    """Every table of the book, the search index's own tables included, row for row."""
    return on_disk.dump(database.obj)


@pytest.fixture
def another_book(book, tmp_path, request) -> Iterator[str]:
    """Where a second, new book of the same engine opens: a file beside the first, or a new
    database on the server (dropped after)."""
    if isinstance(book, pw.SqliteDatabase):
        yield str(tmp_path / "book-2.db")
        return
    from tests.server_books import new_server_book

    with new_server_book(request.getfixturevalue("server_template")) as url:
        yield url


def export() -> dict:
    out = io.StringIO()
    write_json(out)
    return json.loads(out.getvalue())


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory):
    """The demo book, its content, its search answers and its JSON export (written once)."""
    folder = tmp_path_factory.mktemp("json")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("FOLLOWUP_TZ", "Europe/Paris")
        env.setenv("XDG_CONFIG_HOME", str(folder / "config"))
        db = open_book(folder / "a.db")
        build_demo(now=NOW, tz="Europe/Paris")
        with private_file(folder / "book.json") as out:
            assert write_json(out) == 300
        expected, answers = content(), found()
        db.close()
    return folder / "a.db", folder / "book.json", expected, answers


# --- the round trip ------------------------------------------------------------------------


@pytest.mark.parametrize("rebuild_index", [True, False], ids=["index-rebuilt", "index-row-by-row"])
def test_export_then_import_into_an_empty_book_gives_the_same_book(tmp_path, demo_files, monkeypatch, rebuild_index):
    import storage.exchange.json_in

    monkeypatch.setattr(storage.exchange.json_in, "_rebuild_index", lambda new_notes: rebuild_index)
    _, path, expected, answers = demo_files
    data = read_json(path)
    assert (data["format"], data["version"]) == (FORMAT, VERSION)
    assert data["exported_at"].endswith("Z")
    assert len(data["prospects"]) == 300

    open_book(tmp_path / "b.db")
    seen = []
    report = import_json(data, progress=lambda done, total: seen.append((done, total)), now=LATER)
    assert (report.added, report.merged, report.skipped, report.problems) == (300, 0, [], [])
    assert seen[-1] == (300, 300)

    got = content()
    assert got.keys() == expected.keys()
    for key in expected:  # one prospect at a time, so a difference names who
        assert got[key] == expected[key], key
    assert found() == answers
    assert sum(1 for book in got.values() if book["prospect"]["referred_by"]) > 10
    assert sum(len(book["tags"]) for book in got.values()) > 50
    integrity_ok()

    # the derived fields are what the one rule computes
    assert derived_mismatches() == {}


def test_importing_the_same_file_again_adds_nothing_with_skip_or_merge(tmp_path, demo_files):
    book_path, path, expected, answers = demo_files
    shutil.copy(book_path, tmp_path / "a.db")
    open_book(tmp_path / "a.db")
    data = read_json(path)
    before = dump()

    report = import_json(data, on_duplicate="skip", now=LATER)
    assert (report.added, report.merged, len(report.skipped), report.problems) == (0, 0, 300, [])
    assert report.skipped[0][0] == 1
    assert dump() == before

    report = import_json(data, on_duplicate="merge", now=LATER)
    assert (report.added, report.merged, report.skipped, report.problems) == (0, 300, [], [])
    assert dump() == before  # nothing new to say about anyone: not even updated_at moves
    assert content() == expected and found() == answers
    integrity_ok()


def test_a_dry_run_reports_the_same_counts_and_writes_nothing(tmp_path, demo_files):
    _, path, _, _ = demo_files
    open_book(tmp_path / "b.db")
    actions.add_prospect({"name": "Someone new"}, now=NOW)
    data = read_json(path)
    data["prospects"][5]["touches"][0]["channel"] = "fax"
    before = dump()
    dry = import_json(data, dry_run=True, on_duplicate="merge")
    assert dump() == before
    assert dry.dry_run and dry.summary().startswith("Dry run, nothing written")
    real = import_json(data, on_duplicate="merge")
    assert (dry.added, dry.merged, dry.skipped, dry.problems) == (real.added, real.merged, real.skipped, real.problems)
    assert (real.added, len(real.problems)) == (299, 1)
    # and again: everyone is now a duplicate
    dry = import_json(data, dry_run=True, on_duplicate="skip")
    assert (dry.added, len(dry.skipped)) == (0, 299)


# --- a failure half-way ---------------------------------------------------------------------


def test_a_full_disk_half_way_leaves_the_book_exactly_as_it_was(tmp_path, demo_files, monkeypatch):
    import storage.exchange.json_in

    monkeypatch.setattr(storage.exchange.json_in, "BATCH", 50)  # several rounds of inserts before the disk fills
    _, path, _, _ = demo_files
    book = open_book(tmp_path / "b.db")
    ada = actions.add_prospect({"name": "Ada", "email": "ada@example.com"}, NextStep(due_at=LATER), now=NOW)
    actions.log_touch(ada, channel="call", outcome="talked", note="#price first", now=NOW)
    data = read_json(path)
    before = dump()
    pages = book.execute_sql("PRAGMA page_count").fetchone()[0]
    book.execute_sql(f"PRAGMA max_page_count = {pages + 120}")  # room for a part of the import only
    written = []
    with pytest.raises(BookError) as caught:
        import_json(data, progress=lambda done, total: written.append(done))
    assert 0 < len(written) and written[-1] < 300  # it failed half-way, after rounds of inserts
    assert isinstance(caught.value, BookFull), f"{type(caught.value).__name__}: {caught.value}"
    assert "\n" not in str(caught.value)
    assert not book.in_transaction()
    book.execute_sql("PRAGMA max_page_count = 1073741823")
    assert dump() == before
    integrity_ok()

    # room again: the same import goes through
    assert import_json(data).added == 300


# --- the journal ----------------------------------------------------------------------------


def test_an_import_is_one_journal_entry_naming_every_row_it_wrote_and_a_dry_run_none(tmp_path, demo_files):
    _, path, _, _ = demo_files
    open_book(tmp_path / "b.db")
    data = read_json(path)
    import_json(data, dry_run=True)
    assert entries_after(0) == []

    report = import_json(data, now=LATER)
    [entry] = entries_after(0)
    assert (entry.action, entry.prospect, entry.at, entry.summary) == ("import", None, LATER, report.as_change())
    assert inserted(entry) == {
        "prospect": [p.id for p in Prospect.select(Prospect.id).order_by(Prospect.id)],
        "follow_up": [s.id for s in FollowUp.select(FollowUp.id).order_by(FollowUp.id)],
        "touch": [t.id for t in Touch.select(Touch.id).order_by(Touch.id)],
    }
    # named one by one: only a referral to a prospect later in the file, set once both exist
    for (table, _), change in changed_rows(entry).items():
        after, before = change["after"], change["before"]
        assert table == "prospect" and {key for key in after if after[key] != before[key]} == {"referred_by_id"}

    import_json(data, on_duplicate="skip", now=LATER)
    import_json(data, on_duplicate="merge", now=LATER)  # nothing new about anyone
    assert entries_after(entry.id) == []


def test_a_referral_to_a_later_record_is_journalled_as_set_once_both_are_written(book):
    data = _file(_record(10, "Ada", referred_by=20), _record(20, "Grace"), _record(30, "Hopper", referred_by=10))
    import_json(data, now=NOW)
    [entry] = entries_after(0)
    ada, grace, hopper = (Prospect.get(Prospect.name == name).id for name in ("Ada", "Grace", "Hopper"))
    assert inserted(entry) == {"prospect": [ada, grace, hopper]}
    change = changed_rows(entry)
    assert list(change) == [("prospect", ada)]  # Hopper's referrer was written before them
    assert (change[("prospect", ada)]["before"]["referred_by_id"], change[("prospect", ada)]["after"]["referred_by_id"]) == (None, grace)


def test_a_merge_is_journalled_with_the_prospect_before_and_after(book):
    ada = _ada_in_the_book()
    last = last_entry()
    import_json(_file(_ada_in_a_file()), on_duplicate="merge", now=LATER)
    [entry] = entries_after(last)
    brochure = FollowUp.get(FollowUp.what == "Send the brochure")
    reply = Touch.get(Touch.note == "#price ok")
    assert inserted(entry) == {"follow_up": [brochure.id], "touch": [reply.id]}
    assert list(changed_rows(entry)) == [("prospect", ada)]
    change = changed_rows(entry)[("prospect", ada)]
    before, after = change["before"], change["after"]
    assert (before["phone"], after["phone"]) == ("", "+44 20 7946 0000")
    assert (before["notes"], after["notes"]) == ("Likes tea.", "Likes tea.\n\nTwo sites.")
    assert (before["touch_count"], after["touch_count"]) == (1, 2)
    assert after["updated_at"] == LATER.isoformat(sep=" ")


def test_a_full_disk_half_way_writes_no_journal_entry(tmp_path, demo_files, monkeypatch):
    import storage.exchange.json_in

    monkeypatch.setattr(storage.exchange.json_in, "BATCH", 50)
    _, path, _, _ = demo_files
    book = open_book(tmp_path / "b.db")
    actions.add_prospect({"name": "Ada", "email": "ada@example.com"}, now=NOW)
    last = last_entry()
    pages = book.execute_sql("PRAGMA page_count").fetchone()[0]
    book.execute_sql(f"PRAGMA max_page_count = {pages + 120}")
    written = []
    with pytest.raises(BookFull):
        import_json(read_json(path), progress=lambda done, total: written.append(done))
    assert written and written[-1] < 300  # after rounds of inserts
    assert entries_after(last) == []


# --- what the file holds, checked record by record ------------------------------------------


def _record(number: int, name: str, **extra) -> dict:
    return {
        "id": number, "name": name, "company": "", "email": "", "status": "active",
        "created_at": "2026-11-01T09:00:00Z", "updated_at": "2026-11-01T09:00:00Z",
        "followups": [], "touches": [], **extra,
    }


def _file(*records: dict) -> dict:
    return {"format": FORMAT, "version": VERSION, "exported_at": "2026-11-23T08:30:00Z", "prospects": list(records)}


def test_a_bad_record_in_the_middle_is_reported_and_the_others_are_imported(book):
    data = _file(
        _record(1, "Ada", referred_by=5, email="ada@example.com"),
        _record(2, "Bad Channel", touches=[{"at": "2026-11-02T09:00:00Z", "channel": "fax", "outcome": "talked"}]),
        _record(3, "Bad Email", email="not an address"),
        _record(4, "", company="Nameless Ltd"),
        _record(5, "Grace", followups=[{"due_at": "tomorrow", "channel": "call", "created_at": "2026-11-01T09:00:00Z"}]),
        "not a record",
        _record(7, "Bad Touch Link", touches=[{"at": "2026-11-02T09:00:00Z", "channel": "call", "outcome": "talked", "followup": 99}]),
        _record(8, "Bad Zone", timezone="Mars/Olympus"),
        _record(9, "Two open steps", followups=[
            {"due_at": "2026-12-01T08:00:00Z", "channel": "call", "created_at": "2026-11-01T09:00:00Z"},
            {"due_at": "2026-12-02T08:00:00Z", "channel": "call", "created_at": "2026-11-01T09:00:00Z"},
        ]),
        _record(10, "Hopper", referred_by=1, deal_value="1,200", timezone="Europe/Paris"),
    )
    report = import_json(data, now=NOW)
    assert report.added == 2
    reasons = [str(problem) for problem in report.problems]
    assert reasons[0].startswith("prospect 2 in the file (Bad Channel): channel must be one of")
    assert reasons[1].startswith("prospect 3 in the file (Bad Email): That email address has no @")
    assert reasons[2] == "prospect 4 in the file (no name): A prospect needs a name."
    assert reasons[3].startswith("prospect 5 in the file (Grace): due_at is not a date and time ('tomorrow')")
    assert reasons[4] == "prospect 6 in the file (no name): it is not a prospect record."
    assert reasons[5].startswith("prospect 7 in the file (Bad Touch Link): a touch points to follow-up 99")
    assert reasons[6].startswith("prospect 8 in the file (Bad Zone): Unknown time zone 'Mars/Olympus'")
    assert reasons[7] == "prospect 9 in the file (Two open steps): it has more than one open follow-up."
    assert len(reasons) == 8
    people = {p.name: p for p in Prospect.select()}
    assert set(people) == {"Ada", "Hopper"}
    # Ada's referrer (Grace) was not imported: the link is dropped, not pointed elsewhere
    assert people["Ada"].referred_by_id is None
    assert people["Hopper"].referred_by_id == people["Ada"].id
    assert people["Hopper"].deal_value == 1200 and people["Hopper"].timezone == "Europe/Paris"
    integrity_ok()


def test_text_is_cleaned_and_a_referral_to_a_later_record_is_kept(book):
    data = _file(
        _record(10, "  Ada \x1b[31m Lovelace ", referred_by=20, notes="line one\r\nline two\x1b]0;x\x07",
                touches=[{"at": "2026-11-02T10:00:00+01:00", "channel": "call", "outcome": "talked",
                          "note": "Said Contoso was cheaper #competitor #price\x1b[2J"}]),
        _record(20, "Grace Hopper"),
    )
    assert import_json(data, now=NOW).added == 2
    ada = Prospect.get(Prospect.name.startswith("Ada"))
    assert ada.name == "Ada ␛[31m Lovelace"
    assert ada.notes == "line one\nline two␛]0;x␇"
    assert ada.referred_by.name == "Grace Hopper"
    touch = Touch.get(Touch.prospect == ada.id)
    assert touch.at == dt.datetime(2026, 11, 2, 9, 0)  # an offset is turned into UTC
    assert "\x1b" not in touch.note
    assert sorted(t.name for t in Tag.select().where(Tag.prospect == ada.id)) == ["competitor", "price"]
    assert [h.prospect_id for h in search.search("contoso")] == [ada.id]
    assert (ada.touch_count, ada.last_reply_at) == (1, dt.datetime(2026, 11, 2, 9, 0))
    integrity_ok()


# --- duplicates ---------------------------------------------------------------------------


def _ada_in_the_book() -> int:
    ada = actions.add_prospect(
        {"name": "Ada Lovelace", "company": "Engines", "email": "Ada@Example.com", "notes": "Likes tea."}, now=NOW
    )
    actions.log_touch(
        ada, channel="call", outcome="no answer", note="rang", at=dt.datetime(2026, 11, 10, 9, 0), now=NOW,
        next_step=NextStep(due_at=dt.datetime(2026, 12, 1, 8, 0), channel="call", what="Book's own step"),
    )
    return ada


def _ada_in_a_file(**extra) -> dict:
    return _record(
        1, "Ada Lovelace", email="ada@example.com", company="Other name for Engines", phone="+44 20 7946 0000",
        deal_value=5000, notes="Two sites.",
        followups=[
            {"id": 7, "due_at": "2026-11-15T08:00:00Z", "channel": "email", "created_at": "2026-11-10T09:00:00Z",
             "done_at": "2026-11-15T09:00:00Z", "resolution": "done", "kept": None, "kind": "new prospect",
             "what": "Send the brochure", "promised": False, "has_time": False},
            {"id": 8, "due_at": "2026-12-05T08:00:00Z", "channel": "call", "created_at": "2026-11-15T09:00:00Z",
             "kind": "new prospect", "what": "File's own step"},
        ],
        touches=[
            {"at": "2026-11-10T09:00:00Z", "channel": "call", "outcome": "no answer", "note": "rang"},  # already there
            {"at": "2026-11-15T09:00:00Z", "channel": "email", "outcome": "replied", "note": "#price ok",
             "followup": 7},
        ],
        **extra,
    )


def test_merge_fills_empty_facts_adds_new_history_and_keeps_one_open_step(book):
    ada = _ada_in_the_book()
    report = import_json(_file(_ada_in_a_file()), on_duplicate="merge", now=LATER)
    assert (report.added, report.merged, report.problems) == (0, 1, [])
    p = Prospect.get_by_id(ada)
    assert (p.company, p.email) == ("Engines", "Ada@Example.com")  # the book's facts win
    assert (p.phone, p.deal_value) == ("+44 20 7946 0000", 5000)  # empty ones are filled
    assert p.notes == "Likes tea.\n\nTwo sites."
    touches = list(Touch.select().where(Touch.prospect == ada).order_by(Touch.at))
    assert [(t.channel, t.note) for t in touches] == [("call", "rang"), ("email", "#price ok")]
    open_steps = list(FollowUp.select().where((FollowUp.prospect == ada) & FollowUp.done_at.is_null()))
    assert [s.what for s in open_steps] == ["Book's own step"]
    brochure = FollowUp.get(FollowUp.what == "Send the brochure")
    assert touches[1].followup_id == brochure.id
    assert [t.name for t in Tag.select().where(Tag.prospect == ada)] == ["price"]
    assert p.updated_at == LATER
    # derived fields as the one rule computes them
    assert derived_mismatches() == {}
    assert (p.touch_count, p.unanswered_streak) == (2, 0)
    assert [h.prospect_id for h in search.search("7946")] == [ada]  # the filled phone is searchable
    integrity_ok()

    # merging again changes nothing
    before = dump()
    assert import_json(_file(_ada_in_a_file()), on_duplicate="merge", now=LATER).merged == 1
    assert dump() == before


def test_skip_leaves_the_prospect_as_it_is(book):
    ada = _ada_in_the_book()
    before = dump()
    report = import_json(_file(_ada_in_a_file()), on_duplicate="skip", now=LATER)
    assert (report.added, report.merged, report.skipped) == (0, 0, [(1, "Ada Lovelace")])
    assert dump() == before
    assert Prospect.get_by_id(ada).phone == ""


def test_a_file_that_repeats_a_person_is_never_doubled(book, another_book):
    first = _ada_in_a_file()
    second = _record(2, "ada lovelace", company="other name for engines", title="Countess",
                     touches=[{"at": "2026-11-20T09:00:00Z", "channel": "meeting", "outcome": "talked", "note": "met"},
                              {"at": "2026-11-15T09:00:00Z", "channel": "email", "outcome": "replied", "note": "#price ok"}])
    report = import_json(_file(first, second), on_duplicate="skip", now=LATER)
    assert (report.added, report.skipped) == (1, [(2, "ada lovelace")])
    close_book()

    open_book(another_book)
    report = import_json(_file(_ada_in_a_file(), second), on_duplicate="merge", now=LATER)
    assert (report.added, report.merged) == (1, 1)
    ada = Prospect.get()
    assert ada.title == "Countess"
    assert [t.note for t in Touch.select().order_by(Touch.at)] == ["rang", "#price ok", "met"]
    assert (ada.touch_count, ada.last_touch_at) == (3, dt.datetime(2026, 11, 20, 9, 0))
    assert FollowUp.select().where(FollowUp.done_at.is_null()).count() == 1
    integrity_ok()


def test_on_duplicate_must_be_skip_or_merge(book):
    with pytest.raises(ValueError):
        import_json(_file(), on_duplicate="double")


# --- files that are not ours --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('{"contacts": []}', "is not a Followup Desk export"),
        ("[1, 2, 3]", "is not a Followup Desk export"),
        ('{"format": "followup-desk", "version": 3, "prospects": []}', "newer Followup Desk (format version 3)"),
        ('{"format": "followup-desk", "version": "1", "prospects": []}', "no format version this desk knows"),
        ('{"format": "followup-desk", "version": 1, "prospects": {}}', 'no list of "prospects"'),
        ('{"format": "followup-desk",\n "version": 1,\n "prospects": [}', "not valid JSON: Expecting value at line 3, column 16"),
        ("", "not valid JSON: Expecting value at line 1, column 1"),
    ],
)
def test_a_file_that_is_not_ours_is_refused_with_a_clear_sentence(tmp_path, text, says):
    path = tmp_path / "in.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        read_json(path)
    assert caught.value.field == "file"
    assert says in caught.value.message, caught.value.message
    assert "\n" not in caught.value.message


def test_a_missing_or_non_utf8_file_is_refused(tmp_path):
    with pytest.raises(InvalidInput, match="There is no file"):
        read_json(tmp_path / "nope.json")
    path = tmp_path / "latin.json"
    path.write_bytes(b'{"name": "Zo\xeb"}')
    with pytest.raises(InvalidInput, match="not UTF-8"):
        read_json(path)


def test_import_refuses_data_that_is_not_ours_before_touching_the_book(book):
    with pytest.raises(InvalidInput):
        import_json({"format": FORMAT, "version": 3, "prospects": []})


def test_the_export_streams_every_stored_fact(book):
    referrer = actions.add_prospect({"name": "Grace"}, now=NOW)
    ada = actions.add_prospect(
        {"name": "Ada", "referred_by": referrer, "cadence": None, "deal_value": 7},
        NextStep(due_at=dt.datetime(2026, 12, 1, 13, 30), has_time=True, promised=True, what="Call back"),
        now=NOW,
    )
    actions.log_touch(ada, channel="call", outcome="talked", note="Zoë ✓", now=LATER)
    actions.drop(referrer, "No budget", revisit_on=dt.date(2027, 3, 1), now=LATER)
    out = io.StringIO()
    write_json(out)
    assert "Zoë ✓" in out.getvalue()  # ensure_ascii=False
    grace, ada_out = json.loads(out.getvalue())["prospects"]
    assert (grace["status"], grace["drop_reason"], grace["revisit_on"], grace["closed_at"]) == (
        "dropped", "No budget", "2027-03-01", "2026-11-24T08:00:00Z"
    )
    assert ada_out["referred_by"] == grace["id"] and ada_out["deal_value"] == 7
    (done,) = ada_out["followups"]
    assert (done["due_at"], done["has_time"], done["promised"], done["resolution"], done["kept"]) == (
        "2026-12-01T13:30:00Z", True, True, "done", True
    )
    assert ada_out["touches"] == [{
        "at": "2026-11-24T08:00:00Z", "channel": "call", "direction": "out", "outcome": "talked",
        "note": "Zoë ✓", "followup": done["id"],
    }]
    assert "touch_count" not in ada_out and "next_due_at" not in ada_out  # derived: recomputed on import

"""Coaching rules: cadences, the cadences file, suggestions, the final note, drop confirmation."""

import os
import stat
from datetime import date

import pendulum
import pytest

from storage.rules import cadence as cad
from storage.rules.cadence import (
    DEFAULT_CADENCES,
    DROP_CONFIRM_BELOW,
    FINAL_NOTE,
    KIND_DEFAULTS,
    REVISIT_DEFAULT,
    Cadence,
    CadenceFileError,
    KindDefault,
    cadence_exhausted,
    cadence_for,
    default_file_text,
    drop_warning,
    final_note,
    suggest_days,
    suggest_text,
    too_soon,
)
from storage.rules.dates import parse_when
from storage.reads.coaching import load_cadences, write_default_file
from storage.book.vocabulary import KINDS, OUTCOMES, REPLY_OUTCOMES

# Monday 23 Nov 2026, 10:00 in Paris.
NOW = pendulum.datetime(2026, 11, 23, 10, 0, tz="Europe/Paris")
PERSISTENT = DEFAULT_CADENCES["persistent"]
GENTLE = DEFAULT_CADENCES["gentle"]
REFERRAL = DEFAULT_CADENCES["referral"]
UNANSWERED = [o for o in OUTCOMES if o not in REPLY_OUTCOMES]


# --- the defaults ---------------------------------------------------------------------------


def test_the_default_cadences_are_persistent_gentle_and_referral():
    assert set(DEFAULT_CADENCES) == {"persistent", "gentle", "referral"}
    assert PERSISTENT.unanswered_steps == (2, 3, 5, 7, 14, 30)
    assert GENTLE.unanswered_steps == (7, 14, 30, 60)
    assert GENTLE.after_outcome["talked"] == 90  # a customer check-in every three months
    # referral: a bit quicker than persistent at first, then the same
    assert sum(REFERRAL.unanswered_steps[:3]) < sum(PERSISTENT.unanswered_steps[:3])
    for name, c in DEFAULT_CADENCES.items():
        assert c.name == name and c.description
        # every answer has a spacing; no unanswered outcome hides the steps
        assert set(c.after_outcome) == REPLY_OUTCOMES
        # never "daily notes": every default step passes the "are you sure?" rule
        assert min(c.unanswered_steps) >= cad.MIN_GAP_DAYS


def test_cadences_are_frozen_all_the_way_down():
    with pytest.raises(TypeError):
        PERSISTENT.after_outcome["talked"] = 1  # type: ignore[index]
    built = Cadence("x", "", [1, 2], {"talked": 3})
    assert built.unanswered_steps == (1, 2) and built.after_outcome == {"talked": 3}


def test_kind_defaults_cover_exactly_the_seven_kinds_and_name_existing_cadences():
    assert set(KIND_DEFAULTS) == set(KINDS) and len(KIND_DEFAULTS) == 7
    for kind, default in KIND_DEFAULTS.items():
        assert isinstance(default, KindDefault)
        assert default.cadence in DEFAULT_CADENCES, kind
        assert default.what.strip(), kind
    assert KIND_DEFAULTS["new prospect"].cadence == "persistent"
    assert KIND_DEFAULTS["hard-to-reach"].cadence == "persistent"
    assert KIND_DEFAULTS["referral"].cadence == "referral"
    for customer_kind in ("service", "new offering", "thank-you", "check-in"):
        assert KIND_DEFAULTS[customer_kind].cadence == "gentle"


# --- suggestions ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(DEFAULT_CADENCES))
@pytest.mark.parametrize("outcome", UNANSWERED)
def test_every_unanswered_step_in_turn_then_none(name, outcome):
    c = DEFAULT_CADENCES[name]
    for streak, step in enumerate(c.unanswered_steps, 1):
        assert suggest_days(c, outcome, streak) == step
        assert not cadence_exhausted(c, streak)
    past = len(c.unanswered_steps) + 1
    assert suggest_days(c, outcome, past) is None
    assert suggest_days(c, outcome, past + 10) is None
    assert cadence_exhausted(c, past) and cadence_exhausted(c, past + 10)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("persistent", {"talked": 7, "replied": 3, "meeting booked": 1, "not now": 30, "not interested": 90}),
        ("gentle", {"talked": 90, "replied": 14, "meeting booked": 1, "not now": 90, "not interested": 180}),
        ("referral", {"talked": 5, "replied": 2, "meeting booked": 1, "not now": 30, "not interested": 90}),
    ],
)
def test_answered_outcomes_follow_what_was_agreed_whatever_the_streak(name, expected):
    c = DEFAULT_CADENCES[name]
    for outcome, days in expected.items():
        for streak in (0, 1, 3, 99):  # an answer resets the streak; a stale count is ignored
            assert suggest_days(c, outcome, streak) == days


def test_a_streak_below_one_counts_as_the_first_touch():
    assert suggest_days(PERSISTENT, "no answer", 0) == 2
    assert suggest_days(PERSISTENT, "no answer", -3) == 2
    assert not cadence_exhausted(PERSISTENT, 0)


def test_an_unknown_outcome_is_spaced_like_an_unanswered_one():
    assert suggest_days(PERSISTENT, "carrier pigeon", 2) == 3


@pytest.mark.parametrize(
    ("days", "text"),
    [(1, "+1d"), (2, "+2d"), (3, "+3d"), (5, "+5d"), (7, "+1w"), (14, "+2w"), (28, "+4w"),
     (30, "+1m"), (60, "+2m"), (90, "+3m"), (180, "+6m"), (210, "+7m"), (45, "+45d"),
     (364, "+52w"), (365, "+365d")],
)
def test_suggest_text_reads_like_a_rep_typed_it(days, text):
    assert suggest_text(days) == text


def _every_default_value():
    values = set()
    for c in DEFAULT_CADENCES.values():
        values |= set(c.unanswered_steps) | set(c.after_outcome.values())
    return sorted(values)


@pytest.mark.parametrize("days", [*_every_default_value(), 4, 21, 45, 120, 364, 365])
def test_suggest_text_parses_back_to_the_same_span(days):
    resolved = parse_when(suggest_text(days), NOW).day
    if days % 30 == 0:
        # Cadences count a month as 30 days; the rep's "+1m" is the calendar month, which the
        # preview shows ("→ Wed 23 Dec, in 30 days").
        months = days // 30
        assert resolved == NOW.add(months=months).date()
        assert 28 * months <= (resolved - NOW.date()).days <= 31 * months + 1
    else:
        assert (resolved - NOW.date()).days == days


def test_suggest_text_refuses_no_days():
    with pytest.raises(ValueError):
        suggest_text(0)


def test_revisit_default_is_a_date_a_rep_could_type():
    assert parse_when(REVISIT_DEFAULT, NOW).day == date(2027, 2, 23)


# --- which cadence --------------------------------------------------------------------------


def test_cadence_for_prefers_the_chosen_one():
    mine = Cadence("slow", "", (10, 20), {})
    cadences = {**DEFAULT_CADENCES, "slow": mine}
    assert cadence_for("slow", "new prospect", "active", cadences) is mine
    assert cadence_for("slow", "new prospect", "won", cadences) is mine  # even for a customer
    assert cadence_for("referral", "check-in", "won", cadences) is REFERRAL


def test_cadence_for_a_won_customer_is_gentle():
    for kind in KINDS:
        assert cadence_for(None, kind, "won", DEFAULT_CADENCES) is GENTLE
    # a chosen cadence that no longer exists falls through to the same rule
    assert cadence_for("deleted", "new prospect", "won", DEFAULT_CADENCES) is GENTLE


def test_cadence_for_falls_back_to_the_kind_then_persistent():
    assert cadence_for(None, "referral", "active", DEFAULT_CADENCES) is REFERRAL
    assert cadence_for("", "service", "active", DEFAULT_CADENCES) is GENTLE
    assert cadence_for("deleted", "hard-to-reach", "dropped", DEFAULT_CADENCES) is PERSISTENT
    assert cadence_for(None, "no such kind", "active", DEFAULT_CADENCES) is PERSISTENT
    for kind, default in KIND_DEFAULTS.items():
        assert cadence_for(None, kind, "active", DEFAULT_CADENCES).name == default.cadence


def test_cadence_for_a_partial_mapping_still_answers():
    only_mine = {"persistent": Cadence("persistent", "", (4,), {})}
    assert cadence_for(None, "referral", "won", only_mine) is only_mine["persistent"]
    assert cadence_for(None, "referral", "active", {}) is PERSISTENT


# --- the cadences file ----------------------------------------------------------------------


def test_no_path_or_no_file_means_the_defaults(tmp_path):
    assert load_cadences(None) == DEFAULT_CADENCES
    assert load_cadences(tmp_path / "cadences.toml") == DEFAULT_CADENCES
    # a copy: a caller adding to it does not change the defaults
    load_cadences(None)["x"] = PERSISTENT
    assert "x" not in DEFAULT_CADENCES


def test_an_empty_file_means_the_defaults(tmp_path):
    path = tmp_path / "cadences.toml"
    path.write_text("# nothing yet\n")
    assert load_cadences(path) == DEFAULT_CADENCES


def test_the_file_overrides_only_what_it_names(tmp_path):
    path = tmp_path / "cadences.toml"
    path.write_text(
        '[cadence.persistent]\n'
        'unanswered = [3, 4, 7]\n'
        '[cadence.persistent.after]\n'
        '"not now" = 45\n'
    )
    cadences = load_cadences(path)
    p = cadences["persistent"]
    assert p.unanswered_steps == (3, 4, 7)
    assert p.description == PERSISTENT.description
    assert p.after_outcome == {**PERSISTENT.after_outcome, "not now": 45}
    assert cadences["gentle"] == GENTLE and cadences["referral"] == REFERRAL
    assert suggest_days(p, "no answer", 4) is None and cadence_exhausted(p, 4)


def test_a_new_cadence_borrows_what_it_omits_from_persistent(tmp_path):
    path = tmp_path / "cadences.toml"
    path.write_text(
        '[cadence.enterprise]\n'
        'description = "Big accounts: slow and steady"\n'
        'unanswered = [7, 7, 14, 30, 30, 60, 90]\n'
        '[cadence.enterprise.after]\n'
        'talked = 14\n'
        '[cadence."quarterly check"]\n'
    )
    cadences = load_cadences(path)
    e = cadences["enterprise"]
    assert e == Cadence(
        "enterprise",
        "Big accounts: slow and steady",
        (7, 7, 14, 30, 30, 60, 90),
        {**PERSISTENT.after_outcome, "talked": 14},
    )
    q = cadences["quarterly check"]
    assert q.unanswered_steps == PERSISTENT.unanswered_steps
    assert q.after_outcome == PERSISTENT.after_outcome
    assert q.description == ""  # persistent's text would describe the wrong cadence
    assert cadence_for("enterprise", "new prospect", "active", cadences) is e


def _error(tmp_path, text, name="cadences.toml"):
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    with pytest.raises(CadenceFileError) as info:
        load_cadences(path)
    message = str(info.value)
    assert "\n" not in message and str(path) in message
    assert info.value.path == path
    return message


def test_bad_toml_is_refused_with_the_file_and_line(tmp_path):
    message = _error(tmp_path, "[cadence.persistent]\nunanswered = [2, 3,, 5]\n")
    assert "not valid TOML" in message and "line 2" in message


def test_text_that_is_not_utf8_is_refused(tmp_path):
    assert "not UTF-8" in _error(tmp_path, b"[cadence.x]\ndescription = \"\xff\"\n")


def test_a_file_that_cannot_be_read_is_refused(tmp_path):
    (tmp_path / "cadences.toml").mkdir()
    with pytest.raises(CadenceFileError, match="can't read it"):
        load_cadences(tmp_path / "cadences.toml")


@pytest.mark.parametrize(
    ("value", "shown"),
    [("[0]", "step 1 is 0"), ("[2, -1]", "step 2 is -1"), ("[2, 366]", "step 2 is 366"),
     ("[2, 3.5]", "step 2 is 3.5"), ("[true]", "step 1 is True"), ('["2"]', "step 1 is '2'")],
)
def test_bad_steps_are_refused(tmp_path, value, shown):
    message = _error(tmp_path, f"[cadence.persistent]\nunanswered = {value}\n")
    assert f"cadence.persistent.unanswered: {shown}: use whole days from 1 to 365" in message


@pytest.mark.parametrize("value", ["[]", "7", '"2, 3"'])
def test_steps_must_be_a_non_empty_list(tmp_path, value):
    message = _error(tmp_path, f"[cadence.gentle]\nunanswered = {value}\n")
    assert "cadence.gentle.unanswered: must be a list of days" in message


def test_an_unknown_outcome_is_refused(tmp_path):
    message = _error(tmp_path, '[cadence.gentle.after]\n"no reply" = 5\n')
    assert 'cadence.gentle.after."no reply": unknown outcome: use talked, replied' in message


def test_an_unanswered_outcome_has_no_fixed_spacing(tmp_path):
    message = _error(tmp_path, '[cadence.gentle.after]\n"no answer" = 5\n')
    assert 'after."no answer": not an answer' in message


@pytest.mark.parametrize("value", ["0", "400", "2.5", "false", '"a week"'])
def test_bad_days_after_an_outcome_are_refused(tmp_path, value):
    message = _error(tmp_path, f"[cadence.gentle.after]\ntalked = {value}\n")
    assert "cadence.gentle.after.talked: is " in message and "from 1 to 365" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cadences = 1\n", "unknown key cadences"),
        ("cadence = 1\n", "cadence must be tables"),
        ("cadence = {x = 1}\n", "cadence.x: must be a table"),
        ("[cadence.gentle]\nunanswerd = [1]\n", "cadence.gentle.unanswerd: unknown key"),
        ("[cadence.gentle]\nafter = 1\n", "cadence.gentle.after: must be a table"),
        ("[cadence.gentle]\ndescription = 3\n", "description: must be text"),
        ('[cadence.gentle]\ndescription = "a\\nb"\n', "description: must be one line"),
        ('[cadence.""]\n', 'cadence."": a cadence name is 1 to 40'),
        ('[cadence." padded"]\n', "a cadence name is"),
    ],
)
def test_other_mistakes_are_refused_by_key(tmp_path, text, expected):
    assert expected in _error(tmp_path, text)


def test_error_messages_stay_on_one_line_whatever_the_key(tmp_path):
    message = _error(tmp_path, '[cadence."a\\nb".after]\n"x\\ny" = 1\n')
    assert "\n" not in message


def test_write_default_file_round_trips_to_the_defaults(tmp_path):
    path = tmp_path / "config" / "followup" / "cadences.toml"
    write_default_file(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert load_cadences(path) == DEFAULT_CADENCES
    text = path.read_text(encoding="utf-8")
    assert text == default_file_text()
    assert text.startswith("#") and "[cadence.persistent.after]" in text
    assert '"not now" = 30' in text
    assert "new prospect → persistent" in text  # says which kinds start on which cadence


def test_write_default_file_never_overwrites(tmp_path):
    path = tmp_path / "cadences.toml"
    path.write_text("[cadence.persistent]\nunanswered = [9]\n")
    os.chmod(path, 0o644)
    write_default_file(path)
    assert path.read_text() == "[cadence.persistent]\nunanswered = [9]\n"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o644  # the rep's file, the rep's choice


def test_a_settings_file_that_fails_half_way_is_not_left_half_written(tmp_path):
    from storage.book.settings import write_once

    path = tmp_path / "cadences.toml"
    with pytest.raises(UnicodeEncodeError):  # fails after the file was created: a real fault mid-write
        write_once(path, "[cadence.persistent]\n" + "\udc80")
    assert not path.exists()


# --- the "are you sure?" rule ---------------------------------------------------------------


@pytest.mark.parametrize(("gap", "expected"), [(-1, True), (0, True), (1, True), (2, False), (3, False)])
def test_too_soon_is_less_than_two_days_after_the_last_unanswered(gap, expected):
    last = date(2026, 11, 23)
    assert too_soon(last, date.fromordinal(last.toordinal() + gap)) is expected


def test_too_soon_without_a_previous_unanswered_touch():
    assert too_soon(None, date(2026, 11, 23)) is False


# --- stopping -------------------------------------------------------------------------------


def test_final_note_greets_by_first_name_and_leaves_the_door_open():
    note = final_note("Ana  Lima", "Lima & Co")
    assert note.startswith("Hi Ana, ")
    assert "for Lima & Co" in note and "just reply" in note
    assert final_note("Ana Lima") == FINAL_NOTE.format(first_name="Ana", for_company="")


@pytest.mark.parametrize(
    ("name", "greeting"),
    [("Ana", "Ana"), ("  ", "there"), ("", "there"), ("Dr. Jane Smith", "Dr. Smith"),
     ("Ms Okafor", "Ms Okafor"), ("Dr.", "Dr."), ("{x} Brace", "{x}")],
)
def test_final_note_names(name, greeting):
    assert final_note(name).startswith(f"Hi {greeting}, ")


def test_final_note_without_a_company_reads_cleanly():
    assert "right time and I'll stop" in final_note("Ana", "  ")


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, "No touches yet: about 80%"), (1, "Only 1 touch so far: "), (3, "Only 3 touches so far: "),
     (4, "Only 4 touches so far: about 80% of sales need five or more follow-ups. Drop anyway?")],
)
def test_drop_warning_below_five_touches(count, expected):
    assert drop_warning(count).startswith(expected)


@pytest.mark.parametrize("count", [DROP_CONFIRM_BELOW, 6, 40])
def test_no_drop_warning_from_five_touches(count):
    assert drop_warning(count) is None


def test_a_file_saved_with_a_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "cadences.toml"
    path.write_bytes(b"\xef\xbb\xbf[cadence.gentle]\nunanswered = [10]\n")
    assert load_cadences(path)["gentle"].unanswered_steps == (10,)

"""Working days: the week, public holidays of several countries (and regions), the rep's days off,
and the settings table that names them."""

from __future__ import annotations

import datetime as dt

import pytest

from storage.rules.workdays import FIVE_DAYS, WorkWeek, WorkdaysError, work_week_from

D = dt.date


def test_a_plain_week_skips_the_weekend():
    week = WorkWeek()
    assert week.why_off(D(2026, 12, 5)) == "a Saturday"
    assert week.why_off(D(2026, 12, 6)) == "a Sunday"
    assert week.on_or_after(D(2026, 12, 5)) == D(2026, 12, 7)
    assert week.after(D(2026, 12, 4)) == D(2026, 12, 7)  # Friday → Monday
    assert week.next_days(D(2026, 12, 4), 3) == [D(2026, 12, 4), D(2026, 12, 7), D(2026, 12, 8)]


@pytest.mark.parametrize(
    "country, region, day, name",
    [
        ("FR", "", D(2026, 12, 25), "Christmas Day"),
        ("FR", "", D(2026, 7, 14), "National Day"),
        ("US", "CA", D(2026, 11, 26), "Thanksgiving Day"),
        ("DE", "BY", D(2026, 1, 6), "Epiphany"),  # a holiday in Bavaria only
        ("GB", "SCT", D(2026, 1, 2), "New Year Holiday"),  # Scotland's second of January
    ],
)
def test_public_holidays_of_several_countries_are_days_off(country, region, day, name):
    week = WorkWeek(country=country, region=region)
    assert week.holiday(day) == name
    assert week.why_off(day) == f"{name} (a public holiday)"
    assert week.on_or_after(day) > day


def test_a_region_has_its_own_holidays():
    assert WorkWeek(country="DE", region="BY").holiday(D(2026, 1, 6)) == "Epiphany"
    assert WorkWeek(country="DE", region="BE").holiday(D(2026, 1, 6)) is None  # not in Berlin


def test_christmas_on_a_friday_in_france_moves_to_monday():
    week = WorkWeek(country="FR")
    assert D(2026, 12, 25).weekday() == 4
    assert week.on_or_after(D(2026, 12, 25)) == D(2026, 12, 28)


def test_the_reps_own_days_off_and_a_shorter_week():
    week = work_week_from({"days": ["mon", "tue", "wed", "thu"], "days_off": ["2026-12-28..2026-12-30", "2027-01-04"]})
    assert week.why_off(D(2026, 12, 4)) == "a Friday"
    assert week.why_off(D(2026, 12, 29)) == "your day off"
    assert week.on_or_after(D(2026, 12, 28)) == D(2026, 12, 31)
    assert week.after(D(2026, 12, 31)) == D(2027, 1, 5)  # Friday, the weekend, then the day off


def test_a_weekend_worker_works_on_sunday():
    week = work_week_from({"days": ["Wednesday", "thursday", "fri", "sat", "sun"]})
    assert week.is_working(D(2026, 12, 6))
    assert week.why_off(D(2026, 12, 7)) == "a Monday"


def test_defaults_are_monday_to_friday_without_holidays():
    week = work_week_from(None)
    assert week.weekdays == FIVE_DAYS and week.country == "" and week.holiday(D(2026, 12, 25)) is None


@pytest.mark.parametrize(
    "table, words",
    [
        ({"days": []}, "at least one working day"),
        ({"days": ["mon", "funday"]}, "'funday' is not a weekday"),
        ({"days": "mon-fri"}, "a list of weekdays"),
        ({"country": "XX"}, "No public holidays are known for the country 'XX'"),
        ({"country": "FR", "region": "ZZ"}, "FR has no region 'ZZ'"),
        ({"region": "BY"}, "needs its country"),
        ({"days_off": ["24/12/2026"]}, "'24/12/2026' is not a date"),
        ({"days_off": ["2026-12-31..2026-12-24"]}, "ends before it starts"),
        ({"country": 33}, "a code in quotes"),
    ],
)
def test_a_week_that_cannot_be_used_is_said_in_words(table, words):
    with pytest.raises(WorkdaysError, match=words.replace("(", r"\(")):
        work_week_from(table)


def test_toml_dates_are_taken_as_they_are():
    week = work_week_from({"days_off": [D(2026, 12, 24)]})
    assert week.why_off(D(2026, 12, 24)) == "your day off"


def test_a_suggestion_that_lands_on_a_day_off_moves_to_the_next_working_day_and_says_why():
    from storage.rules.dates import parse_when
    from storage.rules.workdays import working_suggestion

    import pendulum

    week = WorkWeek(country="FR")
    assert working_suggestion(7, D(2026, 11, 30), week) == ("+1w", None)  # Mon → Mon
    text, why = working_suggestion(7, D(2026, 11, 29), week)  # Sun + 1w is a Sunday
    assert (text, why) == ("dec 7", "Sun 6 Dec is a Sunday")
    assert parse_when(text, pendulum.datetime(2026, 11, 29, tz="Europe/Paris")).day == D(2026, 12, 7)
    assert working_suggestion(25, D(2026, 11, 30), week) == ("dec 28", "Fri 25 Dec is Christmas Day (a public holiday)")
    # a suggestion a year out reads back in the right year
    text, _ = working_suggestion(90, D(2026, 11, 30), week)
    assert parse_when(text, pendulum.datetime(2026, 11, 30, tz="Europe/Paris")).day == D(2027, 3, 1)

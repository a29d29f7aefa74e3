"""storage/rules/zones.py: a time zone by city or country, as a rep names it; a country with
several clocks is a question, not a guess; and the checks keep the zone's real name."""

from __future__ import annotations

import zoneinfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storage.actions.checks import check_prospect_fields
from storage.book.errors import InvalidInput
from storage.rules.zones import COUNTRIES, SEVERAL, ZoneError, resolve_zone, zone_words


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("Paris", "Europe/Paris"),
        ("new york", "America/New_York"),
        ("New_York", "America/New_York"),
        ("Japan", "Asia/Tokyo"),  # not the old alias "Japan"
        ("  the Netherlands ", "Europe/Amsterdam"),
        ("UK", "Europe/London"),
        ("buenos aires", "America/Argentina/Buenos_Aires"),  # the real place, not the old alias
        ("europe/paris", "Europe/Paris"),
        ("America/New_York", "America/New_York"),
        ("UTC", "UTC"),
        ("", ""),
    ],
)
def test_a_zone_by_city_country_or_name(text, zone):
    assert resolve_zone(text) == zone


@pytest.mark.parametrize("text", ["US", "usa", "Canada", "Australia"])
def test_a_country_with_several_clocks_asks_which_city(text):
    with pytest.raises(ZoneError, match="Which city"):
        resolve_zone(text)


def test_the_cities_a_question_suggests_are_zones_and_the_countries_table_is_real():
    for first, second in SEVERAL.values():
        resolve_zone(first), resolve_zone(second)
    available = zoneinfo.available_timezones()
    assert all(zone in available for zone in COUNTRIES.values())
    assert {"Paris", "New York", "Japan"} <= set(zone_words())


def test_an_unknown_place_says_what_to_type():
    with pytest.raises(ZoneError, match="Unknown time zone 'Mars/Olympus'; type a city"):
        resolve_zone("Mars/Olympus")


def test_the_book_keeps_the_zones_real_name():
    assert check_prospect_fields({"timezone": "paris"})["timezone"] == "Europe/Paris"
    with pytest.raises(InvalidInput) as caught:
        check_prospect_fields({"timezone": "US"})
    assert caught.value.field == "timezone" and "Which city?" in caught.value.message


@given(st.text(max_size=40))
def test_any_text_is_a_zone_or_the_rules_own_error(text):
    try:
        zone = resolve_zone(text)
    except ZoneError as exc:
        assert "\n" not in str(exc)
    else:
        assert zone == "" or zone in zoneinfo.available_timezones()

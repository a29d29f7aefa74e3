"""A time zone as a rep names it → its IANA name. Pure: no I/O, no database.

A rep knows where a prospect is, not what the tz database calls it: "Paris" → Europe/Paris,
"new york" → America/New_York, "Japan" → Asia/Tokyo. Cities come from zoneinfo's own names (their
last part); countries from a small table of the ones that keep one clock. A country that keeps
several ("US", "Canada", "Australia") is not guessed: the rep is asked which city.
"""

from __future__ import annotations

import functools
import zoneinfo


class ZoneError(ValueError):
    """A name that is no time zone, or several; str() is the rep's one-line message."""


# Countries with one clock for (nearly) everyone: the rep means the capital's.
COUNTRIES = {
    "argentina": "America/Argentina/Buenos_Aires", "austria": "Europe/Vienna", "belgium": "Europe/Brussels",
    "bulgaria": "Europe/Sofia", "china": "Asia/Shanghai", "colombia": "America/Bogota", "croatia": "Europe/Zagreb",
    "czechia": "Europe/Prague", "czech republic": "Europe/Prague", "denmark": "Europe/Copenhagen",
    "egypt": "Africa/Cairo", "england": "Europe/London", "estonia": "Europe/Tallinn", "finland": "Europe/Helsinki",
    "france": "Europe/Paris", "germany": "Europe/Berlin", "greece": "Europe/Athens", "hong kong": "Asia/Hong_Kong",
    "hungary": "Europe/Budapest", "iceland": "Atlantic/Reykjavik", "india": "Asia/Kolkata", "ireland": "Europe/Dublin",
    "israel": "Asia/Jerusalem", "italy": "Europe/Rome", "japan": "Asia/Tokyo", "kenya": "Africa/Nairobi",
    "korea": "Asia/Seoul", "south korea": "Asia/Seoul", "latvia": "Europe/Riga", "lithuania": "Europe/Vilnius",
    "luxembourg": "Europe/Luxembourg", "malaysia": "Asia/Kuala_Lumpur", "morocco": "Africa/Casablanca",
    "netherlands": "Europe/Amsterdam", "holland": "Europe/Amsterdam", "new zealand": "Pacific/Auckland",
    "nigeria": "Africa/Lagos", "norway": "Europe/Oslo", "pakistan": "Asia/Karachi", "peru": "America/Lima",
    "philippines": "Asia/Manila", "poland": "Europe/Warsaw", "portugal": "Europe/Lisbon", "romania": "Europe/Bucharest",
    "saudi arabia": "Asia/Riyadh", "scotland": "Europe/London", "serbia": "Europe/Belgrade",
    "slovakia": "Europe/Bratislava", "slovenia": "Europe/Ljubljana", "south africa": "Africa/Johannesburg",
    "spain": "Europe/Madrid", "sweden": "Europe/Stockholm", "switzerland": "Europe/Zurich", "taiwan": "Asia/Taipei",
    "thailand": "Asia/Bangkok", "turkey": "Europe/Istanbul", "uae": "Asia/Dubai",
    "united arab emirates": "Asia/Dubai", "uk": "Europe/London", "united kingdom": "Europe/London",
    "great britain": "Europe/London", "britain": "Europe/London", "ukraine": "Europe/Kyiv",
    "vietnam": "Asia/Ho_Chi_Minh", "wales": "Europe/London",
}

# Countries with several clocks: which one is a question, with two cities as the example.
SEVERAL = {
    "us": ("New York", "Los Angeles"), "usa": ("New York", "Los Angeles"),
    "united states": ("New York", "Los Angeles"), "america": ("New York", "Los Angeles"),
    "canada": ("Toronto", "Vancouver"), "australia": ("Sydney", "Perth"), "brazil": ("Sao Paulo", "Manaus"),
    "mexico": ("Mexico City", "Tijuana"), "russia": ("Moscow", "Vladivostok"), "indonesia": ("Jakarta", "Makassar"),
    "kazakhstan": ("Almaty", "Aqtobe"), "chile": ("Santiago", "Easter"),
}

# the regions the tz database files real places under; "US/Eastern", "Etc/GMT+5" are old aliases
_REGIONS = ("Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific")


def _key(text: str) -> str:
    return " ".join(text.replace("_", " ").casefold().split())


@functools.cache
def _names() -> dict[str, str]:
    """Every zone by its own name, case-blind ("europe/paris")."""
    return {_key(name): name for name in zoneinfo.available_timezones()}


@functools.cache
def _cities() -> dict[str, str]:
    """Every city the tz database names → its zone. A city named twice (America/Buenos_Aires is
    an old alias of America/Argentina/Buenos_Aires) goes to the real place's, the longer name."""
    found: dict[str, str] = {}
    for name in sorted(zoneinfo.available_timezones(), key=lambda n: (n.count("/"), n)):
        if name.split("/")[0] in _REGIONS and "/" in name:
            found[_key(name.rsplit("/", 1)[1])] = name
    return found


def resolve_zone(text: str) -> str:
    """The IANA name for what the rep typed: a zone's own name (any case), a city, or a country
    with one clock; "" for nothing typed. ZoneError otherwise, saying what to type."""
    key = _key(text)
    if not key:
        return ""
    if key.startswith("the "):  # "the Netherlands"
        key = key[4:]
    # a country first: "Japan" and "Singapore" are also old alias names the rep does not mean
    for table in (COUNTRIES, _cities(), _names()):
        if key in table and table[key] in zoneinfo.available_timezones():
            return table[key]
    shown = text.strip() if len(text.strip()) <= 40 else text.strip()[:39] + "…"
    if key in SEVERAL:
        first, second = SEVERAL[key]
        raise ZoneError(f"Which city? {shown!r} has several time zones: type a city, like {first} or {second}.")
    raise ZoneError(f"Unknown time zone {shown!r}; type a city (Paris), a country (Japan) or a name like Europe/Paris.")


@functools.cache
def zone_words() -> tuple[str, ...]:
    """What a zone field may complete to as the rep types: cities, then countries, as written."""
    cities = sorted({name.rsplit("/", 1)[1].replace("_", " ") for name in _cities().values()})
    return (*cities, *sorted(country.title() for country in COUNTRIES if len(country) > 3))

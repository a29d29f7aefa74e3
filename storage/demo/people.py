"""Who is in a generated book: names, companies, emails, phones, deal values.

The functions are shared with the big book for benchmarks (bench.bigbook), which draws its
people its own (faster) way from the same material; `Directory` is the demo's.
"""

from __future__ import annotations

import math
import random
import re
import unicodedata
from typing import Any

from storage.demo.draws import Draws
from storage.demo.material import (
    BEST_TIME,
    CO_PREFIX,
    CO_TRADE,
    FIRST,
    FR_PLACE,
    FR_TRADE_LAST,
    FR_TRADE_PLACE,
    JP_TRADE,
    LAST,
    PREFERRED,
    REGIONS,
    SOURCES,
    TITLES,
)

ZONE_DOMAINS = {"Europe/Paris": ".fr", "Europe/London": ".co.uk", "Asia/Tokyo": ".co.jp"}  # else .com
_NOT_IN_DOMAINS = ("co", "des", "du", "de", "la")
_NOT_DECOMPOSED = str.maketrans({"ø": "o", "Ø": "O", "ß": "ss", "ł": "l", "Ł": "L", "œ": "oe", "Œ": "Oe"})


def ascii_folded(text: str) -> str:
    """For email addresses: Núñez → Nunez."""
    folded = unicodedata.normalize("NFKD", text.translate(_NOT_DECOMPOSED))
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


def slug(text: str) -> str:
    """A word as it appears in an address: Núñez → nunez."""
    return re.sub(r"[^a-z0-9]+", "", ascii_folded(text).lower())


def email_address(roll: float, first: str, last: str, domain: str) -> str:
    """A plausible work (or personal) address, chosen by `roll` in [0, 1), from slugs."""
    if roll < 0.08:
        return f"{first}.{last}@gmail.com"
    if roll < 0.15:
        return f"contact@{domain}"
    if roll < 0.35:
        return f"{first[:1]}{last}@{domain}"
    if roll < 0.45:
        return f"{first}@{domain}"
    return f"{first}.{last}@{domain}"


def company_name(rng: random.Random, zone: str) -> str:
    """A company name that sounds like the zone."""
    roll = rng.random()
    if zone == "Europe/Paris" and roll < 0.25:
        return f"{rng.choice(FR_TRADE_LAST)} {rng.choice(LAST[zone])}"
    if zone == "Europe/Paris" and roll < 0.5:
        return f"{rng.choice(FR_TRADE_PLACE)} {rng.choice(FR_PLACE)}"
    if zone == "Asia/Tokyo" and roll < 0.6:
        return f"{rng.choice(LAST[zone])} {rng.choice(JP_TRADE)}"
    return f"{rng.choice(CO_PREFIX)} {rng.choice(CO_TRADE)}"


def company_domain(name: str, zone: str, *, dotcom: bool = False, dash: bool = False) -> str:
    """The company's web domain: its first two telling words, under the zone's ending (or .com)."""
    words = [slug(word) for word in name.replace("&", " ").split()]
    words = [word for word in words if word and word not in _NOT_IN_DOMAINS]
    ending = ".com" if dotcom else ZONE_DOMAINS.get(zone, ".com")
    return ("-" if dash else "").join(words[:2]) + ending


def deal_value(rng: random.Random) -> int:
    """0 to 80,000, skewed small, round-ish."""
    if rng.random() < 0.05:
        return 0
    value = min(math.exp(rng.gauss(8.4, 1.05)), 80_000)
    step = 50 if value < 1_000 else 250 if value < 5_000 else 500 if value < 10_000 else 1_000 if value < 40_000 else 5_000
    return max(step, round(value / step) * step)


class Directory:
    """The demo's people: names seldom repeat, a few work at a company already in the book."""

    def __init__(self, draw: Draws) -> None:
        self.draw = draw
        self.rng = draw.rng
        self.names: set[str] = set()
        self.companies: list[tuple[str, str, str]] = []  # (name, domain, zone), in creation order
        self.company_names: set[str] = set()

    def person(self, special: dict[str, Any] | None) -> tuple[dict[str, Any], str]:
        """(the prospect's fields, their first name); `special` fields replace drawn ones."""
        rng, draw = self.rng, self.draw
        zone = special["timezone"] if special else draw.weighted(REGIONS)
        first, last = rng.choice(FIRST[zone]), rng.choice(LAST[zone])
        for _ in range(20):
            if f"{first} {last}" not in self.names:
                break
            first, last = rng.choice(FIRST[zone]), rng.choice(LAST[zone])
        company, domain = self.company(zone)
        email = self.email(first, last, domain) if rng.random() > 0.05 else ""
        fields: dict[str, Any] = {
            "name": f"{first} {last}",
            "company": company,
            "title": draw.weighted(TITLES),
            "email": email,
            "phone": self.phone(zone) if rng.random() > 0.08 else "",
            "preferred_channel": draw.weighted(PREFERRED),
            "best_time": draw.weighted(BEST_TIME),
            "timezone": zone,
            "deal_value": deal_value(rng),
            "source": draw.weighted(SOURCES),
            "referred_by": None,
        }
        if special:
            fields.update(special)
            first = special["name"].split()[0]
        self.names.add(fields["name"])
        return fields, first

    def company(self, zone: str) -> tuple[str, str]:
        rng = self.rng
        same_zone = [c for c in self.companies if c[2] == zone]
        if same_zone and rng.random() < 0.08:  # a second contact at a company already in the book
            name, domain, _ = rng.choice(same_zone)
            return name, domain
        for _ in range(30):
            name = company_name(rng, zone)
            if name not in self.company_names:
                break
        domain = company_domain(name, zone, dotcom=rng.random() < 0.3, dash=rng.random() < 0.3)
        self.company_names.add(name)
        self.companies.append((name, domain, zone))
        return name, domain

    def email(self, first: str, last: str, domain: str) -> str:
        return email_address(self.rng.random(), slug(first), slug(last), domain)

    def phone(self, zone: str) -> str:
        rng = self.rng

        def digits(k: int) -> str:
            return "".join(str(rng.randrange(10)) for _ in range(k))

        if zone == "Europe/London":  # Ofcom's ranges for drama: never a real line
            return rng.choice((f"+44 20 7946 0{digits(3)}", f"+44 7700 900{digits(3)}"))
        if zone == "America/New_York":
            return f"+1 {rng.choice(('212', '646', '718', '917'))} 555 01{digits(2)}"
        if zone == "Asia/Tokyo":
            return f"+81 3 {digits(4)} {digits(4)}"
        # ARCEP's ranges reserved for fiction (Paris landline, mobile)
        return f"+33 {rng.choice(('1 99 00', '6 39 98', '6 39 98'))} {digits(2)} {digits(2)}"

"""Who is in the big book: names, companies, contact details, drawn from the demo's material by
the demo's own functions (storage.demo.people), the big book's faster way (one roll a draw)."""

from __future__ import annotations

import math
import random
from typing import Any

from storage.demo.draws import FastDraws
from storage.demo.material import BEST_TIME, FIRST, LAST, PREFERRED, REGIONS, SOURCES, TITLES
from storage.demo.people import company_domain, company_name, deal_value, email_address, slug

MAX_TOUCHES = 60  # the long tail of the touch distribution (raised only if M/N demands it)
_INITIALS = "ABCDEFGHJKLMNPRSTVW"
_RECENT = 400  # companies remembered per zone for a second contact


class People:
    def __init__(self, draw: FastDraws):
        self.draw = draw
        self.rng = draw.rng
        self.recent: dict[str, list[tuple[str, str]]] = {zone: [] for zone in FIRST}
        self._slugs: dict[str, str] = {}
        self._domains: dict[str, str] = {}

    def slug(self, word: str) -> str:
        cached = self._slugs.get(word)
        if cached is None:
            cached = self._slugs[word] = slug(word)
        return cached

    def person(self) -> tuple[str, str, dict[str, Any]]:
        """(first name, zone, the prospect's fields)."""
        draw, rnd = self.draw, self.draw.roll
        zone = draw.weighted(REGIONS)
        lasts = LAST[zone]
        first, last = draw.pick(FIRST[zone]), draw.pick(lasts)
        roll = rnd()
        if roll < 0.12:
            name = f"{first} {draw.pick(_INITIALS)}. {last}"
        elif roll < 0.18:
            other = draw.pick(lasts)
            name = f"{first} {last}-{other}" if other != last else f"{first} {last}"
        else:
            name = f"{first} {last}"
        company, domain = self.company(zone)
        fields = {
            "name": name,
            "company": company,
            "title": draw.weighted(TITLES),
            "email": self.email(first, last, domain) if rnd() > 0.05 else "",
            "phone": self.phone(zone) if rnd() > 0.08 else "",
            "preferred_channel": draw.weighted(PREFERRED),
            "best_time": draw.weighted(BEST_TIME),
            "timezone": zone,
            "deal_value": deal_value(self.rng),
            "source": draw.weighted(SOURCES),
        }
        return first, zone, fields

    def company(self, zone: str) -> tuple[str, str]:
        rnd = self.draw.roll
        recent = self.recent[zone]
        if recent and rnd() < 0.08:  # a second contact at a company already in the book
            return self.draw.pick(recent)
        name = company_name(self.rng, zone)
        domain = self._domains.get(name)
        if domain is None:
            domain = self._domains[name] = company_domain(name, zone)
        if len(recent) < _RECENT:
            recent.append((name, domain))
        else:
            recent[int(rnd() * _RECENT)] = (name, domain)
        return name, domain

    def email(self, first: str, last: str, domain: str) -> str:
        return email_address(self.rng.random(), self.slug(first), self.slug(last), domain)

    def phone(self, zone: str) -> str:
        r = self.rng.randrange
        if zone == "Europe/London":
            return f"+44 7700 900{r(1000):03d}"
        if zone == "America/New_York":
            return f"+1 {('212', '646', '718', '917')[r(4)]} 555 01{r(100):02d}"
        if zone == "Asia/Tokyo":
            return f"+81 3 {r(10000):04d} {r(10000):04d}"
        return f"+33 {('1 99 00', '6 39 98')[r(2)]} {r(100):02d} {r(100):02d}"


def touch_counts(rng: random.Random, prospects: int, touches: int) -> list[int]:
    """Exactly `touches` spread over `prospects`, skewed: many with a few, some with 20-60."""
    if prospects == 0:
        if touches:
            raise ValueError("Touches need prospects to belong to.")
        return []
    cap = max(MAX_TOUCHES, 3 * math.ceil(touches / prospects))
    rnd = rng.random
    raw = []
    for _ in range(prospects):
        roll = rnd()
        if roll < 0.04:
            raw.append(0.0)
        elif roll < 0.58:
            raw.append(1 + rnd() * 4.5)  # a few
        elif roll < 0.86:
            raw.append(6 + rnd() * 13)  # a conversation
        else:
            raw.append(20 + 40 * rnd() ** 1.6)  # the long tail, 20-60
    total = sum(raw) or 1.0
    scale = touches / total
    counts = [min(cap, int(x * scale)) for x in raw]
    missing = touches - sum(counts)
    # the rounding remainder, one at a time, to prospects that have touches, never past the cap
    some = [i for i, x in enumerate(raw) if x > 0] or list(range(prospects))
    misses = 0
    while missing > 0:
        i = some[int(rnd() * len(some))]
        if counts[i] < cap:
            counts[i] += 1
            missing -= 1
        else:
            misses += 1
            if misses > 8 * prospects:  # nearly full: anyone with room
                some = [j for j in range(prospects) if counts[j] < cap]
                misses = 0
    return counts

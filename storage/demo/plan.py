"""The plan of a whole demo book: who is active (and in which queue section), won or dropped;
the prospects every demo has; the order they joined the book; who referred whom."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from storage.demo.material import SPECIALS
from storage.demo.story import Person, Story


def allocate(rng: random.Random, n: int) -> list[tuple[str, str | None]]:
    """Statuses (~70% active, ~18% won, ~12% dropped) and, for the active, queue sections."""
    won, dropped = round(n * 0.18), round(n * 0.12)
    active = n - won - dropped
    sections: list[str] = []
    for name, share in (("promised", 0.07), ("overdue", 0.15), ("today", 0.10), ("upcoming", 0.25), ("no_step", 0.05)):
        k = round(active * share)
        if active >= 12:
            k = max(k, 1)
        sections += [name] * min(k, active - len(sections))
    sections += ["later"] * (active - len(sections))
    plan: list[tuple[str, str | None]] = [("active", s) for s in sections]
    plan += [("won", None)] * won + [("dropped", None)] * dropped
    rng.shuffle(plan)
    return plan


def plan_book(rng: random.Random, now: dt.datetime, tz: str, n: int) -> list[Person]:
    """Every prospect's story, in the order they joined the book (the order of their ids)."""
    story = Story(rng, now, tz)
    plan = allocate(rng, n)
    specials: dict[int, dict[str, Any]] = {}
    for section, fields in SPECIALS:
        free = [i for i, (status, s) in enumerate(plan) if i not in specials]
        if not free:
            break
        matching = [i for i in free if plan[i] == ("active", section)]
        specials[(matching or free)[0]] = fields
    people = []
    for index, (status, section) in enumerate(plan):
        person = story.person(index, status, specials.get(index))
        if status == "active":
            story.active(person, section or "later")
        elif status == "won":
            story.won(person)
        else:
            story.dropped(person)
        people.append(person)

    # The book grew over time: ids follow the order prospects were added.
    people.sort(key=lambda p: (p.created_at, p.index))
    # Referrals come from people already in the book, customers most of all.
    for position, person in enumerate(people):
        if person.fields["source"] != "referral" or position == 0:
            continue
        if rng.random() < 0.75:
            earlier = people[:position]
            customers = [p for p in earlier if p.status == "won"]
            person.referrer = rng.choice(customers if customers and rng.random() < 0.6 else earlier)
        ref_name = person.referrer.fields["name"] if person.referrer else "a customer"
        for step in person.steps:
            step.what = step.what.replace("{ref}", ref_name)
    for person in people:
        for step in person.steps:
            step.what = step.what.replace("{ref}", "a customer")
    return people

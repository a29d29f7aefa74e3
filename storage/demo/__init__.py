"""A realistic demo book, generated on first use of `followup --demo`.

Everything is placed relative to `now`, so the demo always looks current: months of contact
history, won customers with check-ins, dropped prospects to revisit, and a queue with something
in every section (promised, overdue, today, upcoming, later, no next step).

Deterministic: the same seed and `now` give exactly the same book (one `random.Random(seed)`,
no global random, no dependence on set order). Fast: one transaction of bulk inserts, with the
derived fields computed here exactly as `storage.actions.refresh_derived` computes them.
Text goes through the same cleaning as a form (`clean_line`, `clean_text`), so the hostile names
in the demo are stored as the literal text a rep would see.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import peewee as pw
import pendulum

from storage.book.clock import utc_now
from storage import search
from storage.actions.bulk import bulk_load, values
from storage.book.models import Tag
from storage.rules.tags import tags_in
from storage.book.models import REPLY_OUTCOMES, FollowUp, Prospect, Touch, database
from storage.rules.text import clean_line, clean_text

DEMO_SEED = 7
CHUNK = 100  # rows per INSERT: well under SQLite's bound-variable limit for every table
MAX_TOUCHES = 14
HISTORY_DAYS = 185  # about six months

# ---------------------------------------------------------------------------------------------
# The raw material: names, companies, notes.

_REGIONS = (  # (time zone, weight)
    ("Europe/Paris", 70),
    ("Europe/London", 12),
    ("America/New_York", 12),
    ("Asia/Tokyo", 6),
)

_FIRST = {
    "Europe/Paris": (
        "Camille", "Léa", "Chloé", "Manon", "Inès", "Émilie", "Hélène", "Margaux", "Juliette", "Océane",
        "Clémence", "Sophie", "Nathalie", "Isabelle", "Amélie", "Gaëlle", "Noémie", "Maëlle", "Thomas",
        "Lucas", "Hugo", "Théo", "Julien", "Nicolas", "Antoine", "François", "Jérôme", "Sébastien",
        "Mathieu", "Olivier", "Rémi", "Benoît", "Grégoire", "Loïc", "Karim", "Yasmine", "Mehdi",
        "Jürgen", "Søren", "Björn", "Łukasz", "Núria", "Ana", "Matteo", "Giulia", "Anaïs",
    ),
    "Europe/London": (
        "Oliver", "George", "Harry", "Jack", "Charlie", "Amelia", "Olivia", "Isla", "Emily", "Poppy",
        "Grace", "Siobhan", "Niamh", "Rhys", "Callum", "Priya", "Aisha", "Tom", "Hannah", "James",
        "Eleanor", "Fiona", "Declan", "Imogen",
    ),
    "America/New_York": (
        "Emma", "Ava", "Mia", "Madison", "Abigail", "Michael", "Daniel", "Ethan", "Noah", "Tyler",
        "Brandon", "Jasmine", "Keisha", "DeShawn", "Marcus", "Rosa", "Luis", "Carmen", "Mei", "Kevin",
        "Sarah", "Rachel", "David", "Ángel",
    ),
    "Asia/Tokyo": (
        "Hiroshi", "Yuki", "Haruto", "Sakura", "Aiko", "Kenji", "Takeshi", "Yui", "Ren", "Mei", "Sōta",
        "Hana", "Kaito", "Emi",
    ),
}
_LAST = {
    "Europe/Paris": (
        "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
        "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
        "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet",
        "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin", "Henry", "Perrin", "Morin",
        "Clément", "Gauthier", "Fontaine", "Chevalier", "Masson", "Gérard", "Nguyen", "Boyer",
        "Lemaire", "Duval", "Joly", "Noël", "Meyer", "Pérez", "Marchand", "Dufour", "Brunet",
        "Rivière", "Arnaud", "Barbier", "Leclerc", "Benali", "Haddad", "Diallo", "Traoré",
        "Weiß", "Nørgaard", "Åkesson", "Wójcik", "Conceição", "Puig", "Ricci", "Schäfer", "Œuvray",
    ),
    "Europe/London": (
        "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Davies", "Patel", "Wright",
        "Robinson", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood",
        "Clarke", "Hughes", "O'Brien", "Khan", "Ahmed", "Murphy", "MacLeod", "Fitzgerald",
    ),
    "America/New_York": (
        "Johnson", "Williams", "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez",
        "Gonzalez", "Anderson", "Jackson", "Lee", "Kim", "Chen", "Goldberg", "Cohen", "Russo",
        "O'Connor", "Washington", "Ramírez", "Sullivan", "Park",
    ),
    "Asia/Tokyo": (
        "Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Itō", "Yamamoto", "Nakamura",
        "Kobayashi", "Katō", "Yoshida", "Yamada", "Ōta",
    ),
}

_CO_PREFIX = (
    "Northwind", "Brightline", "Bluefield", "Copperleaf", "Harbor Point", "Oakridge", "Silverbirch",
    "Redwood", "Stonebridge", "Kestrel", "Meadowlark", "Ironbark", "Lakeside", "Summit", "Greenway",
    "Foxglove", "Riverside", "Tidewater", "Granite", "Evergreen", "Westgate", "Pinecrest",
    "Blue Heron", "Cobalt", "Juniper", "Larkspur", "Highfield", "Thornbury", "Wexford", "Beacon",
    "Crescent", "Fairview", "Hollybrook", "Marlow", "Old Mill", "Quayside", "Saltmarsh", "Windmill",
)
_CO_TRADE = (
    "Bakery", "Logistics", "Dental Care", "Architects", "Print Studio", "Coffee Roasters", "Hardware",
    "Cycles", "Solar", "Legal", "Veterinary Clinic", "Florists", "Accounting", "Fitness",
    "Brewing Co.", "Interiors", "Plumbing", "Joinery", "Catering", "Physio", "Opticians",
    "Pet Supplies", "Hotels", "Wine Merchants", "Garden Centre", "IT Services", "Packaging",
    "Motors", "Ceramics", "Bookshop",
)
_FR_TRADE_LAST = (
    "Boulangerie", "Garage", "Imprimerie", "Transports", "Menuiserie", "Cabinet", "Pâtisserie",
    "Plomberie", "Librairie", "Optique",
)
_FR_TRADE_PLACE = ("Pharmacie", "Hôtel", "Brasserie", "Cave", "Fromagerie", "Atelier", "Crèmerie", "Salon")
_FR_PLACE = (
    "des Tilleuls", "des Lilas", "des Marronniers", "des Halles", "des Quais", "des Trois Ponts",
    "du Vieux Port", "Saint-Roch", "de Belleville", "du Canal", "de la Gare", "du Marché",
)
_JP_TRADE = ("Shōten", "Kōgyō", "Trading", "Design", "Logistics", "Foods")

_TITLES = (
    ("Owner", 14), ("Co-founder", 5), ("Managing Director", 8), ("Office Manager", 10),
    ("Head of Purchasing", 8), ("Operations Manager", 9), ("Procurement Lead", 6), ("Store Manager", 6),
    ("Finance Director", 5), ("Practice Manager", 4), ("Facilities Manager", 4), ("IT Manager", 4),
    ("Marketing Lead", 4), ("General Manager", 5), ("Head Chef", 2), ("", 4),
)
_BEST_TIME = (
    ("", 28), ("weekdays 8–10am", 12), ("afternoons", 12), ("mornings", 9), ("after 4pm", 6),
    ("Tue/Thu only", 5), ("lunchtime 12–2", 5), ("before 9am", 4), ("not Mondays", 5),
    ("evenings — runs the shop by day", 3), ("Fridays after 3pm", 3),
)
_SOURCES = (("website", 30), ("referral", 20), ("trade show", 15), ("cold list", 20), ("LinkedIn", 15))
_PREFERRED = (
    ("call", 30), ("email", 35), ("text", 12), ("social", 6), ("meeting", 8), ("letter", 2),
    ("card", 1), ("other", 1), (None, 5),
)
_TOUCH_CHANNELS = (
    ("call", 27), ("email", 30), ("text", 11), ("social", 8), ("meeting", 8), ("letter", 6),
    ("card", 5), ("other", 5),
)
_TOUCH_COUNTS = {  # touches per prospect: many at 1–4, a good number at 5–12
    "active": (7, 12, 12, 11, 10, 8, 7, 6, 5, 5, 4, 3, 3, 2, 2),
    "won": (0, 0, 3, 5, 6, 10, 10, 10, 9, 8, 6, 5, 4, 2, 2),
    "dropped": (0, 6, 8, 12, 12, 6, 5, 3, 2, 2, 1, 1, 1, 0, 0),
}
_HOURS = (8, 9, 9, 10, 10, 11, 11, 12, 14, 14, 15, 15, 16, 16, 17, 18)
_STEP_HOURS = (9, 10, 10, 11, 14, 14, 15, 16, 17)
_STEP_MINUTES = (0, 0, 0, 15, 30, 30, 45)

_COMPETITORS = ("Contoso", "Fabrikam", "Initech", "Globex", "Umbrella Supplies", "Wayne & Co")
_SHOWS = ("Salon des Entrepreneurs", "SME Expo", "the regional trade fair", "Retail Tech Show")
_PRODUCTS = ("the starter plan", "the annual plan", "a pilot at one site", "the premium bundle", "samples")
_MONTHS = ("January", "February", "March", "April", "September", "October")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")

_REPLY_WEIGHTS = {  # outcome weights when the prospect answers, by channel group
    "call": (("talked", 55), ("meeting booked", 15), ("not now", 25), ("not interested", 2)),
    "meeting": (("talked", 60), ("meeting booked", 25), ("not now", 10), ("not interested", 2)),
    "written": (("replied", 62), ("meeting booked", 12), ("not now", 20), ("not interested", 2)),
}
_SILENT_WEIGHTS = {
    "call": (("left message", 55), ("no answer", 45)),
    "meeting": (("no answer", 100),),
    "written": (("no answer", 100),),
}
_IN_WEIGHTS = (("replied", 75), ("meeting booked", 15), ("not now", 10))  # "replied" is "talked" by voice
_IN_CHANNELS = (("call", 35), ("email", 35), ("text", 12), ("social", 8), ("meeting", 10))

# Notes: by outcome, then by channel group ("call" covers call and other; "post" is letter and card).
_NOTES: dict[str, dict[str, tuple[str, ...]]] = {
    "no answer": {
        "call": (
            "Rang twice, no pickup.", "No answer; didn't leave a message.", "Rang at lunchtime — nothing.",
            "Voicemail full.",
        ),
        "written": ("No reply.", "Nothing back yet.", "Read receipt, no answer.", "No reply.\nTry calling next time."),
        "meeting": ("No-show; rebook.", "They cancelled on the day, no new date."),
        "post": ("Posted; nothing back.", "Sent — no response yet."),
        "any": ("", ""),
    },
    "left message": {
        "call": (
            "Left voicemail re: the quote.", "Left a message with reception — {first} in meetings all day.",
            "Left VM, will try email next.", "Left a short message: asked for 10 minutes this week.",
            "Voicemail. Mentioned {product}.",
        ),
    },
    "talked": {
        "call": (
            "Good chat. Busy season until the 15th, call back after.",
            "Talked 10 min. Wants pricing for {n} units.\nSending quote tomorrow.",
            "Asked whether we deliver on Saturdays. Checking with ops.",
        ),
        "meeting": (
            "Walked through {product}.\n- decision by end of month\n- {competitor} is the incumbent #competitor"
            "\n- budget ~{n}k",
            "Demo went well; {first} wants the owner to see it too.",
            "Visited the site. Two locations, one decision-maker.",
        ),
        "any": (
            "Said {competitor} quoted {pct}% less #competitor #price",
            "Happy with {competitor} but open to {product}. #competitor",
            "Liked the samples, packaging felt cheap though #feedback",
            "Wants references from similar businesses nearby.",
            "Our onboarding looked too long to them #feedback",
            "Price is fine if delivery is under 48h #price #feedback",
        ),
    },
    "replied": {
        "written": (
            "Replied: send the brochure.", "Thanks for the info — will discuss with partner.",
            "Replied asking for the price list. #price",
            "Says {competitor} offers free setup — can we match? #competitor #price",
            "Short reply: 'after the holidays'.", "Forwarded to their ops lead, {first} cc'd.",
            "Wrote back: loved the demo video #feedback",
            "Replied with questions:\n1. contract length?\n2. can we pause in August?\n3. invoice monthly?",
        ),
        "post": (
            "Emailed back after the postcard — wants the catalogue.",
            "Got the card; replied with a thank-you and a question on prices. #price",
        ),
    },
    "meeting booked": {
        "any": (
            "Meeting booked for {weekday}, bring samples.", "Demo booked with {first} and their ops lead.",
            "Site visit booked — {weekday} 10am.", "Booked a call with the owner for {weekday}.",
        ),
    },
    "not now": {
        "any": (
            "Not before Q1 — budget frozen. #price", "Ask again in spring.",
            "Just signed a year with {competitor}; renewal in {month}. #competitor",
            "Moving premises, ask again in {month}.", "Too busy this quarter. Keep in touch.",
        ),
    },
    "not interested": {
        "any": (
            "Not interested, too expensive. #price", "Went with {competitor}. #competitor",
            "Does it all in-house now.", "Not for them — too small an operation.",
        ),
    },
}
_IN_NOTES: dict[str, dict[str, tuple[str, ...]]] = {
    "replied": {
        "written": (
            "Wrote in first: wants a quote for {n} units.", "Got in touch out of the blue — ready to talk now.",
            "Answered my old message: 'yes, send details'.",
        ),
    },
    "talked": {
        "call": (
            "They rang us about lead times.\nCan we deliver on Saturdays?",
            "Called back after my voicemail — interested in {product}.",
            "Called: {competitor} let them down on delivery #competitor #feedback",
        ),
        "meeting": ("Came by the showroom — good chat about {product}.",),
    },
    "meeting booked": {"any": ("Asked to meet — booked for {weekday}.", "They proposed a visit on {weekday}; accepted.")},
    "not now": {"any": ("Got in touch to say 'not this quarter, sorry'.",)},
}
_FIRST_TOUCH = {  # source: (channel, direction, outcome, note)
    "website": ("email", "in", "replied", "Website form: asks about {product}.\n\"Can you call me {weekday}?\""),
    "trade show": (
        "meeting", "in", "talked",
        "Met at the {show} stand.\n- {n} staff\n- wants a quote\n- currently with {competitor} #competitor",
    ),
}
_WON_NOTES = (
    "Signed! {n}-month contract, starts in {month}.",
    "Verbal yes — contract signed the same afternoon.\nSend the welcome pack.",
    "Order confirmed: {product}. Said our follow-up made the difference #feedback",
    "Signed after the second demo. {competitor} was {pct}% cheaper but slower #competitor #price",
)
_POST_SALE = (  # (kind, channel, outcome, note) of touches after the sale
    ("check-in", "call", "talked", "Check-in call: all good, wants to add a second site."),
    ("check-in", "email", "replied", "Check-in email: 'all running smoothly' #feedback"),
    ("check-in", "meeting", "talked", "Visited: the team uses it daily. Asked for a referral — got two names."),
    ("check-in", "call", "left message", "Check-in: left a message, nothing urgent."),
    ("thank-you", "card", "replied", "Thank-you card for the first order — they emailed back a photo."),
    ("service", "call", "talked", "Service call: invoice address was wrong, fixed."),
    ("new offering", "email", "replied", "Told them about the new range — interested for spring."),
)
_DROP_REASONS = (  # (reason, forced outcome of the last touch before the drop, chance of a revisit date)
    ("Went with a competitor", "not interested", 0.5),
    ("No budget this year", "not now", 0.8),
    ("Not interested", "not interested", 0.1),
    ("No reply after {count} tries", None, 0.4),
    ("Happy with their current supplier; renewal in {month}", "not now", 0.9),
    ("Too small for us to serve well", "talked", 0.0),
    ("Company being sold — revisit after", "not now", 0.8),
)
_LAST_NOTES = (
    "Last note: I'll stop chasing for now — if anything changes, I'm one call away.",
    "Closing the file on my side. Door's open whenever the timing is better.",
    "Sent a last short message: 'Should I close your file?'",
)
_WHAT = {
    "new prospect": (
        "Intro call", "Send the brochure + short intro", "First call: qualify budget and timing",
        "Follow up on the first contact",
    ),
    "in progress": (  # kind "new prospect", once the conversation has started
        "Send a quote", "Follow up on the quote", "Ask for the decision date", "Check they got the proposal",
        "Book a demo with the decision-maker", "Send references from similar businesses",
    ),
    "hard-to-reach": (
        "Try again at a different time of day", "Try another channel", "Short message with one yes/no question",
        "Ask reception for the best time to reach them", "Last try before the break-up note",
    ),
    "referral": ("Call — referred by {ref}", "Intro email mentioning {ref}", "Mention that {ref} sent us"),
    "service": ("Check the first delivery went well", "Follow up on the support ticket", "Confirm the invoice was sorted"),
    "new offering": (
        "Tell them about the new spring range", "Show the new annual plan — 2 months free",
        "Invite to the product launch webinar",
    ),
    "thank-you": (
        "Thank-you card for the first year", "Send a thank-you note for the referral",
        "Handwritten thank-you after the renewal",
    ),
    "check-in": (
        "30-day check-in", "Quarterly check-in", "Check-in: ask how the team is finding it",
        "Check-in, and ask for a referral",
    ),
}
_PROMISED_WHAT = (
    "Send the revised quote (promised)", "Call back with delivery dates, as promised",
    "Promised: samples by {weekday}", "Promised to call back after their board meeting",
    "Send the contract draft I promised", "Promised a callback with the discount answer",
)
_WON_STEP_KINDS = (("check-in", 55), ("thank-you", 15), ("service", 15), ("new offering", 15))

# The prospects every demo has, to show that names and companies are shown as typed.
_SPECIALS = (
    # (preferred queue section, fields)
    ("today", {"name": "[bold]Ada[/bold] Lovelace", "company": "Analytical Engines Ltd", "title": "Head of Research",
               "email": "ada@analytical-engines.co.uk", "timezone": "Europe/London"}),
    ("overdue", {"name": "Dana Reyes", "company": "\x1b[31mRed Corp", "title": "Procurement Lead",
                 "email": "dana.reyes@redcorp.com", "timezone": "America/New_York"}),
    ("promised", {"name": "Zoë Müller", "company": "Müller & Töchter Feinkost", "title": "Owner",
                  "email": "zoe.muller@mueller-feinkost.de", "timezone": "Europe/Paris"}),
    ("upcoming", {"name": "José Núñez", "company": "Núñez Cerámica", "title": "Managing Director",
                  "email": "jose.nunez@nunezceramica.es", "timezone": "Europe/Paris"}),
)


# ---------------------------------------------------------------------------------------------
# The plan, in memory, before it is written.


@dataclass
class _Step:
    due_at: dt.datetime
    has_time: bool
    channel: str
    what: str
    kind: str
    promised: bool
    created_at: dt.datetime
    done_at: dt.datetime | None = None
    resolution: str | None = None
    id: int = 0


@dataclass
class _Touch:
    day: int  # day offset from today, in the rep's zone
    at: dt.datetime
    channel: str
    direction: str
    outcome: str
    note: str
    kind: str = ""  # for a touch after the sale: what kind of step it answered
    step: _Step | None = None


@dataclass
class _Person:
    index: int
    fields: dict[str, Any]
    first: str
    status: str
    created_at: dt.datetime = dt.datetime.min
    closed_at: dt.datetime | None = None
    drop_reason: str = ""
    revisit_on: dt.date | None = None
    touches: list[_Touch] = field(default_factory=list)
    steps: list[_Step] = field(default_factory=list)  # every follow-up, the open one last
    open_step: _Step | None = None
    id: int = 0


def _pick(rng: random.Random, weighted: tuple) -> Any:
    values = [v for v, _ in weighted]
    weights = [w for _, w in weighted]
    return rng.choices(values, weights=weights)[0]


_NOT_DECOMPOSED = str.maketrans({"ø": "o", "Ø": "O", "ß": "ss", "ł": "l", "Ł": "L", "œ": "oe", "Œ": "Oe"})


def _ascii(text: str) -> str:
    """For email addresses: Núñez → Nunez."""
    folded = unicodedata.normalize("NFKD", text.translate(_NOT_DECOMPOSED))
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", _ascii(text).lower())


def email_address(roll: float, first: str, last: str, domain: str) -> str:
    """A plausible work (or personal) address, chosen by `roll` in [0, 1); shared with the big book."""
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
    """A company name that sounds like the zone (the demo and the big book draw the same way)."""
    roll = rng.random()
    if zone == "Europe/Paris" and roll < 0.25:
        return f"{rng.choice(_FR_TRADE_LAST)} {rng.choice(_LAST[zone])}"
    if zone == "Europe/Paris" and roll < 0.5:
        return f"{rng.choice(_FR_TRADE_PLACE)} {rng.choice(_FR_PLACE)}"
    if zone == "Asia/Tokyo" and roll < 0.6:
        return f"{rng.choice(_LAST[zone])} {rng.choice(_JP_TRADE)}"
    return f"{rng.choice(_CO_PREFIX)} {rng.choice(_CO_TRADE)}"


def _deal_value(rng: random.Random) -> int:
    """0 to 80,000, skewed small, round-ish."""
    if rng.random() < 0.05:
        return 0
    value = min(math.exp(rng.gauss(8.4, 1.05)), 80_000)
    step = 50 if value < 1_000 else 250 if value < 5_000 else 500 if value < 10_000 else 1_000 if value < 40_000 else 5_000
    return max(step, round(value / step) * step)


class _Demo:
    def __init__(self, rng: random.Random, now: dt.datetime, tz: str):
        self.rng = rng
        self.now = now
        self.tz = tz
        self.zone = pendulum.timezone(tz)  # held: naming the zone on every call reloads it
        local = pendulum.instance(now, tz="UTC").in_timezone(self.zone)
        self.today = dt.date(local.year, local.month, local.day)
        self._utc_cache: dict[tuple[int, int, int], dt.datetime] = {}
        self.names: set[str] = set()
        self.companies: list[tuple[str, str, str]] = []  # (name, domain, zone), in creation order
        self.company_names: set[str] = set()

    # -- time -----------------------------------------------------------------------------------

    def at(self, offset: int, hour: int = 0, minute: int = 0) -> dt.datetime:
        """Naive UTC of hour:minute local (in the rep's zone) on today + offset days. At 0:00 this
        is the local midnight the queue uses as the start of that day (queue._day_start_utc)."""
        key = (offset, hour, minute)
        cached = self._utc_cache.get(key)
        if cached is None:
            day = self.today + dt.timedelta(days=offset)
            moment = pendulum.datetime(day.year, day.month, day.day, hour, minute, tz=self.zone).in_timezone(pendulum.UTC)
            cached = dt.datetime(moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
            self._utc_cache[key] = cached
        return cached

    def work_time(self, offset: int) -> dt.datetime:
        return self.at(offset, self.rng.choice(_HOURS), self.rng.randrange(0, 60, 5))

    def days(self, start: int, end: int, k: int) -> list[int]:
        """k distinct day offsets in [start, end], weekdays preferred, ascending."""
        if k <= 0 or end < start:
            return []
        span = range(start, end + 1)
        monday = -self.today.weekday()  # an offset that falls on a Monday
        weekdays = [d for d in span if (d - monday) % 7 < 5]
        pool = weekdays if len(weekdays) >= k else list(span)
        return sorted(self.rng.sample(pool, min(k, len(pool))))

    def span_start(self, k: int, end: int) -> int:
        """Where a history of k touches ending at day `end` begins: spaced days apart, within ~6 months."""
        lo = max(k * 4, 3)
        hi = max(lo, HISTORY_DAYS + end)
        return end - (lo + int((hi - lo) * self.rng.random() ** 1.4))

    # -- who ------------------------------------------------------------------------------------

    def person(self, index: int, status: str, special: dict[str, Any] | None) -> _Person:
        rng = self.rng
        zone = special["timezone"] if special else _pick(rng, _REGIONS)
        first, last = rng.choice(_FIRST[zone]), rng.choice(_LAST[zone])
        for _ in range(20):
            if f"{first} {last}" not in self.names:
                break
            first, last = rng.choice(_FIRST[zone]), rng.choice(_LAST[zone])
        name = f"{first} {last}"
        company, domain = self.company(zone)
        email = self.email(first, last, domain) if rng.random() > 0.05 else ""
        fields: dict[str, Any] = {
            "name": name,
            "company": company,
            "title": _pick(rng, _TITLES),
            "email": email,
            "phone": self.phone(zone) if rng.random() > 0.08 else "",
            "preferred_channel": _pick(rng, _PREFERRED),
            "best_time": _pick(rng, _BEST_TIME),
            "timezone": zone,
            "deal_value": _deal_value(rng),
            "source": _pick(rng, _SOURCES),
            "referred_by": None,
        }
        if special:
            fields.update(special)
            first = special["name"].split()[0]
        self.names.add(fields["name"])
        return _Person(index=index, fields=fields, first=first, status=status)

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
        tld = {"Europe/Paris": ".fr", "Europe/London": ".co.uk", "Asia/Tokyo": ".co.jp"}.get(zone, ".com")
        if rng.random() < 0.3:
            tld = ".com"
        words = [_slug(w) for w in name.replace("&", " ").split()]
        words = [w for w in words if w and w not in ("co", "des", "du", "de", "la")]
        domain = ("-" if rng.random() < 0.3 else "").join(words[:2]) + tld
        self.company_names.add(name)
        self.companies.append((name, domain, zone))
        return name, domain

    def email(self, first: str, last: str, domain: str) -> str:
        return email_address(self.rng.random(), _slug(first), _slug(last), domain)

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

    # -- what was said --------------------------------------------------------------------------

    def fill(self, template: str, person: _Person) -> str:
        rng = self.rng
        return template.format(
            first=person.first,
            competitor=rng.choice(_COMPETITORS),
            pct=rng.choice((5, 8, 10, 12, 15, 20)),
            n=rng.choice((3, 5, 6, 10, 12, 20, 24, 40, 50)),
            month=rng.choice(_MONTHS),
            weekday=rng.choice(_WEEKDAYS),
            show=rng.choice(_SHOWS),
            product=rng.choice(_PRODUCTS),
            count=len(person.touches),
            ref="{ref}",  # filled in once referrers are known
        )

    def channel(self, person: _Person) -> str:
        preferred = person.fields["preferred_channel"]
        if preferred and self.rng.random() < 0.45:
            return preferred
        return _pick(self.rng, _TOUCH_CHANNELS)

    def outcome(self, channel: str, answered: bool, late: bool) -> str:
        group = _group(channel)
        group = "written" if group == "post" else group
        if answered:
            outcome = _pick(self.rng, _REPLY_WEIGHTS[group])
            if outcome == "not interested" and not late:
                outcome = "not now"
            return outcome
        return _pick(self.rng, _SILENT_WEIGHTS[group])

    def note(self, person: _Person, direction: str, channel: str, outcome: str) -> str:
        rng = self.rng
        group = _group(channel)
        table = (_IN_NOTES if direction == "in" else _NOTES).get(outcome, {})
        pool = table.get(group, ()) + table.get("any", ())
        if not pool:
            pool = _NOTES[outcome].get(group, ()) + _NOTES[outcome].get("any", ())
        if not pool or rng.random() < 0.08:
            return ""
        return self.fill(rng.choice(pool), person)

    def touch(self, person: _Person, offset: int, answer_rate: float, late: bool) -> _Touch:
        rng = self.rng
        at = self.work_time(offset)
        if not person.touches and person.fields["source"] in _FIRST_TOUCH and rng.random() < 0.7:
            channel, direction, outcome, note = _FIRST_TOUCH[person.fields["source"]]
            return _Touch(offset, at, channel, direction, outcome, self.fill(note, person))
        if rng.random() < 0.12:  # they got in touch
            direction, channel = "in", _pick(rng, _IN_CHANNELS)
            outcome = _pick(rng, _IN_WEIGHTS)
            if outcome == "replied" and _group(channel) in ("call", "meeting"):
                outcome = "talked"
        else:
            direction, channel = "out", self.channel(person)
            outcome = self.outcome(channel, rng.random() < answer_rate, late)
        return _Touch(offset, at, channel, direction, outcome, self.note(person, direction, channel, outcome))

    def history(self, person: _Person, days: list[int], answer_rate: float) -> None:
        for offset in days:
            person.touches.append(self.touch(person, offset, answer_rate, late=len(person.touches) >= 3))

    # -- follow-ups -----------------------------------------------------------------------------

    def kind_for(self, person: _Person, *, upcoming: bool) -> str:
        """The kind of a step scheduled now, from where the prospect stands."""
        count = len(person.touches)
        if person.fields["source"] == "referral" and count <= 2:
            return "referral"
        if count == 0:
            return "new prospect"
        if _streak(person.touches) >= 3:
            return "hard-to-reach"
        if upcoming and self.rng.random() < 0.12:
            return "new offering"
        return "new prospect"

    def what_for(self, kind: str, person: _Person, promised: bool, touches: int | None = None) -> str:
        if kind in ("new prospect", "referral") and (len(person.touches) if touches is None else touches) >= 2:
            kind = "in progress"  # the conversation has started: the step is about the deal
        template = self.rng.choice(_PROMISED_WHAT if promised else _WHAT[kind])
        return self.fill(template, person)

    def step_channel(self, person: _Person, kind: str) -> str:
        rng = self.rng
        if kind == "thank-you" and rng.random() < 0.6:
            return "card"
        if kind == "hard-to-reach" and person.touches:
            last = person.touches[-1].channel
            others = [c for c, _ in _TOUCH_CHANNELS if c != last]
            return rng.choice(others[:5])
        return person.fields["preferred_channel"] or rng.choice(("call", "email"))

    def link_done_steps(self, person: _Person, post_sale_from: int | None = None) -> None:
        """Most outgoing touches answered a scheduled step: record it, done by that touch."""
        rng = self.rng
        previous = person.created_at
        for number, touch in enumerate(person.touches):
            if post_sale_from is not None and number == post_sale_from:
                previous = person.closed_at  # the first check-in was scheduled when the sale closed
            if touch.direction == "out" and rng.random() < 0.8:
                post_sale = post_sale_from is not None and number >= post_sale_from
                if post_sale:
                    kind = touch.kind or "check-in"
                elif number == 0:
                    kind = "referral" if person.fields["source"] == "referral" else "new prospect"
                elif _streak(person.touches[:number]) >= 3:
                    kind = "hard-to-reach"
                else:
                    kind = "new prospect" if rng.random() < 0.9 else "new offering"
                touch_day = touch.day
                due_day = touch_day - rng.choice((0, 0, 0, 1, 2))
                due_at = self.at(due_day)
                if due_at <= previous:
                    due_at = self.at(touch_day)
                promised = rng.random() < 0.08
                step = _Step(
                    due_at=due_at,
                    has_time=False,
                    channel=touch.channel if rng.random() < 0.85 else self.step_channel(person, kind),
                    what=self.what_for(kind, person, promised, touches=number),
                    kind=kind,
                    promised=promised,
                    created_at=previous,
                    done_at=touch.at,
                    resolution="done",
                )
                touch.step = step
                person.steps.append(step)
            previous = touch.at

    def open_step(self, person: _Person, due: dt.datetime, has_time: bool, kind: str, promised: bool) -> None:
        created = max([person.created_at, person.closed_at or person.created_at] + [t.at for t in person.touches])
        step = _Step(
            due_at=due,
            has_time=has_time,
            channel=self.step_channel(person, kind),
            what=self.what_for(kind, person, promised),
            kind=kind,
            promised=promised,
            created_at=created,
        )
        person.steps.append(step)
        person.open_step = step

    def due(self, section: str) -> tuple[int, int | None, int]:
        """(day offset, hour or None for a date-only step, minute) for a step in `section`."""
        rng = self.rng
        timed = rng.random()
        if section == "promised":
            roll = rng.random()
            offset = -rng.randint(1, 5) if roll < 0.35 else 0 if roll < 0.6 else rng.randint(1, 7)
            timed *= 0.5
        elif section == "overdue":
            offset = -rng.randint(1, 20)
        elif section == "today":
            offset = 0
            timed *= 0.4
        elif section == "upcoming":
            offset = rng.randint(1, 7)
        else:  # later
            offset = 8 + min(int(rng.expovariate(1 / 18)), 110)
        if timed < 0.2:
            return offset, rng.choice(_STEP_HOURS), rng.choice(_STEP_MINUTES)
        return offset, None, 0

    # -- one prospect's whole story --------------------------------------------------------------

    def created(self, person: _Person, first_day: int) -> None:
        offset = first_day - self.rng.randint(1, 4)
        person.created_at = self.at(offset, self.rng.choice((8, 9, 10, 11, 14, 15, 16)), self.rng.randrange(0, 60, 5))

    def active(self, person: _Person, section: str) -> None:
        rng = self.rng
        count = _pick(rng, tuple(enumerate(_TOUCH_COUNTS["active"])))
        answer_rate = 0.12 if rng.random() < 0.2 else rng.uniform(0.3, 0.8)
        if section == "no_step":
            end = -rng.randint(3, 45)
            due = None
        else:
            offset, hour, minute = self.due(section)
            due = (offset, hour, minute)
            end = min(-1, offset - 1)
        if count == 0:
            self.created(person, min(end, -1) - rng.randint(0, 6) + 1)
        else:
            start = self.span_start(count, end)
            days = self.days(start, end, count)
            self.created(person, days[0])
            self.history(person, days, answer_rate)
        self.link_done_steps(person)
        if due is not None:
            offset, hour, minute = due
            moment = self.at(offset, hour or 0, minute)
            promised = section == "promised"
            self.open_step(person, moment, hour is not None, self.kind_for(person, upcoming=offset > 0), promised)

    def won(self, person: _Person) -> None:
        rng = self.rng
        closed = -rng.randint(3, 120)
        post = rng.randint(1, 2) if closed + 7 <= -1 and rng.random() < 0.4 else 0
        count = max(1, min(_pick(rng, tuple(enumerate(_TOUCH_COUNTS["won"]))), MAX_TOUCHES - post))
        answer_rate = rng.uniform(0.4, 0.85)
        start = self.span_start(count, closed)
        days = self.days(start, closed - 1, count - 1) + [closed]
        self.created(person, days[0])
        self.history(person, days[:-1], answer_rate)
        final_at = self.at(closed, rng.choice((9, 10, 11, 14, 15, 16)), rng.randrange(0, 60, 5))
        channel = rng.choice(("meeting", "call", "call", "email"))
        outcome = "replied" if channel == "email" else "talked"
        person.touches.append(_Touch(closed, final_at, channel, "out", outcome, self.fill(rng.choice(_WON_NOTES), person)))
        person.closed_at = final_at + dt.timedelta(minutes=rng.randint(5, 90))
        pre_sale = len(person.touches)
        for offset in self.days(closed + 7, -1, post):
            kind, channel, outcome, note = rng.choice(_POST_SALE)
            person.touches.append(_Touch(offset, self.work_time(offset), channel, "out", outcome, note, kind=kind))
        self.link_done_steps(person, post_sale_from=pre_sale)
        if rng.random() < 0.65:
            kind = _pick(rng, _WON_STEP_KINDS)
            offset = rng.randint(1, 90) if rng.random() < 0.85 else rng.randint(1, 7)
            hour = rng.choice(_STEP_HOURS) if rng.random() < 0.15 else None
            self.open_step(person, self.at(offset, hour or 0, 0), hour is not None, kind, False)

    def force(self, person: _Person, touch: _Touch, outcome: str) -> None:
        """Rewrite a touch as an outgoing one with this outcome, on a channel where it makes sense."""
        group = _group(touch.channel)
        if outcome == "talked" and group not in ("call", "meeting"):
            touch.channel = "call"
        elif outcome == "left message" and group != "call":
            touch.channel = "call"
        touch.direction, touch.outcome = "out", outcome
        touch.note = self.note(person, "out", touch.channel, outcome)

    def dropped(self, person: _Person) -> None:
        rng = self.rng
        reason, last_outcome, revisit_chance = rng.choice(_DROP_REASONS)
        silent = last_outcome is None
        drop_day = -rng.randint(2, 120)
        last_note = rng.random() < 0.5
        count = _pick(rng, tuple(enumerate(_TOUCH_COUNTS["dropped"])))
        if silent:
            count = max(count, 4)
        count = min(count, MAX_TOUCHES - last_note)
        start = self.span_start(count, drop_day - 1)
        days = self.days(start, drop_day - 1, count)
        self.created(person, days[0])
        self.history(person, days, 0.0 if silent else rng.uniform(0.3, 0.7))
        if silent:  # they never answered
            for touch in person.touches:
                if touch.outcome in REPLY_OUTCOMES:
                    self.force(person, touch, "left message" if _group(touch.channel) == "call" else "no answer")
        else:
            self.force(person, person.touches[-1], last_outcome)
        self.link_done_steps(person)
        person.closed_at = self.work_time(drop_day)
        # the step that was open when the rep dropped them: closed by the drop
        kind = "hard-to-reach" if _streak(person.touches) >= 3 else "new prospect"
        step = _Step(
            due_at=self.at(drop_day - rng.choice((0, 1, 2))),
            has_time=False,
            channel=self.step_channel(person, kind),
            what=self.what_for(kind, person, False),
            kind=kind,
            promised=False,
            created_at=person.touches[-1].at,
            done_at=person.closed_at,
            resolution="closed",
        )
        if step.due_at <= step.created_at:
            step.due_at = self.at(drop_day)
        person.steps.append(step)
        person.drop_reason = self.fill(reason, person)
        if last_note:
            channel = step.channel or person.fields["preferred_channel"] or "email"
            last = _Touch(drop_day, person.closed_at, channel, "out", "left message", rng.choice(_LAST_NOTES))
            person.touches.append(last)  # as drop() logs it: at the moment of the drop, answering no step
        if rng.random() < revisit_chance:
            person.revisit_on = self.today + dt.timedelta(days=rng.randint(20, 200))


def _group(channel: str) -> str:
    """Which notes fit a channel."""
    if channel in ("call", "other"):
        return "call"
    if channel in ("letter", "card"):
        return "post"
    return "meeting" if channel == "meeting" else "written"


def _streak(touches: list[_Touch]) -> int:
    """Touches since the last reply, as refresh_derived counts them."""
    streak = 0
    for touch in reversed(touches):
        if touch.outcome in REPLY_OUTCOMES:
            break
        streak += 1
    return streak


def _allocate(rng: random.Random, n: int) -> list[tuple[str, str | None]]:
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


def _plan(rng: random.Random, now: dt.datetime, tz: str, n: int) -> list[_Person]:
    demo = _Demo(rng, now, tz)
    plan = _allocate(rng, n)
    specials: dict[int, dict[str, Any]] = {}
    for section, fields in _SPECIALS:
        free = [i for i, (status, s) in enumerate(plan) if i not in specials]
        if not free:
            break
        matching = [i for i in free if plan[i] == ("active", section)]
        specials[(matching or free)[0]] = fields
    people = []
    for index, (status, section) in enumerate(plan):
        person = demo.person(index, status, specials.get(index))
        if status == "active":
            demo.active(person, section or "later")
        elif status == "won":
            demo.won(person)
        else:
            demo.dropped(person)
        people.append(person)

    # The book grew over time: ids follow the order prospects were added.
    people.sort(key=lambda p: (p.created_at, p.index))
    for number, person in enumerate(people, start=1):
        person.id = number
    # Referrals come from people already in the book, customers most of all.
    for person in people:
        if person.fields["source"] != "referral" or person.id == 1:
            continue
        ref = None
        if rng.random() < 0.75:
            earlier = people[: person.id - 1]
            customers = [p for p in earlier if p.status == "won"]
            ref = rng.choice(customers if customers and rng.random() < 0.6 else earlier)
            person.fields["referred_by"] = ref.id
        ref_name = ref.fields["name"] if ref else "a customer"
        for step in person.steps:
            step.what = step.what.replace("{ref}", ref_name)
    for person in people:
        for step in person.steps:
            step.what = step.what.replace("{ref}", "a customer")
    return people


# ---------------------------------------------------------------------------------------------
# Writing it.


def _derived(person: _Person, now: dt.datetime) -> dict[str, Any]:
    """The derived fields exactly as storage.actions.refresh_derived computes them."""
    times = [t.at for t in person.touches]
    replies = [t.at for t in person.touches if t.outcome in REPLY_OUTCOMES]
    last_reply = max(replies) if replies else None
    step = person.open_step
    return {
        "touch_count": len(times),
        "last_touch_at": max(times) if times else None,
        "last_reply_at": last_reply,
        "unanswered_streak": sum(1 for t in times if last_reply is None or t > last_reply),
        "next_due_at": step.due_at if step else None,
        "next_promised": bool(step and step.promised),
        "next_kind": step.kind if step else None,
        "updated_at": now,
    }


_AS_IS = ("preferred_channel", "deal_value", "referred_by")


def _rows(people: list[_Person], now: dt.datetime) -> tuple[list[dict], list[dict], list[dict]]:
    prospects = []
    for person in people:
        clean = {
            key: value if key in _AS_IS else clean_line(value)  # as a form cleans what is typed
            for key, value in person.fields.items()
        }
        prospects.append(
            {
                "id": person.id,
                **clean,
                "status": person.status,
                "drop_reason": clean_line(person.drop_reason),
                "revisit_on": person.revisit_on,
                "closed_at": person.closed_at,
                "created_at": person.created_at,
                **_derived(person, now),
            }
        )
    steps = [(step.created_at, person.id, n, step) for person in people for n, step in enumerate(person.steps)]
    steps.sort(key=lambda item: item[:3])
    followups = []
    for number, (_, prospect_id, _, step) in enumerate(steps, start=1):
        step.id = number
        followups.append(
            {
                "id": number,
                "prospect": prospect_id,
                "due_at": step.due_at,
                "has_time": step.has_time,
                "channel": step.channel,
                "what": clean_line(step.what),
                "kind": step.kind,
                "promised": step.promised,
                "created_at": step.created_at,
                "done_at": step.done_at,
                "resolution": step.resolution,
            }
        )
    touches = [(touch.at, person.id, n, touch) for person in people for n, touch in enumerate(person.touches)]
    touches.sort(key=lambda item: item[:3])
    touch_rows = [
        {
            "id": number,
            "prospect": prospect_id,
            "at": touch.at,
            "channel": touch.channel,
            "direction": touch.direction,
            "outcome": touch.outcome,
            "note": clean_text(touch.note),
            "followup": touch.step.id if touch.step else None,
        }
        for number, (_, prospect_id, _, touch) in enumerate(touches, start=1)
    ]
    return prospects, followups, touch_rows


def _is_empty() -> bool:
    return not (Prospect.select().exists() or FollowUp.select().exists() or Touch.select().exists())


def build_demo(
    *, seed: int = DEMO_SEED, now: dt.datetime | None = None, prospects: int = 300, tz: str = "Europe/Paris"
) -> int:
    """Fill the open, empty book with a demo book placed around `now` (naive UTC; default: now).
    Returns the number of prospects written. Raises ValueError on a book that has prospects."""
    if prospects < 0:
        raise ValueError("The number of demo prospects cannot be negative.")
    if now is None:
        now = utc_now()
    elif now.tzinfo is not None:
        now = now.astimezone(dt.timezone.utc).replace(tzinfo=None)
    now = now.replace(microsecond=0)
    if not _is_empty():
        raise ValueError("This book already has prospects; the demo is only written into an empty book.")
    people = _plan(random.Random(seed), now, tz, prospects)
    prospect_rows, followup_rows, touch_rows = _rows(people, now)
    with bulk_load("build_demo", f"The demo book: {len(prospect_rows)} prospects", now=now) as load:
        if not _is_empty():  # checked again under the write lock
            raise ValueError("This book already has prospects; the demo is only written into an empty book.")
        for model, rows in ((Prospect, prospect_rows), (FollowUp, followup_rows), (Touch, touch_rows)):
            fields = [f.name for f in model._meta.sorted_fields]
            load.insert(model, fields, (values(model, fields, row) for row in rows))
        tags = [(t["prospect"], t["id"], name) for t in touch_rows for name in tags_in(t["note"])]
        load.insert(Tag, ("prospect", "touch", "name"), tags, journal=False)
        search.reindex()  # the index of the rows just written, in the same transaction
    return len(prospect_rows)

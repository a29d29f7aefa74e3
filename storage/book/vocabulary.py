"""The book's fixed words: statuses, kinds, channels, outcomes, directions (PRODUCT.md §3).

Pure constants, no imports, so the pure rule modules (cadence, reach, promises) can use them
without pulling in Peewee; storage.book.models takes them from here.
"""

STATUSES = ("active", "won", "dropped")
KINDS = (
    "new prospect",
    "hard-to-reach",
    "referral",
    "service",
    "new offering",
    "thank-you",
    "check-in",
)
CHANNELS = ("call", "email", "text", "social", "meeting", "letter", "card", "other")
CHANNEL_LABELS = {"letter": "letter/postcard", "card": "greeting card"}
OUTCOMES = (
    "talked",
    "replied",
    "left message",
    "no answer",
    "meeting booked",
    "not now",
    "not interested",
)
# Outcomes where the prospect answered: they reset the "without a reply" streak.
REPLY_OUTCOMES = frozenset({"talked", "replied", "meeting booked", "not now", "not interested"})
DIRECTIONS = ("out", "in")

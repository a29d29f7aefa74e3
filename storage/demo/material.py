"""The raw material of a generated book: names, companies, titles, notes, step texts and the
weights they are drawn with. Data only; the demo (storage.demo) and the big book for benchmarks
(bench.bigbook) both draw from it, each its own way.

Weighted tables are tuples of (value, weight). Notes are by outcome, then by channel group
(storage.demo.conversation.note_group): "call" covers call and other, "post" letter and card.
"""

from __future__ import annotations

REGIONS = (  # (time zone, weight)
    ("Europe/Paris", 70),
    ("Europe/London", 12),
    ("America/New_York", 12),
    ("Asia/Tokyo", 6),
)

FIRST = {
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
LAST = {
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

CO_PREFIX = (
    "Northwind", "Brightline", "Bluefield", "Copperleaf", "Harbor Point", "Oakridge", "Silverbirch",
    "Redwood", "Stonebridge", "Kestrel", "Meadowlark", "Ironbark", "Lakeside", "Summit", "Greenway",
    "Foxglove", "Riverside", "Tidewater", "Granite", "Evergreen", "Westgate", "Pinecrest",
    "Blue Heron", "Cobalt", "Juniper", "Larkspur", "Highfield", "Thornbury", "Wexford", "Beacon",
    "Crescent", "Fairview", "Hollybrook", "Marlow", "Old Mill", "Quayside", "Saltmarsh", "Windmill",
)
CO_TRADE = (
    "Bakery", "Logistics", "Dental Care", "Architects", "Print Studio", "Coffee Roasters", "Hardware",
    "Cycles", "Solar", "Legal", "Veterinary Clinic", "Florists", "Accounting", "Fitness",
    "Brewing Co.", "Interiors", "Plumbing", "Joinery", "Catering", "Physio", "Opticians",
    "Pet Supplies", "Hotels", "Wine Merchants", "Garden Centre", "IT Services", "Packaging",
    "Motors", "Ceramics", "Bookshop",
)
FR_TRADE_LAST = (
    "Boulangerie", "Garage", "Imprimerie", "Transports", "Menuiserie", "Cabinet", "Pâtisserie",
    "Plomberie", "Librairie", "Optique",
)
FR_TRADE_PLACE = ("Pharmacie", "Hôtel", "Brasserie", "Cave", "Fromagerie", "Atelier", "Crèmerie", "Salon")
FR_PLACE = (
    "des Tilleuls", "des Lilas", "des Marronniers", "des Halles", "des Quais", "des Trois Ponts",
    "du Vieux Port", "Saint-Roch", "de Belleville", "du Canal", "de la Gare", "du Marché",
)
JP_TRADE = ("Shōten", "Kōgyō", "Trading", "Design", "Logistics", "Foods")

TITLES = (
    ("Owner", 14), ("Co-founder", 5), ("Managing Director", 8), ("Office Manager", 10),
    ("Head of Purchasing", 8), ("Operations Manager", 9), ("Procurement Lead", 6), ("Store Manager", 6),
    ("Finance Director", 5), ("Practice Manager", 4), ("Facilities Manager", 4), ("IT Manager", 4),
    ("Marketing Lead", 4), ("General Manager", 5), ("Head Chef", 2), ("", 4),
)
BEST_TIME = (
    ("", 28), ("weekdays 8–10am", 12), ("afternoons", 12), ("mornings", 9), ("after 4pm", 6),
    ("Tue/Thu only", 5), ("lunchtime 12–2", 5), ("before 9am", 4), ("not Mondays", 5),
    ("evenings — runs the shop by day", 3), ("Fridays after 3pm", 3),
)
SOURCES = (("website", 30), ("referral", 20), ("trade show", 15), ("cold list", 20), ("LinkedIn", 15))
PREFERRED = (
    ("call", 30), ("email", 35), ("text", 12), ("social", 6), ("meeting", 8), ("letter", 2),
    ("card", 1), ("other", 1), (None, 5),
)
TOUCH_CHANNELS = (
    ("call", 27), ("email", 30), ("text", 11), ("social", 8), ("meeting", 8), ("letter", 6),
    ("card", 5), ("other", 5),
)
TOUCH_COUNTS = {  # touches per prospect: many at 1–4, a good number at 5–12
    "active": (7, 12, 12, 11, 10, 8, 7, 6, 5, 5, 4, 3, 3, 2, 2),
    "won": (0, 0, 3, 5, 6, 10, 10, 10, 9, 8, 6, 5, 4, 2, 2),
    "dropped": (0, 6, 8, 12, 12, 6, 5, 3, 2, 2, 1, 1, 1, 0, 0),
}
HOURS = (8, 9, 9, 10, 10, 11, 11, 12, 14, 14, 15, 15, 16, 16, 17, 18)
STEP_HOURS = (9, 10, 10, 11, 14, 14, 15, 16, 17)
STEP_MINUTES = (0, 0, 0, 15, 30, 30, 45)

COMPETITORS = ("Contoso", "Fabrikam", "Initech", "Globex", "Umbrella Supplies", "Wayne & Co")
SHOWS = ("Salon des Entrepreneurs", "SME Expo", "the regional trade fair", "Retail Tech Show")
PRODUCTS = ("the starter plan", "the annual plan", "a pilot at one site", "the premium bundle", "samples")
MONTHS = ("January", "February", "March", "April", "September", "October")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")

REPLY_WEIGHTS = {  # outcome weights when the prospect answers, by channel group
    "call": (("talked", 55), ("meeting booked", 15), ("not now", 25), ("not interested", 2)),
    "meeting": (("talked", 60), ("meeting booked", 25), ("not now", 10), ("not interested", 2)),
    "written": (("replied", 62), ("meeting booked", 12), ("not now", 20), ("not interested", 2)),
}
SILENT_WEIGHTS = {
    "call": (("left message", 55), ("no answer", 45)),
    "meeting": (("no answer", 100),),
    "written": (("no answer", 100),),
}
IN_WEIGHTS = (("replied", 75), ("meeting booked", 15), ("not now", 10))  # "replied" is "talked" by voice
IN_CHANNELS = (("call", 35), ("email", 35), ("text", 12), ("social", 8), ("meeting", 10))

# Notes: by outcome, then by channel group ("call" covers call and other; "post" is letter and card).
NOTES: dict[str, dict[str, tuple[str, ...]]] = {
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
IN_NOTES: dict[str, dict[str, tuple[str, ...]]] = {
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
FIRST_TOUCH = {  # source: (channel, direction, outcome, note)
    "website": ("email", "in", "replied", "Website form: asks about {product}.\n\"Can you call me {weekday}?\""),
    "trade show": (
        "meeting", "in", "talked",
        "Met at the {show} stand.\n- {n} staff\n- wants a quote\n- currently with {competitor} #competitor",
    ),
}
WON_NOTES = (
    "Signed! {n}-month contract, starts in {month}.",
    "Verbal yes — contract signed the same afternoon.\nSend the welcome pack.",
    "Order confirmed: {product}. Said our follow-up made the difference #feedback",
    "Signed after the second demo. {competitor} was {pct}% cheaper but slower #competitor #price",
)
POST_SALE = (  # (kind, channel, outcome, note) of touches after the sale
    ("check-in", "call", "talked", "Check-in call: all good, wants to add a second site."),
    ("check-in", "email", "replied", "Check-in email: 'all running smoothly' #feedback"),
    ("check-in", "meeting", "talked", "Visited: the team uses it daily. Asked for a referral — got two names."),
    ("check-in", "call", "left message", "Check-in: left a message, nothing urgent."),
    ("thank-you", "card", "replied", "Thank-you card for the first order — they emailed back a photo."),
    ("service", "call", "talked", "Service call: invoice address was wrong, fixed."),
    ("new offering", "email", "replied", "Told them about the new range — interested for spring."),
)
DROP_REASONS = (  # (reason, forced outcome of the last touch before the drop, chance of a revisit date)
    ("Went with a competitor", "not interested", 0.5),
    ("No budget this year", "not now", 0.8),
    ("Not interested", "not interested", 0.1),
    ("No reply after {count} tries", None, 0.4),
    ("Happy with their current supplier; renewal in {month}", "not now", 0.9),
    ("Too small for us to serve well", "talked", 0.0),
    ("Company being sold — revisit after", "not now", 0.8),
)
LAST_NOTES = (
    "Last note: I'll stop chasing for now — if anything changes, I'm one call away.",
    "Closing the file on my side. Door's open whenever the timing is better.",
    "Sent a last short message: 'Should I close your file?'",
)
WHAT = {
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
PROMISED_WHAT = (
    "Send the revised quote (promised)", "Call back with delivery dates, as promised",
    "Promised: samples by {weekday}", "Promised to call back after their board meeting",
    "Send the contract draft I promised", "Promised a callback with the discount answer",
)
WON_STEP_KINDS = (("check-in", 55), ("thank-you", 15), ("service", 15), ("new offering", 15))

# The prospects every demo has, to show that names and companies are shown as typed.
SPECIALS = (
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


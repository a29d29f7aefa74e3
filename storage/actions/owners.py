"""Assigning a prospect to a rep of the team, or to nobody (shared by the team): one action,
journalled and undoable like any other. Only a server book has a team (engines: `team()`). A rep
shares their own prospects or takes shared ones; a manager gives any to anyone. The server's
policies enforce it (storage/engines/postgres_team.py); the checks here only say it in words."""

from __future__ import annotations

import datetime as dt

from storage.actions.writing import get, recording
from storage.book.errors import InvalidInput
from storage.book.models import Prospect
from storage.engines import current


def assign(prospect_id: int, owner: str | None, *, now: dt.datetime | None = None) -> str:
    """Give the prospect to `owner` (a rep of the team), or to the team (None). Returns what
    happened, in words."""
    engine = current()
    team = dict(engine.team())
    if not team:
        raise InvalidInput("owner", "This book has one rep: prospects are assigned on a team's server book.")
    if owner is not None and owner not in team:
        raise InvalidInput("owner", f"{owner!r} is not a rep of this team ({', '.join(sorted(team))}).")
    me = engine.who()
    if team.get(me) is False and owner not in (None, me):  # a rep, not a manager (nor the administrator)
        raise InvalidInput("owner", "Only a manager gives a prospect to another rep: share it with the team instead.")
    with recording("assign", prospect_id, now=now) as change:
        prospect = get(prospect_id)
        if prospect.owner == owner:
            raise InvalidInput("owner", f"{prospect.name} is already {_whose(owner)}.")
        change.update(Prospect, prospect_id, owner=owner, updated_at=change.now)
        change.summary = f"{prospect.name} given to {_whose(owner)}"
    return change.summary


def _whose(owner: str | None) -> str:
    return "the team (shared)" if owner is None else owner

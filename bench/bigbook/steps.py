"""The big book's follow-ups, as they are made: their channel, text, and for a promise whether
it was kept (by the book's promise rule, storage.rules.promises, in the rep's zone)."""

from __future__ import annotations

import datetime as dt

from bench.bigbook.clock import Clock
from bench.bigbook.notes import Pools
from storage.demo import conversation
from storage.demo.draws import FastDraws
from storage.rules.promises import promise_deadline, promise_outcome

_EPOCH = dt.datetime(1970, 1, 1)


class FollowUps:
    """rows: [prospect index, due, has_time, channel, what, kind, promised, created, done,
    resolution, kept] (moments as epoch seconds), in the order they were made."""

    def __init__(self, draw: FastDraws, clock: Clock, pools: Pools, tz: str):
        self.draw = draw
        self.clock = clock
        self.pools = pools
        self.tz = tz
        self.rows: list[list] = []
        self._deadlines: dict[tuple[int, bool], int] = {}
        self._what: dict[tuple[str, int], tuple[str, ...]] = {}  # (kind, touches so far) -> texts

    def what(self, kind: str, promised: bool, touches: int) -> str:
        if promised:
            return self.draw.pick(self.pools.promised_what)
        texts = self._what.get((kind, touches))
        if texts is None:
            texts = self._what[(kind, touches)] = self.pools.what[conversation.what_kind(kind, touches)]
        return self.draw.pick(texts)

    def channel(self, kind: str, preferred: str | None, last_channel: str | None) -> str:
        return conversation.step_channel(self.draw, kind, preferred, last_channel)

    def deadline(self, due: int, has_time: bool) -> int:
        """The last moment that keeps a promise due then (few distinct dues: remembered)."""
        key = (due, has_time)
        found = self._deadlines.get(key)
        if found is None:
            moment = promise_deadline(_EPOCH + dt.timedelta(seconds=due), has_time, self.tz)
            found = self._deadlines[key] = int((moment - _EPOCH).total_seconds())
        return found

    def kept(self, due: int, has_time: bool, done: int, resolution: str) -> bool | None:
        return promise_outcome(done <= self.deadline(due, has_time), resolution)

    def add(self, p: int, due: int, has_time: bool, channel: str, what: str, kind: str, promised: bool,
            created: int, done: int | None = None, resolution: str | None = None) -> int:
        """Record a follow-up of prospect `p`; returns its place in `rows`."""
        kept = self.kept(due, has_time, done, resolution) if promised and done is not None else None
        # bools, not 0/1: a server's BOOLEAN column refuses an integer (SQLite stores True as 1 all the same)
        self.rows.append([p, due, bool(has_time), channel, what, kind, bool(promised), created, done, resolution, kept])
        return len(self.rows) - 1

"""How a generated book draws at random: the demo's way and the big book's faster way.

The rules of a generated book (storage.demo.conversation, storage.demo.people) take one of these,
so the demo and the big book for benchmarks follow the same rules and differ only in how they
draw. Both read one `random.Random(seed)`: no global random, no set order, so a seed gives the
same book every time.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from typing import Any


def flat_table(weighted: Iterable[tuple[Any, int]]) -> tuple:
    """A (value, weight) table as a flat tuple, each value `weight` times."""
    return tuple(value for value, weight in weighted for _ in range(weight))


class Draws:
    """The demo's draws: `random.Random`'s own `choice` and `randint`."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.roll = rng.random  # a number in [0, 1)
        self.expovariate = rng.expovariate
        self._flat: dict[int, tuple] = {}  # id of a weighted table -> its flat form
        self._tables: list[tuple] = []  # the tables themselves, kept so that no id is reused

    def pick(self, options: Sequence[Any]) -> Any:
        return self.rng.choice(options)

    def between(self, low: int, high: int) -> int:
        """A whole number from low to high, both included."""
        return self.rng.randint(low, high)

    def weighted(self, table: tuple[tuple[Any, int], ...]) -> Any:
        """A value of a (value, weight) table, by weight, from one roll: the value
        `random.choices(values, weights)` gives for that roll, found by index in a flat table."""
        try:
            flat = self._flat[id(table)]
        except KeyError:
            self._tables.append(table)
            flat = self._flat[id(table)] = flat_table(table)
        return flat[int(self.roll() * len(flat))]


class FastDraws(Draws):
    """The big book's draws: one roll each (it makes millions of them)."""

    def pick(self, options: Sequence[Any]) -> Any:
        return options[int(self.roll() * len(options))]

    def between(self, low: int, high: int) -> int:
        return low + int(self.roll() * (high - low + 1))

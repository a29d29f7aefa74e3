"""What a rep (or a spreadsheet) writes as an amount of money → whole units. Pure: no I/O.

The ONE reader of amounts: the prospect form's deal value, the won dialog's final amount (both
through storage/actions/checks.py) and a CSV import's amount column all read through `amount`, so
"12k" means the same wherever it is typed. Whatever the text, it answers an int or raises
AmountError, one line for the rep: nothing typed may take the desk down.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

LARGEST = 10**12  # past this it is a typo, not a deal
_LONGEST = 60  # characters: no amount is longer; keeps the regexes and Decimal on small input

_A = re.ASCII  # "١٢" is digits to \d without it; nobody types a deal value that way
_CURRENCY = re.compile(r"^(?:US\$|[A-Za-z]{3}|[$€£¥₹])\s*|\s*(?:[A-Za-z]{3}|[$€£¥₹])$", _A)
_SPACES = re.compile(r"[\s\u00a0\u202f'_]")  # thousands spaced out, with ' (Swiss) or _ (as in code)
_NUMBER = re.compile(r"-?\d+(\.\d+)?", _A)
_THOUSANDS = {",": re.compile(r"-?\d{1,3}(,\d{3})+", _A), ".": re.compile(r"-?\d{1,3}(\.\d{3})+", _A)}
# how people shorten big numbers: 12k, 1.5m, 2mn, 1bn
_SCALE = re.compile(r"\s*(k|m|mn|mm|b|bn)$", re.IGNORECASE)
_FACTORS = {"k": 10**3, "m": 10**6, "mn": 10**6, "mm": 10**6, "b": 10**9, "bn": 10**9}


class AmountError(ValueError):
    """Text that is not an amount we keep; str() is the rep's one-line message. `unreadable`:
    not a number at all (a reader may say that in its own words); otherwise negative or too large."""

    def __init__(self, message: str, *, unreadable: bool) -> None:
        super().__init__(message)
        self.unreadable = unreadable


def amount(text: str) -> int:
    """An amount as whole units: "12000", "12,500", "12 500", "€12,500", "$12,000.00", "12k",
    "12.5k", "1.5m", "12.000,50" (a European decimal comma), "CHF 12'000". With both separators
    the last is the decimal one; with one kind only, groups of exactly three digits are thousands
    ("12.000" is twelve thousand: nobody counts a deal in thousandths), anything else is a
    decimal point. Half up, as people round money."""
    if text.isascii() and text.isdigit() and len(text) <= 13:  # most values, at once
        return _bounded(Decimal(int(text)), text)
    value = text.strip()
    if len(value) > _LONGEST:
        raise _unreadable(text)
    value = _CURRENCY.sub("", value)
    factor = 1
    scale = _SCALE.search(value)
    if scale and scale.start() > 0:
        factor = _FACTORS[scale.group(1).lower()]
        value = _CURRENCY.sub("", value[: scale.start()])  # "$12k", "12k €"
    value = _SPACES.sub("", value)
    if "," in value and "." in value:
        decimal = "," if value.rindex(",") > value.rindex(".") else "."
        value = value.replace("." if decimal == "," else ",", "").replace(decimal, ".")
    else:
        for sep in (",", "."):
            if sep in value:
                value = value.replace(sep, "") if _THOUSANDS[sep].fullmatch(value) else value.replace(sep, ".")
    if not _NUMBER.fullmatch(value):
        raise _unreadable(text)
    return _bounded(Decimal(value) * factor, text)


def _bounded(number: Decimal, text: str) -> int:
    if number < 0:
        raise AmountError("An amount cannot be negative.", unreadable=False)
    if number > LARGEST:  # checked before rounding: quantize refuses numbers past its precision
        raise AmountError("That amount is too large.", unreadable=False)
    return int(number.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _unreadable(text: str) -> AmountError:
    shown = text if len(text) <= 40 else text[:39] + "…"
    return AmountError(f"{shown!r} is not an amount — try 12000, 12,500, 12.5k or 1.5m.", unreadable=True)

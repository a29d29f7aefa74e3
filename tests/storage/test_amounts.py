"""storage/rules/amounts.py: amounts as people write them, read the same wherever they are typed
(the prospect form, the won dialog, a CSV import), and whatever the text, an int or AmountError."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from storage.book.errors import InvalidInput
from storage.actions.checks import check_prospect_fields
from storage.exchange import csv_cells
from storage.rules.amounts import LARGEST, AmountError, amount


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12000", 12000),
        ("12k", 12000),
        ("12K", 12000),
        ("12.5k", 12500),
        ("1.5m", 1_500_000),
        ("1.5M", 1_500_000),
        ("2bn", 2_000_000_000),
        ("12 500", 12500),
        ("12,500", 12500),
        ("€12,500", 12500),
        ("$12k", 12000),
        ("12k €", 12000),
        ("12,5k", 12500),
        ("12.000,50", 12001),
        ("CHF 12'000", 12000),
        (" 9,000 ", 9000),
    ],
)
def test_amounts_as_reps_write_them(text, value):
    assert amount(text) == value


@pytest.mark.parametrize("text", ["twelve", "12kk", "k", "1.2.3.4k", "12 apples", "--5", "1e6", "١٢"])
def test_nonsense_is_the_readers_own_error(text):
    with pytest.raises(AmountError) as caught:
        amount(text)
    assert caught.value.unreadable and "is not an amount" in str(caught.value)


def test_negative_and_huge_amounts_are_refused_in_words():
    with pytest.raises(AmountError, match="negative"):
        amount("-5k")
    with pytest.raises(AmountError, match="too large"):
        amount("2000000m")


def test_the_form_the_won_dialog_and_an_import_share_the_reader():
    # the prospect form and close_won both go through check_prospect_fields
    assert check_prospect_fields({"deal_value": "12.5k"})["deal_value"] == 12500
    assert check_prospect_fields({"deal_value": ""})["deal_value"] == 0
    assert csv_cells.amount("1.5m", "Amount") == 1_500_000
    with pytest.raises(InvalidInput) as caught:
        check_prospect_fields({"deal_value": "lots"})
    assert caught.value.field == "deal_value" and "12.5k" in caught.value.message
    with pytest.raises(InvalidInput, match="negative"):
        check_prospect_fields({"deal_value": "-1"})


@given(st.text(max_size=80))
@example("9" * 70)
@example("99999999999999999999999999999999999m")
@example("0.00000000000000000000000000000000001k")
@example("$ k")
def test_any_text_is_an_amount_or_the_readers_own_error(text):
    try:
        value = amount(text)
    except AmountError as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert isinstance(value, int) and 0 <= value <= LARGEST


@given(st.integers(min_value=0, max_value=LARGEST))
def test_what_the_desk_shows_reads_back_the_same(number):
    # the won dialog shows the deal value as "9,000": it must read back unchanged
    assert amount(f"{number:,}") == number

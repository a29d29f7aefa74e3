"""The rep's working week and capacity from config.toml's [work] (tui/config.py): defaults, each
part read, and a table that cannot be used said in one line naming the file."""

from __future__ import annotations

import datetime as dt

import pytest

from tui.config import ConfigFileError, work_settings


def written(tmp_path, text: str):
    path = tmp_path / "config.toml"
    path.write_text(text)
    return path


def test_without_a_file_the_week_is_monday_to_friday_and_25_a_day(tmp_path):
    week, capacity = work_settings(tmp_path / "none.toml")
    assert capacity == 25 and week.why_off(dt.date(2026, 12, 5)) == "a Saturday" and week.country == ""


def test_every_part_is_read(tmp_path):
    path = written(tmp_path, '[work]\ndays = ["mon", "tue", "wed", "thu"]\ncountry = "de"\nregion = "by"\n'
                             'days_off = ["2026-12-28..2026-12-30", 2027-01-04]\ncapacity = 12\n')
    week, capacity = work_settings(path)
    assert capacity == 12
    assert week.why_off(dt.date(2026, 12, 4)) == "a Friday"
    assert week.why_off(dt.date(2026, 1, 6)) == "Epiphany (a public holiday)"  # Bavaria's
    assert week.why_off(dt.date(2026, 12, 29)) == week.why_off(dt.date(2027, 1, 4)) == "your day off"


@pytest.mark.parametrize(
    "text, words",
    [
        ("work = 3\n", '"work" must be a table'),
        ("[work]\ncapacity = 0\n", "work.capacity must be a whole number"),
        ("[work]\ncapacity = true\n", "work.capacity must be a whole number"),
        ('[work]\ncountry = "Atlantis"\n', "[work] No public holidays are known for the country 'ATLANTIS'"),
        ('[work]\ndays = ["mon", "funday"]\n', "[work] days: 'funday' is not a weekday"),
        ("[work\n", "not valid TOML"),
    ],
)
def test_a_table_that_cannot_be_used_is_one_line_naming_the_file(tmp_path, text, words):
    path = written(tmp_path, text)
    with pytest.raises(ConfigFileError) as raised:
        work_settings(path)
    assert str(raised.value).startswith(str(path)) and words in str(raised.value) and "\n" not in str(raised.value)

"""The rep's zone, resolved once: --tz, then FOLLOWUP_TZ, then [desk] timezone in config.toml, then
the machine's; a source that names no zone is one line, and the next one is used."""

from __future__ import annotations

import pytest

from storage.book.opening import close_book, open_book
from tui.cli import main
from tui.config import config_file, rep_zone


@pytest.fixture
def machine():
    """The machine's own zone, made known (pendulum's stand-in for the machine's clock)."""
    import pendulum

    pendulum.set_local_timezone(pendulum.timezone("America/Chicago"))
    yield "America/Chicago"
    pendulum.set_local_timezone()


def configure(text: str) -> None:
    path = config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_the_flag_wins_over_every_other_source(machine):
    configure('[desk]\ntimezone = "Asia/Tokyo"\n')
    found = rep_zone("Pacific/Kiritimati", {"FOLLOWUP_TZ": "Europe/Paris"})
    assert (found.name, found.source, found.problems) == ("Pacific/Kiritimati", "--tz", [])


def test_the_variable_wins_over_the_config_file_and_the_machine(machine):
    configure('[desk]\ntimezone = "Asia/Tokyo"\n')
    found = rep_zone(None, {"FOLLOWUP_TZ": "Europe/Paris"})
    assert (found.name, found.source) == ("Europe/Paris", "FOLLOWUP_TZ")


def test_the_config_file_wins_over_the_machine_and_takes_a_city(machine):
    configure('[desk]\ntimezone = "Tokyo"\n')
    found = rep_zone(None, {})
    assert (found.name, found.source) == ("Asia/Tokyo", str(config_file()))


def test_the_machine_is_the_last_source(machine):
    found = rep_zone(None, {})
    assert (found.name, found.source, found.problems) == (machine, "the machine", [])


def test_a_bad_variable_is_one_line_and_the_config_file_is_used(machine):
    configure('[desk]\ntimezone = "Asia/Tokyo"\n')
    found = rep_zone(None, {"FOLLOWUP_TZ": "Mars/Olympus"})
    assert found.name == "Asia/Tokyo"
    assert len(found.problems) == 1
    assert found.problems[0].startswith("FOLLOWUP_TZ: Unknown time zone 'Mars/Olympus'")
    assert "\n" not in found.problems[0]


def test_a_bad_zone_in_the_config_file_is_one_line_and_the_machine_is_used(machine):
    configure('[desk]\ntimezone = "Atlantis"\n')
    found = rep_zone(None, {})
    assert found.name == machine
    assert found.problems == [f"{config_file()}: Unknown time zone 'Atlantis'; type a city (Paris), "
                              "a country (Japan) or a name like Europe/Paris."]


@pytest.mark.parametrize("text, fault", [
    ("[desk\n", "not valid TOML"),
    ('desk = "Paris"\n', '"desk" must be a table'),
    ("[desk]\ntimezone = 2\n", "desk.timezone must be text"),
])
def test_a_config_file_the_desk_cannot_read_is_one_line_and_the_machine_is_used(machine, text, fault):
    configure(text)
    found = rep_zone(None, {})
    assert found.name == machine
    assert len(found.problems) == 1 and fault in found.problems[0] and "\n" not in found.problems[0]


def test_an_empty_variable_or_key_is_no_choice(machine):
    configure('[desk]\ntimezone = ""\n')
    assert rep_zone(None, {"FOLLOWUP_TZ": " "}) == rep_zone(None, {})
    assert rep_zone(None, {}).problems == []


def test_the_command_says_the_bad_source_and_the_zone_it_uses(machine, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("FOLLOWUP_TZ", "Nowhere/Land")
    configure('[desk]\ntimezone = "Europe/Paris"\n')
    open_book(tmp_path / "b.db")  # a book there: `due` on none says so instead (tests/test_cli.py)
    close_book()
    assert main(["--db", str(tmp_path / "b.db"), "due"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err == [f"followup: FOLLOWUP_TZ: Unknown time zone 'Nowhere/Land'; type a city (Paris), a country (Japan) "
                   f"or a name like Europe/Paris. (using Europe/Paris, from {config_file()})"]

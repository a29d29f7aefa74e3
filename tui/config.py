"""The rep's settings that are not keys or cadences: `config.toml` in the config folder.

    [desk]
    timezone = "Europe/Paris"     # or a city ("Paris") or a country with one clock ("Japan")

    [work]                        # the rep's working days (storage/rules/workdays.py)
    days = ["mon", "tue", "wed", "thu", "fri"]
    country = "FR"                # public holidays of this country (ISO code)…
    region = ""                   # …and of this region of it, if any
    days_off = ["2026-12-24", "2026-12-28..2027-01-01"]
    capacity = 25                 # follow-ups a day: away and catch-up never fill a day past it

The rep's time zone is resolved here, once per run, and handed to everything that needs a day or
an hour (the desk's screens, `followup due`, the exports, the rules of storage): storage never
guesses a zone itself. The first of these that names a zone wins:

    1. --tz on the command line
    2. the FOLLOWUP_TZ variable
    3. [desk] timezone in config.toml
    4. the machine's zone (UTC when the machine has none)

A source that names no zone is one line saying so, and the next source is used.
"""

from __future__ import annotations

import os
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from storage.book.errors import SettingsFileError
from storage.book.locations import config_dir
from storage.book.settings import read_settings
from storage.reads.plans import DEFAULT_CAPACITY
from storage.rules.text import visible
from storage.rules.workdays import WorkdaysError, WorkWeek, work_week_from
from storage.rules.zones import ZoneError, resolve_zone

FALLBACK_ZONE = "UTC"  # a machine without a zone of its own (a bare container)


class ConfigFileError(SettingsFileError):
    """A config.toml the desk cannot use; str() is one line naming the file and the fault."""


def config_file() -> Path:
    return config_dir() / "config.toml"


@dataclass(frozen=True)
class RepZone:
    name: str  # an IANA name: what every screen, command, export and rule is given
    source: str  # where it came from: "--tz", "FOLLOWUP_TZ", the config file's path, "the machine"
    problems: list[str] = field(default_factory=list)  # one line per source passed over


def rep_zone(flag: str | None = None, env: Mapping[str, str] | None = None, path: Path | None = None) -> RepZone:
    """The rep's zone from the first source that names one (the order is the module's)."""
    env = os.environ if env is None else env
    path = config_file() if path is None else path
    problems: list[str] = []
    for source, read in (
        ("--tz", lambda: flag),
        ("FOLLOWUP_TZ", lambda: env.get("FOLLOWUP_TZ")),
        (visible(str(path), one_line=True), lambda: configured_zone(path)),
    ):
        try:
            text = read()
            if text and text.strip():
                return RepZone(zone_name(text), source, problems)
        except (ZoneError, ConfigFileError) as exc:
            problems.append(f"{source}: {exc}" if isinstance(exc, ZoneError) else str(exc))
    return RepZone(machine_zone(), "the machine", problems)


def configured_zone(path: Path) -> str | None:
    """`[desk] timezone` of the config file, or None when the file or the key is not there."""
    data = read_settings(path, ConfigFileError)
    if data is None:
        return None
    desk = data.get("desk", {})
    if not isinstance(desk, dict):
        raise ConfigFileError(path, '"desk" must be a table: [desk] then timezone = "Europe/Paris"')
    value = desk.get("timezone")
    if value is not None and not isinstance(value, str):
        raise ConfigFileError(path, 'desk.timezone must be text in quotes, like "Europe/Paris"')
    return value


def zone_name(text: str) -> str:
    """The IANA name of a zone as the rep wrote it; ZoneError (one line) when it is none."""
    text = text.strip()
    if "/" in text or text == "UTC":  # the usual case, without reading the list of every zone
        try:
            zoneinfo.ZoneInfo(text)
            return text
        except (ValueError, zoneinfo.ZoneInfoNotFoundError):
            pass
    return resolve_zone(text)


def machine_zone() -> str:
    try:
        import pendulum

        name = pendulum.local_timezone().name
        zoneinfo.ZoneInfo(name)  # a fixed offset ("+00:00") is no zone the rules can name
        return name
    except Exception:  # no /etc/localtime, a TZ variable naming nothing: the machine has no zone
        return FALLBACK_ZONE


def work_settings(path: Path | None = None) -> tuple[WorkWeek, int]:
    """`[work]` of the config file: the rep's working week and daily capacity (defaults: Monday to
    Friday, no holidays, 25 a day). ConfigFileError (one line) when it cannot be used: the desk
    says so rather than guess another week."""
    path = config_file() if path is None else path
    data = read_settings(path, ConfigFileError) or {}
    table = data.get("work", {})
    if not isinstance(table, dict):
        raise ConfigFileError(path, '"work" must be a table: [work] then capacity = 25')
    capacity = table.get("capacity", DEFAULT_CAPACITY)
    if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 1:
        raise ConfigFileError(path, "work.capacity must be a whole number of follow-ups a day, like 25")
    try:
        return work_week_from({key: value for key, value in table.items() if key != "capacity"}), capacity
    except WorkdaysError as exc:
        raise ConfigFileError(path, f"[work] {exc}") from None

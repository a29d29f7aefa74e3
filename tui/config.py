"""The rep's settings that are not keys or cadences: `config.toml` in the config folder.

    [desk]
    timezone = "Europe/Paris"     # or a city ("Paris") or a country with one clock ("Japan")

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
from storage.rules.text import visible
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

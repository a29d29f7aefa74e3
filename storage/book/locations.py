"""Where the rep's files live: the book and the demo book in the user data folder, the
editable cadences in the config folder (platformdirs knows each platform's places)."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP = "followup-desk"


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP, appauthor=False))


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP, appauthor=False))


def cadence_file() -> Path:
    return config_dir() / "cadences.toml"

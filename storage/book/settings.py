"""The rep's own settings files in the config folder (cadences.toml, keys.toml): read as TOML,
whole or not at all, and a default written once, owner-only, never over the rep's edits."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from storage.book.errors import SettingsFileError


def read_settings(path: Path, error: type[SettingsFileError] = SettingsFileError) -> dict[str, Any] | None:
    """The file's TOML, or None when there is no file; `error` (one line naming the file and the
    fault) when it cannot be read."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise error(path, f"can't read it ({exc.strerror or exc})") from None
    try:
        return tomllib.loads(raw.decode("utf-8-sig"))  # some editors start with a BOM
    except UnicodeDecodeError:
        raise error(path, "not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise error(path, f"not valid TOML: {exc}") from None


def write_once(path: Path, text: str) -> None:
    """Write `text` to a new owner-only file, unless a file is already there."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        # O_EXCL: creating and "not if it exists" in one step, no window for a race.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            os.fchmod(handle.fileno(), 0o600)  # whatever the umask
            handle.write(text)
    except BaseException:
        # A half-written file would stop the desk at the next start; leave none.
        path.unlink(missing_ok=True)
        raise

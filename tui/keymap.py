"""The rep's own keys: `keys.toml` in the config folder moves any key of the desk by its id
(the ids are in tui/keys.py, and F1 shows those of the pane you are in):

    [keys]
    "desk.log" = "L"
    "queue.down" = "j,down,ctrl+n"

A key given there replaces the default keys of that id (list every key you want, comma-separated).
No file means the default keys; the desk never writes one. A file the desk cannot use is one
`KeymapError` line that names the file and the fault, and the desk keeps every default key: never
half a keymap.
"""

from __future__ import annotations

import difflib
import json
import unicodedata
from collections.abc import Mapping
from pathlib import Path

from textual.keys import KEY_ALIASES, _character_to_key, format_key

from storage.book.errors import SettingsFileError
from storage.book.locations import config_dir
from storage.book.settings import read_settings
from storage.rules.text import visible
from tui.keys import BY_ID, TOGETHER, key_string, show_key

MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")
NAMED = frozenset(
    ("escape", "enter", "tab", "space", "backspace", "delete", "insert", "up", "down", "left", "right",
     "home", "end", "pageup", "pagedown", *(f"f{n}" for n in range(1, 25)))
)
# Two names for one key press (ctrl+i is tab): a clash whichever name the file uses.
_SAME_AS = {alias: key for key, aliases in KEY_ALIASES.items() for alias in aliases}
_LONGEST = 40  # a value quoted in the message is cut here, so the message stays one short line


class KeymapError(SettingsFileError):
    """A keys file the desk cannot use; str() is one line naming the file and the fault."""


def keys_file() -> Path:
    return config_dir() / "keys.toml"


def rep_keymap(path: Path | None = None) -> tuple[dict[str, str], str | None]:
    """The rep's keymap for `App.set_keymap` and the one-line problem with their file, if any
    (then the keymap is empty: the default keys, whole)."""
    try:
        return load_keymap(keys_file() if path is None else path), None
    except KeymapError as exc:
        return {}, str(exc)


def load_keymap(path: Path) -> dict[str, str]:
    """Binding id -> Textual key names (normalized, comma-separated), for the ids the file moves."""
    data = read_settings(path, KeymapError)
    if data is None:
        return {}
    for name in data:
        if name != "keys":
            raise KeymapError(path, f"unknown entry {_quote(name)}: the keys go in a [keys] table")
    table = data.get("keys", {})
    if not isinstance(table, dict):
        raise KeymapError(path, '"keys" must be a table: [keys] then lines like "desk.log" = "L"')

    keymap: dict[str, str] = {}
    for key_id, value in table.items():
        if key_id not in BY_ID:
            guess = difflib.get_close_matches(key_id, BY_ID, n=1)
            hint = f" (did you mean {_quote(guess[0])}?)" if guess else ""
            raise KeymapError(path, f"no key has the id {_quote(key_id)}{hint}; F1 in the desk shows the ids")
        if not isinstance(value, str):
            raise KeymapError(path, f'{_quote(key_id)}: give the keys as a string, like "L" or "j,down"')
        keys = []
        for part in value.split(","):
            key = parse_key(part)
            if key is None:
                raise KeymapError(path, f"{_quote(key_id)}: {_quote(part.strip())} is not a key")
            if key not in keys:
                keys.append(key)
        keymap[key_id] = ",".join(keys)
    problem = clash(keymap)
    if problem:
        raise KeymapError(path, problem)
    return keymap


def parse_key(text: str) -> str | None:
    """One key as Textual names it ("?" -> "question_mark", "Ctrl+S" -> "ctrl+s"), or None."""
    text = text.strip()
    if len(text) == 1:
        return _character(text)
    *modifiers, name = text.split("+")
    modifiers = [m.lower() for m in modifiers]
    if any(m not in MODIFIERS for m in modifiers) or len(set(modifiers)) != len(modifiers):
        return None
    if len(name) == 1:
        # "G" and "g" are two keys, but ctrl+S is ctrl+s: with a modifier, shift is said as shift+
        name = _character(name.lower() if modifiers and name.isalpha() else name)
    else:
        name = name.lower()
        if name not in NAMED and not _names_a_character(name):
            return None
    return "+".join([*modifiers, name]) if name else None


def clash(keymap: Mapping[str, str]) -> str | None:
    """Two actions on one key where both are live, or a key Textual keeps: what to say, or None."""
    for where, keys, textuals in TOGETHER:
        taken: dict[str, str] = {}
        for key in keys:
            for name in key_string(key, keymap).split(","):
                same = _SAME_AS.get(name, name)
                if same in textuals and key.id in keymap:
                    return f"{_quote(key.id)}: {show_key(name)} is Textual's own key {where}"
                if taken.get(same, key.id) != key.id:
                    return f"{show_key(name)} is both {_quote(taken[same])} and {_quote(key.id)} {where}"
                taken[same] = key.id
    return None


def _character(char: str) -> str | None:
    if not char or not char.isprintable() or char.isspace() or char == ",":
        return None
    return _character_to_key(char)


def _names_a_character(name: str) -> bool:
    # "question_mark", "slash", "comma": a printable character's key name, as Textual makes it
    char = format_key(name)
    if len(char) != 1:
        try:
            char = unicodedata.lookup(name.replace("_", " "))
        except KeyError:
            return False
    return char.isprintable() and not char.isspace() and _character_to_key(char) == name


def _quote(text: str) -> str:
    text = text if len(text) <= _LONGEST else text[: _LONGEST - 1] + "…"
    return json.dumps(text, ensure_ascii=False)

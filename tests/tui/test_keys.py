"""The rep's own keys: every binding has an id, keys.toml moves any of them, help (? and F1), the
footer and the command palette show the rep's keys, and a file the desk cannot use is one line
while every default key keeps working."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from textual.app import App
from textual.binding import Binding
from textual.command import CommandList
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

import tui
from storage.book.locations import config_dir
from tests.tui.conftest import desk_app, screen_text, settle
from tui.keymap import clash, keys_file, load_keymap
from tui.keys import BY_ID

SIZE = (160, 45)


def write_keys(text: str | bytes):
    path = keys_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    (path.write_bytes if isinstance(text, bytes) else path.write_text)(text)
    return path


def our_bindings() -> list[tuple[str, Binding]]:
    """Every Binding in a BINDINGS of a class of ours (tui/...)."""
    found = []
    for module in pkgutil.walk_packages(tui.__path__, "tui."):
        loaded = importlib.import_module(module.name)
        for name, cls in inspect.getmembers(loaded, inspect.isclass):
            if cls.__module__ == loaded.__name__:
                found += [(f"{cls.__qualname__}", b) for b in cls.__dict__.get("BINDINGS", ())]
    return found


def test_every_binding_has_a_documented_id_and_a_description():
    bindings = our_bindings()
    for owner, binding in bindings:
        assert isinstance(binding, Binding), owner
        assert binding.id in BY_ID, (owner, binding)
        assert binding.description, (owner, binding)
    assert sorted(b.id for _, b in bindings) == sorted(BY_ID)  # each id once, and each bound
    doc = importlib.import_module("tui.keys").__doc__
    for key_id in BY_ID:
        assert key_id in doc, f"{key_id} is not documented in tui/keys.py"


def test_the_default_keys_are_one_action_per_key_wherever_they_are_live():
    assert clash({}) is None


async def test_a_remapped_key_works_and_its_old_key_no_longer_does(seeded):
    write_keys('[keys]\n"desk.log" = "L"\n"queue.down" = "ctrl+n"\n')
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        queue = app.screen.queue
        first = queue.selected.prospect_id
        await pilot.press("j")
        await settle(app, pilot)
        assert queue.selected.prospect_id == first  # j no longer moves
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        assert queue.selected.prospect_id != first

        await pilot.press("l")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "DeskScreen"  # l no longer logs
        await pilot.press("L")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "LogTouchScreen"


async def test_help_palette_and_footer_show_the_reps_keys(seeded):
    write_keys('[keys]\n"desk.log" = "L"\n"app.help_pane" = "f12"\n')  # F2…F9 are the log form's
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        footer = {key.description: key.key_display for key in app.screen.query_one(Footer).query(FooterKey)}
        assert footer["Log"] == "L"

        await pilot.press("question_mark")
        await pilot.pause()
        text = "\n" + screen_text(app)
        assert "\n  L  " in text and "Log a touch" in text
        assert "\n  l  " not in text
        assert "F12 this pane's keys" in text  # the title names the rep's F1
        await pilot.press("escape")
        await pilot.pause()

        await pilot.press("ctrl+p", *"Log")
        await settle(app, pilot)
        offered = [str(option.prompt) for option in app.screen.query_one(CommandList).options]
        assert any(prompt.startswith("Log a touch with Pat Promise (L)") for prompt in offered), offered
        assert not any("(l)" in prompt for prompt in offered), offered


async def test_f1_in_the_queue_shows_the_queue_keys_with_their_ids(seeded):
    write_keys('[keys]\n"queue.down" = "j,down,ctrl+n"\n')
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        assert app.screen.focused is app.screen.queue
        await pilot.press("f1")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        text = screen_text(app)
        assert "Keys here: Queue" in text
        assert "j / ↓ / ctrl+n" in text and "queue.down" in text and "queue.page_up" in text
        assert "Log a touch" not in text and "Every action by name" not in text  # only the pane's
        assert str(config_dir() / "keys.toml") in text  # where the rep's keys live
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "DeskScreen"


async def test_f1_in_a_form_shows_the_form_keys(seeded):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        await settle(app, pilot)
        await pilot.press("f1")
        await pilot.pause()
        text = screen_text(app)
        assert "Keys here: Forms" in text and "form.save" in text and "form.cancel" in text
        assert "queue.down" not in text
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "LogTouchScreen"  # back in the form, as it was


BAD_FILES = [
    pytest.param(b'[keys\n"desk.log" = "L"\n', "not valid TOML", id="not-toml"),
    pytest.param(b'[keys]\n"desk.log" = "\xff"\n', "not UTF-8", id="not-utf8"),
    pytest.param(b'[keys]\n"desk.snooze" = "S"\n"desk.lgo" = "L"\n', 'no key has the id "desk.lgo" (did you mean "desk.log"?)',
                 id="unknown-id"),
    pytest.param(b'[keys]\n"desk.snooze" = "S"\n"desk.log" = 5\n', '"desk.log": give the keys as a string', id="not-a-string"),
    pytest.param(b'[keys]\n"desk.snooze" = "S"\n"desk.log" = "ctrl+"\n', '"desk.log": "ctrl+" is not a key', id="not-a-key"),
    pytest.param(b'[keys]\n"desk.snooze" = "S"\n"desk.log" = "n"\n', 'n is both "desk.log" and "desk.new" on the desk',
                 id="two-actions-one-key"),
    pytest.param(b'[keys]\n"desk.snooze" = "S"\n"queue.down" = "l"\n', 'l is both "desk.log" and "queue.down" on the desk',
                 id="clash-across-panes"),
]


@pytest.mark.parametrize("content, fault", BAD_FILES)
async def test_a_bad_keys_file_is_one_line_and_every_default_key_works(seeded, content, fault):
    path = write_keys(content)
    app = desk_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        said = [n.message for n in app._notifications]
        assert len(said) == 1, said
        assert said[0].startswith(f"{path}: ") and fault in said[0] and "\n" not in said[0], said[0]

        await pilot.press("S")  # a good line of a bad file is not used either: never half a keymap
        await settle(app, pilot)
        assert type(app.screen).__name__ == "DeskScreen"
        await pilot.press("l")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "LogTouchScreen"


def test_the_followup_command_says_a_bad_keys_file_once_on_stderr_then_starts_the_desk(tmp_path, monkeypatch, capsys):
    from tui.cli import main

    path = write_keys('[keys]\n"desk.lgo" = "L"\n')
    started = []
    monkeypatch.setattr(App, "run", lambda self, *a, **kw: started.append(type(self).__name__))
    assert main(["--db", str(tmp_path / "book.db")]) == 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"followup: {path}: no key has the id"), err
    assert started == ["FollowupApp"]


def test_no_keys_file_is_the_default_keys_and_nothing_is_written():
    assert load_keymap(keys_file()) == {}
    assert not keys_file().exists()


@pytest.mark.parametrize("text, keymap", [
    ('"desk.log" = "L"', {"desk.log": "L"}),
    ('"app.help" = "?,h"', {"app.help": "question_mark,h"}),
    ('"app.help_pane" = "F1, ctrl+H"', {"app.help_pane": "f1,ctrl+h"}),
    ('"desk.log" = "n"\n"desk.new" = "l"', {"desk.log": "n", "desk.new": "l"}),  # a swap is no clash
])
def test_keys_are_read_as_textual_names_them(text, keymap):
    assert load_keymap(write_keys(f"[keys]\n{text}\n")) == keymap

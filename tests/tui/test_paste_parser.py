"""tui/paste.py: what a terminal sends between its paste markers is one Paste event, whatever it
holds (ESC, ctrl keys) and however the terminal cut it into reads; keys around it stay keys."""

from __future__ import annotations

from textual import events

from tui.paste import PasteSafeParser

PASTE = "\x1b[200~hello \x1b[31mPWN\x13 and more\x1b[201~"


def parse(*reads: str) -> list[tuple[str, str]]:
    parser = PasteSafeParser()
    got = []
    for data in reads:
        got += parser.feed(data)
    return [("paste", e.text) if isinstance(e, events.Paste) else ("key", e.key) for e in got]


def test_a_paste_with_escapes_and_control_keys_is_one_paste_between_keys():
    assert parse("ab" + PASTE + "cd") == [
        ("key", "a"), ("key", "b"), ("paste", "hello \x1b[31mPWN\x13 and more"), ("key", "c"), ("key", "d"),
    ]


def test_the_markers_and_the_text_cut_across_reads_anywhere_give_the_same_paste():
    whole = parse("ab" + PASTE + "cd")
    data = "ab" + PASTE + "cd"
    for cut in range(1, len(data)):
        assert parse(data[:cut], data[cut:]) == whole, cut


def test_keys_and_escape_sequences_outside_a_paste_are_still_keys():
    assert parse("j\x1b[Ak") == [("key", "j"), ("key", "up"), ("key", "k")]


def test_a_lone_escape_is_the_escape_key_once_nothing_follows():
    parser = PasteSafeParser()
    assert list(parser.feed("\x1b")) == []  # maybe the start of a paste marker
    parser._held_at -= 1  # as if the moment had passed (tick reads the clock)
    assert [(e.key) for e in parser.tick()] == ["escape"]

"""Textual 8.2 keeps a widget that watched another object's reactive (`self.watch(app, "theme")`,
`data_bind`) alive after it is removed: the watcher list is pruned only when that reactive
changes. The quick-log's TextArea watches the app's theme and each footer key its footer's
`compact`, so every dialog opened left ~0.6 MiB behind. The desk forgets the closed watchers
whenever it is back on top.

Textual 8.2 also keys a cache by each widget's styles cache (`StylesCache.get_inner_outer`, an
`lru_cache` on a method, so its key holds the instance): up to 1,024 closed widgets and every line
they drew stay alive. Measured on the 100k book (`python -m bench`): 20 quick logs took the desk
from 52 to 120 MiB. The desk empties that cache as a dialog closes too (it refills from colours
at once)."""

from __future__ import annotations

from textual._styles_cache import StylesCache
from textual.dom import DOMNode


def forget_closed_watchers(*objects: DOMNode) -> int:
    """Drop the watchers that belong to closed widgets; how many were dropped."""
    dropped = 0
    for obj in objects:
        for watchers in getattr(obj, "__watchers", {}).values():
            kept = [(node, callback) for node, callback in watchers if not (node._closing or node._closed)]
            dropped += len(watchers) - len(kept)
            watchers[:] = kept
    return dropped


def forget_closed_lines() -> None:
    """Let closed widgets' drawn lines go (see the module's note); a no-op if Textual fixed it."""
    clear = getattr(StylesCache.get_inner_outer, "cache_clear", None)
    if clear is not None:
        clear()

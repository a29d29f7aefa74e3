"""Textual 8.2 keeps a widget that watched another object's reactive (`self.watch(app, "theme")`,
`data_bind`) alive after it is removed: the watcher list is pruned only when that reactive
changes. The quick-log's TextArea watches the app's theme and each footer key its footer's
`compact`, so every dialog opened left ~0.6 MiB behind. The desk forgets the closed watchers
whenever it is back on top."""

from __future__ import annotations

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

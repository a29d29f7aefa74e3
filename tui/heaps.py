"""Two C heaps for all the desk's threads, not one each (glibc only).

glibc's malloc gives each new thread a heap of its own (an "arena"), up to eight per processor,
and keeps what a thread freed in that thread's heap. The desk's storage calls run on Textual's pool
of worker threads (six on two processors), each on its own connection to the book: SQLite's page
cache (up to 2 MiB a connection) and the rows it reads come from that thread's heap and stay in
the desk's memory after the call. Over a bench session on the 100k book (`python -m bench`) six
heaps held ~15 MiB; with two shared by every thread the session's peak fell by ~10 MiB, the
timings within their noise. A rep who set MALLOC_ARENA_MAX keeps their own; on another C library
(macOS, musl) there is nothing to do."""

from __future__ import annotations

import ctypes
import os

M_ARENA_MAX = -8  # glibc's <malloc.h>
HEAPS = 2


def share_thread_heaps() -> bool:
    """Called before the desk starts any thread. Whether glibc took the limit."""
    if "MALLOC_ARENA_MAX" in os.environ:
        return False
    try:
        libc = ctypes.CDLL(None)  # the C library this interpreter runs on
        libc.gnu_get_libc_version  # glibc's alone: musl has a mallopt that does nothing
        return bool(libc.mallopt(M_ARENA_MAX, HEAPS))
    except (OSError, AttributeError):
        return False

"""The desk's threads share two C heaps (tui/heaps.py): counted by glibc's own malloc_info, in a
fresh process whose six threads each read a SQLite book at once, as the desk's workers do."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import textwrap

import pytest

SCRIPT = textwrap.dedent("""
    import ctypes, os, sqlite3, sys, tempfile, threading
    from tui.heaps import share_thread_heaps

    if sys.argv[1] == "shared":
        assert share_thread_heaps()
    together = threading.Barrier(6)

    def read():
        together.wait()  # all six alive at once, each asking for memory of its own
        conn = sqlite3.connect(":memory:")
        conn.execute("create table t (x)")
        conn.executemany("insert into t values (?)", ((b"x" * 1000,) for _ in range(2000)))
        conn.execute("select count(*) from t").fetchone()
        together.wait()
        conn.close()

    threads = [threading.Thread(target=read) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    libc = ctypes.CDLL(None)
    libc.fopen.restype = ctypes.c_void_p
    libc.malloc_info.argtypes = libc.fclose.argtypes = None
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "heaps.xml")
        f = libc.fopen(path.encode(), b"w")
        libc.malloc_info(0, ctypes.c_void_p(f))
        libc.fclose(ctypes.c_void_p(f))
        print(open(path).read().count("<heap nr="))
""")


def heaps(mode: str) -> int:
    env = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}
    done = subprocess.run([sys.executable, "-c", SCRIPT, mode], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    return int(done.stdout)


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's heaps")
def test_six_threads_share_two_heaps():
    assert heaps("own") > 2  # each thread its own: what the desk's workers did
    assert heaps("shared") <= 2

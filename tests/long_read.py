"""A read that runs for minutes unless it is stopped, for the tests of stopping one
(storage/book/stopping.py, tui/book.py): a billion rows counted one by one, on either engine."""

from __future__ import annotations

import threading

from storage.book.models import Prospect

LONG = ("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) "
        "SELECT count(*) FROM c")


class LongRead:
    """`run()` on a thread's connection to a SQLite book: `running` is set once SQLite is
    stepping it (a progress handler), `finished` when it has ended, `error` what ended it."""

    def __init__(self) -> None:
        self.running, self.finished = threading.Event(), threading.Event()
        self.error: BaseException | None = None

    def run(self) -> int:
        raw = Prospect._meta.database.connection()
        raw.set_progress_handler(lambda: self.running.set() or 0, 1000)
        try:
            return Prospect._meta.database.execute_sql(LONG).fetchone()[0]
        except BaseException as exc:  # noqa: BLE001  (what ended it is the finding)
            self.error = exc
            raise
        finally:
            raw.set_progress_handler(None, 1000)
            self.finished.set()

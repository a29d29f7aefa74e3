"""A team's server book talks through psycopg, imported when such a book is opened, never before.

Peewee imports psycopg as peewee itself is imported, whenever it is installed: 60 ms and ~10 MiB
of every start of the desk (`python -X importtime -c "import tui.app"`; the bench's start and peak
memory), for a book that is most often a file. So storage imports peewee with psycopg out of its
sight (storage/__init__.py), and a server book's database speaks through this adapter instead of
peewee's own, which read the driver from peewee's module as it was imported: the same calls,
with the driver imported here, on the first server book of the process."""

from __future__ import annotations

import uuid

import peewee as pw
from playhouse.pool import PooledPostgresqlDatabase


class Psycopg(pw.Psycopg3Adapter):
    def __init__(self) -> None:
        super().__init__()
        import psycopg
        from psycopg.pq import TransactionStatus
        from psycopg.types.json import Json, Jsonb

        self.driver, self.json_type, self.jsonb_type = psycopg, Json, Jsonb
        self.txn_idle, self.txn_inerror, self.txn_unknown = TransactionStatus.IDLE, TransactionStatus.INERROR, TransactionStatus.UNKNOWN
        self.txn_in = TransactionStatus.INTRANS

    def check_driver(self) -> None:
        pass  # imported as the adapter was made: an ImportError says it is missing

    def get_binary_type(self):
        return self.driver.Binary

    def connect(self, db, **params):
        if db._encoding:
            params.setdefault("client_encoding", db._encoding)
        if db.database.startswith("postgresql://"):
            params.setdefault("conninfo", db.database)
        else:
            params.setdefault("dbname", db.database)
        return self.driver.connect(**params)

    def server_side_cursor(self, conn):
        # as peewee's: in a transaction a named cursor streams; outside one the server wants withhold
        return conn.cursor(name=str(uuid.uuid1()), withhold=self.txn_status(conn) != self.txn_in)


class ServerDatabase(PooledPostgresqlDatabase):
    """Peewee's pooled PostgreSQL database, through the adapter above (peewee picks its psycopg2
    adapter when it saw no psycopg at import: both are ours)."""

    psycopg2_adapter = psycopg3_adapter = Psycopg

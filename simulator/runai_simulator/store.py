# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Durable state in SQLite.

One connection, used only from the server's event-loop thread. Writes of API requests join an open transaction;
the HTTP layer commits it (one COMMIT for every write made in the same turn of the event loop: a group commit)
and answers those requests only after the COMMIT returned, so an acknowledged write is on disk. Other writes
(preload, reset, token expiry) commit at once.

The database runs in WAL mode with synchronous=NORMAL: a committed transaction is in the WAL file when COMMIT
returns, which survives a killed process (kill -9); only a power loss or kernel crash could lose the last
transactions, which a test backend may accept. Workloads are found by id in memory, never in SQL, so the table's
only key is its rowid (`seq`): one b-tree to write per insert.
"""

import json
import os
import sqlite3

from runai_simulator.lifecycle import TIMELINE_COLUMNS

CHECKPOINT_PAGES = 4000  # about 16 MB of WAL between checkpoints (each costs two fsyncs)


class StateInUse(Exception):
    """The state file is locked by another process."""


RECORD_COLUMNS = (
    "seq", "id", "project_id", "name", "raw_manifest", "priority", "category", "preemptibility",
    "created_by", "updated_by", "deleted_by", "generation",
) + TIMELINE_COLUMNS

_SCHEMA = """
CREATE TABLE IF NOT EXISTS workloads (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    project_id TEXT NOT NULL,
    name TEXT NOT NULL,
    raw_manifest TEXT NOT NULL,
    priority TEXT,
    category TEXT,
    preemptibility TEXT,
    created_by TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted_by TEXT,
    generation INTEGER NOT NULL,
    created_at REAL NOT NULL,
    pending_at REAL,
    running_at REAL,
    ended_at REAL,
    end_phase TEXT,
    end_message TEXT,
    updated_at REAL,
    updating_until REAL,
    sync_applying_at REAL,
    sync_done_at REAL,
    sync_error TEXT,
    delete_requested_at REAL,
    gone_at REAL,
    purge_at REAL,
    suspensions TEXT
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class Store:
    def __init__(self, path):
        if path != ":memory:":
            # SQLite gives its -wal and -shm files the main file's mode: create it private so manifests stay private.
            descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            os.close(descriptor)
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=0)
        # One process owns the file: no shared-memory index, no lock calls per transaction, and a second simulator
        # started on the same file fails at once instead of interleaving its writes.
        try:
            self._db.execute("PRAGMA locking_mode=EXCLUSIVE")
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA wal_autocheckpoint=%d" % CHECKPOINT_PAGES)
            self._db.executescript(_SCHEMA)
            self._add_missing_columns()
        except sqlite3.OperationalError as error:
            self._db.close()
            raise StateInUse("state file %s cannot be used (%s): is another simulator running on it?" % (path, error)) from None
        self._insert_sql = "INSERT INTO workloads (%s) VALUES (%s)" % (
            ", ".join(RECORD_COLUMNS), ", ".join("?" * len(RECORD_COLUMNS)))
        self._update_sql = "UPDATE workloads SET %s WHERE seq = ?" % ", ".join(
            "%s = ?" % column for column in RECORD_COLUMNS[1:])

    def _add_missing_columns(self):
        """A state file written before a column existed gets it (NULL: the default of every lifecycle column)."""
        present = {row[1] for row in self._db.execute("PRAGMA table_info(workloads)")}
        for column in RECORD_COLUMNS:
            if column not in present:
                self._db.execute("ALTER TABLE workloads ADD COLUMN %s TEXT" % column)

    def load_workloads(self):
        cursor = self._db.execute("SELECT %s FROM workloads ORDER BY seq" % ", ".join(RECORD_COLUMNS))
        for row in cursor:
            record = dict(zip(RECORD_COLUMNS, row))
            record["raw_manifest"] = json.loads(record["raw_manifest"])
            yield record

    def _begin(self):
        if not self._db.in_transaction:
            self._db.execute("BEGIN")

    def insert(self, row):
        """Add a row (values in RECORD_COLUMNS order) to the open transaction."""
        self._begin()
        self._db.execute(self._insert_sql, row)

    def update(self, row):
        self._begin()
        self._db.execute(self._update_sql, row[1:] + row[:1])

    def commit(self):
        if self._db.in_transaction:
            self._db.execute("COMMIT")

    def insert_many(self, rows):
        self._begin()
        try:
            self._db.executemany(self._insert_sql, rows)
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self.commit()

    def delete_all_workloads(self):
        self._db.execute("DELETE FROM workloads")
        self.commit()

    def meta(self, key, default=None):
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key, value):
        self._db.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                         (key, value))
        self.commit()

    def close(self):
        self.commit()
        self._db.close()

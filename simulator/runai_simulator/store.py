# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Durable state in SQLite.

One connection, used only from the server's event-loop thread, in autocommit mode: every write is its own committed
transaction before the HTTP answer is sent, so an acknowledged write is on disk. The database runs in WAL mode with
synchronous=NORMAL: a committed transaction is in the WAL file when the call returns, which survives a killed process
(kill -9); only a power loss or kernel crash could lose the last transactions, which a test backend may accept.
"""

import json
import os
import sqlite3

from runai_simulator.lifecycle import TIMELINE_COLUMNS

RECORD_COLUMNS = (
    "id", "seq", "project_id", "name", "raw_manifest", "priority", "category", "preemptibility",
    "created_by", "updated_by", "deleted_by", "generation",
) + TIMELINE_COLUMNS

_SCHEMA = """
CREATE TABLE IF NOT EXISTS workloads (
    id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
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
    purge_at REAL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class Store:
    def __init__(self, path):
        if path != ":memory:":
            # SQLite gives its -wal and -shm files the main file's mode: create it private so manifests stay private.
            descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            os.close(descriptor)
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        self._insert_sql = "INSERT INTO workloads (%s) VALUES (%s)" % (
            ", ".join(RECORD_COLUMNS), ", ".join("?" * len(RECORD_COLUMNS)))

    def load_workloads(self):
        cursor = self._db.execute("SELECT %s FROM workloads ORDER BY seq" % ", ".join(RECORD_COLUMNS))
        for row in cursor:
            record = dict(zip(RECORD_COLUMNS, row))
            record["raw_manifest"] = json.loads(record["raw_manifest"])
            yield record

    def _row(self, record):
        values = dict(record, raw_manifest=json.dumps(record["raw_manifest"], separators=(",", ":")))
        return tuple(values[column] for column in RECORD_COLUMNS)

    def insert(self, record):
        self._db.execute(self._insert_sql, self._row(record))

    def insert_many(self, records):
        self._db.execute("BEGIN")
        try:
            self._db.executemany(self._insert_sql, (self._row(record) for record in records))
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def update(self, record):
        row = self._row(record)
        assignments = ", ".join("%s = ?" % column for column in RECORD_COLUMNS[1:])
        self._db.execute("UPDATE workloads SET %s WHERE id = ?" % assignments, row[1:] + row[:1])

    def delete_all_workloads(self):
        self._db.execute("DELETE FROM workloads")

    def meta(self, key, default=None):
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key, value):
        self._db.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                         (key, value))

    def close(self):
        self._db.close()

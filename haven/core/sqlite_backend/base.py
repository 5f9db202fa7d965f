"""Django's SQLite backend, with one writer at a time per process queued on a lock.

SQLite allows one write transaction at a time. Haven opens every transaction with BEGIN IMMEDIATE,
so a second writer waits in SQLite's busy handler, which polls with sleeps that grow to 100 ms: under
load, writers that could have gone one after the other wait for the next poll instead, and the slowest
visits take hundreds of milliseconds. Queuing the web server's threads on a Python lock hands the
write lock over as soon as it is free. The busy handler still arbitrates between processes (the web
server and the worker), and the lock waits no longer than the busy timeout, then fails as SQLite would.

A new database file is created readable by its owner only (0600); SQLite gives its -wal and -shm
files the database file's mode.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from django.db import OperationalError
from django.db.backends.sqlite3 import base

_write_lock = threading.Lock()


def _create_private(name) -> None:
    path = str(name)
    if not path or path == ":memory:" or path.startswith("file:") or os.path.exists(path):
        return
    Path(path).parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:  # another process created it first
        pass


class DatabaseWrapper(base.DatabaseWrapper):
    _holds_write_lock = False

    def get_new_connection(self, conn_params):
        _create_private(conn_params.get("database", ""))
        return super().get_new_connection(conn_params)

    def _start_transaction_under_autocommit(self):
        timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
        if not _write_lock.acquire(timeout=timeout):
            raise OperationalError("database is locked (another thread of this process held the write lock)")
        self._holds_write_lock = True
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_write_lock()
            raise

    def _release_write_lock(self):
        if self._holds_write_lock:
            self._holds_write_lock = False
            _write_lock.release()

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._release_write_lock()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._release_write_lock()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._release_write_lock()

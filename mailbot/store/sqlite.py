"""SqliteTicketStore: the embedded default store (stdlib sqlite3, WAL, durable)."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from mailbot.errors import ConflictError, NotFound, StoreUnavailable
from mailbot.models.notification import Notification
from mailbot.models.ticket import Ticket, ticket_number as _number
from mailbot.store.base import QuarantineRecord
from mailbot.store.sqlite_schema import SCHEMA

_TICKET_COLUMNS = "number, doc"


class SqliteTicketStore:
    """A TicketStore in one SQLite file; safe for several threads and processes.

    Commits use WAL with synchronous=NORMAL: a commit survives the worker's own crash
    (kill -9) at once, and ``sync()`` makes everything committed so far survive a power
    loss too (an fsync of the WAL). The poller calls it before it marks mail done, so a
    batch of mails costs one fsync rather than one per mail."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = self._open()
        self.lock = threading.RLock()

    def _open(self, tries: int = 50) -> sqlite3.Connection:
        """Connect and set up. Switching a new file to WAL can fail with 'locked' without waiting
        for the busy timeout when another process sets it up at the same moment: retry briefly."""
        for attempt in range(tries):
            db = None
            try:
                db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
                db.execute("PRAGMA busy_timeout=30000")
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                db.executescript(SCHEMA)
                return db
            except sqlite3.OperationalError as exc:
                if db is not None:
                    db.close()
                if "locked" not in str(exc) or attempt == tries - 1:
                    raise StoreUnavailable(f"cannot open SQLite store {self.path}: {exc}") from exc
                time.sleep(0.05 * (attempt + 1))
            except sqlite3.Error as exc:
                raise StoreUnavailable(f"cannot open SQLite store {self.path}: {exc}") from exc

    @contextmanager
    def _write(self):
        with self.lock:
            try:
                self.db.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise StoreUnavailable(f"SQLite store busy or unwritable: {exc}") from exc
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    def _rows(self, sql, args=()):
        with self.lock:
            try:
                return self.db.execute(sql, args).fetchall()
            except sqlite3.OperationalError as exc:
                raise StoreUnavailable(f"SQLite store unreadable: {exc}") from exc

    @staticmethod
    def _ticket(row) -> Ticket:
        data = json.loads(row[1])
        data["number"] = row[0]
        return Ticket.from_dict(data)

    @staticmethod
    def _doc(ticket: Ticket) -> str:
        data = ticket.to_dict()
        data.pop("number"), data.pop("id")  # the number is the row key
        return json.dumps(data, ensure_ascii=False)

    def create_ticket(self, ticket, notifications, requester_name=""):
        return self.create_tickets([(ticket, notifications, requester_name)])[0]

    def create_tickets(self, items):
        with self._write() as db:
            return [self._insert(db, *item) for item in items]

    def _insert(self, db, ticket, notifications, requester_name):
        row = db.execute(f"SELECT {_TICKET_COLUMNS} FROM tickets WHERE source_message_id=?",
                         (ticket.source_message_id,)).fetchone()
        if row:
            return self._ticket(row), False
        if ticket.number is None:
            ticket.number = self._reserve(db, 1)
        db.execute(
            "INSERT INTO tickets(number, source_message_id, status, level, assignee, created_by, category, created_at,"
            " doc) VALUES (?,?,?,?,?,?,?,?,?)",
            (ticket.number, ticket.source_message_id, ticket.status, ticket.level, ticket.assignee,
             ticket.created_by, ticket.category, ticket.created_at, self._doc(ticket)))
        db.execute("INSERT OR IGNORE INTO users(email, name, role, created_at) VALUES (?,?,?,?)",
                   (ticket.created_by, requester_name, "requester", ticket.created_at))
        self._add_notifications(db, ticket, notifications)
        return ticket, True

    @staticmethod
    def _add_notifications(db, ticket, notifications) -> None:
        for note in notifications:
            note.ticket_id = ticket.id
            db.execute("INSERT INTO notifications(id, ticket_number, message_id, status, next_attempt_at, doc)"
                       " VALUES (?,?,?,?,?,?)",
                       (note.id, ticket.number, note.message_id, note.status, note.next_attempt_at,
                        json.dumps(note.to_dict(), ensure_ascii=False)))

    def reserve_numbers(self, count):
        with self._write() as db:
            return self._reserve(db, count)

    @staticmethod
    def _reserve(db, count: int) -> int:
        db.execute("INSERT OR IGNORE INTO counters(name, value) SELECT 'ticket', coalesce(max(number), 0) FROM tickets")
        last = db.execute("UPDATE counters SET value = value + ? WHERE name='ticket' RETURNING value",
                          (count,)).fetchone()[0]
        return last - count + 1

    def save(self, ticket, notifications=()):
        with self._write() as db:
            cur = db.execute(
                "UPDATE tickets SET status=?, level=?, assignee=?, category=?, version=version+1, doc=?"
                " WHERE number=? AND version=?",
                (ticket.status, ticket.level, ticket.assignee, ticket.category,
                 self._doc(replace(ticket, version=ticket.version + 1)), ticket.number, ticket.version))
            if cur.rowcount != 1:
                raise ConflictError(f"ticket {ticket.id} changed since it was read (version {ticket.version})")
            self._add_notifications(db, ticket, notifications)
        ticket.version += 1
        return ticket

    def upsert_person(self, kind, record):
        with self._write() as db:
            db.execute("INSERT INTO people(kind, email, doc) VALUES (?,?,?)"
                       " ON CONFLICT(kind, email) DO UPDATE SET doc=excluded.doc",
                       (kind, record["email"], json.dumps(record, ensure_ascii=False)))

    def get_person(self, kind, email):
        rows = self._rows("SELECT doc FROM people WHERE kind=? AND email=?", (kind, email.lower()))
        return json.loads(rows[0][0]) if rows else None

    def list_people(self, kind):
        return [json.loads(r[0]) for r in self._rows("SELECT doc FROM people WHERE kind=? ORDER BY email", (kind,))]

    def sync(self):
        with self.lock:
            self.db.execute("PRAGMA synchronous=FULL")
            try:
                with self._write() as db:
                    db.execute("UPDATE durability SET syncs = syncs + 1")
            finally:
                self.db.execute("PRAGMA synchronous=NORMAL")

    def find_by_message_id(self, message_id):
        rows = self._rows(f"SELECT {_TICKET_COLUMNS} FROM tickets WHERE source_message_id=?", (message_id,))
        return self._ticket(rows[0]) if rows else None

    def get_ticket(self, ticket_id):
        number = _number(ticket_id)
        rows = self._rows(f"SELECT {_TICKET_COLUMNS} FROM tickets WHERE number=?", (number,))
        if not rows:
            raise NotFound(f"no ticket {ticket_id}")
        return self._ticket(rows[0])

    def list_tickets(self, status=None, requester=None):
        where = [(c, v) for c, v in (("status", status), ("created_by", requester)) if v]
        sql = f"SELECT {_TICKET_COLUMNS} FROM tickets" + (" WHERE " + " AND ".join(f"{c}=?" for c, _ in where)
                                                          if where else "")
        return [self._ticket(r) for r in self._rows(sql + " ORDER BY number DESC", [v for _, v in where])]

    def add_mail(self, note):
        with self._write() as db:
            return db.execute("INSERT OR IGNORE INTO notifications(id, ticket_number, message_id, status,"
                              " next_attempt_at, doc) VALUES (?,NULL,?,?,?,?)",
                              (note.id, note.message_id, note.status, note.next_attempt_at,
                               json.dumps(note.to_dict(), ensure_ascii=False))).rowcount == 1

    def ensure_user(self, email, name, role, now):
        with self._write() as db:
            cur = db.execute("INSERT OR IGNORE INTO users(email, name, role, created_at) VALUES (?,?,?,?)",
                             (email, name, role, now))
            return cur.rowcount == 1

    def get_user(self, email):
        rows = self._rows("SELECT email, name, role, created_at FROM users WHERE email=?", (email,))
        return dict(zip(("email", "name", "role", "created_at"), rows[0])) if rows else None

    def due_notifications(self, now, limit):
        rows = self._rows(
            "SELECT n.doc, t.number, t.doc FROM notifications n LEFT JOIN tickets t ON t.number = n.ticket_number"
            " WHERE n.status IN ('pending','sending') AND n.next_attempt_at <= ?"
            " ORDER BY n.next_attempt_at LIMIT ?", (now, limit))
        return [(Notification.from_dict(json.loads(n)), self._ticket((num, t)) if t else None) for n, num, t in rows]

    def claim_notifications(self, notification_ids, now, lease_until):
        patch = json.dumps({"status": "sending", "next_attempt_at": lease_until})
        with self._write() as db:
            return {nid for nid in notification_ids if db.execute(
                "UPDATE notifications SET status='sending', next_attempt_at=?, doc=json_patch(doc, ?)"
                " WHERE id=? AND status IN ('pending','sending') AND next_attempt_at <= ?",
                (lease_until, patch, nid, now)).rowcount == 1}

    def update_notification(self, notification_id, fields):
        with self._write() as db:
            db.execute("UPDATE notifications SET doc=json_patch(doc, ?), status=coalesce(?, status),"
                       " next_attempt_at=coalesce(?, next_attempt_at) WHERE id=?",
                       (json.dumps(fields, ensure_ascii=False), fields.get("status"),
                        fields.get("next_attempt_at"), notification_id))

    def list_notifications(self, ticket_id):
        rows = self._rows("SELECT doc FROM notifications WHERE ticket_number=? ORDER BY rowid",
                          (_number(ticket_id),))
        return [Notification.from_dict(json.loads(r[0])) for r in rows]

    def get_checkpoint(self, folder):
        rows = self._rows("SELECT uidvalidity, last_uid FROM checkpoints WHERE folder=?", (folder,))
        return tuple(rows[0]) if rows else (0, 0)

    def set_checkpoint(self, folder, uidvalidity, last_uid):
        with self._write() as db:
            db.execute("INSERT INTO checkpoints(folder, uidvalidity, last_uid) VALUES (?,?,?)"
                       " ON CONFLICT(folder) DO UPDATE SET uidvalidity=excluded.uidvalidity,"
                       " last_uid=excluded.last_uid", (folder, uidvalidity, last_uid))

    def add_quarantine(self, message_id, reason, origin, sha256, size, now):
        with self._write() as db:
            cur = db.execute("INSERT INTO quarantine(message_id, reason, origin, sha256, size, created_at)"
                             " VALUES (?,?,?,?,?,?)", (message_id, reason, origin, sha256, size, now))
            return cur.lastrowid

    _Q = "SELECT id, message_id, reason, origin, sha256, size, created_at, status, outcome FROM quarantine"

    def list_quarantine(self, status="parked"):
        sql, args = self._Q, ()
        if status:
            sql, args = sql + " WHERE status=?", (status,)
        return [QuarantineRecord(*r) for r in self._rows(sql + " ORDER BY id", args)]

    def get_quarantine(self, record_id):
        rows = self._rows(self._Q + " WHERE id=?", (record_id,))
        if not rows:
            raise NotFound(f"no quarantine record {record_id}")
        return QuarantineRecord(*rows[0])

    def close_quarantine(self, record_id, outcome):
        with self._write() as db:
            db.execute("UPDATE quarantine SET status='closed', outcome=? WHERE id=?", (outcome, record_id))

    def close(self):
        with self.lock:
            self.db.close()


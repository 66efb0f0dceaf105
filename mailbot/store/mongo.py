"""MongoTicketStore: the production store (pymongo), atomic without transactions."""

from __future__ import annotations

from pymongo import ASCENDING, DESCENDING, ReturnDocument
from pymongo.errors import DuplicateKeyError, PyMongoError

from mailbot.errors import ConflictError, NotFound, StoreUnavailable
from mailbot.models.notification import Notification
from mailbot.models.ticket import Ticket, ticket_number as _number
from mailbot.store.base import QuarantineRecord

_DUE = ("pending", "sending")


class MongoTicketStore:
    """A TicketStore in MongoDB. Notifications live inside their ticket's document,
    so a ticket and its outbox are written in one single-document operation."""

    def __init__(self, client, db_name: str = "mailbot"):
        self.client = client
        self.db = client[db_name]
        try:
            self.db.tickets.create_index("source_message_id", unique=True)
            self.db.tickets.create_index([("status", ASCENDING), ("created_at", DESCENDING)])
            self.db.tickets.create_index([("outbox.status", ASCENDING), ("outbox.next_attempt_at", ASCENDING)])
            self.db.tickets.create_index("outbox.id")
            for name in ("ticket", "quarantine"):
                self.db.counters.update_one({"_id": name}, {"$setOnInsert": {"seq": 0}}, upsert=True)
        except PyMongoError as exc:
            raise StoreUnavailable(f"MongoDB unreachable: {type(exc).__name__}") from exc

    def _call(self, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except DuplicateKeyError:
            raise
        except PyMongoError as exc:
            raise StoreUnavailable(f"MongoDB error: {type(exc).__name__}: {exc}") from exc

    def _next(self, counter: str, count: int = 1) -> int:
        """Advance a counter by ``count``; the new (last taken) value."""
        doc = self._call(self.db.counters.find_one_and_update, {"_id": counter}, {"$inc": {"seq": count}},
                         return_document=ReturnDocument.AFTER)
        return doc["seq"]

    @staticmethod
    def _ticket(doc) -> Ticket:
        return Ticket.from_dict(doc)

    def create_tickets(self, items):
        """One document write per ticket: each is atomic with its own outbox."""
        return [self.create_ticket(*item) for item in items]

    def reserve_numbers(self, count):
        return self._next("ticket", count) - count + 1

    def save(self, ticket, notifications=()):
        doc = {k: v for k, v in ticket.to_dict().items() if k not in ("version", "number", "id")}
        update = {"$set": doc, "$inc": {"version": 1}}
        if notifications:
            for note in notifications:
                note.ticket_id = ticket.id
            update["$push"] = {"outbox": {"$each": [n.to_dict() for n in notifications]}}
        result = self._call(self.db.tickets.update_one, {"_id": ticket.id, "version": ticket.version}, update)
        if result.matched_count != 1:
            raise ConflictError(f"ticket {ticket.id} changed since it was read (version {ticket.version})")
        ticket.version += 1
        return ticket

    def upsert_person(self, kind, record):
        key = f"{kind}:{record['email']}"
        self._call(self.db.people.replace_one, {"_id": key}, {"doc": record, "kind": kind, "_id": key}, upsert=True)

    def get_person(self, kind, email):
        doc = self._call(self.db.people.find_one, {"_id": f"{kind}:{email.lower()}"})
        return doc["doc"] if doc else None

    def list_people(self, kind):
        return [d["doc"] for d in self._call(self.db.people.find, {"kind": kind}).sort("_id")]

    def create_ticket(self, ticket, notifications, requester_name=""):
        existing = self.find_by_message_id(ticket.source_message_id)
        if existing:
            return existing, False
        if ticket.number is None:
            ticket.number = self.reserve_numbers(1)
        for note in notifications:
            note.ticket_id = ticket.id
        doc = {**ticket.to_dict(), "_id": ticket.id, "outbox": [n.to_dict() for n in notifications]}
        try:
            self._call(self.db.tickets.insert_one, doc)
        except DuplicateKeyError:
            return self.find_by_message_id(ticket.source_message_id), False
        self.ensure_user(ticket.created_by, requester_name, "requester", ticket.created_at)
        return ticket, True

    def sync(self):
        """Each write is acknowledged by the server already; durability follows the URI's
        write concern (use ``?w=majority&journal=true`` in production)."""

    def find_by_message_id(self, message_id):
        doc = self._call(self.db.tickets.find_one, {"source_message_id": message_id}, {"outbox": 0})
        return self._ticket(doc) if doc else None

    def get_ticket(self, ticket_id):
        doc = self._call(self.db.tickets.find_one, {"number": _number(ticket_id)}, {"outbox": 0})
        if not doc:
            raise NotFound(f"no ticket {ticket_id}")
        return self._ticket(doc)

    def list_tickets(self, status=None, requester=None):
        query = {k: v for k, v in (("status", status), ("created_by", requester)) if v}
        cursor = self._call(self.db.tickets.find, query, {"outbox": 0})
        return [self._ticket(d) for d in cursor.sort("number", DESCENDING)]

    def ensure_user(self, email, name, role, now):
        result = self._call(self.db.users.update_one, {"_id": email},
                            {"$setOnInsert": {"email": email, "name": name, "role": role, "created_at": now}},
                            upsert=True)
        return result.upserted_id is not None

    def get_user(self, email):
        doc = self._call(self.db.users.find_one, {"_id": email})
        return {k: doc[k] for k in ("email", "name", "role", "created_at")} if doc else None

    def add_mail(self, note):
        try:
            self._call(self.db.mail.insert_one, {**note.to_dict(), "_id": note.id})
            return True
        except DuplicateKeyError:
            return False

    def due_notifications(self, now, limit):
        match = {"status": {"$in": list(_DUE)}, "next_attempt_at": {"$lte": now}}
        loose = [(Notification.from_dict(d), None) for d in self._call(self.db.mail.find, match).limit(limit)]
        cursor = self._call(self.db.tickets.find, {"outbox": {"$elemMatch": match}}).limit(limit)
        found = []
        for doc in cursor:
            ticket = self._ticket(doc)
            for raw in doc["outbox"]:
                if raw["status"] in _DUE and raw["next_attempt_at"] <= now:
                    found.append((Notification.from_dict(raw), ticket))
        found = sorted(found + loose, key=lambda pair: pair[0].next_attempt_at)
        return found[:limit]

    def claim_notifications(self, notification_ids, now, lease_until):
        claimed = set()
        due = {"status": {"$in": list(_DUE)}, "next_attempt_at": {"$lte": now}}
        for nid in notification_ids:
            result = self._call(self.db.tickets.update_one, {"outbox": {"$elemMatch": {"id": nid, **due}}},
                                {"$set": {"outbox.$.status": "sending", "outbox.$.next_attempt_at": lease_until}})
            if result.modified_count != 1:
                result = self._call(self.db.mail.update_one, {"_id": nid, **due},
                                    {"$set": {"status": "sending", "next_attempt_at": lease_until}})
            if result.modified_count == 1:
                claimed.add(nid)
        return claimed

    def update_notification(self, notification_id, fields):
        update = {f"outbox.$.{k}": v for k, v in fields.items()}
        result = self._call(self.db.tickets.update_one, {"outbox.id": notification_id}, {"$set": update})
        if result.matched_count == 0:
            self._call(self.db.mail.update_one, {"_id": notification_id}, {"$set": fields})

    def list_notifications(self, ticket_id):
        doc = self._call(self.db.tickets.find_one, {"number": _number(ticket_id)}, {"outbox": 1})
        return [Notification.from_dict(n) for n in (doc or {}).get("outbox", [])]

    def get_checkpoint(self, folder):
        doc = self._call(self.db.checkpoints.find_one, {"_id": folder})
        return (doc["uidvalidity"], doc["last_uid"]) if doc else (0, 0)

    def set_checkpoint(self, folder, uidvalidity, last_uid):
        self._call(self.db.checkpoints.update_one, {"_id": folder},
                   {"$set": {"uidvalidity": uidvalidity, "last_uid": last_uid}}, upsert=True)

    def add_quarantine(self, message_id, reason, origin, sha256, size, now):
        seq = self._next("quarantine")
        self._call(self.db.quarantine.insert_one, {
            "_id": seq, "message_id": message_id, "reason": reason, "origin": origin, "sha256": sha256,
            "size": size, "created_at": now, "status": "parked", "outcome": ""})
        return seq

    @staticmethod
    def _record(doc) -> QuarantineRecord:
        return QuarantineRecord(id=doc["_id"], **{k: doc[k] for k in (
            "message_id", "reason", "origin", "sha256", "size", "created_at", "status", "outcome")})

    def list_quarantine(self, status="parked"):
        cursor = self._call(self.db.quarantine.find, {"status": status} if status else {})
        return [self._record(d) for d in cursor.sort("_id", ASCENDING)]

    def get_quarantine(self, record_id):
        doc = self._call(self.db.quarantine.find_one, {"_id": int(record_id)})
        if not doc:
            raise NotFound(f"no quarantine record {record_id}")
        return self._record(doc)

    def close_quarantine(self, record_id, outcome):
        self._call(self.db.quarantine.update_one, {"_id": int(record_id)},
                   {"$set": {"status": "closed", "outcome": outcome}})

    def close(self):
        self.client.close()

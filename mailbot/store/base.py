"""TicketStore: the port every store implements, and the records it returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from mailbot.models.notification import Notification
from mailbot.models.ticket import Ticket


@dataclass(frozen=True)
class QuarantineRecord:
    """A mail that could not be processed, parked with a reference to its raw bytes."""

    id: int
    message_id: str
    reason: str
    origin: str
    sha256: str
    size: int
    created_at: str
    status: str = "parked"
    outcome: str = ""

    def to_dict(self) -> dict:
        return dict(self.__dict__)


class TicketStore(Protocol):
    """What the service and the jobs need from persistence; nothing more."""

    def create_ticket(self, ticket: Ticket, notifications: list[Notification],
                      requester_name: str = "") -> tuple[Ticket, bool]:
        """Insert a ticket and its notifications atomically; idempotent on the source Message-ID.

        The requester becomes a user on their first ticket.

        Returns the stored ticket and True, or the existing one and False."""

    def create_tickets(self, items: list[tuple[Ticket, list[Notification], str]]) -> list[tuple[Ticket, bool]]:
        """``create_ticket`` for several tickets at once (one transaction where the store has them)."""

    def reserve_numbers(self, count: int) -> int:
        """Reserve ``count`` consecutive ticket numbers; returns the first (unused ones leave gaps)."""

    def save(self, ticket: Ticket, notifications: list[Notification] = ()) -> Ticket:
        """Write a changed ticket and its new notifications atomically; ConflictError on a stale version."""

    def upsert_person(self, kind: str, record: dict) -> None:
        """Create or replace a person of a kind ("agent": email, name, level, categories, active; "admin")."""

    def get_person(self, kind: str, email: str) -> dict | None:
        """A person of a kind by address."""

    def list_people(self, kind: str) -> list[dict]:
        """Every person of a kind, by address."""

    def sync(self) -> None:
        """Make every write so far durable; called before mail is marked done on the server."""

    def find_by_message_id(self, message_id: str) -> Ticket | None:
        """The ticket created from this Message-ID, if any."""

    def get_ticket(self, ticket_id: str) -> Ticket:
        """One ticket by id; raises NotFound."""

    def list_tickets(self, status: str | None = None, requester: str | None = None) -> list[Ticket]:
        """Tickets, newest first, optionally of one status and one requester."""

    def add_mail(self, notification: Notification) -> bool:
        """Queue a mail about no single ticket; False when a mail with that id is queued already."""

    def ensure_user(self, email: str, name: str, role: str, now: str) -> bool:
        """Record a user on first sight; True when the user is new."""

    def get_user(self, email: str) -> dict | None:
        """A user record by address."""

    def due_notifications(self, now: str, limit: int) -> list[tuple[Notification, Ticket]]:
        """Outbox entries whose next attempt is due, with their tickets (None for mail about no ticket)."""

    def claim_notifications(self, notification_ids: list[str], now: str, lease_until: str) -> set[str]:
        """Take due notifications for sending until ``lease_until``; each id goes to exactly one claimant."""

    def update_notification(self, notification_id: str, fields: dict) -> None:
        """Record the outcome of a send attempt."""

    def list_notifications(self, ticket_id: str) -> list[Notification]:
        """Every outgoing mail of one ticket, oldest first."""

    def get_checkpoint(self, folder: str) -> tuple[int, int]:
        """(UIDVALIDITY, last processed UID) of a mailbox folder; (0, 0) when unknown."""

    def set_checkpoint(self, folder: str, uidvalidity: int, last_uid: int) -> None:
        """Remember how far a folder has been processed."""

    def add_quarantine(self, message_id: str, reason: str, origin: str, sha256: str,
                       size: int, now: str) -> int:
        """Park a mail that could not be processed; returns the record id."""

    def list_quarantine(self, status: str | None = "parked") -> list[QuarantineRecord]:
        """Parked mails, oldest first."""

    def get_quarantine(self, record_id: int) -> QuarantineRecord:
        """One quarantine record; raises NotFound."""

    def close_quarantine(self, record_id: int, outcome: str) -> None:
        """Mark a parked mail as dealt with (for example retried into a ticket)."""

    def close(self) -> None:
        """Release connections."""

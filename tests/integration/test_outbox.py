"""The outbox against a real aiosmtpd server: retry with backoff, give up, wait for a dead server."""

from datetime import datetime, timedelta, timezone

import pytest

from mailbot.app import build_app
from mailbot.errors import StoreUnavailable
from mailbot.jobs import poll_inbox
from mailbot.outbox import send_outbox
from tests.integration.helpers import eml
from tests.servers import free_port


class Clock:
    def __init__(self):
        self.now = datetime(2026, 12, 3, 9, 0, tzinfo=timezone.utc)

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += timedelta(**delta)


@pytest.fixture
def clock():
    return Clock()


def _notes(app):
    return [n for t in app.store.list_tickets() for n in app.store.list_notifications(t.id)]


def test_temporary_failure_is_retried_with_backoff_then_sent(settings, dovecot, smtp, clock):
    app = build_app(settings, clock=clock)
    dovecot.append(eml("plain.eml"))
    assert poll_inbox(app)["created"] == 1
    smtp.reply = "451 4.3.0 mailbox busy, try later"
    assert send_outbox(app)["retrying"] == 1
    note = _notes(app)[0]
    assert (note.status, note.attempts) == ("pending", 1) and "451" in note.last_error
    assert send_outbox(app) == {}, "not due again before the backoff"
    smtp.reply = "250 OK"
    clock.advance(seconds=settings.send_retry_seconds)
    assert send_outbox(app)["sent"] == 1
    assert len(smtp.received) == 1 and _notes(app)[0].status == "sent"
    clock.advance(days=1)
    assert send_outbox(app) == {} and len(smtp.received) == 1, "a sent mail is never sent again"


def test_permanent_failure_is_recorded_and_not_retried(settings, dovecot, smtp, clock):
    app = build_app(settings, clock=clock)
    dovecot.append(eml("plain.eml"))
    poll_inbox(app)
    smtp.reply = "550 5.1.1 no such user"
    assert send_outbox(app)["failed"] == 1
    note = _notes(app)[0]
    assert note.status == "failed" and "550" in note.last_error
    smtp.reply = "250 OK"
    clock.advance(days=1)
    assert send_outbox(app) == {} and smtp.received == []


def test_dead_smtp_server_leaves_the_outbox_waiting(settings, dovecot, smtp, clock):
    from dataclasses import replace
    dead = replace(settings, smtp=replace(settings.smtp, port=free_port()))
    app = build_app(dead, clock=clock)
    dovecot.append(eml("plain.eml"), eml("html-only.eml"))
    assert poll_inbox(app)["created"] == 2, "tickets are safe even while SMTP is down"
    assert dovecot.count("INBOX") == 0
    report = send_outbox(app)
    assert report["waiting"] >= 1 and not report["sent"] and not report["retrying"]
    assert [n.status for n in _notes(app)] == ["pending", "pending"]
    assert all(n.attempts == 0 for n in _notes(app)), "a dead server is no mail's fault"
    revived = build_app(settings, store=app.store, clock=clock)
    assert send_outbox(revived)["sent"] == 2 and len(smtp.received) == 2


class StoreGoesDown:
    """A real store that becomes unreachable after ``writes`` tickets (as pymongo or sqlite
    errors are turned into StoreUnavailable by the adapters)."""

    def __init__(self, real, writes):
        self.real, self.writes = real, writes

    def create_tickets(self, items):
        if self.writes < len(items):
            raise StoreUnavailable("store is down")
        self.writes -= len(items)
        return self.real.create_tickets(items)

    def __getattr__(self, name):
        return getattr(self.real, name)


def test_store_down_mid_pass_leaves_the_rest_for_the_next_pass(settings, dovecot, smtp, clock):
    dovecot.append(eml("plain.eml"), eml("html-only.eml"), eml("no-message-id.eml"))
    from dataclasses import replace
    one_by_one = replace(settings, batch_size=1)
    app = build_app(one_by_one, clock=clock)
    report = poll_inbox(build_app(one_by_one, store=StoreGoesDown(app.store, 1), clock=clock))
    assert (report["created"], report["waiting"]) == (1, 1)
    assert dovecot.count("INBOX") == 2 and dovecot.count("Processed") == 1
    assert poll_inbox(app)["created"] == 2 and dovecot.count("INBOX") == 0
    assert len(app.store.list_tickets()) == 3


def test_store_down_for_a_whole_batch_marks_none_of_it_done(settings, dovecot, smtp, clock):
    dovecot.append(eml("plain.eml"), eml("html-only.eml"))
    app = build_app(settings, clock=clock)
    report = poll_inbox(build_app(settings, store=StoreGoesDown(app.store, 0), clock=clock))
    assert (report["created"], report["waiting"]) == (0, 2) and dovecot.count("INBOX") == 2
    assert app.store.list_tickets() == [] and poll_inbox(app)["created"] == 2

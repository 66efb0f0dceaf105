"""send_outbox: send the due notifications over a few SMTP connections, with retry and backoff."""

from __future__ import annotations

import logging
from collections import Counter, deque
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from mailbot import constants as C
from mailbot.contain import contained
from mailbot.errors import PermanentSendError, SmtpUnavailable, TransientSendError
from mailbot.models.notification import after_failure, after_success
from mailbot.models.times import iso

log = logging.getLogger(__name__)


def send_outbox(app, limit: int = 500) -> Counter:
    """Send everything that is due, ``limit`` at a time; never raises."""
    report = Counter()
    with contained(report, "outbox"):
        while not app.stopping():
            due = app.store.due_notifications(iso(app.clock()), limit)
            if not due:
                break
            lanes = max(1, min(app.settings.smtp_connections, len(due)))
            with ThreadPoolExecutor(lanes, thread_name_prefix="smtp") as pool:
                for lane in pool.map(lambda chunk: _lane(app, chunk), [due[i::lanes] for i in range(lanes)]):
                    report.update(lane)
            if report["waiting"] or report["errors"] or len(due) < limit:
                break
    return report


def send_beside_poller(settings, log_setup, kick, finished, results) -> None:
    """Child process of ``poll --once``: send what the poller stores until it is finished, then drain.

    It lives here, away from the parsers and the scheduler, so the spawned process imports little."""
    from mailbot.app import build_app
    from mailbot.logging_setup import configure
    configure(*log_setup)
    app, report = build_app(settings), Counter()
    try:
        while not finished.is_set():
            kick.wait(timeout=1)
            kick.clear()
            report.update(send_outbox(app))
        report.update(send_outbox(app))
    finally:
        app.store.close()
        results.put(report)


def _lane(app, chunk) -> Counter:
    """One SMTP connection working through its share of the due notifications."""
    report = Counter()
    now = app.clock()
    lease = iso(now + timedelta(seconds=C.SEND_LEASE_SECONDS))
    with contained(report, "outbox lane"):
        claimed = app.store.claim_notifications([note.id for note, _ in chunk], iso(now), lease)
        todo = deque((note, ticket) for note, ticket in chunk if note.id in claimed)
        with app.sender() as sender:
            while todo and not app.stopping():
                if not _send_one(app, sender, *todo.popleft(), report):
                    break
        for note, _ in todo:  # stopping, or SMTP is down: hand the rest back at once
            app.store.update_notification(note.id, {"status": "pending", "next_attempt_at": iso(now)})
    return report


def _send_one(app, sender, note, ticket, report: Counter) -> bool:
    """Send one claimed notification; False when the SMTP server is unavailable."""
    now = app.clock()
    label = ticket.id if ticket else "(no ticket)"
    try:
        msg = app.renderer.render(note, ticket, now)
    except Exception as exc:  # noqa: BLE001 - a template error: record it, never resend blindly
        log.exception("%s %s to %s could not be rendered", label, note.kind, note.to)
        app.store.update_notification(note.id, after_failure(note, f"render: {exc}", True, now))
        report["failed"] += 1
        return True
    try:
        sender.send(msg)
    except SmtpUnavailable as exc:
        app.store.update_notification(note.id, {"status": "pending", "next_attempt_at": iso(now),
                                                "last_error": str(exc)})
        log.error("%s %s to %s waits for SMTP: %s", label, note.kind, note.to, exc)
        report["waiting"] += 1
        return False
    except (TransientSendError, PermanentSendError) as exc:
        s = app.settings
        fields = after_failure(note, str(exc), isinstance(exc, PermanentSendError), now,
                               s.send_max_attempts, s.send_retry_seconds)
        app.store.update_notification(note.id, fields)
        gave_up = fields["status"] == "failed"
        log.error("%s %s to %s %s: %s", label, note.kind, note.to,
                  "failed for good" if gave_up else "will be retried", exc)
        report["failed" if gave_up else "retrying"] += 1
        return True
    app.store.update_notification(note.id, after_success(note, now))
    log.info("%s %s sent to %s as %s", label, note.kind, note.to, note.message_id)
    report["sent"] += 1
    return True


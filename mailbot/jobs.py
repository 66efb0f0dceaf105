"""The scheduled jobs: poll_inbox and send_outbox. Neither lets an error escape."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import timedelta

from mailbot import constants as C
from mailbot.errors import (MailboxError, PermanentSendError, RejectedMail, SmtpUnavailable, StoreUnavailable,
                            TransientSendError)
from mailbot.models.notification import after_failure, after_success
from mailbot.models.times import iso
from mailbot.service import handle_inbound, park

log = logging.getLogger(__name__)


def poll_inbox(app) -> Counter:
    """One pass over the mailbox: every new mail becomes a ticket, or is parked, or waits."""
    report = Counter()
    try:
        with app.mailbox() as mailbox:
            _poll(app, mailbox, report)
    except (MailboxError, StoreUnavailable) as exc:
        log.error("poll stopped: %s", exc)
        report["errors"] += 1
    except Exception:  # noqa: BLE001 - a job never lets an exception reach the scheduler
        log.exception("poll stopped by an unexpected error")
        report["errors"] += 1
    return report


def _poll(app, mailbox, report: Counter) -> None:
    folder = app.settings.maildir or app.settings.imap_folder
    known_validity, last_uid = app.store.get_checkpoint(folder)
    state = mailbox.state(0)
    if state.uidvalidity is not None and state.uidvalidity == known_validity and last_uid:
        state = mailbox.state(last_uid)
    elif state.uidvalidity is not None and known_validity:
        log.warning("%s: UIDVALIDITY changed %s -> %s; rescanning (Message-IDs prevent duplicates)",
                    folder, known_validity, state.uidvalidity)
    batch_size = app.settings.batch_size
    for start in range(0, len(state.uids), batch_size):
        batch = state.uids[start:start + batch_size]
        handled, blocked = _batch(app, mailbox, batch, report)
        if state.uidvalidity is not None and handled:
            app.store.set_checkpoint(folder, state.uidvalidity, handled[-1])
        if blocked or app.stopping():
            break


def _batch(app, mailbox, uids, report: Counter) -> tuple[list, bool]:
    """Process one fetched batch; mark mail done only after the store holds its result."""
    raws = mailbox.fetch(uids)
    done, failed, handled, blocked = [], [], [], False
    for uid in uids:
        if app.stopping():
            blocked = True
            break
        raw = raws.get(uid)
        if raw is None:
            handled.append(uid)  # gone: another worker finished it
            continue
        verdict = _one(app, mailbox, uid, raw, report)
        if verdict is None:
            blocked = True
            break
        (done if verdict else failed).append(uid)
        handled.append(uid)
    mailbox.mark_done(done)
    mailbox.mark_failed(failed)
    return handled, blocked


def _one(app, mailbox, uid, raw: bytes, report: Counter) -> bool | None:
    """True: done. False: parked in quarantine. None: the store is down, leave the mail."""
    now = app.clock()
    try:
        outcome = handle_inbound(raw, app, now)
        report[outcome.kind] += 1
        return True
    except StoreUnavailable as exc:
        log.error("%s left in the mailbox for the next pass: %s", mailbox.describe(uid), exc)
        report["waiting"] += 1
        return None
    except RejectedMail as exc:
        reason = str(exc)
    except Exception as exc:  # noqa: BLE001 - a bug must park the mail, not stop the worker
        log.exception("%s could not be processed", mailbox.describe(uid))
        reason = f"internal error: {type(exc).__name__}: {exc}"
    try:
        park(raw, reason, mailbox.describe(uid), app, now)
    except StoreUnavailable as exc:
        log.error("%s cannot be parked now, left in the mailbox: %s", mailbox.describe(uid), exc)
        report["waiting"] += 1
        return None
    report["quarantined"] += 1
    return False


def send_outbox(app, limit: int = 500) -> Counter:
    """Send the notifications that are due; retry temporary failures with backoff."""
    report = Counter()
    try:
        due = app.store.due_notifications(iso(app.clock()), limit)
        if due:
            with app.sender() as sender:
                for note, ticket in due:
                    if app.stopping() or not _send_one(app, sender, note, ticket, report):
                        break
    except StoreUnavailable as exc:
        log.error("outbox stopped: %s", exc)
        report["errors"] += 1
    except Exception:  # noqa: BLE001 - a job never lets an exception reach the scheduler
        log.exception("outbox stopped by an unexpected error")
        report["errors"] += 1
    return report


def _send_one(app, sender, note, ticket, report: Counter) -> bool:
    """Send one claimed notification; False when the SMTP server is unavailable."""
    now = app.clock()
    if not app.store.claim_notification(note.id, iso(now), iso(now + timedelta(seconds=C.SEND_LEASE_SECONDS))):
        return True  # another worker has it
    try:
        msg = app.renderer.render(note, ticket, now)
    except Exception as exc:  # noqa: BLE001 - a template error: record it, never resend blindly
        log.exception("%s %s to %s could not be rendered", ticket.id, note.kind, note.to)
        app.store.update_notification(note.id, after_failure(note, f"render: {exc}", True, now))
        report["failed"] += 1
        return True
    try:
        sender.send(msg)
    except SmtpUnavailable as exc:
        app.store.update_notification(note.id, {"status": "pending", "next_attempt_at": iso(now),
                                                "last_error": str(exc)})
        log.error("%s %s to %s waits for SMTP: %s", ticket.id, note.kind, note.to, exc)
        report["waiting"] += 1
        return False
    except (TransientSendError, PermanentSendError) as exc:
        s = app.settings
        fields = after_failure(note, str(exc), isinstance(exc, PermanentSendError), now,
                               s.send_max_attempts, s.send_retry_seconds)
        app.store.update_notification(note.id, fields)
        gave_up = fields["status"] == "failed"
        log.error("%s %s to %s %s: %s", ticket.id, note.kind, note.to,
                  "failed for good" if gave_up else "will be retried", exc)
        report["failed" if gave_up else "retrying"] += 1
        return True
    app.store.update_notification(note.id, after_success(note, now))
    log.info("%s %s sent to %s as %s", ticket.id, note.kind, note.to, note.message_id)
    report["sent"] += 1
    return True

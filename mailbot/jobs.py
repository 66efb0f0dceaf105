"""The scheduled jobs: poll_inbox here, send_outbox in outbox.py. Neither lets an error escape."""

from __future__ import annotations

import logging
from collections import Counter

from mailbot.contain import contained
from mailbot.errors import RejectedMail, StoreUnavailable
from mailbot.service import Prepared, park, prepare_inbound, store_prepared

log = logging.getLogger(__name__)


def poll_inbox(app, on_batch=None) -> Counter:
    """One pass over the mailbox: every new mail becomes a ticket, or is parked, or waits.

    ``on_batch`` is called after each batch is stored and marked done (the outbox can start)."""
    report = Counter()
    with contained(report, "poll"), app.mailbox() as mailbox:
        _poll(app, mailbox, report, on_batch or (lambda: None))
    return report


def _poll(app, mailbox, report: Counter, on_batch) -> None:
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
        on_batch()
        if blocked or app.stopping():
            break


def _batch(app, mailbox, uids, report: Counter) -> tuple[list, bool]:
    """Process one fetched batch: store its tickets in one write, make it durable, then mark mail done."""
    raws = mailbox.fetch(uids)
    done, failed, handled, ready, blocked = [], [], [], [], False
    for uid in uids:
        raw = raws.get(uid)
        result = True if raw is None else _prepare(app, mailbox, uid, raw, report)  # None: gone, done elsewhere
        if result is None or app.stopping():
            blocked = True
            break
        if isinstance(result, Prepared):
            ready.append((uid, result))
        elif raw is not None:
            (done if result else failed).append(uid)
        handled.append(uid)
    if ready:
        try:
            for outcome in store_prepared(app, [p for _, p in ready]):
                report[outcome.kind] += 1
            done += [uid for uid, _ in ready]
        except StoreUnavailable as exc:
            log.error("%d mails left in the mailbox for the next pass, from %s: %s", len(ready),
                      ready[0][1].message_id, exc)
            report["waiting"] += len(ready)
            handled, blocked = [u for u in handled if u < ready[0][0]], True
    if done or failed:
        app.blobs.sync()
        app.store.sync()
    mailbox.mark_done(sorted(done))
    mailbox.mark_failed(failed)
    return handled, blocked


def _prepare(app, mailbox, uid, raw: bytes, report: Counter):
    """Prepared: to store. True: nothing to store. False: parked in quarantine. None: store down."""
    now = app.clock()
    try:
        result = prepare_inbound(raw, app, now)
        if isinstance(result, Prepared):
            return result
        report[result.kind] += 1
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

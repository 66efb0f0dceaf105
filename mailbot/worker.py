"""run_worker: the scheduled jobs under APScheduler until SIGTERM or SIGINT."""

from __future__ import annotations

import logging
import multiprocessing
import signal
import threading
from collections import Counter

from mailbot.jobs import poll_inbox
from mailbot.outbox import send_beside_poller, send_outbox
from mailbot.sweep import sweep

log = logging.getLogger(__name__)
OUTBOX_SECONDS = 15
SWEEP_SECONDS = 300


def run_once(app) -> tuple[Counter, Counter]:
    """One pass over the mailbox while a second process sends the outbox as batches are stored.

    Parsing is CPU-bound and sending waits on the SMTP server: in two processes they overlap
    instead of taking turns on one interpreter lock."""
    ctx = multiprocessing.get_context("spawn")
    kick, finished, results = ctx.Event(), ctx.Event(), ctx.Queue()
    root = logging.getLogger()
    log_setup = (getattr(root, "mailbot_format", "text"), logging.getLevelName(root.level),
                 getattr(root, "mailbot_secrets", []))
    sender = ctx.Process(target=send_beside_poller, name="mailbot-outbox",
                         args=(app.settings, log_setup, kick, finished, results))
    sender.start()
    try:
        inbox = poll_inbox(app, on_batch=kick.set)
    finally:
        finished.set()
        kick.set()
    try:
        outbox = results.get(timeout=3600)
    except Exception:  # noqa: BLE001 - the outbox process died: its mail stays queued for next time
        log.error("the outbox process ended without a report (exit code %s)", sender.exitcode)
        outbox = Counter(errors=1)
    sender.join()
    return inbox, outbox


def run_worker(app, stop: threading.Event | None = None) -> int:
    """Poll and send on a schedule; on a signal (or ``stop``), finish the mail in hand, then exit 0."""
    from apscheduler.schedulers.background import BackgroundScheduler  # only the long-running worker needs it

    stop = stop or threading.Event()
    app.stopping = stop.is_set

    def on_signal(signum, _frame):
        log.info("received %s: finishing the mail in hand, then stopping", signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    scheduler = BackgroundScheduler(job_defaults={"max_instances": 1, "coalesce": True, "misfire_grace_time": 30})
    every = app.settings.poll_seconds

    def poll_then_send():
        """Poll; when new tickets were made, send their notifications now rather than later."""
        if poll_inbox(app)["created"]:
            scheduler.modify_job("send_outbox", next_run_time=app.clock())

    scheduler.add_job(poll_then_send, "interval", seconds=every, id="poll_inbox", next_run_time=app.clock())
    scheduler.add_job(send_outbox, "interval", seconds=min(every, OUTBOX_SECONDS), args=[app], id="send_outbox",
                      next_run_time=app.clock())
    scheduler.add_job(sweep, "interval", seconds=SWEEP_SECONDS, args=[app], id="sweep")
    scheduler.start()
    log.info("mailbot worker started: polling every %ss", every)
    stop.wait()
    scheduler.shutdown(wait=True)
    app.store.close()
    log.info("mailbot worker stopped")
    return 0

"""run_worker: the scheduled jobs under APScheduler until SIGTERM or SIGINT."""

from __future__ import annotations

import logging
import signal
import threading

from apscheduler.schedulers.background import BackgroundScheduler

from mailbot.jobs import poll_inbox, send_outbox

log = logging.getLogger(__name__)
OUTBOX_SECONDS = 15


def run_worker(app) -> int:
    """Poll and send on a schedule; on a signal, finish the mail in hand, then exit 0."""
    stop = threading.Event()
    app.stopping = stop.is_set

    def on_signal(signum, _frame):
        log.info("received %s: finishing the mail in hand, then stopping", signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    scheduler = BackgroundScheduler(job_defaults={"max_instances": 1, "coalesce": True, "misfire_grace_time": 30})
    every = app.settings.poll_seconds
    scheduler.add_job(poll_inbox, "interval", seconds=every, args=[app], id="poll_inbox",
                      next_run_time=app.clock())
    scheduler.add_job(send_outbox, "interval", seconds=min(every, OUTBOX_SECONDS), args=[app], id="send_outbox",
                      next_run_time=app.clock())
    scheduler.start()
    log.info("mailbot worker started: polling every %ss", every)
    stop.wait()
    scheduler.shutdown(wait=True)
    app.store.close()
    log.info("mailbot worker stopped")
    return 0

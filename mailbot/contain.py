"""contained: run one job step so that no error ever reaches the scheduler."""

from __future__ import annotations

import logging
from collections import Counter
from contextlib import contextmanager

from mailbot.errors import MailboxError, StoreUnavailable

log = logging.getLogger(__name__)


@contextmanager
def contained(report: Counter, what: str):
    """Log and count an error (an outage plainly, a bug with its traceback) instead of raising it."""
    try:
        yield
    except (MailboxError, StoreUnavailable) as exc:
        log.error("%s stopped: %s", what, exc)
        report["errors"] += 1
    except Exception:  # noqa: BLE001 - a job never lets an exception reach the scheduler
        log.exception("%s stopped by an unexpected error", what)
        report["errors"] += 1

"""One timestamp format for every store: ISO 8601 in UTC with microseconds."""

from datetime import datetime, timezone


def iso(moment: datetime) -> str:
    """Format an aware datetime so that string order equals time order."""
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def parse_iso(text: str) -> datetime:
    """Read a timestamp written by ``iso`` (or any ISO 8601 string with an offset)."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def utcnow() -> datetime:
    """The current time, aware, in UTC (used by the clock at the edges only)."""
    return datetime.now(timezone.utc)

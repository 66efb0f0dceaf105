"""mailbot stats: counts, the oldest unclaimed ticket and median times, from ticket histories."""

from datetime import datetime, timezone

from mailbot.models.ticket import Ticket
from mailbot.stats import compute, render_text


def ticket(number, status, level, created, events):
    history = [{"at": created, "actor": "a@x", "action": "created", "message_id": "<m>"}]
    history += [{"at": at, "actor": "b@x", "action": action, "message_id": "<r>"} for action, at in events]
    return Ticket(title=f"t{number}", description="", category="IT", type="request", priority="low",
                  created_by="a@x", created_at=created, source_message_id=f"<{number}>", status=status,
                  level=level, number=number, history=history)


def test_counts_oldest_and_medians():
    tickets = [
        ticket(1, "open", "L2", "2026-12-01T08:00:00+00:00", []),
        ticket(2, "open", "L1", "2026-12-02T08:00:00+00:00", []),
        ticket(3, "closed", "L1", "2026-12-01T09:00:00+00:00",
               [("claim", "2026-12-01T09:10:00+00:00"), ("confirm", "2026-12-01T11:00:00+00:00")]),
        ticket(4, "closed", "L1", "2026-12-01T09:00:00+00:00",
               [("claim", "2026-12-01T09:30:00+00:00"), ("confirm", "2026-12-01T13:00:00+00:00")]),
        ticket(5, "assigned", "L1", "2026-12-01T09:00:00+00:00", [("claim", "2026-12-01T10:00:00+00:00")]),
    ]
    figures = compute(tickets, datetime(2026, 12, 3, 8, 0, tzinfo=timezone.utc))
    assert figures["counts"] == {"open": 2, "assigned": 1, "resolved": 0, "closed": 2}
    assert figures["per_level"]["L2"]["open"] == 1 and figures["per_level"]["L1"]["closed"] == 2
    assert figures["oldest_unclaimed"]["id"] == "T-1" and figures["oldest_unclaimed"]["age_minutes"] == 2880
    assert figures["median_minutes_to_claim"] == 30.0  # 10, 30, 60
    assert figures["median_minutes_to_close"] == 180.0  # 120, 240
    assert "oldest unclaimed: T-1" in render_text(figures)

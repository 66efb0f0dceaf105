"""Pool statistics: counts by status and level, the oldest unclaimed ticket, median times."""

from __future__ import annotations

from statistics import median

from mailbot import constants as C
from mailbot.models.times import parse_iso


def _first(ticket, action):
    return next((parse_iso(h["at"]) for h in ticket.history if h["action"] == action), None)


def compute(tickets, now) -> dict:
    """Figures for ``mailbot stats``; times in minutes."""
    counts = {s: sum(t.status == s for t in tickets) for s in C.STATUSES}
    per_level = {lv: {s: sum(t.status == s and t.level == lv for t in tickets) for s in C.STATUSES}
                 for lv in C.LEVELS}
    unclaimed = sorted((t for t in tickets if t.status == "open"), key=lambda t: t.created_at)
    to_claim = [(_first(t, "claim") - parse_iso(t.created_at)).total_seconds() / 60
                for t in tickets if _first(t, "claim")]
    to_close = [(max(parse_iso(h["at"]) for h in t.history if h["action"] in ("confirm", "autoclose"))
                 - parse_iso(t.created_at)).total_seconds() / 60 for t in tickets if t.status == "closed"]
    oldest = unclaimed[0] if unclaimed else None
    return {
        "counts": counts, "per_level": per_level,
        "oldest_unclaimed": {"id": oldest.id, "title": oldest.title, "level": oldest.level,
                             "age_minutes": round((now - parse_iso(oldest.created_at)).total_seconds() / 60, 1)}
        if oldest else None,
        "median_minutes_to_claim": round(median(to_claim), 1) if to_claim else None,
        "median_minutes_to_close": round(median(to_close), 1) if to_close else None,
    }


def render_text(figures: dict) -> str:
    lines = ["status     " + "  ".join(f"{s:>8}" for s in C.STATUSES),
             "all        " + "  ".join(f"{figures['counts'][s]:>8}" for s in C.STATUSES)]
    for level, row in figures["per_level"].items():
        lines.append(f"{level:<11}" + "  ".join(f"{row[s]:>8}" for s in C.STATUSES))
    oldest = figures["oldest_unclaimed"]
    lines.append("oldest unclaimed: " + (f"{oldest['id']} ({oldest['level']}, {oldest['age_minutes']} min) "
                                          f"{oldest['title']}" if oldest else "none"))
    lines.append(f"median time to claim: {figures['median_minutes_to_claim'] or '-'} min; "
                 f"to close: {figures['median_minutes_to_close'] or '-'} min")
    return "\n".join(lines)

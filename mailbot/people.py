"""Manage agents and admins (the ``agents`` and ``admins`` subcommands, and seeding from config)."""

from __future__ import annotations

from mailbot.errors import NotFound
from mailbot.models.agent import InvalidAgent, new_agent
from mailbot.models.times import iso, utcnow


def _categories(raw: str | None) -> list[str]:
    return sorted({c.strip() for c in (raw or "").split(",") if c.strip()})


def manage_agents(store, args, print_json) -> int:
    now = iso(utcnow())
    if args.action == "list":
        found = store.list_people("agent")
        if args.json:
            print_json(found)
        else:
            for a in found:
                state = "active" if a.get("active", True) else "inactive"
                print(f"{a['email']:<32} {a['level']:<3} {state:<8} {a['name']:<20} {','.join(a['categories']) or '*'}")
            print(f"({len(found)} agent{'s' if len(found) != 1 else ''})")
        return 0
    if args.action == "add":
        agent = new_agent(args.email, args.level, args.name, now, _categories(args.categories))
        existing = store.get_person("agent", agent["email"])
        store.upsert_person("agent", {**agent, "created_at": existing["created_at"]} if existing else agent)
    else:
        existing = store.get_person("agent", args.email.strip().lower())
        if existing is None:
            raise NotFound(f"no agent {args.email}")
        agent = _updated(existing, args, now)
        store.upsert_person("agent", agent)
    print(f"agent {agent['email']} ({agent['name']}): {agent['level']}, "
          f"{'active' if agent['active'] else 'inactive'}, serves {', '.join(agent['categories']) or 'all categories'}")
    return 0


def _updated(existing: dict, args, now: str) -> dict:
    if args.action == "deactivate":
        return {**existing, "active": False}
    level = args.level or existing["level"]
    checked = new_agent(existing["email"], level, args.name or existing["name"], now)  # validates the level
    agent = {**existing, "level": checked["level"], "name": checked["name"]}
    if args.categories is not None:
        agent["categories"] = _categories(args.categories)
    if args.active:
        agent["active"] = args.active == "yes"
    return agent


def manage_admins(store, args, print_json) -> int:
    if args.action == "add":
        record = new_agent(args.email, "L3", args.name, iso(utcnow()))
        store.upsert_person("admin", {"email": record["email"], "name": record["name"],
                                      "created_at": record["created_at"]})
        print(f"admin {record['email']} ({record['name']})")
        return 0
    found = store.list_people("admin")
    if args.json:
        print_json(found)
    else:
        for a in found:
            print(f"{a['email']:<32} {a['name']}")
        print(f"({len(found)} admin{'s' if len(found) != 1 else ''})")
    return 0


def seed_people(store, settings) -> None:
    """Create or update the agents and admins named in the configuration (MAILBOT_AGENTS, MAILBOT_ADMINS)."""
    now = iso(utcnow())
    for agent in settings.seed_agents:
        existing = store.get_person("agent", agent["email"]) or {}
        store.upsert_person("agent", {**existing, **agent, "created_at": existing.get("created_at", now)})
    for email in settings.seed_admins:
        if store.get_person("admin", email) is None:
            store.upsert_person("admin", {"email": email, "name": email.partition("@")[0], "created_at": now})


__all__ = ["InvalidAgent", "manage_agents", "manage_admins", "seed_people"]

"""Handlers of the ``mailbot`` subcommands: each returns an exit code."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from mailbot.app import build_app, build_store
from mailbot.errors import RejectedMail, StoreUnavailable
from mailbot.parsers import parse_message
from mailbot.service import handle_inbound

EXIT_OK, EXIT_FAIL = 0, 1


def _print_json(value) -> None:
    json.dump(value, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def run(args, settings) -> int:
    from mailbot.people import seed_people
    from mailbot.worker import run_worker
    app = build_app(settings)
    seed_people(app.store, settings)
    return run_worker(app)


def poll(args, settings) -> int:
    if not args.once:
        return run(args, settings)
    from mailbot.people import seed_people
    from mailbot.worker import run_once
    app = build_app(settings)
    seed_people(app.store, settings)
    try:
        inbox, outbox = run_once(app)
    finally:
        app.store.close()
    print(f"poll: {_counts(inbox)}; outbox: {_counts(outbox)}")
    return EXIT_FAIL if inbox["errors"] or outbox["errors"] else EXIT_OK


def _counts(report) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(report.items())) or "nothing to do"


def tickets(args, settings) -> int:
    store = build_store(settings)
    try:
        if args.action == "list":
            found = [t for t in store.list_tickets(status=args.status) if _matches(t, args)]
            if args.json:
                _print_json([t.public() for t in found])
            else:
                _ticket_table(found)
            return EXIT_OK
        ticket = store.get_ticket(args.id)
        view = ticket.public(with_history=True)
        view["notifications"] = [{k: n.to_dict()[k] for k in ("kind", "to", "status", "attempts", "last_error",
                                                               "message_id", "sent_at")}
                                 for n in store.list_notifications(ticket.id)]
        if args.json:
            _print_json(view)
        else:
            _ticket_text(view)
        return EXIT_OK
    finally:
        store.close()


def _matches(ticket, args) -> bool:
    """The --level, --assignee, --category and --requester filters of ``tickets list``."""
    wanted = {"level": args.level, "assignee": args.assignee, "category": args.category,
              "created_by": args.requester}
    return all(str(getattr(ticket, k) or "").lower() == v.lower() for k, v in wanted.items() if v)


def _ticket_table(found) -> None:
    print(f"{'ID':<8} {'STATUS':<9} {'LEVEL':<5} {'PRIORITY':<8} {'CATEGORY':<10} {'CREATED':<16} "
          f"{'FROM':<28} TITLE")
    for t in found:
        print(f"{t.id:<8} {t.status:<9} {t.level:<5} {t.priority:<8} {t.category[:10]:<10} "
              f"{t.created_at[:16].replace('T', ' '):<16} {t.created_by[:28]:<28} {t.title[:60]}")
    print(f"({len(found)} ticket{'s' if len(found) != 1 else ''})")


def _ticket_text(view: dict) -> None:
    print(f"{view['id']}: {view['title']}")
    for key in ("status", "level", "assignee", "category", "type", "priority", "created_by", "created_at",
                "source_message_id"):
        print(f"  {key + ':':<19}{view[key] if view[key] is not None else '-'}")
    for a in view["attachments"]:
        print(f"  attachment:        {a['filename']} ({a['content_type']}, {a['size']} bytes)")
    for a in view["dropped_attachments"]:
        print(f"  dropped:           {a['filename']} ({a['size']} bytes): {a['reason']}")
    print("\n" + "\n".join("  " + line for line in view["description"].splitlines()) + "\n")
    for h in view["history"]:
        print(f"  {h['at'][:19].replace('T', ' ')}  {h['actor']}  {h['action']}  {h['message_id'] or ''}")
    for n in view["notifications"]:
        print(f"  mail {n['kind']} to {n['to']}: {n['status']} (attempts {n['attempts']}) {n['last_error']}")


def inspect(args) -> int:
    try:
        raw = Path(args.file).read_bytes()
        summary = _reading(parse_message(raw))
    except (OSError, RejectedMail) as exc:
        print(f"mailbot: cannot inspect {args.file}: {exc}", file=sys.stderr)
        return EXIT_FAIL
    if args.json:
        _print_json(summary)
        return EXIT_OK
    for key in ("message_id", "from", "to", "cc", "subject", "date", "in_reply_to", "references",
                "is_auto_reply", "is_bounce", "auto_reason", "command", "ticket_ref"):
        print(f"{key + ':':<15}{summary[key]}")
    for a in summary["attachments"]:
        print(f"{'attachment:':<15}{a['filename']} ({a['content_type']}, {a['size']} bytes, sha256 {a['sha256'][:12]}…)")
    print("\n" + summary["text"])
    if summary["reply_text"] != summary["text"]:
        print("\n--- new text only ---\n" + summary["reply_text"])
    return EXIT_OK


def _reading(msg) -> dict:
    """What ``inspect`` shows: the parsed mail, its new text, the command and what it refers to."""
    from mailbot.notifier.tokens import find_tokens
    from mailbot.parsers.keywords import find_command
    from mailbot.parsers.refs import subject_ticket
    from mailbot.parsers.reply import reply_text
    summary = msg.summary()
    summary["reply_text"] = reply_text(msg.text)
    command = find_command(summary["reply_text"], msg.subject)
    summary["command"] = command.action if command else None
    summary["command_argument"] = command.argument if command else None
    tagged = subject_ticket(msg.subject)
    summary["ticket_ref"] = {
        "tokens": find_tokens(msg.in_reply_to or "", *msg.references, *(a.email for a in msg.to), msg.text),
        "in_reply_to": msg.in_reply_to, "references": list(msg.references),
        "subject_tag": f"T-{tagged}" if tagged else None}
    return summary


def check(args, settings) -> int:
    from mailbot.checks import run_checks
    return run_checks(settings)


def quarantine(args, settings) -> int:
    app = build_app(settings)
    try:
        if args.action == "list":
            records = app.store.list_quarantine(status=None if args.all else "parked")
            if args.json:
                _print_json([r.to_dict() for r in records])
            else:
                for r in records:
                    print(f"#{r.id:<5} {r.created_at[:19].replace('T', ' ')}  {r.status:<7} {r.size:>9} bytes  "
                          f"{r.message_id}  {r.origin}\n       reason: {r.reason}"
                          + (f"\n       outcome: {r.outcome}" if r.outcome else ""))
                print(f"({len(records)} record{'s' if len(records) != 1 else ''})")
            return EXIT_OK
        return _retry(app, args.id)
    finally:
        app.store.close()


def _retry(app, record_id: int) -> int:
    record = app.store.get_quarantine(record_id)
    raw = app.blobs.get(record.sha256)
    try:
        outcome = handle_inbound(raw, app, app.clock())
    except StoreUnavailable:
        raise
    except Exception as exc:  # noqa: BLE001 - RejectedMail or a bug: the record stays parked
        print(f"quarantine #{record_id} still cannot be processed: {exc}", file=sys.stderr)
        return EXIT_FAIL
    app.blobs.sync()
    app.store.sync()
    summary = f"{outcome.kind} {outcome.ticket_id or outcome.reason}".strip()
    app.store.close_quarantine(record_id, f"retried: {summary}")
    print(f"quarantine #{record_id}: {summary}")
    return EXIT_OK


def sweep(args, settings) -> int:
    from mailbot.models.times import parse_iso
    from mailbot.sweep import sweep as run_sweep
    try:
        now = parse_iso(args.now) if args.now else None
    except ValueError:
        print(f"mailbot: --now must be an ISO 8601 time, got {args.now!r}", file=sys.stderr)
        return 2
    app = build_app(settings, clock=(lambda: now) if now else None)  # everything "as of" --now
    try:
        report = run_sweep(app, now)
        from mailbot.outbox import send_outbox
        outbox = send_outbox(app) if report and settings.smtp.host else {}
    finally:
        app.store.close()
    print(f"sweep: {_counts(report)}" + (f"; outbox: {_counts(outbox)}" if outbox else ""))
    return EXIT_FAIL if report["errors"] else EXIT_OK


def _with_store(settings, work) -> int:
    store = build_store(settings)
    try:
        return work(store)
    finally:
        store.close()


def agents(args, settings) -> int:
    from mailbot.people import manage_agents
    return _with_store(settings, lambda store: manage_agents(store, args, _print_json))


def admins(args, settings) -> int:
    from mailbot.people import manage_admins
    return _with_store(settings, lambda store: manage_admins(store, args, _print_json))


def stats(args, settings) -> int:
    from mailbot.models.times import utcnow
    from mailbot.stats import compute, render_text
    figures = compute(_with_store(settings, lambda store: store.list_tickets()), utcnow())
    _print_json(figures) if args.json else print(render_text(figures))
    return EXIT_OK

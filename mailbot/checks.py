"""``mailbot check``: try every configured service and say plainly what fails."""

from __future__ import annotations

from mailbot.app import build_mailbox, build_sender, build_store


def _store(settings) -> str:
    store = build_store(settings)
    try:
        store.get_checkpoint(settings.imap_folder)
        return "MongoDB " + settings.mongodb_db if settings.mongodb_uri else f"SQLite {settings.data_dir}"
    finally:
        store.close()


def _mailbox(settings) -> str:
    with build_mailbox(settings)() as mailbox:
        state = mailbox.state(0)
    where = settings.maildir or f"{settings.imap.host}:{settings.imap.port}/{settings.imap_folder}"
    return f"{where}: {len(state.uids)} mail(s) waiting"


def _smtp(settings) -> str:
    sender = build_sender(settings)()
    conn = sender.open()
    try:
        conn.noop()
    finally:
        conn.quit()
    return f"{settings.smtp.host}:{settings.smtp.port} ({settings.smtp.security})"


CHECKS = (("store", _store), ("mailbox", _mailbox), ("smtp", _smtp))


def run_checks(settings) -> int:
    """Print one line per service; exit 1 if any fails."""
    print("configuration: ok")
    failed = 0
    for name, check in CHECKS:
        try:
            print(f"{name}: ok, {check(settings)}")
        except Exception as exc:  # noqa: BLE001 - report every failure plainly
            failed += 1
            print(f"{name}: FAILED: {exc}")
    return 1 if failed else 0

"""The composition root: build the real adapters once, or accept test doubles."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from mailbot.classify import compile_rules
from mailbot.config import Settings
from mailbot.models.times import utcnow
from mailbot.notifier.compose import Composer
from mailbot.notifier.render import Renderer
from mailbot.store.blobs import FileBlobStore


@dataclass
class App:
    """Everything the jobs need, wired together."""

    settings: Settings
    store: object
    blobs: FileBlobStore
    rules: tuple
    renderer: Renderer
    composer: Composer
    mailbox: Callable[[], object]
    sender: Callable[[], object]
    clock: Callable[[], datetime] = utcnow
    stopping: Callable[[], bool] = field(default=lambda: False)


def build_store(settings: Settings):
    """MongoDB when MAILBOT_MONGODB_URI is set, else the embedded SQLite file."""
    if settings.mongodb_uri:
        from pymongo import MongoClient

        from mailbot.store.mongo import MongoTicketStore
        client = MongoClient(settings.mongodb_uri, serverSelectionTimeoutMS=5000, connect=False)
        return MongoTicketStore(client, settings.mongodb_db)
    from mailbot.store.sqlite import SqliteTicketStore
    return SqliteTicketStore(settings.data_dir / "mailbot.sqlite3")


def build_mailbox(settings: Settings):
    """A factory for the configured mailbox: a local Maildir, or IMAP."""
    if settings.maildir:
        from mailbot.mailbox.maildir import MaildirMailbox
        return lambda: MaildirMailbox(settings.maildir, settings.processed_folder, settings.failed_folder)
    from mailbot.mailbox.imap import ImapMailbox
    return lambda: ImapMailbox(settings.imap, settings.imap_folder, settings.processed_folder,
                               settings.failed_folder, settings.delete_processed)


def build_sender(settings: Settings):
    from mailbot.notifier.smtp import SmtpSender
    return lambda: SmtpSender(settings.smtp, settings.address)


def build_app(settings: Settings, *, store=None, mailbox=None, sender=None, clock=None) -> App:
    """Wire mailbot. Pass ``store``, ``mailbox`` or ``sender`` factories to replace the real ones."""
    return App(
        settings=settings,
        store=store if store is not None else build_store(settings),
        blobs=FileBlobStore(settings.data_dir / "blobs"),
        rules=compile_rules(settings.rules),
        renderer=Renderer(settings.name, settings.address),
        composer=Composer(settings.secret, settings.address, settings.plus_addressing),
        mailbox=mailbox or build_mailbox(settings),
        sender=sender or build_sender(settings),
        clock=clock or utcnow,
    )

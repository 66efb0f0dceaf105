"""ImapMailbox: one IMAP connection per pass; fetch with BODY.PEEK[], mark done by MOVE."""

from __future__ import annotations

import logging
import socket

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from mailbot.config import Endpoint
from mailbot.errors import MailboxError
from mailbot.mailbox import MailboxState
from mailbot.tls import tls_context

log = logging.getLogger(__name__)
BODY = b"BODY[]"


class ImapMailbox:
    """A folder on an IMAP server, processed in UID order."""

    def __init__(self, endpoint: Endpoint, folder: str, processed: str, failed: str,
                 delete_processed: bool = False, timeout: float = 60):
        self.endpoint, self.folder = endpoint, folder
        self.processed, self.failed, self.delete_processed = processed, failed, delete_processed
        self.timeout, self.client = timeout, None

    def _connect(self) -> IMAPClient:
        """The only place that opens a connection (override in tests)."""
        ep = self.endpoint
        context = tls_context() if ep.security != "none" else None
        client = IMAPClient(ep.host, port=ep.port, ssl=ep.security == "ssl", ssl_context=context,
                            timeout=self.timeout)
        if ep.security == "starttls":
            client.starttls(context)
        client.login(ep.user, ep.password)
        return client

    def __enter__(self):
        try:
            self.client = self._connect()
            for name in (self.processed, self.failed):
                if name and not self.client.folder_exists(name):
                    self._create(name)
        except (IMAPClientError, OSError, socket.error) as exc:
            self.close()
            raise MailboxError(f"IMAP {self.endpoint.host}:{self.endpoint.port}: {exc}") from exc
        return self

    def _create(self, name: str) -> None:
        """Create a folder; another worker creating it at the same moment is not an error."""
        try:
            self.client.create_folder(name)
        except IMAPClientError:
            if not self.client.folder_exists(name):
                raise

    def __exit__(self, *exc_info):
        self.close()

    def close(self) -> None:
        if self.client is not None:
            try:
                self.client.logout()
            except (IMAPClientError, OSError):
                pass
            self.client = None

    def state(self, last_uid: int) -> MailboxState:
        """Select the folder; the UIDs above ``last_uid`` still waiting in it."""
        try:
            info = self.client.select_folder(self.folder)
            uids = self.client.search(["UID", f"{last_uid + 1}:*"]) if last_uid else self.client.search(["ALL"])
        except (IMAPClientError, OSError) as exc:
            raise MailboxError(f"IMAP folder {self.folder}: {exc}") from exc
        return MailboxState(int(info[b"UIDVALIDITY"]), sorted(u for u in uids if u > last_uid))

    def fetch(self, uids: list[int]) -> dict[int, bytes]:
        """Raw bytes of several mails in one round trip, without setting \\Seen."""
        try:
            data = self.client.fetch(uids, ["BODY.PEEK[]"])
        except (IMAPClientError, OSError) as exc:
            raise MailboxError(f"IMAP fetch: {exc}") from exc
        return {uid: item[BODY] for uid, item in data.items() if BODY in item}

    def mark_done(self, uids: list[int]) -> None:
        if self.delete_processed:
            self._delete(uids)
        else:
            self._move(uids, self.processed)

    def mark_failed(self, uids: list[int]) -> None:
        self._move(uids, self.failed)

    def _move(self, uids: list[int], folder: str, tries: int = 5) -> None:
        if not uids:
            return
        try:
            if self.client.has_capability("MOVE"):
                self.client.move(uids, folder)
            else:
                self.client.copy(uids, folder)
                self._delete(uids)
        except IMAPClientError as exc:
            if tries <= 1 or "EXPUNGEISSUED" not in str(exc):
                raise MailboxError(f"IMAP move to {folder}: {exc}") from exc
            # Another worker moved some of them first (their tickets are stored): move the rest.
            still_here = self.client.search(["UID", ",".join(map(str, uids))])
            log.info("%s: %d of %d mails were already moved by another worker",
                     self.folder, len(uids) - len(still_here), len(uids))
            self._move(sorted(still_here), folder, tries - 1)
        except OSError as exc:
            raise MailboxError(f"IMAP move to {folder}: {exc}") from exc

    def _delete(self, uids: list[int]) -> None:
        if not uids:
            return
        self.client.delete_messages(uids)
        if self.client.has_capability("UIDPLUS"):
            self.client.uid_expunge(uids)
        else:
            self.client.expunge()

    def describe(self, uid) -> str:
        return f"imap:{self.folder}/{uid}"

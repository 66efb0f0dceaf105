"""MaildirMailbox: a local Maildir (the demo's delivery target), processed like IMAP."""

from __future__ import annotations

import os
from pathlib import Path

from mailbot.errors import MailboxError
from mailbot.mailbox import MailboxState


def ensure_maildir(path: Path) -> Path:
    """Create a Maildir (cur, new, tmp) if it does not exist yet."""
    for sub in ("cur", "new", "tmp"):
        (path / sub).mkdir(parents=True, exist_ok=True)
    return path


class MaildirMailbox:
    """New mail is read from ``new/`` and ``cur/``; done mail moves to a Maildir++ subfolder."""

    def __init__(self, path: Path, processed: str = "Processed", failed: str = "Failed"):
        self.path, self.processed, self.failed = Path(path), processed, failed

    def __enter__(self):
        try:
            ensure_maildir(self.path)
            for name in (self.processed, self.failed):
                folder = ensure_maildir(self.path / f".{name}")
                (folder / "maildirfolder").touch()
        except OSError as exc:
            raise MailboxError(f"Maildir {self.path}: {exc}") from exc
        return self

    def __exit__(self, *exc_info):
        return None

    def close(self) -> None:
        return None

    def _file(self, key: str) -> Path | None:
        for sub in ("new", "cur"):
            candidate = self.path / sub / key
            if candidate.exists():
                return candidate
        return None

    def state(self, last_uid: int = 0) -> MailboxState:
        files = [p for sub in ("new", "cur") for p in (self.path / sub).iterdir() if p.is_file()]
        files.sort(key=lambda p: (p.stat().st_mtime_ns, p.name))
        return MailboxState(None, [p.name for p in files])

    def fetch(self, keys: list[str]) -> dict[str, bytes]:
        found = {}
        for key in keys:
            path = self._file(key)
            if path is not None:
                found[key] = path.read_bytes()
        return found

    def _move(self, keys: list[str], folder: str) -> None:
        for key in keys:
            path = self._file(key)
            if path is not None:
                os.replace(path, self.path / f".{folder}" / "cur" / key)

    def mark_done(self, keys: list[str]) -> None:
        self._move(keys, self.processed)

    def mark_failed(self, keys: list[str]) -> None:
        self._move(keys, self.failed)

    def describe(self, key) -> str:
        return f"maildir:{self.path}/{key}"

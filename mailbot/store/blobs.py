"""FileBlobStore: attachment and raw-mail bytes as content-addressed files."""

from __future__ import annotations

import hashlib
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from mailbot.errors import NotFound


class FileBlobStore:
    """Stores bytes under ``root/ab/abcdef...`` named by their sha256.

    Files are written at once and made durable together by ``sync()`` (one fsync each),
    which the poller calls before it marks mail done, as it does for the ticket store."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self._unsynced: list[Path] = []
        self._lock = threading.Lock()

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def put(self, data: bytes, sha256: str | None = None) -> str:
        """Write bytes (once per content); durable after the next ``sync()``. Returns their sha256."""
        sha256 = sha256 or hashlib.sha256(data).hexdigest()
        target = self.path(sha256)
        if not (target.exists() and target.stat().st_size == len(data)):
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(f".tmp{os.getpid()}.{threading.get_ident()}")
            with open(tmp, "wb") as fh:
                fh.write(data)
            os.replace(tmp, target)
        with self._lock:
            self._unsynced.append(target)
        return sha256

    def get(self, sha256: str) -> bytes:
        try:
            return self.path(sha256).read_bytes()
        except FileNotFoundError as exc:
            raise NotFound(f"no stored bytes for sha256 {sha256}") from exc

    def sync(self) -> None:
        """Flush every file written since the last sync (and its directory) to disk."""
        with self._lock:
            paths, self._unsynced = self._unsynced, []
        targets = set(paths) | {p.parent for p in paths}
        if targets:
            # Concurrent fsyncs share the file system's journal commits: far cheaper than in turn.
            with ThreadPoolExecutor(min(16, len(targets))) as pool:
                list(pool.map(_fsync, targets))


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if path.is_dir() else 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

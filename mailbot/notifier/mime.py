"""Serialise an outgoing mail (headers plus text and HTML alternatives) to RFC 5322 bytes."""

from __future__ import annotations

import quopri
import uuid
from email.header import Header

CRLF = "\r\n"
MAX_LINE = 78


def encode_header(value: str) -> str:
    """A header value: as is when ASCII, else RFC 2047 with the leading ASCII words kept readable."""
    if value.isascii():
        return _fold(value)
    words = value.split(" ")
    plain = next(i for i, w in enumerate(words) if not w.isascii())
    header = Header(" ".join(words[:plain]) or None, "us-ascii", header_name="Subject")
    header.append(" ".join(words[plain:]), "utf-8")
    return header.encode(linesep=CRLF)


def _fold(value: str) -> str:
    """Fold a long ASCII value at spaces so no line exceeds 78 characters where possible."""
    if len(value) <= MAX_LINE - 20:
        return value
    lines, current = [], ""
    for word in value.split(" "):
        if current and len(current) + 1 + len(word) > MAX_LINE - 12:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(current)
    return (CRLF + " ").join(lines)


def _part(subtype: str, text: str) -> str:
    body = quopri.encodestring(text.replace("\r\n", "\n").encode("utf-8")).decode("ascii")
    return (f"Content-Type: text/{subtype}; charset=utf-8{CRLF}Content-Transfer-Encoding: quoted-printable"
            f"{CRLF}{CRLF}{body.replace(chr(10), CRLF)}")


def build_alternative(headers: list[tuple[str, str]], text: str, html: str) -> bytes:
    """A multipart/alternative mail; header values must already be encoded with ``encode_header``."""
    boundary = f"=_mailbot_{uuid.uuid4().hex}"
    head = "".join(f"{name}: {value}{CRLF}" for name, value in headers if value)
    mail = (f"{head}MIME-Version: 1.0{CRLF}Content-Type: multipart/alternative;{CRLF} boundary=\"{boundary}\"{CRLF}{CRLF}"
            f"--{boundary}{CRLF}{_part('plain', text)}{CRLF}--{boundary}{CRLF}{_part('html', html)}{CRLF}"
            f"--{boundary}--{CRLF}")
    return mail.encode("ascii")

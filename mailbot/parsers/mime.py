"""Walk a MIME tree safely: decoded headers, body parts and attachments."""

from __future__ import annotations

import codecs
import hashlib
from email.header import decode_header, make_header
from email.message import Message
from email.policy import EmailPolicy
from email.utils import getaddresses

from mailbot.models.message import Address, Attachment

# Labels that mail clients use loosely: decode as the superset browsers use.
_SUPERSETS = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252",
              "ascii": "cp1252", "iso-8859-9": "cp1254", "gb2312": "gb18030", "gbk": "gb18030",
              "ks_c_5601-1987": "cp949", "euc-kr": "cp949", "shift_jis": "cp932", "x-sjis": "cp932"}


def decode_bytes(data: bytes, charset: str | None) -> str:
    """Text from bytes in a declared charset that may be wrong, unknown or missing."""
    label = (charset or "").strip().strip('"').lower()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    label = _SUPERSETS.get(label, label)
    try:
        # Invalid as UTF-8 although declared so: legacy 8-bit text is the likely truth.
        label = "cp1252" if codecs.lookup(label).name == "utf-8" else label
    except LookupError:
        label = "cp1252"
    return data.decode(label, errors="replace")


class RawHeaderPolicy(EmailPolicy):
    """``policy.default`` whose header values are returned as unfolded raw strings.

    The header registry costs about a millisecond a mail; mailbot reads only a few headers
    and decodes them itself (RFC 2047, 8-bit, addresses) with the stdlib helpers below."""

    def header_fetch_parse(self, name, value):
        if hasattr(value, "name"):
            return value
        return value.replace("\r\n", "").replace("\n", "")


def _unraw(value: str) -> str:
    """Raw header text with 8-bit bytes (surrogate-escaped by the parser) decoded."""
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        return decode_bytes(value.encode("utf-8", "surrogateescape"), None)


def header_text(msg: Message, name: str) -> str:
    """A header decoded from RFC 2047 (or raw 8-bit), tolerant of broken encodings; '' when absent."""
    value = msg.get(name)
    if value is None:
        return ""
    text = _unraw(str(value)).strip()
    return _decode_words(text) if "=?" in text else text


def _decode_words(text: str) -> str:
    try:
        return str(make_header(decode_header(text)))
    except Exception:  # noqa: BLE001 - unknown charset inside an encoded word
        chunks = []
        for data, cs in decode_header(text):
            chunks.append(decode_bytes(data, cs) if isinstance(data, bytes) else data)
        return "".join(chunks)


def addresses(msg: Message, name: str) -> tuple[Address, ...]:
    """Addresses in a header as (decoded name, lower-cased email) pairs; bad ones skipped."""
    values = [_unraw(str(v)) for v in msg.get_all(name, [])]
    found = []
    for display, email in getaddresses(values):
        if "@" in email:
            display = _decode_words(display) if "=?" in display else display
            found.append(Address(display.strip(), email.strip().lower()))
    return tuple(found)


def part_text(part: Message) -> str:
    """The decoded text of a leaf part."""
    payload = part.get_payload(decode=True)
    if payload is None:
        payload = str(part.get_payload() or "").encode("utf-8", "replace")
    return decode_bytes(payload, part.get_param("charset"))


class Walker:
    """Collects plain parts, HTML parts and attachments from one message tree."""

    def __init__(self):
        self.plain: list[str] = []
        self.html: list[str] = []
        self.attachments: list[Attachment] = []

    def walk(self, part: Message) -> None:
        ctype = part.get_content_type()
        payload = part.get_payload()
        if part.is_multipart() and isinstance(payload, list):
            for child in payload:
                if ctype == "message/rfc822":
                    self.attach(part, child.as_bytes(), "message.eml")
                else:
                    self.walk(child)
        elif self.is_attachment(part, ctype):
            data = part.get_payload(decode=True) or b""
            self.attach(part, data, _default_name(ctype))
        elif ctype == "text/html":
            self.html.append(part_text(part))
        else:
            self.plain.append(part_text(part))

    @staticmethod
    def is_attachment(part: Message, ctype: str) -> bool:
        disposition = str(part.get("content-disposition") or "").split(";")[0].strip().lower()
        if disposition == "attachment":
            return True
        return not (ctype.startswith("text/plain") or ctype == "text/html" or ctype.startswith("multipart/"))

    def attach(self, part: Message, data: bytes, fallback: str) -> None:
        filename = _filename(part) or fallback
        disposition = str(part.get("content-disposition") or "").lower()
        self.attachments.append(Attachment(
            filename=filename, content_type=part.get_content_type(), size=len(data),
            sha256=hashlib.sha256(data).hexdigest(), data=data,
            inline=not disposition.startswith("attachment")))


def _filename(part: Message) -> str | None:
    try:
        name = part.get_filename()
    except Exception:  # noqa: BLE001 - malformed RFC 2231 parameters
        name = None
    if not name:
        return None
    name = _decode_words(str(name)) if "=?" in str(name) else str(name)
    return name.replace("\\", "/").rsplit("/", 1)[-1].strip() or None


def _default_name(ctype: str) -> str:
    main, _, sub = ctype.partition("/")
    return f"{main}.{sub or 'bin'}" if main else "attachment.bin"

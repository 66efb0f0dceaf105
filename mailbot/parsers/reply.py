"""Strip quoted history and signatures from a reply, keeping only the new text."""

from __future__ import annotations

import re

# Quote headers such as "On <date>, <name> wrote:" in many languages and client layouts, possibly
# wrapped over up to three lines: a date or time, a "wrote" verb or an address, and a final colon.
_WROTE = re.compile(
    r"\b(?:wrote|writes|a écrit|a ecrit|schrieb|escribió|escribio|ha scritto|scrisse|schreef|napisał|napisal"
    r"|escreveu|skrev|skrifaði|kirjoitti|написал|написала|írta|yazdı|pisze|scrie|έγραψε)", re.I)
_DATEISH = re.compile(r"\b(?:19|20)\d\d\b|\b\d{1,2}:\d\d\b")
_ADDRESS = re.compile(r"<?[\w.+-]+@[\w-]+(?:\.[\w-]+)+>?")
# "-----Original Message-----" and its translations; "Begin forwarded message:".
_ORIGINAL = re.compile(
    r"^\s*(?:-{2,}|_{2,})?\s*(?:original message|original-nachricht|ursprüngliche nachricht|message d'origine"
    r"|messaggio originale|oorspronkelijk bericht|mensaje original|mensagem original|oryginalna wiadomość"
    r"|originalmeddelande|opprinnelig melding|alkuperäinen viesti|исходное сообщение|forwarded message"
    r"|begin forwarded message|weitergeleitete nachricht|message transféré)\s*:?\s*(?:-{2,}|_{2,})?\s*$", re.I)
_SEPARATOR = re.compile(r"^\s*(?:_{10,}|-{10,})\s*$")
_DASHED_TITLE = re.compile(r"^\s*-{2,}\s*[^\W\d_][\w' ]{2,40}\s*-{2,}\s*$")
_RULE = re.compile(r"^\s*[=_\-*~#]{2,}\s*$")
# Outlook-style header blocks: a From line followed closely by Sent/Date/To/Subject lines.
_FROM = re.compile(r"^\s*\*?(?:from|de|von|van|da|od|fra|från|lähettäjä|от|feladó|kimden|message du)\s*\*?\s*:",
                   re.I)
_HEADER = re.compile(r"^\s*\*?(?:sent|date|to|subject|cc|envoyé(?: le)?|date|à|objet|gesendet|datum|an|betreff"
                     r"|verzonden|aan|onderwerp|inviato|data|a|oggetto|enviado|fecha|para|asunto|assunto"
                     r"|wysłano|temat|do|sendt|til|emne|skickat|ämne|lähetetty|vastaanottaja|aihe"
                     r"|отправлено|кому|тема|дата|sujet|copie à|dato|emne)\s*\*?\s*:", re.I)
# Signature starts: the RFC 3676 "-- " delimiter, rules, "-Name" sign-offs, and the one-line
# signatures mobile clients add ("Sent from my iPhone", "Get Outlook for Android").
_SIGNATURE = re.compile(
    r"^(?:--|__+|-\w[\w .]{0,40}|(?:sent|envoyé|enviado|inviato|gesendet|verzonden|wysłane|отправлено) "
    r"(?:from|de|von|desde|da|vanaf|z|с|depuis)(?: my| mon| meinem| mi| il mio)?(?: [\w-]+){1,4}\.?"
    r"|get outlook for [\w ]+|von meinem [\w ]+ gesendet)(?:\s*<[^>]+>)?$", re.I)
# Closing lines that start a sign-off block at the end of a reply.
_CLOSING = re.compile(r"^(?:(?:best|kind|warm|many)?\s*regards|cheers|best|thanks(?: again)?|thank you|sincerely"
                      r"|mit freundlichen grüßen|cordialement|saludos|cordiali saluti|groeten|met vriendelijke groet)"
                      r"[,.!]?$", re.I)


def reply_text(body: str) -> str:
    """The new text of a reply: above the quoted history, without a trailing signature or quote."""
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = lines[:_history_start(lines)]
    lines = _drop_signature(lines)
    while lines and (not lines[-1].strip() or lines[-1].lstrip().startswith(">") or _RULE.match(lines[-1])):
        lines.pop()
    return "\n".join(line.rstrip() for line in lines).strip("\n")


def _history_start(lines: list[str]) -> int:
    """Index of the first line of quoted history (a quote header), or len(lines)."""
    for i, line in enumerate(lines):
        text = line.strip()
        if not text:
            continue
        if _ORIGINAL.match(text) or _is_quote_header(lines, i) or _is_header_block(lines, i):
            return i
        if (_SEPARATOR.match(text) or _DASHED_TITLE.match(text)) and any(
                _FROM.match(x) for x in lines[i + 1:i + 4]):
            return i
        if text.startswith(">") and all(not x.strip() or x.lstrip().startswith(">") for x in lines[i:]):
            return i
    return len(lines)


def _is_quote_header(lines: list[str], i: int) -> bool:
    """A date or time, then a "wrote" verb or an address, ending in a colon, within three lines."""
    if not _DATEISH.search(lines[i]):
        return False  # the date opens the header, even when the header wraps
    joined = ""
    for line in lines[i:i + 3]:
        if (line.lstrip().startswith(">") and len(line.strip()) > 3) or not line.strip():
            break  # (a wrapped header may end with a lone ">:")
        joined = f"{joined} {line.strip()}".strip()
        core = joined.strip("-").strip()
        if len(core) > 300:
            return False
        if (core.endswith(":") or _WROTE.search(core[-25:])) and _DATEISH.search(core) \
                and (_WROTE.search(core) or _ADDRESS.search(core)):
            return True
    return False


def _is_header_block(lines: list[str], i: int) -> bool:
    if not _FROM.match(lines[i]):
        return False
    following = [x for x in lines[i + 1:i + 6] if x.strip()]
    return sum(1 for x in following[:4] if _HEADER.match(x)) >= 2


def _drop_signature(lines: list[str]) -> list[str]:
    """Cut trailing signature blocks: a delimiter or closing line near the end, and what follows it."""
    while True:
        end = len(lines)
        while end and not lines[end - 1].strip():
            end -= 1
        cut = next((i for i in range(end - 1, max(-1, end - 12), -1)
                    if _is_signature_start(lines, i, end)), None)
        if cut is None or not any(x.strip() for x in lines[:cut]):
            return lines
        lines = lines[:cut]


def _is_signature_start(lines: list[str], i: int, end: int) -> bool:
    text = lines[i].strip()
    if _SIGNATURE.match(text):
        return True
    # "Regards," followed only by a few short lines (a name, a title).
    return bool(_CLOSING.match(text)) and end - i <= 5 and all(len(x.strip()) < 40 for x in lines[i:end])

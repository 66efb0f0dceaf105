"""Turn HTML mail into readable text: paragraphs, lists, links and tables."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment, Doctype, NavigableString, ProcessingInstruction

SKIP = {"script", "style", "head", "title", "meta", "link", "noscript", "template", "svg"}
BLOCK = {"p", "div", "section", "article", "header", "footer", "main", "aside", "nav",
         "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "ul", "ol", "dl",
         "dt", "dd", "address", "form", "fieldset", "figure", "center", "hr", "body"}
_SPACE = re.compile(r"[ \t\r\n\f\v\u00a0]+")
_BLANKS = re.compile(r"\n{3,}")


def html_to_text(html: str) -> str:
    """Readable plain text for an HTML document; never raises on bad markup."""
    soup = BeautifulSoup(html, "html.parser")
    out: list[str] = []
    _render(soup, out)
    lines = (line.strip() for line in "".join(out).split("\n"))
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


def _render(node, out: list[str]) -> None:
    for child in node.children:
        if isinstance(child, (Comment, Doctype, ProcessingInstruction)):
            continue
        if isinstance(child, NavigableString):
            out.append(_SPACE.sub(" ", str(child)))
        elif child.name not in SKIP:
            _element(child, out)


def _element(el, out: list[str]) -> None:
    name = el.name
    if name == "br":
        out.append("\n")
    elif name == "pre":
        out.append("\n\n" + el.get_text() + "\n\n")
    elif name == "li":
        out.append("\n" + _bullet(el) + " ")
        _render(el, out)
    elif name == "tr":
        cells = [_inline(td) for td in el.find_all(["td", "th"], recursive=False)]
        out.append("\n" + " | ".join(c for c in cells if c))
    elif name == "a":
        _link(el, out)
    elif name == "img":
        alt = (el.get("alt") or "").strip()
        out.append(f"[{alt}]" if alt else "")
    elif name in BLOCK:
        out.append("\n\n")
        _render(el, out)
        out.append("\n\n")
    else:
        _render(el, out)


def _inline(el) -> str:
    parts: list[str] = []
    _render(el, parts)
    return _SPACE.sub(" ", "".join(parts)).strip()


def _bullet(li) -> str:
    parent = li.find_parent(["ol", "ul"])
    if parent is None or parent.name != "ol":
        return "-"
    siblings = parent.find_all("li", recursive=False)
    index = next((i for i, s in enumerate(siblings, 1) if s is li), 1)
    return f"{index}."


def _link(el, out: list[str]) -> None:
    text = _inline(el)
    href = (el.get("href") or "").strip()
    out.append(text)
    if href and not href.startswith(("#", "javascript:")) and href.removeprefix("mailto:") not in text:
        out.append(f" ({href})" if text else href)

"""Expected visible reply text for each case of the two reply-parser corpora."""

import json

from tests.conftest import CORPUS


def normalize(text: str) -> str:
    """Compare as the corpora do: right-strip each line, trim the whole."""
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").strip().split("\n")).strip()


def _from_fragments(case: dict) -> str | None:
    hidden, texts = None, {}
    for check in case.get("checks", []):
        if check["kind"] == "fragment_flags" and check["flag"] == "hidden":
            hidden = check["value"]
        elif check["kind"] in ("fragment_equals", "fragment_trimmed_equals"):
            texts[check["index"]] = check["value"]
    if hidden is None:
        return texts.get(0)  # no flags: the first fragment is the reply
    visible = [i for i, h in enumerate(hidden) if not h]
    if not visible or any(i not in texts for i in visible):
        return None
    return "\n".join(texts[i] for i in visible)


def cases(corpus: str):
    """(path, body, expected visible text) for every case that pins the visible text."""
    root = CORPUS / corpus
    for path, case in json.loads((root / "expected.json").read_text()).items():
        expected = next((case[k] for k in ("visible_text", "visible_text_stripped", "visible_text_trimmed",
                                           "first_fragment_trimmed") if k in case), None)
        if expected is None:
            expected = _from_fragments(case)
        if expected is not None:
            yield path, (root / path).read_bytes().decode("utf-8", "replace"), expected


def containment_cases(corpus: str):
    """(path, body, must contain, must not contain) for cases pinned only by fragments of text."""
    root = CORPUS / corpus
    for path, case in json.loads((root / "expected.json").read_text()).items():
        has = [c["value"] for c in case.get("checks", []) if c["kind"] == "visible_text_contains"]
        hasnt = [c["value"] for c in case.get("checks", []) if c["kind"] == "visible_text_not_contains"]
        if has or hasnt:
            yield path, (root / path).read_bytes().decode("utf-8", "replace"), has, hasnt

"""An article as plain text, cut into sentences (with their paragraph), standard library only.

>>> article_text("<p>Raqqa <b>fell</b>.</p><script>x()</script><p>Next&amp;more</p>")
'Raqqa fell.\\nNext&more'
>>> [s.text for s in sentences("ISIS lost Raqqa. Col. Ryan Dillon said so on Dec. 15.\\nNew paragraph")]
['ISIS lost Raqqa.', 'Col. Ryan Dillon said so on Dec. 15.', 'New paragraph']
>>> sentences("")
[]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

__all__ = ["article_text", "sentences", "Sentence", "looks_like_html"]

_BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section",
          "article", "header", "footer", "blockquote", "figcaption", "title", "pre", "hr"}
_SKIP = {"script", "style", "noscript", "template", "svg", "iframe", "head"}
_TAG = re.compile(r"<\s*/?\s*(html|body|p|div|br|span|a|h[1-6]|article|section|li|script|style|b|i|em|strong)\b",
                  re.IGNORECASE)


def looks_like_html(raw: str) -> bool:
    """Whether ``raw`` holds HTML tags (a pasted page) rather than plain text."""
    return bool(_TAG.search(raw))


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self._skip += 1
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def article_text(raw: str) -> str:
    """The readable text of ``raw`` (plain text, or HTML whose tags, scripts and styles are dropped):
    one paragraph a line, blank lines and surrounding spaces removed."""
    if looks_like_html(raw):
        parser = _Text()
        parser.feed(raw)
        parser.close()
        raw = "".join(parser.parts)
    lines = (" ".join(line.split()) for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


#: Words ending in a full stop that do not end a sentence.
_ABBREVIATIONS = {"col", "gen", "lt", "maj", "capt", "sgt", "mr", "mrs", "ms", "dr", "st", "no", "jan", "feb", "mar",
                  "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.n", "u.k", "e.g", "i.e",
                  "vs", "gov", "sen", "rep", "brig", "adm", "cpl", "pvt", "approx", "est", "fig"}
_END = re.compile(r"[.!?…]+[\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9\u0600-\u06FF])")


@dataclass(frozen=True)
class Sentence:
    """One sentence: its text, its order in the article and the paragraph it belongs to."""

    index: int
    paragraph: int
    text: str


def _split(paragraph: str) -> list[str]:
    out, start = [], 0
    for m in _END.finditer(paragraph):
        before = paragraph[start:m.start()].split()
        word = before[-1].rstrip(".").casefold() if before else ""
        if word in _ABBREVIATIONS or re.fullmatch(r"[a-z]", word):
            continue
        out.append(paragraph[start:m.end()].strip())
        start = m.end()
    out.append(paragraph[start:].strip())
    return [s for s in out if s]


def sentences(text: str) -> list[Sentence]:
    """The sentences of plain ``text`` (one paragraph a line), in order."""
    out: list[Sentence] = []
    for p, paragraph in enumerate(line for line in text.split("\n") if line.strip()):
        for s in _split(paragraph.strip()):
            out.append(Sentence(len(out), p, s))
    return out

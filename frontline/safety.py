"""Making text from the data and from URLs safe to show: in a map, in Markdown, in a CSV.

Two dangers: HTML (a summary holding ``<script>`` must show as text) and Jinja. folium and
branca render each element's script and then parse the result *again* as a Jinja template,
so a ``{{ ... }}`` or ``{% ... %}`` in a summary would be evaluated on the server. Braces are
therefore written as HTML character references, which the browser shows as ``{`` and ``}``.

Streamlit renders notices, captions and citations as Markdown: a value from the data or the URL
such as ``![b](http://host/beacon.png)`` would make the browser fetch a remote image, and
``[Log in](http://...)`` would show a link on a trusted page. :func:`md_text` escapes every
Markdown character so such text shows as typed. A CSV opened in a spreadsheet runs a cell that
starts with ``=``, ``+``, ``-``, ``@``, a tab or a CR as a formula (OWASP "CSV injection");
:func:`csv_cell` prefixes such cells with ``'``.
"""

from __future__ import annotations

import html
import re

__all__ = ["html_text", "md_text", "md_link", "csv_cell", "csv_safe", "FORMULA_START"]

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$&=\"'%@/^])")
_AUTOLINK = re.compile(r"(?i)\b(?:https?|ftp|mailto|file|javascript|data):|\bwww(?=\.)|@")
#: What a spreadsheet takes for the start of a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

_BRACES = str.maketrans({"{": "&#123;", "}": "&#125;"})


def html_text(value, quote: bool = True) -> str:
    """Escape ``value`` for HTML and neutralise Jinja delimiters.

    >>> html_text('<img src=x onerror=alert(1)> {{ 7*7 }}')
    '&lt;img src=x onerror=alert(1)&gt; &#123;&#123; 7*7 &#125;&#125;'
    >>> html_text("")
    ''
    """
    return html.escape(str(value), quote=quote).translate(_BRACES)


def md_text(value, limit: int | None = None) -> str:
    """``value`` as Markdown that shows exactly as typed: every Markdown character escaped, one line.

    ``limit`` shortens very long values (a URL parameter is echoed, never trusted).

    >>> md_text("![b](http://host/beacon.png)")
    '\\\\!\\\\[b\\\\]\\\\(http\\\\:\\u200b\\\\/\\\\/host\\\\/beacon\\\\.png\\\\)'
    >>> md_text("a\\nb *c*")
    'a b \\\\*c\\\\*'
    >>> md_text("x" * 10, limit=4)
    'xxxx…'
    """
    text = " ".join(str(value).split())
    if limit is not None and len(text) > limit:
        text = text[:limit] + "…"
    # GitHub-flavoured Markdown turns bare addresses into links even when escaped: break them
    # with an invisible zero-width space (http:​//, www​., a@​b).
    text = _AUTOLINK.sub(lambda m: m.group(0) + "\u200b", text)
    return _MD_SPECIAL.sub(r"\\\1", text)


def md_link(label, url) -> str:
    """A Markdown link with an escaped label; only an http(s) address becomes a link (others are left out).

    >>> md_link("Reuters", "https://reuters.com/a_(b)")
    '[Reuters](https://reuters.com/a_%28b%29)'
    >>> md_link("x", "javascript:alert(1)")
    'x'
    """
    url = str(url or "").strip()
    if not re.match(r"^https?://[^\s<>]+$", url):
        return md_text(label)
    url = url.replace("(", "%28").replace(")", "%29")
    return f"[{md_text(label)}]({url})"


def csv_cell(value):
    """A cell value safe to open in a spreadsheet: text starting like a formula gets a leading ``'``.

    >>> csv_cell("=1+2"), csv_cell("+cmd"), csv_cell("@SUM(1)"), csv_cell("Raqqa")
    ("'=1+2", "'+cmd", "'@SUM(1)", 'Raqqa')
    >>> csv_cell(-3.5)
    -3.5
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_safe(frame):
    """A copy of a DataFrame with :func:`csv_cell` applied to every text column."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or str(out[col].dtype) in ("string", "str"):
            out[col] = out[col].map(csv_cell)
    return out

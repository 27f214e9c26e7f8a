"""Making text from the data safe to put into a map.

Two dangers: HTML (a summary holding ``<script>`` must show as text) and Jinja. folium and
branca render each element's script and then parse the result *again* as a Jinja template,
so a ``{{ ... }}`` or ``{% ... %}`` in a summary would be evaluated on the server. Braces are
therefore written as HTML character references, which the browser shows as ``{`` and ``}``.
"""

from __future__ import annotations

import html

__all__ = ["html_text"]

_BRACES = str.maketrans({"{": "&#123;", "}": "&#125;"})


def html_text(value, quote: bool = True) -> str:
    """Escape ``value`` for HTML and neutralise Jinja delimiters.

    >>> html_text('<img src=x onerror=alert(1)> {{ 7*7 }}')
    '&lt;img src=x onerror=alert(1)&gt; &#123;&#123; 7*7 &#125;&#125;'
    >>> html_text("")
    ''
    """
    return html.escape(str(value), quote=quote).translate(_BRACES)

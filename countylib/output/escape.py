"""Text from data, made safe for the two places reports put it: HTML and Markdown cells.

A name, note, URL or source is text: it must show as written and never become markup or a link.

>>> markdown("[点击](javascript:alert(1)) <b>粗</b> *x*")
'\\\\[点击\\\\]\\\\(javascript:alert\\\\(1\\\\)\\\\) &lt;b&gt;粗&lt;/b&gt; \\\\*x\\\\*'
>>> html('"><img src=x onerror=alert(1)>')
'&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'
"""

from __future__ import annotations

import html as _html
import re

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>$<])")


def html(text) -> str:
    """``text`` escaped for HTML text and attribute values (``& < > " '``)."""
    return _html.escape(str(text), quote=True)


def markdown(text) -> str:
    """``text`` for a Markdown cell: shown exactly as written, on one line, with no markup, link or maths.

    HTML special characters become entities and Markdown punctuation is backslash-escaped.
    """
    text = re.sub(r"\s*[\r\n]+\s*", " ", str(text))
    text = _html.escape(text, quote=False)
    return _MARKDOWN.sub(r"\\\1", text)

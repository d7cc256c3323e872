r"""Text from data, made safe for the places countylib puts it: HTML, Markdown cells and LaTeX tables.

A name, note, URL or source is text: it must show as written and never become markup or a link.

>>> print(markdown("[点击](javascript:alert(1)) <b>粗</b> *x*"))
\[点击\]\(javascript\:alert\(1\)\) &lt;b&gt;粗&lt;/b&gt; \*x\*
>>> html('"><img src=x onerror=alert(2)>')
'&quot;&gt;&lt;img src=x onerror=alert(2)&gt;'
"""

from __future__ import annotations

import html as _html
import re

# ":" and "@" too: no bare URL or e-mail address becomes an automatic link
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>$<:@])")


def html(text) -> str:
    """``text`` escaped for HTML text and attribute values (``& < > " '``)."""
    return _html.escape(str(text), quote=True)


def markdown(text) -> str:
    """``text`` for a Markdown cell: shown exactly as written, on one line, with no markup, link or maths.

    HTML special characters become entities and Markdown punctuation is backslash-escaped (``:`` and
    ``@`` as well, so a bare URL or e-mail address does not become a link).
    """
    text = re.sub(r"\s*[\r\n]+\s*", " ", str(text))
    text = _html.escape(text, quote=False)
    return _MARKDOWN.sub(r"\\\1", text)


_LATEX = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
          "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "<": r"\textless{}",
          ">": r"\textgreater{}", "|": r"\textbar{}", "[": "{[}", "]": "{]}", "²": r"\textsuperscript{2}",
          "\n": " ", "\r": " "}
_LATEX_RE = re.compile("|".join(re.escape(k) for k in _LATEX))


def latex(text) -> str:
    r"""``text`` for LaTeX, on one line: every character LaTeX treats specially becomes a command that
    prints it (brackets are braced, so a cell after ``\\`` is never read as its optional argument).

    >>> print(latex("ln_gdp & 100% {x} #1 $5 [a] R²"))
    ln\_gdp \& 100\% \{x\} \#1 \$5 {[}a{]} R\textsuperscript{2}
    """
    return _LATEX_RE.sub(lambda m: _LATEX[m.group(0)], str(text))

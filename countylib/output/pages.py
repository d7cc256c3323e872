"""The HTML countylib writes, from jinja2 templates shipped in ``countylib/output/templates/``.

Autoescape is on for every template: a value from data is always text, never markup. Data handed to a
page's script goes through :func:`script_json`, which cannot close the ``<script>`` element.

>>> render_string("<p>{{ name }}</p>", name="<script>alert(1)</script>")
'<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>'
>>> str(script_json({"name": "</script><b>"}))
'{"name":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
"""

from __future__ import annotations

import json
from pathlib import Path

import jinja2
from markupsafe import Markup

from countylib import caches

TEMPLATES = Path(__file__).resolve().parent / "templates"
_SCRIPT_SAFE = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def script_json(obj) -> Markup:
    """``obj`` as JSON that is safe inside ``<script>`` (``<``, ``>``, ``&`` and line separators escaped)."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=str)
    return Markup(text.translate(_SCRIPT_SAFE))


@caches.memo(None)
def environment() -> jinja2.Environment:
    """The jinja2 environment of countylib's templates (autoescape on, undefined names are errors)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["script_json"] = script_json
    return env


def asset(name: str) -> Markup:
    """A file shipped with the templates (a stylesheet or a script countylib wrote), as trusted markup."""
    return Markup(_asset_text(name))


@caches.memo(None)
def _asset_text(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def render(template: str, **context) -> str:
    """Render one of countylib's templates."""
    return environment().get_template(template).render(**context)


def render_string(source: str, **context) -> str:
    """Render a template given as text, with the same environment (autoescape on)."""
    return environment().from_string(source).render(**context)

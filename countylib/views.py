"""How results show themselves: the output stage attaches views to what the analysis stage returns.

Analysis computes and returns plain result objects; HTML and figures are drawn in
:mod:`countylib.output`. A result's ``_repr_html_`` or ``plot()`` asks this registry for the view of
its type. The first time a view is asked for, the registry imports the module named in
:data:`BACKEND`, which registers its views when imported — the way pandas finds its plotting backend
by name — so the analysis stage never imports the output stage.

>>> class Thing:
...     pass
>>> @register(Thing, "text")
... def _thing_text(obj):
...     return "a thing"
>>> show(Thing(), "text")
'a thing'
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

#: The module whose import registers countylib's own views.
BACKEND = "countylib.output.views"

_VIEWS: dict[tuple[type, str], Callable[..., Any]] = {}


class ViewError(LookupError):
    """No view of this kind is registered for this type of result."""


def register(cls: type, kind: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator: ``func(obj, *args, **kwargs)`` is the ``kind`` view (``"html"``, ``"plot"`` …) of ``cls``."""

    def wrap(func: Callable[..., Any]) -> Callable[..., Any]:
        _VIEWS[(cls, kind)] = func
        return func

    return wrap


def _find(cls: type, kind: str) -> Callable[..., Any] | None:
    for klass in cls.__mro__:
        func = _VIEWS.get((klass, kind))
        if func is not None:
            return func
    return None


def show(obj: object, kind: str, *args: Any, **kwargs: Any) -> Any:
    """The ``kind`` view of ``obj`` (an HTML string, a matplotlib figure …)."""
    func = _find(type(obj), kind)
    if func is None:
        importlib.import_module(BACKEND)
        func = _find(type(obj), kind)
    if func is None:
        raise ViewError(f"no {kind!r} view for {type(obj).__name__}")
    return func(obj, *args, **kwargs)

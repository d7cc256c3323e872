"""Notebook parameters checked before a kernel starts: names the notebook declares (papermill's
inspection of its ``parameters`` cell), values of the declared type, names that are identifiers.

A notebook declares a parameter's type by its default (``year = 2022`` is an int) or by an annotation
(``peers: Union[str, list] = "prefecture"``, the form papermill reads).

>>> import nbformat, tempfile, pathlib
>>> cell = nbformat.v4.new_code_cell('year = 2022\\nname = "巩义市"\\npeers: Union[str, list] = "prefecture"')
>>> cell.metadata["tags"] = ["parameters"]
>>> nb = pathlib.Path(tempfile.mkdtemp()) / "report.ipynb"
>>> spec = {"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}}
>>> nbformat.write(nbformat.v4.new_notebook(cells=[cell], metadata=spec), nb)
>>> check_parameters(nb, {"year": "2021", "name": 410181})
{'year': 2021, 'name': '410181'}
>>> check_parameters(nb, {"yaer": 2021})
Traceback (most recent call last):
...
countylib.output.params.ParameterError: the notebook has no parameter 'yaer' (did you mean year?); its parameters: year (int, default 2022), name (str, default "巩义市"), peers (Union[str, list], default "prefecture")
"""

from __future__ import annotations

import ast
import difflib
import keyword
import re
import warnings
from pathlib import Path

import yaml

from countylib import extras

extras.require("reports", __name__, "nbformat", "papermill")

TYPES: dict[str, tuple[type, ...]] = {
    "int": (int,), "float": (float, int), "str": (str,), "bool": (bool,), "list": (list, tuple),
    "dict": (dict,), "tuple": (tuple, list), "None": (type(None),),
}


class ParameterError(ValueError):
    """A parameter the notebook cannot take; the message names it and what to do."""


def notebook_parameters(nb_path: str | Path) -> dict[str, dict]:
    """The parameters a notebook declares: name -> {"type": str, "default": str, "help": str}.

    Read with papermill's inspection of the cell tagged ``parameters`` (empty when there is none); the
    type is the annotation when there is one, else the type of the default value.
    """
    from nbformat.validator import MissingIDFieldWarning
    from papermill import inspect_notebook

    with warnings.catch_warnings():  # a notebook saved without cell ids is fine to read
        warnings.simplefilter("ignore", MissingIDFieldWarning)
        declared_params = inspect_notebook(str(nb_path))
    out = {}
    for name, p in declared_params.items():
        declared = p.get("inferred_type_name") or "None"
        if declared == "None":
            try:
                declared = type(ast.literal_eval(p["default"])).__name__
            except (ValueError, SyntaxError):
                declared = "None"  # an expression: not checked here
        out[name] = {"type": declared, "default": p["default"], "help": p.get("help", "")}
    return out


def _parse(value):
    """A command-line value as YAML (``2022`` -> int, ``[a, b]`` -> list); other text stays text."""
    if not isinstance(value, str):
        return value
    try:
        return yaml.safe_load(value)
    except yaml.YAMLError:
        return value


def _coerce(name: str, value, declared: str):
    allowed = [t.strip() for t in re.split(r"[|,]", declared.replace("Optional[", "None,").replace("Union[", ""))
               if t.strip(" ]")]
    allowed = [t.strip(" ]") for t in allowed]
    if declared == "None" or any(t not in TYPES for t in allowed):  # not checkable here: the notebook checks it
        return value
    if "str" in allowed and not isinstance(value, str) and isinstance(value, int | float) \
            and not isinstance(value, bool) and not any(isinstance(value, TYPES[t]) for t in allowed):
        return str(value)  # -p adcode 410181: the digits were meant as text
    if "float" in allowed and isinstance(value, int) and not isinstance(value, bool):
        return float(value) if "int" not in allowed else value
    for t in allowed:
        if isinstance(value, TYPES[t]) and not (t in ("int", "float") and isinstance(value, bool)):
            return value
    raise ParameterError(f"parameter {name!r} takes {declared}, not {value!r} ({type(value).__name__})")


def check_parameters(nb_path: str | Path, params: dict) -> dict:
    """Check ``params`` against the notebook's parameters cell; return them converted to the declared
    types (command-line text parsed as YAML, digits given for a str parameter kept as text).

    Raises :class:`ParameterError` for a name that is not an identifier, a name the notebook does not
    declare (listing those it does) and a value of the wrong type (naming the parameter).
    """
    declared = notebook_parameters(nb_path)
    out = {}
    for name, value in params.items():
        if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
            raise ParameterError(f"{name!r} is not a parameter name (letters, digits and _ only, not starting "
                                 "with a digit)")
        if name not in declared:
            close = difflib.get_close_matches(name, list(declared), n=3)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            listing = ", ".join(f"{k} ({v['type']}, default {v['default']})" for k, v in declared.items())
            raise ParameterError(f"the notebook has no parameter {name!r}{hint}; its parameters: "
                                 + (listing or "none (no cell tagged 'parameters')"))
        out[name] = _coerce(name, _parse(value), declared[name]["type"])
    return out

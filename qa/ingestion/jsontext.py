"""JSON read from a file or a form field, refused with an InputError unless every value can be stored."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from qa.errors import InputError


class _NotFinite(ValueError):
    pass


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise _NotFinite(text)
    return number


def _refuse_constant(name: str) -> Any:
    raise _NotFinite(name)


def load_json(path: str | Path, text: str, what: str = "JSON") -> Any:
    """`text` parsed; numbers finite, nesting within Python's limit, text free of lone surrogates.

    `what` names the text in messages ("JSON", "JSON sidecar", "JSON on line 3").
    """
    try:
        data = json.loads(text, parse_float=_finite, parse_constant=_refuse_constant)
        # A lone surrogate ("\ud800") parses, but no database can store it.
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except json.JSONDecodeError as exc:
        raise InputError(
            path, f"malformed {what} (line {exc.lineno}, column {exc.colno}): {exc.msg}"
        ) from None
    except _NotFinite as exc:
        raise InputError(path, f"{what}: the number {exc} is not finite") from None
    except RecursionError:
        raise InputError(path, f"{what} nested too deeply") from None
    except UnicodeEncodeError:
        raise InputError(path, f"{what}: text holds an invalid character (a lone surrogate)") from None
    return data

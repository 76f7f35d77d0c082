"""One number format for the whole report (Markdown, HTML, figures' captions).

- A lone value (paper, exact, threshold): four significant digits, trailing zeros dropped
  (``0.25``, ``0.1667``, ``-1``); below 10⁻³ or from 10⁶ on, ``1.9×10⁻⁴``.
- An estimate with its interval: every number to the decimal place of the interval's
  width's second significant digit (``0.168 [0.160, 0.175]``): the digits shown are the
  digits the interval supports. An interval of a bounded quantity (a proportion) is cut
  to its bounds. Where that place lies below 10⁻⁶, one power of ten for all three
  (``1.8 [-2.8, 6.5]×10⁻¹¹``).
- :func:`tidy_numbers` rewrites the raw numbers inside generated prose (verdict reasons:
  ``[2.50062e-06, 0.0488841]``, ``exact 0.166667``) to the same format; short numbers
  (``n = 10``, ``0.8``, ``1300``) are left alone.

The numbers in ``results.json`` keep their full precision; only their text changes.
"""

from __future__ import annotations

import math
import re

__all__ = [
    "format_interval",
    "format_percent_interval",
    "format_value",
    "tidy_numbers",
]

_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
_FIXED_FLOOR = 1e-6  # finest decimal place written out in fixed notation


def _power(exponent: int) -> str:
    return "×10" + str(exponent).translate(_SUPERSCRIPT)


def _fixed(value: float, decimals: int) -> str:
    text = f"{value:.{decimals}f}"
    if text.startswith("-") and float(text) == 0.0:
        text = text[1:]  # no "-0.000"
    return text


def format_value(value: float | None, digits: int = 4) -> str:
    """``0.1667``, ``0.25``, ``-1``, ``4.444``, ``1.9×10⁻⁴``; ``—`` for None."""
    if value is None:
        return "—"
    if value == 0:
        return "0"
    if not math.isfinite(value):
        return str(value)
    exponent = math.floor(math.log10(abs(value)))
    if exponent < -3 or exponent >= 6:
        mantissa = f"{value / 10**exponent:.{digits - 1}f}".rstrip("0").rstrip(".")
        if abs(float(mantissa)) >= 10:  # rounding carried over: 9.9996 -> 10.000
            exponent += 1
            mantissa = f"{value / 10**exponent:.{digits - 1}f}".rstrip("0").rstrip(".")
        return mantissa + _power(exponent)
    decimals = max(digits - 1 - exponent, 0)
    text = _fixed(value, decimals)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _place(low: float, high: float) -> int | None:
    """The decimal exponent of the width's second significant digit (None: zero width)."""
    width = high - low
    if not width > 0:
        return None
    return math.floor(math.log10(width)) - 1


def format_interval(
    estimate: float | None,
    low: float | None,
    high: float | None,
    bounds: tuple[float, float] | None = None,
) -> str:
    """``0.168 [0.160, 0.175]``: every number to the place the interval's width supports.

    ``bounds``: the quantity's range (``(0, 1)`` for a proportion); the interval is cut
    to it. ``estimate`` None gives ``[low, high]`` alone; ``low``/``high`` None give the
    estimate alone (:func:`format_value`).
    """
    if low is None or high is None:
        return format_value(estimate)
    if bounds is not None:
        low, high = max(low, bounds[0]), min(high, bounds[1])
    numbers = [x for x in (estimate, low, high) if x is not None]
    place = _place(low, high)
    if place is None:
        texts = [format_value(x) for x in numbers]
        suffix = ""
    elif place >= -6 and max(abs(x) for x in numbers) < 1e6:
        decimals = max(-place, 0)
        texts = [_fixed(round(x, decimals) if decimals else round(x / 10**place) * 10**place,
                        decimals) for x in numbers]  # fmt: skip
        suffix = ""
    else:
        top = max(abs(x) for x in numbers)
        exponent = math.floor(math.log10(top)) if top > 0 else place
        decimals = max(exponent - place, 0)
        texts = [_fixed(x / 10**exponent, decimals) for x in numbers]
        suffix = _power(exponent)
    if estimate is None:
        return f"[{texts[0]}, {texts[1]}]{suffix}"
    return f"{texts[0]} [{texts[1]}, {texts[2]}]{suffix}"


def format_percent_interval(estimate: float, low: float, high: float) -> str:
    """A share as ``12% [4%, 53%]`` (whole percent; shares are bounded by 0 and 1)."""
    low, high = max(low, 0.0), min(high, 1.0)
    return f"{estimate:.0%} [{low:.0%}, {high:.0%}]"


_NUMBER = r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?"
_ESTIMATE = re.compile(rf"(?<![\w.\[-])({_NUMBER}) \[({_NUMBER}), ({_NUMBER})\]")
_INTERVAL = re.compile(rf"\[({_NUMBER}), ({_NUMBER})\]")
_PERCENT = re.compile(r"(?<![\w.])([-+])?(\d+\.\d+)%")
_RAW = re.compile(r"(?<![\w.\[-])(-?\d+\.\d{5,}(?:e[-+]?\d+)?|-?\d+(?:\.\d+)?e[-+]?\d+)(?!\w|\.\d)")


def _is_raw(text: str) -> bool:
    """More digits than a reader can use (5+ significant digits) or e-notation."""
    if "e" in text.lower():
        return True
    digits = text.lstrip("-").replace(".", "").lstrip("0")
    return len(digits) > 4


def tidy_numbers(text: str) -> str:
    """Generated prose with its raw numbers in the report's format.

    ``x [a, b]`` (an estimate and its interval) becomes :func:`format_interval` of them;
    ``[a, b]`` with a raw end too; any other raw number (``0.166667``, ``2.50062e-06``)
    :func:`format_value`. Short numbers stay as written.
    """
    text = _ESTIMATE.sub(
        lambda m: format_interval(float(m.group(1)), float(m.group(2)), float(m.group(3))), text
    )

    def interval(match: re.Match[str]) -> str:
        low, high = match.group(1), match.group(2)
        if not (_is_raw(low) or _is_raw(high)):
            return match.group(0)
        return format_interval(None, float(low), float(high))

    text = _INTERVAL.sub(interval, text)
    text = _PERCENT.sub(
        lambda m: (
            (m.group(1) or "") + format_value(float(m.group(2))) + "%"
            if _is_raw(m.group(2))
            else m.group(0)
        ),
        text,
    )
    return _RAW.sub(
        lambda m: format_value(float(m.group(1))) if _is_raw(m.group(1)) else m.group(1), text
    )

"""Parameters declared once: a field of a frozen settings dataclass, with what it accepts.

A simulator declares its parameters as fields of a frozen ``kw_only`` dataclass that
inherits :class:`Settings`; each field comes from :func:`parameter`, which records the
parameter's :class:`Kind` (what values it accepts), help text and unit. From that one
declaration follow

* the check of a value: building the dataclass checks every field in declaration order
  (:meth:`Kind.check`, a one-line :class:`~foundation.errors.ParameterError` naming the
  parameter and what it accepts) and stores the checked value;
* the command-line option: :func:`add_options` adds ``--name-with-dashes`` with the
  field's default, type or choices, metavar and help;
* the documentation: :func:`markdown_table` renders the parameters as a markdown table.

No mathematics and no numpy: a kind checks types and bounds. Kinds that need arrays
(input vectors) live with the package that needs them and only have to offer
``accepts`` and ``check``.

>>> from dataclasses import dataclass
>>> @dataclass(frozen=True, kw_only=True)
... class Demo(Settings):
...     count: int = parameter(3, Integer(minimum=1), "how many")
...     rate: float = parameter(0.5, Real(0.0, 1.0), "a rate", unit="1/s")
>>> Demo(count=2).rate
0.5
>>> Demo(rate=1.5)
Traceback (most recent call last):
...
foundation.errors.ParameterError: rate: expected a number in (0, 1], got 1.5
>>> print(markdown_table(Demo))
| parameter | accepts | default | unit | meaning |
|---|---|---|---|---|
| `count` | an integer >= 1 | `3` |  | how many |
| `rate` | a number in (0, 1] | `0.5` | 1/s | a rate |
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from .errors import ParameterError

if TYPE_CHECKING:
    import argparse

__all__ = [
    "Anything",
    "Choice",
    "Integer",
    "Kind",
    "Optional",
    "Parameter",
    "Real",
    "RealPair",
    "Settings",
    "add_options",
    "ascii_float",
    "ascii_int",
    "declared",
    "is_integer",
    "is_real",
    "markdown_table",
    "parameter",
]

_KEY = "fastweights.parameter"
"""The key of a field's :class:`Parameter` in its ``dataclasses.field`` metadata."""


def _is_numpy_number(value: object, abstract: type) -> bool:
    """A numpy scalar (``numpy.int64``, ``numpy.float32``, ...) of the ``numbers`` ABC."""
    return isinstance(value, abstract) and type(value).__module__ == "numpy"


def is_integer(value: object) -> bool:
    """An ``int`` or numpy integer scalar, never a ``bool``."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or _is_numpy_number(value, numbers.Integral)


def is_real(value: object) -> bool:
    """An ``int``, ``float`` or numpy integer or floating scalar, never a ``bool``."""
    if isinstance(value, bool):
        return False
    return isinstance(value, (int, float)) or _is_numpy_number(value, numbers.Real)


def _refuse_text(accepts: str, text: str, message: str = "") -> Exception:
    """argparse's own error for a value its ``type`` refuses: ``expected ..., got ...``
    (or ``message``)."""
    import argparse  # here: theory and simulation import this module without argparse

    return argparse.ArgumentTypeError(message or f"expected {accepts}, got {text!r}")


def ascii_int(text: str) -> int:
    """An option's integer: ASCII digits only (``int()`` would also take ``٢``, ``２``)."""
    if not isinstance(text, str) or not text.isascii():
        raise _refuse_text("an integer in ASCII digits", text)
    try:
        return int(text)
    except ValueError:  # argparse's own words, as before the ASCII check
        raise _refuse_text("", text, f"invalid int value: {text!r}") from None


def ascii_float(text: str) -> float:
    """An option's number: ASCII only (``float()`` would also take ``١.٥``)."""
    if not isinstance(text, str) or not text.isascii():
        raise _refuse_text("a number in ASCII digits", text)
    try:
        return float(text)
    except ValueError:
        raise _refuse_text("", text, f"invalid float value: {text!r}") from None


class Kind(Protocol):
    """What a parameter accepts: ``accepts`` (words) and ``check`` (value -> checked value)."""

    @property
    def accepts(self) -> str: ...

    def check(self, name: str, value: object) -> Any: ...


@dataclasses.dataclass(frozen=True)
class Integer:
    """An integer in [``minimum``, ``maximum``] (no ``bool``); ``maximum`` None: no bound."""

    minimum: int = 1
    maximum: int | None = None
    cli_type: ClassVar[Callable[[str], Any]] = staticmethod(ascii_int)

    @property
    def accepts(self) -> str:
        if self.maximum is None:
            return f"an integer >= {self.minimum}"
        return f"an integer in [{self.minimum}, {self.maximum}]"

    def check(self, name: str, value: object) -> int:
        """``value`` as an ``int``; :class:`ParameterError` if it is not in range."""
        if not is_integer(value):
            raise ParameterError(name, self.accepts, value)
        number: int = int(value)  # type: ignore[call-overload]
        if number < self.minimum or (self.maximum is not None and number > self.maximum):
            raise ParameterError(name, self.accepts, value)
        return number


@dataclasses.dataclass(frozen=True)
class Real:
    """A finite number, optionally bounded below by ``low`` and above by ``high``.

    ``low_closed`` / ``high_closed`` say whether the bounds themselves are accepted;
    ``words`` replaces the generated description (``a number in (0, 1]``).
    """

    low: float | None = None
    high: float | None = None
    low_closed: bool = False
    high_closed: bool = True
    words: str | None = None
    cli_type: ClassVar[Callable[[str], Any]] = staticmethod(ascii_float)

    @property
    def accepts(self) -> str:
        if self.words is not None:
            return self.words
        if self.low is None and self.high is None:
            return "a finite number"
        if self.high is None:
            return f"a finite number {'>=' if self.low_closed else '>'} {self.low:g}"
        if self.low is None:
            return f"a finite number {'<=' if self.high_closed else '<'} {self.high:g}"
        left, right = "[" if self.low_closed else "(", "]" if self.high_closed else ")"
        return f"a number in {left}{self.low:g}, {self.high:g}{right}"

    def _inside(self, x: float) -> bool:
        above = self.low is None or x > self.low or (self.low_closed and x == self.low)
        below = self.high is None or x < self.high or (self.high_closed and x == self.high)
        return above and below

    def check(self, name: str, value: object) -> float:
        """``value`` as a ``float``; :class:`ParameterError` if not finite or out of range."""
        if not is_real(value):
            raise ParameterError(name, self.accepts, value)
        x = float(value)  # type: ignore[arg-type]
        if not (math.isfinite(x) and self._inside(x)):
            raise ParameterError(name, self.accepts, value)
        return x


@dataclasses.dataclass(frozen=True)
class RealPair:
    """Two numbers LOW < HIGH in [``low``, ``high``]: a pair, or the string ``"LOW,HIGH"``
    (as the command line and sweeps give it); checked as a tuple of two floats.

    A pair is a tuple, a list or a numpy array (no numpy import needed to tell).
    """

    low: float = 0.0
    high: float = 1.0
    cli_type: ClassVar[Callable[[str], Any]] = str

    @property
    def accepts(self) -> str:
        return f"two numbers LOW,HIGH with {self.low:g} <= LOW < HIGH <= {self.high:g}"

    def check(self, name: str, value: object) -> tuple[float, float]:
        """``(LOW, HIGH)`` as floats; :class:`ParameterError` naming ``value`` otherwise."""
        numbers_: list[float]
        if isinstance(value, str):
            if not value.isascii():
                raise ParameterError(name, self.accepts, value)
            try:
                numbers_ = [float(item) for item in value.split(",")]
            except ValueError:
                raise ParameterError(name, self.accepts, value) from None
        elif isinstance(value, (tuple, list)) or type(value).__module__ == "numpy":
            try:
                items = list(value)  # type: ignore[call-overload]
            except TypeError:  # a numpy scalar or 0-d array
                raise ParameterError(name, self.accepts, value) from None
            if not all(is_real(item) for item in items):
                raise ParameterError(name, self.accepts, value)
            numbers_ = [float(item) for item in items]
        else:
            raise ParameterError(name, self.accepts, value)
        if len(numbers_) != 2 or not all(math.isfinite(x) for x in numbers_):
            raise ParameterError(name, self.accepts, value)
        low, high = numbers_
        if not self.low <= low < high <= self.high:
            raise ParameterError(name, self.accepts, value)
        return low, high


@dataclasses.dataclass(frozen=True)
class Choice:
    """One of the strings ``choices``."""

    choices: tuple[str, ...]

    @property
    def accepts(self) -> str:
        return "one of " + ", ".join(self.choices)

    def check(self, name: str, value: object) -> str:
        """``value`` itself if it is one of the choices."""
        if not isinstance(value, str) or value not in self.choices:
            raise ParameterError(name, self.accepts, value)
        return value


@dataclasses.dataclass(frozen=True)
class Optional:
    """``None`` (meaning ``none``, for the docs) or a value ``kind`` accepts."""

    kind: Kind
    none: str = "automatic"

    @property
    def accepts(self) -> str:
        return f"{self.kind.accepts}, or None ({self.none})"

    @property
    def cli_type(self) -> Callable[[str], Any] | None:
        return getattr(self.kind, "cli_type", None)

    def check(self, name: str, value: object) -> Any:
        """``None`` as is, anything else through ``kind``."""
        return None if value is None else self.kind.check(name, value)


@dataclasses.dataclass(frozen=True)
class Anything:
    """A parameter whose check is a relation with others (the settings' ``check_after``)."""

    words: str

    @property
    def accepts(self) -> str:
        return self.words

    def check(self, name: str, value: object) -> Any:
        """``value`` unchanged: the settings class checks it together with others."""
        return value


@dataclasses.dataclass(frozen=True)
class Parameter:
    """How a parameter is declared: what it accepts, what it means, its unit, its option.

    ``metavar`` is the option's placeholder; ``option`` False: the command line does not
    offer it (a Python-only parameter).
    """

    kind: Kind
    help: str
    unit: str = ""
    metavar: str | None = None
    option: bool = True


def parameter(
    default: Any = dataclasses.MISSING,
    kind: Kind | None = None,
    help: str = "",
    unit: str = "",
    metavar: str | None = None,
    option: bool = True,
) -> Any:
    """A settings field: ``default`` (none: required) and its :class:`Parameter`."""
    if kind is None:
        raise TypeError("parameter() needs a kind")
    declaration = Parameter(kind, help, unit, metavar, option)
    return dataclasses.field(default=default, metadata={_KEY: declaration})


def declared(settings: Any) -> Iterator[tuple[dataclasses.Field[Any], Parameter]]:
    """The fields of a settings class (or instance) with their :class:`Parameter`, in order."""
    for item in dataclasses.fields(settings):
        if _KEY in item.metadata:
            yield item, item.metadata[_KEY]


class Settings:
    """Base of a frozen ``kw_only`` settings dataclass: building it checks every field.

    Fields are checked in declaration order, or in the order :attr:`check_order` names
    them (when the order of the fields, e.g. of a JSON record, is not the order in which
    errors should be reported); after each, :meth:`check_after` may check a relation with
    the fields checked before it (``retrained < associations``), so the first error a
    caller sees is the one that order says.
    """

    check_order: ClassVar[tuple[str, ...] | None] = None
    """Every declared field once, in the order they are checked (``None``: declaration order)."""

    def __post_init__(self) -> None:
        fields = {item.name: (item, declaration) for item, declaration in declared(self)}
        order = self.check_order if self.check_order is not None else tuple(fields)
        if sorted(order) != sorted(fields):
            raise TypeError(f"{type(self).__name__}.check_order must name every field once")
        for name in order:
            item, declaration = fields[name]
            value = declaration.kind.check(item.name, getattr(self, item.name))
            object.__setattr__(self, item.name, value)
            self.check_after(item.name)

    def check_after(self, name: str) -> None:
        """Check relations once field ``name`` is checked (nothing by default)."""


def _option_keywords(item: dataclasses.Field[Any], declaration: Parameter) -> dict[str, Any]:
    """The ``add_argument`` keywords the declaration gives."""
    keywords: dict[str, Any] = {"help": declaration.help}
    choices = getattr(declaration.kind, "choices", None)
    if choices is not None:
        keywords["choices"] = choices
    else:
        keywords["type"] = getattr(declaration.kind, "cli_type", None) or str
    if declaration.metavar is not None:
        keywords["metavar"] = declaration.metavar
    if item.default is dataclasses.MISSING:
        keywords["required"] = True
    else:
        keywords["default"] = item.default
    return keywords


def add_options(
    parser: argparse.ArgumentParser | argparse._ArgumentGroup,
    settings: type,
    names: Sequence[str],
    **changes: dict[str, Any],
) -> None:
    """Add ``--name-with-dashes`` for each parameter in ``names`` (in that order).

    Type (or choices), default, metavar and help come from the declaration; ``changes``
    maps a name to ``add_argument`` keywords that replace the declared ones (a command's
    own rule, e.g. ``--trials`` at least 30).
    """
    fields = {item.name: (item, declaration) for item, declaration in declared(settings)}
    for name in names:
        item, declaration = fields[name]
        keywords = {**_option_keywords(item, declaration), **changes.get(name, {})}
        parser.add_argument("--" + name.replace("_", "-"), **keywords)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_table(settings: type) -> str:
    """The parameters of ``settings`` as a markdown table: name, accepts, default, unit, help."""
    lines = ["| parameter | accepts | default | unit | meaning |", "|---|---|---|---|---|"]
    for item, declaration in declared(settings):
        default = "required" if item.default is dataclasses.MISSING else f"`{item.default!r}`"
        cells = (f"`{item.name}`", declaration.kind.accepts, default, declaration.unit)
        lines.append("| " + " | ".join(_cell(c) for c in (*cells, declaration.help)) + " |")
    return "\n".join(lines)

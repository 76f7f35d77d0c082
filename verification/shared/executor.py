"""Compute each named input once per request; start the expensive parts in the background.

:func:`start` (called by the claim and figure runs before they evaluate anything) submits
every needed input's ``early`` part to the current background process
(:mod:`verification.background`), dependencies first; :func:`value` returns an input's
value, from this process's cache, else from the background's early part and the rest
computed here, else all computed here. The cache keeps the last few requests of each input
(:attr:`~.spec.InputSpec.keep`), so ``verify`` and ``report`` never compute one twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import Any

from ..engine.paper import current_paper
from .spec import InputSpec, Request

__all__ = [
    "clear",
    "input_names",
    "input_spec",
    "register_input",
    "request",
    "start",
    "value",
    "with_needs",
]

_SPECS: dict[str, InputSpec] = {}
_VALUES: dict[str, dict[Request, Any]] = {}


def register_input(spec: InputSpec) -> InputSpec:
    """Add ``spec`` (names are unique)."""
    if spec.name in _SPECS:
        raise RuntimeError(f"input {spec.name!r} registered twice")
    _SPECS[spec.name] = spec
    return spec


def _load() -> None:
    """Import the modules defining the inputs of the paper being checked (its
    ``input_modules``; importing registers them)."""
    current_paper().import_inputs()


def input_names() -> list[str]:
    """Every known input name."""
    _load()
    return list(_SPECS)


def input_spec(name: str) -> InputSpec:
    """The input called ``name`` (a RuntimeError naming the known ones if none is)."""
    if name not in _SPECS:
        _load()
    if name not in _SPECS:
        raise RuntimeError(f"no input {name!r}; known: {', '.join(sorted(_SPECS))}")
    return _SPECS[name]


def request(
    spec: InputSpec, seed: int, quick: bool, options: Mapping[str, Any] | None = None
) -> Request:
    """The request of ``spec`` in a run: its seed, ``quick`` and its own options only."""
    given = options or {}
    return Request(seed, quick, tuple((name, given.get(name)) for name in spec.options))


def with_needs(names: Iterable[str]) -> list[str]:
    """``names`` and every input they use, each after the inputs it uses (no repeats)."""
    ordered: list[str] = []

    def visit(name: str) -> None:
        if name in ordered:
            return
        for need in input_spec(name).needs:
            visit(need)
        ordered.append(name)

    for name in names:
        visit(name)
    return ordered


def _job_key(name: str, req: Request) -> tuple[str, str, Request]:
    return ("input", name, req)


def _wants_early(spec: InputSpec, req: Request) -> bool:
    return spec.early is not None and spec.start_if(req)


def start(
    names: Iterable[str], seed: int, quick: bool, options: Mapping[str, Any] | None = None
) -> None:
    """Start the early parts of ``names`` (and of what they use) in the current background
    process, in order; nothing without one, nothing already cached or started."""
    from ..background import current

    worker = current()
    if worker is None:
        return
    for name in with_needs(names):
        spec = input_spec(name)
        req = request(spec, seed, quick, options)
        if _wants_early(spec, req) and req not in _VALUES.get(name, {}):
            assert spec.early is not None
            worker.submit(_job_key(name, req), spec.early, req)


def value(name: str, seed: int, quick: bool, options: Mapping[str, Any] | None = None) -> Any:
    """The value of input ``name`` for this run (computed once, then cached)."""
    from ..background import current

    spec = input_spec(name)
    req = request(spec, seed, quick, options)
    cache = _VALUES.setdefault(name, {})
    if req not in cache:
        worker = current()
        early: Callable[[], Any] | None = None
        if worker is not None and _wants_early(spec, req):
            assert spec.early is not None
            early = partial(worker.result, _job_key(name, req), spec.early, req)
        result = spec.compute(req, early)
        if len(cache) >= spec.keep:
            cache.pop(next(iter(cache)))
        cache[req] = result
    return cache[req]


def clear(name: str | None = None) -> None:
    """Forget the cached values (of ``name``, or of every input)."""
    for key in [name] if name is not None else list(_VALUES):
        _VALUES.pop(key, None)

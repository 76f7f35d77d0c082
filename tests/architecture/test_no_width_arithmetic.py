"""Verification takes every interval from ``Estimate.ci(level)`` and every standard error
from the estimate: no standard error recovered from an interval's width, i.e. no
``(ci_high - ci_low) / q`` (or ``(hi - lo) / q``, ``half_width / q``) for any q but the
constant 2 (a half-width, shown or compared with a resolution) in ``verification/``, read
with ``ast``.

The one allowed place: the readings' margin of the exact binomial proportion
(``readings/measure.py``, ``_scale``), which has no standard error of its own.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

ENDS = {("ci_high", "ci_low"), ("hi", "lo"), ("high", "low"), ("d_hi", "d_lo")}
ALLOWED = {("verification/readings/measure.py", "_scale")}


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
        return str(node.slice.value)
    return None


def _is_width(node: ast.expr) -> bool:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Sub):
        return (_name(node.left), _name(node.right)) in ENDS
    return _name(node) in ("half_width", "width")


def width_divisions(source: str) -> list[tuple[str, int]]:
    """(enclosing function, line) of every division of an interval's width but by 2."""
    found = []
    for function in ast.walk(ast.parse(source)):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
                halved = isinstance(node.right, ast.Constant) and node.right.value == 2
                if _is_width(node.left) and not halved:
                    found.append((function.name, node.lineno))
    return found


def test_the_check_finds_the_old_recovery_of_a_standard_error():
    old = "def f(s):\n    return (s.ci_high - s.ci_low) / (2 * z)\n"
    assert width_divisions(old) == [("f", 2)]
    assert width_divisions("def g(hi, lo, t):\n    return (hi - lo) / (2 * t)\n") == [("g", 2)]
    assert width_divisions("def g(s, t):\n    return s.half_width / t\n") == [("g", 2)]
    assert width_divisions("def g(hi, lo):\n    return (hi - lo) / 2\n") == []
    assert width_divisions("def h(e):\n    return e.ci(0.999)\n") == []


def test_verification_recovers_no_standard_error_from_a_width():
    offenders = []
    for path in sorted((ROOT / "verification").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        for function, line in width_divisions(path.read_text(encoding="utf-8")):
            if (relative, function) not in ALLOWED:
                offenders.append(f"{relative}:{line} ({function})")
    assert offenders == []
